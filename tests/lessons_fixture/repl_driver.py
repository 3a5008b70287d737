"""Drive `python -m emoji_lab.repl` in a subprocess with piped input, the way a learner's session runs (tests only)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Optional, Sequence

FIXTURES = Path(__file__).resolve().parent
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"


def env_for(home: Path, lessons: Optional[Sequence[Path]] = None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("EMOJI_LAB_LESSONS", "EMOJI_LAB_FIXTURE_SLOW", "FORCE_COLOR", "EMOJI_LAB_DEBUG", "EMOJI_LAB_IOS"):
        env.pop(key, None)
    env.update(EMOJI_LAB_HOME=str(home), EMOJI_LAB_CACHE=str(home / "cache"), NO_COLOR="1", COLUMNS="80",
               LINES="40", PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1", TERM="dumb",
               EMOJI_LAB_BACKGROUND="off")  # also for a module's fixture, which conftest's setting does not reach
    if lessons:
        env["EMOJI_LAB_LESSONS"] = os.pathsep.join(str(p) for p in lessons)
    env.update(extra)
    return env


def repl(home: Path, lines: Sequence[str] = (), args: Sequence[str] = (), lessons: Optional[Sequence[Path]] = None,
         timeout: float = 30, **extra: str) -> subprocess.CompletedProcess:
    """Run one session: `lines` are typed one per line, then input ends (Ctrl-D) unless a line says bye."""
    text = "".join(line + "\n" for line in lines)
    return subprocess.run([sys.executable, "-m", "emoji_lab.repl", *args], input=text, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, env=env_for(home, lessons, **extra))


class LiveRepl:
    """A session kept open: send lines, wait for output, send signals. Reads in a thread so waits can time out."""

    def __init__(self, home: Path, args: Sequence[str] = (), lessons: Optional[Sequence[Path]] = None,
                 sigint_ignored: bool = False, **extra: str) -> None:
        """`sigint_ignored`: start it as a shell's background job or `nohup` does, with SIGINT ignored (POSIX)."""
        ignore = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if sigint_ignored else None
        self.proc = subprocess.Popen([sys.executable, "-m", "emoji_lab.repl", *args], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     env=env_for(home, lessons, **extra), preexec_fn=ignore)
        self._chunks: list[bytes] = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                return
            with self._lock:
                self._chunks.append(chunk)

    @property
    def output(self) -> str:
        with self._lock:
            return b"".join(self._chunks).decode("utf-8", "replace")

    def wait_for(self, marker: str, timeout: float = 20, start: int = 0) -> int:
        """Wait until `marker` appears in the output after position `start`; returns the position after it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.output
            pos = out.find(marker, start)
            if pos >= 0:
                return pos + len(marker)
            if self.proc.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"timed out waiting for {marker!r}; output so far:\n{self.output}")

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((line + "\n").encode("utf-8"))
        self.proc.stdin.flush()

    def close(self, timeout: float = 20) -> int:
        try:
            if self.proc.stdin:
                self.proc.stdin.close()
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self._reader.join(timeout=5)
