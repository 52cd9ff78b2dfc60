"""Keys for IN clauses come in slices small enough for every SQLite build."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.db.chunks import in_chunks


@given(st.lists(st.integers(min_value=0, max_value=50)), st.integers(min_value=1, max_value=7))
def test_chunks_hold_each_key_once_in_first_seen_order_and_none_is_too_big(
    keys: list[int], size: int
) -> None:
    chunks = list(in_chunks(keys, size))

    assert [key for chunk in chunks for key in chunk] == list(dict.fromkeys(keys))
    assert all(0 < len(chunk) <= size for chunk in chunks)


def test_a_generator_of_keys_is_read_once() -> None:
    keys = (f"<{n}@brightwave.example>" for n in range(1_201))

    assert [len(chunk) for chunk in in_chunks(keys)] == [500, 500, 201]
