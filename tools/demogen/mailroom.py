"""Writes threads the way people do: compose, reply (to one or all), forward.

Every message gets its Message-ID, threading headers, Thread-Index and quoted text from its
parent and from the habits of the sender's mail program, so the story only says who wrote
what and when.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime

from .clients import INLINE_FORWARD_LABELS, OUTLOOK_LABELS, MailClient, outlook_date
from .clock import when
from .conversation import child_thread_index, message_id, new_thread_index
from .mail import Attachment, Mail, Quote, Scenario
from .people import Person

MAX_REFERENCES = 10


def _address(person: Person) -> str:
    if not person.header_name:
        return person.email
    return f"{person.header_name} <{person.email}>"


def _without(people: Sequence[Person], *excluded: Person) -> tuple[Person, ...]:
    excluded_emails = {person.email for person in excluded}
    seen: set[str] = set()
    kept: list[Person] = []
    for person in people:
        if person.email not in excluded_emails and person.email not in seen:
            seen.add(person.email)
            kept.append(person)
    return tuple(kept)


class Mailroom:
    """Collects the demo's messages; `ghost` messages exist only as parents outside the demo."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._ids: set[str] = set()
        self.mails: list[Mail] = []
        self.ghosts: list[Mail] = []

    def compose(
        self,
        sender: Person,
        to: Sequence[Person],
        subject: str,
        at: str | datetime,
        text: str,
        *,
        cc: Sequence[Person] = (),
        lang: str | None = None,
        attachments: Sequence[Attachment] = (),
        headers: Sequence[tuple[str, str]] = (),
        html_override: str | None = None,
        scenario: Scenario | None = None,
        ghost: bool = False,
    ) -> Mail:
        moment = self._moment(at, sender)
        client = sender.client
        language = lang or self._language_for(sender, to)
        mail = Mail(
            sender=sender,
            to=tuple(to),
            cc=tuple(cc),
            subject=subject,
            sent_at=moment,
            text=self._signed(text, sender, language),
            signature=self._signature(sender),
            message_id=self._new_id(sender, client, moment),
            client=client,
            lang=language,
            thread_index=new_thread_index(self._rng, moment) if client.thread_index else None,
            thread_topic=subject if client.thread_index else None,
            attachments=tuple(attachments),
            extra_headers=tuple(headers),
            html_override=html_override,
            scenario=scenario,
        )
        return self.keep(mail, ghost)

    def reply(
        self,
        parent: Mail,
        sender: Person,
        at: str | datetime,
        text: str,
        *,
        to: Sequence[Person] | None = None,
        cc: Sequence[Person] | None = None,
        subject: str | None = None,
        threading: bool = True,
        attachments: Sequence[Attachment] = (),
        headers: Sequence[tuple[str, str]] = (),
        scenario: Scenario | None = None,
    ) -> Mail:
        """A reply-all unless `to`/`cc` say otherwise; `threading=False` drops In-Reply-To."""
        moment = self._moment(at, sender)
        client = sender.client
        if to is None:
            to = (parent.sender,) if parent.sender.email != sender.email else parent.to
        if cc is None:
            cc = _without((*parent.to, *parent.cc), sender, *to)
        sets_headers = client.threading_headers and threading
        mail = Mail(
            sender=sender,
            to=tuple(to),
            cc=tuple(cc),
            subject=subject if subject is not None else client.reply_subject(parent.subject),
            sent_at=moment,
            text=self._signed(text, sender, parent.lang),
            signature=self._signature(sender),
            message_id=self._new_id(sender, client, moment),
            client=client,
            lang=parent.lang,
            quote=self._quote(parent, client, sender, forward=False),
            in_reply_to=parent.message_id if sets_headers else None,
            references=self._references(parent) if sets_headers else (),
            thread_index=self._thread_index(parent, client, moment) if threading else None,
            thread_topic=self._thread_topic(parent, client),
            attachments=tuple(attachments),
            extra_headers=tuple(headers),
            scenario=scenario,
        )
        return self.keep(mail, ghost=False)

    def forward(
        self,
        parent: Mail,
        sender: Person,
        to: Sequence[Person],
        at: str | datetime,
        text: str,
        *,
        cc: Sequence[Person] = (),
        lang: str | None = None,
        scenario: Scenario | None = None,
        ghost: bool = False,
    ) -> Mail:
        """Forwards carry the parent's attachments; only Gmail also sets In-Reply-To on them."""
        moment = self._moment(at, sender)
        client = sender.client
        gmail_threading = client.id_style == "gmail"
        mail = Mail(
            sender=sender,
            to=tuple(to),
            cc=tuple(cc),
            subject=client.forward_subject(parent.subject),
            sent_at=moment,
            text=self._signed(text, sender, lang or parent.lang),
            signature=self._signature(sender),
            message_id=self._new_id(sender, client, moment),
            client=client,
            lang=lang or parent.lang,
            quote=self._quote(parent, client, sender, forward=True),
            in_reply_to=parent.message_id if gmail_threading else None,
            references=self._references(parent) if gmail_threading else (),
            thread_index=self._thread_index(parent, client, moment),
            thread_topic=self._thread_topic(parent, client),
            attachments=parent.attachments,
            scenario=scenario,
        )
        return self.keep(mail, ghost)

    def keep(self, mail: Mail, ghost: bool = False) -> Mail:
        (self.ghosts if ghost else self.mails).append(mail)
        return mail

    @staticmethod
    def _moment(at: str | datetime, sender: Person) -> datetime:
        return when(at, sender.zone) if isinstance(at, str) else at

    @staticmethod
    def _language_for(sender: Person, to: Sequence[Person]) -> str:
        """People write in their own language, except to a foreign customer."""
        foreign = [person.lang for person in to if person.lang != sender.lang and person.first]
        return foreign[0] if foreign and len(to) == len(foreign) else sender.lang

    @staticmethod
    def _signed(text: str, sender: Person, lang: str) -> str:
        signoff = sender.signoff(lang)
        body = text.strip("\n")
        return f"{body}\n\n{signoff}" if signoff else body

    @staticmethod
    def _signature(sender: Person) -> str:
        return sender.client.footer or sender.signature

    def _new_id(self, sender: Person, client: MailClient, moment: datetime) -> str:
        while True:
            candidate = message_id(
                self._rng, client.id_style, sender.domain, sender.mail_host, moment
            )
            if candidate not in self._ids:
                self._ids.add(candidate)
                return candidate

    @staticmethod
    def _references(parent: Mail) -> tuple[str, ...]:
        return (*parent.references, parent.message_id)[-MAX_REFERENCES:]

    def _thread_index(self, parent: Mail, client: MailClient, moment: datetime) -> bytes | None:
        if not client.thread_index:
            return None
        if parent.thread_index is None:
            return new_thread_index(self._rng, moment)
        return child_thread_index(self._rng, parent.thread_index, moment)

    @staticmethod
    def _thread_topic(parent: Mail, client: MailClient) -> str | None:
        if not client.thread_index:
            return None
        return parent.thread_topic or parent.subject

    @staticmethod
    def _quote(parent: Mail, client: MailClient, sender: Person, forward: bool) -> Quote:
        seen_at = sender.zone.local(parent.sent_at)
        if client.quote_style == "outlook":
            labels = OUTLOOK_LABELS[client.lang]
            lines = [
                f"{labels[0]}: {_address(parent.sender)}",
                f"{labels[1]}: {outlook_date(seen_at, client.lang)}",
                f"{labels[2]}: {'; '.join(_address(person) for person in parent.to)}",
            ]
            if parent.cc:
                lines.append(f"{labels[3]}: {'; '.join(_address(person) for person in parent.cc)}")
            lines.append(f"{labels[4]}: {parent.subject}")
            return Quote("outlook", tuple(lines), parent.own_text)
        if forward:
            title, subject, date, sender_label, to_label = INLINE_FORWARD_LABELS[client.lang]
            lines = [
                title,
                f"{subject}: {parent.subject}",
                f"{date}: {outlook_date(seen_at, client.lang)}",
                f"{sender_label}: {_address(parent.sender)}",
                f"{to_label}: {', '.join(_address(person) for person in parent.to)}",
            ]
            return Quote("forward", tuple(lines), parent.own_text)
        attribution = client.attribution(
            seen_at, parent.sender.header_name or parent.sender.email, parent.sender.email
        )
        return Quote("inline", (attribution,), parent.own_text)
