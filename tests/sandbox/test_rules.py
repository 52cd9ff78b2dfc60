"""Inbox rules: created, changed and deleted through UpdateInboxRules, listed by GetInboxRules,
validated as Exchange validates them, and run on mail delivered to the Inbox."""

from __future__ import annotations

import pytest
from exchangelib import Account
from exchangelib.errors import ErrorInboxRulesValidationError
from exchangelib.folders import Folder
from exchangelib.properties import Actions, Conditions, Exceptions, Rule

from tests.sandbox.messages import inbound
from tests.support.sandbox import Sandbox, SandboxUser

HANSA = "Disposition Hansa Frachten <dispo@hansa-frachten.example>"


def _folder(account: Account, name: str) -> Folder:
    folder = Folder(parent=account.inbox, name=name)
    folder.save()
    return folder


def _rule(
    account: Account, name: str, priority: int, conditions: Conditions, actions: Actions
) -> Rule:
    rule = Rule(
        account=account,
        display_name=name,
        priority=priority,
        is_enabled=True,
        conditions=conditions,
        actions=actions,
    )
    rule.save()
    return rule


def _deliver(sandbox: Sandbox, user: SandboxUser, sender: str, subject: str) -> None:
    sandbox.server.deliver(user.address, inbound(sender, user.address, subject))


# --- managing rules ------------------------------------------------------------------------


def test_a_created_rule_is_listed_with_an_id_and_its_parts(account: Account) -> None:
    invoices = _folder(account, "Rechnungen")

    _rule(
        account,
        "Rechnungen ablegen",
        1,
        Conditions(contains_subject_strings=["Rechnung"]),
        Actions(move_to_folder=invoices, mark_as_read=True),
    )

    (rule,) = account.rules
    assert rule.id
    assert (rule.display_name, rule.priority, rule.is_enabled) == ("Rechnungen ablegen", 1, True)
    assert rule.conditions.contains_subject_strings == ["Rechnung"]
    assert rule.actions.move_to_folder.folder_id.id == invoices.id
    assert rule.actions.mark_as_read is True


def test_a_rule_can_be_changed_and_deleted(account: Account) -> None:
    rule = _rule(
        account,
        "Wichtig",
        1,
        Conditions(from_addresses=["chef@kowalski-logistik.example"]),
        Actions(mark_importance="High"),
    )

    rule.display_name = "Chef ist wichtig"
    rule.actions = Actions(mark_importance="High", assign_categories=["Chef"])
    rule.save()
    changed = account.rules
    rule.delete()

    assert [(r.display_name, r.actions.assign_categories) for r in changed] == [
        ("Chef ist wichtig", ["Chef"])
    ]
    assert account.rules == []


def test_priorities_stay_in_sequence_when_a_rule_goes_first(account: Account) -> None:
    _rule(
        account, "Erste", 1, Conditions(contains_subject_strings=["a"]), Actions(mark_as_read=True)
    )
    _rule(
        account, "Zweite", 2, Conditions(contains_subject_strings=["b"]), Actions(mark_as_read=True)
    )

    _rule(
        account,
        "Neue erste",
        1,
        Conditions(contains_subject_strings=["c"]),
        Actions(mark_as_read=True),
    )

    assert [(r.display_name, r.priority) for r in account.rules] == [
        ("Neue erste", 1),
        ("Erste", 2),
        ("Zweite", 3),
    ]


def test_a_rule_moving_to_a_folder_that_does_not_exist_is_refused(account: Account) -> None:
    doomed = _folder(account, "Gleich weg")
    doomed_id = doomed.id
    doomed.delete()
    stale = Folder(parent=account.inbox, name="Gleich weg", id=doomed_id)

    with pytest.raises(ErrorInboxRulesValidationError):
        _rule(
            account,
            "Ins Leere",
            1,
            Conditions(contains_subject_strings=["x"]),
            Actions(move_to_folder=stale),
        )

    assert account.rules == []


def test_a_disabled_rule_can_be_deleted_as_clients_delete_it(account: Account) -> None:
    rule = _rule(
        account, "Aus", 1, Conditions(contains_subject_strings=["x"]), Actions(mark_as_read=True)
    )
    rule.is_enabled = False
    rule.save()

    rule.delete()  # exchangelib enables a disabled rule first: Exchange will not delete it

    assert account.rules == []


# --- rules at work -------------------------------------------------------------------------


def test_a_matching_message_is_moved_and_marked_read(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    invoices = _folder(account, "Rechnungen")
    _rule(
        account,
        "Rechnungen ablegen",
        1,
        Conditions(contains_subject_strings=["Rechnung"]),
        Actions(move_to_folder=invoices, mark_as_read=True),
    )

    _deliver(sandbox, user, HANSA, "Rechnung 2026-118")
    _deliver(sandbox, user, HANSA, "Lieferavis 4711")

    (filed,) = (account.inbox // "Rechnungen").all()
    assert (filed.subject, filed.is_read) == ("Rechnung 2026-118", True)
    assert [m.subject for m in account.inbox.all()] == ["Lieferavis 4711"]


def test_a_rule_with_an_exception_leaves_the_exceptional_message(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    _rule(
        account,
        "Hansa kategorisieren",
        1,
        Conditions(from_addresses=["dispo@hansa-frachten.example"]),
        Actions(assign_categories=["Hansa"]),
    )
    rule = account.rules[0]
    rule.exceptions = Exceptions(contains_subject_strings=["privat"])
    rule.save()

    _deliver(sandbox, user, HANSA, "Tourenplan KW 44")
    _deliver(sandbox, user, HANSA, "Privat: Grillfest")

    categories = {m.subject: m.categories for m in account.inbox.all()}
    assert categories == {"Tourenplan KW 44": ["Hansa"], "Privat: Grillfest": None}


def test_stop_processing_rules_keeps_later_rules_from_acting(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    _rule(
        account,
        "Dringend",
        1,
        Conditions(contains_subject_strings=["dringend"]),
        Actions(mark_importance="High", stop_processing_rules=True),
    )
    _rule(
        account,
        "Alles lesen",
        2,
        Conditions(contains_subject_strings=["4711"]),
        Actions(mark_as_read=True),
    )

    _deliver(sandbox, user, HANSA, "DRINGEND: Auftrag 4711")

    (message,) = account.inbox.all()
    assert (message.importance, message.is_read) == ("High", False)


def test_a_forwarding_rule_sends_the_message_on(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    colleague = sandbox.new_user("Jan Nowak")
    _rule(
        account,
        "An Jan",
        1,
        Conditions(contains_subject_strings=["Reklamation"]),
        Actions(forward_to_recipients=[colleague.address]),
    )

    _deliver(sandbox, user, HANSA, "Reklamation Lieferung 4711")

    (forwarded,) = sandbox.account(colleague).inbox.all()
    assert forwarded.subject == "FW: Reklamation Lieferung 4711"
    assert forwarded.author.email_address == user.address
    assert [m.subject for m in account.inbox.all()] == ["Reklamation Lieferung 4711"]


def test_a_rule_does_not_act_on_what_a_rule_sent(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    _rule(
        account,
        "An mich selbst",
        1,
        Conditions(contains_subject_strings=["Schleife"]),
        Actions(forward_to_recipients=[user.address]),
    )

    _deliver(sandbox, user, HANSA, "Schleife")

    assert sorted(m.subject for m in account.inbox.all()) == ["FW: Schleife", "Schleife"]


def test_a_deleting_rule_sends_the_message_to_deleted_items(
    sandbox: Sandbox, user: SandboxUser, account: Account
) -> None:
    _rule(
        account, "Weg damit", 1, Conditions(contains_sender_strings=["hansa"]), Actions(delete=True)
    )

    _deliver(sandbox, user, HANSA, "Newsletter Hansa")

    assert list(account.inbox.all()) == []
    assert [m.subject for m in account.trash.all()] == ["Newsletter Hansa"]
