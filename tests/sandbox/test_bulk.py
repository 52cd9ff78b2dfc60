"""Bulk operations where some items fail: one response message per item, so the others succeed
and the client gets the error in the failed item's place."""

from __future__ import annotations

import pytest
from exchangelib import Account, Message
from exchangelib.errors import ErrorInvalidIdMalformed, ErrorIrresolvableConflict, ErrorItemNotFound
from exchangelib.properties import ItemId


def _drafts(account: Account, *subjects: str) -> list[Message]:
    messages = [Message(account=account, folder=account.drafts, subject=s) for s in subjects]
    for message in messages:
        message.save()
    return messages


def _gone(account: Account) -> ItemId:
    (message,) = _drafts(account, "Wird gelöscht")
    gone = ItemId(message.id, message.changekey)
    message.delete()
    return gone


def test_fetching_several_ids_answers_each_in_its_place(account: Account) -> None:
    first, second = _drafts(account, "Lieferschein 1", "Lieferschein 2")
    gone = _gone(account)

    results = list(account.fetch(ids=[first, gone, second]))

    assert [r.subject for r in (results[0], results[2])] == ["Lieferschein 1", "Lieferschein 2"]
    assert isinstance(results[1], ErrorItemNotFound)


def test_a_bulk_delete_deletes_what_exists_and_reports_what_does_not(account: Account) -> None:
    first, second = _drafts(account, "Entwurf A", "Entwurf B")
    gone = _gone(account)

    results = account.bulk_delete(ids=[first, gone, second])

    assert results[0] is True and results[2] is True
    assert isinstance(results[1], ErrorItemNotFound)
    assert list(account.drafts.all()) == []


def test_a_bulk_move_moves_the_rest_when_one_id_is_malformed(account: Account) -> None:
    first, second = _drafts(account, "Akte Müller", "Akte Nowak")

    results = account.bulk_move(
        ids=[first, ItemId("nicht-base64!", "x"), second], to_folder=account.inbox
    )

    assert isinstance(results[1], ErrorInvalidIdMalformed)
    assert sorted(m.subject for m in account.inbox.all()) == ["Akte Müller", "Akte Nowak"]


def test_a_bulk_update_with_one_stale_change_key_updates_the_others(account: Account) -> None:
    first, second = _drafts(account, "Angebot v1", "Bestellung v1")
    stale = Message(account=account, id=second.id, changekey=second.changekey)
    second.subject = "Bestellung v2 (von Kollegin)"
    second.save(update_fields=["subject"])
    first.subject = "Angebot v2"
    stale.subject = "Bestellung v2 (veraltet)"

    # exchangelib raises this error rather than returning it; the server answered per item.
    with pytest.raises(ErrorIrresolvableConflict):
        account.bulk_update(items=[(first, ["subject"]), (stale, ["subject"])])

    assert account.drafts.get(id=first.id).subject == "Angebot v2"
    assert account.drafts.get(id=second.id).subject == "Bestellung v2 (von Kollegin)"
