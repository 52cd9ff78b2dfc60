"""Writes the demo to a directory: mail as .eml files, JSON for mailbox, calendar, tasks and
tracked messages, CSV for the CRM, and the README. Files the demo no longer has are removed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import UTC
from pathlib import Path

from . import cast, crm
from .agenda import APPOINTMENTS, TASKS, TRACKED_ACTIVITIES
from .build import Demo
from .mail import INBOX, SENT_ITEMS, Mail, folder_of
from .mime import to_bytes
from .readme import render_readme

OWNER_USER_NUMBER = 1
GITATTRIBUTES = (
    "# The .eml files are RFC 5322 with CRLF line ends: keep their bytes as written.\n*.eml -text\n"
)


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _json(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _numbered(mails: Iterable[Mail]) -> dict[str, list[Mail]]:
    """Each folder's messages in date order (ties broken by Message-ID, so the order is stable)."""
    folders: dict[str, list[Mail]] = {INBOX: [], SENT_ITEMS: []}
    for mail in mails:
        folders[folder_of(mail, cast.ANNA)].append(mail)
    for messages in folders.values():
        messages.sort(key=lambda mail: (mail.sent_at.astimezone(UTC), mail.message_id))
    return folders


def _write_mail(out: Path, folders: dict[str, list[Mail]]) -> dict[str, str]:
    paths: dict[str, str] = {}
    for folder, messages in folders.items():
        directory = out / "mail" / folder
        directory.mkdir(parents=True, exist_ok=True)
        written = set()
        for number, mail in enumerate(messages, start=1):
            name = f"{number:03d}.eml"
            _write(directory / name, to_bytes(mail))
            written.add(name)
            paths[mail.message_id] = f"mail/{folder}/{name}"
        for stale in directory.glob("*.eml"):
            if stale.name not in written:
                stale.unlink()
    return paths


def _person_entry(person: cast.Person) -> dict[str, str]:
    return {"name": person.name, "email": person.email, "password": cast.PASSWORD}


def _write_crm(out: Path) -> None:
    directory = out / "crm"
    _write(directory / "accounts.csv", _csv(
        ("name", "email", "website", "phone", "city", "country"),
        ((a.name, a.email, a.website, a.phone, a.city, a.country) for a in crm.ACCOUNTS),
    ))  # fmt: skip
    _write(directory / "contacts.csv", _csv(
        ("first_name", "last_name", "email", "account", "job_title", "phone"),
        ((c.person.first, c.person.last, ";".join(c.emails), c.account.name, c.person.job_title,
          c.person.phone) for c in crm.CONTACTS),
    ))  # fmt: skip
    _write(directory / "leads.csv", _csv(
        ("first_name", "last_name", "email", "company", "topic"),
        ((lead.person.first, lead.person.last, lead.person.email, lead.company, lead.topic)
         for lead in crm.LEADS),
    ))  # fmt: skip
    _write(directory / "users.csv", _csv(
        ("name", "email"), ((user.name, user.email) for user in crm.USERS)
    ))  # fmt: skip
    _write(directory / "queues.csv", _csv(
        ("name", "email"), ((queue.header_name, queue.email) for queue in crm.QUEUES)
    ))  # fmt: skip
    _write(directory / "opportunities.csv", _csv(
        ("name", "account", "estimated_value", "currency", "close_date", "stage"),
        ((o.name, o.account.name, o.estimated_value, o.currency, o.close_date, o.stage)
         for o in crm.OPPORTUNITIES),
    ))  # fmt: skip


def write_demo(demo: Demo, out: Path) -> dict[str, int]:
    """Writes everything below `out` and returns the counts the README reports."""
    folders = _numbered(demo.mails)
    paths = _write_mail(out, folders)
    _write(out / "mailbox.json", _json({
        "owner": _person_entry(cast.ANNA),
        "colleagues": [_person_entry(person) for person in cast.COLLEAGUES],
        "user_number": OWNER_USER_NUMBER,
    }))  # fmt: skip
    _write(out / "calendar.json", _json([item.as_json() for item in APPOINTMENTS]))
    _write(out / "tasks.json", _json([task.as_json() for task in TASKS]))
    tracked = sorted(demo.tracked, key=lambda entry: entry.mail.sent_at.astimezone(UTC))
    _write(out / "tracked.json", _json([
        {
            "message_id": entry.mail.message_id,
            "regarding": {"type": entry.regarding.type, "name": entry.regarding.name},
            "token": entry.token,
        }
        for entry in tracked
    ]))  # fmt: skip
    _write(out / "tracked_activities.json", _json(list(TRACKED_ACTIVITIES)))
    _write_crm(out)
    _write(out / ".gitattributes", GITATTRIBUTES.encode("utf-8"))
    counts = {
        "messages": len(demo.mails),
        "inbox": len(folders[INBOX]),
        "sent items": len(folders[SENT_ITEMS]),
        "appointments": len(APPOINTMENTS),
        "tasks": len(TASKS),
        "accounts": len(crm.ACCOUNTS),
        "contacts": len(crm.CONTACTS),
        "leads": len(crm.LEADS),
        "opportunities": len(crm.OPPORTUNITIES),
        "tracked messages": len(demo.tracked),
        "tracked appointments and tasks": len(TRACKED_ACTIVITIES),
    }
    _write(out / "README.md", render_readme(demo, paths, counts).encode("utf-8"))
    return counts
