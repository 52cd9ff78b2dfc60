"""Where the user has been, for Back and Forward: a browser's history, without Qt."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")

LIMIT = 100  # places remembered back; older ones are forgotten


class PlaceHistory(Generic[T]):
    def __init__(self) -> None:
        self._places: list[T] = []
        self._at = -1

    @property
    def current(self) -> T | None:
        return self._places[self._at] if self._at >= 0 else None

    def visit(self, place: T) -> None:
        """A place the user went to: it ends the history (what was forward of here is gone)."""
        if place == self.current:
            return
        del self._places[self._at + 1 :]
        self._places.append(place)
        del self._places[:-LIMIT]
        self._at = len(self._places) - 1

    def can_go_back(self) -> bool:
        return self._at > 0

    def can_go_forward(self) -> bool:
        return self._at < len(self._places) - 1

    def back(self) -> T | None:
        if not self.can_go_back():
            return None
        self._at -= 1
        return self._places[self._at]

    def forward(self) -> T | None:
        if not self.can_go_forward():
            return None
        self._at += 1
        return self._places[self._at]
