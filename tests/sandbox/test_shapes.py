"""Which properties FindItem and SyncFolderItems return or refuse, as Exchange does: FindItem
cannot return bodies, MIME, attachments or recipient lists (ErrorInvalidPropertyForOperation
when asked for them by name); the AllProperties shape of both leaves them out; SyncFolderItems
returns what is asked for by name."""

from __future__ import annotations

import email
import email.policy
from typing import Any

import pytest
from exchangelib import Account, HTMLBody, Message
from exchangelib.errors import ErrorInvalidPropertyForOperation
from exchangelib.items import ALL_PROPERTIES, ID_ONLY, SHALLOW
from exchangelib.properties import FieldPath
from exchangelib.services import FindItem, SyncFolderItems


def _offer(account: Account) -> Message:
    message = Message(
        account=account,
        folder=account.drafts,
        subject="Angebot: Kühltransport Hamburg → Gdańsk (KW 42)",
        body=HTMLBody("<p>Sehr geehrte Frau Nowak,</p><p>anbei unser Angebot.</p>"),
        to_recipients=["agnieszka.nowak@baltic-cargo.example"],
        cc_recipients=["vertrieb@kowalski-logistik.example"],
    )
    message.save()
    return message


def _paths(*names: str) -> set[FieldPath]:
    return {FieldPath(field=Message.get_field_by_fieldname(name)) for name in names}


def _find(account: Account, shape: str, fields: set[FieldPath] | None) -> list[Any]:
    return list(
        FindItem(account=account).call(
            folders=[account.drafts],
            additional_fields=fields,
            restriction=None,
            order_fields=None,
            shape=shape,
            query_string=None,
            depth=SHALLOW,
            calendar_view=None,
            max_items=None,
            offset=0,
        )
    )


def _sync(account: Account, shape: str, fields: set[FieldPath]) -> list[Any]:
    return [
        item
        for _, item in SyncFolderItems(account=account).call(
            folder=account.drafts,
            shape=shape,
            additional_fields=fields,
            sync_state=None,
            ignore=None,
            max_changes_returned=100,
            sync_scope=None,
        )
    ]


@pytest.mark.parametrize(
    ("field", "uri"),
    [
        ("body", "item:Body"),
        ("text_body", "item:TextBody"),
        ("mime_content", "item:MimeContent"),
        ("attachments", "item:Attachments"),
        ("to_recipients", "message:ToRecipients"),
        ("headers", "item:InternetMessageHeaders"),
    ],
)
def test_find_item_refuses_a_property_it_cannot_return(
    account: Account, field: str, uri: str
) -> None:
    _offer(account)

    with pytest.raises(ErrorInvalidPropertyForOperation) as refused:
        _find(account, ID_ONLY, _paths("subject", field))

    assert refused.value.value.startswith("Property is not valid for this operation.")
    assert uri in str(refused.value)


def test_find_item_all_properties_leaves_bodies_and_recipients_out(account: Account) -> None:
    _offer(account)

    [found] = _find(account, ALL_PROPERTIES, None)

    assert found.subject == "Angebot: Kühltransport Hamburg → Gdańsk (KW 42)"
    assert found.display_to == "agnieszka.nowak@baltic-cargo.example"
    assert (found.body, found.to_recipients, found.cc_recipients) == (None, None, None)


def test_a_query_for_bodies_is_answered_by_find_item_then_get_item(account: Account) -> None:
    _offer(account)

    [found] = account.drafts.all().only("subject", "body", "to_recipients")

    assert "anbei unser Angebot" in found.body
    assert [r.email_address for r in found.to_recipients] == [
        "agnieszka.nowak@baltic-cargo.example"
    ]


def test_sync_folder_items_returns_bodies_and_recipients_asked_for_by_name(
    account: Account,
) -> None:
    _offer(account)

    [synced] = _sync(account, ID_ONLY, _paths("subject", "body", "to_recipients"))

    assert "anbei unser Angebot" in synced.body
    assert [r.email_address for r in synced.to_recipients] == [
        "agnieszka.nowak@baltic-cargo.example"
    ]


def test_sync_folder_items_all_properties_is_the_summary_without_bodies(
    account: Account,
) -> None:
    _offer(account)

    [synced] = _sync(account, ALL_PROPERTIES, set())

    assert synced.subject == "Angebot: Kühltransport Hamburg → Gdańsk (KW 42)"
    assert synced.datetime_created is not None
    assert (synced.body, synced.to_recipients, synced.attachments) == (None, None, [])


def test_syncing_every_field_exchangelib_knows_is_served(account: Account) -> None:
    _offer(account)

    [(change, synced)] = list(account.drafts.sync_items())

    assert change == "create"
    mime = email.message_from_bytes(synced.mime_content, policy=email.policy.default)
    assert mime["Subject"] == synced.subject == "Angebot: Kühltransport Hamburg → Gdańsk (KW 42)"
