"""`liaison options|org show|set KEY VALUE`: personal options and organisation settings."""

from __future__ import annotations

import argparse

from app.cli.output import print_table
from app.crm.org import ORG_SCHEMA, load_org_settings, set_org_setting
from app.mailbox.personal_options import PERSONAL_SCHEMA, load_personal_options, set_personal_option
from app.workspace import Workspace


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, schema, help_text in (
        ("options", PERSONAL_SCHEMA, "your personal tracking options"),
        ("org", ORG_SCHEMA, "the organisation's tracking-token and correlation settings"),
    ):
        parser = subparsers.add_parser(name, help=help_text)
        commands = parser.add_subparsers(dest=f"{name}_command", required=True, metavar="COMMAND")
        show = commands.add_parser("show", help=f"show {help_text}")
        show.set_defaults(handler=run_show, scope=name)
        setter = commands.add_parser(
            "set",
            help="change one setting",
            description="Keys: "
            + "; ".join(f"{spec.key} ({spec.describe})" for spec in schema.specs.values()),
        )
        setter.add_argument("key", choices=list(schema.specs))
        setter.add_argument("value")
        setter.set_defaults(handler=run_set, scope=name)


def run_show(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        if args.scope == "org":
            with workspace.crm.sessions() as session:
                rows = ORG_SCHEMA.show(load_org_settings(session))
        else:
            with workspace.local.sessions() as session:
                rows = PERSONAL_SCHEMA.show(load_personal_options(session))
    print_table(["key", "value"], rows)
    return 0


def run_set(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        if args.scope == "org":
            with workspace.crm.sessions.begin() as session:
                rows = ORG_SCHEMA.show(set_org_setting(session, args.key, args.value))
        else:
            with workspace.local.sessions.begin() as session:
                rows = PERSONAL_SCHEMA.show(set_personal_option(session, args.key, args.value))
    value = dict(rows)[args.key]
    print(f"{args.key} = {value}")
    return 0
