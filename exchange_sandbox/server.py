"""SandboxServer: the EWS sandbox as one object to start, stop, fill and break from Python."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

from .application import EwsApplication
from .calendar import CalendarEngine
from .faults import FaultSwitchboard
from .graph.application import PREFIX as GRAPH_PREFIX
from .graph.application import GraphApplication
from .graph.identity import IdentityApplication
from .graph.tokens import TokenBook
from .httpserver import WsgiHttpServer
from .model import Item, Mailbox
from .notifications import NotificationHub
from .push import PushDispatcher
from .render import ItemRenderer
from .routing import PathRouter, not_found
from .services import Services
from .store import Store
from .transport import OutboundMessage, Transport
from .versions import ServerVersion
from .xmlkit import escape_attr

DEFAULT_HOSTNAME = "mail.sandbox.liaison.invalid"
PROTOCOLS = frozenset({"ews", "graph"})


def _redirecting(location: str) -> Callable[..., Iterable[bytes]]:
    """A WSGI application that redirects every request to the same path under `location`."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = location + environ.get("PATH_INFO", "/")
        body = (
            "<head><title>Document Moved</title></head>"
            f'<body>Object moved <a href="{escape_attr(target)}">here</a></body>'
        ).encode()
        start_response(
            "302 Found",
            [
                ("Location", target),
                ("Content-Type", "text/html"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    return app


class NotLoopback(ValueError):
    """A non-loopback address was given without allow_remote."""


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SandboxServer:
    """An EWS server, and Microsoft Graph v1.0 over the same mailboxes, on loopback. Use as a
    context manager, or start() and stop().

    `tls`: a server-side ssl.SSLContext (with its certificate loaded) to serve HTTPS instead of
    plain HTTP, as a real Exchange server does. `protocols`: which of EWS (with autodiscover) and
    Microsoft Graph it answers, as Exchange Online will answer Graph alone; the control endpoint
    is always there.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        store: Store | None = None,
        version: ServerVersion | None = None,
        hostname: str = DEFAULT_HOSTNAME,
        allow_remote: bool = False,
        tls: ssl.SSLContext | None = None,
        protocols: frozenset[str] = PROTOCOLS,
    ) -> None:
        if not protocols or not protocols <= PROTOCOLS:
            raise ValueError(f"protocols must be some of {sorted(PROTOCOLS)}")
        self.protocols = protocols
        if not allow_remote and not is_loopback_host(host):
            raise NotLoopback(
                f"Refusing to listen on {host}: the sandbox serves loopback only unless allowed."
            )
        self.host = host
        self.port = port
        self.tls = tls
        self.store = store if store is not None else Store()
        self.version = version or ServerVersion()
        self.faults = FaultSwitchboard()
        calendar = CalendarEngine()
        notifications = NotificationHub(self.store)
        self.services = Services(
            calendar=calendar,
            transport=Transport(self.store, self.version, hostname),
            notifications=notifications,
            push=PushDispatcher(notifications, self.version),
            renderer=ItemRenderer(calendar.computed),
        )
        self.application = EwsApplication(
            self.store, self.services, self.version, self.faults, lambda: self.base_url, hostname
        )
        # Graph's access tokens; the identity endpoints issue them, tests may too.
        self.graph_tokens = TokenBook()
        self.graph = GraphApplication(
            self.store, self.services, self.faults, self.graph_tokens, lambda: self.base_url
        )
        # Entra ID's sign-in endpoints sit at the root, under the tenant's name, as on
        # login.microsoftonline.com; every other path goes on to EWS.
        self.identity = IdentityApplication(
            self.store, self.graph_tokens, lambda: self.base_url, self.application
        )
        self.router = PathRouter(self.identity)
        self.router.mount(GRAPH_PREFIX, self.graph if "graph" in protocols else not_found)
        if "ews" not in protocols:
            self.router.mount("/ews", not_found)
            self.router.mount("/autodiscover", not_found)
        self._http: WsgiHttpServer | None = None
        self._redirects: list[tuple[WsgiHttpServer, threading.Thread]] = []
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- lifecycle ----------------------------------------------------------------------

    def start(self) -> SandboxServer:
        with self._lock:
            if self._http is not None:
                return self
            self._http = WsgiHttpServer((self.host, self.port), self.router, self.tls)
            self.port = self._http.server_address[1]
            self._thread = threading.Thread(
                target=self._http.serve_forever,
                kwargs={"poll_interval": 0.05},
                name=f"ews-sandbox-{self.port}",
                daemon=True,
            )
            self._thread.start()
            return self

    def stop(self) -> None:
        with self._lock:
            http, thread = self._http, self._thread
            self._http = self._thread = None
        if http is None:
            return
        self.services.push.stop()
        for redirect, redirect_thread in self._redirects:
            redirect.shutdown()
            redirect.server_close()
            redirect_thread.join(timeout=5)
        self._redirects = []
        http.shutdown()
        http.server_close()
        http.close_connections()
        if thread is not None:
            thread.join(timeout=5)

    def go_down(self) -> None:
        """Stop listening and cut open connections: clients get 'connection refused'."""
        self.stop()

    def come_back(self) -> None:
        """Listen again on the same port, with the same mailboxes."""
        self.start()

    @property
    def is_up(self) -> bool:
        return self._http is not None

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # --- addresses ----------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls is not None else 'http'}://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The EWS endpoint, as a client's service_endpoint."""
        return f"{self.base_url}/EWS/Exchange.asmx"

    @property
    def graph_url(self) -> str:
        """Microsoft Graph's root, as https://graph.microsoft.com/v1.0 is."""
        return f"{self.base_url}{GRAPH_PREFIX}"

    @property
    def autodiscover_url(self) -> str:
        return f"{self.base_url}/autodiscover/autodiscover.svc"

    # --- content ------------------------------------------------------------------------

    def add_mailbox(
        self,
        address: str,
        password: str | None = None,
        display_name: str | None = None,
        tokens: tuple[str, ...] = (),
    ) -> Mailbox:
        """Create (or update) a mailbox with its default folders; Basic and/or bearer access."""
        if "@" not in address:
            raise ValueError(f"{address!r} is not an email address")
        name = display_name or address.partition("@")[0].replace(".", " ").title()
        return self.store.add_mailbox(address, name, password, set(tokens))

    def add_redirect(self, address: str, target: str) -> None:
        """Make `address` a mail user whose mailbox is elsewhere: autodiscover answers it with a
        redirect to `target` (RedirectAddress, redirectAddr), as after a move to another domain."""
        with self.store.writing():
            self.store.redirects[address.casefold()] = target

    def serve_http_redirect(self, location: str) -> int:
        """Also listen on plain HTTP and answer every request with a 302 to `location` plus the
        path asked for, as the HTTP site of an Exchange server set to redirect to HTTPS does
        (the plain-http step of autodiscover). Returns the port; stop() ends it too."""
        redirect = WsgiHttpServer((self.host, 0), _redirecting(location.rstrip("/")))
        thread = threading.Thread(
            target=redirect.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"ews-sandbox-redirect-{redirect.server_address[1]}",
            daemon=True,
        )
        thread.start()
        self._redirects.append((redirect, thread))
        return int(redirect.server_address[1])

    def set_max_send_size(self, address: str, size: int) -> None:
        """Limit the messages a mailbox may send to `size` bytes as sent, as an administrator's
        Set-Mailbox -MaxSendSize does (GetMailTips reports it; larger sends fail with
        ErrorMessageSizeExceeded)."""
        with self.store.writing():
            mailbox = self.store.mailbox(address)
            if mailbox is None:
                raise KeyError(f"No mailbox {address!r} on this server")
            mailbox.settings.max_send_size = size
            self.store.settings_changed(mailbox)

    def revoke_token(self, token: str) -> None:
        """Expire an OAuth access token: requests bearing it get 401 from now on."""
        self.store.revoke_token(token)

    def deliver(self, to: str, message: bytes, received_at: dt.datetime | None = None) -> Item:
        """Deliver an RFC 5322 message to a mailbox, as received mail (at `received_at`, or now);
        it lands where the mailbox's junk settings and inbox rules put it."""
        with self.store.writing():
            recipient = self.store.mailbox(to)
            if recipient is None:
                raise KeyError(f"No mailbox {to!r} on this server")
            return self.services.transport.deliver_mime(recipient, message, received_at)

    @property
    def outbound(self) -> list[OutboundMessage]:
        """Messages sent to addresses that have no mailbox here (they go nowhere else)."""
        return list(self.services.transport.outbound)
