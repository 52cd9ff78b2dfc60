"""`liaison sandbox serve|deliver`: the EWS sandbox as a process.

    serve   [--host 127.0.0.1] [--port N] [--data DIR] [--seed demo|empty|DIR]
            [--user ADDRESS:PASSWORD ...] [--allow-remote]
    deliver FILE.eml --to ADDRESS (--data DIR | --url URL)

`main(argv, demo)` returns the exit status; `add_subparsers(subparsers, demo)` hangs the same
commands under another parser. The sandbox has no demo data of its own: `--seed demo` means the
directory the caller passes as `demo` (Liaison passes its demo quarter), `--seed DIR` any directory
in that format. Every failure is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from types import FrameType
from typing import TextIO

from .mime import MimeError
from .seed import DemoSeeder, SeedError
from .server import NotLoopback, SandboxServer
from .sqlite_store import StoreFileError, open_store
from .store import Store
from .transport import Transport
from .versions import ServerVersion

DEFAULT_PORT = 8765


class CommandError(Exception):
    """A failure to report to the user in one line."""


def _user(text: str) -> tuple[str, str]:
    address, separator, password = text.partition(":")
    if not separator or "@" not in address or not password:
        raise argparse.ArgumentTypeError(f"{text!r} is not ADDRESS:PASSWORD")
    return address, password


def _seed(text: str) -> str | Path:
    return text if text in ("demo", "empty") else Path(text)


def add_subparsers(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], demo: Path | None = None
) -> None:
    serve = subparsers.add_parser(
        "serve", help="run the sandbox (EWS and Microsoft Graph) until interrupted"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0: any free one)")
    serve.add_argument("--data", type=Path, help="keep mailboxes in DIR/sandbox.sqlite3")
    serve.add_argument(
        "--seed",
        type=_seed,
        metavar="demo|empty|DIR",
        help="fill an empty store with the demo quarter (default unless --user is given), with"
        " nothing, or from a directory in the demo's format",
    )
    serve.add_argument(
        "--user",
        type=_user,
        action="append",
        default=[],
        metavar="ADDRESS:PASSWORD",
        help="add a mailbox (repeatable)",
    )
    serve.add_argument(
        "--protocol",
        choices=("both", "ews", "graph"),
        default="both",
        help="serve EWS (Exchange Server), Microsoft Graph (Microsoft 365) or both (default)",
    )
    serve.add_argument(
        "--allow-remote", action="store_true", help="allow a non-loopback --host (not for demos)"
    )
    serve.set_defaults(command=_serve, demo=demo)

    deliver = subparsers.add_parser("deliver", help="deliver an .eml file as received mail")
    deliver.add_argument("file", type=Path, metavar="FILE.eml")
    deliver.add_argument("--to", required=True, metavar="ADDRESS", help="recipient mailbox")
    target = deliver.add_mutually_exclusive_group(required=True)
    target.add_argument("--data", type=Path, help="the sandbox store directory")
    target.add_argument("--url", help="a running sandbox (its EWS or base URL)")
    deliver.set_defaults(command=_deliver)


def build_parser(
    prog: str = "liaison sandbox", demo: Path | None = None
) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description="The Exchange Web Services sandbox.")
    add_subparsers(parser.add_subparsers(dest="subcommand", required=True), demo)
    return parser


def main(argv: Sequence[str] | None = None, demo: Path | None = None) -> int:
    """`demo`: the directory `--seed demo` fills the store from (none: --seed DIR is needed)."""
    parser = build_parser(demo=demo)
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        return args.command(args, sys.stdout)
    except CommandError as error:
        print(f"liaison sandbox: {error}", file=sys.stderr)
        return 1


# --- serve ------------------------------------------------------------------------------


def _open(data: Path | None) -> Store:
    if data is None:
        return Store()
    try:
        return open_store(data)
    except StoreFileError as error:
        raise CommandError(str(error)) from error


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    seed = _seed_directory(args)
    store = _open(args.data)
    try:
        protocols = frozenset({"ews", "graph"} if args.protocol == "both" else {args.protocol})
        server = SandboxServer(
            args.host,
            args.port,
            store=store,
            allow_remote=args.allow_remote,
            protocols=protocols,
        )
    except NotLoopback as error:
        raise CommandError(f"{error} Pass --allow-remote to do it anyway.") from error
    if seed is not None and not store.mailboxes:
        try:
            DemoSeeder(store, server.services.transport, seed).seed()
        except SeedError as error:
            raise CommandError(str(error)) from error
    for address, password in args.user:
        server.add_mailbox(address, password)
    if not store.mailboxes:
        raise CommandError("No mailboxes to serve: add --user ADDRESS:PASSWORD or --seed DIR.")
    try:
        server.start()
    except OSError as error:
        raise CommandError(f"Cannot listen on {args.host}:{args.port}: {error.strerror}") from error
    _announce(server, out)
    stopped = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        stopped.set()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        while not stopped.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C while connections close must not turn into a traceback.
        previous_interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.stop()
        signal.signal(signal.SIGINT, previous_interrupt)
        signal.signal(signal.SIGTERM, previous)
    print("EWS sandbox stopped.", file=out, flush=True)
    return 0


def _seed_directory(args: argparse.Namespace) -> Path | None:
    """The directory to fill an empty store from, if any."""
    seed = args.seed or ("empty" if args.user or args.demo is None else "demo")
    if seed == "empty":
        return None
    if seed == "demo":
        if args.demo is None:
            raise CommandError(
                "This sandbox has no demo data of its own: name a directory in the demo's format"
                " with --seed DIR (`liaison sandbox serve --seed demo` uses Liaison's)."
            )
        return Path(args.demo)
    return Path(seed)


# A Graph access token for each mailbox, printed for a demo: good for a working day.
GRAPH_TOKEN_LIFETIME_S = 12 * 3600


def _announce(server: SandboxServer, out: TextIO) -> None:
    lines = [f"Sandbox listening (Exchange {server.version.build_text})"]
    if "ews" in server.protocols:
        lines.append(f"  EWS URL:          {server.url}")
        lines.append(f"  Autodiscover:     {server.autodiscover_url}")
    if "graph" in server.protocols:
        lines.append(f"  Graph URL:        {server.graph_url}")
    lines.append("  Mailboxes:")
    for mailbox in sorted(server.store.mailboxes.values(), key=lambda m: m.address):
        secret = f"password {mailbox.password}" if mailbox.password else "bearer token only"
        lines.append(f"    {mailbox.address:<40} {mailbox.display_name}  ({secret})")
        if "graph" in server.protocols:
            token = server.graph_tokens.issue(mailbox.address, GRAPH_TOKEN_LIFETIME_S)
            lines.append(f"      Graph token: {token}")
    lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines), file=out, flush=True)


# --- deliver ----------------------------------------------------------------------------


def _deliver(args: argparse.Namespace, out: TextIO) -> int:
    try:
        message = args.file.read_bytes()
    except OSError as error:
        raise CommandError(f"Cannot read {args.file}: {error.strerror}") from error
    if args.url:
        subject = _deliver_over_http(args.url, args.to, message)
    else:
        subject = _deliver_to_store(args.data, args.to, message)
    print(f"Delivered {subject!r} to {args.to}.", file=out)
    return 0


def _deliver_to_store(data: Path, address: str, message: bytes) -> str:
    if not (data / "sandbox.sqlite3").exists():
        raise CommandError(f"There is no sandbox store in {data}.")
    store = _open(data)
    with store.writing():
        recipient = store.mailbox(address)
        if recipient is None:
            raise CommandError(f"No mailbox {address} in the sandbox store in {data}.")
        try:
            item = Transport(store, ServerVersion(), "localhost").deliver_mime(recipient, message)
        except MimeError as error:
            raise CommandError(f"The file is not an RFC 5322 message: {error}") from error
        return str(item.props.get("Subject", ""))


def _deliver_over_http(url: str, address: str, message: bytes) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise CommandError(f"{url!r} is not a sandbox URL.")
    query = urllib.parse.urlencode({"to": address})
    control = f"{parsed.scheme}://{parsed.netloc}/sandbox/deliver?{query}"
    request = urllib.request.Request(control, data=message, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(json.loads(response.read()).get("subject", ""))
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace").strip()
        raise CommandError(f"The sandbox refused the message: {detail}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise CommandError(f"Cannot reach the sandbox at {url}: {reason}") from error
