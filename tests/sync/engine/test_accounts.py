"""Accounts against the sandbox (over HTTPS where it matters): autodiscover from the address
alone, TLS verification per server, OAuth access tokens renewed through the app's callback, and
NTLM."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from app.accounts import AccountSettings, AuthKind, new_account, save_account
from app.secrets import store_secret
from app.sync.engine import SyncEngine
from app.sync.errors import CertificateProblem
from app.sync.ews.connect import connect
from app.sync.ews.diagnose import run_checks
from app.sync.ews.factory import EwsFactory
from app.workspace import Workspace
from exchange_sandbox import SandboxServer
from tests.sandbox.proxy import LoopbackProxy, proxy_environment
from tests.support.sandbox import Sandbox
from tests.sync.engine.conftest import (
    FAST_RETRY,
    add_account,
    cached_items,
    engine_settings,
    liaison,
    mime,
)
from tests.sync.network import Certificates, DnsServer, issue_certificates, server_context

ADDRESS = "joanna.mazur@brightwave.example"
PASSWORD = "Jesien-2026!"
SRV = "_autodiscover._tcp.brightwave.example"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return issue_certificates(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def https_sandbox(certificates: Certificates) -> Iterator[SandboxServer]:
    """An Exchange server with a certificate from the company's own authority."""
    with SandboxServer(tls=server_context(certificates)) as server:
        server.add_mailbox(ADDRESS, PASSWORD, "Joanna Mazur")
        yield server


@pytest.fixture
def company_ca_trusted(certificates: Certificates, monkeypatch: pytest.MonkeyPatch) -> None:
    """The company's authority installed where requests looks for trusted authorities."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificates.authority))


@pytest.fixture
def published_dns(https_sandbox: SandboxServer) -> Iterator[DnsServer]:
    """brightwave.example publishes its autodiscover server by SRV record, as many do."""
    records = {(SRV, "SRV"): [f"0 0 {https_sandbox.port} localhost."]}
    with DnsServer(records) as server:
        yield server


def _secret(text: str):  # type: ignore[no-untyped-def]
    return lambda: text


def test_autodiscover_finds_the_server_from_the_address_alone(
    https_sandbox: SandboxServer, company_ca_trusted: None, published_dns: DnsServer
) -> None:
    account = new_account(ADDRESS)

    results, build = run_checks(account, _secret(PASSWORD), resolver=published_dns.resolver())

    assert [(check.name, check.ok) for check in results] == [
        ("DNS", True),
        ("TLS", True),
        ("Credentials", True),
        ("Mailbox", True),
        ("Server version", True),
    ]
    assert results[0].detail.startswith(f"autodiscover found {https_sandbox.url}; ")
    assert "certificate verified" in results[1].detail
    assert build == "15.1.2507.6"
    assert (SRV, "SRV") in published_dns.questions


def test_a_mailbox_found_by_autodiscover_syncs(
    https_sandbox: SandboxServer, company_ca_trusted: None, published_dns: DnsServer
) -> None:
    https_sandbox.deliver(
        ADDRESS,
        mime(
            "Tomasz Wróbel <t.wrobel@hansa-frachten.example>",
            ADDRESS,
            "Zapytanie o transport chłodniczy",
        ),
    )
    fast = engine_settings()
    settings = replace(fast, backends=EwsFactory(FAST_RETRY, resolver=published_dns.resolver()))
    with Workspace.open() as workspace:
        workspace.initialise(ADDRESS, "Joanna Mazur")
        save_account(workspace, new_account(ADDRESS), PASSWORD)
        engine = SyncEngine.open(workspace, settings)
        try:
            report = engine.sync_once()
        finally:
            engine.close()

        assert report.ok, report.message
        assert [item.subject for item in cached_items(workspace)] == [
            "Zapytanie o transport chłodniczy"
        ]


@pytest.fixture
def proxy(https_sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackProxy]:
    """The company's proxy, named in HTTPS_PROXY, the one way out to the server."""
    routes = {("127.0.0.1", https_sandbox.port): https_sandbox.port}
    with LoopbackProxy(routes) as running:
        proxy_environment(monkeypatch, HTTPS_PROXY=running.url)
        yield running


def _synced_subjects(server: SandboxServer) -> list[str]:
    """A mail from a customer, and the subjects the first sync of the account caches."""
    server.deliver(ADDRESS, mime("Tomasz Wróbel <t.wrobel@hansa-frachten.example>", ADDRESS, "Cło"))
    with Workspace.open() as workspace:
        workspace.initialise(ADDRESS, "Joanna Mazur")
        save_account(workspace, new_account(ADDRESS, server.url), PASSWORD)
        engine = SyncEngine.open(workspace, engine_settings())
        try:
            report = engine.sync_once()
        finally:
            engine.close()
        assert report.ok, report.message
        return [item.subject for item in cached_items(workspace)]


def test_a_sync_reaches_the_server_through_the_proxy_https_proxy_names(
    https_sandbox: SandboxServer, company_ca_trusted: None, proxy: LoopbackProxy
) -> None:
    assert _synced_subjects(https_sandbox) == ["Cło"]

    assert proxy.seen
    assert set(proxy.seen) == {f"CONNECT 127.0.0.1:{https_sandbox.port}"}


def test_a_server_named_in_no_proxy_is_reached_directly(
    https_sandbox: SandboxServer,
    company_ca_trusted: None,
    proxy: LoopbackProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    assert _synced_subjects(https_sandbox) == ["Cło"]

    assert proxy.seen == []


def test_autodiscover_names_a_wrong_password_as_the_credentials_check(
    https_sandbox: SandboxServer, company_ca_trusted: None, published_dns: DnsServer
) -> None:
    results, _ = run_checks(
        new_account(ADDRESS), _secret("nie-to-haslo"), resolver=published_dns.resolver()
    )

    failed = results[-1]
    assert (failed.name, failed.ok) == ("Credentials", False)
    assert "refused the user name or password" in failed.detail
    assert "check the user name and password" in failed.advice


def test_a_domain_that_publishes_no_autodiscover_asks_for_the_server(
    https_sandbox: SandboxServer,
) -> None:
    with DnsServer({}) as nothing:
        results, _ = run_checks(
            new_account(ADDRESS), _secret(PASSWORD), resolver=nothing.resolver()
        )

    assert [(check.name, check.ok) for check in results] == [("DNS", False)]
    assert "autodiscover found no server for brightwave.example" in results[0].detail
    assert results[0].advice == (
        "give the server explicitly: liaison account add ADDRESS --server URL"
    )


def test_no_verify_tls_trusts_that_one_server_with_a_warning(
    https_sandbox: SandboxServer,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The company's authority is not installed: only --no-verify-tls gets through.
    code, out, err = add_account(
        capsys,
        monkeypatch,
        ADDRESS,
        https_sandbox.url,
        PASSWORD,
        "--no-verify-tls",
    )

    assert code == 0, out
    assert "Warning: the certificate of this server will not be verified" in err
    assert "certificate NOT verified (turned off for this server)" in out
    code, out, err = liaison(capsys, monkeypatch, "sync", "--once", "--quiet")
    assert code == 0, out + err
    assert out.startswith("Synced ")


def test_verification_stays_on_for_every_other_server(https_sandbox: SandboxServer) -> None:
    unverified = new_account(ADDRESS, https_sandbox.url, verify_tls=False)
    results, _ = run_checks(unverified, _secret(PASSWORD))
    assert all(check.ok for check in results)

    # The same server under another name is another server, and still verified.
    other_name = https_sandbox.url.replace("127.0.0.1", "localhost")
    results, _ = run_checks(new_account(ADDRESS, other_name), _secret(PASSWORD))

    assert (results[-1].name, results[-1].ok) == ("TLS", False)
    assert "cannot be verified" in results[-1].detail


FIRST_TOKEN = "eyJ0eXAi.token-0900"


@pytest.fixture
def oauth_engine(
    https_sandbox: SandboxServer, company_ca_trusted: None
) -> Iterator[tuple[SyncEngine, Workspace]]:
    """An OAuth account that has synced once with its first access token."""
    https_sandbox.add_mailbox(ADDRESS, tokens=(FIRST_TOKEN,))
    with Workspace.open() as workspace:
        workspace.initialise(ADDRESS, "Joanna Mazur")
        account = AccountSettings(ADDRESS, ADDRESS, AuthKind.OAUTH, https_sandbox.url)
        save_account(workspace, account, FIRST_TOKEN)
        engine = SyncEngine.open(workspace, engine_settings())
        try:
            assert engine.sync_once().ok
            yield engine, workspace
        finally:
            engine.close()


def test_an_expired_access_token_is_renewed_through_the_callback(
    https_sandbox: SandboxServer, oauth_engine: tuple[SyncEngine, Workspace]
) -> None:
    engine, workspace = oauth_engine
    # An hour later: the token expired, and the app's sign-in put a new one in the keyring,
    # which is where the engine's callback looks.
    https_sandbox.revoke_token(FIRST_TOKEN)
    https_sandbox.add_mailbox(ADDRESS, tokens=("eyJ0eXAi.token-1000",))
    store_secret(workspace.paths, ADDRESS, "eyJ0eXAi.token-1000")
    https_sandbox.deliver(
        ADDRESS, mime("Ewa Lis <ewa.lis@nordkap-handel.example>", ADDRESS, "Nowe ceny od stycznia")
    )

    report = engine.sync_once()

    assert report.ok, report.message
    assert [item.subject for item in cached_items(workspace)] == ["Nowe ceny od stycznia"]


def test_a_refused_token_with_nothing_newer_asks_the_user(
    https_sandbox: SandboxServer, oauth_engine: tuple[SyncEngine, Workspace]
) -> None:
    engine, _ = oauth_engine
    https_sandbox.revoke_token(FIRST_TOKEN)

    report = engine.sync_once()

    assert report.state.value == "needs-attention"
    assert "refused" in report.message


def test_a_token_the_server_never_issued_fails_the_credentials_check(
    https_sandbox: SandboxServer, company_ca_trusted: None
) -> None:
    account = AccountSettings(ADDRESS, ADDRESS, AuthKind.OAUTH, https_sandbox.url)

    results, _ = run_checks(account, _secret("eyJ0eXAi.never-issued"))

    assert (results[-1].name, results[-1].ok) == ("Credentials", False)
    assert "check the user name and password" in results[-1].advice


def test_ntlm_logs_in_and_syncs(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = sandbox.new_user("Marek Zieliński", domain="brightwave.example")
    sandbox.server.deliver(
        colleague.address,
        mime("Ewa Lis <ewa.lis@nordkap-handel.example>", colleague.address, "Cennik 2027"),
    )

    code, out, _ = add_account(
        capsys,
        monkeypatch,
        colleague.address,
        sandbox.url,
        colleague.password,
        "--auth",
        "ntlm",
    )
    assert code == 0, out
    assert f"Credentials     ok      accepted for {colleague.address}" in out
    code, out, err = liaison(capsys, monkeypatch, "sync", "--once", "--quiet")

    assert code == 0, out + err
    assert out.startswith("Synced 1 changes")


def test_ntlm_with_a_wrong_password_is_named_as_the_credentials_check(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    colleague = sandbox.new_user("Marek Zieliński", domain="brightwave.example")

    code, out, _ = add_account(
        capsys,
        monkeypatch,
        colleague.address,
        sandbox.url,
        "nie-to-haslo",
        "--auth",
        "ntlm",
    )

    assert code == 1
    assert "Credentials failed: check the user name and password" in out


def test_an_access_token_goes_over_plain_http_to_this_machine_only(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT", raising=False)
    address = "olga.wisniewska.oauth@brightwave.example"
    sandbox.server.add_mailbox(address, display_name="Olga Wiśniewska", tokens=("tok-olga",))

    code, out, _ = add_account(
        capsys, monkeypatch, address, sandbox.url, "tok-olga", "--auth", "oauth"
    )
    assert code == 0, out

    # Anywhere else, the token would cross the network in the clear: refused before sending.
    remote = AccountSettings(
        address, address, AuthKind.OAUTH, "http://192.0.2.10/EWS/Exchange.asmx"
    )
    with pytest.raises(CertificateProblem, match="sent over https only"):
        connect(remote, _secret("tok-olga"))
