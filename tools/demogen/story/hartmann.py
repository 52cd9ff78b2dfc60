"""Hartmann Maschinenbau renews its maintenance contract and starts an MES project.

Shows: a contact writing from two addresses, a German forward (WG:) into purchasing, an unknown
buyer joining a tracked thread, a Company-Confidential aside, prefixes nested four deep, and a
token handed out by another Brightwave user (Piotr, user 002).
"""

from __future__ import annotations

from ..attachments import pdf
from ..cast import ANNA, JENS, KATARZYNA, KLAUS, KLAUS_AT_GROUP, PIOTR, SABINE
from ..crm import HARTMANN_MAINTENANCE, HARTMANN_MES
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

TOKEN = "CRM:0001004"
PIOTR_TOKEN = "CRM:0002001"
MAINTENANCE = Regarding("opportunity", HARTMANN_MAINTENANCE.name)


def write(room: Mailroom) -> list[TrackedMail]:
    return [*_maintenance(room), *_mes_interface(room)]


def _maintenance(room: Mailroom) -> list[TrackedMail]:
    room.compose(
        KLAUS, [ANNA], "Wartungsvertrag ab Januar 2027", "09-08 11:20",
        "Hallo Frau Nowak,\n\n"
        "unser Wartungsvertrag für die Lagerverwaltung läuft zum 31.12. aus.\n"
        "Könnten Sie uns bis Mitte September ein Angebot für 2027 schicken? Gewünscht sind "
        "4 Stunden Reaktionszeit bei Störungen der Priorität 1 und ein Kontingent für kleinere "
        "Anpassungen.",
    )  # fmt: skip
    offer = room.compose(
        ANNA, [KLAUS], f"Angebot Wartungsvertrag 2027 {TOKEN}", "09-15 15:10",
        "Hallo Herr Becker,\n\n"
        "anbei unser Angebot für den Wartungsvertrag 2027 in zwei Varianten:\n"
        "– Premium: 4 Stunden Reaktionszeit bei Priorität 1, 80 Stunden Anpassungskontingent,\n"
        "– Basis: 8 Stunden Reaktionszeit, 40 Stunden Kontingent.\n"
        "Das Angebot gilt bis 31. Oktober. Für Rückfragen stehe ich gern zur Verfügung.",
        attachments=[pdf(
            "Angebot_Wartungsvertrag_2027_Hartmann.pdf", "Angebot Wartungsvertrag 2027",
            "Variante Premium: 4 h Reaktionszeit, 80 h Kontingent",
            "Variante Basis: 8 h Reaktionszeit, 40 h Kontingent", "Gültig bis 31.10.2026",
        )],
    )  # fmt: skip
    room.reply(
        offer, KLAUS_AT_GROUP, "09-17 08:55",
        "Hallo Frau Nowak,\n\n"
        "vielen Dank für das Angebot. Bitte wundern Sie sich nicht über die neue Adresse – wir "
        "stellen gerade auf die Domain der Hartmann Gruppe um, beide Adressen bleiben bis "
        "Jahresende aktiv.\n"
        "Ich leite das Angebot an unseren Einkauf weiter, Frau Roth meldet sich bei Ihnen.",
        scenario=Scenario(
            "in-reply-to",
            "Klaus Becker answers from his second address (hartmann-gruppe.example): the sender "
            "still resolves to the one contact that holds both addresses.",
        ),
    )  # fmt: skip
    forward = room.forward(
        offer, KLAUS_AT_GROUP, [SABINE], "09-17 10:02",
        "Hallo Frau Roth,\n\n"
        "anbei das Angebot von Brightwave für die Wartung 2027. Technisch passt aus meiner Sicht "
        "die Variante Premium.\n"
        "Können Sie bitte die kaufmännischen Punkte direkt mit Frau Nowak (in Kopie) klären?",
        cc=[ANNA],
        scenario=Scenario(
            "tracking-token",
            "A German Outlook forward (WG:) with Anna in Cc: Outlook sets no In-Reply-To on "
            "forwards, the token in the subject correlates it; it shares Anna with the original.",
        ),
    )  # fmt: skip
    questions = room.reply(
        forward, SABINE, "09-21 14:30",
        "Sehr geehrte Frau Nowak,\n\n"
        "ich übernehme die kaufmännische Abstimmung zum Wartungsvertrag.\n"
        "Zwei Fragen: Ist eine Laufzeit von 24 Monaten mit Preisbindung möglich? Und können Sie "
        "die Rechnungsstellung quartalsweise statt jährlich anbieten?",
        to=[ANNA], cc=[KLAUS_AT_GROUP],
        scenario=Scenario(
            "in-reply-to",
            "Purchasing answers the forward (AW: WG:), which sync has just tracked. Sabine Roth "
            "is in no CRM record: with auto-creation on she becomes a contact.",
        ),
    )  # fmt: skip
    answer = room.reply(
        questions, ANNA, "09-21 17:10",
        "Sehr geehrte Frau Roth,\n\n"
        "vielen Dank für Ihre Nachricht.\n"
        "Eine Laufzeit von 24 Monaten mit Preisbindung ist möglich; dafür gewähren wir 3 % "
        "Nachlass auf die Variante Premium.\n"
        "Die Rechnungsstellung stellen wir gern auf quartalsweise um.",
    )  # fmt: skip
    room.reply(
        offer, KLAUS, "10-01 09:40",
        "Hallo Frau Nowak,\n\n"
        "vertraulich und nur für Sie: unser IT-Budget 2027 wird voraussichtlich um 15 % gekürzt. "
        "Die Variante Premium hat es intern schwer, wenn der Preis nicht sinkt.\n"
        "Offiziell kommt die Rückmeldung von Frau Roth.",
        headers=[("Sensitivity", "Company-Confidential")],
        scenario=Scenario(
            "excluded-private",
            "Sensitivity: Company-Confidential. Excluded before correlation, although its "
            "In-Reply-To and token point at the tracked offer.",
        ),
    )  # fmt: skip
    terms = room.reply(
        answer, SABINE, "10-13 11:15",
        "Sehr geehrte Frau Nowak,\n\n"
        "wir würden die Variante Premium mit 24 Monaten Laufzeit beauftragen, wenn Sie uns beim "
        "Anpassungskontingent entgegenkommen: 100 statt 80 Stunden zum gleichen Preis.\n"
        "Bitte senden Sie uns den Vertragsentwurf.",
        cc=[KLAUS],
        scenario=Scenario(
            "in-reply-to",
            "Four prefixes deep (AW: ODP: AW: WG:): the normalised subject is still "
            "'Angebot Wartungsvertrag 2027'.",
        ),
    )  # fmt: skip
    draft = room.reply(
        terms, ANNA, "10-14 16:00",
        "Sehr geehrte Frau Roth,\n\n"
        "einverstanden: 100 Stunden Anpassungskontingent bei 24 Monaten Laufzeit.\n"
        "Anbei der Vertragsentwurf zur Prüfung. Nach Ihrer Freigabe senden wir zwei "
        "unterschriebene Exemplare.",
        attachments=[pdf(
            "Wartungsvertrag_2027_Entwurf_für_Hartmann.pdf", "Wartungsvertrag 2027 – Entwurf",
            "Laufzeit: 24 Monate mit Preisbindung", "Reaktionszeit Prio 1: 4 Stunden",
            "Anpassungskontingent: 100 Stunden", "Rechnungsstellung quartalsweise",
        )],
    )  # fmt: skip
    room.reply(
        draft, SABINE, "11-04 10:30",
        "Sehr geehrte Frau Nowak,\n\n"
        "der Vertrag ist freigegeben und unterschrieben, den Scan finden Sie im Anhang. Die "
        "Originale gehen heute per Post an Sie.\n"
        "Unsere Bestellnummer für die Rechnungen lautet 4500187734.",
        subject=f"AW: Angebot Wartungsvertrag 2027 {TOKEN}",
        attachments=[pdf(
            "Wartungsvertrag_2027_unterschrieben.pdf", "Wartungsvertrag 2027",
            "Unterschrieben: Hartmann Maschinenbau GmbH, 03.11.2026", "Bestellnummer 4500187734",
        )],
    )  # fmt: skip
    return [TrackedMail(offer, MAINTENANCE, TOKEN)]


def _mes_interface(room: Mailroom) -> list[TrackedMail]:
    dates = room.compose(
        PIOTR, [KLAUS], f"MES interface: workshop dates {PIOTR_TOKEN}", "10-19 10:30",
        "Dear Mr Becker,\n\n"
        "following our call on Friday, we would like to run the two-day MES interface workshop "
        "in Stuttgart.\n"
        "We could offer 10–11 November or 17–18 November. Katarzyna Wójcik will lead the "
        "technical part.\nWhich dates suit your production team best?",
        cc=[ANNA, KATARZYNA], lang="en",
        scenario=Scenario(
            "already-tracked",
            f"Piotr's message, tracked by him with his own token {PIOTR_TOKEN} (user 002) "
            "regarding the MES opportunity; Anna is in Cc.",
        ),
    )  # fmt: skip
    to_production = room.forward(
        dates, KLAUS, [JENS], "10-19 13:05",
        "Hallo Jens,\n\nbitte stimme die Termine direkt mit Herrn Zieliński ab.",
        ghost=True,
    )  # fmt: skip
    room.reply(
        to_production, JENS, "10-21 08:40",
        "Hallo Herr Zieliński,\n\n"
        "Herr Becker hat mir Ihre Nachricht weitergeleitet. Für die Produktion passt der "
        "17.–18. November am besten, am 10.11. haben wir ein Audit.\n"
        "Wir stellen einen Besprechungsraum und zwei Kollegen aus der Arbeitsvorbereitung.",
        to=[PIOTR], cc=[ANNA, KATARZYNA, KLAUS],
        scenario=Scenario(
            "tracking-token",
            f"Answers Klaus's internal forward (In-Reply-To outside the demo); the token "
            f"{PIOTR_TOKEN} was handed out by another user and correlates all the same.",
        ),
    )  # fmt: skip
    return [TrackedMail(dates, Regarding("opportunity", HARTMANN_MES.name), PIOTR_TOKEN)]
