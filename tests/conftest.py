"""Fixtures shared by the tests: the real MNIST files, and small files written on the fly.

The real files live in ``data/`` (or in the folder named by ``MNIST_DIR``), Fashion-MNIST's
in ``data/fashion-mnist/`` (or ``FASHION_MNIST_DIR``); CI copies them there, so the tests
that need them only skip on a machine that has not fetched them yet (``python3 course.py
setup`` does).
"""

from __future__ import annotations

import gzip
import json
import os
import struct
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from course import editions
from mlp import _files, data


def _missing_files(dataset: _files.DataSet) -> str | None:
    """Why a data set's four files are not all there, or None if they are."""
    directory = data.default_directory(dataset)
    names = [name for pair in data.FILES.values() for name in pair]
    missing = [name for name in names if data.find_file(name, directory) is None]
    if not missing:
        return None
    return (
        f"{dataset.name} files not found in {directory}: {', '.join(missing)} "
        f"(run `python3 course.py setup`, copy them there, or set {dataset.variable})"
    )


def _data_directory(dataset: _files.DataSet) -> Path:
    """The folder holding a data set's four files; skip the test if any of them is missing."""
    reason = _missing_files(dataset)
    if reason:
        pytest.skip(reason)
    return data.default_directory(dataset)


def _uses_fashion_mnist(notebook: Path) -> bool:
    """True if a notebook's code loads Fashion-MNIST."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return any(
        cell["cell_type"] == "code" and "fashion" in editions.source(cell).lower()
        for cell in cells
    )


def _notebook_of(item: pytest.Item) -> Path | None:
    """The notebook a test item runs: an nbval cell, or a test marked ``runs_notebook`` and
    parametrised by ``path`` (tests that only read a notebook's cells need no data)."""
    if item.path.suffix == ".ipynb":
        return item.path
    if item.get_closest_marker("runs_notebook") is None:
        return None
    path = item.callspec.params.get("path")
    return path if isinstance(path, Path) and path.suffix == ".ipynb" else None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Without the Fashion-MNIST files (no network on the first `course.py setup`), skip the
    runs of the notebooks that need them, as the data tests skip, instead of failing them.
    CI copies the files and sets COURSE_REQUIRE_FASHION_MNIST, so there they never skip."""
    reason = _missing_files(_files.FASHION_MNIST)
    if reason is None or os.environ.get("COURSE_REQUIRE_FASHION_MNIST"):
        return
    needs = {}
    for item in items:
        notebook = _notebook_of(item)
        if notebook is None:
            continue
        if notebook.name not in needs:
            needs[notebook.name] = _uses_fashion_mnist(notebook)
        if needs[notebook.name]:
            item.add_marker(pytest.mark.skip(reason=f"{notebook.name} needs them: {reason}"))


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    """The folder holding the four MNIST files; skip the test if any of them is missing."""
    return _data_directory(_files.MNIST)


@pytest.fixture(scope="session")
def fashion_dir() -> Path:
    """The folder holding the four Fashion-MNIST files (``data/fashion-mnist/`` or
    ``$FASHION_MNIST_DIR``); skip the test if any of them is missing."""
    return _data_directory(_files.FASHION_MNIST)


def _load_read_only(split: str, directory: Path) -> tuple[np.ndarray, np.ndarray]:
    images, labels = data.load_mnist(split, directory=directory, download=False, progress=False)
    # Shared by every test of the session: make accidental in-place changes fail loudly.
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


@pytest.fixture(scope="session")
def mnist_train(mnist_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """The 60,000 training ``(images, labels)``, uint8, read-only (copy before changing)."""
    return _load_read_only("train", mnist_dir)


@pytest.fixture(scope="session")
def mnist_test(mnist_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 test ``(images, labels)``, uint8, read-only (copy before changing)."""
    return _load_read_only("test", mnist_dir)


@pytest.fixture
def copy_test_split(tmp_path: Path) -> Callable[[Path], Path]:
    """A function ``copy_test_split(source) -> folder``: a copy, in tmp_path, of the two files
    of a data set's test split found in ``source``, for tests that damage them."""

    def copy(source: Path) -> Path:
        folder = tmp_path / f"copy-{source.name}"
        folder.mkdir()
        for name in data.FILES["test"]:
            # Bytes, not shutil.copy: the originals may be read-only, and tests change copies.
            (folder / name).write_bytes(data.find_file(name, source).read_bytes())
        return folder

    return copy


def idx_bytes(array: np.ndarray, type_code: int | None = None) -> bytes:
    """The IDX encoding of ``array``: magic number, big-endian sizes, big-endian data."""
    codes = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}
    array = np.asarray(array)
    kind = f"{array.dtype.kind}{array.dtype.itemsize}"
    code = codes[kind] if type_code is None else type_code
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.fixture
def write_idx(tmp_path: Path) -> Callable[..., Path]:
    """A function ``write_idx(array, name="array.idx", compress=False) -> Path`` in tmp_path."""

    def write(array: np.ndarray, name: str = "array.idx", compress: bool = False) -> Path:
        content = idx_bytes(array)
        path = tmp_path / name
        path.write_bytes(gzip.compress(content, mtime=0) if compress else content)
        return path

    return write


@pytest.fixture
def verdict() -> Callable[..., str]:
    """Run an exercise check as a first try; return "Correct! ..." or "Not yet. ...".

    The check must return a :class:`course.feedback.Result` (never raise, never print);
    an unanswered stub counts as "Not yet".
    """
    from course import feedback

    def run(check: Callable[..., object], *args: object) -> str:
        feedback._FAILED.clear()  # every call is a first try: the nudge only
        result = check(*args)
        assert isinstance(result, feedback.Result), result
        assert result.points == (result.max_points if result.passed else 0)
        return f"{'Correct!' if result.passed else 'Not yet.'} {result.message}"

    return run


@pytest.fixture
def grading(monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks record nothing and give first-tier hints, so each test sees the same verdicts
    (the tests of ``course/nbNN.py`` ask for it with ``pytestmark``)."""
    monkeypatch.setenv("COURSE_GRADING", "1")
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
