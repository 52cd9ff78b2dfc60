"""`liaison account test`: check, in order, what has to work for sync, and say what failed.

DNS (the server's name resolves), TLS (a connection, and a certificate we can verify), the
credentials (the server accepts them), the mailbox (the user may open it) and the server
version. Each check is one line; the first failure stops the rest and its line says what to do.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urlsplit

import dns.resolver
import requests

from app.accounts import AccountSettings
from app.sync.backend import Check, CheckListener, DistinguishedFolder, SecretSource
from app.sync.errors import (
    AuthenticationFailed,
    CertificateProblem,
    MailboxAccessDenied,
    SyncError,
)
from app.sync.ews.backend import EwsBackend
from app.sync.ews.connect import (
    Connection,
    RetrySettings,
    connect,
    first_contact,
    parse_build,
)

CHECK_TIMEOUT = 10.0
OLDEST_SUPPORTED = (14, 1)  # Exchange 2010 SP1


class _Failed(Exception):
    def __init__(self, detail: str, advice: str, check: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.advice = advice
        self.check = check  # the check that failed, when not the one running


def run_checks(
    account: AccountSettings,
    secret: SecretSource,
    on_check: CheckListener | None = None,
    resolver: dns.resolver.Resolver | None = None,
) -> tuple[list[Check], str | None]:
    """Every check up to the first failure; and the server build when it was found.
    `resolver` answers autodiscover's DNS questions (default: the system's DNS)."""
    results: list[Check] = []
    state = _State(account, secret, resolver)
    for check in state.checks():
        results.append(check)
        if on_check is not None:
            on_check(check)
        if not check.ok:
            break
    state.close()
    return results, state.build


class _State:
    def __init__(
        self, account: AccountSettings, secret: SecretSource, resolver: dns.resolver.Resolver | None
    ) -> None:
        self.account = account
        self.secret = secret
        self.resolver = resolver
        self.connection: Connection | None = None
        self.build: str | None = None

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()

    def checks(self) -> Iterator[Check]:
        for name, step in (
            ("DNS", self._dns),
            ("TLS", self._tls),
            ("Credentials", self._credentials),
            ("Mailbox", self._mailbox),
            ("Server version", self._version),
        ):
            try:
                yield Check(name, True, step())
            except _Failed as failure:
                yield Check(failure.check or name, False, failure.detail, failure.advice)
                return

    def _endpoint(self) -> tuple[str, str, int]:
        url = self.account.server_url or self._connect().account.protocol.service_endpoint
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return parts.scheme, parts.hostname or "", port

    def _dns(self) -> str:
        if self.account.server_url is None:
            domain = self.account.address.rsplit("@", 1)[-1]
            try:
                self._connect()
            except _Failed as failure:
                if failure.check is not None:
                    raise
                raise _Failed(
                    f"autodiscover found no server for {domain}: {failure.detail}",
                    "give the server explicitly: liaison account add ADDRESS --server URL",
                ) from None
        _, host, port = self._endpoint()
        try:
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise _Failed(
                f"{host} does not resolve ({exc.strerror})",
                "check the server name, your network and VPN",
            ) from None
        resolved = f"{host} is {addresses[0][4][0]}"
        if self.account.server_url is None:
            found = self._connect().account.protocol.service_endpoint
            return f"autodiscover found {found}; {resolved}"
        return resolved

    def _tls(self) -> str:
        scheme, host, port = self._endpoint()
        try:
            with socket.create_connection((host, port), timeout=CHECK_TIMEOUT) as raw:
                if scheme != "https":
                    return f"not used: plain HTTP to {host}:{port} (acceptable on loopback only)"
                context = ssl.create_default_context(cafile=_trusted_authorities(host))
                if not self.account.verify_tls:
                    context.check_hostname = False
                    context.verify_mode = ssl.CERT_NONE
                with context.wrap_socket(raw, server_hostname=host) as wrapped:
                    version = wrapped.version()
        except ssl.SSLCertVerificationError as exc:
            raise _Failed(
                f"the certificate of {host} cannot be verified ({exc.verify_message})",
                "install the certificate of the authority that issued it; only for a server "
                "you trust: liaison account add ... --no-verify-tls",
            ) from None
        except ssl.SSLError as exc:
            raise _Failed(
                f"TLS with {host} failed ({exc.reason})", "check the server URL"
            ) from None
        except OSError as exc:
            raise _Failed(
                f"nothing answers at {host}:{port} ({exc.strerror or exc})",
                "check that the server is up and the URL and port are right",
            ) from None
        if not self.account.verify_tls:
            return f"{version}, certificate NOT verified (turned off for this server)"
        return f"{version}, certificate verified"

    def _connect(self) -> Connection:
        if self.connection is None:
            try:
                # Without the remembered build, so the first request checks the credentials.
                self.connection = connect(
                    replace(self.account, server_build=None),
                    self.secret,
                    RetrySettings(max_wait=5, first_retry=0.5, timeout=CHECK_TIMEOUT),
                    resolver=self.resolver,
                )
            except AuthenticationFailed as exc:
                # Autodiscover found the server, and the server refused the credentials.
                raise _Failed(str(exc), _advice(exc), check="Credentials") from None
            except SyncError as exc:
                raise _Failed(str(exc), _advice(exc)) from None
        return self.connection

    def _credentials(self) -> str:
        connection = self._connect()
        try:
            self.build = first_contact(connection)
        except SyncError as exc:
            raise _Failed(str(exc), _advice(exc)) from None
        return f"accepted for {self.account.username}"

    def _mailbox(self) -> str:
        backend = EwsBackend(self._connect())
        try:
            folders = backend.distinguished_folders()
        except SyncError as exc:
            raise _Failed(str(exc), _advice(exc)) from None
        inbox = folders.get(DistinguishedFolder.INBOX)
        if inbox is None:
            raise _Failed(
                f"{self.account.address} has no Inbox the user may open",
                "check the address and that the user may open this mailbox",
            )
        return f"{self.account.address}: Inbox with {inbox.total_count} items"

    def _version(self) -> str:
        connection = self._connect()
        build = self.build or connection.server_build or ""
        found = f"{connection.server_name} (build {build})"
        parsed = parse_build(build)
        if parsed is None or (parsed.major_version, parsed.minor_version) < OLDEST_SUPPORTED:
            raise _Failed(
                f"{found} is older than Liaison supports: it needs Exchange 2010 SP1 or later "
                "(conversation ids, streaming notifications)",
                "ask the administrator which newer server (or Exchange Online) has the mailbox",
            )
        return found


def _advice(exc: SyncError) -> str:
    if isinstance(exc, AuthenticationFailed):
        return (
            "check the user name and password, then: liaison account add ADDRESS --password-stdin"
        )
    if isinstance(exc, CertificateProblem):
        return "install the issuing authority's certificate, or use --no-verify-tls"
    if isinstance(exc, MailboxAccessDenied):
        return "check the address and that this user may open the mailbox"
    return "check that the server is up and the URL is right, then try again"


def _trusted_authorities(host: str) -> str:
    """The CA bundle sync's own requests will trust for this host (requests' bundle, or the
    one REQUESTS_CA_BUNDLE names), so the check and sync never disagree."""
    verify = requests.Session().merge_environment_settings(f"https://{host}/", {}, None, True, None)
    chosen = verify.get("verify")
    return chosen if isinstance(chosen, str) else requests.certs.where()
