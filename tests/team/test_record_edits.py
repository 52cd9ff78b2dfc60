"""Records edited through the CRM services in a team: offline edits of one record by two users
merged field by field, and every client's history saying who changed what and which value a
merge kept aside."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.crm.editing import KEPT_ASIDE, HistoryEntry
from app.crm.qualification import QualifyChoice
from app.crm.search import RecordKey
from app.services.records import RecordService
from app.tracking.model import RecordType
from tests.team.conftest import Client, Team
from tests.team.test_offline_and_merge import ANNA, PIOTR


def save(client: Client, key: RecordKey | None, **values: object) -> RecordKey:
    with client.workspace() as workspace:
        return RecordService(workspace).save_record(RecordType.CONTACT, values, key).key


def history(client: Client, key: RecordKey) -> list[HistoryEntry]:
    with client.workspace() as workspace:
        return RecordService(workspace).record_history(key)


def fields(client: Client, key: RecordKey) -> dict[str, Any]:
    with client.workspace() as workspace:
        return RecordService(workspace).record_form(key).values


def shared_contact(anna: Client, piotr: Client) -> RecordKey:
    """Jan Kowalski, created by Anna through the services and known to both."""
    save(
        anna,
        None,
        first_name="Jan",
        last_name="Kowalski",
        emails=["jan.kowalski@hurtownia-wisla.example"],
        job_title="Kierownik zakupów",
        phone="+48 22 100 20 30",
    )
    anna.sync()
    piotr.sync()
    with piotr.workspace() as workspace:
        found = RecordService(workspace).find_record(
            RecordType.CONTACT, "jan.kowalski@hurtownia-wisla.example"
        )
    return found.key


def test_two_offline_edits_of_different_fields_are_both_kept(team: Team) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    key = shared_contact(anna, piotr)
    anna.go_offline()
    piotr.go_offline()

    save(anna, key, job_title="Dyrektor zakupów")
    save(piotr, key, mobile_phone="+48 600 700 800", last_name="Kowalski-Nowak")
    for client in (anna, piotr):
        client.come_back()
    anna.sync()
    piotr.sync()
    anna.sync()

    for client in (anna, piotr):
        values = fields(client, key)
        assert (values["job_title"], values["mobile_phone"], values["last_name"]) == (
            "Dyrektor zakupów",
            "+48 600 700 800",
            "Kowalski-Nowak",
        ), client.profile
        who = {(entry.field, entry.who) for entry in history(client, key)}
        assert {("job_title", "Anna Nowak"), ("mobile_phone", "Piotr Zieliński")} <= who


def test_the_later_edit_of_one_field_wins_and_the_other_is_in_everyones_history(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    key = shared_contact(anna, piotr)
    anna.go_offline()
    piotr.go_offline()

    save(piotr, key, phone="+48 600 700 800")  # the earlier edit
    save(anna, key, phone="+48 22 111 11 11")  # the later one
    for client in (anna, piotr):
        client.come_back()
    anna.sync()
    piotr.sync()
    anna.sync()

    assert rows("SELECT phone FROM contacts WHERE id = :id", id=key.id) == [("+48 22 111 11 11",)]
    for client in (anna, piotr):
        assert fields(client, key)["phone"] == "+48 22 111 11 11", client.profile
        [kept] = [entry for entry in history(client, key) if entry.action == KEPT_ASIDE]
        assert (kept.field, kept.old, kept.new, kept.who) == (
            "phone",
            "+48 600 700 800",
            "+48 22 111 11 11",
            "Piotr Zieliński",
        ), client.profile


def test_a_qualified_lead_reaches_the_team_with_what_it_made(
    team: Team, rows: Callable[..., list[Any]]
) -> None:
    anna, piotr = team.client(*ANNA), team.client(*PIOTR)
    anna.go_offline()
    with anna.workspace() as workspace:
        records = RecordService(workspace)
        lead = records.save_record(
            RecordType.LEAD,
            {"last_name": "Wiśniewska", "first_name": "Ewa", "company": "Wiśniewska Design",
             "emails": ["ewa@wisniewska-design.example"], "topic": "Nowa strona sklepu"},
        )  # fmt: skip
        records.qualify_lead(lead.key, QualifyChoice())
    anna.come_back()
    anna.sync()
    piotr.sync()

    assert rows("SELECT name, lead_id IS NOT NULL FROM opportunities") == [
        ("Nowa strona sklepu", True)
    ]
    assert rows("SELECT status, active FROM leads JOIN records USING (id)") == [
        ("qualified", False)
    ]
    with piotr.workspace() as workspace:
        [hit] = RecordService(workspace).search_records("Nowa strona sklepu")
        assert hit.key.type is RecordType.OPPORTUNITY
