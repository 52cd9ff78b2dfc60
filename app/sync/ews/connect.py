"""From account settings to a working exchangelib connection, and exchangelib's errors in words.

Choices that matter (DESIGN.md, "Known traps"):
- The access type is passed explicitly (delegate), the server build is passed when known so no
  request is spent guessing it, and the pool has a connection for each thread a sync asks the
  server from at once (the pull, its read-ahead, two batches of marks beside it) and streaming
  notifications hold one between syncs: a thread left waiting for a connection would spend
  its request's time budget on the wait.
- exchangelib's own FaultTolerance treats HTTP 401 as "server busy" and retries for up to an hour.
  `BoundedRetry` answers 401 with an authentication error at once, waits for a busy server only
  as long as the server asks (BackOffMilliseconds, or Retry-After on HTTP 429 and 503) and only
  up to a budget per operation, and wakes up when sync is cancelled. The budget is a deadline
  that counts the time spent waiting for answers too: no request waits on its socket past it,
  so a server that stops answering is given up within the budget. The first contact fails fast.
- Each connection keeps its own exchangelib Protocol, taken out of exchangelib's process-wide
  cache, so two clients in one process never share sessions or a retry policy.
- Without a server URL, app.sync.ews.discover finds it by autodiscover. TLS verification is off
  only for the hosts of an account whose user turned it off. An OAuth token the server refuses
  is renewed once through the app's callback before sync gives up and asks the user.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import ipaddress
import os
import re
import threading
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import dns.resolver
import requests
import urllib3
from exchangelib import DELEGATE, Account, Build, Configuration, Credentials, Version
from exchangelib import errors as ews_errors
from exchangelib.credentials import OAuth2AuthorizationCodeCredentials
from exchangelib.protocol import BaseProtocol, Protocol, RetryPolicy
from exchangelib.transport import BASIC, NTLM, OAUTH2
from oauthlib.oauth2 import OAuth2Error, OAuth2Token, TokenExpiredError

from app import __version__
from app.accounts import AccountError, AccountSettings, AuthKind
from app.sync.backend import SecretSource
from app.sync.errors import (
    AuthenticationFailed,
    CertificateProblem,
    ChangeConflict,
    FolderGone,
    InvalidSyncState,
    ItemGone,
    MailboxAccessDenied,
    MessageTooLarge,
    ServerFailure,
    ServerUnreachable,
    SyncError,
)
from app.sync.ews.discover import discover
from app.sync.http_environment import settle
from app.sync.retry import BackOffListener, RetryBudget, time_left

BaseProtocol.USERAGENT = f"Liaison/{__version__}"

_AUTH_TYPES = {AuthKind.BASIC: BASIC, AuthKind.NTLM: NTLM, AuthKind.OAUTH: OAUTH2}


# The threads a sync asks the server from at once: the pull, its read-ahead, two batches of marks.
SYNC_CONNECTIONS = 4


@dataclass(frozen=True, slots=True)
class RetrySettings:
    """How long to wait for a server that is busy, slow or gone."""

    max_wait: float = 60.0  # longest one operation waits in total before the server counts as gone
    first_retry: float = 2.0  # wait before the first retry when the server gives no hint
    timeout: float = 60.0  # one HTTP request
    connections: int = SYNC_CONNECTIONS


class _UnverifiedHosts:
    """Hosts whose certificate the user chose not to verify; every other host is verified."""

    def __init__(self) -> None:
        self._hosts: set[str] = set()
        self._lock = threading.Lock()

    def set(self, host: str, verify: bool) -> None:
        with self._lock:
            if verify:
                self._hosts.discard(host.lower())
            else:
                self._hosts.add(host.lower())
                # The user was warned once, when turning verification off; urllib3 would
                # repeat it on every request to this host.
                warnings.filterwarnings(
                    "ignore",
                    message=f".*to host '{re.escape(host)}'",
                    category=urllib3.exceptions.InsecureRequestWarning,
                )

    def skips(self, url: str) -> bool:
        host = requests.utils.urlparse(url).hostname or ""
        return host.lower() in self._hosts


UNVERIFIED_HOSTS = _UnverifiedHosts()


class _PerHostVerifyAdapter(requests.adapters.HTTPAdapter):
    """exchangelib's adapter is process-wide; this one turns verification off per host only,
    and keeps a request from waiting on its socket past the budget of its operation."""

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # type: ignore[no-untyped-def]
        left = time_left()
        if left is not None:
            if left <= 0:
                raise requests.exceptions.ConnectTimeout("No time left for this request")
            timeout = _within(timeout, left)
        return super().send(request, stream, timeout, verify, cert, proxies)

    def cert_verify(self, conn, url, verify, cert):  # type: ignore[no-untyped-def]
        super().cert_verify(conn, url, False if UNVERIFIED_HOSTS.skips(url) else verify, cert)

    def get_connection_with_tls_context(self, request, verify, proxies=None, cert=None):  # type: ignore[no-untyped-def]
        if UNVERIFIED_HOSTS.skips(request.url):
            verify = False
        return super().get_connection_with_tls_context(request, verify, proxies=proxies, cert=cert)


BaseProtocol.HTTP_ADAPTER_CLS = _PerHostVerifyAdapter
_STOCK_RAW_SESSION = BaseProtocol.raw_session.__func__


def _settled_session(  # type: ignore[no-untyped-def]
    cls, prefix, oauth2_client=None, oauth2_session_params=None, oauth2_token_endpoint=None
):
    """exchangelib's session, with the environment's proxies and CA bundle read once."""
    session = _STOCK_RAW_SESSION(
        cls, prefix, oauth2_client, oauth2_session_params, oauth2_token_endpoint
    )
    settle(session, prefix, *filter(None, [oauth2_token_endpoint]))
    return session


BaseProtocol.raw_session = classmethod(_settled_session)


def _within(timeout: object, limit: float) -> object:
    """A requests timeout (seconds, or connect and read seconds) cut down to `limit`."""
    if isinstance(timeout, tuple):
        return tuple(limit if part is None else min(float(part), limit) for part in timeout)
    if isinstance(timeout, int | float):
        return min(float(timeout), limit)
    return limit


class BoundedRetry(RetryBudget, RetryPolicy):
    """Retry a busy or unreachable server within a budget; never retry bad credentials.

    The budget is a deadline per operation (see `RetryBudget.operation()`), so a long sync
    through a throttling server keeps going as long as each request gets through in the end,
    and no request waits on its socket past it (the HTTP adapter cuts its timeouts down).
    """

    def __init__(
        self,
        settings: RetrySettings,
        fail_fast: bool = False,
        cancel: threading.Event | None = None,
        on_back_off: BackOffListener | None = None,
    ) -> None:
        super().__init__(settings.max_wait, settings.first_retry, cancel, on_back_off)
        self.settings = settings
        self._fail_fast = fail_fast
        # For OAuth: ask the app for a new access token; True when it gave a different one.
        self.renew_token: Callable[[], bool] | None = None

    @property
    def fail_fast(self) -> bool:
        return self._fail_fast

    @fail_fast.setter
    def fail_fast(self, value: bool) -> None:
        self._fail_fast = value

    @property
    def back_off_until(self) -> datetime.datetime | None:
        # The wait happens in back_off(), where a cancel can cut it short; exchangelib's own
        # sleep before each request would not wake up.
        return None

    @back_off_until.setter
    def back_off_until(self, value: datetime.datetime | None) -> None:
        return None

    def raise_response_errors(self, response: requests.Response) -> None:
        if response.status_code == 401:
            if self.renew_token is not None and self.renew_token():
                # exchangelib retries at once on a new session, which carries the new token.
                raise TokenExpiredError("The server refused the access token; renewed")
            # Exchange may send 401 to throttle, but a wrong password does too, and waiting an
            # hour on a wrong password is worse than asking the user once too often.
            raise ews_errors.UnauthorizedError(f"Invalid credentials for {response.url}")
        if response.status_code in (429, 503):
            # Throttled by a front end or a load balancer: wait as long as it asks (Retry-After),
            # as for ErrorServerBusy; exchangelib's own policy would not look.
            raise ews_errors.ErrorServerBusy(
                f"HTTP {response.status_code}", back_off=_retry_after(response)
            )
        super().raise_response_errors(response)


def _retry_after(response: requests.Response) -> float | None:
    """The Retry-After header in seconds (it may be a number or an HTTP date); None without."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return max(0.0, (moment - datetime.datetime.now(datetime.UTC)).total_seconds())


class _RefreshingToken(OAuth2AuthorizationCodeCredentials):
    """An OAuth 2 bearer token that asks the app for a fresh one when the server rejects it.

    The source is the app's callback (the keyring, where a sign-in or a refresh grant put the
    latest token). A token the server already refused is never sent twice: when the callback
    has nothing newer, the refusal stands and sync asks the user.
    """

    def __init__(self, source: SecretSource) -> None:
        super().__init__(access_token=_token(source()))
        self._source = source

    def refresh(self, session: object) -> None:
        self.renew()

    def renew(self) -> bool:
        with self.lock:
            try:
                fresh = self._source()
            except AccountError:
                return False  # no token at all now: the refusal stands, and says what to do
            if fresh == self.access_token["access_token"]:
                return False
            self.access_token = _token(fresh)
            return True


def _token(text: str) -> OAuth2Token:
    return OAuth2Token({"access_token": text, "token_type": "Bearer"})


@dataclass
class Connection:
    """An exchangelib Account of our own, with the retry policy that governs it."""

    account: Account
    policy: BoundedRetry
    settings: AccountSettings
    _closed: bool = field(default=False, repr=False)

    @property
    def server_build(self) -> str | None:
        build = self.account.version.build if self.account.version else None
        return str(build) if build else None

    @property
    def server_name(self) -> str:
        return self.account.version.fullname if self.account.version else "unknown"

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.account.protocol.close()


def parse_build(text: str | None) -> Build | None:
    if not text:
        return None
    try:
        numbers = [int(part) for part in text.split(".")]
    except ValueError:
        return None
    if len(numbers) < 2:
        return None
    return Build(*numbers[:4])


def connect(
    settings: AccountSettings,
    secret: SecretSource,
    retry: RetrySettings | None = None,
    cancel: threading.Event | None = None,
    on_back_off: BackOffListener | None = None,
    resolver: dns.resolver.Resolver | None = None,
) -> Connection:
    """A connection; sends no request when the server URL and build are known. Without a
    server URL, autodiscover finds it first (asking `resolver`, default the system's DNS)."""
    retry = retry or RetrySettings()
    policy = BoundedRetry(retry, fail_fast=False, cancel=cancel, on_back_off=on_back_off)
    credentials = _credentials(settings, secret)
    if isinstance(credentials, _RefreshingToken):
        policy.renew_token = credentials.renew
    auth_type = _AUTH_TYPES[settings.auth]
    build = parse_build(settings.server_build)
    version = Version(build=build) if build else None
    endpoint = settings.server_url
    with translate_errors():
        if endpoint is None:

            def trust(url: str) -> None:
                UNVERIFIED_HOSTS.set(_url_host(url), settings.verify_tls)

            endpoint = discover(settings.address, credentials, auth_type, resolver, trust)
        UNVERIFIED_HOSTS.set(_url_host(endpoint), settings.verify_tls)
        if settings.auth is AuthKind.OAUTH:
            _allow_token_over(endpoint)
        config = Configuration(
            credentials=credentials,
            service_endpoint=endpoint,
            auth_type=auth_type,
            version=version,
            retry_policy=policy,
            max_connections=max(retry.connections, SYNC_CONNECTIONS),
        )
        _forget_cached_protocol(config)
        account = Account(
            settings.address,
            access_type=DELEGATE,
            config=config,
            default_timezone=_utc(),
        )
        # Ours alone from now on: the next client in this process builds its own.
        _forget_cached_protocol(config)
    protocol = account.protocol
    protocol.TIMEOUT = retry.timeout
    protocol.RETRY_WAIT = retry.first_retry
    return Connection(account, policy, settings)


def first_contact(connection: Connection) -> str:
    """Ask the server for its version (and so check the credentials), failing fast; the build."""
    policy = connection.policy
    policy.fail_fast = True
    try:
        with translate_errors():
            version = connection.account.protocol.version
            connection.account.version = version.copy()
    finally:
        policy.fail_fast = False
    return str(version.build)


def _credentials(settings: AccountSettings, secret: SecretSource) -> object:
    if settings.auth is AuthKind.OAUTH:
        return _RefreshingToken(secret)
    return Credentials(settings.username, secret())


def _forget_cached_protocol(config: Configuration) -> None:
    with contextlib.suppress(KeyError):
        del Protocol[config]


def _url_host(url: str) -> str:
    return requests.utils.urlparse(url).hostname or ""


def _allow_token_over(endpoint: str) -> None:
    """An access token goes over https only; plain http only to this machine (the sandbox),
    which oauthlib must be told explicitly."""
    if not endpoint.lower().startswith("http://"):
        return
    host = _url_host(endpoint)
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise CertificateProblem(
            f"An OAuth access token is sent over https only, and {endpoint} is plain http: "
            "give the server's https URL with `liaison account add ... --server https://...`"
        )
    os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def _utc():  # type: ignore[no-untyped-def]
    from exchangelib import UTC

    return UTC


_UNREACHABLE = (
    ews_errors.ErrorServerBusy,
    ews_errors.ErrorTimeoutExpired,
    ews_errors.ErrorInternalServerTransientError,
    ews_errors.ErrorMailboxStoreUnavailable,
    ews_errors.ErrorMailboxMoveInProgress,
    ews_errors.ErrorMailboxFailover,
    ews_errors.RateLimitError,
    ews_errors.ErrorTooManyObjectsOpened,
)
_NO_ACCESS = (
    ews_errors.ErrorAccessDenied,
    ews_errors.ErrorNonExistentMailbox,
    ews_errors.ErrorMailboxLogonFailed,
    ews_errors.ErrorImpersonateUserDenied,
)


def is_call_error(exc: Exception) -> bool:
    """An error that concerns the whole request even when the server puts it in one item's
    response message: a busy or failing server, or a mailbox that cannot be opened."""
    return isinstance(exc, (*_UNREACHABLE, *_NO_ACCESS, ews_errors.ErrorExceededConnectionCount))


@contextlib.contextmanager
def translate_errors() -> Iterator[None]:
    """exchangelib's and requests' exceptions as SyncErrors with a message for the user."""
    try:
        yield
    except SyncError:
        raise
    except ews_errors.UnauthorizedError as exc:
        raise AuthenticationFailed(
            "The server refused the user name or password (HTTP 401): check them and run "
            "`liaison account add` again"
        ) from exc
    except ews_errors.ErrorInvalidSyncStateData as exc:
        raise InvalidSyncState(str(exc)) from exc
    except (ews_errors.ErrorItemNotFound, ews_errors.ErrorInvalidAttachmentId) as exc:
        raise ItemGone(str(exc)) from exc
    except (
        ews_errors.ErrorMessageSizeExceeded,
        ews_errors.ErrorAttachmentSizeLimitExceeded,
    ) as exc:
        raise MessageTooLarge(f"The server refuses a message this large ({_code(exc)})") from exc
    except (ews_errors.ErrorFolderNotFound, ews_errors.ErrorSyncFolderNotFound) as exc:
        raise FolderGone(str(exc)) from exc
    except (ews_errors.ErrorIrresolvableConflict, ews_errors.ErrorInvalidChangeKey) as exc:
        raise ChangeConflict(str(exc)) from exc
    except _NO_ACCESS as exc:
        raise MailboxAccessDenied(
            f"The server accepted the login but does not open this mailbox ({_code(exc)}): "
            "check the address and that the user may open it"
        ) from exc
    except _UNREACHABLE as exc:
        raise ServerUnreachable(f"The server is busy or not answering ({_code(exc)})") from exc
    except ews_errors.AutoDiscoverFailed as exc:
        raise ServerUnreachable(
            "Autodiscover found no Exchange server for this address: give the server with "
            "--server https://mail.example.com"
        ) from exc
    except ews_errors.ResponseMessageError as exc:
        raise ServerFailure(f"The server answered {_code(exc)}: {exc}") from exc
    except ews_errors.TransportError as exc:
        if _is_certificate_error(exc):
            raise CertificateProblem(_certificate_message(exc)) from exc
        raise ServerUnreachable(f"Cannot talk to the server: {exc}") from exc
    except requests.exceptions.SSLError as exc:
        raise CertificateProblem(_certificate_message(exc)) from exc
    except (requests.exceptions.RequestException, ConnectionError, TimeoutError) as exc:
        raise ServerUnreachable(f"Cannot reach the server: {exc}") from exc
    except ews_errors.EWSError as exc:
        raise ServerFailure(f"The server answered an error: {exc}") from exc
    except OAuth2Error as exc:
        raise AuthenticationFailed(
            f"The OAuth access token cannot be used ({exc.description or exc.error}): sign in "
            "again, or give a new token with `liaison account add ... --password-stdin`"
        ) from exc


def _code(exc: Exception) -> str:
    return type(exc).__name__


def _is_certificate_error(exc: Exception) -> bool:
    text = str(exc)
    return "CERTIFICATE_VERIFY_FAILED" in text or "SSLError" in text or "certificate" in text


def _certificate_message(exc: Exception) -> str:
    return (
        "The server's TLS certificate cannot be verified: install the certificate of the "
        "authority that issued it, or, only for a server you trust, run `liaison account add` "
        f"with --no-verify-tls ({str(exc)[:200]})"
    )
