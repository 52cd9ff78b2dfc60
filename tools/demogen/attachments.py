"""Small, valid attachments: one-page PDFs, CSV extracts and text logs."""

from __future__ import annotations

import unicodedata

from .mail import Attachment

# Polish letters without a Unicode decomposition; the PDF's standard font is Latin-1 only.
ASCII_FALLBACK = str.maketrans({"ł": "l", "Ł": "L", "ß": "ss", "–": "-", "—": "-", "·": "-"})


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(ASCII_FALLBACK))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _pdf_string(text: str) -> str:
    escaped = _ascii(text).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"({escaped})"


def pdf_document(title: str, lines: tuple[str, ...]) -> bytes:
    """A one-page PDF 1.4 showing `title` and `lines` in Helvetica, with a correct xref table."""
    text_ops = ["BT", "/F1 16 Tf", "72 770 Td", f"{_pdf_string(title)} Tj", "/F1 11 Tf", "0 -30 Td"]
    for line in lines:
        text_ops += [f"{_pdf_string(line)} Tj", "0 -16 Td"]
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    document = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        document += b"%010d 00000 n \n" % offset
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(document)


def pdf(filename: str, title: str, *lines: str) -> Attachment:
    return Attachment(filename, "application/pdf", pdf_document(title, lines))


def csv_file(filename: str, rows: tuple[tuple[str, ...], ...]) -> Attachment:
    text = "".join(";".join(row) + "\r\n" for row in rows)
    return Attachment(filename, "text/csv", text.encode("utf-8"))


def text_file(filename: str, *lines: str) -> Attachment:
    return Attachment(filename, "text/plain", ("\n".join(lines) + "\n").encode("utf-8"))
