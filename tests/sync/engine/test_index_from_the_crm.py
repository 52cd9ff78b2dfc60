"""The tracking index loaded from the CRM: what every sync that brings mail decides from. It
is read as rows of the columns it keeps; it must hold what the stored activities say."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.crm.index_loader import activities_by_id, load_tracking_index, tracked_activity
from app.crm.models import Account
from app.crm.records import (
    create_account,
    create_contact,
    create_lead,
    create_opportunity,
    create_queue,
    create_user,
    record_ref,
)
from app.mailbox.models import MailItem
from app.services.tracking import MailboxTracking
from app.sync.engine import SyncEngine
from app.tracking.index import TrackingIndex
from app.workspace import Workspace
from tests.sync.engine.conftest import Crm, set_options

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
GRETA = "Greta Schulz <greta.schulz@mueller-mb.example>"
JAN = "Jan Kowalski <jan.kowalski@nova-retail.example>"


def item_id(workspace: Workspace, subject: str) -> int:
    with workspace.local.sessions() as session:
        return session.scalars(select(MailItem.id).where(MailItem.subject == subject)).one()


def test_the_loaded_index_holds_each_tracked_activity_as_the_crm_stores_it(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all")
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    crm.contact("Łukasz", "Wiśniewski", "l.wisniewski@acme-logistics.example", acme)
    offer = deliver(LUKASZ, "Oferta na Q4 CRM:0000042")
    deliver(LUKASZ, "Odp: Oferta na Q4 CRM:0000042", in_reply_to=offer)
    deliver(GRETA, "Angebot Wartungsvertrag")
    deliver(JAN, "Zapytanie o palety")
    engine.sync_once()
    with workspace.crm.sessions.begin() as session:
        # An opportunity has no address: the index meets it only as what an email is about.
        deal = create_opportunity(
            session, "Palety 2027", session.get(Account, acme), workspace.owner(session)
        )
        deal_key = str(deal.id)
    tracking = MailboxTracking(workspace)
    tracking.set_regarding(item_id(workspace, "Angebot Wartungsvertrag"), ("opportunity", deal_key))
    tracking.untrack(item_id(workspace, "Zapytanie o palety"))

    expected = TrackingIndex()
    with workspace.crm.sessions() as session:
        loaded = load_tracking_index(session)
        stored = activities_by_id(session, [activity.id for activity in crm.email_activities()])
        for activity in stored:
            if activity.tracked:
                expected.add_activity(tracked_activity(activity))
    assert len(stored) == 4 and expected.activity_count() == 3
    assert [loaded.activity(a.id) for a in stored] == [expected.activity(a.id) for a in stored]
    (about_the_deal,) = [a for a in stored if a.subject == "Angebot Wartungsvertrag"]
    indexed = loaded.activity(about_the_deal.id)
    assert indexed is not None and indexed.regarding is not None
    assert indexed.regarding.name == "Palety 2027"
    (untracked,) = [a for a in stored if not a.tracked]
    assert loaded.is_manually_untracked(untracked.message_id)


def test_the_loaded_index_names_every_kind_of_record_as_the_crm_does(
    workspace: Workspace,
) -> None:
    with workspace.crm.sessions.begin() as session:
        anna = workspace.owner(session)
        acme = create_account(
            session, "Acme Logistics Sp. z o.o.", ["biuro@acme-logistics.example"], anna
        )
        records = [
            anna,
            acme,
            create_contact(
                session,
                "Łukasz",
                "Wiśniewski",
                ["l.wisniewski@acme-logistics.example", "lukasz@prywatny.example"],
                anna,
                acme,
            ),
            create_lead(session, "", "Schulz", ["greta.schulz@mueller-mb.example"], anna),
            create_queue(session, "Serwis", ["serwis@brightwave.example"], anna),
            create_user(session, "Piotr Zieliński", ["p.zielinski@brightwave.example"]),
        ]
        expected = {
            address.normalized: record_ref(record)
            for record in records
            for address in record.addresses
        }
    with workspace.crm.sessions() as session:
        loaded = load_tracking_index(session)
    assert {email: loaded.records_for(email) for email in expected} == {
        email: (ref,) for email, ref in expected.items()
    }
    assert expected["greta.schulz@mueller-mb.example"].name == "Schulz"
