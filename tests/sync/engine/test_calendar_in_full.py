"""Appointments in full between Liaison and Exchange: time zones, reminders, show-as, attendees
and their answers, series with occurrences changed or deleted one by one, all-day events; and
Exchange appointments not tracked, edited in Liaison. Each change reaches the other side once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from exchangelib import Account, CalendarItem, EWSDate, EWSDateTime, EWSTimeZone
from exchangelib.recurrence import Recurrence, WeeklyPattern

from app.crm.models import ActivityParty, Appointment
from app.crm.schedule import Attendee, AttendeeType, attendees_of, set_attendees
from app.mailbox.models import MailFolder, MailItem, OutboxEntry, SyncLogEntry
from app.services.schedule import AppointmentDraft, ScheduleService
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS_AND_GRAPH

# Another client acts through exchangelib on the sandbox: these run end to end over EWS, and
# over Graph with the same mailbox.
pytestmark = OVER_EWS_AND_GRAPH

WARSAW = ZoneInfo("Europe/Warsaw")
CATEGORY = "Tracked to Liaison"
WEEKLY_ON_MONDAYS = {
    "pattern": "weekly",
    "interval": 1,
    "weekdays": ["Monday"],
    "first_day_of_week": "Monday",
    "start": "2026-10-12",
    "end": None,
    "count": 4,
}


def warsaw(day: int, hour: int, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WARSAW).astimezone(UTC)


def schedule(workspace: Workspace) -> ScheduleService:
    return ScheduleService(workspace)


def new_meeting(workspace: Workspace, **fields: object) -> int:
    """An appointment made in Liaison's window, as its dialog saves it; its CRM id."""
    draft = AppointmentDraft(
        subject="Przegląd umowy – Acme Logistics",
        start=warsaw(12, 9),
        end=warsaw(12, 10),
        location="Sala Wisła",
        time_zone="Europe/Warsaw",
    )
    schedule(workspace).save_appointment(replace(draft, **fields))  # type: ignore[arg-type]
    with workspace.crm.sessions() as session:
        return max(a.id for a in session.query(Appointment))


def the_series(workspace: Workspace, activity_id: int) -> AppointmentDraft:
    entries = schedule(workspace).calendar_entries(warsaw(1, 0), warsaw(30, 0, month=11))
    entry = next(e for e in entries if e.activity_id == activity_id)
    return schedule(workspace).appointment_draft(entry)


def occurrence_on(workspace: Workspace, activity_id: int, day: int) -> AppointmentDraft:
    entries = schedule(workspace).calendar_entries(warsaw(1, 0), warsaw(30, 0, month=11))
    entry = next(
        e for e in entries if e.activity_id == activity_id and e.start.astimezone(WARSAW).day == day
    )
    return schedule(workspace).appointment_draft(entry, occurrence=True)


def outlook_appointment(client: Account, subject: str, day: int, hour: int, location: str) -> None:
    """A two-hour appointment on `day` of October made in another client, not tracked."""
    CalendarItem(
        account=client,
        folder=client.calendar,
        subject=subject,
        start=EWSDateTime(2026, 10, day, hour, tzinfo=EWSTimeZone("UTC")),
        end=EWSDateTime(2026, 10, day, hour + 2, tzinfo=EWSTimeZone("UTC")),
        location=location,
    ).save()


def exchange_item(client: Account) -> CalendarItem:
    (item,) = list(client.calendar.all())
    return item


def test_a_meeting_made_in_liaison_reaches_exchange_once_with_zone_reminder_show_as_and_invites(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    jan = sandbox.new_user("Jan Kowalski", domain="acme.example")
    new_meeting(
        workspace,
        reminder=30,
        show_as="WorkingElsewhere",
        attendees=(
            Attendee(jan.address, "Jan Kowalski"),
            Attendee("katrin.mueller@mueller-gmbh.example", "Katrin Müller", AttendeeType.OPTIONAL),
            Attendee("sala.wisla@brightwave.example", "Sala Wisła", AttendeeType.RESOURCE),
        ),
    )

    assert engine.sync_once().ok
    assert engine.sync_once().ok

    item = exchange_item(sandbox.account(mailbox))
    assert item._start_timezone == EWSTimeZone("Europe/Warsaw")
    assert item.start == EWSDateTime(2026, 10, 12, 7, 0, tzinfo=EWSTimeZone("UTC"))
    assert (item.reminder_is_set, item.reminder_minutes_before_start) == (True, 30)
    assert item.legacy_free_busy_status == "WorkingElsewhere"
    assert [a.mailbox.email_address for a in item.required_attendees] == [jan.address]
    assert [a.mailbox.name for a in item.optional_attendees] == ["Katrin Müller"]
    assert [a.mailbox.email_address for a in item.resources] == ["sala.wisla@brightwave.example"]
    assert item.categories == [CATEGORY]
    invitations = [m.subject for m in sandbox.account(jan).inbox.all()]
    assert invitations == ["Przegląd umowy – Acme Logistics"]


def test_an_invitees_answer_on_exchange_shows_on_the_crm_appointment(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    jan = sandbox.new_user("Jan Kowalski", domain="acme.example")
    ewa = sandbox.new_user("Ewa Wiśniewska", domain="nova-retail.example")
    activity_id = new_meeting(
        workspace, attendees=(Attendee(jan.address, "Jan Kowalski"), Attendee(ewa.address, "Ewa"))
    )
    assert engine.sync_once().ok

    (request,) = list(sandbox.account(jan).inbox.all())
    request.accept()
    (other,) = list(sandbox.account(ewa).inbox.all())
    other.tentatively_accept()
    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        answers = {
            party.email: party.response
            for party in session.query(ActivityParty).filter_by(activity_id=activity_id)
        }
    assert answers == {jan.address: "Accept", ewa.address: "Tentative"}
    draft = the_series(workspace, activity_id)
    assert [(a.email, a.response) for a in draft.attendees] == [
        (ewa.address, "Tentative"),
        (jan.address, "Accept"),
    ]


def test_an_attendee_added_in_the_crm_after_syncs_with_nothing_new_is_invited_on_exchange(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    """An attendee is a row of its own: adding one leaves the appointment's row as it was,
    and the pair must still read as changed."""
    jan = sandbox.new_user("Jan Kowalski", domain="acme.example")
    activity_id = new_meeting(workspace, attendees=(Attendee(jan.address, "Jan Kowalski"),))
    for _ in range(3):
        assert engine.sync_once().ok

    with workspace.crm.sessions.begin() as session:
        appointment = session.get(Appointment, activity_id)
        katrin = Attendee("katrin.mueller@mueller-gmbh.example", "Katrin Müller")
        set_attendees(session, appointment, [*attendees_of(appointment), katrin])
    assert engine.sync_once().ok

    item = exchange_item(sandbox.account(mailbox))
    assert [a.mailbox.email_address for a in item.required_attendees] == [
        jan.address,
        "katrin.mueller@mueller-gmbh.example",
    ]


def test_a_weekly_series_in_warsaw_keeps_its_hour_across_summer_time_as_exchange_expands_it(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    activity_id = new_meeting(workspace, subject="Jour fixe", recurrence=WEEKLY_ON_MONDAYS)
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    client = sandbox.account(mailbox)
    on_exchange = [
        occurrence.start
        for occurrence in client.calendar.view(
            start=EWSDateTime(2026, 10, 1, tzinfo=EWSTimeZone("UTC")),
            end=EWSDateTime(2026, 11, 30, tzinfo=EWSTimeZone("UTC")),
        )
    ]
    in_liaison = [
        entry.start
        for entry in schedule(workspace).calendar_entries(warsaw(1, 0), warsaw(30, 0, month=11))
        if entry.activity_id == activity_id
    ]
    assert in_liaison == on_exchange
    assert [start.astimezone(WARSAW).hour for start in in_liaison] == [9, 9, 9, 9]
    assert in_liaison[2] - in_liaison[1] == timedelta(days=7, hours=1)  # summer time ended


def test_one_occurrence_moved_and_another_deleted_in_liaison_reach_exchange_once(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    activity_id = new_meeting(workspace, subject="Jour fixe", recurrence=WEEKLY_ON_MONDAYS)
    assert engine.sync_once().ok
    service = schedule(workspace)

    moved = occurrence_on(workspace, activity_id, 19)
    service.save_appointment(
        replace(moved, start=warsaw(19, 11), end=warsaw(19, 12), location="Online (Teams)")
    )
    service.delete_occurrence(occurrence_on(workspace, activity_id, 26))
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    item = exchange_item(sandbox.account(mailbox))
    (exception,) = item.modified_occurrences
    assert exception.original_start == warsaw(19, 9)
    assert exception.start == warsaw(19, 11)
    (deleted,) = item.deleted_occurrences
    assert deleted.start == warsaw(26, 9, month=10)
    changed = sandbox.account(mailbox).calendar.get(id=exception.id)
    assert (changed.subject, changed.location) == ("Jour fixe", "Online (Teams)")
    with workspace.local.sessions() as session:
        assert {e.state for e in session.query(OutboxEntry)} == {"done"}
        assert session.query(SyncLogEntry).filter_by(kind="conflict").count() == 0
    days = [
        entry.start.astimezone(WARSAW)
        for entry in service.calendar_entries(warsaw(1, 0), warsaw(30, 0, month=11))
        if entry.activity_id == activity_id
    ]
    assert [(d.day, d.hour) for d in days] == [(12, 9), (19, 11), (2, 9)]


def test_an_occurrence_moved_in_outlook_shows_in_liaison_after_a_sync(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    activity_id = new_meeting(workspace, subject="Jour fixe", recurrence=WEEKLY_ON_MONDAYS)
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    master = exchange_item(sandbox.account(mailbox))
    third = master.occurrence(index=3)
    third.refresh()
    third.start, third.end, third.location = warsaw(27, 14), warsaw(27, 15), "Poznań"
    third.save(update_fields=["start", "end", "location"])
    assert engine.sync_once().ok

    with workspace.crm.sessions() as session:
        recurrence = session.get(Appointment, activity_id).recurrence
    (exception,) = recurrence["modified"]
    assert exception["original_start"] == "2026-10-26T08:00:00+00:00"
    assert exception["location"] == "Poznań"
    shown = occurrence_on(workspace, activity_id, 27)
    assert (shown.start, shown.location) == (warsaw(27, 14), "Poznań")


def test_bringing_back_a_deleted_occurrence_writes_the_series_again_with_its_other_exception(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    activity_id = new_meeting(workspace, subject="Jour fixe", recurrence=WEEKLY_ON_MONDAYS)
    service = schedule(workspace)
    moved = occurrence_on(workspace, activity_id, 19)
    service.save_appointment(replace(moved, start=warsaw(19, 11), end=warsaw(19, 12)))
    service.delete_occurrence(occurrence_on(workspace, activity_id, 26))
    assert engine.sync_once().ok

    series = the_series(workspace, activity_id)
    assert series.recurrence is not None
    service.save_appointment(replace(series, recurrence={**series.recurrence, "deleted": []}))
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    item = exchange_item(sandbox.account(mailbox))
    assert item.deleted_occurrences is None
    assert [o.start for o in item.modified_occurrences] == [warsaw(19, 11)]


def test_an_all_day_event_over_three_days_keeps_its_days_both_ways(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    activity_id = new_meeting(
        workspace,
        subject="Targi Logistyka 2026",
        is_all_day=True,
        start=datetime(2026, 10, 20, tzinfo=UTC),
        end=datetime(2026, 10, 23, tzinfo=UTC),
        show_as="OOF",
    )
    assert engine.sync_once().ok
    assert engine.sync_once().ok

    item = exchange_item(sandbox.account(mailbox))
    assert item.is_all_day
    assert (item.start, item.end) == (EWSDate(2026, 10, 20), EWSDate(2026, 10, 22))
    with workspace.crm.sessions() as session:
        stored = session.get(Appointment, activity_id)
        assert (stored.start.day, stored.end.day) == (20, 23)


def test_an_untracked_exchange_appointment_edited_in_liaison_changes_on_exchange_once(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    client = sandbox.account(mailbox)
    outlook_appointment(client, "Wizyta u klienta – Nova Retail", 8, 11, "Poznań")
    assert engine.sync_once().ok
    service = schedule(workspace)
    (entry,) = service.calendar_entries(warsaw(1, 0), warsaw(30, 0))
    assert entry.activity_id is None and entry.tracking_state == "none"

    draft = service.appointment_draft(entry)
    service.save_appointment(replace(draft, location="Poznań, ul. Półwiejska 2", reminder=15))
    (shown,) = service.calendar_entries(warsaw(1, 0), warsaw(30, 0))
    assert shown.location == "Poznań, ul. Półwiejska 2"  # before the sync already
    assert engine.sync_once().ok
    changed = exchange_item(client)
    assert engine.sync_once().ok

    item = exchange_item(client)
    assert item.location == "Poznań, ul. Półwiejska 2"
    assert (item.reminder_is_set, item.reminder_minutes_before_start) == (True, 15)
    assert item.changekey == changed.changekey  # written once
    assert item.categories is None
    with workspace.crm.sessions() as session:
        assert session.query(Appointment).count() == 0


def test_an_untracked_edit_and_an_outlook_change_of_another_field_are_both_kept(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    client = sandbox.account(mailbox)
    outlook_appointment(client, "Schulung Müller GmbH", 14, 8, "Berlin")
    assert engine.sync_once().ok
    service = schedule(workspace)
    (entry,) = service.calendar_entries(warsaw(1, 0), warsaw(30, 0))
    service.save_appointment(replace(service.appointment_draft(entry), location="Hamburg"))

    item = exchange_item(client)
    item.subject = "Schulung Müller GmbH (verschoben)"
    item.save(update_fields=["subject"])
    assert engine.sync_once().ok

    item = exchange_item(client)
    assert (item.subject, item.location) == ("Schulung Müller GmbH (verschoben)", "Hamburg")


def test_a_profile_upgraded_from_before_time_zones_learns_each_series_zone_at_its_next_sync(
    engine: SyncEngine, workspace: Workspace, sandbox: Sandbox, mailbox: SandboxUser
) -> None:
    client = sandbox.account(mailbox)
    CalendarItem(
        account=client,
        folder=client.calendar,
        subject="Cotygodniowy sales sync",
        start=EWSDateTime(2026, 10, 12, 9, 30, tzinfo=EWSTimeZone("Europe/Warsaw")),
        end=EWSDateTime(2026, 10, 12, 10, tzinfo=EWSTimeZone("Europe/Warsaw")),
        recurrence=Recurrence(
            pattern=WeeklyPattern(interval=1, weekdays=[1]), start=EWSDate(2026, 10, 12), number=4
        ),
    ).save()
    assert engine.sync_once().ok
    with workspace.local.sessions.begin() as session:
        # What an older version cached: no zone, no attendees, no reminder; then the upgrade
        # (local 0005) forgets the calendar's sync state.
        (item,) = session.query(MailItem).filter(MailItem.item_class == "IPM.Appointment")
        item.details = {k: v for k, v in item.details.items() if k not in ("time_zone", "reminder")}
        for folder in session.query(MailFolder).filter(MailFolder.distinguished == "calendar"):
            folder.sync_state = None

    assert engine.sync_once().ok

    with workspace.local.sessions() as session:
        (item,) = session.query(MailItem).filter(MailItem.item_class == "IPM.Appointment")
        assert item.details["time_zone"] == "Europe/Warsaw"
    starts = [
        entry.start.astimezone(WARSAW)
        for entry in schedule(workspace).calendar_entries(warsaw(1, 0), warsaw(30, 0, month=11))
    ]
    assert [(s.day, s.hour, s.minute) for s in starts] == [
        (12, 9, 30),
        (19, 9, 30),
        (26, 9, 30),
        (2, 9, 30),
    ]
