"""How each sender's mail program writes: reply and forward prefixes, quoting, threading headers.

Real threads get their texture from the programs people use: Polish Outlook answers "ODP:" and
forwards "PD:", German Outlook "AW:"/"WG:", Outlook for iOS drops In-Reply-To but keeps the
Thread-Index, The Bat! counts replies ("Re[2]:"), Gmail and Thunderbird quote with "> ".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

PL_WEEKDAYS = ("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela")
PL_WEEKDAYS_SHORT = ("pon.", "wt.", "śr.", "czw.", "pt.", "sob.", "niedz.")
PL_MONTHS_GENITIVE = (
    "stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca",
    "lipca", "sierpnia", "września", "października", "listopada", "grudnia",
)  # fmt: skip
PL_MONTHS_SHORT = (
    "sty", "lut", "mar", "kwi", "maj", "cze", "lip", "sie", "wrz", "paź", "lis", "gru",
)  # fmt: skip
DE_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")
DE_MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip
EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

OUTLOOK_LABELS = {
    "pl": ("Od", "Wysłane", "Do", "DW", "Temat"),
    "de": ("Von", "Gesendet", "An", "Cc", "Betreff"),
    "en": ("From", "Sent", "To", "Cc", "Subject"),
}
INLINE_FORWARD_LABELS = {
    "pl": ("-------- Przekazana wiadomość --------", "Temat", "Data", "Nadawca", "Adresat"),
    "de": ("-------- Weitergeleitete Nachricht --------", "Betreff", "Datum", "Von", "An"),
    "en": ("---------- Forwarded message ---------", "Subject", "Date", "From", "To"),
}
NUMBERED_REPLY = re.compile(r"^re(?:\[(\d+)\])?:\s*", re.IGNORECASE)


def outlook_date(moment: datetime, lang: str) -> str:
    weekday, month = moment.weekday(), moment.month - 1
    if lang == "pl":
        return (
            f"{PL_WEEKDAYS[weekday]}, {moment.day} {PL_MONTHS_GENITIVE[month]} {moment.year} "
            f"{moment:%H:%M}"
        )
    if lang == "de":
        return (
            f"{DE_WEEKDAYS[weekday]}, {moment.day}. {DE_MONTHS[month]} {moment.year} {moment:%H:%M}"
        )
    hour = moment.hour % 12 or 12
    half = "AM" if moment.hour < 12 else "PM"
    return (
        f"{EN_WEEKDAYS[weekday]}, {EN_MONTHS[month]} {moment.day}, {moment.year} "
        f"{hour}:{moment:%M} {half}"
    )


@dataclass(frozen=True)
class MailClient:
    """One mail program's habits; `lang` is the language of its quote headers, not the writer's."""

    name: str
    lang: str
    reply_prefix: str
    forward_prefix: str
    reply_prefixes_known: tuple[str, ...]
    quote_style: str  # "outlook" (header block, text unindented) or "inline" ("> " lines)
    html: bool
    thread_index: bool
    threading_headers: bool
    id_style: str
    mailer_header: str | None = None
    mailer: str | None = None
    signature_dash: bool = False
    numbered_replies: bool = False
    footer: str = ""

    def reply_subject(self, subject: str) -> str:
        if self.numbered_replies:
            return self._numbered_reply_subject(subject)
        head = subject.split(":", 1)[0].strip().lower() if ":" in subject else ""
        if head in {prefix.lower() for prefix in self.reply_prefixes_known}:
            return subject
        return f"{self.reply_prefix} {subject}"

    def forward_subject(self, subject: str) -> str:
        return f"{self.forward_prefix} {subject}"

    def _numbered_reply_subject(self, subject: str) -> str:
        match = NUMBERED_REPLY.match(subject)
        if match is None:
            return f"Re: {subject}"
        count = int(match.group(1) or 1) + 1
        return f"Re[{count}]: {subject[match.end() :]}"

    def attribution(self, moment: datetime, name: str, email: str) -> str:
        """The line an inline-quoting client writes above the quoted text."""
        weekday, month = moment.weekday(), moment.month - 1
        if self.name == "thunderbird-pl":
            return f"W dniu {moment:%d.%m.%Y} o {moment:%H:%M}, {name} pisze:"
        if self.name == "thunderbird-de":
            return f"Am {moment:%d.%m.%Y} um {moment:%H:%M} schrieb {name}:"
        if self.name == "gmail-pl":
            return (
                f"{PL_WEEKDAYS_SHORT[weekday]}, {moment.day} {PL_MONTHS_SHORT[month]} "
                f"{moment.year} o {moment:%H:%M} {name} <{email}> napisał(a):"
            )
        if self.name == "webmail-pl":
            return (
                f"Dnia {moment.day} {PL_MONTHS_GENITIVE[month]} {moment.year} {moment:%H:%M} "
                f"{name} <{email}> napisał(a):"
            )
        if self.name == "the-bat":
            return f"On {outlook_date(moment, 'en')}, you wrote:"
        if self.name == "apple-mail":
            return (
                f"On {moment.day} {EN_MONTHS[month][:3]} {moment.year}, at {moment:%H:%M}, "
                f"{name} <{email}> wrote:"
            )
        return (
            f"On {EN_WEEKDAYS[weekday][:3]}, {moment.day} {EN_MONTHS[month][:3]} {moment.year} "
            f"at {moment:%H:%M}, {name} <{email}> wrote:"
        )


OUTLOOK_PL = MailClient(
    name="outlook-pl", lang="pl", reply_prefix="ODP:", forward_prefix="PD:",
    reply_prefixes_known=("ODP", "RE"), quote_style="outlook", html=True, thread_index=True,
    threading_headers=True, id_style="exchange",
)  # fmt: skip
OUTLOOK_DE = MailClient(
    name="outlook-de", lang="de", reply_prefix="AW:", forward_prefix="WG:",
    reply_prefixes_known=("AW", "RE"), quote_style="outlook", html=True, thread_index=True,
    threading_headers=True, id_style="exchange",
)  # fmt: skip
OUTLOOK_EN = MailClient(
    name="outlook-en", lang="en", reply_prefix="RE:", forward_prefix="FW:",
    reply_prefixes_known=("RE",), quote_style="outlook", html=True, thread_index=True,
    threading_headers=True, id_style="exchange",
)  # fmt: skip
# Outlook for iOS keeps the conversation index but sends no In-Reply-To or References.
OUTLOOK_IOS = MailClient(
    name="outlook-ios", lang="en", reply_prefix="RE:", forward_prefix="FW:",
    reply_prefixes_known=("RE",), quote_style="outlook", html=True, thread_index=True,
    threading_headers=False, id_style="exchange", footer="Get Outlook for iOS",
)  # fmt: skip
GMAIL_PL = MailClient(
    name="gmail-pl", lang="en", reply_prefix="Re:", forward_prefix="Fwd:",
    reply_prefixes_known=("Re",), quote_style="inline", html=True, thread_index=False,
    threading_headers=True, id_style="gmail", signature_dash=True,
)  # fmt: skip
THUNDERBIRD_PL = MailClient(
    name="thunderbird-pl", lang="pl", reply_prefix="Re:", forward_prefix="Fwd:",
    reply_prefixes_known=("Re",), quote_style="inline", html=False, thread_index=False,
    threading_headers=True, id_style="uuid", mailer_header="User-Agent",
    mailer="Mozilla Thunderbird", signature_dash=True,
)  # fmt: skip
THUNDERBIRD_DE = MailClient(
    name="thunderbird-de", lang="de", reply_prefix="Re:", forward_prefix="Fwd:",
    reply_prefixes_known=("Re", "AW"), quote_style="inline", html=False, thread_index=False,
    threading_headers=True, id_style="uuid", mailer_header="User-Agent",
    mailer="Mozilla Thunderbird", signature_dash=True,
)  # fmt: skip
THE_BAT = MailClient(
    name="the-bat", lang="en", reply_prefix="Re:", forward_prefix="Fwd:",
    reply_prefixes_known=("Re",), quote_style="inline", html=False, thread_index=False,
    threading_headers=True, id_style="the-bat", mailer_header="X-Mailer",
    mailer="The Bat! (v10.5.3) Professional", numbered_replies=True,
)  # fmt: skip
# A provider's webmail as small firms and private persons use it: no HTML, no threading headers.
WEBMAIL_PL = MailClient(
    name="webmail-pl", lang="pl", reply_prefix="Odp:", forward_prefix="Fwd:",
    reply_prefixes_known=("Odp", "Re"), quote_style="inline", html=False, thread_index=False,
    threading_headers=False, id_style="webmail",
)  # fmt: skip
APPLE_MAIL = MailClient(
    name="apple-mail", lang="en", reply_prefix="Re:", forward_prefix="Fwd:",
    reply_prefixes_known=("Re",), quote_style="inline", html=True, thread_index=False,
    threading_headers=True, id_style="apple", mailer_header="X-Mailer",
    mailer="Apple Mail (2.3826.600.51.1.1)",
)  # fmt: skip
BULK_MAILER = MailClient(
    name="bulk", lang="en", reply_prefix="Re:", forward_prefix="Fwd:",
    reply_prefixes_known=("Re",), quote_style="inline", html=True, thread_index=False,
    threading_headers=False, id_style="bulk",
)  # fmt: skip
