"""Graph's side of HTTP: a request as handlers see it, their answers, and Graph's error bodies.

Graph answers errors as `{"error": {"code", "message", "innerError": {...}}}` with codes of its
own (InvalidAuthenticationToken, ErrorItemNotFound, syncStateNotFound, ...); handlers raise
GraphError and the application renders it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..faults import FaultSwitchboard
from ..model import Mailbox
from ..services import Services
from ..store import Store

JSON_TYPE = "application/json; odata.metadata=minimal; odata.streaming=true; charset=utf-8"
_REASONS = {
    200: "OK",
    201: "Created",
    202: "Accepted",
    204: "No Content",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    412: "Precondition Failed",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def reason(status: int) -> str:
    return f"{status} {_REASONS.get(status, 'Error')}"


class GraphError(Exception):
    """An error answer: HTTP status, Graph's error code and its message."""

    def __init__(
        self, status: int, code: str, message: str, headers: list[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or []


def not_found(what: str = "The specified object was not found in the store.") -> GraphError:
    return GraphError(404, "ErrorItemNotFound", what)


def bad_request(message: str, code: str = "BadRequest") -> GraphError:
    return GraphError(400, code, message)


@dataclass
class GraphResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(
    value: Any, status: int = 200, headers: list[tuple[str, str]] | None = None
) -> GraphResponse:
    return GraphResponse(status, json.dumps(value).encode("utf-8"), JSON_TYPE, headers or [])


def no_content() -> GraphResponse:
    return GraphResponse(204, b"", "")


def error_body(code: str, message: str, client_request_id: str | None = None) -> bytes:
    request_id = str(uuid.uuid4())
    inner = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "request-id": request_id,
        "client-request-id": client_request_id or request_id,
    }
    return json.dumps({"error": {"code": code, "message": message, "innerError": inner}}).encode()


@dataclass
class GraphRequest:
    """One request to a Graph endpoint, for the mailbox its token names."""

    method: str
    path: str  # after /v1.0, as sent (ids are case-sensitive)
    query: dict[str, str]
    body: bytes
    headers: dict[str, str]  # lower-case names
    mailbox: Mailbox
    store: Store
    services: Services
    base_url: str  # https://host:port/v1.0
    # The application's own dispatch: $batch runs each of its requests through it.
    dispatch: Callable[[str, str, dict[str, str], bytes, dict[str, str]], GraphResponse]
    # The server's fault switchboard ($batch fails the requests inside it that it names).
    faults: FaultSwitchboard | None = None

    def json(self) -> dict[str, Any]:
        if not self.body:
            return {}
        try:
            value = json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise bad_request(f"Unable to read JSON request payload: {error}") from error
        if not isinstance(value, dict):
            raise bad_request("The request payload must be a JSON object.")
        return value
