"""The Graph sandbox's WSGI application: Microsoft Graph v1.0 under /v1.0, over the same mailbox
store the EWS endpoint serves, so one mailbox is seen through both protocols.

Every request needs `Authorization: Bearer <token>` with a token from the TokenBook; the fault
switchboard the EWS side uses applies here too, in Graph's terms (throttling is 429 with
Retry-After; a held answer names its request as "METHOD /path", e.g. "POST /me/messages/*/send").
Whatever goes wrong, the client gets a Graph error body, never a traceback.
"""

from __future__ import annotations

import logging
import math
import threading
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, unquote

from ..errors import EwsError
from ..faults import DropConnection, Fault, FaultSwitchboard
from ..services import Services
from ..store import Store
from . import routes
from .tokens import TokenBook
from .wire import GraphError, GraphRequest, GraphResponse, error_body, reason

log = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
PREFIX = "/v1.0"
MAX_BODY_BYTES = 150 * 1024 * 1024
REQUESTS_KEPT = 20_000

# EWS response codes the shared store raises, as Graph reports them.
_EWS_TO_GRAPH = {
    "ErrorItemNotFound": (404, "ErrorItemNotFound"),
    "ErrorFolderNotFound": (404, "ErrorItemNotFound"),
    "ErrorInvalidIdMalformed": (400, "ErrorInvalidIdMalformed"),
    "ErrorMessageSizeExceeded": (413, "ErrorMessageSizeExceeded"),
    "ErrorQuotaExceeded": (507, "ErrorQuotaExceeded"),
}


class GraphApplication:
    def __init__(
        self,
        store: Store,
        services: Services,
        faults: FaultSwitchboard,
        tokens: TokenBook,
        base_url: Callable[[], str],
    ) -> None:
        self.store = store
        self.services = services
        self.faults = faults
        self.tokens = tokens
        self._base_url = base_url
        # The latest requests answered (those inside a $batch one by one): method, path and
        # query, for tests that check what a client asked for; bounded, for a long `serve`.
        self.requests_seen: deque[tuple[str, str, dict[str, str]]] = deque(maxlen=REQUESTS_KEPT)
        # Whether the answer of the HTTP request this thread serves is to be held (set by the
        # request, or by one inside its $batch, once carried out).
        self._hold = threading.local()
        # Importing the handler modules registers their routes.
        from . import endpoints  # noqa: F401

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        client_request_id = environ.get("HTTP_CLIENT_REQUEST_ID")
        self._hold.wanted = False
        try:
            response = self._answer(environ)
        except DropConnection:
            raise
        except GraphError as error:
            response = GraphResponse(
                error.status,
                error_body(error.code, error.message, client_request_id),
                "application/json",
                error.headers,
            )
        except Exception:
            log.exception("Graph sandbox request failed")
            response = GraphResponse(
                500,
                error_body("generalException", "An internal server error occurred."),
                "application/json",
            )
        headers = list(response.headers)
        if response.content_type:
            headers.append(("Content-Type", response.content_type))
        headers.append(("Content-Length", str(len(response.body))))
        if client_request_id:
            headers.append(("client-request-id", client_request_id))
        start_response(reason(response.status), headers)
        if self._hold.wanted:
            # Given after the store is let go: the held answer blocks no other request.
            return self.faults.held([response.body])
        return [response.body]

    def _answer(self, environ: dict[str, Any]) -> GraphResponse:
        if self.faults.latency_seconds and self.faults.wait_latency():
            raise DropConnection()
        fault = self.faults.take()
        if fault is not None:
            raise _as_graph_error(fault)
        path = unquote(environ.get("PATH_INFO", ""))[len(PREFIX) :] or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        body = _read_body(environ)
        headers = {
            key[5:].replace("_", "-").lower(): value
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        return self.dispatch(method, path, query, body, headers)

    def dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: bytes,
        headers: dict[str, str],
    ) -> GraphResponse:
        """One request, authenticated by its bearer token (also each request of a $batch)."""
        address = self._bearer(headers.get("authorization", ""))
        self.requests_seen.append((method, path, query))
        handler, params = routes.find(method, path.rstrip("/") or "/")
        if self.faults.take_for("drop", f"{method} {path}") is not None:
            raise DropConnection()
        with self.store.writing():
            mailbox = self.store.mailbox(address)
            if mailbox is None:
                raise _unauthenticated("The token's user has no mailbox on this server.")
            request = GraphRequest(
                method=method,
                path=path,
                query=query,
                body=body,
                headers=headers,
                mailbox=mailbox,
                store=self.store,
                services=self.services,
                base_url=self._base_url() + PREFIX,
                dispatch=self.dispatch,
                faults=self.faults,
            )
            try:
                answer = handler(request, **params)
            except EwsError as error:
                status, code = _EWS_TO_GRAPH.get(error.code, (400, error.code))
                raise GraphError(status, code, error.text) from error
        if self.faults.take_for("hold", f"{method} {path}") is not None:
            self._hold.wanted = True
        return answer

    def _bearer(self, authorization: str) -> str:
        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthenticated("Access token is empty.")
        address = self.tokens.address_for(token.strip())
        if address is None:
            raise _unauthenticated("Lifetime validation failed, the token is expired.")
        return address


def _unauthenticated(message: str) -> GraphError:
    return GraphError(
        401,
        "InvalidAuthenticationToken",
        message,
        [("WWW-Authenticate", 'Bearer realm="", error="invalid_token"')],
    )


def _as_graph_error(fault: Fault) -> Exception:
    """A fault of the switchboard as Graph's front end gives it."""
    if fault.kind == "drop":
        return DropConnection()
    if fault.kind == "throttle":
        seconds = max(1, math.ceil(fault.back_off_ms / 1000))
        return GraphError(
            429,
            "TooManyRequests",
            "Application is over its MailboxConcurrency limit.",
            [("Retry-After", str(seconds))],
        )
    headers = [("Retry-After", str(fault.retry_after))] if fault.retry_after else []
    codes = {429: "TooManyRequests", 503: "serviceNotAvailable", 504: "UnknownError"}
    code = codes.get(fault.status, "generalException")
    return GraphError(fault.status, code, fault.reason, headers)


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(min(length, MAX_BODY_BYTES)) if length > 0 else b""
