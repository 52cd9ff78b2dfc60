"""Entry point: `liaison` and `python -m app`."""

from __future__ import annotations

import sys


def main() -> int:
    from app.cli import run

    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
