"""The README names files, folders and command lines that are real."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from app.cli import build_parser
from app.cli.manual import example_arguments, sandbox_parser
from app.config import DEFAULT_PROFILE, profile_paths

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_scripts_the_readme_runs_exist_and_are_executable() -> None:
    scripts = set(re.findall(r"packaging/[\w-]+\.(?:sh|py)", README))
    assert {
        "packaging/build.sh",
        "packaging/install-desktop.sh",
        "packaging/make_icons.py",
    } <= scripts
    for script in scripts:
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is not executable"


def test_ci_runs_the_readme_s_test_command() -> None:
    block = README.split("Set up and run the tests:", 1)[1]
    command = re.search(r"```sh\n(.+?)\n```", block, flags=re.DOTALL)
    assert command is not None
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command.group(1) in ci
    assert "deptry ." in command.group(1)  # declared dependencies match imports
    assert "lint-imports" in command.group(1)  # the layers of docs/ARCHITECTURE.md hold
    assert "mypy" in command.group(1)


def test_the_readme_finds_the_built_app_where_build_sh_puts_it() -> None:
    default_build = re.search(
        r"build=\$\{1:-\$root/(.+)\}", (ROOT / "packaging/build.sh").read_text()
    )
    assert default_build is not None
    assert f"{default_build.group(1)}/dist/liaison/liaison --demo" in README


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux row of the table")
def test_the_linux_log_and_data_folders_in_the_readme_are_where_liaison_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    home = Path("/home/anna")
    monkeypatch.setenv("HOME", str(home))
    for variable in ("XDG_STATE_HOME", "XDG_DATA_HOME", "LIAISON_HOME", "LIAISON_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    paths = profile_paths()
    assert paths.profile == DEFAULT_PROFILE
    row = next(line for line in README.splitlines() if line.startswith("| Linux"))
    for folder in (paths.log_dir, paths.data_dir):
        assert f"`~/{folder.relative_to(home)}/`" in row


def _readme_command_lines() -> list[str]:
    """Every `liaison ...` line of the README's shell blocks, continuations joined, comments cut."""
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            command = line.split(" #", 1)[0].strip()
            if command.startswith("liaison "):
                lines.append(command)
    return lines


@pytest.mark.parametrize("line", _readme_command_lines())
def test_every_command_line_in_the_readme_is_one_liaison_accepts(line: str) -> None:
    arguments = example_arguments(line)
    # The README's placeholders in square brackets are optional parts: drop them.
    arguments = [word for word in arguments if not word.startswith("[")]
    arguments = [word for word in arguments if not word.endswith("]")]
    try:
        if arguments[:1] == ["sandbox"]:
            sandbox_parser().parse_args(arguments[1:])
        else:
            build_parser().parse_args(arguments)
    except SystemExit as leaving:  # --version and --help end the parse, successfully
        assert leaving.code == 0, f"liaison refuses {line!r}"
