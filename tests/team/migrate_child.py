"""Open the CRM store at argv[1] the moment the file argv[2] appears (not a test module).

Several of these start together in the migration-lock test; each says READY once imported, and
the file is the starting gun, so all reach Alembic at the same instant.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.db import open_database
from tests.team.starting_line import wait_for_gun


def main() -> int:
    url, gun = sys.argv[1], Path(sys.argv[2])
    wait_for_gun(gun)
    open_database(url, "crm").dispose()
    print("migrated", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
