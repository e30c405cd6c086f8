"""mlp.data.download, for real, against a small HTTP server on 127.0.0.1.

Each "mirror" is a path prefix on the one local server, and misbehaves in its own way:
``/missing/`` answers 404, ``/corrupt/`` serves the right length with one byte changed,
``/drop/`` promises the whole file and hangs up half-way, ``/stall/`` sends half and then
goes quiet, and ``/good/`` serves the file as it is.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from mlp import data
from mlp.data import DataError

SMALL = "small-images-idx3-ubyte.gz"


class Handler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}  # set per server, below
    stall_seconds = 3.0

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        parts = self.path.split("/", 2)  # "/good/name" -> ["", "good", "name"]
        mode, name = parts[1:] if len(parts) == 3 else ("missing", "")
        content = self.files.get(name)
        if mode == "missing" or content is None:
            self.send_error(404, "Not Found")
            return
        if mode == "corrupt":
            changed = bytearray(content)
            changed[len(changed) // 2] ^= 0xFF
            content = bytes(changed)
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        if mode in ("drop", "stall"):
            self.wfile.write(content[: len(content) // 2])
            self.wfile.flush()
            if mode == "stall":
                time.sleep(self.stall_seconds)
            self.close_connection = True
            return
        self.wfile.write(content)

    def log_message(self, *args: object) -> None:
        pass  # keep the test output clean


@pytest.fixture
def server():
    """Start a server on a free port of 127.0.0.1; yield ``(base_url, files)``."""
    handler = type("TestHandler", (Handler,), {"files": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    host, port = httpd.server_address[:2]
    try:
        yield f"http://{host}:{port}", handler.files
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def small_file(server) -> tuple[bytes, str]:
    """A small gzip IDX file served by the test server; returns ``(content, sha256)``."""
    _, files = server
    images = np.random.default_rng(0).integers(0, 256, size=(50, 28, 28), dtype=np.uint8)
    raw = bytes([0, 0, 8, 3]) + np.array(images.shape, ">u4").tobytes() + images.tobytes()
    content = gzip.compress(raw, mtime=0)
    files[SMALL] = content
    return content, hashlib.sha256(content).hexdigest()


def closed_port() -> str:
    """The URL of a port on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def test_download_falls_through_to_a_working_mirror(server, small_file, tmp_path, capsys):
    base, _ = server
    content, digest = small_file
    mirrors = [
        f"{base}/missing/",
        f"{base}/corrupt/",
        f"{base}/drop/",
        closed_port(),
        base + "/good",
    ]
    path = data.download(SMALL, tmp_path, mirrors=mirrors, progress=False, sha256=digest)
    assert path == tmp_path / SMALL
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [SMALL]  # no partial files left
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 4  # one line per failed mirror
    assert "HTTP error 404" in lines[0]
    assert "checksum mismatch" in lines[1]
    assert "connection closed after" in lines[2] and str(len(content)) in lines[2]
    assert "cannot connect" in lines[3]
    assert data.read_idx(path).shape == (50, 28, 28)


def test_download_when_every_mirror_fails(server, small_file, tmp_path):
    base, _ = server
    _, digest = small_file
    mirrors = [f"{base}/missing/", f"{base}/corrupt/", f"{base}/drop/", closed_port()]
    with pytest.raises(DataError) as info:
        data.download(SMALL, tmp_path / "new", mirrors=mirrors, progress=False, sha256=digest)
    message = str(info.value)
    for mirror in mirrors:
        assert mirror.rstrip("/") + "/" + SMALL in message
    assert "HTTP error 404" in message and "checksum mismatch" in message
    assert "copy it into" in message and "MNIST_DIR" in message
    assert list((tmp_path / "new").iterdir()) == []  # nothing that looks like a file


def test_download_gives_up_on_a_silent_mirror(server, small_file, tmp_path):
    base, _ = server
    content, digest = small_file
    start = time.monotonic()
    path = data.download(
        SMALL,
        tmp_path,
        [f"{base}/stall/", f"{base}/good/"],
        timeout=0.5,
        progress=False,
        sha256=digest,
    )
    assert time.monotonic() - start < 2.5  # the stalled mirror was abandoned after 0.5 s
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == [SMALL]


def test_download_does_not_touch_an_existing_file_when_it_fails(server, small_file, tmp_path):
    base, _ = server
    _, digest = small_file
    (tmp_path / SMALL).write_bytes(b"old")
    with pytest.raises(DataError):
        data.download(SMALL, tmp_path, [f"{base}/drop/"], progress=False, sha256=digest)
    assert (tmp_path / SMALL).read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == [SMALL]


def test_download_shows_progress(server, small_file, tmp_path, capsys):
    base, _ = server
    content, digest = small_file
    data.download(SMALL, tmp_path, [base + "/good/"], progress=True, sha256=digest)
    err = capsys.readouterr().err
    assert f"100% {len(content)}/{len(content)} {SMALL}" in err


def test_download_needs_a_checksum(tmp_path):
    with pytest.raises(ValueError, match="no SHA-256 known"):
        data.download("unknown.gz", tmp_path, mirrors=[], progress=False)


def test_download_checks_against_the_module_table(server, tmp_path):
    """Without sha256=, the table of MNIST sums decides: other bytes under an MNIST name fail."""
    base, files = server
    files["t10k-labels-idx1-ubyte.gz"] = gzip.compress(b"not mnist")
    with pytest.raises(DataError, match="checksum mismatch"):
        data.download("t10k-labels-idx1-ubyte.gz", tmp_path, [base + "/good/"], progress=False)
    assert list(tmp_path.iterdir()) == []


def test_load_mnist_downloads_the_test_split(server, mnist_dir, mnist_test, tmp_path, capsys):
    """End to end with the real files: missing locally, fetched, verified, read."""
    base, files = server
    for name in data.FILES["test"]:
        files[name] = data.find_file(name, mnist_dir).read_bytes()
    folder = tmp_path / "fresh" / "data"
    images, labels = data.load_mnist(
        "test", folder, progress=False, mirrors=[f"{base}/drop/", f"{base}/good/"]
    )
    np.testing.assert_array_equal(images, mnist_test[0])
    np.testing.assert_array_equal(labels, mnist_test[1])
    assert sorted(p.name for p in folder.iterdir()) == sorted(data.FILES["test"])
    assert capsys.readouterr().err.count("connection closed") == 2  # once per file
    # The second time nothing is downloaded: the server is gone, the files are used.
    again = data.load_mnist("test", folder, progress=False, mirrors=[])
    np.testing.assert_array_equal(again[1], labels)


def test_load_mnist_replaces_nothing_when_the_download_fails(tmp_path):
    with pytest.raises(DataError, match="could not download t10k-images-idx3-ubyte.gz"):
        data.load_mnist("test", tmp_path, progress=False, mirrors=[closed_port()])
    assert list(tmp_path.iterdir()) == []


def test_mirrors_are_urls():
    assert data.MIRRORS and all(m.startswith(("https://", "http://")) for m in data.MIRRORS)


def test_download_skips_a_mirror_that_is_not_a_url(server, small_file, tmp_path, capsys):
    base, _ = server
    content, digest = small_file
    path = data.download(
        SMALL, tmp_path, ["not a url", base + "/good/"], progress=False, sha256=digest
    )
    assert path.read_bytes() == content
    assert "not a url" in capsys.readouterr().err


def test_download_into_a_folder_that_cannot_exist(small_file, tmp_path):
    _, digest = small_file
    (tmp_path / "file").write_text("a file, not a folder")
    with pytest.raises(DataError, match="cannot write a file here"):
        data.download(SMALL, tmp_path / "file" / "data", ["http://127.0.0.1:9/"], sha256=digest)


# --------------------------------------------------------------------------------------
# Fashion-MNIST: checked by the SHA-256 of the unpacked contents
# --------------------------------------------------------------------------------------


def test_download_checks_the_unpacked_contents(server, tmp_path, capsys):
    """With Fashion-MNIST's table, any gzip of the right contents passes, nothing else."""
    base, files = server
    name = "t10k-labels-idx1-ubyte.gz"
    labels = np.tile(np.arange(10, dtype=np.uint8), 1000)
    raw = bytes([0, 0, 8, 1]) + np.array([10_000], ">u4").tobytes() + labels.tobytes()
    wrong = bytearray(raw)
    wrong[-1] ^= 1
    files[name] = gzip.compress(raw, compresslevel=9, mtime=0)
    files[f"wrong/{name}"] = gzip.compress(bytes(wrong), mtime=0)
    files[f"truncated/{name}"] = files[name][:-10]  # a complete response, a cut-off stream
    files[f"plain/{name}"] = raw
    dataset = data.FASHION_MNIST._replace(sha256={"t10k-labels-idx1-ubyte": _sha(raw)})
    mirrors = [f"{base}/good/{kind}/" for kind in ("wrong", "truncated", "plain")]
    path = data.download(
        name, tmp_path, [*mirrors, f"{base}/good/"], progress=False, dataset=dataset
    )
    assert gzip.decompress(path.read_bytes()) == raw
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no partial files left
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 3
    assert (
        f"checksum mismatch after {len(files[f'wrong/{name}'])} bytes (SHA-256 of the "
        "unpacked contents" in lines[0]
    )
    assert "gzip data is truncated or corrupted" in lines[1]
    assert "not a gzip file" in lines[2]


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def test_load_fashion_mnist_downloads_the_test_split(server, fashion_dir, tmp_path, capsys):
    """End to end with the real files, served compressed differently from the local copies."""
    base, files = server
    local = {}
    for name in data.FILES["test"]:
        content = gzip.decompress(data.find_file(name, fashion_dir).read_bytes())
        files[name] = gzip.compress(content, compresslevel=1, mtime=0)
        local[name] = content
    folder = tmp_path / "fresh" / "fashion-mnist"
    images, labels = data.load_fashion_mnist(
        "test", folder, progress=False, mirrors=[f"{base}/drop/", f"{base}/good/"]
    )
    assert images.shape == (10_000, 28, 28) and labels[:3].tolist() == [9, 2, 1]
    assert sorted(p.name for p in folder.iterdir()) == sorted(data.FILES["test"])
    for name in data.FILES["test"]:
        assert gzip.decompress((folder / name).read_bytes()) == local[name]
    assert capsys.readouterr().err.count("connection closed") == 2  # once per file
    again = data.load_fashion_mnist("test", folder, progress=False, mirrors=[])
    np.testing.assert_array_equal(again[1], labels)


def test_load_fashion_mnist_refuses_mnist_from_a_mirror(server, mnist_dir, tmp_path):
    """A mirror serving MNIST under the same names is refused, and nothing is written."""
    base, files = server
    for name in data.FILES["test"]:
        files[name] = data.find_file(name, mnist_dir).read_bytes()
    with pytest.raises(DataError) as info:
        data.load_fashion_mnist("test", tmp_path, progress=False, mirrors=[f"{base}/good/"])
    message = str(info.value)
    assert "checksum mismatch" in message and "SHA-256 of the unpacked contents" in message
    assert "FASHION_MNIST_DIR" in message
    assert list(tmp_path.iterdir()) == []


def test_load_fashion_mnist_replaces_nothing_when_the_download_fails(tmp_path):
    with pytest.raises(DataError) as info:
        data.load_fashion_mnist("test", tmp_path, progress=False, mirrors=[closed_port()])
    assert "could not download t10k-images-idx3-ubyte.gz" in str(info.value)
    assert "FASHION_MNIST_DIR" in str(info.value)
    assert list(tmp_path.iterdir()) == []
