"""Pennine Freight: a pilot from August, a revised quote, and a loss. Emma uses The Bat!, which
numbers its replies (Re[2]:)."""

from __future__ import annotations

from ..attachments import pdf
from ..cast import ANNA, EMMA
from ..crm import PENNINE_ROUTES
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

TOKEN = "CRM:0001001"


def write(room: Mailroom) -> list[TrackedMail]:
    august = room.compose(
        ANNA, [EMMA], "Route planner pilot – feedback", "08-27 10:15",
        "Hi Emma,\n\n"
        "the route planner pilot ends on Friday. Could you share your drivers' feedback and the "
        "fuel figures from the last four weeks?",
        ghost=True,
    )  # fmt: skip
    feedback = room.reply(
        august, EMMA, "09-03 09:40",
        "Hello Anna,\n\n"
        "drivers liked the planner, and fuel use on the Leeds–Hull routes went down by about "
        "6%.\nHowever, the board finds the licence price too high for 35 vehicles. Can you "
        "revise the quote?",
        scenario=Scenario(
            "not-tracked",
            "Answers a message Anna sent in August, before the demo quarter: its In-Reply-To "
            "points outside the demo and nothing correlates.",
        ),
    )  # fmt: skip
    room.reply(
        feedback, ANNA, "09-03 14:10",
        "Hi Emma,\n\n"
        "thanks – 6% is a great result. I will send a revised quote next week, priced per active "
        "vehicle.",
    )  # fmt: skip
    quote = room.compose(
        ANNA, [EMMA], f"Route planner – revised quote {TOKEN}", "09-09 11:30",
        "Hi Emma,\n\n"
        "as promised, attached is our revised quote: £38 per active vehicle per month, no set-up "
        "fee, 12-month term.\n"
        "For 35 vehicles that is about 40% below the original licence model.",
        attachments=[pdf(
            "Brightwave_Route_Planner_Quote_Pennine_rev2.pdf", "Route planner – revised quote",
            "GBP 38 per active vehicle per month", "No set-up fee", "12-month term",
        )],
    )  # fmt: skip
    question = room.reply(
        quote, EMMA, "09-14 10:05",
        "Hello Anna,\n\n"
        "thank you. Does the price include the telematics integration, or is that extra?\n"
        "I need to present this to the board on 28 September.",
    )  # fmt: skip
    included = room.reply(
        question, ANNA, "09-14 16:20",
        "Hi Emma,\n\n"
        "the telematics integration is included for both providers you use today.\n"
        "Fingers crossed for the 28th – let me know if I can help with the board pack.",
    )  # fmt: skip
    lost = room.reply(
        included, EMMA, "09-29 09:15",
        "Hello Anna,\n\n"
        "unfortunately the board decided to stay with our current supplier, who offered route "
        "planning as part of the existing telematics contract at no extra cost.\n"
        "Thank you for your time and the pilot – we may come back to you next year.",
        scenario=Scenario("in-reply-to", "The Bat!'s numbered prefix 'Re[2]:'."),
    )  # fmt: skip
    room.reply(
        lost, ANNA, "09-29 10:40",
        "Hi Emma,\n\n"
        "thank you for letting me know, and for the honest feedback. I'll be in touch in the "
        "spring – good luck with the winter season!",
    )  # fmt: skip
    return [TrackedMail(quote, Regarding("opportunity", PENNINE_ROUTES.name), TOKEN)]
