"""Errors a learner can act on: the CLI and the REPL show them as one line, never a traceback."""


class EmojiLabError(Exception):
    """Base class: the message alone must tell the learner what went wrong and what to do."""


class DataError(EmojiLabError):
    """Bad or missing input data (empty file, wrong encoding, failed download, ...)."""


def run_command(action) -> int:
    """Run a command-line action: an EmojiLabError becomes one `error:` line (exit 2), Ctrl-C exits 130.

    Ctrl-C works even when the command was started with SIGINT ignored (a shell's background job, `nohup`):
    Python would leave it ignored, and a training could not be stopped.
    """
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        return action()
    except EmojiLabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while this one is handled changes nothing
        print("\ninterrupted", file=sys.stderr)
        return 130
