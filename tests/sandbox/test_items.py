"""Items through exchangelib: create, find, fetch, update, delete, move, copy, conflicts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from exchangelib import (
    Account,
    EWSDateTime,
    ExtendedProperty,
    HTMLBody,
    Mailbox,
    Message,
    Q,
    Task,
)
from exchangelib.errors import (
    ErrorInvalidIdMalformed,
    ErrorIrresolvableConflict,
    ErrorItemNotFound,
)
from exchangelib.items import ALWAYS_OVERWRITE, NEVER_OVERWRITE
from exchangelib.properties import ItemId


class LiaisonActivityId(ExtendedProperty):
    property_set_id = "8d3f5b1a-2c4e-4f6a-9b7c-1d2e3f4a5b6c"
    property_name = "LiaisonActivityId"
    property_type = "String"


class LiaisonRegardingIds(ExtendedProperty):
    property_set_id = "8d3f5b1a-2c4e-4f6a-9b7c-1d2e3f4a5b6c"
    property_name = "LiaisonRegarding"
    property_type = "StringArray"


class FlagStatus(ExtendedProperty):
    property_tag = 0x1090
    property_type = "Integer"


@pytest.fixture(autouse=True, scope="module")
def registered_properties() -> object:
    Message.register("activity_id", LiaisonActivityId)
    Message.register("regarding_ids", LiaisonRegardingIds)
    Message.register("flag_status", FlagStatus)
    yield
    Message.deregister("activity_id")
    Message.deregister("regarding_ids")
    Message.deregister("flag_status")


def _message(account: Account, subject: str, **fields: object) -> Message:
    message = Message(account=account, folder=account.inbox, subject=subject, **fields)
    message.save()
    return message


def test_a_saved_message_reads_back_with_its_html_body_and_recipients(account: Account) -> None:
    saved = _message(
        account,
        "Angebot Kühlcontainer Q3",
        body=HTMLBody("<p>Sehr geehrte Frau Schmidt,<br>anbei unser <b>Angebot</b>.</p>"),
        to_recipients=[
            Mailbox(email_address="lena.schmidt@spedition-nord.example", name="Lena Schmidt")
        ],
        cc_recipients=["einkauf@spedition-nord.example"],
        importance="High",
        sensitivity="Confidential",
    )

    fetched = account.inbox.get(id=saved.id)

    assert fetched.subject == "Angebot Kühlcontainer Q3"
    assert fetched.body == "<p>Sehr geehrte Frau Schmidt,<br>anbei unser <b>Angebot</b>.</p>"
    assert [m.email_address for m in fetched.to_recipients] == [
        "lena.schmidt@spedition-nord.example"
    ]
    assert fetched.to_recipients[0].name == "Lena Schmidt"
    assert fetched.cc_recipients[0].email_address == "einkauf@spedition-nord.example"
    assert fetched.importance == "High"
    assert fetched.sensitivity == "Confidential"
    assert fetched.display_to == "Lena Schmidt"
    assert fetched.datetime_created is not None


def test_every_write_changes_the_change_key(account: Account) -> None:
    message = _message(account, "Rückruf erbeten")
    first_key = message.changekey

    message.is_read = False
    message.save(update_fields=["is_read"])
    second_key = message.changekey
    message.categories = ["Kunde"]
    message.save(update_fields=["categories"])

    assert len({first_key, second_key, message.changekey}) == 3


def test_a_stale_change_key_with_never_overwrite_is_an_irresolvable_conflict(
    account: Account,
) -> None:
    message = _message(account, "Lieferung KW 42")
    stale = account.inbox.get(id=message.id)
    message.subject = "Lieferung KW 43"
    message.save(update_fields=["subject"])

    stale.subject = "Lieferung KW 44"
    with pytest.raises(ErrorIrresolvableConflict):
        stale.save(update_fields=["subject"], conflict_resolution=NEVER_OVERWRITE)

    assert account.inbox.get(id=message.id).subject == "Lieferung KW 43"


def test_auto_resolve_merges_changes_to_different_properties(account: Account) -> None:
    message = _message(account, "Preisliste 2027")
    stale = account.inbox.get(id=message.id)
    message.subject = "Preisliste 2027 (final)"
    message.save(update_fields=["subject"])

    stale.categories = ["Angebot"]
    stale.save(update_fields=["categories"])

    merged = account.inbox.get(id=message.id)
    assert (merged.subject, merged.categories) == ("Preisliste 2027 (final)", ["Angebot"])


def test_auto_resolve_refuses_to_overwrite_a_newer_value_of_the_same_property(
    account: Account,
) -> None:
    message = _message(account, "Termin bestätigt")
    stale = account.inbox.get(id=message.id)
    message.subject = "Termin verschoben"
    message.save(update_fields=["subject"])

    stale.subject = "Termin abgesagt"
    with pytest.raises(ErrorIrresolvableConflict):
        stale.save(update_fields=["subject"])


def test_always_overwrite_wins_with_a_stale_change_key(account: Account) -> None:
    message = _message(account, "Rechnung 2026-117")
    stale = account.inbox.get(id=message.id)
    message.subject = "Rechnung 2026-117 (korrigiert)"
    message.save(update_fields=["subject"])

    stale.subject = "Rechnung 2026-117 (storniert)"
    stale.save(update_fields=["subject"], conflict_resolution=ALWAYS_OVERWRITE)

    assert account.inbox.get(id=message.id).subject == "Rechnung 2026-117 (storniert)"


def test_extended_properties_round_trip_and_can_be_filtered_on(account: Account) -> None:
    tracked = _message(
        account,
        "Re: Rahmenvertrag",
        activity_id="act-0042",
        regarding_ids=["opportunity:17", "account:3"],
        flag_status=2,
    )
    _message(account, "Newsletter", activity_id="act-0043")

    fetched = account.inbox.get(id=tracked.id)
    found = list(account.inbox.filter(activity_id="act-0042").only("subject", "activity_id"))

    assert fetched.activity_id == "act-0042"
    assert fetched.regarding_ids == ["opportunity:17", "account:3"]
    assert fetched.flag_status == 2
    assert [(m.subject, m.activity_id) for m in found] == [("Re: Rahmenvertrag", "act-0042")]


def test_clearing_an_extended_property_removes_it(account: Account) -> None:
    message = _message(account, "Untrack me", activity_id="act-7")

    message.activity_id = None
    message.save(update_fields=["activity_id"])

    assert account.inbox.get(id=message.id).activity_id is None
    assert account.inbox.filter(activity_id__exists=True).count() == 0


def test_categories_filter_matches_case_insensitively_and_as_any_of(account: Account) -> None:
    _message(account, "Auftrag A", categories=["Tracked to Liaison", "VIP"])
    _message(account, "Auftrag B", categories=["VIP"])
    _message(account, "Privat", categories=[])

    tracked = {m.subject for m in account.inbox.filter(categories__contains=["tracked to liaison"])}
    any_of = {m.subject for m in account.inbox.filter(categories__in=["VIP", "Tracked to Liaison"])}

    assert tracked == {"Auftrag A"}
    assert any_of == {"Auftrag A", "Auftrag B"}


def test_filters_combine_with_and_or_not_and_date_ranges(account: Account) -> None:
    for subject in ("Angebot Nord", "Angebot Süd", "Rechnung Nord"):
        _message(account, subject)
    now = EWSDateTime.now(tz=account.default_timezone)

    nord_offers = account.inbox.filter(
        Q(subject__startswith="Angebot") & Q(subject__icontains="nord")
    )
    not_offers = account.inbox.filter(~Q(subject__startswith="Angebot"))
    either = account.inbox.filter(Q(subject="Angebot Süd") | Q(subject="Rechnung Nord"))
    recent = account.inbox.filter(datetime_received__gte=now - dt.timedelta(minutes=5))

    assert [m.subject for m in nord_offers] == ["Angebot Nord"]
    assert [m.subject for m in not_offers] == ["Rechnung Nord"]
    assert {m.subject for m in either} == {"Angebot Süd", "Rechnung Nord"}
    assert recent.count() == 3


def test_ordering_and_paging_return_every_item_once(account: Account) -> None:
    account.bulk_create(
        folder=account.inbox,
        items=[Message(account=account, subject=f"Bestellung {n:03d}") for n in range(1, 26)],
    )

    ordered = [m.subject for m in account.inbox.all().order_by("-subject").only("subject")]
    paged = [m.subject for m in account.inbox.all().only("subject").order_by("subject")[5:15]]
    everything = list(account.inbox.all().only("subject"))

    assert ordered == [f"Bestellung {n:03d}" for n in range(25, 0, -1)]
    assert paged == [f"Bestellung {n:03d}" for n in range(6, 16)]
    assert len(everything) == 25


def test_find_with_a_small_page_size_pages_through_the_folder(account: Account) -> None:
    account.bulk_create(
        folder=account.inbox,
        items=[Message(account=account, subject=f"Seite {n}") for n in range(7)],
    )
    query = account.inbox.all().only("subject")
    query.page_size = 3

    assert sorted(m.subject for m in query) == [f"Seite {n}" for n in range(7)]


def test_delete_move_to_trash_and_soft_delete_put_items_where_exchange_does(
    account: Account,
) -> None:
    gone = _message(account, "Spam")
    trashed = _message(account, "Alt")
    dumped = _message(account, "Veraltet")

    gone.delete()
    trashed.move_to_trash()
    dumped.soft_delete()

    assert account.inbox.all().count() == 0
    assert [m.subject for m in account.trash.all()] == ["Alt"]
    assert [m.subject for m in account.recoverable_items_deletions.all()] == ["Veraltet"]


def test_a_moved_item_gets_a_new_id_and_the_old_one_is_gone(account: Account) -> None:
    message = _message(account, "Zu archivieren")
    old_id = message.id

    message.move(account.trash)

    assert message.id != old_id
    assert account.trash.get(id=message.id).subject == "Zu archivieren"
    with pytest.raises(ErrorItemNotFound):
        account.inbox.get(id=old_id)


def test_a_copy_is_a_second_item_with_the_same_content(account: Account) -> None:
    message = _message(account, "Vorlage", categories=["Vorlage"])

    copy_id = message.copy(account.drafts)

    copied = account.drafts.get(id=copy_id[0])
    assert copied.id != message.id
    assert (copied.subject, copied.categories) == ("Vorlage", ["Vorlage"])
    assert account.inbox.get(id=message.id).subject == "Vorlage"


def test_fetching_a_deleted_item_reports_item_not_found(account: Account) -> None:
    message = _message(account, "Kurzlebig")
    message_id, changekey = message.id, message.changekey
    message.delete()

    results = list(account.fetch(ids=[(message_id, changekey)]))

    assert isinstance(results[0], ErrorItemNotFound)


def test_a_malformed_id_is_reported_as_malformed(account: Account) -> None:
    results = list(account.fetch(ids=[ItemId(id="not-an-id!", changekey="x")]))

    assert isinstance(results[0], ErrorInvalidIdMalformed)


def test_mime_content_is_generated_for_a_message_created_without_it(account: Account) -> None:
    message = _message(
        account,
        "Protokoll der Sitzung",
        body="Zusammenfassung: alles erledigt.",
        to_recipients=["team@kowalski-logistik.example"],
    )

    mime = account.inbox.get(id=message.id).mime_content

    assert b"Subject: Protokoll der Sitzung" in mime
    assert b"To: team@kowalski-logistik.example" in mime
    assert b"Zusammenfassung: alles erledigt." in mime


def test_a_message_created_from_mime_takes_its_headers(account: Account) -> None:
    raw = (
        "From: Piotr Zieliński <piotr@budowa-zielinski.example>\r\n"
        "To: Anna Kowalska <anna@kowalski-logistik.example>\r\n"
        "Subject: Odp: Oferta na transport\r\n"
        "Date: Tue, 06 Oct 2026 09:15:00 +0200\r\n"
        "Message-ID: <oferta-2@budowa-zielinski.example>\r\n"
        "In-Reply-To: <oferta-1@kowalski-logistik.example>\r\n"
        "References: <oferta-1@kowalski-logistik.example>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Dziękuję, akceptujemy ofertę.\r\n"
    ).encode()
    message = Message(account=account, folder=account.inbox, mime_content=raw)
    message.save()

    fetched = account.inbox.get(id=message.id)

    assert fetched.subject == "Odp: Oferta na transport"
    assert fetched.author.email_address == "piotr@budowa-zielinski.example"
    assert fetched.message_id == "<oferta-2@budowa-zielinski.example>"
    assert fetched.in_reply_to == "<oferta-1@kowalski-logistik.example>"
    assert fetched.references == "<oferta-1@kowalski-logistik.example>"
    assert fetched.datetime_sent == EWSDateTime(
        2026, 10, 6, 7, 15, tzinfo=fetched.datetime_sent.tzinfo
    )
    assert fetched.text_body.strip() == "Dziękuję, akceptujemy ofertę."


def test_task_status_percent_complete_and_dates_round_trip(account: Account) -> None:
    task = Task(
        account=account,
        folder=account.tasks,
        subject="Angebot nachfassen",
        status="InProgress",
        percent_complete=Decimal(40),
        start_date=dt.date(2026, 10, 5),
        due_date=dt.date(2026, 10, 9),
    )
    task.save()

    task.percent_complete = Decimal(100)
    task.save(update_fields=["percent_complete"])
    done = account.tasks.get(id=task.id)

    assert (done.status, done.percent_complete, done.is_complete) == (
        "Completed",
        Decimal(100),
        True,
    )
    assert done.due_date == dt.date(2026, 10, 9)
    assert done.start_date == dt.date(2026, 10, 5)
    assert done.complete_date is not None
