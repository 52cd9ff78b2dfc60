"""Settings addressed by a user-facing key (`token-prefix`, `skip-private`), stored as key and JSON
value, read into a frozen dataclass of the tracking model.

Org settings and personal options both work this way; one mechanism parses, validates and shows
them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")
Parser = Callable[[str], Any]


class SettingError(ValueError):
    """A key that does not exist or a value that does not fit; the message is for the user."""


@dataclass(frozen=True, slots=True)
class SettingSpec:
    key: str  # as the user types it
    field: str  # the dataclass field it fills
    parse: Parser  # user text -> stored JSON value; raises SettingError
    describe: str


def parse_switch(text: str) -> bool:
    value = text.strip().lower()
    if value in {"on", "true", "yes", "1"}:
        return True
    if value in {"off", "false", "no", "0"}:
        return False
    raise SettingError(f"expected on or off, not {text!r}")


def int_between(low: int, high: int) -> Parser:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise SettingError(f"expected a whole number, not {text!r}") from None
        if not low <= value <= high:
            raise SettingError(f"expected a number from {low} to {high}, not {value}")
        return value

    return parse


def one_of(choices: Iterable[str]) -> Parser:
    allowed = tuple(choices)

    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in allowed:
            raise SettingError(f"expected one of {', '.join(allowed)}, not {text!r}")
        return value

    return parse


def comma_list(normalise: Callable[[str], str] = str.strip) -> Parser:
    def parse(text: str) -> list[str]:
        items = (normalise(part) for part in text.split(","))
        return sorted({item for item in items if item})

    return parse


def parse_regex(text: str) -> str:
    try:
        re.compile(text)
    except re.error as exc:
        raise SettingError(f"not a valid regular expression: {exc}") from None
    return text


class SettingsSchema(Generic[T]):
    """The keys of one settings dataclass and how to read, parse and show them."""

    def __init__(self, target: type[T], specs: Iterable[SettingSpec]) -> None:
        self.target = target
        self.specs = {spec.key: spec for spec in specs}
        field_types = {field.name: field for field in dataclasses.fields(target)}  # type: ignore[arg-type]
        unknown = [spec.field for spec in self.specs.values() if spec.field not in field_types]
        if unknown:
            raise TypeError(f"{target.__name__} has no fields {unknown}")

    def spec(self, key: str) -> SettingSpec:
        try:
            return self.specs[key]
        except KeyError:
            known = ", ".join(self.specs)
            raise SettingError(f"unknown setting {key!r}; known: {known}") from None

    def parse(self, key: str, text: str) -> tuple[str, Any]:
        """The stored (field, value) for what the user typed."""
        spec = self.spec(key)
        try:
            return spec.field, spec.parse(text)
        except SettingError as exc:
            raise SettingError(f"{key}: {exc}") from None

    def build(self, stored: Mapping[str, Any], coerce: Mapping[str, Callable[[Any], Any]]) -> T:
        """The dataclass from stored values; a value that no longer parses falls back to the
        default rather than making the whole app unusable."""
        defaults = self.target()
        values: dict[str, Any] = {}
        for field in dataclasses.fields(self.target):  # type: ignore[arg-type]
            if field.name not in stored:
                continue
            convert = coerce.get(field.name, lambda value: value)
            try:
                values[field.name] = convert(stored[field.name])
            except (TypeError, ValueError):
                values[field.name] = getattr(defaults, field.name)
        return self.target(**values)

    def show(self, settings: T) -> list[tuple[str, str]]:
        """(key, value as the user would type it) for every key."""
        rows = []
        for key, spec in self.specs.items():
            rows.append((key, format_value(getattr(settings, spec.field))))
        return rows


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, (frozenset, set)):
        return ",".join(sorted(str(item) for item in value))
    if isinstance(value, (tuple, list)):
        return ",".join(str(item) for item in value)
    return str(value)


class KeyValueRow(Protocol):
    key: str
    value: Any


def store_value(session: Session, model: type[KeyValueRow], key: str, value: Any) -> None:
    row = session.get(model, key)
    if row is None:
        session.add(model(key=key, value=value))  # type: ignore[call-arg]
    else:
        row.value = value
