"""The sync history from the user's side: `liaison sync log` lists each sync with its counts,
the failures with their item and reason, and each conflict with both values and which won;
`liaison sync use-other-value` reverses a conflict, and Exchange then holds the other value."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.cli import build_parser
from app.crm.models import Appointment
from app.db import open_database
from app.mailbox.models import ActivityLink, SyncLogEntry, SyncRun
from app.sync.history import GIVEN_UP, KEEP_QUIET_RUNS, record_run
from app.sync.status import SyncReport, SyncState
from app.workspace import Workspace
from tests.support.migrations import at_revision
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, Crm, liaison, refuse_new_activities, set_options
from tests.sync.engine.test_appointments_and_tasks import crm_appointment, crm_get, when
from tests.sync.engine.test_deletions import quote, review

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self._capsys, self._monkeypatch = capsys, monkeypatch

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        return liaison(self._capsys, self._monkeypatch, *argv)

    def json(self, *argv: str) -> Any:
        code, out, err = self(*argv)
        assert code == 0, err
        return json.loads(out)

    def sync(self) -> None:
        code, out, err = self("sync", "--quiet")
        assert code == 0, out + err


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, workspace: Workspace
) -> Cli:
    return Cli(capsys, monkeypatch)


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_each_sync_is_kept_with_when_how_long_and_what_it_did(
    cli: Cli, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    crm.contact("Łukasz", "Wiśniewski", "l.wisniewski@acme-logistics.example")
    set_options(workspace, track="crm-contacts")
    deliver(LUKASZ, "Zapytanie o dostawę palet")
    cli.sync()
    cli.sync()

    newest, first = cli.json("sync", "log", "--json")
    assert (first["outcome"], newest["outcome"]) == ("ok", "ok")
    assert first["counts"]["tracked"] == 1 and first["counts"]["marks_written"] == 1
    assert first["counts"]["pulled"] >= 1
    assert newest["counts"]["tracked"] == 0
    started = datetime.fromisoformat(first["started_at"])
    assert datetime.fromisoformat(first["finished_at"]) >= started
    assert first["seconds"] >= 0
    assert [run["id"] for run in cli.json("sync", "log", "--json", "--limit", "1")] == [
        newest["id"]
    ]


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_sync_that_cannot_reach_the_server_is_kept_with_the_reason(
    cli: Cli, sandbox: Sandbox
) -> None:
    sandbox.server.go_down()
    try:
        assert cli("sync", "--quiet")[0] == 1
    finally:
        sandbox.server.come_back()

    (run,) = cli.json("sync", "log", "--json")
    assert run["outcome"] == "offline"
    assert run["message"]
    code, out, _ = cli("sync", "log")
    assert code == 0 and "offline" in out and run["message"] in out


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_failures_name_the_item_and_the_reason(
    cli: Cli, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all")
    refuse_new_activities(workspace)
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    for _ in range(5):
        cli.sync()

    runs = cli.json("sync", "log", "--json")
    failures = [failure for run in runs for failure in run["failures"]]
    assert failures
    assert {failure["item"] for failure in failures} == {"Reklamacja dostawy 4711"}
    assert all("refuses new activities" in failure["message"] for failure in failures)
    code, out, _ = cli("sync", "log")
    assert code == 0 and "failed    Reklamacja dostawy 4711: " in out


def conflicting_edits(
    cli: Cli, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> tuple[int, Any]:
    """An appointment both sides changed: the CRM renamed it and moved the room, Outlook did
    the same differently. The rule keeps the CRM's subject and Exchange's room."""
    appointment_id = crm_appointment(
        workspace,
        subject="Przegląd umowy – Acme Logistics",
        start=when(6, 8),
        end=when(6, 9),
        location="Sala Wisła",
    )
    cli.sync()
    outlook = sandbox.account(mailbox)
    with workspace.crm.sessions.begin() as session:
        changed = session.get(Appointment, appointment_id)
        changed.subject, changed.location = "Vertragsprüfung Acme", "Sala Bug"
    (item,) = list(outlook.calendar.all())
    item.subject, item.location = "Acme review (moved)", "Teams"
    item.save(update_fields=["subject", "location"])
    cli.sync()
    return appointment_id, outlook


def conflict_over(cli: Cli, field: str) -> Any:
    (conflict,) = [
        c for c in cli.json("sync", "log", "--conflicts", "--json") if c["field"] == field
    ]
    return conflict


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_conflict_is_listed_with_both_values_and_which_won(
    cli: Cli, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    appointment_id, _ = conflicting_edits(cli, workspace, sandbox, mailbox)

    newest = cli.json("sync", "log", "--json")[0]
    assert newest["counts"]["conflicts"] == 1
    by_field = {c["field"]: c for c in cli.json("sync", "log", "--conflicts", "--json")}
    assert by_field == {c["field"]: c for c in newest["conflicts"]}
    location, subject = by_field["location"], by_field["subject"]
    assert (location["crm_value"], location["exchange_value"], location["kept"]) == (
        "Sala Bug",
        "Teams",
        "exchange",
    )
    assert (subject["crm_value"], subject["exchange_value"], subject["kept"]) == (
        "Vertragsprüfung Acme",
        "Acme review (moved)",
        "crm",
    )
    assert subject["activity"] == {
        "type": "appointment",
        "id": appointment_id,
        "subject": "Vertragsprüfung Acme",
    }
    assert subject["reversed_at"] is None
    code, out, _ = cli("sync", "log", "--conflicts")
    assert code == 0 and '"Sala Bug"' in out and '"Teams"' in out


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_using_the_crm_value_that_lost_puts_it_on_exchange_once(
    cli: Cli, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    appointment_id, outlook = conflicting_edits(cli, workspace, sandbox, mailbox)
    conflict = conflict_over(cli, "location")

    code, out, _ = cli("sync", "use-other-value", str(conflict["id"]), "location")
    cli.sync()
    cli.sync()

    assert code == 0 and "takes the CRM value of location" in out
    (item,) = list(outlook.calendar.all())
    assert (item.location, item.subject) == ("Sala Bug", "Vertragsprüfung Acme")
    assert crm_get(workspace, Appointment, appointment_id).location == "Sala Bug"
    runs = cli.json("sync", "log", "--json")
    assert sum(run["counts"]["conflicts"] for run in runs) == 1  # no new conflict from it
    reversed_note = next(n for run in runs for n in run["notes"] if "Used the CRM" in n["message"])
    assert reversed_note["item"] == "Vertragsprüfung Acme"


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_using_the_exchange_value_that_lost_puts_it_back_on_exchange(
    cli: Cli, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    appointment_id, outlook = conflicting_edits(cli, workspace, sandbox, mailbox)
    conflict = conflict_over(cli, "subject")

    assert cli("sync", "use-other-value", str(conflict["id"]), "subject")[0] == 0
    cli.sync()

    (item,) = list(outlook.calendar.all())
    assert item.subject == "Acme review (moved)"
    assert crm_get(workspace, Appointment, appointment_id).subject == "Acme review (moved)"
    assert conflict_over(cli, "subject")["reversed_at"] is not None
    code, _, err = cli("sync", "use-other-value", str(conflict["id"]), "subject")
    assert code == 2 and err.strip() == "liaison: The other value of 'subject' was used already"


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_an_unknown_conflict_is_refused_in_words(cli: Cli) -> None:
    code, _, err = cli("sync", "use-other-value", "4711", "location")
    assert code == 2
    assert err.strip() == "liaison: There is no conflict 4711 over 'location' in the sync history"


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_the_history_says_what_became_of_each_deleted_item(
    cli: Cli, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    kept = review(workspace)
    quote_id = quote(workspace)
    cli.sync()
    cli("crm", "delete", "appointment", str(kept), "--keep-exchange-item")
    (task,) = list(sandbox.account(mailbox).tasks.all())
    task.delete()
    cli.sync()

    (run,) = cli.json("sync", "log", "--json", "--limit", "1")
    notes = {note["item"]: note["message"] for note in run["notes"]}
    assert "stays on Exchange, no longer tracked" in notes["Przegląd umowy – Acme Logistics"]
    assert "was deleted; its CRM activity stays" in notes["Angebot für Müller GmbH vorbereiten"]
    (listed,) = cli.json("crm", "list", "activities", "--json")
    assert (listed["id"], listed["state"]) == (quote_id, "unlinked")


def report(**counts: int) -> SyncReport:
    return SyncReport(SyncState.ONLINE, "Synced", seconds=0.4, **counts)


def test_quiet_syncs_beyond_the_newest_are_dropped_and_eventful_ones_kept(
    workspace: Workspace, mailbox: SandboxUser
) -> None:
    address = mailbox.address
    record_run(workspace, address, report(tracked=2, marks_written=2))
    for _ in range(KEEP_QUIET_RUNS + 10):
        record_run(workspace, address, report())

    with workspace.local.sessions() as session:
        runs = session.query(SyncRun).order_by(SyncRun.id).all()
    assert len(runs) == KEEP_QUIET_RUNS + 1
    assert runs[0].tracked == 2


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_lines_logged_between_syncs_go_with_the_next_one(cli: Cli, workspace: Workspace) -> None:
    with workspace.local.sessions.begin() as session:
        session.add(SyncLogEntry(level="warning", kind="resync", message="Read again"))
    cli.sync()

    (run,) = cli.json("sync", "log", "--json")
    assert [failure["message"] for failure in run["failures"]] == ["Read again"]


@OVER_EWS  # `liaison sync` reaches the account's server
def test_a_sync_counts_the_changes_it_gave_up_on(cli: Cli, workspace: Workspace) -> None:
    with workspace.local.sessions.begin() as session:
        session.add_all(
            [
                SyncLogEntry(level="error", kind=GIVEN_UP, message="Could not mark: gone"),
                SyncLogEntry(level="error", kind=GIVEN_UP, message="Could not mark: refused"),
                SyncLogEntry(level="warning", kind="resync", message="Read again"),
            ]
        )
    cli.sync()
    cli.sync()

    newest, given_up = cli.json("sync", "log", "--json")
    assert (given_up["counts"]["given_up"], newest["counts"]["given_up"]) == (2, 0)


def test_an_old_profile_keeps_its_sync_log_and_links_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "local.sqlite3"
    with at_revision(f"sqlite:///{path}", "local", "0002") as connection:
        connection.execute(
            text(
                "INSERT INTO sync_log (level, kind, message) VALUES "
                "('warning', 'conflict', 'Appointment changed on both sides')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO activity_links (account, activity_id, kind, ews_id, client_id) "
                "VALUES ('anna.nowak@brightwave.test', 7, 'appointment', 'AAMkA7', 'c7')"
            )
        )

    database = open_database(f"sqlite:///{path}", "local")
    try:
        with database.sessions() as session:
            (line,) = session.query(SyncLogEntry).all()
            (link,) = session.query(ActivityLink).all()
    finally:
        database.dispose()
    assert (line.message, line.run_id) == ("Appointment changed on both sides", None)
    assert (link.remote_id, link.unlinked_at) == ("AAMkA7", None)


def test_a_started_time_is_the_finish_less_the_duration(
    workspace: Workspace, mailbox: SandboxUser
) -> None:
    before = datetime.now(UTC)
    record_run(workspace, mailbox.address, SyncReport(SyncState.ONLINE, "Synced", seconds=90))
    with workspace.local.sessions() as session:
        (run,) = session.query(SyncRun).all()
    finished = run.finished_at.replace(tzinfo=UTC)
    started = run.started_at.replace(tzinfo=UTC)
    assert finished - started == timedelta(seconds=90)
    assert finished >= before


# Built once: building the whole command tree costs more than a hundred parses.
PARSER = build_parser()


@given(st.integers(min_value=1, max_value=10**9))
def test_any_positive_limit_is_taken(limit: int) -> None:
    assert PARSER.parse_args(["sync", "log", "--limit", str(limit)]).limit == limit


def not_a_count(text: str) -> bool:
    return not (text.isascii() and text.isdigit()) or int(text) == 0


@given(st.one_of(st.integers(max_value=0).map(str), st.text().filter(not_a_count)))
def test_a_limit_that_is_not_a_positive_number_is_refused(text_given: str) -> None:
    with pytest.raises(SystemExit) as leaving:
        PARSER.parse_args(["sync", "log", f"--limit={text_given}"])
    assert leaving.value.code == 2
