"""The main window on a real profile: reading, tracking by hand, and the CRM pane's answers."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from app.crm.models import Contact, EmailActivity
from app.crm.search import RecordKey
from app.mailbox.models import OutboxEntry
from app.services.mail import TrackingState
from app.tracking.model import RecordType
from app.ui.main_window import MainWindow
from app.ui.record_form import RecordFormDialog
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


def select(window: MainWindow, item_id: int) -> None:
    assert window.message_list.select_item(item_id)


def test_the_window_opens_on_the_inbox_with_the_newest_message_selected(
    window: MainWindow, profile: BuiltProfile
) -> None:
    assert window.message_list.model.rowCount() == 4
    assert window.message_list.selected_item() == profile.items["offer"]
    assert window.reading_pane.subject.text() == "Oferta na licencje 2027"


def test_selecting_a_message_shows_its_headers_body_and_attachments(
    window: MainWindow, profile: BuiltProfile
) -> None:
    select(window, profile.items["delivery"])
    pane = window.reading_pane
    assert pane.subject.text() == "AW: Lieferung KW 47"
    assert "Katrin Müller <k.mueller@mueller-logistik.de>" in pane.sender.text()
    assert "die Lieferung kommt am Donnerstag" in pane.body.toPlainText()
    assert pane.attachments.isHidden()
    select(window, profile.items["offer"])
    assert pane.attachments.item(0).text().startswith("zapytanie-2027.pdf")


def test_the_crm_pane_resolves_the_sender_and_every_recipient_or_says_unknown(
    window: MainWindow, profile: BuiltProfile
) -> None:
    select(window, profile.items["offer"])
    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.NONE
    by_email = {party.address.email: party for party in facts.parties}
    assert by_email["jan.kowalski@acme.pl"].records[0].key == RecordKey(
        RecordType.CONTACT, profile.records["jan"]
    )
    assert by_email["lukasz.zolc@acme.pl"].records[0].name == "Łukasz Żółć"
    assert by_email["p.zielinski@acme.pl"].records == ()
    assert by_email["anna.nowak@brightwave.pl"].records[0].key.type is RecordType.USER
    assert window.crm_pane.state.text() == "Not tracked"


def test_track_links_the_message_and_the_pane_says_so(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    select(window, profile.items["offer"])
    assert window.track_action.isEnabled()
    assert not window.untrack_action.isEnabled()

    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()

    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.TRACKED
    assert facts.mark_waiting
    assert facts.rule == "manual"
    assert "Tracked by hand" in window.crm_pane.why.text()
    assert "next sync" in window.crm_pane.state.text()
    assert window.untrack_action.isEnabled() and not window.track_action.isEnabled()
    model = window.message_list.model
    row = model.row_of(profile.items["offer"])
    assert row is not None
    assert model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole).startswith("Tracked")
    with profile.workspace.crm.sessions() as session:
        activity = session.query(EmailActivity).one()
        assert activity.message_id == "<offer-2027@mail.test>"
        assert activity.tracked_how == "manual"
    with profile.workspace.local.sessions() as session:
        mark = session.query(OutboxEntry).filter_by(kind="mark").one()
        assert mark.payload["state"] == "tracked"
        assert mark.payload["activity_id"] == activity.id


def test_only_the_message_whose_mark_waits_says_it_waits_for_the_next_sync(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    select(window, profile.items["offer"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()

    select(window, profile.items["question"])

    facts = window.crm_pane.facts
    assert facts is not None and facts.item_id == profile.items["question"]
    assert not facts.mark_waiting
    assert "next sync" not in window.crm_pane.state.text()


def untrack(window: MainWindow, qtbot: QtBot, answer: str) -> None:
    """Untrack, answering its question with the button named `answer` (keep or delete)."""
    failures = when_dialog_opens(lambda question: getattr(question, f"{answer}_button").click())
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.untrack_action.trigger()
    assert not failures


def test_untrack_keeps_the_activity_unlinked_and_the_pane_says_untracked_by_hand(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    select(window, profile.items["delivery"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()
    untrack(window, qtbot, "keep")

    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.NONE
    assert "Untracked by hand" in window.crm_pane.why.text()
    with profile.workspace.crm.sessions() as session:
        activity = session.query(EmailActivity).one()
        assert not activity.tracked and activity.untracked_by_hand
    with profile.workspace.local.sessions() as session:
        marks = session.query(OutboxEntry).filter_by(kind="mark")
        states = [entry.payload["state"] for entry in marks]
        assert states == ["tracked", "untracked"]


def test_untrack_with_delete_deletes_the_activity_and_queues_the_mark_removal(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    select(window, profile.items["delivery"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()
    untrack(window, qtbot, "delete")

    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.NONE
    assert "Untracked by hand" in window.crm_pane.why.text()
    with profile.workspace.crm.sessions() as session:
        assert session.query(EmailActivity).count() == 0
    with profile.workspace.local.sessions() as session:
        marks = session.query(OutboxEntry).filter_by(kind="mark")
        assert [entry.payload["state"] for entry in marks] == ["tracked", "untracked"]


def test_cancelling_the_untrack_question_changes_nothing(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    select(window, profile.items["delivery"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()
    failures = when_dialog_opens(lambda question: question.reject())

    window.untrack_action.trigger()

    assert not failures
    facts = window.crm_pane.facts
    assert facts is not None and facts.state is TrackingState.TRACKED
    with profile.workspace.crm.sessions() as session:
        assert session.query(EmailActivity).one().tracked


def test_create_contact_for_a_newsletter_address_offers_its_company_not_a_person(
    window: MainWindow, profile: BuiltProfile
) -> None:
    select(window, profile.items["newsletter"])
    assert window.create_contact_action.isEnabled()
    shown: dict[str, str] = {}

    def save_as_shown(form: QDialog) -> None:
        assert isinstance(form, RecordFormDialog)
        shown["title"], shown["note"] = form.windowTitle(), form.note.text()
        editor = form.editors["name"]
        assert isinstance(editor, QLineEdit)
        shown["name"] = editor.text()
        form.accept()

    failures = when_dialog_opens(save_as_shown)
    window.create_contact_action.trigger()

    assert not failures
    assert shown["title"] == "New Account" and shown["name"] == "Sklep Przykład"
    assert "news@sklep-przyklad.pl is the address of a company" in shown["note"]
    facts = window.crm_pane.facts
    assert facts is not None and facts.sender is not None
    assert facts.sender.records[0].key.type is RecordType.ACCOUNT
    assert not window.create_contact_action.isEnabled()
    with profile.workspace.crm.sessions() as session:
        assert all("news@sklep-przyklad.pl" not in c.emails for c in session.query(Contact))


def test_open_record_shows_the_regarding_record_with_its_timeline(
    window: MainWindow, profile: BuiltProfile
) -> None:
    select(window, profile.items["offer"])
    window.services.set_regarding(
        profile.items["offer"], RecordKey(RecordType.OPPORTUNITY, profile.records["renewal"])
    )
    select(window, profile.items["delivery"])
    select(window, profile.items["offer"])

    window.open_record_action.trigger()

    view = window.records_page.view
    assert window.pages.currentWidget() is window.records_page
    assert view.title.text() == "Acme: 40 licences for 2027"
    assert view.timeline.topLevelItem(0).text(1) == "Oferta na licencje 2027"


def test_the_search_box_narrows_the_list_to_matching_subjects_and_senders(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.message_list.search.setText("müller")
    qtbot.waitUntil(lambda: window.message_list.model.rowCount() == 1)
    assert window.reading_pane.subject.text() == "AW: Lieferung KW 47"


def test_sorting_by_sender_keeps_the_selected_message_selected(
    window: MainWindow, profile: BuiltProfile
) -> None:
    select(window, profile.items["question"])
    window.message_list.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    model = window.message_list.model
    senders = [model.index(row, 1).data() for row in range(model.rowCount())]
    assert senders == ["Ewa Wiśniewska", "Jan Kowalski", "Katrin Müller", "Sklep Przykład"]
    assert window.message_list.selected_item() == profile.items["question"]
