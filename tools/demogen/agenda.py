"""Anna's calendar and task list for the quarter, matching what the mail talks about."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from . import cast
from .clock import BRITAIN, GERMANY, POLAND, Zone
from .people import Person

CUSTOMER, DEMO, INTERNAL, PROSPECT, TRAVEL, PERSONAL, TRAINING = (
    "Customer", "Demo", "Internal", "Prospect", "Travel", "Personal", "Training",
)  # fmt: skip
TEAMS = "Microsoft Teams"


def _at(day: str, clock: str, zone: Zone = POLAND) -> str:
    month, day_of_month = (int(piece) for piece in day.split("-"))
    hour, minute = (int(piece) for piece in clock.split(":"))
    return zone.at(date(2026, month, day_of_month), time(hour, minute)).isoformat()


@dataclass(frozen=True)
class Appointment:
    subject: str
    start: str
    end: str
    location: str
    body: str
    organizer: Person
    attendees: tuple[Person, ...]
    categories: tuple[str, ...]
    recurrence: dict[str, object] | None = None
    exceptions: tuple[dict[str, object], ...] = field(default_factory=tuple)

    def as_json(self) -> dict[str, object]:
        record: dict[str, object] = {
            "subject": self.subject,
            "start": self.start,
            "end": self.end,
            "location": self.location,
            "body": self.body,
            "organizer": self.organizer.email,
            "attendees": [person.email for person in self.attendees],
            "categories": list(self.categories),
            "recurrence": self.recurrence,
        }
        if self.exceptions:
            record["exceptions"] = list(self.exceptions)
        return record


@dataclass(frozen=True)
class Task:
    subject: str
    start: str
    due: str
    status: str
    percent_complete: int
    body: str
    categories: tuple[str, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "subject": self.subject,
            "start": f"2026-{self.start}",
            "due": f"2026-{self.due}",
            "status": self.status,
            "percent_complete": self.percent_complete,
            "body": self.body,
            "categories": list(self.categories),
        }


def _meeting(
    subject: str,
    day: str,
    start: str,
    end: str,
    location: str,
    body: str,
    attendees: tuple[Person, ...],
    categories: tuple[str, ...],
    *,
    organizer: Person = cast.ANNA,
    zone: Zone = POLAND,
) -> Appointment:
    return Appointment(
        subject, _at(day, start, zone), _at(day, end, zone), location, body, organizer,
        attendees, categories,
    )  # fmt: skip


SALES_SYNC = Appointment(
    subject="Cotygodniowy sales sync",
    start=_at("09-07", "09:30"),
    end=_at("09-07", "10:00"),
    location="Sala Wisła / Teams",
    body="Lejek, nowe zapytania, blokery. 30 minut, bez slajdów.",
    organizer=cast.PIOTR,
    attendees=(cast.ANNA, cast.KATARZYNA, cast.TOMASZ),
    categories=(INTERNAL,),
    recurrence={
        "pattern": "weekly",
        "interval": 1,
        "days": ["Monday"],
        "start": "2026-09-07",
        "occurrences": 12,
    },
    exceptions=(
        {
            "original_start": _at("10-12", "09:30"),
            "start": _at("10-13", "10:00"),
            "end": _at("10-13", "10:30"),
        },
        {"original_start": _at("11-02", "09:30"), "deleted": True},
    ),
)
ONE_TO_ONE = Appointment(
    subject="1:1 Anna / Piotr",
    start=_at("09-17", "15:00"),
    end=_at("09-17", "15:30"),
    location="Sala Raba",
    body="Szanse, prognoza, rozwój.",
    organizer=cast.PIOTR,
    attendees=(cast.ANNA,),
    categories=(INTERNAL,),
    recurrence={
        "pattern": "weekly",
        "interval": 2,
        "days": ["Thursday"],
        "start": "2026-09-17",
        "occurrences": 6,
    },
)

APPOINTMENTS = (
    SALES_SYNC,
    ONE_TO_ONE,
    _meeting(
        "Acme Logistics – rozmowa o systemie WMS", "09-03", "10:00", "11:00", TEAMS,
        "Wymagania dla magazynu we Wrocławiu: przyjęcia, kompletacja, skanery.",
        (cast.MAREK, cast.JOANNA, cast.KATARZYNA), (CUSTOMER,),
    ),
    _meeting(
        "Thames Retail – loyalty app discovery call", "09-09", "09:00", "09:45", TEAMS,
        "Phase 1 scope, till integration, budget.", (cast.OLIVER,), (CUSTOMER,), zone=BRITAIN,
    ),
    _meeting(
        "Zielony Koszyk – rozmowa wstępna (integracja z ERP)", "09-10", "13:00", "14:00", TEAMS,
        "Zakres integracji sklepu z ERP, wolumeny, harmonogram.", (cast.AGATA,), (PROSPECT,),
    ),
    _meeting(
        "Przegląd lejka Q4", "09-14", "13:00", "14:00", "Sala Wisła",
        "Aktualizacja wartości i dat zamknięcia przed raportem dla zarządu.", (cast.PIOTR,),
        (INTERNAL,),
    ),
    _meeting(
        "Jan Kowalski – planer tras (telefon)", "09-18", "11:00", "11:30",
        "Telefon: +48 12 278 40 11", "Flota 28 ciągników, integracja z tachografami.",
        (cast.JAN,), (PROSPECT,),
    ),
    _meeting(
        "Nordlicht Energie – Erstgespräch Datenplattform", "09-21", "14:00", "15:00", TEAMS,
        "Pilot mit zwei Windparks, SCADA-Export, Dashboard.", (cast.JULIA, cast.KATARZYNA),
        (CUSTOMER,),
    ),
    _meeting(
        "Acme Logistics – wizja lokalna magazynu", "09-24", "10:00", "14:00",
        "Acme Logistics, ul. Magazynowa 12, Wrocław",
        "Obejście magazynu, strefy A–D, stanowiska pakowania, sieć Wi-Fi dla skanerów.",
        (cast.MAREK, cast.JOANNA, cast.KATARZYNA), (CUSTOMER, TRAVEL),
    ),
    _meeting(
        "Webinar: Selling software to procurement teams", "09-29", "15:00", "16:00",
        "online (EventHub)", "Registration confirmed.", (), (TRAINING,),
    ),
    _meeting(
        "Demo: integracja sklepu z ERP – Zielony Koszyk", "10-01", "11:00", "12:30",
        "Zielony Koszyk, ul. Wielicka 250, Kraków",
        "Prototyp synchronizacji stanów i cen na testowym API klienta.",
        (cast.AGATA, cast.LUKASZ, cast.KATARZYNA), (CUSTOMER, DEMO),
    ),
    _meeting(
        "Medivita – prezentacja portalu pacjenta", "10-07", "11:00", "12:30",
        "Medivita, Al. Jerozolimskie 181, Warszawa (sala konferencyjna, 3. piętro)",
        "Rejestracja online, wyniki badań, e-recepty; wariant on-premise.",
        (cast.EWA, cast.ROBERT, cast.KATARZYNA), (CUSTOMER, DEMO, TRAVEL),
    ),
    _meeting(
        "Harbourline Shipping – intro call", "10-13", "14:00", "14:30", TEAMS,
        "Vessel and truck tracking in one dashboard.", (cast.JAMES,), (PROSPECT,), zone=BRITAIN,
    ),
    _meeting(
        "EkoPak – wizyta w nowej hali", "10-19", "10:00", "12:00",
        "EkoPak, ul. Fabryczna 5, Tarnowo Podgórne", "Plan hali, rozmieszczenie regałów.",
        (cast.MAGDALENA_KR,), (PROSPECT, TRAVEL),
    ),
    Appointment(
        "Targi w Norymberdze – dyżur na stoisku", _at("10-20", "09:00", GERMANY),
        _at("10-21", "18:00", GERMANY), "Messezentrum Nürnberg, hala 4, stoisko 4-311",
        "Ulotki DE/EN, demo WMS na tablecie.", cast.TOMASZ, (cast.ANNA, cast.KATARZYNA),
        (TRAVEL,),
    ),
    _meeting(
        "Greyfriars Insurance – claims workflow introduction", "10-22", "14:00", "15:00", TEAMS,
        "Claims correspondence, data retention rules, audit trail.",
        (cast.DUNCAN, cast.KATARZYNA), (CUSTOMER,), zone=BRITAIN,
    ),
    _meeting(
        "Warsztat z Kodlab – integracja skanerów Acme", "10-22", "10:00", "11:30", "Sala Dunajec",
        "Zebra TC52, SDK, plan testów na miejscu.", (cast.ALEKSANDRA, cast.TOMASZ), (INTERNAL,),
    ),
    _meeting(
        "Vorstellung Dashboard – Pilot Datenplattform", "11-04", "10:00", "11:30", TEAMS,
        "Dashboard Betriebsführung, Windparks Husum und Nordstrand.",
        (cast.JULIA, cast.FLORIAN, cast.KATARZYNA), (CUSTOMER, DEMO),
        organizer=cast.KATARZYNA,
    ),
    Appointment(
        "Lot Kraków – Londyn", _at("11-04", "17:25"), _at("11-04", "18:55", BRITAIN),
        "Kraków Airport", "Rezerwacja w mailu od Magdy.", cast.ANNA, (), (TRAVEL,),
    ),
    _meeting(
        "Thames Retail – loyalty app phase 1 kick-off", "11-05", "10:00", "13:00",
        "Thames Retail, 12 Wharf Street, London (Thames room)",
        "Plan, team, risks, till integration access.",
        (cast.ANNA, cast.PRIYA, cast.KATARZYNA, cast.TOMASZ), (CUSTOMER, TRAVEL),
        organizer=cast.OLIVER, zone=BRITAIN,
    ),
    _meeting(
        "60. urodziny Grzegorza", "11-14", "19:00", "23:00", "Kraków, Mały Rynek",
        "Prywatnie. Prezent kupiony.", (), (PERSONAL,),
    ),
    Appointment(
        "Workshop MES-Schnittstelle – Hartmann", _at("11-17", "09:00", GERMANY),
        _at("11-18", "16:00", GERMANY),
        "Hartmann Maschinenbau, Industriestraße 24, Stuttgart",
        "Zwei Tage mit Produktion und Arbeitsvorbereitung.", cast.PIOTR,
        (cast.ANNA, cast.KATARZYNA, cast.KLAUS, cast.JENS), (CUSTOMER, TRAVEL),
    ),
    _meeting(
        "Kessler – podsumowanie audytu walidacyjnego", "11-24", "15:00", "16:00", TEAMS,
        "Katarzyna na miejscu w Monachium, Anna zdalnie.", (cast.ANDREA, cast.KATARZYNA),
        (CUSTOMER,),
    ),
    _meeting(
        "Raport kwartalny – przygotowanie", "11-27", "09:00", "12:00", "Sala Wisła",
        "Wyniki Q4, prognoza na Q1 2027.", (cast.PIOTR,), (INTERNAL,),
    ),
    _meeting(
        "Acme Logistics – spotkanie startowe WMS", "12-03", "10:00", "13:00",
        "Acme Logistics, ul. Magazynowa 12, Wrocław",
        "Harmonogram, zespół, odbiory etapów, dostęp do ERP.",
        (cast.MAREK, cast.JOANNA, cast.BARBARA, cast.TOMASZ), (CUSTOMER, TRAVEL),
    ),
)  # fmt: skip

TASKS = (
    Task("Przygotować ofertę WMS dla Acme Logistics", "09-04", "09-10", "Completed", 100,
         "Na podstawie rozmowy z 3.09 i danych od Joanny Kaczmarek.", (CUSTOMER,)),
    Task("Angebot Wartungsvertrag 2027 – Varianten kalkulieren", "09-09", "09-15", "Completed",
         100, "Premium und Basis, Preisbindung 24 Monate prüfen.", (CUSTOMER,)),
    Task("Follow-up: Jan Kowalski – wycena planera tras", "09-18", "10-02", "Deferred", 0,
         "Klient wraca do tematu wiosną 2027.", (PROSPECT,)),
    Task("Przygotować demo dla Zielonego Koszyka", "09-21", "09-30", "Completed", 100,
         "Scenariusz od Kasi, dane z testowego API.", (CUSTOMER, DEMO)),
    Task("Send ISO 27001 certificate and insurance to Thames procurement", "09-24", "09-25",
         "Completed", 100, "Supplier onboarding for Priya Shah.", (CUSTOMER,)),
    Task("Fill in the Thames Retail supplier questionnaire", "09-25", "10-02", "Completed", 100,
         "Procurement portal invitation from Priya.", (CUSTOMER,)),
    Task("Zaktualizować prezentację firmową (DE/EN)", "10-01", "10-16", "Deferred", 20,
         "Po targach w Norymberdze, z nowymi referencjami.", (INTERNAL,)),
    Task("Odpowiedzieć Agnieszce Mazur – aplikacja mobilna", "10-06", "10-09", "NotStarted", 0,
         "Salon meblowy w Tarnowie; może polecić Kodlab?", (PROSPECT,)),
    Task("Acme – umowa i harmonogram spotkania startowego", "10-21", "11-13", "Completed", 100,
         "Razem z Tomkiem; start 4 stycznia.", (CUSTOMER,)),
    Task("Greyfriars – send the retention-rules whitepaper", "10-22", "10-27", "Completed", 100,
         "Promised on the intro call.", (CUSTOMER,)),
    Task("Medivita – wariant chmurowy do porównania", "10-27", "11-15", "WaitingOnOthers", 60,
         "Czekam na wymiarowanie infrastruktury od Kasi.", (CUSTOMER,)),
    Task("Prezent na 60. urodziny Grzegorza", "11-02", "11-13", "Completed", 100,
         "Album o Katowicach + wino.", (PERSONAL,)),
    Task("Nordlicht – Entscheidungsvorlage für den Rollout", "11-05", "12-11", "InProgress", 40,
         "Ergebnisse aus Husum und Nordstrand, Kosten für 12 Windparks.", (CUSTOMER,)),
    Task("Zielony Koszyk – projekt umowy", "11-18", "11-27", "InProgress", 30,
         "Start w pierwszym tygodniu grudnia.", (CUSTOMER,)),
    Task("Uzupełnić prognozy w CRM za listopad", "11-18", "11-20", "Completed", 100,
         "Przypomnienie Piotra z listy brightwave-sales.", (INTERNAL,)),
    Task("Raport kwartalny Q4 dla zarządu", "11-23", "12-04", "NotStarted", 0,
         "Wyniki, wygrane/przegrane, prognoza na Q1 2027.", (INTERNAL,)),
)  # fmt: skip


# Appointments and tasks the CRM already tracks when the demo starts, regarding the deals the mail
# is about, so two-way calendar tracking shows without the user making one. They are the CRM's:
# the first sync creates them in Exchange and keeps both sides in step from then on. The
# meetings fall in the week of the quarter's newest mail (the week the demo is opened, once
# app/demo_dates.py has moved it), the tasks are due early in the week after.
TRACKED_ACTIVITIES = (
    {
        "kind": "appointment",
        "subject": "Acme Logistics: warsztat odbiorczy WMS",
        "start": _at("11-24", "10:00"),
        "end": _at("11-24", "12:00"),
        "location": "Acme Logistics, Wrocław",
        "body": "Przegląd harmonogramu wdrożenia z Markiem Wiśniewskim przed podpisaniem umowy.",
        "regarding": {"type": "opportunity", "name": "Acme Logistics – wdrożenie WMS"},
    },
    {
        "kind": "appointment",
        "subject": "Zielony Koszyk: omówienie projektu umowy",
        "start": _at("11-27", "13:00"),
        "end": _at("11-27", "14:00"),
        "location": TEAMS,
        "body": "Projekt umowy na integrację sklepu z ERP, uwagi zarządu.",
        "regarding": {"type": "opportunity", "name": "Zielony Koszyk – integracja sklepu z ERP"},
    },
    {
        "kind": "task",
        "subject": "Wysłać projekt umowy do Zielonego Koszyka",
        "due": "2026-12-01",
        "status": "InProgress",
        "percent_complete": 50,
        "body": "Zarząd zatwierdził budżet; umowa przed startem w pierwszym tygodniu grudnia.",
        "regarding": {"type": "opportunity", "name": "Zielony Koszyk – integracja sklepu z ERP"},
    },
    {
        "kind": "task",
        "subject": "Przygotować harmonogram wdrożenia WMS dla Acme",
        "due": "2026-12-02",
        "status": "NotStarted",
        "percent_complete": 0,
        "body": "Cztery etapy do końca stycznia, jak w ofercie.",
        "regarding": {"type": "opportunity", "name": "Acme Logistics – wdrożenie WMS"},
    },
)
