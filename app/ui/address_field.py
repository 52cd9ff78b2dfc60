"""A To, Cc or Bcc field: addresses separated by `;` or `,`, the one being typed completed from
the CRM and the people mail came from or went to (app.services.addresses)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from app.services.addresses import AddressSuggestion
from app.services.compose import typed_address

MIN_TYPED = 2  # characters typed before suggestions show
SUGGESTIONS = 10


def last_segment(text: str) -> tuple[str, str]:
    """(what stays, the address being typed): split after the last separator outside quotes."""
    quoted = False
    cut = 0
    for position, char in enumerate(text):
        if char == '"':
            quoted = not quoted
        elif char in ",;" and not quoted:
            cut = position + 1
    return text[:cut], text[cut:].strip()


class AddressField(QLineEdit):
    def __init__(
        self,
        complete: Callable[[str, int], list[AddressSuggestion]],
        text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._complete = complete
        self._suggestions = QStringListModel(self)
        self.completer_popup = QCompleter(self._suggestions, self)
        self.completer_popup.setWidget(self)
        self.completer_popup.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_popup.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_popup.activated.connect(self.take_suggestion)
        self.textEdited.connect(self._suggest)
        self.setPlaceholderText(self.tr("name@example.com; another@example.com"))

    def suggestions(self) -> list[str]:
        return self._suggestions.stringList()

    def _suggest(self, text: str) -> None:
        _kept, typed = last_segment(text)
        found = self._complete(typed, SUGGESTIONS) if len(typed) >= MIN_TYPED else []
        self._suggestions.setStringList([typed_address(s.address) for s in found])
        if found:
            self.completer_popup.complete()
        else:
            self._hide_popup()

    def take_suggestion(self, chosen: str) -> None:
        """The address being typed becomes the chosen one, ready for the next."""
        kept, _typed = last_segment(self.text())
        prefix = f"{kept.rstrip()} " if kept else ""
        self.setText(f"{prefix}{chosen}; ")
        self._hide_popup()

    def _hide_popup(self) -> None:
        popup = self.completer_popup.popup()
        if popup is not None:
            popup.hide()
