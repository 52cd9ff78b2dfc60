"""Seeding a sandbox from a demo directory in the resources/demo format."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from exchangelib import Account, EWSDateTime, EWSTimeZone

from app.shipped import demo_data_dir
from exchange_sandbox import SandboxServer
from exchange_sandbox.seed import DemoSeeder, SeedError
from tests.support.sandbox import make_account

# Every test here reaches a sandbox server over HTTP.
pytestmark = pytest.mark.end_to_end

SMALL_DEMO = Path(__file__).parent / "data" / "demo"
WARSAW = EWSTimeZone("Europe/Warsaw")


@pytest.fixture
def seeded() -> Iterator[Account]:
    with SandboxServer() as server:
        DemoSeeder(server.store, server.services.transport, SMALL_DEMO).seed()
        account = make_account(server.url, "ewa.malinowska@tartak-las.example", "sosna-2026")
        yield account
        account.protocol.close()


def test_the_owner_and_colleagues_get_mailboxes_with_their_passwords(seeded: Account) -> None:
    colleague = make_account(
        seeded.protocol.service_endpoint, "marek.dabrowski@tartak-las.example", "dab-2026"
    )

    assert colleague.inbox.total_count == 0
    colleague.protocol.close()


def test_inbox_messages_arrive_as_received_mail_at_their_date(seeded: Account) -> None:
    messages = list(seeded.inbox.all().order_by("datetime_received"))

    assert [m.subject for m in messages] == ["Anfrage Eichenbohlen", "AW: Angebot Eichenbohlen"]
    assert messages[0].datetime_received.date() == dt.date(2026, 10, 5)
    assert messages[1].sensitivity == "Private"
    assert messages[0].body.strip() == "Guten Tag, bitte um ein Angebot für 40 m³ Eichenbohlen."


def test_sent_items_join_the_conversation_of_the_mail_they_answer(seeded: Account) -> None:
    (sent,) = seeded.sent.all()
    question = seeded.inbox.get(subject="Anfrage Eichenbohlen")

    assert sent.author.email_address == "ewa.malinowska@tartak-las.example"
    assert sent.is_read and not sent.is_draft
    assert sent.in_reply_to == "<anfrage-1@holzhandel-weber.example>"
    assert sent.conversation_id == question.conversation_id


def test_a_recurring_appointment_keeps_its_moved_and_cancelled_occurrences(seeded: Account) -> None:
    view = seeded.calendar.view(
        start=EWSDateTime(2026, 10, 1, tzinfo=WARSAW), end=EWSDateTime(2026, 11, 30, tzinfo=WARSAW)
    )
    reviews = [o for o in view if o.subject == "Przegląd produkcji"]

    assert [o.start.astimezone(WARSAW).replace(tzinfo=None) for o in reviews] == [
        dt.datetime(2026, 10, 5, 8),
        dt.datetime(2026, 10, 12, 8),
        dt.datetime(2026, 10, 20, 9),
        dt.datetime(2026, 10, 26, 8),
        dt.datetime(2026, 11, 9, 8),
    ]
    assert reviews[2].type == "Exception"
    assert reviews[0].organizer.name == "Marek Dąbrowski"


def test_tasks_carry_status_progress_and_dates(seeded: Account) -> None:
    tasks = {t.subject: t for t in seeded.tasks.all()}

    open_task = tasks["Angebot Eichenbohlen nachfassen"]
    assert (open_task.status, int(open_task.percent_complete)) == ("InProgress", 50)
    assert open_task.due_date == dt.date(2026, 10, 9)
    assert tasks["Inwentaryzacja suszarni"].is_complete


def test_a_missing_demo_directory_is_a_clear_error(tmp_path: Path) -> None:
    with SandboxServer() as server, pytest.raises(SeedError, match="does not exist"):
        DemoSeeder(server.store, server.services.transport, tmp_path / "nowhere").seed()


def test_a_broken_calendar_file_names_the_file_and_entry(tmp_path: Path) -> None:
    broken = tmp_path / "demo"
    (broken / "mail" / "inbox").mkdir(parents=True)
    (broken / "mail" / "sentitems").mkdir(parents=True)
    (broken / "mailbox.json").write_text((SMALL_DEMO / "mailbox.json").read_text("utf-8"), "utf-8")
    (broken / "tasks.json").write_text("[]", "utf-8")
    (broken / "calendar.json").write_text(
        json.dumps([{"subject": "Bez daty", "start": "wtorek", "end": "środa"}]), "utf-8"
    )

    with SandboxServer() as server, pytest.raises(SeedError, match=r"calendar.json entry 1"):
        DemoSeeder(server.store, server.services.transport, broken).seed()


def test_the_shipped_demo_quarter_loads_completely() -> None:
    demo = demo_data_dir()
    people = json.loads((demo / "mailbox.json").read_text("utf-8"))
    with SandboxServer() as server:
        summary = DemoSeeder(server.store, server.services.transport, demo).seed()
        owner = people["owner"]
        account = make_account(server.url, owner["email"], owner["password"])

        assert (
            account.inbox.total_count
            == summary.inbox
            == len(list((demo / "mail" / "inbox").glob("*.eml")))
        )
        assert account.sent.total_count == summary.sent
        assert account.calendar.total_count == summary.appointments
        assert account.tasks.total_count == summary.tasks
        account.protocol.close()
