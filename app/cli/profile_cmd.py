"""`liaison init`: create the profile and its mailbox owner."""

from __future__ import annotations

import argparse

from app.workspace import Workspace


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "init",
        help="create the profile and the CRM user who owns the mailbox",
        description="Creates the profile (in LIAISON_HOME or the system's default place) and the "
        "CRM system user who owns the mailbox: their own mail counts as outgoing, everyone "
        "else's as incoming. Running it again with the same address changes nothing.",
    )
    parser.add_argument("--address", required=True, help="the mailbox owner's email address")
    parser.add_argument("--name", help="the owner's display name")
    parser.set_defaults(handler=run_init)


def run_init(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        user = workspace.initialise(args.address, args.name)
        print(f"Profile ready in {workspace.paths.data_dir}")
        print(
            f"Mailbox owner: {user.name} <{workspace.owner_address}> "
            f"(user number {user.user_number})"
        )
    return 0
