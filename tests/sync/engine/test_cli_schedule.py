"""`liaison crm add|edit appointment|task` as a script uses them, and what Exchange then holds."""

from __future__ import annotations

import json

import pytest
from exchangelib import EWSDate, EWSDateTime, EWSTimeZone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, liaison

# Another client acts through exchangelib on the sandbox: these run end to end over EWS.
pytestmark = OVER_EWS

UTC_ZONE = EWSTimeZone("UTC")


def added(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *argv: str) -> dict:
    code, out, err = liaison(capsys, monkeypatch, "crm", *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_a_weekly_meeting_added_from_a_script_reaches_exchange_once_with_its_invitee(
    engine: SyncEngine,
    workspace: Workspace,
    crm: Crm,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    jan = sandbox.new_user("Jan Kowalski", domain="acme-logistics.example")

    meeting = added(
        capsys,
        monkeypatch,
        "add",
        "appointment",
        "--subject",
        "Jour fixe Acme",
        "--start",
        "2026-10-12T09:00",
        "--time-zone",
        "Europe/Warsaw",
        "--repeat",
        "weekly",
        "--on",
        "mon,thu",
        "--count",
        "6",
        "--attendee",
        jan.address,
        "--reminder",
        "10",
        "--regarding",
        f"account:{acme}",
    )
    assert meeting["regarding"]["name"] == "Acme Logistics"
    assert meeting["fields"]["recurrence"]["weekdays"] == ["Monday", "Thursday"]
    assert meeting["fields"]["time_zone"] == "Europe/Warsaw"
    assert meeting["state"] == "waiting"
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    (item,) = list(sandbox.account(mailbox).calendar.all())
    assert item.subject == "Jour fixe Acme"
    assert item.start == EWSDateTime(2026, 10, 12, 7, tzinfo=UTC_ZONE)
    assert item.recurrence.boundary.number == 6
    assert item.reminder_minutes_before_start == 10
    assert [a.mailbox.email_address for a in item.required_attendees] == [jan.address]
    assert len(list(sandbox.account(jan).inbox.all())) == 1


def test_one_occurrence_moved_and_another_deleted_from_a_script(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    meeting = added(
        capsys,
        monkeypatch,
        "add",
        "appointment",
        "--subject",
        "Daily stand-up",
        "--start",
        "2026-10-12T08:30:00+02:00",
        "--end",
        "2026-10-12T08:45:00+02:00",
        "--time-zone",
        "Europe/Warsaw",
        "--repeat",
        "daily",
        "--until",
        "2026-10-16",
    )
    series = str(meeting["id"])
    assert engine.sync_once().ok

    added(
        capsys,
        monkeypatch,
        "edit",
        "appointment",
        series,
        "--occurrence",
        "2026-10-14",
        "--start",
        "2026-10-14T10:00",
        "--location",
        "Kuchnia",
    )
    shown = added(
        capsys, monkeypatch, "edit", "appointment", series, "--delete-occurrence", "2026-10-15"
    )
    assert shown["fields"]["recurrence"]["deleted"] == ["2026-10-15T06:30:00+00:00"]
    assert engine.sync_once().ok

    (item,) = list(sandbox.account(mailbox).calendar.all())
    (moved,) = item.modified_occurrences
    assert moved.start == EWSDateTime(2026, 10, 14, 8, tzinfo=UTC_ZONE)
    assert moved.end == EWSDateTime(2026, 10, 14, 8, 15, tzinfo=UTC_ZONE)
    (deleted,) = item.deleted_occurrences
    assert deleted.start == EWSDateTime(2026, 10, 15, 6, 30, tzinfo=UTC_ZONE)


def test_a_task_added_and_completed_from_a_script(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    task = added(
        capsys,
        monkeypatch,
        "add",
        "task",
        "--subject",
        "Angebot für Müller GmbH vorbereiten",
        "--start",
        "2026-10-05",
        "--due",
        "2026-10-09",
        "--priority",
        "high",
        "--percent",
        "30",
    )
    assert task["fields"]["status"] == "InProgress"
    assert engine.sync_once().ok

    done = added(capsys, monkeypatch, "edit", "task", str(task["id"]), "--status", "completed")
    assert (done["status"], done["fields"]["percent_complete"]) == ("Completed", 100)
    assert engine.sync_once().ok

    (on_exchange,) = list(sandbox.account(mailbox).tasks.all())
    assert (on_exchange.start_date, on_exchange.due_date) == (
        EWSDate(2026, 10, 5),
        EWSDate(2026, 10, 9),
    )
    assert (on_exchange.importance, on_exchange.status) == ("High", "Completed")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("add", "appointment", "--subject", "X", "--start", "tomorrow"), "is not a time"),
        (
            ("add", "appointment", "--subject", "X", "--start", "2026-10-12T09:00",
             "--time-zone", "Mars/Olympus"),
            "Unknown time zone",
        ),
        (("edit", "appointment", "4711", "--location", "Sala Odra"), "no appointment or task"),
        (("add", "task", "--subject", "X", "--percent", "140"), "--percent takes 0 to 100"),
        (("edit", "appointment", "1", "--occurrence", "2026-10-14"), "no appointment or task"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_code_2(
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    message: str,
) -> None:
    code, _out, err = liaison(capsys, monkeypatch, "crm", *argv)

    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=30).filter(lambda t: not t.startswith("-")))
def test_any_start_is_read_as_a_time_or_refused_in_one_line(
    workspace: Workspace,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
) -> None:
    code, _out, err = liaison(
        capsys, monkeypatch, "crm", "add", "appointment", "--subject", "Próba", "--start", text
    )

    assert code in (0, 2)
    assert "Traceback" not in err
    if code == 2:
        assert len(err.strip().splitlines()) == 1
