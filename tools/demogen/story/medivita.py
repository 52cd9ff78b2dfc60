"""Medivita, a clinic group in Warsaw: a meeting tracked regarding a contact, then materials."""

from __future__ import annotations

from ..attachments import pdf
from ..cast import ANNA, EWA, KATARZYNA, ROBERT
from ..crm import EWA_SIKORA
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom


def write(room: Mailroom) -> list[TrackedMail]:
    meeting = room.compose(
        ANNA, [EWA], "Spotkanie w Warszawie – potwierdzenie", "09-28 13:00",
        "Pani Ewo,\n\n"
        "potwierdzam nasze spotkanie w środę 7 października o 11:00 w siedzibie Medivita przy "
        "Al. Jerozolimskich.\n"
        "Przedstawimy koncepcję portalu pacjenta: rejestracja online, wyniki badań i e-recepty.\n"
        "Ze strony Brightwave będziemy ja i Katarzyna Wójcik.",
    )  # fmt: skip
    room.reply(
        meeting, EWA, "09-29 08:15",
        "Pani Anno,\n\n"
        "potwierdzam. Dołączy do nas Robert Adamczyk, kierownik IT – prosi o informację, czy "
        "portal może działać w naszej infrastrukturze (on-premise).\n"
        "Sala konferencyjna na 3. piętrze, proszę zgłosić się w recepcji.",
        scenario=Scenario(
            "in-reply-to", "The tracked message is regarding a contact (Ewa Sikora)."
        ),
    )  # fmt: skip
    materials = room.compose(
        EWA, [ANNA], "Portal pacjenta – materiały po spotkaniu", "10-08 10:20",
        "Pani Anno,\n\n"
        "dziękujemy za wczorajszą prezentację. Prosimy o slajdy oraz wstępny kosztorys dla "
        "wariantu on-premise.\n"
        "Zarząd spotyka się 22 października – chcielibyśmy przedstawić materiały.",
        cc=[ROBERT],
        scenario=Scenario(
            "option-crm-sender",
            "A new message from a contact: nothing to correlate with, tracked only with the "
            "option 'messages from CRM leads, contacts and accounts'.",
        ),
    )  # fmt: skip
    estimate = room.reply(
        materials, ANNA, "10-09 14:40",
        "Pani Ewo,\n\n"
        "w załączeniu prezentacja i wstępny kosztorys (wariant on-premise: ok. 150 tys. zł netto "
        "za wdrożenie plus roczna opieka).\n"
        "Panie Robercie, wymagania sprzętowe prześle Katarzyna Wójcik do piątku.",
        cc=[ROBERT, KATARZYNA],
        attachments=[pdf(
            "Medivita_portal_pacjenta_prezentacja.pdf", "Portal pacjenta Medivita",
            "Rejestracja online, wyniki badań, e-recepty", "Wariant on-premise",
            "Wdrożenie: ok. 150 000 PLN netto",
        )],
    )  # fmt: skip
    room.compose(
        KATARZYNA, [ROBERT], "Portal pacjenta – wymagania sprzętowe (on-premise)", "10-16 11:25",
        "Panie Robercie,\n\n"
        "zgodnie z obietnicą przesyłam wymagania dla wariantu on-premise:\n"
        "– 2 serwery aplikacyjne (8 vCPU, 32 GB RAM) w klastrze,\n"
        "– PostgreSQL 16 z replikacją, 500 GB na dane i kopie,\n"
        "– reverse proxy z certyfikatem dla domeny portalu.\n"
        "Chętnie omówię szczegóły na krótkim spotkaniu.",
        cc=[ANNA],
    )  # fmt: skip
    room.reply(
        estimate, ROBERT, "10-26 13:10",
        "Pani Anno,\n\n"
        "zarząd poprosił o wariant chmurowy do porównania. Czy możemy go dostać do "
        "15 listopada?",
        to=[ANNA], cc=[EWA, KATARZYNA],
    )  # fmt: skip
    return [TrackedMail(meeting, Regarding("contact", EWA_SIKORA.name), None)]
