"""The command line's parser is built for the one command a run names, and parses as the whole."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

import pytest

from leiden_twinning.cli import COMMANDS, _build_parser, _command_of

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
