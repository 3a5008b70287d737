"""The TweetEval downloader against a local HTTP mirror on 127.0.0.1: no test reaches the internet."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
from pathlib import Path

import pytest

from emoji_lab.common.errors import DataError
from emoji_lab.data import tweeteval

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "tweeteval-emoji"
PREFIX = f"/cardiffnlp/tweeteval/{tweeteval.COMMIT}/datasets/emoji/"


class Mirror:
    """Synthetic files in TweetEval layout, served over HTTP, with requests counted and faults on demand."""

    def __init__(self, root: Path, port: int):
        self.top = root
        self.root = root / PREFIX.strip("/")
        self.base_url = f"http://127.0.0.1:{port}{PREFIX}"
        self.requests: list[str] = []
        self.cut: set[str] = set()    # send a Content-Length larger than the body, then close
        self.slow: set[str] = set()   # answer nothing until the test is over
        self.release = threading.Event()
        self.root.mkdir(parents=True)
        self.table = {name: self._write(name) for name in tweeteval.FILES}

    def _write(self, name: str) -> tuple[str, int]:
        data = "".join(f"{name} synthetic line {i}\n" for i in range(200)).encode()
        (self.root / name).write_bytes(data)
        return hashlib.sha256(data).hexdigest(), len(data)

    def names(self) -> list[str]:
        return [p.rsplit("/", 1)[-1] for p in self.requests]


def _handler(mirror: Mirror) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(mirror.top), **kwargs)

        def do_GET(self):
            mirror.requests.append(self.path)
            name = self.path.rsplit("/", 1)[-1]
            if name in mirror.slow:
                mirror.release.wait(5)
                return
            if name in mirror.cut:
                body = (mirror.root / name).read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                self.wfile.flush()
                self.close_connection = True
                return
            super().do_GET()

        def log_message(self, *args):
            pass

    return Handler


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    """A ThreadingHTTPServer on 127.0.0.1 (free port) in a thread; the cache points into tmp_path."""
    monkeypatch.setenv("EMOJI_LAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv(tweeteval.URL_ENV, raising=False)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    served = Mirror(tmp_path / "mirror", server.server_address[1])
    server.RequestHandlerClass = _handler(served)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield served
    served.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def _get(mirror: Mirror, **kwargs) -> Path:
    return tweeteval.download(base_url=mirror.base_url, progress=False, files=mirror.table, **kwargs)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".part")


def test_constants_and_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("EMOJI_LAB_CACHE", str(tmp_path))
    assert tweeteval.BASE_URL.endswith(f"/{tweeteval.COMMIT}/datasets/emoji/")
    assert set(tweeteval.FILES) == set(tweeteval.REQUIRED) | set(tweeteval.OPTIONAL)
    assert all(len(sha) == 64 and size > 0 for sha, size in tweeteval.FILES.values())
    assert tweeteval.cache_folder() == tmp_path / "tweeteval-emoji" / tweeteval.COMMIT[:12]


def test_full_download_lands_verified_files(mirror):
    folder = _get(mirror)
    assert folder == tweeteval.cache_folder()
    assert sorted(mirror.names()) == sorted(tweeteval.FILES)
    assert all(r.startswith(PREFIX) for r in mirror.requests)
    for name in tweeteval.FILES:
        assert (folder / name).read_bytes() == (mirror.root / name).read_bytes()
    assert tweeteval.verify_folder(folder, include_test=True, files=mirror.table) == []
    assert _leftovers(folder) == []


def test_second_call_makes_no_requests(mirror):
    _get(mirror)
    mirror.requests.clear()
    _get(mirror)
    assert mirror.requests == []


def test_include_test_false_skips_the_test_split(mirror, tmp_path):
    folder = _get(mirror, dest=tmp_path / "elsewhere", include_test=False)
    assert folder == tmp_path / "elsewhere"
    assert sorted(mirror.names()) == sorted(tweeteval.REQUIRED)
    assert tweeteval.verify_folder(folder, files=mirror.table) == []
    assert tweeteval.verify_folder(folder, include_test=True, files=mirror.table) == list(tweeteval.OPTIONAL)


def test_checksum_mismatch_leaves_nothing(mirror):
    sha, size = mirror.table["train_text.txt"]
    mirror.table["train_text.txt"] = ("0" * 64, size)
    with pytest.raises(DataError, match="train_text.txt") as info:
        _get(mirror)
    assert "checksum" in str(info.value) and "\n" not in str(info.value)
    folder = tweeteval.cache_folder()
    assert not (folder / "train_text.txt").exists()
    assert _leftovers(folder) == []


def test_cut_download_leaves_nothing(mirror):
    mirror.cut.add("train_labels.txt")
    with pytest.raises(DataError, match="train_labels.txt") as info:
        _get(mirror)
    message = str(info.value)
    assert "tweeteval:DIR" in message and "\n" not in message
    folder = tweeteval.cache_folder()
    assert not (folder / "train_labels.txt").exists()
    assert _leftovers(folder) == []


def test_http_404_names_file_and_manual_placement(mirror):
    (mirror.root / "val_text.txt").unlink()
    with pytest.raises(DataError) as info:
        _get(mirror)
    message = str(info.value)
    assert "val_text.txt" in message and "404" in message
    assert mirror.base_url + "val_text.txt" in message
    assert str(tweeteval.cache_folder()) in message and "tweeteval:DIR" in message
    assert "\n" not in message
    assert _leftovers(tweeteval.cache_folder()) == []


def test_corrupt_cached_file_is_fetched_again(mirror):
    folder = _get(mirror)
    target = folder / "train_labels.txt"
    data = target.read_bytes()
    target.write_bytes(b"X" + data[1:])  # same size, wrong hash
    mirror.requests.clear()
    _get(mirror)
    assert mirror.names() == ["train_labels.txt"]
    assert target.read_bytes() == data


def test_unreachable_server_gives_one_line_error(mirror):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(DataError, match="mapping.txt") as info:
        tweeteval.download(base_url=f"http://127.0.0.1:{port}/emoji", progress=False, files=mirror.table)
    message = str(info.value)
    assert "\n" not in message and "tweeteval:DIR" in message
    assert f"http://127.0.0.1:{port}/emoji/mapping.txt" in message


def test_stalled_server_times_out(mirror, monkeypatch):
    monkeypatch.setattr(tweeteval, "TIMEOUT_S", 0.3)
    mirror.slow.add("mapping.txt")
    with pytest.raises(DataError, match="mapping.txt") as info:
        _get(mirror)
    assert "timed out" in str(info.value)
    assert _leftovers(tweeteval.cache_folder()) == []


def test_ctrl_c_removes_the_temporary_file(mirror, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch, pytest.raises(KeyboardInterrupt):
        patch.setattr(tweeteval.os, "replace", interrupted)
        _get(mirror)
    folder = tweeteval.cache_folder()
    assert list(folder.iterdir()) == []


def test_env_var_points_at_a_mirror_and_argument_wins(mirror, monkeypatch):
    monkeypatch.setenv(tweeteval.URL_ENV, mirror.base_url.rstrip("/"))
    folder = tweeteval.download(progress=False, files=mirror.table, include_test=False)
    assert tweeteval.verify_folder(folder, files=mirror.table) == []
    monkeypatch.setenv(tweeteval.URL_ENV, "http://127.0.0.1:9/nowhere/")
    _get(mirror, include_test=True)  # the argument overrides the environment
    assert tweeteval.verify_folder(folder, include_test=True, files=mirror.table) == []


def test_progress_bar_runs(mirror, capsys):
    tweeteval.download(base_url=mirror.base_url, progress=True, files=mirror.table)
    assert tweeteval.verify_folder(tweeteval.cache_folder(), files=mirror.table) == []


def test_ensure_local_without_download_says_what_to_run(mirror):
    with pytest.raises(DataError) as info:
        tweeteval.ensure_local(files=mirror.table)
    message = str(info.value)
    assert tweeteval.DOWNLOAD_COMMAND in message and "\n" not in message
    assert mirror.requests == []


def test_ensure_local_downloads_on_request_then_stays_offline(mirror, monkeypatch):
    monkeypatch.setenv(tweeteval.URL_ENV, mirror.base_url)
    folder = tweeteval.ensure_local(download=True, progress=False, files=mirror.table)
    assert folder == tweeteval.cache_folder()
    assert sorted(mirror.names()) == sorted(tweeteval.REQUIRED)
    mirror.requests.clear()
    assert tweeteval.ensure_local(files=mirror.table) == folder
    (folder / "val_labels.txt").unlink()
    with pytest.raises(DataError, match="val_labels.txt"):
        tweeteval.ensure_local(files=mirror.table)
    assert mirror.requests == []


@pytest.mark.skipif(not REAL.is_dir(), reason=f"no local TweetEval copy at {REAL}")
def test_real_hashes_match_the_shared_copy():
    assert tweeteval.verify_folder(REAL) == []
    assert tweeteval.verify_folder(REAL, include_test=True) == list(tweeteval.OPTIONAL)
