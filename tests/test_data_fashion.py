"""mlp.data.load_fashion_mnist: the real Fashion-MNIST files, and damaged or wrong copies.

Fashion-MNIST is checked by the SHA-256 of each file's *unpacked* contents, because copies
of its gzip files differ byte for byte (the ones in the shared folder were compressed again
by Debian). The download path, against a local HTTP server, is in test_data_download.py.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from mlp import data
from mlp.data import DataError

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("split", "n"), [("train", 60_000), ("test", 10_000)])
def test_load_fashion_mnist_on_the_real_files(fashion_dir, split, n):
    images, labels = data.load_fashion_mnist(split, fashion_dir, download=False, progress=False)
    assert images.shape == (n, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (n,) and labels.dtype == np.uint8
    # A balanced set: 6,000 of each class for training, 1,000 for testing.
    assert np.bincount(labels, minlength=10).tolist() == [n // 10] * 10
    assert images.min() == 0 and images.max() == 255
    assert images.flags.writeable


def test_fashion_is_not_mnist(fashion_dir, mnist_test):
    images, labels = data.load_fashion_mnist("test", fashion_dir, download=False, progress=False)
    assert labels[:5].tolist() == [9, 2, 1, 1, 6]  # ankle boot, pullover, trouser, ...
    assert not np.array_equal(labels, mnist_test[1])
    # Garments fill more of the frame than digits do.
    assert np.count_nonzero(images) > 2 * np.count_nonzero(mnist_test[0])


def test_fashion_classes():
    assert data.FASHION_CLASSES == (
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    )  # fmt: skip


def test_load_data_loads_fashion_mnist(fashion_dir):
    training, validation, test = data.load_data(
        fashion_dir, download=False, progress=False, dataset="fashion-mnist"
    )
    assert training[0].shape == (784, 50_000) and training[0].dtype == np.float32
    assert validation[1].shape == (10_000,) and test[1].shape == (10_000,)
    assert test[1][:2].tolist() == [9, 2]
    with pytest.raises(ValueError, match="dataset must be one of"):
        data.load_data(fashion_dir, download=False, dataset="kmnist")


# --------------------------------------------------------------------------------------
# Damaged, recompressed and wrong copies
# --------------------------------------------------------------------------------------


@pytest.fixture
def fashion_test_copy(copy_test_split, fashion_dir) -> Path:
    """A folder with a copy of Fashion-MNIST's two test files."""
    return copy_test_split(fashion_dir)


def unpacked(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def load_error(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        data.load_fashion_mnist("test", folder, download=False, progress=False)
    return str(info.value)


def test_a_copy_compressed_differently_is_accepted(fashion_test_copy):
    """Only the contents count: the same images, compressed again, load."""
    path = fashion_test_copy / "t10k-images-idx3-ubyte.gz"
    original = path.read_bytes()
    path.write_bytes(gzip.compress(unpacked(path), compresslevel=1, mtime=0))
    assert path.read_bytes() != original
    images, _ = data.load_fashion_mnist("test", fashion_test_copy, download=False)
    assert images.shape == (10_000, 28, 28)


def test_a_changed_pixel_fails_the_checksum(fashion_test_copy):
    path = fashion_test_copy / "t10k-images-idx3-ubyte.gz"
    content = bytearray(unpacked(path))
    content[len(content) // 2] ^= 0x01  # one grey level, in a valid gzip stream
    path.write_bytes(gzip.compress(bytes(content), mtime=0))
    message = load_error(fashion_test_copy)
    assert message.startswith(f"{path}: checksum mismatch (SHA-256 of the unpacked contents")
    assert data.FASHION_SHA256["t10k-images-idx3-ubyte"] in message
    assert "corrupted or has been tampered with" in message and "download=True" in message


def test_a_truncated_gzip_file_fails(fashion_test_copy):
    path = fashion_test_copy / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-100])
    message = load_error(fashion_test_copy)
    assert message.startswith(f"{path}: the gzip data is truncated or corrupted")


def test_a_file_that_is_not_gzip_fails(fashion_test_copy):
    path = fashion_test_copy / "t10k-labels-idx1-ubyte.gz"
    path.write_bytes(unpacked(path))  # right contents, wrong name: not what it says
    assert load_error(fashion_test_copy).startswith(f"{path}: not a gzip file")


def test_an_mnist_file_is_named_as_such(fashion_test_copy, mnist_dir):
    """The two sets share file names, so an MNIST file in the wrong folder is likely."""
    name = "t10k-labels-idx1-ubyte.gz"
    (fashion_test_copy / name).write_bytes(data.find_file(name, mnist_dir).read_bytes())
    message = load_error(fashion_test_copy)
    assert "This is MNIST's t10k-labels-idx1-ubyte, not the file this folder should hold" in message


def test_a_fashion_file_in_the_mnist_folder_is_refused(fashion_test_copy):
    with pytest.raises(DataError, match="checksum mismatch"):
        data.load_mnist("test", fashion_test_copy, download=False)


def test_unpacked_files_are_used_and_checked(fashion_test_copy):
    for name in data.FILES["test"]:
        packed = fashion_test_copy / name
        packed.with_suffix("").write_bytes(unpacked(packed))
        packed.unlink()
    images, labels = data.load_fashion_mnist("test", fashion_test_copy, download=False)
    assert images.shape == (10_000, 28, 28) and labels[0] == 9
    raw = fashion_test_copy / "t10k-labels-idx1-ubyte"
    raw.write_bytes(raw.read_bytes()[:-1] + b"\x00")
    message = load_error(fashion_test_copy)
    assert message.startswith(f"{raw}: checksum mismatch (SHA-256 ")


# --------------------------------------------------------------------------------------
# Where the files are looked for
# --------------------------------------------------------------------------------------


def test_missing_files_without_download(tmp_path):
    message = load_error(tmp_path)
    assert str(tmp_path / "t10k-images-idx3-ubyte.gz") in message
    assert "four Fashion-MNIST files" in message
    assert "FASHION_MNIST_DIR" in message and "load_fashion_mnist" in message


def test_fashion_mnist_dir_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("FASHION_MNIST_DIR", str(tmp_path))
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "elsewhere"))
    assert data.default_directory(data.FASHION_MNIST) == tmp_path
    assert str(tmp_path / "t10k-images-idx3-ubyte.gz") in load_error_default()


def load_error_default() -> str:
    with pytest.raises(DataError) as info:
        data.load_fashion_mnist("test", download=False)
    return str(info.value)


def test_default_directory_is_data_fashion_mnist(monkeypatch):
    monkeypatch.delenv("FASHION_MNIST_DIR", raising=False)
    assert data.default_directory(data.FASHION_MNIST) == ROOT / "data" / "fashion-mnist"


def test_load_fashion_mnist_refuses_unknown_splits():
    with pytest.raises(ValueError, match="split must be one of"):
        data.load_fashion_mnist("validation", download=False)


def test_fashion_mirrors_are_the_official_site_first():
    assert data.FASHION_MIRRORS[0] == "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
    assert all(m.startswith(("https://", "http://")) for m in data.FASHION_MIRRORS)
