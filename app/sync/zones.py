"""Time zones as Exchange keeps them, for any backend and for the CRM's appointment forms.

Exchange stores an appointment's zone as a Windows zone; of the IANA zones mapped to one Windows
zone, one (CLDR's default territory) is the name Exchange gives back. So Europe/Amsterdam, set
on an appointment, is read back as Europe/Berlin, whose rules it shares. Both EWS and Graph
speak Windows zones, hence this lives beside the backends, not inside one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.sync.windows_zone_table import IANA_BY_WINDOWS, WINDOWS_BY_IANA

_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "GMT"})


def crm_zone(name: str | None) -> str | None:
    """The zone a CRM time carries: None for UTC (what a time without a zone means)."""
    return None if not name or name in _UTC_NAMES else name


def canonical_zone(name: str | None) -> str | None:
    """The name Exchange gives back for a zone set by this name; None for UTC or no zone.
    ValueError for a zone nobody knows."""
    if not name:
        return None
    windows = WINDOWS_BY_IANA.get(name)
    if windows is None or not _exists(name):
        raise ValueError(f"Unknown time zone {name!r}")
    return crm_zone(IANA_BY_WINDOWS[windows])


def exchange_zones(moment: datetime) -> list[str]:
    """Every zone Exchange knows, by the name it gives back for it, UTC first, then west to
    east by their offset at `moment`."""
    names = {name for name in IANA_BY_WINDOWS.values() if crm_zone(name) and _exists(name)}

    def offset(name: str) -> tuple[timedelta, str]:
        return moment.astimezone(ZoneInfo(name)).utcoffset() or timedelta(0), name

    return ["UTC", *sorted(names, key=offset)]


def _exists(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True
