"""POST /me/translateExchangeIds on the sandbox, as an app moving from EWS to Graph calls it:
EWS ids in, Graph's ids out (they open the same message through Graph), per-id errors beside
the ids that convert, Graph's limit of 1000 ids, and Graph's answer to a request it refuses."""

from __future__ import annotations

from email.utils import make_msgid
from typing import Any

import pytest
import requests
from exchangelib import Message

from tests.support.sandbox import Sandbox, SandboxUser, make_account


def _mail(user: SandboxUser, subject: str) -> bytes:
    return (
        "From: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>\r\n"
        f"To: {user.address}\r\nSubject: {subject}\r\n"
        f"Message-ID: {make_msgid(domain='acme-logistics.example')}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nDzień dobry.\r\n"
    ).encode()


class Graph:
    def __init__(self, sandbox: Sandbox, user: SandboxUser) -> None:
        self.root = sandbox.server.graph_url
        token = sandbox.server.graph_tokens.issue(user.address)
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, url: str, **options: Any) -> requests.Response:
        return self.session.request(method, self.root + url, timeout=10, **options)

    def translate(self, ids: list[str], source: str, target: str) -> requests.Response:
        body = {"inputIds": ids, "sourceIdType": source, "targetIdType": target}
        return self.call("POST", "/me/translateExchangeIds", json=body)


def _ews_ids(sandbox: Sandbox, user: SandboxUser, count: int) -> tuple[list[str], str]:
    """The EWS ids of `count` messages delivered to the Inbox, and the Inbox's, as EWS gives."""
    for number in range(count):
        sandbox.server.deliver(user.address, _mail(user, f"Zamówienie nr {number}"))
    account = make_account(sandbox.url, user.address, user.password)
    listed = account.inbox.all().order_by("datetime_received")
    return [str(m.id) for m in listed if isinstance(m, Message)], str(account.inbox.id)


def test_ews_ids_translate_to_graph_ids_that_open_the_same_message_and_folder(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    (message_id,), inbox_id = _ews_ids(sandbox, user, 1)

    answer = graph.translate([message_id, inbox_id], "ewsId", "restId")

    assert answer.status_code == 200
    message, folder = answer.json()["value"]
    assert message["sourceId"] == message_id and folder["sourceId"] == inbox_id
    opened = graph.call("GET", f"/me/messages/{message['targetId']}").json()
    assert opened["subject"] == "Zamówienie nr 0"
    assert graph.call("GET", f"/me/mailFolders/{folder['targetId']}").json()["displayName"] == (
        "Inbox"
    )


@pytest.mark.parametrize("through", ["entryId", "ewsId"])
def test_a_graph_id_goes_to_another_format_and_back_unchanged(
    sandbox: Sandbox, user: SandboxUser, through: str
) -> None:
    graph = Graph(sandbox, user)
    sandbox.server.deliver(user.address, _mail(user, "Oferta na Q4"))
    (listed,) = graph.call("GET", "/me/mailFolders/inbox/messages").json()["value"]

    there = graph.translate([listed["id"]], "restId", through).json()["value"][0]["targetId"]
    back = graph.translate([there], through, "restId").json()["value"][0]["targetId"]

    assert back == listed["id"]


def test_an_id_that_cannot_be_translated_gets_its_error_and_the_others_translate(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    graph = Graph(sandbox, user)
    (message_id,), _ = _ews_ids(sandbox, user, 1)

    answer = graph.translate(["not-an-id", message_id], "ewsId", "restId")

    assert answer.status_code == 200
    broken, translated = answer.json()["value"]
    assert broken == {
        "sourceId": "not-an-id",
        "errorDetails": {"code": "ErrorInvalidIdMalformed", "message": "Id is malformed."},
    }
    assert "targetId" in translated and "errorDetails" not in translated


def test_another_mailboxs_id_is_refused_for_that_id_alone(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    colleague = sandbox.new_user("Piotr Zieliński")
    (theirs,), _ = _ews_ids(sandbox, colleague, 1)

    answer = Graph(sandbox, user).translate([theirs], "ewsId", "restId")

    assert answer.json()["value"][0]["errorDetails"]["code"] == "ErrorAccessDenied"


def test_more_than_a_thousand_ids_are_refused_whole(sandbox: Sandbox, user: SandboxUser) -> None:
    (message_id,), _ = _ews_ids(sandbox, user, 1)

    answer = Graph(sandbox, user).translate([message_id] * 1001, "ewsId", "restId")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "BadRequest"
    assert "1000" in answer.json()["error"]["message"]


def test_an_unknown_id_format_is_refused_as_graph_refuses_a_bad_enum_value(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    (message_id,), _ = _ews_ids(sandbox, user, 1)

    answer = Graph(sandbox, user).translate([message_id], "ewsId", "graphId")

    assert answer.status_code == 400
    assert "microsoft.graph.exchangeIdFormat" in answer.json()["error"]["message"]
