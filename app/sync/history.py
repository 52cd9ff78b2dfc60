"""The sync history the user reads: each sync with its counts, and what it logged (failures
with the item and the reason, conflicts with both values and which won, other notes).

`record_run` is called by the engine as each sync ends, however it ends; the sync log lines
not yet given to a run (those of this sync, and those written between syncs or by a sync that
was killed) go with it. Quiet runs (nothing done, nothing logged) beyond the newest
KEEP_QUIET_RUNS are dropped, so syncing every few minutes does not grow the history for
nothing; a run that did or logged something is kept.

`use_other_value` reverses a conflict: the value that lost is written to the CRM activity, and
the next sync carries it to Exchange through the normal merge (the last agreement still holds
the value that won), exactly once. The conflict line remembers it was reversed, and a note
goes to the history.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.mailbox.models import MailItem, SyncLogEntry, SyncRun
from app.sync import activity_fields as fields
from app.sync.activity_deletion import live_link, scheduled_activity
from app.sync.conflicts import PROGRESS, Side
from app.sync.outbox import log as log_line
from app.sync.status import SyncReport, SyncState
from app.workspace import Workspace

log = logging.getLogger(__name__)

KEEP_QUIET_RUNS = 200
GIVEN_UP = "outbox-failed"
CONFLICT = "conflict"
REVERSED = "conflict-reversed"
PROBLEM_LEVELS = ("error", "warning")


@dataclass(frozen=True, slots=True)
class RunCounts:
    pulled: int = 0
    evaluated: int = 0
    tracked: int = 0
    untracked: int = 0
    marks_written: int = 0
    sent: int = 0
    appointments_and_tasks: int = 0
    conflicts: int = 0
    given_up: int = 0


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    """A failure or a note: what happened, to which item, in words."""

    id: int
    at: datetime
    level: str  # info | warning | error
    kind: str  # conflict, unlinked, outbox-failed, tracking, resync, …
    item: str  # the message, appointment or task it concerns ("" when none)
    message: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Conflict:
    """One field of an appointment or task both sides changed, and what the rule kept."""

    id: int  # the conflict's line in the sync log
    at: datetime
    run_id: int | None
    activity_id: int
    kind: str  # appointment | task
    subject: str
    field: str
    kept: Side
    crm_value: Any
    exchange_value: Any
    reversed_at: datetime | None

    @property
    def lost_value(self) -> Any:
        return self.exchange_value if self.kept is Side.CRM else self.crm_value


@dataclass(frozen=True, slots=True)
class SyncRunRecord:
    id: int
    started_at: datetime
    finished_at: datetime
    outcome: str  # ok | cancelled | offline | needs-attention
    message: str
    counts: RunCounts
    failures: tuple[LoggedEvent, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[LoggedEvent, ...] = field(default=())

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()


# Writing

# Built once, not at every sync: building these cost more than running them.
_NEW_RUN = insert(SyncRun).values(given_up=0).returning(SyncRun.id)
_GIVEN_UP_COUNTED = (
    update(SyncRun)
    .where(SyncRun.id == bindparam("run_id"))
    .values(given_up=bindparam("given_up"))
    .execution_options(synchronize_session=False)
)
_TAKE_LINES = (
    update(SyncLogEntry)
    .where(SyncLogEntry.run_id.is_(None))
    .values(run_id=bindparam("run_id"))
    .execution_options(synchronize_session=False)
)
_GIVEN_UP = (
    select(func.count())
    .select_from(SyncLogEntry)
    .where(SyncLogEntry.run_id == bindparam("run_id"), SyncLogEntry.kind == GIVEN_UP)
)
_NEWEST_RUNS = (
    select(SyncRun.id)
    .where(SyncRun.account == bindparam("account"))
    .order_by(SyncRun.id.desc())
    .limit(KEEP_QUIET_RUNS)
)
# Quiet runs have no log lines to cascade to: one statement, no run loaded.
_DROP_QUIET_RUNS = (
    delete(SyncRun)
    .where(
        and_(
            SyncRun.account == bindparam("account"),
            SyncRun.state == SyncState.ONLINE.value,
            SyncRun.items == 0,
            SyncRun.tracked == 0,
            SyncRun.untracked == 0,
            SyncRun.marks_written == 0,
            SyncRun.sent == 0,
            SyncRun.appointments_and_tasks == 0,
            SyncRun.conflicts == 0,
            SyncRun.id.not_in(_NEWEST_RUNS.scalar_subquery()),
            SyncRun.id.not_in(
                select(SyncLogEntry.run_id)
                .where(SyncLogEntry.run_id.is_not(None))
                .scalar_subquery()
            ),
        )
    )
    .execution_options(synchronize_session=False)
)


def record_run(workspace: Workspace, account: str, report: SyncReport) -> SyncReport:
    """Keep this sync in the history (see the module docstring); returns the report. A history
    that cannot be written is logged and never stops the sync's own result."""
    finished = datetime.now(UTC)
    try:
        with workspace.local.sessions.begin() as session:
            run_id = session.execute(
                _NEW_RUN,
                {
                    "account": account,
                    "started_at": finished - timedelta(seconds=report.seconds),
                    "finished_at": finished,
                    "state": report.state.value,
                    "cancelled": report.cancelled,
                    "message": report.message,
                    "items": report.items,
                    "evaluated": report.evaluated,
                    "tracked": report.tracked,
                    "untracked": report.untracked,
                    "marks_written": report.marks_written,
                    "sent": report.sent,
                    "appointments_and_tasks": report.appointments_and_tasks,
                    "conflicts": report.conflicts,
                },
            ).scalar_one()
            session.execute(_TAKE_LINES, {"run_id": run_id})
            given_up = session.scalar(_GIVEN_UP, {"run_id": run_id}) or 0
            if given_up:
                session.execute(_GIVEN_UP_COUNTED, {"run_id": run_id, "given_up": given_up})
            session.execute(_DROP_QUIET_RUNS, {"account": account})
    except SQLAlchemyError:
        log.exception("The sync history could not be written")
    return report


# Reading


def sync_runs(session: Session, account: str, limit: int) -> list[SyncRunRecord]:
    """The newest `limit` syncs, newest first, each with what it logged."""
    runs = list(
        session.scalars(
            select(SyncRun)
            .where(SyncRun.account == account)
            .order_by(SyncRun.id.desc())
            .limit(limit)
        )
    )
    lines: dict[int, list[SyncLogEntry]] = {run.id: [] for run in runs}
    if runs:
        for line in session.scalars(
            select(SyncLogEntry)
            .where(SyncLogEntry.run_id.in_(list(lines)))
            .order_by(SyncLogEntry.id)
        ):
            lines[line.run_id or 0].append(line)
    subjects = _subjects(session, account, [line for run in lines.values() for line in run])
    return [_record(run, lines[run.id], subjects) for run in runs]


def conflicts(session: Session, limit: int) -> list[Conflict]:
    """The newest conflicts, newest first, one per field."""
    found: list[Conflict] = []
    statement = (
        select(SyncLogEntry)
        .where(SyncLogEntry.kind == CONFLICT)
        .order_by(SyncLogEntry.id.desc())
        .limit(limit)
    )
    for line in session.scalars(statement):
        found.extend(_conflicts(line))
    return found[:limit]


def _subjects(session: Session, account: str, lines: Sequence[SyncLogEntry]) -> dict[str, str]:
    """The subjects of the messages lines name only by Message-ID, from the mailbox cache."""
    wanted = {
        str(message_id)
        for line in lines
        for source in (line.details or {}, (line.details or {}).get("payload") or {})
        if isinstance(source, dict) and (message_id := source.get("message_id"))
    }
    if not wanted:
        return {}
    return {
        message_id: subject
        for message_id, subject in session.execute(
            select(MailItem.internet_message_id, MailItem.subject).where(
                MailItem.account == account, MailItem.internet_message_id.in_(wanted)
            )
        )
        if message_id and subject
    }


def _record(run: SyncRun, lines: Sequence[SyncLogEntry], subjects: dict[str, str]) -> SyncRunRecord:
    if run.cancelled:
        outcome = "cancelled"
    elif run.state == SyncState.ONLINE.value:
        outcome = "ok"
    else:
        outcome = run.state
    conflicting = [c for line in lines if line.kind == CONFLICT for c in _conflicts(line)]
    events = [_event(line, subjects) for line in lines if line.kind != CONFLICT]
    return SyncRunRecord(
        id=run.id,
        started_at=_utc(run.started_at),
        finished_at=_utc(run.finished_at),
        outcome=outcome,
        message=run.message,
        counts=RunCounts(
            pulled=run.items,
            evaluated=run.evaluated,
            tracked=run.tracked,
            untracked=run.untracked,
            marks_written=run.marks_written,
            sent=run.sent,
            appointments_and_tasks=run.appointments_and_tasks,
            conflicts=run.conflicts,
            given_up=run.given_up,
        ),
        failures=tuple(e for e in events if e.level in PROBLEM_LEVELS),
        conflicts=tuple(conflicting),
        notes=tuple(e for e in events if e.level not in PROBLEM_LEVELS),
    )


def _event(line: SyncLogEntry, subjects: dict[str, str]) -> LoggedEvent:
    details = dict(line.details or {})
    item = _item(details, subjects)
    return LoggedEvent(line.id, _utc(line.at), line.level, line.kind, item, line.message, details)


def _item(details: dict[str, Any], subjects: dict[str, str]) -> str:
    """The message, appointment or task a line is about, as the user knows it: its subject,
    else its Message-ID, else the folder."""
    payload = details.get("payload")
    sources = (details, payload if isinstance(payload, dict) else {})
    for source in sources:
        if source.get("subject"):
            return str(source["subject"])
    for source in sources:
        message_id = source.get("message_id")
        if message_id:
            return subjects.get(str(message_id), str(message_id))
    return str(details.get("folder") or "")


def _conflicts(line: SyncLogEntry) -> list[Conflict]:
    details = line.details or {}
    found = []
    for lost in details.get("lost") or []:
        kept = Side(lost["kept"])
        kept_value, lost_value = lost.get("kept_value"), lost.get("lost_value")
        reversed_at = lost.get("reversed_at")
        found.append(
            Conflict(
                id=line.id,
                at=_utc(line.at),
                run_id=line.run_id,
                activity_id=int(details["activity_id"]),
                kind=str(details.get("kind") or "appointment"),
                subject=str(details.get("subject") or ""),
                field=str(lost["field"]),
                kept=kept,
                crm_value=kept_value if kept is Side.CRM else lost_value,
                exchange_value=lost_value if kept is Side.CRM else kept_value,
                reversed_at=_utc(datetime.fromisoformat(reversed_at)) if reversed_at else None,
            )
        )
    return found


def _utc(moment: datetime) -> datetime:
    # SQLite hands times back without their zone; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Reversing a conflict


def use_other_value(workspace: Workspace, account: str, line_id: int, name: str) -> Conflict:
    """Use the value that lost the conflict `line_id` for field `name` (see the module
    docstring). Task progress is one decision: its lost fields are used together."""
    with workspace.local.sessions() as session:
        line = session.get(SyncLogEntry, line_id)
        chosen = [c for c in _conflicts(line) if c.field == name] if line is not None else []
        if line is None or line.kind != CONFLICT or not chosen:
            raise CrmError(f"There is no conflict {line_id} over {name!r} in the sync history")
        conflict = chosen[0]
        if conflict.reversed_at is not None:
            raise CrmError(f"The other value of {name!r} was used already")
        if live_link(session, account, conflict.activity_id) is None:
            raise CrmError(
                f"The {conflict.kind} {conflict.subject!r} is no longer linked to Exchange"
            )
        together = PROGRESS if name in PROGRESS else {name}
        used = [c for c in _conflicts(line) if c.field in together and c.reversed_at is None]
    with workspace.crm.sessions.begin() as crm:
        fields.apply_to_crm(
            scheduled_activity(crm, conflict.activity_id), {c.field: c.lost_value for c in used}
        )
    moment = datetime.now(UTC)
    with workspace.local.sessions.begin() as session:
        line = session.get(SyncLogEntry, line_id)
        assert line is not None
        details = dict(line.details or {})
        reversed_fields = {c.field for c in used}
        details["lost"] = [
            {**lost, "reversed_at": moment.isoformat()}
            if lost["field"] in reversed_fields
            else lost
            for lost in details.get("lost") or []
        ]
        line.details = details  # a new value: the JSON column sees the change
        kept, other = ("CRM", "Exchange") if conflict.kept is Side.CRM else ("Exchange", "CRM")
        log_line(
            session,
            "info",
            REVERSED,
            f"Used the {other} value of {name!r} for the {conflict.kind} {conflict.subject!r} "
            f"instead of the {kept} value; the next sync carries it to Exchange.",
            {
                "conflict_id": line_id,
                "activity_id": conflict.activity_id,
                "kind": conflict.kind,
                "subject": conflict.subject,
                "field": name,
                "value": conflict.lost_value,
            },
        )
    return dataclasses.replace(conflict, reversed_at=moment)
