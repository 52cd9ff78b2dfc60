"""Man-style help: `liaison help [COMMAND [SUBCOMMAND]]`, and examples under every `--help`.

The options come from the parsers themselves, so they never drift from what the commands
accept; this module adds what argparse has no place for: a description where a command has
none, worked examples (the tests parse every one), the environment and the exit codes.
"""

from __future__ import annotations

import argparse
import shlex
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from app.cli.errors import CommandError
from app.cli.mail_manual import MAIL_PAGES

HELP_COMMAND = "help"
WIDTH = 88
INDENT = "    "


@dataclass(frozen=True, slots=True)
class Page:
    examples: tuple[tuple[str, str], ...]  # (command line, what it does)
    description: str | None = None  # for commands whose parser has none


PAGES: dict[str, Page] = {
    "": Page(
        (
            ("liaison", "Open the desktop window on your profile."),
            (
                "liaison --demo",
                "Open the window on the built-in demo mailbox; your profile is not touched.",
            ),
            ("liaison help crm import", "Read the manual of one command."),
        )
    ),
    "init": Page(
        (
            (
                'liaison init --address anna.nowak@brightwave.test --name "Anna Nowak"',
                "Create the profile for Anna's mailbox.",
            ),
        )
    ),
    "crm": Page(
        (
            ("liaison crm import contacts contacts.csv", "Import contacts from a CSV file."),
            ("liaison crm list accounts", "List the accounts."),
            ("liaison crm show contact 12 --history", "One contact, and who changed what."),
        ),
        "Imports, lists, adds, edits, deletes and qualifies the CRM's records, makes, changes and "
        "deletes appointments and tasks, lists activities, and connects the profile to a team's "
        "shared CRM.",
    ),
    "crm import": Page(
        (
            (
                "liaison crm import accounts accounts.csv",
                "Import accounts (name,email,website); a file with bad rows imports nothing and "
                "names each bad line.",
            ),
            (
                "liaison crm import contacts contacts.csv --skip-bad",
                "Import the good rows of contacts.csv and report the bad ones.",
            ),
        )
    ),
    "crm list": Page(
        (
            ("liaison crm list contacts", "A table of contacts with their addresses."),
            (
                "liaison crm list activities --json",
                "Emails, appointments and tasks as JSON: type, subject, dates, regarding, and "
                "where each stands (an email tracked or not; an appointment or task linked to "
                "its Exchange item, waiting for the next sync, or unlinked).",
            ),
        ),
        "Lists the records of one kind (accounts, contacts, leads, users, queues, "
        "opportunities) or the activities: emails beside appointments and tasks.",
    ),
    "crm add": Page(
        (
            (
                "liaison crm add contact --salutation Dr. --first-name Hans-Peter --last-name "
                "Müller --email hp.mueller@mueller-mb.example --account 'Müller Maschinenbau GmbH'",
                "Create a contact of an account named by its name.",
            ),
            (
                "liaison crm add opportunity --name 'Acme: WMS' --account biuro@acme.example "
                "--estimated-value 480000 --currency PLN --close-date 2026-12-15 --stage Propose "
                "--probability 40",
                "Create an opportunity for the account with that address.",
            ),
            (
                "liaison crm add lead --from-json lead.json --json",
                "Create a lead from a JSON object of fields and print it as JSON.",
            ),
            (
                'liaison crm add appointment --subject "Przegląd umowy" '
                "--start 2026-10-12T09:00 --regarding account:42",
                "Make an hour-long appointment regarding account 42.",
            ),
            (
                'liaison crm add task --subject "Angebot vorbereiten" --due 2026-10-09 '
                "--priority high",
                "Make a task due on 9 October, of high priority.",
            ),
        )
    ),
    "crm add account": Page(
        (
            (
                'liaison crm add account --name "Acme Logistics Sp. z o.o." '
                "--email biuro@acme-logistics.example --website acme-logistics.example",
                "Create an account with an address and a website.",
            ),
        )
    ),
    "crm add contact": Page(
        (
            (
                "liaison crm add contact --salutation Dr. --first-name Hans-Peter --last-name "
                "Müller --email hp.mueller@mueller-mb.example --account 'Müller Maschinenbau GmbH'",
                "Create a contact of an account named by its name.",
            ),
        )
    ),
    "crm add lead": Page(
        (
            (
                "liaison crm add lead --first-name Ewa --last-name Wiśniewska "
                "--email ewa@wisniewska-design.example --company 'Wiśniewska Design'",
                "Create a lead for a person and her company.",
            ),
            (
                "liaison crm add lead --from-json lead.json --json",
                "Create a lead from a JSON object of fields and print it as JSON.",
            ),
        )
    ),
    "crm add opportunity": Page(
        (
            (
                "liaison crm add opportunity --name 'Acme: WMS' --account biuro@acme.example "
                "--estimated-value 480000 --currency PLN --close-date 2026-12-15 --stage Propose "
                "--probability 40",
                "Create an opportunity for the account with that address.",
            ),
        )
    ),
    "crm add appointment": Page(
        (
            (
                'liaison crm add appointment --subject "Jour fixe" --start 2026-10-12T09:00 '
                "--time-zone Europe/Warsaw --repeat weekly --on mon --count 10 "
                "--attendee jan.kowalski@acme.example --reminder 15",
                "A weekly meeting on Mondays at 9:00 Warsaw time, ten times; Jan is invited "
                "when the next sync writes it to Exchange.",
            ),
            (
                'liaison crm add appointment --subject "Targi" --start 2026-10-20 '
                "--end 2026-10-22 --all-day --show-as oof --json",
                "Three days out of office, printed as JSON with its id.",
            ),
        )
    ),
    "crm add task": Page(
        (
            (
                'liaison crm add task --subject "Oddzwonić do Nova Retail" --start 2026-10-05 '
                "--due 2026-10-09 --reminder 2026-10-08T09:00 --regarding contact:7",
                "A task with a start, a due day and a reminder, regarding contact 7.",
            ),
        )
    ),
    "crm edit": Page(
        (
            (
                "liaison crm edit contact hp.mueller@mueller-mb.example --job-title Einkaufsleiter",
                "Change one field of the contact with that address.",
            ),
            (
                "liaison crm edit account 7 --from-json acme.json",
                "Take the fields from a JSON object (such as `liaison crm show account 7 --json` "
                "printed, then changed); only those that differ change.",
            ),
            ("liaison crm edit task 7 --percent 50", "Task 7 is half done."),
            (
                "liaison crm edit appointment 12 --occurrence 2026-10-19 --start 2026-10-19T11:00",
                "Move the occurrence of series 12 due on 19 October to 11:00.",
            ),
        )
    ),
    "crm edit account": Page(
        (
            (
                "liaison crm edit account 7 --from-json acme.json",
                "Take the fields from a JSON object (such as `liaison crm show account 7 --json` "
                "printed, then changed); only those that differ change.",
            ),
        )
    ),
    "crm edit contact": Page(
        (
            (
                "liaison crm edit contact hp.mueller@mueller-mb.example --job-title Einkaufsleiter",
                "Change one field of the contact with that address.",
            ),
        )
    ),
    "crm edit lead": Page(
        (
            (
                "liaison crm edit lead ewa@wisniewska-design.example --status contacted",
                "The lead has been contacted.",
            ),
        )
    ),
    "crm edit opportunity": Page(
        (
            (
                "liaison crm edit opportunity 3 --stage Negotiate --probability 60",
                "Move the opportunity on to negotiation.",
            ),
        )
    ),
    "crm edit appointment": Page(
        (
            (
                'liaison crm edit appointment 12 --location "Sala Odra" --show-as tentative',
                "Change the whole appointment (a series: every occurrence).",
            ),
            (
                "liaison crm edit appointment 12 --delete-occurrence 2026-10-26",
                "Delete the occurrence of series 12 due on 26 October; the others stay.",
            ),
            (
                "liaison crm edit appointment 12 --repeat never",
                "Make the series one appointment again.",
            ),
        )
    ),
    "crm edit task": Page(
        (
            ("liaison crm edit task 7 --status completed", "Complete task 7 (100%)."),
            ("liaison crm edit task 7 --due none --priority low", "No due day; low priority."),
        )
    ),
    "crm delete": Page(
        (
            (
                "liaison crm delete account 7",
                "Say what becomes of the account's activities, contacts and opportunities, and "
                "ask before deleting.",
            ),
            ("liaison crm delete lead 12 --yes", "Delete without asking (for scripts)."),
            (
                "liaison crm delete appointment 12",
                "Delete appointment 12; from Exchange too if it has not ended (as Dynamics does).",
            ),
            (
                "liaison crm delete task 7 --keep-exchange-item",
                "Delete task 7 from the CRM; it stays in the Exchange task list, untracked.",
            ),
        )
    ),
    "crm show": Page(
        (
            ("liaison crm show lead ewa@wisniewska-design.example", "The lead with that address."),
            (
                "liaison crm show contact 12 --history --json",
                "The contact and its history (who changed what, values a team merge kept "
                "aside) as JSON.",
            ),
        ),
        "Shows one account, contact, lead or opportunity: its fields and, with --history, who "
        "changed which field from what to what, and the values a team CRM's merge of two "
        "users' edits kept aside.",
    ),
    "crm qualify": Page(
        (
            (
                "liaison crm qualify lead 12",
                "Make an account, a contact and an opportunity from the lead; refused while "
                "existing ones match, which it lists.",
            ),
            (
                "liaison crm qualify lead 12 --account 7 --no-opportunity",
                "Link the lead's contact to account 7 and make no opportunity; the lead's "
                "activities move to the contact.",
            ),
        )
    ),
    "crm disqualify": Page(
        (
            (
                "liaison crm disqualify lead 12 --reason no-longer-interested",
                "Close the lead with that reason.",
            ),
        ),
        "Disqualifies an open lead with a reason (lost, cannot-contact, no-longer-interested, "
        "canceled), as the reference CRM does; the lead stays, inactive.",
    ),
    "crm connect": Page(
        (
            (
                "liaison crm connect postgresql://anna@crm.brightwave.test/crm --password-stdin",
                "Share the team's CRM; the password is read from standard input and kept in the "
                "keyring.",
            ),
        )
    ),
    "crm disconnect": Page(
        (
            (
                "liaison crm disconnect",
                "Go back to the profile's own CRM file; refused while changes still wait for the "
                "team CRM.",
            ),
        ),
        "Stops using the team CRM and goes back to this profile's own CRM file. Changes that "
        "have not reached the team CRM keep it connected, unless --discard-pending is given.",
    ),
    "crm sync": Page(
        (("liaison crm sync", "Send waiting CRM changes and refresh the local replica."),),
        "Sends CRM changes made here to the team CRM and refreshes this profile's local copy "
        "of it. The window and `liaison sync` do this on their own; this is for scripts.",
    ),
    "explain": Page(
        (
            ("liaison explain message.eml", "Show whether the message would be tracked, and why."),
            ("liaison explain message.eml --json", "The same decision as JSON for scripts."),
        ),
        "Runs the tracking rules on a message saved as .eml and prints what they decide: "
        "track or not, the rule that fired, the regarding record, the sender's record, what "
        "would be created, and the evidence in words. Nothing is changed.",
    ),
    "track": Page(
        (
            (
                "liaison track message.eml --regarding account:biuro@acme-logistics.example",
                "Track the message regarding the account with that address.",
            ),
            (
                "liaison track --message-id '<oferta-17@acme-logistics.example>' "
                "--regarding opportunity:12",
                "Track a message of the synced mailbox regarding opportunity number 12.",
            ),
        ),
        "Tracks a message in the CRM by hand, optionally regarding one record. Manual tracking "
        "wins over every automatic rule and is never undone by one. A message the synced "
        "mailbox has (found by its Message-ID) is tracked as the window tracks it: the local "
        "mailbox shows it tracked at once and its Exchange item gets the tracking category at "
        "the next `liaison sync`. Prints the decision and the activity as JSON.",
    ),
    "set-regarding": Page(
        (
            (
                "liaison set-regarding message.eml --regarding contact:greta.schulz@mueller-mb."
                "example",
                "From now on the message is about Greta Schulz.",
            ),
            ("liaison set-regarding message.eml --none", "The message is about no record."),
        ),
        "Sets the record a tracked message is about, by hand; it wins over what correlation "
        "found. A message not tracked yet is tracked regarding the record. As with `track`, "
        "the change reaches the Exchange item at the next sync.",
    ),
    "untrack": Page(
        (
            ("liaison untrack message.eml", "Untrack; the activity stays in the CRM, unlinked."),
            ("liaison untrack message.eml --delete", "Untrack and delete the activity."),
        ),
        "Untracks a message tracked before. The email activity stays in the CRM, unlinked from "
        "the message, unless --delete is given; automatic rules leave the message alone after. "
        "The tracking category leaves the Exchange item at the next sync.",
    ),
    "folder": Page(
        (
            ("liaison folder list", "Every mail folder and what it tracks its mail regarding."),
            (
                "liaison folder track Inbox/Acme --regarding account:biuro@acme-logistics.example",
                "Track the mail filed in Inbox/Acme regarding the Acme account.",
            ),
        ),
        "Folder-level tracking: mail filed in a folder inside the Inbox is tracked regarding "
        "the folder's record, as Dynamics does it. Only folders inside the Inbox can track "
        "mail, and at most 25 of them.",
    ),
    "folder list": Page(
        (
            ("liaison folder list", "A table: id, path, whether it tracks, regarding what."),
            ("liaison folder list --json", "The same as JSON for scripts."),
        )
    ),
    "folder track": Page(
        (
            (
                "liaison folder track 'Inbox/Müller Maschinenbau' --regarding account:42",
                "Track the folder's mail regarding account 42; mail already in it is tracked at "
                "the next sync.",
            ),
        )
    ),
    "folder untrack": Page(
        (
            (
                "liaison folder untrack Inbox/Acme",
                "Stop; the mail tracked so far stays tracked.",
            ),
        )
    ),
    "options": Page(
        (
            ("liaison options show", "Your tracking options."),
            (
                "liaison options set track crm-contacts",
                "Track mail from CRM contacts, leads and accounts.",
            ),
        ),
        "Your personal tracking options: which messages are tracked, whether a sender unknown "
        "to the CRM becomes a contact or lead, and the addresses never tracked.",
    ),
    "options show": Page(
        (("liaison options show", "Print each option and its value."),),
        "Prints your personal tracking options and their values.",
    ),
    "options set": Page(
        (
            (
                "liaison options set autocreate lead",
                "Make a lead of each tracked sender the CRM does not know.",
            ),
            (
                'liaison options set never-track "@newsletter.example,noreply@acme.example"',
                "Never track mail from that domain and that address.",
            ),
        )
    ),
    "org": Page(
        (
            ("liaison org show", "The organisation's settings."),
            (
                'liaison org set token-prefix "BW:"',
                "A new token prefix; the old one stays recognised.",
            ),
        ),
        "The organisation's settings, shared by everyone on the CRM: the tracking-token "
        "format and the correlation switches.",
    ),
    "org show": Page(
        (("liaison org show", "Print each setting and its value."),),
        "Prints the organisation's tracking-token and correlation settings.",
    ),
    "org set": Page(
        (
            ("liaison org set smart-matching on", "Correlate by subject and shared addresses."),
            (
                "liaison org set correlate-conversation off",
                "Stop correlating by Exchange conversation.",
            ),
        )
    ),
    "account": Page(
        (
            ("liaison account add anna.nowak@brightwave.test", "Set up by autodiscover."),
            ("liaison account test", "Check the connection step by step."),
        ),
        "The Exchange account this profile syncs. The password or token is kept in the system "
        "keyring only.",
    ),
    "account add": Page(
        (
            (
                "liaison account add anna.nowak@brightwave.test",
                "Find the server by autodiscover; the password is asked for.",
            ),
            (
                "liaison account add anna.nowak@brightwave.test "
                "--server https://mail.brightwave.test/EWS/Exchange.asmx "
                "--username 'BRIGHTWAVE\\anowak' --auth ntlm --password-stdin",
                "A given server with an NTLM login; the password is read from standard input.",
            ),
            (
                "liaison account add anna.nowak@brightwave.test --server mail.brightwave.test "
                "--no-verify-tls",
                "A test server with a self-signed certificate (only for a server you trust).",
            ),
            (
                "liaison account add anna.nowak@brightwave.example --microsoft-365 "
                "--client-id 0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f",
                "A Microsoft 365 mailbox over Microsoft Graph: sign in with Microsoft in the "
                "browser, as your organisation's registered app.",
            ),
            (
                "liaison account add anna.nowak@brightwave.example --backend graph "
                "--client-id 0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f --tenant brightwave.example "
                "--device-code",
                "The same on a machine without a browser: enter the code shown on another device.",
            ),
        )
    ),
    "account signin": Page(
        (
            ("liaison account signin", "Sign in with Microsoft again in the browser."),
            ("liaison account signin --device-code", "Sign in with a code on another device."),
        ),
        'Signs a Microsoft 365 account in again, when sync says "Sign in again" (the sign-in '
        "expired, was revoked, or your organisation's policy changed). The sign-in is kept in the "
        "system keyring.",
    ),
    "account migrate": Page(
        (
            (
                "liaison account migrate --to graph --client-id CLIENT-ID",
                "Move this EWS profile to Microsoft Graph, signing in in the browser.",
            ),
            (
                "liaison account migrate --to graph --client-id CLIENT-ID --device-code",
                "The same, with a code to enter on another device.",
            ),
        ),
        "Moves a profile that syncs a Microsoft 365 mailbox over Exchange Web Services to "
        "Microsoft Graph in place, before Microsoft switches EWS off in Exchange Online on 1 April "
        "2027. Every stored message, folder, appointment and task link and waiting change is "
        "renamed with the id Graph gives it; the cache, the marks and the CRM links stay, and the "
        "first sync over Graph downloads no message again. Cut off halfway, the move changed "
        "nothing, or running it again finishes it.",
    ),
    "account test": Page(
        (("liaison account test", "Each check in order, up to the first that fails."),),
        "Checks the account step by step: the server's name (DNS), its certificate (TLS), the "
        "credentials, access to the mailbox, and the server's version; a failure says what to "
        "fix.",
    ),
    "account remove": Page(
        (("liaison account remove", "Forget the account; the cached mail and the CRM stay."),),
        "Forgets the account and deletes its password from the keyring.",
    ),
    "sync": Page(
        (
            ("liaison sync", "Sync once and exit."),
            (
                "liaison sync --wait",
                "Sync once, after the sync the window is running (if it is).",
            ),
            ("liaison sync --watch --quiet", "Keep syncing, without a progress line."),
            ("liaison sync --set interval 10", "Sync every ten minutes."),
            ("liaison sync log", "What the last syncs did, their failures and conflicts."),
        )
    ),
    "sync log": Page(
        (
            ("liaison sync log --limit 5", "The last five syncs."),
            (
                "liaison sync log --conflicts --json",
                "Every conflict as JSON: the item, the field, both values and which was kept.",
            ),
        )
    ),
    "sync use-other-value": Page(
        (
            (
                "liaison sync use-other-value 17 location",
                "Use the location the conflict rule did not keep in conflict 17.",
            ),
        )
    ),
    "db": Page(
        (
            ("liaison db check", "Check every database of the profile thoroughly."),
            ("liaison db restore", "List the backups, newest last, with their dates."),
        ),
        "Checks, backs up and restores the profile's SQLite databases (crm, local, and "
        "team-replica in a team), and starts a damaged one afresh. Liaison backs each up before "
        "an upgrade and at most once a day when the profile is opened, and keeps the last seven "
        "of each in the data folder's backups/. These commands work on the files, so they work "
        "on a damaged profile too.",
    ),
    "db check": Page(
        (
            (
                "liaison db check",
                "SQLite's integrity check on each database; a damaged or missing one ends "
                "with exit code 2 and says to restore it.",
            ),
        )
    ),
    "db backup": Page(
        (("liaison db backup", "Back up every database now (each checked first)."),),
    ),
    "db restore": Page(
        (
            ("liaison db restore", "List the backups of each database with their dates."),
            (
                "liaison db restore local-r0002-20261123T123456123456Z.sqlite3",
                "Put that backup back as local.sqlite3; the file it replaces is moved to "
                "backups/replaced-TIME/.",
            ),
            ("liaison db restore --latest crm", "Put back the newest backup of crm.sqlite3."),
        ),
        "Lists the backups, or puts one back. Quit the window and stop any `liaison sync` "
        "first: a restore is refused while the profile is open. Changes made since the backup "
        "are lost, so keep this for a damaged or lost database.",
    ),
    "db reset": Page(
        (
            (
                "liaison db reset local",
                "Start local.sqlite3 afresh: the next start makes it again, empty, and the next "
                "sync fills the mailbox cache again; the old file is moved to "
                "backups/replaced-TIME/.",
            ),
        ),
        "Starts a damaged database afresh, empty, when no backup of it can be used; what it "
        "held is lost (the file itself is kept aside). Refused while the profile is open.",
    ),
    "sandbox": Page(
        (
            ("liaison sandbox serve --port 8080", "The demo mailboxes on http://127.0.0.1:8080."),
            (
                "liaison sandbox deliver offer.eml --to anna.nowak@brightwave.test "
                "--url http://127.0.0.1:8080",
                "Deliver a saved message to a running sandbox.",
            ),
        ),
        "Runs a local Exchange Web Services server (the demo and the tests use it) on this "
        "computer only, or delivers a saved message to one.",
    ),
    "sandbox serve": Page(
        (
            ("liaison sandbox serve", "The demo quarter on the default port, until Ctrl+C."),
            (
                "liaison sandbox serve --port 0 --seed empty "
                "--user anna.nowak@brightwave.test:Haslo123 --data ./sandbox",
                "An empty mailbox for Anna on any free port, kept in ./sandbox.",
            ),
        ),
        "Runs the EWS sandbox until interrupted, on the loopback address unless told "
        "otherwise. Without --user it holds the demo quarter's mailboxes.",
    ),
    "sandbox deliver": Page(
        (
            (
                "liaison sandbox deliver offer.eml --to anna.nowak@brightwave.test --data sandbox",
                "Put the message in Anna's inbox in a stopped sandbox's store.",
            ),
        ),
        "Delivers a message saved as .eml to a mailbox of the sandbox, as received mail: into "
        "a running sandbox (--url) or its store on disk (--data).",
    ),
    HELP_COMMAND: Page(
        (
            ("liaison help", "The manual of `liaison` and the list of commands."),
            ("liaison help account add", "The manual of one command."),
        ),
        "Prints the manual of a command: what it does, its arguments and options, examples, "
        "the environment and the exit codes.",
    ),
}

PAGES.update(
    {key: Page(examples, description) for key, (examples, description) in MAIL_PAGES.items()}
)

ENVIRONMENT = (
    ("LIAISON_HOME", "keep the whole profile (data, settings, cache, logs) in this folder"),
    ("LIAISON_PROFILE", "use the profile of this name instead of 'default'"),
    ("HTTPS_PROXY", "reach the Exchange server through this proxy"),
)
EXIT_STATUS = (
    ("0", "done"),
    ("2", "wrong usage, or a message for you (a bad file, an unknown record, no keyring)"),
    ("130", "interrupted (Ctrl+C)"),
)


class ManualFormatter(argparse.HelpFormatter):
    """Wraps prose; keeps lines that start with a space (the examples) as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            if not line.strip() or line.startswith(" "):
                lines.append(indent + line if line.strip() else "")
            else:
                lines.append(
                    textwrap.fill(line, width, initial_indent=indent, subsequent_indent=indent)
                )
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class Command:
    path: tuple[str, ...]
    parser: argparse.ArgumentParser
    summary: str  # the one line its parent's command list shows

    @property
    def key(self) -> str:
        return " ".join(self.path)


def commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[Command]:
    """Every command under `parser`, depth first, the parser itself first."""
    if not path:
        yield Command((), parser, parser.description or "")
    for action in _subcommand_actions(parser):
        summaries = {choice.dest: choice.help or "" for choice in action._choices_actions}
        for name, child in action.choices.items():
            yield Command((*path, name), child, summaries.get(name, ""))
            yield from commands(child, (*path, name))


def _subcommand_actions(parser: argparse.ArgumentParser) -> list[argparse._SubParsersAction]:  # type: ignore[type-arg]
    return [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]


def sandbox_parser() -> argparse.ArgumentParser:
    """`liaison sandbox` has its own parser (exchange_sandbox.cli), read only when asked for."""
    from exchange_sandbox.cli import build_parser

    return build_parser()


def attach(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> None:
    """Give every command its description (where it has none) and examples for `--help`;
    `prefix` is the command path of `parser` itself (("sandbox",) for the sandbox's parser)."""
    for command in commands(parser):
        _attach_one(command.parser, PAGES.get(" ".join((*prefix, *command.path))))


def _attach_one(parser: argparse.ArgumentParser, page: Page | None) -> None:
    parser.formatter_class = ManualFormatter
    if page is None:
        return
    if not parser.description and page.description:
        parser.description = page.description
    parser.epilog = "Examples:\n" + "\n".join(
        f"  {line}\n" + textwrap.fill(what, 78, initial_indent=" " * 6, subsequent_indent=" " * 6)
        for line, what in page.examples
    )
    parser.epilog += f"\n\nThe full manual: {parser.prog.replace('liaison', 'liaison help', 1)}"


def example_arguments(line: str) -> list[str]:
    """The arguments of an example line, as the shell would pass them to `liaison`."""
    words = shlex.split(line)
    if words[:1] != ["liaison"]:
        raise ValueError(f"an example must start with `liaison`: {line}")
    return words[1:]


def add_parser(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        HELP_COMMAND,
        help="the manual of a command, with examples: liaison help COMMAND [SUBCOMMAND]",
    )
    parser.add_argument("topic", nargs="*", metavar="COMMAND", help="a command, and a subcommand")
    parser.set_defaults(handler=run_help)


def run_help(args: argparse.Namespace) -> int:
    from app.cli import build_parser

    print(manual_page(build_parser(), list(args.topic)))
    return 0


def find(parser: argparse.ArgumentParser, topic: list[str]) -> Command:
    known = {command.path: command for command in commands(parser)}
    if topic[:1] == ["sandbox"]:
        inner = sandbox_parser()
        attach(inner, ("sandbox",))
        known.update(
            {("sandbox", *command.path): command for command in commands(inner) if command.path}
        )
        known[("sandbox",)] = Command(("sandbox",), inner, known[("sandbox",)].summary)
    wanted = tuple(topic)
    if wanted in known:
        found = known[wanted]
        return Command(wanted, found.parser, found.summary)
    siblings = sorted(path[-1] for path in known if path and path[:-1] == wanted[:-1])
    raise CommandError(
        f"there is no command `liaison {' '.join(topic)}`; try one of: {', '.join(siblings)}"
    )


def manual_page(parser: argparse.ArgumentParser, topic: list[str]) -> str:
    command = find(parser, topic)
    page = PAGES.get(command.key)
    target = command.parser
    name = " ".join(("liaison", *command.path))
    sections: list[tuple[str, list[str]]] = []
    summary = command.summary if command.path else "your Exchange mailbox beside your CRM"
    sections.append(("NAME", [f"{name} - {summary}".rstrip(" -")]))
    usage = " ".join(target.format_usage().removeprefix("usage: ").split())
    synopsis = textwrap.wrap(usage, WIDTH - 4, subsequent_indent=INDENT, break_on_hyphens=False)
    sections.append(("SYNOPSIS", synopsis))
    description = (page.description if page else None) or target.description or summary
    sections.append(("DESCRIPTION", _wrap(description)))
    positionals, options, subcommands = _arguments(target)
    if positionals:
        sections.append(("ARGUMENTS", positionals))
    sections.append(("OPTIONS", options))
    if subcommands:
        sections.append(("COMMANDS", subcommands))
    if page is not None:
        sections.append(("EXAMPLES", _definitions(page.examples)))
    sections.append(("ENVIRONMENT", _definitions(ENVIRONMENT)))
    sections.append(("EXIT STATUS", _definitions(EXIT_STATUS)))
    return "\n\n".join(
        heading + "\n" + "\n".join(INDENT + line if line else "" for line in body)
        for heading, body in sections
    )


def _wrap(text: str, width: int = WIDTH - 4) -> list[str]:
    return textwrap.wrap(text, width) or [""]


def _definition(term: str, meaning: str) -> list[str]:
    """A term, then its meaning indented below (none when it has none)."""
    return [term, *(INDENT + line for line in textwrap.wrap(meaning, WIDTH - 8))]


def _definitions(pairs: tuple[tuple[str, str], ...]) -> list[str]:
    return [line for term, meaning in pairs for line in _definition(term, meaning)]


def _arguments(parser: argparse.ArgumentParser) -> tuple[list[str], list[str], list[str]]:
    formatter = parser._get_formatter()
    positionals: list[str] = []
    options: list[str] = []
    subcommands: list[str] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                subcommands += _definition(choice.dest, choice.help or "")
            continue
        help_text = action.help or ""
        if action.choices and not action.option_strings:  # an option shows them in its {a,b}
            help_text = (
                (help_text + "; " if help_text else "")
                + "one of: "
                + ", ".join(str(choice) for choice in action.choices)
            )
        if action.default not in (None, False, [], argparse.SUPPRESS) and action.option_strings:
            help_text += f" (default: {action.default})"
        if action.option_strings:
            options += _definition(formatter._format_action_invocation(action), help_text)
        else:
            term = action.metavar if isinstance(action.metavar, str) else action.dest
            positionals += _definition(term, help_text)
    return positionals, options, subcommands
