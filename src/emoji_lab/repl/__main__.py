"""Entry point so that `python -m emoji_lab.repl` starts the guided console."""

import sys

from emoji_lab.repl.cli import main

if __name__ == "__main__":
    sys.exit(main())
