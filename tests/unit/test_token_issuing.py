import pytest
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.crm.org import load_org_settings, set_org_setting
from app.crm.records import create_user
from app.crm.tokens import issue_token


@pytest.fixture
def session(crm_session: Session) -> Session:
    return crm_session


def test_the_first_token_of_user_one_is_crm_0001001(session: Session) -> None:
    anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
    assert issue_token(session, anna, load_org_settings(session)).token == "CRM:0001001"
    assert issue_token(session, anna, load_org_settings(session)).token == "CRM:0001002"


def test_two_users_never_share_a_token(session: Session) -> None:
    anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
    piotr = create_user(session, "Piotr Zieliński", ["piotr.zielinski@brightwave.test"])
    org = load_org_settings(session)
    assert issue_token(session, anna, org).token != issue_token(session, piotr, org).token


def test_a_token_that_comes_round_again_after_a_settings_change_is_skipped(
    session: Session,
) -> None:
    # user 1 with base 1 writes user number 002, which is user 2's number with base 0.
    anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
    piotr = create_user(session, "Piotr Zieliński", ["piotr.zielinski@brightwave.test"])
    assert issue_token(session, piotr, load_org_settings(session)).token == "CRM:0002001"
    set_org_setting(session, "token-base", "1")
    issued = issue_token(session, anna, load_org_settings(session)).token
    assert issued == "CRM:0002002"


def test_the_counter_never_wraps_and_says_so_when_used_up(session: Session) -> None:
    anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
    org = set_org_setting(session, "token-counter-digits", "1")
    issued = [issue_token(session, anna, org).token for _ in range(9)]
    assert len(set(issued)) == 9
    with pytest.raises(CrmError, match="used all 9 tracking tokens"):
        issue_token(session, anna, org)


def test_a_warning_comes_before_the_counter_runs_out(session: Session) -> None:
    anna = create_user(session, "Anna Nowak", ["anna.nowak@brightwave.test"])
    org = set_org_setting(session, "token-counter-digits", "1")
    warnings = [issue_token(session, anna, org).warning for _ in range(9)]
    assert warnings[0] is None
    assert warnings[-1] is not None and "token-counter-digits" in warnings[-1]
