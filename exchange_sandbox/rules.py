"""Inbox rules: how a t:Rule decides about a message delivered to the Inbox, and what it does.

Rules run in priority order on mail the transport delivers to the Inbox; a rule applies when all
its conditions hold and none of its exceptions does. The actions are Exchange's server-side
ones: categories, importance, read flag, copy, move, delete (to Deleted Items or for good),
forward, forward as attachment, redirect, and stop processing. Mail a rule sent carries the
X-MS-Exchange-Inbox-Rules-Loop header, and rules do not act on such mail again, as in Exchange.
Actions only a client can carry out (SMS alerts, replies with a template message) are kept with
the rule and not performed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from lxml import etree

from . import deletion, ids
from .bodies import plain_text
from .embedding import embedded_xml
from .errors import EwsError
from .itemwrite import ParsedItem, finalize, new_item
from .model import Attachment, Folder, Item, Mailbox
from .store import Store, duplicate, new_guid
from .values import Address, parse_boolean, parse_datetime
from .xmlkit import child, child_text, children, local_name, parse_fragment

if TYPE_CHECKING:
    from .transport import Transport

LOOP_HEADER = "X-MS-Exchange-Inbox-Rules-Loop"
Condition = Callable[[Mailbox, Item, etree._Element], bool]


def _strings(elem: etree._Element) -> list[str]:
    return [(s.text or "").casefold() for s in children(elem) if local_name(s) == "String"]


def _addresses(elem: etree._Element) -> set[str]:
    return {
        (child_text(a, "EmailAddress") or "").casefold()
        for a in children(elem)
        if local_name(a) == "Address"
    }


def _flag(elem: etree._Element) -> bool:
    return parse_boolean(elem.text or "false")


def _contains(texts: Iterable[str], elem: etree._Element) -> bool:
    haystack = " ".join(texts).casefold()
    return any(needle in haystack for needle in _strings(elem))


def _recipients(item: Item, *names: str) -> list[Address]:
    return [a for name in names for a in item.props.get(name, [])]


def _is_me(mailbox: Mailbox, addresses: list[Address]) -> bool:
    return any(a.key == mailbox.address.casefold() for a in addresses)


def _address_texts(addresses: list[Address]) -> list[str]:
    return [f"{a.name} {a.email}" for a in addresses]


def _between(value: Any, low: str | None, high: str | None, parse: Callable[[str], Any]) -> bool:
    return (low is None or parse(low) <= value) and (high is None or value <= parse(high))


def _size_range(mailbox: Mailbox, item: Item, elem: etree._Element) -> bool:
    size_in_kilobytes = item.props.get("Size", 0) / 1024
    low, high = child_text(elem, "MinimumSize"), child_text(elem, "MaximumSize")
    return _between(size_in_kilobytes, low, high, float)


def _date_range(mailbox: Mailbox, item: Item, elem: etree._Element) -> bool:
    received = item.props.get("DateTimeReceived") or dt.datetime.now(dt.UTC)
    low, high = child_text(elem, "StartDateTime"), child_text(elem, "EndDateTime")
    return _between(received, low, high, parse_datetime)


_CONDITIONS: dict[str, Condition] = {
    "Categories": lambda m, i, e: bool(
        {c.casefold() for c in i.props.get("Categories", [])} & set(_strings(e))
    ),
    "ContainsBodyStrings": lambda m, i, e: _contains([plain_text(i.props.get("Body"))], e),
    "ContainsHeaderStrings": lambda m, i, e: _contains((f"{h}: {v}" for h, v in i.headers), e),
    "ContainsRecipientStrings": lambda m, i, e: _contains(
        _address_texts(_recipients(i, "ToRecipients", "CcRecipients")), e
    ),
    "ContainsSenderStrings": lambda m, i, e: _contains(
        _address_texts([a for a in [i.props.get("From")] if a]), e
    ),
    "ContainsSubjectOrBodyStrings": lambda m, i, e: _contains(
        [i.props.get("Subject", ""), plain_text(i.props.get("Body"))], e
    ),
    "ContainsSubjectStrings": lambda m, i, e: _contains([i.props.get("Subject", "")], e),
    "FromAddresses": lambda m, i, e: (
        i.props.get("From") is not None and i.props["From"].key in _addresses(e)
    ),
    "HasAttachments": lambda m, i, e: bool(i.props.get("HasAttachments")) == _flag(e),
    "Importance": lambda m, i, e: i.props.get("Importance", "Normal") == (e.text or ""),
    "Sensitivity": lambda m, i, e: i.props.get("Sensitivity", "Normal") == (e.text or ""),
    "IsMeetingRequest": lambda m, i, e: (i.item_type == "MeetingRequest") == _flag(e),
    "IsMeetingResponse": lambda m, i, e: (i.item_type == "MeetingResponse") == _flag(e),
    "ItemClasses": lambda m, i, e: i.props.get("ItemClass", "").casefold() in _strings(e),
    "NotSentToMe": lambda m, i, e: (
        (not _is_me(m, _recipients(i, "ToRecipients", "CcRecipients"))) == _flag(e)
    ),
    "SentCcMe": lambda m, i, e: _is_me(m, _recipients(i, "CcRecipients")) == _flag(e),
    "SentOnlyToMe": lambda m, i, e: (
        ([a.key for a in _recipients(i, "ToRecipients", "CcRecipients")] == [m.address.casefold()])
        == _flag(e)
    ),
    "SentToAddresses": lambda m, i, e: bool(
        {a.key for a in _recipients(i, "ToRecipients", "CcRecipients")} & _addresses(e)
    ),
    "SentToMe": lambda m, i, e: _is_me(m, _recipients(i, "ToRecipients")) == _flag(e),
    "SentToOrCcMe": lambda m, i, e: (
        _is_me(m, _recipients(i, "ToRecipients", "CcRecipients")) == _flag(e)
    ),
    "WithinDateRange": _date_range,
    "WithinSizeRange": _size_range,
}


def _check(predicate: etree._Element, mailbox: Mailbox, item: Item) -> bool:
    """Whether one predicate holds. One about something no message here can be (signed,
    encrypted, a voicemail ...) holds when it asks for it not to be."""
    check = _CONDITIONS.get(local_name(predicate))
    if check is not None:
        return check(mailbox, item, predicate)
    return (predicate.text or "").strip() not in ("true", "1")


def applies(rule: etree._Element, mailbox: Mailbox, item: Item) -> bool:
    """Enabled, all conditions hold, no exception does."""
    if (child_text(rule, "IsEnabled") or "true").strip() not in ("true", "1"):
        return False
    conditions = children(child(rule, "Conditions"))
    exceptions = children(child(rule, "Exceptions"))
    return all(_check(p, mailbox, item) for p in conditions) and not any(
        _check(p, mailbox, item) for p in exceptions
    )


class InboxRules:
    """Runs a mailbox's rules on a message just delivered to its Inbox."""

    def __init__(self, store: Store, transport: Transport) -> None:
        self._store = store
        self._transport = transport

    def run(self, mailbox: Mailbox, item: Item) -> None:
        if any(name.casefold() == LOOP_HEADER.casefold() for name, _ in item.headers):
            return
        for rule_xml in mailbox.settings.rules:
            rule = parse_fragment(rule_xml)
            if not applies(rule, mailbox, item):
                continue
            actions = child(rule, "Actions")
            if not self._act(mailbox, item, actions) or _set(actions, "StopProcessingRules"):
                return

    def _act(self, mailbox: Mailbox, item: Item, actions: etree._Element | None) -> bool:
        """Carry out a rule's actions; whether the message is still in the mailbox."""
        if actions is None:
            return True
        changed: set[object] = set()
        for action in children(actions):
            name = local_name(action)
            if name == "AssignCategories":
                categories = item.props.get("Categories", [])
                new = [s.text or "" for s in children(action) if s.text not in categories]
                item.props["Categories"] = categories + new
                changed.add("Categories")
            elif name == "MarkImportance":
                item.props["Importance"] = action.text or "Normal"
                changed.add("Importance")
            elif name == "MarkAsRead" and _flag(action):
                item.props["IsRead"] = True
                changed.add("IsRead")
        if changed:
            finalize(item, mailbox, self._store.mailboxes)
            self._store.item_changed(mailbox, item, changed, read_flag_only=changed == {"IsRead"})
        self._send(mailbox, item, actions)
        return self._file(mailbox, item, actions)

    def _send(self, mailbox: Mailbox, item: Item, actions: etree._Element) -> None:
        for name, make in (
            ("ForwardToRecipients", self._forward),
            ("ForwardAsAttachmentToRecipients", self._forward_as_attachment),
            ("RedirectToRecipients", self._redirect),
        ):
            found = child(actions, name)
            if found is not None:
                recipients = [Address(e) for e in sorted(_addresses(found)) if e]
                message = make(mailbox, item, recipients)
                message.headers.append((LOOP_HEADER, mailbox.address))
                self._transport.prepare_sent(mailbox, message)
                self._transport.deliver_sent(mailbox, message)

    def _file(self, mailbox: Mailbox, item: Item, actions: etree._Element) -> bool:
        copy_to = _target_folder(mailbox, child(actions, "CopyToFolder"))
        if copy_to is not None:
            self._store.copy_item(mailbox, item, copy_to, duplicate(item))
        if _set(actions, "PermanentDelete"):
            self._store.remove_item(mailbox, item)
            return False
        if _set(actions, "Delete"):
            deletion.delete_item(self._store, mailbox, item, "MoveToDeletedItems")
            return False
        move_to = _target_folder(mailbox, child(actions, "MoveToFolder"))
        if move_to is not None and move_to.uuid != item.folder:
            self._store.move_item(mailbox, item, move_to)
            return False
        return True

    def _forward(self, mailbox: Mailbox, item: Item, recipients: list[Address]) -> Item:
        props = {
            "Subject": "FW: " + item.props.get("Subject", ""),
            "Body": item.props.get("Body"),
            "ToRecipients": recipients,
        }
        return new_item(
            ParsedItem("Message", _present(props)), mailbox, False, self._store.mailboxes
        )

    def _forward_as_attachment(
        self, mailbox: Mailbox, item: Item, recipients: list[Address]
    ) -> Item:
        props = {"Subject": "FW: " + item.props.get("Subject", ""), "ToRecipients": recipients}
        attached = Attachment(
            uuid=new_guid(),
            name=item.props.get("Subject", ""),
            content_type="message/rfc822",
            embedded_item=embedded_xml(item),
        )
        parsed = ParsedItem("Message", props, attachments=[attached])
        return new_item(parsed, mailbox, False, self._store.mailboxes)

    def _redirect(self, mailbox: Mailbox, item: Item, recipients: list[Address]) -> Item:
        redirected = duplicate(item)
        redirected.props["ToRecipients"] = recipients
        redirected.props.pop("CcRecipients", None)
        redirected.mime = None
        return redirected


def _present(props: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in props.items() if value is not None}


def _set(actions: etree._Element | None, name: str) -> bool:
    found = child(actions, name) if actions is not None else None
    return found is not None and _flag(found)


def _target_folder(mailbox: Mailbox, action: etree._Element | None) -> Folder | None:
    """The folder a CopyToFolder/MoveToFolder action names, if it still exists."""
    for reference in children(action):
        if local_name(reference) == "DistinguishedFolderId":
            return mailbox.distinguished.get(reference.get("Id", ""))
        if local_name(reference) == "FolderId":
            return folder_by_id(mailbox, reference.get("Id", ""))
    return None


def folder_by_id(mailbox: Mailbox, folder_id: str) -> Folder | None:
    try:
        object_id = ids.decode(folder_id)
    except EwsError:
        return None
    if object_id.kind is not ids.IdKind.FOLDER or object_id.mailbox != mailbox.guid:
        return None
    return mailbox.folders.get(object_id.object)
