"""A tracking decision as JSON: what `liaison explain --json` prints and what an activity keeps."""

from __future__ import annotations

from typing import Any

from app.tracking.model import Decision


def decision_to_json(decision: Decision) -> dict[str, Any]:
    return {
        "track": decision.track,
        "rule": decision.rule.value,
        "regarding": decision.regarding.as_json() if decision.regarding else None,
        "sender": decision.sender.as_json() if decision.sender else None,
        "create": decision.create.as_json() if decision.create else None,
        "evidence": decision.evidence,
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
        "warnings": list(decision.warnings),
    }
