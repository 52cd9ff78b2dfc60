"""Profiles in processes of their own, for the concurrency and kill tests (not a test module).

- `new_profile(sandbox, home, over)`: a profile for a fresh mailbox with orders waiting in its
  Inbox, tracking all mail (`set_up_profile` for a mailbox of one's own); `deliver_orders` adds
  more. `over` is how the profile reaches the mailbox: "ews" (an Exchange account and its
  password) or "graph" (a Microsoft 365 account on the sandbox's Graph endpoint and an access
  token); `configure_account(workspace, sandbox, user, over)` configures one and gives the
  secret the child processes are passed (`child_env(home, secret)`).
- `opened(home)`: the Workspace of the profile in `home`, as LIAISON_HOME opens it.
- `start_liaison(profile, *argv)` / `finish(child)`: `liaison ARGV` in a process of its own
  (sync_child.py runs the real command with a keyring that knows the password), forked from a
  server that imported the app once (tests/support/forked.py); `start_sync(profile)`: a sync
  so, over either protocol.
- `stale_parts(profile, sandbox, untracked)`: what the profile lacks of its mailbox, empty when
  it is fully up to date; `settle_and_check` runs a later sync first (a profile it cannot bring
  up to date is stuck).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app.accounts import new_account, new_microsoft_365_account, save_account
from app.crm.models import EmailActivity
from app.mailbox.models import MailFolder, MailItem, OutboxEntry
from app.mailbox.personal_options import set_personal_option
from app.workspace import Workspace
from tests.support import forked
from tests.support.forked import Forked
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import mime

CHILD = Path(__file__).with_name("sync_child.py")
MESSAGES = 12
TRACKED = "Tracked to Liaison"
# Over Graph the sync children take the secret as the access token (sync_child.py); the
# application id only matters to a Microsoft sign-in, which they never do.
TEST_CLIENT_ID = "00000000-0000-0000-0000-00000000c0de"
TOKEN_LIFETIME_S = 4 * 3600


@dataclass
class Profile:
    home: Path
    user: SandboxUser
    env: dict[str, str]
    over: str = "ews"


@contextmanager
def opened(home: Path) -> Iterator[Workspace]:
    previous = os.environ.get("LIAISON_HOME")
    os.environ["LIAISON_HOME"] = str(home)
    try:
        with Workspace.open() as workspace:
            yield workspace
    finally:
        if previous is None:
            os.environ.pop("LIAISON_HOME", None)
        else:
            os.environ["LIAISON_HOME"] = previous


def deliver_orders(sandbox: Sandbox, user: SandboxUser, first: int, count: int) -> None:
    for n in range(first, first + count):
        raw = mime(
            f"Klient {n} <klient{n}@firma{n}.example>",
            f"Anna Nowak <{user.address}>",
            f"Zamówienie nr {n}",
            message_id=f"<zamowienie-{n}.{user.address}@sklep.example>",
        )
        sandbox.server.deliver(user.address, raw)


def configure_account(workspace: Workspace, sandbox: Sandbox, user: SandboxUser, over: str) -> str:
    """The profile's account for this mailbox, over "ews" or "graph"; its secret (the password,
    or an access token the sandbox issued)."""
    if over == "graph":
        account = new_microsoft_365_account(
            user.address, client_id=TEST_CLIENT_ID, graph_url=sandbox.server.graph_url
        )
        secret = sandbox.server.graph_tokens.issue(user.address, lifetime_s=TOKEN_LIFETIME_S)
    else:
        account, secret = new_account(user.address, sandbox.url), user.password
    save_account(workspace, account, secret)
    return secret


def child_env(home: Path, secret: str) -> dict[str, str]:
    """The environment of a sync child for the profile in `home` (sync_child.py)."""
    env = {**os.environ, "LIAISON_HOME": str(home), "LIAISON_TEST_PASSWORD": secret}
    env.pop("LIAISON_PROFILE", None)
    return env


def set_up_profile(sandbox: Sandbox, user: SandboxUser, home: Path, over: str = "ews") -> Profile:
    """A profile in `home` for this mailbox, tracking all mail and creating contacts."""
    with opened(home) as workspace:
        workspace.initialise(user.address, "Anna Nowak")
        secret = configure_account(workspace, sandbox, user, over)
        with workspace.local.sessions.begin() as session:
            set_personal_option(session, "track", "all")
            set_personal_option(session, "autocreate", "contact")
    return Profile(home, user, child_env(home, secret), over)


def new_profile(sandbox: Sandbox, home: Path, over: str = "ews") -> Profile:
    """A profile set up for a fresh mailbox with orders waiting in its Inbox."""
    user = sandbox.new_user("Anna Nowak", domain="brightwave.example")
    deliver_orders(sandbox, user, 0, MESSAGES)
    return set_up_profile(sandbox, user, home, over)


def start_liaison(profile: Profile, *argv: str) -> Forked:
    """`liaison ARGV` in a process of its own (sync_child.py runs the real command)."""
    return forked.start(CHILD, list(argv), profile.env, text=True)


def start_sync(profile: Profile) -> Forked:
    """A sync in a process of its own: `liaison sync --quiet` for an Exchange account; the
    engine's sync for a Microsoft 365 one (the command would sign in with Microsoft)."""
    return (
        start_liaison(profile, "sync", "--quiet")
        if profile.over == "ews"
        else start_liaison(profile)
    )


def finish(child: Forked) -> tuple[int, str, str]:
    out, err = child.communicate(timeout=180)
    return child.returncode, out, err


def stale_parts(
    profile: Profile, sandbox: Sandbox, untracked: frozenset[str] = frozenset()
) -> list[str]:
    """What a profile lacks of the mailbox it syncs: empty when it is fully up to date. Every
    message is tracked, with the tracking category on the server, but those in `untracked`
    (untracked by hand: no category, the activity kept)."""
    client = sandbox.account(profile.user)
    on_server = {
        m.subject: m.categories or [] for m in client.inbox.all().only("subject", "categories")
    }
    with opened(profile.home) as workspace:
        with workspace.local.sessions() as session:
            cached = {
                row.subject: row.tracking_state
                for row in session.scalars(
                    select(MailItem)
                    .join(MailFolder, MailItem.folder_id == MailFolder.id)
                    .where(MailFolder.distinguished == "inbox")
                )
            }
            pending = [e.kind for e in session.scalars(select(OutboxEntry)) if e.state != "done"]
        with workspace.crm.sessions() as session:
            activities = Counter(a.message_id for a in session.scalars(select(EmailActivity)))
    problems = []
    if set(cached) != set(on_server):
        problems.append(f"cache has {sorted(cached)}, server {sorted(on_server)}")
    for subject, state in cached.items():
        wanted = "none" if subject in untracked else "tracked"
        if state != wanted:
            problems.append(f"{subject} is {state} in the cache, not {wanted}")
    for subject, categories in on_server.items():
        wanted_categories = [] if subject in untracked else [TRACKED]
        if categories != wanted_categories:
            problems.append(f"{subject} has {categories} on the server")
    problems += [f"outbox entry {kind} not done" for kind in pending]
    problems += [f"{m} has {n} activities" for m, n in activities.items() if n != 1]
    if len(activities) != len(on_server):
        problems.append(f"{len(activities)} activities for {len(on_server)} messages")
    return problems


def settle_and_check(
    profile: Profile, sandbox: Sandbox, untracked: frozenset[str] = frozenset()
) -> list[str]:
    """A later sync, then what it did not bring up to date (a stuck profile if anything)."""
    code, out, err = finish(start_sync(profile))
    assert "Traceback" not in err, err
    if code:
        return [f"the later sync ended {code}: {out}"]
    return stale_parts(profile, sandbox, untracked)
