"""`liaison account add|signin|migrate|test|remove`: the mail account of the profile."""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
import webbrowser

from app.accounts import (
    AccountError,
    AccountSettings,
    AuthKind,
    BackendKind,
    load_account,
    load_account_secret,
    new_account,
    new_microsoft_365_account,
    remember_server_build,
    remove_account,
    require_account,
    save_account,
)
from app.cli.errors import CommandError
from app.services.account import AccountService, MicrosoftForm
from app.services.errors import ServiceError
from app.sync.backend import Check
from app.sync.backends import factory_for, microsoft_sign_in
from app.sync.signin import DeviceCodePrompt, MicrosoftSignIn, SignInFailed
from app.tracking.addresses import normalise_email
from app.workspace import Workspace


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("account", help="the Exchange account this profile syncs")
    commands = parser.add_subparsers(dest="account_command", required=True, metavar="COMMAND")

    add = commands.add_parser(
        "add",
        help="set up the account (the password goes to the system keyring only)",
        description="Sets up the mailbox ADDRESS: from the EWS URL given with --server, or by "
        "autodiscover from the address alone, then checks that it works. With --microsoft-365 "
        "(Microsoft Graph, for Exchange Online) you sign in with Microsoft in the browser, or "
        "with --device-code on any device.",
    )
    add.add_argument("address", help="the mailbox's email address")
    add.add_argument(
        "--server",
        help="the EWS URL or the server's host name (default: autodiscover); for Microsoft 365, "
        "Graph's root if not https://graph.microsoft.com/v1.0 (a national cloud)",
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
    add.add_argument(
        "--microsoft-365",
        action="store_true",
        help="a Microsoft 365 mailbox, reached through Microsoft Graph (same as --backend graph)",
    )
    add.add_argument(
        "--backend",
        choices=[kind.value for kind in BackendKind],
        default=BackendKind.EWS.value,
        help="ews: Exchange Server (EWS); graph: Microsoft 365 (Microsoft Graph)",
    )
    _add_microsoft_options(add)
    add.set_defaults(handler=run_add)

    signin = commands.add_parser(
        "signin",
        help="sign in with Microsoft again (a Microsoft 365 account)",
        description="Signs in with Microsoft in the browser (or with --device-code) and keeps "
        "the sign-in in the system keyring; sync uses it until Microsoft asks again.",
    )
    signin.add_argument(
        "--device-code",
        action="store_true",
        help="sign in on another device with a code, instead of this machine's browser",
    )
    signin.set_defaults(handler=run_signin)

    migrate = commands.add_parser(
        "migrate",
        help="move this Exchange account to Microsoft Graph (Microsoft 365), keeping everything",
        description="Moves the profile's EWS account to Microsoft Graph in place, before "
        "Microsoft switches EWS off in Exchange Online on 1 April 2027: you sign in with "
        "Microsoft, every message, folder, appointment and task link and waiting change is "
        "renamed with the id Graph gives it, and the cache, the outbox, every mark and every "
        "activity link stay. The first sync over Graph downloads no message again. A move cut "
        "off halfway changed nothing, or is finished by running it again.",
    )
    migrate.add_argument(
        "--to",
        required=True,
        choices=[BackendKind.GRAPH.value],
        help="the backend to move to: graph (Microsoft 365 through Microsoft Graph)",
    )
    migrate.add_argument(
        "--server", help="Graph's root if not https://graph.microsoft.com/v1.0 (a national cloud)"
    )
    _add_microsoft_options(migrate)
    migrate.set_defaults(handler=run_migrate)

    test = commands.add_parser(
        "test", help="check DNS, TLS, credentials, mailbox access and the server version"
    )
    test.set_defaults(handler=run_test)

    remove = commands.add_parser("remove", help="forget the account and its password")
    remove.set_defaults(handler=run_remove)


def _add_microsoft_options(add: argparse.ArgumentParser) -> None:
    group = add.add_argument_group("Microsoft 365 sign-in")
    group.add_argument(
        "--device-code",
        action="store_true",
        help="sign in on another device with a code, instead of this machine's browser",
    )
    group.add_argument(
        "--client-id", help="the application (client) id your organisation registered"
    )
    group.add_argument(
        "--tenant", help="your organisation's tenant (domain or id; default: organizations)"
    )
    group.add_argument(
        "--login-url",
        help="Microsoft's sign-in address, for a national cloud "
        "(default: https://login.microsoftonline.com)",
    )


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
    results, build = factory_for(account, workspace.paths).diagnose(
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


def _open_browser(url: str) -> None:
    print(f"Sign in with Microsoft in the browser; if none opens, open this page:\n{url}")
    sys.stdout.flush()
    webbrowser.open(url)


def _show_device_code(prompt: DeviceCodePrompt) -> None:
    print(prompt.message)
    sys.stdout.flush()


def _sign_in(workspace: Workspace, account: AccountSettings, device_code: bool) -> None:
    """Sign in with Microsoft and keep the sign-in in the keyring; CommandError when refused."""
    cancel = threading.Event()
    try:
        sign_in = microsoft_sign_in(account, workspace.paths)
        if device_code:
            address = sign_in.with_device_code(_show_device_code, cancel)
        else:
            address = sign_in.with_browser(_open_browser, cancel)
    except KeyboardInterrupt:
        cancel.set()
        raise CommandError("the sign-in was cancelled") from None
    except SignInFailed as exc:
        raise CommandError(f"{exc} Then run `liaison account signin`.") from None
    if address and normalise_email(address) != normalise_email(account.address):
        raise CommandError(
            f"You signed in as {address}, but this profile's mailbox is {account.address}: "
            "run `liaison account signin` and sign in as that user"
        )
    print(f"Signed in to Microsoft 365 as {account.address}; the sign-in is in the system keyring.")


def _own_profile(workspace: Workspace, account: AccountSettings) -> None:
    if not workspace.owner_address:
        workspace.initialise(account.address, None)
    elif workspace.owner_address.lower() != account.address.lower():
        raise CommandError(
            f"This profile belongs to {workspace.owner_address}; use another profile "
            "(LIAISON_PROFILE or LIAISON_HOME) for another mailbox"
        )


def run_add_microsoft_365(args: argparse.Namespace) -> int:
    try:
        account = new_microsoft_365_account(
            args.address, args.client_id, args.tenant, args.login_url, args.server
        )
    except AccountError as exc:
        raise CommandError(str(exc)) from None
    with Workspace.open() as workspace:
        _own_profile(workspace, account)
        current = load_account(workspace)
        if current is not None and current.backend is BackendKind.EWS:
            # Saved over it, the Graph account would find the cache, marks and links under ids
            # Graph does not know; the move renames them.
            raise CommandError(
                f"This profile syncs {current.address} through Exchange Web Services: move it "
                "with `liaison account migrate --to graph`, which keeps every message, mark and "
                "CRM link"
            )
        save_account(workspace, account, secret=None)
        print(f"Account {account.address} saved (Microsoft 365, through Microsoft Graph).")
        _sign_in(workspace, account, args.device_code)
    print("Run `liaison sync` to sync the mailbox.")
    return 0


def run_signin(args: argparse.Namespace) -> int:
    with Workspace.open() as workspace:
        try:
            account = require_account(workspace)
        except AccountError as exc:
            raise CommandError(str(exc)) from None
        if account.backend is not BackendKind.GRAPH:
            raise CommandError(
                f"{account.address} is an Exchange Server account: it signs in with its "
                "password (`liaison account add` again to change it)"
            )
        _sign_in(workspace, account, args.device_code)
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    form = MicrosoftForm("", args.client_id or "", args.tenant or "", args.login_url or "")
    cancel = threading.Event()

    def sign_in(with_microsoft: MicrosoftSignIn) -> str:
        if args.device_code:
            return with_microsoft.with_device_code(_show_device_code, cancel)
        return with_microsoft.with_browser(_open_browser, cancel)

    with Workspace.open() as workspace:
        try:
            count = AccountService(workspace).move_to_graph(form, sign_in, cancel, args.server)
        except KeyboardInterrupt:
            cancel.set()
            raise CommandError("the move was cancelled; the account is as it was") from None
        except ServiceError as exc:
            raise CommandError(f"{exc}. Run `liaison account migrate --to graph` again.") from None
        address = workspace.owner_address
    if count.already_moved:
        print("The local cache was moved to Graph's ids already; the move is finished now.")
    else:
        print(
            f"Moved to Graph's ids: {count.folders} folders, {count.items} items, "
            f"{count.links} appointment and task links, {count.outbox_entries} waiting changes."
        )
        if count.not_translated:
            print(
                f"{count.not_translated} ids Microsoft could not translate: those items are read "
                "again at the next sync."
            )
    print(f"{address} now syncs through Microsoft Graph. Run `liaison sync`.")
    return 0


def run_add(args: argparse.Namespace) -> int:
    if args.microsoft_365 or args.backend == BackendKind.GRAPH.value:
        return run_add_microsoft_365(args)
    try:
        account = new_account(
            args.address, args.server, args.username, args.auth, not args.no_verify_tls
        )
    except AccountError as exc:
        raise CommandError(str(exc)) from None
    secret = _read_secret(args.password_stdin)
    with Workspace.open() as workspace:
        _own_profile(workspace, account)
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
