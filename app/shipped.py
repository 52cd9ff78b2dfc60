"""Where Liaison's shipped files are: icons, translations and the demo mailbox.

The repository keeps them in its top-level resources/ folder, which every install carries as the
package `app.resources` (setup.py). Asking the import system for that package finds the folder
the same way in a checkout (through its editable install), in an installed wheel and in the
PyInstaller folder, so no caller guesses a path relative to the code.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

RESOURCES_PACKAGE = "app.resources"


@cache
def resources_dir() -> Path:
    folder = files(RESOURCES_PACKAGE)
    # Every way Liaison is installed keeps the package as files on disk (never zipped), and the
    # callers hand these paths to Qt and the sandbox, which want real files.
    if not isinstance(folder, Path):
        raise RuntimeError(f"Liaison's resources are not a folder on disk: {folder}")
    return folder


def demo_data_dir() -> Path:
    """The demo quarter the sandbox and the demo CRM are filled from (see its README.md)."""
    return resources_dir() / "demo"
