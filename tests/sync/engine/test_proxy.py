"""Behind a proxy (README, "Behind a proxy"): the proxy the environment names carries every
request of a sync, over EWS and over Microsoft Graph alike. (Over HTTPS, with NO_PROXY, in
test_accounts.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.sandbox.proxy import LoopbackProxy, proxy_environment
from tests.support.remote import SandboxRemote
from tests.support.sandbox import Sandbox
from tests.sync.engine.conftest import OVER_EWS_AND_GRAPH, cached_items, mime


@pytest.fixture
def http_proxy(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Iterator[LoopbackProxy]:
    """The company's proxy in HTTP_PROXY, set before the sync's connection is made."""
    port = sandbox.server.port
    with LoopbackProxy({("127.0.0.1", port): port}) as running:
        proxy_environment(monkeypatch, HTTP_PROXY=running.url)
        yield running


@OVER_EWS_AND_GRAPH
def test_every_request_of_a_sync_goes_through_the_proxy_http_proxy_names(
    http_proxy: LoopbackProxy, remote: SandboxRemote, engine: SyncEngine, workspace: Workspace
) -> None:
    remote.deliver(
        mime("Tomasz Wróbel <t.wrobel@hansa-frachten.example>", remote.user.address, "Cło")
    )

    report = engine.sync_once()

    assert report.ok, report.message
    assert [item.subject for item in cached_items(workspace)] == ["Cło"]
    sandbox = f"http://127.0.0.1:{remote.sandbox.server.port}/"
    assert all(line.split(" ")[1].startswith(sandbox) for line in http_proxy.seen)
    # The folders, each folder's changes, the bodies: every request, not only the first.
    assert len(http_proxy.seen) > 10
