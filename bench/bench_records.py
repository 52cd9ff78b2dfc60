"""Keeping records by hand on a big CRM: duplicate detection as the record form asks for it
(every Save), and a CSV import that names possible duplicates per line.

    .venv/bin/python bench/bench_records.py                 # 100 000 contacts, 1 000 imported
    .venv/bin/python bench/bench_records.py --records 20000 --rows 200

Prints the figures as JSON. The CRM's names are deliberately crowded (5 000 surnames of one
length and first letter), the worst case for the database's narrowing by length and letter.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from app.crm.csv_import import import_csv
from app.crm.duplicates import duplicates_of
from app.crm.models import Contact, EmailAddress, Record, SystemUser
from app.crm.records import create_user
from app.db import Database, open_database
from app.tracking.model import RecordType

FIRST_NAMES = ("Jan", "Anna", "Piotr", "Ewa", "Tomasz", "Katarzyna", "Marek", "Agnieszka", "Łukasz")
SURNAMES = (*(f"Nazwisko{n:04d}" for n in range(5000)), "Kowalski", "Nowak", "Wiśniewski")


def fill(database: Database, records: int, rng: random.Random) -> int:
    with database.sessions.begin() as session:
        owner = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
        ids = session.scalars(
            Record.__table__.insert().returning(Record.__table__.c.id),
            [{"type": "contact", "active": True, "owner_id": owner.id}] * records,
        ).all()
        session.execute(
            Contact.__table__.insert(),
            [
                {"id": i, "first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(SURNAMES)}
                for i in ids
            ],
        )
        session.execute(
            EmailAddress.__table__.insert(),
            [
                {"record_id": i, "email": f"k{i}@firma{i % 900}.pl",
                 "normalized": f"k{i}@firma{i % 900}.pl", "position": 0}
                for i in ids
            ],
        )  # fmt: skip
        return owner.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rows", type=int, default=1_000)
    args = parser.parse_args()
    rng = random.Random(7)
    folder = Path(tempfile.mkdtemp(prefix="liaison-bench-records-"))
    database = open_database(f"sqlite:///{folder}/crm.sqlite3", "crm")
    owner_id = fill(database, args.records, rng)
    probes = [
        {"first_name": "Jan", "last_name": "Kowalski", "emails": ["k77@firma77.pl"]},
        {"first_name": "Lukasz", "last_name": "Wisniewski", "emails": []},
        {"first_name": "Ewa", "last_name": "Nazwisko0042", "emails": ["ewa@nowa-firma.pl"]},
    ]
    timings: list[float] = []
    with database.sessions() as session:
        for _ in range(10):
            for values in probes:
                started = time.perf_counter()
                duplicates_of(session, RecordType.CONTACT, values)
                timings.append((time.perf_counter() - started) * 1000)
    csv_file = folder / "contacts.csv"
    lines = (
        f"{rng.choice(FIRST_NAMES)},{rng.choice(SURNAMES)},nowy{n}@nowa{n}.pl,\n"
        for n in range(args.rows)
    )
    csv_file.write_text("first_name,last_name,email,account\n" + "".join(lines), encoding="utf-8")
    with database.sessions() as session:
        owner = session.get(SystemUser, owner_id)
        assert owner is not None
        started = time.perf_counter()
        report = import_csv(session, "contacts", csv_file, owner, skip_bad=False)
        seconds = time.perf_counter() - started
        session.rollback()
    database.dispose()
    print(
        json.dumps(
            {
                "records": args.records,
                "duplicate_check_ms_median": round(statistics.median(timings), 1),
                "duplicate_check_ms_max": round(max(timings), 1),
                "import_rows": args.rows,
                "import_seconds": round(seconds, 2),
                "import_rows_per_second": round(args.rows / seconds),
                "import_lines_with_possible_duplicates": len(report.duplicates),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
