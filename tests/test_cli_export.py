"""``leiden-twinning formats`` and ``export``: options, atomic files, never a traceback."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from markdown_it import MarkdownIt

import leiden_twinning as lt
from leiden_twinning.cli import main
from plugin_helpers import FakePlugins, fake_plugins

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["fake_plugins"]  # the fixture, re-exported for pytest

CRASH = """
def write(dataset, stream, *, locale, options):
    stream.write(b"half an export")
    raise RuntimeError("disk on fire")

def parts(dataset, *, locale, options):
    yield ("a.txt", b"a")
    raise RuntimeError("disk on fire")

@hookimpl
def register_exporters(register):
    register(Exporter(name="crash", extension="txt", media_type="text/plain",
                      description="Always fails", write=write, parts=parts))
"""

ECHO = """
import json

def write(dataset, stream, *, locale, options):
    stream.write(json.dumps({"locale": locale, **options}, sort_keys=True).encode())

def parts(dataset, *, locale, options):
    for p in dataset.partnerships:
        yield (p.id + ".txt", p.city.encode())

@hookimpl
def register_exporters(register):
    register(Exporter(name="echo", extension="json", media_type="application/json",
                      description="Echoes its options", write=write, parts=parts, options=(
        Option("from_year", "first year", convert=int, metavar="YEAR"),
        Option("tag", "a tag (repeatable)", multiple=True, default=()),
        Option("loud", "shout", flag=True, default=False),
        Option("style", "the style", choices=("plain", "fancy"), default="plain"),
    )))
"""

INTERRUPT = """
def write(dataset, stream, *, locale, options):
    stream.write(b"half")
    raise KeyboardInterrupt

@hookimpl
def register_exporters(register):
    register(Exporter(name="interrupt", extension="txt", media_type="text/plain",
                      description="Ctrl-C", write=write))
"""


def run(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes, list[str]]:
    """Run the command in this process: exit status, standard output, standard error lines."""
    try:
        status = main(list(argv))
    except SystemExit as exc:  # argparse's own exits (--help, usage errors)
        status = int(exc.code or 0)
    out, err = capsysbinary.readouterr()
    return status, out, err.decode("utf-8").splitlines()


def only_error(lines: list[str]) -> str:
    """The one error line among the warnings; no traceback anywhere."""
    assert not any("Traceback" in line for line in lines), lines
    errors = [line for line in lines if ": error: " in line]
    assert 1 == len(errors), lines
    return errors[0]


@pytest.fixture
def crash(fake_plugins: FakePlugins) -> FakePlugins:
    """A plugin whose exporter writes some bytes, then raises."""
    fake_plugins.install("fake-crash", {"crash": CRASH})
    return fake_plugins


class TestStdout:
    """Without --output the export goes to standard output, whole or not at all."""

    def test_json_to_stdout(
        self, capsysbinary: pytest.CaptureFixture[bytes], dataset: lt.Dataset
    ) -> None:
        status, out, err = run(capsysbinary, "export", "json")

        assert (0, []) == (status, err)
        assert lt.export(dataset, "json") == out

    def test_a_dash_means_stdout(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        status, out, _ = run(capsysbinary, "export", "json", "--output", "-")

        assert 0 == status
        assert "schema_version" in json.loads(out)

    def test_a_failing_exporter_writes_nothing_to_stdout(
        self, capsysbinary: pytest.CaptureFixture[bytes], crash: FakePlugins
    ) -> None:
        status, out, err = run(capsysbinary, "export", "crash")

        assert (1, b"") == (status, out)
        line = only_error(err)
        assert "plugin 'crash' (from fake-crash)" in line
        assert "RuntimeError: disk on fire" in line


class TestOutputFile:
    """--output writes atomically: all of the new file, or the old one untouched."""

    def test_writes_the_file(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, dataset: lt.Dataset
    ) -> None:
        target = tmp_path / "x.json"

        status, out, err = run(capsysbinary, "export", "json", "--output", str(target))

        assert (0, b"", []) == (status, out, err)
        assert lt.export(dataset, "json") == target.read_bytes()
        assert ["x.json"] == [p.name for p in tmp_path.iterdir()]

    def test_replaces_a_file_and_keeps_its_mode(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        target = tmp_path / "x.json"
        target.write_bytes(b"old")
        target.chmod(0o640)

        status, _, _ = run(capsysbinary, "export", "json", "-o", str(target))

        assert 0 == status
        assert target.read_bytes().startswith(b"{")
        assert 0o640 == stat.S_IMODE(target.stat().st_mode)

    def test_a_new_file_follows_the_umask(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        target = tmp_path / "x.json"
        umask = os.umask(0o027)
        try:
            run(capsysbinary, "export", "json", "-o", str(target))
        finally:
            os.umask(umask)

        assert 0o640 == stat.S_IMODE(target.stat().st_mode)

    def test_a_symbolic_link_stays_a_link(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        real = tmp_path / "real.json"
        real.write_bytes(b"old")
        link = tmp_path / "link.json"
        link.symlink_to(real)

        run(capsysbinary, "export", "json", "-o", str(link))

        assert link.is_symlink()
        assert real.read_bytes().startswith(b"{")

    def test_a_failing_exporter_leaves_an_existing_file_untouched(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, crash: FakePlugins
    ) -> None:
        target = tmp_path / "out.txt"
        old = b"the previous export\n\x00\xff"
        target.write_bytes(old)

        status, out, err = run(capsysbinary, "export", "crash", "--output", str(target))

        assert (1, b"") == (status, out)
        assert "disk on fire" in only_error(err)
        assert old == target.read_bytes()
        assert ["out.txt"] == [p.name for p in tmp_path.iterdir()]  # no temporary file left

    def test_a_failing_exporter_leaves_no_new_file(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, crash: FakePlugins
    ) -> None:
        status, _, _ = run(capsysbinary, "export", "crash", "--output", str(tmp_path / "new.txt"))

        assert 1 == status
        assert [] == list(tmp_path.iterdir())

    def test_ctrl_c_during_an_export(
        self,
        capsysbinary: pytest.CaptureFixture[bytes],
        tmp_path: Path,
        fake_plugins: FakePlugins,
    ) -> None:
        fake_plugins.install("fake-interrupt", {"interrupt": INTERRUPT})
        target = tmp_path / "out.txt"
        target.write_bytes(b"old")

        status, _, err = run(capsysbinary, "export", "interrupt", "-o", str(target))

        assert (130, []) == (status, err)
        assert b"old" == target.read_bytes()
        assert ["out.txt"] == [p.name for p in tmp_path.iterdir()]

    def test_a_missing_folder(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        status, _, err = run(capsysbinary, "export", "json", "-o", str(tmp_path / "no" / "x.json"))

        assert 1 == status
        assert f"leiden-twinning: error: {tmp_path / 'no' / 'x.json'}: no such file or folder" == (
            only_error(err)
        )

    def test_a_folder_as_output(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        status, _, err = run(capsysbinary, "export", "json", "-o", str(tmp_path))

        assert 1 == status
        only_error(err)
        assert [] == list(tmp_path.iterdir())


class TestSplit:
    """--split DIR writes one file per item, and nothing when a part fails."""

    def test_one_file_per_part(
        self,
        capsysbinary: pytest.CaptureFixture[bytes],
        tmp_path: Path,
        fake_plugins: FakePlugins,
        dataset: lt.Dataset,
    ) -> None:
        fake_plugins.install("fake-echo", {"echo": ECHO})

        status, out, _ = run(capsysbinary, "export", "echo", "--split", str(tmp_path / "d"))

        expected = {f"{p.id}.txt": p.city.encode() for p in dataset.partnerships}
        assert (0, b"") == (status, out)
        assert expected == {p.name: p.read_bytes() for p in (tmp_path / "d").iterdir()}

    def test_a_failing_part_writes_nothing(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path, crash: FakePlugins
    ) -> None:
        status, _, err = run(capsysbinary, "export", "crash", "--split", str(tmp_path / "d"))

        assert 1 == status
        assert "disk on fire" in only_error(err)
        assert not (tmp_path / "d").exists()

    def test_a_format_that_cannot_be_split(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        status, _, err = run(capsysbinary, "export", "json", "--split", str(tmp_path))

        assert 1 == status
        assert "cannot be split" in only_error(err)

    def test_split_and_output_exclude_each_other(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        status, _, err = run(
            capsysbinary, "export", "json", "--split", str(tmp_path), "-o", str(tmp_path / "x")
        )

        assert 2 == status
        only_error(err)


class TestOptions:
    """An exporter's options become flags of ``export FORMAT``."""

    @pytest.fixture
    def echo(self, fake_plugins: FakePlugins) -> FakePlugins:
        fake_plugins.install("fake-echo", {"echo": ECHO})
        return fake_plugins

    def test_defaults(self, capsysbinary: pytest.CaptureFixture[bytes], echo: FakePlugins) -> None:
        status, out, _ = run(capsysbinary, "export", "echo", "--locale", "en-GB")

        expected: dict[str, object] = {
            "locale": "en_GB",
            "from_year": None,
            "loud": False,
            "style": "plain",
            "tag": [],
        }
        assert (0, expected) == (status, json.loads(out))

    def test_values_repeats_and_flags(
        self, capsysbinary: pytest.CaptureFixture[bytes], echo: FakePlugins
    ) -> None:
        status, out, _ = run(
            capsysbinary,
            "export",
            "echo",
            "--from-year",
            "2026",
            "--tag",
            "a",
            "--loud",
            "--tag",
            "b",
            "--style",
            "fancy",
        )

        expected = {"from_year": 2026, "loud": True, "style": "fancy", "tag": ["a", "b"]}
        assert 0 == status
        assert expected.items() <= json.loads(out).items()

    def test_a_negated_flag(
        self, capsysbinary: pytest.CaptureFixture[bytes], echo: FakePlugins
    ) -> None:
        _, out, _ = run(capsysbinary, "export", "echo", "--loud", "--no-loud")

        assert json.loads(out)["loud"] is False

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            (("--colour", "red"), "unrecognized arguments: --colour red"),
            (("--from-year", "soon"), "argument --from-year: invalid whole number value: 'soon'"),
            (("--style", "loud"), "invalid choice: 'loud'"),
            (("--from",), "unrecognized arguments: --from"),  # no abbreviations
        ],
    )
    def test_bad_options(
        self,
        capsysbinary: pytest.CaptureFixture[bytes],
        echo: FakePlugins,
        argv: tuple[str, ...],
        message: str,
    ) -> None:
        status, out, err = run(capsysbinary, "export", "echo", *argv)

        assert (2, b"") == (status, out)
        line = only_error(err)
        assert line.startswith("leiden-twinning export echo: error: ")
        assert message in line

    def test_help_lists_the_format_options(
        self, capsysbinary: pytest.CaptureFixture[bytes], echo: FakePlugins
    ) -> None:
        status, out, _ = run(capsysbinary, "export", "echo", "--help")
        text = out.decode()

        assert 0 == status
        for flag in ("--from-year YEAR", "--tag TAG", "--loud, --no-loud", "--style {plain,fancy}"):
            assert flag in text
        for shared in ("--locale", "--dataset FILE", "--output FILE", "--split FOLDER"):
            assert shared in text
        assert "Echoes its options" in text
        assert "fake-echo (echo)" in text

    def test_help_of_a_builtin_format(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        status, out, _ = run(capsysbinary, "export", "json", "-h")

        assert 0 == status
        assert b"leiden-twinning export json" in out


class TestUsage:
    """Unknown formats, missing formats and broken plugins: one line each, never a traceback."""

    def test_unknown_format(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        status, out, err = run(capsysbinary, "export", "pdf")

        names = ", ".join(e.name for e in lt.formats())
        assert (1, b"") == (status, out)
        assert f"leiden-twinning: error: unknown format 'pdf'; available formats: {names}" == (
            only_error(err)
        )

    def test_no_format(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        """``export`` without a format is a malformed command line: status 2, like argparse's."""
        status, _, err = run(capsysbinary, "export")

        assert 2 == status
        assert "json" in only_error(err)

    def test_export_help_without_a_format(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        status, out, _ = run(capsysbinary, "export", "--help")
        text = out.decode()

        assert 0 == status
        assert "usage: leiden-twinning export" in text
        assert "--output FILE" in text
        assert ", ".join(e.name for e in lt.formats()) in text

    def test_a_broken_plugin_is_a_warning_and_json_still_works(
        self, capsysbinary: pytest.CaptureFixture[bytes], fake_plugins: FakePlugins
    ) -> None:
        fake_plugins.install("fake-broken", {"broken": "raise ImportError('no numpy')\n"})

        status, out, err = run(capsysbinary, "export", "json")

        assert 0 == status
        assert out.startswith(b"{")
        expected = (
            "leiden-twinning: warning: plugin 'broken' (from fake-broken): "
            "failed to load: ImportError: no numpy"
        )
        assert [expected] == err

    def test_a_clashing_format(
        self, capsysbinary: pytest.CaptureFixture[bytes], fake_plugins: FakePlugins
    ) -> None:
        fake_plugins.install("fake-one", {"one": CRASH})
        fake_plugins.install("fake-two", {"two": CRASH})

        status, _, err = run(capsysbinary, "export", "crash")

        assert 1 == status
        line = only_error(err)
        assert "'one' (from fake-one)" in line
        assert "'two' (from fake-two)" in line

    def test_a_bad_dataset(
        self, capsysbinary: pytest.CaptureFixture[bytes], tmp_path: Path
    ) -> None:
        bad = tmp_path / "bad.json"
        bad.write_text("{", encoding="utf-8")

        status, out, err = run(capsysbinary, "export", "json", "--dataset", str(bad))

        assert (1, b"") == (status, out)
        assert str(bad) in only_error(err)

    def test_an_unknown_locale(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        status, _, err = run(capsysbinary, "export", "json", "--locale", "xx-nowhere")

        assert 1 == status
        assert "unknown locale" in only_error(err)


class TestNoTraceback:
    """The last resorts: a closed pipe, and a bug of our own."""

    def test_a_closed_pipe(self, fake_plugins: FakePlugins) -> None:
        big = """
            @hookimpl
            def register_exporters(register):
                register(Exporter(name="big", extension="txt", media_type="text/plain",
                                  description="big", write=write_text("x" * 4_000_000)))
        """
        fake_plugins.install("fake-big", {"big": big})
        site = next(fake_plugins.tmp_path.glob("site*"))
        env = {**os.environ, "PYTHONPATH": str(site)}
        with subprocess.Popen(
            [sys.executable, "-m", "leiden_twinning", "export", "big"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        ) as child:
            assert child.stdout is not None
            assert child.stderr is not None
            assert b"x" == child.stdout.read(1)
            child.stdout.close()
            err = child.stderr.read()
            status = child.wait()

        assert (1, b"") == (status, err)

    def test_an_internal_error_is_one_line(
        self, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A bug of ours is one line asking for a report, with exit status 70."""

        def broken(*_args: object) -> int:
            raise AttributeError("oops")

        monkeypatch.setattr("leiden_twinning.cli._run", broken)

        status, _, err = run(capsysbinary, "formats")

        assert 70 == status
        assert "internal error, please report it: AttributeError: oops" in only_error(err)

    def test_a_bare_key_error_is_internal(
        self, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A KeyError that is not the library's own is a bug, not a user error."""

        def broken(*_args: object) -> int:
            raise KeyError("id")

        monkeypatch.setattr("leiden_twinning.cli._run", broken)

        status, _, err = run(capsysbinary, "formats")

        assert 70 == status
        assert "internal error, please report it: KeyError" in only_error(err)

    def test_debug_shows_the_traceback(
        self, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With --debug an internal error also prints its traceback."""

        def broken(*_args: object) -> int:
            raise AttributeError("oops")

        monkeypatch.setattr("leiden_twinning.cli._run", broken)

        status, _, err = run(capsysbinary, "--debug", "formats")

        assert 70 == status
        assert "Traceback (most recent call last):" in err
        assert any("internal error, please report it" in line for line in err)


class TestFormats:
    """``leiden-twinning formats`` lists name, extension, description and origin."""

    def test_lists_every_format(self, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
        status, out, _ = run(capsysbinary, "formats", "--locale", "en")
        rows = [line.split() for line in out.decode().splitlines()]

        assert 0 == status
        assert [e.name for e in lt.formats()] == [row[0] for row in rows]
        json_row = next(row for row in rows if row[0] == "json")
        assert ".json" == json_row[1]
        assert ["leiden-twinning", "(leiden_twinning.exporters.json)"] == json_row[-2:]

    def test_descriptions_follow_the_locale(
        self, capsysbinary: pytest.CaptureFixture[bytes], fake_plugins: FakePlugins
    ) -> None:
        fake_plugins.install(
            "fake-nl",
            {
                "nl": """
                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="nlx", extension="txt", media_type="text/plain",
                                      description="In English",
                                      descriptions={"nl": "In het Nederlands"},
                                      write=write_text("")))
                """
            },
        )

        _, dutch, _ = run(capsysbinary, "formats", "--locale", "nl")
        _, english, _ = run(capsysbinary, "formats", "--locale", "en")

        assert "In het Nederlands" in dutch.decode()
        assert "In English" in english.decode()

    def test_failures_are_warnings(
        self, capsysbinary: pytest.CaptureFixture[bytes], fake_plugins: FakePlugins
    ) -> None:
        fake_plugins.install("fake-broken", {"broken": "1 / 0\n"})

        status, out, err = run(capsysbinary, "formats")

        assert 0 == status
        assert b"json" in out
        assert ["plugin 'broken' (from fake-broken)" in line for line in err] == [True]


def cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a child process, as a user would."""
    env = {**os.environ, "LANG": "C.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    return subprocess.run(
        [sys.executable, "-m", "leiden_twinning", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        env=env,
    )


class TestExamplePlugin:
    """The example package in examples/leiden-twinning-markdown, installed, end to end."""

    def test_formats_lists_markdown(self) -> None:
        result = cli("formats", "--locale", "en")

        assert (0, "") == (result.returncode, result.stderr)
        row = next(line for line in result.stdout.splitlines() if line.startswith("markdown "))
        assert row.split()[1] == ".md"
        assert row.endswith("leiden-twinning-markdown (markdown)")
        assert "A Markdown summary of the partnerships" in row

    def test_export_markdown(self, dataset: lt.Dataset) -> None:
        """The summary has a heading per tie with the CLDR country name, and every link."""
        result = cli("export", "markdown", "--locale", "en")

        assert (0, "") == (result.returncode, result.stderr)
        tokens = MarkdownIt().parse(result.stdout)
        headings = [
            tokens[i + 1].content
            for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.tag == "h2"
        ]
        en = lt.i18n("en")
        cities = [
            f"{dataset.partner_city(p).name} ({en.country(dataset.partner_city(p).country)})"
            for p in dataset.partnerships
        ]
        assert cities == headings
        links = [
            child.attrs["href"]
            for t in tokens
            if t.type == "inline"
            for child in t.children or []
            if child.type == "link_open"
        ]
        expected = [
            url
            for p in dataset.partnerships
            for url in [f.website for f in dataset.foundations_of(p)]
            + [dataset.source(s).url for s in p.sources]
            if url
        ]
        assert expected == links

    def test_export_markdown_options(self) -> None:
        """--partnership picks a tie; labels, dates and country names are Dutch for nl."""
        result = cli(
            "export", "markdown", "--locale", "nl", "--partnership", "oxford", "--no-sources"
        )

        assert 0 == result.returncode
        assert "# Stedenbanden van Leiden" in result.stdout
        assert "## Oxford (Verenigd Koninkrijk)" in result.stdout
        assert "*stedenband, sinds 26 maart 1946*" in result.stdout
        assert "## Toruń" not in result.stdout
        assert "### Bronnen" not in result.stdout

    def test_markdown_help(self) -> None:
        result = cli("export", "markdown", "--help")

        assert 0 == result.returncode
        assert "--partnership TIE" in result.stdout
        assert "--sources, --no-sources" in result.stdout

    def test_markdown_is_deterministic(self) -> None:
        assert cli("export", "markdown").stdout == cli("export", "markdown").stdout
