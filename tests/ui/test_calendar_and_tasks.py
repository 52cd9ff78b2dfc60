"""Calendar (day and week) and Tasks: tracked state and regarding; new and edited appointments
and tasks go to the CRM, and sync carries them to Exchange."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.crm.models import Appointment, Task
from app.crm.search import RecordKey
from app.mailbox.models import MailItem, OutboxEntry
from app.services.schedule import AppointmentDraft, TaskDraft
from app.tracking.model import RecordType
from app.ui.activity_dialogs import AppointmentDialog, TaskDialog
from app.ui.main_window import MainWindow
from app.ui.navigation import CALENDAR, TASKS
from app.ui.tasks_page import REGARDING, TaskRole
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


def show_week_of(window: MainWindow, day: date) -> None:
    assert window.navigation.select_place(CALENDAR)
    window.calendar_page.go_to(day)


def subjects_on(window: MainWindow, day: date) -> list[str]:
    return [
        entry.subject
        for entry in window.calendar_page.grid.entries
        if entry.start.astimezone(UTC).date() == day
    ]


def test_the_week_shows_appointments_with_recurring_ones_expanded(window: MainWindow) -> None:
    show_week_of(window, date(2026, 11, 18))
    page = window.calendar_page
    assert page.days()[0] == date(2026, 11, 16) and len(page.days()) == 7
    assert subjects_on(window, date(2026, 11, 16)) == []  # that stand-up was cancelled
    assert subjects_on(window, date(2026, 11, 18)) == ["Daily stand-up", "Przegląd oferty z Acme"]
    moved = [e for e in page.grid.entries if e.subject == "Stand-up (moved)"]
    assert moved and moved[0].start == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)


def test_the_day_view_shows_one_day(window: MainWindow) -> None:
    show_week_of(window, date(2026, 11, 18))
    window.calendar_page.set_week_view(False)
    assert window.calendar_page.days() == [date(2026, 11, 18)]
    assert len(window.calendar_page.grid.entries) == 2


def test_a_new_appointment_regarding_a_record_is_written_to_the_crm_for_sync(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    show_week_of(window, date(2026, 11, 18))
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, AppointmentDialog)
        dialog.subject.setText("Warsztaty wdrożeniowe")  # QTest types ASCII only
        dialog.regarding.set_record(acme, "Acme Sp. z o.o.")
        dialog.accept()

    failures = when_dialog_opens(fill)
    window.calendar_page.new_appointment_requested.emit(datetime(2026, 11, 19, 13, 0))
    assert not failures

    with profile.workspace.crm.sessions() as session:
        appointment = session.query(Appointment).one()
        assert appointment.subject == "Warsztaty wdrożeniowe"
        assert appointment.regarding_id == acme.id
    shown = [e for e in window.calendar_page.grid.entries if e.subject == "Warsztaty wdrożeniowe"]
    assert shown and shown[0].tracking_state == "pending"
    assert shown[0].regarding_name == "Acme Sp. z o.o."


def test_setting_regarding_on_an_untracked_exchange_appointment_asks_sync_to_track_it(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    show_week_of(window, date(2026, 11, 18))
    review = next(e for e in window.calendar_page.grid.entries if e.subject.startswith("Przegląd"))
    renewal = RecordKey(RecordType.OPPORTUNITY, profile.records["renewal"])

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, AppointmentDialog)
        assert dialog.findChild(QLabel, "untrackedNote") is not None  # says it is not tracked
        dialog.regarding.set_record(renewal, "Acme: 40 licences for 2027")
        dialog.accept()

    failures = when_dialog_opens(choose)
    window.calendar_page.appointment_activated.emit(review)
    assert not failures

    with profile.workspace.local.sessions() as session:
        item = session.get(MailItem, profile.items["review"])
        assert item is not None and item.tracking_state == "pending"
        mark = session.query(OutboxEntry).one()
        assert mark.payload["state"] == "pending"
        assert mark.payload["regarding"] == f"opportunity:{renewal.id}"


def test_tasks_show_status_and_a_new_task_regarding_a_lead_goes_to_the_crm(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.navigation.select_place(TASKS)
    first = window.tasks_page.list.topLevelItem(0)
    assert first.text(1) == "Zadzwonić do Katrin w sprawie dostawy"
    assert first.text(3) == "In progress (50%)"
    ewa = RecordKey(RecordType.LEAD, profile.records["ewa"])

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog)
        dialog.subject.setText("Przygotować wycenę strony")
        dialog.regarding.set_record(ewa, "Ewa Wiśniewska")
        dialog.accept()

    failures = when_dialog_opens(fill)
    window.tasks_page.new_button.click()
    assert not failures

    with profile.workspace.crm.sessions() as session:
        task = session.query(Task).one()
        assert (task.subject, task.regarding_id) == ("Przygotować wycenę strony", ewa.id)
    texts = [
        window.tasks_page.list.topLevelItem(row).text(REGARDING)
        for row in range(window.tasks_page.list.topLevelItemCount())
    ]
    assert "Ewa Wiśniewska" in texts


def test_editing_a_crm_appointment_changes_it_in_the_crm_and_sync_carries_it(
    window: MainWindow, profile: BuiltProfile
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    renewal = RecordKey(RecordType.OPPORTUNITY, profile.records["renewal"])
    window.services.save_appointment(
        AppointmentDraft(
            subject="Warsztaty wdrożeniowe",
            start=datetime(2026, 11, 19, 13, 0, tzinfo=UTC),
            end=datetime(2026, 11, 19, 15, 0, tzinfo=UTC),
            regarding=acme,
        )
    )
    show_week_of(window, date(2026, 11, 18))
    workshop = next(e for e in window.calendar_page.grid.entries if e.subject.startswith("Warsz"))
    seen: list[tuple[str, str]] = []

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, AppointmentDialog)
        seen.append((dialog.subject.text(), dialog.regarding.text.text()))
        dialog.location.setText("Sala Wawel, Krakow")
        dialog.regarding.set_record(renewal, "Acme: 40 licences for 2027")
        dialog.accept()

    failures = when_dialog_opens(change)
    window.calendar_page.appointment_activated.emit(workshop)
    assert not failures

    assert seen == [("Warsztaty wdrożeniowe", "Acme Sp. z o.o. (Account)")]
    with profile.workspace.crm.sessions() as session:
        appointment = session.query(Appointment).one()
        assert (appointment.location, appointment.regarding_id) == (
            "Sala Wawel, Krakow",
            renewal.id,
        )
    shown = [e for e in window.calendar_page.grid.entries if e.subject.startswith("Warsz")]
    assert shown[0].regarding_name == "Acme: 40 licences for 2027"


def test_completing_a_crm_task_in_its_dialog_marks_it_done_in_the_crm(
    window: MainWindow, profile: BuiltProfile
) -> None:
    ewa = RecordKey(RecordType.LEAD, profile.records["ewa"])
    window.services.save_task(
        TaskDraft(subject="Przygotować wycenę strony", due=None, regarding=ewa)
    )
    assert window.navigation.select_place(TASKS)
    listed = window.tasks_page.list
    task = next(
        task
        for row in range(listed.topLevelItemCount())
        if (task := listed.topLevelItem(row).data(1, TaskRole)).subject
        == "Przygotować wycenę strony"
    )

    def complete(dialog: QDialog) -> None:
        assert isinstance(dialog, TaskDialog)
        dialog.status.setCurrentIndex(dialog.status.findData("Completed"))
        dialog.accept()

    failures = when_dialog_opens(complete)
    window.tasks_page.task_activated.emit(task)
    assert not failures

    with profile.workspace.crm.sessions() as session:
        saved = session.query(Task).one()
        assert (saved.status, saved.percent_complete) == ("Completed", 100)
        assert saved.completed_at is not None and saved.regarding_id == ewa.id


def test_the_record_view_shows_tracked_mail_appointments_and_tasks_in_its_timeline(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    services = window.services
    services.set_regarding(profile.items["offer"], acme)
    services.save_appointment(
        AppointmentDraft(
            subject="Warsztaty wdrożeniowe",
            start=datetime(2026, 11, 19, 13, 0, tzinfo=UTC),
            end=datetime(2026, 11, 19, 15, 0, tzinfo=UTC),
            regarding=acme,
        )
    )
    services.save_task(TaskDraft(subject="Wysłać umowę do Acme", due=None, regarding=acme))

    window.open_record(acme)

    view = window.records_page.view
    assert view.title.text() == "Acme Sp. z o.o."
    activities = [
        view.timeline.topLevelItem(row).text(1) for row in range(view.timeline.topLevelItemCount())
    ]
    assert "Oferta na licencje 2027" in activities
    assert "Warsztaty wdrożeniowe" in activities
    assert any(text.startswith("Wysłać umowę do Acme") for text in activities)
