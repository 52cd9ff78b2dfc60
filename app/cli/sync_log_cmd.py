"""`liaison sync log [--conflicts] [--json] [--limit N]` and `liaison sync use-other-value ID
FIELD`: the sync history (app.sync.history) as a person or a script reads it, and reversing a
conflict."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from app.cli.output import print_json, print_table
from app.services.history import SyncHistoryService
from app.sync.conflicts import Side
from app.sync.history import Conflict, LoggedEvent, SyncRunRecord
from app.workspace import Workspace

DEFAULT_LIMIT = 20
_COUNT_WORDS = (
    ("pulled", "changes"),
    ("tracked", "tracked"),
    ("untracked", "untracked"),
    ("marks_written", "marks written"),
    ("sent", "sent"),
    ("appointments_and_tasks", "appointments and tasks"),
    ("conflicts", "conflicts"),
    ("given_up", "given up"),
)


def add_parsers(sync_commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    log = sync_commands.add_parser(
        "log",
        help="the sync history: each sync, its counts, failures and conflicts",
        description="Lists the newest syncs, newest first: when, how long, how each ended, what "
        "it did (changes pulled, messages tracked, marks written, mail sent, appointments and "
        "tasks, conflicts, changes given up), each failure with its item and reason, and each "
        "conflict with both values and which the rule kept.",
    )
    log.add_argument(
        "--conflicts", action="store_true", help="only the conflicts, one line per field"
    )
    log.add_argument("--json", action="store_true", help="print JSON for scripts")
    log.add_argument(
        "--limit",
        type=_positive,
        default=DEFAULT_LIMIT,
        metavar="N",
        help="how many syncs (or conflicts) to show",
    )
    log.set_defaults(handler=run_log)

    reverse = sync_commands.add_parser(
        "use-other-value",
        help="reverse a conflict: use the value the rule did not keep",
        description="Uses the value that lost a conflict (the ids and fields are in "
        "`liaison sync log --conflicts`): it is written to the CRM at once and reaches "
        "Exchange at the next sync, once. Task progress (status, percent complete, completion "
        "date) is one decision and is reversed together.",
    )
    reverse.add_argument("conflict", type=int, help="the conflict's id")
    reverse.add_argument("field", help="the field, e.g. subject, location, start")
    reverse.set_defaults(handler=run_use_other_value)


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return int(text)


def run_log(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        history = SyncHistoryService(workspace)
        if args.conflicts:
            found = history.conflicts(args.limit)
            if args.json:
                print_json([conflict_json(conflict) for conflict in found])
            else:
                _print_conflicts(found)
            return 0
        runs = history.sync_history(args.limit)
    if args.json:
        print_json([run_json(run) for run in runs])
    elif not runs:
        print("No sync has run yet.")
    for run in [] if args.json else runs:
        _print_run(run)
    return 0


def run_use_other_value(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        conflict = SyncHistoryService(workspace).use_other_value(args.conflict, args.field)
    side = "Exchange" if conflict.kept is Side.CRM else "CRM"
    print(
        f"The {conflict.kind} “{conflict.subject}” takes the {side} value of {conflict.field}, "
        f"{_value(conflict.lost_value)}; the next sync carries it to Exchange."
    )
    return 0


# JSON


def run_json(run: SyncRunRecord) -> dict[str, Any]:
    return {
        "id": run.id,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
        "seconds": round(run.seconds, 3),
        "outcome": run.outcome,
        "message": run.message,
        "counts": {name: getattr(run.counts, name) for name, _ in _COUNT_WORDS}
        | {"evaluated": run.counts.evaluated},
        "failures": [event_json(event) for event in run.failures],
        "conflicts": [conflict_json(conflict) for conflict in run.conflicts],
        "notes": [event_json(event) for event in run.notes],
    }


def event_json(event: LoggedEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "level": event.level,
        "kind": event.kind,
        "item": event.item,
        "message": event.message,
    }


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "id": conflict.id,
        "at": conflict.at.isoformat(),
        "run_id": conflict.run_id,
        "activity": {
            "type": conflict.kind,
            "id": conflict.activity_id,
            "subject": conflict.subject,
        },
        "field": conflict.field,
        "crm_value": conflict.crm_value,
        "exchange_value": conflict.exchange_value,
        "kept": conflict.kept.value,
        "reversed_at": conflict.reversed_at.isoformat() if conflict.reversed_at else None,
    }


# Text


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _value(value: Any) -> str:
    return "(empty)" if value in (None, "") else json.dumps(value, ensure_ascii=False)


def _print_run(run: SyncRunRecord) -> None:
    counts = ", ".join(
        f"{getattr(run.counts, name)} {words}"
        for name, words in _COUNT_WORDS
        if getattr(run.counts, name)
    )
    print(f"{_local(run.started_at)}  {run.seconds:.1f} s  {run.outcome}  {counts or 'no changes'}")
    if run.outcome != "ok":
        print(f"    {run.message}")
    for event in run.failures:
        item = f"{event.item}: " if event.item else ""
        print(f"    failed    {item}{event.message}")
    for conflict in run.conflicts:
        print(f"    conflict  {_describe(conflict)}")
    for event in run.notes:
        print(f"    note      {event.message}")


def _describe(conflict: Conflict) -> str:
    kept = "CRM" if conflict.kept is Side.CRM else "Exchange"
    reversed_note = " (the other value is used now)" if conflict.reversed_at else ""
    return (
        f"#{conflict.id} {conflict.kind} “{conflict.subject}”, {conflict.field}: CRM "
        f"{_value(conflict.crm_value)}, Exchange {_value(conflict.exchange_value)}; "
        f"kept the {kept} value{reversed_note}"
    )


def _print_conflicts(found: list[Conflict]) -> None:
    if not found:
        print("No conflicts.")
        return
    print_table(
        ["id", "when", "item", "field", "crm", "exchange", "kept", "reversed"],
        [
            [
                conflict.id,
                _local(conflict.at),
                f"{conflict.kind} “{conflict.subject}”",
                conflict.field,
                _value(conflict.crm_value),
                _value(conflict.exchange_value),
                conflict.kept.value,
                _local(conflict.reversed_at) if conflict.reversed_at else "",
            ]
            for conflict in found
        ],
    )
