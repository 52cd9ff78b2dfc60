"""Advanced Query Syntax (AQS), the QueryString of FindItem, as Exchange's content index reads it.

Words and "quoted phrases" match words of the subject, body, sender, recipients, categories and
attachment names, a word by its beginning ("Angeb" finds "Angebot"), without regard to case;
`property:value` limits a term to one property (subject, from, to, cc, bcc, participants, body,
category, attachment, has:attachment, isread, importance, kind, received, sent); dates take
`received:2026-10-01`, `received:>=2026-10-01`, `received:2026-10-01..2026-10-31`, US
`10/1/2026` and the keywords today, yesterday, "this week", "last week", "this month", "last
month", "this year", "last year" (days in UTC). Terms next to each other must all match; AND, OR,
NOT (upper case), a leading "-" and parentheses combine them. A query AQS cannot read is read as
far as it makes sense, never refused, as Exchange does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .bodies import plain_text
from .model import Item
from .values import UTC, Address

Predicate = Callable[[Item], bool]

_TOKEN = re.compile(r'\s*(\(|\)|-?[\w.@:<>=/\-]*"[^"]*"?|[^\s()]+)')
_WORD = re.compile(r"\w+")


def _address_texts(addresses: list[Address]) -> list[str]:
    return [f"{a.name} {a.email}" for a in addresses]


def _from(item: Item) -> list[str]:
    author = item.props.get("From") or item.props.get("Sender")
    return _address_texts([author]) if author else []


def _recipients(*names: str) -> Callable[[Item], list[str]]:
    return lambda item: _address_texts([a for n in names for a in item.props.get(n, [])])


_TEXT_FIELDS: dict[str, Callable[[Item], list[str]]] = {
    "subject": lambda item: [item.props.get("Subject", "")],
    "from": _from,
    "to": _recipients("ToRecipients"),
    "cc": _recipients("CcRecipients"),
    "bcc": _recipients("BccRecipients"),
    "participants": lambda item: (
        _from(item) + _recipients("ToRecipients", "CcRecipients", "BccRecipients")(item)
    ),
    "body": lambda item: [plain_text(item.props.get("Body"))],
    "category": lambda item: list(item.props.get("Categories", [])),
    "attachment": lambda item: [a.name for a in item.attachments],
}
_TEXT_FIELDS["attachments"] = _TEXT_FIELDS["attachment"]
_EVERYWHERE = ("subject", "body", "from", "participants", "category", "attachment")
_DATE_FIELDS = {"received": "DateTimeReceived", "sent": "DateTimeSent"}
_KINDS = {
    "email": {"Message"},
    "meetings": {"CalendarItem", "MeetingRequest", "MeetingResponse", "MeetingCancellation"},
    "calendar": {"CalendarItem"},
    "contacts": {"Contact", "DistributionList"},
    "tasks": {"Task"},
}
_YES = {"yes", "true", "1"}


@dataclass(frozen=True)
class _Token:
    text: str

    @property
    def operator(self) -> str | None:
        return self.text if self.text in ("AND", "OR", "NOT", "(", ")") else None


def _tokens(query: str) -> list[_Token]:
    return [_Token(m.group(1)) for m in _TOKEN.finditer(query) if m.group(1).strip()]


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _text_matches(needle: str, texts: list[str]) -> bool:
    """A word matches a word it begins; a phrase matches consecutive words."""
    wanted = _words(needle)
    if not wanted:
        return True
    for text in texts:
        words = _words(text)
        for start in range(len(words) - len(wanted) + 1):
            window = words[start : start + len(wanted)]
            if all(w == n for w, n in zip(window[:-1], wanted[:-1], strict=True)) and window[
                -1
            ].startswith(wanted[-1]):
                return True
    return False


def _day_range(value: str, today: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
    """[start, end) of the days a date value names, or None if it names none."""
    keyword = value.casefold().strip()
    monday = today - dt.timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    previous_month = (first_of_month - dt.timedelta(days=1)).replace(day=1)
    spans = {
        "today": (today, today + dt.timedelta(days=1)),
        "yesterday": (today - dt.timedelta(days=1), today),
        "this week": (monday, monday + dt.timedelta(days=7)),
        "last week": (monday - dt.timedelta(days=7), monday),
        "this month": (first_of_month, (first_of_month + dt.timedelta(days=32)).replace(day=1)),
        "last month": (previous_month, first_of_month),
        "this year": (_new_year(today.year), _new_year(today.year + 1)),
        "last year": (_new_year(today.year - 1), _new_year(today.year)),
    }
    if keyword in spans:
        first, last = spans[keyword]
    else:
        day = _parse_day(keyword)
        if day is None:
            return None
        first, last = day, day + dt.timedelta(days=1)
    return _midnight(first), _midnight(last)


def _new_year(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def _parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError:
        return None


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), UTC)


def _date_predicate(prop: str, value: str, today: dt.date) -> Predicate | None:
    comparison = re.match(r"(>=|<=|>|<|=)?(.*)", value)
    assert comparison is not None
    operator, rest = comparison.group(1) or "", comparison.group(2)
    if ".." in rest:
        low_text, _, high_text = rest.partition("..")
        low, high = _day_range(low_text, today), _day_range(high_text, today)
        if low is None or high is None:
            return None
        return _between(prop, low[0], high[1])
    span = _day_range(rest, today)
    if span is None:
        return None
    first, after = span
    bounds = {
        "": (first, after),
        "=": (first, after),
        ">": (after, None),
        ">=": (first, None),
        "<": (None, first),
        "<=": (None, after),
    }
    low_bound, high_bound = bounds[operator]
    return _between(prop, low_bound, high_bound)


def _between(prop: str, low: dt.datetime | None, high: dt.datetime | None) -> Predicate:
    def check(item: Item) -> bool:
        moment = item.props.get(prop)
        if moment is None:
            return False
        return (low is None or moment >= low) and (high is None or moment < high)

    return check


def _anywhere(needle: str) -> Predicate:
    return lambda item: any(_text_matches(needle, _TEXT_FIELDS[f](item)) for f in _EVERYWHERE)


def _term(text: str, today: dt.date) -> Predicate:
    field, colon, value = text.partition(":")
    name = field.casefold()
    if not colon:
        for prop in _DATE_FIELDS:
            if name.startswith(prop) and name[len(prop) : len(prop) + 1] in ("<", ">", "="):
                return _term(f"{prop}:{text[len(prop) :]}", today)
        return _anywhere(text.strip('"'))
    value = value.strip('"')
    if name in _TEXT_FIELDS:
        getter = _TEXT_FIELDS[name]
        return lambda item: _text_matches(value, getter(item))
    if name in _DATE_FIELDS:
        dated = _date_predicate(_DATE_FIELDS[name], value, today)
        if dated is not None:
            return dated
    if name == "has" and value.casefold() in ("attachment", "attachments"):
        return lambda item: bool(item.props.get("HasAttachments"))
    if name == "hasattachment":
        wanted = value.casefold() in _YES
        return lambda item: bool(item.props.get("HasAttachments")) == wanted
    if name == "isread":
        wanted = value.casefold() in _YES
        return lambda item: bool(item.props.get("IsRead")) == wanted
    if name == "importance":
        return lambda item: item.props.get("Importance", "Normal").casefold() == value.casefold()
    if name == "kind" and value.casefold() in _KINDS:
        kinds = _KINDS[value.casefold()]
        return lambda item: item.item_type in kinds
    return _anywhere(text.strip('"'))


class _Parser:
    def __init__(self, tokens: list[_Token], today: dt.date) -> None:
        self._tokens = tokens
        self._position = 0
        self._today = today

    def parse(self) -> Predicate:
        parts = []
        while self._peek() is not None:
            if self._peek_operator() == ")":
                self._position += 1  # an unbalanced parenthesis is ignored
                continue
            parts.append(self._or())
        return _all(parts)

    def _peek(self) -> _Token | None:
        return self._tokens[self._position] if self._position < len(self._tokens) else None

    def _peek_operator(self) -> str | None:
        token = self._peek()
        return token.operator if token is not None else None

    def _or(self) -> Predicate:
        choices = [self._and()]
        while self._peek_operator() == "OR":
            self._position += 1
            choices.append(self._and())
        return _any(choices)

    def _and(self) -> Predicate:
        parts = [self._unary()]
        while self._peek() is not None and self._peek_operator() not in ("OR", ")"):
            if self._peek_operator() == "AND":
                self._position += 1
                continue
            parts.append(self._unary())
        return _all(parts)

    def _unary(self) -> Predicate:
        token = self._peek()
        if token is None:
            return _all([])
        if token.operator == "NOT" or (token.text.startswith("-") and len(token.text) > 1):
            if token.operator == "NOT":
                self._position += 1
                inner = self._unary()
            else:
                self._position += 1
                inner = _term(token.text[1:], self._today)
            return lambda item: not inner(item)
        if token.operator == "(":
            self._position += 1
            inner = self._or() if self._peek_operator() != ")" else _all([])
            if self._peek_operator() == ")":
                self._position += 1
            return inner
        self._position += 1
        if token.operator in ("AND", "OR"):
            return _all([])  # an operator with nothing before it
        return _term(token.text, self._today)


def _all(parts: list[Predicate]) -> Predicate:
    return lambda item: all(p(item) for p in parts)


def _any(parts: list[Predicate]) -> Predicate:
    return lambda item: any(p(item) for p in parts)


def compile_query(query: str, today: dt.date | None = None) -> Predicate:
    """The predicate of an AQS query string; `today` anchors date keywords (UTC today)."""
    return _Parser(_tokens(query), today or dt.datetime.now(UTC).date()).parse()
