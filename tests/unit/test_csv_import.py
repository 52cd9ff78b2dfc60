import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.crm.csv_import import import_csv, read_rows
from app.crm.errors import CrmError
from app.crm.models import Contact, SystemUser
from app.crm.records import list_records, records_with_address


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ACCOUNTS = """name,email,website,industry
Acme Logistics Sp. z o.o.,biuro@acme-logistics.example;sales@acme-logistics.example,https://acme-logistics.example,transport
Müller Maschinenbau GmbH,info@mueller-mb.example,https://mueller-mb.example,machinery
"""


def test_accounts_import_with_several_addresses_and_extra_columns(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    report = import_csv(crm_session, "accounts", write(tmp_path, "a.csv", ACCOUNTS), anna, False)
    assert report.imported == 2 and not report.bad_rows
    [acme] = records_with_address(crm_session, "SALES@acme-logistics.example")
    assert acme.display_name == "Acme Logistics Sp. z o.o."
    assert acme.emails == ["biuro@acme-logistics.example", "sales@acme-logistics.example"]


def test_contacts_are_linked_to_their_account_by_name(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    import_csv(crm_session, "accounts", write(tmp_path, "a.csv", ACCOUNTS), anna, False)
    contacts = write(
        tmp_path,
        "c.csv",
        "first_name,last_name,email,account\nŁukasz,Wiśniewski,l.wisniewski@acme-logistics.example,"
        "acme logistics sp. z o.o.\n",
    )
    import_csv(crm_session, "contacts", contacts, anna, False)
    [contact] = list_records(crm_session, "contact")
    assert isinstance(contact, Contact)
    assert contact.display_name == "Łukasz Wiśniewski"
    assert contact.account is not None and contact.account.name == "Acme Logistics Sp. z o.o."


def test_a_file_with_bad_rows_imports_nothing_and_names_each_line(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    leads = write(
        tmp_path,
        "l.csv",
        "first_name,last_name,email,company\n"
        "Jan,Kowalski,jan.kowalski@kowalski-trans.example,Kowalski Trans\n"
        ",,nobody@example.com,Nobody Ltd\n"
        "Greta,Schulz,not-an-address,Schulz AG\n",
    )
    report = import_csv(crm_session, "leads", leads, anna, skip_bad=False)
    assert report.imported == 0
    assert [(bad.line, bad.reason) for bad in report.bad_rows] == [
        (3, "empty first_name and last_name"),
        (4, "'not-an-address' is not an email address"),
    ]
    assert list_records(crm_session, "lead") == []


def test_skip_bad_imports_the_good_rows(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    leads = write(
        tmp_path,
        "l.csv",
        "first_name,last_name,email,company\nJan,Kowalski,jan.kowalski@kowalski-trans.example,K\n"
        "Greta,Schulz,not-an-address,Schulz AG\n",
    )
    report = import_csv(crm_session, "leads", leads, anna, skip_bad=True)
    assert report.imported == 1 and len(report.bad_rows) == 1


def test_a_contact_for_an_unknown_account_is_a_bad_row(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    contacts = write(
        tmp_path,
        "c.csv",
        "first_name,last_name,email,account\nJan,Nowak,jan@x.example,Nowhere Inc\n",
    )
    report = import_csv(crm_session, "contacts", contacts, anna, False)
    assert report.bad_rows[0].reason == "no account named 'Nowhere Inc'; import accounts first"


def test_importing_the_same_contacts_twice_creates_no_duplicates(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    contacts = write(
        tmp_path, "c.csv", "first_name,last_name,email,account\nJan,Nowak,jan.nowak@x.example,\n"
    )
    import_csv(crm_session, "contacts", contacts, anna, False)
    second = import_csv(crm_session, "contacts", contacts, anna, False)
    assert second.imported == 0
    assert "exists already" in second.bad_rows[0].reason
    assert len(list_records(crm_session, "contact")) == 1


def test_the_same_address_twice_in_one_file_is_a_bad_row(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    users = write(
        tmp_path,
        "u.csv",
        "name,email\nPiotr,piotr@brightwave.test\nPiotr Z.,PIOTR@brightwave.test\n",
    )
    report = import_csv(crm_session, "users", users, anna, False)
    assert report.bad_rows[0].line == 3 and "twice" in report.bad_rows[0].reason


def test_a_missing_required_column_rejects_the_file(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    with pytest.raises(CrmError, match="lacks the column"):
        import_csv(crm_session, "users", write(tmp_path, "u.csv", "name\nPiotr\n"), anna, False)


def test_a_file_that_is_not_utf8_is_rejected_in_words(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    path = tmp_path / "cp1250.csv"
    path.write_bytes("name,email\nŁódź Sp. z o.o.,biuro@lodz.example\n".encode("cp1250"))
    with pytest.raises(CrmError, match="not UTF-8"):
        import_csv(crm_session, "users", path, anna, False)


def test_opportunities_import_values_and_dates(
    crm_session: Session, anna: SystemUser, tmp_path: Path
) -> None:
    import_csv(crm_session, "accounts", write(tmp_path, "a.csv", ACCOUNTS), anna, False)
    opportunities = write(
        tmp_path,
        "o.csv",
        "name,account,estimated_value,currency,close_date,stage\n"
        'Fleet tracking rollout,Acme Logistics Sp. z o.o.,"120 000,50",pln,2026-12-15,Propose\n'
        "Bad date,Acme Logistics Sp. z o.o.,10,PLN,15.12.2026,Qualify\n",
    )
    report = import_csv(crm_session, "opportunities", opportunities, anna, skip_bad=True)
    assert report.imported == 1
    assert "not a date" in report.bad_rows[0].reason
    [opportunity] = list_records(crm_session, "opportunity")
    assert str(opportunity.estimated_value) == "120000.50"
    assert opportunity.currency == "PLN"


@pytest.mark.parametrize("amount", ["9e99999", "NaN", "-Infinity", "12345678901234567.00"])
def test_an_amount_past_what_the_crm_keeps_is_a_bad_row(
    crm_session: Session, anna: SystemUser, tmp_path: Path, amount: str
) -> None:
    import_csv(crm_session, "accounts", write(tmp_path, "a.csv", ACCOUNTS), anna, False)
    opportunities = write(
        tmp_path,
        "o.csv",
        f"name,account,estimated_value\nFlota 2027,Acme Logistics Sp. z o.o.,{amount}\n",
    )
    report = import_csv(crm_session, "opportunities", opportunities, anna, skip_bad=False)
    [bad] = report.bad_rows
    assert (bad.line, bad.reason) == (
        2,
        f"estimated_value {amount!r} is not an amount of at most 16 digits before the decimal "
        "point",
    )


# Property tests: any file gives a report or a CrmError in words, and rows as a spreadsheet
# writes them (quotes, commas, line breaks, U+2028, form feeds in cells) come back one for one.

CELLS = st.lists(
    st.one_of(
        st.sampled_from(
            ['"', ",", "\n", "\r\n", "\r", "\u2028", "\x0c", "\x00", "Łukasz", "Müller", " ",
             "jan@acme.pl", ";", "\ufeff", "\u0085"]
        ),
        st.text(max_size=5),
    ),
    max_size=6,
).map("".join)  # fmt: skip
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # where a reader of the file sees a line end
PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@PROPERTY
@given(text=st.one_of(st.text(), st.lists(CELLS, max_size=12).map("".join)))
def test_any_file_imports_or_is_refused_in_words(
    crm_session: Session, anna: SystemUser, tmp_path: Path, text: str
) -> None:
    path = write(tmp_path, "any.csv", "first_name,last_name,email,company\n" + text)
    try:
        report = import_csv(crm_session, "leads", path, anna, skip_bad=True)
    except CrmError as exc:
        assert str(exc).startswith(f"{path}: ")
        return
    finally:
        crm_session.rollback()
    assert all(bad.line >= 2 and bad.reason for bad in report.bad_rows)


@PROPERTY
@given(
    rows=st.lists(
        st.tuples(CELLS.filter(lambda cell: cell.strip() != ""), CELLS, CELLS), max_size=8
    )
)
def test_rows_written_by_a_spreadsheet_are_read_back_one_for_one(
    tmp_path: Path, rows: list[tuple[str, str, str]]
) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(["first_name", "last_name", "notes"])
    starts = []
    for row in rows:
        starts.append(len(_LINE_BREAK.findall(buffer.getvalue())) + 1)
        writer.writerow(row)
    path = tmp_path / "spreadsheet.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")

    read = list(read_rows(path, ("first_name",)))

    assert [(r.values["first_name"], r.values["last_name"], r.values["notes"]) for r in read] == (
        rows
    )
    assert [r.line for r in read] == starts
