"""`liaison mail ...` as the README shows it, against the EWS sandbox: each command, then
`liaison sync`, then what Exchange holds."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.mailbox.remote import FlagStatus
from app.workspace import Workspace
from tests.support.remote import Remote
from tests.sync.engine.conftest import OVER_EWS, Crm, liaison, mime

pytestmark = OVER_EWS

LUKASZ = "Łukasz Wiśniewski <l.wisniewski@acme-logistics.example>"
OFFER_PDF = b"%PDF-1.4\n% Oferta\n" + bytes(range(256)) * 16


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
        self.capsys, self.monkeypatch = capsys, monkeypatch

    def __call__(self, *argv: str) -> str:
        code, out, err = liaison(self.capsys, self.monkeypatch, *argv)
        assert code == 0, err
        return out

    def fails(self, *argv: str) -> str:
        code, _, err = liaison(self.capsys, self.monkeypatch, *argv)
        assert code == 2
        return err

    def sync(self) -> None:
        self("sync", "--quiet")

    def listed(self, *options: str) -> list[dict[str, Any]]:
        return list(json.loads(self("mail", "list", "--json", *options)))

    def id_of(self, subject: str, *options: str) -> str:
        (found,) = [row for row in self.listed(*options) if row["subject"] == subject]
        return str(found["id"])


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, workspace: Workspace
) -> Cli:
    return Cli(capsys, monkeypatch)


def seen(remote: Remote, folder: str, subject: str) -> Any:
    (found,) = [item for item in remote.items(folder) if item.subject == subject]
    return found


def test_list_and_show_give_ids_and_what_a_message_says(
    cli: Cli, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Zapytanie o palety")
    cli.sync()

    (row,) = cli.listed()
    shown = json.loads(cli("mail", "show", str(row["id"]), "--json"))

    assert row["from"]["email"] == "l.wisniewski@acme-logistics.example"
    assert row["read"] is False and row["flag"] == "none"
    assert shown["subject"] == "Zapytanie o palety" and "Dzień dobry" in shown["body_text"]
    assert "Zapytanie o palety" in cli("mail", "list")


def test_read_unread_and_flag_reach_exchange_at_the_next_sync(
    cli: Cli, remote: Remote, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Termin dostawy")
    cli.sync()
    item = cli.id_of("Termin dostawy")

    cli("mail", "read", item)
    cli("mail", "flag", item)
    cli.sync()
    assert seen(remote, "inbox", "Termin dostawy").is_read
    assert seen(remote, "inbox", "Termin dostawy").flag is FlagStatus.FLAGGED

    cli("mail", "unread", item)
    cli("mail", "flag", item, "--complete")
    cli.sync()
    assert not seen(remote, "inbox", "Termin dostawy").is_read
    assert seen(remote, "inbox", "Termin dostawy").flag is FlagStatus.COMPLETE
    assert cli.listed("--unread")[0]["flag"] == "complete"


def test_move_copy_junk_and_delete_file_the_message_on_exchange(
    cli: Cli, remote: Remote, deliver: Callable[..., str]
) -> None:
    remote.create_folder("Acme Logistics")
    deliver(LUKASZ, "Umowa ramowa")
    deliver(LUKASZ, "Promocja tylko dziś")
    cli.sync()
    contract, promotion = cli.id_of("Umowa ramowa"), cli.id_of("Promocja tylko dziś")

    cli("mail", "move", contract, "Inbox/Acme Logistics")
    cli("mail", "copy", contract, "Deleted Items")
    cli("mail", "junk", promotion)
    cli.sync()

    assert seen(remote, "Acme Logistics", "Umowa ramowa")
    assert seen(remote, "deleteditems", "Umowa ramowa")
    assert seen(remote, "junkemail", "Promocja tylko dziś")
    assert remote.items("inbox") == []

    cli("mail", "not-junk", promotion)
    cli("mail", "delete", contract)
    cli.sync()
    assert seen(remote, "inbox", "Promocja tylko dziś")
    assert len([i for i in remote.items("deleteditems") if i.subject == "Umowa ramowa"]) == 2

    cli("mail", "delete", promotion, "--permanently")
    cli.sync()
    assert remote.items("inbox") == [] and remote.items("junkemail") == []


def test_a_reply_to_a_tracked_message_keeps_its_record_and_token(
    cli: Cli, remote: Remote, crm: Crm, deliver: Callable[..., str]
) -> None:
    acme = crm.account("Acme Logistics", "biuro@acme-logistics.example")
    cli.sync()
    out = cli(
        "mail", "send", "--to", "l.wisniewski@acme-logistics.example",
        "--subject", "Oferta na palety", "--body", "W załączeniu oferta.",
        "--regarding", "account:biuro@acme-logistics.example",
    )  # fmt: skip
    assert "tracked regarding account Acme Logistics" in out
    cli.sync()
    (offer,) = remote.items("sentitems")
    question = deliver(LUKASZ, f"RE: {offer.subject}")
    cli.sync()

    out = cli("mail", "reply", cli.id_of(f"RE: {offer.subject}"), "--body", "Cena: 12 zł/szt.")
    cli.sync()

    assert "tracked regarding account Acme Logistics (response-to-tracked)" in out
    reply = seen(remote, "sentitems", f"RE: {offer.subject}")
    assert reply.in_reply_to == question
    assert "Cena: 12 zł/szt." in reply.body and "-----Original Message-----" in reply.body
    (activity,) = [a for a in crm.email_activities() if a.message_id == reply.message_id]
    assert activity.regarding_id == acme and activity.direction == "outgoing"


def test_a_new_email_without_track_has_no_token_and_no_activity(
    cli: Cli, remote: Remote, crm: Crm, tmp_path: Path
) -> None:
    photo = tmp_path / "zdjęcie.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000))
    cli.sync()

    out = cli(
        "mail", "send", "--to", "l.wisniewski@acme-logistics.example",
        "--bcc", "archiwum@brightwave.example", "--subject", "Obiad w piątek?",
        "--body", "Może o 13?", "--attach", str(photo),
    )  # fmt: skip
    cli.sync()
    cli.sync()

    assert "not tracked (not-asked)" in out
    copy = seen(remote, "sentitems", "Obiad w piątek?")
    assert copy.categories == () and copy.bcc == ("archiwum@brightwave.example",)
    assert copy.attachments == ("zdjęcie.jpg",)
    assert crm.email_activities() == []


def test_a_forward_goes_with_the_originals_attachments(
    cli: Cli, remote: Remote, tmp_path: Path
) -> None:
    remote.deliver(
        mime(
            LUKASZ,
            remote.user.address,
            "Oferta",
            attachments=(("oferta.pdf", "application/pdf", OFFER_PDF),),
        )
    )
    cli.sync()

    cli(
        "mail", "forward", cli.id_of("Oferta"),
        "--to", "greta.schulz@mueller-mb.example", "--body", "Do wglądu.",
    )  # fmt: skip
    cli.sync()

    assert seen(remote, "sentitems", "FW: Oferta").attachments == ("oferta.pdf",)
    assert remote.attachment("sentitems", "FW: Oferta", "oferta.pdf") == OFFER_PDF


def test_a_draft_is_saved_changed_and_sent(cli: Cli, remote: Remote) -> None:
    cli.sync()

    out = cli(
        "mail", "draft", "--to", "l.wisniewski@acme-logistics.example",
        "--subject", "Oferta – szkic", "--body", "Wersja 1",
    )  # fmt: skip
    draft = out.split("draft ", 1)[1].split(".", 1)[0]
    cli.sync()
    assert seen(remote, "drafts", "Oferta – szkic").body.strip() == "Wersja 1"

    cli("mail", "draft", "--edit", draft, "--subject", "Oferta", "--body", "Wersja 2")
    cli.sync()
    assert seen(remote, "drafts", "Oferta").body.strip() == "Wersja 2"

    cli("mail", "send", "--draft", draft)
    cli.sync()
    assert remote.items("drafts") == []
    assert seen(remote, "sentitems", "Oferta").body.strip() == "Wersja 2"


def test_attachments_are_listed_and_saved_under_safe_names(
    cli: Cli, remote: Remote, tmp_path: Path
) -> None:
    remote.deliver(
        mime(
            LUKASZ,
            remote.user.address,
            "Dokumenty",
            attachments=(
                ("oferta.pdf", "application/pdf", OFFER_PDF),
                ("..\\..\\CON.txt", "text/plain", b"uwaga"),
            ),
        )
    )
    cli.sync()
    item = cli.id_of("Dokumenty")
    documents = tmp_path / "Dokumenty"
    documents.mkdir()

    listed = json.loads(cli("mail", "attachments", item, "--json"))
    out = cli("mail", "save-attachment", item, "--all", "--to", str(documents))

    assert [a["name"] for a in listed] == ["oferta.pdf", "..\\..\\CON.txt"]
    assert sorted(p.name for p in documents.iterdir()) == ["_CON.txt", "oferta.pdf"]
    assert (documents / "oferta.pdf").read_bytes() == OFFER_PDF
    assert out.count("Saved ") == 2


def test_a_wrong_id_or_folder_is_one_line_and_exit_code_2(
    cli: Cli, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Termin dostawy")
    cli.sync()
    item = cli.id_of("Termin dostawy")

    assert cli.fails("mail", "read", "999999") == "liaison: No message 999999 in the mailbox\n"
    assert cli.fails("mail", "move", item, "Nie ma takiego") == (
        "liaison: No mail folder 'Nie ma takiego'\n"
    )


def test_reply_all_leaves_out_the_user_and_anyone_twice(
    cli: Cli, remote: Remote, tmp_path: Path
) -> None:
    remote.deliver(
        mime(
            LUKASZ,
            f"Anna Nowak <{remote.user.address}>, Greta Schulz <greta.schulz@mueller-mb.example>",
            "Spotkanie we wtorek",
            cc=f"biuro@acme-logistics.example, {remote.user.address}",
        )
    )
    prices = tmp_path / "cennik.pdf"
    prices.write_bytes(OFFER_PDF)
    cli.sync()

    cli(
        "mail", "reply-all", cli.id_of("Spotkanie we wtorek"), "--body", "Pasuje.",
        "--attach", str(prices), "--language", "pl",
    )  # fmt: skip
    cli.sync()

    reply = json.loads(cli("mail", "show", cli.id_of("Odp: Spotkanie we wtorek", "--folder",
                                                     "Sent Items"), "--json"))  # fmt: skip
    assert [p["email"] for p in reply["to"]] == [
        "l.wisniewski@acme-logistics.example",
        "greta.schulz@mueller-mb.example",
    ]
    assert [p["email"] for p in reply["cc"]] == ["biuro@acme-logistics.example"]
    assert seen(remote, "sentitems", "Odp: Spotkanie we wtorek").attachments == ("cennik.pdf",)
    assert "-----Wiadomość oryginalna-----" in reply["body_text"]


def test_sent_items_list_whom_mail_went_to_and_a_search_covers_every_folder(
    cli: Cli, deliver: Callable[..., str]
) -> None:
    deliver(LUKASZ, "Oferta na palety")
    cli.sync()
    cli("mail", "send", "--to", "Greta Schulz <greta@mueller.example>", "--subject",
        "Oferta dla Müller", "--body", "W załączeniu.")  # fmt: skip
    cli.sync()

    sent = cli("mail", "list", "--folder", "Sent Items")
    found = {row["subject"] for row in cli.listed("--search", "oferta")}

    assert "Greta Schulz" in sent and "Anna Nowak" not in sent
    assert found == {"Oferta na palety", "Oferta dla Müller"}


def test_no_track_keeps_a_reply_to_a_tracked_message_out_of_the_crm(
    cli: Cli, remote: Remote, crm: Crm, deliver: Callable[..., str]
) -> None:
    cli("options", "set", "track", "all")
    deliver(LUKASZ, "Reklamacja dostawy 4711")
    cli.sync()
    assert len(crm.email_activities()) == 1

    out = cli("mail", "reply", cli.id_of("Reklamacja dostawy 4711"), "--body", "Prywatnie: ok",
              "--no-track")  # fmt: skip
    cli.sync()
    cli.sync()

    assert "not tracked (not-track-chosen)" in out
    assert seen(remote, "sentitems", "RE: Reklamacja dostawy 4711").categories == ()
    assert len(crm.email_activities()) == 1


def test_track_new_email_tracks_every_email_written_unless_no_track(
    cli: Cli, remote: Remote, crm: Crm
) -> None:
    cli("org", "set", "track-new-email", "on")
    cli.sync()

    tracked = cli("mail", "send", "--to", "jan@nova-retail.example", "--subject", "Oferta",
                  "--body", "W załączeniu.")  # fmt: skip
    untracked = cli("mail", "send", "--to", "jan@nova-retail.example", "--subject", "Obiad?",
                    "--body", "W piątek?", "--no-track")  # fmt: skip
    cli.sync()
    cli.sync()

    assert "tracked (track-new-email)" in tracked and "not tracked" in untracked
    assert [a.subject.split(" CRM:")[0] for a in crm.email_activities()] == ["Oferta"]
    assert seen(remote, "sentitems", "Obiad?").categories == ()


def test_a_message_deleted_from_the_outbox_is_not_sent(cli: Cli, remote: Remote) -> None:
    cli.sync()
    cli("mail", "send", "--to", "jan@nova-retail.example", "--subject", "Pomyłka", "--body", "-")

    cli("mail", "delete", cli.id_of("Pomyłka", "--folder", "Outbox"))
    cli.sync()

    assert remote.items("sentitems") == [] and remote.outbound() == []


def test_a_message_larger_than_the_server_accepts_is_refused_in_one_line(
    cli: Cli, remote: Remote, tmp_path: Path
) -> None:
    remote.limit_send_size(50_000)
    recording = tmp_path / "nagranie.wav"
    recording.write_bytes(bytes(60_000))
    cli.sync()

    said = cli.fails("mail", "send", "--to", "jan@nova-retail.example", "--subject", "Nagranie",
                     "--body", "W załączeniu.", "--attach", str(recording))  # fmt: skip

    assert said.startswith("liaison: The message is 0.1 MB as sent; the server accepts at most")
    assert said.count("\n") == 1
    assert cli.listed("--folder", "Outbox") == []
