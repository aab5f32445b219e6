"""Every script in examples/ runs on its own and writes what its docstring promises."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import html5lib
import icalendar
import pytest
import vobject

import leiden_twinning as lt

EXAMPLES = Path(__file__).parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))


def tie(city: str) -> str:
    """``Leiden`` and *city* joined by an en dash, as the library writes a tie."""
    return f"Leiden\N{EN DASH}{city}"


#: 2026-01-01 00:00 UTC: "today" for the scripts that look at the date.
EPOCH_2026 = 1767225600


def run(script: str, output: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an example script as a user would, with its output folder set."""
    env = {**os.environ, "EXAMPLES_OUTPUT": os.fspath(output)}
    env["SOURCE_DATE_EPOCH"] = str(EPOCH_2026)
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, os.fspath(EXAMPLES / script), *args],
        env=env,
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The standard output of a run that succeeded without a word on standard error."""
    assert (0, "") == (result.returncode, result.stderr)
    return result.stdout


Runner = Callable[..., tuple[Path, str]]


@pytest.fixture(scope="module")
def ran(tmp_path_factory: pytest.TempPathFactory) -> Runner:
    """Run a script once per module with its arguments; give its output folder and stdout."""
    done: dict[tuple[str, ...], tuple[Path, str]] = {}

    def get(script: str, *args: str) -> tuple[Path, str]:
        if (script, *args) not in done:
            output = tmp_path_factory.mktemp(script.removesuffix(".py"))
            done[script, *args] = (output, ok(run(script, output, *args)))
        return done[script, *args]

    return get


class TestEveryScript:
    """Each example script exits 0 and says nothing on standard error."""

    def test_the_scripts_are_the_ones_checked_below(self) -> None:
        assert [
            "anniversary_calendar.py",
            "dutch_html_page.py",
            "jubilees_of_year.py",
            "other_municipality.py",
            "partnership_vcards.py",
        ] == [script.name for script in SCRIPTS]

    @pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
    def test_runs(self, script: Path, ran: Runner) -> None:
        ran(script.name)

    def test_the_output_folder_is_created(self, tmp_path: Path) -> None:
        ok(run("dutch_html_page.py", tmp_path / "new" / "folder"))

        assert (tmp_path / "new" / "folder" / "stedenbanden.html").is_file()


class TestAnniversaryCalendar:
    """anniversary_calendar.py writes ten years of jubilees from "today"."""

    def test_icalendar_reads_the_jubilees(self, ran: Runner) -> None:
        output, _ = ran("anniversary_calendar.py")

        data = (output / "leiden-anniversaries.ics").read_bytes()
        jubilees = {
            (event.decoded("DTSTART"), str(event["SUMMARY"]))
            for event in icalendar.Calendar.from_ical(data).walk("VEVENT")
            if event.get("X-LEIDEN-TWINNING-KIND") == "jubilee"
        }
        assert (dt.date(2028, 9, 1), f"30 years of the {tie('Buffalo City')} twinning") in jubilees
        years = {day.year for day, _ in jubilees}
        assert 2026 <= min(years)
        assert max(years) <= 2035


class TestPartnershipVcards:
    """partnership_vcards.py writes one card per file for one partnership."""

    def test_vobject_reads_one_card_per_file(self, ran: Runner) -> None:
        output, _ = ran("partnership_vcards.py")

        files = sorted((output / "leiden-buffalo-city-vcards").glob("*.vcf"))
        cards = [list(vobject.readComponents(f.read_text("utf-8"))) for f in files]
        assert [1] * len(files) == [len(found) for found in cards]
        names = {found[0].fn.value for found in cards}
        assert {"Marjan de Jonge", "Marian Weevers"} <= names

    def test_takes_a_city_name(self, ran: Runner) -> None:
        output, _ = ran("partnership_vcards.py", "Juigalpa")

        files = list((output / "leiden-juigalpa-vcards").glob("*.vcf"))
        texts = [f.read_text("utf-8") for f in files]
        assert any("infosvlj@gmail.com" in text for text in texts)


class TestDutchHtmlPage:
    """dutch_html_page.py writes a Dutch page about every tie."""

    def test_html5lib_reads_a_dutch_page(self, ran: Runner) -> None:
        output, _ = ran("dutch_html_page.py")

        data = (output / "stedenbanden.html").read_bytes()
        root = html5lib.parse(data, treebuilder="etree", namespaceHTMLElements=False)
        assert "nl" == root.get("lang")
        text = "".join(root.itertext())
        for city in lt.load().cities:
            assert city.name in text


class TestOtherMunicipality:
    """other_municipality.py writes, loads and exports a dataset of its own."""

    def test_writes_a_dataset_that_loads(self, ran: Runner) -> None:
        output, stdout = ran("other_municipality.py")

        dataset = lt.load_file(output / "voorbeeldstad.json")
        assert "Voorbeeldstad" == dataset.home_city.name
        assert ["voorbeeldstad-musterstadt"] == [p.id for p in dataset.partnerships]
        assert "2030-05-12: 40 jaar stedenband met Musterstadt" in stdout

    def test_the_json_export_is_the_file_it_loaded(self, ran: Runner) -> None:
        output, _ = ran("other_municipality.py")

        written = json.loads((output / "voorbeeldstad.json").read_bytes())
        exported = json.loads((output / "voorbeeldstad-export.json").read_bytes())
        assert written == exported
        assert 2 == exported["schema_version"]

    def test_the_calendar_has_the_jubilee(self, ran: Runner) -> None:
        output, _ = ran("other_municipality.py")

        calendar = icalendar.Calendar.from_ical((output / "voorbeeldstad.ics").read_bytes())
        days = [event.decoded("DTSTART") for event in calendar.walk("VEVENT")]
        assert dt.date(2030, 5, 12) in days


class TestJubileesOfYear:
    """jubilees_of_year.py prints the jubilees of a year, without inventing days."""

    def test_prints_2028(self, ran: Runner) -> None:
        _, stdout = ran("jubilees_of_year.py", "2028")

        assert [
            "Jubilees of Leiden's ties in 2028: 4",
            f"  2028-02-04   {tie('Nagasaki')}: 15 years since the tie was signed (2013-02-04)",
            f"  2028-09-01   {tie('Buffalo City')}: 30 years since the tie was signed (1998-09-01)",
            f"  day unknown  {tie('Juigalpa')}: 40 years since the tie was established (1988)",
            f"  day unknown  {tie('Toruń')}: 40 years since the tie was signed (1988-11)",
        ] == stdout.splitlines()

    def test_marks_a_round_jubilee(self, ran: Runner) -> None:
        _, stdout = ran("jubilees_of_year.py", "2046")

        assert f"{tie('Oxford')}: 100 years since the tie was established" in stdout
        assert stdout.rstrip().endswith("a round jubilee")
