"""Graph mail on the sandbox, as any Graph client sees it: delta links and their paging, a lost
sync state, a mark written through Graph read through EWS (one mailbox, two protocols),
throttling and $batch."""

from __future__ import annotations

import threading
from email.utils import make_msgid

import pytest
import requests
from exchangelib import Message

import app.sync.ews.properties  # noqa: F401  (registers Liaison's properties on exchangelib's items)
from tests.support.graph_http import Graph
from tests.support.sandbox import Sandbox, SandboxUser

CLIENT_ID = "String {3b8f5a1e-6c2d-4e7f-9a41-5d0c7e2b8f63} Name ClientId"


def _mail(user: SandboxUser, subject: str) -> bytes:
    return (
        "From: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>\r\n"
        f"To: {user.address}\r\nSubject: {subject}\r\n"
        f"Message-ID: {make_msgid(domain='acme-logistics.example')}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nDzień dobry.\r\n"
    ).encode()


def test_a_delta_comes_in_pages_and_its_delta_link_lists_only_what_changed_since(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    for number in range(3):
        sandbox.server.deliver(user.address, _mail(user, f"Zamówienie nr {number}"))
    headers = {"Prefer": "odata.maxpagesize=2"}

    first = graph.call("GET", "/me/mailFolders/inbox/messages/delta", headers=headers).json()
    second = graph.call("GET", first["@odata.nextLink"], headers=headers).json()
    sandbox.server.deliver(user.address, _mail(user, "Reklamacja 4711"))
    third = graph.call("GET", second["@odata.deltaLink"]).json()

    assert len(first["value"]) == 2 and "@odata.deltaLink" not in first
    assert [m["subject"] for m in second["value"]] == ["Zamówienie nr 2"]
    assert [m["subject"] for m in third["value"]] == ["Reklamacja 4711"]


def test_a_delta_link_names_its_folder_in_the_key_syntax_graph_v1_gives_and_can_be_followed(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    """As in Microsoft's message: delta reference ("/me/mailfolders('{id}')/messages/delta?
    $skiptoken=..."), whichever way the first request named the folder."""
    graph = Graph(sandbox, user)
    for number in range(2):
        sandbox.server.deliver(user.address, _mail(user, f"Zamówienie nr {number}"))
    inbox = graph.call("GET", "/me/mailFolders/inbox").json()["id"]
    headers = {"Prefer": "odata.maxpagesize=1"}

    first = graph.call("GET", f"/me/mailFolders/{inbox}/messages/delta", headers=headers).json()
    second = graph.call("GET", first["@odata.nextLink"], headers=headers).json()

    assert f"/v1.0/me/mailfolders('{inbox}')/messages/delta?$skiptoken=" in first["@odata.nextLink"]
    assert f"/me/mailfolders('{inbox}')/messages/delta?$deltatoken=" in second["@odata.deltaLink"]
    assert [m["subject"] for m in second["value"]] == ["Zamówienie nr 1"]


def test_a_delta_token_the_server_does_not_know_is_gone(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    answer = Graph(sandbox, user).call(
        "GET", "/me/mailFolders/inbox/messages/delta?$deltatoken=H4sIAAAAAAAEAO29B2AcSZYlJi9t"
    )

    assert answer.status_code == 410
    assert answer.json()["error"]["code"] == "syncStateNotFound"


def test_a_mark_written_through_graph_is_read_through_ews(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    sandbox.server.deliver(user.address, _mail(user, "Oferta na Q4"))
    (listed,) = graph.call("GET", "/me/mailFolders/inbox/messages").json()["value"]

    patched = graph.call(
        "PATCH",
        f"/me/messages/{listed['id']}",
        json={
            "categories": ["Tracked to Liaison"],
            "singleValueExtendedProperties": [{"id": CLIENT_ID, "value": "client-0001"}],
            "flag": {"flagStatus": "flagged"},
        },
    )

    assert patched.status_code == 200
    (seen,) = sandbox.account(user).inbox.all()
    assert isinstance(seen, Message)
    assert seen.categories == ["Tracked to Liaison"]
    assert seen.liaison_client_id == "client-0001"
    assert seen.mapi_flag_status == 2


def test_a_stale_etag_is_refused_with_412(sandbox: Sandbox, user: SandboxUser) -> None:
    graph = Graph(sandbox, user)
    sandbox.server.deliver(user.address, _mail(user, "Termin dostawy"))
    (listed,) = graph.call("GET", "/me/mailFolders/inbox/messages").json()["value"]
    graph.call("PATCH", f"/me/messages/{listed['id']}", json={"isRead": True})

    answer = graph.call(
        "PATCH",
        f"/me/messages/{listed['id']}",
        json={"categories": ["Pilne"]},
        headers={"If-Match": listed["@odata.etag"]},
    )

    assert answer.status_code == 412


def test_throttling_answers_429_with_retry_after_in_seconds(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    sandbox.server.faults.throttle(1, back_off_ms=1500)

    answer = Graph(sandbox, user).call("GET", "/me/mailFolders/inbox")

    assert answer.status_code == 429
    assert answer.headers["Retry-After"] == "2"
    assert answer.json()["error"]["code"] == "TooManyRequests"


def test_a_batch_answers_each_request_with_its_own_status(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    answer = Graph(sandbox, user).call(
        "POST",
        "/$batch",
        json={
            "requests": [
                {"id": "1", "method": "GET", "url": "/me/mailFolders/inbox"},
                {"id": "2", "method": "GET", "url": "/me/messages/AAMkAGI2"},
            ]
        },
    )

    statuses = {r["id"]: r["status"] for r in answer.json()["responses"]}
    assert answer.status_code == 200 and statuses == {"1": 200, "2": 400}


def test_a_request_failed_inside_a_batch_fails_alone(sandbox: Sandbox, user: SandboxUser) -> None:
    sandbox.server.faults.fail_in_batch(1, 500)

    answer = Graph(sandbox, user).call(
        "POST",
        "/$batch",
        json={
            "requests": [
                {"id": "1", "method": "GET", "url": "/me/mailFolders/inbox"},
                {"id": "2", "method": "GET", "url": "/me/mailFolders/sentitems"},
            ]
        },
    )

    responses = {r["id"]: r for r in answer.json()["responses"]}
    assert answer.status_code == 200
    assert responses["1"]["status"] == 500
    assert responses["1"]["body"]["error"]["code"] == "generalException"
    assert responses["2"]["status"] == 200


def test_a_held_graph_answer_comes_after_the_move_is_made_on_the_server(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    sandbox.server.deliver(user.address, _mail(user, "Reklamacja 4711"))
    (listed,) = graph.call("GET", "/me/mailFolders/inbox/messages").json()["value"]
    sandbox.server.faults.hold_answers(count=1, operation="POST /me/messages/*/move")
    moving = threading.Thread(
        target=graph.call,
        args=("POST", f"/me/messages/{listed['id']}/move"),
        kwargs={"json": {"destinationId": "deleteditems"}},
    )
    moving.start()

    assert sandbox.server.faults.wait_until_held(timeout=10)
    assert [m.subject for m in sandbox.account(user).trash.all()] == ["Reklamacja 4711"]
    assert moving.is_alive()
    sandbox.server.faults.release()
    moving.join(timeout=10)

    assert not moving.is_alive()
    assert sandbox.server.faults.pending == 0


def test_a_request_inside_a_batch_holds_the_answer_of_the_whole_batch(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    sandbox.server.deliver(user.address, _mail(user, "Termin dostawy"))
    (listed,) = graph.call("GET", "/me/mailFolders/inbox/messages").json()["value"]
    sandbox.server.faults.hold_answers(count=1, operation="PATCH /me/messages/*")
    patch = {
        "id": "1",
        "method": "PATCH",
        "url": f"/me/messages/{listed['id']}",
        "body": {"isRead": True},
        "headers": {"Content-Type": "application/json"},
    }
    batch = threading.Thread(
        target=graph.call, args=("POST", "/$batch"), kwargs={"json": {"requests": [patch]}}
    )
    batch.start()

    assert sandbox.server.faults.wait_until_held(timeout=10)
    (seen,) = sandbox.account(user).inbox.all()
    assert seen.is_read  # type: ignore[attr-defined]
    sandbox.server.faults.release()
    batch.join(timeout=10)

    assert not batch.is_alive()
    assert sandbox.server.faults.pending == 0


def test_a_connection_dropped_for_one_graph_request_leaves_the_others_answered(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    sandbox.server.deliver(user.address, _mail(user, "Reklamacja 4711"))
    sandbox.server.faults.drop_connections(1, operation="POST /me/messages/*/move")

    (listed,) = graph.call("GET", "/me/mailFolders/inbox/messages").json()["value"]
    with pytest.raises(requests.ConnectionError):
        graph.call("POST", f"/me/messages/{listed['id']}/move", json={"destinationId": "archive"})

    assert [m.subject for m in sandbox.account(user).inbox.all()] == ["Reklamacja 4711"]
    assert sandbox.server.faults.pending == 0
