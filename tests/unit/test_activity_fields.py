"""Appointments and tasks as one flat dictionary both sides compare (app.sync.activity_fields),
and the rules of the CRM's own values (app.crm.schedule): what is a difference and what is not."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from app.crm.schedule import changed_occurrence, task_progress, without_occurrence
from app.mailbox.remote import ItemKind
from app.sync.activity_fields import normalised
from app.sync.conflicts import Side, merge

MEETING: dict[str, Any] = {
    "subject": "Jour fixe Müller GmbH",
    "start": "2026-10-12T07:00:00+00:00",
    "end": "2026-10-12T08:00:00+00:00",
    "location": "Sala Wisła",
    "time_zone": "Europe/Warsaw",
    "recurrence": {
        "pattern": "weekly",
        "interval": 1,
        "weekdays": ["Monday"],
        "start": "2026-10-12",
        "end": None,
        "count": 4,
    },
}


def appointment(**values: Any) -> dict[str, Any]:
    return normalised(ItemKind.APPOINTMENT, {**MEETING, **values})


def test_attendees_compare_whatever_their_order_and_the_case_of_their_addresses() -> None:
    crm = appointment(
        attendees=[
            {"email": "Jan.Kowalski@acme.pl", "name": "Jan Kowalski", "type": "required"},
            {"email": "sala.odra@brightwave.example", "type": "resource"},
        ]
    )
    exchange = appointment(
        attendees=[
            {"email": "sala.odra@brightwave.example", "type": "resource", "response": "Unknown"},
            {"email": "jan.kowalski@acme.pl", "name": "Jan Kowalski", "type": "required"},
        ]
    )

    assert crm == exchange


def test_an_exception_naming_the_series_subject_and_place_is_the_same_as_one_that_does_not() -> (
    None
):
    exception = {"original_start": "2026-10-19T07:00:00+00:00", "start": "2026-10-19T09:00:00Z"}
    as_crm = appointment(recurrence={**MEETING["recurrence"], "modified": [exception]})
    as_exchange = appointment(
        recurrence={
            **MEETING["recurrence"],
            "first_day_of_week": "Monday",
            "modified": [
                {
                    **exception,
                    "end": "2026-10-19T10:00:00+00:00",
                    "subject": "Jour fixe Müller GmbH",
                    "location": "Sala Wisła",
                }
            ],
        }
    )

    assert as_crm == as_exchange
    assert as_crm["recurrence"]["modified"][0]["end"] == "2026-10-19T10:00:00+00:00"


def test_an_exception_that_changes_nothing_is_no_exception() -> None:
    same = {
        "original_start": "2026-10-19T07:00:00+00:00",
        "start": "2026-10-19T07:00:00+00:00",
        "end": "2026-10-19T08:00:00+00:00",
    }
    assert appointment(recurrence={**MEETING["recurrence"], "modified": [same]}) == appointment()


def test_a_task_reminder_keeps_its_time_while_its_dates_are_days() -> None:
    task = normalised(
        ItemKind.TASK, {"due": "2026-10-09T15:30:00+00:00", "reminder": "2026-10-08T07:30:00+00:00"}
    )

    assert (task["due"], task["reminder"]) == (
        "2026-10-09T00:00:00+00:00",
        "2026-10-08T07:30:00+00:00",
    )


_TEXT = st.text(max_size=12)
_MOMENTS = st.sampled_from(
    [None, "2026-10-12T07:00:00+00:00", "2026-10-12T09:00:00+02:00", "2026-10-19T07:00:00Z"]
)


@given(
    subject=_TEXT,
    location=_TEXT,
    reminder=st.none() | st.integers(min_value=0, max_value=20160),
    attendees=st.lists(
        st.fixed_dictionaries(
            {
                "email": st.emails(),
                "type": st.sampled_from(["required", "optional", "resource"]),
                "response": st.sampled_from(["Unknown", "Accept", "Decline"]),
            }
        ),
        max_size=4,
    ),
    moved=_MOMENTS,
    deleted=st.lists(_MOMENTS.filter(bool), max_size=3),
)
def test_normalising_twice_changes_nothing_more(
    subject: str,
    location: str,
    reminder: int | None,
    attendees: list[dict[str, str]],
    moved: str | None,
    deleted: list[str],
) -> None:
    exception = {"original_start": "2026-10-19T07:00:00+00:00", "start": moved, "subject": subject}
    once = appointment(
        subject=subject,
        location=location,
        reminder=reminder,
        attendees=attendees,
        recurrence={**MEETING["recurrence"], "modified": [exception], "deleted": deleted},
    )

    assert normalised(ItemKind.APPOINTMENT, once) == once


def test_new_fields_follow_the_conflict_rule_exchange_keeps_what_lives_in_the_mailbox() -> None:
    base = appointment(reminder=15, show_as="Busy")
    crm = appointment(reminder=30, show_as="OOF")
    exchange = appointment(reminder=5, show_as="Tentative")

    result = merge(base, crm, exchange)

    assert (result.merged["reminder"], result.merged["show_as"]) == (5, "Tentative")
    assert {lost.field: lost.kept for lost in result.lost} == {
        "reminder": Side.EXCHANGE,
        "show_as": Side.EXCHANGE,
    }


def test_an_answer_arriving_on_exchange_reaches_the_crm_without_a_conflict() -> None:
    invited = [{"email": "jan.kowalski@acme.pl", "type": "required", "response": "Unknown"}]
    answered = [{"email": "jan.kowalski@acme.pl", "type": "required", "response": "Accept"}]

    result = merge(
        appointment(attendees=invited),
        appointment(attendees=invited),
        appointment(attendees=answered),
    )

    assert result.lost == ()
    assert result.to_crm == {"attendees": appointment(attendees=answered)["attendees"]}


def test_task_progress_stays_coherent() -> None:
    assert task_progress("InProgress", 100) == ("Completed", 100)
    assert task_progress("Completed", 20) == ("Completed", 100)
    assert task_progress("NotStarted", 30) == ("InProgress", 30)
    assert task_progress("Deferred", 140) == ("Completed", 100)
    assert task_progress("WaitingOnOthers", 40) == ("WaitingOnOthers", 40)


def test_an_occurrence_changed_then_deleted_is_only_deleted() -> None:
    moved = changed_occurrence(
        MEETING["recurrence"],
        "2026-10-19T07:00:00+00:00",
        "2026-10-19T09:00:00+00:00",
        "2026-10-19T10:00:00+00:00",
        "Jour fixe",
        "Online",
    )
    gone = without_occurrence(moved, "2026-10-19T07:00:00+00:00")

    assert len(moved["modified"]) == 1
    assert (gone["modified"], gone["deleted"]) == ([], ["2026-10-19T07:00:00+00:00"])
    assert MEETING["recurrence"].get("modified") is None  # the series given is left alone
