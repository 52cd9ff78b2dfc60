"""GetDelegate, AddDelegate, UpdateDelegate, RemoveDelegate: the mailbox owner's delegates.

A delegate is another mailbox of the organisation, with a permission level for each of the
owner's calendar, tasks, inbox, contacts, notes and journal, and two options; the mailbox also
says who receives meeting requests (DeliverMeetingRequests). Each delegate named in a request
gets its own answer: ErrorDelegateNoUser for an address that is no mailbox here,
ErrorDelegateCannotAddOwner, ErrorDelegateAlreadyExists, ErrorNotDelegate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from lxml import etree

from ..context import Context
from ..errors import EwsError, enumerated, schema_violation
from ..model import Delegate, Mailbox
from ..xmlkit import child, child_text, children, element, local_name, wrap
from .registry import direct, operation

_FOLDERS = ("Calendar", "Tasks", "Inbox", "Contacts", "Notes", "Journal")
_LEVELS = ("None", "Editor", "Reviewer", "Author", "Custom")
_DELIVERY = ("DelegatesOnly", "DelegatesAndMe", "DelegatesAndSendInformationToMe", "NoForward")


def _sid(mailbox: Mailbox) -> str:
    """A stable Windows security identifier for the mailbox's user, as Active Directory has."""
    digest = hashlib.sha256(mailbox.guid).digest()
    parts = [int.from_bytes(digest[i : i + 4], "big") for i in (0, 4, 8)]
    return f"S-1-5-21-{parts[0]}-{parts[1]}-{parts[2]}-{1000 + digest[12]}"


def _user_of(ctx: Context, user_id: etree._Element | None) -> Mailbox:
    """The mailbox a t:UserId names, by SMTP address or SID."""
    if user_id is None:
        raise schema_violation("The element 'DelegateUser' has incomplete content.")
    address = child_text(user_id, "PrimarySmtpAddress")
    sid = child_text(user_id, "SID")
    for mailbox in ctx.store.mailboxes.values():
        if (address and mailbox.address.casefold() == address.strip().casefold()) or (
            sid and _sid(mailbox) == sid.strip()
        ):
            return mailbox
    raise EwsError("ErrorDelegateNoUser")


def _delegate_xml(ctx: Context, delegate: Delegate, with_permissions: bool) -> str:
    user = ctx.store.mailbox(delegate.address)
    user_id = wrap(
        "t:UserId",
        [
            element("t:SID", _sid(user)) if user else "",
            element("t:PrimarySmtpAddress", delegate.address),
            element("t:DisplayName", user.display_name if user else delegate.address),
        ],
    )
    permissions = ""
    if with_permissions:
        permissions = wrap(
            "t:DelegatePermissions",
            [
                element(
                    f"t:{folder}FolderPermissionLevel", delegate.permissions.get(folder, "None")
                )
                for folder in _FOLDERS
            ],
        )
    return wrap(
        "m:DelegateUser",
        [
            user_id,
            permissions,
            element(
                "t:ReceiveCopiesOfMeetingMessages",
                _bool(delegate.receive_copies_of_meeting_messages),
            ),
            element("t:ViewPrivateItems", _bool(delegate.view_private_items)),
        ],
    )


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _answers(results: list[str | EwsError]) -> str:
    messages = []
    for result in results:
        if isinstance(result, EwsError):
            messages.append(
                '<m:DelegateUserResponseMessageType ResponseClass="Error">'
                + element("m:MessageText", result.text)
                + element("m:ResponseCode", result.code)
                + element("m:DescriptiveLinkKey", "0")
                + "</m:DelegateUserResponseMessageType>"
            )
        else:
            messages.append(
                '<m:DelegateUserResponseMessageType ResponseClass="Success">'
                f"<m:ResponseCode>NoError</m:ResponseCode>{result}"
                "</m:DelegateUserResponseMessageType>"
            )
    return f"<m:ResponseMessages>{''.join(messages)}</m:ResponseMessages>"


def _each(elements: list[etree._Element], handle: Callable[[etree._Element], str]) -> str:
    results: list[str | EwsError] = []
    for elem in elements:
        try:
            results.append(handle(elem))
        except EwsError as error:
            results.append(error)
    return _answers(results)


def _owner(ctx: Context, request: etree._Element) -> Mailbox:
    mailbox_elem = child(request, "Mailbox")
    address = child_text(mailbox_elem, "EmailAddress") if mailbox_elem is not None else None
    if not address:
        raise schema_violation("The element 'Mailbox' has incomplete content.")
    return ctx.mailbox_for_address(address)


def _find(owner: Mailbox, user: Mailbox) -> Delegate:
    for delegate in owner.settings.delegates:
        if delegate.address.casefold() == user.address.casefold():
            return delegate
    raise EwsError("ErrorNotDelegate")


def _apply(delegate: Delegate, spec: etree._Element) -> None:
    """The permissions and options a DelegateUser element gives; what it leaves out stays."""
    permissions = child(spec, "DelegatePermissions")
    for level in children(permissions):
        folder = local_name(level).removesuffix("FolderPermissionLevel")
        if folder not in _FOLDERS or level.text not in _LEVELS:
            raise schema_violation(f"The element '{local_name(level)}' is invalid.")
        delegate.permissions[folder] = level.text
    for name, attribute in (
        ("ReceiveCopiesOfMeetingMessages", "receive_copies_of_meeting_messages"),
        ("ViewPrivateItems", "view_private_items"),
    ):
        text = child_text(spec, name)
        if text is not None:
            setattr(delegate, attribute, text.strip() in ("true", "1"))


def _delivery(owner: Mailbox, request: etree._Element) -> None:
    delivery = child(request, "DeliverMeetingRequests")
    if delivery is not None:
        if delivery.text not in _DELIVERY:
            raise schema_violation("The element 'DeliverMeetingRequests' is invalid.")
        owner.settings.deliver_meeting_requests = delivery.text


@operation("GetDelegate")
def get_delegate(ctx: Context, request: etree._Element) -> str:
    with_permissions = enumerated(request, "IncludePermissions", ("true", "false", "1", "0")) in (
        "true",
        "1",
    )

    def handle() -> str:
        owner = _owner(ctx, request)
        user_ids = children(child(request, "UserIds"))
        if user_ids:
            answers = _each(
                user_ids,
                lambda u: _delegate_xml(ctx, _find(owner, _user_of(ctx, u)), with_permissions),
            )
        else:
            answers = _answers(
                [_delegate_xml(ctx, d, with_permissions) for d in owner.settings.delegates]
            )
        return answers + element(
            "m:DeliverMeetingRequests", owner.settings.deliver_meeting_requests
        )

    return direct("GetDelegate", handle)


def _change(
    ctx: Context,
    request: etree._Element,
    name: str,
    container: str,
    change: Callable[[Mailbox, etree._Element], str],
) -> str:
    """Apply `change` to the owner for each element of the request's container; each gets its
    own answer, and DeliverMeetingRequests (when given) is set too."""

    def handle() -> str:
        owner = _owner(ctx, request)
        answers = _each(children(child(request, container)), lambda elem: change(owner, elem))
        _delivery(owner, request)
        ctx.store.settings_changed(owner)
        return answers

    return direct(name, handle)


@operation("AddDelegate")
def add_delegate(ctx: Context, request: etree._Element) -> str:
    def add(owner: Mailbox, spec: etree._Element) -> str:
        user = _user_of(ctx, child(spec, "UserId"))
        if user is owner:
            raise EwsError("ErrorDelegateCannotAddOwner")
        if any(d.address.casefold() == user.address.casefold() for d in owner.settings.delegates):
            raise EwsError("ErrorDelegateAlreadyExists")
        delegate = Delegate(user.address)
        _apply(delegate, spec)
        owner.settings.delegates.append(delegate)
        return _delegate_xml(ctx, delegate, True)

    return _change(ctx, request, "AddDelegate", "DelegateUsers", add)


@operation("UpdateDelegate")
def update_delegate(ctx: Context, request: etree._Element) -> str:
    def update(owner: Mailbox, spec: etree._Element) -> str:
        delegate = _find(owner, _user_of(ctx, child(spec, "UserId")))
        _apply(delegate, spec)
        return _delegate_xml(ctx, delegate, True)

    return _change(ctx, request, "UpdateDelegate", "DelegateUsers", update)


@operation("RemoveDelegate")
def remove_delegate(ctx: Context, request: etree._Element) -> str:
    def remove(owner: Mailbox, user_id: etree._Element) -> str:
        owner.settings.delegates.remove(_find(owner, _user_of(ctx, user_id)))
        return ""

    return _change(ctx, request, "RemoveDelegate", "UserIds", remove)
