"""Datasets in any language, datasets as plugins, and the schema command (issue 13)."""

from __future__ import annotations

import importlib.metadata
import json
from importlib.metadata import EntryPoint
from typing import TYPE_CHECKING, Any

import html5lib
import icalendar
import jsonschema
import pytest
import vobject

import leiden_twinning as lt
from leiden_twinning import _plugins, _schema
from leiden_twinning.cli import main

if TYPE_CHECKING:
    from pathlib import Path

GERMAN = "beispielhausen"
FORMATS = ("json", "ical", "vcard", "html", "geojson")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line and return its status, standard output and standard error."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _fresh_registry() -> Any:
    _plugins.clear_cache()
    yield
    _plugins.clear_cache()


def german_document() -> dict[str, Any]:
    """The example plugin's German dataset as a JSON document."""
    document: dict[str, Any] = json.loads(lt.export(lt.load(GERMAN), "json"))
    return document


class TestLocalizedText:
    """A text holds any languages; look-ups fall back in a documented order."""

    def test_any_language(self) -> None:
        """A text in German alone is a text."""
        text = lt.LocalizedText({"de": "Partnerschaft", "en": "twinning"})
        assert ("de", "en") == text.languages
        assert "Partnerschaft" == text["de"]

    def test_fallback_order(self) -> None:
        """Locale, base language, English, then the text's own order."""
        text = lt.LocalizedText({"de": "Brücke", "fr": "pont", "en": "bridge"})
        assert ("Brücke", "de-CH") == lt.i18n("de_CH").text(text)
        assert ("bridge", "en") == lt.i18n("ja").text(text)
        assert ("Brücke", "de") == lt.i18n("ja").text(lt.LocalizedText({"de": "Brücke"}))

    def test_a_regional_text_keeps_its_tag(self) -> None:
        """A text written for de-CH, read in de, is marked de-CH."""
        assert ("Velo", "de-CH") == lt.i18n("de").text(lt.LocalizedText({"de-CH": "Velo"}))

    def test_not_a_language_tag(self) -> None:
        """A key that is no BCP 47 tag is refused."""
        with pytest.raises(ValueError, match="not a BCP 47 language tag"):
            lt.LocalizedText({"German": "x"})


class TestLanguages:
    """A dataset declares its languages; texts keep to them."""

    def test_german_dataset_has_no_dutch(self) -> None:
        """The example dataset declares de and en, and has no Dutch anywhere."""
        document = german_document()
        assert ["de", "en"] == document["languages"]
        assert '"nl"' not in json.dumps(document)

    def test_undeclared_language_names_the_declared_ones(self) -> None:
        """A text in an undeclared language is refused, naming the declared ones."""
        document = german_document()
        document["cities"][0]["description"]["fr"] = "Une ville"
        with pytest.raises(lt.DatasetError) as info:
            lt.loads(json.dumps(document))
        expected = (
            "cities[0].description.fr: the language 'fr' is not declared in languages"
            " (declared: de, en)"
        )
        assert (expected,) == info.value.problems

    def test_primary_language_required(self) -> None:
        """A text without the primary language is refused."""
        document = german_document()
        document["cities"][1]["description"] = {"en": "A town"}
        with pytest.raises(lt.DatasetError) as info:
            lt.loads(json.dumps(document))
        expected = "cities[1].description: needs a text in the primary language 'de'"
        assert (expected,) == info.value.problems

    def test_texts_follow_the_declared_order(self) -> None:
        """The loader puts a text's languages in the declared order."""
        document = german_document()
        document["cities"][0]["description"] = {"en": "A town", "de": "Eine Stadt"}
        dataset = lt.loads(json.dumps(document))
        assert ("de", "en") == dataset.home_city.description.languages

    def test_version_1_reads_as_dutch_and_english(self) -> None:
        """A file of schema version 1 loads unchanged, with languages nl and en."""
        document = json.loads(lt.export(lt.load(), "json"))
        del document["languages"]
        document["schema_version"] = 1
        dataset = lt.loads(json.dumps(document))
        assert ("nl", "en") == dataset.languages
        assert lt.load() == dataset

    def test_version_1_has_no_languages(self) -> None:
        """languages in a version 1 file asks for version 2."""
        document = json.loads(lt.export(lt.load(), "json"))
        document["schema_version"] = 1
        with pytest.raises(lt.DatasetError, match="write schema_version 2"):
            lt.loads(json.dumps(document))

    def test_version_2_needs_languages(self) -> None:
        """A version 2 file must declare its languages."""
        document = json.loads(lt.export(lt.load(), "json"))
        del document["languages"]
        with pytest.raises(lt.DatasetError) as info:
            lt.loads(json.dumps(document))
        assert ("languages: required field missing",) == info.value.problems


class TestSchemaKey:
    """ "$schema" is accepted, kept on a round trip, and allowed by the shipped schema."""

    def test_round_trip(self) -> None:
        """The key comes back first, with the same value."""
        document = german_document()
        written = json.loads(lt.dumps(lt.loads(json.dumps(document))))
        assert document["$schema"] == written["$schema"]
        assert "$schema" == next(iter(written))

    @pytest.mark.parametrize("name", ["leiden", GERMAN])
    def test_the_schema_validates_the_datasets(self, name: str) -> None:
        """jsonschema accepts both datasets, $schema included."""
        validator = jsonschema.Draft202012Validator(_schema.json_schema())
        document = json.loads(lt.export(lt.load(name), "json"))
        document["$schema"] = _schema.json_schema()["$id"]
        assert [] == [e.message for e in validator.iter_errors(document)]

    def test_validate_accepts_schema(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """The validate command passes a file with "$schema"."""
        path = tmp_path / "b.json"
        path.write_bytes(lt.export(lt.load(GERMAN), "json"))
        status, out, _err = run(capsys, "validate", str(path))
        assert (0, True) == (status, "2" in out)


class TestDatasetPlugins:
    """The example German plugin is listed and exported by name in every format."""

    def test_listed(self, capsys: pytest.CaptureFixture[str]) -> None:
        """datasets lists name, home city, ties and distribution."""
        status, out, _err = run(capsys, "datasets", "--locale", "en")
        rows = [line.split() for line in out.splitlines()]
        assert 0 == status
        assert [GERMAN, "Beispielhausen", "2", "ties", "twinning-beispielhausen"] == rows[0][:5]
        assert ["leiden", "Leiden", "6"] == rows[1][:3]

    def test_load_by_name(self) -> None:
        """load(name) loads the plugin's dataset; load() is load("leiden")."""
        assert "beispielhausen" == lt.load(GERMAN).home
        assert lt.load() is lt.load("leiden")

    def test_unknown_name(self) -> None:
        """An unknown name lists the known ones."""
        with pytest.raises(lt.UnknownDatasetError, match="known datasets: beispielhausen, leiden"):
            lt.load("delft")

    @pytest.mark.parametrize("locale", ["de", "en"])
    def test_every_format(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, locale: str
    ) -> None:
        """Every format exports the German dataset by name, and parses back."""
        for fmt in FORMATS:
            out = tmp_path / f"out.{fmt}"
            args = ("export", fmt, "--dataset", GERMAN, "--locale", locale, "--output", str(out))
            assert (0, "", "") == run(capsys, *args)
        assert GERMAN == json.loads((tmp_path / "out.json").read_bytes())["home"]
        calendar = icalendar.Calendar.from_ical((tmp_path / "out.ical").read_bytes())
        assert calendar.walk("VEVENT")
        cards = list(vobject.readComponents((tmp_path / "out.vcard").read_text("utf-8")))
        assert cards
        features = json.loads((tmp_path / "out.geojson").read_bytes())["features"]
        assert {"Beispielhausen", "Exampleton", "Przykładowo"} <= {
            f["properties"].get("name") for f in features
        }
        tree = html5lib.parse((tmp_path / "out.html").read_bytes(), namespaceHTMLElements=False)
        assert tree.find("body") is not None

    def test_english_page_marks_german_texts(self) -> None:
        """In the English page, a text only in German carries lang="de"."""
        page = lt.export(lt.load(GERMAN), "html", locale="en")
        tree = html5lib.parse(page, namespaceHTMLElements=False)
        marked = [e for e in tree.iter() if e.get("lang") == "de"]
        texts = " ".join("".join(e.itertext()) for e in marked)
        assert "Eine Freundschaft, die mit einem Chor begann." in texts

    def test_a_path_is_a_path(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A value with a separator or a dot is read as a file."""
        path = tmp_path / "b.json"
        path.write_bytes(lt.export(lt.load(GERMAN), "json"))
        status, out, _err = run(capsys, "export", "json", "--dataset", str(path))
        assert (0, GERMAN) == (status, json.loads(out)["home"])

    def test_unknown_name_on_the_command_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown name is one clear error line."""
        status, _out, err = run(capsys, "export", "json", "--dataset", "delft")
        assert 1 == status
        assert "no dataset named 'delft'" in err
        assert "Traceback" not in err


class TestBrokenDatasetPlugins:
    """A broken dataset plugin is named, and everything else keeps working."""

    def test_import_failure(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A plugin that fails to import leaves datasets and every export working."""
        real = importlib.metadata.entry_points

        def with_broken(**kwargs: Any) -> Any:
            broken = EntryPoint("broken", "no_such_module_for_w13", "leiden_twinning")
            return [*real(**kwargs), broken]

        monkeypatch.setattr("leiden_twinning._plugins.entry_points", with_broken)
        _plugins.clear_cache()
        status, out, err = run(capsys, "datasets")
        assert (0, True) == (status, GERMAN in out and "leiden" in out)
        assert "plugin 'broken'" in err
        for fmt in FORMATS:
            assert lt.export(lt.load(GERMAN), fmt)

    def test_hook_raises(self) -> None:
        """A register_datasets hook that raises loses its datasets only, named."""

        class Broken:
            @lt.hookimpl
            def register_datasets(self, register: Any) -> None:
                raise RuntimeError("boom")

        with lt.register_plugin(Broken(), name="broken"):
            assert {GERMAN, "leiden"} == {d.name for d in lt.datasets()}
            failures = [str(f) for f in _plugins.registry().failures]
            assert ["plugin 'broken': Raised in register_datasets: RuntimeError: boom"] == failures

    def test_load_raises(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A dataset whose load() raises is named, and datasets lists the others."""

        def fail() -> lt.Dataset:
            raise OSError("disk gone")

        class Flaky:
            @lt.hookimpl
            def register_datasets(self, register: Any) -> None:
                register(lt.DatasetEntry(name="flaky", load=fail))

        with lt.register_plugin(Flaky(), name="flaky"):
            with pytest.raises(lt.PluginError, match="dataset 'flaky' of plugin 'flaky'"):
                lt.load("flaky")
            status, out, err = run(capsys, "datasets")
            assert (0, True, True) == (status, "leiden" in out, "disk gone" in err)

    def test_a_name_claimed_twice(self) -> None:
        """Two plugins claiming one name make it unavailable, naming both."""

        class Again:
            @lt.hookimpl
            def register_datasets(self, register: Any) -> None:
                register(lt.DatasetEntry(name="leiden", load=lt.load))

        with lt.register_plugin(Again(), name="again"), pytest.raises(lt.PluginError):
            lt.load("leiden")

    def test_register_takes_entries_only(self) -> None:
        """register() with something else is the plugin's failure."""

        class Wrong:
            @lt.hookimpl
            def register_datasets(self, register: Any) -> None:
                register("leiden")

        with lt.register_plugin(Wrong(), name="wrong"):
            failures = [str(f) for f in _plugins.registry().failures]
            assert any("expects a DatasetEntry" in f for f in failures)

    def test_bad_name(self) -> None:
        """A dataset name must be a slug."""
        with pytest.raises(ValueError, match="ASCII lower-case letters, digits and hyphens"):
            lt.DatasetEntry(name="Brückenfeld", load=lt.load)


class TestSchemaCommand:
    """leiden-twinning schema prints or writes the schema."""

    def test_prints(self, capsys: pytest.CaptureFixture[str]) -> None:
        """The printed schema is the shipped one."""
        status, out, _err = run(capsys, "schema")
        assert (0, _schema.SCHEMA_FILE.read_text("utf-8")) == (status, out)

    def test_output(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--output writes a schema jsonschema accepts as a schema."""
        path = tmp_path / "s.json"
        assert (0, "", "") == run(capsys, "schema", "--output", str(path))
        jsonschema.Draft202012Validator.check_schema(json.loads(path.read_bytes()))
