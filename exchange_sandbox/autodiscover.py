"""Autodiscover, both flavours: POX (/autodiscover/autodiscover.xml, as Outlook asks) and SOAP
GetUserSettings (/autodiscover/autodiscover.svc, what exchangelib asks).

exchangelib's own discovery insists on https and DNS lookups of the mail domain, neither of which
a loopback sandbox offers; a client points exchangelib's AutodiscoverProtocol at the SOAP URL
directly instead (see README in this package).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Mailbox
from .versions import ServerVersion
from .xmlkit import (
    ADDRESSING_NS,
    AUTODISCOVER_SOAP_NS,
    SOAP_NS,
    MalformedXml,
    child,
    children,
    element,
    escape_text,
    parse_document,
)

POX_RESPONSE_NS = "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
POX_OUTLOOK_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"


@dataclass(frozen=True)
class Directory:
    """Who autodiscover knows: the mailboxes, and addresses whose mailbox is elsewhere (mail
    users of a hybrid or migrated organisation), each with the address to ask for instead."""

    mailboxes: dict[str, Mailbox]
    redirects: dict[str, str]

    def redirect_for(self, address: str) -> str | None:
        return self.redirects.get(address.strip().casefold())

    def own_mailbox(self, address: str, user: Mailbox) -> Mailbox | None:
        """The mailbox of the address, if it is the authenticated user's own."""
        mailbox = self.mailboxes.get(address.strip().casefold())
        return mailbox if mailbox is not None and mailbox.guid == user.guid else None


@dataclass(frozen=True)
class Endpoints:
    ews_url: str
    hostname: str
    version: ServerVersion


def encoded_server_version(version: ServerVersion) -> str:
    """The ServerVersion hex of MS-OXDSCLI: 0111, major (6 bits), minor (6), 1, build (15)."""
    value = (
        (0b0111 << 28) | (version.major << 22) | (version.minor << 16) | (1 << 15) | version.build
    )
    return f"{value:08X}"


def _pox_error(message: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Autodiscover xmlns="{POX_RESPONSE_NS}"><Response>'
        '<Error Time="00:00:00.0000000" Id="0"><ErrorCode>500</ErrorCode>'
        f"<Message>{escape_text(message)}</Message><DebugData/></Error>"
        "</Response></Autodiscover>"
    ).encode()


def pox_response(endpoints: Endpoints, body: bytes, directory: Directory, user: Mailbox) -> bytes:
    """Answer an Outlook POX request for the authenticated user's own address."""
    try:
        document = parse_document(body)
    except MalformedXml:
        return _pox_error("Invalid Request")
    request = child(document, "Request")
    address_elem = child(request, "EMailAddress") if request is not None else None
    address = (address_elem.text or "") if address_elem is not None else ""
    redirect = directory.redirect_for(address)
    if redirect is not None:
        return _pox_account(element("Action", "redirectAddr") + element("RedirectAddr", redirect))
    mailbox = directory.own_mailbox(address, user)
    if mailbox is None:
        return _pox_error("The email address can't be found.")
    version = encoded_server_version(endpoints.version)
    protocol = (
        element("Type", "EXCH")
        + element("Server", endpoints.hostname)
        + element("ServerVersion", version)
        + element("AuthPackage", "Basic")
        + element("EwsUrl", endpoints.ews_url)
        + element("EmwsUrl", endpoints.ews_url)
    )
    external = (
        element("Type", "EXPR")
        + element("Server", endpoints.hostname)
        + element("EwsUrl", endpoints.ews_url)
    )
    user_xml = (
        "<User>"
        + element("DisplayName", mailbox.display_name)
        + element("AutoDiscoverSMTPAddress", mailbox.address)
        + element("DeploymentId", mailbox.guid.hex())
        + "</User>"
    )
    account = (
        element("AccountType", "email")
        + element("Action", "settings")
        + element("MicrosoftOnline", "False")
        + f"<Protocol>{protocol}</Protocol><Protocol>{external}</Protocol>"
    )
    return _pox_account(account, user_xml)


def _pox_account(account: str, user_xml: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<Autodiscover xmlns="{POX_RESPONSE_NS}"><Response xmlns="{POX_OUTLOOK_NS}">'
        f"{user_xml}<Account>{account}</Account></Response></Autodiscover>"
    ).encode()


def _settings(endpoints: Endpoints, mailbox: Mailbox) -> dict[str, str]:
    return {
        "UserDisplayName": mailbox.display_name,
        "UserDeploymentId": mailbox.guid.hex(),
        "AutoDiscoverSMTPAddress": mailbox.address,
        "ExternalEwsUrl": endpoints.ews_url,
        "InternalEwsUrl": endpoints.ews_url,
        "ExternalEwsVersion": endpoints.version.build_text,
        "CasVersion": endpoints.version.build_text,
        "EwsSupportedSchemas": ", ".join(endpoints.version.supported_schemas),
        "ExternalMailboxServer": endpoints.hostname,
        "InternalMailboxServer": endpoints.hostname,
    }


def _redirect_response(target: str) -> str:
    return (
        "<UserResponse><ErrorCode>RedirectAddress</ErrorCode>"
        "<ErrorMessage>Redirection address.</ErrorMessage>"
        + element("RedirectTarget", target)
        + "<UserSettingErrors/><UserSettings/></UserResponse>"
    )


def _user_response(endpoints: Endpoints, mailbox: Mailbox | None, wanted: list[str]) -> str:
    if mailbox is None:
        return (
            "<UserResponse><ErrorCode>InvalidUser</ErrorCode>"
            "<ErrorMessage>Invalid user.</ErrorMessage>"
            f'<RedirectTarget xmlns:i="{_XSI}" i:nil="true"/>'
            "<UserSettingErrors/><UserSettings/></UserResponse>"
        )
    available = _settings(endpoints, mailbox)
    settings, errors = [], []
    for name in wanted:
        if name in available:
            settings.append(
                f'<UserSetting xmlns:i="{_XSI}" i:type="StringSetting">'
                + element("Name", name)
                + element("Value", available[name])
                + "</UserSetting>"
            )
        else:
            errors.append(
                "<UserSettingError><ErrorCode>SettingIsNotAvailable</ErrorCode>"
                "<ErrorMessage>User setting is not available.</ErrorMessage>"
                + element("SettingName", name)
                + "</UserSettingError>"
            )
    return (
        "<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage>"
        f'<RedirectTarget xmlns:i="{_XSI}" i:nil="true"/>'
        f"<UserSettingErrors>{''.join(errors)}</UserSettingErrors>"
        f"<UserSettings>{''.join(settings)}</UserSettings></UserResponse>"
    )


def soap_response(
    endpoints: Endpoints, body: bytes, directory: Directory, user: Mailbox
) -> bytes | None:
    """Answer GetUserSettings; None when the request is not one."""
    try:
        document = parse_document(body)
    except MalformedXml:
        return None
    soap_body = child(document, "Body")
    message = child(soap_body, "GetUserSettingsRequestMessage") if soap_body is not None else None
    request = child(message, "Request") if message is not None else None
    if request is None:
        return None
    users_elem = child(request, "Users")
    settings_elem = child(request, "RequestedSettings")
    wanted = [s.text or "" for s in children(settings_elem)] if settings_elem is not None else []
    responses = []
    for user_elem in children(users_elem):
        address = (
            (child(user_elem, "Mailbox").text or "")
            if child(user_elem, "Mailbox") is not None
            else ""
        )
        redirect = directory.redirect_for(address)
        if redirect is not None:
            responses.append(_redirect_response(redirect))
        else:
            responses.append(
                _user_response(endpoints, directory.own_mailbox(address, user), wanted)
            )
    version = endpoints.version
    header = (
        f'<a:Action xmlns:a="{ADDRESSING_NS}" s:mustUnderstand="1">'
        "http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettingsResponse"
        "</a:Action>"
        f'<h:ServerVersionInfo xmlns:h="{AUTODISCOVER_SOAP_NS}">'
        f"<h:MajorVersion>{version.major}</h:MajorVersion><h:MinorVersion>{version.minor}</h:MinorVersion>"
        f"<h:MajorBuildNumber>{version.build}</h:MajorBuildNumber>"
        f"<h:MinorBuildNumber>{version.revision}</h:MinorBuildNumber>"
        "<h:Version>Exchange2015</h:Version></h:ServerVersionInfo>"
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Header>{header}</s:Header><s:Body>'
        f'<GetUserSettingsResponseMessage xmlns="{AUTODISCOVER_SOAP_NS}">'
        f'<Response xmlns:i="{_XSI}"><ErrorCode>NoError</ErrorCode><ErrorMessage/>'
        f"<UserResponses>{''.join(responses)}</UserResponses></Response>"
        "</GetUserSettingsResponseMessage></s:Body></s:Envelope>"
    ).encode()
