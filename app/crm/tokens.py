"""Handing out tracking tokens: each one once, ever.

The per-user counter only grows, and every issued token is a primary key, so even a change of
prefix, base number or digit counts that would make an old token come round again skips it instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.crm.errors import CrmError
from app.crm.models import IssuedToken, SystemUser
from app.tracking.model import OrgSettings
from app.tracking.tokens import counter_capacity, counter_warning, format_token


@dataclass(frozen=True, slots=True)
class IssuedTokenResult:
    token: str
    warning: str | None


def issue_token(session: Session, user: SystemUser, org: OrgSettings) -> IssuedTokenResult:
    capacity = counter_capacity(org)
    # Lock the user's row (PostgreSQL; SQLite serialises writers anyway) so two clients of one
    # user cannot take the same counter value. `token_counter` is the next value to hand out.
    locked = session.scalars(
        select(SystemUser).where(SystemUser.id == user.id).with_for_update()
    ).one()
    while True:
        counter = max(locked.token_counter, 1)  # 000 looks like a typo to people; start at 001
        if counter >= capacity:
            raise CrmError(
                f"{locked.name} has used all {capacity - 1} tracking tokens of "
                f"{org.token_counter_digits} digits; ask an administrator to raise "
                "token-counter-digits (liaison org set token-counter-digits N)"
            )
        locked.token_counter = counter + 1
        try:
            token = format_token(org, org.token_base + locked.user_number, counter)
        except ValueError as exc:
            raise CrmError(f"Cannot make a tracking token: {exc}") from exc
        if session.get(IssuedToken, token) is None:
            break
    session.add(IssuedToken(token=token, user_id=locked.id))
    session.flush()
    warning = counter_warning(org, counter)
    return IssuedTokenResult(token, f"{locked.name}: {warning}" if warning else None)
