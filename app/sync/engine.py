"""The sync engine: one object per profile that the CLI and the desktop window both drive.

Use from a worker thread:

    engine = SyncEngine.open(workspace)            # reads the account from the profile
    report = engine.sync_once(progress_callback, cancel_event)
    engine.status()                                # state, message, last sync, pending changes

- `sync_once(progress=None, cancel=None, wait=False) -> SyncReport` runs one sync: replay the
  outbox, pull the folder hierarchy and every synced folder (tracking new mail on the way, its
  marks written beside the pull: app.sync.mark_stream), bring appointments and tasks in line
  with the CRM, and write the marks that produced. It never
  raises for a server or credentials problem: the report and `status()` say what happened, and
  the report lists, in words, what was given up or skipped. A push that fails for reasons of its
  own (not an unreachable server) does not stop the pull. `cancel` (a threading.Event) is checked
  between requests and wakes up any back-off wait; a cancelled run leaves everything consistent
  and the next run carries on where it stopped.
- One sync per profile at a time, across processes (app.sync.profile_lock): while another
  process syncs the profile, `sync_once` does nothing and its report names that process
  (`running_elsewhere`); with `wait=True` it waits for it (until `cancel`), then syncs.
- `progress(SyncProgress)` is called on the sync thread: the phase, the folder, counts per
  folder and items per second (see app.sync.progress). Hand it to the UI thread; do not block.
- `status()` is safe from any thread. States: online, syncing, offline (the server cannot be
  reached; changes wait in the outbox), needs-attention (credentials, certificate or mailbox
  access: the user must act; sync does not retry on its own).
- `run(stop, progress=None)` is the scheduler for a long-running process: a sync every
  `interval` minutes (a sync option, default 5), at once after `sync_now()`, and between syncs it
  waits for the server's streaming notifications (new mail within seconds) where the server
  offers them, polling otherwise. A sync another process runs is waited for. Returns when `stop`
  is set.
- Between syncs the engine holds a change feed (MailBackend.start_feed; EWS: a pull
  subscription to every folder): a sync after a successful one asks it what changed (one
  request), reads the hierarchy only when folders changed and only the folders it names; a
  folder nothing happened in costs neither a request nor a query. Every `full_check_every` (an
  engine setting, 30 minutes), after a failed sync, on a new connection or when the server lost
  the feed, the sync reads every folder, as it does with a server that has no feed.
- `close()` releases the connection.

The engine uses the local state and the CRM store of the workspace it was opened with; the UI
reads the same databases through its own sessions (SQLite in WAL mode: readers never wait).
It reaches the mail server through a backend factory (`EngineSettings.backends`, by default the
one the account calls for: app.sync.backends) and knows nothing of the server's protocol.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from app.accounts import (
    AccountError,
    AccountSettings,
    BackendKind,
    load_account_secret,
    reload_account,
    require_account,
    save_account,
)
from app.mailbox import cache
from app.mailbox.models import SyncAccountState
from app.mailbox.sync_options import SyncOptions, load_sync_options
from app.sync.backend import BackendFactory, FeedChanges, MailBackend, SecretSource
from app.sync.backends import factory_for
from app.sync.calendar import Agreed, CalendarSync
from app.sync.errors import (
    NEEDS_ATTENTION,
    CertificateProblem,
    InvalidSyncState,
    MailboxAccessDenied,
    ServerFailure,
    SyncCancelled,
    SyncError,
    UnfinishedMove,
    is_item_problem,
)
from app.sync.graph_move import cache_is_graphs
from app.sync.history import record_run
from app.sync.mark_stream import MarkStream
from app.sync.outbox import pending_count, spooled_client_ids, waiting_for_server
from app.sync.outgoing import clean_spool
from app.sync.profile_lock import Holder, ProfileLock
from app.sync.progress import Phase, ProgressCallback, ProgressReporter, SyncNotes
from app.sync.pull import PAGE_SIZE, Puller
from app.sync.push import MARK_BATCH, Pusher
from app.sync.requests import TrackingRequests
from app.sync.status import Attention, ReportCallback, SyncReport, SyncState, SyncStatus
from app.sync.tracker import MailTracker
from app.workspace import Workspace

log = logging.getLogger(__name__)
_PUSH_FAILED = "push"  # the note of a push the server failed as a whole


@dataclass(frozen=True, slots=True)
class EngineSettings:
    # How to reach the account's server: retry budgets, DNS and the like are options of the
    # factory. None: the backend the account calls for (app.sync.backends).
    backends: BackendFactory | None = None
    # First pause before retrying an outbox entry that failed for a reason of its own.
    outbox_retry_pause: timedelta = timedelta(seconds=30)
    # Changes per page: one page is one transaction, so a crash repeats at most one page.
    page_size: int = PAGE_SIZE
    # Marks per request: one batch is written while the one before is booked.
    mark_batch: int = MARK_BATCH
    # What this process is, for a second sync of the profile to say which one runs.
    process: str = "Liaison"
    # The safety net under the change feed: every folder is read at least this often.
    full_check_every: timedelta = timedelta(minutes=30)


class SyncEngine:
    def __init__(
        self,
        workspace: Workspace,
        account: AccountSettings,
        secret: SecretSource,
        settings: EngineSettings | None = None,
    ) -> None:
        self.workspace = workspace
        self.account = account
        self._secret = secret
        self.settings = settings or EngineSettings()
        self._backends = self.settings.backends or factory_for(account, workspace.paths)
        self._backend: MailBackend | None = None
        self._lock = threading.Lock()  # one sync at a time in this engine
        # One sync at a time in the profile, whatever process runs it.
        self._profile_lock = ProfileLock(workspace.paths.data_dir, self.settings.process)
        self._state = SyncState.ONLINE
        self._message = "Not synced yet"
        self._wake = threading.Event()
        # Set while run() schedules syncs: each sync then subscribes to notifications before it
        # reads the folders, so mail arriving during the sync still wakes the wait after it.
        self._watching = False
        self._subscription: str | None = None
        # The change feed and when the last sync of every folder started; trusted only after
        # a successful sync (a failed one may have read changes it did not store).
        self._feed: str | None = None
        self._full_at = 0.0
        self._feed_trusted = False
        self._calendar_agreed: Agreed = {}  # see app.sync.calendar.Agreed

    @classmethod
    def open(cls, workspace: Workspace, settings: EngineSettings | None = None) -> SyncEngine:
        """The engine for the profile's account; the secret is read from the keyring on use."""
        account = require_account(workspace)
        return cls(workspace, account, lambda: load_account_secret(workspace, account), settings)

    @property
    def address(self) -> str:
        return self.account.address

    # State

    @property
    def state(self) -> SyncState:
        return self._state

    def status(self) -> SyncStatus:
        with self.workspace.local.sessions() as session:
            state = session.get(SyncAccountState, self.address)
            last = state.last_success_at if state else None
            pending = pending_count(session, self.address)
        return SyncStatus(self._state, last, pending, self._message)

    def _set_state(self, state: SyncState, message: str) -> None:
        self._state = state
        self._message = message

    # One sync

    def sync_once(
        self,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        wait: bool = False,
    ) -> SyncReport:
        """One sync. When another process (or engine) is syncing this profile, the report says
        which (`running_elsewhere`) and nothing is done; with `wait`, wait for it to finish
        (until `cancel`) and then sync."""
        cancel = cancel or threading.Event()
        if not self._lock.acquire(blocking=False):
            return SyncReport(self._state, "A sync is already running", cancelled=True)
        started = time.monotonic()
        reporter = ProgressReporter(progress)
        try:
            holder = self._profile_lock.acquire(
                wait, cancel, lambda h: self._note_busy(h, reporter)
            )
            if holder is not None:
                return self._busy(holder, reporter, started, cancelled=wait)
            try:
                return self._sync_locked(reporter, cancel, started)
            finally:
                self._profile_lock.release()
        finally:
            reporter.enter(Phase.DONE)
            self._lock.release()

    def _sync_locked(
        self, reporter: ProgressReporter, cancel: threading.Event, started: float
    ) -> SyncReport:
        before = self._state
        self._set_state(SyncState.SYNCING, "Syncing")
        try:
            return self._sync(reporter, cancel, started)
        except SyncCancelled:
            self._set_state(
                before if before is not SyncState.SYNCING else SyncState.ONLINE, "Cancelled"
            )
            return self._report(reporter, started, cancelled=True)
        except (*NEEDS_ATTENTION, AccountError) as exc:
            # AccountError: the keyring has no password or token for the account any more.
            self._drop_connection()
            return self._fail(
                SyncState.NEEDS_ATTENTION, str(exc), reporter, started, _attention(exc)
            )
        except SyncError as exc:  # unreachable, a server failure: passing conditions
            self._drop_connection()
            return self._fail(SyncState.OFFLINE, str(exc), reporter, started)

    def _note_busy(self, holder: Holder, reporter: ProgressReporter) -> None:
        reporter.note(f"waiting for the sync in {holder.describe()} to finish")

    def _busy(
        self, holder: Holder, reporter: ProgressReporter, started: float, cancelled: bool
    ) -> SyncReport:
        return SyncReport(
            self._state,
            f"A sync is already running in {holder.describe()}",
            seconds=time.monotonic() - started,
            cancelled=cancelled,
            running_elsewhere=holder.describe(),
        )

    def _follow_the_account(self, session: Session) -> None:
        """Sync the account the profile holds now: `liaison account migrate` in a terminal
        may have moved it to Graph while this engine (a window's) was open. Saving what this
        engine connected with would otherwise write the old account back over the new one."""
        current = reload_account(self.workspace)
        if (
            current is not None
            and current.backend is BackendKind.EWS
            and cache_is_graphs(session, current.address)
        ):
            # The move rewrote the cache to Graph's ids but did not keep the account (the
            # keyring refused, the process died): EWS would refuse every id, or worse.
            raise UnfinishedMove(
                f"Moving {current.address} to Microsoft 365 did not finish: run `liaison "
                "account migrate --to graph` again, or sign in and move again in Account…"
            )
        if current is None or current == self.account:
            return
        self._drop_connection()
        self._subscription = None
        if current.backend is not self.account.backend:
            if self.settings.backends is not None:
                # Given a backend by its caller (a test, a bench): it cannot be swapped here.
                raise AccountError(
                    f"{current.address} now syncs through another server: start sync again"
                )
            self._backends = factory_for(current, self.workspace.paths)
        self.account = current
        self._secret = lambda: load_account_secret(self.workspace, current)

    def _sync(
        self, reporter: ProgressReporter, cancel: threading.Event, started: float
    ) -> SyncReport:
        with self.workspace.local.sessions() as session:
            self._follow_the_account(session)
            options = load_sync_options(session)
        # In a team, CRM changes go to the shared store and the replica catches up, before
        # tracking decides (fresh records) and after it (its activities); offline is no error.
        self.workspace.sync_crm()
        tracker = MailTracker(self.workspace, options)
        # Tracking requests a crash cut short, carried out before anything else (requests.py).
        TrackingRequests(self.workspace, self.address, tracker).replay()
        backend = self._connect(reporter, cancel)
        pusher = Pusher(
            backend,
            self.workspace,
            self.address,
            options,
            reporter,
            cancel,
            self.settings.outbox_retry_pause,
            self.settings.mark_batch,
        )
        calendar = CalendarSync(
            backend,
            self.workspace,
            self.address,
            options,
            reporter,
            cancel,
            self.settings.outbox_retry_pause,
            self._calendar_agreed,
        )
        # The push first, so local changes reach the server soon; but a push that fails for
        # its own reasons (not an unreachable server) must not keep new mail from coming in.
        self._push(reporter, pusher.push, calendar.push)
        page_size = self.settings.page_size
        # The marks the pull queues are written while it reads on (app.sync.mark_stream).
        with MarkStream(pusher) as marks:
            puller = Puller(
                backend, self.workspace, self.address, tracker, reporter, cancel, page_size, marks
            )
            changed = self._changes_since_last_sync(backend, reporter)
            if changed is None or changed.hierarchy:
                puller.hierarchy()
            if self._watching and options.streaming:
                self._subscription = self._subscribe(backend)
            puller.folders(None if changed is None else changed.folders)
        self._tolerate_item_problems(reporter, marks.raise_failure)
        calendar.reconcile()
        self._push(reporter, calendar.push, pusher.push)
        self.workspace.sync_crm()
        self._record_success()
        self._feed_trusted = self._feed is not None
        self._set_state(SyncState.ONLINE, _synced_message(reporter.notes))
        report = SyncReport(
            SyncState.ONLINE,
            self._message,
            items=reporter.items_done,
            evaluated=tracker.counts.evaluated,
            tracked=tracker.counts.tracked,
            untracked=tracker.counts.untracked,
            marks_written=pusher.counts.marks,
            sent=pusher.counts.sent,
            appointments_and_tasks=calendar.counts.changed,
            conflicts=calendar.counts.conflicts,
            seconds=time.monotonic() - started,
            given_up=reporter.notes.given_up,
            skipped=reporter.notes.skipped,
        )
        return record_run(self.workspace, self.address, report)

    def _changes_since_last_sync(
        self, backend: MailBackend, reporter: ProgressReporter
    ) -> FeedChanges | None:
        """What the change feed saw since the last sync; None: read every folder (and a new
        feed is started first, so what changes during this sync is in it)."""
        reporter.enter(Phase.FOLDERS)
        trusted, self._feed_trusted = self._feed_trusted, False
        due = time.monotonic() - self._full_at >= self.settings.full_check_every.total_seconds()
        if self._feed is not None and trusted and not due:
            try:
                return backend.read_feed(self._feed)
            except InvalidSyncState:
                self._feed = None  # expired: start again with a full check
        if self._feed is not None:
            backend.end_feed(self._feed)
            self._feed = None
        self._full_at = time.monotonic()
        try:
            self._feed = backend.start_feed()
        except ServerFailure as exc:
            log.info("No change feed: %s", exc)
        return None

    def _push(self, reporter: ProgressReporter, *pushes: Callable[[], None]) -> None:
        with self.workspace.local.sessions() as session:
            waiting = waiting_for_server(session, self.address)
            spooled = set() if waiting else spooled_client_ids(session)
        if not waiting:
            # Most syncs: one question instead of each push asking its own (an empty sync's
            # client time went mostly on such questions). The spool is still cleaned of what
            # a crash left (another account's messages may be waiting in it).
            clean_spool(self.workspace.paths.data_dir, spooled)
        # Every push runs whatever the one before it met (a list, not all()'s short cut).
        elif all([self._tolerate_item_problems(reporter, push) for push in pushes]):
            with self.workspace.local.sessions() as session:
                waiting = waiting_for_server(session, self.address)
        if not waiting:
            # What a push earlier in this run could not write has gone since: the report does
            # not say it waits.
            reporter.notes.settle(_PUSH_FAILED)

    def _tolerate_item_problems(self, reporter: ProgressReporter, push: Callable[[], None]) -> bool:
        """Whether the push ran through; a request the server failed as a whole is noted."""
        try:
            push()
        except SyncError as exc:
            if not is_item_problem(exc):
                raise
            # The server failed a whole request (e.g. a SOAP fault): nothing is counted
            # against the changes, which stay queued for the next sync.
            log.info("The push stopped: %s", exc, exc_info=True)
            reporter.notes.skip(
                _PUSH_FAILED,
                "Some changes could not be written to the server this time (it failed "
                "the request); they stay queued and are tried again at the next sync.",
            )
            return False
        return True

    def _connect(self, reporter: ProgressReporter, cancel: threading.Event) -> MailBackend:
        def on_back_off(seconds: float, why: str) -> None:
            reporter.note(f"{why}, waiting {seconds:.1f} s")

        backend = self._backend
        if backend is not None:
            backend.bind(cancel, on_back_off)
            return backend
        reporter.enter(Phase.CONNECTING)
        connected = self._backends.connect(self.account, self._secret, cancel, on_back_off)
        if connected.account != self.account:
            # What the server told about itself (e.g. its build) spares the next connection.
            save_account(self.workspace, connected.account, secret=None)
            self.account = connected.account
        self._backend = connected.backend
        return connected.backend

    def _options(self) -> SyncOptions:
        with self.workspace.local.sessions() as session:
            return load_sync_options(session)

    def _drop_connection(self) -> None:
        self._feed, self._feed_trusted = None, False  # it lives on the connection
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    def _fail(
        self,
        state: SyncState,
        message: str,
        reporter: ProgressReporter,
        started: float,
        attention: Attention | None = None,
    ) -> SyncReport:
        self._set_state(state, message)
        with self.workspace.local.sessions.begin() as session:
            cache.account_state(session, self.address).last_error = message
        return self._report(reporter, started, attention=attention)

    def _report(
        self,
        reporter: ProgressReporter,
        started: float,
        cancelled: bool = False,
        attention: Attention | None = None,
    ) -> SyncReport:
        report = SyncReport(
            self._state,
            self._message,
            items=reporter.items_done,
            seconds=time.monotonic() - started,
            cancelled=cancelled,
            given_up=reporter.notes.given_up,
            skipped=reporter.notes.skipped,
            attention=attention,
        )
        return record_run(self.workspace, self.address, report)

    def _record_success(self) -> None:
        with self.workspace.local.sessions.begin() as session:
            cache.record_success(session, self.address, datetime.now(UTC))

    # Scheduling

    def sync_now(self) -> None:
        """Wake the scheduler of `run()` for a sync at once."""
        self._wake.set()

    def run(
        self,
        stop: threading.Event,
        progress: ProgressCallback | None = None,
        on_report: ReportCallback | None = None,
    ) -> None:
        """Sync on a schedule until `stop` is set (see the module docstring)."""
        self._watching = True
        try:
            while not stop.is_set():
                self._wake.clear()
                # Another process syncing this profile (`liaison sync`): wait for it, then sync.
                report = self.sync_once(progress, stop, wait=True)
                if on_report is not None:
                    on_report(report)
                if stop.is_set():
                    return
                self._wait_between_syncs(stop, report)
        finally:
            self._watching = False
            self._subscription = None

    def _subscribe(self, backend: MailBackend) -> str | None:
        try:
            return backend.subscribe(self._watched_folders())
        except SyncError as exc:
            log.info("Streaming notifications unavailable: %s", exc)
            return None

    def _wait_between_syncs(self, stop: threading.Event, report: SyncReport) -> None:
        options = self._options()
        deadline = time.monotonic() + options.sync_interval_minutes * 60
        waiter = _AnyEvent(stop, self._wake)
        subscription, self._subscription = self._subscription, None
        if options.streaming and report.state is SyncState.ONLINE and self._backend is not None:
            folders = self._watched_folders()
            while time.monotonic() < deadline and not waiter.is_set():
                try:
                    remaining = deadline - time.monotonic()
                    if self._backend.wait_for_changes(folders, remaining, waiter, subscription):
                        return
                    subscription = None  # used up: the next wait subscribes afresh
                except SyncError as exc:
                    # No streaming here (or it broke): poll on the schedule instead.
                    log.info("Streaming notifications unavailable: %s", exc)
                    break
        waiter.wait(max(0.0, deadline - time.monotonic()))

    def _watched_folders(self) -> list[str]:
        with self.workspace.local.sessions() as session:
            return [
                folder.remote_id
                for folder in cache.folders(session, self.address)
                if folder.distinguished in ("inbox", "sentitems", "calendar", "tasks")
                or folder.mapped_record_type
            ]

    def close(self) -> None:
        self._drop_connection()


def _synced_message(notes: SyncNotes) -> str:
    message = f"Synced at {datetime.now().strftime('%H:%M')}"
    counts = [
        f"{len(notes.given_up)} given up" if notes.given_up else "",
        f"{len(notes.skipped)} skipped" if notes.skipped else "",
    ]
    shown = ", ".join(count for count in counts if count)
    return f"{message} ({shown})" if shown else message


class _AnyEvent(threading.Event):
    """Set when either of two events is set (stop or sync-now), checked by polling cheaply."""

    def __init__(self, *events: threading.Event) -> None:
        super().__init__()
        self._events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self._events)

    def wait(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.is_set():
            remaining = None if deadline is None else deadline - time.monotonic()
            if remaining is not None and remaining <= 0:
                return False
            self._events[0].wait(0.2 if remaining is None else min(0.2, remaining))
        return True


def _attention(error: Exception) -> Attention:
    if isinstance(error, CertificateProblem):
        return Attention.CERTIFICATE
    if isinstance(error, MailboxAccessDenied):
        return Attention.MAILBOX_ACCESS
    if isinstance(error, UnfinishedMove):
        return Attention.UNFINISHED_MOVE
    return Attention.SIGN_IN  # refused credentials, or none kept (AccountError)
