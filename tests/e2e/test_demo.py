"""`liaison --demo` without the window: the demo server, the demo profile and a real first sync."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from sqlalchemy import select

from app.crm.models import Activity
from app.demo import DemoSession, prepare_demo
from app.mailbox.models import ActivityLink, MailFolder, MailItem
from app.sync.engine import SyncEngine
from app.sync.status import SyncState

# Every test here reaches a sandbox server over HTTP.
pytestmark = pytest.mark.end_to_end


@pytest.fixture
def demo() -> Iterator[DemoSession]:
    # The demo must work on a system without any keyring.
    keyring.set_keyring(FailKeyring())
    session = prepare_demo()
    yield session
    session.close()


def _items_by_folder(demo: DemoSession) -> Counter[str]:
    with demo.workspace.local.sessions() as session:
        rows = session.execute(
            select(MailFolder.distinguished, MailItem.id).join(MailItem.folder)
        ).all()
    return Counter(folder or "other" for folder, _ in rows)


def _rules(demo: DemoSession) -> Counter[str | None]:
    with demo.workspace.local.sessions() as session:
        return Counter(session.scalars(select(MailItem.tracking_rule)))


def test_the_first_sync_of_the_demo_brings_the_whole_quarter(demo: DemoSession) -> None:
    engine = SyncEngine.open(demo.workspace)
    report = engine.sync_once()
    engine.close()
    assert report.state is SyncState.ONLINE
    folders = _items_by_folder(demo)
    assert folders["inbox"] == 199 and folders["sentitems"] == 106
    assert folders["calendar"] > 0 and folders["tasks"] > 0


def test_the_demo_shows_each_correlation_rule_after_the_first_sync(demo: DemoSession) -> None:
    engine = SyncEngine.open(demo.workspace)
    engine.sync_once()
    engine.close()
    rules = _rules(demo)
    for rule in ("already-tracked", "in-reply-to", "tracking-token", "conversation"):
        assert rules[rule] > 0, rule
    assert rules["excluded-private"] == 2


def test_reopening_the_demo_keeps_the_mailbox_and_syncs_nothing_new(demo: DemoSession) -> None:
    engine = SyncEngine.open(demo.workspace)
    engine.sync_once()
    engine.close()
    demo.close()
    again = prepare_demo()
    try:
        engine = SyncEngine.open(again.workspace)
        report = engine.sync_once()
        engine.close()
        assert report.evaluated == 0 and report.tracked == 0
        assert _items_by_folder(again)["inbox"] == 199
    finally:
        again.close()


def test_the_demo_has_tracked_appointments_and_tasks_in_exchange_after_the_first_sync(
    demo: DemoSession,
) -> None:
    engine = SyncEngine.open(demo.workspace)
    engine.sync_once()
    engine.close()
    with demo.workspace.crm.sessions() as crm:
        tracked = {
            activity.subject: activity.id
            for activity in crm.scalars(
                select(Activity).where(
                    Activity.type.in_(["appointment", "task"]), Activity.regarding_id.is_not(None)
                )
            )
        }
    assert "Acme Logistics: warsztat odbiorczy WMS" in tracked
    assert "Wysłać projekt umowy do Zielonego Koszyka" in tracked
    with demo.workspace.local.sessions() as session:
        on_exchange = set(
            session.scalars(
                select(ActivityLink.activity_id).where(ActivityLink.remote_id.is_not(None))
            )
        )
    assert set(tracked.values()) <= on_exchange
