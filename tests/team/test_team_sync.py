"""Three colleagues, each with their own mailbox and Liaison, syncing into one team CRM in
separate processes, one of them offline for a while: nothing twice, nothing lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.accounts import new_account, save_account
from app.mailbox.models import MailItem
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import mime
from tests.team.conftest import Client, Team, finish_children, start_child

COLLEAGUES = [("anna", "Anna Nowak"), ("piotr", "Piotr Zieliński"), ("ewa", "Ewa Wiśniewska")]
CUSTOMERS = [
    "Jan Kowalski <jan.kowalski@hurtownia-wisla.example>",
    "Maria Lewandowska <m.lewandowska@kancelaria-lex.example>",
    "Tomasz Wójcik <tomasz@wojcik-transport.example>",
    "Sarah Miller <sarah.miller@northwind.example>",
    "Krzysztof Dąbrowski <k.dabrowski@agro-pol.example>",
]
SHARED = 6
OWN = 4


def colleague(sandbox: Sandbox, team: Team, profile: str, name: str) -> tuple[Client, SandboxUser]:
    user = sandbox.new_user(name, domain="brightwave.example")
    client = team.client(profile, user.address, name, track="all", autocreate="contact")
    with client.workspace() as workspace:
        save_account(workspace, new_account(user.address, sandbox.url), user.password)
    return client, user


def deliver(sandbox: Sandbox, number: int, sender: str, to: list[SandboxUser]) -> str:
    message_id = f"<zapytanie-{number}@klient.example>"
    raw = mime(
        sender,
        ", ".join(f"{user.display_name} <{user.address}>" for user in to),
        f"Zapytanie ofertowe nr {number}",
        message_id=message_id,
    )
    for user in to:
        sandbox.server.deliver(user.address, raw)
    return message_id


def sync_all(pairs: list[tuple[Client, SandboxUser]]) -> list[dict[str, Any]]:
    """One sync per colleague, all at the same time, each in a process of its own."""
    return finish_children(
        [start_child(client, "sync", password=user.password) for client, user in pairs]
    )


def cached_activity_ids(client: Client) -> dict[str, int | None]:
    with client.workspace() as workspace, workspace.local.sessions() as session:
        return {
            item.internet_message_id or "": item.activity_id
            for item in session.scalars(
                select(MailItem).where(MailItem.tracking_state == "tracked")
            )
        }


def test_colleagues_syncing_at_once_one_offline_for_a_while_lose_nothing_and_double_nothing(
    sandbox: Sandbox, team: Team, rows: Callable[..., list[Any]]
) -> None:
    pairs = [colleague(sandbox, team, profile, name) for profile, name in COLLEAGUES]
    users = [user for _, user in pairs]
    shared = [deliver(sandbox, n, CUSTOMERS[n % 5], users) for n in range(SHARED)]
    own = {
        user.address: [
            deliver(sandbox, 100 * (i + 1) + n, CUSTOMERS[(i + n) % 5], [user]) for n in range(OWN)
        ]
        for i, user in enumerate(users)
    }
    ewa = pairs[2][0]
    ewa.go_offline()

    first = sync_all(pairs)
    ewa.come_back()
    second = sync_all(pairs)

    assert [r["mail"] for r in first] == ["online"] * 3
    assert [r["crm_online"] for r in first] == [True, True, False]
    assert first[2]["pending"] > 0
    assert [(r["crm_online"], r["pending"]) for r in second] == [(True, 0)] * 3
    # The store: every message once, linked to every mailbox it is in; every customer once.
    activities = dict(
        rows(
            "SELECT e.message_id, count(m.id) FROM email_activities e "
            "JOIN activity_mailboxes m ON m.activity_id = e.id GROUP BY e.message_id"
        )
    )
    expected = {message_id: 3 for message_id in shared} | {
        message_id: 1 for ids in own.values() for message_id in ids
    }
    assert activities == expected
    assert rows("SELECT count(*), count(DISTINCT message_id) FROM email_activities") == [
        (len(expected), len(expected))
    ]
    contacts = rows(
        "SELECT a.normalized, count(*) FROM contacts c "
        "JOIN email_addresses a ON a.record_id = c.id GROUP BY a.normalized"
    )
    assert sorted(contacts) == sorted((c.split("<")[1].rstrip(">"), 1) for c in CUSTOMERS)
    # Every colleague's mailbox cache names the store's activity for each of their messages.
    store_ids = dict(rows("SELECT message_id, id FROM email_activities"))
    for client, user in pairs:
        ids = shared + own[user.address]
        assert cached_activity_ids(client) == {m: store_ids[m] for m in ids}, client.profile
