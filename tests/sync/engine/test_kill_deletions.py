"""Appointments and tasks deleted in Liaison, then sync killed with SIGKILL at random moments and
restarted: each deletion does what the user chose, exactly once (one copy in Deleted Items, the
kept item still in the calendar untracked, nothing put back). Over EWS and over Microsoft Graph
(events, and To Do's tasks); what reached the server is read through EWS either way."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import run
from app.crm.models import Activity, Appointment, Task
from app.mailbox.models import OutboxEntry
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import mime
from tests.sync.engine.profiles import child_env, configure_account
from tests.sync.engine.test_kill_and_restart import kill_child_mid_sync, run_child

KILLS = 5
MESSAGES = 30
# Deleted in Liaison: (kind, subject, what the user chose for the Exchange item).
DELETIONS = (
    ("appointment", "Przegląd kwartalny – Acme", "delete"),
    ("appointment", "Wizyta u klienta – Nova Retail", "keep"),
    ("appointment", "Jour fixe Müller GmbH", "delete"),
    ("appointment", "Szkolenie z wdrożenia", "keep"),
    ("task", "Angebot für Müller GmbH vorbereiten", "delete"),
    ("task", "Oddzwonić do Nova Retail", "keep"),
)


def prepare(
    sandbox: Sandbox, home: Path, monkeypatch: pytest.MonkeyPatch, over: str
) -> tuple[SandboxUser, dict[str, str]]:
    """Anna's profile, synced over "ews" or "graph", with coming appointments and open tasks on
    Exchange, and enough mail that a sync takes a while."""
    user: SandboxUser = sandbox.new_user("Anna Nowak", domain="brightwave.example")
    for n in range(MESSAGES):
        raw = mime(f"Klient {n} <klient{n}@firma.example>", user.address, f"Zamówienie nr {n}")
        sandbox.server.deliver(user.address, raw)
    monkeypatch.setenv("LIAISON_HOME", str(home))
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    with Workspace.open() as workspace:
        workspace.initialise(user.address, "Anna Nowak")
        env = child_env(home, configure_account(workspace, sandbox, user, over))
        with workspace.crm.sessions.begin() as session:
            owner = workspace.owner(session).id
            for hours, (kind, subject, _) in enumerate(DELETIONS):
                begins = start + timedelta(hours=hours)
                session.add(
                    Appointment(
                        owner_id=owner,
                        subject=subject,
                        start=begins,
                        end=begins + timedelta(minutes=45),
                        is_all_day=False,
                    )
                    if kind == "appointment"
                    else Task(owner_id=owner, subject=subject, due=begins, status="InProgress")
                )
    assert run_child(env) == 0
    return user, env


def activity_ids() -> dict[str, int]:
    with Workspace.open() as workspace, workspace.crm.sessions() as session:
        return {a.subject: a.id for a in session.scalars(select(Activity))}


def removals_done() -> int:
    with Workspace.open() as workspace, workspace.local.sessions() as session:
        return len(
            [
                entry
                for entry in session.scalars(select(OutboxEntry))
                if entry.kind in ("delete-item", "untrack-item") and entry.state == "done"
            ]
        )


@pytest.mark.slow
@pytest.mark.parametrize("over", ["ews", "graph"])
def test_deletions_reach_exchange_once_through_killed_syncs(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, over: str
) -> None:
    user, env = prepare(sandbox, tmp_path / "anna", monkeypatch, over)
    ids = activity_ids()
    for kind, subject, choice in DELETIONS:
        assert run(["crm", "delete", kind, str(ids[subject]), f"--{choice}-exchange-item"]) == 0

    # The deletions are written first thing in a sync, one progress line each: kills soon
    # after the start land among them.
    rng = random.Random(20261204)
    cut_off = []
    for _ in range(KILLS):
        kill_child_mid_sync(env, rng.randint(2, 5), rng.uniform(0, 0.02))
        cut_off.append(removals_done())
    for _ in range(3):
        assert run_child(env) == 0

    assert any(0 < done < len(DELETIONS) for done in cut_off), cut_off
    client = sandbox.account(user)
    kept = {subject for _, subject, choice in DELETIONS if choice == "keep"}
    gone = Counter(subject for _, subject, choice in DELETIONS if choice == "delete")
    on_exchange = [*client.calendar.all(), *client.tasks.all()]
    assert sorted((item.subject, item.categories) for item in on_exchange) == sorted(
        (subject, None) for subject in kept
    )
    assert Counter(item.subject for item in client.trash.all()) == gone
    with Workspace.open() as workspace:
        with workspace.crm.sessions() as session:
            scheduled = select(func.count()).where(Activity.type.in_(["appointment", "task"]))
            assert session.scalar(scheduled) == 0
        with workspace.local.sessions() as session:
            states = Counter(entry.state for entry in session.scalars(select(OutboxEntry)))
    assert set(states) == {"done"}
