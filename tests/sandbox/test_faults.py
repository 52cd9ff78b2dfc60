"""The fault switchboard against exchangelib's retry policies: throttling, HTTP errors, dropped
connections, latency, a server that goes down and comes back; SOAP faults, item writes that
fail on their own, answers held back after the change is made."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from exchangelib import Account, FaultTolerance, Message
from exchangelib.errors import (
    ErrorInternalServerError,
    ErrorIrresolvableConflict,
    ErrorServerBusy,
    ErrorTimeoutExpired,
    RateLimitError,
    TransportError,
)
from exchangelib.items import AUTO_RESOLVE, SAVE_ONLY, SEND_TO_NONE
from exchangelib.services import UpdateItem

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


def test_a_connection_dropped_for_one_operation_leaves_the_others_answered_and_it_undone(
    sandbox: Sandbox, account: Account
) -> None:
    offer = _saved(account, "Angebot Paletten 2027")
    sandbox.server.faults.drop_connections(count=1, operation="UpdateItem")
    offer.categories = ["CRM"]

    assert account.inbox.all().count() == 1
    with pytest.raises(ErrorTimeoutExpired):
        offer.save(update_fields=["categories"])

    assert account.inbox.get(id=offer.id).categories is None
    assert sandbox.server.faults.pending == 0


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


class _UpdateEachItem(UpdateItem):
    """UpdateItem as a client that reads each response message on its own: an item whose
    change fails comes back as its exception, the others as their new ids."""

    ERRORS_TO_CATCH_IN_RESPONSE = (
        *UpdateItem.ERRORS_TO_CATCH_IN_RESPONSE,
        ErrorIrresolvableConflict,
    )


def _categorise(account: Account, changes: list[tuple[Message, list[str]]]) -> list[object]:
    for message, categories in changes:
        message.categories = categories
    return list(
        _UpdateEachItem(account=account).call(
            items=[(message, ["categories"]) for message, _ in changes],
            conflict_resolution=AUTO_RESOLVE,
            message_disposition=SAVE_ONLY,
            send_meeting_invitations_or_cancellations=SEND_TO_NONE,
            suppress_read_receipts=True,
        )
    )


def _saved(account: Account, subject: str) -> Message:
    message = Message(account=account, folder=account.inbox, subject=subject)
    message.save()
    return message


def test_a_stale_change_key_in_a_batch_fails_only_that_items_response_message(
    sandbox: Sandbox, account: Account
) -> None:
    offer = _saved(account, "Angebot Paletten 2027")
    invoice = _saved(account, "Rechnung 2026-117")
    stale_offer = account.inbox.get(id=offer.id)
    offer.categories = ["Wichtig"]
    offer.save(update_fields=["categories"])

    results = _categorise(account, [(stale_offer, ["CRM"]), (invoice, ["CRM"])])

    assert isinstance(results[0], ErrorIrresolvableConflict)
    assert not isinstance(results[1], Exception)
    assert account.inbox.get(id=offer.id).categories == ["Wichtig"]
    assert account.inbox.get(id=invoice.id).categories == ["CRM"]


def test_item_write_faults_fail_the_items_with_that_subject_and_change_the_others(
    sandbox: Sandbox, account: Account
) -> None:
    offer = _saved(account, "Angebot Paletten 2027")
    invoice = _saved(account, "Rechnung 2026-117")
    sandbox.server.faults.fail_item_writes("Angebot Paletten 2027", count=1)

    first = _categorise(account, [(offer, ["CRM"]), (invoice, ["CRM"])])
    offer = account.inbox.get(id=offer.id)
    second = _categorise(account, [(offer, ["CRM"])])

    assert isinstance(first[0], ErrorIrresolvableConflict)
    assert not isinstance(first[1], Exception)
    assert not isinstance(second[0], Exception)
    assert account.inbox.get(id=offer.id).categories == ["CRM"]


def test_a_soap_fault_for_one_operation_leaves_the_others_alone(
    sandbox: Sandbox, account: Account
) -> None:
    offer = _saved(account, "Angebot Paletten 2027")
    sandbox.server.faults.fail_soap(count=1, operation="UpdateItem")

    assert account.inbox.all().count() == 1
    offer.categories = ["CRM"]
    with pytest.raises(ErrorInternalServerError):
        offer.save(update_fields=["categories"])
    assert account.inbox.get(id=offer.id).categories is None
    assert sandbox.server.faults.pending == 0


def test_a_held_answer_comes_after_the_change_is_made_on_the_server(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    # One exchangelib protocol for the two: two connections, so the reader is not queued
    # behind the held writer.
    writer = sandbox.account(user, max_connections=2)
    reader = sandbox.account(user, max_connections=2)
    offer = _saved(writer, "Angebot Paletten 2027")
    sandbox.server.faults.hold_answers(count=1, operation="UpdateItem")
    offer.categories = ["CRM"]
    saving = threading.Thread(target=offer.save, kwargs={"update_fields": ["categories"]})
    saving.start()

    assert sandbox.server.faults.wait_until_held(timeout=10)
    assert reader.inbox.get(id=offer.id).categories == ["CRM"]
    assert saving.is_alive()
    sandbox.server.faults.release()
    saving.join(timeout=10)

    assert not saving.is_alive()
    assert sandbox.server.faults.pending == 0


def test_a_429_carries_the_retry_after_the_front_end_asks_for(sandbox: Sandbox) -> None:
    sandbox.server.faults.fail_http(count=1, status=429, retry_after=7)

    answer = requests.post(sandbox.url, data=b"<soap/>", timeout=10)

    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "7"


def test_a_reset_ends_the_latency_of_requests_already_waiting(
    sandbox: Sandbox, account: Account
) -> None:
    inbox = account.inbox
    delayed = sandbox.server.faults.requests_delayed
    sandbox.server.faults.add_latency(30.0)
    failures: list[Exception] = []

    def count() -> None:
        try:
            inbox.all().count()
        except Exception as exc:
            failures.append(exc)

    waiting = threading.Thread(target=count)
    waiting.start()
    while sandbox.server.faults.requests_delayed == delayed:
        waiting.join(0.01)
    sandbox.server.faults.reset()
    sandbox.server.faults.throttle(count=1)  # for a later request, not the one cut short
    waiting.join(timeout=10)

    assert not waiting.is_alive()
    assert isinstance(failures[0], ErrorTimeoutExpired)
    assert sandbox.server.faults.pending == 1
