"""The demo data in resources/demo: well-formed mail, a CRM that matches it, and a generator that
rewrites every committed file byte for byte."""

from __future__ import annotations

import base64
import csv
import json
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo"
GENERATOR = ROOT / "tools" / "make_demo.py"
OWNER = "anna.nowak@brightwave.test"
LIST_TAG = "[brightwave-sales]"
TOKEN = re.compile(r"CRM:\s?0\d{6}(?!\d)", re.IGNORECASE)
MESSAGE_ID = re.compile(r"<[^<>\s]+@[^<>\s]+>")
QUARTER = (date(2026, 9, 1), date(2026, 11, 30))
SUMMER_TIME_ENDS = date(2026, 10, 25)
TASK_STATUSES = {"NotStarted", "InProgress", "Completed", "WaitingOnOthers", "Deferred"}
CSV_COLUMNS = {
    "accounts.csv": ["name", "email", "website", "phone", "city", "country"],
    "contacts.csv": ["first_name", "last_name", "email", "account", "job_title", "phone"],
    "leads.csv": ["first_name", "last_name", "email", "company", "topic"],
    "users.csv": ["name", "email"],
    "queues.csv": ["name", "email"],
    "opportunities.csv": ["name", "account", "estimated_value", "currency", "close_date", "stage"],
}


@cache
def messages() -> dict[str, EmailMessage]:
    """Every demo message by its path below resources/demo, e.g. "mail/inbox/001.eml"."""
    parser = BytesParser(policy=policy.default)
    parsed: dict[str, EmailMessage] = {}
    for path in sorted((DEMO / "mail").glob("*/*.eml")):
        message = parser.parsebytes(path.read_bytes())
        assert isinstance(message, EmailMessage)
        parsed[path.relative_to(DEMO).as_posix()] = message
    return parsed


def folder(name: str) -> dict[str, EmailMessage]:
    return {path: message for path, message in messages().items() if f"/{name}/" in path}


@cache
def crm(name: str) -> tuple[dict[str, str], ...]:
    with (DEMO / "crm" / name).open(encoding="utf-8", newline="") as handle:
        return tuple(csv.DictReader(handle))


def load_json(name: str) -> object:
    return json.loads((DEMO / name).read_text(encoding="utf-8"))


def addresses(message: EmailMessage, *headers: str) -> list[tuple[str, str]]:
    values = [str(value) for header in headers for value in message.get_all(header, [])]
    return [(name, email.lower()) for name, email in getaddresses(values)]


def sender(message: EmailMessage) -> str:
    return addresses(message, "From")[0][1]


def crm_emails(name: str) -> set[str]:
    return {
        email.strip().lower() for row in crm(name) for email in row["email"].split(";") if email
    }


def external_message_ids() -> set[str]:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    outside = readme.split("## Message-IDs outside the demo", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"`(<[^`]+>)`", outside))


def demo_message_ids() -> set[str]:
    return {str(message["Message-ID"]).strip() for message in messages().values()}


def test_every_message_parses_with_the_headers_a_mail_store_needs() -> None:
    for path, message in messages().items():
        for header in ("Message-ID", "Date", "From", "Subject"):
            assert message[header] is not None, f"{path} lacks {header}"
        assert MESSAGE_ID.fullmatch(str(message["Message-ID"])), path
        assert not message.defects, f"{path}: {message.defects}"


def test_there_are_about_three_hundred_messages_in_inbox_and_sent_items() -> None:
    assert 270 <= len(messages()) <= 330
    assert 150 <= len(folder("inbox")) <= 230
    assert 60 <= len(folder("sentitems")) <= 130


def test_message_ids_are_unique_across_both_folders() -> None:
    counts = Counter(str(message["Message-ID"]) for message in messages().values())
    assert [mid for mid, count in counts.items() if count > 1] == []


def test_replies_point_at_demo_messages_or_at_ones_the_readme_lists_as_outside() -> None:
    known = demo_message_ids() | external_message_ids()
    for path, message in messages().items():
        for header in ("In-Reply-To", "References"):
            for target in MESSAGE_ID.findall(str(message.get(header, ""))):
                assert target in known, f"{path}: {header} {target} is neither demo nor listed"


def test_the_readme_lists_only_outside_ids_that_some_reply_really_uses() -> None:
    replied_to = {
        str(message["In-Reply-To"]).strip()
        for message in messages().values()
        if message["In-Reply-To"]
    }
    outside = external_message_ids()
    assert outside
    assert outside <= replied_to
    assert not outside & demo_message_ids()


def test_inbox_mail_reaches_the_owner_directly_or_through_a_list() -> None:
    for path, message in folder("inbox").items():
        recipients = {email for _, email in addresses(message, "To", "Cc")}
        assert OWNER in recipients or message["List-Id"], path
        assert sender(message) != OWNER, path


def test_sent_items_are_all_from_the_owner() -> None:
    assert {sender(message) for message in folder("sentitems").values()} == {OWNER}


def test_header_sections_are_seven_bit_with_polish_and_german_as_encoded_words() -> None:
    decoded_subjects = []
    for path in messages():
        raw = (DEMO / path).read_bytes()
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert head.isascii(), f"{path} has raw 8-bit header bytes"
        assert b"\n" not in head.replace(b"\r\n", b""), f"{path} mixes line ends"
        decoded_subjects.append(str(messages()[path]["Subject"]))
    assert any("ż" in subject or "ó" in subject or "ł" in subject for subject in decoded_subjects)
    assert any("ä" in subject or "ü" in subject for subject in decoded_subjects)


def test_decoded_headers_have_no_stray_whitespace() -> None:
    for path, message in messages().items():
        for header in ("Subject", "Thread-Topic", "Message-ID", "In-Reply-To"):
            value = message[header]
            if value is not None:
                assert str(value) == str(value).strip(), f"{path}: {header} {value!r}"


def test_people_in_the_crm_appear_under_their_own_names() -> None:
    names = {row["email"].lower(): row["name"] for row in crm("users.csv")}
    for row in crm("contacts.csv"):
        for email in row["email"].split(";"):
            names[email.lower()] = f"{row['first_name']} {row['last_name']}"
    for path, message in messages().items():
        for name, email in addresses(message, "From", "To", "Cc"):
            if email in names:
                assert name == names[email], f"{path}: {name!r} for {email}"


def test_dates_fall_in_the_quarter_with_the_offsets_of_poland_germany_and_britain() -> None:
    for path, message in messages().items():
        sent = parsedate_to_datetime(str(message["Date"]))
        assert QUARTER[0] <= sent.date() <= QUARTER[1], path
        offset = sent.utcoffset()
        assert offset is not None
        summer = sent.date() < SUMMER_TIME_ENDS
        allowed = (
            {timedelta(hours=2), timedelta(hours=1)}
            if summer
            else {timedelta(hours=1), timedelta(hours=0)}
        )
        assert offset in allowed, f"{path}: {message['Date']}"


def test_people_write_on_working_days() -> None:
    for path, message in messages().items():
        if message["Auto-Submitted"] or message["Precedence"] == "bulk":
            continue
        assert parsedate_to_datetime(str(message["Date"])).weekday() < 5, path


def test_exactly_one_private_and_one_company_confidential_message() -> None:
    sensitivities = Counter(
        str(message["Sensitivity"]) for message in messages().values() if message["Sensitivity"]
    )
    assert sensitivities == Counter({"Private": 1, "Company-Confidential": 1})


def test_every_token_in_a_subject_belongs_to_a_tracked_message() -> None:
    tracked = load_json("tracked.json")
    assert isinstance(tracked, list)
    tokens = {entry["token"] for entry in tracked if entry["token"]}
    seen = set()
    for path, message in messages().items():
        for token in TOKEN.findall(str(message["Subject"])):
            assert token in tokens, f"{path} carries {token}, which no tracked message has"
            seen.add(token)
    assert seen == tokens


def test_the_owners_tokens_use_her_user_number_and_are_never_reused() -> None:
    mailbox = load_json("mailbox.json")
    assert isinstance(mailbox, dict)
    prefix = f"CRM:0{mailbox['user_number']:03d}"
    tracked = load_json("tracked.json")
    assert isinstance(tracked, list)
    own = [entry["token"] for entry in tracked if (entry["token"] or "").startswith(prefix)]
    assert len(own) == len(set(own)) >= 5


def test_tracked_messages_exist_in_the_demo_mail() -> None:
    tracked = load_json("tracked.json")
    assert isinstance(tracked, list)
    ids = demo_message_ids()
    for entry in tracked:
        assert entry["message_id"] in ids, entry
        assert set(entry) == {"message_id", "regarding", "token"}


def test_a_tracked_token_is_in_its_own_messages_subject() -> None:
    tracked = load_json("tracked.json")
    assert isinstance(tracked, list)
    subjects = {str(m["Message-ID"]): str(m["Subject"]) for m in messages().values()}
    for entry in tracked:
        if entry["token"]:
            assert entry["token"] in subjects[entry["message_id"]]


def test_tracked_regarding_records_exist_in_the_crm() -> None:
    names = {
        "opportunity": {row["name"] for row in crm("opportunities.csv")},
        "account": {row["name"] for row in crm("accounts.csv")},
        "contact": {f"{row['first_name']} {row['last_name']}" for row in crm("contacts.csv")},
        "lead": {f"{row['first_name']} {row['last_name']}" for row in crm("leads.csv")},
    }
    tracked = load_json("tracked.json")
    assert isinstance(tracked, list)
    for entry in tracked:
        regarding = entry["regarding"]
        assert regarding["name"] in names[regarding["type"]], regarding
    assert {entry["regarding"]["type"] for entry in tracked} == set(names)


def test_csv_files_have_the_documented_columns_and_no_blank_cells_where_needed() -> None:
    for name, columns in CSV_COLUMNS.items():
        rows = crm(name)
        assert rows, name
        assert list(rows[0]) == columns, name
        for row in rows:
            assert row[columns[0]] and row["email" if "email" in columns else "account"], row


def test_every_contact_and_opportunity_belongs_to_an_existing_account() -> None:
    accounts = {row["name"] for row in crm("accounts.csv")}
    for row in (*crm("contacts.csv"), *crm("opportunities.csv")):
        assert row["account"] in accounts, row


def test_opportunity_values_are_amounts_in_the_customers_currencies() -> None:
    for row in crm("opportunities.csv"):
        assert int(row["estimated_value"]) > 0
        assert row["currency"] in {"PLN", "EUR", "GBP"}
        date.fromisoformat(row["close_date"])


def test_a_contact_holds_two_addresses_and_writes_from_both() -> None:
    two_addresses = [row for row in crm("contacts.csv") if ";" in row["email"]]
    assert two_addresses
    senders = {sender(message) for message in messages().values()}
    for row in two_addresses:
        assert {email.lower() for email in row["email"].split(";")} <= senders


def test_most_customer_senders_are_known_and_some_are_deliberately_not() -> None:
    customers = crm_emails("contacts.csv") | crm_emails("leads.csv") | crm_emails("accounts.csv")
    people = {
        sender(message)
        for message in folder("inbox").values()
        if not message["Auto-Submitted"]
        and not message["List-Id"]
        and not sender(message).endswith("brightwave.test")
    }
    known = people & customers
    assert len(known) >= 2 * len(people - customers)
    assert len(people - customers) >= 5
    assert any(email.endswith(("@gmail.com", "@wp.pl")) for email in people - customers)


def test_unknown_prospects_include_a_surname_first_name_and_a_bare_address() -> None:
    froms = [str(message["From"]) for message in folder("inbox").values()]
    assert any(re.match(r'^"[^",]+, [^"]+" <', value) for value in froms)
    assert any(re.fullmatch(r"[\w.]+@[\w.-]+", value) for value in froms)


def test_colleagues_and_a_queue_write_to_the_owner() -> None:
    senders = {sender(message) for message in folder("inbox").values()}
    assert crm_emails("users.csv") - {OWNER} <= senders
    assert senders & crm_emails("queues.csv")


def test_mailing_list_mail_carries_list_id_and_the_subject_tag() -> None:
    listed = [m for m in folder("inbox").values() if "brightwave-sales" in str(m["List-Id"])]
    assert len(listed) >= 8
    for message in listed:
        assert LIST_TAG in str(message["Subject"])


def test_replies_and_forwards_use_polish_german_and_english_prefixes() -> None:
    subjects = " ".join(str(message["Subject"]) for message in messages().values())
    for prefix in ("ODP:", "Odp:", "PD:", "AW:", "WG:", "RE:", "Re[2]:", "FW:"):
        assert prefix in subjects, prefix


def test_outlook_thread_indexes_are_a_header_block_plus_reply_blocks() -> None:
    indexed = [m for m in messages().values() if m["Thread-Index"]]
    assert len(indexed) >= 50
    for message in indexed:
        index = base64.b64decode(str(message["Thread-Index"]))
        assert len(index) >= 22 and (len(index) - 22) % 5 == 0
        assert index[0] == 0x01


def test_some_mail_is_html_and_some_carries_attachments() -> None:
    alternatives = attachments = 0
    for message in messages().values():
        alternatives += any(part.get_content_type() == "text/html" for part in message.walk())
        for part in message.iter_attachments():
            attachments += 1
            data = part.get_content()
            if part.get_content_type() == "application/pdf":
                assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    assert alternatives >= 100
    assert attachments >= 15


def test_mailbox_json_names_the_owner_and_colleagues_who_are_crm_users() -> None:
    mailbox = load_json("mailbox.json")
    assert isinstance(mailbox, dict)
    assert mailbox["owner"] == {"name": "Anna Nowak", "email": OWNER, "password": "demo"}
    assert mailbox["user_number"] == 1
    colleagues = {entry["email"] for entry in mailbox["colleagues"]}
    assert colleagues == crm_emails("users.csv") - {OWNER}
    assert {entry["password"] for entry in mailbox["colleagues"]} == {"demo"}


def test_appointments_end_after_they_start_and_recurrences_are_well_formed() -> None:
    appointments = load_json("calendar.json")
    assert isinstance(appointments, list)
    assert 20 <= len(appointments) <= 30
    recurring = [item for item in appointments if item["recurrence"]]
    assert recurring
    for item in appointments:
        start, end = datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"])
        assert start.utcoffset() is not None and end > start, item["subject"]
        assert item["organizer"] and isinstance(item["attendees"], list)
    for item in recurring:
        rule = item["recurrence"]
        assert rule["pattern"] == "weekly" and rule["interval"] >= 1 and rule["occurrences"] > 1
        first = date.fromisoformat(rule["start"])
        assert first.strftime("%A") in rule["days"]
        assert datetime.fromisoformat(item["start"]).date() == first


def test_the_weekly_sync_has_one_moved_and_one_cancelled_occurrence() -> None:
    appointments = load_json("calendar.json")
    assert isinstance(appointments, list)
    sync = next(item for item in appointments if item.get("exceptions"))
    rule = sync["recurrence"]
    first = date.fromisoformat(rule["start"])
    weeks = range(0, rule["interval"] * rule["occurrences"], rule["interval"])
    occurrences = {first + timedelta(weeks=week) for week in weeks}
    moved = [e for e in sync["exceptions"] if not e.get("deleted")]
    cancelled = [e for e in sync["exceptions"] if e.get("deleted")]
    assert len(moved) == 1 and len(cancelled) == 1
    for exception in sync["exceptions"]:
        assert datetime.fromisoformat(exception["original_start"]).date() in occurrences
    start, end = (datetime.fromisoformat(moved[0][key]) for key in ("start", "end"))
    assert end > start


def test_tasks_have_known_statuses_and_progress_that_matches_them() -> None:
    tasks = load_json("tasks.json")
    assert isinstance(tasks, list)
    assert 12 <= len(tasks) <= 20
    assert {task["status"] for task in tasks} == TASK_STATUSES
    for task in tasks:
        assert date.fromisoformat(task["due"]) >= date.fromisoformat(task["start"])
        assert 0 <= task["percent_complete"] <= 100
        assert (task["status"] == "Completed") == (task["percent_complete"] == 100), task
        if task["status"] == "NotStarted":
            assert task["percent_complete"] == 0


def test_the_readme_scenario_table_points_at_existing_messages() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    listed = re.findall(r"`(mail/(?:inbox|sentitems)/\d{3}\.eml)`", readme)
    assert len(listed) >= 30
    assert set(listed) <= set(messages())
    for rule in ("in-reply-to", "tracking-token", "conversation", "smart-match",
                 "option-crm-sender", "option-email-enabled-sender", "option-all",
                 "excluded-private", "mailing list", "forward"):  # fmt: skip
        assert f"| {rule} |" in readme, rule


def test_the_generator_rewrites_every_committed_file_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = {
        path.relative_to(DEMO).as_posix()
        for path in DEMO.rglob("*")
        if path.is_file() and "__pycache__" not in path.relative_to(DEMO).parts
    }
    generated = {path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")
                 if path.is_file()}  # fmt: skip
    assert generated == committed
    changed = [name for name in sorted(generated)
               if (tmp_path / name).read_bytes() != (DEMO / name).read_bytes()]  # fmt: skip
    assert changed == []
