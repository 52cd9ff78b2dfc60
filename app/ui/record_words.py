"""How a record's fields, their values and what is wrong with them read in the window, in the
user's language: field names, stages, lead statuses, problems, duplicate matches and history
lines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from app.crm.duplicate_rules import DuplicateMatch, DuplicateRule
from app.crm.editing import CREATED, EDITED, KEPT_ASIDE, HistoryEntry
from app.crm.fields import FieldProblem, Problem
from app.ui.formatting import record_type_name


def field_label(name: str) -> str:
    labels = {
        "name": QCoreApplication.translate("RecordWords", "Name"),
        "salutation": QCoreApplication.translate("RecordWords", "Salutation"),
        "first_name": QCoreApplication.translate("RecordWords", "First name"),
        "last_name": QCoreApplication.translate("RecordWords", "Last name"),
        "suffix": QCoreApplication.translate("RecordWords", "Suffix"),
        "emails": QCoreApplication.translate("RecordWords", "Email"),
        "website": QCoreApplication.translate("RecordWords", "Website"),
        "phone": QCoreApplication.translate("RecordWords", "Phone"),
        "mobile_phone": QCoreApplication.translate("RecordWords", "Mobile phone"),
        "city": QCoreApplication.translate("RecordWords", "City"),
        "country": QCoreApplication.translate("RecordWords", "Country"),
        "account": QCoreApplication.translate("RecordWords", "Account"),
        "contact": QCoreApplication.translate("RecordWords", "Contact"),
        "job_title": QCoreApplication.translate("RecordWords", "Job title"),
        "company": QCoreApplication.translate("RecordWords", "Company"),
        "topic": QCoreApplication.translate("RecordWords", "Topic"),
        "status": QCoreApplication.translate("RecordWords", "Status"),
        "estimated_value": QCoreApplication.translate("RecordWords", "Estimated value"),
        "currency": QCoreApplication.translate("RecordWords", "Currency"),
        "close_date": QCoreApplication.translate("RecordWords", "Close date"),
        "stage": QCoreApplication.translate("RecordWords", "Stage"),
        "probability": QCoreApplication.translate("RecordWords", "Probability"),
    }
    return labels.get(name, name)


def choice_label(value: str) -> str:
    """A stage of an opportunity or a status of a lead."""
    labels = {
        "Qualify": QCoreApplication.translate("RecordWords", "Qualify"),
        "Develop": QCoreApplication.translate("RecordWords", "Develop"),
        "Propose": QCoreApplication.translate("RecordWords", "Propose"),
        "Negotiate": QCoreApplication.translate("RecordWords", "Negotiate"),
        "Won": QCoreApplication.translate("RecordWords", "Won"),
        "Lost": QCoreApplication.translate("RecordWords", "Lost"),
        "new": QCoreApplication.translate("RecordWords", "New"),
        "contacted": QCoreApplication.translate("RecordWords", "Contacted"),
        "qualified": QCoreApplication.translate("RecordWords", "Qualified"),
        "lost": QCoreApplication.translate("RecordWords", "Lost"),
        "cannot-contact": QCoreApplication.translate("RecordWords", "Cannot contact"),
        "no-longer-interested": QCoreApplication.translate("RecordWords", "No longer interested"),
        "canceled": QCoreApplication.translate("RecordWords", "Canceled"),
    }
    return labels.get(value, value)


def problem_text(problem: FieldProblem) -> str:
    texts = {
        Problem.REQUIRED: QCoreApplication.translate("RecordWords", "Required."),
        Problem.TOO_LONG: QCoreApplication.translate("RecordWords", "Too long."),
        Problem.NOT_AN_EMAIL: QCoreApplication.translate(
            "RecordWords", "Not an email address (name@company.com)."
        ),
        Problem.EMAIL_TWICE: QCoreApplication.translate(
            "RecordWords", "The same address is given twice."
        ),
        Problem.NOT_A_PHONE: QCoreApplication.translate(
            "RecordWords", "Not a phone number (digits, spaces, + - ( ) /)."
        ),
        Problem.NOT_A_WEBSITE: QCoreApplication.translate(
            "RecordWords", "Not a web address (company.com)."
        ),
        Problem.NOT_A_NUMBER: QCoreApplication.translate(
            "RecordWords", "Not an amount (like 480 000,00)."
        ),
        Problem.NOT_A_CURRENCY: QCoreApplication.translate(
            "RecordWords", "A currency code is three letters, like PLN or EUR."
        ),
        Problem.NOT_A_DATE: QCoreApplication.translate("RecordWords", "Not a date."),
        Problem.NOT_A_PERCENT: QCoreApplication.translate(
            "RecordWords", "A percentage from 0 to 100."
        ),
        Problem.NOT_A_CHOICE: QCoreApplication.translate("RecordWords", "Not one of the choices."),
        Problem.NOT_A_RECORD: QCoreApplication.translate(
            "RecordWords", "That record is no longer in the CRM."
        ),
        Problem.UNKNOWN_FIELD: QCoreApplication.translate(
            "RecordWords", "Not a field of this record."
        ),
    }
    return texts.get(problem.problem, problem.message)


def match_text(match: DuplicateMatch) -> str:
    """Why a record may be a duplicate of this match, in a sentence."""
    if match.rule is DuplicateRule.CONTACTS_ADDRESS:
        return QCoreApplication.translate(
            "RecordWords", "%1 is this contact's address: the person is a customer already."
        ).replace("%1", match.value)
    if match.rule is DuplicateRule.SAME_EMAIL:
        return QCoreApplication.translate("RecordWords", "Has the address %1.").replace(
            "%1", match.value
        )
    return QCoreApplication.translate("RecordWords", "Has the same name.")


def match_title(match: DuplicateMatch) -> str:
    record = match.record
    title = f"{record.name} ({record_type_name(record.type)})"
    return f"{title} · {record.detail}" if record.detail else title


def history_what(entry: HistoryEntry) -> str:
    """One history line's change in words, its values shown as the form shows them."""
    if entry.action == CREATED:
        return QCoreApplication.translate("RecordWords", "Created")
    if entry.action == EDITED and entry.field:
        return (
            QCoreApplication.translate("RecordWords", "%1: %2 → %3")
            .replace("%1", field_label(entry.field))
            .replace("%2", shown_value(entry.old))
            .replace("%3", shown_value(entry.new))
        )
    if entry.action == KEPT_ASIDE and entry.field:
        return (
            QCoreApplication.translate("RecordWords", "%1: %2 kept aside by a merge; %3 kept")
            .replace("%1", field_label(entry.field))
            .replace("%2", shown_value(entry.old))
            .replace("%3", shown_value(entry.new))
        )
    if entry.action == "qualified":
        return QCoreApplication.translate("RecordWords", "Qualified")
    if entry.action == "disqualified":
        return QCoreApplication.translate("RecordWords", "Disqualified: %1").replace(
            "%1", choice_label(str(entry.new))
        )
    return entry.action


def shown_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return str(value.get("name", value.get("id", "")))
    return choice_label(str(value))
