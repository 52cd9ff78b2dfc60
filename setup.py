"""The one packaging rule pyproject.toml cannot state: the repository keeps the app's shipped files
(icons, translations, the demo mailbox) in the top-level resources/ folder, and every install
(wheel, editable, the PyInstaller folder) carries them as the package `app.resources`, found
through the import system (app/shipped.py). Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

setup(
    packages=[
        *find_namespace_packages(
            include=["app", "app.*", "exchange_sandbox", "exchange_sandbox.*"]
        ),
        "app.resources",
    ],
    package_dir={"app.resources": "resources"},
)
