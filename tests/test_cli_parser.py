"""How the command starts and ends: the parser of the one command a run names, and the exit."""

from __future__ import annotations

import argparse
import gc
import sys
from typing import TYPE_CHECKING, Any

import pytest

from leiden_twinning.cli import COMMANDS, _build_parser, _command_of, main

if TYPE_CHECKING:
    from collections.abc import Sequence


def _commands(parser: argparse.ArgumentParser) -> list[str]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def _outcome(
    parser: argparse.ArgumentParser, argv: Sequence[str], capsys: pytest.CaptureFixture[str]
) -> tuple[Any, ...]:
    """What parsing *argv* gives: the namespace and the rest, or the exit and what was printed."""
    try:
        args, rest = parser.parse_known_args(list(argv))
    except SystemExit as exc:
        out, err = capsys.readouterr()
        return ("exit", exc.code, out, err)
    return ("parsed", vars(args), rest)


#: Command lines of every command: plain, with options, with errors and with --help.
COMMAND_LINES = [
    ["show"],
    ["show", "torun", "--dataset", "ties.json"],
    ["show", "--help"],
    ["show", "a", "b"],
    ["validate", "data.json", "--strict", "--max-contact-age", "5"],
    ["validate"],
    ["validate", "data.json", "--max-contact-age", "many"],
    ["--locale", "nl", "validate", "--help"],
    ["formats"],
    ["formats", "--help"],
    ["formats", "extra"],
    ["languages", "--locale", "de"],
    ["export"],
    ["export", "ical", "--from-year", "2030", "--output", "out.ics"],
    ["export", "--help"],
    ["export", "vcard", "--split", "cards", "--dataset", "x.json"],
    ["--debug", "--locale=en", "export", "json", "-o", "-"],
    ["--version", "export", "ical"],
    ["sync", "ical", "https://example.org/cal/", "--dry-run", "--partnership", "oxford"],
    ["sync", "ics", "https://example.org/"],
    ["sync", "--help"],
    ["publish", "site", "--base-url", "https://example.org/", "--language", "nl", "--serve", "1"],
    ["publish"],
    ["serve", "site", "--port", "8080"],
    ["serve", "site", "--port", "eighty"],
    ["datasets"],
    ["schema", "-o", "schema.json"],
    ["schema", "--help"],
    ["init", "--home", "Delft", "--country", "NL", "--language", "nl"],
    ["init", "--home", "Delft"],
    ["--locale", "--debug", "formats"],
]


class TestOneCommand:
    def test_commands_are_those_of_the_whole_parser(self) -> None:
        """COMMANDS lists every command of the whole parser, in the order --help shows them."""
        assert list(COMMANDS) == _commands(_build_parser("en"))

    @pytest.mark.parametrize("command", COMMANDS)
    def test_the_parser_of_one_command_has_only_it(self, command: str) -> None:
        """A parser built for one command builds no other command's parser."""
        assert [command] == _commands(_build_parser("en", command))

    @pytest.mark.parametrize(
        ("argv", "command"),
        [
            (["export", "ical"], "export"),
            (["--locale", "nl", "show"], "show"),
            (["--locale=nl", "--debug", "--version", "formats", "x"], "formats"),
            (["--locale", "export", "formats"], "formats"),
            (["--locale"], None),
            ([], None),
            (["--debug"], None),
            (["-h", "show"], None),
            (["--help"], None),
            (["--loc", "nl", "show"], None),
            (["--", "show"], None),
            (["nonsense"], None),
            (["Show"], None),
            (["-1"], None),
        ],
    )
    def test_command_of(self, argv: list[str], command: str | None) -> None:
        """The command is read only where argparse surely takes the same word; else none."""
        assert command == _command_of(argv)

    @pytest.mark.parametrize("language", ["en", "nl", "ja"])
    @pytest.mark.parametrize("argv", COMMAND_LINES, ids=" ".join)
    def test_parses_as_the_whole_parser(
        self, argv: list[str], language: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """The parser built for the command a line names parses it as the whole parser does."""
        command = _command_of(argv)
        assert command is not None
        whole = _outcome(_build_parser(language), argv, capsys)
        assert whole == _outcome(_build_parser(language, command), argv, capsys)


class TestTheProgram:
    """Run as the program, the command freezes what it leaves for the interpreter's exit."""

    def test_the_program_freezes_what_it_leaves(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """Without arguments main() reads sys.argv and, done, freezes the objects alive."""
        monkeypatch.setattr(sys, "argv", ["leiden-twinning", "formats"])
        assert 0 == gc.get_freeze_count()
        try:
            assert 0 == main()
            assert gc.get_freeze_count() > 0
        finally:
            gc.unfreeze()
        assert "ical" in capsys.readouterr().out

    def test_the_program_freezes_after_an_error_too(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A command line argparse rejects (it exits at once) freezes as well."""
        monkeypatch.setattr(sys, "argv", ["leiden-twinning", "--locale", "en", "nonsense"])
        try:
            with pytest.raises(SystemExit) as exc:
                main()
            assert 2 == exc.value.code
            assert gc.get_freeze_count() > 0
        finally:
            gc.unfreeze()
        assert "invalid choice: 'nonsense'" in capsys.readouterr().err

    def test_a_call_with_arguments_freezes_nothing(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """main() called with its arguments (from Python, from a test) leaves the collector be."""
        assert 0 == main(["formats"])
        assert 0 == gc.get_freeze_count()
        assert "ical" in capsys.readouterr().out
