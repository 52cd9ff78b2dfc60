"""Appointments through exchangelib: single and recurring, occurrences, exceptions, invitations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from exchangelib import Account, CalendarItem, EWSDateTime, EWSTimeZone
from exchangelib.errors import (
    ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange,
    ErrorCalendarOccurrenceIsDeletedFromRecurrence,
    ErrorCalendarViewRangeTooBig,
)
from exchangelib.items import SEND_TO_ALL_AND_SAVE_COPY, MeetingRequest
from exchangelib.recurrence import (
    DailyPattern,
    NumberedPattern,
    Recurrence,
    RelativeMonthlyPattern,
    WeeklyPattern,
)

from tests.support.sandbox import Sandbox, SandboxUser

WARSAW = EWSTimeZone("Europe/Warsaw")
NEW_YORK = EWSTimeZone("America/New_York")


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


# --- occurrences and masters by id ----------------------------------------------------------


def test_an_occurrence_is_fetched_by_its_master_and_index(account: Account) -> None:
    series = _weekly_jour_fixe(account)

    third = series.occurrence(index=3)
    third.refresh()

    assert third.type == "Occurrence"
    assert third.start == EWSDateTime(2026, 10, 19, 9, 30, tzinfo=WARSAW)
    assert third.original_start == third.start
    assert third.subject == "Jour fixe Vertrieb"


def test_an_index_past_the_last_occurrence_is_out_of_the_recurrence_range(
    account: Account,
) -> None:
    series = _weekly_jour_fixe(account, occurrences=3)

    with pytest.raises(ErrorCalendarOccurrenceIndexIsOutOfRecurrenceRange):
        series.occurrence(index=4).refresh()


def test_a_deleted_occurrence_is_reported_as_deleted_from_the_recurrence(
    account: Account,
) -> None:
    series = _weekly_jour_fixe(account)
    series.occurrence(index=2).delete()

    with pytest.raises(ErrorCalendarOccurrenceIsDeletedFromRecurrence):
        series.occurrence(index=2).refresh()


def test_a_modified_occurrence_fetched_by_index_is_the_exception(account: Account) -> None:
    series = _weekly_jour_fixe(account)
    fourth = series.occurrence(index=4)
    fourth.refresh()
    fourth.location = "Online (Teams)"
    fourth.save(update_fields=["location"])

    again = series.occurrence(index=4)
    again.refresh()

    assert (again.type, again.location) == ("Exception", "Online (Teams)")


def test_the_master_is_fetched_from_any_occurrence_of_the_series(account: Account) -> None:
    series = _weekly_jour_fixe(account)
    occurrence = _view(account, dt.date(2026, 10, 10), dt.date(2026, 10, 14))[0]

    master = occurrence.recurring_master()
    master.refresh()

    assert (master.id, master.type) == (series.id, "RecurringMaster")
    assert isinstance(master.recurrence.pattern, WeeklyPattern)


# --- all-day events -------------------------------------------------------------------------


def _all_day(account: Account, subject: str, start: Any, end: Any) -> CalendarItem:
    event = CalendarItem(
        account=account,
        folder=account.calendar,
        subject=subject,
        start=start,
        end=end,
        is_all_day=True,
    )
    event.save()
    return event


def test_an_all_day_event_keeps_its_days_for_a_reader_in_another_time_zone(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    account.default_timezone = WARSAW
    holiday = _all_day(
        account, "Narodowe Święto Niepodległości", dt.date(2026, 11, 11), dt.date(2026, 11, 11)
    )
    reader = sandbox.account(user)
    reader.default_timezone = NEW_YORK

    fetched = reader.calendar.get(id=holiday.id)

    assert fetched.is_all_day
    assert (fetched.start, fetched.end) == (dt.date(2026, 11, 11), dt.date(2026, 11, 11))


def test_an_all_day_event_covers_the_whole_days_in_its_own_zone(account: Account) -> None:
    account.default_timezone = WARSAW
    trade_fair = _all_day(
        account, "transport logistic München", dt.date(2026, 6, 2), dt.date(2026, 6, 4)
    )

    fetched = account.calendar.get(id=trade_fair.id)

    assert fetched.duration == "P3D"
    assert fetched.start == dt.date(2026, 6, 2)


def test_times_given_to_an_all_day_event_are_pushed_out_to_midnight(account: Account) -> None:
    offsite = _all_day(
        account,
        "Strategietag Vertrieb",
        EWSDateTime(2026, 9, 15, 9, 0, tzinfo=WARSAW),
        EWSDateTime(2026, 9, 15, 17, 0, tzinfo=WARSAW),
    )

    fetched = account.calendar.get(id=offsite.id)

    assert (fetched.start, fetched.end) == (dt.date(2026, 9, 15), dt.date(2026, 9, 15))
    assert fetched.duration == "P1D"


def test_an_all_day_event_in_tokyo_is_seen_on_its_day_from_europe(account: Account) -> None:
    tokyo = EWSTimeZone("Asia/Tokyo")
    _all_day(
        account,
        "Kundentermin Yokohama",
        EWSDateTime(2026, 11, 20, 0, 0, tzinfo=tokyo),
        EWSDateTime(2026, 11, 21, 0, 0, tzinfo=tokyo),
    )

    evening_before = list(
        account.calendar.view(
            start=EWSDateTime(2026, 11, 19, 12, 0, tzinfo=WARSAW),
            end=EWSDateTime(2026, 11, 19, 15, 0, tzinfo=WARSAW),
        )
    )
    next_afternoon = list(
        account.calendar.view(
            start=EWSDateTime(2026, 11, 20, 17, 0, tzinfo=WARSAW),
            end=EWSDateTime(2026, 11, 20, 18, 0, tzinfo=WARSAW),
        )
    )

    # 00:00 in Tokyo is 16:00 the evening before in Warsaw; the day ends at 16:00 on the 20th.
    assert [i.subject for i in evening_before] == []
    assert [i.subject for i in next_afternoon] == []
    assert [
        i.subject
        for i in account.calendar.view(
            start=EWSDateTime(2026, 11, 19, 16, 30, tzinfo=WARSAW),
            end=EWSDateTime(2026, 11, 19, 17, 0, tzinfo=WARSAW),
        )
    ] == ["Kundentermin Yokohama"]


# --- calendar views -------------------------------------------------------------------------


def test_a_view_with_more_entries_than_asked_for_answers_the_earliest(account: Account) -> None:
    _weekly_jour_fixe(account, occurrences=5)

    shown = list(
        account.calendar.view(
            start=EWSDateTime(2026, 10, 1, tzinfo=WARSAW),
            end=EWSDateTime(2026, 12, 1, tzinfo=WARSAW),
            max_items=3,
        )
    )

    assert [o.start.astimezone(WARSAW).date() for o in shown] == [
        dt.date(2026, 10, 5),
        dt.date(2026, 10, 12),
        dt.date(2026, 10, 19),
    ]


def test_a_view_longer_than_two_years_is_refused(account: Account) -> None:
    with pytest.raises(ErrorCalendarViewRangeTooBig):
        list(
            account.calendar.view(
                start=EWSDateTime(2026, 1, 1, tzinfo=WARSAW),
                end=EWSDateTime(2028, 1, 2, tzinfo=WARSAW),
            )
        )


def test_an_appointment_ending_when_the_view_starts_is_not_in_it(account: Account) -> None:
    CalendarItem(
        account=account,
        folder=account.calendar,
        subject="Frühstück mit Herrn Brandt",
        start=EWSDateTime(2026, 10, 14, 8, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 10, 14, 9, 0, tzinfo=WARSAW),
    ).save()

    after = list(
        account.calendar.view(
            start=EWSDateTime(2026, 10, 14, 9, 0, tzinfo=WARSAW),
            end=EWSDateTime(2026, 10, 14, 12, 0, tzinfo=WARSAW),
        )
    )

    assert after == []


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
