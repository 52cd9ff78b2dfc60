"""An opened profile: its paths, settings, CRM store and local state, and the mailbox owner.

The CLI and the desktop window both work through a Workspace, so both see the same data the same
way.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy.orm import Session

from app.config import ProfilePaths, crm_url, load_settings, local_url, profile_paths, save_settings
from app.crm.errors import CrmError
from app.crm.models import SystemUser
from app.crm.records import user_for_address
from app.database_care import daily_backups
from app.db import Database, open_database
from app.db.engine import parse_url, sqlite_path
from app.db.migrate import Tree
from app.profile_identity import ProfileIdentity, profile_identity, remember_databases
from app.team.link import TeamLink, TeamSyncReport, team_url
from app.tracking.addresses import normalise_email


def _open(paths: ProfilePaths, identity: ProfileIdentity, url: str, tree: Tree) -> Database:
    database = sqlite_path(parse_url(url))
    return open_database(url, tree, identity.made_on(paths, database) if database else None)


def _file_of(database: Database) -> Path | None:
    return sqlite_path(database.engine.url)


class NotInitialised(CrmError):
    """The profile has no mailbox owner yet."""


@dataclass(frozen=True, slots=True)
class OwnerInfo:
    id: int
    name: str
    user_number: int


@dataclass
class Workspace:
    paths: ProfilePaths
    settings: dict[str, Any]
    crm: Database
    local: Database
    # In a team (the CRM on a shared PostgreSQL store), `crm` is this profile's replica of it
    # and `team` the link that keeps the two in step (app.team); None for a single user.
    team: TeamLink | None = None
    # The SQLite files opened that the profile had made before (not new this time).
    made_before: tuple[Path, ...] = ()

    @classmethod
    def open(cls, profile: str | None = None, daily_backup: bool = True) -> Workspace:
        """Open the profile: its databases checked (quickly), upgraded, and, with
        `daily_backup`, thoroughly checked and backed up when their last backup is a day old.
        The window passes False and does that in the background (app.ui.launch)."""
        paths = profile_paths(profile).ensure()
        settings = load_settings(paths)
        identity = profile_identity(paths)
        shared = team_url(settings)
        team = (
            TeamLink.open(paths, shared, identity.made_on(paths, paths.team_replica))
            if shared
            else None
        )
        crm = team.replica if team else _open(paths, identity, crm_url(paths, settings), "crm")
        try:
            local = _open(paths, identity, local_url(paths), "local")
        except BaseException:
            if team is not None:
                team.close()  # with its replica, which is `crm`
            else:
                crm.dispose()
            raise
        workspace = cls(paths, settings, crm, local, team)
        opened = workspace.databases
        workspace.made_before = tuple(path for path in opened if identity.made_on(paths, path))
        try:
            remember_databases(paths, opened)
            if daily_backup:
                daily_backups(list(workspace.made_before))
        except BaseException:
            workspace.close()
            raise
        return workspace

    @property
    def databases(self) -> list[Path]:
        """The SQLite files this workspace has open (a team's shared store is not one)."""
        return [path for path in (_file_of(self.crm), _file_of(self.local)) if path is not None]

    def close(self) -> None:
        if self.team is not None:
            self.team.close()  # with its replica, which is `crm`
        else:
            self.crm.dispose()
        self.local.dispose()

    def sync_crm(self) -> TeamSyncReport | None:
        """In a team: send this profile's CRM changes to the shared store and refresh the
        replica (never raises for an unreachable store). A single user has nothing to do."""
        if self.team is None:
            return None
        user_id = self.settings.get("owner_user_id")
        return self.team.sync(user_id if isinstance(user_id, int) else None, self.local.engine)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def owner_address(self) -> str | None:
        address = self.settings.get("address")
        return address if isinstance(address, str) else None

    def owner(self, session: Session) -> SystemUser:
        user_id = self.settings.get("owner_user_id")
        user = session.get(SystemUser, user_id) if isinstance(user_id, int) else None
        if user is None:
            raise NotInitialised(
                "This profile has no mailbox owner yet: "
                "run `liaison init --address YOU@EXAMPLE.COM`"
            )
        return user

    def is_own_address(self, email: str) -> bool:
        own = self.owner_address
        return bool(own) and normalise_email(email) == normalise_email(own or "")

    def initialise(self, address: str, name: str | None) -> OwnerInfo:
        """Make `address` the mailbox owner and a CRM system user; running it again is harmless."""
        normalized = normalise_email(address)
        if "@" not in normalized:
            raise CrmError(f"{address!r} is not an email address")
        current = self.owner_address
        if current and normalise_email(current) != normalized:
            raise CrmError(
                f"This profile already belongs to {current}; use another profile "
                "(LIAISON_PROFILE or LIAISON_HOME) for a second mailbox"
            )
        display_name = name or address.split("@", 1)[0].replace(".", " ").title()
        if self.team is not None:
            return self._initialise_in_team(address.strip(), display_name, name)
        with self.crm.sessions.begin() as session:
            user = user_for_address(session, address.strip(), display_name)
            if name and user.name != name:
                user.name = name
            owner = OwnerInfo(user.id, user.name, user.user_number)
        self.settings.update(
            {"address": address.strip(), "name": owner.name, "owner_user_id": owner.id}
        )
        save_settings(self.paths, self.settings)
        return owner

    def _initialise_in_team(self, address: str, display_name: str, name: str | None) -> OwnerInfo:
        """System users are made in the shared store (their numbers must be unique there), so
        this needs the store; the replica then brings the user in."""
        assert self.team is not None
        user_id, user_name, number = self.team.ensure_user(address, display_name)
        owner = OwnerInfo(user_id, user_name, number)
        self.settings.update(
            {"address": address, "name": name or user_name, "owner_user_id": user_id}
        )
        save_settings(self.paths, self.settings)
        report = self.sync_crm()
        if report is not None and not report.online:
            raise CrmError(report.message)
        return owner
