"""Thames Retail commissions a loyalty app. Oliver answers the tracked proposal from his phone:
Outlook for iOS keeps the conversation index but sends no In-Reply-To, so only the conversation
correlates."""

from __future__ import annotations

from ..attachments import pdf
from ..cast import ANNA, KATARZYNA, MARK, OLIVER, OLIVER_ON_PHONE, PRIYA, TOMASZ
from ..crm import THAMES_LOYALTY
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

# Thames's mail gateway marks mail from outside; their replies keep the tag.
EXTERNAL_TAG = "[EXTERNAL]"


def write(room: Mailroom) -> list[TrackedMail]:
    room.compose(
        OLIVER, [ANNA], "Loyalty app – next steps after our call", "09-09 11:40",
        "Hi Anna,\n\n"
        "thanks for the call this morning. As discussed, we'd like to see a proposal for phase 1 "
        "of the loyalty app: iOS and Android, a digital stamp card, and integration with our "
        "till system.\n"
        "Budget is tight this financial year, so a phased approach would help.\n"
        "Could you send something over by the end of next week?",
    )  # fmt: skip
    proposal = room.compose(
        ANNA, [OLIVER], "Proposal: loyalty app phase 1", "09-16 16:45",
        "Hi Oliver,\n\n"
        "please find attached our proposal for phase 1 of the Thames Retail loyalty app.\n"
        "It covers the iOS and Android apps, the digital stamp card, the till integration and "
        "three months of hypercare, delivered in 14 weeks.\n"
        "I have copied Priya for the commercial terms, as discussed.",
        cc=[PRIYA],
        attachments=[pdf(
            "Brightwave_Proposal_Thames_Retail_Loyalty_Phase1.pdf",
            "Proposal: Thames Retail loyalty app, phase 1",
            "iOS and Android apps, digital stamp card", "Till integration (REST API)",
            "Delivery: 14 weeks, then 3 months hypercare", "Fixed price: GBP 85,000",
        )],
        scenario=Scenario(
            "tracked sent item",
            "Tracked without a token (tracked.json, token null): replies correlate through "
            "headers or the conversation only.",
        ),
    )  # fmt: skip
    from_phone = room.reply(
        proposal, OLIVER_ON_PHONE, "09-18 07:52",
        "Hi Anna,\n\n"
        "had a first read on the train – looks good. Two quick questions: can the stamp card "
        "work offline in store, and would the till integration use their REST API or the file "
        "export?\nMore after our board meeting next week.",
        scenario=Scenario(
            "conversation",
            "Outlook for iOS: no In-Reply-To, no References, no token; its Thread-Index "
            "continues the tracked proposal's conversation.",
        ),
    )  # fmt: skip
    answers = room.reply(
        from_phone, ANNA, "09-18 14:02",
        "Hi Oliver,\n\n"
        "1. Yes – stamps are stored on the phone and synchronised once it is back online.\n"
        "2. We would use the till vendor's REST API; the file export stays as a fallback.\n"
        "Good luck with the board meeting!",
    )  # fmt: skip
    onboarding = room.reply(
        answers, PRIYA, "09-24 10:15",
        "Hi Anna,\n\n"
        "before we can raise a purchase order I need a few documents for supplier onboarding:\n"
        "– your ISO 27001 certificate,\n"
        "– proof of professional indemnity insurance,\n"
        "– the supplier questionnaire (the invitation comes from our procurement portal).\n"
        "Many thanks.",
        to=[ANNA], cc=[OLIVER], subject=f"RE: {EXTERNAL_TAG} {answers.subject}",
        scenario=Scenario(
            "in-reply-to",
            "Its References run through Oliver's phone reply, which sync tracked by "
            "conversation a moment earlier. Thames's gateway tagged Anna's mail [EXTERNAL], so "
            "the subject reads 'RE: [EXTERNAL] RE: …'.",
        ),
    )  # fmt: skip
    documents = room.reply(
        onboarding, ANNA, "09-25 09:30",
        "Hi Priya,\n\n"
        "attached are our ISO 27001 certificate and the insurance confirmation.\n"
        "I will fill in the supplier questionnaire as soon as the portal invitation arrives.",
        attachments=[
            pdf("Brightwave_ISO27001_certificate.pdf", "Certificate ISO/IEC 27001:2022",
                "Brightwave Sp. z o.o., Krakow", "Valid until 14 March 2028"),
            pdf("Brightwave_PI_insurance_2026.pdf", "Professional indemnity insurance",
                "Insured: Brightwave Sp. z o.o.", "Limit: EUR 2,000,000", "Period: 2026"),
        ],
    )  # fmt: skip
    approved = room.reply(
        documents, OLIVER, "10-27 15:10",
        "Hi Anna,\n\n"
        "good news: the board approved phase 1. Priya will send the purchase order this week.\n"
        "Could we schedule a kick-off in London in the first half of November?",
        to=[ANNA], cc=[PRIYA],
    )  # fmt: skip
    kickoff = room.reply(
        approved, ANNA, "10-27 17:05",
        "Hi Oliver,\n\n"
        "fantastic news – thank you! How about Thursday 5 November, 10:00 at your office?\n"
        "Katarzyna (solution design) and Tomasz (project manager) would join me.",
        cc=[PRIYA, KATARZYNA, TOMASZ],
    )  # fmt: skip
    purchase_order = room.compose(
        PRIYA, [ANNA], "Purchase order PO-TR-2026-0457 – loyalty app phase 1", "11-02 11:30",
        "Hi Anna,\n\n"
        "please find attached our purchase order for phase 1 of the loyalty app. Please quote the "
        "PO number on every invoice.",
        cc=[OLIVER],
        attachments=[pdf(
            "PO-TR-2026-0457.pdf", "Thames Retail Ltd – Purchase order PO-TR-2026-0457",
            "Supplier: Brightwave Sp. z o.o.", "Loyalty app phase 1: GBP 85,000",
            "Payment terms: 30 days",
        )],
    )  # fmt: skip
    room.reply(
        purchase_order, ANNA, "11-02 13:05",
        "Hi Priya,\n\n"
        "thank you – received. Our first invoice (30% at kick-off) will quote the PO number.",
    )  # fmt: skip
    credentials = room.compose(
        MARK, [OLIVER], "Till integration – API credentials for Thames Retail", "11-06 09:10",
        "Hi Oliver,\n\n"
        "the sandbox credentials for the till REST API are ready. For security we will only "
        "share the client secret with the named developer at your supplier by phone.\n"
        "Documentation: https://developers.tillwise.example/rest/v3",
        ghost=True,
    )  # fmt: skip
    room.forward(
        credentials, OLIVER, [ANNA, KATARZYNA], "11-06 10:02",
        "Hi Anna, Katarzyna,\n\n"
        "see below from Tillwise, our till vendor. Could you tell Mark who your developer is, "
        "so he can call them with the secret?",
        scenario=Scenario(
            "forward",
            "An English Outlook forward (FW:) of a third party's mail: no In-Reply-To, a "
            "conversation no tracked activity belongs to. Not tracked by default; the sender is "
            "a CRM contact, so the option 'messages from CRM contacts' would track it.",
        ),
    )  # fmt: skip
    room.reply(
        kickoff, OLIVER, "10-28 09:20",
        "Hi Anna,\n\n"
        "Thursday 5 November works. I've booked the Thames room for 10:00–13:00; reception is on "
        "the ground floor.",
    )  # fmt: skip
    return [TrackedMail(proposal, Regarding("opportunity", THAMES_LOYALTY.name), None)]
