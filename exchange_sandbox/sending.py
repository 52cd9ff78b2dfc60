"""Sending: what CreateItem, UpdateItem and SendItem do with a message once it is to go."""

from __future__ import annotations

from . import mime
from .context import Context
from .errors import EwsError
from .model import Folder, Item, Mailbox


def send_message(
    ctx: Context, sender: Mailbox, item: Item, saved_in: Folder | None
) -> list[tuple[Mailbox, Item]]:
    """Stamp, file (Sent Items or wherever asked) and deliver a message; the copies delivered
    to mailboxes here."""
    has_recipients = any(
        item.props.get(name) for name in ("ToRecipients", "CcRecipients", "BccRecipients")
    )
    if not has_recipients:
        raise EwsError("ErrorInvalidRecipients")
    if len(mime.generate(item)) > sender.settings.max_send_size:
        # Measured as sent: the MIME message, its attachments in base64.
        raise EwsError("ErrorMessageSizeExceeded")
    transport = ctx.services.transport
    transport.prepare_sent(sender, item)
    if saved_in is not None:
        ctx.store.add_item(sender, saved_in, item)
    return transport.deliver_sent(sender, item)
