"""Writes Liaison's demo data: Brightwave Sp. z o.o.'s quarter (September to November 2026).

    .venv/bin/python tools/make_demo.py [--out DIR]

Standard library only and seeded, so every run writes the same bytes. Without --out it rewrites
the app's demo data in resources/demo; README.md there says what each file holds. The generator
stays in tools/: the app ships only what it writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from demogen.build import build_demo
from demogen.output import write_demo

DEMO_DIR = Path(__file__).resolve().parents[1] / "resources" / "demo"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEMO_DIR, help="directory to write into (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
        counts = write_demo(build_demo(), args.out)
    except OSError as error:
        print(f"make_demo: cannot write to {args.out}: {error}", file=sys.stderr)
        return 2
    summary = ", ".join(f"{number} {name}" for name, number in counts.items())
    print(f"Wrote {summary} to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
