"""Every file the project writes is written whole or not at all, and a write that fails says so in one line.

A file is written into a hidden part file beside its place (`.NAME.<pid>.part`), flushed to the disk,
then renamed over the old one (`os.replace`, atomic on one file system): a crash, a kill or a full disk
leaves the old file or none, never half of one. A part file whose process is gone is swept away the
next time the same file is written. Folders that must be writable are tried before long work starts.
(No library is used: the standard library's `os.replace` is the whole mechanism, and the maintained
packages for it wrap exactly these few lines.)
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Union

from emoji_lab.common.errors import EmojiLabError

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once: files get the usual permissions (a part file starts as 0600)


class WriteError(EmojiLabError):
    """A file the project could not write: which, and why (a full disk, a read-only folder, ...)."""

    def __init__(self, path: Path, exc: OSError, kept: str = "") -> None:
        reason = exc.strerror or str(exc)
        super().__init__(f"cannot write {path} ({reason})" + (f"; {kept}" if kept else ""))
        self.path, self.reason = path, reason


def alive(pid: int) -> bool:
    """Whether a process with this id is running (a part file of a live process is not swept)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def part_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.part")


def put_in_place(part: Path, path: Path) -> None:
    """A finished part file becomes `path` in one step, with the permissions any new file of the user gets."""
    os.chmod(part, 0o666 & ~_UMASK)
    os.replace(part, path)


def sweep_parts(path: Path) -> None:
    """Remove the part files of `path` that a process now gone left behind (killed while writing)."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for left in path.parent.iterdir():
            pid = left.name[len(prefix):-len(".part")] if left.name.endswith(".part") else ""
            if left.name.startswith(prefix) and pid.isdigit() and not alive(int(pid)):
                left.unlink(missing_ok=True)


def write_whole(path: Union[str, Path], data: Union[bytes, str], kept: str = "") -> Path:
    """Write `data` (text is UTF-8) to `path` whole or not at all; a WriteError names the path and why,
    and `kept` says what stays as it was."""
    path = Path(path)
    content = data.encode("utf-8") if isinstance(data, str) else data
    part = part_path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep_parts(path)
        with open(part, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        put_in_place(part, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        raise WriteError(path, exc, kept) from None
    return path


def check_writable(folder: Union[str, Path], advice: str) -> Path:
    """`folder` exists (made if need be) and takes a file; else one line saying why, with `advice`."""
    folder = Path(folder).expanduser()
    probe = folder / f".emoji_lab-write-test.{os.getpid()}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise EmojiLabError(f"cannot write in {folder} ({exc.strerror or exc}); {advice}") from None
    return folder
