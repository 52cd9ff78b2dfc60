"""Mail delivered to the Inbox goes through the tracking pipeline once, as the options say."""

from __future__ import annotations

from collections.abc import Callable

from exchangelib import ExtendedProperty, Message

from app.crm.records import create_user
from app.services.tracking import TrackingService
from app.sync.engine import SyncEngine
from app.workspace import Workspace
from tests.support.sandbox import Sandbox, SandboxUser
from tests.sync.engine.conftest import (
    MAIL_EVERYWHERE,
    OVER_EWS,
    Crm,
    cached_items,
    mime,
    set_options,
)

ACME = "biuro@acme-logistics.example"
LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
STRANGER = "Piotr Zieliński <piotr.zielinski@nowa-firma.example>"


def track_sent_offer(workspace: Workspace, crm_account_id: int) -> str:
    """Anna's offer to Acme, tracked by hand regarding the Acme account; its Message-ID."""
    message_id = "<oferta-q4@brightwave.example>"
    raw = mime(
        f"Anna Nowak <{workspace.owner_address}>",
        LUKASZ,
        "Oferta: system śledzenia floty",
        message_id=message_id,
    )
    TrackingService(workspace).track_manually(raw, ("account", str(crm_account_id)))
    return message_id


def by_subject(workspace: Workspace) -> dict[str, object]:
    return {item.subject: item for item in cached_items(workspace)}


@MAIL_EVERYWHERE
def test_a_reply_to_tracked_mail_is_tracked_regarding_its_record_by_default(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    acme = crm.account("Acme Logistics", ACME)
    offer = track_sent_offer(workspace, acme)
    deliver(LUKASZ, "Odp: Oferta: system śledzenia floty", in_reply_to=offer)
    deliver(STRANGER, "Zapytanie o współpracę")

    engine.sync_once()

    items = by_subject(workspace)
    reply = items["Odp: Oferta: system śledzenia floty"]
    assert reply.tracking_state == "tracked"
    assert (reply.regarding_type, reply.regarding_id) == ("account", acme)
    assert reply.tracking_rule == "in-reply-to"
    assert items["Zapytanie o współpracę"].tracking_state == "none"
    tracked = [a for a in crm.email_activities() if a.subject.startswith("Odp:")]
    assert len(tracked) == 1 and tracked[0].regarding_id == acme


def test_option_all_tracks_every_received_message(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all")
    deliver(STRANGER, "Zapytanie o współpracę")

    engine.sync_once()

    (item,) = cached_items(workspace)
    assert item.tracking_state == "tracked"
    assert item.tracking_rule == "option-all"


def test_option_crm_contacts_tracks_mail_from_contacts_only(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="crm-contacts")
    crm.contact("Łukasz", "Wiśniewski", "l.wisniewski@acme-logistics.example")
    deliver(LUKASZ, "Termin dostawy")
    deliver(STRANGER, "Zapytanie o współpracę")

    engine.sync_once()

    items = by_subject(workspace)
    assert items["Termin dostawy"].tracking_state == "tracked"
    assert items["Termin dostawy"].tracking_rule == "option-crm-sender"
    assert items["Zapytanie o współpracę"].tracking_state == "none"


def test_option_email_enabled_also_tracks_mail_from_colleagues(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="email-enabled")
    with workspace.crm.sessions.begin() as session:
        create_user(session, "Marek Lis", ["marek.lis@brightwave.example"])
    deliver("Marek Lis <marek.lis@brightwave.example>", "Notatka ze spotkania")
    deliver(STRANGER, "Zapytanie o współpracę")

    engine.sync_once()

    items = by_subject(workspace)
    assert items["Notatka ze spotkania"].tracking_rule == "option-email-enabled-sender"
    assert items["Zapytanie o współpracę"].tracking_state == "none"


def test_auto_creation_makes_a_contact_for_an_unknown_sender(
    engine: SyncEngine, workspace: Workspace, crm: Crm, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all", autocreate="contact")
    deliver(STRANGER, "Zapytanie o współpracę")
    deliver(STRANGER, "Zapytanie o współpracę – uzupełnienie")

    engine.sync_once()

    contacts = [c for c in crm.contacts() if c.emails == ["piotr.zielinski@nowa-firma.example"]]
    assert len(contacts) == 1
    assert (contacts[0].first_name, contacts[0].last_name) == ("Piotr", "Zieliński")
    assert all(item.tracking_state == "tracked" for item in cached_items(workspace))


def test_private_mail_is_not_tracked_even_under_option_all(
    engine: SyncEngine, workspace: Workspace, deliver: Callable[..., str]
) -> None:
    set_options(workspace, track="all")
    deliver(STRANGER, "Sprawy osobiste", sensitivity="Private")

    engine.sync_once()

    (item,) = cached_items(workspace)
    assert item.tracking_state == "none"
    assert item.tracking_rule == "excluded-private"


class _OtherClientsLinkState(ExtendedProperty):
    """How any other EWS client would read Liaison's link state: by property set and name."""

    property_set_id = "3b8f5a1e-6c2d-4e7f-9a41-5d0c7e2b8f63"
    property_name = "LinkState"
    property_type = "Integer"


@OVER_EWS
def test_the_tracking_mark_is_visible_to_an_independent_client(
    engine: SyncEngine,
    workspace: Workspace,
    sandbox: Sandbox,
    mailbox: SandboxUser,
    deliver: Callable[..., str],
) -> None:
    set_options(workspace, track="all")
    deliver(STRANGER, "Zapytanie o współpracę")
    engine.sync_once()

    other = sandbox.account(mailbox)
    Message.register("other_client_link_state", _OtherClientsLinkState)
    try:
        (seen,) = list(other.inbox.all().only("subject", "categories", "other_client_link_state"))
    finally:
        Message.deregister("other_client_link_state")
    assert "Tracked to Liaison" in seen.categories
    assert seen.other_client_link_state == 2
