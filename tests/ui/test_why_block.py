"""The CRM pane's "why": one headline, the evidence in words, right after every change.

The original a message correlates with is named by its subject and date, never its Message-ID;
nothing is said twice; record types read as the window names them ("Account Acme", never
"a account"); and the words follow the window's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from app.crm.search import RecordKey, RecordSummary
from app.mailbox.personal_options import set_personal_option
from app.services.mail import CrmPaneFacts, TrackingState
from app.tracking.model import NewRecord, RecordRef, RecordType
from app.tracking.reasons import Original, Reason, Scope, Why
from app.ui import i18n, why
from app.ui.crm_pane import record_link
from app.ui.main_window import MainWindow
from tests.ui.mailbox_builder import BuiltProfile, add_message

ACME = RecordRef(RecordType.ACCOUNT, 2, "Acme Sp. z o.o.")
OFFER = Original(7, "Oferta na licencje 2027", datetime(2026, 11, 20, 8, 30))
LEAD = NewRecord(RecordType.LEAD, "Marta", "Lewandowska", "marta@nowafirma.pl", "Nowafirma")


def select(window: MainWindow, item_id: int) -> None:
    assert window.message_list.select_item(item_id)


def why_text(window: MainWindow) -> str:
    return window.crm_pane.why.text()


def test_after_set_regarding_the_pane_names_the_new_record_and_never_says_there_is_none(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    select(window, profile.items["delivery"])
    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()
    katrin = RecordKey(RecordType.CONTACT, profile.records["katrin"])

    window.services.set_regarding(profile.items["delivery"], katrin)
    window._reshow_current()

    assert "Contact Katrin Müller" in window.crm_pane.regarding.text()
    text = why_text(window)
    assert "no regarding" not in text.lower()
    assert text.count("Tracked by hand") == 1
    assert "You chose its regarding record by hand." in text


def test_a_reply_tracked_by_hand_names_its_original_by_subject_and_date(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    window.services.track(
        profile.items["offer"], RecordKey(RecordType.ACCOUNT, profile.records["acme"])
    )
    window.message_list.show_folder(profile.folders["sent"])
    select(window, profile.items["reply"])

    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()

    text = why_text(window)
    assert "It replies to “Oferta na licencje 2027” of 20 November 2026." in text
    assert "@mail.test" not in text and "&lt;" not in text
    assert "Account Acme Sp. z o.o." in window.crm_pane.regarding.text()


def test_an_auto_created_lead_is_said_to_have_been_created(
    window: MainWindow, profile: BuiltProfile, qtbot: QtBot
) -> None:
    with profile.workspace.local.sessions.begin() as session:
        set_personal_option(session, "autocreate", "lead")
    inquiry = add_message(
        profile.workspace,
        profile.folders["inbox"],
        "inquiry-nowafirma",
        "Zapytanie o wdrożenie",
        ("Marta Lewandowska", "marta@nowafirma.pl"),
        [("Anna Nowak", "anna.nowak@brightwave.pl")],
        datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        body_text="Dzień dobry, prosimy o ofertę.",
    )
    window.message_list.reload()
    select(window, inquiry)

    with qtbot.waitSignal(window.action_finished, timeout=20_000):
        window.track_action.trigger()

    text = why_text(window)
    assert "marta@nowafirma.pl was not in the CRM, so Lead Marta Lewandowska" in text
    assert "will be created" not in text


def facts(*reasons: Reason) -> CrmPaneFacts:
    return CrmPaneFacts(
        item_id=1,
        state=TrackingState.TRACKED,
        regarding=RecordSummary(RecordKey(ACME.type, ACME.id), ACME.name),
        rule="manual",
        evidence=None,
        how="manual",
        tracked_at=datetime(2026, 11, 20, 9, 0, tzinfo=UTC),
        parties=(),
        reasons=reasons,
    )


EVERY_TRACKED_REASON = [
    (Reason(Why.BY_HAND), Reason(Why.ALREADY_TRACKED, OFFER)),
    (Reason(Why.REPLY, OFFER), Reason(Why.CREATE_RECORD, address=LEAD.email, created=LEAD)),
    (Reason(Why.THREAD, OFFER),),
    (Reason(Why.TOKEN, OFFER, token="CRM:0001004"),),
    (Reason(Why.CONVERSATION, OFFER),),
    (Reason(Why.SMART_MATCH, OFFER, differing_words=1, shared=("jan@acme.pl", "anna@bw.pl")),),
    (Reason(Why.OPTION_ALL), Reason(Why.CREATE_INVALID_ADDRESS, address="postmaster")),
    (Reason(Why.PARTY_IN_SCOPE, record=ACME, address="biuro@acme.pl", scope=Scope.CUSTOMERS),
     Reason(Why.CREATE_INACTIVE_RECORD, address="biuro@acme.pl")),
    (Reason(Why.FOLDER, name="Acme"),),
    (Reason(Why.SENT_FROM_LIAISON),),
    (Reason(Why.OTHER_CLIENT, name="Tracked to Liaison"), Reason(Why.REGARDING_SET, record=ACME)),
    (Reason(Why.RESTORED_FROM_MARK),),
]  # fmt: skip


@pytest.mark.parametrize("reasons", EVERY_TRACKED_REASON, ids=lambda r: r[0].why.value)
def test_every_reason_reads_once_without_ids_articles_or_repeats(
    qapp: object, reasons: tuple[Reason, ...]
) -> None:
    shown = facts(*reasons)
    headline = why.headline(shown)
    said = [headline, *why.lines(shown, record_link), why.when(shown)]
    text = " ".join(said)

    assert headline and headline != "manual"
    assert len(said) == len(set(said))
    for wrong in ("a account", "a opportunity", "regarding regarding", "will be created", "<"):
        assert wrong not in text.replace("<a href", "").replace("</a>", "")
    assert text.count(headline) == 1


@pytest.fixture
def polish() -> Iterator[None]:
    i18n.install_language("pl")
    yield
    i18n.install_language("en")


@pytest.mark.parametrize("reasons", EVERY_TRACKED_REASON, ids=lambda r: r[0].why.value)
def test_every_reason_is_worded_in_polish_in_the_polish_window(
    polish: None, reasons: tuple[Reason, ...]
) -> None:
    shown = facts(*reasons)
    polish_words = [why.headline(shown), *why.lines(shown, record_link), why.when(shown)]
    i18n.install_language("en")
    english_words = [why.headline(shown), *why.lines(shown, record_link), why.when(shown)]

    assert all(p != e for p, e in zip(polish_words, english_words, strict=True))
    assert "listopada 2026" in " ".join(polish_words)


def test_an_activity_tracked_before_reasons_were_kept_shows_the_words_it_was_stored_with(
    qapp: object,
) -> None:
    older = CrmPaneFacts(1, TrackingState.TRACKED, None, "in-reply-to",
                         "Reply to “Offer” (tracked 3 May)", "automatic", None, ())  # fmt: skip

    assert why.headline(older) == "A reply to tracked email"
    assert why.lines(older, record_link) == ["Reply to “Offer” (tracked 3 May)"]
