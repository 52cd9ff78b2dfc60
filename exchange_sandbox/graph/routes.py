"""The table of Graph endpoints: method and path pattern to handler.

Handler modules register with `route`; the application finds the first match. Path patterns are
regular expressions over the path after /v1.0, with named groups for the ids they carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .wire import GraphError, GraphResponse

Handler = Callable[..., GraphResponse]


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


ROUTES: list[Route] = []
_KEY = re.compile(r"\('((?:[^']|'')*)'\)")


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for `method` on paths matching `pattern` (anchored both ends)."""

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, re.compile(f"^{pattern}$", re.IGNORECASE), handler))
        return handler

    return register


def find(method: str, path: str) -> tuple[Handler, dict[str, str]]:
    """The handler for this request and its path parameters; Graph's errors for a path no
    endpoint has, or one without this method."""
    # OData's key syntax names the same entity: /me/mailFolders('ID')/messages is
    # /me/mailFolders/ID/messages.
    path = _KEY.sub(lambda key: "/" + key.group(1).replace("''", "'"), path)
    path_known = False
    for candidate in ROUTES:
        match = candidate.pattern.match(path)
        if match is None:
            continue
        if candidate.method == method:
            return candidate.handler, match.groupdict()
        path_known = True
    if path_known:
        raise GraphError(405, "MethodNotAllowed", f"{method} is not allowed on '{path}'.")
    raise GraphError(400, "BadRequest", f"Resource not found for the segment '{path}'.")
