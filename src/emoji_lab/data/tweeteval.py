"""TweetEval emoji: the real data for the course, fetched only when asked for, checked, and cached.

The bundled corpus is enough to learn on. For the real benchmark (about 45,000 training tweets
labelled with 20 emoji, from the TweetEval benchmark, Barbieri et al. 2020) the files come from
cardiffnlp/tweeteval pinned at one commit. That way every learner trains on the same bytes. Each
file is streamed into a temporary file beside its final place and checked against the SHA-256 and
size below. Only then is it moved into place, so the cache never holds a half-written or wrong
file, and a verified file is never downloaded twice.

Where the download is blocked, a learner can place the files by hand. An instructor can point
`EMOJI_LAB_TWEETEVAL_URL` at a local mirror, and any folder holding the files can be used
directly as `tweeteval:DIR`.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from emoji_lab.common import paths
from emoji_lab.common.errors import DataError
from emoji_lab.common.files import part_path, put_in_place, sweep_parts

COMMIT = "4fbd22cd78421f05b1ecdb4fc5725bc7a7bd8f66"
BASE_URL = f"https://raw.githubusercontent.com/cardiffnlp/tweeteval/{COMMIT}/datasets/emoji/"
URL_ENV = "EMOJI_LAB_TWEETEVAL_URL"
DOWNLOAD_COMMAND = "python -m emoji_lab data download tweeteval"

FILES: Mapping[str, tuple[str, int]] = {
    "mapping.txt": ("ac172bfbb0972d875a832224f48602472279be365454e3bce01084689100f4d3", 543),
    "train_text.txt": ("eacb6b0ee1fe2803d72a009c2e731fe07659f604318a979951d2f07c23c564a1", 3353167),
    "train_labels.txt": ("daee7da826683dbfa50ad3a29c60bc527e498f06c70eabee3745a99cc37ab3a5", 102760),
    "val_text.txt": ("3bc3742d6af404cea792671878684d110f3bc02fd79a2e34643789a521d81a26", 341079),
    "val_labels.txt": ("21ba456f688668d049ff0fb1fa04469ee684cf4e2467c71d2c3fe5ca2ba1bd1a", 11379),
    "test_text.txt": ("e4de11de1597842c431dd67868e83322f5a432564dfd8558889ed8ac6a1a5e09", 3705901),
    "test_labels.txt": ("c1662b84788f36674ab8f0106f3e2e7d3e258ddf4959086ac7cc75b1e68dd1f6", 114435),
}
REQUIRED = ("mapping.txt", "train_text.txt", "train_labels.txt", "val_text.txt", "val_labels.txt")
OPTIONAL = ("test_text.txt", "test_labels.txt")  # the held-out benchmark: fetched on request only

TIMEOUT_S = 30.0  # per connection attempt and per read: a stalled server fails instead of hanging
CHUNK = 1 << 16

_NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError,
                   TimeoutError, ssl.SSLError)
# Files this process has hashed and found good, keyed by (path, size, mtime_ns, sha256).
_VERIFIED: set[tuple[str, int, int, str]] = set()

Table = Mapping[str, tuple[str, int]]
Start = Callable[[str, int], Callable[[int], None]]


def cache_folder() -> Path:
    """Where downloads land: one folder per pinned commit, so a new pin never mixes with old files."""
    return paths.cache_dir() / "tweeteval-emoji" / COMMIT[:12]


def download(dest: Path | None = None, *, base_url: str | None = None, include_test: bool = True,
             progress: bool = True, files: Table | None = None) -> Path:
    """Fetch every missing or damaged file into `dest` (default: the cache), verified; returns the folder.

    `base_url` overrides `EMOJI_LAB_TWEETEVAL_URL`, which overrides `BASE_URL`. `files` replaces the
    checksum table (name -> (sha256, size)). Tests use it to serve synthetic files.
    """
    folder = Path(dest) if dest is not None else cache_folder()
    table = FILES if files is None else files
    _make_folder(folder)
    todo = [n for n in _wanted(table, include_test) if not _is_good(folder / n, *table[n])]
    _fetch_all(folder, _base_url(base_url), todo, table, progress)
    return folder


def ensure_local(include_test: bool = False, *, download: bool = False, progress: bool = True,
                 files: Table | None = None) -> Path:
    """Return the cache folder once its files are verified; with `download=False` it never uses the network.

    Missing or damaged files are fetched when `download` is true. Otherwise a DataError names the
    command to run. A file is hashed once per process; after that, the same size and mtime are trusted.
    """
    folder = cache_folder()
    table = FILES if files is None else files
    bad = [n for n in _wanted(table, include_test) if not _is_good(folder / n, *table[n], memo=True)]
    if bad and not download:
        raise DataError(f"TweetEval emoji data is not downloaded yet (missing or damaged in {folder}: "
                        f"{', '.join(bad)}); run `{DOWNLOAD_COMMAND}`, or use tweeteval:DIR with a "
                        "folder that holds the files")
    if bad:
        _make_folder(folder)
        _fetch_all(folder, _base_url(None), bad, table, progress)
    return folder


def verify_folder(folder: Path, *, include_test: bool = False, files: Table | None = None) -> list[str]:
    """Files missing from `folder` or with the wrong SHA-256, so a hand-placed folder can be checked."""
    table = FILES if files is None else files
    return [n for n in _wanted(table, include_test) if not _is_good(Path(folder) / n, *table[n])]


def _wanted(table: Table, include_test: bool) -> list[str]:
    """The files a call is about: all of them, or all but the held-out test split."""
    return [n for n in table if include_test or n not in OPTIONAL]


def _base_url(override: str | None) -> str:
    """The argument first, then the environment (local mirrors, tests), then upstream; always ends in '/'."""
    base = override or os.environ.get(URL_ENV) or BASE_URL
    return base if base.endswith("/") else base + "/"


def _is_good(path: Path, sha: str, size: int, *, memo: bool = False) -> bool:
    """Size first (cheap), then the hash; with `memo`, a file this process already hashed is trusted."""
    try:
        st = path.stat()
    except OSError:
        return False
    if st.st_size != size or not path.is_file():
        return False
    if memo and (str(path), st.st_size, st.st_mtime_ns, sha) in _VERIFIED:
        return True
    if _sha256(path) != sha:
        return False
    _remember(path, sha)
    return True


def _remember(path: Path, sha: str) -> None:
    """Note a file as verified at its current size and mtime, so ensure_local need not hash it again."""
    st = path.stat()
    _VERIFIED.add((str(path), st.st_size, st.st_mtime_ns, sha))


def _sha256(path: Path) -> str:
    """Hash in chunks, so memory stays flat whatever the file size."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _make_folder(folder: Path) -> None:
    """Create the destination, turning a permission problem into advice."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(folder, exc) from None


def _fetch_all(folder: Path, base: str, names: list[str], table: Table, progress: bool) -> None:
    """Fetch the named files one after another, under one progress display."""
    with _progress_bar(progress and bool(names)) as start:
        for name in names:
            _fetch(base + name, folder, name, *table[name], start)


def _fetch(url: str, folder: Path, name: str, sha: str, size: int, start: Start) -> None:
    """Stream one file into a part file beside its target, verify it, then move it into place, readable by the
    other accounts of a shared cache as any file the user makes (a part file left by a killed download is
    removed by the next one)."""
    sweep_parts(folder / name)
    tmp = part_path(folder / name)
    try:
        out = open(tmp, "wb")
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    try:
        with out:
            got, digest = _stream(url, out, size, start(name, size))
        _check(url, folder, name, got, digest, sha, size)
        put_in_place(tmp, folder / name)
        _remember(folder / name, sha)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise DataError(f"could not download {name}: HTTP {exc.code} {_line(exc.reason)} from {url}; "
                        f"{_by_hand(url, folder)}") from None
    except _NETWORK_ERRORS as exc:
        raise DataError(f"could not download {name} from {url} ({_line(getattr(exc, 'reason', exc))}); "
                        f"{_by_hand(url, folder)}") from None
    except OSError as exc:
        raise _unwritable(folder, exc) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # gone already after a successful os.replace; removed on any failure or Ctrl-C


def _stream(url: str, out: BinaryIO, size: int, advance: Callable[[int], None]) -> tuple[int, str]:
    """Copy the response to `out` chunk by chunk, hashing as it goes; stops once past the expected size."""
    h, got = hashlib.sha256(), 0
    request = urllib.request.Request(url, headers={"User-Agent": "emoji_lab"})
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
        while got <= size and (chunk := response.read(CHUNK)):
            out.write(chunk)
            h.update(chunk)
            got += len(chunk)
            advance(len(chunk))
    return got, h.hexdigest()


def _check(url: str, folder: Path, name: str, got: int, digest: str, sha: str, size: int) -> None:
    """Refuse a short file (cut connection) or one whose size or SHA-256 is not the pinned one."""
    if got < size:
        raise DataError(f"download of {name} from {url} stopped after {got} of {size} bytes "
                        f"(connection dropped); {_by_hand(url, folder)}")
    if got != size or digest != sha:
        raise DataError(f"{name} from {url} failed its checksum (expected SHA-256 {sha[:12]}... and "
                        f"{size} bytes) and was discarded; check that the server holds TweetEval "
                        f"commit {COMMIT[:12]}, or {_by_hand(url, folder)}")


def _by_hand(url: str, folder: Path) -> str:
    """The way out when the network fails: place the file yourself, or use a folder you already have."""
    return (f"retry later, or download {url} yourself into {folder}, or use tweeteval:DIR with a "
            "folder that holds the TweetEval emoji files")


def _unwritable(folder: Path, exc: OSError) -> DataError:
    """A disk or permission problem while writing to the cache."""
    return DataError(f"cannot write TweetEval files into {folder} ({_line(exc.strerror or exc)}); "
                     "check that it is writable and has free space, or set EMOJI_LAB_CACHE to another folder")


def _line(reason: object) -> str:
    """Exception text folded onto one line, because error messages are shown as one line."""
    return " ".join(str(reason).split())


@contextlib.contextmanager
def _progress_bar(enabled: bool) -> Iterator[Start]:
    """Yield `start(name, size) -> advance(nbytes)`: a rich bar with name, bytes and speed, or nothing."""
    if not enabled:
        yield lambda name, size: lambda nbytes: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())
    from rich.console import Console

    with Progress(*columns, console=Console(stderr=True)) as bar:  # stdout may carry --json output
        def start(name: str, size: int) -> Callable[[int], None]:
            task = bar.add_task(name, total=size)
            return lambda nbytes: bar.advance(task, nbytes)

        yield start
