<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Liaison</source>
        <translation>O programie Liaison</translation>
    </message>
    <message>
        <source>Your Exchange mailbox beside your CRM records.</source>
        <translation>Twoja skrzynka Exchange obok rekordów CRM.</translation>
    </message>
    <message>
        <source>Free software under the GNU General Public License, version 3 or any later version (%1). It comes with no warranty.</source>
        <translation>Wolne oprogramowanie na licencji GNU General Public License w wersji 3 lub dowolnej późniejszej (%1). Nie jest objęte żadną gwarancją.</translation>
    </message>
    <message>
        <source>Python %1, Qt %2, profile “%3”</source>
        <translation>Python %1, Qt %2, profil „%3”</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dane</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Dzienniki</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Otwórz</translation>
    </message>
    <message>
        <source>Show this folder in the file manager</source>
        <translation>Pokaż ten folder w menedżerze plików</translation>
    </message>
</context>
<context>
    <name>AccountDialog</name>
    <message>
        <source>Mail account</source>
        <translation>Konto pocztowe</translation>
    </message>
    <message>
        <source>Email address:</source>
        <translation>Adres e-mail:</translation>
    </message>
    <message>
        <source>Exchange Server</source>
        <translation>Exchange Server</translation>
    </message>
    <message>
        <source>Microsoft 365 (sign in with Microsoft)</source>
        <translation>Microsoft 365 (logowanie przez Microsoft)</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Serwer:</translation>
    </message>
    <message>
        <source>Find the server from the address (autodiscover)</source>
        <translation>Znajdź serwer na podstawie adresu (autodiscover)</translation>
    </message>
    <message>
        <source>Use this server:</source>
        <translation>Użyj tego serwera:</translation>
    </message>
    <message>
        <source>the email address, unless the server wants another</source>
        <translation>adres e-mail, chyba że serwer wymaga innej nazwy</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Nazwa użytkownika:</translation>
    </message>
    <message>
        <source>Password (Basic)</source>
        <translation>Hasło (Basic)</translation>
    </message>
    <message>
        <source>Password (NTLM, Windows domain)</source>
        <translation>Hasło (NTLM, domena Windows)</translation>
    </message>
    <message>
        <source>OAuth 2 access token</source>
        <translation>Token dostępu OAuth 2</translation>
    </message>
    <message>
        <source>Sign in with:</source>
        <translation>Logowanie:</translation>
    </message>
    <message>
        <source>unchanged (kept in the system keyring)</source>
        <translation>bez zmian (zapisane w systemowym magazynie haseł)</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Hasło:</translation>
    </message>
    <message>
        <source>Verify the server&apos;s certificate (recommended)</source>
        <translation>Sprawdzaj certyfikat serwera (zalecane)</translation>
    </message>
    <message>
        <source>Without verification anyone between you and the server could read your mail.</source>
        <translation>Bez sprawdzania każdy pośredniczący między Tobą a serwerem mógłby czytać Twoją pocztę.</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Sprawdź połączenie</translation>
    </message>
    <message>
        <source>from your organisation&apos;s app registration</source>
        <translation>z rejestracji aplikacji w Twojej organizacji</translation>
    </message>
    <message>
        <source>Application (client) ID:</source>
        <translation>Identyfikator aplikacji (klienta):</translation>
    </message>
    <message>
        <source>any organisation (or your domain or tenant ID)</source>
        <translation>dowolna organizacja (lub domena, ID dzierżawy)</translation>
    </message>
    <message>
        <source>Tenant:</source>
        <translation>Dzierżawa:</translation>
    </message>
    <message>
        <source>Sign-in address:</source>
        <translation>Adres logowania:</translation>
    </message>
    <message>
        <source>Graph address:</source>
        <translation>Adres Graph:</translation>
    </message>
    <message>
        <source>This profile syncs through Exchange Web Services. Signing in moves it to Microsoft 365 in place: every message, CRM link and waiting change is kept, and no message is downloaded again.</source>
        <translation>Ten profil synchronizuje się przez Exchange Web Services. Logowanie przeniesie go do Microsoft 365 na miejscu: każda wiadomość, powiązanie z CRM i oczekująca zmiana zostają, a żadna wiadomość nie jest pobierana ponownie.</translation>
    </message>
    <message>
        <source>Sign in and move to Microsoft 365</source>
        <translation>Zaloguj się i przenieś do Microsoft 365</translation>
    </message>
    <message>
        <source>Sign in with Microsoft</source>
        <translation>Zaloguj się przez Microsoft</translation>
    </message>
    <message>
        <source>Signed in; the sign-in is kept in the system keyring.</source>
        <translation>Zalogowano; logowanie jest przechowywane w systemowym magazynie kluczy.</translation>
    </message>
    <message>
        <source>Sign in with Microsoft in the browser that opened…</source>
        <translation>Zaloguj się przez Microsoft w otwartej przeglądarce…</translation>
    </message>
    <message>
        <source>%1 folders, %2 mailbox items and %3 appointment and task links kept</source>
        <translation>zachowano folderów: %1, elementów skrzynki: %2, powiązań spotkań i zadań: %3</translation>
    </message>
    <message>
        <source>Moved to Microsoft 365 (%1): save to sync through Microsoft Graph.</source>
        <translation>Przeniesiono do Microsoft 365 (%1): zapisz, aby synchronizować przez Microsoft Graph.</translation>
    </message>
    <message>
        <source>Signed in as %1: save to start syncing.</source>
        <translation>Zalogowano jako %1: zapisz, aby zacząć synchronizację.</translation>
    </message>
    <message>
        <source>Give the server&apos;s address, or choose autodiscover</source>
        <translation>Podaj adres serwera albo wybierz autodiscover</translation>
    </message>
    <message>
        <source>Enter the password</source>
        <translation>Wpisz hasło</translation>
    </message>
    <message>
        <source>Contacting the server…</source>
        <translation>Łączenie z serwerem…</translation>
    </message>
    <message>
        <source>Everything works: save to start syncing.</source>
        <translation>Wszystko działa: zapisz, aby zacząć synchronizację.</translation>
    </message>
    <message>
        <source>Sign in with Microsoft first</source>
        <translation>Najpierw zaloguj się przez Microsoft</translation>
    </message>
    <message>
        <source>Connection checks</source>
        <translation>Sprawdzenia połączenia</translation>
    </message>
    <message>
        <source>Server name</source>
        <translation>Nazwa serwera</translation>
    </message>
    <message>
        <source>Secure connection</source>
        <translation>Bezpieczne połączenie</translation>
    </message>
    <message>
        <source>Sign-in</source>
        <translation>Logowanie</translation>
    </message>
    <message>
        <source>Mailbox</source>
        <translation>Skrzynka</translation>
    </message>
    <message>
        <source>Server version</source>
        <translation>Wersja serwera</translation>
    </message>
</context>
<context>
    <name>ActivityDialog</name>
    <message>
        <source>Delete…</source>
        <translation>Usuń…</translation>
    </message>
    <message>
        <source>Not tracked in the CRM: your changes go to Exchange only. Choose a regarding record to track it.</source>
        <translation>Nieśledzone w CRM: zmiany trafią tylko do Exchange. Wybierz powiązany rekord, aby je śledzić.</translation>
    </message>
    <message>
        <source>Recurring appointment</source>
        <translation>Spotkanie cykliczne</translation>
    </message>
    <message>
        <source>“%1” repeats. Open this occurrence or the series?</source>
        <translation>„%1” się powtarza. Otworzyć to wystąpienie czy całą serię?</translation>
    </message>
    <message>
        <source>This occurrence</source>
        <translation>To wystąpienie</translation>
    </message>
    <message>
        <source>The series</source>
        <translation>Całą serię</translation>
    </message>
    <message>
        <source>Delete task</source>
        <translation>Usuń zadanie</translation>
    </message>
    <message>
        <source>Delete appointment</source>
        <translation>Usuń spotkanie</translation>
    </message>
    <message>
        <source>Delete “%1” from the CRM?</source>
        <translation>Usunąć „%1” z CRM?</translation>
    </message>
    <message>
        <source>It has not reached Exchange yet.</source>
        <translation>Nie trafiło jeszcze do Exchange.</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Delete from the Exchange task list too?</source>
        <translation>Usunąć także z listy zadań w Exchange?</translation>
    </message>
    <message>
        <source>“%1” is deleted from the CRM. Delete from Exchange too: it leaves your task list at the next sync. Keep in Exchange: it stays in your task list, no longer tracked.

As in Dynamics, an open task goes from Exchange too, a completed one stays.</source>
        <translation>„%1” zostanie usunięte z CRM. Usuń także z Exchange: zniknie z listy zadań przy następnej synchronizacji. Zostaw w Exchange: zostanie na liście zadań, ale nie będzie już śledzone.

Jak w Dynamics: otwarte zadanie znika także z Exchange, ukończone zostaje.</translation>
    </message>
    <message>
        <source>Delete from the Exchange calendar too?</source>
        <translation>Usunąć także z kalendarza w Exchange?</translation>
    </message>
    <message>
        <source>“%1” is deleted from the CRM. Delete from Exchange too: it leaves your calendar at the next sync. Keep in Exchange: it stays in your calendar, no longer tracked.

As in Dynamics, an appointment that has not ended goes from Exchange too, a past one stays.</source>
        <translation>„%1” zostanie usunięte z CRM. Usuń także z Exchange: zniknie z kalendarza przy następnej synchronizacji. Zostaw w Exchange: zostanie w kalendarzu, ale nie będzie już śledzone.

Jak w Dynamics: spotkanie, które się jeszcze nie skończyło, znika także z Exchange, minione zostaje.</translation>
    </message>
    <message>
        <source>Delete from Exchange too</source>
        <translation>Usuń także z Exchange</translation>
    </message>
    <message>
        <source>Keep in Exchange</source>
        <translation>Zostaw w Exchange</translation>
    </message>
</context>
<context>
    <name>AddressField</name>
    <message>
        <source>name@example.com; another@example.com</source>
        <translation>nazwa@example.com; inny@example.com</translation>
    </message>
</context>
<context>
    <name>AppointmentDialog</name>
    <message>
        <source>New appointment</source>
        <translation>Nowe spotkanie</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>Spotkanie</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>Cały dzień</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Wolny</translation>
    </message>
    <message>
        <source>Tentative</source>
        <translation>Wstępnie zajęty</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Zajęty</translation>
    </message>
    <message>
        <source>Out of office</source>
        <translation>Poza biurem</translation>
    </message>
    <message>
        <source>Working elsewhere</source>
        <translation>Praca w innym miejscu</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Brak</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Temat:</translation>
    </message>
    <message>
        <source>Start:</source>
        <translation>Początek:</translation>
    </message>
    <message>
        <source>End:</source>
        <translation>Koniec:</translation>
    </message>
    <message>
        <source>At the start</source>
        <translation>W chwili rozpoczęcia</translation>
    </message>
    <message numerus="yes">
        <source>%n week(s) before</source>
        <translation>
            <numerusform>%n tydzień wcześniej</numerusform>
            <numerusform>%n tygodnie wcześniej</numerusform>
            <numerusform>%n tygodni wcześniej</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s) before</source>
        <translation>
            <numerusform>%n dzień wcześniej</numerusform>
            <numerusform>%n dni wcześniej</numerusform>
            <numerusform>%n dni wcześniej</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s) before</source>
        <translation>
            <numerusform>%n godzinę wcześniej</numerusform>
            <numerusform>%n godziny wcześniej</numerusform>
            <numerusform>%n godzin wcześniej</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s) before</source>
        <translation>
            <numerusform>%n minutę wcześniej</numerusform>
            <numerusform>%n minuty wcześniej</numerusform>
            <numerusform>%n minut wcześniej</numerusform>
        </translation>
    </message>
    <message>
        <source>Only the occurrence of %1 changes; open the series to change the rest.</source>
        <translation>Zmieni się tylko wystąpienie: %1. Resztę zmienisz, otwierając całą serię.</translation>
    </message>
    <message>
        <source>Delete occurrence</source>
        <translation>Usuń wystąpienie</translation>
    </message>
    <message>
        <source>Attendees (%1)</source>
        <translation>Uczestnicy (%1)</translation>
    </message>
    <message>
        <source>Repeat: %1</source>
        <translation>Cykl: %1</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>Cykl</translation>
    </message>
    <message>
        <source>Location:</source>
        <translation>Miejsce:</translation>
    </message>
    <message>
        <source>Appointment occurrence</source>
        <translation>Wystąpienie spotkania</translation>
    </message>
    <message>
        <source>Time zone:</source>
        <translation>Strefa czasowa:</translation>
    </message>
    <message>
        <source>Show as:</source>
        <translation>Pokaż jako:</translation>
    </message>
    <message>
        <source>Reminder:</source>
        <translation>Przypomnienie:</translation>
    </message>
    <message>
        <source>Regarding:</source>
        <translation>Dotyczy:</translation>
    </message>
    <message>
        <source>Give the appointment a subject.</source>
        <translation>Nadaj spotkaniu temat.</translation>
    </message>
    <message>
        <source>The appointment ends before it starts.</source>
        <translation>Spotkanie kończy się, zanim się zacznie.</translation>
    </message>
</context>
<context>
    <name>AttendeesField</name>
    <message>
        <source>Add someone: a name from the CRM or an address</source>
        <translation>Dodaj osobę: nazwa z CRM albo adres e-mail</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Dodaj</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>Attendance</source>
        <translation>Udział</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>Odpowiedź</translation>
    </message>
    <message>
        <source>“%1” is neither someone in the CRM nor an address.</source>
        <translation>„%1” to ani osoba z CRM, ani adres e-mail.</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>Wymagany</translation>
    </message>
    <message>
        <source>Optional</source>
        <translation>Opcjonalny</translation>
    </message>
    <message>
        <source>Room or resource</source>
        <translation>Sala lub zasób</translation>
    </message>
    <message>
        <source>No answer yet</source>
        <translation>Brak odpowiedzi</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Przyjęte</translation>
    </message>
    <message>
        <source>Tentative</source>
        <translation>Wstępnie przyjęte</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Odrzucone</translation>
    </message>
    <message>
        <source>Organizer</source>
        <translation>Organizator</translation>
    </message>
</context>
<context>
    <name>AttentionBar</name>
    <message>
        <source>Account…</source>
        <translation>Konto…</translation>
    </message>
</context>
<context>
    <name>BackForward</name>
    <message>
        <source>Back</source>
        <translation>Wstecz</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Dalej</translation>
    </message>
</context>
<context>
    <name>CalendarGrid</name>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>Today</source>
        <translation>Dziś</translation>
    </message>
    <message>
        <source>Previous (Alt+Left)</source>
        <translation>Wstecz (Alt+Lewo)</translation>
    </message>
    <message>
        <source>Next (Alt+Right)</source>
        <translation>Dalej (Alt+Prawo)</translation>
    </message>
    <message>
        <source>Go to a date</source>
        <translation>Przejdź do daty</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Dzień</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Tydzień</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Miesiąc</translation>
    </message>
    <message>
        <source>New appointment</source>
        <translation>Nowe spotkanie</translation>
    </message>
    <message>
        <source>Track…</source>
        <translation>Śledź…</translation>
    </message>
    <message>
        <source>Track the selected appointment regarding a record</source>
        <translation>Śledź zaznaczone spotkanie jako powiązane z rekordem</translation>
    </message>
    <message>
        <source>Double-click a free time to add an appointment.</source>
        <translation>Kliknij dwukrotnie wolny termin, aby dodać spotkanie.</translation>
    </message>
    <message>
        <source>all day</source>
        <translation>cały dzień</translation>
    </message>
    <message>
        <source>repeats</source>
        <translation>powtarza się</translation>
    </message>
    <message>
        <source>no regarding record</source>
        <translation>bez powiązanego rekordu</translation>
    </message>
    <message>
        <source>Tracked, regarding %1</source>
        <translation>Śledzone, dotyczy: %1</translation>
    </message>
    <message>
        <source>Not tracked</source>
        <translation>Nieśledzone</translation>
    </message>
    <message>
        <source>Choose a day</source>
        <translation>Wybierz dzień</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
</context>
<context>
    <name>ComposeAttachments</name>
    <message>
        <source>Attach…</source>
        <translation>Załącz…</translation>
    </message>
    <message>
        <source>Attach files (or drop them on this window)</source>
        <translation>Załącz pliki (albo upuść je na to okno)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Attach files</source>
        <translation>Załącz pliki</translation>
    </message>
    <message>
        <source>(unnamed attachment)</source>
        <translation>(załącznik bez nazwy)</translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s), %1</source>
        <translation>
            <numerusform>%n załącznik, %1</numerusform>
            <numerusform>%n załączniki, %1</numerusform>
            <numerusform>%n załączników, %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ComposeDialog</name>
    <message>
        <source>New email</source>
        <translation>Nowa wiadomość</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Do:</translation>
    </message>
    <message>
        <source>Cc:</source>
        <translation>DW:</translation>
    </message>
    <message>
        <source>Bcc:</source>
        <translation>UDW:</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Temat:</translation>
    </message>
    <message>
        <source>CRM:</source>
        <translation>CRM:</translation>
    </message>
    <message>
        <source>Save draft</source>
        <translation>Zapisz wersję roboczą</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>Śledź</translation>
    </message>
    <message>
        <source>Track this email in the CRM: it gets a tracking token in its subject, so replies are tracked too</source>
        <translation>Śledź tę wiadomość w CRM: dostaje token śledzenia w temacie, więc odpowiedzi też są śledzone</translation>
    </message>
    <message>
        <source>Regarding:</source>
        <translation>Dotyczy:</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Wyślij</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formatowanie</translation>
    </message>
    <message>
        <source>Bold</source>
        <translation>Pogrubienie</translation>
    </message>
    <message>
        <source>Italic</source>
        <translation>Kursywa</translation>
    </message>
    <message>
        <source>Bulleted list</source>
        <translation>Lista punktowana</translation>
    </message>
    <message>
        <source>Link…</source>
        <translation>Łącze…</translation>
    </message>
    <message>
        <source>A reply to tracked mail: tracked like it, with its tracking token.</source>
        <translation>Odpowiedź na śledzoną wiadomość: śledzona tak jak ona, z jej tokenem śledzenia.</translation>
    </message>
    <message>
        <source>Your settings track every email you write.</source>
        <translation>Twoje ustawienia śledzą każdą wiadomość, którą piszesz.</translation>
    </message>
    <message>
        <source>Tracked regarding the record chosen.</source>
        <translation>Śledzona w powiązaniu z wybranym rekordem.</translation>
    </message>
    <message>
        <source>Not tracked unless you tick Track or choose the record it is regarding.</source>
        <translation>Nieśledzona, chyba że zaznaczysz „Śledź” albo wybierzesz rekord, którego dotyczy.</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>Łącze</translation>
    </message>
    <message>
        <source>Address of the link:</source>
        <translation>Adres łącza:</translation>
    </message>
    <message>
        <source>The message is %1 as sent; the server accepts at most %2. Attach fewer or smaller files, or share a link instead.</source>
        <translation>Wysyłana wiadomość ma %1; serwer przyjmuje najwyżej %2. Załącz mniej lub mniejsze pliki albo udostępnij łącze.</translation>
    </message>
    <message>
        <source>Add at least one recipient.</source>
        <translation>Dodaj co najmniej jednego odbiorcę.</translation>
    </message>
    <message>
        <source>Give the message a subject.</source>
        <translation>Nadaj wiadomości temat.</translation>
    </message>
    <message>
        <source>Saved in Drafts.</source>
        <translation>Zapisano w Wersjach roboczych.</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <source>Save this message in Drafts before closing?</source>
        <translation>Zapisać tę wiadomość w Wersjach roboczych przed zamknięciem?</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Treść wiadomości</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Liaison: an unexpected problem</source>
        <translation>Liaison: nieoczekiwany problem</translation>
    </message>
    <message>
        <source>Liaison ran into a problem it did not expect. Your work is safe: what you saved, and every change waiting to be sent, stays in your profile and goes out with the next sync. If Liaison behaves oddly from now on, quit and start it again.</source>
        <translation>Liaison napotkał problem, którego się nie spodziewał. Twoja praca jest bezpieczna: to, co zapisano, i każda zmiana czekająca na wysłanie zostają w profilu i wyjdą przy następnej synchronizacji. Jeśli Liaison będzie się teraz zachowywać dziwnie, zamknij go i uruchom ponownie.</translation>
    </message>
    <message>
        <source>The details are in the log: %1</source>
        <translation>Szczegóły są w dzienniku: %1</translation>
    </message>
    <message>
        <source>The details could not be written to a log.</source>
        <translation>Szczegółów nie udało się zapisać w dzienniku.</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>Kopiuj szczegóły</translation>
    </message>
    <message>
        <source>Show details</source>
        <translation>Pokaż szczegóły</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Otwórz folder dzienników</translation>
    </message>
    <message>
        <source>Hide details</source>
        <translation>Ukryj szczegóły</translation>
    </message>
</context>
<context>
    <name>CrmPane</name>
    <message>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Dlaczego</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Osoby</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Akcje</translation>
    </message>
    <message>
        <source>Convert to</source>
        <translation>Przekształć w</translation>
    </message>
    <message>
        <source>No message selected</source>
        <translation>Nie wybrano wiadomości</translation>
    </message>
    <message>
        <source>Regarding %1</source>
        <translation>Dotyczy: %1</translation>
    </message>
    <message>
        <source>No regarding record: linked through its people</source>
        <translation>Bez powiązanego rekordu: połączona przez osoby</translation>
    </message>
    <message>
        <source>Tracked; the mark reaches the server at the next sync</source>
        <translation>Śledzona; znacznik trafi na serwer przy następnej synchronizacji</translation>
    </message>
    <message>
        <source>Tracked</source>
        <translation>Śledzona</translation>
    </message>
    <message>
        <source>To be tracked at the next sync</source>
        <translation>Zostanie śledzona przy następnej synchronizacji</translation>
    </message>
    <message>
        <source>Could not be tracked; the sync log says why</source>
        <translation>Nie udało się śledzić; przyczyna jest w dzienniku synchronizacji</translation>
    </message>
    <message>
        <source>Not tracked; the server hears of it at the next sync</source>
        <translation>Nieśledzona; serwer dowie się o tym przy następnej synchronizacji</translation>
    </message>
    <message>
        <source>Not tracked</source>
        <translation>Nieśledzona</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Cc</source>
        <translation>DW</translation>
    </message>
    <message>
        <source>unknown to the CRM</source>
        <translation>nieznany w CRM</translation>
    </message>
    <message>
        <source>Create a CRM record for %1</source>
        <translation>Utwórz rekord CRM dla %1</translation>
    </message>
    <message>
        <source>Create Contact</source>
        <translation>Utwórz kontakt</translation>
    </message>
    <message>
        <source>Create Lead</source>
        <translation>Utwórz potencjalnego klienta</translation>
    </message>
    <message>
        <source>Regarding record</source>
        <translation>Rekord, którego dotyczy</translation>
    </message>
</context>
<context>
    <name>DatabaseProblemDialog</name>
    <message>
        <source>Liaison: a database needs mending</source>
        <translation>Liaison: baza danych wymaga naprawy</translation>
    </message>
    <message>
        <source>Choose a backup to put back. What changed after it was made is lost; the file it replaces is kept in the backups folder.</source>
        <translation>Wybierz kopię zapasową do przywrócenia. Zmiany wprowadzone po jej wykonaniu przepadną; zastępowany plik zostanie zachowany w folderze kopii zapasowych.</translation>
    </message>
    <message>
        <source>There is no backup of it. You can start it afresh, empty: what it held is lost. The file itself is kept in the backups folder.</source>
        <translation>Nie ma jej kopii zapasowej. Możesz założyć ją od nowa, pustą: jej dotychczasowa zawartość przepadnie. Sam plik zostanie zachowany w folderze kopii zapasowych.</translation>
    </message>
    <message>
        <source>Restore from backup</source>
        <translation>Przywróć z kopii zapasowej</translation>
    </message>
    <message>
        <source>Start afresh…</source>
        <translation>Zacznij od nowa…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>The database %1 is damaged (SQLite says: %2). Liaison cannot open your profile until it is mended.</source>
        <translation>Baza danych %1 jest uszkodzona (komunikat SQLite: %2). Liaison nie otworzy Twojego profilu, dopóki nie zostanie naprawiona.</translation>
    </message>
    <message>
        <source>The database %1 is missing or empty, though this profile made it on %2. Liaison does not start it afresh on its own, or what it held would be lost without a word.</source>
        <translation>Brakuje bazy danych %1 albo jest ona pusta, choć ten profil utworzył ją %2. Liaison nie zakłada jej od nowa na własną rękę, bo jej zawartość przepadłaby bez słowa.</translation>
    </message>
    <message>
        <source>%1 (schema %2, %3)</source>
        <translation>%1 (schemat %2, %3)</translation>
    </message>
    <message>
        <source>%1 (schema %2)</source>
        <translation>%1 (schemat %2)</translation>
    </message>
    <message>
        <source>Start the database afresh, empty? What it held is lost (the file is kept in the backups folder).</source>
        <translation>Założyć bazę danych od nowa, pustą? Jej zawartość przepadnie (plik zostanie zachowany w folderze kopii zapasowych).</translation>
    </message>
</context>
<context>
    <name>DisqualifyDialog</name>
    <message>
        <source>Disqualify lead: %1</source>
        <translation>Zdyskwalifikuj potencjalnego klienta: %1</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Powód</translation>
    </message>
    <message>
        <source>The lead is closed and kept, with its activities.</source>
        <translation>Potencjalny klient zostanie zamknięty i zachowany razem ze swoimi działaniami.</translation>
    </message>
    <message>
        <source>Disqualify</source>
        <translation>Zdyskwalifikuj</translation>
    </message>
</context>
<context>
    <name>DuplicateDialog</name>
    <message>
        <source>Check before saving</source>
        <translation>Sprawdź przed zapisaniem</translation>
    </message>
    <message>
        <source>Duplicates detected</source>
        <translation>Wykryto duplikaty</translation>
    </message>
    <message>
        <source>A lead should not carry a customer&apos;s address without anyone noticing:</source>
        <translation>Potencjalny klient nie powinien niepostrzeżenie mieć adresu, który ma już klient:</translation>
    </message>
    <message>
        <source>This record may be in the CRM already:</source>
        <translation>Ten rekord może już być w CRM:</translation>
    </message>
    <message>
        <source>Open the existing record, or save this one anyway?</source>
        <translation>Otworzyć istniejący rekord czy mimo to zapisać ten?</translation>
    </message>
    <message>
        <source>Open existing</source>
        <translation>Otwórz istniejący</translation>
    </message>
    <message>
        <source>Save anyway</source>
        <translation>Zapisz mimo to</translation>
    </message>
    <message>
        <source>Matching records</source>
        <translation>Pasujące rekordy</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong that Liaison did not expect: %1.</source>
        <translation>Wystąpił nieoczekiwany błąd: %1.</translation>
    </message>
    <message>
        <source>The details are in %1.</source>
        <translation>Szczegóły są w %1.</translation>
    </message>
</context>
<context>
    <name>FirstStartPage</name>
    <message>
        <source>Welcome to Liaison</source>
        <translation>Witaj w Liaison</translation>
    </message>
    <message>
        <source>Your Exchange mailbox beside your CRM. Connect your mailbox, or look around in a demo mailbox with its own CRM first: nothing leaves this computer.</source>
        <translation>Twoja skrzynka Exchange obok CRM. Połącz swoją skrzynkę albo najpierw rozejrzyj się w skrzynce demonstracyjnej z własnym CRM: nic nie opuszcza tego komputera.</translation>
    </message>
    <message>
        <source>Set up an account…</source>
        <translation>Skonfiguruj konto…</translation>
    </message>
    <message>
        <source>Open the demo mailbox</source>
        <translation>Otwórz skrzynkę demonstracyjną</translation>
    </message>
</context>
<context>
    <name>FolderTrackingMenu</name>
    <message>
        <source>Track this folder regarding…</source>
        <translation>Śledź ten folder, ustawiając „Dotyczy”…</translation>
    </message>
    <message>
        <source>Stop tracking this folder</source>
        <translation>Przestań śledzić ten folder</translation>
    </message>
    <message>
        <source>Tracks its mail regarding %1 %2</source>
        <translation>Śledzi swoją pocztę; dotyczy: %1 %2</translation>
    </message>
    <message>
        <source>Track this folder</source>
        <translation>Śledzenie folderu</translation>
    </message>
    <message>
        <source>Track “%1” regarding</source>
        <translation>Śledź „%1”, ustawiając „Dotyczy”</translation>
    </message>
    <message>
        <source>“%1” tracks its mail regarding %2 from the next sync.</source>
        <translation>Od następnej synchronizacji folder „%1” śledzi swoją pocztę; dotyczy: %2.</translation>
    </message>
    <message>
        <source>“%1” no longer tracks its mail; what it tracked stays tracked.</source>
        <translation>Folder „%1” nie śledzi już swojej poczty; to, co śledził, pozostaje śledzone.</translation>
    </message>
    <message>
        <source>Only folders inside the Inbox can track their mail, as in Dynamics 365, and “%1” is not inside the Inbox. Move it into the Inbox first, then track it.</source>
        <translation>Jak w Dynamics 365, swoją pocztę mogą śledzić tylko foldery wewnątrz folderu Odebrane, a „%1” w nim nie leży. Najpierw przenieś go do folderu Odebrane, potem włącz śledzenie.</translation>
    </message>
    <message>
        <source>At most %1 folders can track their mail, as in Dynamics 365, and that many do already. Stop tracking one of them first: right-click it, Stop tracking this folder.</source>
        <translation>Jak w Dynamics 365, swoją pocztę może śledzić najwyżej %1 folderów i tyle już to robi. Najpierw wyłącz śledzenie jednego z nich: kliknij go prawym przyciskiem i wybierz „Przestań śledzić ten folder”.</translation>
    </message>
</context>
<context>
    <name>Folders</name>
    <message>
        <source>Inbox</source>
        <translation>Odebrane</translation>
    </message>
    <message>
        <source>Sent Items</source>
        <translation>Wysłane</translation>
    </message>
    <message>
        <source>Drafts</source>
        <translation>Wersje robocze</translation>
    </message>
    <message>
        <source>Deleted Items</source>
        <translation>Usunięte</translation>
    </message>
    <message>
        <source>Junk Email</source>
        <translation>Wiadomości-śmieci</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Skrzynka nadawcza</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Zadania</translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Account</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Lead</source>
        <translation>Potencjalny klient</translation>
    </message>
    <message>
        <source>Opportunity</source>
        <translation>Szansa sprzedaży</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Użytkownik</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Kolejka</translation>
    </message>
    <message>
        <source>Not tracked: it is a draft</source>
        <translation>Nieśledzona: to wersja robocza</translation>
    </message>
    <message>
        <source>Not tracked: marked private or confidential</source>
        <translation>Nieśledzona: oznaczona jako prywatna lub poufna</translation>
    </message>
    <message>
        <source>Not tracked: on your never-track list</source>
        <translation>Nieśledzona: na Twojej liście „nigdy nie śledź”</translation>
    </message>
    <message>
        <source>Linked to the activity already tracked for this message</source>
        <translation>Połączona z działaniem już śledzonym dla tej wiadomości</translation>
    </message>
    <message>
        <source>A reply to tracked email</source>
        <translation>Odpowiedź na śledzoną wiadomość</translation>
    </message>
    <message>
        <source>Carries the tracking token of tracked email</source>
        <translation>Zawiera token śledzenia śledzonej wiadomości</translation>
    </message>
    <message>
        <source>In a conversation with tracked email</source>
        <translation>W konwersacji ze śledzoną wiadomością</translation>
    </message>
    <message>
        <source>Same subject and people as tracked email</source>
        <translation>Ten sam temat i osoby co śledzona wiadomość</translation>
    </message>
    <message>
        <source>You track all messages</source>
        <translation>Śledzisz wszystkie wiadomości</translation>
    </message>
    <message>
        <source>The sender is a CRM lead, contact or account</source>
        <translation>Nadawca to potencjalny klient, kontakt lub firma w CRM</translation>
    </message>
    <message>
        <source>The sender is an email-enabled CRM record</source>
        <translation>Nadawca to rekord CRM z adresem e-mail</translation>
    </message>
    <message>
        <source>Not tracked: no rule of your options applies</source>
        <translation>Nieśledzona: żadna reguła Twoich opcji nie pasuje</translation>
    </message>
    <message>
        <source>Tracked by hand</source>
        <translation>Śledzona ręcznie</translation>
    </message>
    <message>
        <source>Untracked by hand: automatic rules leave it alone</source>
        <translation>Śledzenie wyłączone ręcznie: reguły automatyczne jej nie ruszą</translation>
    </message>
    <message>
        <source>Untracked in another mail client (category removed)</source>
        <translation>Śledzenie wyłączone w innym programie pocztowym (usunięto kategorię)</translation>
    </message>
    <message>
        <source>Tracking failed several times; the sync log says why</source>
        <translation>Śledzenie kilkakrotnie się nie udało; przyczyna jest w dzienniku synchronizacji</translation>
    </message>
    <message>
        <source>Tracking failed; the next sync tries again</source>
        <translation>Śledzenie się nie udało; następna synchronizacja spróbuje ponownie</translation>
    </message>
    <message>
        <source>Not evaluated yet: the next sync decides</source>
        <translation>Jeszcze nieoceniona: zdecyduje następna synchronizacja</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Dziś</translation>
    </message>
    <message>
        <source>Tomorrow</source>
        <translation>Jutro</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Wczoraj</translation>
    </message>
</context>
<context>
    <name>HelpDialog</name>
    <message>
        <source>Liaison help</source>
        <translation>Pomoc Liaison</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Przewodnik</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Skróty klawiszowe</translation>
    </message>
</context>
<context>
    <name>Launch</name>
    <message>
        <source>Liaison is already open on this profile but does not answer. Close that window, or end Liaison in the task manager if it does not close, then start Liaison again.</source>
        <translation>Liaison jest już otwarty na tym profilu, ale nie odpowiada. Zamknij to okno albo, jeśli się nie zamyka, zakończ Liaison w menedżerze zadań, a potem uruchom Liaison ponownie.</translation>
    </message>
</context>
<context>
    <name>MailCommands</name>
    <message>
        <source>Reply</source>
        <translation>Odpowiedz</translation>
    </message>
    <message>
        <source>Reply to the sender</source>
        <translation>Odpowiedz nadawcy</translation>
    </message>
    <message>
        <source>Reply All</source>
        <translation>Odpowiedz wszystkim</translation>
    </message>
    <message>
        <source>Reply to the sender and everyone else who received it</source>
        <translation>Odpowiedz nadawcy i wszystkim pozostałym odbiorcom</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Prześlij dalej</translation>
    </message>
    <message>
        <source>Forward the message, with its attachments</source>
        <translation>Prześlij wiadomość dalej, z jej załącznikami</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Move to Deleted Items</source>
        <translation>Przenieś do Elementów usuniętych</translation>
    </message>
    <message>
        <source>Delete for good…</source>
        <translation>Usuń trwale…</translation>
    </message>
    <message>
        <source>Delete without keeping a copy in Deleted Items</source>
        <translation>Usuń bez zostawiania kopii w Elementach usuniętych</translation>
    </message>
    <message>
        <source>Move to folder…</source>
        <translation>Przenieś do folderu…</translation>
    </message>
    <message>
        <source>Move to another folder (or drag the message onto a folder)</source>
        <translation>Przenieś do innego folderu (albo przeciągnij wiadomość na folder)</translation>
    </message>
    <message>
        <source>Copy to folder…</source>
        <translation>Kopiuj do folderu…</translation>
    </message>
    <message>
        <source>Copy to another folder (or drag with Ctrl held)</source>
        <translation>Kopiuj do innego folderu (albo przeciągnij z wciśniętym Ctrl)</translation>
    </message>
    <message>
        <source>Flag</source>
        <translation>Flaga</translation>
    </message>
    <message>
        <source>Flag for follow-up</source>
        <translation>Oflaguj do dalszych działań</translation>
    </message>
    <message>
        <source>Mark complete</source>
        <translation>Oznacz jako ukończone</translation>
    </message>
    <message>
        <source>Mark the follow-up flag complete</source>
        <translation>Oznacz flagę jako ukończoną</translation>
    </message>
    <message>
        <source>Clear flag</source>
        <translation>Wyczyść flagę</translation>
    </message>
    <message>
        <source>Mark as read</source>
        <translation>Oznacz jako przeczytane</translation>
    </message>
    <message>
        <source>Mark as unread</source>
        <translation>Oznacz jako nieprzeczytane</translation>
    </message>
    <message>
        <source>Junk</source>
        <translation>Wiadomość-śmieć</translation>
    </message>
    <message>
        <source>Move to Junk Email; the sender&apos;s next mail goes there too</source>
        <translation>Przenieś do folderu Wiadomości-śmieci; kolejna poczta od nadawcy też tam trafi</translation>
    </message>
    <message>
        <source>Not junk</source>
        <translation>To nie jest wiadomość-śmieć</translation>
    </message>
    <message>
        <source>Move back to the Inbox and trust the sender</source>
        <translation>Przenieś z powrotem do Skrzynki odbiorczej i ufaj nadawcy</translation>
    </message>
    <message>
        <source>“%1” goes out with the next sync.</source>
        <translation>„%1” zostanie wysłana przy następnej synchronizacji.</translation>
    </message>
    <message>
        <source>Saved in Drafts.</source>
        <translation>Zapisano w Wersjach roboczych.</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) deleted.</source>
        <translation>
            <numerusform>Usunięto %n wiadomość.</numerusform>
            <numerusform>Usunięto %n wiadomości.</numerusform>
            <numerusform>Usunięto %n wiadomości.</numerusform>
        </translation>
    </message>
    <message>
        <source>Delete for good</source>
        <translation>Usuń trwale</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n message(s) for good? They do not go to Deleted Items and cannot be brought back.</source>
        <translation>
            <numerusform>Usunąć trwale %n wiadomość? Nie trafi do Elementów usuniętych i nie da się jej przywrócić.</numerusform>
            <numerusform>Usunąć trwale %n wiadomości? Nie trafią do Elementów usuniętych i nie da się ich przywrócić.</numerusform>
            <numerusform>Usunąć trwale %n wiadomości? Nie trafią do Elementów usuniętych i nie da się ich przywrócić.</numerusform>
        </translation>
    </message>
    <message>
        <source>Copy to folder</source>
        <translation>Kopiuj do folderu</translation>
    </message>
    <message>
        <source>Move to folder</source>
        <translation>Przenieś do folderu</translation>
    </message>
    <message>
        <source>Copy the message(s) to:</source>
        <translation>Kopiuj wiadomości do:</translation>
    </message>
    <message>
        <source>Move the message(s) to:</source>
        <translation>Przenieś wiadomości do:</translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) copied to %1.</source>
        <translation>
            <numerusform>Skopiowano %n wiadomość do: %1.</numerusform>
            <numerusform>Skopiowano %n wiadomości do: %1.</numerusform>
            <numerusform>Skopiowano %n wiadomości do: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) moved to %1.</source>
        <translation>
            <numerusform>Przeniesiono %n wiadomość do: %1.</numerusform>
            <numerusform>Przeniesiono %n wiadomości do: %1.</numerusform>
            <numerusform>Przeniesiono %n wiadomości do: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) moved to Junk Email.</source>
        <translation>
            <numerusform>Przeniesiono %n wiadomość do Wiadomości-śmieci.</numerusform>
            <numerusform>Przeniesiono %n wiadomości do Wiadomości-śmieci.</numerusform>
            <numerusform>Przeniesiono %n wiadomości do Wiadomości-śmieci.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n message(s) moved back to the Inbox.</source>
        <translation>
            <numerusform>Przeniesiono %n wiadomość z powrotem do Skrzynki odbiorczej.</numerusform>
            <numerusform>Przeniesiono %n wiadomości z powrotem do Skrzynki odbiorczej.</numerusform>
            <numerusform>Przeniesiono %n wiadomości z powrotem do Skrzynki odbiorczej.</numerusform>
        </translation>
    </message>
    <message>
        <source>Save attachment</source>
        <translation>Zapisz załącznik</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Zapisano %1</translation>
    </message>
    <message>
        <source>Save all attachments in</source>
        <translation>Zapisz wszystkie załączniki w</translation>
    </message>
    <message numerus="yes">
        <source>%n attachment(s) saved in %1</source>
        <translation>
            <numerusform>Zapisano %n załącznik w %1</numerusform>
            <numerusform>Zapisano %n załączniki w %1</numerusform>
            <numerusform>Zapisano %n załączników w %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Sync now</source>
        <translation>Synchronizuj</translation>
    </message>
    <message>
        <source>Send and receive now</source>
        <translation>Wyślij i odbierz teraz</translation>
    </message>
    <message>
        <source>New email</source>
        <translation>Nowa wiadomość</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>Śledź</translation>
    </message>
    <message>
        <source>Track this message in the CRM</source>
        <translation>Śledź tę wiadomość w CRM</translation>
    </message>
    <message>
        <source>Set Regarding…</source>
        <translation>Ustaw „Dotyczy”…</translation>
    </message>
    <message>
        <source>Choose the CRM record this message is about</source>
        <translation>Wybierz rekord CRM, którego dotyczy ta wiadomość</translation>
    </message>
    <message>
        <source>Untrack</source>
        <translation>Nie śledź</translation>
    </message>
    <message>
        <source>Stop tracking this message; you choose whether its CRM activity stays</source>
        <translation>Przestań śledzić tę wiadomość; zdecydujesz, czy jej działanie w CRM zostaje</translation>
    </message>
    <message>
        <source>Create Contact</source>
        <translation>Utwórz kontakt</translation>
    </message>
    <message>
        <source>Create Lead</source>
        <translation>Utwórz potencjalnego klienta</translation>
    </message>
    <message>
        <source>Open record</source>
        <translation>Otwórz rekord</translation>
    </message>
    <message>
        <source>Convert to Lead…</source>
        <translation>Przekształć w potencjalnego klienta…</translation>
    </message>
    <message>
        <source>Create a lead from this email&apos;s sender and set the email regarding it</source>
        <translation>Utwórz potencjalnego klienta z nadawcy tej wiadomości i powiąż z nim wiadomość</translation>
    </message>
    <message>
        <source>Convert to Opportunity…</source>
        <translation>Przekształć w szansę sprzedaży…</translation>
    </message>
    <message>
        <source>Create an opportunity from this email and set the email regarding it</source>
        <translation>Utwórz szansę sprzedaży z tej wiadomości i powiąż z nią wiadomość</translation>
    </message>
    <message>
        <source>Options…</source>
        <translation>Opcje…</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Szukaj</translation>
    </message>
    <message>
        <source>Sync history…</source>
        <translation>Historia synchronizacji…</translation>
    </message>
    <message>
        <source>Each sync: what it did, its failures and its conflicts</source>
        <translation>Każda synchronizacja: co zrobiła, jej błędy i konflikty</translation>
    </message>
    <message>
        <source>Account…</source>
        <translation>Konto…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Zakończ</translation>
    </message>
    <message>
        <source>Mail</source>
        <translation>Poczta</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Zadania</translation>
    </message>
    <message>
        <source>Show as conversations</source>
        <translation>Pokaż jako konwersacje</translation>
    </message>
    <message>
        <source>Group the message list by conversation, the newest conversation first</source>
        <translation>Grupuj listę wiadomości według konwersacji, najnowsza konwersacja pierwsza</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>Główny pasek narzędzi</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <source>&amp;Message</source>
        <translation>&amp;Wiadomość</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>Wi&amp;dok</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Przejdź</translation>
    </message>
    <message>
        <source>&amp;CRM</source>
        <translation>&amp;CRM</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Narzędzia</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>P&amp;omoc</translation>
    </message>
    <message>
        <source>About Liaison</source>
        <translation>O programie Liaison</translation>
    </message>
    <message>
        <source>The mail server&apos;s certificate cannot be trusted, so Liaison does not send it your mail. Check the account&apos;s server address, or ask your administrator.</source>
        <translation>Certyfikatowi serwera poczty nie można zaufać, więc Liaison nie wysyła do niego Twojej poczty. Sprawdź adres serwera w koncie albo zapytaj administratora.</translation>
    </message>
    <message>
        <source>The server let you sign in but refused access to the mailbox. Check the account&apos;s address, or ask your administrator for access.</source>
        <translation>Serwer pozwolił się zalogować, ale odmówił dostępu do skrzynki. Sprawdź adres konta albo poproś administratora o dostęp.</translation>
    </message>
    <message>
        <source>Moving this profile to Microsoft 365 did not finish. Open the account and sign in and move again: nothing is lost, and nothing is downloaded again.</source>
        <translation>Przenoszenie tego profilu do Microsoft 365 nie zostało dokończone. Otwórz konto, zaloguj się i przenieś ponownie: nic nie zginie i nic nie zostanie pobrane ponownie.</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>Pracuję…</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Zapisano: %1</translation>
    </message>
    <message>
        <source>Once saved, the email is regarding it.</source>
        <translation>Po zapisaniu wiadomość zostanie z nim powiązana.</translation>
    </message>
    <message>
        <source>The email is regarding %1 now</source>
        <translation>Wiadomość jest teraz powiązana z: %1</translation>
    </message>
    <message>
        <source>“%1” deleted from the CRM; it leaves your Exchange calendar at the next sync.</source>
        <translation>Usunięto „%1” z CRM; zniknie z kalendarza w Exchange przy następnej synchronizacji.</translation>
    </message>
    <message>
        <source>“%1” deleted from the CRM; it leaves your Exchange task list at the next sync.</source>
        <translation>Usunięto „%1” z CRM; zniknie z listy zadań w Exchange przy następnej synchronizacji.</translation>
    </message>
    <message>
        <source>“%1” deleted from the CRM; it stays in your Exchange calendar, no longer tracked.</source>
        <translation>Usunięto „%1” z CRM; zostaje w kalendarzu w Exchange, już nieśledzone.</translation>
    </message>
    <message>
        <source>“%1” deleted from the CRM; it stays in your Exchange task list, no longer tracked.</source>
        <translation>Usunięto „%1” z CRM; zostaje na liście zadań w Exchange, już nieśledzone.</translation>
    </message>
    <message>
        <source>“%1” deleted from the CRM.</source>
        <translation>Usunięto „%1” z CRM.</translation>
    </message>
    <message>
        <source>Options saved; the next sync applies them.</source>
        <translation>Opcje zapisane; zastosuje je następna synchronizacja.</translation>
    </message>
    <message>
        <source>User guide</source>
        <translation>Przewodnik</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Skróty klawiszowe</translation>
    </message>
    <message>
        <source>Liaison cannot sign in to your mailbox: the password or access was refused, or no password is saved. Check the account to sync again.</source>
        <translation>Liaison nie może zalogować się do Twojej skrzynki: serwer odrzucił hasło lub dostęp albo hasło nie jest zapisane. Sprawdź konto, aby znów synchronizować.</translation>
    </message>
</context>
<context>
    <name>MessageList</name>
    <message>
        <source>Search messages</source>
        <translation>Szukaj wiadomości</translation>
    </message>
    <message>
        <source>Current folder</source>
        <translation>Bieżący folder</translation>
    </message>
    <message>
        <source>All folders</source>
        <translation>Wszystkie foldery</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Wiadomości</translation>
    </message>
    <message>
        <source>Search in: %1</source>
        <translation>Szukaj w: %1</translation>
    </message>
    <message>
        <source>Search all folders (Ctrl+E)</source>
        <translation>Szukaj we wszystkich folderach (Ctrl+E)</translation>
    </message>
    <message>
        <source>Search this folder (Ctrl+E)</source>
        <translation>Szukaj w tym folderze (Ctrl+E)</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Temat</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Otrzymano</translation>
    </message>
    <message>
        <source>Regarding</source>
        <translation>Dotyczy</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Folder</translation>
    </message>
    <message>
        <source>Tracked in the CRM</source>
        <translation>Śledzona w CRM</translation>
    </message>
    <message>
        <source>Follow-up flag</source>
        <translation>Flaga</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
    <message numerus="yes">
        <source>Conversation of %n message(s)</source>
        <translation>
            <numerusform>Konwersacja z %n wiadomością</numerusform>
            <numerusform>Konwersacja z %n wiadomościami</numerusform>
            <numerusform>Konwersacja z %n wiadomościami</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n nieprzeczytana</numerusform>
            <numerusform>%n nieprzeczytane</numerusform>
            <numerusform>%n nieprzeczytanych</numerusform>
        </translation>
    </message>
    <message>
        <source>expanded</source>
        <translation>rozwinięta</translation>
    </message>
    <message>
        <source>collapsed</source>
        <translation>zwinięta</translation>
    </message>
    <message>
        <source>Tracked</source>
        <translation>Śledzona</translation>
    </message>
    <message>
        <source>Tracked, waiting to be marked on the server</source>
        <translation>Śledzona, czeka na oznaczenie na serwerze</translation>
    </message>
    <message>
        <source>Could not be tracked; see the CRM pane</source>
        <translation>Nie udało się śledzić; zobacz panel CRM</translation>
    </message>
    <message>
        <source>Not tracked</source>
        <translation>Nieśledzona</translation>
    </message>
    <message>
        <source>Flagged for follow-up</source>
        <translation>Oflagowana do dalszych działań</translation>
    </message>
    <message>
        <source>Flag completed</source>
        <translation>Flaga ukończona</translation>
    </message>
    <message>
        <source>Not flagged</source>
        <translation>Bez flagi</translation>
    </message>
</context>
<context>
    <name>MonthGrid</name>
    <message>
        <source>+%1 more</source>
        <translation>jeszcze %1</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
</context>
<context>
    <name>NavigationTree</name>
    <message>
        <source>Mail</source>
        <translation>Poczta</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Zadania</translation>
    </message>
    <message>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Firmy</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakty</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>Potencjalni klienci</translation>
    </message>
    <message>
        <source>Opportunities</source>
        <translation>Szanse sprzedaży</translation>
    </message>
    <message numerus="yes">
        <source>%n unread</source>
        <translation>
            <numerusform>%n nieprzeczytana</numerusform>
            <numerusform>%n nieprzeczytane</numerusform>
            <numerusform>%n nieprzeczytanych</numerusform>
        </translation>
    </message>
    <message>
        <source>Tracks its mail regarding %1</source>
        <translation>Śledzi swoją pocztę; dotyczy: %1</translation>
    </message>
    <message>
        <source>Folders and lists</source>
        <translation>Foldery i listy</translation>
    </message>
</context>
<context>
    <name>OptionsDialog</name>
    <message>
        <source>Options</source>
        <translation>Opcje</translation>
    </message>
    <message>
        <source>Track these email messages automatically</source>
        <translation>Automatycznie śledź te wiadomości e-mail</translation>
    </message>
    <message>
        <source>All messages</source>
        <translation>Wszystkie wiadomości</translation>
    </message>
    <message>
        <source>Only responses to CRM email</source>
        <translation>Tylko odpowiedzi na wiadomości z CRM</translation>
    </message>
    <message>
        <source>Messages whose sender is a CRM lead, contact or account</source>
        <translation>Wiadomości, których nadawca jest potencjalnym klientem, kontaktem lub firmą w CRM</translation>
    </message>
    <message>
        <source>Messages whose sender is any email-enabled CRM record (users, queues, etc.)</source>
        <translation>Wiadomości, których nadawca jest dowolnym rekordem CRM z adresem e-mail (użytkownicy, kolejki itp.)</translation>
    </message>
    <message>
        <source>Also evaluate the messages I send</source>
        <translation>Oceniaj też wysyłane przeze mnie wiadomości</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Reguły</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Wyłączone</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakty</translation>
    </message>
    <message>
        <source>Leads</source>
        <translation>Potencjalni klienci</translation>
    </message>
    <message>
        <source>Create records for unknown senders:</source>
        <translation>Twórz rekordy dla nieznanych nadawców:</translation>
    </message>
    <message>
        <source>Never track private or confidential messages</source>
        <translation>Nigdy nie śledź wiadomości prywatnych ani poufnych</translation>
    </message>
    <message>
        <source>one per line: someone@example.com or @example.com</source>
        <translation>po jednym w wierszu: ktos@example.com lub @example.com</translation>
    </message>
    <message>
        <source>Never track these addresses and domains:</source>
        <translation>Nigdy nie śledź tych adresów i domen:</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>Co śledzić</translation>
    </message>
    <message>
        <source>Mail</source>
        <translation>Poczta</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Ogólne</translation>
    </message>
    <message>
        <source> min</source>
        <translation> min</translation>
    </message>
    <message>
        <source>Sync every:</source>
        <translation>Synchronizuj co:</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>Czytanie</translation>
    </message>
    <message>
        <source>Mark messages read after showing them for</source>
        <translation>Oznaczaj wiadomości jako przeczytane po wyświetlaniu przez</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Podpis</translation>
    </message>
    <message>
        <source>Added to new messages, replies and forwards, above the quoted text, as Outlook adds it.</source>
        <translation>Dodawany do nowych wiadomości, odpowiedzi i przekazywanych dalej, nad cytowanym tekstem, tak jak w Outlooku.</translation>
    </message>
    <message>
        <source>Your name, company and phone number</source>
        <translation>Imię i nazwisko, firma i numer telefonu</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Język systemu</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Język:</translation>
    </message>
    <message>
        <source>Like the system</source>
        <translation>Jak w systemie</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Jasny</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Ciemny</translation>
    </message>
    <message>
        <source>Appearance:</source>
        <translation>Wygląd:</translation>
    </message>
    <message>
        <source>Changes apply from the next sync. Messages tracked before stay tracked.</source>
        <translation>Zmiany obowiązują od następnej synchronizacji. Wcześniej śledzone wiadomości pozostają śledzone.</translation>
    </message>
</context>
<context>
    <name>QualifyDialog</name>
    <message>
        <source>Qualify lead: %1</source>
        <translation>Zakwalifikuj potencjalnego klienta: %1</translation>
    </message>
    <message>
        <source>Qualifying makes a customer of the lead: an account for its company, a contact for its person and an opportunity for the sale. The lead is then closed.</source>
        <translation>Kwalifikacja zamienia potencjalnego klienta w klienta: powstaje firma dla jego przedsiębiorstwa, kontakt dla osoby i szansa sprzedaży. Potencjalny klient zostaje następnie zamknięty.</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Create the account “%1”</source>
        <translation>Utwórz firmę „%1”</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Create the contact “%1”</source>
        <translation>Utwórz kontakt „%1”</translation>
    </message>
    <message>
        <source>Create an opportunity</source>
        <translation>Utwórz szansę sprzedaży</translation>
    </message>
    <message>
        <source>Qualify</source>
        <translation>Zakwalifikuj</translation>
    </message>
    <message>
        <source>The lead&apos;s activities will be regarding the new opportunity.</source>
        <translation>Działania potencjalnego klienta zostaną powiązane z nową szansą sprzedaży.</translation>
    </message>
    <message>
        <source>The lead&apos;s activities will be regarding the contact.</source>
        <translation>Działania potencjalnego klienta zostaną powiązane z kontaktem.</translation>
    </message>
    <message>
        <source>The lead&apos;s activities will be regarding the account.</source>
        <translation>Działania potencjalnego klienta zostaną powiązane z firmą.</translation>
    </message>
    <message>
        <source>The lead&apos;s activities stay regarding the lead.</source>
        <translation>Działania pozostaną powiązane z potencjalnym klientem.</translation>
    </message>
</context>
<context>
    <name>ReadingPane</name>
    <message>
        <source>Select a message to read it.</source>
        <translation>Wybierz wiadomość, aby ją przeczytać.</translation>
    </message>
    <message>
        <source>Load images</source>
        <translation>Wczytaj obrazy</translation>
    </message>
    <message>
        <source>Fetch this message&apos;s pictures from the internet; the sender may learn you read it</source>
        <translation>Pobierz obrazy tej wiadomości z internetu; nadawca może się dowiedzieć, że ją czytasz</translation>
    </message>
    <message>
        <source>Attachments</source>
        <translation>Załączniki</translation>
    </message>
    <message>
        <source>Double-click to open; right-click to save</source>
        <translation>Kliknij dwukrotnie, aby otworzyć; prawym przyciskiem, aby zapisać</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
    <message>
        <source>From: %1</source>
        <translation>Od: %1</translation>
    </message>
    <message>
        <source>From: (unknown sender)</source>
        <translation>Od: (nieznany nadawca)</translation>
    </message>
    <message>
        <source>To: %1</source>
        <translation>Do: %1</translation>
    </message>
    <message>
        <source>Cc: %1</source>
        <translation>DW: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n picture(s) from the internet not shown, to protect your privacy.</source>
        <translation>
            <numerusform>Nie pokazano %n obrazu z internetu, aby chronić Twoją prywatność.</numerusform>
            <numerusform>Nie pokazano %n obrazów z internetu, aby chronić Twoją prywatność.</numerusform>
            <numerusform>Nie pokazano %n obrazów z internetu, aby chronić Twoją prywatność.</numerusform>
        </translation>
    </message>
    <message>
        <source>The body of this message is downloaded at the next sync.</source>
        <translation>Treść tej wiadomości zostanie pobrana przy następnej synchronizacji.</translation>
    </message>
    <message>
        <source>(unnamed attachment)</source>
        <translation>(załącznik bez nazwy)</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Otwórz</translation>
    </message>
    <message>
        <source>Save as…</source>
        <translation>Zapisz jako…</translation>
    </message>
    <message>
        <source>Save all attachments…</source>
        <translation>Zapisz wszystkie załączniki…</translation>
    </message>
    <message>
        <source>Message text</source>
        <translation>Treść wiadomości</translation>
    </message>
</context>
<context>
    <name>RecordFormDialog</name>
    <message>
        <source>New %1</source>
        <translation>Nowy rekord: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Fields marked * are required.</source>
        <translation>Pola oznaczone * są wymagane.</translation>
    </message>
    <message>
        <source>%1 is the address of a company or a department, not of a person: it is kept on an account.</source>
        <translation>%1 to adres firmy lub działu, a nie osoby: zostanie zapisany przy firmie.</translation>
    </message>
    <message>
        <source>No date</source>
        <translation>Bez daty</translation>
    </message>
    <message>
        <source>name@company.com; another@company.com</source>
        <translation>imie@firma.pl; inny@firma.pl</translation>
    </message>
    <message>
        <source>No account</source>
        <translation>Bez firmy</translation>
    </message>
    <message>
        <source>Choose an account</source>
        <translation>Wybierz firmę</translation>
    </message>
    <message>
        <source>Find an account by name, address or place:</source>
        <translation>Znajdź firmę po nazwie, adresie e-mail lub mieście:</translation>
    </message>
    <message>
        <source>No contact</source>
        <translation>Bez kontaktu</translation>
    </message>
    <message>
        <source>Choose a contact</source>
        <translation>Wybierz kontakt</translation>
    </message>
    <message>
        <source>Find a contact by name or address:</source>
        <translation>Znajdź kontakt po nazwisku lub adresie e-mail:</translation>
    </message>
    <message>
        <source>Some fields need another look.</source>
        <translation>Niektóre pola trzeba poprawić.</translation>
    </message>
</context>
<context>
    <name>RecordListModel</name>
    <message>
        <source>Place</source>
        <translation>Miejscowość</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message>
        <source>Activities</source>
        <translation>Działania</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Activity</source>
        <translation>Działanie</translation>
    </message>
    <message>
        <source>Regarding</source>
        <translation>Dotyczy</translation>
    </message>
    <message>
        <source>Double-click or press Enter to open the item</source>
        <translation>Kliknij dwukrotnie lub naciśnij Enter, aby otworzyć element</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Kto</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Zmiana</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Historia</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Edytuj</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Qualify</source>
        <translation>Zakwalifikuj</translation>
    </message>
    <message>
        <source>Disqualify</source>
        <translation>Zdyskwalifikuj</translation>
    </message>
    <message>
        <source>No record selected</source>
        <translation>Nie wybrano rekordu</translation>
    </message>
    <message>
        <source>(no name)</source>
        <translation>(bez nazwy)</translation>
    </message>
    <message>
        <source>%1 (inactive)</source>
        <translation>%1 (nieaktywny)</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Właściciel</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
    <message>
        <source>%1 (untracked)</source>
        <translation>%1 (nieśledzona)</translation>
    </message>
    <message>
        <source>No activities yet</source>
        <translation>Brak działań</translation>
    </message>
    <message>
        <source>(unknown)</source>
        <translation>(nieznany)</translation>
    </message>
    <message>
        <source>No changes recorded yet</source>
        <translation>Nie zapisano jeszcze żadnych zmian</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Otwórz</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>Otwórz: %1</translation>
    </message>
</context>
<context>
    <name>RecordWords</name>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Salutation</source>
        <translation>Zwrot grzecznościowy</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>Imię</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Nazwisko</translation>
    </message>
    <message>
        <source>Suffix</source>
        <translation>Przyrostek</translation>
    </message>
    <message>
        <source>Email</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Website</source>
        <translation>Strona WWW</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>Telefon komórkowy</translation>
    </message>
    <message>
        <source>City</source>
        <translation>Miasto</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Contact</source>
        <translation>Kontakt</translation>
    </message>
    <message>
        <source>Job title</source>
        <translation>Stanowisko</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Firma</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>Temat</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Estimated value</source>
        <translation>Szacowana wartość</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>Waluta</translation>
    </message>
    <message>
        <source>Close date</source>
        <translation>Data zamknięcia</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Etap</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>Prawdopodobieństwo</translation>
    </message>
    <message>
        <source>Qualify</source>
        <translation>Kwalifikacja</translation>
    </message>
    <message>
        <source>Develop</source>
        <translation>Rozwój</translation>
    </message>
    <message>
        <source>Propose</source>
        <translation>Propozycja</translation>
    </message>
    <message>
        <source>Negotiate</source>
        <translation>Negocjacje</translation>
    </message>
    <message>
        <source>Won</source>
        <translation>Wygrano</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Utracono</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nowy</translation>
    </message>
    <message>
        <source>Contacted</source>
        <translation>Skontaktowano się</translation>
    </message>
    <message>
        <source>Qualified</source>
        <translation>Zakwalifikowany</translation>
    </message>
    <message>
        <source>Cannot contact</source>
        <translation>Nie można nawiązać kontaktu</translation>
    </message>
    <message>
        <source>No longer interested</source>
        <translation>Już nie jest zainteresowany</translation>
    </message>
    <message>
        <source>Canceled</source>
        <translation>Anulowano</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Wymagane.</translation>
    </message>
    <message>
        <source>Too long.</source>
        <translation>Za długie.</translation>
    </message>
    <message>
        <source>Not an email address (name@company.com).</source>
        <translation>To nie jest adres e-mail (imie@firma.pl).</translation>
    </message>
    <message>
        <source>The same address is given twice.</source>
        <translation>Ten sam adres podano dwa razy.</translation>
    </message>
    <message>
        <source>Not a phone number (digits, spaces, + - ( ) /).</source>
        <translation>To nie jest numer telefonu (cyfry, spacje, + - ( ) /).</translation>
    </message>
    <message>
        <source>Not a web address (company.com).</source>
        <translation>To nie jest adres strony (firma.pl).</translation>
    </message>
    <message>
        <source>Not an amount (like 480 000,00).</source>
        <translation>To nie jest kwota (np. 480 000,00).</translation>
    </message>
    <message>
        <source>A currency code is three letters, like PLN or EUR.</source>
        <translation>Kod waluty to trzy litery, np. PLN lub EUR.</translation>
    </message>
    <message>
        <source>Not a date.</source>
        <translation>To nie jest data.</translation>
    </message>
    <message>
        <source>A percentage from 0 to 100.</source>
        <translation>Wartość procentowa od 0 do 100.</translation>
    </message>
    <message>
        <source>Not one of the choices.</source>
        <translation>Tego nie ma wśród możliwych wartości.</translation>
    </message>
    <message>
        <source>That record is no longer in the CRM.</source>
        <translation>Tego rekordu nie ma już w CRM.</translation>
    </message>
    <message>
        <source>Not a field of this record.</source>
        <translation>Ten rekord nie ma takiego pola.</translation>
    </message>
    <message>
        <source>%1 is this contact&apos;s address: the person is a customer already.</source>
        <translation>%1 to adres tego kontaktu: ta osoba jest już klientem.</translation>
    </message>
    <message>
        <source>Has the address %1.</source>
        <translation>Ma adres %1.</translation>
    </message>
    <message>
        <source>Has the same name.</source>
        <translation>Ma takie samo imię i nazwisko lub nazwę.</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Utworzono</translation>
    </message>
    <message>
        <source>%1: %2 → %3</source>
        <translation>%1: %2 → %3</translation>
    </message>
    <message>
        <source>%1: %2 kept aside by a merge; %3 kept</source>
        <translation>%1: przy scalaniu odłożono %2, zachowano %3</translation>
    </message>
    <message>
        <source>Disqualified: %1</source>
        <translation>Zdyskwalifikowano: %1</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Search names and addresses</source>
        <translation>Szukaj nazw i adresów</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Delete %1 %2?</source>
        <translation>Usunąć rekord %2 (%1)?</translation>
    </message>
    <message numerus="yes">
        <source>%n tracked email(s) stay in the CRM, regarding nothing.</source>
        <translation>
            <numerusform>%n śledzona wiadomość zostaje w CRM, niepowiązana z żadnym rekordem.</numerusform>
            <numerusform>%n śledzone wiadomości zostają w CRM, niepowiązane z żadnym rekordem.</numerusform>
            <numerusform>%n śledzonych wiadomości zostaje w CRM, niepowiązanych z żadnym rekordem.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n appointment(s) stay in the CRM, regarding nothing.</source>
        <translation>
            <numerusform>%n spotkanie zostaje w CRM, niepowiązane z żadnym rekordem.</numerusform>
            <numerusform>%n spotkania zostają w CRM, niepowiązane z żadnym rekordem.</numerusform>
            <numerusform>%n spotkań zostaje w CRM, niepowiązanych z żadnym rekordem.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) stay in the CRM, regarding nothing.</source>
        <translation>
            <numerusform>%n zadanie zostaje w CRM, niepowiązane z żadnym rekordem.</numerusform>
            <numerusform>%n zadania zostają w CRM, niepowiązane z żadnym rekordem.</numerusform>
            <numerusform>%n zadań zostaje w CRM, niepowiązanych z żadnym rekordem.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n activity(ies) keep the address, which no record will have.</source>
        <translation>
            <numerusform>%n działanie zachowuje adres, którego nie będzie miał żaden rekord.</numerusform>
            <numerusform>%n działania zachowują adres, którego nie będzie miał żaden rekord.</numerusform>
            <numerusform>%n działań zachowuje adres, którego nie będzie miał żaden rekord.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n contact(s) stay, without an account.</source>
        <translation>
            <numerusform>%n kontakt zostaje, bez firmy.</numerusform>
            <numerusform>%n kontakty zostają, bez firmy.</numerusform>
            <numerusform>%n kontaktów zostaje, bez firmy.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n opportunity(ies) stay, without an account.</source>
        <translation>
            <numerusform>%n szansa sprzedaży zostaje, bez firmy.</numerusform>
            <numerusform>%n szanse sprzedaży zostają, bez firmy.</numerusform>
            <numerusform>%n szans sprzedaży zostaje, bez firmy.</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing is linked to it.</source>
        <translation>Nic nie jest z nim powiązane.</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>Nowa firma</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Nowy kontakt</translation>
    </message>
    <message>
        <source>New lead</source>
        <translation>Nowy potencjalny klient</translation>
    </message>
    <message>
        <source>New opportunity</source>
        <translation>Nowa szansa sprzedaży</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nowy</translation>
    </message>
    <message>
        <source>Search records</source>
        <translation>Szukaj rekordów</translation>
    </message>
    <message>
        <source>Records</source>
        <translation>Rekordy</translation>
    </message>
</context>
<context>
    <name>RecurrenceEditor</name>
    <message>
        <source>Does not repeat</source>
        <translation>Nie powtarza się</translation>
    </message>
    <message>
        <source>Daily</source>
        <translation>Codziennie</translation>
    </message>
    <message>
        <source>Weekly</source>
        <translation>Co tydzień</translation>
    </message>
    <message>
        <source>Monthly</source>
        <translation>Co miesiąc</translation>
    </message>
    <message>
        <source>Yearly</source>
        <translation>Co rok</translation>
    </message>
    <message>
        <source>every</source>
        <translation>co</translation>
    </message>
    <message>
        <source>on</source>
        <comment>weekdays</comment>
        <translation>w dni:</translation>
    </message>
    <message>
        <source>Ends:</source>
        <translation>Koniec:</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nigdy</translation>
    </message>
    <message>
        <source>on</source>
        <comment>date</comment>
        <translation>dnia</translation>
    </message>
    <message>
        <source>after</source>
        <translation>po</translation>
    </message>
    <message>
        <source>on day</source>
        <translation>dnia</translation>
    </message>
    <message>
        <source>on the</source>
        <translation>w</translation>
    </message>
    <message>
        <source>first</source>
        <translation>pierwszy</translation>
    </message>
    <message>
        <source>second</source>
        <translation>drugi</translation>
    </message>
    <message>
        <source>third</source>
        <translation>trzeci</translation>
    </message>
    <message>
        <source>fourth</source>
        <translation>czwarty</translation>
    </message>
    <message>
        <source>last</source>
        <translation>ostatni</translation>
    </message>
    <message>
        <source>day</source>
        <translation>dzień</translation>
    </message>
    <message>
        <source>weekday</source>
        <translation>dzień roboczy</translation>
    </message>
    <message>
        <source>weekend day</source>
        <translation>dzień weekendu</translation>
    </message>
    <message>
        <source>of</source>
        <translation>w miesiącu</translation>
    </message>
    <message numerus="yes">
        <source>day(s)</source>
        <translation>
            <numerusform>dzień</numerusform>
            <numerusform>dni</numerusform>
            <numerusform>dni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>week(s)</source>
        <translation>
            <numerusform>tydzień</numerusform>
            <numerusform>tygodnie</numerusform>
            <numerusform>tygodni</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>month(s)</source>
        <translation>
            <numerusform>miesiąc</numerusform>
            <numerusform>miesiące</numerusform>
            <numerusform>miesięcy</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>time(s)</source>
        <translation>
            <numerusform>wystąpieniu</numerusform>
            <numerusform>wystąpieniach</numerusform>
            <numerusform>wystąpieniach</numerusform>
        </translation>
    </message>
    <message>
        <source>The occurrences changed or deleted one by one go back to the series: the pattern changed.</source>
        <translation>Wystąpienia zmienione lub usunięte pojedynczo wrócą do serii, bo zmienił się cykl.</translation>
    </message>
</context>
<context>
    <name>RegardingDialog</name>
    <message>
        <source>Set Regarding</source>
        <translation>Ustaw „Dotyczy”</translation>
    </message>
    <message>
        <source>Find an account, contact, lead or opportunity:</source>
        <translation>Znajdź firmę, kontakt, potencjalnego klienta lub szansę sprzedaży:</translation>
    </message>
    <message>
        <source>Name, email address or company</source>
        <translation>Nazwa, adres e-mail lub firma</translation>
    </message>
    <message>
        <source>Type to search; ↑ ↓ to choose; Enter to set.</source>
        <translation>Pisz, aby szukać; ↑ ↓ wybiera; Enter ustawia.</translation>
    </message>
    <message>
        <source>Nothing matches “%1”.</source>
        <translation>Nic nie pasuje do „%1”.</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es) shown; Enter sets the highlighted one.</source>
        <translation>
            <numerusform>%n wynik; Enter ustawia zaznaczony.</numerusform>
            <numerusform>%n wyniki; Enter ustawia zaznaczony.</numerusform>
            <numerusform>%n wyników; Enter ustawia zaznaczony.</numerusform>
        </translation>
    </message>
    <message>
        <source>Records found</source>
        <translation>Znalezione rekordy</translation>
    </message>
</context>
<context>
    <name>RegardingField</name>
    <message>
        <source>No regarding record</source>
        <translation>Bez powiązanego rekordu</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wybierz…</translation>
    </message>
    <message>
        <source>Choose the CRM record this is about</source>
        <translation>Wybierz rekord CRM, którego to dotyczy</translation>
    </message>
</context>
<context>
    <name>SyncHistoryDialog</name>
    <message>
        <source>Sync history</source>
        <translation>Historia synchronizacji</translation>
    </message>
    <message>
        <source>Only syncs with conflicts or failures</source>
        <translation>Tylko synchronizacje z konfliktami lub błędami</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Odśwież</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Kiedy</translation>
    </message>
    <message>
        <source>Took</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Pulled</source>
        <translation>Pobrane</translation>
    </message>
    <message>
        <source>Tracked</source>
        <translation>Śledzone</translation>
    </message>
    <message>
        <source>Marks</source>
        <translation>Znaczniki</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Wysłane</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalendarz</translation>
    </message>
    <message>
        <source>Conflicts</source>
        <translation>Konflikty</translation>
    </message>
    <message>
        <source>Given up</source>
        <translation>Porzucone</translation>
    </message>
    <message>
        <source>When the sync started</source>
        <translation>Kiedy zaczęła się synchronizacja</translation>
    </message>
    <message>
        <source>How long it took</source>
        <translation>Ile trwała</translation>
    </message>
    <message>
        <source>How it ended</source>
        <translation>Jak się skończyła</translation>
    </message>
    <message>
        <source>Changes pulled from and pushed to Exchange</source>
        <translation>Zmiany pobrane z Exchange i wysłane do niego</translation>
    </message>
    <message>
        <source>Messages tracked</source>
        <translation>Wiadomości objęte śledzeniem</translation>
    </message>
    <message>
        <source>Tracking marks written on Exchange</source>
        <translation>Znaczniki śledzenia zapisane w Exchange</translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation>Wysłane wiadomości</translation>
    </message>
    <message>
        <source>Appointments and tasks changed</source>
        <translation>Zmienione spotkania i zadania</translation>
    </message>
    <message>
        <source>Fields both sides changed</source>
        <translation>Pola zmienione po obu stronach</translation>
    </message>
    <message>
        <source>Changes given up after repeated failures</source>
        <translation>Zmiany porzucone po kolejnych nieudanych próbach</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Element</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Pole</translation>
    </message>
    <message>
        <source>CRM value</source>
        <translation>Wartość w CRM</translation>
    </message>
    <message>
        <source>Exchange value</source>
        <translation>Wartość w Exchange</translation>
    </message>
    <message>
        <source>Kept</source>
        <translation>Zachowana</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Godzina</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Przyczyna</translation>
    </message>
    <message>
        <source>What happened</source>
        <translation>Co się stało</translation>
    </message>
    <message>
        <source>Use the other value</source>
        <translation>Użyj drugiej wartości</translation>
    </message>
    <message>
        <source>Use the value the conflict rule did not keep; the next sync carries it to Exchange</source>
        <translation>Użyj wartości, której reguła konfliktów nie zachowała; następna synchronizacja przeniesie ją do Exchange</translation>
    </message>
    <message>
        <source>Reading the sync history…</source>
        <translation>Wczytywanie historii synchronizacji…</translation>
    </message>
    <message>
        <source>No sync has run yet.</source>
        <translation>Nie było jeszcze żadnej synchronizacji.</translation>
    </message>
    <message numerus="yes">
        <source>The newest %n sync(s)</source>
        <translation>
            <numerusform>Ostatnia synchronizacja</numerusform>
            <numerusform>Ostatnie %n synchronizacje</numerusform>
            <numerusform>Ostatnich %n synchronizacji</numerusform>
        </translation>
    </message>
    <message>
        <source>The sync history cannot be read: %1</source>
        <translation>Nie można odczytać historii synchronizacji: %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Gotowe</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Przerwana</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>Wymaga uwagi</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>Choose a sync to see what it did.</source>
        <translation>Wybierz synchronizację, aby zobaczyć, co zrobiła.</translation>
    </message>
    <message>
        <source>Conflicts (%1)</source>
        <translation>Konflikty (%1)</translation>
    </message>
    <message>
        <source>Failures (%1)</source>
        <translation>Błędy (%1)</translation>
    </message>
    <message>
        <source>Notes (%1)</source>
        <translation>Uwagi (%1)</translation>
    </message>
    <message>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>Exchange</translation>
    </message>
    <message>
        <source>%1 (by hand)</source>
        <translation>%1 (ręcznie)</translation>
    </message>
    <message>
        <source>The other value was used by hand on %1</source>
        <translation>Drugą wartość wybrano ręcznie: %1</translation>
    </message>
    <message>
        <source>The conflict rule kept this side&apos;s value</source>
        <translation>Reguła konfliktów zachowała wartość z tej strony</translation>
    </message>
    <message>
        <source>Deleted on Exchange; the CRM activity stays, no longer linked, and is not put back on Exchange.</source>
        <translation>Usunięte w Exchange; działanie w CRM zostaje, już niepowiązane, i nie wraca do Exchange.</translation>
    </message>
    <message>
        <source>The tracking category was taken off on Exchange; the CRM activity stays, no longer linked.</source>
        <translation>W Exchange zdjęto kategorię śledzenia; działanie w CRM zostaje, już niepowiązane.</translation>
    </message>
    <message>
        <source>Deleted in the CRM, and on Exchange too.</source>
        <translation>Usunięte w CRM, a także w Exchange.</translation>
    </message>
    <message>
        <source>Deleted in the CRM; the Exchange item stays, no longer tracked.</source>
        <translation>Usunięte w CRM; element w Exchange zostaje, już nieśledzony.</translation>
    </message>
    <message>
        <source>Deleted in the CRM before it reached Exchange.</source>
        <translation>Usunięte w CRM, zanim trafiło do Exchange.</translation>
    </message>
    <message>
        <source>The other value of %1 is used by hand: %2</source>
        <translation>Ręcznie wybrano drugą wartość pola %1: %2</translation>
    </message>
    <message>
        <source>Exchange no longer knew where sync had got to in this folder; it was read again from the start, and nothing cached was deleted.</source>
        <translation>Exchange nie pamiętał już, dokąd doszła synchronizacja tego folderu; odczytano go od początku i niczego nie usunięto z pamięci podręcznej.</translation>
    </message>
    <message>
        <source>The message left the mailbox before its mark was written; its activity stays in the CRM.</source>
        <translation>Wiadomość zniknęła ze skrzynki, zanim zapisano na niej znacznik; jej działanie zostaje w CRM.</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Temat</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Początek</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Koniec</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>Cały dzień</translation>
    </message>
    <message>
        <source>Location</source>
        <translation>Miejsce</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
    <message>
        <source>Recurrence</source>
        <translation>Cykl</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Completed on</source>
        <translation>Data ukończenia</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>% complete</source>
        <translation>% ukończenia</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorytet</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(puste)</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Tak</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>a recurring series</source>
        <translation>seria cykliczna</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nierozpoczęte</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>W toku</translation>
    </message>
    <message>
        <source>Waiting on others</source>
        <translation>Czeka na innych</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>Odłożone</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Ukończone</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niski</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normalny</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Wysoki</translation>
    </message>
    <message>
        <source>“%1” takes the other value of %2; the next sync carries it to Exchange.</source>
        <translation>„%1” przyjmuje drugą wartość pola %2; następna synchronizacja przeniesie ją do Exchange.</translation>
    </message>
    <message>
        <source>Sync runs</source>
        <translation>Synchronizacje</translation>
    </message>
    <message>
        <source>Failures</source>
        <translation>Niepowodzenia</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>Last sync %1</source>
        <translation>Ostatnia synchronizacja: %1</translation>
    </message>
    <message>
        <source>Never synced</source>
        <translation>Jeszcze nie synchronizowano</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Synchronizacja…</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Needs your attention</source>
        <translation>Wymaga Twojej uwagi</translation>
    </message>
    <message>
        <source>No mail account</source>
        <translation>Brak konta pocztowego</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Łączenie…</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n zmiana czeka</numerusform>
            <numerusform>%n zmiany czekają</numerusform>
            <numerusform>%n zmian czeka</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) to send</source>
        <translation>
            <numerusform>%n zmiana do wysłania</numerusform>
            <numerusform>%n zmiany do wysłania</numerusform>
            <numerusform>%n zmian do wysłania</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Postęp synchronizacji</translation>
    </message>
    <message>
        <source>Syncing %1 %2/%3</source>
        <translation>Synchronizacja: %1 %2/%3</translation>
    </message>
    <message>
        <source>Syncing %1</source>
        <translation>Synchronizacja: %1</translation>
    </message>
    <message>
        <source>Up to date</source>
        <translation>Aktualne</translation>
    </message>
    <message>
        <source>Mail, calendar and tasks match the server.</source>
        <translation>Poczta, kalendarz i zadania zgadzają się z serwerem.</translation>
    </message>
    <message>
        <source>Changes are coming in from the server and going out.</source>
        <translation>Zmiany napływają z serwera i są na niego wysyłane.</translation>
    </message>
    <message>
        <source>The mail server cannot be reached. You can go on working: your changes wait here and go out when it can be reached again.</source>
        <translation>Nie można połączyć się z serwerem poczty. Możesz dalej pracować: Twoje zmiany czekają tutaj i zostaną wysłane, gdy serwer znów będzie osiągalny.</translation>
    </message>
    <message>
        <source>The server refused the sign-in or access to the mailbox: check the account (File ▸ Account…). The details are in the log.</source>
        <translation>Serwer odmówił logowania lub dostępu do skrzynki: sprawdź konto (Plik ▸ Konto…). Szczegóły są w dzienniku.</translation>
    </message>
    <message>
        <source>Set up a mail account to sync (File ▸ Account…).</source>
        <translation>Skonfiguruj konto pocztowe, aby synchronizować (Plik ▸ Konto…).</translation>
    </message>
    <message>
        <source>Reaching the mail server for the first time.</source>
        <translation>Pierwsze łączenie z serwerem poczty.</translation>
    </message>
</context>
<context>
    <name>TaskDialog</name>
    <message>
        <source>New task</source>
        <translation>Nowe zadanie</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Zadanie</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Początek</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nierozpoczęte</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>W toku</translation>
    </message>
    <message>
        <source>Waiting on others</source>
        <translation>Czeka na innych</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>Odłożone</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Ukończone</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niski</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normalny</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Wysoki</translation>
    </message>
    <message>
        <source>Reminder</source>
        <translation>Przypomnienie</translation>
    </message>
    <message>
        <source>Subject:</source>
        <translation>Temat:</translation>
    </message>
    <message>
        <source>Dates:</source>
        <translation>Daty:</translation>
    </message>
    <message>
        <source>Status:</source>
        <translation>Stan:</translation>
    </message>
    <message>
        <source>Complete:</source>
        <translation>Wykonano:</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Priorytet:</translation>
    </message>
    <message>
        <source>Regarding:</source>
        <translation>Dotyczy:</translation>
    </message>
    <message>
        <source>Notes:</source>
        <translation>Notatki:</translation>
    </message>
    <message>
        <source>Give the task a subject.</source>
        <translation>Nadaj zadaniu temat.</translation>
    </message>
    <message>
        <source>The task is due before it starts.</source>
        <translation>Termin zadania wypada przed jego początkiem.</translation>
    </message>
</context>
<context>
    <name>TasksPage</name>
    <message>
        <source>Show:</source>
        <translation>Pokaż:</translation>
    </message>
    <message>
        <source>All tasks</source>
        <translation>Wszystkie zadania</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Otwarte</translation>
    </message>
    <message>
        <source>Overdue</source>
        <translation>Zaległe</translation>
    </message>
    <message>
        <source>New task</source>
        <translation>Nowe zadanie</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Zadanie</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>Termin</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Priorytet</translation>
    </message>
    <message>
        <source>Regarding</source>
        <translation>Dotyczy</translation>
    </message>
    <message>
        <source>Tick to mark it completed</source>
        <translation>Zaznacz, aby oznaczyć jako ukończone</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nierozpoczęte</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>W toku</translation>
    </message>
    <message>
        <source>Waiting on others</source>
        <translation>Czeka na innych</translation>
    </message>
    <message>
        <source>Deferred</source>
        <translation>Odłożone</translation>
    </message>
    <message>
        <source>Low</source>
        <translation>Niski</translation>
    </message>
    <message>
        <source>Normal</source>
        <translation>Normalny</translation>
    </message>
    <message>
        <source>High</source>
        <translation>Wysoki</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Ukończone</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Zadania</translation>
    </message>
    <message>
        <source>Completed: untick to open it again</source>
        <translation>Ukończone: odznacz, aby otworzyć je ponownie</translation>
    </message>
</context>
<context>
    <name>UntrackQuestion</name>
    <message>
        <source>Untrack</source>
        <translation>Nie śledź</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
    <message>
        <source>Stop tracking “%1” in the CRM?</source>
        <translation>Przestać śledzić „%1” w CRM?</translation>
    </message>
    <message>
        <source>Keep its email activity in the CRM, unlinked from the message, or delete the activity. Either way the tracking category leaves the message in every mail client at the next sync, and the automatic rules leave it alone.</source>
        <translation>Działanie e-mail może zostać w CRM, odłączone od wiadomości, albo zostać usunięte. W obu przypadkach przy następnej synchronizacji kategoria śledzenia zniknie z wiadomości we wszystkich programach pocztowych, a reguły automatyczne nie będą jej już ruszać.</translation>
    </message>
    <message>
        <source>Keep the activity</source>
        <translation>Zachowaj działanie</translation>
    </message>
    <message>
        <source>Delete the activity</source>
        <translation>Usuń działanie</translation>
    </message>
</context>
<context>
    <name>Why</name>
    <message>
        <source>Tracked on %1 at %2</source>
        <translation>Śledzona: %1, godz. %2</translation>
    </message>
    <message>
        <source>a tracked message</source>
        <translation>śledzonej wiadomości</translation>
    </message>
    <message>
        <source>(no subject)</source>
        <translation>(bez tematu)</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>„%1”</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 z %2</translation>
    </message>
    <message>
        <source>%1 is %2 in the CRM.</source>
        <translation>%1 to w CRM %2.</translation>
    </message>
    <message>
        <source>Nearly the same subject words as %1 (words differing: %3), and they share %2.</source>
        <translation>Prawie te same słowa w temacie co %1 (różnych słów: %3) i wspólne adresy: %2.</translation>
    </message>
    <message>
        <source>Same subject words as %1, and they share %2.</source>
        <translation>Te same słowa w temacie co %1 i wspólne adresy: %2.</translation>
    </message>
    <message>
        <source>%1 was not in the CRM, so %2 was created for it.</source>
        <translation>Adresu %1 nie było w CRM, więc utworzono dla niego: %2.</translation>
    </message>
    <message>
        <source>You cleared its regarding record by hand.</source>
        <translation>Powiązany rekord usunięto ręcznie.</translation>
    </message>
    <message>
        <source>You chose its regarding record by hand.</source>
        <translation>Powiązany rekord wybrano ręcznie.</translation>
    </message>
    <message>
        <source>%1 was tracked already; this copy is linked to its activity.</source>
        <translation>Wiadomość %1 była już śledzona; ta kopia jest połączona z jej działaniem.</translation>
    </message>
    <message>
        <source>It replies to %1.</source>
        <translation>To odpowiedź na %1.</translation>
    </message>
    <message>
        <source>It belongs to the thread of %1.</source>
        <translation>Należy do wątku wiadomości %1.</translation>
    </message>
    <message>
        <source>Its subject carries the tracking token %1 of %2.</source>
        <translation>Temat zawiera token śledzenia %1 wiadomości %2.</translation>
    </message>
    <message>
        <source>It is in the same conversation as %1.</source>
        <translation>Należy do tej samej konwersacji co %1.</translation>
    </message>
    <message>
        <source>No record was created: %1 is not an address a record can have.</source>
        <translation>Nie utworzono rekordu: %1 nie jest adresem, który rekord może mieć.</translation>
    </message>
    <message>
        <source>No record was created: %1 belongs to inactive records only.</source>
        <translation>Nie utworzono rekordu: %1 należy tylko do nieaktywnych rekordów.</translation>
    </message>
    <message>
        <source>%1 is a role address, not a person: it was added to the account %2.</source>
        <translation>%1 to adres funkcyjny, nie osoby: dodano go do firmy %2.</translation>
    </message>
    <message>
        <source>No record was created: %1 is a role address, not a person, and no account has an address at its domain.</source>
        <translation>Nie utworzono rekordu: %1 to adres funkcyjny, nie osoby, a żadna firma nie ma adresu w tej domenie.</translation>
    </message>
    <message>
        <source>Only the first %1 addresses of its %2 header were considered.</source>
        <translation>Uwzględniono tylko pierwsze %1 adresów z nagłówka %2.</translation>
    </message>
    <message>
        <source>It is filed in the folder %1, which tracks its mail.</source>
        <translation>Leży w folderze %1, który śledzi swoją pocztę.</translation>
    </message>
    <message>
        <source>Written in Liaison and tracked from the moment it was queued.</source>
        <translation>Napisana w Liaison i śledzona od chwili dodania do kolejki wysyłki.</translation>
    </message>
    <message>
        <source>Another mail client (a phone, web mail) gave it the category %1.</source>
        <translation>Inny program pocztowy (telefon, poczta w przeglądarce) nadał jej kategorię %1.</translation>
    </message>
    <message>
        <source>Liaison&apos;s mark on the message in Exchange says it is tracked.</source>
        <translation>Znacznik Liaison na wiadomości w Exchange mówi, że jest śledzona.</translation>
    </message>
    <message>
        <source>A recipient is a CRM lead, contact or account</source>
        <translation>Odbiorca to potencjalny klient, kontakt lub konto w CRM</translation>
    </message>
    <message>
        <source>A recipient is an email-enabled CRM record</source>
        <translation>Odbiorca to rekord CRM z adresem e-mail</translation>
    </message>
    <message>
        <source>The sender is a CRM lead, contact or account</source>
        <translation>Nadawca to potencjalny klient, kontakt lub konto w CRM</translation>
    </message>
    <message>
        <source>The sender is an email-enabled CRM record</source>
        <translation>Nadawca to rekord CRM z adresem e-mail</translation>
    </message>
    <message>
        <source>Linked to the activity tracked already</source>
        <translation>Połączona z działaniem już śledzonym</translation>
    </message>
    <message>
        <source>A reply to tracked email</source>
        <translation>Odpowiedź na śledzoną wiadomość</translation>
    </message>
    <message>
        <source>In a thread with tracked email</source>
        <translation>W wątku ze śledzoną wiadomością</translation>
    </message>
    <message>
        <source>Carries the tracking token of tracked email</source>
        <translation>Zawiera token śledzenia śledzonej wiadomości</translation>
    </message>
    <message>
        <source>In a conversation with tracked email</source>
        <translation>W konwersacji ze śledzoną wiadomością</translation>
    </message>
    <message>
        <source>Same subject and people as tracked email</source>
        <translation>Ten sam temat i osoby co śledzona wiadomość</translation>
    </message>
    <message>
        <source>You track all messages</source>
        <translation>Śledzisz wszystkie wiadomości</translation>
    </message>
    <message>
        <source>Tracked by hand</source>
        <translation>Śledzona ręcznie</translation>
    </message>
    <message>
        <source>Tracked by its folder</source>
        <translation>Śledzona przez swój folder</translation>
    </message>
    <message>
        <source>Sent from Liaison</source>
        <translation>Wysłana z Liaison</translation>
    </message>
    <message>
        <source>Tracked in another mail client</source>
        <translation>Śledzona w innym programie pocztowym</translation>
    </message>
    <message>
        <source>Tracked again from its mark in Exchange</source>
        <translation>Znów śledzona dzięki znacznikowi w Exchange</translation>
    </message>
    <message>
        <source>Regarding record set by hand</source>
        <translation>Powiązany rekord ustawiony ręcznie</translation>
    </message>
</context>
<context>
    <name>_PickGroup</name>
    <message>
        <source>Create one (the lead has no name for it)</source>
        <translation>Utwórz (potencjalny klient nie podaje nazwy)</translation>
    </message>
    <message>
        <source>Link to an existing one:</source>
        <translation>Powiąż z istniejącym:</translation>
    </message>
    <message>
        <source>None matches the lead</source>
        <translation>Żaden nie pasuje do potencjalnego klienta</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Brak</translation>
    </message>
</context>
</TS>
