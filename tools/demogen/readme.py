"""README.md for resources/demo: what each file holds, and which message shows which rule."""

from __future__ import annotations

from collections.abc import Mapping

from .build import Demo
from .mail import Mail

RULE_ORDER = (
    "already-tracked", "in-reply-to", "tracking-token", "conversation", "smart-match",
    "option-crm-sender", "option-email-enabled-sender", "option-all", "excluded-private",
    "not-tracked", "mailing list", "forward", "tracked sent item",
)  # fmt: skip

FILES = """\
# Liaison demo data

Brightwave Sp. z o.o., a software and IT services company in Kraków selling to Polish, German and
British customers, through one quarter (September to November 2026), seen from the mailbox of
Anna Nowak, Key Account Manager. Everything here is written by the repository's
`tools/make_demo.py` (standard library only, seeded): run `.venv/bin/python tools/make_demo.py` to
rewrite it byte for byte, or add `--out DIR` to write a copy elsewhere. Edit the generator, never
the outputs.

- `mailbox.json`: the mailboxes the sandbox serves. `owner` is Anna (`anna.nowak@brightwave.test`,
  password `demo`); `colleagues` have mailboxes too (password `demo`); `user_number` is Anna's
  number in the tracking-token scheme (`CRM:` + `0` + `001` + a 3-digit counter).
- `mail/inbox/NNN.eml`, `mail/sentitems/NNN.eml`: the messages of Anna's Inbox and Sent Items,
  RFC 5322 with CRLF line ends, numbered in date order. UTF-8 throughout: encoded-words in
  headers, quoted-printable bodies, RFC 2231 file names; text+HTML alternatives, attachments
  (one-page PDFs, CSV, text logs), Thread-Index/Thread-Topic where the sender uses Outlook.
- `calendar.json`: Anna's appointments. A weekly sales sync recurs on Mondays with one occurrence
  moved (12 → 13 October) and one cancelled (2 November); a fortnightly 1:1 recurs without
  exceptions. Times are ISO 8601 with the offset of the place they happen.
- `tasks.json`: Anna's tasks in every status Exchange knows, dates as ISO dates.
- `crm/*.csv`: the CRM when the demo starts (UTF-8, header row): accounts, contacts (`email` may
  hold several addresses separated by `;`), leads, users, queues and opportunities.
- `tracked.json`: messages already tracked in the CRM before the demo starts, each with its
  regarding record (type and name, as in the CSVs) and its tracking token (or null). Replies to
  them are what correlation finds. Anna's token counter stands at {counter}.
- `tracked_activities.json`: appointments and tasks the CRM tracks when the demo starts (Anna's,
  regarding an opportunity by name); the first sync creates them in Exchange. Liaison moves every
  date of the demo forward by whole weeks when it is first opened (`app/demo_dates.py`).
- `.gitattributes`: keeps the `.eml` files' CRLF line ends exactly as written.
"""

SCENARIO_INTRO = """
## Scenarios

"Rule" is what `liaison explain` should answer for the message with the default options
(track = crm-responses, autocreate = off, skip-private = on, track-sent = off, smart matching
off), once the demo's earlier messages have been synced in date order and `tracked.json` loaded.
A rule named `option-…` needs that personal option; `smart-match` needs smart matching switched
on. Mailing list, forward and tracked sent items are situations rather than rules.

| File | From | Subject | Rule | What it shows |
|---|---|---|---|---|
"""

EXTERNAL_INTRO = """
## Message-IDs outside the demo

These In-Reply-To targets belong to messages that are deliberately not in the demo (sent before
the quarter, or internal to a customer), so nothing can correlate through them:

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _sender(mail: Mail) -> str:
    person = mail.sender
    return f"{person.header_name} <{person.email}>" if person.header_name else person.email


def render_readme(demo: Demo, paths: Mapping[str, str], counts: Mapping[str, int]) -> str:
    """`paths` maps Message-ID to the file's path below the demo directory."""
    counter = max(
        int(entry.token[-3:])
        for entry in demo.tracked
        if entry.token and entry.token.startswith("CRM:0001")
    )
    rows = sorted(
        ((mail, mail.scenario) for mail in demo.mails if mail.scenario is not None),
        key=lambda row: (RULE_ORDER.index(row[1].rule), paths[row[0].message_id]),
    )
    lines = [FILES.format(counter=f"{counter:03d}"), SCENARIO_INTRO.lstrip("\n")]
    for mail, scenario in rows:
        lines.append(
            f"| `{paths[mail.message_id]}` | {_cell(_sender(mail))} | {_cell(mail.subject)} "
            f"| {scenario.rule} | {_cell(scenario.shows)} |\n"
        )
    lines.append(EXTERNAL_INTRO)
    answered = {mail.in_reply_to for mail in demo.mails} | {
        reference for mail in demo.mails for reference in mail.references
    }
    for parent in (ghost for ghost in demo.external_parents if ghost.message_id in answered):
        lines.append(f"- `{parent.message_id}`: {_cell(parent.subject)} ({_sender(parent)})\n")
    lines.append(
        "\n## Counts\n\n" + "".join(f"- {name}: {number}\n" for name, number in counts.items())
    )
    return "".join(lines)
