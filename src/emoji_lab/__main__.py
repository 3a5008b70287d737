"""Entry point of `python -m emoji_lab`."""

import sys

from emoji_lab.cli import main

if __name__ == "__main__":
    sys.exit(main())
