"""`liaison crm list activities` on a synced mailbox: emails beside appointments and tasks, each
with its type, subject, dates, regarding and where it stands with Exchange."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from exchangelib import CalendarItem

from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, liaison, set_options
from tests.sync.engine.test_appointments_and_tasks import (
    CATEGORY,
    crm_appointment,
    crm_task,
    utc,
    when,
)

# Another client acts through exchangelib on the sandbox: these run end to end over EWS.
pytestmark = OVER_EWS


def test_a_script_sees_emails_appointments_and_tasks_with_their_tracked_state(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    crm.contact("Łukasz", "Wiśniewski", "l.wisniewski@acme-logistics.example", acme)
    set_options(workspace, track="crm-contacts")
    deliver("Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>", "Zapytanie o palety")
    review = crm_appointment(
        workspace,
        subject="Przegląd umowy – Acme Logistics",
        start=when(6, 8),
        end=when(6, 9),
        regarding_id=acme,
    )
    outlook = sandbox.account(mailbox)
    for subject, day in (("Wizyta w Poznaniu", 8), ("Dentysta", 9)):
        CalendarItem(
            account=outlook,
            folder=outlook.calendar,
            subject=subject,
            start=utc(day, 13),
            end=utc(day, 14),
            categories=[CATEGORY],
        ).save()
    assert liaison(capsys, monkeypatch, "sync", "--quiet")[0] == 0
    dentist = next(item for item in outlook.calendar.all() if item.subject == "Dentysta")
    dentist.move_to_trash()
    assert liaison(capsys, monkeypatch, "sync", "--quiet")[0] == 0
    call = crm_task(workspace, subject="Oddzwonić do Łukasza", due=when(12, 0))

    code, out, _ = liaison(capsys, monkeypatch, "crm", "list", "activities", "--json")

    assert code == 0
    rows = {row["subject"]: row for row in json.loads(out)}
    email = rows["Zapytanie o palety"]
    assert (email["type"], email["state"], email["tracked"]) == ("email", "tracked", True)
    assert email["sender"] == "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
    assert email["sent_at"] is not None
    meeting = rows["Przegląd umowy – Acme Logistics"]
    assert (meeting["id"], meeting["type"], meeting["state"]) == (review, "appointment", "linked")
    assert (meeting["start"], meeting["end"]) == (
        "2026-10-06T08:00:00+00:00",
        "2026-10-06T09:00:00+00:00",
    )
    assert meeting["regarding"] == {"type": "account", "id": acme, "name": "Acme Logistics"}
    assert rows["Wizyta w Poznaniu"]["state"] == "linked"
    gone = rows["Dentysta"]
    assert (gone["state"], gone["unlinked_reason"], gone["tracked"]) == (
        "unlinked",
        "deleted-in-exchange",
        False,
    )
    task = rows["Oddzwonić do Łukasza"]
    assert (task["id"], task["type"], task["state"], task["tracked"]) == (
        call,
        "task",
        "waiting",
        True,
    )
    assert task["due"] == "2026-10-12T00:00:00+00:00" and task["status"] == "NotStarted"

    code, out, _ = liaison(capsys, monkeypatch, "crm", "list", "activities")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split() == ["id", "type", "subject", "when", "state", "regarding"]
    dentist_line = next(line for line in lines if "Dentysta" in line)
    assert "unlinked (deleted-in-exchange)" in dentist_line
    review_line = next(line for line in lines if "Przegląd umowy" in line)
    assert f"account:{acme} Acme Logistics" in review_line
