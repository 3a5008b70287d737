"""Run learner, demo and solution code in the namespace with the standard console's rules and short tracebacks."""

from __future__ import annotations

import ast
import builtins
import codeop
import contextlib
import io
import linecache
import os
import sys
import traceback
from types import CodeType, TracebackType
from typing import Any, Callable, Optional

from emoji_lab.common.errors import EmojiLabError
from emoji_lab.repl.terminal import mend_streams

_ENGINE_DIR = os.path.dirname(os.path.abspath(__file__))
_MAX_FRAMES = 4


class Runner:
    """Compiles and executes code; Ctrl-C (KeyboardInterrupt) and SystemExit pass through to the caller."""

    def __init__(self, display: Optional[Callable[[Any], None]] = None) -> None:
        self._compiler = codeop.CommandCompiler()
        self._count = 0
        self._display = display

    def _filename(self, kind: str, source: str) -> str:
        self._count += 1
        name = f"<{kind}-{self._count}>"
        # Register the source so tracebacks can show the learner's lines, each ending with a newline as a file's do:
        # the traceback module counts it when it places the caret (^^^) under a line.
        lines = (source if source.endswith("\n") else source + "\n").splitlines(True)
        linecache.cache[name] = (len(source), None, lines, name)
        return name

    def compile_input(self, source: str) -> Optional[CodeType]:
        """Code for a line (or block) typed at the prompt; None if more lines are needed; raises SyntaxError."""
        filename = f"<input-{self._count + 1}>"
        try:
            code = self._compiler(source, filename, "single")
        except (SyntaxError, OverflowError, ValueError):
            self._count += 1  # the next input gets a name of its own
            raise
        if code is not None:
            self._filename("input", source)
        return code

    def run_code(self, code: CodeType, ns: dict[str, Any]) -> Optional[BaseException]:
        """Execute compiled input; returns the exception it raised (already shown by nobody), or None."""
        old_hook = sys.displayhook
        if self._display is not None:
            sys.displayhook = self._displayhook
        try:
            exec(code, ns)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 - anything the learner's code raises is reported, not fatal
            return exc
        finally:
            sys.displayhook = old_hook
            mend_streams()
        return None

    def run_block(self, source: str, ns: dict[str, Any], kind: str = "code", echo_last: bool = True,
                  quiet: bool = False) -> Optional[BaseException]:
        """Run a demo or a solution: statements in order, the value of a final expression echoed like at the prompt."""
        filename = self._filename(kind, source)
        try:
            tree = ast.parse(source, filename, "exec")
        except SyntaxError as exc:
            return exc
        codes = []
        if echo_last and tree.body and isinstance(tree.body[-1], ast.Expr):
            head = ast.Module(body=tree.body[:-1], type_ignores=[])
            codes.append(compile(head, filename, "exec"))
            codes.append(compile(ast.Interactive(body=[tree.body[-1]]), filename, "single"))
        else:
            codes.append(compile(tree, filename, "exec"))
        with _quiet(quiet):
            for code in codes:
                exc = self.run_code(code, ns)
                if exc is not None:
                    return exc
        return None

    def _displayhook(self, value: Any) -> None:
        if value is None:
            return
        builtins._ = None  # type: ignore[attr-defined]
        assert self._display is not None
        self._display(value)
        builtins._ = value  # type: ignore[attr-defined]


@contextlib.contextmanager
def _quiet(quiet: bool):
    if not quiet:
        yield
        return
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        yield


def quietly(fn: Callable[..., Any], *args: Any) -> Any:
    """Call fn with its printing (progress bars, logs) swallowed."""
    with _quiet(True):
        return fn(*args)


def _is_engine(filename: str) -> bool:
    return os.path.dirname(os.path.abspath(filename)) == _ENGINE_DIR if not filename.startswith("<") else False


def format_exception(exc: BaseException) -> str:
    """The error as the learner needs it: their own frames (and where it was raised), then the message.

    emoji_lab's own errors (EmojiLabError) are one line, never a traceback.
    """
    if isinstance(exc, EmojiLabError):
        return f"error: {exc}"
    if isinstance(exc, SyntaxError):
        # Frames say nothing useful about a typo: show the line, the caret and the message.
        return "".join(traceback.format_exception_only(type(exc), exc)).rstrip()
    tb: Optional[TracebackType] = exc.__traceback__
    while tb is not None and _is_engine(tb.tb_frame.f_code.co_filename):
        tb = tb.tb_next
    tbe = traceback.TracebackException(type(exc), exc, tb, compact=True)
    frames = list(tbe.stack)
    ours = [f for f in frames if f.filename.startswith("<")]
    keep = ours[:]
    if frames and frames[-1] not in keep:
        keep.append(frames[-1])  # where it was actually raised, even inside a library
    hidden = len(frames) - len(keep)
    if len(keep) > _MAX_FRAMES:
        hidden += len(keep) - _MAX_FRAMES
        keep = keep[:1] + keep[-(_MAX_FRAMES - 1):]
    tbe.stack = traceback.StackSummary.from_list(keep)
    lines = list(tbe.format(chain=False))
    text = "".join(lines).rstrip() + _did_you_mean(exc, text_so_far="".join(lines))
    if hidden:
        text_lines = text.splitlines()
        text_lines.insert(1, f"  ({hidden} library frame{'s' if hidden != 1 else ''} hidden)")
        text = "\n".join(text_lines)
    return text


def _did_you_mean(exc: BaseException, text_so_far: str) -> str:
    """Python 3.12's "Did you mean" for a misspelt name, which 3.10 and 3.11 print only in their own console."""
    name = getattr(exc, "name", None)
    if not isinstance(exc, NameError) or not name or "Did you mean" in text_so_far or exc.__traceback__ is None:
        return ""
    import difflib

    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame
    known = set(frame.f_locals) | set(frame.f_globals) | set(dir(builtins))
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
    return f". Did you mean: '{close[0]}'?" if close else ""
