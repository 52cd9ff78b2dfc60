"""The demo, always current: its quarter moved to end in the week it is first opened.

The demo files describe a fixed quarter. Opened months later, its newest mail would be old, its
calendar empty and every task overdue. Before seeding, a copy of the files is moved forward by
whole weeks (so Monday's sales sync stays on a Monday) until the newest message falls within
the last seven days: the Date of every message, every date and time in the calendar and the
tasks, and every date in the CRM files. Message-IDs and everything else stay as written.
"""

from __future__ import annotations

import csv
import email.utils
import io
import json
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

_DATE_LINE = re.compile(rb"^Date:[ \t]*(.+?)\r?$", re.MULTILINE | re.IGNORECASE)
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T")
# Where the demo's meetings happen, tried in this order for a time given with an offset.
_LIKELY_ZONES = ("Europe/Warsaw", "Europe/London", "UTC")


def newest_mail_day(folder: Path) -> date | None:
    """The day of the newest message in the demo's mail, as its Date says."""
    days = [moment.date() for path in _mail_files(folder) if (moment := _mail_date(path))]
    return max(days, default=None)


def weeks_to_move(newest: date, today: date) -> int:
    """Whole weeks that put `newest` within the seven days up to `today` (back, if negative)."""
    return (today - newest).days // 7


def shifted_copy(source: Path, target: Path, today: date) -> int:
    """Copy the demo files from `source` to `target` with every date moved forward by whole
    weeks; returns the weeks moved."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    newest = newest_mail_day(target)
    weeks = weeks_to_move(newest, today) if newest is not None else 0
    if weeks:
        shift = timedelta(weeks=weeks)
        for path in _mail_files(target):
            path.write_bytes(shift_mail_date(path.read_bytes(), shift))
        for path in sorted(target.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            path.write_text(json.dumps(shift_dates(data, shift), ensure_ascii=False, indent=2))
        for path in sorted((target / "crm").glob("*.csv")):
            path.write_text(shift_csv(path.read_text(encoding="utf-8"), shift), encoding="utf-8")
    return weeks


def shift_mail_date(raw: bytes, shift: timedelta) -> bytes:
    """The message with its Date header moved; a message without a readable Date as it is."""
    match = _DATE_LINE.search(_headers(raw))
    if match is None:
        return raw
    try:
        moment = email.utils.parsedate_to_datetime(match.group(1).decode("ascii"))
    except (ValueError, TypeError, UnicodeDecodeError):
        return raw
    moved = email.utils.format_datetime(moment + shift).encode("ascii")
    return raw[: match.start(1)] + moved + raw[match.end(1) :]


def shift_dates(value: Any, shift: timedelta) -> Any:
    """A JSON value with every ISO date ("2026-09-10") and date-time moved by `shift`."""
    if isinstance(value, dict):
        return {key: shift_dates(item, shift) for key, item in value.items()}
    if isinstance(value, list):
        return [shift_dates(item, shift) for item in value]
    if isinstance(value, str):
        return _shift_text(value, shift)
    return value


def shift_csv(text: str, shift: timedelta) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([_shift_text(cell, shift) for cell in row])
    return out.getvalue()


def _shift_text(text: str, shift: timedelta) -> str:
    try:
        if _ISO_DAY.match(text):
            return (date.fromisoformat(text) + shift).isoformat()
        if _ISO_MOMENT.match(text):
            return _shift_moment(datetime.fromisoformat(text), shift).isoformat()
    except ValueError:
        return text
    return text


def _shift_moment(moment: datetime, shift: timedelta) -> datetime:
    """Moved by the clock on the wall where it happens: 09:30 in September is 09:30 in
    December too, though the offset changes with summer time."""
    if moment.tzinfo is None:
        return moment + shift
    for name in _LIKELY_ZONES:
        zone = ZoneInfo(name)
        if moment.astimezone(zone).utcoffset() == moment.utcoffset():
            wall = moment.astimezone(zone).replace(tzinfo=None) + shift
            return wall.replace(tzinfo=zone).astimezone(
                timezone(wall.replace(tzinfo=zone).utcoffset() or timedelta())
            )
    return moment + shift


def _headers(raw: bytes) -> bytes:
    end = raw.find(b"\r\n\r\n")
    return raw if end < 0 else raw[:end]


def _mail_files(folder: Path) -> list[Path]:
    return sorted((folder / "mail").rglob("*.eml"))


def _mail_date(path: Path) -> datetime | None:
    match = _DATE_LINE.search(_headers(path.read_bytes()))
    if match is None:
        return None
    try:
        return email.utils.parsedate_to_datetime(match.group(1).decode("ascii"))
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
