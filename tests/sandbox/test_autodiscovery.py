"""exchangelib's own autodiscovery against the sandbox: the plain-http redirect step (a 302 from
http://autodiscover.DOMAIN/ to the HTTPS server) and a redirect to another address
(RedirectAddress), which exchangelib follows by starting over for that address.

The internet is played on loopback: a DNS server publishes the domain's hosts, an HTTP proxy
connects their ports 443 and 80 to the sandbox's HTTPS and plain-HTTP listeners, and the
company's certificate authority is trusted for the server's names."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import dns.resolver
import pytest
import requests
from exchangelib import BASIC, Credentials
from exchangelib.autodiscover import Autodiscovery, clear_cache

from exchange_sandbox import SandboxServer
from tests.sandbox.proxy import LoopbackProxy, proxy_environment
from tests.sync.network import Certificates, DnsServer, issue_certificates, server_context

ADDRESS = "joanna.mazur@brightwave.example"
OLD_ADDRESS = "joanna.mazur@brightwave-logistik.example"
PASSWORD = "Jesien-2026!"
HOSTS = (
    "brightwave.example",
    "autodiscover.brightwave.example",
    "mail.brightwave.example",
    "brightwave-logistik.example",
)

# Every test here reaches a sandbox server over HTTP.
pytestmark = pytest.mark.end_to_end


class LoopbackAutodiscovery(Autodiscovery):
    """exchangelib's autodiscovery asking a DNS server of the test's instead of the system's."""

    def __init__(self, email: str, credentials: Credentials, resolver: dns.resolver.Resolver):
        super().__init__(email=email, credentials=credentials)
        self._loopback_resolver = resolver

    @property
    def resolver(self) -> dns.resolver.Resolver:  # type: ignore[override]
        return self._loopback_resolver


@dataclass
class Internet:
    server: SandboxServer
    dns: DnsServer
    proxy: LoopbackProxy

    def discover(self, address: str) -> str:
        """What exchangelib's autodiscovery finds for the address: the EWS URL."""
        discovery = LoopbackAutodiscovery(
            address, Credentials(ADDRESS, PASSWORD), self.dns.resolver()
        )
        response, protocol = discovery.discover()
        protocol.config.auth_type = BASIC
        assert response.autodiscover_smtp_address == ADDRESS
        return str(protocol.service_endpoint)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return issue_certificates(tmp_path_factory.mktemp("tls"), HOSTS)


@pytest.fixture
def internet(
    certificates: Certificates, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Internet]:
    """brightwave.example: nothing answers on https://brightwave.example/ or on port 443 of
    autodiscover.brightwave.example; its port 80 redirects to https://mail.brightwave.example,
    the Exchange server. The old domain's own name still reaches that server."""
    records = {(host, "A"): ["127.0.0.1"] for host in HOSTS if host != "brightwave.example"}
    with SandboxServer(tls=server_context(certificates)) as server:
        server.add_mailbox(ADDRESS, PASSWORD, "Joanna Mazur")
        http_port = server.serve_http_redirect("https://mail.brightwave.example")
        routes = {
            ("autodiscover.brightwave.example", 80): http_port,
            ("mail.brightwave.example", 443): server.port,
            ("brightwave-logistik.example", 443): server.port,
        }
        with DnsServer(records) as dns_server, LoopbackProxy(routes) as proxy:
            proxy_environment(
                monkeypatch,
                HTTPS_PROXY=proxy.url,
                HTTP_PROXY=proxy.url,
                NO_PROXY="127.0.0.1,localhost",
            )
            monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.authority))
            clear_cache()
            yield Internet(server, dns_server, proxy)
            clear_cache()


def test_the_plain_http_step_follows_the_redirect_to_the_https_server(
    internet: Internet,
) -> None:
    ews_url = internet.discover(ADDRESS)

    assert ews_url == internet.server.url
    assert internet.proxy.seen[:3] == [
        "CONNECT autodiscover.brightwave.example:443",
        "GET http://autodiscover.brightwave.example/autodiscover/autodiscover.svc",
        "CONNECT mail.brightwave.example:443",
    ]


def test_an_address_that_moved_is_redirected_and_discovered_anew(internet: Internet) -> None:
    internet.server.add_redirect(OLD_ADDRESS, ADDRESS)

    ews_url = internet.discover(OLD_ADDRESS)

    assert ews_url == internet.server.url
    assert internet.proxy.seen[0] == "CONNECT brightwave-logistik.example:443"
    assert "GET http://autodiscover.brightwave.example/autodiscover/autodiscover.svc" in (
        internet.proxy.seen
    )


def test_the_redirect_listener_keeps_the_path_asked_for(internet: Internet) -> None:
    answer = requests.get(
        "http://autodiscover.brightwave.example/autodiscover/autodiscover.xml",
        allow_redirects=False,
        timeout=10,
    )

    assert answer.status_code == 302
    assert answer.headers["Location"] == (
        "https://mail.brightwave.example/autodiscover/autodiscover.xml"
    )
