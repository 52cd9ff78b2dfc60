"""Subjects as matching sees them: reply and forward prefixes, tokens and tags taken off.

`display_subject` keeps the writer's case for showing; `normalise_subject` casefolds for
comparing. Both strip, from the start of the subject and as often as they occur, reply and forward
prefixes in the languages customers write in (`RE:`, `AW:`, `Odp:`, `RE[2]:`, `Re^3:`, `RE :`,
`回复：`) and bracketed tags (`[EXTERNAL]`, `[ext]`, and mailing-list tags such as `[sales-team]`:
they mark how a message travelled, not what it is about, so "[sales-team] Offer" and "Offer" are
one subject); they take tracking tokens out wherever they stand and collapse whitespace.

A prefix needs its colon: "I: Oferta" is an Italian forward, "I am late" is a subject.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from app.tracking.model import OrgSettings
from app.tracking.tokens import (
    DEFAULT_PREFIX,
    DEFAULT_TOKEN_DIGITS,
    known_prefixes,
    strip_tokens,
    token_digit_count,
)

REPLY_PREFIXES: tuple[str, ...] = (
    "RE", "AW", "SV", "ANTW", "R", "ODP", "RES", "YNT", "ΑΠ", "ΣΧΕΤ", "ПРИЗ", "ОТВ", "VÁ",
    "回复", "答复", "返信",
)  # fmt: skip
# "VS" is a forward in Danish and Norwegian but a reply in Finnish. Counting it as a forward only
# matters to the org option on unrelated forwards, and a Finnish reply sent to people on the
# original is correlated all the same.
FORWARD_PREFIXES: tuple[str, ...] = (
    "FW", "FWD", "WG", "VS", "VB", "VL", "DOORST", "TR", "RV", "ENC", "I", "PD", "ILT", "İLT",
    "转发", "転送",
)  # fmt: skip

_COUNT = r"(?:\[\d+\]|\^\d+|\(\d+\))?"
_COLON = "[:：]"
# A tag is short and holds no further brackets; longer bracketed text is part of the subject.
_TAG = r"\[[^\[\]]{0,40}\]"


def _alternation(words: Iterable[str]) -> str:
    variants = {variant for word in words for variant in (word, word.casefold())}
    return "|".join(re.escape(word) for word in sorted(variants, key=lambda w: (-len(w), w)))


_LEADING = re.compile(
    rf"^\s*(?:(?:{_alternation(REPLY_PREFIXES + FORWARD_PREFIXES)})\s*{_COUNT}\s*{_COLON}|{_TAG})",
    re.IGNORECASE,
)
_FIRST_PREFIX = re.compile(
    rf"^\s*(?:{_TAG}\s*)*(?:(?P<forward>{_alternation(FORWARD_PREFIXES)})"
    rf"|{_alternation(REPLY_PREFIXES)})\s*{_COUNT}\s*{_COLON}",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def display_subject(
    subject: str, prefixes: Iterable[str] = (DEFAULT_PREFIX,), digits: int = DEFAULT_TOKEN_DIGITS
) -> str:
    """The subject without prefixes, tags and tokens (of these token prefixes), case kept."""
    return _strip(subject, tuple(prefixes), digits)


def normalise_subject(
    subject: str, prefixes: Iterable[str] = (DEFAULT_PREFIX,), digits: int = DEFAULT_TOKEN_DIGITS
) -> str:
    """The comparable subject: as display_subject, casefolded. Only prefixes give ""."""
    # Casefolding first, and finding tokens by their casefolded prefixes too, makes the result
    # stable: normalising a normalised subject changes nothing.
    return _strip(subject.casefold(), _with_casefolded(tuple(prefixes)), digits)


@lru_cache(maxsize=64)
def _with_casefolded(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(prefixes + tuple(prefix.casefold() for prefix in prefixes)))


def normalise_subject_for(subject: str, org: OrgSettings) -> str:
    """normalise_subject with the org's token prefixes (current and earlier) and digit count."""
    return normalise_subject(subject, known_prefixes(org), token_digit_count(org))


def is_forward(subject: str) -> bool:
    """True when the outermost prefix is a forward (`FW: RE: x` is, `RE: FW: x` is not)."""
    match = _FIRST_PREFIX.match(subject)
    return match is not None and match.group("forward") is not None


def _strip(subject: str, prefixes: tuple[str, ...], digits: int) -> str:
    # Tokens first, so that a prefix behind a leading token is at the start when prefixes go.
    # Taking prefixes off cannot make a new token: every prefix and tag ends in a non-word
    # character, so what follows it was already free to be a token.
    return _strip_leading(strip_tokens(subject, prefixes, digits))


def _strip_leading(text: str) -> str:
    while True:
        match = _LEADING.match(text)
        if match is None:
            return text.strip()
        text = text[match.end() :]


def smart_subject_words(subject: str, org: OrgSettings) -> tuple[str, ...]:
    """The words smart matching compares: normalised subject, prefix filter, at most N words.

    The org's prefix filter (a regex; by default leading `word:` runs) is applied to the
    normalised subject, so that `RE: [EXTERNAL] Offer: Q3` and `Offer: Q3` filter alike.
    """
    normalised = normalise_subject_for(subject, org)
    filtered = _filter_regex(org.smart_filter_regex).sub("", normalised)
    return tuple(_WORD.findall(filtered)[: max(org.smart_max_words, 0)])


def smart_key(words: Iterable[str]) -> str:
    """The lookup key for subject words: order and repetition do not count."""
    return " ".join(sorted(set(words)))


def is_stop_subject(words: tuple[str, ...], org: OrgSettings) -> bool:
    """True for a subject that must never smart-match: empty, or one of the stop-subjects."""
    return not words or smart_key(words) in _stop_keys(org.smart_stop_subjects)


@lru_cache(maxsize=16)
def _stop_keys(stop_subjects: tuple[str, ...]) -> frozenset[str]:
    return frozenset(smart_key(_WORD.findall(normalise_subject(s))) for s in stop_subjects)


def check_smart_filter_regex(pattern: str) -> None:
    """Raise ValueError, with the reason, when the smart-matching prefix filter is not a regex."""
    _filter_regex(pattern)


@lru_cache(maxsize=16)
def _filter_regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ValueError(f"smart-filter-regex {pattern!r} is not a valid regex: {error}") from None
