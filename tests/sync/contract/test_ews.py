"""The backend contract for the EWS backend, end to end over HTTP against the sandbox."""

from __future__ import annotations

import pytest

from tests.support.remote import Remote, SandboxRemote
from tests.support.sandbox import Sandbox
from tests.sync.contract.contract import BackendContract


class TestEwsBackend(BackendContract):
    @pytest.fixture
    def remote(self, sandbox: Sandbox) -> Remote:
        return SandboxRemote(sandbox, sandbox.new_user("Anna Nowak", domain="brightwave.example"))
