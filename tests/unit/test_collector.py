"""The entry point sets how often Python's cycle collector runs (app.collector)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app import __main__ as entry
from app import collector


@pytest.fixture
def thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    yield
    gc.set_threshold(*before)


def test_young_collections_come_every_fifty_thousand_allocations_and_the_rest_as_they_were(
    thresholds: None,
) -> None:
    gc.set_threshold(700, 10, 10)

    collector.tune()

    assert gc.get_threshold() == (collector.YOUNG_EVERY, 10, 10) == (50_000, 10, 10)


def test_liaison_runs_with_the_collector_tuned(
    thresholds: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gc.set_threshold(700, 10, 10)
    monkeypatch.setattr("sys.argv", ["liaison", "--version"])

    with pytest.raises(SystemExit) as ended:
        entry.main()

    assert ended.value.code in (0, None) and "liaison" in capsys.readouterr().out.lower()
    assert gc.get_threshold()[0] == collector.YOUNG_EVERY
