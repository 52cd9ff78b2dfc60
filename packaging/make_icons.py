"""Renders the app icon (resources/icons/liaison.svg) for installers and the Linux desktop.

    python packaging/make_icons.py

writes, under packaging/icons/:
  hicolor/NxN/apps/io.github.liaisoncrm.Liaison.png    the freedesktop sizes, 16 to 512
  hicolor/scalable/apps/io.github.liaisoncrm.Liaison.svg
  liaison.ico     Windows (installer, executables, Start menu)
  liaison.icns    macOS (the .app bundle)

Qt's SVG renderer draws every size, so the script needs only what the app itself needs. The .ico
and .icns hold PNG images, which Windows (Vista on) and macOS (10.7 on) read; both containers are
simple enough to write here, while Qt only reads them. The outputs are committed: building the
installers needs no display and no Qt.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "liaison.svg"
OUTPUT = ROOT / "packaging" / "icons"
APP_ID = "io.github.liaisoncrm.Liaison"

HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# The .icns types that hold PNG data, by pixel size (retina variants share a size with a type).
ICNS_TYPES: tuple[tuple[bytes, int], ...] = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def hicolor_path(output: Path, size: int) -> Path:
    return output / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render_png(svg: bytes, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{SOURCE} is not an SVG image Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: Sequence[tuple[int, bytes]]) -> bytes:
    """An ICONDIR, one ICONDIRENTRY per image, then the PNG data; 256 is written as 0."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(header) + 16 * len(pngs)
    entries = b""
    for size, png in pngs:
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(png for _, png in pngs)


def icns(images: Sequence[tuple[bytes, bytes]]) -> bytes:
    """'icns', the total length, then (type, length including its 8-byte header, PNG) blocks."""
    body = b"".join(kind + struct.pack(">I", len(png) + 8) + png for kind, png in images)
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def make_icons(output: Path = OUTPUT, source: Path = SOURCE) -> list[Path]:
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _application = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = source.read_bytes()
    sizes = sorted({*HICOLOR_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render_png(svg, size) for size in sizes}
    written: list[Path] = []
    for size in HICOLOR_SIZES:
        path = hicolor_path(output, size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pngs[size])
        written.append(path)
    scalable = output / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, scalable)
    written.append(scalable)
    (output / "liaison.ico").write_bytes(ico([(size, pngs[size]) for size in ICO_SIZES]))
    (output / "liaison.icns").write_bytes(icns([(kind, pngs[size]) for kind, size in ICNS_TYPES]))
    written += [output / "liaison.ico", output / "liaison.icns"]
    return written


def main() -> int:
    for path in make_icons():
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
