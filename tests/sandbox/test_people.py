"""People: distribution lists in a contacts folder and their expansion, personas through
FindPeople and GetPersona (contacts and the directory), and mail tips for recipients."""

from __future__ import annotations

import pytest
from exchangelib import Account, Contact, DistributionList, Mailbox
from exchangelib.errors import ErrorInvalidItemForOperationExpandDL
from exchangelib.indexed_properties import EmailAddress
from exchangelib.properties import DLMailbox, Member, SendingAs
from exchangelib.services import GetMailTips

from tests.support.sandbox import Sandbox, SandboxUser


def _contact(account: Account, given: str, surname: str, company: str, email: str) -> Contact:
    contact = Contact(
        account=account,
        folder=account.contacts,
        display_name=f"{given} {surname}",
        given_name=given,
        surname=surname,
        company_name=company,
        email_addresses=[EmailAddress(email=email, label="EmailAddress1")],
    )
    contact.save()
    return contact


@pytest.fixture
def customers(account: Account) -> Account:
    _contact(
        account, "Agnieszka", "Nowak", "Baltic Cargo Sp. z o.o.", "a.nowak@baltic-cargo.example"
    )
    _contact(account, "Hanna", "Schulz", "Nordsee Fisch GmbH", "h.schulz@nordsee-fisch.example")
    _contact(account, "Piotr", "Nowicki", "Hansa Frachten", "p.nowicki@hansa-frachten.example")
    return account


# --- distribution lists ------------------------------------------------------------------


def test_a_distribution_list_keeps_its_members(account: Account) -> None:
    group = DistributionList(
        account=account,
        folder=account.contacts,
        display_name="Kunden Pommern",
        members=[
            Member(
                mailbox=Mailbox(
                    name="Agnieszka Nowak", email_address="a.nowak@baltic-cargo.example"
                )
            ),
            Member(mailbox=Mailbox(email_address="biuro@gdansk-port.example")),
        ],
    )
    group.save()

    fetched = account.contacts.get(id=group.id)

    assert isinstance(fetched, DistributionList)
    assert (fetched.display_name, fetched.file_as) == ("Kunden Pommern", "Kunden Pommern")
    assert [m.mailbox.email_address for m in fetched.members] == [
        "a.nowak@baltic-cargo.example",
        "biuro@gdansk-port.example",
    ]
    assert {m.status for m in fetched.members} == {"Normal"}


def test_a_private_distribution_list_expands_to_its_members(account: Account) -> None:
    group = DistributionList(
        account=account,
        folder=account.contacts,
        display_name="Spedytorzy",
        members=["dispo@hansa-frachten.example", "zlecenia@baltic-cargo.example"],
    )
    group.save()

    members = account.protocol.expand_dl(DLMailbox(item_id=group.to_id(), mailbox_type="PrivateDL"))

    assert [m.email_address for m in members] == [
        "dispo@hansa-frachten.example",
        "zlecenia@baltic-cargo.example",
    ]


def test_a_contact_cannot_be_expanded_as_a_list(customers: Account) -> None:
    contact = next(iter(customers.contacts.all()))

    with pytest.raises(ErrorInvalidItemForOperationExpandDL):
        customers.protocol.expand_dl(DLMailbox(item_id=contact.to_id(), mailbox_type="PrivateDL"))


# --- personas ------------------------------------------------------------------------------


def test_find_people_lists_the_contacts_of_a_folder_as_personas(customers: Account) -> None:
    people = list(customers.contacts.people().only("display_name", "company_name"))

    assert [(p.display_name, p.company_name) for p in people] == [
        ("Agnieszka Nowak", "Baltic Cargo Sp. z o.o."),
        ("Hanna Schulz", "Nordsee Fisch GmbH"),
        ("Piotr Nowicki", "Hansa Frachten"),
    ]


def test_find_people_with_a_query_matches_names_by_their_beginning(customers: Account) -> None:
    found = [p.display_name for p in customers.contacts.people().filter("Now").only("display_name")]

    assert found == ["Agnieszka Nowak", "Piotr Nowicki"]


def test_find_people_filters_on_persona_properties(customers: Account) -> None:
    found = [
        p.display_name
        for p in customers.contacts.people()
        .filter(company_name__contains="Fisch")
        .only("display_name")
    ]

    assert found == ["Hanna Schulz"]


def test_a_persona_is_fetched_whole_with_its_email_address(customers: Account) -> None:
    (persona,) = [p for p in customers.contacts.people() if p.display_name == "Hanna Schulz"]

    assert (persona.given_name, persona.surname) == ("Hanna", "Schulz")
    assert persona.email_address.email_address == "h.schulz@nordsee-fisch.example"
    assert persona.company_name == "Nordsee Fisch GmbH"


def test_find_people_in_the_directory_finds_colleagues(sandbox: Sandbox, account: Account) -> None:
    colleague = sandbox.new_user("Zofia Dąbrowska")
    found = list(account.directory.people().filter("Dąbrow").only("display_name"))

    assert [p.display_name for p in found] == ["Zofia Dąbrowska"]
    (persona,) = account.fetch_personas(ids=found)
    assert persona.email_address.email_address == colleague.address


# --- mail tips -----------------------------------------------------------------------------


def test_mail_tips_for_a_colleague_an_unknown_colleague_and_an_outsider(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    colleague = sandbox.new_user("Jan Nowak")
    domain = user.address.partition("@")[2]
    recipients = [colleague.address, f"nikt.taki@{domain}", "kontakt@baltic-cargo.example"]
    tips = list(
        GetMailTips(protocol=account.protocol).call(
            sending_as=SendingAs(email_address=user.address),
            recipients=[Mailbox(email_address=r) for r in recipients],
            mail_tips_requested="All",
        )
    )

    colleague_tips, unknown_tips, outside_tips = tips
    assert colleague_tips.recipient_address.email_address == colleague.address
    assert colleague_tips.recipient_address.name == "Jan Nowak"
    assert (colleague_tips.invalid_recipient, colleague_tips.mailbox_full) == (False, False)
    assert colleague_tips.max_message_size == 36700160
    assert unknown_tips.invalid_recipient is True
    assert (outside_tips.invalid_recipient, outside_tips.external_member_count) == (False, 1)


def test_the_accounts_own_mail_tips(account: Account, user: SandboxUser) -> None:
    tips = account.mail_tips

    assert tips.recipient_address.email_address == user.address
    assert tips.total_member_count == 1
