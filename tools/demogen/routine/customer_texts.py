"""Everyday customer threads in Polish, German and English: status calls, invoices, accounts,
training, service reports, updates, change requests. `{hello}` is the writer's greeting; the
other fields are filled per thread by `customers.py`."""

from __future__ import annotations

from dataclasses import dataclass

US = "us"
THEM = "them"


@dataclass(frozen=True)
class Template:
    """A thread shape: who writes each turn, and on which customers and days it can happen."""

    lang: str
    subject: str
    turns: tuple[tuple[str, str], ...]
    contacts: tuple[str, ...]
    window: tuple[str, str]
    attachment: str | None = None


PL = (
    Template("pl", "Spotkanie statusowe – {date_short}", (
        (US, "{hello}\n\nproponuję krótkie spotkanie statusowe {date_long} o {hour} (Teams).\n"
             "Omówimy postęp prac, otwarte zgłoszenia i plan na kolejne dwa tygodnie."),
        (THEM, "{hello}\n\ntermin pasuje. Dołączy jeszcze osoba z naszego działu IT."),
        (US, "{hello}\n\nświetnie, zaproszenie wysłane."),
    ), ("lukasz.pawlak", "bartosz.michalski", "agata.wrobel"), ("10-05", "11-20")),
    Template("pl", "Faktura {invoice} – pytanie", (
        (THEM, "{hello}\n\notrzymaliśmy fakturę {invoice}. Brakuje na niej numeru naszego "
               "zamówienia, bez którego księgowość nie może jej zatwierdzić.\n"
               "Czy mogą Państwo wystawić korektę?"),
        (US, "{hello}\n\nprzepraszam za kłopot – przekazałam sprawę do działu rozliczeń, "
             "korekta trafi do Państwa jutro."),
        (THEM, "{hello}\n\ndziękuję, korekta dotarła."),
    ), ("grzegorz.nowicki", "bartosz.michalski"), ("09-07", "11-20")),
    Template("pl", "Dostęp do środowiska testowego", (
        (THEM, "{hello}\n\nnowa osoba w naszym zespole, {colleague}, potrzebuje dostępu do "
               "środowiska testowego. Czy mogą Państwo założyć konto?"),
        (US, "{hello}\n\nkonto zostało założone, dane logowania przyjdą osobnym mailem. Hasło "
             "trzeba zmienić przy pierwszym logowaniu."),
    ), ("lukasz.pawlak", "bartosz.michalski", "grzegorz.nowicki"), ("09-14", "11-20")),
    Template("pl", "Szkolenie dla użytkowników – termin", (
        (US, "{hello}\n\nchcemy zorganizować szkolenie dla użytkowników kluczowych. Proponujemy "
             "{date_long} w godz. 9:00–13:00.\nIle osób weźmie udział?"),
        (THEM, "{hello}\n\ntermin pasuje, będzie 8 osób. Czy szkolenie może odbyć się u nas?"),
        (US, "{hello}\n\noczywiście – przyjedziemy do Państwa. Potrzebny będzie rzutnik i "
             "Wi-Fi dla gości."),
    ), ("bartosz.michalski", "grzegorz.nowicki", "joanna.kaczmarek"), ("09-14", "11-20")),
    Template("pl", "Raport SLA za {month}", (
        (US, "{hello}\n\nw załączeniu raport SLA za {month}. Wszystkie zgłoszenia priorytetu 1 "
             "rozwiązaliśmy w terminie; średni czas reakcji wyniósł {minutes} minut."),
        (THEM, "{hello}\n\ndziękuję za raport. Czy w kolejnym mogą Państwo dodać zestawienie "
               "zgłoszeń według modułów?"),
    ), ("grzegorz.nowicki", "bartosz.michalski"), ("10-01", "10-07"), "sla"),
    Template("pl", "Raport SLA za {month}", (
        (US, "{hello}\n\nw załączeniu raport SLA za {month}, tym razem z podziałem na moduły. "
             "Średni czas reakcji: {minutes} minut."),
        (THEM, "{hello}\n\ndziękuję, bez uwag."),
    ), ("grzegorz.nowicki", "bartosz.michalski"), ("11-02", "11-06"), "sla"),
    Template("pl", "Aktualizacja do wersji {version} – okno serwisowe", (
        (US, "{hello}\n\nplanujemy aktualizację systemu do wersji {version} {date_long} "
             "w godz. 18:00–20:00. W tym czasie system będzie niedostępny.\n"
             "Czy ten termin Państwu odpowiada?"),
        (THEM, "{hello}\n\ntermin pasuje, uprzedzimy zespół."),
    ), ("grzegorz.nowicki", "bartosz.michalski"), ("09-14", "11-20")),
    Template("pl", "Rozszerzenie zakresu o {module}", (
        (THEM, "{hello}\n\nchcielibyśmy rozszerzyć zakres o {module}. Czy mogą Państwo "
               "oszacować koszt i termin?"),
        (US, "{hello}\n\ndziękuję – wycenę przygotujemy do końca tygodnia. Czy możemy się "
             "umówić na 30 minut, żeby doprecyzować wymagania?"),
        (THEM, "{hello}\n\ntak, jutro po 13:00 mamy czas."),
    ), ("bartosz.michalski", "grzegorz.nowicki", "agata.wrobel"), ("09-07", "11-20")),
    Template("pl", "Prośba o dokumentację API", (
        (THEM, "{hello}\n\nnasz zespół IT prosi o aktualną dokumentację API (wersja {version}) "
               "oraz przykładowe wywołania dla eksportu zamówień."),
        (US, "{hello}\n\nw załączeniu lista zmian API w wersji {version}; pełna dokumentacja "
             "jest na portalu klienta. W razie pytań chętnie pomoże Katarzyna Wójcik."),
    ), ("lukasz.pawlak", "robert.adamczyk"), ("09-21", "11-20"), "api"),
)  # fmt: skip

DE = (
    Template("de", "Statustermin am {date_short}", (
        (US, "{hello}\n\nfür unseren nächsten Statustermin schlage ich {date_long} um {hour} "
             "Uhr vor (Teams).\nThemen: Fortschritt, offene Tickets und die nächsten zwei "
             "Wochen."),
        (THEM, "{hello}\n\nder Termin passt. Ich bringe einen Kollegen aus der IT mit."),
    ), ("julia.schneider", "florian.weber", "andrea.vogel"), ("10-05", "11-20")),
    Template("de", "Rechnung {invoice} – Rückfrage", (
        (THEM, "{hello}\n\nauf der Rechnung {invoice} fehlt unsere Bestellnummer. Ohne sie kann "
               "unsere Buchhaltung die Rechnung nicht freigeben.\n"
               "Können Sie uns eine korrigierte Rechnung schicken?"),
        (US, "{hello}\n\nentschuldigen Sie bitte – ich habe das an unsere Buchhaltung "
             "weitergegeben, die korrigierte Rechnung kommt morgen."),
        (THEM, "{hello}\n\nvielen Dank, die Korrektur ist angekommen."),
    ), ("klaus.becker", "andrea.vogel"), ("09-07", "11-20")),
    Template("de", "Zugang zur Testumgebung", (
        (THEM, "{hello}\n\nein neuer Kollege, {colleague}, braucht Zugang zur Testumgebung. "
               "Können Sie bitte ein Konto anlegen?"),
        (US, "{hello}\n\ndas Konto ist angelegt, die Zugangsdaten kommen in einer separaten "
             "E-Mail."),
    ), ("florian.weber", "jens.hoffmann", "andrea.vogel"), ("09-28", "11-20")),
    Template("de", "Schulungstermin für Key-User", (
        (US, "{hello}\n\nfür die Key-User-Schulung schlagen wir {date_long} von 9 bis 13 Uhr "
             "vor. Wie viele Teilnehmer planen Sie?"),
        (THEM, "{hello}\n\nder Termin passt, wir sind sechs Personen. Findet die Schulung "
               "online statt?"),
        (US, "{hello}\n\nja, per Teams – die Einladung mit den Unterlagen folgt."),
    ), ("andrea.vogel", "jens.hoffmann"), ("09-14", "11-20")),
    Template("de", "SLA-Bericht {month}", (
        (US, "{hello}\n\nanbei der SLA-Bericht für {month}. Alle Störungen der Priorität 1 "
             "wurden fristgerecht behoben, die mittlere Reaktionszeit lag bei {minutes} "
             "Minuten."),
        (THEM, "{hello}\n\ndanke für den Bericht, keine Rückfragen von unserer Seite."),
    ), ("klaus.becker", "andrea.vogel"), ("10-01", "10-07"), "sla"),
    Template("de", "SLA-Bericht {month}", (
        (US, "{hello}\n\nanbei der SLA-Bericht für {month}; die mittlere Reaktionszeit lag bei "
             "{minutes} Minuten."),
        (THEM, "{hello}\n\nvielen Dank, passt so."),
    ), ("klaus.becker", "andrea.vogel"), ("11-02", "11-06"), "sla"),
    Template("de", "Update auf Version {version} – Wartungsfenster", (
        (US, "{hello}\n\nwir möchten das Update auf Version {version} {date_long} zwischen 18 "
             "und 20 Uhr einspielen. Das System ist in dieser Zeit nicht verfügbar.\n"
             "Passt Ihnen der Termin?"),
        (THEM, "{hello}\n\nja, der Termin passt. Wir informieren die Anwender."),
    ), ("klaus.becker", "andrea.vogel"), ("09-14", "11-20")),
    Template("de", "Änderungsanfrage – Erweiterung um {module}", (
        (THEM, "{hello}\n\nwir möchten den Umfang um {module} erweitern. Können Sie uns "
               "Aufwand und Termin nennen?"),
        (US, "{hello}\n\ndanke – die Schätzung schicken wir bis Freitag. Hätten Sie vorher "
             "30 Minuten Zeit, um die Anforderungen zu klären?"),
    ), ("andrea.vogel", "jens.hoffmann", "klaus.becker"), ("09-07", "11-20")),
)  # fmt: skip

EN = (
    Template("en", "Status call on {date_short}", (
        (US, "{hello}\n\nshall we have our status call on {date_long} at {hour} UK time?\n"
             "Agenda: progress, open questions and the next two weeks."),
        (THEM, "{hello}\n\nworks for me – I'll bring someone from our IT team."),
    ), ("oliver.grant", "hannah.brooks"), ("11-09", "11-20")),
    Template("en", "Invoice {invoice} – query", (
        (THEM, "{hello}\n\ninvoice {invoice} is missing our PO number, so our accounts team "
               "can't approve it.\nCould you send a corrected copy?"),
        (US, "{hello}\n\napologies – I've asked our billing team to reissue it; you'll have it "
             "tomorrow."),
        (THEM, "{hello}\n\nreceived, thank you."),
    ), ("priya.shah", "hannah.brooks"), ("09-07", "11-20")),
    Template("en", "Access to the staging environment", (
        (THEM, "{hello}\n\n{colleague} has just joined our team. Could you set up an account "
               "for the staging environment?"),
        (US, "{hello}\n\ndone – login details follow in a separate email."),
    ), ("oliver.grant", "hannah.brooks"), ("11-09", "11-20")),
    Template("en", "Training session for {audience}", (
        (US, "{hello}\n\nwe'd like to schedule the training session for {audience} on "
             "{date_long}, 9:30–12:30. How many people should we expect?"),
        (THEM, "{hello}\n\nthat date works, we'll have about ten people. Can it be remote?"),
        (US, "{hello}\n\nyes, we'll run it on Teams and send the materials the day before."),
    ), ("oliver.grant", "hannah.brooks"), ("11-09", "11-20")),
    Template("en", "Change request: {module}", (
        (THEM, "{hello}\n\nwe'd like to add {module} to the scope. Could you give us an "
               "estimate?"),
        (US, "{hello}\n\nthanks – we'll send an estimate by Friday. Could we have a 30-minute "
             "call to clarify the requirements?"),
        (THEM, "{hello}\n\nsure, tomorrow after 2pm works."),
    ), ("oliver.grant", "hannah.brooks"), ("09-07", "11-20")),
    Template("en", "Monthly service report – {month}", (
        (US, "{hello}\n\nattached is the service report for {month}. All priority 1 incidents "
             "were resolved within SLA; average response time was {minutes} minutes."),
        (THEM, "{hello}\n\nthanks, all clear on our side."),
    ), ("hannah.brooks",), ("10-01", "10-07"), "sla"),
    Template("en", "Monthly service report – {month}", (
        (US, "{hello}\n\nattached is the service report for {month}; average response time "
             "was {minutes} minutes."),
        (THEM, "{hello}\n\nthanks – could you add the stock-sync errors to next month's "
               "report?"),
    ), ("hannah.brooks",), ("11-02", "11-06"), "sla"),
    Template("en", "Upgrade to version {version} – maintenance window", (
        (US, "{hello}\n\nwe'd like to install version {version} on {date_long} between 6pm and "
             "8pm UK time; the system will be unavailable meanwhile.\nDoes that work for you?"),
        (THEM, "{hello}\n\nthat's fine – the tills close at 5:30pm that day."),
    ), ("hannah.brooks",), ("09-14", "11-20")),
)  # fmt: skip

# How Anna greets each customer, and how each greets her.
GREETINGS = {
    "marek.wisniewski": ("Dzień dobry Panie Marku,", "Dzień dobry Pani Anno,"),
    "joanna.kaczmarek": ("Dzień dobry Pani Joanno,", "Dzień dobry Pani Anno,"),
    "agata.wrobel": ("Pani Agato,", "Pani Anno,"),
    "lukasz.pawlak": ("Panie Łukaszu,", "Dzień dobry,"),
    "ewa.sikora": ("Pani Ewo,", "Pani Anno,"),
    "robert.adamczyk": ("Panie Robercie,", "Dzień dobry Pani Anno,"),
    "grzegorz.nowicki": ("Cześć Grzegorzu,", "Cześć Aniu,"),
    "bartosz.michalski": ("Dzień dobry Panie Bartoszu,", "Dzień dobry Pani Anno,"),
    "klaus.becker": ("Hallo Herr Becker,", "Hallo Frau Nowak,"),
    "jens.hoffmann": ("Hallo Herr Hoffmann,", "Hallo Frau Nowak,"),
    "julia.schneider": ("Hallo Frau Schneider,", "Hallo Frau Nowak,"),
    "florian.weber": ("Hallo Herr Weber,", "Hallo Frau Nowak,"),
    "andrea.vogel": ("Sehr geehrte Frau Vogel,", "Sehr geehrte Frau Nowak,"),
    "oliver.grant": ("Hi Oliver,", "Hi Anna,"),
    "priya.shah": ("Hi Priya,", "Hi Anna,"),
    "hannah.brooks": ("Hi Hannah,", "Hi Anna,"),
}

MODULES = {
    "pl": ("moduł inwentaryzacji ciągłej", "raport rotacji towarów", "obsługę zwrotów",
           "etykiety GS1", "eksport faktur do KSeF"),
    "de": ("ein Modul für Chargenverfolgung", "eine Inventur-App", "Versandetiketten nach GS1",
           "eine Schnittstelle zum Zollsystem"),
    "en": ("click-and-collect", "gift cards", "push notifications", "store stock lookup"),
}  # fmt: skip
COLLEAGUES = {
    "pl": ("pani Monika Szewczyk", "pan Paweł Wrona", "pani Karolina Duda", "pan Michał Sobczak"),
    "de": ("Herr Tim Schäfer", "Herr Lukas Brandt", "Herr Jonas Koch"),
    "en": ("Tom Hughes", "Chloe Evans", "Ben Walsh"),
}
AUDIENCES = ("store managers", "the customer service team")
HOURS = ("9:00", "10:00", "11:30", "13:00", "14:00", "15:30")
