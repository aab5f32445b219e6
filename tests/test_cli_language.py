"""One language per run: everything the command prints follows ``--locale`` or the environment."""

from __future__ import annotations

import errno
import gettext
import json
import re
import string
import subprocess
import sys
from importlib import resources
from typing import TYPE_CHECKING, Any

import pytest
from babel.messages.pofile import read_po

import leiden_twinning as lt
from leiden_twinning._cli_i18n import (
    ARGPARSE_MESSAGES,
    error_text,
    os_error_text,
    problem_text,
    translate_argparse,
)
from leiden_twinning._i18n import CATALOG_LANGUAGES, _translations
from leiden_twinning.cli import main
from leiden_twinning.exceptions import UnknownEntityError

if TYPE_CHECKING:
    from pathlib import Path

LOCALE = resources.files("leiden_twinning").joinpath("locale")

#: Common English words that are words of neither Dutch nor German (so "is", "in", "also",
#: "was", "will" and "die" are left out).
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "with",
        "this",
        "that",
        "show",
        "shows",
        "file",
        "files",
        "folder",
        "usage",
        "options",
        "optional",
        "positional",
        "error",
        "errors",
        "warning",
        "arguments",
        "argument",
        "exit",
        "message",
        "help",
        "invalid",
        "choice",
        "choose",
        "required",
        "unknown",
        "unrecognized",
        "expected",
        "following",
        "city",
        "such",
        "not",
        "from",
        "default",
        "for",
        "which",
        "use",
        "ties",
        "tie",
        "check",
        "list",
        "every",
        "each",
        "save",
        "read",
        "instead",
        "own",
        "command",
        "language",
        "languages",
        "found",
        "valid",
        "mistake",
        "mistakes",
        "your",
        "else",
        "only",
        "another",
        "numbers",
        "dates",
        "page",
        "calendar",
        "contacts",
        "please",
        "report",
        "internal",
        "or",
        "to",
        "be",
        "are",
        "it",
        "its",
        "can",
        "may",
        "where",
        "when",
        "what",
        "without",
        "into",
        "than",
        "would",
        "nothing",
        "one",
        "provided",
        "format",
        "formats",
        "kind",
    ]
)

#: Words that are the same in every language: the program, the commands, codes and names.
UNTRANSLATABLE = frozenset(
    [
        "leiden",
        "twinning",
        "show",
        "validate",
        "formats",
        "languages",
        "export",
        "sync",
        "publish",
        "serve",
        "json",
        "geojson",
        "ical",
        "vcard",
        "html",
        "markdown",
        "caldav",
        "carddav",
        "lang",
        "netrc",
        "ctrl",
        "nl",
        "en",
        "de",
        "es",
        "ja",
        "pl",
        "fr",
        "be",
        "gb",
        "url",
    ]
)

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sr]|%[sr]")


def _words(text: str) -> list[str]:
    """The words a person reads in *text*: no options, paths, quoted values or placeholders."""
    text = re.sub(r"'[^']*'|`[^`]*`", " ", text)  # values the user typed, commands to type
    text = re.sub(r"(?<![\w])-{1,2}[\w-]+", " ", text)  # options
    text = re.sub(r"\S*/\S*", " ", text)  # paths
    return [w for w in re.findall(r"[^\W\d_]+", text) if w.lower() not in UNTRANSLATABLE]


def english_words(text: str) -> list[str]:
    """The common English words in *text*."""
    return [w for w in _words(text) if w.lower() in ENGLISH_WORDS]


def _catalog(language: str) -> dict[str, str]:
    """The catalog of *language*: message id to translation ("" when untranslated)."""
    path = LOCALE.joinpath(language, "LC_MESSAGES", "leiden_twinning.po")
    with path.open("rb") as stream:
        catalog = read_po(stream)
    found = {}
    for message in catalog:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = (
            (message.string,) if isinstance(message.string, str) else tuple(message.string or ())
        )
        for i, msgid in enumerate(ids):
            found[msgid] = strings[min(i, len(strings) - 1)] if strings else ""
    return found


def english_sentences(text: str, language: str) -> list[str]:
    """The English message ids of *language*'s catalog whose phrases appear in *text*.

    A message counts when its translation differs from it or is missing; each of its pieces
    between placeholders with two words or more must then be absent from *text*.
    """
    leaks = []
    for msgid, translation in _catalog(language).items():
        if translation == msgid:
            continue  # the same in both languages on purpose
        for piece in PLACEHOLDER.split(msgid):
            phrase = piece.strip(string.whitespace + ":;,.()")
            if len(re.findall(r"[^\W\d_]+", phrase)) >= 2 and phrase in text:
                leaks.append(msgid)
                break
    return leaks


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Run the command in this process: exit status, and standard output and error together."""
    try:
        status = main(list(argv))
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out + err


@pytest.fixture
def bad_dataset(tmp_path: Path) -> Path:
    """A dataset file with a Dutch theme, a month 13 and a number written as text."""
    document = json.loads(
        resources.files("leiden_twinning").joinpath("data", "leiden.json").read_text("utf-8")
    )
    document["partnerships"][0]["themes"][0] = "cultuur"
    document["partnerships"][1]["history"][0]["date"] = "1988-13"
    document["cities"][2]["population"]["value"] = "120.000"
    path = tmp_path / "BAD.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No locale variable from the machine; the test sets the ones it wants."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


#: The runs of the issue: help, a format's help, errors of the input and of the command line.
RUNS: dict[str, tuple[tuple[str, ...], int]] = {
    "help": (("--help",), 0),
    "export help": (("export", "--help"), 0),
    "export json help": (("export", "json", "--help"), 0),
    "validate help": (("validate", "--help"), 0),
    "show nosuchcity": (("show", "nosuchcity"), 1),
    "unknown locale": (("show", "torun", "--locale", "xx"), 1),
    "missing file": (("validate", "MISSING.json"), 1),
    "missing argument": (("validate",), 2),
    "bad number": (("validate", "x.json", "--max-contact-age", "ten"), 2),
    "unknown command": (("frobnicate",), 2),
    "unknown option": (("show", "--colour"), 2),
    "option without value": (("show", "--dataset"), 2),
    "bad choice": (("sync", "pdf", "https://example.org/"), 2),
    "no format": (("export",), 2),
    "unknown format": (("export", "pdf"), 1),
}


class TestOneLanguage:
    """With ``LANG=nl_NL.UTF-8`` (or ``--locale de``) no English sentence is printed."""

    @pytest.mark.parametrize("name", list(RUNS))
    def test_dutch_from_lang(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch, name: str
    ) -> None:
        """Each run in Dutch: the expected status, no English word and no English message."""
        environment.setenv("LANG", "nl_NL.UTF-8")
        argv, expected = RUNS[name]
        status, text = run(capsys, *argv)
        assert expected == status
        assert [] == english_words(text)
        assert [] == english_sentences(text, "nl")

    @pytest.mark.parametrize("name", list(RUNS))
    def test_german_from_the_option(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch, name: str
    ) -> None:
        """Each run with ``--locale de`` under an English environment: German only."""
        environment.setenv("LANG", "en_US.UTF-8")
        argv, expected = RUNS[name]
        if name == "unknown locale":
            argv = ("show", "torun", "--locale", "xx")
            environment.setenv("LANG", "de_DE.UTF-8")
        elif name == "unknown command":
            argv = ("--locale", "de", *argv)
        else:
            argv = (*argv, "--locale", "de")
        status, text = run(capsys, *argv)
        assert expected == status
        assert [] == english_words(text)
        assert [] == english_sentences(text, "de")

    def test_validate_a_bad_dataset_in_dutch(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch, bad_dataset: Path
    ) -> None:
        """The problems of a bad dataset are Dutch, one line each, with the file and the path."""
        environment.setenv("LANG", "nl_NL.UTF-8")
        status, text = run(capsys, "validate", str(bad_dataset))
        assert 1 == status
        lines = text.splitlines()
        assert 2 <= len(lines)
        assert all(line.startswith(f"leiden-twinning: fout: {bad_dataset}: ") for line in lines)
        assert [] == english_words(text)
        assert [] == english_sentences(text, "nl")

    def test_help_uses_the_catalog(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """argparse's own words in ``--help`` are the catalog's translations."""
        environment.setenv("LC_ALL", "nl_NL.UTF-8")
        _, text = run(capsys, "--help")
        nl = _translations("nl")
        assert text.startswith(nl.gettext("usage: ") + "leiden-twinning ")
        assert f"\n{nl.gettext('options')}:\n" in text
        assert nl.gettext("show this help message and exit") in text
        assert "gebruik: " == nl.gettext("usage: ")

    def test_every_catalog_language_is_honoured(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """``pl_PL`` gets the Polish catalog, not the Dutch one (the old bug)."""
        environment.setenv("LANG", "pl_PL.UTF-8")
        _, text = run(capsys, "show", "nosuchcity")
        pl = _translations("pl").gettext("no city with id or name {key!r}")
        assert f"{pl.format(key='nosuchcity')}\n" in text
        assert "geen stad" not in text

    def test_a_language_without_a_catalog_is_english(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """``--locale fr`` formats in French but speaks English; ``C`` is English too."""
        environment.setenv("LANG", "C")
        assert (1, "leiden-twinning: error: no city with id or name 'x'\n") == run(
            capsys, "show", "x", "--locale", "fr"
        )

    def test_the_option_beats_the_environment(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """``--locale=en`` (either spelling) wins over ``LANG=nl``, for the messages too."""
        environment.setenv("LANG", "nl_NL.UTF-8")
        assert (1, "leiden-twinning: error: no city with id or name 'x'\n") == run(
            capsys, "show", "x", "--locale=en"
        )
        assert (1, "leiden-twinning: error: no city with id or name 'x'\n") == run(
            capsys, "--locale", "en", "show", "x"
        )

    def test_an_unknown_locale_speaks_the_environment(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """An unknown ``--locale`` is an error in the environment's language, status 1."""
        environment.setenv("LANG", "nl_NL.UTF-8")
        status, text = run(capsys, "validate", "x.json", "--locale", "xx_YY")
        assert 1 == status
        assert text.startswith("leiden-twinning: fout: onbekende taal 'xx_YY': ")

    def test_a_separate_process(self, tmp_path: Path) -> None:
        """``python -m leiden_twinning`` with ``LANG=nl_NL.UTF-8`` answers in Dutch."""
        env = {"PATH": "/usr/bin:/bin", "PYTHONUTF8": "1", "LANG": "nl_NL.UTF-8"}
        done = subprocess.run(
            [sys.executable, "-m", "leiden_twinning", "validate", str(tmp_path)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=False,
        )
        expected = f"leiden-twinning: fout: {tmp_path}: dit is een map, geen bestand\n"
        assert (1, "", expected) == (done.returncode, done.stdout, done.stderr)


class TestLocaleOnEveryCommand:
    """Every command takes ``--locale``, and its help says so in the chosen language."""

    @pytest.mark.parametrize(
        "command",
        ["show", "validate", "formats", "languages", "export", "sync", "publish", "serve"],
    )
    def test_help_lists_locale(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch, command: str
    ) -> None:
        """``COMMAND --locale nl --help`` shows ``--locale TAAL`` and Dutch headings."""
        status, text = run(capsys, command, "--locale", "nl", "--help")
        assert 0 == status
        assert "--locale TAAL" in text
        assert text.startswith("gebruik: ")
        assert [] == english_sentences(text, "nl")

    def test_a_command_can_bring_its_own_locale_option(self) -> None:
        """A command that declares ``--locale`` itself replaces the shared one, without a clash."""
        from leiden_twinning.cli import _subparser_class  # noqa: PLC0415

        parser = _subparser_class("nl")(prog="x")
        parser.add_argument("--locale", choices=["nl"], help="own")
        assert "nl" == parser.parse_args(["--locale", "nl"]).locale


class TestArgparseMessages:
    """argparse's messages are matched in English and written again from the catalog."""

    def test_every_message_is_in_every_catalog(self) -> None:
        """Each argparse message id is a message of the template, so translators see it."""
        template = _catalog("en")
        assert [] == [m for m in ARGPARSE_MESSAGES if m not in template]

    @pytest.mark.parametrize(
        ("english", "dutch"),
        [
            ("unrecognized arguments: --a b", "onbekende argumenten: --a b"),
            ("argument FILE: expected one argument", "BESTAND: hier hoort een waarde bij"),
            (
                "argument --x: invalid choice: 'a' (choose from 'b', 'c')",
                "--x: ongeldige keuze: 'a' (kies uit 'b', 'c')",
            ),
            (
                "argument --n: invalid float value: 'x'",
                "--n: ongeldige waarde (getal verwacht): 'x'",
            ),
            (
                "ambiguous option: --d could match --da, --db",
                "onduidelijke optie: --d kan --da, --db zijn",
            ),
            ("something argparse may say one day", "something argparse may say one day"),
        ],
    )
    def test_translate(self, english: str, dutch: str) -> None:
        """Known messages are Dutch with the same values; an unknown one is left as it is."""
        assert dutch == translate_argparse(english.replace("FILE", "BESTAND"), _translations("nl"))


class TestErrorIds:
    """Library errors stay English in ``str()`` and carry an id and params to translate them."""

    def _raised(self, call: Any) -> lt.LeidenTwinningError:
        with pytest.raises(lt.LeidenTwinningError) as info:
            call()
        return info.value

    @pytest.mark.parametrize(
        "call",
        [
            lambda: lt.load().city("atlantis"),
            lambda: lt.load().partnership("leiden-atlantis"),
            lambda: lt.load().select(["atlantis"]),
            lambda: lt.i18n("xx"),
            lambda: lt.export(lt.load(), "pdf"),
            lambda: lt.export(lt.load(), "json", colour="red"),
            lambda: lt.export(lt.load(), "vcard", vcard_version="9"),
            lambda: lt.export(lt.load(), "ical", partnerships=["atlantis"]),
            lambda: lt.export(lt.load(), "ical", reference_date="soon"),
        ],
    )
    def test_english_str_from_the_id(self, call: Any) -> None:
        """``str(exc)`` is the message id filled with the params, and the id is in the catalog."""
        exc = self._raised(call)
        assert exc.message_id is not None
        assert str(exc) == exc.message_id.format(**exc.params)
        assert exc.message_id in _catalog("nl")

    def test_a_nested_error_is_translated_too(self) -> None:
        """An export error wrapping an unknown partnership is Dutch through and through."""
        exc = self._raised(lambda: lt.export(lt.load(), "ical", partnerships=["atlantis"]))
        text = error_text(exc, _translations("nl"))
        assert text.startswith("ical: geen band met id of partnerstad 'atlantis' (bekend: ")

    def test_an_error_without_an_id_is_its_str(self) -> None:
        """An error without a message id is shown as its English text, on one line."""
        assert "a b" == error_text(lt.PluginError("a\nb"), _translations("nl"))
        assert lt.PluginError("x").message_id is None

    def test_keyword_only_and_compatible(self) -> None:
        """The constructors still take the message alone; params are read-only."""
        exc = lt.UnknownEntityError("no such thing")
        assert ("no such thing", None, {}) == (str(exc), exc.message_id, dict(exc.params))
        export_error = lt.ExportError("m", message_id="m {x}", params={"x": 1})
        with pytest.raises(TypeError):
            export_error.params["x"] = 2  # type: ignore[index]


class TestProblemsAndFiles:
    """The hooks for dataset problems and the file system's errors."""

    def test_a_problem_with_an_id(self) -> None:
        """A problem object with an id, params and a path is written ``path: message``."""

        class Problem:
            message_id = "no city with id or name {key!r}"
            params = {"key": "x"}  # noqa: RUF012 - a plain test double
            path = "partnerships[0].city"

        nl = _translations("nl")
        assert "partnerships[0].city: geen stad met id of naam 'x'" == problem_text(Problem(), nl)
        assert "a: b" == problem_text("a: b", nl)

    @pytest.mark.parametrize(
        ("number", "reason"),
        [
            (errno.ENOENT, "bestand of map bestaat niet"),
            (errno.EACCES, "geen toestemming"),
            (errno.EISDIR, "dit is een map, geen bestand"),
            (errno.ENOTDIR, "een deel van het pad is geen map"),
            (errno.ENOSPC, "de schijf is vol"),
            (errno.EROFS, "op de schijf kan niet geschreven worden"),
            (errno.EEXIST, "het bestaat al"),
        ],
    )
    def test_file_errors_in_dutch(self, number: int, reason: str) -> None:
        """A file error names the file and gives the reason in the catalog's words."""
        exc = OSError(number, "system words", "a.json")
        assert f"a.json: {reason}" == os_error_text(exc, _translations("nl"))

    def test_an_unusual_file_error(self) -> None:
        """A reason the command has no words for is the system's; without a file, no colon."""
        assert "x.json: I/O" == os_error_text(
            OSError(errno.EIO, "I/O", "x.json"), _translations("nl")
        )
        assert "odd" == os_error_text(OSError("odd"), _translations("nl"))


class TestLanguages:
    """``leiden-twinning languages`` and :func:`leiden_twinning.languages`."""

    def test_the_api(self) -> None:
        """One record per catalog, English and Dutch complete, counts that add up."""
        found = lt.languages()
        assert list(CATALOG_LANGUAGES) == [lang.tag for lang in found]
        by_tag = {lang.tag: lang for lang in found}
        assert (1.0, 1.0) == (by_tag["en"].completeness, by_tag["nl"].completeness)
        for lang in found:
            assert 0 < lang.total == by_tag["en"].total
            assert lang.completeness == lang.translated / lang.total
        assert "languages" in dir(lt)
        assert "Language" in dir(lt)

    def test_names(self) -> None:
        """A language is named in itself and in another language."""
        ja = next(lang for lang in lt.languages() if lang.tag == "ja")
        assert ("日本語", "Japans", "Japanese") == (ja.name(), ja.name("nl"), ja.name("en"))

    def test_the_command(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """One line per language: tag, own name, name in the chosen language, percentage."""
        status, text = run(capsys, "languages", "--locale", "nl")
        assert 0 == status
        rows = [line.split() for line in text.splitlines()]
        assert list(CATALOG_LANGUAGES) == [row[0] for row in rows]
        assert ["nl", "Nederlands", "Nederlands", "100%"] == rows[4]
        assert ["de", "Deutsch", "Duits"] == rows[0][:3]
        percent = {lang.tag: f"{round(lang.completeness * 100)}%" for lang in lt.languages()}
        assert [percent[row[0]] for row in rows] == [row[-1] for row in rows]


class TestChoosingTheLanguage:
    """How the command finds ``--locale`` before it builds its parsers."""

    @pytest.mark.parametrize(
        ("argv", "expected"),
        [
            (["show", "--locale", "de"], "de"),
            (["--locale=ja", "show"], "ja"),
            (["--locale", "de", "show", "--locale", "pl"], "pl"),
            (["show", "--", "--locale", "de"], None),
            (["show", "--locale"], None),
            (["show"], None),
        ],
    )
    def test_asked_locale(self, argv: list[str], expected: str | None) -> None:
        """The last ``--locale`` before ``--`` counts; a ``--locale`` without a value does not."""
        from leiden_twinning.cli import _asked_locale  # noqa: PLC0415

        assert expected == _asked_locale(argv)

    def test_no_command_is_help_in_the_language(
        self, capsys: pytest.CaptureFixture[str], environment: pytest.MonkeyPatch
    ) -> None:
        """Without a command the help is printed, in Dutch here, and the status is 2."""
        environment.setenv("LANG", "nl_BE.UTF-8")
        status, text = run(capsys)
        assert 2 == status
        assert text.startswith("gebruik: leiden-twinning ")
        assert [] == english_sentences(text, "nl")


class _Broken(gettext.NullTranslations):
    """A catalog whose every translation lost its placeholders' names."""

    def gettext(self, message: str) -> str:
        return "{wrong} %(wrong)s %s %s %s"


class TestBrokenTranslations:
    """A translation with wrong placeholders never ends in a traceback: English is shown."""

    def test_argparse(self) -> None:
        """argparse's message comes back as argparse wrote it."""
        message = "argument --n: invalid int value: 'x'"
        assert message == translate_argparse(message, _Broken())

    def test_library_error(self) -> None:
        """A library error is its English text."""
        exc = UnknownEntityError("no city 'x'", message_id="no city {key!r}", params={"key": "x"})
        assert "no city 'x'" == error_text(exc, _Broken())

    def test_problem(self) -> None:
        """A dataset problem is its English message."""

        class Problem:
            message_id = "bad {key}"
            params = {"key": "x"}  # noqa: RUF012 - a plain test double
            path = None

        assert "bad x" == problem_text(Problem(), _Broken())
