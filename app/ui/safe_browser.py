"""Showing a message body safely: no scripts, no remote content unless asked, no local files.

Qt's rich text engine runs no scripts. What is left to guard is resources: an HTML mail can point
images at a web server (a read receipt and a tracker) or at a local file. This browser refuses
every resource except images embedded as data: URLs; remote images come only after the user
pressed "Load images" for this message, fetched asynchronously with a size cap.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWidgets import QTextBrowser, QWidget

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 5 * 1024 * 1024
_REMOTE_SCHEMES = frozenset({"http", "https"})
_OPENABLE_LINKS = frozenset({"http", "https", "mailto"})
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)


# Where an HTML mail names an image: an <img>'s source, the background of the page or a table,
# and url() in an inline style. An <iframe>, <script>, <embed>, <video>, <audio> or <source> has
# a src too, but "Load images" is about images: their addresses are never fetched.
_IMAGE_ATTRIBUTES = {
    "img": ("src",),
    "body": ("background",),
    "table": ("background",),
    "tr": ("background",),
    "td": ("background",),
    "th": ("background",),
}


class _ResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        image_attributes = _IMAGE_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value and name in image_attributes:
                self._add(value)
            elif value and name == "style":
                for match in _CSS_URL.finditer(value):
                    self._add(match.group(1))

    def _add(self, address: str) -> None:
        if urlsplit(address.strip()).scheme.lower() in _REMOTE_SCHEMES:
            self.found.add(address.strip())


# Newsletters lay out for a 600-700 px column: a table or cell of fixed pixel width would make
# the reading pane scroll sideways. As Thunderbird does, such widths give way to the pane:
# a fixed-width table takes the pane's width at most (100%), a cell wraps its text.
_BOX_TAG = re.compile(r"<(table|td|th|div|col|colgroup)\b([^>]*)>", re.IGNORECASE)
_PIXEL_WIDTH = re.compile(r"""\swidth\s*=\s*["']?\d+(?:px)?["']?""", re.IGNORECASE)
_STYLE = re.compile(r"""(\sstyle\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)
_STYLE_WIDTH = re.compile(r"(?<![-\w])(?:min-)?width\s*:\s*\d+(?:\.\d+)?px\s*;?", re.IGNORECASE)


def _fit_box(match: re.Match[str]) -> str:
    tag, attributes = match.group(1), match.group(2)
    fixed = _PIXEL_WIDTH.search(attributes) is not None
    attributes = _PIXEL_WIDTH.sub("", attributes)
    if fixed and tag.lower() == "table":
        attributes += ' width="100%"'
    attributes = _STYLE.sub(
        lambda style: (
            style.group(1) + style.group(2) + _STYLE_WIDTH.sub("", style.group(3)) + style.group(2)
        ),
        attributes,
    )
    return f"<{tag}{attributes}>"


def fit_to_pane(html: str) -> str:
    """The message's HTML with fixed pixel widths of tables, cells and blocks let go, so it
    wraps to the pane instead of scrolling sideways (images keep their size)."""
    return _BOX_TAG.sub(_fit_box, html)


def remote_resources(html: str) -> set[str]:
    """The http(s) images and backgrounds a message's HTML asks for (nothing else)."""
    finder = _ResourceFinder()
    finder.feed(html)
    finder.close()
    return finder.found


class SafeBrowser(QTextBrowser):
    remote_content_blocked = Signal(int)  # how many remote resources were refused

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.anchorClicked.connect(self._open_link)
        self._html = ""
        self._blocked: set[str] = set()
        self._fetched: dict[str, QImage] = {}
        self._network: QNetworkAccessManager | None = None
        self._replies: list[QNetworkReply] = []

    def show_html(self, html: str) -> None:
        self._reset()
        # Counted from the markup, not from loadResource: Qt asks for resources lazily, at layout.
        self._blocked = remote_resources(html)
        self._html = html = fit_to_pane(html)
        self.setHtml(html)
        if self._blocked:
            self.remote_content_blocked.emit(len(self._blocked))

    def show_text(self, text: str) -> None:
        self._reset()
        self.setPlainText(text)

    def blocked_count(self) -> int:
        return len(self._blocked)

    def load_remote_content(self) -> None:
        """Fetch the remote images of the current message (the user asked for them)."""
        if self._network is None:
            self._network = QNetworkAccessManager(self)
        for address in sorted(self._blocked):
            request = QNetworkRequest(QUrl(address))
            request.setAttribute(
                QNetworkRequest.Attribute.RedirectPolicyAttribute,
                QNetworkRequest.RedirectPolicy.NoLessSafeRedirectPolicy,
            )
            reply = self._network.get(request)
            reply.setReadBufferSize(MAX_IMAGE_BYTES)
            reply.finished.connect(
                lambda reply=reply, address=address: self._image_arrived(reply, address)
            )
            self._replies.append(reply)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        scheme = name.scheme().lower()
        if scheme == "data":
            return super().loadResource(kind, name)
        address = name.toString()
        if scheme in _REMOTE_SCHEMES and kind == QTextDocument.ResourceType.ImageResource:
            return self._fetched.get(address)
        # file:, qrc:, relative paths, cid: without an attachment: refused.
        return None

    def _reset(self) -> None:
        for reply in self._replies:
            reply.abort()
            reply.deleteLater()
        self._replies.clear()
        self._html = ""
        self._blocked.clear()
        self._fetched.clear()
        self.document().clear()

    def _image_arrived(self, reply: QNetworkReply, address: str) -> None:
        if reply not in self._replies:
            return  # the message changed meanwhile
        self._replies.remove(reply)
        reply.deleteLater()
        if reply.error() != QNetworkReply.NetworkError.NoError:
            log.info("remote image %s not loaded: %s", address, reply.errorString())
            return
        data = reply.read(MAX_IMAGE_BYTES)
        image = QImage()
        if not image.loadFromData(data):
            return
        self._fetched[address] = image
        if not self._replies:
            # Lay out again once every image is in, so the text does not jump for each one.
            self.setHtml(self._html)

    def _open_link(self, url: QUrl) -> None:
        if url.scheme().lower() in _OPENABLE_LINKS:
            QDesktopServices.openUrl(url)
