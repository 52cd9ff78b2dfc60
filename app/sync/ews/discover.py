"""Autodiscover: from an email address to the EWS URL of its mailbox.

exchangelib's own `Account(autodiscover=True)` runs the whole protocol with the system's
resolver and a retry policy of its own, caches the answer process-wide, and cannot be told which
DNS servers to ask. Liaison runs the steps itself (MS-OXDISCO, as Outlook does) and uses
exchangelib only for the SOAP GetUserSettings request at each candidate:

1. https://DOMAIN/autodiscover/autodiscover.svc
2. https://autodiscover.DOMAIN/autodiscover/autodiscover.svc
3. the SRV record _autodiscover._tcp.DOMAIN: https://TARGET[:PORT]/autodiscover/autodiscover.svc

A candidate whose host does not resolve is skipped without a connection. A server that answers
with a redirect to another address starts the search again for that address (at most a few
times); a redirect to another URL is followed if it is https. A server that refuses the
credentials (HTTP 401) ends the search: the server is right, the password is not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import dns.exception
import dns.resolver
from exchangelib import Configuration
from exchangelib import errors as ews_errors
from exchangelib.autodiscover.protocol import AutodiscoverProtocol
from exchangelib.protocol import FailFast

from app.sync.errors import AuthenticationFailed, ServerUnreachable

AUTODISCOVER_PATH = "/autodiscover/autodiscover.svc"
DNS_LIFETIME = 5.0  # seconds for one name, over every configured DNS server
REQUEST_TIMEOUT = 10.0
MAX_REDIRECTS = 5


class AutodiscoverFailed(ServerUnreachable):
    """No candidate answered for this address; the message lists what each one did."""


def new_resolver(nameservers: tuple[str, ...] = (), port: int = 53) -> dns.resolver.Resolver:
    """The system's resolver, or one asking the given DNS servers."""
    if not nameservers:
        resolver = dns.resolver.Resolver()
    else:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = list(nameservers)
        resolver.port = port
    resolver.lifetime = DNS_LIFETIME
    return resolver


def candidates(domain: str, resolver: dns.resolver.Resolver) -> Iterator[str]:
    """Autodiscover URLs to try for a mail domain, in the order of MS-OXDISCO."""
    for host in (domain, f"autodiscover.{domain}"):
        if _resolves(host, resolver):
            yield f"https://{host}{AUTODISCOVER_PATH}"
    for target, port in _srv_targets(f"_autodiscover._tcp.{domain}", resolver):
        netloc = target if port == 443 else f"{target}:{port}"
        yield f"https://{netloc}{AUTODISCOVER_PATH}"


def discover(
    address: str,
    credentials: object,
    auth_type: str,
    resolver: dns.resolver.Resolver | None = None,
    before_asking: Callable[[str], None] | None = None,
) -> str:
    """The EWS URL for this address; raises AuthenticationFailed or AutodiscoverFailed.

    `before_asking(url)` is called before each request (connect uses it to apply the account's
    choice of TLS verification to every host autodiscover talks to)."""
    resolver = resolver or new_resolver()
    tried: list[str] = []
    current = address
    for _ in range(MAX_REDIRECTS):
        domain = current.rsplit("@", 1)[-1].lower()
        redirected = None
        for url in candidates(domain, resolver):
            answer = _ask(url, current, credentials, auth_type, tried, before_asking)
            if answer is None:
                continue
            kind, value = answer
            if kind == "ews":
                return value
            redirected = value
            break
        if redirected is None or redirected.lower() == current.lower():
            break
        current = redirected
    detail = "; ".join(tried) if tried else f"no autodiscover server is published for {domain}"
    raise AutodiscoverFailed(f"Autodiscover found no Exchange server for {address} ({detail})")


def _ask(
    url: str,
    address: str,
    credentials: object,
    auth_type: str,
    tried: list[str],
    before_asking: Callable[[str], None] | None,
) -> tuple[str, str] | None:
    """One candidate: ("ews", URL) or ("redirect", ADDRESS); None, with a note in `tried`."""
    for _ in range(MAX_REDIRECTS):
        if before_asking is not None:
            before_asking(url)
        protocol = AutodiscoverProtocol(
            config=Configuration(
                service_endpoint=url,
                credentials=credentials,
                auth_type=auth_type,
                retry_policy=FailFast(),
            )
        )
        protocol.TIMEOUT = REQUEST_TIMEOUT
        try:
            response = protocol.get_user_settings(user=address)
        except ews_errors.UnauthorizedError as exc:
            raise AuthenticationFailed(
                f"The autodiscover server {_host(url)} refused the user name or password "
                "(HTTP 401): check them and run `liaison account add` again"
            ) from exc
        except ews_errors.RedirectError as exc:
            if not exc.url.lower().startswith("https://"):
                tried.append(f"{_host(url)} redirected to a plain http URL, not followed")
                return None
            url = exc.url
            continue
        except ews_errors.AutoDiscoverFailed as exc:
            tried.append(f"{_host(url)}: {exc}")
            return None
        except (ews_errors.EWSError, OSError, ValueError) as exc:
            tried.append(f"{_host(url)}: {_reason(exc)}")
            return None
        finally:
            protocol.close()
        if response.redirect_address:
            return "redirect", str(response.redirect_address)
        if response.redirect_url and response.redirect_url.lower().startswith("https://"):
            url = response.redirect_url
            continue
        if not response.ews_url:
            tried.append(f"{_host(url)} gave no EWS URL")
            return None
        return "ews", str(response.ews_url)
    tried.append(f"{_host(url)} redirected too many times")
    return None


def _resolves(host: str, resolver: dns.resolver.Resolver) -> bool:
    for kind in ("A", "AAAA"):
        with contextlib.suppress(dns.exception.DNSException):
            resolver.resolve(f"{host}.", kind)
            return True
    return False


def _srv_targets(name: str, resolver: dns.resolver.Resolver) -> list[tuple[str, int]]:
    try:
        answers = resolver.resolve(f"{name}.", "SRV")
    except dns.exception.DNSException:
        return []
    records = sorted(answers, key=lambda record: (record.priority, -record.weight))
    return [
        (record.target.to_text(omit_final_dot=True), int(record.port))
        for record in records
        if record.target.to_text() != "."
    ]


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _reason(exc: Exception) -> str:
    text = str(exc)
    if "CERTIFICATE_VERIFY_FAILED" in text:
        return "its TLS certificate cannot be verified"
    return text.splitlines()[0][:160] if text else type(exc).__name__
