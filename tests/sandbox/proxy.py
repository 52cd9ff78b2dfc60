"""An HTTP proxy on loopback that stands in for the internet in autodiscover tests.

exchangelib's autodiscovery talks to https://HOST/ (port 443) and http://HOST/ (port 80) of the
mail domain. A test cannot listen on those ports, but it can send exchangelib's requests through
a proxy (HTTPS_PROXY, HTTP_PROXY), and this proxy connects each host and port to a loopback port:
CONNECT tunnels for https, forwarded requests for plain http, 502 for a host and port with no
route (nothing listens there). `seen` records what was asked for, in order.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import socketserver
import threading
from types import TracebackType
from urllib.parse import urlsplit

import pytest

Routes = dict[tuple[str, int], int]  # (host, port asked for) -> port on 127.0.0.1
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


def proxy_environment(monkeypatch: pytest.MonkeyPatch, **settings: str) -> None:
    """The proxy variables as on a machine that sets only these (each name in either case
    unset first, whatever the machine running the tests has)."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name, value in settings.items():
        monkeypatch.setenv(name, value)


def _read_head(connection: socket.socket) -> tuple[bytes, bytes]:
    """The request line and headers, and whatever of the body came with them."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head, rest


def _pipe(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    with selectors.DefaultSelector() as selector:
        selector.register(one, selectors.EVENT_READ, other)
        selector.register(other, selectors.EVENT_READ, one)
        while True:
            for key, _ in selector.select(timeout=30):
                source: socket.socket = key.fileobj  # type: ignore[assignment]
                data = source.recv(65536)
                if not data:
                    return
                key.data.sendall(data)


class _Handler(socketserver.BaseRequestHandler):
    server: _ProxyServer

    def handle(self) -> None:
        head, rest = _read_head(self.request)
        request_line, _, headers = head.partition(b"\r\n")
        method, target, version = request_line.decode("latin-1").split(" ", 2)
        if method == "CONNECT":
            host, _, port = target.rpartition(":")
            self._tunnel(host, int(port))
        else:
            self._forward(method, target, version, headers, rest)

    def _route(self, description: str, host: str, port: int) -> socket.socket | None:
        self.server.seen.append(description)
        local = self.server.routes.get((host.lower(), port))
        if local is None:
            self.request.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return None
        return socket.create_connection(("127.0.0.1", local))

    def _tunnel(self, host: str, port: int) -> None:
        upstream = self._route(f"CONNECT {host}:{port}", host, port)
        if upstream is None:
            return
        with upstream:
            self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            _pipe(self.request, upstream)

    def _forward(self, method: str, target: str, version: str, headers: bytes, body: bytes) -> None:
        url = urlsplit(target)
        upstream = self._route(f"{method} {target}", url.hostname or "", url.port or 80)
        if upstream is None:
            return
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        kept = [
            line
            for line in headers.split(b"\r\n")
            if line and not line.lower().startswith((b"connection:", b"proxy-connection:"))
        ]
        request = f"{method} {path} {version}\r\n".encode("latin-1")
        request += b"\r\n".join([*kept, b"Connection: close"]) + b"\r\n\r\n" + body
        with upstream:
            upstream.sendall(request)
            _pipe(upstream, self.request)


class _ProxyServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: Routes) -> None:
        self.routes = {(host.lower(), port): local for (host, port), local in routes.items()}
        self.seen: list[str] = []
        super().__init__(("127.0.0.1", 0), _Handler)


class LoopbackProxy:
    def __init__(self, routes: Routes) -> None:
        self._server = _ProxyServer(routes)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def seen(self) -> list[str]:
        return list(self._server.seen)

    def __enter__(self) -> LoopbackProxy:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        with contextlib.suppress(OSError):
            self._server.server_close()
        self._thread.join(timeout=5)
