"""Tasks between the CRM and Microsoft To Do, end to end over Microsoft Graph on the sandbox: the
engine syncs through the Graph backend while the user works in To Do (Graph requests of its
own) or in Outlook (EWS on the same mailbox)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.crm.models import Task
from app.mailbox.models import ActivityLink
from app.services.schedule import ScheduleService
from app.sync.activity_deletion import Unlinked
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.graph_http import Graph
from tests.support.remote import GraphRemote
from tests.sync.engine.test_appointments_and_tasks import CATEGORY, crm_get, crm_task

pytestmark = pytest.mark.parametrize("remote", ["graph"], indirect=True)
SYNCS_AFTER = 3
MARK_EXPAND = "extensions($filter=id eq 'com.liaison.mark')"


class ToDo:
    """Anna in Microsoft To Do: her default list, through Graph."""

    def __init__(self, remote: GraphRemote) -> None:
        self.graph = Graph(remote.sandbox, remote.user)
        (default,) = self.graph.call("GET", "/me/todo/lists").json()["value"]
        self.url = f"/me/todo/lists/{default['id']}/tasks"

    def tasks(self) -> list[dict[str, Any]]:
        answer = self.graph.call("GET", self.url, params={"$expand": MARK_EXPAND})
        return list(answer.json()["value"])

    def create(self, title: str, **values: Any) -> None:
        answer = self.graph.call("POST", self.url, json={"title": title, **values})
        assert answer.status_code == 201

    def change(self, task_id: str, **values: Any) -> None:
        assert self.graph.call("PATCH", f"{self.url}/{task_id}", json=values).status_code == 200

    def delete(self, task_id: str) -> None:
        assert self.graph.call("DELETE", f"{self.url}/{task_id}").status_code == 204


@pytest.fixture
def to_do(remote: GraphRemote) -> ToDo:
    return ToDo(remote)


def in_days(days: int) -> datetime:
    return datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days)


def quote(workspace: Workspace, status: str = "NotStarted") -> int:
    return crm_task(
        workspace,
        subject="Angebot für Müller GmbH vorbereiten",
        due=in_days(5),
        status=status,
        priority="High",
    )


def sync(engine: SyncEngine, times: int = 1) -> None:
    for _ in range(times):
        assert engine.sync_once().ok


def link_of(workspace: Workspace, task_id: int) -> ActivityLink:
    with workspace.local.sessions() as session:
        link = session.query(ActivityLink).filter_by(activity_id=task_id).one()
        session.expunge(link)
        return link


def test_a_task_made_in_the_crm_reaches_the_to_do_list_once_with_liaisons_mark(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo
) -> None:
    task_id = quote(workspace)

    sync(engine, 2)

    (task,) = to_do.tasks()
    assert (task["title"], task["importance"], task["status"]) == (
        "Angebot für Müller GmbH vorbereiten",
        "high",
        "notStarted",
    )
    assert task["dueDateTime"]["dateTime"].startswith(in_days(5).date().isoformat())
    assert task["categories"] == [CATEGORY]
    (mark,) = task["extensions"]
    assert (mark["linkState"], mark["activityId"]) == (2, task_id)


def test_a_task_tracked_in_to_do_by_its_category_is_created_in_the_crm_and_gets_the_mark(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo
) -> None:
    to_do.create(
        "Oddzwonić do Nova Retail",
        categories=[CATEGORY],
        dueDateTime={"dateTime": "2026-10-12T00:00:00", "timeZone": "UTC"},
    )

    sync(engine)

    with workspace.crm.sessions() as session:
        (task,) = session.query(Task).all()
        assert task.subject == "Oddzwonić do Nova Retail"
        assert task.due is not None and task.due.date().isoformat() == "2026-10-12"
    (marked,) = to_do.tasks()
    assert [m["activityId"] for m in marked["extensions"]] == [task.id]


def test_a_task_completed_in_to_do_comes_back_to_the_crm_completed(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo
) -> None:
    task_id = quote(workspace, status="InProgress")
    sync(engine)
    (task,) = to_do.tasks()

    to_do.change(task["id"], status="completed")
    sync(engine)

    done = crm_get(workspace, Task, task_id)
    assert (done.status, done.percent_complete) == ("Completed", 100)


def test_progress_set_in_liaison_between_0_and_100_survives_a_sync_over_to_do(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo
) -> None:
    """To Do shows no percentage; the one Liaison wrote is not taken for a change."""
    task_id = crm_task(
        workspace,
        subject="Przygotować wycenę dla Nova Retail",
        due=in_days(3),
        status="InProgress",
        percent_complete=60,
    )

    sync(engine, SYNCS_AFTER)

    kept = crm_get(workspace, Task, task_id)
    assert (kept.status, kept.percent_complete) == ("InProgress", 60)
    (task,) = to_do.tasks()
    assert task["status"] == "inProgress"


def test_a_task_deleted_in_to_do_unlinks_its_crm_task_which_stays_and_is_not_made_again(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo
) -> None:
    task_id = quote(workspace)
    sync(engine)
    (task,) = to_do.tasks()

    to_do.delete(task["id"])
    sync(engine, SYNCS_AFTER)

    assert to_do.tasks() == []
    assert crm_get(workspace, Task, task_id).subject == "Angebot für Müller GmbH vorbereiten"
    assert link_of(workspace, task_id).unlinked_reason == Unlinked.DELETED_IN_EXCHANGE


def test_an_open_task_deleted_in_liaison_goes_from_to_do_to_deleted_items(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo, remote: GraphRemote
) -> None:
    task_id = quote(workspace)
    sync(engine)

    ScheduleService(workspace).delete_activity(task_id, None)
    sync(engine, SYNCS_AFTER)

    assert to_do.tasks() == []
    assert [seen.subject for seen in remote.items("deleteditems")] == [
        "Angebot für Müller GmbH vorbereiten"
    ]


def test_a_completed_task_deleted_in_liaison_stays_in_to_do_untracked(
    engine: SyncEngine, workspace: Workspace, to_do: ToDo
) -> None:
    task_id = quote(workspace, status="Completed")
    sync(engine)

    ScheduleService(workspace).delete_activity(task_id, None)
    sync(engine, SYNCS_AFTER)

    (task,) = to_do.tasks()
    assert (task["status"], task["categories"]) == ("completed", [])
    assert [mark.get("linkState") for mark in task["extensions"]] == [0]
