"""The `liaison` command line: parsing, dispatch, and turning errors into one line for the user."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from app import __version__
from app.cli import (
    account_cmd,
    crm_cmd,
    db_cmd,
    folder_cmd,
    mail_cmd,
    manual,
    options_cmd,
    profile_cmd,
    sync_cmd,
    tracking_cmd,
)
from app.cli.errors import USAGE_ERROR, USER_ERRORS, CommandError
from app.config import profile_paths

SANDBOX_COMMAND = "sandbox"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="liaison",
        description="Liaison: your Exchange mailbox beside your CRM. Without a command, opens the "
        "desktop window. Every command works on the profile in LIAISON_HOME (or the system's "
        "default place).",
    )
    parser.add_argument("--version", action="version", version=f"liaison {__version__}")
    parser.add_argument(
        "--demo", action="store_true", help="open the app on the built-in demo mailbox"
    )
    parser.add_argument(
        "--compose",
        metavar="MAILTO",
        # Optional value: a desktop entry's `--compose %u` loses the %u when started from the menu.
        nargs="?",
        help="open the window with a new email filled from a mailto: link "
        "(how the desktop hands Liaison a link)",
    )
    parser.add_argument(
        "--quit-after-load",
        action="store_true",
        help="quit as soon as the window has loaded (a smoke test for installers)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    profile_cmd.add_parser(subparsers)
    crm_cmd.add_parser(subparsers)
    tracking_cmd.add_parsers(subparsers)
    mail_cmd.add_parser(subparsers)
    folder_cmd.add_parser(subparsers)
    options_cmd.add_parsers(subparsers)
    account_cmd.add_parser(subparsers)
    sync_cmd.add_parser(subparsers)
    db_cmd.add_parser(subparsers)
    # Listed for --help only: run() hands `liaison sandbox ...` to the sandbox's own parser, so
    # the sandbox is imported only when it is used.
    subparsers.add_parser(
        SANDBOX_COMMAND,
        help="run the local EWS server (demo and tests), or deliver a message to it",
        add_help=False,
    )
    manual.add_parser(subparsers)
    manual.attach(parser)
    return parser


def _launch_window(args: argparse.Namespace) -> int:
    if not args.demo:
        profile_paths()  # a LIAISON_PROFILE that is a path: one line here, not a window
    from app.ui.launch import launch

    return launch(demo=args.demo, quit_after_load=args.quit_after_load, compose=args.compose)


def run(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [SANDBOX_COMMAND]:
        from app.shipped import demo_data_dir
        from exchange_sandbox.cli import main as sandbox_main

        return sandbox_main(arguments[1:], demo=demo_data_dir())
    parser = build_parser()
    args = parser.parse_args(arguments)
    handler = getattr(args, "handler", None)
    if handler is None:
        handler = _launch_window
    try:
        return int(handler(args))
    except (CommandError, *USER_ERRORS) as exc:
        print(f"liaison: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("liaison: interrupted", file=sys.stderr)
        return 130
    except OSError as exc:
        # A full disk or a vanished folder is the user's to fix, and deserves words, not a trace.
        print(f"liaison: {exc.strerror or exc} ({exc.filename or 'file'})", file=sys.stderr)
        return USAGE_ERROR
