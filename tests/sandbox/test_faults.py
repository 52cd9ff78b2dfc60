"""The fault switchboard against exchangelib's retry policies: throttling, HTTP errors, dropped
connections, latency, a server that goes down and comes back."""

from __future__ import annotations

import time

import pytest
import requests
from exchangelib import Account, FaultTolerance
from exchangelib.errors import (
    ErrorServerBusy,
    ErrorTimeoutExpired,
    RateLimitError,
    TransportError,
)

from tests.support.sandbox import Sandbox, SandboxUser


def test_throttling_is_honoured_by_fault_tolerance_and_the_request_then_succeeds(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = sandbox.account(user, retry_policy=FaultTolerance(max_wait=5))
    account.inbox.all().count()
    sandbox.server.faults.throttle(count=2, back_off_ms=150)
    started = time.monotonic()

    count = account.inbox.all().count()

    assert count == 0
    assert time.monotonic() - started >= 0.3
    assert sandbox.server.faults.pending == 0


def test_throttling_with_fail_fast_raises_server_busy_with_the_back_off(
    sandbox: Sandbox, account: Account
) -> None:
    account.inbox.all().count()
    sandbox.server.faults.throttle(count=1, back_off_ms=2500)

    with pytest.raises(ErrorServerBusy) as raised:
        account.inbox.all().count()

    assert raised.value.back_off == 2.5


def test_a_503_with_retry_after_is_retried_by_fault_tolerance(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = sandbox.account(user, retry_policy=FaultTolerance(max_wait=5))
    account.inbox.all().count()
    sandbox.server.faults.fail_http(count=1, status=503, retry_after=1)

    assert account.inbox.all().count() == 0
    assert sandbox.server.faults.pending == 0


def test_an_asp_net_500_is_retried_as_a_transient_server_error(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    account = sandbox.account(user, retry_policy=FaultTolerance(max_wait=5))
    account.inbox.all().count()
    sandbox.server.faults.fail_http(count=1, status=500, retry_after=1)

    assert account.inbox.all().count() == 0


def test_a_dropped_connection_surfaces_as_a_timeout_and_the_next_request_works(
    sandbox: Sandbox, account: Account
) -> None:
    inbox = account.inbox
    sandbox.server.faults.drop_connections(count=1)

    with pytest.raises(ErrorTimeoutExpired):
        inbox.all().count()

    assert inbox.all().count() == 0


def test_latency_slows_every_request(sandbox: Sandbox, account: Account) -> None:
    inbox = account.inbox
    sandbox.server.faults.add_latency(0.2)
    started = time.monotonic()

    inbox.all().count()

    assert time.monotonic() - started >= 0.2


def test_a_server_that_goes_down_refuses_and_comes_back_on_the_same_port(
    sandbox: Sandbox, account: Account
) -> None:
    inbox = account.inbox
    port = sandbox.server.port
    sandbox.server.go_down()

    with pytest.raises((ErrorTimeoutExpired, TransportError)):
        inbox.all().count()
    sandbox.server.come_back()

    assert sandbox.server.port == port
    assert inbox.all().count() == 0


def test_a_wrong_password_under_fault_tolerance_becomes_a_rate_limit_error(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    # The trap DESIGN.md warns about: exchangelib retries a 401 as "server busy".
    account = sandbox.account(user, password="wrong", retry_policy=FaultTolerance(max_wait=1))

    with pytest.raises(RateLimitError):
        account.inbox.all().count()


def test_faults_can_be_set_over_http_from_loopback(sandbox: Sandbox, account: Account) -> None:
    inbox = account.inbox
    control = f"{sandbox.server.base_url}/sandbox/faults"

    response = requests.post(control, json={"kind": "throttle", "count": 1, "back_off_ms": 100})

    assert response.status_code == 200
    with pytest.raises(ErrorServerBusy):
        inbox.all().count()
    assert requests.post(control, json={"kind": "teleport"}).status_code == 400
