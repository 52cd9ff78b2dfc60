"""Deleting appointments and tasks, as Dynamics defines it, from the user's side: an item
deleted (or untracked) in another client unlinks its CRM activity and is never put back; a CRM
activity deleted in Liaison takes its Exchange item along only when the user says so, once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from exchangelib import UTC as EWS_UTC
from exchangelib import Account, EWSDateTime
from exchangelib import Task as ExchangeTask

from app.crm.models import Appointment, Task
from app.mailbox.models import ActivityLink
from app.mailbox.remote import ItemKind
from app.sync.activity_deletion import (
    Unlinked,
    enqueue_removal,
    mark_unlinked,
    removes_exchange_item_by_default,
)
from app.sync.activity_fields import iso
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, liaison
from tests.sync.engine.test_appointments_and_tasks import CATEGORY, crm_appointment, crm_task

SYNCS_AFTER = 3


def soon(days: int, hour: int = 9) -> datetime:
    """A time `days` from today (negative: in the past), on the hour."""
    day = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return day + timedelta(days=days)


def ews(moment: datetime) -> EWSDateTime:
    return EWSDateTime.from_datetime(moment).astimezone(EWS_UTC)


class User:
    """Anna at the command line, and Anna in Outlook (another client of her mailbox)."""

    def __init__(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        sandbox: Sandbox,
        mailbox: SandboxUser,
    ) -> None:
        self._capsys, self._monkeypatch = capsys, monkeypatch
        self.outlook: Account = sandbox.account(mailbox)

    def run(self, *argv: str) -> tuple[int, str, str]:
        return liaison(self._capsys, self._monkeypatch, *argv)

    def sync(self, times: int = 1) -> None:
        for _ in range(times):
            code, out, err = self.run("sync", "--quiet")
            assert code == 0, out + err

    def activities(self) -> dict[int, dict[str, Any]]:
        code, out, err = self.run("crm", "list", "activities", "--json")
        assert code == 0, err
        return {row["id"]: row for row in json.loads(out)}

    def calendar(self) -> list[Any]:
        return list(self.outlook.calendar.all())

    def tasks(self) -> list[Any]:
        return list(self.outlook.tasks.all())

    def deleted_items(self) -> list[str]:
        return [item.subject for item in self.outlook.trash.all()]


@pytest.fixture
def anna(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    workspace: Workspace,
) -> User:
    return User(capsys, monkeypatch, sandbox, mailbox)


def review(workspace: Workspace, days: int = 3) -> int:
    return crm_appointment(
        workspace,
        subject="Przegląd umowy – Acme Logistics",
        start=soon(days, 8),
        end=soon(days, 9),
        location="Sala Wisła",
    )


def quote(workspace: Workspace, status: str = "NotStarted") -> int:
    return crm_task(
        workspace, subject="Angebot für Müller GmbH vorbereiten", due=soon(5), status=status
    )


# Deleted or untracked in another client


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_an_appointment_deleted_in_outlook_stays_deleted_and_its_activity_is_unlinked(
    anna: User, workspace: Workspace
) -> None:
    appointment_id = review(workspace)
    anna.sync()
    (item,) = anna.calendar()
    item.move_to_trash()

    anna.sync(SYNCS_AFTER)

    assert anna.calendar() == []
    assert anna.deleted_items() == ["Przegląd umowy – Acme Logistics"]
    kept = anna.activities()[appointment_id]
    assert (kept["state"], kept["unlinked_reason"]) == ("unlinked", "deleted-in-exchange")
    assert kept["tracked"] is False  # the CRM keeps it: listed, only unlinked


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_task_deleted_in_outlook_stays_deleted_and_its_activity_is_unlinked(
    anna: User, workspace: Workspace
) -> None:
    task_id = quote(workspace)
    anna.sync()
    (task,) = anna.tasks()
    task.delete()

    anna.sync(SYNCS_AFTER)

    assert anna.tasks() == []
    kept = anna.activities()[task_id]
    assert (kept["type"], kept["state"]) == ("task", "unlinked")
    assert kept["subject"] == "Angebot für Müller GmbH vorbereiten"


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_taking_the_category_off_in_outlook_unlinks_the_appointment_and_crm_edits_stay_home(
    anna: User, workspace: Workspace
) -> None:
    appointment_id = review(workspace)
    anna.sync()
    (item,) = anna.calendar()
    item.categories = []
    item.save(update_fields=["categories"])
    anna.sync()
    with workspace.crm.sessions.begin() as session:
        session.get(Appointment, appointment_id).subject = "Przegląd umowy 2027"

    anna.sync(SYNCS_AFTER)

    (item,) = anna.calendar()
    assert item.categories is None
    assert item.subject == "Przegląd umowy – Acme Logistics"  # no longer synced
    kept = anna.activities()[appointment_id]
    assert (kept["state"], kept["unlinked_reason"]) == ("unlinked", "category-removed")
    assert len(anna.activities()) == 1  # and never adopted as a new activity


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_putting_the_category_back_links_the_same_activity_again_with_outlooks_values(
    anna: User, workspace: Workspace
) -> None:
    appointment_id = review(workspace)
    anna.sync()
    (item,) = anna.calendar()
    item.categories = []
    item.save(update_fields=["categories"])
    anna.sync()

    (item,) = anna.calendar()
    item.categories, item.location = [CATEGORY], "Sala Odra"
    item.save(update_fields=["categories", "location"])
    anna.sync(2)

    (linked,) = anna.activities().values()
    assert (linked["id"], linked["state"]) == (appointment_id, "linked")
    with workspace.crm.sessions() as session:
        assert session.get(Appointment, appointment_id).location == "Sala Odra"


# Deleted in Liaison


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_deleting_a_coming_appointment_deletes_it_from_exchange_once_as_dynamics_does(
    anna: User, workspace: Workspace
) -> None:
    appointment_id = review(workspace)
    anna.sync()

    code, out, _ = anna.run("crm", "delete", "appointment", str(appointment_id))
    assert code == 0
    assert "the next sync deletes it from your Exchange calendar too" in out
    anna.sync(SYNCS_AFTER)

    assert anna.calendar() == []
    assert anna.deleted_items() == ["Przegląd umowy – Acme Logistics"]
    assert anna.activities() == {}


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_deleting_with_keep_exchange_item_leaves_it_in_the_calendar_untracked(
    anna: User, workspace: Workspace
) -> None:
    appointment_id = review(workspace)
    anna.sync()

    code, out, _ = anna.run(
        "crm", "delete", "appointment", str(appointment_id), "--keep-exchange-item"
    )
    assert code == 0 and "stays in your Exchange calendar, no longer tracked" in out
    anna.sync(SYNCS_AFTER)

    (item,) = anna.calendar()
    assert item.subject == "Przegląd umowy – Acme Logistics"
    assert item.categories is None
    assert anna.deleted_items() == []
    assert anna.activities() == {}  # not adopted again from its old mark


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_past_appointment_stays_in_exchange_unless_asked_as_dynamics_does(
    anna: User, workspace: Workspace
) -> None:
    past = review(workspace, days=-10)
    anna.sync()

    code, out, _ = anna.run("crm", "delete", "appointment", str(past), "--json")
    anna.sync()

    assert code == 0 and json.loads(out)["exchange"] == "kept"
    (item,) = anna.calendar()
    assert item.categories is None


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_completed_task_stays_and_delete_exchange_item_overrides_it(
    anna: User, workspace: Workspace
) -> None:
    done = quote(workspace, status="Completed")
    open_one = crm_task(workspace, subject="Oddzwonić do Nova Retail", due=soon(2))
    anna.sync()

    assert anna.run("crm", "delete", "task", str(done), "--delete-exchange-item")[0] == 0
    assert anna.run("crm", "delete", "task", str(open_one), "--keep-exchange-item")[0] == 0
    anna.sync(SYNCS_AFTER)

    assert [(t.subject, t.categories) for t in anna.tasks()] == [("Oddzwonić do Nova Retail", None)]
    assert anna.activities() == {}


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_deletion_made_offline_waits_and_reaches_exchange_once(
    anna: User, workspace: Workspace, sandbox: Sandbox
) -> None:
    appointment_id = review(workspace)
    anna.sync()
    sandbox.server.go_down()
    try:
        assert anna.run("crm", "delete", "appointment", str(appointment_id))[0] == 0
        assert anna.run("sync", "--quiet")[0] == 1  # offline: the deletion waits
    finally:
        sandbox.server.come_back()
    assert [item.subject for item in anna.calendar()] == ["Przegląd umowy – Acme Logistics"]

    anna.sync(SYNCS_AFTER)

    assert anna.calendar() == []
    assert anna.deleted_items() == ["Przegląd umowy – Acme Logistics"]


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_deleting_an_appointment_before_it_reached_exchange_leaves_nothing_there(
    anna: User, workspace: Workspace
) -> None:
    anna.sync()
    appointment_id = review(workspace)
    code, out, _ = anna.run("crm", "delete", "appointment", str(appointment_id))

    anna.sync(SYNCS_AFTER)

    assert code == 0 and "it was not on Exchange" in out
    assert anna.calendar() == [] and anna.deleted_items() == []


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_deletion_cut_off_between_its_two_writes_is_finished_by_the_next_sync(
    anna: User, workspace: Workspace, mailbox: SandboxUser
) -> None:
    """What a kill right after the deletion's local write leaves: the intent, and the CRM
    activity still there."""
    appointment_id = review(workspace)
    anna.sync()
    with workspace.crm.sessions() as session:
        created = iso(session.get(Appointment, appointment_id).created_at)
    with workspace.local.sessions.begin() as session:
        link = session.query(ActivityLink).filter_by(activity_id=appointment_id).one()
        subject = "Przegląd umowy – Acme Logistics"
        mark_unlinked(session, link, Unlinked.DELETED_IN_CRM, subject, "Deleted in Liaison")
        enqueue_removal(session, link, subject, delete_item=True, created_at=created)

    anna.sync(SYNCS_AFTER)

    assert anna.activities() == {}
    assert anna.calendar() == []
    assert anna.deleted_items() == [subject]


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_new_appointment_given_a_deleted_ones_id_reaches_exchange_untouched(
    anna: User, workspace: Workspace
) -> None:
    """A SQLite CRM gives the id of the newest activity, once deleted, to the next one."""
    old = review(workspace)
    anna.sync()
    assert anna.run("crm", "delete", "appointment", str(old))[0] == 0
    new = crm_appointment(
        workspace, subject="Wizyta u klienta – Nova Retail", start=soon(4), end=soon(4, 11)
    )

    anna.sync(SYNCS_AFTER)

    assert new == old  # the id came back, the case this guards against
    assert [(i.subject, i.categories) for i in anna.calendar()] == [
        ("Wizyta u klienta – Nova Retail", [CATEGORY])
    ]
    assert anna.deleted_items() == ["Przegląd umowy – Acme Logistics"]
    (listed,) = anna.activities().values()
    assert (listed["subject"], listed["state"]) == ("Wizyta u klienta – Nova Retail", "linked")


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_asking_to_delete_a_task_as_an_appointment_is_refused_in_words(
    anna: User, workspace: Workspace
) -> None:
    task_id = quote(workspace)
    code, _, err = anna.run("crm", "delete", "appointment", str(task_id))
    assert code == 2
    assert err.strip() == f"liaison: Activity {task_id} is a task, not an appointment"
    code, _, err = anna.run("crm", "delete", "task", "999")
    assert code == 2 and "There is no appointment or task 999" in err
    assert task_id in anna.activities()


# Dynamics' rule for what goes along


NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("values", "goes"),
    [
        ({"start": "2026-12-04T11:00:00+00:00", "end": "2026-12-04T13:00:00+00:00"}, True),
        ({"start": "2026-12-10T09:00:00+00:00", "end": "2026-12-10T10:00:00+00:00"}, True),
        ({"start": "2026-11-20T09:00:00+00:00", "end": "2026-11-20T10:00:00+00:00"}, False),
        (
            {
                "start": "2026-10-05T09:00:00+00:00",
                "end": "2026-10-05T10:00:00+00:00",
                "recurrence": {"pattern": "weekly", "end": None, "count": None},
            },
            True,
        ),
        (
            {
                "start": "2026-10-05T09:00:00+00:00",
                "end": "2026-10-05T10:00:00+00:00",
                "recurrence": {"pattern": "weekly", "end": "2026-11-30"},
            },
            False,
        ),
    ],
    ids=["under-way", "coming", "past", "endless-series", "series-over"],
)
def test_an_appointment_goes_from_exchange_by_default_while_it_has_not_ended(
    values: dict[str, Any], goes: bool
) -> None:
    assert removes_exchange_item_by_default(ItemKind.APPOINTMENT, values, NOW) is goes


@pytest.mark.parametrize(
    ("status", "goes"),
    [("NotStarted", True), ("InProgress", True), ("Deferred", True), ("Completed", False)],
)
def test_a_task_goes_from_exchange_by_default_while_it_is_open(status: str, goes: bool) -> None:
    assert removes_exchange_item_by_default(ItemKind.TASK, {"status": status}, NOW) is goes


@OVER_EWS  # another client acts through exchangelib on the sandbox
def test_a_task_tracked_in_outlook_and_deleted_there_keeps_its_crm_task(
    anna: User, workspace: Workspace
) -> None:
    ExchangeTask(
        account=anna.outlook,
        folder=anna.outlook.tasks,
        subject="Rückruf bei Frau Schäfer",
        categories=[CATEGORY],
    ).save()
    anna.sync()
    (task,) = anna.tasks()
    task.move_to_trash()

    anna.sync(SYNCS_AFTER)

    with workspace.crm.sessions() as session:
        (kept,) = session.query(Task).all()
    assert kept.subject == "Rückruf bei Frau Schäfer"
    assert anna.tasks() == []
