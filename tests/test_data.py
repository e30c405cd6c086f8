"""mlp.data: reading IDX and CSV files, checking them, and shaping MNIST for the network.

The download path, against a local HTTP server, is in test_data_download.py.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from mlp import data
from mlp.data import DataError

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------------------
# IDX: the real files
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("split", "n", "first_labels"),
    [("train", 60_000, [5, 0, 4, 1, 9]), ("test", 10_000, [7, 2, 1, 0, 4])],
)
def test_read_idx_on_the_real_files(mnist_dir, split, n, first_labels):
    image_file, label_file = data.FILES[split]
    images = data.read_idx(data.find_file(image_file, mnist_dir))
    labels = data.read_idx(data.find_file(label_file, mnist_dir))
    assert images.shape == (n, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (n,) and labels.dtype == np.uint8
    assert labels[:5].tolist() == first_labels
    assert images.min() == 0 and images.max() == 255
    assert set(np.unique(labels).tolist()) == set(range(10))
    assert images.flags.writeable  # learners may change their copy


@pytest.mark.parametrize(
    ("split", "n", "first_labels"),
    [("train", 60_000, [5, 0, 4, 1, 9]), ("test", 10_000, [7, 2, 1, 0, 4])],
)
def test_load_mnist_on_the_real_files(mnist_dir, split, n, first_labels):
    images, labels = data.load_mnist(split, directory=mnist_dir, download=False, progress=False)
    assert images.shape == (n, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (n,) and labels.dtype == np.uint8
    assert labels[:5].tolist() == first_labels


def test_first_training_image_is_a_five(mnist_train):
    images, _ = mnist_train
    five = images[0]
    # Known facts about the famous first image: 166 inked pixels, centred by mass.
    assert np.count_nonzero(five) == 166
    rows, cols = np.nonzero(five)
    assert 12 <= np.average(rows, weights=five[rows, cols]) <= 16
    assert 12 <= np.average(cols, weights=five[rows, cols]) <= 16


# --------------------------------------------------------------------------------------
# IDX: small generated files
# --------------------------------------------------------------------------------------

RNG = np.random.default_rng(0)
IDX_CASES = [
    np.arange(60, dtype=np.uint8).reshape(3, 4, 5),
    np.array([-128, -1, 0, 1, 127], dtype=np.int8),
    np.array([[-32768, -2, 0], [1, 300, 32767]], dtype=np.int16),
    RNG.integers(-(2**31), 2**31 - 1, size=(2, 1, 3, 2), dtype=np.int32),
    RNG.standard_normal((4, 2)).astype(np.float32),
    np.array([np.pi, -1e300, 0.0], dtype=np.float64),
    np.zeros((0, 28, 28), dtype=np.uint8),
]


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
@pytest.mark.parametrize("array", IDX_CASES, ids=lambda a: f"{a.dtype}{a.shape}")
def test_read_idx_round_trip(write_idx, array, compress):
    result = data.read_idx(write_idx(array, compress=compress))
    assert result.dtype == array.dtype.newbyteorder("=")  # native order, ready to compute
    assert result.shape == array.shape
    np.testing.assert_array_equal(result, array)


def test_read_idx_detects_gzip_by_content_not_name(write_idx):
    array = np.arange(10, dtype=np.uint8)
    np.testing.assert_array_equal(data.read_idx(write_idx(array, "packed.idx", True)), array)
    np.testing.assert_array_equal(data.read_idx(write_idx(array, "plain.gz", False)), array)


def test_read_idx_accepts_str_paths(write_idx):
    path = write_idx(np.arange(4, dtype=np.uint8))
    assert data.read_idx(str(path)).tolist() == [0, 1, 2, 3]


# --------------------------------------------------------------------------------------
# IDX: malformed files
# --------------------------------------------------------------------------------------


def read_idx_error(path: Path) -> str:
    """Read ``path``, expect a DataError naming the file, and return its message."""
    with pytest.raises(DataError) as info:
        data.read_idx(path)
    message = str(info.value)
    assert str(path) in message
    return message


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "empty"),
        (b"\x00\x00\x08", "truncated header"),
        (b"\x00\x00\x08\x03\x00\x00\x00\x02", "truncated header"),
        (b"\x01\x00\x08\x01\x00\x00\x00\x01\x07", "bad magic number"),
        (b"\x00\x01\x08\x01\x00\x00\x00\x01\x07", "bad magic number"),
        (b"PK\x03\x04zipfile", "bad magic number"),
        (b"\x00\x00\x0a\x01\x00\x00\x00\x01\x07", "unsupported type code 0x0A"),
        (b"\x00\x00\x08\x00", "0 dimensions"),
    ],
    ids=["empty", "3-bytes", "short-dims", "magic-1", "magic-2", "zip", "type", "ndim-0"],
)
@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
def test_read_idx_refuses_bad_headers(tmp_path, content, problem, compress):
    path = tmp_path / "bad.idx"
    path.write_bytes(gzip.compress(content) if compress else content)
    assert problem in read_idx_error(path)


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
def test_read_idx_refuses_truncated_data(write_idx, compress):
    path = write_idx(np.ones((2, 3, 3), dtype=np.int16))
    content = path.read_bytes()[:-1]  # one byte short of 18 values
    path.write_bytes(gzip.compress(content) if compress else content)
    message = read_idx_error(path)
    assert "truncated data" in message and "(2, 3, 3)" in message


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
def test_read_idx_refuses_trailing_bytes(write_idx, compress):
    path = write_idx(np.ones(5, dtype=np.uint8))
    content = path.read_bytes() + b"\x00\x00\x00"
    path.write_bytes(gzip.compress(content) if compress else content)
    assert "3 trailing bytes" in read_idx_error(path)


def test_read_idx_refuses_a_truncated_gzip_stream(write_idx):
    """What an interrupted download of a .gz file looks like."""
    path = write_idx(RNG.integers(0, 256, size=(20, 28, 28), dtype=np.uint8), compress=True)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert "truncated or corrupted" in read_idx_error(path)


def test_read_idx_refuses_a_corrupted_gzip_stream(write_idx):
    path = write_idx(RNG.integers(0, 256, size=(20, 28, 28), dtype=np.uint8), compress=True)
    content = bytearray(path.read_bytes())
    content[len(content) // 2 : len(content) // 2 + 64] = bytes(64)
    path.write_bytes(bytes(content))
    assert "truncated or corrupted" in read_idx_error(path)


def test_read_idx_refuses_a_missing_file(tmp_path):
    assert "no such file" in read_idx_error(tmp_path / "nowhere.idx")


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


# --------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------

PIXELS_RXC = [f"{r}x{c}" for r in range(1, 29) for c in range(1, 29)]
PIXELS_N = [f"pixel{i}" for i in range(784)]
HEADERS = {
    "label-rxc": ["label", *PIXELS_RXC],
    "label-pixel": ["label", *PIXELS_N],
    "pixel": PIXELS_N,
    "none-labelled": None,
    "none-unlabelled": None,
}


def small_images(n: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """Images with 1-, 2- and 3-digit values, including the extremes 0 and 255."""
    images = np.random.default_rng(1).integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
    images[0, 0, :4] = [0, 9, 10, 255]
    images[1] = 0
    images[2] = 255
    labels = np.arange(n, dtype=np.uint8) % 10
    labels[-1] = 9
    return images, labels


def csv_text(images, labels, header, newline="\n", final_newline=True) -> str:
    rows = images.reshape(len(images), -1).astype(int)
    if labels is not None:
        rows = np.column_stack([labels, rows])
    lines = [",".join(header)] if header else []
    lines += [",".join(map(str, row)) for row in rows]
    return newline.join(lines) + (newline if final_newline else "")


@pytest.mark.parametrize("layout", HEADERS)
def test_read_csv_layouts(tmp_path, layout):
    images, labels = small_images()
    labelled = layout.startswith("label") or layout == "none-labelled"
    path = tmp_path / "digits.csv"
    path.write_text(csv_text(images, labels if labelled else None, HEADERS[layout]))
    got_images, got_labels = data.read_csv(path)
    assert got_images.dtype == np.uint8 and got_images.shape == (6, 28, 28)
    np.testing.assert_array_equal(got_images, images)
    if labelled:
        assert got_labels.dtype == np.uint8 and got_labels.shape == (6,)
        np.testing.assert_array_equal(got_labels, labels)
    else:
        assert got_labels is None


@pytest.mark.parametrize(
    "variant", ["crlf", "no-final-newline", "blank-lines", "spaces", "bom", "quoted-header"]
)
def test_read_csv_tolerates_harmless_variations(tmp_path, variant):
    images, labels = small_images(3)
    header = HEADERS["label-pixel"]
    if variant == "quoted-header":
        header = [f'"{name}"' for name in header]
    text = csv_text(
        images,
        labels,
        header,
        newline="\r\n" if variant == "crlf" else "\n",
        final_newline=variant != "no-final-newline",
    )
    if variant == "blank-lines":
        text = text.replace("\n", "\n\n", 2) + "\n\n"
    if variant == "spaces":
        text = text.replace(",", ", ")
    if variant == "bom":
        text = "\ufeff" + text
    path = tmp_path / "digits.csv"
    path.write_bytes(text.encode("utf-8"))
    got_images, got_labels = data.read_csv(path)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def test_read_csv_matches_the_idx_files(tmp_path, mnist_train):
    """A slice of the real training set, written as Kaggle's CSV, reads back the same."""
    images, labels = mnist_train[0][:500], mnist_train[1][:500]
    path = tmp_path / "mnist_train.csv"
    path.write_text(csv_text(images, labels, HEADERS["label-rxc"]))
    got_images, got_labels = data.read_csv(path)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def test_read_csv_blocks_join_up(tmp_path):
    """More rows than one parsing block, so the blocks must be stitched together right."""
    rng = np.random.default_rng(2)
    images = rng.integers(0, 256, size=(4100, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=4100, dtype=np.uint8)
    lines = csv_text(images, labels, None).splitlines()
    for where in (4000, 100, 3):  # blank lines shift the rows of later blocks
        lines.insert(where, "")
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n")
    got_images, got_labels = data.read_csv(path)
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)


def read_csv_error(path: Path) -> str:
    with pytest.raises(DataError) as info:
        data.read_csv(path)
    message = str(info.value)
    assert str(path) in message
    return message


def labelled_rows(n: int = 4) -> list[list[str]]:
    return [[str(k % 10)] + ["0"] * 783 + ["255"] for k in range(n)]


@pytest.mark.parametrize(
    ("row", "column", "token", "problem"),
    [
        (2, 300, "256", "line {line}, column 300: pixel value 256 is outside 0..255"),
        (1, 785, "-1", "line {line}, column 785: pixel value -1 is outside 0..255"),
        (3, 2, "1000", "line {line}, column 2: pixel value 1000 is outside 0..255"),
        (0, 1, "10", "line {line}: label 10 is outside 0..9"),
        (3, 1, "-3", "line {line}: label -3 is outside 0..9"),
        (2, 5, "abc", "line {line}, column 5: 'abc' is not an integer"),
        (2, 5, "x", "line {line}, column 5: 'x' is not an integer"),
        (2, 5, "1.5", "line {line}, column 5: '1.5' is not an integer"),
        (1, 7, "", "line {line}, column 7: '' is not an integer"),
        (1, 7, '"7"', "line {line}, column 7: '\"7\"' is not an integer"),
        (1, 9, "2 5", "line {line}, column 9: '2 5' is not an integer"),
    ],
)
@pytest.mark.parametrize("header", [True, False], ids=["header", "no-header"])
def test_read_csv_refuses_bad_values(tmp_path, row, column, token, problem, header):
    rows = labelled_rows()
    rows[row][column - 1] = token
    lines = [",".join(HEADERS["label-pixel"])] if header else []
    lines += [",".join(r) for r in rows]
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n")
    line = row + 1 + header
    assert problem.format(line=line) in read_csv_error(path)


@pytest.mark.parametrize("header", [True, False], ids=["header", "no-header"])
def test_read_csv_refuses_wrong_column_counts(tmp_path, header):
    rows = labelled_rows()
    rows[2].pop()
    lines = [",".join(HEADERS["label-pixel"])] if header else []
    lines += [",".join(r) for r in rows]
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines) + "\n")
    assert f"line {3 + header} has 784 columns, expected 785" in read_csv_error(path)


def test_read_csv_reports_the_first_bad_line_across_blocks(tmp_path):
    rows = [["1"] + ["0"] * 784 for _ in range(5000)]
    rows[4500][10] = "300"
    rows[4600][0] = "12"
    lines = [",".join(r) for r in rows]
    lines.insert(7, "")  # line numbers count blank lines too
    path = tmp_path / "late.csv"
    path.write_text("\n".join(lines) + "\n")
    assert "line 4502, column 11: pixel value 300" in read_csv_error(path)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "empty"),
        ("\n \r\n\n", "empty"),
        (",".join(HEADERS["label-pixel"]) + "\n", "no data rows"),
        (",".join(HEADERS["label-pixel"][:-1]) + "\n", "line 1 (header) has 784 columns"),
        (",".join(PIXELS_N[:-1]) + "\n", "line 1 (header) has 783 columns"),
        (",".join(["0"] * 783) + "\n", "line 1 has 783 columns"),
        (",".join(["0"] * 786) + "\n", "line 1 has 786 columns"),
    ],
    ids=["empty", "blank", "header-only", "header-short", "pixel-header-short", "783", "786"],
)
def test_read_csv_refuses_bad_files(tmp_path, text, problem):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    assert problem in read_csv_error(path)


def test_read_csv_refuses_a_missing_file(tmp_path):
    assert "cannot read" in read_csv_error(tmp_path / "nowhere.csv")


# --------------------------------------------------------------------------------------
# load_mnist: finding and checking local files
# --------------------------------------------------------------------------------------


@pytest.fixture
def test_split_copy(copy_test_split, mnist_dir) -> Path:
    """A folder holding a copy of the two gzip files of the test split."""
    return copy_test_split(mnist_dir)


def test_load_mnist_refuses_a_tampered_file(test_split_copy):
    path = test_split_copy / "t10k-labels-idx1-ubyte.gz"
    content = bytearray(path.read_bytes())
    content[-20] ^= 0x01
    path.write_bytes(bytes(content))
    with pytest.raises(DataError) as info:
        data.load_mnist("test", directory=test_split_copy, download=False, progress=False)
    message = str(info.value)
    assert str(path) in message and "checksum mismatch" in message
    assert "corrupted or has been tampered with" in message and "Delete it" in message


def test_load_mnist_uses_unpacked_files(test_split_copy, mnist_test):
    """The Kaggle download holds unpacked files named like train-images.idx3-ubyte."""
    for name in data.FILES["test"]:
        packed = test_split_copy / name
        unpacked = name.removesuffix(".gz").replace("-idx", ".idx")
        (test_split_copy / unpacked).write_bytes(gzip.decompress(packed.read_bytes()))
        packed.unlink()
    images, labels = data.load_mnist("test", test_split_copy, download=False, progress=False)
    np.testing.assert_array_equal(images, mnist_test[0])
    np.testing.assert_array_equal(labels, mnist_test[1])


def test_load_mnist_checks_unpacked_files_too(test_split_copy):
    packed = test_split_copy / "t10k-labels-idx1-ubyte.gz"
    unpacked = test_split_copy / "t10k-labels-idx1-ubyte"
    content = bytearray(gzip.decompress(packed.read_bytes()))
    content[100] = (content[100] + 1) % 10  # still a valid IDX file, but not MNIST's
    unpacked.write_bytes(bytes(content))
    packed.unlink()
    with pytest.raises(DataError, match="checksum mismatch"):
        data.load_mnist("test", test_split_copy, download=False, progress=False)


def test_load_mnist_without_files_and_without_download(tmp_path):
    with pytest.raises(DataError) as info:
        data.load_mnist("train", directory=tmp_path, download=False)
    message = str(info.value)
    assert str(tmp_path / "train-images-idx3-ubyte.gz") in message
    assert "MNIST_DIR" in message and "t10k-labels-idx1-ubyte.gz" in message


def test_mnist_dir_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path))
    assert data.default_directory() == tmp_path
    with pytest.raises(DataError, match="MNIST_DIR"):
        data.load_mnist("test", download=False)


def test_default_directory_is_the_repository_data_folder(monkeypatch):
    monkeypatch.delenv("MNIST_DIR", raising=False)
    assert data.default_directory() == ROOT / "data"


def test_load_mnist_refuses_unknown_splits():
    with pytest.raises(ValueError, match=r"\['test', 'train'\].*'validation'"):
        data.load_mnist("validation", download=False)


# --------------------------------------------------------------------------------------
# Shaping for the network
# --------------------------------------------------------------------------------------


def test_to_columns():
    images, _ = small_images(5)
    x = data.to_columns(images)
    assert x.shape == (784, 5) and x.dtype == np.float32
    assert x.flags.f_contiguous
    assert x[:, 1:4].flags.f_contiguous  # a mini-batch is one block of memory
    np.testing.assert_array_equal(x[:, 3], images[3].ravel() / np.float32(255))
    assert x.min() == 0.0 and x.max() == 1.0


@pytest.mark.parametrize(
    "bad", [np.zeros((5, 784), np.uint8), np.zeros((5, 28, 27), np.uint8), np.zeros(784)]
)
def test_to_columns_refuses_wrong_shapes(bad):
    with pytest.raises(ValueError, match=str(bad.shape).replace("(", r"\(").replace(")", r"\)")):
        data.to_columns(bad)


def test_to_columns_refuses_float_images():
    with pytest.raises(ValueError, match="uint8"):
        data.to_columns(np.zeros((2, 28, 28), dtype=np.float32))


def test_one_hot():
    labels = np.array([5, 0, 4, 1, 9], dtype=np.uint8)
    y = data.one_hot(labels)
    assert y.shape == (10, 5) and y.dtype == np.float32
    assert y.flags.f_contiguous
    assert y.argmax(axis=0).tolist() == labels.tolist()
    assert y.sum(axis=0).tolist() == [1.0] * 5
    assert data.one_hot([2, 0], n_classes=3).tolist() == [[0, 1], [0, 0], [1, 0]]


@pytest.mark.parametrize("bad", [[0, 10], [-1, 3], [0.0, 1.0], [[1, 2]]])
def test_one_hot_refuses_bad_labels(bad):
    with pytest.raises(ValueError, match="labels"):
        data.one_hot(np.array(bad))


def test_load_data_is_nielsens_split(mnist_dir, mnist_train, mnist_test):
    training, validation, test = data.load_data(mnist_dir, download=False, progress=False)
    for (x, labels), m in zip((training, validation, test), (50_000, 10_000, 10_000), strict=True):
        assert x.shape == (784, m) and x.dtype == np.float32 and x.flags.f_contiguous
        assert labels.shape == (m,) and labels.dtype == np.uint8
        assert 0.0 <= x.min() and x.max() <= 1.0
    np.testing.assert_array_equal(training[1], mnist_train[1][:50_000])
    np.testing.assert_array_equal(validation[1], mnist_train[1][-10_000:])
    np.testing.assert_array_equal(test[1], mnist_test[1])
    np.testing.assert_array_equal(
        validation[0][:, 0], mnist_train[0][50_000].ravel() / np.float32(255)
    )
    np.testing.assert_array_equal(test[0][:, -1], mnist_test[0][-1].ravel() / np.float32(255))


def test_load_data_validation_size(mnist_dir):
    training, validation, _ = data.load_data(
        mnist_dir, download=False, validation_size=0, progress=False
    )
    assert training[0].shape == (784, 60_000) and validation[0].shape == (784, 0)
    with pytest.raises(ValueError, match="validation_size"):
        data.load_data(mnist_dir, download=False, validation_size=60_001)


# --------------------------------------------------------------------------------------
# Hardening: headers and lines far beyond MNIST's sizes
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_refuses_dimensions_that_multiply_past_2_to_the_63(tmp_path, compress):
    """Four dimensions of 65,536 make 2**64 elements, which int64 wraps round to 0: the file
    (a header and no data) must be refused as truncated, naming it, not crash in reshape."""
    header = bytes([0, 0, 0x08, 4]) + (65_536).to_bytes(4, "big") * 4
    path = tmp_path / "huge.idx"
    path.write_bytes(gzip.compress(header) if compress else header)
    with pytest.raises(DataError, match=r"huge\.idx: truncated data: shape \(65536, 65536"):
        data.read_idx(path)


def test_read_csv_refuses_one_huge_line_in_bounded_memory(tmp_path):
    """A 100 MB file holding one line is refused from its first few kilobytes."""
    import tracemalloc

    path = tmp_path / "one_line.csv"
    with open(path, "w") as file:
        for _ in range(100):
            file.write("0," * (1 << 19))  # 1 MiB each
    tracemalloc.start()
    try:
        with pytest.raises(DataError, match=r"one_line\.csv: line 1 is longer than"):
            data.read_csv(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"{peak:,} bytes to refuse a one-line file"


def test_read_csv_refuses_a_huge_line_after_a_good_first_line(tmp_path):
    path = tmp_path / "second_line.csv"
    path.write_text(",".join(["0"] * 785) + "\n" + "0," * 200_000 + "0\n")
    with pytest.raises(DataError, match=r"second_line\.csv: line 2 is longer than"):
        data.read_csv(path)


@pytest.mark.parametrize(("separator", "word"), [(";", "semicolons"), ("\t", "tabs")])
@pytest.mark.parametrize("header", [True, False])
def test_read_csv_says_when_the_separator_looks_wrong(tmp_path, separator, word, header):
    rows = [["label", *(f"pixel{i}" for i in range(784))]] if header else []
    rows.append(["7", *["0"] * 784])
    path = tmp_path / "digits.csv"
    path.write_text("\n".join(separator.join(row) for row in rows) + "\n")
    with pytest.raises(DataError, match=f"digits.csv: line 1 has no commas but 784 {word}") as info:
        data.read_csv(path)
    assert "separator looks wrong" in str(info.value)
