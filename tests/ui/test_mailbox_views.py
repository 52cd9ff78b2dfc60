"""The cache views the window reads: listings in display order, rows by page, recurrences."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.mailbox.views import (
    ListingQuery,
    SortKey,
    calendar_items,
    linked_activities,
    listing_ids,
    message_rows,
)
from app.services.workspace import WorkspaceServices
from tests.ui.mailbox_builder import OWNER, BuiltProfile, add_scheduled


def test_a_listing_is_newest_first_and_rows_come_back_in_its_order(
    profile: BuiltProfile,
) -> None:
    with profile.workspace.local.sessions() as session:
        ids = listing_ids(session, ListingQuery(profile.folders["inbox"]))
        rows = message_rows(session, list(reversed(ids)))
    assert list(ids) == [
        profile.items["offer"],
        profile.items["delivery"],
        profile.items["newsletter"],
        profile.items["question"],
    ]
    assert [row.id for row in rows] == list(reversed(ids))


def test_search_words_must_all_match_and_wildcards_are_literal(profile: BuiltProfile) -> None:
    with profile.workspace.local.sessions() as session:
        inbox = profile.folders["inbox"]
        assert list(listing_ids(session, ListingQuery(inbox, search="oferta 2027"))) == [
            profile.items["offer"]
        ]
        assert list(listing_ids(session, ListingQuery(inbox, search="100%"))) == []
        assert list(listing_ids(session, ListingQuery(inbox, search="_"))) == []


def test_sorting_by_subject_ascending(profile: BuiltProfile) -> None:
    with profile.workspace.local.sessions() as session:
        query = ListingQuery(profile.folders["inbox"], SortKey.SUBJECT, descending=False)
        rows = message_rows(session, listing_ids(session, query))
    assert [row.subject[:5] for row in rows] == ["AW: L", "Newsl", "Ofert", "Pytan"]


def test_a_message_deleted_after_the_listing_is_left_out_of_its_page(
    profile: BuiltProfile,
) -> None:
    with profile.workspace.local.sessions() as session:
        rows = message_rows(session, [profile.items["offer"], 999_999])
    assert [row.id for row in rows] == [profile.items["offer"]]


def _occurrences(profile: BuiltProfile, recurrence: dict[str, object]) -> list[date]:
    add_scheduled(
        profile.workspace,
        profile.folders["calendar"],
        "board",
        "Zarząd",
        {
            "start": "2026-01-30T09:00:00+00:00",
            "end": "2026-01-30T10:00:00+00:00",
            "recurrence": recurrence,
        },
    )
    with profile.workspace.local.sessions() as session:
        items = calendar_items(
            session,
            OWNER,
            datetime(2026, 1, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
            linked_activities(session, OWNER),
        )
    return [item.start.date() for item in items if item.subject == "Zarząd"]


def test_the_last_friday_of_every_month(profile: BuiltProfile) -> None:
    days = _occurrences(
        profile,
        {"pattern": "relative-monthly", "interval": 1, "weekday": "Friday", "week_number": "Last",
         "start": "2026-01-30", "end": "2026-06-30", "count": None},
    )  # fmt: skip
    assert days == [
        date(2026, 1, 30),
        date(2026, 2, 27),
        date(2026, 3, 27),
        date(2026, 4, 24),
        date(2026, 5, 29),
        date(2026, 6, 26),
    ]


def test_a_monthly_day_that_a_month_lacks_falls_on_its_last_day_and_count_is_honoured(
    profile: BuiltProfile,
) -> None:
    # Exchange's DayOfMonth: "larger than the number of days in the month, the last day of the
    # month is assumed" (the sandbox expands series the same way).
    days = _occurrences(
        profile,
        {"pattern": "monthly", "interval": 1, "day_of_month": 30, "start": "2026-01-30",
         "end": None, "count": 3},
    )  # fmt: skip
    assert days == [date(2026, 1, 30), date(2026, 2, 28), date(2026, 3, 30)]


def test_a_linked_appointment_shows_as_tracked_regarding_its_crm_record(
    profile: BuiltProfile, services: WorkspaceServices
) -> None:
    entries = services.calendar_entries(
        datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC)
    )
    review = next(entry for entry in entries if entry.subject.startswith("Przegląd"))
    assert review.tracking_state == "none" and review.activity_id is None
