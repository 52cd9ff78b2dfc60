"""`liaison help COMMAND` and `liaison COMMAND --help`: a manual page, with examples, for every
command the parser knows, so a new command without one fails here."""

from __future__ import annotations

import argparse

import pytest

from app.cli import build_parser, run
from app.cli.manual import PAGES, commands, example_arguments, sandbox_parser

SECTIONS = ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXAMPLES", "ENVIRONMENT", "EXIT STATUS")


def every_command() -> list[tuple[str, ...]]:
    paths = [command.path for command in commands(build_parser())]
    paths += [("sandbox", *command.path) for command in commands(sandbox_parser()) if command.path]
    return paths


def parser_of(path: tuple[str, ...]) -> argparse.ArgumentParser:
    if path[:1] == ("sandbox",):
        found = {command.path: command.parser for command in commands(sandbox_parser())}
        return found[path[1:]]
    return {command.path: command.parser for command in commands(build_parser())}[path]


def manual_of(path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    assert run(["help", *path]) == 0
    return capsys.readouterr().out


def test_the_parser_tree_holds_the_commands_the_readme_shows() -> None:
    keys = {" ".join(path) for path in every_command()}
    for command in (
        "init",
        "crm import",
        "crm list",
        "explain",
        "track",
        "untrack",
        "options set",
        "org set",
        "account add",
        "sync",
        "sandbox serve",
        "help",
    ):
        assert command in keys


@pytest.mark.parametrize("path", every_command(), ids=lambda path: " ".join(path) or "liaison")
def test_every_command_has_a_manual_page_with_every_section(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    assert " ".join(path) in PAGES, (
        f"add a page for `liaison {' '.join(path)}` in app/cli/manual.py"
    )
    manual = manual_of(path, capsys)
    headings = [line for line in manual.splitlines() if line and not line.startswith(" ")]
    optional = ("ARGUMENTS", "COMMANDS")  # only where a command takes or has them
    assert [heading for heading in headings if heading not in optional] == list(SECTIONS)
    assert manual.splitlines()[1].startswith("    " + " ".join(("liaison", *path)))
    description = manual.split("DESCRIPTION\n", 1)[1].split("\n\n", 1)[0]
    assert len(description.split()) >= 5, "a description says what the command does"


@pytest.mark.parametrize("path", every_command(), ids=lambda path: " ".join(path) or "liaison")
def test_every_option_of_a_command_is_in_its_manual(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    manual = manual_of(path, capsys)
    options = manual.split("OPTIONS\n", 1)[1]
    for action in parser_of(path)._actions:
        for option in action.option_strings:
            assert option in options


@pytest.mark.parametrize("path", every_command(), ids=lambda path: " ".join(path) or "liaison")
def test_every_example_is_a_command_line_the_parser_accepts(path: tuple[str, ...]) -> None:
    examples = PAGES[" ".join(path)].examples
    assert examples
    for line, what in examples:
        arguments = example_arguments(line)
        assert arguments[: len(path)] == list(path), f"{line!r} is not an example of {path}"
        assert what.endswith("."), "an example says what it does in a sentence"
        if path[:1] == ("sandbox",):
            sandbox_parser().parse_args(arguments[1:])
        else:
            build_parser().parse_args(arguments)


def test_dash_dash_help_ends_with_the_examples(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        run(["crm", "import", "--help"])
    assert leaving.value.code == 0
    shown = capsys.readouterr().out
    assert "Examples:\n  liaison crm import accounts accounts.csv\n" in shown
    assert shown.rstrip().endswith("The full manual: liaison help crm import")


def test_help_for_an_unknown_command_names_the_ones_there_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["help", "crm", "export"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("liaison: there is no command `liaison crm export`; try one of: ")
    assert "import" in error and "list" in error
