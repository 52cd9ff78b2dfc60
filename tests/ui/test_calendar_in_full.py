"""The calendar in full in the window: the appointment dialog with its recurrence editor,
attendees, reminder and show-as; a series edited whole or one occurrence at a time; untracked
Exchange appointments edited and tracked; the Month view and the date picker."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from app.crm.models import ActivityParty, Appointment
from app.crm.search import RecordKey
from app.mailbox.models import OutboxEntry
from app.mailbox.views import ScheduledItem
from app.services.schedule import AppointmentDraft
from app.tracking.model import RecordType
from app.ui.activity_dialogs import AppointmentDialog
from app.ui.calendar_page import CalendarMode
from app.ui.main_window import MainWindow
from app.ui.navigation import CALENDAR
from app.ui.recurrence_editor import WEEKLY
from app.ui.regarding_dialog import RegardingDialog
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile

JOUR_FIXE = {
    "pattern": "weekly",
    "interval": 1,
    "weekdays": ["Tuesday"],
    "first_day_of_week": "Monday",
    "start": "2026-11-03",
    "end": None,
    "count": 6,
    "modified": [],
    "deleted": [],
}


def show_week_of(window: MainWindow, day: date) -> None:
    assert window.navigation.select_place(CALENDAR)
    window.calendar_page.set_mode(CalendarMode.WEEK)
    window.calendar_page.go_to(day)


def jour_fixe(window: MainWindow) -> int:
    """A weekly CRM series on Tuesdays at 10:00 UTC, six times from 3 November."""
    saved = window.services.save_appointment(
        AppointmentDraft(
            subject="Jour fixe Müller GmbH",
            start=datetime(2026, 11, 3, 10, tzinfo=UTC),
            end=datetime(2026, 11, 3, 11, tzinfo=UTC),
            location="Sala Wisła",
            recurrence=JOUR_FIXE,
        )
    )
    assert saved is not None
    return saved


def on_grid(window: MainWindow, subject: str) -> list[ScheduledItem]:
    return [e for e in window.calendar_page.grid.entries if e.subject.startswith(subject)]


def open_recurring(
    window: MainWindow,
    entry: ScheduledItem,
    button: str,
    act: Callable[[AppointmentDialog], None],
) -> list[BaseException]:
    """Open an occurrence of a series, answer "This occurrence" or "The series" (`button`) to
    the question it asks, and `act` on the dialog that opens."""

    def click(box: QMessageBox) -> None:
        assert "repeats" in box.text()
        next(b for b in box.buttons() if b.objectName() == button).click()

    question = when_dialog_opens(click, QMessageBox)
    failures = when_dialog_opens(act, AppointmentDialog)
    window.calendar_page.appointment_activated.emit(entry)  # returns once both are answered
    return question + failures


def stored(profile: BuiltProfile, activity_id: int) -> Appointment:
    with profile.workspace.crm.sessions() as session:
        appointment = session.get(Appointment, activity_id)
        assert appointment is not None
        session.expunge(appointment)
        return appointment


def test_a_weekly_meeting_with_attendees_made_in_the_dialog_is_saved_in_the_crm(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    show_week_of(window, date(2026, 11, 18))

    def fill(dialog: AppointmentDialog) -> None:
        dialog.subject.setText("Jour fixe Acme")
        editor = dialog.recurrence
        editor.repeat.setCurrentIndex(WEEKLY)
        editor.day_boxes["Friday"].setChecked(True)
        editor.after.setChecked(True)
        editor.count.setValue(6)
        dialog.attendees.entry.setText("Jan Kowalski <jan.kowalski@acme.pl>")
        assert dialog.attendees.add_entered()
        dialog.attendees.entry.setText("k.mueller@mueller-logistik.de")
        assert dialog.attendees.add_entered()
        dialog.show_as.setCurrentIndex(dialog.show_as.findData("Tentative"))
        dialog.reminder.setCurrentIndex(dialog.reminder.findData(30))
        assert dialog.tabs.tabText(1) == "Attendees (2)"
        assert dialog.tabs.tabText(2) == "Repeat: Weekly"
        dialog.accept()

    failures = when_dialog_opens(fill, AppointmentDialog)
    window.calendar_page.new_appointment_requested.emit(datetime(2026, 11, 19, 13, 0))
    assert not failures

    with profile.workspace.crm.sessions() as session:
        appointment = session.query(Appointment).one()
        recurrence = appointment.recurrence
        assert recurrence is not None
        assert recurrence["pattern"] == "weekly" and recurrence["count"] == 6
        assert recurrence["weekdays"] == ["Thursday", "Friday"]
        assert (appointment.show_as, appointment.reminder_minutes) == ("Tentative", 30)
        parties = {
            party.email: (party.role, party.record_id)
            for party in session.query(ActivityParty).filter_by(activity_id=appointment.id)
        }
    assert parties == {
        "jan.kowalski@acme.pl": ("required", profile.records["jan"]),
        "k.mueller@mueller-logistik.de": ("required", profile.records["katrin"]),
    }
    assert [e.start.day for e in on_grid(window, "Jour fixe Acme")] == [19, 20]


def test_an_address_that_is_not_one_is_refused_in_words(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    seen: list[str] = []

    def fill(dialog: AppointmentDialog) -> None:
        dialog.attendees.entry.setText("Jan vom Lager")
        assert not dialog.attendees.add_entered()
        seen.append(dialog.error.text())
        dialog.reject()

    failures = when_dialog_opens(fill, AppointmentDialog)
    window.calendar_page.new_appointment_requested.emit(datetime(2026, 11, 19, 13, 0))
    assert not failures
    assert seen == ["“Jan vom Lager” is neither someone in the CRM nor an address."]


def test_attendees_are_suggested_from_the_crm_and_from_recent_correspondents(
    window: MainWindow, profile: BuiltProfile
) -> None:
    services = window.services
    crm = services.attendee_suggestions("jan", services.search_records("jan", 8))
    assert [(s.email, s.record) for s in crm] == [
        ("jan.kowalski@acme.pl", RecordKey(RecordType.CONTACT, profile.records["jan"]))
    ]
    mailbox_only = services.attendee_suggestions("sklep", services.search_records("sklep", 8))
    assert [(s.email, s.record) for s in mailbox_only] == [("news@sklep-przyklad.pl", None)]


def test_an_all_day_appointment_keeps_its_days(window: MainWindow, profile: BuiltProfile) -> None:
    def fill(dialog: AppointmentDialog) -> None:
        dialog.subject.setText("Targi Logistyka")
        dialog.all_day.setChecked(True)
        dialog.end.setDate(dialog.start.date().addDays(2))
        dialog.accept()

    failures = when_dialog_opens(fill, AppointmentDialog)
    window.calendar_page.new_appointment_requested.emit(datetime(2026, 11, 24, 9, 0))
    assert not failures

    with profile.workspace.crm.sessions() as session:
        appointment = session.query(Appointment).one()
        assert appointment.is_all_day
        start, end = appointment.start.replace(tzinfo=UTC), appointment.end.replace(tzinfo=UTC)
    assert (start, end) == (datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 27, tzinfo=UTC))


def test_changing_the_series_changes_every_occurrence(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    activity_id = jour_fixe(window)
    show_week_of(window, date(2026, 11, 17))
    (second,) = on_grid(window, "Jour fixe")

    def change(dialog: AppointmentDialog) -> None:
        assert not dialog.occurrence and dialog.tabs.isVisibleTo(dialog)
        dialog.location.setText("Online (Teams)")
        dialog.accept()

    assert not open_recurring(window, second, "openSeries", change)

    assert stored(profile, activity_id).location == "Online (Teams)"
    window.calendar_page.go_to(date(2026, 11, 24))
    assert [e.location for e in on_grid(window, "Jour fixe")] == ["Online (Teams)"]


def test_changing_one_occurrence_moves_only_it(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    activity_id = jour_fixe(window)
    show_week_of(window, date(2026, 11, 10))
    (second,) = on_grid(window, "Jour fixe")

    def move(dialog: AppointmentDialog) -> None:
        assert dialog.occurrence and not dialog.tabs.isVisibleTo(dialog)
        dialog.start.setDateTime(dialog.start.dateTime().addDays(1).addSecs(2 * 3600))
        dialog.location.setText("Kuchnia")
        dialog.accept()

    assert not open_recurring(window, second, "openOccurrence", move)

    recurrence = stored(profile, activity_id).recurrence
    assert recurrence is not None
    (moved,) = recurrence["modified"]
    assert moved["original_start"] == "2026-11-10T10:00:00+00:00"
    assert (moved["start"], moved["end"]) == (
        "2026-11-11T12:00:00+00:00",
        "2026-11-11T13:00:00+00:00",
    )
    shown = on_grid(window, "Jour fixe")
    assert [(e.start.day, e.start.hour, e.location) for e in shown] == [(11, 12, "Kuchnia")]
    window.calendar_page.go_to(date(2026, 11, 17))
    assert [(e.start.day, e.location) for e in on_grid(window, "Jour fixe")] == [(17, "Sala Wisła")]


def test_deleting_one_occurrence_leaves_the_rest_of_the_series(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    activity_id = jour_fixe(window)
    show_week_of(window, date(2026, 11, 10))
    (second,) = on_grid(window, "Jour fixe")

    def delete(dialog: AppointmentDialog) -> None:
        assert dialog.delete_button is not None
        assert dialog.delete_button.text() == "Delete occurrence"
        dialog.delete_button.click()

    assert not open_recurring(window, second, "openOccurrence", delete)

    recurrence = stored(profile, activity_id).recurrence
    assert recurrence is not None and recurrence["deleted"] == ["2026-11-10T10:00:00+00:00"]
    assert on_grid(window, "Jour fixe") == []
    window.calendar_page.go_to(date(2026, 11, 24))
    assert len(on_grid(window, "Jour fixe")) == 1


def test_an_untracked_exchange_appointment_edited_in_the_window_waits_for_the_next_sync(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    show_week_of(window, date(2026, 11, 18))
    (review,) = on_grid(window, "Przegląd")

    def change(dialog: AppointmentDialog) -> None:
        dialog.location.setText("Sala Odra")
        dialog.accept()

    failures = when_dialog_opens(change, AppointmentDialog)
    window.calendar_page.appointment_activated.emit(review)
    assert not failures

    with profile.workspace.local.sessions() as session:
        (entry,) = session.query(OutboxEntry).all()
        assert entry.kind == "edit-item"
        assert entry.payload["fields"] == {"location": "Sala Odra"}
    (shown,) = on_grid(window, "Przegląd")
    assert shown.location == "Sala Odra" and shown.tracking_state == "none"


def test_track_on_the_calendar_page_tracks_the_selected_exchange_appointment(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    show_week_of(window, date(2026, 11, 18))
    page = window.calendar_page
    (review,) = on_grid(window, "Przegląd")
    assert not page.track_button.isEnabled()
    page.grid.selected = review
    page.grid.entry_selected.emit(review)
    assert page.track_button.isEnabled()

    def choose(dialog: RegardingDialog) -> None:
        dialog.query.setText("Acme")
        qtbot.waitUntil(lambda: dialog.results.count() > 0)
        dialog.results.setCurrentRow(0)
        dialog.accept()

    failures = when_dialog_opens(choose, RegardingDialog)
    page.track_button.click()
    assert not failures

    (shown,) = on_grid(window, "Przegląd")
    assert (shown.tracking_state, shown.regarding_name) == ("pending", "Acme Sp. z o.o.")
    with profile.workspace.local.sessions() as session:
        (mark,) = session.query(OutboxEntry).all()
        assert (mark.kind, mark.payload["state"]) == ("mark", "pending")


def test_the_month_view_shows_six_weeks_and_a_day_opens_from_it(
    window: MainWindow, profile: BuiltProfile
) -> None:
    jour_fixe(window)
    show_week_of(window, date(2026, 11, 18))
    page = window.calendar_page

    page.month_button.click()

    days = page.days()
    assert len(days) == 42 and days[0] == date(2026, 10, 26) and days[-1] == date(2026, 12, 6)
    assert page.title.text() == "November 2026"
    grid = page.month_grid
    assert [e.subject for e in grid.on_day(date(2026, 11, 10))] == ["Jour fixe Müller GmbH"]
    assert [e.subject for e in grid.on_day(date(2026, 11, 20))] == ["Stand-up (moved)"]
    assert grid.on_day(date(2026, 11, 16)) == []  # that stand-up was cancelled

    grid.day_activated.emit(date(2026, 11, 10))
    assert page.mode is CalendarMode.DAY and page.days() == [date(2026, 11, 10)]
    page.next_button.click()
    assert page.days() == [date(2026, 11, 11)]


def test_the_month_arrows_move_by_a_month(window: MainWindow) -> None:
    show_week_of(window, date(2026, 1, 31))
    page = window.calendar_page
    page.set_mode(CalendarMode.MONTH)
    page.next_button.click()
    assert page.anchor == date(2026, 2, 28) and page.title.text() == "February 2026"


def test_the_date_picker_goes_to_the_chosen_day(window: MainWindow) -> None:
    show_week_of(window, date(2026, 11, 18))
    page = window.calendar_page

    page.picker.clicked.emit(QDate(2027, 3, 4))

    assert page.anchor == date(2027, 3, 4)
    assert page.days()[0] == date(2027, 3, 1)  # the week of 4 March


def test_a_new_appointment_from_the_month_starts_at_nine_that_day(
    window: MainWindow, profile: BuiltProfile
) -> None:
    show_week_of(window, date(2026, 11, 18))
    window.calendar_page.set_mode(CalendarMode.MONTH)
    seen: list[datetime] = []

    def look(dialog: AppointmentDialog) -> None:
        seen.append(dialog.start.dateTime().toPython())
        dialog.reject()

    failures = when_dialog_opens(look, AppointmentDialog)
    window.calendar_page.month_grid.slot_activated.emit(datetime(2026, 11, 25, 9, 0))
    assert not failures
    assert [(moment.day, moment.hour) for moment in seen] == [(25, 9)]


def test_an_occurrence_of_an_untracked_exchange_series_can_be_deleted_alone(
    window: MainWindow,
) -> None:
    show_week_of(window, date(2026, 11, 18))
    standup = next(e for e in on_grid(window, "Daily") if e.start.day == 18)
    seen: list[str] = []

    def look(dialog: AppointmentDialog) -> None:
        button = dialog.findChild(QPushButton, "deleteActivity")
        seen.append(button.text() if button is not None else "")
        dialog.reject()

    assert not open_recurring(window, standup, "openOccurrence", look)
    assert seen == ["Delete occurrence"]


def test_the_series_end_moves_with_its_start_when_not_repeating_yet(
    window: MainWindow,
) -> None:
    start = datetime(2026, 11, 19, 13, 0, tzinfo=UTC)
    dialog = AppointmentDialog(
        window.services.search_records,
        AppointmentDraft(subject="", start=start, end=start + timedelta(hours=1)),
        window,
    )
    dialog.start.setDateTime(dialog.start.dateTime().addDays(1))
    dialog.recurrence.repeat.setCurrentIndex(WEEKLY)

    assert dialog.end.dateTime().toPython() - dialog.start.dateTime().toPython() == timedelta(
        hours=1
    )
    assert [name for name, box in dialog.recurrence.day_boxes.items() if box.isChecked()] == [
        "Friday"
    ]
