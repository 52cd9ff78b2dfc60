"""Names and companies for records created from an address: auto-creation during sync, and the
pre-filled form of "Create Contact/Lead".

How a display name is read (the reference product does not say; this is what people write):
- Titles before the name go to the salutation (`Dr.`, `Prof. Dr.`, `Herr`, `Frau`, `Pan`,
  `mgr inż.`, `Dr. med.`, `Sra.`, `Mme`, `Dott.ssa`, `Dipl.-Ing.`...); degrees, honours and
  generations after it to the suffix (`PhD`, `MBA`, `Jr.`, `III`), with or without a comma.
- `"Kowalski, Jan"`: the part before the comma is the last name.
- `"Jan Kowalski"`: the last word is the last name, the words before it the first name
  (`Jan Maria Kowalski` -> `Jan Maria` / `Kowalski`). Particles belong to the last name
  (`Jan van der Berg`, `María de la Cruz`, `Leonardo da Vinci`). Two Spanish or Portuguese
  surnames are one last name (`José María García López` -> `José María` / `García López`,
  `Ortega y Gasset`, `Silva Filho`). Words in capitals among mixed-case words are the last name
  wherever they stand (`KOWALSKI Jan`, `José María GARCÍA LÓPEZ`). `Kowalski J.` is a last name
  and an initial when the address says so (`j.kowalski@`).
- No display name, one that is the address itself, or one that names a company (`Acme GmbH`,
  `Allegro.pl`): the local part split at `.`, `_` and `-` (`jan.kowalski` -> `Jan` /
  `Kowalski`); digits are dropped; a one-letter part is an initial and keeps a dot. A display
  name of one word completes from the local part (`Dr. Müller <hans.mueller@…>` -> `Dr.` /
  `Hans` / `Müller`). A role address (info@, biuro@, noreply@) names nobody.
- Suffixes in brackets (`Jan Kowalski (ACME)`, `[ext]`) and quotes are dropped. Names written all
  in lower or upper case are title-cased per word and hyphen part (`ŁUKASZ ŻÓŁW` -> `Łukasz Żółw`);
  mixed case is kept as written (`McDonald`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.tracking.addresses import domain_of, normalise_email
from app.tracking.model import Address, AutoCreate, NewRecord, RecordRef, RecordType
from app.tracking.name_words import (
    AMBIGUOUS_TITLES,
    CONNECTORS,
    IBERIAN_GIVEN_NAMES,
    IBERIAN_SURNAMES,
    IBERIAN_TLDS,
    PARTICLES,
    POST_NOMINALS,
    PREFIX_TITLES,
    SURNAME_ENDINGS,
    TITLE_QUALIFIERS,
    word_key,
)
from app.tracking.roles import ROLE_LOCAL_PARTS, is_role_address, role_of

_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
# "Jan Kowalski | ACME", "Jan Kowalski - ACME Sp. z o.o.": the person comes first.
_AFFILIATION = re.compile(r"\s+[-–—|/]\s+|\s*\|\s*")
_QUOTES = "\"'“”„‘’«»"
# Legal forms (GmbH, Sp. z o.o., S.A., Ltd) and web names (Allegro.pl) name a company.
_LEGAL_FORM = (
    r"(?:^|\s|,)(?:GmbH|AG|KG|OHG|UG|GbR|e\.\s?V\.|[Ss]p\.\s?z\s?o\.\s?o\.?|[Ss]p\.\s?[jkp]\."
    r"|S\.\s?A\.?|SA|S\.\s?L\.?|S\.r\.l\.|SRL|S\.p\.A\.|SpA|Ltd\.?|Limited|LLC|L\.L\.C\.|Inc\.?"
    r"|Corp\.?|Corporation|PLC|plc|LLP|B\.V\.|BV|N\.V\.|NV|SAS|SARL|Oy|AB|A/S|ApS|Kft\.?"
    r"|SE|s\.r\.o\.|a\.s\.)(?=$|[\s,])"
)
_COMPANY = re.compile(_LEGAL_FORM + r"|\w\.(?:com|net|org|pl|de|eu|io|co\.uk|fr|es|it|nl)\b")
_LEGAL_FORMS = re.compile(_LEGAL_FORM)
_GENERATIONS = frozenset({"jr", "sr"})
# Digits separate too: jan.kowalski85 and jan2kowalski are Jan Kowalski.
_LOCAL_SEPARATORS = re.compile(r"[._\d\s]+")

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


@dataclass(frozen=True, slots=True)
class PersonName:
    """A person's name as a CRM form holds it."""

    salutation: str = ""
    first: str = ""
    last: str = ""
    suffix: str = ""

    @property
    def full(self) -> str:
        return " ".join(part for part in (self.first, self.last) if part)


def parse_name(display_name: str, email: str = "") -> PersonName:
    """Salutation, first and last name and suffix from a display name and its address."""
    text = clean_display_name(display_name)
    found = _parse_display("" if company_in_display(text) else text, email)
    named = [word for word in (found.first.split() + found.last.split()) if word]
    role = role_of(email)
    if role is not None and all(_ascii(word) in ROLE_LOCAL_PARTS for word in named):
        return PersonName()  # "Info <info@acme.pl>" names no one
    local_words = [] if role is not None else _local_part_words(email)
    if len(named) <= 1 and len(local_words) >= 2:
        words = _completed(local_words, named)
        first, last = _split_words(words, email)
        return PersonName(found.salutation, first, last, found.suffix)
    if not named and local_words:
        return PersonName(found.salutation, "", local_words[0], found.suffix)
    return found


def clean_display_name(display_name: str) -> str:
    """The display name without bracketed remarks, affiliations after a dash, and quotes."""
    text = _BRACKETED.sub(" ", display_name)
    text = _AFFILIATION.split(text)[0].strip().strip(_QUOTES).strip()
    return "" if "@" in text else " ".join(text.split())


def company_in_display(text: str) -> str | None:
    """The display name when it names a company rather than a person (`Acme Sp. z o.o.`)."""
    return text if text and _COMPANY.search(text) else None


def sender_company(display_name: str, email: str) -> str | None:
    """The company a role address's sender stands for: its display name (`Sklep Przykład`),
    unless that is only the role (`Info`, `NO-REPLY`), else the domain's name."""
    text = clean_display_name(display_name)
    words = _words(text)
    if words and not all(_ascii(word) in ROLE_LOCAL_PARTS for word in words):
        return text
    return company_from_domain(domain_of(email))


def without_legal_form(company: str) -> str:
    """`Acme Logistics Sp. z o.o.` -> `Acme Logistics`: the name two spellings share."""
    return " ".join(_LEGAL_FORMS.sub(" ", company).replace(",", " ").split())


def _parse_display(text: str, email: str) -> PersonName:
    segments = [_words(segment) for segment in text.split(",")]
    segments = [segment for segment in segments if segment]
    if not segments:
        return PersonName()
    letters = "".join(char for char in text if char.isalpha())
    uniform = letters.isupper() or letters.islower()
    suffix: list[str] = []
    while len(segments) > 1 and all(_is_post_nominal(w, uniform) for w in segments[-1]):
        suffix[:0] = segments.pop()
    if len(segments) == 2:
        last_titles, last_words = _leading_titles(segments[0], uniform)
        first_titles, first_words = _leading_titles(segments[1], uniform)
        first_words, first_suffix = _trailing_post_nominals(first_words, uniform)
        last_words, last_suffix = _trailing_post_nominals(last_words, uniform)
        if first_words and last_words:
            return PersonName(
                " ".join(last_titles + first_titles),
                " ".join(_cased(first_words, uniform)),
                " ".join(_cased(last_words, uniform)),
                " ".join(_suffix_words(last_suffix + first_suffix + suffix, uniform)),
            )
    words = [word for segment in segments for word in segment]
    titles, words = _leading_titles(words, uniform)
    words, trailing = _trailing_post_nominals(words, uniform)
    first, last = _split_words(_cased(words, uniform), email)
    return PersonName(
        " ".join(titles), first, last, " ".join(_suffix_words(trailing + suffix, uniform))
    )


def _words(text: str) -> list[str]:
    """The words of a name: quotes trimmed, and what has no letter at all (`-`, `2`) dropped."""
    words = (raw.strip(_QUOTES) for raw in text.split())
    return [word for word in words if any(char.isalpha() for char in word)]


def _leading_titles(words: list[str], uniform: bool) -> tuple[list[str], list[str]]:
    """Titles at the start, kept while a name is left after them."""
    titles: list[str] = []
    position = 0
    while position < len(words) - 1:
        word, key = words[position], word_key(words[position])
        following = words[position + 1 :]
        if key in TITLE_QUALIFIERS and titles and not _lone_initial_qualifier(word, following):
            forms = TITLE_QUALIFIERS
        elif key in PREFIX_TITLES and not (
            key in AMBIGUOUS_TITLES and (len(following) < 2 or _is_initial(following[0]))
        ):
            forms = PREFIX_TITLES
        else:
            break
        titles.append(forms[key] if uniform and word.isupper() else word)
        position += 1
    return titles, words[position:]


def _lone_initial_qualifier(word: str, following: list[str]) -> bool:
    """`n.` qualifies a doctorate only before another qualifier (dr n. med.); in `Dr. N. Smith`
    it is an initial."""
    return len(word_key(word)) == 1 and not (
        following and word_key(following[0]) in TITLE_QUALIFIERS
    )


def _trailing_post_nominals(words: list[str], uniform: bool) -> tuple[list[str], list[str]]:
    suffix: list[str] = []
    while len(words) > 1 and _is_post_nominal(words[-1], uniform):
        suffix.insert(0, words[-1])
        words = words[:-1]
    return words, suffix


def _is_post_nominal(word: str, uniform: bool) -> bool:
    key = word_key(word)
    if key not in POST_NOMINALS:
        return False
    if key in _GENERATIONS:
        return True
    # In a name written all in capitals or all in lower case, the case says nothing: only the
    # longer degrees are recognised (jan kowalski mba), never a two-letter surname (JACK MA).
    if uniform:
        return len(key) >= 3
    return word in POST_NOMINALS[key] or (word.isupper() and len(key) >= 2)


def _suffix_words(words: list[str], uniform: bool) -> list[str]:
    """As written; in a name all in capitals or lower case, as usually written (MBA, Jr.)."""
    return [POST_NOMINALS[word_key(word)][0] if uniform else word for word in words]


def _cased(words: list[str], uniform: bool) -> list[str]:
    if not uniform:
        return words
    return [
        word.lower() if position and _is_particle(word.lower()) else _capitalise(word)
        for position, word in enumerate(words)
    ]


def _split_words(words: list[str], email: str) -> tuple[str, str]:
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    shouted = _shouted_last_name(words)
    if shouted is not None:
        start, end = shouted
        last = [_capitalise(word) for word in words[start:end]]
        return " ".join(words[:start] + words[end:]), " ".join(last)
    if len(words) == 2 and _initial_comes_last(words, email):
        return words[1], words[0]
    start = _surname_start(words, email)
    return " ".join(words[:start]), " ".join(words[start:])


def _is_shouted(word: str) -> bool:
    return len(word) > 1 and word.isupper() and "." not in word


def _shouted_last_name(words: list[str]) -> tuple[int, int] | None:
    """(start, end) of the words in capitals among mixed-case ones, when they are one run at
    either end of the name, or a single word anywhere."""
    shouted = [position for position, word in enumerate(words) if _is_shouted(word)]
    if not shouted or len(shouted) == len(words):
        return None
    start, end = shouted[0], shouted[-1] + 1
    if end - start != len(shouted):
        return None
    if len(shouted) == 1 or start == 0 or end == len(words):
        return start, end
    return None


def _is_initial(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) == 1 or (bool(letters) and word.endswith(".") and len(letters) <= 3)


def _initial_comes_last(words: list[str], email: str) -> bool:
    """`Kowalski J.` (last name, then an initial) as the address writes it: j.kowalski,
    jkowalski, jan.kowalski, kowalski.j."""
    surname, initial = words
    if not _is_initial(initial) or _is_initial(surname):
        return False
    local = "".join(_LOCAL_SEPARATORS.split(normalise_email(email).partition("@")[0]))
    letter = _ascii(initial)[:1]
    return any(
        (local.startswith(letter) and local.endswith(variant))
        or (local.startswith(variant) and local.endswith(letter))
        for variant in _ascii_variants(surname)
        if variant and letter
    )


def _surname_start(words: list[str], email: str) -> int:
    """Where the last name starts: the last word, with a Brazilian ending's word before it, a
    second Spanish or Portuguese surname, and particles; at least one first name is left."""
    start = len(words) - 1
    if start > 1 and word_key(words[start]) in SURNAME_ENDINGS:
        start -= 1
    if start >= 2:
        before = words[start - 1]
        if word_key(before) in CONNECTORS and before.islower() and start >= 3:
            start -= 2
        elif _second_surname(before, words[start], words, email):
            start -= 1
    while start > 1 and _is_particle(words[start - 1]):
        start -= 1
    return start


def _second_surname(before: str, last: str, words: list[str], email: str) -> bool:
    if _is_initial(before) or _is_particle(before) or word_key(before) in IBERIAN_GIVEN_NAMES:
        return False
    if _iberian_surname(before) and _iberian_surname(last):
        return True
    return _iberian_hint(words, email) and (_iberian_surname(before) or _iberian_surname(last))


def _iberian_surname(word: str) -> bool:
    key = word_key(word)
    return key in IBERIAN_SURNAMES or (len(key) >= 5 and key.endswith("ez") and word[:1].isupper())


def _iberian_hint(words: list[str], email: str) -> bool:
    """The name or its address is Spanish or Portuguese: a country domain, letters only those
    languages use, or a given name of theirs first."""
    tld = domain_of(email).rpartition(".")[2]
    return (
        tld in IBERIAN_TLDS
        or any(char in word for word in words for char in "ñÑãõÃÕ")
        or word_key(words[0]) in IBERIAN_GIVEN_NAMES
    )


def _is_particle(word: str) -> bool:
    key = word_key(word)
    if key not in PARTICLES:
        return False
    return word.islower() or (len(key) >= 2 and key not in CONNECTORS)


def _completed(local_words: list[str], named: list[str]) -> list[str]:
    """The local part's words, with the display name's one word in its own spelling where it
    is one of them (`Müller` for `mueller`)."""
    if not named:
        return local_words
    variants = _ascii_variants(named[0])
    return [named[0] if _ascii(word) in variants else word for word in local_words]


_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _ascii(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("ł", "l"))
    return "".join(char for char in decomposed if char.isalnum() and char.isascii())


def _ascii_variants(word: str) -> set[str]:
    """How an address may write a name: Müller as muller or mueller, Żółw as zolw."""
    return {_ascii(word), _ascii(word.casefold().translate(_GERMAN))}


def _local_part_words(email: str) -> list[str]:
    local, at, _ = normalise_email(email).partition("@")
    if not at:
        return []
    local = local.split("+")[0]
    parts = [part.strip("-'") for part in _LOCAL_SEPARATORS.split(local)]
    parts = [part for part in parts if any(char.isalpha() for char in part)]
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


def company_for(sender: Address) -> str | None:
    """The company of a lead from this sender: its display name when that names a company
    (`Acme Sp. z o.o. <jan@…>`), else its domain's."""
    return company_in_display(clean_display_name(sender.name)) or company_from_domain(
        domain_of(sender.email)
    )


def new_record_for(
    sender: Address, kind: AutoCreate, domain_account: RecordRef | None = None
) -> NewRecord | None:
    """What auto-creation makes for this sender; None when it is off or the address names no
    one. A role address (info@, biuro@) becomes an address of `domain_account`, the account
    with an address at the sender's company domain, or nothing."""
    if kind is AutoCreate.OFF:
        return None
    email = normalise_email(sender.email)
    if is_role_address(email):
        if domain_account is None:
            return None
        return NewRecord(
            RecordType.ACCOUNT, "", "", email, domain_account.name, account=domain_account
        )
    name = parse_name(sender.name, email)
    if not name.last:
        return None
    record_type = RecordType.LEAD if kind is AutoCreate.LEAD else RecordType.CONTACT
    company = company_for(sender) if record_type is RecordType.LEAD else None
    return NewRecord(
        record_type, name.first, name.last, email, company, name.salutation, name.suffix
    )
