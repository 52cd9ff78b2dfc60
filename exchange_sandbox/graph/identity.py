"""The sandbox's stand-in for Microsoft Entra ID: the endpoints MSAL signs in through.

Served by the same server as EWS and Graph, at the paths login.microsoftonline.com has:
instance discovery (/common/discovery/instance), OpenID metadata
(/{tenant}/v2.0/.well-known/openid-configuration), the authorization endpoint with its sign-in
form (auth code with PKCE, the answer posted or redirected to a loopback redirect_uri), the device
code endpoint and its /devicelogin page, and the token endpoint (authorization_code,
device_code and refresh_token grants). Access tokens come from the TokenBook the Graph endpoints
check. Errors are Entra's: `{"error", "error_description": "AADSTS<code>: ...", "error_codes"}`.

Users are the store's mailboxes with their passwords. `SignInPolicies` holds what an
administrator sets: a disabled account, a conditional access block, an app nobody consented to.
Entra shows some refusals on its own pages; the sandbox hands every refusal to the app (the
redirect carries `error` and the AADSTS code) so the app's message for it can be tested.

ID tokens are signed with HS256 and a key of the sandbox's own (Entra signs RS256): MSAL does not
check an ID token's signature, and nothing here claims it can be checked.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import html
import json
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..model import Mailbox
from ..store import Store
from .tokens import TokenBook

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

# The sandbox's one directory (tenant); its id in GUID form as Entra gives it.
TENANT_ID = "6d1f0c2e-8c3a-4f55-9b1e-5a7c2d9e4b10"
MULTI_TENANT = ("common", "organizations")
RESERVED_SCOPES = frozenset({"openid", "profile", "offline_access", "email"})
DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 90 * 24 * 3600
AUTH_CODE_SECONDS = 600
DEVICE_CODE_SECONDS = 900

_TENANT_PATH = re.compile(
    r"^/(?P<tenant>[^/]+)/(?P<what>v2\.0/\.well-known/openid-configuration|"
    r"oauth2/v2\.0/authorize|oauth2/v2\.0/token|oauth2/v2\.0/devicecode|discovery/v2\.0/keys)$",
    re.IGNORECASE,
)
INSTANCE_DISCOVERY_PATH = "/common/discovery/instance"
DEVICE_LOGIN_PATH = "/devicelogin"


class EntraError(Exception):
    """An error answer in Entra's shape: the OAuth error, the AADSTS code and its text."""

    def __init__(
        self, error: str, code: int, text: str, status: int = 400, suberror: str | None = None
    ) -> None:
        super().__init__(f"AADSTS{code}: {text}")
        self.error = error
        self.code = code
        self.text = text
        self.status = status
        self.suberror = suberror

    @property
    def description(self) -> str:
        return f"AADSTS{self.code}: {self.text}"

    def body(self) -> dict[str, Any]:
        trace = str(uuid.uuid4())
        correlation = str(uuid.uuid4())
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%SZ")
        answer: dict[str, Any] = {
            "error": self.error,
            "error_description": f"{self.description} Trace ID: {trace} "
            f"Correlation ID: {correlation} Timestamp: {stamp}",
            "error_codes": [self.code],
            "timestamp": stamp,
            "trace_id": trace,
            "correlation_id": correlation,
            "error_uri": f"https://login.microsoftonline.com/error?code={self.code}",
        }
        if self.suberror:
            answer["suberror"] = self.suberror
        return answer


def _invalid_grant(code: int, text: str, suberror: str | None = None) -> EntraError:
    return EntraError("invalid_grant", code, text, suberror=suberror)


@dataclass
class SignInPolicies:
    """What the directory's administrator decided: who may sign in, and into which apps."""

    disabled: set[str] = field(default_factory=set)  # addresses, casefolded
    blocked_by_conditional_access: set[str] = field(default_factory=set)
    unconsented_apps: set[str] = field(default_factory=set)  # client ids

    def refusal(self, address: str, client_id: str) -> EntraError | None:
        """Why this user may not have a token for this app now, or None."""
        folded = address.casefold()
        if folded in self.disabled:
            return _invalid_grant(50057, "The user account is disabled.")
        if folded in self.blocked_by_conditional_access:
            return _invalid_grant(
                53003,
                "Access has been blocked by Conditional Access policies. The access policy "
                "does not allow token issuance.",
                suberror="message_only",
            )
        if client_id in self.unconsented_apps:
            return _invalid_grant(
                65001,
                f"The user or administrator has not consented to use the application with ID "
                f"'{client_id}'. Send an interactive authorization request for this user and "
                "resource.",
                suberror="consent_required",
            )
        return None


@dataclass(frozen=True)
class _AuthCode:
    address: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    challenge: str | None
    challenge_method: str
    nonce: str | None
    expires: float


@dataclass
class _DeviceGrant:
    user_code: str
    client_id: str
    scopes: tuple[str, ...]
    expires: float
    address: str | None = None  # set when the user signs in on /devicelogin


@dataclass(frozen=True)
class _RefreshGrant:
    address: str
    client_id: str
    scopes: tuple[str, ...]
    expires: float


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def user_object_id(address: str) -> str:
    """A user's object id, the same for the same address on every run."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"sandbox-user:{address.casefold()}"))


def _scopes(text: str) -> tuple[str, ...]:
    return tuple(scope for scope in text.split() if scope)


def _is_loopback_redirect(uri: str) -> bool:
    parts = urlsplit(uri)
    return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")


class IdentityApplication:
    """Entra ID's sign-in endpoints for the store's mailboxes; other paths go to `fallback`."""

    def __init__(
        self,
        store: Store,
        tokens: TokenBook,
        base_url: Callable[[], str],
        fallback: WsgiApp,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.tokens = tokens
        self.policies = SignInPolicies()
        # Seconds a device polls at; Entra says 5, tests make it shorter.
        self.device_poll_interval = 5
        self._base_url = base_url
        self._fallback = fallback
        self._clock = clock
        self._lock = threading.Lock()
        self._codes: dict[str, _AuthCode] = {}
        self._devices: dict[str, _DeviceGrant] = {}
        self._refresh: dict[str, _RefreshGrant] = {}
        self._signing_key = secrets.token_bytes(32)

    # --- what an administrator does ------------------------------------------------------

    def revoke_sign_ins(self, address: str) -> None:
        """Revoke-MgUserSignInSession: every refresh and access token of the user stops."""
        folded = address.casefold()
        with self._lock:
            for token in [t for t, g in self._refresh.items() if g.address.casefold() == folded]:
                del self._refresh[token]
        self.tokens.revoke_all(address)

    # --- WSGI ----------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        if path.lower() == INSTANCE_DISCOVERY_PATH:
            return self._json(start_response, 200, self._instance_discovery(query))
        if path.lower() == DEVICE_LOGIN_PATH:
            form = _form(environ) if method == "POST" else {}
            return self._device_login(start_response, form)
        match = _TENANT_PATH.match(path)
        if match is None:
            return self._fallback(environ, start_response)
        tenant, what = match["tenant"], match["what"].lower()
        try:
            self._check_tenant(tenant)
            if what.endswith("openid-configuration"):
                return self._json(start_response, 200, self._openid_configuration(tenant))
            if what.endswith("keys"):
                return self._json(start_response, 200, {"keys": []})
            if what.endswith("authorize"):
                posted = _form(environ) if method == "POST" else None
                return self._authorize(start_response, tenant, query, posted)
            if method != "POST":
                raise EntraError("invalid_request", 900561, "The endpoint only accepts POST.")
            form = _form(environ)
            if what.endswith("devicecode"):
                return self._json(start_response, 200, self._device_code(tenant, form))
            return self._json(start_response, 200, self._token(tenant, form))
        except EntraError as error:
            return self._json(start_response, error.status, error.body())

    # --- metadata ------------------------------------------------------------------------

    def _check_tenant(self, tenant: str) -> None:
        known = {*MULTI_TENANT, TENANT_ID}
        known |= {address.rpartition("@")[2] for address in self.store.mailboxes}
        if tenant.casefold() not in known:
            raise EntraError(
                "invalid_tenant",
                90002,
                f"Tenant '{tenant}' not found. Check to make sure you have the correct tenant "
                "ID and are signing into the correct cloud.",
            )

    def _issuer(self, tenant: str) -> str:
        realm = "{tenantid}" if tenant.casefold() in MULTI_TENANT else TENANT_ID
        return f"{self._base_url()}/{realm}/v2.0"

    def _instance_discovery(self, query: dict[str, str]) -> dict[str, Any]:
        host = urlsplit(self._base_url()).netloc
        authorize = query.get("authorization_endpoint", "")
        tenant = urlsplit(authorize).path.split("/")[1:2] or ["common"]
        return {
            "tenant_discovery_endpoint": (
                f"{self._base_url()}/{tenant[0] or 'common'}/v2.0/.well-known/openid-configuration"
            ),
            "api-version": "1.1",
            "metadata": [{"preferred_network": host, "preferred_cache": host, "aliases": [host]}],
        }

    def _openid_configuration(self, tenant: str) -> dict[str, Any]:
        base = f"{self._base_url()}/{tenant}"
        return {
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "token_endpoint_auth_methods_supported": [
                "client_secret_post",
                "private_key_jwt",
                "client_secret_basic",
            ],
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["HS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": self._issuer(tenant),
            "request_uri_parameter_supported": False,
            "userinfo_endpoint": f"{self._base_url()}/oidc/userinfo",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            "http_logout_supported": True,
            "frontchannel_logout_supported": True,
            "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
            "claims_supported": [
                "sub",
                "iss",
                "aud",
                "exp",
                "iat",
                "nonce",
                "preferred_username",
                "name",
                "tid",
                "ver",
                "oid",
            ],
            "tenant_region_scope": "EU",
            "cloud_instance_name": "sandbox.liaison.invalid",
        }

    # --- the user in the browser: authorize and its sign-in form -------------------------

    def _authorize(
        self,
        start_response: StartResponse,
        tenant: str,
        query: dict[str, str],
        form: dict[str, str] | None,
    ) -> Iterable[bytes]:
        client_id = query.get("client_id", "")
        redirect_uri = query.get("redirect_uri", "")
        if not client_id:
            raise EntraError(
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            )
        if not _is_loopback_redirect(redirect_uri):
            # Entra shows this on its own page: a redirect_uri not registered gets nothing.
            raise EntraError(
                "invalid_request",
                50011,
                f"The redirect URI '{redirect_uri}' specified in the request does not match the "
                f"redirect URIs configured for the application '{client_id}'.",
            )
        if query.get("response_type") != "code":
            return self._answer_app(
                start_response,
                query,
                {
                    "error": "unsupported_response_type",
                    "error_description": "AADSTS700054: response_type is not enabled.",
                },
            )
        if form is None:
            return self._sign_in_page(start_response, query.get("login_hint", ""), "")
        mailbox, problem = self._check_password(form.get("login", ""), form.get("passwd", ""))
        if mailbox is None:
            return self._sign_in_page(start_response, form.get("login", ""), problem)
        refusal = self.policies.refusal(mailbox.address, client_id)
        if refusal is not None:
            error = "access_denied" if refusal.error == "invalid_grant" else refusal.error
            return self._answer_app(
                start_response,
                query,
                {"error": refusal.suberror or error, "error_description": refusal.description},
            )
        code = secrets.token_urlsafe(48)
        with self._lock:
            self._codes[code] = _AuthCode(
                address=mailbox.address,
                client_id=client_id,
                redirect_uri=redirect_uri,
                scopes=_scopes(query.get("scope", "")),
                challenge=query.get("code_challenge") or None,
                challenge_method=query.get("code_challenge_method", "plain"),
                nonce=query.get("nonce") or None,
                expires=self._clock() + AUTH_CODE_SECONDS,
            )
        answer = {"code": code, "client_info": self._client_info(mailbox.address)}
        return self._answer_app(start_response, query, answer)

    def _check_password(self, login: str, password: str) -> tuple[Mailbox | None, str]:
        mailbox = self.store.mailbox(login.strip())
        if mailbox is None or mailbox.password is None:
            return None, (f"AADSTS50034: The user account {login} does not exist in the directory.")
        if not hmac.compare_digest(mailbox.password, password):
            return None, (
                "AADSTS50126: Error validating credentials due to invalid username or password."
            )
        return mailbox, ""

    def _answer_app(
        self, start_response: StartResponse, query: dict[str, str], answer: dict[str, str]
    ) -> Iterable[bytes]:
        """Back to the app at redirect_uri: a form posted there (response_mode=form_post), or a
        302 with the answer in the query."""
        if query.get("state"):
            answer = {**answer, "state": query["state"]}
        redirect_uri = query["redirect_uri"]
        if query.get("response_mode") == "form_post":
            fields = "".join(
                f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}"/>'
                for key, value in answer.items()
            )
            page = (
                "<html><head><title>Working...</title></head>"
                '<body onload="document.forms[0].submit()">'
                f'<form method="POST" name="hiddenform" action="{html.escape(redirect_uri)}">'
                f"{fields}<noscript><p>Script is disabled. Click Submit to continue.</p>"
                '<input type="submit" value="Submit"/></noscript></form></body></html>'
            )
            return self._html(start_response, 200, page)
        separator = "&" if "?" in redirect_uri else "?"
        start_response(
            "302 Found",
            [
                ("Location", f"{redirect_uri}{separator}{urlencode(answer)}"),
                ("Content-Length", "0"),
            ],
        )
        return [b""]

    def _sign_in_page(
        self, start_response: StartResponse, login: str, problem: str
    ) -> Iterable[bytes]:
        """The page a browser shows: the form posts back to the same URL, query and all."""
        error = f'<p id="error" role="alert">{html.escape(problem)}</p>' if problem else ""
        page = (
            "<html><head><title>Sign in to your account</title></head><body>"
            f"<h1>Sign in</h1>{error}"
            '<form method="post" action="">'
            f'<input type="email" name="login" value="{html.escape(login)}"/>'
            '<input type="password" name="passwd"/>'
            '<input type="submit" value="Sign in"/></form></body></html>'
        )
        return self._html(start_response, 200, page)

    # --- device code ---------------------------------------------------------------------

    def _device_code(self, tenant: str, form: dict[str, str]) -> dict[str, Any]:
        client_id = form.get("client_id", "")
        if not client_id:
            raise EntraError(
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            )
        device_code = secrets.token_urlsafe(48)
        user_code = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(9))
        with self._lock:
            self._devices[device_code] = _DeviceGrant(
                user_code=user_code,
                client_id=client_id,
                scopes=_scopes(form.get("scope", "")),
                expires=self._clock() + DEVICE_CODE_SECONDS,
            )
        verification_uri = f"{self._base_url()}{DEVICE_LOGIN_PATH}"
        return {
            "user_code": user_code,
            "device_code": device_code,
            "verification_uri": verification_uri,
            "expires_in": DEVICE_CODE_SECONDS,
            "interval": self.device_poll_interval,
            "message": f"To sign in, use a web browser to open the page {verification_uri} and "
            f"enter the code {user_code} to authenticate.",
        }

    def _device_login(self, start_response: StartResponse, form: dict[str, str]) -> Iterable[bytes]:
        """The page the user opens on any device: the code they were shown, then their sign-in."""
        problem = ""
        if form:
            user_code = form.get("otc", "").strip().upper()
            with self._lock:
                grant = next((g for g in self._devices.values() if g.user_code == user_code), None)
            mailbox, problem = self._check_password(form.get("login", ""), form.get("passwd", ""))
            if grant is None or grant.expires <= self._clock():
                problem = "AADSTS70019: That code didn't work. Check the code and try again."
            elif mailbox is not None:
                grant.address = mailbox.address
                page = (
                    "<html><body><h1>You have signed in</h1><p>You have signed in to the "
                    "application on your device. You may now close this window.</p></body></html>"
                )
                return self._html(start_response, 200, page)
        error = f'<p id="error" role="alert">{html.escape(problem)}</p>' if problem else ""
        page = (
            "<html><head><title>Enter code</title></head><body><h1>Enter code</h1>"
            f'{error}<form method="post" action="{DEVICE_LOGIN_PATH}">'
            '<input type="text" name="otc"/><input type="email" name="login"/>'
            '<input type="password" name="passwd"/>'
            '<input type="submit" value="Next"/></form></body></html>'
        )
        return self._html(start_response, 200, page)

    # --- the token endpoint --------------------------------------------------------------

    def _token(self, tenant: str, form: dict[str, str]) -> dict[str, Any]:
        grant_type = form.get("grant_type", "")
        client_id = form.get("client_id", "")
        if not client_id:
            raise EntraError(
                "invalid_request",
                900144,
                "The request body must contain the following parameter: 'client_id'.",
            )
        if grant_type == "authorization_code":
            address, scopes, nonce = self._redeem_code(form, client_id)
        elif grant_type == DEVICE_CODE_GRANT:
            address, scopes = self._redeem_device_code(form, client_id)
            nonce = None
        elif grant_type == "refresh_token":
            address, scopes = self._redeem_refresh_token(form, client_id)
            nonce = None
        else:
            raise EntraError(
                "unsupported_grant_type",
                70003,
                f"The app requested an unsupported grant type '{grant_type}'.",
            )
        refusal = self.policies.refusal(address, client_id)
        if refusal is not None:
            raise refusal
        return self._tokens_for(tenant, address, client_id, scopes, nonce)

    def _redeem_code(
        self, form: dict[str, str], client_id: str
    ) -> tuple[str, tuple[str, ...], str | None]:
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)
        if grant is None:
            raise _invalid_grant(
                54005,
                "OAuth2 Authorization code was already redeemed, please retry with a new "
                "valid code or use an existing refresh token.",
            )
        if grant.expires <= self._clock():
            raise _invalid_grant(70008, "The provided authorization code has expired.")
        if grant.client_id != client_id or grant.redirect_uri != form.get("redirect_uri"):
            raise _invalid_grant(70000, "Provided grant is invalid or malformed.")
        if grant.challenge is not None and not _verifier_matches(
            form.get("code_verifier", ""), grant.challenge, grant.challenge_method
        ):
            raise _invalid_grant(
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the "
                "authorization request.",
            )
        return grant.address, _scopes(form.get("scope", "")) or grant.scopes, grant.nonce

    def _redeem_device_code(
        self, form: dict[str, str], client_id: str
    ) -> tuple[str, tuple[str, ...]]:
        device_code = form.get("device_code", "")
        with self._lock:
            grant = self._devices.get(device_code)
            if grant is None or grant.client_id != client_id:
                raise EntraError(
                    "bad_verification_code",
                    70000,
                    "The device code is not known to the directory.",
                )
            if grant.expires <= self._clock():
                del self._devices[device_code]
                raise EntraError("expired_token", 70019, "Verification code expired.")
            if grant.address is None:
                raise EntraError(
                    "authorization_pending",
                    70016,
                    "OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
                )
            del self._devices[device_code]
        return grant.address, grant.scopes

    def _redeem_refresh_token(
        self, form: dict[str, str], client_id: str
    ) -> tuple[str, tuple[str, ...]]:
        with self._lock:
            grant = self._refresh.get(form.get("refresh_token", ""))
        if grant is None or grant.client_id != client_id:
            raise _invalid_grant(
                50173,
                "The provided grant has expired due to it being revoked, a fresh auth token is "
                "needed. The user might have changed or reset their password.",
            )
        if grant.expires <= self._clock():
            raise _invalid_grant(700082, "The refresh token has expired due to inactivity.")
        return grant.address, _scopes(form.get("scope", "")) or grant.scopes

    def _tokens_for(
        self,
        tenant: str,
        address: str,
        client_id: str,
        scopes: tuple[str, ...],
        nonce: str | None,
    ) -> dict[str, Any]:
        now = int(self._clock())
        refresh_token = secrets.token_urlsafe(64)
        granted = tuple(scope for scope in scopes if scope.lower() not in RESERVED_SCOPES)
        with self._lock:
            self._refresh[refresh_token] = _RefreshGrant(
                address, client_id, scopes, now + REFRESH_TOKEN_SECONDS
            )
        mailbox = self.store.mailbox(address)
        claims: dict[str, Any] = {
            "aud": client_id,
            "iss": f"{self._base_url()}/{TENANT_ID}/v2.0",
            "iat": now,
            "nbf": now,
            "exp": now + ACCESS_TOKEN_SECONDS,
            "name": mailbox.display_name if mailbox is not None else address,
            "oid": user_object_id(address),
            "preferred_username": address,
            "sub": _b64url(hashlib.sha256(f"{address}|{client_id}".encode()).digest()),
            "tid": TENANT_ID,
            "ver": "2.0",
        }
        if nonce:
            claims["nonce"] = nonce
        return {
            "token_type": "Bearer",
            "scope": " ".join(granted),
            "expires_in": ACCESS_TOKEN_SECONDS,
            "ext_expires_in": ACCESS_TOKEN_SECONDS,
            "access_token": self.tokens.issue(address, ACCESS_TOKEN_SECONDS),
            "refresh_token": refresh_token,
            "id_token": self._id_token(claims),
            "client_info": self._client_info(address),
        }

    def _id_token(self, claims: dict[str, Any]) -> str:
        header = _b64url(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
        payload = _b64url(json.dumps(claims).encode())
        signature = hmac.new(
            self._signing_key, f"{header}.{payload}".encode(), hashlib.sha256
        ).digest()
        return f"{header}.{payload}.{_b64url(signature)}"

    def _client_info(self, address: str) -> str:
        return _b64url(json.dumps({"uid": user_object_id(address), "utid": TENANT_ID}).encode())

    # --- HTTP ----------------------------------------------------------------------------

    def _json(
        self, start_response: StartResponse, status: int, value: dict[str, Any]
    ) -> Iterable[bytes]:
        body = json.dumps(value).encode()
        start_response(
            f"{status} {'OK' if status == 200 else 'Bad Request'}",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store, no-cache"),
            ],
        )
        return [body]

    def _html(self, start_response: StartResponse, status: int, page: str) -> Iterable[bytes]:
        body = page.encode()
        start_response(
            f"{status} OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]


def _verifier_matches(verifier: str, challenge: str, method: str) -> bool:
    if method.upper() == "S256":
        computed = _b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    else:
        computed = verifier
    return bool(verifier) and hmac.compare_digest(computed, challenge)


def _form(environ: dict[str, Any]) -> dict[str, str]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    body = environ["wsgi.input"].read(min(length, 1024 * 1024)) if length > 0 else b""
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
