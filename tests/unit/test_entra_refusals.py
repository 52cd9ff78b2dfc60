"""Entra's refusals worded for the user (app.sync.graph.signin.explain): every answer, however
odd, gives one sentence without Entra's trace ids."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.sync.graph.signin import explain

refusals = st.fixed_dictionaries(
    {},
    optional={
        "error": st.sampled_from(
            ["invalid_grant", "interaction_required", "consent_required", "access_denied", ""]
        )
        | st.text(max_size=20),
        "error_description": st.builds(
            lambda code, text: f"AADSTS{code}: {text} Trace ID: 1 Correlation ID: 2",
            st.integers(min_value=0, max_value=999999),
            st.text(max_size=40),
        )
        | st.text(max_size=60),
        "error_codes": st.lists(st.integers(min_value=0, max_value=999999), max_size=3),
        "suberror": st.sampled_from(["consent_required", "message_only", "basic_action"]),
    },
)


@given(refusals)
def test_every_refusal_is_worded_without_trace_ids(refusal: dict[str, object]) -> None:
    said = explain(refusal)

    assert said.strip()
    assert "Trace ID" not in said


def test_a_disabled_account_comes_before_anything_else_it_says() -> None:
    said = explain({"error": "invalid_grant", "error_codes": [50057, 65001]})

    assert said.startswith("This Microsoft 365 account is disabled")


def test_consent_is_named_from_the_suberror_alone() -> None:
    said = explain({"error": "invalid_grant", "suberror": "consent_required"})

    assert "consented" in said
