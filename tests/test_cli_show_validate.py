"""The ``show`` and ``validate`` commands: readable summaries, and one line per problem."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources
from typing import TYPE_CHECKING, Any

import pytest

import leiden_twinning as lt
from leiden_twinning.cli import default_locale, main

if TYPE_CHECKING:
    from pathlib import Path

CANONICAL = resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()


@pytest.fixture(autouse=True)
def no_locale_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose the locale themselves; the machine's LANG must not leak in."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def write(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


class TestShow:
    """``show`` summarises every tie, or one tie in detail, in the chosen locale."""

    def test_summary_in_dutch(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, err = run(capsys, "show", "--locale", "nl")
        assert (0, "") == (status, err)
        lines = out.splitlines()
        # CLDR formats the revision date in Dutch.
        assert lines[0].endswith("29 november 2026)")
        assert "Leiden" in lines[0]
        headings = [line for line in lines if line and not line.startswith(" ")][1:]
        assert [
            "Oxford (Verenigd Koninkrijk, Engeland)",
            "Krefeld (Duitsland, Noordrijn-Westfalen)",
            "Juigalpa (Nicaragua, departement Chontales)",
            "Toruń (Polen, woiwodschap Koejavië-Pommeren)",
            "Buffalo City (Zuid-Afrika, Oost-Kaap)",
            "Nagasaki (Japan, prefectuur Nagasaki)",
        ] == headings

    def test_summary_formats_numbers_and_dates(self, capsys: pytest.CaptureFixture[str]) -> None:
        _, out, _ = run(capsys, "show", "--locale", "nl")
        for fact in (
            "26 maart 1946",
            "1 september 1998",
            "november 1988",
            "1.000.000",
            "71.000",
            "250.000",
            "m.weevers@leiden.nl, +31715165231",
            "Marjan de Jonge",
            "<https://www.leidenbuffalocity.nl/>",
        ):
            assert fact in out

    def test_current_kind_dated_by_its_own_milestone(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        _, out, _ = run(capsys, "show", "--locale", "en")
        nagasaki = out.split("Nagasaki (Japan")[1]
        assert "November 24, 2017" in nagasaki.splitlines()[1]
        assert "2013" not in nagasaki.splitlines()[1]

    def test_one_city_in_english(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, err = run(capsys, "show", "torun", "--locale", "en")
        assert (0, "") == (status, err)
        lines = out.splitlines()
        assert "Toruń (Poland, Kuyavian-Pomeranian Voivodeship)" == lines[0]
        assert "November 1988" in lines[1]
        assert "200,000" in out
        description = lt.load().partnership("torun").description.en
        assert description is not None
        assert f"  {description}" in lines
        first = "  - 1980: Leiden decides to seek contact with an old Polish university city;"
        assert any(line.startswith(first) for line in lines)
        assert "  - Yearly delegations" in lines

    def test_one_city_by_accented_name(self, capsys: pytest.CaptureFixture[str]) -> None:
        _, by_name, _ = run(capsys, "show", "TORUŃ", "--locale", "en")
        _, by_id, _ = run(capsys, "show", "torun", "--locale", "en")
        assert by_id == by_name

    def test_dated_activities_show_their_date(self, capsys: pytest.CaptureFixture[str]) -> None:
        _, out, _ = run(capsys, "show", "krefeld", "--locale", "en")
        assert "June 24, 2011" in out
        _, out, _ = run(capsys, "show", "krefeld", "--locale", "nl")
        assert "24 juni 2011" in out

    def test_german_formats_with_cldr_and_falls_back_to_english_text(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        status, out, err = run(capsys, "show", "--locale", "de")
        assert (0, "") == (status, err)
        assert "29. November 2026" in out.splitlines()[0]
        assert "Oxford (Vereinigtes Königreich, England)" in out
        assert "Buffalo City (Südafrika, Eastern Cape)" in out
        assert "26. März 1946" in out
        assert "1.000.000" in out

    def test_locale_from_the_environment(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("LANG", "en_GB.UTF-8")
        _, out, _ = run(capsys, "show", "oxford")
        assert out.startswith("Oxford (United Kingdom, England)\n")

    def test_other_dataset(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        document = json.loads(CANONICAL)
        document["cities"][5]["name"] = "Thorn"
        path = write(tmp_path / "other.json", document)
        status, out, _ = run(capsys, "show", "torun", "--locale", "en", "--dataset", str(path))
        assert 0 == status
        assert out.startswith("Thorn (Poland")

    def test_sparse_tie(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        document = json.loads(CANONICAL)
        del document["cities"][5]["region"]
        del document["partnerships"][3]["themes"]
        document["activities"] = [
            a for a in document["activities"] if a["partnership"] != "leiden-torun"
        ]
        path = write(tmp_path / "sparse.json", document)
        status, out, _ = run(capsys, "show", "torun", "--locale", "en", "--dataset", str(path))
        assert 0 == status
        assert out.startswith("Toruń (Poland)\n")
        assert "themes:" not in out
        assert "Activities:" not in out

    def test_unknown_city(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, out, err = run(capsys, "show", "atlantis")
        assert (1, "", "leiden-twinning: error: no city with id or name 'atlantis'\n") == (
            status,
            out,
            err,
        )

    def test_city_without_a_tie(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = run(capsys, "show", "den haag")
        assert 1 == status
        assert "leiden-twinning: error: no partnership with id or city 'den haag'\n" == err

    @pytest.mark.parametrize("locale", ["xx", "klingon", "nl_XX"])
    def test_unknown_locale(self, capsys: pytest.CaptureFixture[str], locale: str) -> None:
        status, out, err = run(capsys, "show", "--locale", locale)
        assert (1, "") == (status, out)
        assert 1 == len(err.splitlines())
        assert err.startswith(f"leiden-twinning: error: unknown locale {locale!r}")

    def test_unknown_option(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as info:
            main(["show", "--colour"])
        assert 2 == info.value.code
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert err.endswith("unrecognized arguments: --colour\n")


class TestValidate:
    """``validate`` prints one line for a good file, and one line per problem for a bad one."""

    def test_good_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = tmp_path / "leiden.json"
        path.write_bytes(CANONICAL)
        status, out, err = run(capsys, "validate", str(path))
        assert (0, "") == (status, err)
        (line,) = out.splitlines()
        assert line.startswith(f"{path}: ")
        for count in ("6", "8", "5", "23"):
            assert count in line

    def test_good_file_in_english(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
        path = tmp_path / "leiden.json"
        path.write_bytes(CANONICAL)
        _, out, _ = run(capsys, "validate", str(path))
        assert f"{path}: valid: 6 partnerships, 8 cities, 5 contacts, 23 activities\n" == out

    def test_every_problem_on_its_own_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        document = json.loads(CANONICAL)
        del document["cities"][2]["name"]
        document["partnerships"][2]["history"][0]["date"] = "2011-02-30"
        document["contacts"][0]["phone"] = "071 - 514 1720"
        path = write(tmp_path / "bad.json", document)
        status, out, err = run(capsys, "validate", str(path))
        assert (1, "") == (status, out)
        assert [
            f"leiden-twinning: error: {path}: cities[2].name: required field missing",
            (
                f"leiden-twinning: error: {path}: partnerships[2].history[0].date:"
                ' expected a real date like YYYY-MM-DD, found "2011-02-30"'
            ),
            (
                f"leiden-twinning: error: {path}: contacts[0].phone:"
                " '071 - 514 1720' is not an E.164 phone number"
            ),
        ] == err.splitlines()

    def test_dangling_references(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        document = json.loads(CANONICAL)
        document["partnerships"][0]["city"] = "east-london"
        document["activities"][3]["partnership"] = "leiden-managua"
        path = write(tmp_path / "bad.json", document)
        status, _, err = run(capsys, "validate", str(path))
        assert 1 == status
        assert [
            f"leiden-twinning: error: {path}: partnerships[0].city: unknown city 'east-london'",
            (
                f"leiden-twinning: error: {path}: activities[3].partnership: unknown partnership"
                " 'leiden-managua'"
            ),
        ] == err.splitlines()

    @pytest.mark.parametrize(
        ("data", "problem"),
        [
            (b"\xff", "not UTF-8 text (invalid byte at offset 0)"),
            (b"{", "not JSON: Expecting property name enclosed in double quotes"),
            (b"[]", "expected an object {...}, found [...]"),
            (b'{"schema_version": 3}', "schema_version: expected one of 1, 2, found 3"),
        ],
    )
    def test_not_a_dataset(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, problem: str
    ) -> None:
        path = tmp_path / "bad.json"
        path.write_bytes(data)
        status, out, err = run(capsys, "validate", str(path))
        assert (1, "") == (status, out)
        (line,) = err.splitlines()
        assert line.startswith(f"leiden-twinning: error: {path}: {problem}")

    def test_missing_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = tmp_path / "missing.json"
        status, _, err = run(capsys, "validate", str(path))
        assert (1, f"leiden-twinning: error: {path}: no such file or folder\n") == (status, err)

    def test_directory(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        status, _, err = run(capsys, "validate", str(tmp_path))
        assert 1 == status
        assert 1 == len(err.splitlines())
        assert "Traceback" not in err

    def test_needs_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as info:
            main(["validate"])
        assert 2 == info.value.code
        assert "Traceback" not in capsys.readouterr().err


class TestDefaultLocale:
    """Without ``--locale`` the environment decides: a catalog language, else English."""

    @pytest.mark.parametrize(
        ("environ", "expected"),
        [
            ({}, "en"),
            ({"LANG": "en_US.UTF-8"}, "en"),
            ({"LANG": "en"}, "en"),
            ({"LANG": "nl_NL.UTF-8"}, "nl"),
            ({"LANG": "de_DE.UTF-8"}, "de"),
            ({"LANG": "pl_PL.UTF-8"}, "pl"),
            ({"LANG": "ja_JP.eucJP"}, "ja"),
            ({"LANG": "es-MX"}, "es"),
            ({"LANG": "fr_FR.UTF-8"}, "en"),
            ({"LANG": "C.UTF-8"}, "en"),
            ({"LANG": "POSIX"}, "en"),
            ({"LC_ALL": "C", "LANG": "nl_NL.UTF-8"}, "en"),
            ({"LC_MESSAGES": "de_AT", "LANG": "nl_NL.UTF-8"}, "de"),
            ({"LC_ALL": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
            ({"LC_MESSAGES": "nl_BE@euro", "LANG": "en_US"}, "nl"),
            ({"LC_ALL": "", "LANG": "en-AU"}, "en"),
        ],
    )
    def test_default(self, environ: dict[str, str], expected: str) -> None:
        assert expected == default_locale(environ)


class TestModule:
    """``python -m leiden_twinning`` is the same command."""

    def test_python_m(self, tmp_path: Path) -> None:
        path = tmp_path / "leiden.json"
        path.write_bytes(CANONICAL)
        env = {**os.environ, "PYTHONUTF8": "1", "LANG": "en_US.UTF-8"}
        env.pop("LC_ALL", None)
        shown = subprocess.run(
            [sys.executable, "-m", "leiden_twinning", "show", "torun", "--locale", "en"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=False,
        )
        assert (0, "") == (shown.returncode, shown.stderr)
        assert shown.stdout.startswith("Toruń (Poland, Kuyavian-Pomeranian Voivodeship)\n")
        path.write_bytes(b"[]")
        failed = subprocess.run(
            [sys.executable, "-m", "leiden_twinning", "validate", str(path)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            check=False,
        )
        assert (1, "") == (failed.returncode, failed.stdout)
        assert (
            f"leiden-twinning: error: {path}: expected an object {{...}}, found [...]\n"
            == failed.stderr
        )
