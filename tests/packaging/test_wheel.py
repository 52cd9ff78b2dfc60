"""The wheel, installed into a fresh virtual environment, is a working Liaison on its own: the
demo window opens and `liaison sandbox serve --seed demo` answers EWS, from the installed copy and
never from the checkout.

Offline and quick: the wheel is built with this test environment's setuptools (no build
isolation), installed without its dependencies, and the fresh environment borrows them from this
one through a .pth file (which adds the directory only: the editable install's import hook there
is not run, so the checkout's `app` stays out of reach).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import site
import subprocess
import sys
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.demo import load_demo_mailbox
from tests.support.sandbox import make_account

ROOT = Path(__file__).resolve().parents[2]
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)


@dataclass(frozen=True)
class Installed:
    wheel: Path
    prefix: Path  # the fresh virtual environment
    home: Path  # LIAISON_HOME for what runs from it

    def command(self, name: str) -> str:
        return str(self.prefix / "bin" / name)

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        return {**env, "LIAISON_HOME": str(self.home), "QT_QPA_PLATFORM": "offscreen", **extra}


def run(
    *arguments: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        arguments, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=120
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    work = tmp_path_factory.mktemp("wheel")
    # A copy, so the build's own build/ and egg-info never land in the checkout.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCES)
    built = run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--quiet", "--wheel-dir", str(work / "dist"), str(source),
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("liaison_crm-*.whl")

    prefix = work / "venv"
    venv.create(prefix, with_pip=False, symlinks=os.name != "nt")
    python = str(prefix / "bin" / "python")
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    borrowed = "\n".join(site.getsitepackages())
    (Path(purelib.stdout.strip()) / "test-dependencies.pth").write_text(borrowed + "\n")
    installing = run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
        "--quiet", str(wheel),
    )  # fmt: skip
    assert installing.returncode == 0, installing.stderr
    return Installed(wheel, prefix, work / "home")


def test_the_wheel_holds_only_the_app_and_the_sandbox_with_the_demo_and_without_its_generator(
    installed: Installed,
) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()

    top_level = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert top_level == {"app", "exchange_sandbox"}
    assert "app/resources/demo/mailbox.json" in names
    assert "app/resources/icons/liaison.svg" in names
    assert "app/resources/translations/liaison_pl.qm" in names
    assert "app/resources/help/guide.pl.html" in names
    assert not [name for name in names if "demogen" in name or "make_demo" in name]


def test_the_installed_copy_is_what_runs_not_the_checkout(installed: Installed) -> None:
    found = run(
        installed.command("python"),
        "-c",
        "import json, app, exchange_sandbox; from app.shipped import resources_dir;"
        "print(json.dumps([app.__file__, exchange_sandbox.__file__, str(resources_dir())]))",
        cwd=installed.prefix,
        env=installed.env(),
    )

    assert found.returncode == 0, found.stderr
    for path in json.loads(found.stdout):
        assert Path(path).is_relative_to(installed.prefix), path


def test_the_installed_demo_opens_and_fills_its_crm(installed: Installed) -> None:
    opened = run(
        installed.command("liaison"),
        "--demo",
        "--quit-after-load",
        cwd=installed.prefix,
        env=installed.env(),
    )
    assert opened.returncode == 0, opened.stderr

    listed = run(
        installed.command("liaison"),
        "crm",
        "list",
        "contacts",
        "--json",
        cwd=installed.prefix,
        env=installed.env(LIAISON_PROFILE="demo"),
    )
    assert listed.returncode == 0, listed.stderr
    assert "Łukasz Pawlak" in {contact["name"] for contact in json.loads(listed.stdout)}


def test_the_installed_sandbox_serves_the_demo_mailbox_over_ews(installed: Installed) -> None:
    owner = load_demo_mailbox().owner
    process = subprocess.Popen(
        [installed.command("liaison"), "sandbox", "serve", "--seed", "demo", "--port", "0"],
        cwd=installed.prefix,
        env=installed.env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        announced = ""
        for line in process.stdout:  # the sandbox prints its URL once it listens
            announced += line
            if line.startswith("Press Ctrl-C"):
                break
        url = re.search(r"EWS URL:\s+(\S+)", announced)
        assert url, announced

        account = make_account(url.group(1), owner.email, owner.password)
        assert account.inbox.total_count > 0
        account.protocol.close()

        process.send_signal(signal.SIGTERM)
        output, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, errors
    assert "EWS sandbox stopped." in output
