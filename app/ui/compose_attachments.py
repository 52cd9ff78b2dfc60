"""The compose window's attachments: files added (Attach…, or dropped on the window) and those a
forward or a draft carries from a cached message; each with its size, the total below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.sync.outgoing import CarriedAttachment
from app.ui.formatting import file_size
from app.ui.icons import icon

Attached = Path | CarriedAttachment


def dropped_files(data: QMimeData) -> list[Path]:
    """The local files a drag brings (anything else it carries is not attachable)."""
    return [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]


def _size(attached: Attached) -> int | None:
    if isinstance(attached, CarriedAttachment):
        return attached.size
    try:
        return attached.stat().st_size
    except OSError:
        return None


class ComposeAttachments(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._attached: list[Attached] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setObjectName("composeAttachments")
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(True)
        self.list.setMaximumHeight(self.fontMetrics().height() * 3 + 12)
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        buttons = QHBoxLayout()
        self.attach_button = QPushButton(icon("attachment"), self.tr("Attach…"))
        self.attach_button.setToolTip(self.tr("Attach files (or drop them on this window)"))
        self.remove_button = QPushButton(icon("cancel"), self.tr("Remove"))
        self.total = QLabel()
        self.total.setObjectName("attachmentsTotal")
        buttons.addWidget(self.attach_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.total, 1)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.attach_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._enable)
        self._show()

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(a for a in self._attached if isinstance(a, Path))

    @property
    def carried(self) -> tuple[CarriedAttachment, ...]:
        return tuple(a for a in self._attached if isinstance(a, CarriedAttachment))

    def set_attached(self, files: tuple[Path, ...], carried: tuple[CarriedAttachment, ...]) -> None:
        # Attachments shown in a forwarded body travel with it, unlisted, as Outlook does.
        self._attached = [*carried, *files]
        self._show()

    def add_files(self, paths: list[Path]) -> None:
        new = [path for path in paths if path.is_file() and path not in self._attached]
        if not new:
            return
        self._attached.extend(new)
        self._show()
        self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(item) for item in self.list.selectedItems()), reverse=True)
        visible = self._visible()
        for row in rows:
            self._attached.remove(visible[row])
        if rows:
            self._show()
            self.changed.emit()

    def choose_files(self) -> None:
        dialog = QFileDialog(self, self.tr("Attach files"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if dialog.exec() == QFileDialog.DialogCode.Accepted:
            self.add_files([Path(name) for name in dialog.selectedFiles()])

    def total_size(self) -> int:
        return sum(_size(a) or 0 for a in self._attached)

    def _visible(self) -> list[Attached]:
        return [a for a in self._attached if not (isinstance(a, CarriedAttachment) and a.inline)]

    def _show(self) -> None:
        self.list.clear()
        visible = self._visible()
        for attached in visible:
            name = attached.name or self.tr("(unnamed attachment)")
            item = QListWidgetItem(icon("attachment"), f"{name}  {file_size(_size(attached))}")
            item.setToolTip(str(attached) if isinstance(attached, Path) else name)
            self.list.addItem(item)
        self.list.setVisible(bool(visible))
        self.total.setText(
            self.tr("%n attachment(s), %1", "", len(visible)).replace(
                "%1", file_size(self.total_size())
            )
            if visible
            else ""
        )
        self._enable()

    def _enable(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
