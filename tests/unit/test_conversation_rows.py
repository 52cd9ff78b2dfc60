"""Which message each row of the conversation view shows: conversations of 3, 1 and 2 messages,
their positions 0-2, 3 and 4-5 in the listing (oldest first within each)."""

from __future__ import annotations

from app.ui.conversation_rows import ConversationRows, Slot


def rows() -> ConversationRows:
    return ConversationRows([3, 1, 2])


def test_collapsed_each_conversation_is_one_row_standing_for_its_newest_message() -> None:
    layout = rows()

    assert len(layout) == 3
    assert [layout.slot(row) for row in range(3)] == [
        Slot(0, 2, heading=True, member=False),
        Slot(1, 3, heading=False, member=False),
        Slot(2, 5, heading=True, member=False),
    ]


def test_an_expanded_conversation_lists_its_messages_oldest_first_under_its_heading() -> None:
    layout = rows()

    assert layout.expand(0)

    assert len(layout) == 6
    assert [layout.slot(row).position for row in range(6)] == [2, 0, 1, 2, 3, 5]
    assert [layout.slot(row).member for row in range(6)] == [False, True, True, True, False, False]


def test_rows_after_an_expanded_conversation_move_down_by_its_size() -> None:
    layout = rows()
    layout.expand(2)
    layout.expand(0)

    assert layout.row_of(1) == 4
    assert layout.row_of(2) == 5
    assert layout.slot(7) == Slot(2, 5, heading=False, member=True)


def test_a_message_is_on_its_own_row_when_expanded_else_on_its_conversations() -> None:
    layout = rows()

    assert layout.row_of_position(1) == 0
    layout.expand(0)
    assert layout.row_of_position(1) == 2
    assert layout.row_of_position(4) == 5


def test_a_single_message_does_not_expand_and_collapsing_twice_changes_nothing() -> None:
    layout = rows()

    assert not layout.expand(1)
    assert layout.expand(2) and layout.collapse(2)
    assert not layout.collapse(2)
    assert len(layout) == 3
