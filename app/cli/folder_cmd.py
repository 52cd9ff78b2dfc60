"""`liaison folder list|track|untrack`: folders under the Inbox that track their mail."""

from __future__ import annotations

import argparse

from app.cli.errors import CommandError
from app.cli.output import print_json, print_table
from app.cli.tracking_cmd import parse_regarding
from app.services.folders import (
    MAX_MAPPED_FOLDERS,
    FolderTracking,
    FolderTrackingService,
    Refusal,
)
from app.workspace import Workspace

_REFUSALS = {
    Refusal.NOT_UNDER_INBOX: "not inside the Inbox",
    Refusal.TOO_MANY: f"{MAX_MAPPED_FOLDERS} folders track already",
}


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "folder", help="folders under the Inbox that track their mail regarding a record"
    )
    commands = parser.add_subparsers(dest="folder_command", required=True, metavar="COMMAND")
    listing = commands.add_parser(
        "list", help="each mail folder, its path, whether it tracks and regarding what"
    )
    listing.add_argument("--json", action="store_true", help="print the folders as JSON")
    listing.set_defaults(handler=run_list)

    track = commands.add_parser(
        "track", help="track the mail filed in a folder regarding a record, from the next sync"
    )
    track.add_argument("folder", help="the folder's path (Inbox/Acme), name or id")
    track.add_argument(
        "--regarding",
        metavar="TYPE:KEY",
        required=True,
        help="the record: TYPE is account, contact, lead, opportunity, user or queue; KEY is "
        "its id or, for accounts, contacts and leads, one of its addresses",
    )
    track.set_defaults(handler=run_track)

    untrack = commands.add_parser(
        "untrack", help="stop tracking a folder's mail; mail tracked so far stays tracked"
    )
    untrack.add_argument("folder", help="the folder's path (Inbox/Acme), name or id")
    untrack.set_defaults(handler=run_untrack)


def run_list(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        folders = FolderTrackingService(workspace).folder_tracking()
    if args.json:
        print_json([folder.as_json() for folder in folders])
        return 0
    print_table(["id", "folder", "tracks", "regarding"], [_row(folder) for folder in folders])
    return 0


def run_track(args: argparse.Namespace) -> int:
    regarding = parse_regarding(args.regarding)
    with Workspace.open() as workspace:
        service = FolderTrackingService(workspace)
        folder = _find(service.folder_tracking(), args.folder)
        service.map_folder(folder.id, regarding)
        tracked = _find(service.folder_tracking(), str(folder.id))
    assert tracked.tracks is not None
    print(
        f"{tracked.path} tracks its mail regarding {tracked.tracks.key.type.value} "
        f"{tracked.tracks.name}; mail already in it is tracked at the next sync."
    )
    return 0


def run_untrack(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        service = FolderTrackingService(workspace)
        folder = _find(service.folder_tracking(), args.folder)
        service.map_folder(folder.id, None)
    print(f"{folder.path} no longer tracks its mail; mail tracked so far stays tracked.")
    return 0


def _row(folder: FolderTracking) -> tuple[object, ...]:
    if folder.tracks is not None:
        regarding = f"{folder.tracks.key.type.value} {folder.tracks.name}"
        return folder.id, folder.path, "yes", regarding
    why = _REFUSALS[folder.refusal] if folder.refusal else ""
    return folder.id, folder.path, "no", f"(cannot track: {why})" if why else ""


def _find(folders: list[FolderTracking], wanted: str) -> FolderTracking:
    """A folder by its path, its name (when one folder has it) or its id."""
    text = wanted.strip().strip("/")
    for matches in (
        [f for f in folders if f.path.casefold() == text.casefold()],
        [f for f in folders if f.path.rsplit("/", 1)[-1].casefold() == text.casefold()],
        [f for f in folders if text.isdigit() and f.id == int(text)],
    ):
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            paths = ", ".join(f.path for f in matches)
            raise CommandError(f"{wanted!r} names several folders ({paths}); give its path")
    raise CommandError(f"no mail folder {wanted!r}; `liaison folder list` shows them")
