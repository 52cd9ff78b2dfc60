"""Tracking engine benchmark: decisions per second and the memory of the loaded index.

Builds a synthetic CRM of 100 000 email-enabled records (contacts, accounts, leads, users, queues;
one in ten contacts with a second address) and 100 000 tracked activities, loads them into a
TrackingIndex, then times decide() single-threaded over 100 000 messages: replies by
In-Reply-To/References, replies carrying a token, conversation hits, smart-match candidates,
known senders with new subjects, unknown senders, plus a few drafts and private messages.

Memory is measured with tracemalloc (Python allocations only): what the records, activities and
index still hold once loading is done, and the peak while loading. ru_maxrss (the whole process,
interpreter and messages included) is printed beside it.

    .venv/bin/python bench/bench_tracking.py            # 100 000 records and messages
    .venv/bin/python bench/bench_tracking.py --quick    # 10 000 of each
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.tracking.index import TrackingIndex
from app.tracking.model import (
    Address,
    MessageFacts,
    OrgSettings,
    PersonalOptions,
    RecordRef,
    RecordType,
    Sensitivity,
    TrackedActivity,
    TrackOption,
)
from app.tracking.pipeline import decide
from app.tracking.tokens import format_token

NOW = datetime(2026, 5, 20, 9, 30)
FIRST_NAMES = ["Jan", "Anna", "Piotr", "Ewa", "Klaus", "Marta", "Łukasz", "Zofia", "Jürgen", "Olga"]
LAST_NAMES = ["Kowalski", "Nowak", "Wiśniewska", "Becker", "Zając", "Müller", "Lewandowski", "Król"]
COMMON_WORDS = (
    "offer", "order", "invoice", "delivery", "contract", "renewal", "quote", "pricing", "support",
    "project", "rollout", "training", "migration", "audit", "payment", "schedule", "warehouse",
    "logistics", "update", "angebot", "lieferung", "rechnung", "oferta", "faktura", "umowa",
    "dostawa", "szkolenie", "wdrożenie",
)  # fmt: skip
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sta", "wer", "zan", "pol", "dek", "tor", "bin", "gra",
             "hel", "mon", "vik", "sel", "tra")  # fmt: skip
REPLY_PREFIXES = ["RE: ", "AW: ", "Odp: ", "RE: RE: ", "SV: ", "FW: ", "WG: "]


@dataclass(frozen=True, slots=True)
class SyntheticCrm:
    records: list[tuple[RecordRef, list[str]]]
    activities: list[TrackedActivity]
    user: RecordRef
    user_email: str


def build_crm(size: int, rng: random.Random) -> SyntheticCrm:
    records: list[tuple[RecordRef, list[str]]] = []
    types = (
        [RecordType.CONTACT] * 55
        + [RecordType.ACCOUNT] * 20
        + [RecordType.LEAD] * 23
        + [RecordType.USER] * 1
        + [RecordType.QUEUE] * 1
    )
    for record_id in range(1, size + 1):
        record_type = RecordType.USER if record_id == 1 else rng.choice(types)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        domain = f"firma{record_id % (size // 4 + 1)}.pl"
        name = f"{first} {last}" if record_type is not RecordType.ACCOUNT else f"Firma {record_id}"
        record = RecordRef(
            record_type,
            record_id,
            name,
            owner_id=rng.randint(1, 50),
            created_at=NOW - timedelta(days=rng.randint(1, 2000)),
            active=rng.random() > 0.02,
        )
        emails = [f"{first.lower()}.{last.lower()}{record_id}@{domain}"]
        if record_type is RecordType.CONTACT and rng.random() < 0.1:
            emails.append(f"{first.lower()}{record_id}@gmail.com")
        records.append((record, emails))
    user, user_emails = records[0]
    org = OrgSettings()
    activities = []
    for activity_id in range(1, size + 1):
        regarding, emails = records[rng.randrange(len(records))]
        subject_words = _subject(rng)
        token = format_token(org, 1 + activity_id // 1000, activity_id % 1000)
        has_token = rng.random() < 0.5
        activities.append(
            TrackedActivity(
                id=activity_id,
                message_id=f"<{activity_id}.{rng.getrandbits(48):x}@mail.firma.pl>",
                subject=f"{subject_words.capitalize()} {token}" if has_token else subject_words,
                regarding=regarding if rng.random() < 0.8 else None,
                tracked_at=NOW - timedelta(days=rng.uniform(0, 180)),
                token=token if has_token else None,
                conversation_id=f"AAQkAD{rng.getrandbits(120):030x}"
                if rng.random() < 0.6
                else None,
                conversation_index=(
                    f"01{rng.getrandbits(168):042x}{rng.getrandbits(40):010x}"
                    if rng.random() < 0.6
                    else None
                ),
                addresses=frozenset([user_emails[0], *emails]),
            )
        )
    return SyntheticCrm(records, activities, user, user_emails[0])


def _subject(rng: random.Random) -> str:
    """One or two common words and two to four rarer ones, as real subjects mix them."""
    rare = [
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        for _ in range(rng.randint(2, 4))
    ]
    return " ".join(rng.sample(COMMON_WORDS, rng.randint(1, 2)) + rare).capitalize()


def load_index(crm: SyntheticCrm) -> TrackingIndex:
    index = TrackingIndex()
    for record, emails in crm.records:
        index.add_record(record, emails)
    for activity in crm.activities:
        index.add_activity(activity)
    return index


def build_messages(crm: SyntheticCrm, count: int, rng: random.Random) -> list[MessageFacts]:
    kinds: list[Callable[[int], MessageFacts]] = []
    user = Address(crm.user_email, crm.user.name)

    def reply(number: int) -> MessageFacts:
        original = rng.choice(crm.activities)
        use_references = rng.random() < 0.3
        return _message(
            number,
            REPLY_PREFIXES[number % len(REPLY_PREFIXES)] + original.subject,
            _some_sender(original, crm, rng),
            (user,),
            in_reply_to=None if use_references else original.message_id,
            references=(original.message_id or "", f"<other{number}@x.pl>")
            if use_references
            else (),
        )

    def token_reply(number: int) -> MessageFacts:
        original = rng.choice([a for a in crm.activities[:2000] if a.token] or crm.activities)
        return _message(
            number, "AW: " + original.subject, _some_sender(original, crm, rng), (user,)
        )

    def conversation(number: int) -> MessageFacts:
        original = rng.choice(crm.activities)
        return _message(
            number,
            "RE: " + original.subject,
            _some_sender(original, crm, rng),
            (user,),
            conversation_id=original.conversation_id,
            conversation_index=(original.conversation_index or "")[:44] + "00112233ff",
        )

    def smart_candidate(number: int) -> MessageFacts:
        original = rng.choice([a for a in crm.activities[:2000] if not a.token] or crm.activities)
        return _message(
            number, "RE: " + original.subject, _some_sender(original, crm, rng), (user,)
        )

    def known_sender(number: int) -> MessageFacts:
        _, emails = rng.choice(crm.records)
        return _message(number, _subject(rng), Address(emails[0]), (user,))

    def unknown_sender(number: int) -> MessageFacts:
        sender = Address(f"nowy.klient{number}@nieznana{number % 977}.pl", "Nowy Klient")
        return _message(number, _subject(rng), sender, (user,))

    def excluded(number: int) -> MessageFacts:
        facts = unknown_sender(number)
        return MessageFacts(
            facts.message_id, facts.subject, facts.sender, facts.to,
            is_draft=number % 2 == 0, sensitivity=Sensitivity.PRIVATE, received_at=NOW,
        )  # fmt: skip

    mix = [
        (reply, 25),
        (token_reply, 15),
        (conversation, 15),
        (smart_candidate, 10),
        (known_sender, 15),
        (unknown_sender, 17),
        (excluded, 3),
    ]
    for kind, weight in mix:
        kinds.extend([kind] * weight)
    return [rng.choice(kinds)(number) for number in range(count)]


def _some_sender(original: TrackedActivity, crm: SyntheticCrm, rng: random.Random) -> Address:
    others = sorted(original.addresses - {crm.user_email})
    return Address(rng.choice(others) if others else crm.user_email)


def _message(
    number: int,
    subject: str,
    sender: Address,
    to: tuple[Address, ...],
    in_reply_to: str | None = None,
    references: tuple[str, ...] = (),
    conversation_id: str | None = None,
    conversation_index: str | None = None,
) -> MessageFacts:
    return MessageFacts(
        message_id=f"<bench{number}@mail.example>",
        subject=subject,
        sender=sender,
        to=to,
        in_reply_to=in_reply_to,
        references=references,
        conversation_id=conversation_id,
        conversation_index=conversation_index,
        received_at=NOW,
    )


@dataclass(frozen=True, slots=True)
class Timing:
    wall_seconds: float
    cpu_seconds: float  # this process's CPU time: steadier than wall time on a shared machine
    rules: Counter[str]


def time_decisions(
    messages: list[MessageFacts],
    index: TrackingIndex,
    options: PersonalOptions,
    org: OrgSettings,
    user: RecordRef,
) -> Timing:
    rules: Counter[str] = Counter()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    for facts in messages:
        rules[decide(facts, index, options, org, user, NOW).rule.value] += 1
    return Timing(time.perf_counter() - wall, time.process_time() - cpu, rules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10x smaller: 10 000 of each")
    parser.add_argument("--seed", type=int, default=20260520)
    arguments = parser.parse_args(argv)
    size = 10_000 if arguments.quick else 100_000

    # The messages refer to the synthetic CRM; the CRM is built once for them, untraced, and
    # again from the same seed for the index, so that tracemalloc sees only what the index holds.
    messages = build_messages(build_crm(size, random.Random(arguments.seed)), size,
                              random.Random(arguments.seed + 1))  # fmt: skip
    gc.collect()

    tracemalloc.start()
    started = time.perf_counter()
    crm = build_crm(size, random.Random(arguments.seed))
    index = load_index(crm)
    load_seconds = time.perf_counter() - started
    user, user_email = crm.user, crm.user_email
    del crm
    gc.collect()
    held, load_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"records: {index.record_count():,}  activities: {index.activity_count():,}  "
          f"messages: {len(messages):,}")  # fmt: skip
    print(f"build + load (tracemalloc on): {load_seconds:.1f} s")
    print(f"index memory, tracemalloc: {held / 2**20:.1f} MB held by the loaded index (its "
          f"records, activities and maps), {load_peak / 2**20:.1f} MB peak while building the "
          "synthetic CRM and loading it")  # fmt: skip

    runs = [
        ("default org, crm-responses", PersonalOptions(), OrgSettings()),
        (
            "smart matching on, crm-contacts",
            PersonalOptions(track=TrackOption.CRM_CONTACTS),
            OrgSettings(smart_matching=True),
        ),
    ]
    for label, options, org in runs:
        if org.smart_matching:
            tracemalloc.start()
            index.smart_candidates((), org)  # builds the subject-word index
            smart_memory, _ = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"smart-matching word index, tracemalloc: {smart_memory / 2**20:.1f} MB")
        timing = time_decisions(messages, index, options, org, user)
        print(f"{label}: {len(messages) / timing.wall_seconds:,.0f} decisions/s wall time, "
              f"{len(messages) / timing.cpu_seconds:,.0f} per CPU second "
              f"({timing.wall_seconds:.2f} s for {len(messages):,})")  # fmt: skip
        print("  rules: " + ", ".join(f"{rule} {n:,}" for rule, n in timing.rules.most_common()))

    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"load average over the last minute: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"process peak RSS (ru_maxrss, whole process incl. messages): {max_rss / 1024:.0f} MB")
    print(f"user: {user.name} <{user_email}>")
    return 0


if __name__ == "__main__":
    sys.exit(main())
