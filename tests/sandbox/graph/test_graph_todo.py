"""Microsoft To Do on the sandbox, as any Graph client sees it: the default list is the Outlook
Tasks folder (one task, two protocols), todoTask's shape, paging, delta with @removed, open
extensions, and Exchange Online's refusals in Graph's error body."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from exchangelib import EWSDate
from exchangelib import Task as OutlookTask

import app.sync.ews.properties  # noqa: F401  (registers Liaison's properties on exchangelib's items)
from tests.support.graph_http import Graph
from tests.support.sandbox import Sandbox, SandboxUser

MARK = {
    "@odata.type": "microsoft.graph.openTypeExtension",
    "extensionName": "com.liaison.mark",
    "linkState": 2,
    "activityId": 17,
    "clientId": "client-0017",
}


@pytest.fixture
def graph(sandbox: Sandbox, user: SandboxUser) -> Graph:
    return Graph(sandbox, user)


def tasks_url(graph: Graph) -> str:
    (default,) = graph.call("GET", "/me/todo/lists").json()["value"]
    assert default["wellknownListName"] == "defaultList"
    return f"/me/todo/lists/{default['id']}/tasks"


def create(graph: Graph, title: str, **values: Any) -> dict[str, Any]:
    answer = graph.call("POST", tasks_url(graph), json={"title": title, **values})
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def outlook_task(sandbox: Sandbox, user: SandboxUser, subject: str, **fields: Any) -> None:
    account = sandbox.account(user)
    OutlookTask(account=account, folder=account.tasks, subject=subject, **fields).save()


def test_a_task_made_in_to_do_is_an_outlook_task_in_the_tasks_folder(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    create(
        graph,
        "Przygotować wycenę dla Müller",
        importance="high",
        dueDateTime={"dateTime": "2026-10-15T00:00:00", "timeZone": "UTC"},
        body={"content": "Cennik 2027, rabat 5 %.", "contentType": "text"},
    )

    (seen,) = sandbox.account(user).tasks.all()
    assert (seen.subject, seen.importance, seen.status) == (
        "Przygotować wycenę dla Müller",
        "High",
        "NotStarted",
    )
    assert seen.due_date == EWSDate(2026, 10, 15)
    assert seen.body.strip() == "Cennik 2027, rabat 5 %."


def test_an_outlook_task_is_shown_as_a_todo_task_without_a_percentage(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    outlook_task(
        sandbox,
        user,
        "Oddzwonić do Nova Retail",
        due_date=EWSDate(2026, 10, 12),
        status="InProgress",
        percent_complete=Decimal(40),
        categories=["Tracked to Liaison"],
    )

    (task,) = graph.call("GET", tasks_url(graph)).json()["value"]

    assert (task["title"], task["status"], task["importance"]) == (
        "Oddzwonić do Nova Retail",
        "inProgress",
        "normal",
    )
    assert task["dueDateTime"] == {"dateTime": "2026-10-12T00:00:00.0000000", "timeZone": "UTC"}
    assert task["categories"] == ["Tracked to Liaison"]
    assert task["@odata.etag"].startswith('W/"') and "percentComplete" not in task
    assert "completedDateTime" not in task and task["isReminderOn"] is False


def test_completing_a_task_in_to_do_makes_it_100_percent_done_in_outlook(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    task = create(graph, "Wysłać umowę do Acme Logistics", status="inProgress")

    done = graph.call("PATCH", f"{tasks_url(graph)}/{task['id']}", json={"status": "completed"})

    assert done.status_code == 200 and "completedDateTime" in done.json()
    (seen,) = sandbox.account(user).tasks.all()
    assert (seen.status, seen.percent_complete) == ("Completed", Decimal(100))
    assert seen.complete_date is not None


def test_tasks_are_listed_a_page_at_a_time_with_a_next_link(graph: Graph) -> None:
    for number in range(3):
        create(graph, f"Zamówienie nr {number} – potwierdzić")

    first = graph.call("GET", tasks_url(graph), params={"$top": "2"}).json()
    second = graph.call("GET", first["@odata.nextLink"]).json()

    assert len(first["value"]) == 2
    assert [t["title"] for t in second["value"]] == ["Zamówienie nr 2 – potwierdzić"]
    assert "@odata.nextLink" not in second


def test_a_task_delta_pages_then_lists_what_changed_and_what_was_removed(graph: Graph) -> None:
    url = tasks_url(graph)
    kept = create(graph, "Faktura 2026/10/17 – sprawdzić")
    gone = create(graph, "Reklamacja 4711 – odpowiedzieć")
    create(graph, "Angebot Wartungsvertrag – nachfassen")
    headers = {"Prefer": "odata.maxpagesize=2"}
    first = graph.call("GET", f"{url}/delta", headers=headers).json()
    second = graph.call("GET", first["@odata.nextLink"], headers=headers).json()

    graph.call("PATCH", f"{url}/{kept['id']}", json={"importance": "high"})
    graph.call("DELETE", f"{url}/{gone['id']}")
    later = graph.call("GET", second["@odata.deltaLink"]).json()

    assert len(first["value"]) == 2 and "@odata.deltaLink" not in first
    assert len(second["value"]) == 1 and "@odata.deltaLink" in second
    changed = {v["id"]: v for v in later["value"]}
    assert changed[kept["id"]]["importance"] == "high"
    assert changed[gone["id"]]["@removed"] == {"reason": "deleted"}


def test_a_delta_of_tasks_cannot_expand_their_extensions(graph: Graph) -> None:
    answer = graph.call("GET", f"{tasks_url(graph)}/delta", params={"$expand": "extensions"})

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "BadRequest"
    assert error["message"].startswith("Parsing OData Select and Expand failed")


def test_an_open_extension_made_with_the_task_is_read_by_expanding_it(graph: Graph) -> None:
    task = create(graph, "Przegląd umowy – Acme", extensions=[MARK])

    read = graph.call(
        "GET",
        f"{tasks_url(graph)}/{task['id']}",
        params={"$expand": "extensions($filter=id eq 'com.liaison.mark')"},
    ).json()

    (extension,) = read["extensions"]
    assert extension["extensionName"] == "com.liaison.mark"
    assert (extension["activityId"], extension["clientId"]) == (17, "client-0017")


def test_an_extension_update_replaces_its_data(graph: Graph) -> None:
    task = create(graph, "Przegląd umowy – Acme", extensions=[MARK])
    url = f"{tasks_url(graph)}/{task['id']}/extensions/com.liaison.mark"

    patched = graph.call("PATCH", url, json={"linkState": 0})

    assert patched.status_code == 200
    extension = graph.call("GET", url).json()
    assert extension["linkState"] == 0 and "clientId" not in extension
    assert extension["id"] == "Microsoft.OutlookServices.OpenTypeExtension.com.liaison.mark"


def test_creating_an_extension_the_task_has_is_a_conflict(graph: Graph) -> None:
    task = create(graph, "Przegląd umowy – Acme", extensions=[MARK])

    again = graph.call("POST", f"{tasks_url(graph)}/{task['id']}/extensions", json=MARK)

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "NameAlreadyExists"


def test_an_extension_is_not_liaisons_mapi_mark_for_ews(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    """Exchange keeps open extensions to itself: EWS reads the category, not the mark."""
    create(graph, "Przegląd umowy – Acme", categories=["Tracked to Liaison"], extensions=[MARK])

    (seen,) = sandbox.account(user).tasks.all()

    assert seen.categories == ["Tracked to Liaison"]
    assert (seen.liaison_client_id, seen.liaison_activity_id) == (None, None)


def test_a_todo_task_has_no_single_value_extended_properties(graph: Graph) -> None:
    task = create(graph, "Oddzwonić do Nova Retail")

    answer = graph.call(
        "PATCH",
        f"{tasks_url(graph)}/{task['id']}",
        json={"singleValueExtendedProperties": [{"id": "String 0x001A", "value": "x"}]},
    )

    assert answer.status_code == 400
    assert "singleValueExtendedProperties" in answer.json()["error"]["message"]


def test_a_status_to_do_does_not_know_is_refused(graph: Graph) -> None:
    answer = graph.call("POST", tasks_url(graph), json={"title": "Oferta", "status": "started"})

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "BadRequest" and "taskStatus" in error["message"]


def test_an_update_refused_for_one_property_changes_none(graph: Graph) -> None:
    task = create(graph, "Oddzwonić do Nova Retail")
    url = f"{tasks_url(graph)}/{task['id']}"

    refused = graph.call("PATCH", url, json={"title": "Oddzwonić jutro", "importance": "urgent"})

    assert refused.status_code == 400
    assert graph.call("GET", url).json()["title"] == "Oddzwonić do Nova Retail"


def test_a_stale_etag_is_refused_with_412(graph: Graph) -> None:
    task = create(graph, "Oddzwonić do Nova Retail")
    url = f"{tasks_url(graph)}/{task['id']}"
    graph.call("PATCH", url, json={"importance": "high"})

    answer = graph.call(
        "PATCH", url, json={"status": "completed"}, headers={"If-Match": task["@odata.etag"]}
    )

    assert answer.status_code == 412
    assert answer.json()["error"]["code"] == "ErrorIrresolvableConflict"


def test_a_task_deleted_in_to_do_goes_to_deleted_items_and_is_not_found_after(
    graph: Graph, sandbox: Sandbox, user: SandboxUser
) -> None:
    task = create(graph, "Reklamacja 4711 – odpowiedzieć")
    url = f"{tasks_url(graph)}/{task['id']}"

    assert graph.call("DELETE", url).status_code == 204

    again = graph.call("GET", url)
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "ErrorItemNotFound"
    assert [i.subject for i in sandbox.account(user).trash.all()] == [
        "Reklamacja 4711 – odpowiedzieć"
    ]


def test_a_list_that_is_not_a_task_folder_is_not_found(graph: Graph) -> None:
    inbox = graph.call("GET", "/me/mailFolders/inbox").json()["id"]

    answer = graph.call("GET", f"/me/todo/lists/{inbox}/tasks")

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "ErrorItemNotFound"


def test_a_well_known_folder_name_is_no_list_id(graph: Graph) -> None:
    answer = graph.call("GET", "/me/todo/lists/tasks/tasks")

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "ErrorInvalidIdMalformed"
