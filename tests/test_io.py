"""mlp.save / mlp.load: round trip, and a clear ModelFileError for every kind of bad file."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

import mlp
from mlp import Network, load, save
from mlp.costs import LOG_LIKELIHOOD
from mlp.init import he
from mlp.io import ModelFileError


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_round_trip(tmp_path, dtype):
    net = Network([6, 5, 4, 3], "tanh", LOG_LIKELIHOOD, seed=3, dtype=dtype, init=he)
    path = save(net, tmp_path / "net.npz")
    assert path == tmp_path / "net.npz" and path.is_file()
    again = load(path)
    assert (again.sizes, again.activation, again.cost_name, again.init, again.dtype) == (
        [6, 5, 4, 3],
        "tanh",
        "log_likelihood",
        "he",
        np.dtype(dtype),
    )
    for p, q in zip(net.weights + net.biases, again.weights + again.biases, strict=True):
        np.testing.assert_array_equal(p, q)
        assert q.dtype == dtype and q.flags.c_contiguous
    x = np.random.default_rng(0).random((6, 4))
    np.testing.assert_array_equal(net.feedforward(x), again.feedforward(x))
    assert not list(tmp_path.glob(".*tmp")), "no temporary file left behind"


def test_top_level_exports():
    assert mlp.save is save and mlp.load is load and mlp.Network is Network


def test_save_writes_the_name_as_given_and_creates_folders(tmp_path):
    path = save(Network([2, 2], seed=0), tmp_path / "sub" / "model.weights")
    assert path.name == "model.weights" and load(path).sizes == [2, 2]


def write(tmp_path, arrays: dict, name="bad.npz"):
    path = tmp_path / name
    np.savez(path, **arrays)
    return path


@pytest.fixture
def good_arrays(tmp_path) -> dict[str, np.ndarray]:
    """The arrays of a valid model file, to be spoiled one at a time."""
    path = save(Network([4, 3, 2], seed=0), tmp_path / "good.npz")
    with np.load(path) as archive:
        return {key: archive[key] for key in archive.files}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda a: a.pop("sizes"), "missing array 'sizes'"),
        (lambda a: a.pop("weights_1"), "missing array 'weights_1'"),
        (lambda a: a.update(extra=np.zeros(2)), r"unexpected arrays \['extra'\]"),
        (lambda a: a.update(weights_0=np.zeros((3, 5), np.float32)), r"weights_0 has shape"),
        (lambda a: a.update(biases_1=np.zeros(2, np.float32)), r"biases_1 has shape \(2,\)"),
        (lambda a: a.update(weights_0=np.zeros((3, 4), np.int32)), "dtype int32"),
        (lambda a: a.update(weights_0=np.zeros((3, 4), np.float64)), "earlier arrays|float32"),
        (lambda a: a["weights_1"].__setitem__((0, 0), np.nan), "NaN or infinite"),
        (lambda a: a["biases_0"].__setitem__((0, 0), np.inf), "NaN or infinite"),
        (lambda a: a.update(activation=np.array("swish")), "unknown activation 'swish'"),
        (lambda a: a.update(cost=np.array("hinge")), "unknown cost 'hinge'"),
        (lambda a: a.update(init=np.array("xavier")), "unknown init 'xavier'"),
        (lambda a: a.update(activation=np.array(3)), "activation should be a string"),
        (lambda a: a.update(sizes=np.array([4.0, 3.0, 2.0])), "sizes should be a list"),
        (lambda a: a.update(sizes=np.array([4])), "sizes should be a list"),
        (lambda a: a.update(sizes=np.array([4, 0, 2])), "at least one neuron"),
        (lambda a: a.update(sizes=np.array([4, 3, 2, 2])), "missing array 'weights_2'"),
        (lambda a: a.update(format_version=np.array(2)), "format version 2 is not supported"),
        (lambda a: a.update(format_version=np.array("1")), "format_version should be"),
    ],
)
def test_invalid_contents(tmp_path, good_arrays, change, message):
    arrays = {key: value.copy() for key, value in good_arrays.items()}
    change(arrays)
    path = write(tmp_path, arrays)
    with pytest.raises(ModelFileError, match=message) as info:
        load(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, ValueError)


def test_good_arrays_do_load(tmp_path, good_arrays):
    assert load(write(tmp_path, good_arrays)).sizes == [4, 3, 2]


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ModelFileError, match="no such file"):
        load(tmp_path / "nothing.npz")
    with pytest.raises(ModelFileError, match="is a directory"):
        load(tmp_path)


def test_not_an_npz_at_all(tmp_path):
    text = tmp_path / "notes.npz"
    text.write_text("this is not a network\n")
    with pytest.raises(ModelFileError, match=r"notes\.npz: not a model saved by mlp\.save"):
        load(text)
    empty = tmp_path / "empty.npz"
    empty.write_bytes(b"")
    with pytest.raises(ModelFileError, match="empty.npz"):
        load(empty)


def test_a_single_npy_array(tmp_path):
    path = tmp_path / "array.npy"
    np.save(path, np.zeros(3))
    with pytest.raises(ModelFileError, match="not an .npz archive"):
        load(path)


def test_pickled_objects_are_refused(tmp_path, good_arrays):
    arrays = dict(good_arrays, activation=np.array([{"evil": 1}], dtype=object))
    path = tmp_path / "pickled.npz"
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="Python objects"):
        load(path)


@pytest.mark.parametrize("keep", [0.3, 0.6, 0.95])
def test_truncated_file(tmp_path, keep):
    path = save(Network([20, 10, 5], seed=0), tmp_path / "net.npz")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(ModelFileError, match="net.npz: .*(truncated|corrupted|cannot read)"):
        load(path)


def test_corrupted_member(tmp_path):
    path = save(Network([20, 10, 5], seed=0), tmp_path / "net.npz")
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("weights_0.npy")
    # Flip bytes inside the stored weights: the zip checksum (CRC) no longer matches.
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 200
    data[start : start + 8] = bytes(8)
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFileError, match="truncated or corrupted"):
        load(path)
