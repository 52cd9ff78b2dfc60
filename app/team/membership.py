"""Joining a profile to a team's shared CRM store and leaving it again."""

from __future__ import annotations

from dataclasses import dataclass

from app.config import ProfilePaths, load_settings, save_settings
from app.crm.errors import CrmError
from app.db.sqlite_files import side_files
from app.profile_identity import forget_database
from app.team.link import (
    StoreUnreachable,
    TeamLink,
    TeamSyncReport,
    forget_password,
    remember_password,
    split_password,
    team_url,
)

SOLO_OWNER = "solo_owner_user_id"


@dataclass(frozen=True, slots=True)
class Connected:
    url: str  # without the password
    owner_id: int | None
    report: TeamSyncReport


def connect(paths: ProfilePaths, url: str, password: str | None = None) -> Connected:
    """Point the profile at the shared store: the password goes to the keyring, the URL
    without it to the settings; the store is migrated (one client at a time), the mailbox owner
    becomes a system user there and the replica is filled."""
    bare, in_url = split_password(url)
    settings = load_settings(paths)
    current = team_url(settings)
    if current is not None and current != bare:
        # The replica and its waiting changes belong to that store.
        raise CrmError(f"This profile is connected to {current}; disconnect first")
    remember_password(paths, bare, password or in_url)
    link = TeamLink.open(paths, bare)
    try:
        link.store()  # reachable, and at the newest schema, before the profile depends on it
        owner_id: int | None = None
        address = settings.get("address")
        if isinstance(address, str) and address:
            owner_id, _, _ = link.ensure_user(address, str(settings.get("name") or address))
        if current is None and isinstance(settings.get("owner_user_id"), int):
            settings[SOLO_OWNER] = settings["owner_user_id"]
        settings["crm_url"] = bare
        if owner_id is not None:
            settings["owner_user_id"] = owner_id
        report = link.sync(owner_id)
    except StoreUnreachable:
        forget_password(paths, bare)
        raise
    finally:
        link.close()
    save_settings(paths, settings)
    return Connected(bare, owner_id, report)


def disconnect(paths: ProfilePaths, discard_pending: bool = False) -> int:
    """Back to the profile's own SQLite CRM. Refuses while changes wait for the store, unless
    told to discard them; returns how many were discarded."""
    settings = load_settings(paths)
    url = team_url(settings)
    if url is None:
        raise CrmError("This profile is not connected to a team CRM")
    link = TeamLink.open(paths, url)
    try:
        pending = link.pending()
    finally:
        link.close()
    if pending and not discard_pending:
        raise CrmError(
            f"{pending} CRM change(s) have not reached the team CRM yet: run `liaison crm sync` "
            "while it is reachable, or disconnect with --discard-pending to drop them"
        )
    forget_password(paths, url)
    del settings["crm_url"]
    solo = settings.pop(SOLO_OWNER, None)
    if isinstance(solo, int):
        settings["owner_user_id"] = solo
    else:
        settings.pop("owner_user_id", None)
    save_settings(paths, settings)
    forget_database(paths, paths.team_replica)
    for leftover in (paths.team_replica, *side_files(paths.team_replica)):
        leftover.unlink(missing_ok=True)
    return pending
