"""Comparable moments: the store hands over naive UTC (SQLite) and aware (PostgreSQL) datetimes."""

from __future__ import annotations

from datetime import UTC, datetime


def as_naive_utc(moment: datetime) -> datetime:
    """The same moment as a naive UTC datetime; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
