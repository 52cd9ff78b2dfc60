"""Whatever name an attachment comes with, it is saved inside the folder chosen, under a name
every system accepts; and the size a message is measured at against the server's limit."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from app.mailbox.attachments import (
    MAX_NAME_BYTES,
    encoded_size,
    safe_file_name,
    unique_name,
)

DEVICES = {"CON", "PRN", "AUX", "NUL", "COM1", "COM9", "LPT1", "LPT9", "CONIN$", "CONOUT$"}
HOSTILE = st.sampled_from(
    ["..", ".", "/", "\\", ":", "*", "?", '"', "<", ">", "|", "\x00", "\x1f", "\x7f", "\u202e",
     "CON", "nul", "Com1", "LPT9", ".txt", " ", "...", "~", "é", "Ł", "日本", "\n", "\t"]
)  # fmt: skip
NAMES = st.lists(st.one_of(HOSTILE, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(name=NAMES)
@example(name="CON" + " " * 300 + "x.txt")  # a device name once cut to length
def test_a_safe_name_is_one_plain_file_name_every_system_accepts(name: str) -> None:
    safe = safe_file_name(name)

    assert safe and safe not in (".", "..")
    assert "/" not in safe and "\\" not in safe
    assert not any(unicodedata.category(char)[0] == "C" for char in safe)
    assert not any(char in safe for char in '<>:"|?*')
    assert not safe.endswith((".", " "))
    assert safe.partition(".")[0].rstrip(" ").upper() not in DEVICES
    assert len(safe.encode("utf-8")) <= MAX_NAME_BYTES


@settings(max_examples=300, deadline=None)
@given(name=NAMES)
@example(name="0\xa0..")  # a no-break space bared by the dots' trimming
@example(name="CON" + "\xa0" * 300 + "x.txt")  # a device name once cut to length
def test_a_safe_name_stays_as_it_is(name: str) -> None:
    safe = safe_file_name(name)

    assert safe_file_name(safe) == safe


@pytest.mark.parametrize(
    ("given_name", "saved"),
    [
        ("oferta.pdf", "oferta.pdf"),
        ("../../.bashrc", ".bashrc"),
        ("C:\\Windows\\system32\\drivers\\etc\\hosts", "hosts"),
        ("CON.txt", "_CON.txt"),
        ("umowa?.docx", "umowa_.docx"),
        ("faktura.pdf.", "faktura.pdf"),
        ("", "attachment"),
        ("..", "attachment"),
        ("Zamówienie nr 4711 – Müller.xlsx", "Zamówienie nr 4711 – Müller.xlsx"),
    ],
)
def test_names_as_they_are_saved(given_name: str, saved: str) -> None:
    assert safe_file_name(given_name) == saved


def test_a_long_name_keeps_its_extension() -> None:
    name = "Ż" * 300 + ".pdf"

    safe = safe_file_name(name)

    assert safe.endswith(".pdf") and len(safe.encode("utf-8")) <= MAX_NAME_BYTES


def test_a_name_taken_gets_a_number_as_a_file_manager_gives_it() -> None:
    taken = {"oferta.pdf", "Oferta (2).pdf"}

    assert unique_name("oferta.pdf", taken) == "oferta (3).pdf"
    assert unique_name("cennik.csv", taken) == "cennik.csv"
    assert unique_name(".bashrc", {".bashrc"}) == ".bashrc (2)"


def test_an_attachment_counts_a_third_larger_as_sent() -> None:
    plain = encoded_size("Oferta", "W załączeniu.", None, [])

    assert encoded_size("Oferta", "W załączeniu.", None, [3_000_000]) - plain > 4_000_000
