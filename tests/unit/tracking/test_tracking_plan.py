"""The tracking plan: who may change a message's tracking, most authoritative first, as a table.

Each row is one situation a cached message can be in (what the cache knew, what the server's
copy shows, whether a mark waits in the outbox, the folder, the user's request) and the one plan
that must come out: its action, the step of the precedence that chose it, its reason and the
record it is regarding.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.tracking.model import Folder
from app.tracking.plan import (
    Action,
    Asked,
    ItemFacts,
    Known,
    MarkLink,
    Plan,
    Request,
    Step,
    TrackingStatus,
    plan,
)
from app.tracking.reasons import Reason, Why

CATEGORY = "Tracked to Liaison"
ACME = ("account", 10)
KOWALSKI = ("contact", 20)

NEW_IN_INBOX = ItemFacts(role=Folder.INBOX, folder="Inbox", prior=None, category=CATEGORY)
TRACKED = Known(TrackingStatus.TRACKED, ACME)
NOT_TRACKED = Known(TrackingStatus.NONE)
UNTRACKED_BY_HAND = Known(TrackingStatus.NONE, untracked_by_hand=True)
SEEN = replace(NEW_IN_INBOX, prior=NOT_TRACKED, evaluated=True)
SEEN_TRACKED = replace(SEEN, prior=TRACKED, mark=MarkLink.TRACKED, has_category=True)
IN_ACME_FOLDER = replace(NEW_IN_INBOX, role=Folder.OTHER, folder="Acme", folder_regarding=ACME)


def asked(request: Request, regarding: tuple[str, int] | None = None) -> Asked:
    return Asked(request, regarding)


CASES: list[tuple[str, ItemFacts, Plan]] = [
    ("new mail is evaluated by the pipeline", NEW_IN_INBOX, Plan(Action.EVALUATE, Step.NEW_MAIL)),
    (
        "new mail in Sent Items is evaluated too",
        replace(NEW_IN_INBOX, role=Folder.SENT, folder="Sent Items"),
        Plan(Action.EVALUATE, Step.NEW_MAIL),
    ),
    (
        "mail in another folder is not evaluated",
        replace(NEW_IN_INBOX, role=Folder.OTHER, folder="Archiwum"),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    ("mail evaluated before is left alone", SEEN, Plan(Action.LEAVE, Step.SETTLED)),
    (
        "a new copy of a message evaluated before (a move) is left alone",
        replace(NEW_IN_INBOX, evaluated=True),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    (
        "appointments and tasks are not for this plan",
        replace(NEW_IN_INBOX, is_message=False),
        Plan(Action.LEAVE, Step.NOT_MAIL),
    ),
    (
        "the user's Track wins over everything",
        replace(IN_ACME_FOLDER, asked=asked(Request.TRACK, KOWALSKI)),
        Plan(Action.TRACK_BY_HAND, Step.ASKED, Reason(Why.BY_HAND), KOWALSKI),
    ),
    (
        "Set Regarding on a tracked message changes only its regarding record",
        replace(SEEN_TRACKED, asked=asked(Request.SET_REGARDING, KOWALSKI)),
        Plan(Action.SET_REGARDING, Step.ASKED, Reason(Why.REGARDING_SET), KOWALSKI),
    ),
    (
        "Set Regarding on a message not tracked tracks it regarding the record",
        replace(SEEN, asked=asked(Request.SET_REGARDING, KOWALSKI)),
        Plan(Action.TRACK_BY_HAND, Step.ASKED, Reason(Why.BY_HAND), KOWALSKI),
    ),
    (
        "the user's Untrack keeps the activity",
        replace(SEEN_TRACKED, asked=asked(Request.UNTRACK)),
        Plan(Action.UNTRACK, Step.ASKED, Reason(Why.UNTRACKED_BY_HAND)),
    ),
    (
        "the user's Untrack with delete deletes it",
        replace(SEEN_TRACKED, asked=asked(Request.DELETE)),
        Plan(Action.DELETE, Step.ASKED, Reason(Why.UNTRACKED_BY_HAND)),
    ),
    (
        "mail filed in a mapped folder is tracked regarding the folder's record",
        IN_ACME_FOLDER,
        Plan(Action.TRACK_BY_HAND, Step.FOLDER, Reason(Why.FOLDER, name="Acme"), ACME),
    ),
    (
        "the folder's rule wins over a regarding set by hand",
        replace(IN_ACME_FOLDER, prior=Known(TrackingStatus.TRACKED, KOWALSKI), evaluated=True),
        Plan(Action.TRACK_BY_HAND, Step.FOLDER, Reason(Why.FOLDER, name="Acme"), ACME),
    ),
    (
        "mail tracked as its folder wants already is kept",
        replace(IN_ACME_FOLDER, prior=TRACKED, evaluated=True),
        Plan(Action.KEEP, Step.FOLDER, Reason(Why.FOLDER, name="Acme"), ACME),
    ),
    (
        "mail untracked by hand stays untracked in a mapped folder",
        replace(IN_ACME_FOLDER, prior=UNTRACKED_BY_HAND, evaluated=True),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    (
        "mail sent from Liaison is linked to its activity, else tracked as its mark says",
        replace(NEW_IN_INBOX, role=Folder.SENT, mark=MarkLink.PENDING, mark_regarding=ACME),
        Plan(
            Action.RESTORE,
            Step.SENT_FROM_LIAISON,
            Reason(Why.SENT_FROM_LIAISON),
            ACME,
            fallback=Plan(
                Action.TRACK_BY_HAND, Step.SENT_FROM_LIAISON, Reason(Why.SENT_FROM_LIAISON), ACME
            ),
        ),
    ),
    (
        "a pending mark on mail tracked already changes nothing",
        replace(SEEN_TRACKED, mark=MarkLink.PENDING),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    (
        "a copy moved before its mark was written is restored from the CRM, else evaluated",
        replace(NEW_IN_INBOX, mark_waiting=True),
        Plan(
            Action.RESTORE,
            Step.MOVED_BEFORE_MARKED,
            fallback=Plan(Action.EVALUATE, Step.NEW_MAIL),
        ),
    ),
    (
        "a category added on a phone tracks the message by hand",
        replace(SEEN, has_category=True),
        Plan(
            Action.TRACK_BY_HAND,
            Step.CATEGORY_ADDED,
            Reason(Why.OTHER_CLIENT, name=CATEGORY),
        ),
    ),
    (
        "a category removed on a phone untracks the message",
        replace(SEEN_TRACKED, has_category=False),
        Plan(
            Action.UNTRACK,
            Step.CATEGORY_REMOVED,
            Reason(Why.UNTRACKED_BY_CATEGORY, name=CATEGORY),
        ),
    ),
    (
        "while Liaison's own mark waits, the server's copy is not another client's doing",
        replace(SEEN_TRACKED, has_category=False, mark_waiting=True),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    (
        "a category on an item Liaison untracked, while the untrack waits, is not a request",
        replace(SEEN, has_category=True, mark_waiting=True),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    (
        "Liaison's mark on an item the cache does not know as tracked restores it",
        replace(SEEN, mark=MarkLink.TRACKED, has_category=True, mark_regarding=ACME),
        Plan(
            Action.RESTORE,
            Step.MARK_WITHOUT_CACHE,
            fallback=Plan(
                Action.TRACK_BY_HAND,
                Step.MARK_WITHOUT_CACHE,
                Reason(Why.RESTORED_FROM_MARK),
                ACME,
            ),
        ),
    ),
    (
        "mail a later message made correlatable is evaluated again",
        replace(SEEN, correlatable=True),
        Plan(Action.EVALUATE, Step.CORRELATABLE),
    ),
    (
        "mail untracked by hand is not evaluated again when it becomes correlatable",
        replace(SEEN, prior=UNTRACKED_BY_HAND, correlatable=True),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
    (
        "mail tracked already is not evaluated again when it becomes correlatable",
        replace(SEEN_TRACKED, correlatable=True),
        Plan(Action.LEAVE, Step.SETTLED),
    ),
]


@pytest.mark.parametrize(("facts", "expected"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_the_plan_for_each_situation(facts: ItemFacts, expected: Plan) -> None:
    assert plan(facts) == expected


def test_every_step_and_every_action_is_reached_by_some_situation() -> None:
    plans = [plan(facts) for _, facts, _ in CASES]
    plans += [p.fallback for p in plans if p.fallback is not None]

    assert {p.step for p in plans} == set(Step)
    assert {p.action for p in plans} == set(Action)
