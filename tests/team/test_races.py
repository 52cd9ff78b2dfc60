"""Clients in separate processes racing each other on one store: the database, not luck, keeps
one activity per message and one contact per auto-created address."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.crm.models import Contact, EmailActivity
from tests.sync.engine.conftest import mime
from tests.team.conftest import Client, Team, finish_children, start_child, wait_until_ready

TEAM = [
    ("anna", "anna.nowak@brightwave.example", "Anna Nowak"),
    ("piotr", "piotr.zielinski@brightwave.example", "Piotr Zieliński"),
    ("ewa", "ewa.wisniewska@brightwave.example", "Ewa Wiśniewska"),
]
CUSTOMERS = [
    "Jan Kowalski <jan.kowalski@hurtownia-wisla.example>",
    "Maria Lewandowska <m.lewandowska@kancelaria-lex.example>",
    "Tomasz Wójcik <tomasz@wojcik-transport.example>",
    "Sarah Miller <sarah.miller@northwind.example>",
]


def write_message(folder: Path, number: int, sender: str, to: list[Client]) -> Path:
    raw = mime(
        sender,
        ", ".join(f"{client.name} <{client.address}>" for client in to),
        f"Zapytanie ofertowe nr {number}",
        message_id=f"<zapytanie-{number}@klient.example>",
    )
    path = folder / f"{number}.eml"
    path.write_bytes(raw)
    return path


def race(clients: list[Client], messages: dict[str, list[Path]], gun: Path) -> list[Any]:
    children = [
        start_child(client, "track", str(gun), *map(str, messages[client.profile]))
        for client in clients
    ]
    wait_until_ready(children)
    gun.touch()
    return finish_children(children)


def test_clients_tracking_the_same_messages_at_once_make_one_activity_each_linked_to_all(
    team: Team, tmp_path: Path, rows: Callable[..., list[Any]]
) -> None:
    clients = [team.client(p, a, n, track="all", autocreate="contact") for p, a, n in TEAM]
    shared = [write_message(tmp_path, n, CUSTOMERS[n % 4], clients) for n in range(12)]
    messages = {client.profile: shared for client in clients}

    results = race(clients, messages, tmp_path / "go")

    assert [result["pending"] for result in results] == [0, 0, 0]
    per_message = rows(
        "SELECT e.message_id, count(DISTINCT e.id), count(m.id) FROM email_activities e "
        "LEFT JOIN activity_mailboxes m ON m.activity_id = e.id GROUP BY e.message_id"
    )
    assert sorted(per_message) == sorted(
        (f"<zapytanie-{n}@klient.example>", 1, 3) for n in range(12)
    )


def test_clients_auto_creating_a_contact_for_one_new_address_at_once_make_one_contact(
    team: Team, tmp_path: Path, rows: Callable[..., list[Any]]
) -> None:
    clients = [team.client(p, a, n, track="all", autocreate="contact") for p, a, n in TEAM]
    # Different messages, the same four unknown senders: every client creates each contact.
    messages = {
        client.profile: [
            write_message(tmp_path, 100 * i + n, CUSTOMERS[n % 4], [client]) for n in range(8)
        ]
        for i, client in enumerate(clients)
    }

    race(clients, messages, tmp_path / "go")

    contacts = rows(
        "SELECT a.normalized, count(*) FROM contacts c JOIN email_addresses a "
        "ON a.record_id = c.id GROUP BY a.normalized"
    )
    assert sorted(contacts) == sorted(
        (address.split("<")[1].rstrip(">"), 1) for address in CUSTOMERS
    )
    unlinked_senders = rows(
        "SELECT count(*) FROM activity_parties WHERE role = 'sender' AND record_id IS NULL"
    )
    assert unlinked_senders == [(0,)]
    assert rows("SELECT count(*) FROM email_activities") == [(24,)]


def test_after_the_race_every_replica_shows_one_activity_and_one_contact_each(
    team: Team, tmp_path: Path
) -> None:
    clients = [team.client(p, a, n, track="all", autocreate="contact") for p, a, n in TEAM[:2]]
    shared = [write_message(tmp_path, n, CUSTOMERS[0], clients) for n in range(5)]

    race(clients, {client.profile: shared for client in clients}, tmp_path / "go")

    for client in clients:
        client.sync()
        with client.workspace() as workspace, workspace.crm.sessions() as session:
            activities = session.scalars(select(EmailActivity)).all()
            contacts = session.scalars(select(Contact)).all()
            assert sorted(a.message_id or "" for a in activities) == sorted(
                f"<zapytanie-{n}@klient.example>" for n in range(5)
            )
            assert [c.emails for c in contacts] == [["jan.kowalski@hurtownia-wisla.example"]]
            assert all(a.id < 1 << 31 for a in activities), "provisional ids left in the replica"
