"""Graph events on the sandbox, as any Graph client sees them: events are the calendar items EWS
reads and writes, listed in pages; the calendarView's delta shows a series as its occurrences
and says what was removed; PATCH with a stale change key and Graph's errors."""

from __future__ import annotations

from typing import Any

import pytest
from exchangelib import CalendarItem

from tests.sandbox.graph.test_graph_mail import CLIENT_ID, Graph
from tests.support.sandbox import Sandbox, SandboxUser

WINDOW = {"startDateTime": "2026-09-01T00:00:00Z", "endDateTime": "2026-12-31T00:00:00Z"}
REVIEW = {
    "subject": "Przegląd umowy – Acme Logistics",
    "start": {"dateTime": "2026-10-06T10:00:00", "timeZone": "Europe/Warsaw"},
    "end": {"dateTime": "2026-10-06T11:00:00", "timeZone": "Europe/Warsaw"},
    "location": {"displayName": "Sala Wisła"},
    "categories": ["Tracked to Liaison"],
}
JOUR_FIXE = {
    "subject": "Jour fixe Müller GmbH",
    "start": {"dateTime": "2026-10-05T09:00:00", "timeZone": "UTC"},
    "end": {"dateTime": "2026-10-05T10:00:00", "timeZone": "UTC"},
    "recurrence": {
        "pattern": {"type": "weekly", "interval": 1, "daysOfWeek": ["monday"]},
        "range": {"type": "numbered", "startDate": "2026-10-05", "numberOfOccurrences": 3},
    },
}


@pytest.fixture
def graph(sandbox: Sandbox, user: SandboxUser) -> Graph:
    return Graph(sandbox, user)


def post(graph: Graph, event: dict[str, Any]) -> dict[str, Any]:
    answer = graph.call("POST", "/me/events", json=event)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def delta(graph: Graph, link: str = "/me/calendarView/delta") -> dict[str, Any]:
    params = WINDOW if "?" not in link else None
    answer = graph.call("GET", link, params=params)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def error_of(answer: Any) -> tuple[int, str]:
    return answer.status_code, answer.json()["error"]["code"]


def test_an_event_is_answered_in_utc_and_keeps_the_zone_it_was_made_in(graph: Graph) -> None:
    event = post(graph, REVIEW)

    assert event["start"] == {"dateTime": "2026-10-06T08:00:00.0000000", "timeZone": "UTC"}
    assert event["originalStartTimeZone"] == "Central European Standard Time"
    assert (event["type"], event["seriesMasterId"]) == ("singleInstance", None)
    assert event["@odata.etag"] == f'W/"{event["changeKey"]}"'


def test_an_event_written_through_graph_is_the_calendar_item_ews_reads(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    post(graph, REVIEW)

    (item,) = list(sandbox.account(user).calendar.all())
    assert isinstance(item, CalendarItem)
    assert (item.subject, item.location) == (REVIEW["subject"], "Sala Wisła")
    assert item.categories == ["Tracked to Liaison"]
    assert item._start_timezone.key == "Europe/Warsaw"


def test_a_calendar_lists_its_events_in_pages_with_a_next_link(graph: Graph) -> None:
    for name in ("Acme Logistics", "Nova Retail", "Müller GmbH"):
        post(graph, {**REVIEW, "subject": f"Spotkanie – {name}"})
    calendar = graph.call("GET", "/me/calendar").json()["id"]

    first = graph.call("GET", f"/me/calendars/{calendar}/events", params={"$top": "2"}).json()
    second = graph.call("GET", first["@odata.nextLink"]).json()

    assert [e["subject"] for e in first["value"] + second["value"]] == [
        "Spotkanie – Acme Logistics",
        "Spotkanie – Nova Retail",
        "Spotkanie – Müller GmbH",
    ]
    assert "@odata.nextLink" not in second


def test_an_event_is_found_by_the_value_of_an_extended_property(graph: Graph) -> None:
    post(graph, {**REVIEW, "singleValueExtendedProperties": [{"id": CLIENT_ID, "value": "c-42"}]})
    post(graph, {**REVIEW, "subject": "Dentysta"})
    wanted = f"singleValueExtendedProperties/any(ep: ep/id eq '{CLIENT_ID}' and ep/value eq 'c-42')"

    found = graph.call("GET", "/me/events", params={"$filter": wanted}).json()["value"]

    assert [event["subject"] for event in found] == [REVIEW["subject"]]


def test_the_calendar_view_delta_shows_a_series_as_its_occurrences_never_its_master(
    graph: Graph,
) -> None:
    master = post(graph, JOUR_FIXE)

    listed = delta(graph)["value"]

    assert [e["type"] for e in listed] == ["occurrence"] * 3
    assert {e["seriesMasterId"] for e in listed} == {master["id"]}
    assert [e["originalStart"] for e in listed] == [
        "2026-10-05T09:00:00Z",
        "2026-10-12T09:00:00Z",
        "2026-10-19T09:00:00Z",
    ]
    assert master["recurrence"]["range"]["numberOfOccurrences"] == 3


def test_the_calendar_view_delta_comes_in_pages(graph: Graph) -> None:
    for name in ("Acme Logistics", "Nova Retail", "Müller GmbH"):
        post(graph, {**REVIEW, "subject": f"Spotkanie – {name}"})
    headers = {"Prefer": "odata.maxpagesize=2"}

    first = graph.call("GET", "/me/calendarView/delta", params=WINDOW, headers=headers).json()
    second = graph.call("GET", first["@odata.nextLink"], headers=headers).json()

    assert len(first["value"]) == 2 and "@odata.deltaLink" not in first
    assert [e["subject"] for e in second["value"]] == ["Spotkanie – Müller GmbH"]
    assert "@odata.deltaLink" in second


def test_a_delta_link_reports_a_deleted_event_as_removed(graph: Graph) -> None:
    event = post(graph, REVIEW)
    link = delta(graph)["@odata.deltaLink"]

    assert graph.call("DELETE", f"/me/events/{event['id']}").status_code == 204
    changes = delta(graph, link)["value"]

    assert changes == [
        {
            "@odata.type": "#microsoft.graph.event",
            "id": event["id"],
            "@removed": {"reason": "deleted"},
        }
    ]


def test_an_occurrence_deleted_from_its_series_is_removed_from_the_calendar_view(
    graph: Graph,
) -> None:
    master = post(graph, JOUR_FIXE)
    first = delta(graph)
    second_occurrence = first["value"][1]["id"]

    assert graph.call("DELETE", f"/me/events/{second_occurrence}").status_code == 204
    changes = delta(graph, first["@odata.deltaLink"])["value"]
    instances = graph.call("GET", f"/me/events/{master['id']}/instances", params=WINDOW).json()

    assert [(c["id"], c.get("@removed")) for c in changes] == [
        (second_occurrence, {"reason": "deleted"})
    ]
    assert [i["originalStart"][:10] for i in instances["value"]] == ["2026-10-05", "2026-10-19"]


def test_a_patched_occurrence_becomes_an_exception_ews_sees(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    master = post(graph, JOUR_FIXE)
    instances = graph.call("GET", f"/me/events/{master['id']}/instances", params=WINDOW).json()
    third = instances["value"][2]["id"]

    answer = graph.call(
        "PATCH", f"/me/events/{third}", json={"location": {"displayName": "Online"}}
    )

    assert answer.status_code == 200
    assert (answer.json()["type"], answer.json()["location"]["displayName"]) == (
        "exception",
        "Online",
    )
    (item,) = list(sandbox.account(user).calendar.all())
    assert [str(o.original_start.date()) for o in item.modified_occurrences] == ["2026-10-19"]


def test_a_stale_change_key_fails_on_a_property_changed_since_it(graph: Graph) -> None:
    event = post(graph, REVIEW)
    graph.call("PATCH", f"/me/events/{event['id']}", json={"location": {"displayName": "Odra"}})

    answer = graph.call(
        "PATCH",
        f"/me/events/{event['id']}",
        json={"location": {"displayName": "Sala Bug"}},
        headers={"If-Match": event["@odata.etag"]},
    )

    assert error_of(answer) == (412, "ErrorIrresolvableConflict")


def test_a_stale_change_key_on_a_property_nobody_changed_is_no_conflict(graph: Graph) -> None:
    event = post(graph, REVIEW)
    graph.call("PATCH", f"/me/events/{event['id']}", json={"location": {"displayName": "Odra"}})

    answer = graph.call(
        "PATCH",
        f"/me/events/{event['id']}",
        json={"subject": "Przegląd umowy 2027"},
        headers={"If-Match": event["@odata.etag"]},
    )

    assert answer.status_code == 200
    assert (answer.json()["subject"], answer.json()["location"]["displayName"]) == (
        "Przegląd umowy 2027",
        "Odra",
    )


def test_a_malformed_id_and_a_deleted_event_are_graphs_errors(graph: Graph) -> None:
    event = post(graph, REVIEW)
    graph.call("DELETE", f"/me/events/{event['id']}")

    assert error_of(graph.call("GET", "/me/events/not-an-id")) == (400, "ErrorInvalidIdMalformed")
    assert error_of(graph.call("GET", f"/me/events/{event['id']}")) == (404, "ErrorItemNotFound")


def test_a_property_events_do_not_have_is_refused(graph: Graph) -> None:
    answer = graph.call("POST", "/me/events", json={**REVIEW, "toRecipients": []})

    assert error_of(answer) == (400, "RequestBodyRead")


def test_a_calendar_view_without_its_window_is_refused(graph: Graph) -> None:
    answer = graph.call("GET", "/me/calendarView/delta")

    assert error_of(answer) == (400, "ErrorInvalidParameter")


def test_a_delta_token_the_server_does_not_know_is_gone(graph: Graph) -> None:
    answer = graph.call("GET", "/me/calendarView/delta", params={"$deltatoken": "bm90LWEtdG9rZW4"})

    assert error_of(answer) == (410, "syncStateNotFound")


def test_a_calendar_view_delta_expands_nothing(graph: Graph) -> None:
    expand = f"singleValueExtendedProperties($filter=id eq '{CLIENT_ID}')"

    answer = graph.call("GET", "/me/calendarView/delta", params={**WINDOW, "$expand": expand})

    assert error_of(answer) == (400, "BadRequest")


def test_a_calendar_view_longer_than_five_years_is_refused(graph: Graph) -> None:
    window = {"startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2031-01-02T00:00:00Z"}

    answer = graph.call("GET", "/me/calendarView/delta", params=window)

    assert error_of(answer) == (400, "ErrorInvalidRequest")
    assert "Maximum number of days: 1825" in answer.json()["error"]["message"]
