"""Team CRM benchmark: many clients tracking mail into one PostgreSQL store at once.

A store of 100 000 records (20 000 accounts, 70 000 contacts, 10 000 leads, all with
addresses) on a throwaway PostgreSQL cluster (tests/support/postgres.py; or --url). Ten clients,
each a process of its own with its own profile and replica, first fill their replicas, then at
one signal each track 1 000 messages the way a sync run does on arrival: the tracking pipeline
on the replica's index, auto-creating contacts for unknown senders, one replica transaction per
page of 50, the CRM changes pushed to the store at the end of the run. 20% of each client's
messages are shared with other clients (the same Internet Message-ID, as when colleagues are
all in To), and a third of the senders are unknown, many to more than one client, so clients
race on one activity per message and one contact per new address.

Printed: activities per second (store activities / wall time from the signal to the last
client done), duplicates (message ids with more than one activity, addresses with more than one
contact: must be 0), losses (messages tracked by some client but missing from the store), the
time of a first full replica fill, and the replica refresh time of a client that was offline
while 1 000 changes were made by others.

    .venv/bin/python bench/bench_team.py            # 10 clients, 1 000 messages, 100 000 records
    .venv/bin/python bench/bench_team.py --quick    # 3 clients, 200 messages, 10 000 records
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.postgres starts the throwaway cluster

from app.config import profile_paths  # noqa: E402
from app.crm.activities import HOW_AUTOMATIC, apply_decision  # noqa: E402
from app.crm.index_loader import load_tracking_index, tracked_activity  # noqa: E402
from app.crm.models import Contact  # noqa: E402
from app.crm.org import load_org_settings  # noqa: E402
from app.crm.records import record_ref  # noqa: E402
from app.db import open_database  # noqa: E402
from app.mailbox.mime import parse_message  # noqa: E402
from app.mailbox.personal_options import load_personal_options, set_personal_option  # noqa: E402
from app.team.membership import connect  # noqa: E402
from app.tracking.pipeline import decide  # noqa: E402
from app.workspace import Workspace  # noqa: E402

PAGE = 50
FIRST = ["Jan", "Anna", "Piotr", "Ewa", "Klaus", "Marta", "Łukasz", "Zofia", "Sarah", "Olga"]
LAST = ["Kowalski", "Nowak", "Wiśniewska", "Becker", "Zając", "Müller", "Lewandowski", "Król"]


def seed_store(url: str, records: int) -> None:
    """Accounts, contacts and leads with addresses, written straight to the store."""
    database = open_database(url, "crm")
    accounts, leads = records // 5, records // 10
    contacts = records - accounts - leads
    rows: dict[str, list[dict[str, Any]]] = {
        "records": [],
        "accounts": [],
        "contacts": [],
        "leads": [],
        "email_addresses": [],
    }
    for n in range(1, records + 1):
        kind = "account" if n <= accounts else "contact" if n <= accounts + contacts else "lead"
        rows["records"].append({"id": n, "type": kind, "active": True})
        if kind == "account":
            rows["accounts"].append({"id": n, "name": f"Firma {n} Sp. z o.o."})
            email = f"biuro@firma-{n}.example"
        else:
            first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
            email = f"{first.lower()}.{n}@klient-{n % 997}.example"
            table = "contacts" if kind == "contact" else "leads"
            rows[table].append({"id": n, "first_name": first, "last_name": last})
        rows["email_addresses"].append(
            {"record_id": n, "email": email, "normalized": email.lower(), "position": 0}
        )
    metadata = sa.MetaData()
    with database.engine.begin() as connection:
        for name, batch in rows.items():
            table = sa.Table(name, metadata, autoload_with=connection)
            for start in range(0, len(batch), 10_000):
                connection.execute(table.insert(), batch[start : start + 10_000])
        connection.execute(sa.text("SELECT setval('records_id_seq', :n)"), {"n": records})
    database.dispose()


def known_senders(records: int) -> list[str]:
    accounts, leads = records // 5, records // 10
    return [
        f"{FIRST[n % len(FIRST)].lower()}.{n}@klient-{n % 997}.example"
        for n in range(accounts + 1, records - leads + 1)
    ]


def plan(clients: int, per_client: int, records: int, seed: int = 20261123) -> list[list[dict]]:
    """Each client's messages: 80% its own, 20% from a pool shared with the others."""
    rng = random.Random(seed)
    known = known_senders(records)
    unknown = [
        f"{FIRST[n % 10]} {LAST[n % 8]} <nowy.{n}@prospekt-{n % 50}.example>" for n in range(800)
    ]
    shared_count = per_client // 5
    pool = [_message(rng, f"shared-{n}", known, unknown) for n in range(shared_count * 2)]
    return [
        [_message(rng, f"c{c}-{n}", known, unknown) for n in range(per_client - shared_count)]
        + rng.sample(pool, shared_count)
        for c in range(clients)
    ]


def _message(rng: random.Random, key: str, known: list[str], unknown: list[str]) -> dict:
    sender = rng.choice(unknown) if rng.random() < 1 / 3 else rng.choice(known)
    return {"key": key, "sender": sender, "subject": f"Zapytanie {key}"}


def raw_message(message: dict, to: str) -> bytes:
    email = EmailMessage()
    email["From"] = message["sender"]
    email["To"] = to
    email["Subject"] = message["subject"]
    email["Date"] = format_datetime(datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    email["Message-ID"] = f"<{message['key']}@bench.example>"
    email.set_content("Dzień dobry, proszę o ofertę.\n")
    return email.as_bytes()


def client_address(number: int) -> str:
    return f"handlowiec.{number}@brightwave.example"


# One client (a child process)


def run_client(number: int, gun: Path, messages_file: Path) -> None:
    messages = json.loads(messages_file.read_text(encoding="utf-8"))
    with Workspace.open() as workspace:
        with workspace.crm.sessions() as session:
            index = load_tracking_index(session)
            org = load_org_settings(session)
            user = record_ref(workspace.owner(session))
        with workspace.local.sessions() as session:
            options = load_personal_options(session)
        print(json.dumps({"ready": number}), flush=True)
        while not gun.exists():
            time.sleep(0.01)
        began = time.monotonic()
        tracked = 0
        for start in range(0, len(messages), PAGE):
            with workspace.crm.sessions.begin() as session:
                owner = workspace.owner(session)
                for message in messages[start : start + PAGE]:
                    parsed = parse_message(raw_message(message, client_address(number)))
                    decision = decide(parsed.facts, index, options, org, user)
                    outcome = apply_decision(
                        session, parsed, decision, owner, HOW_AUTOMATIC, outgoing=False
                    )
                    if outcome is None:
                        continue
                    tracked += 1
                    index.add_activity(tracked_activity(outcome.activity))
                    if outcome.created_record is not None:
                        created = outcome.created_record
                        index.add_record(record_ref(created), list(created.emails))
        tracking = time.monotonic() - began
        # As the sync engine does: the run's index holds the ids it wrote, so the CRM changes
        # go to the store (and the replica settles its provisional ids) after the run.
        final = workspace.sync_crm()
        assert final is not None and final.refreshed is not None
    result = {
        "done": number,
        "tracked": tracked,
        "pending": final.pending,
        "tracking": tracking,
        "push_and_refresh": time.monotonic() - began - tracking,
    }
    print(json.dumps(result), flush=True)


# The parent


def make_client(home: Path, number: int, url: str) -> tuple[dict[str, str], float]:
    """A profile connected to the store; returns its environment and the replica's first fill
    time (connecting fills the replica)."""
    env = {**os.environ, "LIAISON_HOME": str(home / f"client-{number}"), "PYTHONPATH": str(ROOT)}
    env.pop("LIAISON_PROFILE", None)
    os.environ["LIAISON_HOME"] = env["LIAISON_HOME"]
    with Workspace.open() as workspace:
        workspace.initialise(client_address(number), f"Handlowiec {number}")
        with workspace.local.sessions.begin() as session:
            set_personal_option(session, "track", "all")
            set_personal_option(session, "autocreate", "contact")
    refreshed = connect(profile_paths().ensure(), url).report.refreshed
    assert refreshed is not None
    return env, refreshed.seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="3 clients, 200 messages, 10 000 records"
    )
    parser.add_argument("--url", help="a PostgreSQL database of your own (it is filled!)")
    parser.add_argument("--client", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--gun", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--messages", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client is not None:
        run_client(args.client, args.gun, args.messages)
        return 0
    clients, per_client, records = (3, 200, 10_000) if args.quick else (10, 1_000, 100_000)
    with ExitStack() as stack:
        if args.url:
            url = args.url
        else:
            from tests.support.postgres import postgres_server

            url = stack.enter_context(postgres_server())
        home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-team-")))
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
        print(
            f"Store: {records:,} records; {clients} clients x {per_client:,} messages, 20% shared"
        )
        started = time.monotonic()
        seed_store(url, records)
        print(f"  seeded the store in {time.monotonic() - started:.1f} s")
        made = [make_client(home, n, url) for n in range(clients)]
        envs = [env for env, _ in made]
        fills = [seconds for _, seconds in made]
        messages = plan(clients, per_client, records)
        gun = home / "go"
        children = []
        for n, env in enumerate(envs):
            messages_file = home / f"messages-{n}.json"
            messages_file.write_text(json.dumps(messages[n]), encoding="utf-8")
            children.append(
                subprocess.Popen(
                    [sys.executable, __file__, "--client", str(n), "--gun", str(gun),
                     "--messages", str(messages_file)],
                    env=env, stdout=subprocess.PIPE, text=True,
                )
            )  # fmt: skip
        for child in children:  # each has loaded its tracking index and waits for the signal
            child.stdout.readline()  # type: ignore[union-attr]
        print(f"replica first fill ({records:,} records): {max(fills):.1f} s slowest, "
              f"{sum(fills) / len(fills):.1f} s mean (one client at a time)")  # fmt: skip
        started = time.monotonic()
        gun.touch()
        results = [
            json.loads(child.communicate()[0].strip().splitlines()[-1]) for child in children
        ]
        seconds = time.monotonic() - started
        report_store(url, messages, results, seconds)
        report_refresh(envs, url)
    return 0


def report_store(url: str, messages: list[list[dict]], results: list[dict], seconds: float) -> None:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        activities = connection.scalar(sa.text("SELECT count(*) FROM email_activities"))
        duplicate_messages = connection.scalar(
            sa.text("SELECT count(*) FROM (SELECT message_id FROM email_activities "
                    "GROUP BY message_id HAVING count(*) > 1) d")
        )  # fmt: skip
        duplicate_contacts = connection.scalar(
            sa.text("SELECT count(*) FROM (SELECT a.normalized FROM email_addresses a JOIN "
                    "contacts c ON c.id = a.record_id GROUP BY a.normalized HAVING count(*) > 1) d")
        )  # fmt: skip
        stored = set(connection.scalars(sa.text("SELECT message_id FROM email_activities")))
        links = connection.scalar(sa.text("SELECT count(*) FROM activity_mailboxes"))
    engine.dispose()
    wanted = {f"<{m['key']}@bench.example>" for client in messages for m in client}
    sightings = sum(len(client) for client in messages)
    print(f"  tracked {sum(r['tracked'] for r in results):,} sightings of {len(wanted):,} messages "
          f"in {seconds:.1f} s; pending after: {sum(r['pending'] for r in results)}")  # fmt: skip
    tracking = max(r["tracking"] for r in results)
    pushing = max(r["push_and_refresh"] for r in results)
    print(f"  slowest client: tracking into its replica {tracking:.1f} s, "
          f"push and refresh {pushing:.1f} s")  # fmt: skip
    print(f"activities/s: {activities / seconds:,.0f}  ({activities:,} activities, "
          f"{links:,} mailbox links for {sightings:,} sightings)")  # fmt: skip
    print(f"duplicates: {duplicate_messages + duplicate_contacts}  (messages "
          f"{duplicate_messages}, auto-created contacts {duplicate_contacts})")  # fmt: skip
    print(f"losses: {len(wanted - stored)}")


def report_refresh(envs: list[dict[str, str]], url: str) -> None:
    """Client 0, up to date, goes offline; client 1 makes 1 000 changes; client 0 comes back."""
    os.environ["LIAISON_HOME"] = envs[0]["LIAISON_HOME"]
    with Workspace.open() as workspace:
        workspace.sync_crm()  # what the others sent after client 0 finished
    os.environ["LIAISON_HOME"] = envs[1]["LIAISON_HOME"]
    with Workspace.open() as workspace:
        with workspace.crm.sessions.begin() as session:
            contacts = session.scalars(sa.select(Contact).order_by(Contact.id).limit(1_000)).all()
            for contact in contacts:
                contact.job_title = "Kierownik zakupów"
        report = workspace.sync_crm()
        assert report is not None and report.online and report.pending == 0
    os.environ["LIAISON_HOME"] = envs[0]["LIAISON_HOME"]
    with Workspace.open() as workspace:
        started = time.monotonic()
        report = workspace.sync_crm()
        seconds = time.monotonic() - started
        assert report is not None and report.refreshed is not None
        with workspace.crm.sessions() as session:
            changed = session.scalar(
                sa.select(sa.func.count()).where(Contact.job_title == "Kierownik zakupów")
            )
    print(f"replica refresh after 1 000 changes: {seconds:.2f} s "
          f"({report.refreshed.rows:,} rows; {changed:,} contacts show the change)")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
