"""`liaison crm add|edit|delete|show|qualify|disqualify`: records kept by hand from the command
line, as a user or a script types them."""

from __future__ import annotations

import io
import json

import pytest

from tests.e2e.test_cli import OFFER, Cli
from tests.e2e.test_cli import cli as profile_cli  # noqa: F401  (a fixture, used by name)

ACME = "biuro@acme-logistics.example"


@pytest.fixture
def cli(profile_cli: Cli) -> Cli:  # noqa: F811
    """The profile test_cli makes: Acme, its contacts and a lead imported from CSV."""
    return profile_cli


def created(cli: Cli, *argv: str) -> dict:  # type: ignore[type-arg]
    return cli.json("crm", "add", *argv, "--json")


def test_add_creates_each_record_type_from_flags(cli: Cli) -> None:
    account = created(cli, "account", "--name", "Spedycja Bałtyk Sp. z o.o.",
                      "--email", "biuro@spedycja-baltyk.example", "--city", "Gdynia",
                      "--country", "Polska", "--phone", "+48 58 620 10 10")  # fmt: skip
    contact = created(cli, "contact", "--salutation", "Pan", "--first-name", "Marek",
                      "--last-name", "Zawadzki", "--email", "m.zawadzki@spedycja-baltyk.example",
                      "--account", "Spedycja Bałtyk Sp. z o.o.", "--job-title", "Spedytor",
                      "--phone", "+48 58 620 10 11",
                      "--mobile-phone", "+48 601 200 300")  # fmt: skip
    lead = created(cli, "lead", "--first-name", "Karolina", "--last-name", "Mazur",
                   "--email", "k.mazur@zielony-koszyk.example", "--company", "Zielony Koszyk",
                   "--job-title", "Kierowniczka e-commerce", "--status", "contacted")  # fmt: skip
    opportunity = created(cli, "opportunity", "--name", "Spedycja Bałtyk – śledzenie floty",
                          "--account", "biuro@spedycja-baltyk.example",
                          "--contact", "m.zawadzki@spedycja-baltyk.example",
                          "--estimated-value", "240 000,00", "--currency", "pln",
                          "--close-date", "2027-03-31", "--stage", "develop",
                          "--probability", "35")  # fmt: skip

    assert (account["city"], account["emails"]) == ("Gdynia", ["biuro@spedycja-baltyk.example"])
    assert (contact["salutation"], contact["account"]["name"]) == (
        "Pan",
        "Spedycja Bałtyk Sp. z o.o.",
    )
    assert (lead["status"], lead["job_title"]) == ("contacted", "Kierowniczka e-commerce")
    assert {key: opportunity[key] for key in (
        "estimated_value", "currency", "close_date", "stage", "probability"
    )} == {"estimated_value": "240000.00", "currency": "PLN", "close_date": "2027-03-31",
           "stage": "Develop", "probability": 35}  # fmt: skip
    assert opportunity["contact"]["id"] == contact["id"]
    shown = cli.json("crm", "show", "opportunity", str(opportunity["id"]), "--json")
    assert shown["account"] == {"id": account["id"], "name": "Spedycja Bałtyk Sp. z o.o."}


def test_add_reads_a_json_object_from_a_file_or_standard_input(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cli.file("contact.json", '{"first_name": "Greta", "last_name": "Weber", '
                    '"emails": ["greta.weber@weber-holz.example"], '
                    '"job_title": "Einkauf"}')  # fmt: skip
    from_file = created(cli, "contact", "--from-json", path, "--job-title", "Einkaufsleiterin")
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps({"name": "Weber Holz GmbH"})))
    from_stdin = created(cli, "account", "--from-json", "-")

    assert (from_file["last_name"], from_file["job_title"]) == ("Weber", "Einkaufsleiterin")
    assert from_stdin["name"] == "Weber Holz GmbH"


def test_a_duplicate_is_refused_with_the_match_unless_forced(cli: Cli) -> None:
    code, _, err = cli("crm", "add", "contact", "--first-name", "Lukasz",
                       "--last-name", "Wisniewski")  # fmt: skip

    assert code == 2
    assert "Possible duplicate: contact" in err and "Łukasz Wiśniewski" in err
    assert "has the same name. Save anyway with --force" in err
    assert created(cli, "contact", "--first-name", "Łukasz", "--last-name", "Wiśniewski",
                   "--force")["id"]  # fmt: skip


def test_a_lead_with_a_contacts_address_is_saved_with_a_warning(cli: Cli) -> None:
    code, out, err = cli("crm", "add", "lead", "--last-name", "Wiśniewski",
                         "--email", "l.wisniewski@acme-logistics.example")  # fmt: skip

    assert code == 0 and out.startswith("Created lead")
    assert "Warning: l.wisniewski@acme-logistics.example is the address of contact" in err


def test_edit_changes_the_given_fields_and_the_history_says_who(cli: Cli) -> None:
    contact = "l.wisniewski@acme-logistics.example"
    code, out, _ = cli("crm", "edit", "contact", contact, "--job-title", "Dyrektor logistyki")
    assert code == 0 and out.startswith("Saved contact")

    shown = cli.json("crm", "show", "contact", contact, "--history", "--json")

    assert shown["job_title"] == "Dyrektor logistyki"
    assert shown["emails"] == [contact, "lukasz.w@gmail.com"]
    edit = shown["history"][0]
    assert (edit["who"], edit["action"], edit["field"], edit["old"], edit["new"]) == (
        "Anna Nowak",
        "edited",
        "job_title",
        None,
        "Dyrektor logistyki",
    )
    code, out, _ = cli("crm", "show", "contact", contact, "--history")
    edited = next(line for line in out.splitlines() if " edited " in line)
    assert edited.split()[1:] == ["Anna", "Nowak", "edited", "job_title", "Dyrektor", "logistyki"]


def test_show_json_given_back_to_edit_changes_nothing_but_what_was_changed(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = cli.json("crm", "show", "account", ACME, "--json")
    shown["phone"] = "+48 42 600 70 80"
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(shown)))

    saved = cli.json("crm", "edit", "account", ACME, "--from-json", "-", "--json")

    assert saved["phone"] == "+48 42 600 70 80" and saved["name"] == shown["name"]
    history = cli.json("crm", "show", "account", ACME, "--history", "--json")["history"]
    assert [entry["field"] for entry in history if entry["action"] == "edited"] == ["phone"]


@pytest.mark.parametrize(
    ("record", "argv", "said"),
    [
        (("opportunity", "--name", "Acme: flota"), ("--probability", "120"),
         "probability: '120' is not a percentage from 0 to 100"),
        (("contact", "--last-name", "Nowak"), ("--website", "acme"),
         "a contact has no field 'website'"),
        (("contact", "--last-name", "Nowak"), ("--email", "jan@"),
         "emails: 'jan@' is not an email address"),
        (("contact", "--last-name", "Nowak"), ("--last-name", ""), "last_name: is required"),
    ],
)  # fmt: skip
def test_a_wrong_value_is_one_line_naming_the_field(
    cli: Cli, record: tuple[str, ...], argv: tuple[str, ...], said: str
) -> None:
    made = created(cli, *record)

    code, _, err = cli("crm", "edit", record[0], str(made["id"]), *argv)

    assert code == 2 and said in err and err.count("\n") == 1


def test_delete_says_what_becomes_of_the_activities_and_asks_for_yes(cli: Cli) -> None:
    cli.json("track", cli.file("offer.eml", OFFER), "--regarding", f"account:{ACME}")

    code, out, err = cli("crm", "delete", "account", ACME)
    assert code == 2 and "add --yes to delete account" in err
    assert out.splitlines() == [
        "1 tracked email(s) stay in the CRM, regarding nothing.",
        "1 contact(s) stay, without an account.",
    ]
    code, out, _ = cli("crm", "delete", "account", ACME, "--yes")

    assert code == 0 and out.splitlines()[-1].startswith("Deleted account")
    [activity] = cli.json("crm", "list", "activities", "--json")
    assert activity["regarding"] is None and activity["tracked"] is True
    assert "Acme" not in [a["name"] for a in cli.json("crm", "list", "accounts", "--json")]


def test_qualify_makes_account_contact_and_opportunity_and_moves_the_activities(
    cli: Cli,
) -> None:
    lead = "t.lewandowski@nova-retail.example"
    cli("crm", "edit", "lead", lead, "--topic", "Kasy samoobsługowe 2027")
    cli.json("track", cli.file("offer.eml", OFFER), "--regarding", f"lead:{lead}")

    result = cli.json("crm", "qualify", "lead", lead, "--json")

    assert [(made["type"], made["name"]) for made in result["made"]] == [
        ("account", "Nova Retail"),
        ("contact", "Tomasz Lewandowski"),
        ("opportunity", "Kasy samoobsługowe 2027"),
    ]
    assert (result["regarding"]["type"], result["moved_activities"]) == ("opportunity", 1)
    [activity] = cli.json("crm", "list", "activities", "--json")
    assert activity["regarding"]["name"] == "Kasy samoobsługowe 2027"
    shown = cli.json("crm", "show", "lead", lead, "--json")
    assert (shown["status"], shown["active"]) == ("qualified", False)


def test_qualify_offers_the_existing_account_and_links_it_when_named(cli: Cli) -> None:
    created(cli, "lead", "--first-name", "Ewa", "--last-name", "Nowicka",
            "--email", "e.nowicka@acme-logistics.example",
            "--company", "Acme Logistics")  # fmt: skip

    code, _, err = cli("crm", "qualify", "lead", "e.nowicka@acme-logistics.example")
    assert code == 2
    assert "Existing accounts may be this lead's: " in err and "Acme Logistics Sp. z o.o." in err
    acme = cli.json("crm", "show", "account", ACME, "--json")["id"]
    result = cli.json("crm", "qualify", "lead", "e.nowicka@acme-logistics.example",
                      "--account", str(acme), "--no-opportunity", "--json")  # fmt: skip

    assert [(made["type"], made["id"]) for made in result["made"]][:1] == [("account", acme)]
    assert [made["type"] for made in result["made"]] == ["account", "contact"]


def test_disqualify_closes_the_lead_with_its_reason(cli: Cli) -> None:
    lead = "t.lewandowski@nova-retail.example"

    code, out, _ = cli("crm", "disqualify", "lead", lead, "--reason", "cannot-contact")

    assert code == 0 and out.strip().endswith("cannot-contact.")
    assert cli.json("crm", "show", "lead", lead, "--json")["status"] == "cannot-contact"
    code, _, err = cli("crm", "qualify", "lead", lead)
    assert code == 2 and "is cannot-contact already" in err


def test_the_csv_import_reports_possible_duplicates_per_line(cli: Cli) -> None:
    contacts = cli.file(
        "more-contacts.csv",
        """
        first_name,last_name,email,account
        Grzegorz,Brzęczyszczykiewicz,g.brzeczyszczykiewicz@acme-logistics.example,
        Lukasz,Wisniewski,lukasz@wisniewski-consulting.example,
        """,
    )

    lukasz = cli.json("crm", "show", "contact", "l.wisniewski@acme-logistics.example", "--json")

    code, out, err = cli("crm", "import", "contacts", contacts)

    assert code == 0 and out.strip() == "Imported 2 contacts."
    assert err.splitlines() == [
        f"{contacts}:3: possible duplicate: contact {lukasz['id']} Łukasz Wiśniewski "
        "(Acme Logistics Sp. z o.o.) has the same name"
    ]


NOTICE = """
    From: Acme Logistics <noreply@acme-logistics.example>
    To: anna.nowak@brightwave.test
    Subject: Awizacja dostawy nr 4711
    Date: Thu, 10 Sep 2026 08:00:00 +0200
    Message-ID: <awizacja-4711@acme-logistics.example>

    Dostawa jutro między 8 a 10.
"""


def test_auto_creation_adds_a_role_address_to_its_companys_account_never_a_person(
    cli: Cli,
) -> None:
    cli("options", "set", "track", "all")
    cli("options", "set", "autocreate", "contact")
    notice = cli.file("notice.eml", NOTICE)

    code, out, _ = cli("explain", notice)
    assert code == 0
    assert "Would add noreply@acme-logistics.example to account Acme Logistics Sp. z o.o." in out
    tracked = cli.json("track", notice)

    assert tracked["created"]["type"] == "account"
    shown = cli.json("crm", "show", "account", ACME, "--json")
    assert shown["emails"] == [ACME, "noreply@acme-logistics.example"]
    names = [c["name"] for c in cli.json("crm", "list", "contacts", "--json")]
    assert "Noreply" not in names and "Acme Logistics" not in names
