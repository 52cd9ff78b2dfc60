"""The manual pages of `liaison mail ...` (app.cli.manual shows them): per command, worked
examples (command line, what it does) and a description."""

from __future__ import annotations

Examples = tuple[tuple[str, str], ...]

MAIL_PAGES: dict[str, tuple[Examples, str]] = {
    "mail": (
        (
            ("liaison mail list --unread", "The unread messages of the Inbox, with their ids."),
            (
                'liaison mail reply 42 --body "Dziękuję, potwierdzam termin."',
                "Reply to message 42; it is sent at the next sync.",
            ),
        ),
        "Works with the mailbox from the command line, on the ids `liaison mail list` shows: "
        "reads, replies, forwards, sends, files, flags and deletes messages. Every change is "
        "made in the profile at once, works offline, and reaches Exchange at the next sync "
        "(`liaison sync`), once.",
    ),
    "mail list": (
        (
            ("liaison mail list", "The newest 50 messages of the Inbox."),
            (
                'liaison mail list --folder "Sent Items" --limit 10',
                "The last ten messages sent; the from/to column shows the recipients.",
            ),
            (
                'liaison mail list --search "acme oferta" --json',
                "Messages in any folder with both words in the subject, the sender or the "
                "recipients, as JSON.",
            ),
            (
                "liaison mail list --conversations",
                "The Inbox by conversation: each conversation's messages together, oldest "
                "first, the conversation with the newest message first.",
            ),
        ),
        "Lists messages of a folder (the Inbox unless --folder names another), newest first, "
        "with the id the other commands take, the date, the sender (the recipients in Sent "
        "Items, Drafts and the Outbox), the subject and the state: unread, flagged or done, "
        "attachments, tracked, draft. A search without --folder looks in every mail folder "
        "and says each message's folder. --conversations groups the list as the window's "
        "View > Show as conversations does.",
    ),
    "mail show": (
        (
            ("liaison mail show 42", "Headers, attachments and text of message 42."),
            ("liaison mail show 42 --json", "The same as JSON, with the HTML body too."),
        ),
        "Shows one message: From, To, Cc, Bcc, the date, the subject, its folder, flag and "
        "tracking, the attachments with their numbers, and the text.",
    ),
    "mail reply": (
        (
            (
                'liaison mail reply 42 --body "Dziękuję, potwierdzam termin."',
                "Reply to the sender of message 42, the original quoted below.",
            ),
            (
                "liaison mail reply 42 --body-file odpowiedz.txt --attach cennik.pdf --draft",
                "Save the reply, with a price list attached, in Drafts instead of sending it.",
            ),
        ),
        "Replies to the sender (to the recipients, for a message from Sent Items): the subject "
        "gets RE: (Odp: in Polish) once, the original is quoted below the text under its "
        "From, Sent, To, Cc and Subject, and In-Reply-To and References thread it. A reply to "
        "a tracked message is tracked regarding the same record and keeps its token; "
        "--no-track keeps it out of the CRM, --regarding tracks it regarding another record. "
        "--signature adds the signature set in the window's Options between the text and the "
        "quote, as the window does.",
    ),
    "mail reply-all": (
        (
            (
                'liaison mail reply-all 42 --body "Zgoda, do zobaczenia we wtorek."',
                "Reply to the sender and everyone on To and Cc of message 42.",
            ),
        ),
        "Replies to the sender and to everyone the message went to, on To and Cc as they were, "
        "without your own addresses and without anyone twice; otherwise as `mail reply`.",
    ),
    "mail forward": (
        (
            (
                'liaison mail forward 42 --to greta.schulz@mueller-mb.example --body "Do wglądu."',
                "Forward message 42 with its attachments.",
            ),
        ),
        "Forwards a message with its attachments: FW: (PD: in Polish) once, the original "
        "quoted below the text. A forward of a tracked message is tracked like it.",
    ),
    "mail send": (
        (
            (
                "liaison mail send --to l.wisniewski@acme-logistics.example "
                '--subject "Oferta" --body "W załączeniu oferta." --attach oferta.pdf '
                "--regarding account:biuro@acme-logistics.example",
                "Send an offer tracked regarding Acme's account, with the PDF attached.",
            ),
            (
                'liaison mail send --to jan@example.com --subject "Obiad?" --body "W piątek?"',
                "Send a private note: not tracked, no token in its subject.",
            ),
            ("liaison mail send --draft 57", "Send draft 57 as it is."),
        ),
        "Sends a new email (or a draft, with --draft), to, Cc and Bcc with files attached; it "
        "waits in the Outbox until the next sync sends it. A new email is tracked only with "
        "--track or --regarding, or when `track-new-email` is on (`liaison options`, `liaison "
        "org`). A message larger than the server accepts is refused at once, in words. "
        "--signature adds the signature set in the window's Options under the text.",
    ),
    "mail draft": (
        (
            (
                'liaison mail draft --to l.wisniewski@acme-logistics.example --subject "Oferta" '
                '--body "Szkic oferty" --attach oferta.pdf',
                "Save a new draft in Drafts; its id is printed.",
            ),
            (
                'liaison mail draft --edit 57 --body "Poprawiona oferta"',
                "Change the text of draft 57, keeping the rest.",
            ),
        ),
        "Saves a draft in Drafts, or changes one: options not given keep what the draft says, "
        "files given are added to its attachments. It reaches Exchange's Drafts at the next "
        "sync; `liaison mail send --draft ID` sends it.",
    ),
    "mail move": (
        (
            (
                'liaison mail move 42 43 "Inbox/Acme Logistics"',
                "Move two messages into the Acme Logistics folder under the Inbox.",
            ),
        ),
        "Moves messages to another mail folder, named as the window shows it or by its path. "
        "A tracked message keeps its tracking and its CRM activity.",
    ),
    "mail copy": (
        (("liaison mail copy 42 Archive", "A copy of message 42 in the Archive folder."),),
        "Copies messages to another mail folder; the copy's id is printed.",
    ),
    "mail delete": (
        (
            ("liaison mail delete 42", "Message 42 to Deleted Items."),
            ("liaison mail delete 42 --permanently", "Delete message 42 for good."),
        ),
        "Deletes messages to Deleted Items, or for good with --permanently (and anything "
        "already in Deleted Items), as Outlook's Delete and Shift+Delete. A message waiting in "
        "the Outbox is not sent. A tracked message's CRM activity stays.",
    ),
    "mail flag": (
        (
            ("liaison mail flag 42", "Flag message 42 for follow-up."),
            ("liaison mail flag 42 --complete", "Mark its flag complete."),
            ("liaison mail flag 42 --clear", "Take the flag off."),
        ),
        "Flags messages for follow-up, marks the flag complete, or clears it, as every Exchange "
        "client shows it.",
    ),
    "mail read": (
        (("liaison mail read 42 43", "Mark two messages read."),),
        "Marks messages read; the folder's unread count follows at once.",
    ),
    "mail unread": (
        (("liaison mail unread 42", "Mark message 42 unread again."),),
        "Marks messages unread; the folder's unread count follows at once.",
    ),
    "mail junk": (
        (("liaison mail junk 42", "Move message 42 to Junk Email."),),
        "Moves messages to Junk Email and blocks their senders: their next mail goes there too.",
    ),
    "mail not-junk": (
        (("liaison mail not-junk 42", "Move message 42 back to the Inbox."),),
        "Moves messages from Junk Email back to the Inbox and trusts their senders from now on.",
    ),
    "mail attachments": (
        (
            ("liaison mail attachments 42", "The attachments of message 42 with their numbers."),
            ("liaison mail attachments 42 --json", "The same as JSON."),
        ),
        "Lists a message's attachments: number, name, type, size, and whether it is shown in "
        "the text (an inline picture). Works offline.",
    ),
    "mail save-attachment": (
        (
            ("liaison mail save-attachment 42 oferta.pdf", "Save oferta.pdf here."),
            (
                "liaison mail save-attachment 42 --all --to ~/Dokumenty",
                "Save every attachment of message 42 into ~/Dokumenty.",
            ),
        ),
        "Saves attachments by name or number (or all of them) into a folder, under names "
        "that are safe on any system (no folders, no '..', no device names such as CON) and "
        "never over an existing file (oferta (2).pdf). The content is fetched from the server "
        "the first time and kept in the profile's cache folder.",
    ),
}
