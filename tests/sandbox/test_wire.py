"""What travels on the wire for requests no well-behaved client sends: SOAP faults shaped as
Exchange shapes them, and never a Python traceback."""

from __future__ import annotations

import pytest
import requests
from exchangelib.errors import ErrorInvalidRequest, ErrorSchemaValidation
from exchangelib.services import GetFolder
from lxml import etree

from tests.support.sandbox import Sandbox, SandboxUser

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors"
TYPES = "http://schemas.microsoft.com/exchange/services/2006/types"


def _post(sandbox: Sandbox, user: SandboxUser, body: bytes) -> requests.Response:
    return requests.post(sandbox.url, data=body, auth=(user.address, user.password), timeout=10)


def _envelope(operation: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP}"'
        ' xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages"'
        f' xmlns:t="{TYPES}"><s:Header><t:RequestServerVersion Version="Exchange2016"/>'
        f"</s:Header><s:Body>{operation}</s:Body></s:Envelope>"
    ).encode()


def _fault(response: requests.Response) -> etree._Element:
    return etree.fromstring(response.content).find(f".//{{{SOAP}}}Fault")


def _fault_code(response: requests.Response) -> str:
    return _fault(response).findtext(f"detail/{{{ERRORS}}}ResponseCode")


def test_malformed_xml_is_a_schema_validation_fault(sandbox: Sandbox, user: SandboxUser) -> None:
    response = _post(sandbox, user, b"<s:Envelope><unclosed>")

    assert response.status_code == 500
    assert _fault_code(response) == "ErrorSchemaValidation"
    assert b"Traceback" not in response.content


def test_an_unknown_distinguished_folder_is_a_schema_violation_exchangelib_understands(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    response = _post(
        sandbox,
        user,
        _envelope(
            "<m:GetFolder><m:FolderShape><t:BaseShape>IdOnly</t:BaseShape></m:FolderShape>"
            '<m:FolderIds><t:DistinguishedFolderId Id="attic"/></m:FolderIds></m:GetFolder>'
        ),
    )

    assert response.status_code == 500
    with pytest.raises(ErrorSchemaValidation, match="attic"):
        GetFolder._raise_soap_errors(fault=_fault(response))


def test_an_operation_the_server_does_not_offer_is_an_invalid_request(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    response = _post(
        sandbox, user, _envelope("<m:PlayChess><m:Opening>e4</m:Opening></m:PlayChess>")
    )

    assert response.status_code == 500
    with pytest.raises(ErrorInvalidRequest):
        GetFolder._raise_soap_errors(fault=_fault(response))


def test_every_response_carries_the_server_version_header(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    response = _post(
        sandbox,
        user,
        _envelope(
            "<m:GetFolder><m:FolderShape><t:BaseShape>Default</t:BaseShape></m:FolderShape>"
            '<m:FolderIds><t:DistinguishedFolderId Id="inbox"/></m:FolderIds></m:GetFolder>'
        ),
    )

    info = etree.fromstring(response.content).find(f".//{{{TYPES}}}ServerVersionInfo")
    assert (info.get("MajorVersion"), info.get("MinorVersion"), info.get("MajorBuildNumber")) == (
        "15",
        "1",
        "2507",
    )


def test_bad_credentials_get_a_401_offering_what_iis_offers(
    sandbox: Sandbox, user: SandboxUser
) -> None:
    response = requests.post(sandbox.url, data=b"<x/>", auth=(user.address, "wrong"), timeout=10)

    assert response.status_code == 401
    offered = [
        part.strip().split(" ")[0] for part in response.headers["WWW-Authenticate"].split(",")
    ]
    assert offered[:3] == ["Negotiate", "NTLM", "Basic"]
    assert "Bearer" in offered
