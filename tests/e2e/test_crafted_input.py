"""Input built to break things gets one line and exit code 2, never a traceback: messages with
impossible dates or parts nested thousands deep, record ids past any integer, files too big to
read (or endless), CSV files whose quotes or control characters would merge or split rows, and
profile names that are paths."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest

from app.cli import run
from tests.support.commands import Finished, liaison

HEADERS = """\
From: Jan Kowalski <jan.kowalski@acme-logistics.example>
To: Anna Nowak <anna.nowak@brightwave.test>
Subject: Zamówienie 4711
Message-ID: <zamowienie-4711@acme-logistics.example>
"""


@pytest.fixture
def profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["init", "--address", "anna.nowak@brightwave.test", "--name", "Anna Nowak"]) == 0
    capsys.readouterr()


def message(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    return path


def one_line(finished: Finished, *words: str) -> str:
    assert finished.code == 2, finished
    [line] = finished.said
    assert "Traceback" not in finished.err
    for word in words:
        assert word in line, line
    return line


def nested_multipart(depth: int) -> str:
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n'
        for level in range(depth)
    )
    closing = "".join(f"--b{level}--\n" for level in reversed(range(depth)))
    return f"{HEADERS}Date: Mon, 1 Jun 2026 10:00:00 +0200\nMIME-Version: 1.0\n{opening}" + (
        f"Content-Type: text/plain\n\nDzień dobry\n{closing}"
    )


def nested_messages(depth: int) -> str:
    """A message in a message in a message...: no boundaries, only depth."""
    inner = "From: Jan Kowalski <jan.kowalski@acme-logistics.example>\n"
    inner += "Content-Type: message/rfc822\n\n"
    return (
        f"{HEADERS}Date: Mon, 1 Jun 2026 10:00:00 +0200\nContent-Type: message/rfc822\n\n"
        + inner * depth
        + "Content-Type: text/plain\n\nDzień dobry\n"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            f"{HEADERS}Date: Fri, 31 Dec 9999 23:59:59 -1200\n\nDzień dobry\n",
            ("Date header", "out of range"),
        ),
        (nested_multipart(5000), ("more than 200 multipart sections",)),
        (nested_messages(5000), ("nested too deeply",)),
    ],
    ids=["date-in-year-9999", "multipart-nested-5000-deep", "message-nested-5000-deep"],
)
@pytest.mark.parametrize("command", ["explain", "track", "untrack"])
def test_a_crafted_message_is_one_line(
    profile: None, tmp_path: Path, text: str, words: tuple[str, ...], command: str
) -> None:
    one_line(liaison(command, message(tmp_path, "crafted.eml", text)), *words)


def test_a_record_id_past_any_integer_is_not_found(profile: None, tmp_path: Path) -> None:
    offer = message(tmp_path, "offer.eml", f"{HEADERS}Date: Mon, 1 Jun 2026 10:00:00 +0200\n\nOk\n")
    one_line(
        liaison("track", offer, "--regarding", "account:999999999999999999999999"),
        "No account has id 999999999999999999999999",
    )


def test_an_endless_file_is_not_read_past_the_limit(profile: None) -> None:
    one_line(liaison("explain", "/dev/zero"), "too large for an email message", "64 MB")


def test_a_three_gigabyte_file_is_refused_by_its_size(profile: None, tmp_path: Path) -> None:
    huge = tmp_path / "backup-of-everything.eml"
    with huge.open("wb") as handle:
        handle.truncate(3 * 1024**3)  # sparse: takes no disk, but says 3 GB
    one_line(liaison("explain", huge), "too large (3072 MB)")


def test_fifty_thousand_cc_are_cut_and_the_evidence_says_so(profile: None, tmp_path: Path) -> None:
    everyone = ", ".join(
        f"Pracownik {number} <pracownik{number}@firma{number % 700}.example>"
        for number in range(50_000)
    )
    text = f"{HEADERS}Cc: {everyone}\nDate: Mon, 1 Jun 2026 10:00:00 +0200\n\nDo wszystkich\n"

    explained = liaison("explain", message(tmp_path, "all-hands.eml", text), "--json")

    assert explained.code == 0, explained.err
    evidence = json.loads(explained.out)["evidence"]
    assert "The Cc header lists more than 500 addresses; only the first 500" in evidence


def csv_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leads.csv"
    path.write_text(dedent(text).lstrip(), encoding="utf-8")
    return path


def test_an_unbalanced_quote_is_named_with_its_line_instead_of_merging_rows(
    profile: None, tmp_path: Path
) -> None:
    leads = csv_file(
        tmp_path,
        """
        first_name,last_name,email,company
        Jan,"Kowalski,jan.kowalski@kowalski-trans.example,Kowalski Trans
        Greta,Schulz,greta.schulz@schulz-ag.example,Schulz AG"
        Tomasz,Lewandowski,t.lewandowski@nova-retail.example,Nova Retail
        """,
    )
    imported = liaison("crm", "import", "leads", leads)
    assert imported.code == 2
    assert imported.said[0] == (
        f"{leads}:2: the last_name field runs from line 2 to line 3: a quote opened on this "
        "line is not closed where it should be, so the lines between were read as one row"
    )
    assert "Imported nothing" in imported.said[-1]


def test_a_quote_never_closed_is_one_line_naming_where_it_opened(
    profile: None, tmp_path: Path
) -> None:
    leads = csv_file(
        tmp_path,
        """
        first_name,last_name,email,company
        Greta,Schulz,greta.schulz@schulz-ag.example,Schulz AG
        Jan,"Kowalski,jan.kowalski@kowalski-trans.example,Kowalski Trans
        Tomasz,Lewandowski,t.lewandowski@nova-retail.example,Nova Retail
        """,
    )
    one_line(liaison("crm", "import", "leads", leads), f"{leads}: line 3:", "quote not closed")


def test_a_line_separator_or_form_feed_in_a_cell_does_not_split_the_row(
    profile: None, tmp_path: Path
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "first_name,last_name,email,company,notes\n"
        "Jan,Kowalski,jan.kowalski@kowalski-trans.example,Kowalski Trans,a\u2028b\n"
        "Greta,Schulz,greta.schulz@schulz-ag.example,Schulz AG,page\x0cbreak\n",
        encoding="utf-8",
    )
    imported = liaison("crm", "import", "leads", leads)
    assert imported.code == 0, imported.err
    assert imported.out.strip() == "Imported 2 leads."


@pytest.mark.parametrize(
    ("email", "shown"),
    [("jan\x00@kowalski-trans.example", "U+0000"), ("jan@kowalski\x1b-trans.example", "U+001B")],
)
def test_a_control_character_in_an_address_is_a_bad_row(
    profile: None, tmp_path: Path, email: str, shown: str
) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        f"first_name,last_name,email,company\nJan,Kowalski,{email},Kowalski Trans\n",
        encoding="utf-8",
    )
    imported = liaison("crm", "import", "leads", leads)
    assert imported.code == 2
    assert imported.said[0] == f"{leads}:2: email holds a control character ({shown})"


@pytest.mark.parametrize("name", ["../x", "/tmp/elsewhere", "sales/2026", "..", "a\\b", "c:x"])
@pytest.mark.parametrize("command", [("options", "show"), ()], ids=["command", "window"])
def test_a_profile_name_that_is_a_path_is_refused(
    liaison_home: Path, tmp_path: Path, name: str, command: tuple[str, ...]
) -> None:
    refused = liaison(*command, env={"LIAISON_PROFILE": name})
    one_line(refused, f"The profile name {name!r}", "LIAISON_PROFILE")
    assert not liaison_home.exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == []
