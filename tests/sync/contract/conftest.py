"""The contract's tests live in a module of their own (contract.py), which the backends' test
modules subclass; pytest explains its failed assertions only when told to rewrite them."""

import pytest

pytest.register_assert_rewrite("tests.sync.contract.contract")
