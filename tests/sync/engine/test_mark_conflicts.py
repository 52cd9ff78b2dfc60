"""A mark meets another client's change on the server: a stale change key is resolved per item,
an item that keeps failing is given up as "could not track", and neither holds back the other
marks nor the pull of new mail."""

from __future__ import annotations

from collections.abc import Callable

from exchangelib import Account

from app.mailbox.models import OutboxEntry
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.sync.ews.backend import CONFLICT_ROUNDS
from app.sync.outbox import MAX_ATTEMPTS
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import OVER_EWS, cached_items

# Another client acts through exchangelib on the sandbox: these run end to end over EWS.
pytestmark = OVER_EWS

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
GRETA = "Greta Schulz <greta.schulz@mueller-mb.example>"


def categories(client: Account) -> dict[str, list[str]]:
    return {m.subject: m.categories or [] for m in client.inbox.all().only("subject", "categories")}


def track_by_hand(workspace: Workspace, *subjects: str) -> None:
    tracking = MailboxTracking(workspace)
    for item in cached_items(workspace):
        if item.subject in subjects:
            tracking.track(item.id)


def two_marks_waiting(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    """A complaint and an offer, synced, then tracked by hand: two marks wait for the server."""
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    deliver(GRETA, "Angebot Paletten 2027")
    assert engine.sync_once().ok
    track_by_hand(workspace, "Reklamacja dostawy 4711", "Angebot Paletten 2027")


def test_another_clients_category_added_before_the_mark_push_is_kept_beside_the_mark(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    assert engine.sync_once().ok
    track_by_hand(workspace, "Reklamacja dostawy 4711")
    phone = sandbox.account(mailbox)
    (message,) = list(phone.inbox.all())
    message.categories = ["Wichtig"]
    message.save(update_fields=["categories"])  # Liaison's cached change key is now stale

    report = engine.sync_once()

    assert report.ok, report.message
    assert report.marks_written == 1
    assert categories(phone) == {"Reklamacja dostawy 4711": ["Wichtig", "Tracked to Liaison"]}
    (item,) = cached_items(workspace)
    assert item.tracking_state == "tracked"
    assert engine.status().pending_changes == 0
    assert engine.sync_once().ok  # and nothing left that would undo either change
    assert categories(phone) == {"Reklamacja dostawy 4711": ["Wichtig", "Tracked to Liaison"]}


def test_an_item_that_keeps_conflicting_is_given_up_as_could_not_track_and_others_are_marked(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    two_marks_waiting(engine, workspace, deliver)
    # Another client wins every race for the complaint, long enough for Liaison to give up.
    sandbox.server.faults.fail_item_writes(
        "Reklamacja dostawy 4711", count=MAX_ATTEMPTS * (1 + CONFLICT_ROUNDS)
    )
    deliver(GRETA, "Lieferung KW 44")

    first = engine.sync_once()

    assert first.ok, first.message
    assert first.marks_written == 1
    assert categories(sandbox.account(mailbox))["Angebot Paletten 2027"] == ["Tracked to Liaison"]
    assert {item.subject for item in cached_items(workspace)} >= {"Lieferung KW 44"}
    (waiting,) = first.skipped
    assert waiting.startswith("“Reklamacja dostawy 4711” could not be marked yet")
    assert "(it kept changing on the server)" in waiting
    assert f"of {MAX_ATTEMPTS}, tried again at the next sync" in waiting

    reports = [engine.sync_once() for _ in range(MAX_ATTEMPTS)]

    last = next(report for report in reports if report.given_up)
    assert all(report.ok for report in reports)
    (given_up,) = last.given_up
    assert given_up == (
        f"“Reklamacja dostawy 4711” could not be marked after {MAX_ATTEMPTS} attempts "
        "(it kept changing on the server); Liaison gave up. "
        "It shows the category 'Could not track'."
    )
    assert "Error" not in given_up
    assert last.message.endswith("(1 given up)")
    assert categories(sandbox.account(mailbox)) == {
        "Reklamacja dostawy 4711": ["Could not track"],
        "Angebot Paletten 2027": ["Tracked to Liaison"],
        "Lieferung KW 44": [],
    }
    complaint = next(i for i in cached_items(workspace) if i.subject.startswith("Reklamacja"))
    assert (complaint.tracking_state, complaint.tracking_rule) == ("failed", "could-not-track")
    with workspace.local.sessions() as session:
        states = {(e.state, e.attempts) for e in session.query(OutboxEntry)}
    assert states == {("done", 0), ("failed", MAX_ATTEMPTS)}
    assert engine.status().pending_changes == 0


def test_a_push_the_server_fails_as_a_whole_does_not_stop_the_pull_or_count_against_the_marks(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    two_marks_waiting(engine, workspace, deliver)
    sandbox.server.faults.fail_soap(count=50, operation="UpdateItem")
    deliver(GRETA, "Lieferung KW 44")

    report = engine.sync_once()

    assert report.ok, report.message
    assert "Lieferung KW 44" in {item.subject for item in cached_items(workspace)}
    assert report.skipped == (
        "Some changes could not be written to the server this time (it failed the request); "
        "they stay queued and are tried again at the next sync.",
    )
    with workspace.local.sessions() as session:
        marks = session.query(OutboxEntry).filter_by(kind="mark")
        assert {(e.state, e.attempts) for e in marks} == {("pending", 0)}

    sandbox.server.faults.reset()
    again = engine.sync_once()

    assert again.ok and again.marks_written == 2 and not again.skipped
    assert set(categories(sandbox.account(mailbox))["Angebot Paletten 2027"]) == {
        "Tracked to Liaison"
    }


def test_a_batch_the_server_fails_once_as_a_whole_is_written_item_by_item(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    two_marks_waiting(engine, workspace, deliver)
    sandbox.server.faults.fail_soap(count=1, operation="UpdateItem")

    report = engine.sync_once()

    assert report.ok and report.marks_written == 2 and not report.skipped
    assert categories(sandbox.account(mailbox)) == {
        "Reklamacja dostawy 4711": ["Tracked to Liaison"],
        "Angebot Paletten 2027": ["Tracked to Liaison"],
    }
