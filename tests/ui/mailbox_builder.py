"""A realistic small profile for the window tests: Brightwave's mailbox cache and CRM.

Everything goes through the real models and services, into a real SQLite profile in the test's
LIAISON_HOME, so the window reads exactly what sync and the CLI would have written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.accounts import new_account, save_account
from app.crm.models import Account
from app.crm.records import create_account, create_contact, create_lead, create_opportunity
from app.mailbox.models import MailFolder, MailItem
from app.mailbox.remote import FolderContent
from app.workspace import Workspace

OWNER = "anna.nowak@brightwave.pl"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


@dataclass
class BuiltProfile:
    workspace: Workspace
    folders: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    records: dict[str, int] = field(default_factory=dict)


def add_folder(
    workspace: Workspace, distinguished: str, name: str, content: FolderContent, unread: int = 0
) -> int:
    with workspace.local.sessions.begin() as session:
        folder = MailFolder(
            account=OWNER,
            remote_id=f"folder-{distinguished}",
            parent_remote_id="folder-msgfolderroot",
            distinguished=distinguished,
            display_name=name,
            content=content,
            unread_count=unread,
        )
        session.add(folder)
        session.flush()
        return folder.id


def add_message(
    workspace: Workspace,
    folder_id: int,
    key: str,
    subject: str,
    sender: tuple[str, str],
    to: list[tuple[str, str]],
    received: datetime,
    body_text: str | None = None,
    body_html: str | None = None,
    cc: list[tuple[str, str]] | None = None,
    is_read: bool = True,
    attachments: list[dict[str, object]] | None = None,
    in_reply_to: str | None = None,
    conversation: str | None = None,
) -> int:
    with workspace.local.sessions.begin() as session:
        item = MailItem(
            account=OWNER,
            folder_id=folder_id,
            remote_id=f"item-{key}",
            internet_message_id=f"<{key}@mail.test>",
            subject=subject,
            sender_name=sender[0],
            sender_email=sender[1],
            to_recipients=[{"name": name, "email": email} for name, email in to],
            cc_recipients=[{"name": name, "email": email} for name, email in cc or []],
            received_at=received,
            sent_at=received - timedelta(minutes=1),
            is_read=is_read,
            body_text=body_text,
            body_html=body_html,
            body_fetched=True,
            has_attachments=bool(attachments),
            attachments=attachments or [],
            evaluated=True,
            tracking_rule="not-tracked",
            in_reply_to=in_reply_to,
            references=in_reply_to,
            conversation_id=conversation,
        )
        session.add(item)
        session.flush()
        return item.id


def build_profile() -> BuiltProfile:
    """Anna Nowak of Brightwave, her CRM (Acme, Müller Logistik, a lead) and her mail."""
    workspace = Workspace.open()
    workspace.initialise(OWNER, "Anna Nowak")
    save_account(
        workspace,
        new_account(OWNER, server="https://mail.brightwave.pl", auth="basic"),
        secret="correct horse battery staple",
    )
    built = BuiltProfile(workspace)
    with workspace.crm.sessions.begin() as session:
        owner = workspace.owner(session)
        acme = create_account(
            session, "Acme Sp. z o.o.", ["biuro@acme.pl"], owner, city="Warszawa", country="Polska"
        )
        mueller = create_account(
            session, "Müller Logistik GmbH", ["info@mueller-logistik.de"], owner, city="Hamburg"
        )
        jan = create_contact(
            session, "Jan", "Kowalski", ["jan.kowalski@acme.pl"], owner, acme, job_title="CTO"
        )
        katrin = create_contact(
            session, "Katrin", "Müller", ["k.mueller@mueller-logistik.de"], owner, mueller
        )
        lukasz = create_contact(session, "Łukasz", "Żółć", ["lukasz.zolc@acme.pl"], owner, acme)
        ewa = create_lead(
            session,
            "Ewa",
            "Wiśniewska",
            ["ewa@wisniewska-design.pl"],
            owner,
            company="Wiśniewska Design",
        )
        renewal = create_opportunity(session, "Acme: 40 licences for 2027", acme, owner)
        built.records = {
            "acme": acme.id,
            "mueller": mueller.id,
            "jan": jan.id,
            "katrin": katrin.id,
            "lukasz": lukasz.id,
            "ewa": ewa.id,
            "renewal": renewal.id,
        }
    inbox = add_folder(workspace, "inbox", "Inbox", FolderContent.MAIL, unread=2)
    sent = add_folder(workspace, "sentitems", "Sent Items", FolderContent.MAIL)
    calendar = add_folder(workspace, "calendar", "Calendar", FolderContent.CALENDAR)
    tasks = add_folder(workspace, "tasks", "Tasks", FolderContent.TASKS)
    built.folders = {"inbox": inbox, "sent": sent, "calendar": calendar, "tasks": tasks}
    anna = ("Anna Nowak", OWNER)
    built.items["offer"] = add_message(
        workspace,
        inbox,
        "offer-2027",
        "Oferta na licencje 2027",
        ("Jan Kowalski", "jan.kowalski@acme.pl"),
        [anna],
        NOW - timedelta(hours=1),
        body_html=(
            "<p>Dzień dobry Pani Anno,</p><p>w załączeniu przesyłam zapytanie o 40 licencji na "
            "2027 rok.</p><p><img src='https://tracker.example.com/pixel.gif'></p>"
            "<p>Pozdrawiam,<br>Jan Kowalski</p>"
        ),
        cc=[("Łukasz Żółć", "lukasz.zolc@acme.pl"), ("Piotr Zieliński", "p.zielinski@acme.pl")],
        is_read=False,
        attachments=[
            {"name": "zapytanie-2027.pdf", "size": 182_400, "content_type": "application/pdf"}
        ],
    )
    built.items["delivery"] = add_message(
        workspace,
        inbox,
        "delivery-kw47",
        "AW: Lieferung KW 47",
        ("Katrin Müller", "k.mueller@mueller-logistik.de"),
        [anna],
        NOW - timedelta(days=1),
        body_text="Hallo Frau Nowak,\n\ndie Lieferung kommt am Donnerstag.\n\nViele Grüße\nKatrin",
    )
    built.items["newsletter"] = add_message(
        workspace,
        inbox,
        "newsletter-11",
        "Newsletter: listopad 2026",
        ("Sklep Przykład", "news@sklep-przyklad.pl"),
        [anna],
        NOW - timedelta(days=2),
        body_text="Nowości w listopadzie.",
        is_read=False,
    )
    built.items["question"] = add_message(
        workspace,
        inbox,
        "quote-question",
        "Pytanie o wycenę strony",
        ("Ewa Wiśniewska", "ewa@wisniewska-design.pl"),
        [anna],
        NOW - timedelta(days=3),
        body_text="Dzień dobry, czy mogę prosić o wycenę?",
    )
    built.items["reply"] = add_message(
        workspace,
        sent,
        "reply-offer",
        "Re: Oferta na licencje 2027",
        anna,
        [("Jan Kowalski", "jan.kowalski@acme.pl")],
        NOW - timedelta(minutes=20),
        body_text="Dziękuję, odpowiem do piątku.",
        in_reply_to="<offer-2027@mail.test>",
    )
    built.items["review"] = add_scheduled(
        workspace,
        calendar,
        "review",
        "Przegląd oferty z Acme",
        {
            "start": "2026-11-18T09:00:00+00:00",
            "end": "2026-11-18T10:30:00+00:00",
            "location": "Sala Wisła",
        },
    )
    built.items["standup"] = add_scheduled(
        workspace,
        calendar,
        "standup",
        "Daily stand-up",
        {
            "start": "2026-11-02T08:00:00+00:00",
            "end": "2026-11-02T08:15:00+00:00",
            "recurrence": {
                "pattern": "weekly",
                "interval": 1,
                "weekdays": ["Monday", "Wednesday", "Friday"],
                "start": "2026-11-02",
                "end": None,
                "count": None,
                "modified": [
                    {
                        "original_start": "2026-11-20T08:00:00+00:00",
                        "start": "2026-11-20T11:00:00+00:00",
                        "end": "2026-11-20T11:15:00+00:00",
                        "subject": "Stand-up (moved)",
                    }
                ],
                "deleted": ["2026-11-16T08:00:00+00:00"],
            },
        },
    )
    built.items["call-task"] = add_scheduled(
        workspace,
        tasks,
        "call-task",
        "Zadzwonić do Katrin w sprawie dostawy",
        {"due": "2026-11-24T16:00:00+00:00", "status": "InProgress", "percent_complete": 50},
        item_class="IPM.Task",
    )
    return built


def add_scheduled(
    workspace: Workspace,
    folder_id: int,
    key: str,
    subject: str,
    details: dict[str, object],
    item_class: str = "IPM.Appointment",
) -> int:
    with workspace.local.sessions.begin() as session:
        item = MailItem(
            account=OWNER,
            folder_id=folder_id,
            remote_id=f"item-{key}",
            item_class=item_class,
            subject=subject,
            details={"subject": subject, **details},
        )
        session.add(item)
        session.flush()
        return item.id


def account_id_by_name(workspace: Workspace, name: str) -> int:
    with workspace.crm.sessions() as session:
        return next(account.id for account in session.query(Account) if account.name == name)


OFFER_CONVERSATION = "AAQkADAwATM0MDAAMS1iNTcAZC0wMAItMDAKABAAOfferThread2027"


def thread_the_offer(built: BuiltProfile) -> int:
    """Make the offer a conversation, as Exchange groups it: Jan's offer, Anna's reply in Sent
    Items and Jan's answer to it, unread in the Inbox (the answer's id)."""
    with built.workspace.local.sessions.begin() as session:
        for key in ("offer", "reply"):
            item = session.get(MailItem, built.items[key])
            assert item is not None
            item.conversation_id = OFFER_CONVERSATION
    built.items["offer answer"] = add_message(
        built.workspace,
        built.folders["inbox"],
        "offer-answer",
        "RE: Oferta na licencje 2027",
        ("Jan Kowalski", "jan.kowalski@acme.pl"),
        [("Anna Nowak", OWNER)],
        NOW - timedelta(minutes=5),
        body_text="Dziękuję, czekam do piątku.",
        is_read=False,
        in_reply_to="<reply-offer@mail.test>",
        conversation=OFFER_CONVERSATION,
    )
    return built.items["offer answer"]
