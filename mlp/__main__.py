"""``python -m mlp``: the command line of ``mlp.cli``."""

import sys

from mlp.cli import main

if __name__ == "__main__":
    sys.exit(main())
