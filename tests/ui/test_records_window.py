"""CRM records kept in the window: New, Edit and Delete of each record type in their form,
duplicates shown with the match and a choice, Qualify and Disqualify of a lead, the history of
a record, and every timeline row opening its item."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from app.crm.models import Account, Contact, EmailActivity, Lead, Opportunity
from app.crm.search import RecordKey
from app.services.schedule import AppointmentDraft
from app.tracking.model import RecordType
from app.ui.activity_dialogs import AppointmentDialog
from app.ui.duplicate_dialog import DuplicateDialog
from app.ui.lead_dialogs import DisqualifyDialog, QualifyDialog
from app.ui.main_window import MainWindow
from app.ui.navigation import Place
from app.ui.record_form import RecordFormDialog
from app.ui.regarding_field import RegardingField
from tests.ui.dialogs import when_dialog_opens
from tests.ui.mailbox_builder import BuiltProfile


def show_list(window: MainWindow, record_type: RecordType) -> None:
    assert window.navigation.select_place(Place("records", record_type=record_type))


def fill(form: QDialog, **values: object) -> None:
    """Type into the form's fields, as a user would."""
    assert isinstance(form, RecordFormDialog)
    for name, value in values.items():
        editor = form.editors[name]
        if isinstance(editor, QLineEdit):
            editor.setText(str(value))
        elif isinstance(editor, QComboBox) and editor.isEditable():
            editor.setCurrentText(str(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        elif isinstance(editor, QDateEdit):
            assert isinstance(value, date)
            editor.setDate(QDate(value.year, value.month, value.day))
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(str(value)))
        else:
            assert isinstance(editor, RegardingField) and isinstance(value, tuple)
            editor.set_record(*value)


def in_form(act: Callable[[RecordFormDialog], None]) -> list[BaseException]:
    def checked(dialog: QDialog) -> None:
        assert isinstance(dialog, RecordFormDialog)
        act(dialog)

    return when_dialog_opens(checked)


def test_new_account_contact_lead_and_opportunity_are_saved_from_their_forms(
    window: MainWindow, profile: BuiltProfile
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    forms = {
        RecordType.ACCOUNT: {"name": "Spedycja Bałtyk Sp. z o.o.",
                             "emails": "biuro@spedycja-baltyk.pl", "city": "Gdynia"},
        RecordType.CONTACT: {"salutation": "Pani", "first_name": "Agnieszka",
                             "last_name": "Dąbrowska", "emails": "a.dabrowska@acme.pl",
                             "account": (acme, "Acme Sp. z o.o."), "job_title": "Księgowa",
                             "mobile_phone": "+48 601 200 300"},
        RecordType.LEAD: {"first_name": "Tomasz", "last_name": "Lewandowski",
                          "emails": "t.lewandowski@nova-retail.pl", "company": "Nova Retail",
                          "status": "contacted"},
        RecordType.OPPORTUNITY: {"name": "Acme: szkolenia 2027", "account": (acme, "Acme"),
                                 "estimated_value": "36 000,00", "currency": "PLN",
                                 "close_date": date(2027, 1, 29), "stage": "Propose",
                                 "probability": 60},
    }  # fmt: skip
    for record_type, values in forms.items():
        show_list(window, record_type)
        failures = in_form(lambda form, values=values: (fill(form, **values), form.accept()))
        window.records_page.new_button.click()
        assert not failures

    with profile.workspace.crm.sessions() as session:
        assert session.query(Account).filter_by(city="Gdynia").one().emails == [
            "biuro@spedycja-baltyk.pl"
        ]
        agnieszka = session.query(Contact).filter_by(last_name="Dąbrowska").one()
        assert (agnieszka.salutation, agnieszka.account_id, agnieszka.mobile_phone) == (
            "Pani",
            acme.id,
            "+48 601 200 300",
        )
        assert session.query(Lead).filter_by(last_name="Lewandowski").one().status == "contacted"
        training = session.query(Opportunity).filter_by(name="Acme: szkolenia 2027").one()
        assert (training.estimated_value, training.close_date, training.probability) == (
            Decimal("36000.00"),
            date(2027, 1, 29),
            60,
        )
    assert window.records_page.view.title.text() == "Acme: szkolenia 2027"


def test_a_required_field_left_empty_is_said_beside_it_and_nothing_is_saved(
    window: MainWindow, profile: BuiltProfile
) -> None:
    show_list(window, RecordType.CONTACT)
    said: dict[str, str] = {}

    def leave_last_name_empty(form: RecordFormDialog) -> None:
        fill(form, first_name="Marek", phone="zadzwoń")
        form.accept()
        said["last_name"] = form.problems["last_name"].text()
        said["phone"] = form.problems["phone"].text()
        said["still_open"] = str(form.isVisible())
        form.reject()

    failures = in_form(leave_last_name_empty)
    window.records_page.new_button.click()

    assert not failures
    assert said == {
        "last_name": "Required.",
        "phone": "Not a phone number (digits, spaces, + - ( ) /).",
        "still_open": "True",
    }
    with profile.workspace.crm.sessions() as session:
        assert session.query(Contact).filter_by(first_name="Marek").count() == 0


def test_editing_a_contact_changes_its_fields_and_the_history_tab_says_who(
    window: MainWindow, profile: BuiltProfile
) -> None:
    window.open_record(RecordKey(RecordType.CONTACT, profile.records["jan"]))

    failures = in_form(lambda form: (fill(form, job_title="Dyrektor IT", salutation="Pan"),
                                     form.accept()))  # fmt: skip
    window.records_page.view.edit_button.click()

    assert not failures
    view = window.records_page.view
    history = [
        view.history.topLevelItem(row).text(2) for row in range(view.history.topLevelItemCount())
    ]
    assert "Job title: CTO → Dyrektor IT" in history and "Salutation: — → Pan" in history
    assert view.history.topLevelItem(0).text(1) == "Anna Nowak"
    with profile.workspace.crm.sessions() as session:
        jan = session.get(Contact, profile.records["jan"])
        assert jan is not None and (jan.job_title, jan.salutation) == ("Dyrektor IT", "Pan")


def test_a_duplicate_shows_the_match_and_opening_it_saves_nothing(
    window: MainWindow, profile: BuiltProfile
) -> None:
    show_list(window, RecordType.CONTACT)
    seen: list[str] = []

    def open_existing(dialog: QDialog) -> None:
        assert isinstance(dialog, DuplicateDialog)
        seen.extend(dialog.matches.item(0).text().splitlines())
        dialog.open_button.click()

    def type_a_known_name(form: RecordFormDialog) -> None:
        fill(form, first_name="Jan", last_name="KOWALSKI")
        failures.extend(when_dialog_opens(open_existing))
        form.accept()

    failures = in_form(type_a_known_name)
    window.records_page.new_button.click()

    assert not failures
    assert seen == ["Jan Kowalski (Contact) · Acme Sp. z o.o.", "Has the same name."]
    assert window.records_page.view.details is not None
    assert window.records_page.view.details.summary.key.id == profile.records["jan"]
    with profile.workspace.crm.sessions() as session:
        assert session.query(Contact).filter_by(last_name="KOWALSKI").count() == 0


def test_a_lead_with_a_contacts_address_warns_and_save_anyway_saves_it(
    window: MainWindow, profile: BuiltProfile
) -> None:
    show_list(window, RecordType.LEAD)
    titles: list[str] = []

    def save_anyway(dialog: QDialog) -> None:
        assert isinstance(dialog, DuplicateDialog)
        titles.append(dialog.windowTitle())
        titles.append(dialog.matches.item(0).text().splitlines()[1])
        dialog.save_button.click()

    def type_jans_address(form: RecordFormDialog) -> None:
        fill(form, last_name="Kowalski", emails="jan.kowalski@acme.pl", company="Acme")
        failures.extend(when_dialog_opens(save_anyway))
        form.accept()

    failures = in_form(type_jans_address)
    window.records_page.new_button.click()

    assert not failures
    assert titles == [
        "Check before saving",
        "jan.kowalski@acme.pl is this contact's address: the person is a customer already.",
    ]
    with profile.workspace.crm.sessions() as session:
        assert session.query(Lead).filter_by(company="Acme").one().emails == [
            "jan.kowalski@acme.pl"
        ]


def test_delete_says_first_what_becomes_of_the_linked_activities(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.services.set_regarding(profile.items["offer"], acme)
        window.action_finished.emit()
    window.open_record(acme)
    said: list[str] = []

    def confirm(box: QDialog) -> None:
        assert isinstance(box, QMessageBox)
        said.extend([box.text(), box.informativeText()])
        delete = next(b for b in box.buttons() if b.text() == "Delete")
        delete.click()

    failures = when_dialog_opens(confirm)
    window.records_page.view.delete_button.click()

    assert not failures
    assert said == [
        "Delete account Acme Sp. z o.o.?",
        "1 tracked email stays in the CRM, regarding nothing.\n"
        "2 contacts stay, without an account.\n"
        "1 opportunity stays, without an account.",
    ]
    with profile.workspace.crm.sessions() as session:
        assert session.get(Account, acme.id) is None
        assert session.query(EmailActivity).one().regarding_id is None
    window.pages.setCurrentWidget(window.mail_page)
    assert window.message_list.select_item(profile.items["offer"])
    facts = window.crm_pane.facts
    assert facts is not None and facts.is_tracked and facts.regarding is None


def test_qualify_links_the_matching_account_and_moves_the_leads_mail_to_the_opportunity(
    window: MainWindow, profile: BuiltProfile
) -> None:
    ewa = RecordKey(RecordType.LEAD, profile.records["ewa"])
    window.services.set_regarding(profile.items["question"], ewa)
    window.services.save_record(
        RecordType.ACCOUNT,
        {"name": "Wiśniewska Design s.c.", "emails": ["biuro@wisniewska-design.pl"]},
    )
    window.open_record(ewa)
    offered: list[str] = []

    def qualify(dialog: QDialog) -> None:
        assert isinstance(dialog, QualifyDialog)
        offered.append(dialog.account.existing.currentText())
        offered.append(str(dialog.account.link.isChecked()))
        offered.append(dialog.moves.text())
        dialog.accept()

    failures = when_dialog_opens(qualify)
    window.records_page.view.qualify_button.click()

    assert not failures
    assert offered == [
        "Wiśniewska Design s.c.",
        "True",
        "The lead's activities will be regarding the new opportunity.",
    ]
    with profile.workspace.crm.sessions() as session:
        lead = session.get(Lead, ewa.id)
        assert lead is not None and lead.status == "qualified"
        opportunity = session.query(Opportunity).filter_by(lead_id=ewa.id).one()
        account = session.query(Account).filter_by(name="Wiśniewska Design s.c.").one()
        assert opportunity.account_id == account.id
        assert session.query(EmailActivity).one().regarding_id == opportunity.id
    assert not window.records_page.view.qualify_button.isEnabled()


def test_disqualify_closes_the_lead_with_the_chosen_reason(
    window: MainWindow, profile: BuiltProfile
) -> None:
    window.open_record(RecordKey(RecordType.LEAD, profile.records["ewa"]))

    def no_longer_interested(dialog: QDialog) -> None:
        assert isinstance(dialog, DisqualifyDialog)
        dialog.reasons.setCurrentIndex(dialog.reasons.findData("no-longer-interested"))
        dialog.accept()

    failures = when_dialog_opens(no_longer_interested)
    window.records_page.view.disqualify_button.click()

    assert not failures
    view = window.records_page.view
    assert view.kind.text() == "Lead (inactive)"
    with profile.workspace.crm.sessions() as session:
        lead = session.get(Lead, profile.records["ewa"])
        assert lead is not None and lead.status == "no-longer-interested"


def test_create_contact_from_a_cc_opens_the_form_pre_filled_with_the_company_account(
    window: MainWindow, profile: BuiltProfile
) -> None:
    assert window.message_list.select_item(profile.items["offer"])
    [button] = [
        button
        for button in window.crm_pane.findChildren(QToolButton)
        if button.toolTip() == "Create a CRM record for p.zielinski@acme.pl"
    ]
    create_contact = button.menu().actions()[0]
    assert create_contact.text() == "Create Contact"
    shown: dict[str, object] = {}

    def save(form: RecordFormDialog) -> None:
        account = form.editors["account"]
        assert isinstance(account, RegardingField)
        shown["account"] = account.text.text()
        first = form.editors["first_name"]
        assert isinstance(first, QLineEdit)
        shown["first"] = first.text()
        form.accept()

    failures = in_form(save)
    create_contact.trigger()

    assert not failures
    assert shown == {"account": "Acme Sp. z o.o. (Account)", "first": "Piotr"}
    with profile.workspace.crm.sessions() as session:
        piotr = session.query(Contact).filter_by(last_name="Zieliński").one()
        assert piotr.account_id == profile.records["acme"]


def test_convert_to_opportunity_makes_it_for_the_senders_account_and_sets_regarding(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    assert window.message_list.select_item(profile.items["offer"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()
    assert window.convert_opportunity_action.isEnabled()
    shown: dict[str, str] = {}

    def save(form: RecordFormDialog) -> None:
        name, account = form.editors["name"], form.editors["account"]
        assert isinstance(name, QLineEdit) and isinstance(account, RegardingField)
        shown["name"], shown["account"] = name.text(), account.text.text()
        fill(form, estimated_value="120 000", currency="PLN")
        form.accept()

    failures = in_form(save)
    window.convert_opportunity_action.trigger()

    assert not failures
    assert shown == {"name": "Oferta na licencje 2027", "account": "Acme Sp. z o.o. (Account)"}
    facts = window.crm_pane.facts
    assert facts is not None and facts.regarding is not None
    assert facts.regarding.key.type is RecordType.OPPORTUNITY
    assert facts.regarding.name == "Oferta na licencje 2027"


def test_a_timeline_row_opens_its_email_in_the_reading_pane(
    window: MainWindow, profile: BuiltProfile
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    window.services.set_regarding(profile.items["delivery"], acme)
    window.open_record(acme)
    timeline = window.records_page.view.timeline

    timeline.itemActivated.emit(timeline.topLevelItem(0), 0)

    assert window.pages.currentWidget() is window.mail_page
    assert window.reading_pane.subject.text() == "AW: Lieferung KW 47"
    assert window.message_list.selected_item() == profile.items["delivery"]


def test_a_timeline_row_opens_an_appointment_in_its_dialog(
    window: MainWindow, profile: BuiltProfile
) -> None:
    acme = RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    window.services.save_appointment(
        AppointmentDraft(
            subject="Warsztaty wdrożeniowe",
            start=datetime(2026, 11, 19, 13, 0, tzinfo=UTC),
            end=datetime(2026, 11, 19, 15, 0, tzinfo=UTC),
            regarding=acme,
        )
    )
    window.open_record(acme)
    timeline = window.records_page.view.timeline
    opened: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, AppointmentDialog)
        opened.append(dialog.subject.text())
        dialog.reject()

    failures = when_dialog_opens(look)
    timeline.itemActivated.emit(timeline.topLevelItem(0), 0)

    assert not failures and opened == ["Warsztaty wdrożeniowe"]
