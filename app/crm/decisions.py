"""A tracking decision as JSON: what an activity keeps, and the facts `liaison explain --json`
prints beside the evidence in words."""

from __future__ import annotations

from typing import Any

from app.tracking.model import Decision
from app.tracking.reasons import reasons_as_json


def decision_to_json(decision: Decision) -> dict[str, Any]:
    return {
        "track": decision.track,
        "rule": decision.rule.value,
        "regarding": decision.regarding.as_json() if decision.regarding else None,
        "sender": decision.sender.as_json() if decision.sender else None,
        "create": decision.create.as_json() if decision.create else None,
        "reasons": reasons_as_json(decision.reasons),
        "notes": reasons_as_json(decision.warnings),
        "token": decision.token,
        "correlated_activity_id": decision.correlated_activity_id,
        "existing_activity_id": decision.existing_activity_id,
        "parties": [
            {
                "role": party.role.value,
                "email": party.address.email,
                "name": party.address.name,
                "records": [record.as_json() for record in party.records],
            }
            for party in decision.parties
        ],
    }
