"""The field-by-field rule for appointments and tasks changed on both sides (app.sync.conflicts)."""

from __future__ import annotations

from app.sync.conflicts import Side, merge

BASE_MEETING = {
    "subject": "Przegląd umowy serwisowej – Acme Logistics",
    "start": "2026-10-06T08:00:00+00:00",
    "end": "2026-10-06T09:00:00+00:00",
    "location": "Sala Wisła",
    "body": "Agenda: SLA, ceny, terminy.",
}


def test_a_field_changed_on_one_side_only_takes_that_side() -> None:
    crm = {**BASE_MEETING, "subject": "Przegląd umowy serwisowej 2027 – Acme Logistics"}
    exchange = {**BASE_MEETING, "location": "Teams"}

    result = merge(BASE_MEETING, crm, exchange)

    assert result.merged["subject"] == crm["subject"]
    assert result.merged["location"] == "Teams"
    assert result.to_exchange == {"subject": crm["subject"]}
    assert result.to_crm == {"location": "Teams"}
    assert result.lost == ()


def test_both_sides_moving_the_meeting_keeps_the_exchange_time_and_logs_the_crm_one() -> None:
    crm = {**BASE_MEETING, "start": "2026-10-06T10:00:00+00:00", "end": "2026-10-06T11:00:00+00:00"}
    exchange = {
        **BASE_MEETING,
        "start": "2026-10-07T08:00:00+00:00",
        "end": "2026-10-07T09:00:00+00:00",
    }

    result = merge(BASE_MEETING, crm, exchange)

    assert result.merged["start"] == "2026-10-07T08:00:00+00:00"
    assert {lost.field for lost in result.lost} == {"start", "end"}
    assert all(lost.kept is Side.EXCHANGE for lost in result.lost)
    assert result.lost[0].lost_value == "2026-10-06T10:00:00+00:00"
    assert result.to_exchange == {}


def test_both_sides_retitling_keeps_the_crm_subject() -> None:
    crm = {**BASE_MEETING, "subject": "Vertragsprüfung Acme"}
    exchange = {**BASE_MEETING, "subject": "Acme – review (moved)"}

    result = merge(BASE_MEETING, crm, exchange)

    assert result.merged["subject"] == "Vertragsprüfung Acme"
    assert result.to_exchange == {"subject": "Vertragsprüfung Acme"}
    (lost,) = result.lost
    assert lost.lost is Side.EXCHANGE
    assert "Acme – review (moved)" in lost.describe()


def test_the_same_change_on_both_sides_is_no_conflict() -> None:
    both = {**BASE_MEETING, "location": "Online"}

    result = merge(BASE_MEETING, both, dict(both))

    assert result.lost == ()
    assert result.to_crm == result.to_exchange == {}


def test_a_task_completed_on_one_side_beats_progress_reported_on_the_other() -> None:
    base = {"subject": "Wycena dla Müller", "status": "InProgress", "percent_complete": 25}
    crm = {**base, "status": "Completed", "percent_complete": 100}
    exchange = {**base, "status": "WaitingOnOthers", "percent_complete": 50}

    result = merge(base, crm, exchange)

    assert result.merged["status"] == "Completed"
    assert result.merged["percent_complete"] == 100
    assert all(lost.kept is Side.CRM for lost in result.lost)
    assert result.to_exchange == {"status": "Completed", "percent_complete": 100}


def test_further_progress_in_exchange_wins_over_the_crm() -> None:
    base = {"status": "NotStarted", "percent_complete": 0}
    crm = {"status": "InProgress", "percent_complete": 10}
    exchange = {"status": "InProgress", "percent_complete": 75}

    result = merge(base, crm, exchange)

    assert result.merged == {"status": "InProgress", "percent_complete": 75}
    assert result.to_crm == {"percent_complete": 75}
