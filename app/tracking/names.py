"""Names and companies for records auto-created from an unknown sender.

Splitting, as Liaison does it (the reference does not say):
- `"Kowalski, Jan"`: the part before the comma is the last name.
- `"Jan Kowalski"`: the last word is the last name, the words before it the first name
  (`Jan Maria Kowalski` -> `Jan Maria` / `Kowalski`); particles before it belong to the last name
  (`Jan van der Berg` -> `Jan` / `van der Berg`). A word in capitals among mixed-case words is
  the last name wherever it stands (`KOWALSKI Jan` -> `Jan` / `Kowalski`).
- No display name, or one that is the address itself: the local part split at `.` and `_`
  (`jan.kowalski`, `jan_kowalski` -> `Jan` / `Kowalski`); digits are dropped; a one-letter part
  is an initial and keeps a dot (`j.kowalski` -> `J.` / `Kowalski`), as `J. Kowalski` would.
- A single word is the last name, which every CRM requires; the first name stays empty. When the
  display name is one word but the local part has two (`Jan <jan.kowalski@…>`), the local part
  gives both.
- Suffixes in brackets (`Jan Kowalski (ACME)`, `[ext]`) and quotes are dropped. Names written all
  in lower or upper case are title-cased per word and hyphen part (`ŁUKASZ ŻÓŁW` -> `Łukasz Żółw`);
  mixed case is kept as written (`McDonald`).
"""

from __future__ import annotations

import re

from app.tracking.addresses import domain_of, normalise_email
from app.tracking.model import Address, AutoCreate, NewRecord, RecordType

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# "Jan Kowalski | ACME", "Jan Kowalski - ACME Sp. z o.o.": the person comes first.
_AFFILIATION = re.compile(r"\s+[-–—|/]\s+|\s*\|\s*")
_QUOTES = "\"'“”„‘’«»"
_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das", "la", "le",
     "ten", "ter", "zu", "af", "bin", "al"}
)  # fmt: skip
_LOCAL_SEPARATORS = re.compile(r"[._]+")
_DIGITS = re.compile(r"\d+")

PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "msn.com", "icloud.com", "me.com", "mac.com",
        "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "aol.com", "zoho.com",
        "tutanota.com", "tuta.io", "fastmail.com", "gmx.com", "mail.com", "hey.com",
        "wp.pl", "o2.pl", "onet.pl", "onet.eu", "op.pl", "vp.pl", "interia.pl", "interia.eu",
        "poczta.fm", "tlen.pl", "gazeta.pl", "go2.pl", "autograf.pl", "buziaczek.pl", "spoko.pl",
        "web.de", "t-online.de", "freenet.de", "arcor.de", "mail.ru", "bk.ru", "list.ru",
        "inbox.ru", "ya.ru", "seznam.cz", "centrum.cz", "orange.fr", "wanadoo.fr", "free.fr",
        "laposte.net", "sfr.fr", "libero.it", "virgilio.it", "tiscali.it", "qq.com", "163.com",
        "126.com", "naver.com", "ukr.net", "abv.bg", "freemail.hu", "citromail.hu",
    }
)  # fmt: skip
# Providers with a domain in many countries (hotmail.de, yahoo.co.uk, gmx.at, yandex.ru, ...).
PUBLIC_MAIL_NAMES: frozenset[str] = frozenset(
    {"hotmail", "outlook", "live", "yahoo", "ymail", "gmx", "yandex", "windowslive", "rocketmail"}
)
# Second-level labels under a country code: acme.co.uk, acme.com.pl, acme.org.au.
_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "edu", "ac", "biz", "info", "ltd"})


def split_name(display_name: str, email: str) -> tuple[str, str]:
    """First and last name from a display name, falling back to the address's local part."""
    words = _name_words(display_name, email)
    local_words = _local_part_words(email)
    if len(words) <= 1 and len(local_words) >= 2:
        words = local_words
    if not words:
        words = local_words
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    if "," in words:
        comma = words.index(",")
        last, first = words[:comma], words[comma + 1 :]
        return " ".join(first), " ".join(last)
    return _split_words(words)


def _name_words(display_name: str, email: str) -> list[str]:
    text = _BRACKETED.sub(" ", display_name)
    text = _AFFILIATION.split(text)[0].strip().strip(_QUOTES).strip()
    if not text or "@" in text:
        return []
    if "," in text:
        last, _, first = text.partition(",")
        last_words, first_words = _words(last), _words(first.replace(",", " "))
        if last_words and first_words:
            return [*last_words, ",", *first_words]
        text = text.replace(",", " ")
    return _words(text)


def _words(text: str) -> list[str]:
    words = [word for word in (raw.strip(_QUOTES) for raw in text.split()) if word]
    joined = " ".join(words)
    if joined.islower() or joined.isupper():
        return [_capitalise(word) for word in words]
    return words


def _split_words(words: list[str]) -> tuple[str, str]:
    shouted = [i for i, word in enumerate(words) if _is_shouted(word)]
    if len(shouted) == 1:
        position = shouted[0]
        rest = words[:position] + words[position + 1 :]
        return " ".join(rest), _capitalise(words[position])
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return " ".join(words[:start]), " ".join(words[start:])


def _is_shouted(word: str) -> bool:
    return len(word) > 1 and word.isupper() and "." not in word


def _local_part_words(email: str) -> list[str]:
    local, at, _ = normalise_email(email).partition("@")
    if not at:
        return []
    local = local.split("+")[0]
    parts = [_DIGITS.sub("", part).strip("-'") for part in _LOCAL_SEPARATORS.split(local)]
    parts = [part for part in parts if part]
    if len(parts) == 1 and "-" in parts[0]:
        parts = [part for part in parts[0].split("-") if part]
    return [_initial_or_name(part) for part in parts]


def _initial_or_name(part: str) -> str:
    return part.upper() + "." if len(part) == 1 else _capitalise(part)


def _capitalise(word: str) -> str:
    """`kowalska-nowak` -> `Kowalska-Nowak`, `o'brien` -> `O'Brien`, `żółw` -> `Żółw`."""
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:].lower(), word)


def is_public_mail_domain(domain: str) -> bool:
    """True for free mail providers, whose domain says nothing about the sender's company."""
    name = domain.strip().lower().strip(".")
    if name in PUBLIC_MAIL_DOMAINS:
        return True
    label = _company_label(name)
    return label in PUBLIC_MAIL_NAMES or _registered_domain(name) in PUBLIC_MAIL_DOMAINS


def company_from_domain(domain: str) -> str | None:
    """`acme.pl` -> `Acme`, `acme-logistics.co.uk` -> `Acme Logistics`; None for free mail."""
    name = domain.strip().lower().strip(".")
    if not name or is_public_mail_domain(name):
        return None
    label = _company_label(name)
    if not label:
        return None
    words = [word for word in re.split(r"[-_]+", label) if word]
    return " ".join(_capitalise(word) for word in words) or None


def _registered_label_index(labels: list[str]) -> int:
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return len(labels) - 3
    return len(labels) - 2


def _company_label(domain: str) -> str:
    labels = [label for label in domain.split(".") if label]
    if len(labels) < 2:
        # A bare host name ("localhost", "intranet") names no company.
        return ""
    return labels[_registered_label_index(labels)]


def _registered_domain(domain: str) -> str:
    labels = [label for label in domain.split(".") if label]
    if len(labels) < 2:
        return domain
    return ".".join(labels[_registered_label_index(labels) :])


def new_record_for(sender: Address, kind: AutoCreate) -> NewRecord | None:
    """The contact or lead auto-creation would make for this sender; None when it is off."""
    if kind is AutoCreate.OFF:
        return None
    email = normalise_email(sender.email)
    first, last = split_name(sender.name, email)
    if kind is AutoCreate.LEAD:
        return NewRecord(RecordType.LEAD, first, last, email, company_from_domain(domain_of(email)))
    return NewRecord(RecordType.CONTACT, first, last, email)
