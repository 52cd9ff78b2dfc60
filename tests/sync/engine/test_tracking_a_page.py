"""A page of pull stores its tracked mail together (app.sync.tracked_page): the activities are
the ones message-by-message tracking made, and a page's messages see each other."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.crm.models import ActivityMailbox, ActivityParty, IssuedToken
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.sync.engine.conftest import Crm, cached_items, set_options

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
EWA = "Ewa Kowalska <ewa.kowalska@acme-logistics.example>"


def test_tracked_mail_of_a_page_gets_activities_parties_and_the_mailbox_link(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Zamówienie 17")
    deliver(EWA, "Faktura 2026/17")

    engine.sync_once()

    activities = crm.email_activities()
    assert sorted(a.subject for a in activities) == ["Faktura 2026/17", "Zamówienie 17"]
    assert all(a.tracked and a.tracked_how == "automatic" for a in activities)
    with workspace.crm.sessions() as session:
        parties = session.scalars(select(ActivityParty)).all()
        mailboxes = session.scalars(select(ActivityMailbox)).all()
    senders = {p.activity_id: p.normalized for p in parties if p.role == "sender"}
    assert sorted(senders.values()) == [
        "ewa.kowalska@acme-logistics.example",
        "l.wisniewski@acme-logistics.example",
    ]
    assert sorted(m.activity_id for m in mailboxes) == sorted(a.id for a in activities)
    cached = {item.subject: item for item in cached_items(workspace)}
    assert {cached[a.subject].activity_id for a in activities} == {a.id for a in activities}


def test_a_reply_in_the_same_page_correlates_with_the_message_tracked_before_it(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    set_options(workspace, track="crm-contacts")
    crm.contact("Łukasz", "Wiśniewski", "l.wisniewski@acme-logistics.example", acme)
    first = deliver(LUKASZ, "Termin dostawy – partia 4")
    deliver(EWA, "Odp: Termin dostawy – partia 4", in_reply_to=first)

    engine.sync_once()

    by_subject = {a.subject: a for a in crm.email_activities()}
    original = by_subject["Termin dostawy – partia 4"]
    reply = by_subject["Odp: Termin dostawy – partia 4"]
    assert reply.rule == "in-reply-to"
    assert reply.decision is not None
    assert reply.decision["correlated_activity_id"] == original.id


def test_the_tokens_of_tracked_mail_count_as_issued(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all")
    deliver(LUKASZ, "Zamówienie 18 CRM:0001042")

    engine.sync_once()

    with workspace.crm.sessions() as session:
        issued = set(session.scalars(select(IssuedToken.token)))
    assert [a.tracking_token for a in crm.email_activities()] == ["CRM:0001042"]
    assert "CRM:0001042" in issued
