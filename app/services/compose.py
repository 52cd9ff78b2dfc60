"""Writing email: new messages, replies and forwards, drafts, and sending, as the window's
compose dialog and `liaison mail send|reply|forward|draft` ask for them.

Everything is queued locally and shown at once (a draft in Drafts, a message waiting in the
Outbox); the next sync saves or sends it, offline included. Tracking follows Dynamics
(app.tracking.outgoing): a reply to or forward of a tracked message is tracked regarding the
same record with its token kept; a new email only when the user asks (Track, Set Regarding) or
a `track-new-email` setting says so. Untracked mail gets no token, no mark and no activity.
A message is queued by app.sync.sent, which gives a tracked one its token, Message-ID and
activity at once.
"""

from __future__ import annotations

import locale
import mimetypes
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from app.bounded_read import UnreadableFile, read_user_file
from app.crm.org import load_org_settings
from app.crm.records import get_record, record_ref
from app.crm.search import RecordKey
from app.mailbox import cache
from app.mailbox.attachments import AttachmentInfo, listed
from app.mailbox.models import MailFolder, MailItem, SyncAccountState
from app.mailbox.personal_options import load_personal_options
from app.mailbox.remote import AttachmentContent
from app.mailbox.replies import Original, ResponseKind, respond, signed, signed_html
from app.mailbox.views import OUTGOING_FOLDERS
from app.services.base import ProfileService
from app.services.errors import ServiceError
from app.services.settings import SIGNATURE_KEY
from app.sync.actions import latest_draft_save, save_draft_row
from app.sync.outgoing import (
    CarriedAttachment,
    ComposedMessage,
    composed,
    spool_folder,
)
from app.sync.sent import queue_email
from app.tracking.addresses import is_valid_email, normalise_email, parse_address_list
from app.tracking.model import Address, RecordRef, RecordType
from app.tracking.outgoing import Answered, OutgoingDecision, decide_outgoing

# Exchange's default limit on a message as sent, used until the server has said its own.
DEFAULT_SIZE_LIMIT = 25 * 1024 * 1024
MAX_ATTACHED_FILE = 150 * 1024 * 1024  # read at most this much of one file


@dataclass(frozen=True, slots=True)
class EmailDraft:
    """A message as the compose window holds it. Addresses as typed ("Name <a@b>; c@d");
    `body` is the plain text, `html` the same as HTML when the message is rich text. `files`
    are files to attach, `carried` attachments of cached messages it takes along (a forward's).
    `track` is the Track control (None: not touched, the default applies). `answers` is the
    cached message it replies to or forwards, `draft_id` the cached draft it was opened from."""

    to: tuple[str, ...]
    cc: tuple[str, ...]
    subject: str
    body: str
    regarding: RecordKey | None = None
    bcc: tuple[str, ...] = ()
    html: str | None = None
    files: tuple[Path, ...] = ()
    carried: tuple[CarriedAttachment, ...] = ()
    track: bool | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    answers: int | None = None
    draft_id: int | None = None


@dataclass(frozen=True, slots=True)
class QueuedEmail:
    """What became of a message sent: the subject it goes with (its token, if tracked), and
    whether and why it is tracked."""

    subject: str
    tracking: OutgoingDecision
    item_id: int | None  # the row shown in the Outbox until it is sent


class ComposeService(ProfileService):
    # Sending
    def send_email(self, draft: EmailDraft) -> str:
        """Queue the message; the next sync sends it. Returns the subject as it will be sent."""
        return self.queue_email(draft).subject

    def queue_email(self, draft: EmailDraft) -> QueuedEmail:
        """Queue the message, tracked or not as `tracking_for` decides (app.sync.sent: a
        tracked one has its token, Message-ID and activity from now on)."""
        message = self._composed(draft, need_recipients=True)
        self._check_size(message)
        decision = self.tracking_for(draft)
        with self.workspace.local.sessions() as session:
            self._draft_row(session, draft.draft_id)  # one gone from the mailbox is refused
        queued = queue_email(
            self.workspace,
            self._sender(),
            message,
            decision.track,
            decision.regarding,
            draft.draft_id,
        )
        return QueuedEmail(queued.subject, decision, queued.item_id)

    def tracking_for(self, draft: EmailDraft) -> OutgoingDecision:
        """Whether the draft would be tracked if sent now, and why (the Track control's default
        in the compose window, the answer of `liaison mail send`)."""
        answered = self._answered(draft.answers)
        with self.workspace.crm.sessions() as session:
            org_wants = load_org_settings(session).track_new_email
            regarding = (
                record_ref(get_record(session, draft.regarding.type.value, str(draft.regarding.id)))
                if draft.regarding is not None
                else None
            )
        with self.workspace.local.sessions() as session:
            personal_wants = load_personal_options(session).track_new_email
        return decide_outgoing(draft.track, regarding, answered, org_wants or personal_wants)

    def size_limit(self) -> int:
        """The largest message the server accepts, in bytes as sent (its own word when sync
        has heard it, else Exchange's default)."""
        with self.workspace.local.sessions() as session:
            state = session.get(SyncAccountState, self._sender())
            limit = state.message_size_limit if state is not None else None
        return limit or DEFAULT_SIZE_LIMIT

    def message_size(self, draft: EmailDraft) -> int:
        """The draft's size as sent (what the limit is measured against)."""
        return self._composed(draft, need_recipients=False).size()

    # Replies and forwards

    def new_email(self, draft: EmailDraft) -> EmailDraft:
        """A new message as the compose window opens it: its text (a mailto link's, say) with
        the user's signature under it. A draft opened again has its signature already and is
        opened by `open_draft`, never here."""
        signature = self.signature()
        return replace(
            draft,
            body=signed(draft.body, signature),
            html=signed_html(draft.body, signature) if draft.html is not None else None,
        )

    def signature(self) -> str:
        """The signature of the Options dialog (plain text; empty: none)."""
        return str(self.workspace.settings.get(SIGNATURE_KEY) or "")

    def respond(
        self,
        item_id: int,
        kind: ResponseKind,
        written: str = "",
        language: str | None = None,
        sign: bool = False,
    ) -> EmailDraft:
        """A reply, reply to all or forward of a cached message: recipients, subject, the
        original quoted under `written` (and under the user's signature when `sign`),
        threading, and (forward) its attachments."""
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None:
                raise ServiceError("This message is no longer in the mailbox")
            folder = session.get(MailFolder, row.folder_id)
            original = _original(row, folder)
        response = respond(original, kind, self._own_addresses(), language or self.language())
        signature = self.signature() if sign else ""
        return EmailDraft(
            to=tuple(typed_address(a) for a in response.to),
            cc=tuple(typed_address(a) for a in response.cc),
            subject=response.subject,
            body=response.text(written, signature),
            html=response.html(written, signature) if original.body_html else None,
            carried=_carried(item_id, response.carried),
            in_reply_to=response.in_reply_to,
            references=response.references,
            answers=item_id,
        )

    def language(self) -> str:
        """The user's language for what Liaison writes into mail (the window's, else the
        system's): "en" or "pl"."""
        chosen = self.workspace.settings.get("ui_language")
        if chosen in ("en", "pl"):
            return str(chosen)
        system = os.environ.get("LC_ALL") or os.environ.get("LANG") or locale.getlocale()[0] or ""
        return "pl" if system.lower().startswith("pl") else "en"

    # Drafts

    def save_draft(self, draft: EmailDraft) -> int:
        """Save to Drafts (at once here, on the server at the next sync); the draft's id."""
        message = self._composed(draft, need_recipients=False)
        address = self._sender()
        with self.workspace.local.sessions.begin() as session:
            drafts = cache.distinguished_folder(session, address, "drafts")
            if drafts is None:
                raise ServiceError("The mailbox has no Drafts folder yet: sync first")
            row = save_draft_row(
                session,
                address,
                drafts,
                self._draft_row(session, draft.draft_id),
                message,
                self.workspace.paths.data_dir,
            )
            return row.id

    def open_draft(self, item_id: int) -> EmailDraft:
        """A draft as the compose window opens it again, with its attachments: the files of a
        save still waiting for the server, else the draft's own on the server (carried)."""
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None or not row.is_draft:
                raise ServiceError("This draft is no longer in the mailbox")
            waiting = latest_draft_save(session, row)
            draft = EmailDraft(
                to=tuple(typed_address(a) for a in cache.addresses_of(row.to_recipients)),
                cc=tuple(typed_address(a) for a in cache.addresses_of(row.cc_recipients)),
                bcc=tuple(typed_address(a) for a in cache.addresses_of(row.bcc_recipients)),
                subject=row.subject,
                body=row.body_text or "",
                html=row.body_html,
                carried=_carried(row.id, listed(row.attachments)),
                in_reply_to=row.in_reply_to,
                references=tuple((row.references or "").split()),
                draft_id=row.id,
            )
        if waiting is None:
            return draft
        data_dir = self.workspace.paths.data_dir
        message = composed(waiting.payload, data_dir, waiting.client_id)
        folder = spool_folder(data_dir, waiting.client_id)
        files = tuple(folder / str(f["file"]) for f in waiting.payload.get("files") or ())
        return replace(draft, files=files, carried=message.carried)

    # Inside

    def _composed(self, draft: EmailDraft, need_recipients: bool) -> ComposedMessage:
        to, cc, bcc = addresses(draft.to), addresses(draft.cc), addresses(draft.bcc)
        if need_recipients and not (to or cc or bcc):
            raise ServiceError("Add at least one recipient")
        files = tuple(_file(path) for path in draft.files)
        return ComposedMessage(
            subject=draft.subject.strip(),
            to=tuple(to),
            cc=tuple(cc),
            bcc=tuple(bcc),
            text=draft.body,
            html=draft.html,
            in_reply_to=draft.in_reply_to,
            references=draft.references,
            files=files,
            carried=draft.carried,
        )

    def _check_size(self, message: ComposedMessage) -> None:
        limit, size = self.size_limit(), message.size()
        if size > limit:
            raise ServiceError(
                f"The message is {_megabytes(size)} as sent; the server accepts at most "
                f"{_megabytes(limit)}. Attach fewer or smaller files, or share a link instead."
            )

    def _answered(self, item_id: int | None) -> Answered | None:
        if item_id is None:
            return None
        with self.workspace.local.sessions() as session:
            row = session.get(MailItem, item_id)
            if row is None or row.tracking_state != "tracked":
                return None
            return Answered(_regarding(row))

    def _draft_row(self, session: Session, draft_id: int | None) -> MailItem | None:
        if draft_id is None:
            return None
        row = session.get(MailItem, draft_id)
        if row is None or not row.is_draft:
            raise ServiceError("This draft is no longer in the mailbox")
        return row

    def _own_addresses(self) -> frozenset[str]:
        own = {normalise_email(self._sender())}
        with self.workspace.crm.sessions() as session:
            own.update(normalise_email(email) for email in self.workspace.owner(session).emails)
        return frozenset(own - {""})

    def _sender(self) -> str:
        address = self.account_address() or self.workspace.owner_address
        if not address:
            raise ServiceError("This profile has no mailbox yet: run `liaison init`")
        return address


def addresses(texts: Sequence[str]) -> list[Address]:
    """Addresses as typed in a To, Cc or Bcc field; a malformed one is refused in words."""
    found: list[Address] = []
    for text in texts:
        if not text.strip():
            continue
        parsed = parse_address_list(text)
        if not parsed or not all(is_valid_email(address.email) for address in parsed):
            raise ServiceError(f"{text.strip()!r} is not an email address")
        found.extend(parsed)
    return found


def _file(path: Path) -> AttachmentContent:
    try:
        data = read_user_file(path, MAX_ATTACHED_FILE, "a file to attach")
    except UnreadableFile as exc:
        raise ServiceError(str(exc)) from None
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return AttachmentContent(path.name, content_type, data)


def _original(row: MailItem, folder: MailFolder | None) -> Original:
    return Original(
        subject=row.subject,
        sender=Address(row.sender_email, row.sender_name or "") if row.sender_email else None,
        to=cache.addresses_of(row.to_recipients),
        cc=cache.addresses_of(row.cc_recipients),
        sent_at=row.sent_at or row.received_at,
        body_text=row.body_text,
        body_html=row.body_html,
        message_id=row.internet_message_id,
        in_reply_to=row.in_reply_to,
        references=tuple((row.references or "").split()),
        sent_by_user=folder is not None and folder.distinguished in OUTGOING_FOLDERS,
        attachments=listed(row.attachments),
    )


def _carried(item_id: int, attachments: Sequence[AttachmentInfo]) -> tuple[CarriedAttachment, ...]:
    return tuple(
        CarriedAttachment(item_id, a.index, a.name, a.size, a.content_type, a.inline)
        for a in attachments
    )


def _regarding(row: MailItem) -> RecordRef | None:
    if not row.regarding_type or row.regarding_id is None:
        return None
    try:
        kind = RecordType(row.regarding_type)
    except ValueError:
        return None
    return RecordRef(kind, row.regarding_id, row.regarding_name or "")


def typed_address(address: Address) -> str:
    """An address as a To field shows it ("Name <a@b>")."""
    if not address.name:
        return address.email
    name = address.name.replace('"', "'")
    quoted = f'"{name}"' if any(c in name for c in ",;<>@()") else name
    return f"{quoted} <{address.email}>"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
