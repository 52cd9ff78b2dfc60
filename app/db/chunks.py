"""Long lists of keys in `IN (...)` clauses, a statement at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

# SQLite builds before 3.32 allow 999 bound parameters per statement; PostgreSQL's limit is
# far higher. 500 leaves room for the statement's other parameters.
IN_CLAUSE_SIZE = 500


def in_chunks(values: Iterable[T], size: int = IN_CLAUSE_SIZE) -> Iterator[Sequence[T]]:
    """`values` (duplicates dropped, order kept) in slices of at most `size`."""
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]
