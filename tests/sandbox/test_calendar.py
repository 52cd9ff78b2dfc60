"""Appointments through exchangelib: single and recurring, occurrences, exceptions, invitations."""

from __future__ import annotations

import datetime as dt

import pytest
from exchangelib import Account, CalendarItem, EWSDateTime, EWSTimeZone
from exchangelib.errors import EWSError
from exchangelib.items import SEND_TO_ALL_AND_SAVE_COPY, MeetingRequest
from exchangelib.recurrence import (
    DailyPattern,
    NumberedPattern,
    Recurrence,
    RelativeMonthlyPattern,
    WeeklyPattern,
)

from tests.support.sandbox import Sandbox

WARSAW = EWSTimeZone("Europe/Warsaw")


def _weekly_jour_fixe(account: Account, occurrences: int = 5) -> CalendarItem:
    series = CalendarItem(
        account=account,
        folder=account.calendar,
        subject="Jour fixe Vertrieb",
        location="Sala Wisła",
        start=EWSDateTime(2026, 10, 5, 9, 30, tzinfo=WARSAW),
        end=EWSDateTime(2026, 10, 5, 10, 0, tzinfo=WARSAW),
        recurrence=Recurrence(
            pattern=WeeklyPattern(interval=1, weekdays=["Monday"]),
            start=dt.date(2026, 10, 5),
            number=occurrences,
        ),
    )
    series.save()
    return series


def _view(account: Account, first: dt.date, last: dt.date) -> list[CalendarItem]:
    return list(
        account.calendar.view(
            start=EWSDateTime(first.year, first.month, first.day, tzinfo=WARSAW),
            end=EWSDateTime(last.year, last.month, last.day, tzinfo=WARSAW),
        )
    )


def test_a_single_appointment_round_trips_in_its_time_zone(account: Account) -> None:
    meeting = CalendarItem(
        account=account,
        folder=account.calendar,
        subject="Besuch bei Acme Logistics",
        location="Hamburg, Speicherstadt",
        body="Agenda: Rahmenvertrag 2027",
        start=EWSDateTime(2026, 10, 14, 14, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 10, 14, 15, 30, tzinfo=WARSAW),
        categories=["Kunde"],
    )
    meeting.save()

    fetched = account.calendar.get(id=meeting.id)

    assert fetched.start == EWSDateTime(2026, 10, 14, 14, 0, tzinfo=WARSAW)
    assert fetched.end - fetched.start == dt.timedelta(minutes=90)
    assert (fetched.subject, fetched.location, fetched.type) == (
        "Besuch bei Acme Logistics",
        "Hamburg, Speicherstadt",
        "Single",
    )
    assert fetched.duration == "PT1H30M"


def test_a_weekly_series_expands_to_its_occurrences_at_the_same_local_time(
    account: Account,
) -> None:
    _weekly_jour_fixe(account, occurrences=5)

    occurrences = _view(account, dt.date(2026, 10, 1), dt.date(2026, 11, 30))

    assert [o.start.astimezone(WARSAW).date() for o in occurrences] == [
        dt.date(2026, 10, 5),
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 19),
        dt.date(2026, 10, 26),
        dt.date(2026, 11, 2),
    ]
    # The series crosses the end of summer time; the local time stays 09:30.
    assert {o.start.astimezone(WARSAW).time() for o in occurrences} == {dt.time(9, 30)}
    assert {o.type for o in occurrences} == {"Occurrence"}


def test_the_master_knows_its_first_and_last_occurrence(account: Account) -> None:
    series = _weekly_jour_fixe(account, occurrences=3)

    master = account.calendar.get(id=series.id)

    assert master.type == "RecurringMaster"
    assert master.first_occurrence.start.astimezone(WARSAW).date() == dt.date(2026, 10, 5)
    assert master.last_occurrence.start.astimezone(WARSAW).date() == dt.date(2026, 10, 19)
    assert isinstance(master.recurrence.pattern, WeeklyPattern)
    assert isinstance(master.recurrence.boundary, NumberedPattern)


def test_moving_one_occurrence_makes_an_exception_and_leaves_the_rest(account: Account) -> None:
    series = _weekly_jour_fixe(account)
    second = series.occurrence(index=2)
    second.refresh()

    second.start = EWSDateTime(2026, 10, 13, 11, 0, tzinfo=WARSAW)
    second.end = EWSDateTime(2026, 10, 13, 11, 30, tzinfo=WARSAW)
    second.subject = "Jour fixe Vertrieb (verschoben)"
    second.save(update_fields=["start", "end", "subject"])

    master = account.calendar.get(id=series.id)
    occurrences = _view(account, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    exception = next(o for o in occurrences if o.type == "Exception")

    assert len(master.modified_occurrences) == 1
    assert exception.subject == "Jour fixe Vertrieb (verschoben)"
    assert exception.start == EWSDateTime(2026, 10, 13, 11, 0, tzinfo=WARSAW)
    assert exception.original_start.astimezone(WARSAW).date() == dt.date(2026, 10, 12)
    assert sum(1 for o in occurrences if o.subject == "Jour fixe Vertrieb") == 4


def test_deleting_one_occurrence_lists_it_among_the_deleted(account: Account) -> None:
    series = _weekly_jour_fixe(account)

    series.occurrence(index=3).delete()

    master = account.calendar.get(id=series.id)
    dates = [
        o.start.astimezone(WARSAW).date()
        for o in _view(account, dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    ]
    assert [d.start.astimezone(WARSAW).date() for d in master.deleted_occurrences] == [
        dt.date(2026, 10, 19)
    ]
    assert dt.date(2026, 10, 19) not in dates
    assert len(dates) == 4


def test_a_series_change_is_seen_by_calendar_sync_as_an_update_of_the_master(
    account: Account,
) -> None:
    series = _weekly_jour_fixe(account)
    list(account.calendar.sync_items(only_fields=["subject"]))
    state = account.calendar.item_sync_state

    series.occurrence(index=1).delete()
    changes = list(account.calendar.sync_items(sync_state=state, only_fields=["subject"]))

    assert [(kind, item.id) for kind, item in changes] == [("update", series.id)]


def test_daily_and_monthly_patterns_expand_as_outlook_would(account: Account) -> None:
    start = EWSDateTime(2026, 10, 1, 8, 0, tzinfo=WARSAW)
    CalendarItem(
        account=account,
        folder=account.calendar,
        subject="Tagesbesprechung",
        start=start,
        end=start + dt.timedelta(minutes=15),
        recurrence=Recurrence(
            pattern=DailyPattern(interval=2), start=dt.date(2026, 10, 1), number=3
        ),
    ).save()
    CalendarItem(
        account=account,
        folder=account.calendar,
        subject="Monatsabschluss",
        start=EWSDateTime(2026, 10, 30, 16, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 10, 30, 17, 0, tzinfo=WARSAW),
        recurrence=Recurrence(
            pattern=RelativeMonthlyPattern(interval=1, weekday=5, week_number=5),
            start=dt.date(2026, 10, 1),
            number=3,
        ),
    ).save()

    seen = _view(account, dt.date(2026, 10, 1), dt.date(2027, 1, 1))
    by_subject = {
        subject: [o.start.astimezone(WARSAW).date() for o in seen if o.subject == subject]
        for subject in ("Tagesbesprechung", "Monatsabschluss")
    }

    assert by_subject["Tagesbesprechung"] == [
        dt.date(2026, 10, 1),
        dt.date(2026, 10, 3),
        dt.date(2026, 10, 5),
    ]
    assert by_subject["Monatsabschluss"] == [
        dt.date(2026, 10, 30),
        dt.date(2026, 11, 27),
        dt.date(2026, 12, 25),
    ]


def test_an_invitation_reaches_the_attendee_as_request_and_tentative_appointment(
    sandbox: Sandbox,
) -> None:
    organizer, attendee = sandbox.new_user("Anna Kowalska"), sandbox.new_user("Jan Nowak")
    organizer_account, attendee_account = sandbox.account(organizer), sandbox.account(attendee)
    meeting = CalendarItem(
        account=organizer_account,
        folder=organizer_account.calendar,
        subject="Abstimmung Angebot Acme",
        start=EWSDateTime(2026, 10, 20, 13, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 10, 20, 14, 0, tzinfo=WARSAW),
        required_attendees=[attendee.address],
    )
    meeting.save(send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)

    (request,) = attendee_account.inbox.all()
    (tentative,) = attendee_account.calendar.all()
    sent = organizer_account.calendar.get(id=meeting.id)

    assert isinstance(request, MeetingRequest)
    assert request.subject == "Abstimmung Angebot Acme"
    assert request.author.email_address == organizer.address
    assert tentative.legacy_free_busy_status == "Tentative"
    assert tentative.uid == sent.uid
    assert sent.is_meeting and sent.meeting_request_was_sent
    assert sent.my_response_type == "Organizer"


def _invite(sandbox: Sandbox) -> tuple[Account, Account, CalendarItem]:
    organizer, attendee = sandbox.new_user("Anna Kowalska"), sandbox.new_user("Jan Nowak")
    organizer_account, attendee_account = sandbox.account(organizer), sandbox.account(attendee)
    meeting = CalendarItem(
        account=organizer_account,
        folder=organizer_account.calendar,
        subject="Abstimmung Angebot Acme",
        start=EWSDateTime(2026, 10, 20, 13, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 10, 20, 14, 0, tzinfo=WARSAW),
        required_attendees=[attendee.address],
    )
    meeting.save(send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)
    return organizer_account, attendee_account, meeting


def test_an_accepted_invitation_is_recorded_on_the_organizers_meeting(sandbox: Sandbox) -> None:
    organizer_account, attendee_account, meeting = _invite(sandbox)
    before = organizer_account.calendar.get(id=meeting.id).changekey

    (request,) = attendee_account.inbox.all()
    request.accept()

    sent = organizer_account.calendar.get(id=meeting.id)
    (attendee,) = sent.required_attendees
    assert attendee.response_type == "Accept" and attendee.last_response_time is not None
    assert sent.changekey != before  # calendar sync sees the master updated
    (own,) = attendee_account.calendar.all()
    assert (own.my_response_type, own.legacy_free_busy_status) == ("Accept", "Busy")
    assert list(attendee_account.inbox.all()) == []  # the request answered goes
    assert [item.subject for item in attendee_account.trash.all()] == ["Abstimmung Angebot Acme"]


def test_a_declined_meeting_leaves_the_attendees_calendar(sandbox: Sandbox) -> None:
    organizer_account, attendee_account, meeting = _invite(sandbox)

    (request,) = attendee_account.inbox.all()
    request.decline()

    (attendee,) = organizer_account.calendar.get(id=meeting.id).required_attendees
    assert attendee.response_type == "Decline"
    assert list(attendee_account.calendar.all()) == []


def test_the_organizer_cannot_answer_their_own_meeting(sandbox: Sandbox) -> None:
    organizer_account, _, meeting = _invite(sandbox)
    sent = organizer_account.calendar.get(id=meeting.id)

    with pytest.raises(EWSError):
        sent.accept()

    assert organizer_account.calendar.get(id=meeting.id).changekey == sent.changekey


def test_a_new_pattern_drops_the_series_exceptions(account: Account) -> None:
    series = _weekly_jour_fixe(account)
    third = series.occurrence(index=3)
    third.refresh()
    third.start += dt.timedelta(hours=2)
    third.end += dt.timedelta(hours=2)
    third.save(update_fields=["start", "end"])
    series.occurrence(index=4).delete()

    series = account.calendar.get(id=series.id)
    series.recurrence = Recurrence(
        pattern=WeeklyPattern(interval=1, weekdays=["Tuesday"]),
        start=dt.date(2026, 10, 6),
        number=5,
    )
    series.save(update_fields=["recurrence"])

    changed = account.calendar.get(id=series.id)
    assert changed.modified_occurrences is None and changed.deleted_occurrences is None
