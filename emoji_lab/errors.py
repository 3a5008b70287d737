"""Errors a learner can act on: the CLI and the REPL show them as one line, never a traceback."""


class EmojiLabError(Exception):
    """Base class: the message alone must tell the learner what went wrong and what to do."""


class DataError(EmojiLabError):
    """Bad or missing input data (empty file, wrong encoding, failed download, ...)."""
