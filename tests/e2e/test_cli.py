"""The `liaison` command line on a real profile: what a user types, what they see."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from app.cli import run

ACCOUNTS = """name,email,website
Acme Logistics Sp. z o.o.,biuro@acme-logistics.example,https://acme-logistics.example
Müller Maschinenbau GmbH,info@mueller-mb.example,https://mueller-mb.example
"""
CONTACTS = """first_name,last_name,email,account
Łukasz,Wiśniewski,l.wisniewski@acme-logistics.example;lukasz.w@gmail.com,Acme Logistics Sp. z o.o.
Greta,Schulz,greta.schulz@mueller-mb.example,Müller Maschinenbau GmbH
"""
LEADS = """first_name,last_name,email,company
Tomasz,Lewandowski,t.lewandowski@nova-retail.example,Nova Retail
"""


ACME = "account:biuro@acme-logistics.example"


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], folder: Path) -> None:
        self.capsys = capsys
        self.folder = folder

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        code = run(list(argv))
        captured = self.capsys.readouterr()
        return code, captured.out, captured.err

    def json(self, *argv: str) -> dict:  # type: ignore[type-arg]
        code, out, err = self(*argv)
        assert code == 0, err
        return json.loads(out)

    def file(self, name: str, text: str) -> str:
        path = self.folder / name
        path.write_text(dedent(text).lstrip(), encoding="utf-8")
        return str(path)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    cli = Cli(capsys, tmp_path)
    assert cli("init", "--address", "anna.nowak@brightwave.test", "--name", "Anna Nowak")[0] == 0
    assert cli("crm", "import", "accounts", cli.file("accounts.csv", ACCOUNTS))[0] == 0
    assert cli("crm", "import", "contacts", cli.file("contacts.csv", CONTACTS))[0] == 0
    assert cli("crm", "import", "leads", cli.file("leads.csv", LEADS))[0] == 0
    return cli


OFFER = """
    From: Anna Nowak <anna.nowak@brightwave.test>
    To: Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>
    Subject: Oferta: system śledzenia floty CRM:0001001
    Date: Tue, 08 Sep 2026 09:12:00 +0200
    Message-ID: <offer-1@brightwave.test>
    Content-Type: text/plain; charset=utf-8

    Dzień dobry, w załączeniu oferta.
"""
REPLY = """
    From: =?utf-8?q?=C5=81ukasz_Wi=C5=9Bniewski?= <l.wisniewski@acme-logistics.example>
    To: Anna Nowak <anna.nowak@brightwave.test>
    Subject: Odp: Oferta: system śledzenia floty CRM:0001001
    Date: Wed, 09 Sep 2026 14:03:00 +0200
    Message-ID: <reply-1@acme-logistics.example>
    In-Reply-To: <offer-1@brightwave.test>
    References: <offer-1@brightwave.test>
    Content-Type: text/plain; charset=utf-8

    Dziękuję, mamy kilka pytań.
"""

# The reply with its threading headers renamed away: only the subject can tie it to the offer.
REPLY_WITHOUT_HEADERS = REPLY.replace("In-Reply-To", "X-Old").replace("References", "X-Ref")


def test_init_twice_with_the_same_address_changes_nothing(cli: Cli) -> None:
    code, out, _ = cli("init", "--address", "anna.nowak@brightwave.test")
    assert code == 0 and "user number 1" in out


def test_init_with_another_address_is_refused(cli: Cli) -> None:
    code, _, err = cli("init", "--address", "someone.else@brightwave.test")
    assert code == 2 and "already belongs to anna.nowak@brightwave.test" in err


def test_a_contact_mail_is_not_tracked_by_default_and_says_why(cli: Cli) -> None:
    message = cli.file("q.eml", REPLY_WITHOUT_HEADERS)
    decision = cli.json("explain", message, "--json")
    assert decision["track"] is False
    assert decision["rule"] == "not-tracked"
    assert decision["sender"]["type"] == "contact"
    assert decision["sender"]["name"] == "Łukasz Wiśniewski"


def test_the_crm_contacts_option_tracks_mail_from_a_contact(cli: Cli) -> None:
    cli("options", "set", "track", "crm-contacts")
    message = cli.file("q.eml", REPLY_WITHOUT_HEADERS)
    decision = cli.json("explain", message, "--json")
    assert (decision["track"], decision["rule"]) == (True, "option-crm-sender")


def test_a_reply_to_a_tracked_offer_is_tracked_regarding_its_account(cli: Cli) -> None:
    tracked = cli.json("track", cli.file("offer.eml", OFFER), "--regarding", ACME)
    assert tracked["rule"] == "manual"
    assert tracked["regarding"]["name"] == "Acme Logistics Sp. z o.o."
    decision = cli.json("explain", cli.file("reply.eml", REPLY), "--json")
    assert decision["track"] is True
    assert decision["rule"] == "in-reply-to"
    assert decision["regarding"] == tracked["regarding"]
    # The original by its subject and date, as a person recognises it, not by its Message-ID.
    evidence = decision["evidence"]
    assert evidence.startswith("A reply to “Oferta: system śledzenia floty CRM:0001001” of 8 Sep")
    assert evidence.endswith(". Regarding the account Acme Logistics Sp. z o.o.")
    assert decision["reasons"][0]["original"]["subject"] == (
        "Oferta: system śledzenia floty CRM:0001001"
    )


def test_the_token_alone_correlates_a_reply_without_headers(cli: Cli) -> None:
    cli("track", cli.file("offer.eml", OFFER), "--regarding", ACME)
    stripped = REPLY_WITHOUT_HEADERS
    decision = cli.json("explain", cli.file("reply.eml", stripped), "--json")
    assert (decision["rule"], decision["regarding"]["type"]) == ("tracking-token", "account")


def test_tracking_the_same_message_twice_links_to_one_activity(cli: Cli) -> None:
    offer = cli.file("offer.eml", OFFER)
    first = cli.json("track", offer)
    second = cli.json("track", offer)
    assert first["activity_id"] == second["activity_id"]
    assert second["linked_existing"] is True
    assert len(cli.json("crm", "list", "activities", "--json")) == 1


def test_untrack_keeps_the_activity_unlinked_and_rules_leave_it_alone(cli: Cli) -> None:
    cli("options", "set", "track", "all")
    reply = cli.file("reply.eml", REPLY)
    cli.json("track", reply, "--regarding", "contact:l.wisniewski@acme-logistics.example")
    code, out, _ = cli("untrack", reply)
    assert code == 0 and "untracked" in out
    [activity] = cli.json("crm", "list", "activities", "--json")
    assert activity["tracked"] is False and activity["regarding"] is None
    assert cli.json("explain", reply, "--json")["track"] is False


def test_private_mail_is_excluded(cli: Cli) -> None:
    cli("options", "set", "track", "all")
    private = REPLY.replace("Content-Type", "Sensitivity: Private\n    Content-Type")
    decision = cli.json("explain", cli.file("p.eml", private), "--json")
    assert (decision["track"], decision["rule"]) == (False, "excluded-private")


def test_never_track_domain_is_excluded(cli: Cli) -> None:
    cli("options", "set", "track", "all")
    cli("options", "set", "never-track", "@acme-logistics.example")
    decision = cli.json("explain", cli.file("r.eml", REPLY), "--json")
    assert decision["rule"] == "excluded-never-track"


def test_an_unknown_sender_becomes_a_lead_with_company_from_the_domain(cli: Cli) -> None:
    cli("options", "set", "track", "all")
    cli("options", "set", "autocreate", "lead")
    message = cli.file(
        "new.eml",
        """
        From: "Kowalski, Jan" <jan.kowalski@kowalski-trans.example>
        To: anna.nowak@brightwave.test
        Subject: Zapytanie o cennik
        Date: Thu, 10 Sep 2026 08:00:00 +0200
        Message-ID: <ask-1@kowalski-trans.example>

        Prosimy o cennik.
        """,
    )
    assert cli.json("explain", message, "--json")["create"] == {
        "type": "lead",
        "first_name": "Jan",
        "last_name": "Kowalski",
        "email": "jan.kowalski@kowalski-trans.example",
        "company": "Kowalski Trans",
        "salutation": "",
        "suffix": "",
        "account": None,
    }
    tracked = cli.json("track", message)
    assert tracked["created"]["type"] == "lead"
    leads = cli.json("crm", "list", "leads", "--json")
    assert [lead["name"] for lead in leads].count("Jan Kowalski") == 1
    # A second message from the same sender resolves to the lead; nothing is created again.
    assert cli.json("explain", message, "--json")["create"] is None


def test_crm_list_shows_imported_records_with_all_their_addresses(cli: Cli) -> None:
    contacts = cli.json("crm", "list", "contacts", "--json")
    lukasz = next(contact for contact in contacts if contact["name"] == "Łukasz Wiśniewski")
    assert lukasz["emails"] == ["l.wisniewski@acme-logistics.example", "lukasz.w@gmail.com"]


def test_org_prefix_change_keeps_old_tokens_correlating(cli: Cli) -> None:
    cli("track", cli.file("offer.eml", OFFER), "--regarding", ACME)
    code, out, _ = cli("org", "set", "token-prefix", "BW:")
    assert code == 0 and out.strip() == "token-prefix = BW:"
    stripped = REPLY_WITHOUT_HEADERS
    assert (
        cli.json("explain", cli.file("reply.eml", stripped), "--json")["rule"] == "tracking-token"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["options", "set", "track", "everything"], "expected one of"),
        (["track", "{missing}"], "no such file"),
        (["track", "{offer}", "--regarding", "account:nobody@nowhere.example"], "No account has"),
        (["track", "{offer}", "--regarding", "planet:3"], "Unknown record type"),
        (["track", "{offer}", "--regarding", "account"], "TYPE:KEY"),
        (["explain", "{garbage}"], "no email headers"),
        (["explain", "{binary}"], "binary"),
        (["crm", "import", "contacts", "{missing}"], "no such file"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    cli: Cli, argv: list[str], message: str
) -> None:
    files = {
        "missing": str(cli.folder / "missing.eml"),
        "offer": cli.file("offer.eml", OFFER),
        "garbage": cli.file("garbage.eml", "just some words\nwith no headers at all\n"),
        "binary": str(cli.folder / "binary.eml"),
    }
    (cli.folder / "binary.eml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    code, _, err = cli(*[part.format(**files) for part in argv])
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_commands_before_init_say_how_to_start(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["crm", "list", "contacts"]) == 0  # listing an empty CRM is fine
    assert run(["crm", "import", "leads", __file__]) == 2
    assert "liaison init" in capsys.readouterr().err


def test_the_installed_liaison_command_runs(liaison_home: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "app", "org", "show"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "token-prefix" in result.stdout and "CRM:" in result.stdout


def test_explain_without_json_answers_in_sentences(cli: Cli) -> None:
    cli("track", cli.file("offer.eml", OFFER), "--regarding", ACME)
    code, out, _ = cli("explain", cli.file("reply.eml", REPLY))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Track (in-reply-to)"
    assert lines[1].startswith("Why: ")
    assert "Regarding: account Acme Logistics Sp. z o.o." in out


def test_a_token_seen_on_tracked_mail_is_never_issued_again(cli: Cli) -> None:
    from app.crm.models import SystemUser
    from app.crm.org import load_org_settings
    from app.crm.tokens import issue_token
    from app.workspace import Workspace

    cli("track", cli.file("offer.eml", OFFER))  # carries CRM:0001001, issued elsewhere
    with Workspace.open() as workspace, workspace.crm.sessions.begin() as session:
        anna = session.get(SystemUser, workspace.settings["owner_user_id"])
        assert anna is not None
        assert issue_token(session, anna, load_org_settings(session)).token == "CRM:0001002"


def test_liaison_sandbox_has_its_own_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["sandbox", "--help"])
    assert exited.value.code == 0
    assert "serve" in capsys.readouterr().out
