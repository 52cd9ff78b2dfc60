"""Nordlicht Energie's data platform pilot. Julia later writes a new message under the same
subject: nothing but smart matching (off by default) can tie it to the tracked thread."""

from __future__ import annotations

from ..attachments import csv_file
from ..cast import ANNA, FLORIAN, JULIA, KATARZYNA
from ..crm import NORDLICHT_PILOT
from ..mail import Regarding, Scenario, TrackedMail
from ..mailroom import Mailroom

SUBJECT = "Pilotprojekt Datenplattform – nächste Schritte"


def write(room: Mailroom) -> list[TrackedMail]:
    plan = room.compose(
        ANNA, [JULIA], SUBJECT, "09-23 11:00",
        "Hallo Frau Schneider,\n\n"
        "vielen Dank für das gute Gespräch am Montag. Wie besprochen schlagen wir einen Pilot in "
        "drei Schritten vor:\n"
        "1. Anbindung von zwei Windparks (SCADA-Export) bis Ende Oktober,\n"
        "2. ein Dashboard für die Betriebsführung,\n"
        "3. Bewertung und Entscheidung über den Rollout im Dezember.\n"
        "Frau Wójcik schickt Ihnen diese Woche die technischen Voraussetzungen.",
        cc=[KATARZYNA],
    )  # fmt: skip
    room.reply(
        plan, JULIA, "09-24 09:20",
        "Hallo Frau Nowak,\n\n"
        "danke für die Zusammenfassung, der Plan passt für uns.\n"
        "Für die technische Anbindung ist Herr Florian Weber aus unserem Data-Team Ihr "
        "Ansprechpartner.",
        scenario=Scenario("in-reply-to", "A German reply (AW:) to a tracked message."),
    )  # fmt: skip
    update = room.compose(
        JULIA, [ANNA], SUBJECT, "10-15 14:05",
        "Hallo Frau Nowak, hallo Frau Wójcik,\n\n"
        "kurzer Zwischenstand von unserer Seite: Der SCADA-Export für den Windpark Husum läuft "
        "seit gestern stabil, der zweite Park folgt nächste Woche.\n"
        "Können wir die Vorstellung des Dashboards auf den 4. November legen?",
        cc=[KATARZYNA],
        scenario=Scenario(
            "smart-match",
            "A new message (no In-Reply-To, its own Thread-Index) under the tracked subject, "
            "sharing three addresses with it. Smart matching is off by default, so it is not "
            "tracked until the org switches it on.",
        ),
    )  # fmt: skip
    room.reply(
        update, KATARZYNA, "10-15 16:20",
        "Hallo Frau Schneider,\n\n"
        "danke für das Update! Der 4. November passt uns gut, ich schicke gleich eine "
        "Einladung.\nFür den zweiten Windpark reicht uns dasselbe Exportformat wie in Husum.",
        scenario=Scenario(
            "not-tracked",
            "A colleague (a CRM user) answers the smart-match message. Not tracked by default; "
            "once smart matching or a sender option has tracked the message it answers, its "
            "In-Reply-To correlates.",
        ),
    )  # fmt: skip
    room.compose(
        FLORIAN, [KATARZYNA], "SCADA-Export Windpark Nordstrand – Beispieldaten", "10-22 10:10",
        "Hallo Frau Wójcik,\n\n"
        "anbei Beispieldaten aus dem zweiten Windpark (10-Minuten-Werte, ein Tag).\n"
        "Die Spalten sind identisch mit Husum, nur die Anlagen-IDs beginnen mit NS.",
        cc=[ANNA],
        attachments=[csv_file("nordstrand_export_beispiel.csv", (
            ("zeitstempel", "anlage", "leistung_kw", "wind_ms", "status"),
            ("2026-10-21T00:00:00+02:00", "NS-01", "1840", "9.6", "OK"),
            ("2026-10-21T00:10:00+02:00", "NS-01", "1795", "9.3", "OK"),
            ("2026-10-21T00:00:00+02:00", "NS-02", "0", "9.5", "WARTUNG"),
        ))],
    )  # fmt: skip
    return [TrackedMail(plan, Regarding("opportunity", NORDLICHT_PILOT.name), None)]
