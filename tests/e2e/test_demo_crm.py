"""The demo profile's CRM, seeded from resources/demo: it must match the demo mailbox."""

from __future__ import annotations

import json

from sqlalchemy import select

from app.crm.models import Contact, EmailActivity, Opportunity
from app.demo import load_demo_mailbox, seed_demo_crm
from app.shipped import demo_data_dir
from app.workspace import Workspace


def test_the_demo_crm_is_seeded_once_with_its_tracked_history() -> None:
    mailbox = load_demo_mailbox()
    with Workspace.open("demo") as workspace:
        workspace.initialise(mailbox.owner.email, mailbox.owner.name)
        assert seed_demo_crm(workspace) is True
        assert seed_demo_crm(workspace) is False
        with workspace.crm.sessions() as session:
            activities = session.scalars(select(EmailActivity)).all()
            assert session.scalars(select(Contact)).first() is not None
            assert session.scalars(select(Opportunity)).first() is not None
    expected = json.loads((demo_data_dir() / "tracked.json").read_text(encoding="utf-8"))
    assert len(activities) == len(expected)
    assert all(activity.regarding_id is not None for activity in activities)
    assert {activity.message_id for activity in activities} == {e["message_id"] for e in expected}
