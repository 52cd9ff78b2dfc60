"""Paths of the window's shipped files (icons, translations) in the resources folder."""

from __future__ import annotations

from pathlib import Path

from app.shipped import resources_dir


def icon_path(name: str) -> Path:
    return resources_dir() / "icons" / f"{name}.svg"


def translations_dir() -> Path:
    return resources_dir() / "translations"
