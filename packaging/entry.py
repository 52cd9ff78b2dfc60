"""What the frozen executables run: the same entry point as the `liaison` command."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
