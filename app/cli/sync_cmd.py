"""`liaison sync [--once | --watch]`: sync the profile's mailbox without the window; `liaison
sync log` and `use-other-value` (app.cli.sync_log_cmd) read its history."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from app.accounts import AccountError
from app.cli import sync_log_cmd
from app.cli.errors import CommandError
from app.cli.output import print_table
from app.keyed_settings import SettingError
from app.mailbox.sync_options import SYNC_SCHEMA, load_sync_options, set_sync_option
from app.services.tracking import MailboxTracking
from app.workspace import Workspace

if TYPE_CHECKING:
    from app.sync.engine import SyncEngine
    from app.sync.progress import SyncProgress
    from app.sync.status import SyncReport


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "sync",
        help="sync the mailbox, the tracking marks, appointments and tasks",
        description="Syncs once (the default) or keeps syncing (--watch: every few minutes, and "
        "at once when the server reports new mail) until interrupted. Sync options: "
        + "; ".join(f"{spec.key} ({spec.describe})" for spec in SYNC_SCHEMA.specs.values()),
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help="sync once and exit (the default)")
    mode.add_argument("--watch", action="store_true", help="keep syncing until Ctrl+C")
    mode.add_argument("--options", action="store_true", help="show the sync options")
    mode.add_argument("--set", nargs=2, metavar=("KEY", "VALUE"), help="change a sync option")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument(
        "--wait",
        action="store_true",
        help="when another sync of this profile is running (the window, another `liaison "
        "sync`), wait for it to finish and then sync; without it, say so and exit",
    )
    parser.set_defaults(handler=run_sync)
    sync_log_cmd.add_parsers(
        parser.add_subparsers(dest="sync_command", metavar="COMMAND", required=False)
    )


class _ProgressLine:
    """One line, rewritten in place on a terminal; a line per phase otherwise."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.tty = sys.stderr.isatty()
        self._last: tuple[str, str | None] | None = None

    def __call__(self, progress: SyncProgress) -> None:
        if self.quiet:
            return
        if self.tty:
            sys.stderr.write("\r\033[K" + progress.line())
            sys.stderr.flush()
            return
        where = (progress.phase.value, progress.folder)
        if where != self._last or progress.message:
            self._last = where
            print(progress.line(), file=sys.stderr)

    def done(self) -> None:
        if self.tty and not self.quiet:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _summary(report: SyncReport) -> str:
    if report.running_elsewhere is not None and not report.cancelled:
        return f"{report.message}; this one did nothing. Use --wait to sync after it."
    if report.cancelled:
        return "Sync cancelled."
    if not report.ok:
        headline = f"Sync stopped ({report.state.value}): {report.message}"
    else:
        headline = (
            f"Synced {report.items} changes in {report.seconds:.1f} s: {report.evaluated} "
            f"messages evaluated, {report.tracked} tracked, {report.untracked} untracked, "
            f"{report.marks_written} marks written, {report.sent} sent, "
            f"{report.appointments_and_tasks} appointments and tasks, "
            f"{report.conflicts} conflicts."
        )
    lines = [headline]
    lines += [f"Gave up: {note}" for note in report.given_up]
    lines += [f"Skipped: {note}" for note in report.skipped]
    return "\n".join(lines)


def run_sync(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        if args.options or args.set:
            return _options(workspace, args.set)
        # exchangelib loads only for the commands that talk to a server: the others start faster.
        from app.sync.engine import EngineSettings, SyncEngine

        process = "`liaison sync --watch`" if args.watch else "`liaison sync`"
        try:
            engine = SyncEngine.open(workspace, EngineSettings(process=process))
        except AccountError as exc:
            raise CommandError(str(exc)) from None
        line = _ProgressLine(args.quiet)
        try:
            if args.watch:
                return _watch(engine, line)
            report = engine.sync_once(line, wait=args.wait)
        finally:
            line.done()
            engine.close()
    print(_summary(report))
    # Another sync doing the work is no failure of this one.
    return 0 if report.ok or report.running_elsewhere is not None else 1


def _watch(engine: SyncEngine, line: _ProgressLine) -> int:
    """Sync until Ctrl+C. The engine runs in a thread of its own and Ctrl+C stops it as the
    window's Cancel does (the sync under way is cancelled, consistent). Raised in the engine's
    own code, the KeyboardInterrupt could land where Python ignores it (a finalizer the garbage
    collector runs, a database connection's), and once in a full test run the watch went on
    after Ctrl+C. A second Ctrl+C leaves at once."""
    stop = threading.Event()
    failed: list[BaseException] = []

    def show(report: SyncReport) -> None:
        line.done()
        print(_summary(report), flush=True)

    def watch() -> None:
        try:
            engine.run(stop, line, on_report=show)
        except BaseException as exc:  # raised again in the main thread, which reports it
            failed.append(exc)
        finally:
            ended.set()

    # Waited for by an event: a Thread.join that Ctrl+C interrupts takes the thread for ended
    # (Python 3.11). A daemon: after a second Ctrl+C the process must not wait for it.
    ended = threading.Event()
    threading.Thread(target=watch, name="liaison-watch", daemon=True).start()
    try:
        while not ended.wait(0.2):  # timed: on Windows an untimed wait lets no Ctrl+C in
            pass
    except KeyboardInterrupt:
        stop.set()
        ended.wait()
    if failed:
        raise failed[0]
    return 0


def _options(workspace: Workspace, change: list[str] | None) -> int:
    with workspace.local.sessions.begin() as session:
        if change:
            try:
                options = set_sync_option(session, change[0], change[1])
            except SettingError as exc:
                raise CommandError(str(exc)) from None
        else:
            options = load_sync_options(session)
    if change and change[0] == "tracking-category":
        relabelled = MailboxTracking(workspace).relabel_tracked()
        print(f"{relabelled} tracked items get the new category at the next sync.")
    print_table(["key", "value"], SYNC_SCHEMA.show(options))
    return 0
