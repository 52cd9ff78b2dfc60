"""What to do about one cached message's tracking: facts in, one plan out.

Who may change how a message is tracked, most authoritative first (each step is a function; the
first that answers wins):
1. The user, now: Track, Set Regarding, Untrack, Untrack and delete (window or CLI).
2. A folder that tracks its mail regarding a record; a message the user untracked by hand stays
   untracked there.
3. Liaison's own mark asking for tracking (mail sent from Liaison): linked to the activity stored
   when it was queued, else tracked regarding the record the mark names.
4. A copy the cache has never seen of a message whose mark still waits in the outbox (moved on
   the server before Liaison wrote it): the CRM knows how it is tracked.
5. Another client (a phone, web mail) added the tracking category: tracked as by hand. It removed
   the category from an item Liaison had marked: untracked, the activity kept.
6. Liaison's mark says tracked but the cache does not know it (a new install, a move): link to
   the CRM's activity, else track again from the mark.
7. New mail in the Inbox or Sent Items not evaluated before: the automatic pipeline
   (app.tracking.pipeline), once.
8. A message not tracked for want of a correlation, when a later message made it correlatable
   (the same conversation, within 90 days): the pipeline again.
Otherwise nothing changes.

A mark waiting in the outbox means the server's copy does not show Liaison's latest change yet,
so what it shows (a category, a link state) is not taken for another client's doing.

Pure: the caller gathers the facts (the cache, the server's copy, the outbox, the request) and
carries the plan out (app.sync.tracker.MailTracker), CRM first.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from app.tracking.model import Folder
from app.tracking.reasons import Reason, Why

# A record as the cache and the marks name it: its type and id.
RegardingKey = tuple[str, int]


class TrackingStatus(enum.StrEnum):
    """A message's tracking state, as the cache keeps it and the window shows it."""

    NONE = "none"
    PENDING = "pending"  # tracking failed; the next sync tries again
    TRACKED = "tracked"
    FAILED = "failed"  # given up: "could not track"


class MarkLink(enum.StrEnum):
    """What Liaison's mark on the server's copy says."""

    NONE = "none"  # no mark of Liaison's
    PENDING = "pending"  # asks for tracking (mail sent from Liaison)
    TRACKED = "tracked"
    UNTRACKED = "untracked"  # was tracked, untracked since


class Request(enum.StrEnum):
    """What the user asked for, in the window or the CLI."""

    TRACK = "track"
    SET_REGARDING = "set-regarding"
    UNTRACK = "untrack"
    DELETE = "delete"  # untrack and delete the activity


class Action(enum.StrEnum):
    LEAVE = "leave"  # nothing changes
    KEEP = "keep"  # tracked as the rule wants already: only remember it was evaluated
    TRACK_BY_HAND = "track-by-hand"  # manual tracking, regarding the plan's record if any
    SET_REGARDING = "set-regarding"  # the activity stays; its regarding record changes
    UNTRACK = "untrack"  # the activity stays, unlinked
    DELETE = "delete"  # the activity goes
    # Link to the CRM's tracked activity (and answer a mark that asks for tracking); without
    # one, the fallback.
    RESTORE = "restore"
    EVALUATE = "evaluate"  # the automatic pipeline decides


class Step(enum.StrEnum):
    """The step of the precedence that made the plan (the module docstring's numbers)."""

    NOT_MAIL = "not-mail"
    ASKED = "asked"
    FOLDER = "folder"
    SENT_FROM_LIAISON = "sent-from-liaison"
    MOVED_BEFORE_MARKED = "moved-before-marked"
    CATEGORY_ADDED = "category-added"
    CATEGORY_REMOVED = "category-removed"
    MARK_WITHOUT_CACHE = "mark-without-cache"
    NEW_MAIL = "new-mail"
    CORRELATABLE = "correlatable"
    SETTLED = "settled"


@dataclass(frozen=True, slots=True)
class Known:
    """What the cache knew of the message before."""

    status: TrackingStatus
    regarding: RegardingKey | None = None
    untracked_by_hand: bool = False


@dataclass(frozen=True, slots=True)
class Asked:
    request: Request
    regarding: RegardingKey | None = None


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """One message as the plan sees it."""

    role: Folder  # Inbox, Sent Items or another folder
    folder: str  # the folder's name
    prior: Known | None  # None: the cache has never seen the message (nor a copy of it)
    evaluated: bool = False  # the pipeline has seen the message (the cache remembers it)
    mark: MarkLink = MarkLink.NONE
    mark_regarding: RegardingKey | None = None  # the record the mark names
    category: str = ""  # the tracking category's name
    has_category: bool = False  # the category (or the mark's own name for it) is on the item
    mark_waiting: bool = False  # a mark for it waits in the outbox
    folder_regarding: RegardingKey | None = None  # the folder tracks its mail regarding this
    asked: Asked | None = None
    correlatable: bool = False  # a later message makes it correlatable
    is_message: bool = True  # appointments and tasks are tracked elsewhere

    @property
    def status(self) -> TrackingStatus:
        return self.prior.status if self.prior else TrackingStatus.NONE


@dataclass(frozen=True, slots=True)
class Plan:
    """One action, the step that chose it and its reason (None where the step says it all:
    nothing to do, or the pipeline's own reasons follow)."""

    action: Action
    step: Step
    reason: Reason | None = None
    regarding: RegardingKey | None = None
    fallback: Plan | None = None  # RESTORE: what to do when the CRM has no tracked activity


def plan(facts: ItemFacts) -> Plan:
    """What to do about the message's tracking, and why."""
    return _first(_STEPS, facts)


# The steps


def _not_mail(facts: ItemFacts) -> Plan | None:
    return None if facts.is_message else Plan(Action.LEAVE, Step.NOT_MAIL)


def _asked(facts: ItemFacts) -> Plan | None:
    asked = facts.asked
    if asked is None:
        return None
    if asked.request is Request.UNTRACK:
        return Plan(Action.UNTRACK, Step.ASKED, Reason(Why.UNTRACKED_BY_HAND))
    if asked.request is Request.DELETE:
        return Plan(Action.DELETE, Step.ASKED, Reason(Why.UNTRACKED_BY_HAND))
    if asked.request is Request.SET_REGARDING and facts.status is TrackingStatus.TRACKED:
        return Plan(Action.SET_REGARDING, Step.ASKED, Reason(Why.REGARDING_SET), asked.regarding)
    # Set Regarding on a message not tracked yet tracks it regarding that record.
    return Plan(Action.TRACK_BY_HAND, Step.ASKED, Reason(Why.BY_HAND), asked.regarding)


def _folder(facts: ItemFacts) -> Plan | None:
    wanted = facts.folder_regarding
    if wanted is None or (facts.prior is not None and facts.prior.untracked_by_hand):
        return None
    filed = Reason(Why.FOLDER, name=facts.folder)
    prior = facts.prior
    if prior is not None and prior.status is TrackingStatus.TRACKED and prior.regarding == wanted:
        return Plan(Action.KEEP, Step.FOLDER, filed, wanted)
    return Plan(Action.TRACK_BY_HAND, Step.FOLDER, filed, wanted)


def _sent_from_liaison(facts: ItemFacts) -> Plan | None:
    if facts.mark is not MarkLink.PENDING or facts.status is TrackingStatus.TRACKED:
        return None
    # Stored in the CRM when it was queued; a send from before that was so is tracked now.
    sent = Reason(Why.SENT_FROM_LIAISON)
    track = Plan(Action.TRACK_BY_HAND, Step.SENT_FROM_LIAISON, sent, facts.mark_regarding)
    return Plan(Action.RESTORE, Step.SENT_FROM_LIAISON, sent, facts.mark_regarding, track)


def _moved_before_marked(facts: ItemFacts) -> Plan | None:
    if not facts.mark_waiting or facts.prior is not None:
        return None
    rest = _first(_AFTER_MOVED_BEFORE_MARKED, facts)
    return Plan(Action.RESTORE, Step.MOVED_BEFORE_MARKED, fallback=rest)


def _category_added(facts: ItemFacts) -> Plan | None:
    if (
        facts.mark_waiting
        or not facts.has_category
        or facts.mark is MarkLink.TRACKED
        or facts.status is TrackingStatus.TRACKED
    ):
        return None
    added = Reason(Why.OTHER_CLIENT, name=facts.category)
    return Plan(Action.TRACK_BY_HAND, Step.CATEGORY_ADDED, added)


def _category_removed(facts: ItemFacts) -> Plan | None:
    if facts.mark_waiting or facts.mark is not MarkLink.TRACKED or facts.has_category:
        return None
    removed = Reason(Why.UNTRACKED_BY_CATEGORY, name=facts.category)
    return Plan(Action.UNTRACK, Step.CATEGORY_REMOVED, removed)


def _mark_without_cache(facts: ItemFacts) -> Plan | None:
    if (
        facts.mark_waiting
        or facts.mark is not MarkLink.TRACKED
        or facts.status is TrackingStatus.TRACKED
    ):
        return None
    again = Plan(
        Action.TRACK_BY_HAND,
        Step.MARK_WITHOUT_CACHE,
        Reason(Why.RESTORED_FROM_MARK),
        facts.mark_regarding,
    )
    return Plan(Action.RESTORE, Step.MARK_WITHOUT_CACHE, fallback=again)


def _new_mail(facts: ItemFacts) -> Plan | None:
    if facts.evaluated or facts.role not in (Folder.INBOX, Folder.SENT):
        return None
    return Plan(Action.EVALUATE, Step.NEW_MAIL)


def _correlatable(facts: ItemFacts) -> Plan | None:
    prior = facts.prior
    if not facts.correlatable or prior is None or prior.untracked_by_hand:
        return None
    if prior.status is not TrackingStatus.NONE:
        return None
    return Plan(Action.EVALUATE, Step.CORRELATABLE)


def _settled(_facts: ItemFacts) -> Plan:
    return Plan(Action.LEAVE, Step.SETTLED)


_Rule = Callable[[ItemFacts], Plan | None]
_AFTER_MOVED_BEFORE_MARKED: tuple[_Rule, ...] = (
    _category_added,
    _category_removed,
    _mark_without_cache,
    _new_mail,
    _correlatable,
    _settled,
)
_STEPS: tuple[_Rule, ...] = (
    _not_mail,
    _asked,
    _folder,
    _sent_from_liaison,
    _moved_before_marked,
    *_AFTER_MOVED_BEFORE_MARKED,
)


def _first(steps: tuple[_Rule, ...], facts: ItemFacts) -> Plan:
    for step in steps:
        found = step(facts)
        if found is not None:
            return found
    raise AssertionError("the last step always answers")
