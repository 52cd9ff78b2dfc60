"""`liaison account add|test|remove`: the Exchange account of the profile."""

from __future__ import annotations

import argparse
import getpass
import sys

from app.accounts import (
    AccountError,
    AuthKind,
    load_account,
    load_account_secret,
    new_account,
    remember_server_build,
    remove_account,
    require_account,
    save_account,
)
from app.cli.errors import CommandError
from app.sync.backend import Check
from app.sync.backends import factory_for
from app.workspace import Workspace


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("account", help="the Exchange account this profile syncs")
    commands = parser.add_subparsers(dest="account_command", required=True, metavar="COMMAND")

    add = commands.add_parser(
        "add",
        help="set up the account (the password goes to the system keyring only)",
        description="Sets up the mailbox ADDRESS: from the EWS URL given with --server, or by "
        "autodiscover from the address alone. Then checks that it works.",
    )
    add.add_argument("address", help="the mailbox's email address")
    add.add_argument(
        "--server", help="the EWS URL or the server's host name (default: autodiscover)"
    )
    add.add_argument(
        "--username", help="the login name, if not the address (DOMAIN\\user for NTLM)"
    )
    add.add_argument(
        "--auth",
        default=AuthKind.BASIC.value,
        choices=[kind.value for kind in AuthKind],
        help="how to log in; oauth takes an access token as the password",
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password or token from stdin"
    )
    add.add_argument(
        "--no-verify-tls",
        action="store_true",
        help="do not verify this server's certificate (only for a server you trust)",
    )
    add.set_defaults(handler=run_add)

    test = commands.add_parser(
        "test", help="check DNS, TLS, credentials, mailbox access and the server version"
    )
    test.set_defaults(handler=run_test)

    remove = commands.add_parser("remove", help="forget the account and its password")
    remove.set_defaults(handler=run_remove)


def _read_secret(from_stdin: bool) -> str:
    if from_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        secret = getpass.getpass("Password: ")
    else:
        raise CommandError("give the password with --password-stdin when not at a terminal")
    if not secret:
        raise CommandError("the password is empty")
    return secret


def _print_check(check: Check) -> None:
    status = "ok" if check.ok else "FAILED"
    print(f"{check.name:<15} {status:<7} {check.detail}")


def _test(workspace: Workspace) -> int:
    account = require_account(workspace)
    results, build = factory_for(account).diagnose(
        account, lambda: load_account_secret(workspace, account), _print_check
    )
    failed = [check for check in results if not check.ok]
    if failed:
        check = failed[0]
        print(f"{check.name} failed: {check.advice}")
        return 1
    if build:
        remember_server_build(workspace, account, build)
    print("Everything works: run `liaison sync` to sync the mailbox.")
    return 0


def run_add(args: argparse.Namespace) -> int:
    try:
        account = new_account(
            args.address, args.server, args.username, args.auth, not args.no_verify_tls
        )
    except AccountError as exc:
        raise CommandError(str(exc)) from None
    secret = _read_secret(args.password_stdin)
    with Workspace.open() as workspace:
        if not workspace.owner_address:
            workspace.initialise(account.address, None)
        elif workspace.owner_address.lower() != account.address.lower():
            raise CommandError(
                f"This profile belongs to {workspace.owner_address}; use another profile "
                "(LIAISON_PROFILE or LIAISON_HOME) for another mailbox"
            )
        save_account(workspace, account, secret)
        if not account.verify_tls:
            print(
                "Warning: the certificate of this server will not be verified; anyone between "
                "you and the server could read your mail.",
                file=sys.stderr,
            )
        print(f"Account {account.address} saved; the password is in the system keyring.")
        code = _test(workspace)
        if code:
            print("The account is saved: fix the problem, then run `liaison account test`.")
        return code


def run_test(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        try:
            return _test(workspace)
        except AccountError as exc:
            raise CommandError(str(exc)) from None


def run_remove(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        if load_account(workspace) is None:
            print("This profile has no account.")
            return 0
        account = remove_account(workspace)
    assert account is not None
    print(f"Account {account.address} removed, with its password; the local cache stays.")
    return 0
