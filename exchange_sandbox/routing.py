"""One WSGI application over several: requests go by the first segment of their path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def not_found(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """What a server that does not offer a protocol answers for its paths."""
    body = b"Not Found"
    start_response(
        "404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))]
    )
    return [body]


class PathRouter:
    """Requests whose path starts with a registered prefix go to its application, the rest to
    `default` (EWS, autodiscover and the control endpoint)."""

    def __init__(self, default: WsgiApp) -> None:
        self.default = default
        self._routes: list[tuple[str, WsgiApp]] = []

    def mount(self, prefix: str, app: WsgiApp) -> None:
        self._routes.append((prefix.lower(), app))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "").lower()
        for prefix, app in self._routes:
            if path == prefix or path.startswith(prefix + "/"):
                return app(environ, start_response)
        return self.default(environ, start_response)
