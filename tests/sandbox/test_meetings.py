"""Meeting responses and cancellations between two mailboxes, as Exchange processes them: an
attendee accepts, tentatively accepts or declines; the organizer's calendar records the answer;
the organizer cancels; an attendee removes the cancelled meeting."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from exchangelib import Account, CalendarItem, EWSDateTime, EWSTimeZone
from exchangelib.errors import (
    ErrorCalendarIsCancelledForAccept,
    ErrorCalendarIsNotOrganizer,
    ErrorCalendarIsOrganizerForAccept,
)
from exchangelib.items import (
    SAVE_ONLY,
    SEND_ONLY,
    SEND_TO_ALL_AND_SAVE_COPY,
    MeetingCancellation,
    MeetingRequest,
    MeetingResponse,
)
from exchangelib.items.calendar_item import BaseMeetingReplyItem
from exchangelib.properties import ReferenceItemId

from tests.support.sandbox import Sandbox, SandboxUser

WARSAW = EWSTimeZone("Europe/Warsaw")
SUBJECT = "Abstimmung Rahmenvertrag Acme Logistics"


class RemoveItem(BaseMeetingReplyItem):
    """types.xsd RemoveItemType, which exchangelib does not model: take a cancelled meeting out
    of the calendar."""

    ELEMENT_NAME = "RemoveItem"


@dataclass
class Invitation:
    organizer: SandboxUser
    attendee: SandboxUser
    organizer_account: Account
    attendee_account: Account
    meeting: CalendarItem

    def request(self) -> MeetingRequest:
        (request,) = self.attendee_account.inbox.all()
        return request

    def attendee_meeting(self) -> CalendarItem:
        (meeting,) = self.attendee_account.calendar.all()
        return meeting

    def organizer_meeting(self) -> CalendarItem:
        return self.organizer_account.calendar.get(id=self.meeting.id)


@pytest.fixture
def invitation(sandbox: Sandbox) -> Invitation:
    organizer, attendee = sandbox.new_user("Anna Kowalska"), sandbox.new_user("Jürgen Weber")
    organizer_account, attendee_account = sandbox.account(organizer), sandbox.account(attendee)
    meeting = CalendarItem(
        account=organizer_account,
        folder=organizer_account.calendar,
        subject=SUBJECT,
        location="Sala Bałtyk, Gdynia",
        start=EWSDateTime(2026, 11, 4, 10, 0, tzinfo=WARSAW),
        end=EWSDateTime(2026, 11, 4, 11, 30, tzinfo=WARSAW),
        required_attendees=[attendee.address],
    )
    meeting.save(send_meeting_invitations=SEND_TO_ALL_AND_SAVE_COPY)
    return Invitation(organizer, attendee, organizer_account, attendee_account, meeting)


# --- answering ------------------------------------------------------------------------------


def test_accepting_a_request_puts_the_meeting_busy_in_the_attendees_calendar(
    invitation: Invitation,
) -> None:
    invitation.request().accept(body="Ich bin dabei.")

    meeting = invitation.attendee_meeting()
    assert (meeting.my_response_type, meeting.legacy_free_busy_status) == ("Accept", "Busy")
    assert meeting.appointment_reply_time is not None


def test_the_organizer_receives_the_acceptance_and_records_the_attendees_answer(
    invitation: Invitation,
) -> None:
    invitation.request().accept(body="Ich bin dabei.")

    (response,) = invitation.organizer_account.inbox.all()
    attendee = invitation.organizer_meeting().required_attendees[0]
    assert isinstance(response, MeetingResponse)
    assert response.subject == f"Accepted: {SUBJECT}"
    assert response.item_class == "IPM.Schedule.Meeting.Resp.Pos"
    assert response.author.email_address == invitation.attendee.address
    assert "Ich bin dabei." in response.body
    assert (attendee.response_type, attendee.mailbox.email_address) == (
        "Accept",
        invitation.attendee.address,
    )
    assert attendee.last_response_time is not None


def test_an_answered_request_moves_to_deleted_items_and_a_copy_of_the_answer_to_sent_items(
    invitation: Invitation,
) -> None:
    invitation.request().accept()

    assert list(invitation.attendee_account.inbox.all()) == []
    assert [type(i) for i in invitation.attendee_account.trash.all()] == [MeetingRequest]
    (sent,) = invitation.attendee_account.sent.all()
    assert (type(sent), sent.subject) == (MeetingResponse, f"Accepted: {SUBJECT}")


def test_a_tentative_answer_shows_the_meeting_tentative(invitation: Invitation) -> None:
    invitation.request().tentatively_accept()

    meeting = invitation.attendee_meeting()
    attendee = invitation.organizer_meeting().required_attendees[0]
    assert (meeting.my_response_type, meeting.legacy_free_busy_status) == (
        "Tentative",
        "Tentative",
    )
    assert attendee.response_type == "Tentative"


def test_declining_takes_the_meeting_out_of_the_attendees_calendar(invitation: Invitation) -> None:
    invitation.request().decline(body="Leider verhindert.")

    (response,) = invitation.organizer_account.inbox.all()
    assert list(invitation.attendee_account.calendar.all()) == []
    assert response.subject == f"Declined: {SUBJECT}"
    assert invitation.organizer_meeting().required_attendees[0].response_type == "Decline"


def test_answering_the_meeting_in_the_calendar_works_as_answering_the_request(
    invitation: Invitation,
) -> None:
    invitation.attendee_meeting().accept()

    assert invitation.attendee_meeting().my_response_type == "Accept"
    assert list(invitation.attendee_account.inbox.all()) == []
    assert invitation.organizer_meeting().required_attendees[0].response_type == "Accept"


def test_an_answer_saved_only_waits_in_drafts_and_tells_the_organizer_nothing(
    invitation: Invitation,
) -> None:
    drafts = invitation.attendee_account.drafts
    invitation.request().accept(message_disposition=SAVE_ONLY, folder=drafts)

    (draft,) = invitation.attendee_account.drafts.all()
    assert (type(draft), draft.is_draft) == (MeetingResponse, True)
    assert invitation.attendee_meeting().my_response_type == "Accept"
    assert list(invitation.organizer_account.inbox.all()) == []


def test_the_organizer_cannot_accept_their_own_meeting(invitation: Invitation) -> None:
    with pytest.raises(ErrorCalendarIsOrganizerForAccept):
        invitation.organizer_meeting().accept()


# --- cancelling -----------------------------------------------------------------------------


def test_a_cancellation_reaches_the_attendee_and_marks_their_meeting_cancelled(
    invitation: Invitation,
) -> None:
    invitation.request().accept()

    invitation.organizer_meeting().cancel(body="Der Termin entfällt.")

    cancellation = next(
        i for i in invitation.attendee_account.inbox.all() if isinstance(i, MeetingCancellation)
    )
    meeting = invitation.attendee_meeting()
    assert cancellation.subject == f"Canceled: {SUBJECT}"
    assert cancellation.importance == "High"
    assert "Der Termin entfällt." in cancellation.body
    assert (meeting.is_cancelled, meeting.subject, meeting.legacy_free_busy_status) == (
        True,
        f"Canceled: {SUBJECT}",
        "Free",
    )


def test_a_cancelled_meeting_leaves_the_organizers_calendar_for_deleted_items(
    invitation: Invitation,
) -> None:
    invitation.organizer_meeting().cancel()

    assert list(invitation.organizer_account.calendar.all()) == []
    assert [i.subject for i in invitation.organizer_account.trash.all()] == [SUBJECT]


def test_a_cancelled_meeting_cannot_be_accepted(invitation: Invitation) -> None:
    invitation.organizer_meeting().cancel()

    with pytest.raises(ErrorCalendarIsCancelledForAccept):
        invitation.attendee_meeting().accept()


def test_only_the_organizer_can_cancel_a_meeting(invitation: Invitation) -> None:
    with pytest.raises(ErrorCalendarIsNotOrganizer):
        invitation.attendee_meeting().cancel()


def test_removing_a_cancelled_meeting_clears_it_from_the_attendees_calendar(
    invitation: Invitation,
) -> None:
    invitation.organizer_meeting().cancel()
    cancellation = next(
        i for i in invitation.attendee_account.inbox.all() if isinstance(i, MeetingCancellation)
    )

    RemoveItem(
        account=invitation.attendee_account,
        reference_item_id=ReferenceItemId(id=cancellation.id, changekey=cancellation.changekey),
    ).send(message_disposition=SEND_ONLY)

    assert list(invitation.attendee_account.calendar.all()) == []
