"""SOAP 1.1 envelopes as Exchange writes them: responses, response messages and faults."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .errors import EwsError, SoapFault, schema_violation
from .versions import ServerVersion, is_schema_version
from .xmlkit import (
    ERRORS_NS,
    MESSAGES_NS,
    SOAP_NS,
    TYPES_NS,
    XSI_NS,
    child,
    children,
    element,
    escape_text,
    local_name,
    namespace_of,
)


@dataclass(frozen=True)
class SoapRequest:
    operation: etree._Element
    impersonated_address: str | None


def read_request(document: etree._Element, version: ServerVersion) -> SoapRequest:
    """Find the operation element and the headers that matter; schema faults otherwise, and
    ErrorInvalidServerVersion for a RequestServerVersion newer than this server."""
    if namespace_of(document) != SOAP_NS or local_name(document) != "Envelope":
        raise schema_violation("The root element must be a SOAP 1.1 'Envelope'.")
    header = child(document, "Header")
    body = child(document, "Body")
    if body is None:
        raise schema_violation("The SOAP envelope has no 'Body' element.")
    operations = children(body)
    if len(operations) != 1:
        raise schema_violation("The SOAP body must contain exactly one operation element.")
    impersonated = None
    if header is not None:
        version_elem = child(header, "RequestServerVersion")
        if version_elem is not None:
            request_version = version_elem.get("Version", "")
            if not is_schema_version(request_version):
                raise schema_violation(
                    f"The 'Version' attribute is invalid - The value '{request_version}' is invalid"
                    " according to its datatype"
                    f" '{{{TYPES_NS}}}ExchangeVersionType' - The Enumeration constraint failed."
                )
            if not version.accepts(request_version):
                raise SoapFault("ErrorInvalidServerVersion")
        impersonation = child(header, "ExchangeImpersonation")
        if impersonation is not None:
            sid = child(impersonation, "ConnectingSID")
            if sid is not None:
                for name in ("PrimarySmtpAddress", "SmtpAddress", "PrincipalName"):
                    found = child(sid, name)
                    if found is not None and found.text:
                        impersonated = found.text.strip()
                        break
    return SoapRequest(operations[0], impersonated)


def envelope(version: ServerVersion, body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Header>{version.header()}</s:Header>'
        f'<s:Body xmlns:xsi="{XSI_NS}" xmlns:xsd="http://www.w3.org/2001/XMLSchema">{body}</s:Body>'
        "</s:Envelope>"
    ).encode()


def operation_response(operation: str, messages: list[str]) -> str:
    return (
        f'<m:{operation}Response xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}">'
        f"<m:ResponseMessages>{''.join(messages)}</m:ResponseMessages></m:{operation}Response>"
    )


def success(operation: str, inner: str = "") -> str:
    return (
        f'<m:{operation}ResponseMessage ResponseClass="Success">'
        f"<m:ResponseCode>NoError</m:ResponseCode>{inner}</m:{operation}ResponseMessage>"
    )


def _error_elements(error: EwsError) -> str:
    message_xml = f"<m:MessageXml>{error.message_xml}</m:MessageXml>" if error.message_xml else ""
    return (
        f"<m:MessageText>{escape_text(error.text)}</m:MessageText>"
        f"<m:ResponseCode>{error.code}</m:ResponseCode>"
        f"<m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>{message_xml}{error.details}"
    )


def failure(operation: str, error: EwsError, inner: str = "", response_class: str = "Error") -> str:
    """An error (or warning) response message; `inner` follows the error elements."""
    return (
        f'<m:{operation}ResponseMessage ResponseClass="{response_class}">'
        f"{_error_elements(error)}{inner}</m:{operation}ResponseMessage>"
    )


def direct_response(tag: str, error: EwsError | None = None, inner: str = "") -> str:
    """A response that is itself the one response message (GetInboxRulesResponse,
    FindPeopleResponse, GetPersonaResponseMessage ...)."""
    namespaces = f'xmlns:m="{MESSAGES_NS}" xmlns:t="{TYPES_NS}"'
    if error is None:
        status = 'ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>'
    else:
        status = f'ResponseClass="Error">{_error_elements(error)}'
    return f"<m:{tag} {namespaces} {status}{inner}</m:{tag}>"


def fault(error: SoapFault) -> bytes:
    """A SOAP fault with the EWS detail element exchangelib and the EWS Managed API read."""
    message_xml = error.message_xml
    if error.violation is not None:
        message_xml += (
            element("t:LineNumber", "1")
            + element("t:LinePosition", "1")
            + element("t:Violation", error.violation)
        )
    detail_xml = (
        f'<t:MessageXml xmlns:t="{TYPES_NS}">{message_xml}</t:MessageXml>' if message_xml else ""
    )
    short = "The request failed schema validation." if error.violation is not None else error.text
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP_NS}"><s:Body><s:Fault>'
        f'<faultcode xmlns:a="{TYPES_NS}">a:{error.code}</faultcode>'
        f'<faultstring xml:lang="en-US">{escape_text(error.text)}</faultstring>'
        f'<detail><e:ResponseCode xmlns:e="{ERRORS_NS}">{error.code}</e:ResponseCode>'
        f'<e:Message xmlns:e="{ERRORS_NS}">{escape_text(short)}</e:Message>{detail_xml}</detail>'
        "</s:Fault></s:Body></s:Envelope>"
    ).encode()
