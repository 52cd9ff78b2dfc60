"""Time zones as Exchange keeps them (app.sync.zones): the name it gives back for a zone set
by another name, and the zones an appointment can be made in; the table is exchangelib's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from exchangelib import EWSTimeZone

from app.sync.windows_zone_table import IANA_BY_WINDOWS, WINDOWS_BY_IANA
from app.sync.zones import canonical_zone, exchange_zones


def test_the_table_is_the_one_exchangelib_knows() -> None:
    # Regenerate with tools/windows_zones.py after an exchangelib upgrade.
    assert {iana: ms[0] for iana, ms in EWSTimeZone.IANA_TO_MS_MAP.items()} == WINDOWS_BY_IANA
    assert IANA_BY_WINDOWS == EWSTimeZone.MS_TO_IANA_MAP


@pytest.mark.parametrize(
    ("set_as", "read_back"),
    [
        ("Europe/Amsterdam", "Europe/Berlin"),
        ("Europe/Warsaw", "Europe/Warsaw"),
        ("America/Detroit", "America/New_York"),
        ("Asia/Kolkata", "Asia/Calcutta"),
        ("UTC", None),
        ("Etc/GMT", None),
        (None, None),
    ],
)
def test_a_zone_reads_back_as_exchange_names_its_windows_zone(
    set_as: str | None, read_back: str | None
) -> None:
    assert canonical_zone(set_as) == read_back


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "europe/warsaw", "../etc/passwd"])
def test_a_zone_nobody_knows_is_refused_by_name(name: str) -> None:
    with pytest.raises(ValueError, match="Unknown time zone"):
        canonical_zone(name)


def test_the_zones_offered_start_with_utc_then_run_west_to_east() -> None:
    zones = exchange_zones(datetime(2026, 12, 5, tzinfo=UTC))

    assert zones[0] == "UTC"
    assert zones.index("America/Los_Angeles") < zones.index("Europe/London")
    assert zones.index("Europe/Berlin") < zones.index("Asia/Tokyo")
    assert "Europe/Amsterdam" not in zones  # offered by the name Exchange gives back
    assert all(canonical_zone(zone) in (zone, None) for zone in zones)
