"""``leiden-twinning init``: a starter dataset that validates and exports, for any municipality."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import TYPE_CHECKING

import html5lib
import icalendar
import jsonschema
import pytest
import vobject

import leiden_twinning as lt
from leiden_twinning.cli import main

if TYPE_CHECKING:
    from pathlib import Path


def init(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["init", *argv])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def starter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A starter file for Den Haag, written in Dutch on a fixed day."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1798675200")  # 2026-12-31
    path = tmp_path / "den-haag.json"
    assert 0 == main(
        ["init", "--home", "Den Haag", "--country", "nl", "--language", "nl", "-o", str(path)]
    )
    return path


class TestStarter:
    """The file ``init`` writes is a valid dataset with every kind of entity once."""

    def test_it_validates(self, starter: Path) -> None:
        """The loader accepts it, with the home city's id made from its name."""
        dataset = lt.load_file(starter)
        assert ("den-haag", "Den Haag", "NL") == (
            dataset.home,
            dataset.home_city.name,
            dataset.home_city.country,
        )
        assert 1 == len(dataset.partnerships)

    def test_every_kind_of_entity_once(self, starter: Path) -> None:
        """Each collection of the format has an example to copy."""
        document = json.loads(starter.read_text("utf-8"))
        for key in ("sources", "partnerships", "foundations", "institutions", "contacts"):
            assert 1 == len(document[key]), key
        for key in ("activities", "discrepancies"):
            assert 1 == len(document[key]), key
        assert 2 == len(document["cities"])

    def test_the_shipped_schema_accepts_it(self, starter: Path) -> None:
        """jsonschema validates it against the schema its ``$schema`` names."""
        schema = json.loads(
            files("leiden_twinning").joinpath("data", "leiden.schema.json").read_text()
        )
        document = json.loads(starter.read_text("utf-8"))
        assert schema["$id"] == document["$schema"]
        jsonschema.validate(document, schema)

    def test_texts_only_in_the_chosen_language(self, starter: Path) -> None:
        """Every text holds the one declared language and nothing else."""
        document = json.loads(starter.read_text("utf-8"))
        assert ["nl"] == document["languages"]
        assert {"nl"} == set(document["partnerships"][0]["description"])

    def test_revision_from_source_date_epoch(self, starter: Path) -> None:
        """The revision date is SOURCE_DATE_EPOCH's day, so the file is reproducible."""
        assert "2026-12-31" == json.loads(starter.read_text("utf-8"))["revision"]

    def test_exports_in_every_format(self, starter: Path) -> None:
        """Each built-in format exports it, read back by an independent parser."""
        dataset = lt.load_file(starter)
        calendar = icalendar.Calendar.from_ical(lt.export(dataset, "ical", locale="nl"))
        assert calendar.walk("VEVENT")
        cards = list(vobject.readComponents(lt.export(dataset, "vcard", locale="nl").decode()))
        assert cards
        html5lib.HTMLParser(strict=True).parse(lt.export(dataset, "html", locale="nl"))
        assert "FeatureCollection" == json.loads(lt.export(dataset, "geojson", locale="nl"))["type"]
        assert 2 == json.loads(lt.export(dataset, "json", locale="nl"))["schema_version"]


class TestCommand:
    """The command writes safely and reports bad options without a traceback."""

    def test_never_replaces_a_file(self, starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An existing file is left alone and named in the error."""
        before = starter.read_bytes()
        status, out, err = init(capsys, "--home", "Delft", "--country", "NL", "-o", str(starter))
        assert (1, "") == (status, out)
        assert str(starter) in err
        assert before == starter.read_bytes()

    def test_prints_without_output(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --output the file goes to standard output, in the chosen language."""
        status, out, _ = init(
            capsys, "--home", "Brückenfeld", "--country", "DE", "--language", "de"
        )
        assert 0 == status
        document = json.loads(out)
        assert ("bruckenfeld", ["de"]) == (document["home"], document["languages"])

    def test_bad_country(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A country that is no two-letter code is a user error with its path, not a crash."""
        status, out, err = init(capsys, "--home", "Delft", "--country", "Netherlands")
        assert (1, "") == (status, out)
        assert "cities[0].country" in err
        assert "Traceback" not in err
