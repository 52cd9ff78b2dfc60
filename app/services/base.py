"""What every service has: the opened profile and its mail account's address."""

from __future__ import annotations

from app.accounts import load_account
from app.workspace import Workspace


class ProfileService:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def account_address(self) -> str | None:
        account = load_account(self.workspace)
        return account.address if account is not None else None
