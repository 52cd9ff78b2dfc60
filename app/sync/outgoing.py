"""A message composed in Liaison, as the outbox keeps it until sync sends it or saves it as a
draft: its fields in the entry's JSON, its attached files beside the database.

An attachment is either a file the user attached, copied at once into the entry's spool folder
in the profile (`data/outbox/<client id>/`, private), so the message goes as it was written
even if the file changes or the user is offline; or an attachment of a cached message (a
forward carries the original's, a reopened draft its own), fetched from the server when the
message goes. Spool files are written before the entry's transaction commits; a crash between
leaves a folder no entry names, removed at the next clean-up.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.mailbox.attachments import encoded_size, safe_file_name, unique_name
from app.mailbox.cache import addresses_of, recipients_json
from app.mailbox.remote import AttachmentContent
from app.private_files import private_file, private_folder
from app.sync.backend import OutgoingMessage
from app.tracking.model import Address

SPOOL_FOLDER = "outbox"
SPOOL_GRACE_SECONDS = 3600


@dataclass(frozen=True, slots=True)
class CarriedAttachment:
    """An attachment of a cached message the new one carries (a forward's, a draft's own):
    the message's row, the attachment's place in its list, its name and size as listed."""

    item_id: int
    index: int
    name: str
    size: int | None = None
    content_type: str | None = None
    inline: bool = False


@dataclass(frozen=True, slots=True)
class ComposedMessage:
    """A message as the user wrote it. `html` is the body when given (`text` its plain form);
    `message_id` is given when queued, so a reply can name it before it is sent."""

    subject: str
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()
    text: str = ""
    html: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    files: tuple[AttachmentContent, ...] = ()  # files attached, read when composed
    carried: tuple[CarriedAttachment, ...] = field(default=())

    def size(self) -> int:
        """Its size as sent, as the server measures it against its limit (a carried
        attachment whose size is not known counts as nothing)."""
        sizes = [len(f.data) for f in self.files] + [c.size or 0 for c in self.carried]
        return encoded_size(self.subject, self.text, self.html, sizes)


def new_message_id(address: str) -> str:
    """An Internet Message-ID for a message Liaison sends, in the sender's domain."""
    domain = address.rpartition("@")[2] or "liaison.invalid"
    return f"<{uuid.uuid4().hex}.liaison@{domain}>"


def spool_folder(data_dir: Path, client_id: str) -> Path:
    return data_dir / SPOOL_FOLDER / client_id


def payload(message: ComposedMessage, data_dir: Path, client_id: str) -> dict[str, Any]:
    """The message as an outbox entry's JSON, its files written to the entry's spool folder."""
    files: list[dict[str, Any]] = []
    if message.files:
        folder = private_folder(spool_folder(data_dir, client_id))
        taken: set[str] = set()
        for attached in message.files:
            name = unique_name(safe_file_name(attached.name), taken)
            taken.add(name)
            path = private_file(folder / name)
            path.write_bytes(attached.data)
            files.append(
                {
                    "file": name,
                    "name": attached.name,
                    "content_type": attached.content_type,
                    "size": len(attached.data),
                    "inline": attached.inline,
                    "content_id": attached.content_id,
                }
            )
    return {
        "subject": message.subject,
        "to": recipients_json(message.to),
        "cc": recipients_json(message.cc),
        "bcc": recipients_json(message.bcc),
        "body_text": message.text,
        "body_html": message.html,
        "in_reply_to": message.in_reply_to,
        "references": list(message.references),
        "files": files,
        "carried": [
            {
                "item_id": c.item_id,
                "index": c.index,
                "name": c.name,
                "size": c.size,
                "content_type": c.content_type,
                "inline": c.inline,
            }
            for c in message.carried
        ],
    }


def composed(entry: dict[str, Any], data_dir: Path, client_id: str) -> ComposedMessage:
    """The message an entry's JSON holds, its files read back from the spool folder."""
    folder = spool_folder(data_dir, client_id)
    return ComposedMessage(
        subject=str(entry.get("subject") or ""),
        to=addresses_of(entry.get("to")),
        cc=addresses_of(entry.get("cc")),
        bcc=addresses_of(entry.get("bcc")),
        text=str(entry.get("body_text") or ""),
        html=str(entry["body_html"]) if entry.get("body_html") else None,
        in_reply_to=entry.get("in_reply_to") or None,
        references=tuple(entry.get("references") or ()),
        files=tuple(
            AttachmentContent(
                name=str(f.get("name") or f["file"]),
                content_type=str(f.get("content_type") or "application/octet-stream"),
                data=(folder / str(f["file"])).read_bytes(),
                inline=bool(f.get("inline")),
                content_id=f.get("content_id") or None,
            )
            for f in entry.get("files") or ()
        ),
        carried=tuple(
            CarriedAttachment(
                item_id=int(c["item_id"]),
                index=int(c["index"]),
                name=str(c.get("name") or ""),
                size=c.get("size"),
                content_type=c.get("content_type"),
                inline=bool(c.get("inline")),
            )
            for c in entry.get("carried") or ()
        ),
    )


def outgoing(
    message: ComposedMessage,
    message_id: str | None,
    fetch: Callable[[CarriedAttachment], AttachmentContent],
) -> OutgoingMessage:
    """The message as a backend sends or saves it; carried attachments fetched with `fetch`."""
    attachments = [*message.files, *(fetch(carried) for carried in message.carried)]
    return OutgoingMessage(
        subject=message.subject,
        to=message.to,
        cc=message.cc,
        body_text=message.text,
        body_html=message.html,
        message_id=message_id,
        bcc=message.bcc,
        attachments=tuple(attachments),
        in_reply_to=message.in_reply_to,
        references=message.references,
    )


def remove_spool(data_dir: Path, client_ids: Sequence[str]) -> None:
    """The spool folders of entries that are done (sent, saved or given up)."""
    for client_id in client_ids:
        shutil.rmtree(spool_folder(data_dir, client_id), ignore_errors=True)


def clean_spool(data_dir: Path, waiting: set[str]) -> None:
    """Remove spool folders no waiting entry names (a crash before their commit, a message
    deleted from the Outbox). Only old ones: a folder being written now belongs to an entry
    whose transaction has not committed yet."""
    root = data_dir / SPOOL_FOLDER
    if not root.is_dir():
        return
    old = time.time() - SPOOL_GRACE_SECONDS
    for folder in root.iterdir():
        if folder.name not in waiting and folder.stat().st_mtime < old:
            shutil.rmtree(folder, ignore_errors=True)
