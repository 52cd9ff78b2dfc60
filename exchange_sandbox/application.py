"""The WSGI application: EWS at /EWS/Exchange.asmx, autodiscover, and the loopback-only control
endpoint under /sandbox/ that tests and `liaison sandbox deliver --url` use.

Whatever goes wrong, the client gets an answer Exchange could have given (a SOAP fault, an HTTP
error page), never a Python traceback.
"""

from __future__ import annotations

import ipaddress
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs

from . import autodiscover
from .auth import authenticate_request, challenge_headers
from .context import Context
from .errors import EwsError, SoapFault, message_values, schema_violation
from .faults import DropConnection, Fault, FaultSwitchboard
from .mime import MimeError
from .model import Mailbox
from .operations import HANDLERS, STREAMING_HANDLERS
from .services import Services
from .soap import envelope, failure, fault, operation_response, read_request
from .store import Store
from .versions import ServerVersion
from .xmlkit import MESSAGES_NS, MalformedXml, local_name, namespace_of, parse_document

log = logging.getLogger(__name__)

StartResponse = Callable[[str, list[tuple[str, str]]], Any]
EWS_PATH = "/ews/exchange.asmx"
MAX_BODY_BYTES = 64 * 1024 * 1024

_IIS_503 = (
    b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"><HTML><HEAD><TITLE>Service Unavailable'
    b"</TITLE></HEAD><BODY><h2>Service Unavailable</h2><hr><p>HTTP Error 503. The service is"
    b" unavailable.</p></BODY></HTML>"
)
_ASPNET_500 = (
    b"<html><head><title>Runtime Error</title></head><body><span><H1>Server Error in '/EWS'"
    b" Application.<hr width=100% size=1 color=silver></H1><h2><i>Runtime Error</i></h2></span>"
    b"</body></html>"
)


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class EwsApplication:
    def __init__(
        self,
        store: Store,
        services: Services,
        version: ServerVersion,
        faults: FaultSwitchboard,
        base_url: Callable[[], str],
        hostname: str,
    ) -> None:
        self.store = store
        self.services = services
        self.version = version
        self.faults = faults
        self._base_url = base_url
        self._hostname = hostname

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "").lower()
        try:
            if path == EWS_PATH:
                return self._ews(environ, start_response)
            if path in ("/autodiscover/autodiscover.xml", "/autodiscover/autodiscover.svc"):
                return self._autodiscover(environ, start_response, path.endswith(".svc"))
            if path.startswith("/sandbox/"):
                return self._control(environ, start_response, path)
            return self._plain(start_response, "404 Not Found", b"Not Found")
        except DropConnection:
            raise
        except Exception:
            log.exception("Sandbox request failed")
            return self._plain(
                start_response, "500 Internal Server Error", _ASPNET_500, "text/html"
            )

    # --- responses ----------------------------------------------------------------------

    def _plain(
        self,
        start_response: StartResponse,
        status: str,
        body: bytes,
        content_type: str = "text/plain; charset=utf-8",
        extra: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
        start_response(status, headers + (extra or []))
        return [body]

    def _xml(self, start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
        return self._plain(start_response, status, body, "text/xml; charset=utf-8")

    def _unauthorized(
        self, start_response: StartResponse, challenges: list[tuple[str, str]] | None = None
    ) -> list[bytes]:
        return self._plain(
            start_response,
            "401 Unauthorized",
            b"401 - Unauthorized: Access is denied due to invalid credentials.",
            "text/html",
            challenges or challenge_headers(self._hostname),
        )

    def _authenticate(self, environ: dict[str, Any]) -> tuple[Mailbox | None, Any]:
        return authenticate_request(
            self.store,
            environ.get("HTTP_AUTHORIZATION"),
            environ.get("sandbox.connection", {}),
            self._hostname,
        )

    def _read_body(self, environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        return environ["wsgi.input"].read(min(length, MAX_BODY_BYTES)) if length > 0 else b""

    # --- EWS ----------------------------------------------------------------------------

    def _apply_fault(self, fault_taken: Fault, start_response: StartResponse) -> list[bytes]:
        if fault_taken.kind == "drop":
            raise DropConnection()
        if fault_taken.kind == "throttle":
            busy = SoapFault(
                "ErrorServerBusy",
                message_xml=message_values(BackOffMilliseconds=str(fault_taken.back_off_ms)),
            )
            return self._xml(start_response, "500 Internal Server Error", fault(busy))
        extra = [("Retry-After", str(fault_taken.retry_after))] if fault_taken.retry_after else []
        status = f"{fault_taken.status} {fault_taken.reason}"
        page = _IIS_503 if fault_taken.status == 503 else _ASPNET_500
        return self._plain(start_response, status, page, "text/html", extra)

    def _ews(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self.faults.latency_seconds and self.faults.wait_latency():
            raise DropConnection()
        fault_taken = self.faults.take()
        if fault_taken is not None:
            return self._apply_fault(fault_taken, start_response)
        body = self._read_body(environ)
        # One hold of the store from authentication to response, so that a reload of a store
        # another process changed cannot happen between the two.
        with self.store.writing():
            user, challenges = self._authenticate(environ)
            if user is None:
                return self._unauthorized(start_response, challenges)
            if environ.get("REQUEST_METHOD") != "POST":
                page = b"<html><body>You have created a service.</body></html>"
                return self._plain(start_response, "200 OK", page, "text/html")
            try:
                return self._soap(user, body, start_response)
            except SoapFault as error:
                return self._xml(start_response, "500 Internal Server Error", fault(error))

    def _soap(self, user: Mailbox, body: bytes, start_response: StartResponse) -> Iterable[bytes]:
        try:
            document = parse_document(body)
        except MalformedXml as error:
            raise schema_violation(f"The request is not well-formed XML: {error}") from error
        request = read_request(document, self.version)
        operation = request.operation
        name = local_name(operation)
        if namespace_of(operation) != MESSAGES_NS:
            raise SoapFault("ErrorInvalidRequest")
        impersonated = request.impersonated_address
        if impersonated and impersonated.casefold() != user.address.casefold():
            raise SoapFault(
                "ErrorImpersonateUserDenied", "The account does not have permission to impersonate."
            )
        self.faults.saw(name)
        failing = self.faults.take_for("soap", name)
        if failing is not None:
            raise SoapFault(failing.code)
        if self.faults.take_for("drop", name) is not None:
            raise DropConnection()
        context = Context(self.store, user, self.services, self.faults)
        streaming = STREAMING_HANDLERS.get(name)
        if streaming is not None:
            bodies = streaming(context, operation)
            first = next(bodies)
            start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8")])
            return self._stream(first, bodies)
        handler = HANDLERS.get(name)
        if handler is None:
            raise SoapFault("ErrorInvalidRequest")
        try:
            response = handler(context, operation)
        except EwsError as error:
            # A failure before the per-item loop (e.g. an unknown parent folder) fails the one
            # response message, as Exchange does.
            response = operation_response(name, [failure(name, error)])
        except SoapFault:
            raise
        except Exception as error:
            log.exception("EWS operation %s failed", name)
            raise SoapFault("ErrorInternalServerError") from error
        answer = self._xml(start_response, "200 OK", envelope(self.version, response))
        if self.faults.take_for("hold", name) is not None:
            # Given after the store is let go: the held answer blocks no other request.
            return self.faults.held(answer)
        return answer

    def _stream(self, first: str, rest: Iterator[str]) -> Iterator[bytes]:
        yield envelope(self.version, first)
        for body in rest:
            yield envelope(self.version, body)

    # --- autodiscover -------------------------------------------------------------------

    def _autodiscover(
        self, environ: dict[str, Any], start_response: StartResponse, soap: bool
    ) -> Iterable[bytes]:
        with self.store.writing():
            user, challenges = self._authenticate(environ)
        if user is None:
            return self._unauthorized(start_response, challenges)
        base = self._base_url()
        endpoints = autodiscover.Endpoints(
            ews_url=f"{base}/EWS/Exchange.asmx",
            hostname=self._hostname,
            version=self.version,
        )
        body = self._read_body(environ)
        with self.store.writing():
            directory = autodiscover.Directory(
                dict(self.store.mailboxes), dict(self.store.redirects)
            )
        if soap:
            answer = autodiscover.soap_response(endpoints, body, directory, user)
            if answer is None:
                return self._xml(
                    start_response,
                    "500 Internal Server Error",
                    fault(SoapFault("ErrorInvalidRequest")),
                )
            return self._xml(start_response, "200 OK", answer)
        return self._xml(
            start_response, "200 OK", autodiscover.pox_response(endpoints, body, directory, user)
        )

    # --- control ------------------------------------------------------------------------

    def _control(
        self, environ: dict[str, Any], start_response: StartResponse, path: str
    ) -> Iterable[bytes]:
        if not _is_loopback(environ.get("REMOTE_ADDR", "")):
            return self._plain(
                start_response, "403 Forbidden", b"The control endpoint is loopback-only."
            )
        query = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = self._read_body(environ)
        if path == "/sandbox/deliver" and environ.get("REQUEST_METHOD") == "POST":
            return self._control_deliver(start_response, query, body)
        if path == "/sandbox/faults" and environ.get("REQUEST_METHOD") == "POST":
            return self._control_faults(start_response, body)
        if path == "/sandbox/mailboxes":
            with self.store.writing():
                listing = [
                    {"address": m.address, "name": m.display_name}
                    for m in self.store.mailboxes.values()
                ]
            return self._plain(
                start_response, "200 OK", json.dumps(listing).encode(), "application/json"
            )
        return self._plain(start_response, "404 Not Found", b"Unknown control request")

    def _control_deliver(
        self, start_response: StartResponse, query: dict[str, str], body: bytes
    ) -> Iterable[bytes]:
        address = query.get("to", "")
        with self.store.writing():
            recipient = self.store.mailbox(address)
            if recipient is None:
                message = f"No mailbox {address!r} on this server.".encode()
                return self._plain(start_response, "404 Not Found", message)
            try:
                item = self.services.transport.deliver_mime(recipient, body)
            except MimeError as error:
                return self._plain(
                    start_response, "400 Bad Request", f"Not a message: {error}".encode()
                )
            subject = item.props.get("Subject", "")
        answer = json.dumps({"delivered_to": recipient.address, "subject": subject}).encode()
        return self._plain(start_response, "200 OK", answer, "application/json")

    def _control_faults(self, start_response: StartResponse, body: bytes) -> Iterable[bytes]:
        try:
            spec = json.loads(body or b"{}")
            kind = spec.get("kind")
            count = int(spec.get("count", 1))
            if kind == "throttle":
                self.faults.throttle(count, int(spec.get("back_off_ms", 200)))
            elif kind == "http":
                retry_after = spec.get("retry_after")
                self.faults.fail_http(count, int(spec.get("status", 503)), retry_after)
            elif kind == "drop":
                self.faults.drop_connections(count)
            elif kind == "soap":
                code = str(spec.get("code", "ErrorInternalServerError"))
                self.faults.fail_soap(count, code, spec.get("operation"))
            elif kind == "latency":
                self.faults.add_latency(float(spec.get("seconds", 0)))
            elif kind == "reset":
                self.faults.reset()
            else:
                raise ValueError(f"unknown fault kind {kind!r}")
        except (ValueError, TypeError, AttributeError) as error:
            return self._plain(start_response, "400 Bad Request", str(error).encode())
        return self._plain(start_response, "200 OK", b'{"ok": true}', "application/json")
