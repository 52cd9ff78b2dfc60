"""Body conversions Exchange performs when a client asks for another BodyType."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from .values import Body

_BLOCK_TAGS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_SKIPPED_TAGS = {"script", "style", "head", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    text = "".join(extractor.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(text: str) -> str:
    lines = html.escape(text).splitlines() or [""]
    body = "".join(f"<div>{line or '<br>'}</div>" for line in lines)
    return (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>'
        f"<body>{body}</body></html>"
    )


def as_type(body: Body, requested: str) -> Body:
    """The body in the BodyType the shape asks for (Best keeps what is stored)."""
    if requested == "Best" or requested == body.body_type:
        return body
    if requested == "Text":
        return Body("Text", html_to_text(body.text))
    return Body("HTML", text_to_html(body.text))


def plain_text(body: Body | None) -> str:
    if body is None:
        return ""
    return html_to_text(body.text) if body.body_type == "HTML" else body.text
