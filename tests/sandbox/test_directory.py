"""Finding the server and the people on it: autodiscover (SOAP and POX), ResolveNames, ConvertId."""

from __future__ import annotations

import base64

import requests
from exchangelib import BASIC, Account, Configuration, Contact, Credentials
from exchangelib.autodiscover.protocol import AutodiscoverProtocol
from exchangelib.errors import ErrorNameResolutionNoResults
from exchangelib.indexed_properties import EmailAddress
from lxml import etree

from tests.support.sandbox import Sandbox, SandboxUser


def test_soap_autodiscover_gives_the_ews_url_and_version_for_an_address(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    protocol = AutodiscoverProtocol(
        config=Configuration(
            service_endpoint=sandbox.server.autodiscover_url,
            credentials=Credentials(user.address, user.password),
            auth_type=BASIC,
        )
    )

    response = protocol.get_user_settings(user=user.address)

    assert response.ews_url == sandbox.server.url
    assert response.autodiscover_smtp_address == user.address
    assert response.user_settings["user_display_name"] == user.display_name
    assert response.version.api_version == "Exchange2016"
    protocol.close()


def test_pox_autodiscover_answers_outlook_with_the_ews_url(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    request = (
        '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/'
        'requestschema/2006"><Request>'
        f"<EMailAddress>{user.address}</EMailAddress>"
        "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/"
        "responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>"
    )

    response = requests.post(
        f"{sandbox.server.base_url}/autodiscover/autodiscover.xml",
        data=request.encode(),
        auth=(user.address, user.password),
        headers={"Content-Type": "text/xml"},
        timeout=10,
    )

    document = etree.fromstring(response.content)
    namespace = "{http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a}"
    assert document.findtext(f".//{namespace}EwsUrl") == sandbox.server.url
    assert document.findtext(f".//{namespace}AutoDiscoverSMTPAddress") == user.address


def test_autodiscover_asks_for_credentials_first(sandbox: Sandbox) -> None:
    response = requests.post(sandbox.server.autodiscover_url, data=b"<x/>", timeout=10)

    assert response.status_code == 401
    assert "Basic" in response.headers["WWW-Authenticate"]


def test_resolve_names_finds_colleagues_by_name_and_address(
    sandbox: Sandbox, account: Account
) -> None:
    colleague = sandbox.new_user("Katarzyna Lewandowska")
    account.protocol.version  # noqa: B018 - ResolveNames needs the detected version first

    by_name = account.protocol.resolve_names(["Katarzyna Lewandowska"])
    by_address = account.protocol.resolve_names([colleague.address])

    assert [m.email_address for m in by_name] == [colleague.address]
    assert [m.name for m in by_address] == ["Katarzyna Lewandowska"]


def test_resolve_names_also_searches_the_users_contacts(account: Account) -> None:
    Contact(
        account=account,
        folder=account.contacts,
        display_name="Henrik Larsen",
        given_name="Henrik",
        surname="Larsen",
        company_name="Nordhavn Shipping",
        email_addresses=[EmailAddress(email="h.larsen@nordhavn.example", label="EmailAddress1")],
    ).save()

    (mailbox,) = account.protocol.resolve_names(["Henrik"])

    assert (mailbox.email_address, mailbox.mailbox_type) == ("h.larsen@nordhavn.example", "Contact")


def test_resolve_names_reports_no_results_for_a_stranger(account: Account) -> None:
    account.protocol.version  # noqa: B018
    (result,) = account.protocol.resolve_names(["Zbigniew Nieznany"])

    assert isinstance(result, ErrorNameResolutionNoResults)


def test_convert_id_answers_in_the_shape_exchange_uses(sandbox: Sandbox, user: SandboxUser) -> None:
    # exchangelib 5.6 reads AlternateId from the types namespace, where Exchange does not put it,
    # so this one is checked on the wire.
    inbox_id = sandbox.account(user).inbox.id
    envelope = (
        '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"'
        ' xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"'
        ' xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><s:Body>'
        '<m:ConvertId DestinationFormat="HexEntryId"><m:SourceIds>'
        f'<t:AlternateId Format="EwsId" Id="{inbox_id}" Mailbox="{user.address}"/>'
        "</m:SourceIds></m:ConvertId></s:Body></s:Envelope>"
    )

    response = requests.post(
        sandbox.url, data=envelope.encode(), auth=(user.address, user.password), timeout=10
    )

    messages = "{http://schemas.microsoft.com/exchange/services/2006/messages}"
    alternate = etree.fromstring(response.content).find(f".//{messages}AlternateId")
    assert alternate.get("Format") == "HexEntryId"
    assert bytes.fromhex(alternate.get("Id")) == base64.b64decode(inbox_id)
    assert alternate.get("Mailbox") == user.address
