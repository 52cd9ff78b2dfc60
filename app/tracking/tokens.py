"""Tracking tokens: formatting, finding them in subjects, and putting them on subjects.

A token is the prefix (default `CRM:`), the designator digit `0`, the user number (the org's
base number plus the user's own number, zero-padded to `token_user_digits`) and the user's
message counter (zero-padded to `token_counter_digits`): `CRM:0001001` is user number 1,
counter 1.

Handing out counters so that no token is ever issued twice needs the database and lives in the
CRM store; this module holds the pure pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from app.tracking.model import OrgSettings

DESIGNATOR = "0"
MAX_PREFIX_LENGTH = 20
MAX_DIGITS = 9
MAX_SUBJECT_LENGTH = 255
_DEFAULT_ORG = OrgSettings()
DEFAULT_PREFIX = _DEFAULT_ORG.token_prefix
DEFAULT_TOKEN_DIGITS = 1 + _DEFAULT_ORG.token_user_digits + _DEFAULT_ORG.token_counter_digits

# Warn once nine tenths of a user's counter are used: with the default three digits that leaves
# a hundred messages, time enough for an administrator to add a digit.
COUNTER_WARN_FRACTION = 0.9


def check_prefix(prefix: str) -> None:
    """Raise ValueError, with a message for the user, when a prefix cannot frame a token."""
    if not 1 <= len(prefix) <= MAX_PREFIX_LENGTH:
        raise ValueError(
            f"the tracking-token prefix must be 1 to {MAX_PREFIX_LENGTH} characters, "
            f"not {len(prefix)}"
        )
    if any(character.isspace() for character in prefix):
        raise ValueError(f"the tracking-token prefix {prefix!r} must not contain spaces")
    if prefix[-1].isdigit():
        # The digits would run into the token's own digits and the token could not be read back.
        raise ValueError(f"the tracking-token prefix {prefix!r} must not end with a digit")


def check_token_settings(org: OrgSettings) -> None:
    """Raise ValueError when the org's token format is not usable (prefix, digits, base)."""
    check_prefix(org.token_prefix)
    for name, digits in (
        ("token-user-digits", org.token_user_digits),
        ("token-counter-digits", org.token_counter_digits),
    ):
        if not 1 <= digits <= MAX_DIGITS:
            raise ValueError(f"{name} must be between 1 and {MAX_DIGITS}, not {digits}")
    if not 0 <= org.token_base < 10**org.token_user_digits:
        raise ValueError(
            f"token-base {org.token_base} does not fit in {org.token_user_digits} user digits"
        )


def known_prefixes(org: OrgSettings) -> tuple[str, ...]:
    """The current prefix, then earlier ones still recognised in replies; no case duplicates."""
    return _known_prefixes(org.token_prefix, org.token_prefix_history)


@lru_cache(maxsize=64)
def _known_prefixes(current: str, history: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    prefixes: list[str] = []
    for prefix in (current, *history):
        if prefix and prefix.casefold() not in seen:
            seen.add(prefix.casefold())
            prefixes.append(prefix)
    return tuple(prefixes)


def token_digit_count(org: OrgSettings) -> int:
    """How many digits follow the prefix: designator, user number and counter."""
    return 1 + org.token_user_digits + org.token_counter_digits


def format_token(org: OrgSettings, user_number: int, counter: int) -> str:
    """The token for this user number and counter value, e.g. `CRM:0001001`.

    `user_number` is the number written in the token: the org's base number plus the user's own
    number (as the issue defines "user number"). Raises ValueError when the format is unusable
    or the number or counter does not fit its digits.
    """
    check_token_settings(org)
    if not 0 <= user_number < 10**org.token_user_digits:
        raise ValueError(
            f"user number {user_number} does not fit in {org.token_user_digits} digits; "
            "raise token-user-digits"
        )
    if not 0 <= counter < counter_capacity(org):
        raise ValueError(
            f"tracking-token counter {counter} does not fit in {org.token_counter_digits} digits; "
            "raise token-counter-digits"
        )
    return (
        f"{org.token_prefix}{DESIGNATOR}"
        f"{user_number:0{org.token_user_digits}d}{counter:0{org.token_counter_digits}d}"
    )


def counter_capacity(org: OrgSettings) -> int:
    """How many counter values one user has (0 up to capacity - 1)."""
    return int(10**org.token_counter_digits)  # int ** int is typed Any: a negative power is a float


def should_warn_counter(org: OrgSettings, next_counter: int) -> bool:
    """True once handing out `next_counter` means COUNTER_WARN_FRACTION of the counter is used."""
    return next_counter >= counter_capacity(org) * COUNTER_WARN_FRACTION


def counter_warning(org: OrgSettings, next_counter: int) -> str | None:
    """The warning a user or administrator should see before the counter runs out, or None."""
    if not should_warn_counter(org, next_counter):
        return None
    capacity = counter_capacity(org)
    left = max(capacity - next_counter, 0)
    return (
        f"only {left} of {capacity} tracking tokens are left for this user; "
        "raise token-counter-digits before they run out"
    )


@dataclass(frozen=True, slots=True)
class FoundToken:
    """A token found in a subject; `text` is canonical: the configured prefix, no space, digits."""

    text: str
    prefix: str
    digits: str
    start: int
    end: int

    def user_number(self, org: OrgSettings) -> int:
        """The user number as written (base number included), as format_token takes it."""
        return int(self.digits[1 : 1 + org.token_user_digits])

    def counter(self, org: OrgSettings) -> int:
        return int(self.digits[1 + org.token_user_digits :])


@dataclass(frozen=True, slots=True)
class _TokenPattern:
    regex: re.Pattern[str]
    prefixes: tuple[str, ...]  # by group number: group "p3" holds prefixes[3]


@lru_cache(maxsize=64)
def _token_pattern(prefixes: tuple[str, ...], digits: int) -> _TokenPattern | None:
    usable = tuple(sorted({p for p in prefixes if p}, key=lambda p: (-len(p), p)))
    if not usable or digits < 1:
        return None
    alternatives = []
    for number, prefix in enumerate(usable):
        # A prefix that starts with a letter must not be the tail of a longer word, and one that
        # ends with punctuation (`CRM:`) may be followed by a space, as mail clients write it.
        before = r"(?<!\w)" if _is_word_character(prefix[0]) else ""
        space = "" if _is_word_character(prefix[-1]) else " ?"
        alternatives.append(f"{before}(?P<p{number}>{re.escape(prefix)}){space}")
    regex = re.compile(
        f"(?:{'|'.join(alternatives)})(?P<digits>{DESIGNATOR}[0-9]{{{digits - 1}}})(?!\\w)",
        re.IGNORECASE,
    )
    return _TokenPattern(regex, usable)


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def find_tokens(
    subject: str, prefixes: Iterable[str], digits: int = DEFAULT_TOKEN_DIGITS
) -> tuple[FoundToken, ...]:
    """Every token with one of these prefixes in the subject, in order of appearance.

    Case does not matter and one space may follow a prefix ending in punctuation (`crm: 0001001`);
    a run of digits longer or shorter than `digits` is a look-alike, not a token.
    """
    pattern = _token_pattern(tuple(prefixes), digits)
    if pattern is None:
        return ()
    found: list[FoundToken] = []
    for match in pattern.regex.finditer(subject):
        prefix = next(
            prefix
            for number, prefix in enumerate(pattern.prefixes)
            if match.group(f"p{number}") is not None
        )
        found.append(
            FoundToken(
                text=prefix + match.group("digits"),
                prefix=prefix,
                digits=match.group("digits"),
                start=match.start(),
                end=match.end(),
            )
        )
    return tuple(found)


def find_token(subject: str, org: OrgSettings) -> FoundToken | None:
    """This org's token in the subject (current or earlier prefix); the last one when several.

    The last one wins because tokens are appended: it is the one of the latest tracked message.
    """
    found = find_tokens(subject, known_prefixes(org), token_digit_count(org))
    return found[-1] if found else None


def canonical_token(text: str, org: OrgSettings) -> str | None:
    """The canonical spelling of a token written as `crm: 0001001`, or None if it is not one."""
    found = find_tokens(text.strip(), known_prefixes(org), token_digit_count(org))
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(text.strip()):
        return None
    return found[0].text


def token_key(token: str) -> str:
    """How tokens are compared without knowing the org: case and spaces do not count."""
    return "".join(token.split()).casefold()


def append_token(subject: str, token: str, max_len: int = MAX_SUBJECT_LENGTH) -> str:
    """The subject with " " + token at its end, shortening the subject (never the token).

    A subject that already ends with " " + this token is returned unchanged (within max_len).
    """
    if len(token) > max_len:
        raise ValueError(f"the token {token!r} is longer than a subject may be ({max_len})")
    text = subject.rstrip()
    if (text == token or text.endswith(" " + token)) and len(text) <= max_len:
        return text
    room = max_len - len(token) - 1
    text = text[:room].rstrip() if room > 0 else ""
    return f"{text} {token}" if text else token


def strip_tokens(subject: str, prefixes: Iterable[str], digits: int = DEFAULT_TOKEN_DIGITS) -> str:
    """The subject without any of these tokens, whitespace collapsed."""
    pattern = _token_pattern(tuple(prefixes), digits)
    text = " ".join(subject.split())
    if pattern is None or pattern.regex.search(text) is None:
        return text
    while True:
        # Taking one token out can join a prefix and digits into a new one ("CRM:CRM:0001001
        # 0001001"); repeating until nothing changes makes the result free of tokens.
        stripped = " ".join(pattern.regex.sub(" ", text).split())
        if stripped == text:
            return text
        text = stripped
