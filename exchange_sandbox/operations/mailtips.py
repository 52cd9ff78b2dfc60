"""GetMailTips: what a sender should know about each recipient before sending.

A mailbox here is a valid recipient with the organisation's limits; an unknown address in one of
the organisation's domains (the domains of its mailboxes) is an invalid recipient; any other
address is outside the organisation. No mailbox here is full, moderated or restricted, and none
has an automatic reply switched on (out-of-office settings are not kept).
"""

from __future__ import annotations

from lxml import etree

from ..context import Context
from ..errors import schema_violation
from ..model import MailboxSettings
from ..schema import parse_address
from ..values import Address
from ..xmlkit import child, child_text, children, element, local_name
from .registry import direct, operation

_NO_AUTOMATIC_REPLY = "<t:OutOfOffice><t:ReplyBody><t:Message/></t:ReplyBody></t:OutOfOffice>"
_TIPS = (
    "OutOfOfficeMessage",
    "MailboxFullStatus",
    "CustomMailTip",
    "ExternalMemberCount",
    "TotalMemberCount",
    "MaxMessageSize",
    "DeliveryRestriction",
    "ModerationStatus",
    "InvalidRecipient",
)


def _tips_for(ctx: Context, recipient: Address, wanted: set[str]) -> str:
    mailbox = ctx.store.mailbox(recipient.email)
    # A mailbox's own send limit, else the organisation's default.
    limit = (mailbox.settings if mailbox else MailboxSettings()).max_send_size
    ours = _domain(recipient.email) in {_domain(m.address) for m in ctx.store.mailboxes.values()}
    values = {
        "OutOfOfficeMessage": _NO_AUTOMATIC_REPLY,
        "MailboxFullStatus": element("t:MailboxFull", "false"),
        "TotalMemberCount": element("t:TotalMemberCount", "1"),
        "ExternalMemberCount": element("t:ExternalMemberCount", "0" if ours else "1"),
        "MaxMessageSize": element("t:MaxMessageSize", str(limit)),
        "DeliveryRestriction": element("t:DeliveryRestricted", "false"),
        "ModerationStatus": element("t:IsModerated", "false"),
        "InvalidRecipient": element(
            "t:InvalidRecipient", "true" if ours and mailbox is None else "false"
        ),
    }
    address = (
        "<t:RecipientAddress>"
        + element("t:Name", mailbox.display_name if mailbox else recipient.name)
        + element("t:EmailAddress", recipient.email)
        + element("t:RoutingType", "SMTP")
        + "</t:RecipientAddress>"
    )
    shown = "".join(values[tip] for tip in _TIPS if tip in values and tip in wanted)
    return (
        '<m:MailTipsResponseMessageType ResponseClass="Success">'
        "<m:ResponseCode>NoError</m:ResponseCode>"
        f"<m:MailTips>{address}{element('t:PendingMailTips', '')}{shown}</m:MailTips>"
        "</m:MailTipsResponseMessageType>"
    )


def _domain(address: str) -> str:
    return address.rpartition("@")[2].casefold()


@operation("GetMailTips")
def get_mail_tips(ctx: Context, request: etree._Element) -> str:
    requested = set((child_text(request, "MailTipsRequested") or "All").split())
    if not requested <= {*_TIPS, "All", "Scope"}:
        raise schema_violation("The element 'MailTipsRequested' is invalid.")
    wanted = set(_TIPS) if "All" in requested else requested
    recipients = [
        parse_address(m)
        for m in children(child(request, "Recipients"))
        if local_name(m) == "Mailbox"
    ]

    def handle() -> str:
        tips = "".join(_tips_for(ctx, r, wanted) for r in recipients)
        return f"<m:ResponseMessages>{tips}</m:ResponseMessages>"

    return direct("GetMailTips", handle)
