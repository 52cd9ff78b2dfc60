"""Entry point: `liaison` and `python -m app`."""

from __future__ import annotations

import sys


def main() -> int:
    from app import collector
    from app.cli import run

    collector.tune()
    return run(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
