"""`python crash_at.py K ARM -m MODULE ARGS...`: run MODULE as `python -m` would, and kill it (SIGKILL: no handler,
no cleanup, as a power cut or the out-of-memory killer) just before its K-th change to the file system counted from
the first change to a path containing ARM ('' counts from the start). With K = 0 it is not killed and prints to
stderr, at exit, how many changes it made from there: the crash tests run it once that way, then once per point.

Changes are seen through Python's audit events (PEP 578): a file opened for writing, a rename or replace, a remove,
a folder made or removed, a tree removed, a mode changed. The code under test is the real one, unchanged.
"""

from __future__ import annotations

import atexit
import os
import runpy
import signal
import sys

CHANGES = {"open", "os.rename", "os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree", "os.chmod", "os.truncate",
           "os.link", "os.symlink", "shutil.move", "shutil.copyfile"}


def main() -> None:
    kill_at, arm = int(sys.argv[1]), sys.argv[2]
    assert sys.argv[3] == "-m"
    module, sys.argv = sys.argv[4], [sys.argv[4], *sys.argv[5:]]
    state = {"armed": not arm, "count": 0}

    def hook(event: str, args: tuple) -> None:
        if event not in CHANGES or (event == "open" and not _writes(args)):
            return
        if not state["armed"]:
            if arm not in str(args[0]):
                return
            state["armed"] = True
        state["count"] += 1
        if state["count"] == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    if kill_at == 0:
        atexit.register(lambda: print(f"crash_at: {state['count']} changes", file=sys.stderr))
    sys.addaudithook(hook)
    runpy.run_module(module, run_name="__main__", alter_sys=True)


def _writes(args: tuple) -> bool:
    mode, flags = (args + (None, None))[1:3]
    return (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
        isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) != 0)


if __name__ == "__main__":
    main()
