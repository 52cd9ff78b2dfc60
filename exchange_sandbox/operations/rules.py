"""GetInboxRules and UpdateInboxRules (create, set and delete operations).

A request's operations are checked together and applied together: when one fails validation,
none is applied and the answer is ErrorInboxRulesValidationError with the failures by operation
index. Priorities stay 1..n: a rule created or set at a priority goes before the rule that had
it. Exchange refuses to delete a disabled rule (ErrorItemNotFound), which clients work around
by enabling it first; so does the sandbox.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from lxml import etree

from ..context import Context
from ..errors import EwsError, schema_violation
from ..model import Mailbox
from ..rules import folder_by_id
from ..values import parse_boolean
from ..xmlkit import (
    canonical,
    child,
    child_text,
    children,
    element,
    local_name,
    parse_fragment,
    wrap,
)
from .registry import direct, operation

_RULE_PARTS = ("Conditions", "Exceptions", "Actions")
_FOLDER_ACTIONS = ("MoveToFolder", "CopyToFolder")


@dataclass(frozen=True)
class _Invalid:
    """One RuleValidationError."""

    field_uri: str
    code: str
    message: str
    value: str = ""

    def xml(self) -> str:
        return (
            "<t:Error>"
            + element("t:FieldURI", self.field_uri)
            + element("t:ErrorCode", self.code)
            + element("t:ErrorMessage", self.message)
            + element("t:FieldValue", self.value)
            + "</t:Error>"
        )


def _mailbox(ctx: Context, request: etree._Element) -> Mailbox:
    address = child_text(request, "MailboxSmtpAddress")
    return ctx.mailbox_for_address(address) if address else ctx.user


def _rule_id(rule: etree._Element) -> str:
    return child_text(rule, "RuleId") or ""


@operation("GetInboxRules")
def get_inbox_rules(ctx: Context, request: etree._Element) -> str:
    def handle() -> str:
        rules = _mailbox(ctx, request).settings.rules
        listed = f"<m:InboxRules>{''.join(rules)}</m:InboxRules>" if rules else ""
        return "<m:OutlookRuleBlobExists>false</m:OutlookRuleBlobExists>" + listed

    return direct("GetInboxRules", handle)


class _Rules:
    """The rules being changed by one request, in priority order."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox
        self.rules = [parse_fragment(r) for r in mailbox.settings.rules]

    def find(self, rule_id: str) -> etree._Element | None:
        return next((r for r in self.rules if _rule_id(r) == rule_id), None)

    def place(self, rule: etree._Element) -> None:
        priority = int(child_text(rule, "Priority") or "1")
        position = min(max(priority, 1), len(self.rules) + 1) - 1
        self.rules.insert(position, rule)

    def saved(self) -> list[str]:
        result = []
        for priority, rule in enumerate(self.rules, start=1):
            child(rule, "Priority").text = str(priority)
            result.append(canonical(rule))
        return result


def _normalised(given: etree._Element, rule_id: str) -> etree._Element:
    """A rule as Exchange keeps it: its id, flags filled in, parts in schema order."""
    display_name = child_text(given, "DisplayName")
    priority = child_text(given, "Priority")
    if not display_name or priority is None:
        raise schema_violation("The element 'Rule' has incomplete content.")
    flags = {name: _boolean(child_text(given, name) or default) for name, default in _FLAGS}
    parts = "".join(_part(child(given, p)) for p in _RULE_PARTS if child(given, p) is not None)
    xml = (
        "<t:Rule>"
        + element("t:RuleId", rule_id)
        + element("t:DisplayName", display_name)
        + element("t:Priority", priority)
        + "".join(element(f"t:{name}", value) for name, value in flags.items())
        + parts
        + "</t:Rule>"
    )
    return parse_fragment(xml)


_FLAGS = (("IsEnabled", "true"), ("IsNotSupported", "false"), ("IsInError", "false"))
# Predicates and actions whose value is an xs:boolean, answered as true/false whatever was sent.
_BOOLEANS = frozenset(
    {
        "HasAttachments",
        "IsApprovalRequest",
        "IsAutomaticForward",
        "IsAutomaticReply",
        "IsEncrypted",
        "IsMeetingRequest",
        "IsMeetingResponse",
        "IsNDR",
        "IsPermissionControlled",
        "IsReadReceipt",
        "IsSigned",
        "IsVoicemail",
        "NotSentToMe",
        "SentCcMe",
        "SentOnlyToMe",
        "SentToMe",
        "SentToOrCcMe",
        "Delete",
        "MarkAsRead",
        "PermanentDelete",
        "StopProcessingRules",
    }
)


def _boolean(text: str) -> str:
    try:
        return "true" if parse_boolean(text) else "false"
    except ValueError as error:
        raise schema_violation(f"'{text}' is not a valid xs:boolean.") from error


def _part(given: etree._Element) -> str:
    """Conditions, Exceptions or Actions as Exchange answers them."""
    part = parse_fragment(canonical(given))
    for elem in children(part):
        if local_name(elem) in _BOOLEANS:
            elem.text = _boolean(elem.text or "")
    return canonical(part)


def _problems(mailbox: Mailbox, rule: etree._Element) -> list[_Invalid]:
    actions = child(rule, "Actions")
    if actions is None or not children(actions):
        return [_Invalid("Actions", "EmptyValueFound", "A rule must have at least one action.")]
    problems = []
    for name in _FOLDER_ACTIONS:
        action = child(actions, name)
        if action is None:
            continue
        for reference in children(action):
            found = (
                mailbox.distinguished.get(reference.get("Id", ""))
                if local_name(reference) == "DistinguishedFolderId"
                else folder_by_id(mailbox, reference.get("Id", ""))
            )
            if found is None:
                problems.append(
                    _Invalid(
                        name,
                        "FolderDoesNotExist",
                        "The folder does not exist.",
                        reference.get("Id", ""),
                    )
                )
    return problems


def _apply(rules: _Rules, operation_elem: etree._Element) -> list[_Invalid]:
    kind = local_name(operation_elem)
    if kind == "CreateRuleOperation":
        given = child(operation_elem, "Rule")
        if given is None:
            raise schema_violation("The element 'CreateRuleOperation' has incomplete content.")
        rule = _normalised(given, base64.b64encode(os.urandom(8)).decode("ascii"))
        problems = _problems(rules.mailbox, rule)
        if not problems:
            rules.place(rule)
        return problems
    if kind == "SetRuleOperation":
        given = child(operation_elem, "Rule")
        if given is None:
            raise schema_violation("The element 'SetRuleOperation' has incomplete content.")
        existing = rules.find(_rule_id(given))
        if existing is None:
            return [_Invalid("RuleId", "RuleNotFound", "The rule was not found.", _rule_id(given))]
        rule = _normalised(given, _rule_id(given))
        problems = _problems(rules.mailbox, rule)
        if not problems:
            rules.rules.remove(existing)
            rules.place(rule)
        return problems
    if kind == "DeleteRuleOperation":
        rule_id = child_text(operation_elem, "RuleId") or ""
        existing = rules.find(rule_id)
        if existing is None:
            return [_Invalid("RuleId", "RuleNotFound", "The rule was not found.", rule_id)]
        if (child_text(existing, "IsEnabled") or "true") not in ("true", "1"):
            raise EwsError("ErrorItemNotFound")
        rules.rules.remove(existing)
        return []
    raise schema_violation(f"The element '{kind}' is not a rule operation.")


@operation("UpdateInboxRules")
def update_inbox_rules(ctx: Context, request: etree._Element) -> str:
    def handle() -> str:
        rules = _Rules(_mailbox(ctx, request))
        errors = []
        for index, operation_elem in enumerate(children(child(request, "Operations"))):
            problems = _apply(rules, operation_elem)
            if problems:
                listed = wrap("t:ValidationErrors", [p.xml() for p in problems])
                errors.append(
                    wrap(
                        "t:RuleOperationError",
                        element("t:OperationIndex", str(index)) + listed,
                    )
                )
        if errors:
            raise EwsError(
                "ErrorInboxRulesValidationError",
                details=wrap("m:RuleOperationErrors", errors),
            )
        rules.mailbox.settings.rules = rules.saved()
        ctx.store.settings_changed(rules.mailbox)
        return ""

    return direct("UpdateInboxRules", handle)
