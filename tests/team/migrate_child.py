"""Open the CRM store at argv[1] the moment the file argv[2] appears (not a test module).

Two of these start together in the migration-lock test; the file is the starting gun, so both
reach Alembic at the same instant.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.db import open_database


def main() -> int:
    url, gun = sys.argv[1], Path(sys.argv[2])
    while not gun.exists():
        time.sleep(0.005)
    open_database(url, "crm").dispose()
    print("migrated", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
