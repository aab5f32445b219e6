"""The public road: what ``dir()`` shows, what exporters import, how lookups fail."""

from __future__ import annotations

import ast
import datetime as dt
import importlib
import importlib.metadata
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

import leiden_twinning as lt
from leiden_twinning import exporting

if TYPE_CHECKING:
    from collections.abc import Iterator

EXPORTERS = Path(lt.__file__).parent / "exporters"
#: The example third-party plugin, the model plugin authors copy.
EXAMPLE_PLUGIN = (
    Path(__file__).parents[1]
    / "examples/leiden-twinning-markdown/src/leiden_twinning_markdown/__init__.py"
)


def imported_names(path: Path) -> list[tuple[str, str | None]]:
    """Every ``(module, name)`` a source file imports; *name* is ``None`` for ``import module``."""
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            found += [(node.module or "", alias.name) for alias in node.names]
    return found


class TestExportersUseThePublicRoad:
    """No built-in exporter imports a private name of the package."""

    @pytest.mark.parametrize(
        "path",
        [*sorted(EXPORTERS.glob("*.py")), EXAMPLE_PLUGIN],
        ids=lambda p: p.parent.name + "/" + p.name,
    )
    def test_every_import_is_public(self, path: Path) -> None:
        """Each leiden_twinning name an exporter imports is in a public module's __all__."""
        for module, name in imported_names(path):
            if module.split(".")[0] != "leiden_twinning":
                continue
            assert not any(part.startswith("_") for part in module.split(".")), (path, module)
            if name is None:
                continue
            public = importlib.import_module(module)
            assert name in getattr(public, "__all__", ()), (path.name, module, name)

    def test_the_walk_finds_a_private_import(self, tmp_path: Path) -> None:
        """The check above would see a private import: the walk reports it."""
        source = tmp_path / "bad.py"
        source.write_text("from leiden_twinning._i18n import _translations\n", encoding="utf-8")
        assert [("leiden_twinning._i18n", "_translations")] == imported_names(source)

    def test_the_exporting_helpers_are_documented(self) -> None:
        """Every function of leiden_twinning.exporting has a docstring."""
        functions = [getattr(exporting, n) for n in exporting.__all__]
        undocumented = [f for f in functions if callable(f) and not (f.__doc__ or "").strip()]
        assert [] == undocumented


class TestPackageSurface:
    """``dir()``, ``__all__`` and the version."""

    def test_dir_is_exactly_all(self) -> None:
        """dir(leiden_twinning) lists __all__, the lazy names too, and nothing else."""
        assert sorted(lt.__all__) == dir(lt)
        assert {"export", "formats", "hookimpl", "i18n", "register_plugin"} <= set(dir(lt))
        assert not {"Any", "TYPE_CHECKING", "annotations"} & set(dir(lt))

    def test_every_name_in_all_resolves(self) -> None:
        """Each name of __all__ is an attribute of the package."""
        for name in lt.__all__:
            assert getattr(lt, name) is not None, name

    def test_the_version_comes_from_the_metadata(self) -> None:
        """__version__ is the installed distribution's version, and PRODID carries it."""
        version = importlib.metadata.version("leiden-twinning")
        assert version == lt.__version__
        assert f"-//leiden-twinning//leiden-twinning {version}//EN" == exporting.prodid()

    def test_an_unknown_attribute(self) -> None:
        """A name the package does not have is an AttributeError."""
        with pytest.raises(AttributeError, match="no attribute 'nothing'"):
            _ = lt.nothing


class TestLookups:
    """Every lookup of the Dataset fails with UnknownEntityError, a KeyError too."""

    @pytest.mark.parametrize(
        ("method", "message"),
        [
            ("city", "no city with id or name 'atlantis'"),
            ("partnership", "no city with id or name 'atlantis'"),
            ("get", "no entity with id 'atlantis'"),
            ("organisation", "no organisation with id 'atlantis'"),
            ("source", "no source with id 'atlantis'"),
        ],
    )
    def test_unknown_entity(self, dataset: lt.Dataset, method: str, message: str) -> None:
        """The error names what was looked for, without the quotes a KeyError adds."""
        with pytest.raises(lt.UnknownEntityError) as caught:
            getattr(dataset, method)("atlantis")
        assert message == str(caught.value)
        assert isinstance(caught.value, KeyError)
        assert isinstance(caught.value, lt.LeidenTwinningError)

    def test_select_names_the_known_ids(self, dataset: lt.Dataset) -> None:
        """select() lists the known partnership ids in its error."""
        with pytest.raises(lt.UnknownEntityError, match=r"known: leiden-buffalo-city, "):
            dataset.select(["atlantis"])

    def test_a_partnership_option_names_the_exporter(self, dataset: lt.Dataset) -> None:
        """An unknown tie in an export option is an ExportError that starts with the format."""
        with pytest.raises(lt.ExportError, match=r"^vcard: no partnership with id or partner"):
            exporting.select_partnerships(dataset, ["atlantis"], exporter="vcard")


class TestOneSetOfNames:
    """from_year/to_year and partnerships everywhere; the old names warn."""

    def test_jubilees_of_one_year(self, dataset: lt.Dataset) -> None:
        """jubilees(year) alone gives that year's jubilees."""
        assert dataset.jubilees(2028, 2028) == dataset.jubilees(2028)
        assert {2028} == {a.year for a in dataset.jubilees(from_year=2028)}

    def test_jubilees_old_names_warn(self, dataset: lt.Dataset) -> None:
        """first_year/last_year still work, with a DeprecationWarning naming the new names."""
        with pytest.warns(DeprecationWarning, match="first_year is deprecated.*use from_year"):
            old = dataset.jubilees(first_year=2025, to_year=2030)
        assert dataset.jubilees(2025, 2030) == old

    def test_both_names_at_once(self, dataset: lt.Dataset) -> None:
        """Giving a value under both names is a TypeError."""
        with pytest.raises(TypeError, match="give to_year only"):
            dataset.jubilees(2025, 2030, last_year=2030)

    def test_a_year_is_required(self, dataset: lt.Dataset) -> None:
        """Without any first year, the calls say what they need."""
        with pytest.raises(TypeError, match="jubilees\\(\\) needs from_year"):
            dataset.jubilees()
        with pytest.raises(TypeError, match="calendar_events\\(\\) needs from_year"):
            lt.calendar_events(dataset)

    def test_calendar_events_old_names_warn(self, dataset: lt.Dataset) -> None:
        """calendar_events keeps first_year/last_year as warning aliases."""
        with pytest.warns(DeprecationWarning, match="last_year is deprecated"):
            old = lt.calendar_events(dataset, from_year=2028, last_year=2029)
        assert lt.calendar_events(dataset, from_year=2028, to_year=2029) == old
        assert lt.calendar_events(dataset, from_year=2028, to_year=2028) == lt.calendar_events(
            dataset, from_year=2028
        )

    @pytest.mark.parametrize("fmt", ["ical", "vcard", "html"])
    def test_the_partnership_option_warns_and_still_works(
        self, dataset: lt.Dataset, fmt: str
    ) -> None:
        """export(..., partnership=...) is a deprecated alias of partnerships=."""
        with pytest.warns(DeprecationWarning, match=f"{fmt}: partnership is deprecated") as got:
            old = lt.export(dataset, fmt, partnership=["oxford"])
        assert __file__ == got[0].filename
        assert lt.export(dataset, fmt, partnerships=["oxford"]) == old
        assert lt.export(dataset, fmt) != old

    @pytest.mark.parametrize("fmt", ["ical", "vcard", "html"])
    def test_one_spelling_on_the_command_line(self, fmt: str) -> None:
        """Each format declares one partnerships option: one metavar, one help, --partnership."""
        option = next(f for f in lt.formats() if f.name == fmt).option("partnerships")
        assert exporting.partnerships_option() == option
        assert ("partnership", "TIE", True) == (option.cli_name, option.metavar, option.multiple)


class TestPartialDateOrder:
    """Partial dates sort chronologically, a coarser date first."""

    def test_sorted_works_on_the_dataset(self, dataset: lt.Dataset) -> None:
        """sorted() orders the start dates of every tie by their sort keys."""
        starts = [p.start.date for p in dataset.partnerships]
        assert sorted(starts, key=lambda d: d.sort_key) == sorted(starts)

    def test_a_year_sorts_before_its_months_and_days(self) -> None:
        """1988 < 1988-01 < 1988-11 < 1988-11-04 < 1989."""
        year, january = lt.PartialDate(1988), lt.PartialDate(1988, 1)
        november, day = lt.PartialDate(1988, 11), lt.PartialDate(1988, 11, 4)
        later = lt.PartialDate(1989)
        assert [year, january, november, day, later] == sorted(
            [later, day, november, january, year]
        )
        assert year < january <= lt.PartialDate(1988, 1) < later
        assert later > day >= lt.PartialDate(1988, 11, 4) > year
        assert not year >= january

    def test_other_types_do_not_compare(self) -> None:
        """Comparing with something else is a TypeError, as for any unrelated types."""
        with pytest.raises(TypeError):
            _ = lt.PartialDate(1988) < "1989"  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = lt.PartialDate(1988) <= 1989  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = lt.PartialDate(1988) > 1987  # type: ignore[operator]
        with pytest.raises(TypeError):
            _ = lt.PartialDate(1988) >= 1987  # type: ignore[operator]


class TestExportingHelpers:
    """The shared helpers follow one rule each."""

    def test_phone_forms(self) -> None:
        """A valid number comes in E.164, international and RFC 3966 form."""
        found = exporting.phone("+31715141720")
        assert found is not None
        assert ("+31715141720", "+31 71 514 1720", "tel:+31-71-514-1720") == tuple(found)
        assert "tel:+31715141720" == found.uri

    @pytest.mark.parametrize("number", ["+3100000000", "+9991234567", "not a number", "", None])
    def test_phone_refuses_what_is_not_a_valid_number(self, number: str | None) -> None:
        """A possible but invalid number, one of no country or no number at all gives None."""
        assert exporting.phone(number) is None

    def test_the_html_page_does_not_link_an_invalid_number(
        self, document: dict[str, object]
    ) -> None:
        """The page shows +3100000000 as text, as the vCard refuses it: one rule for both."""
        contacts = document["contacts"]
        assert isinstance(contacts, list)
        contacts[0]["phone"] = "+3100000000"
        dataset = lt.loads(json.dumps(document))
        page = lt.export(dataset, "html").decode("utf-8")
        assert "+3100000000" in page
        assert 'href="tel:+3100000000"' not in page
        with pytest.raises(lt.ExportError, match="not a valid phone number"):
            lt.export(dataset, "vcard")

    def test_reference_date_forms(self, dataset: lt.Dataset) -> None:
        """A date, a datetime, an ISO string or None (the revision) are all accepted."""
        day = dt.date(2030, 1, 2)
        assert day == exporting.reference_date(day, dataset, exporter="x")
        assert day == exporting.reference_date(dt.datetime(2030, 1, 2, 3, 4), dataset, exporter="x")
        assert day == exporting.reference_date(" 2030-01-02 ", dataset, exporter="x")
        assert dataset.revision == exporting.reference_date(None, dataset, exporter="x")
        with pytest.raises(lt.ExportError, match=r"^x: reference_date must be a date"):
            exporting.reference_date("soon", dataset, exporter="x")

    def test_write_blocks_writes_everything_once(self) -> None:
        """Pieces past one block are all written, in order, as UTF-8."""
        pieces = ["é" * 1000] * 100
        stream = io.BytesIO()
        exporting.write_blocks(stream, pieces)
        assert "".join(pieces).encode("utf-8") == stream.getvalue()

    def test_write_blocks_keeps_going_past_empty_pieces(self) -> None:
        """A long run of empty pieces (more than are joined at once) is no end of the text."""
        pieces = ["a", *[""] * 1000, "b", *[""] * 300]
        stream = io.BytesIO()
        exporting.write_blocks(stream, iter(pieces))
        assert b"ab" == stream.getvalue()

    def test_write_blocks_writes_blocks_as_the_pieces_come(self) -> None:
        """Small pieces are written a block at a time, each block soon after it is complete:
        the text is never gathered whole."""
        taken = 0
        at_write: list[tuple[int, int]] = []

        def pieces() -> Iterator[str]:
            nonlocal taken
            for _ in range(40_000):
                taken += 1
                yield "ab,"

        class Stream(io.BytesIO):
            def write(self, data: Any) -> int:
                at_write.append((len(data), taken))
                return super().write(data)

        stream = Stream()
        exporting.write_blocks(stream, pieces())
        assert b"ab," * 40_000 == stream.getvalue()
        *blocks, last = at_write
        assert len(blocks) == 120_000 // exporting.BLOCK_SIZE
        written = 0
        for size, when in blocks:
            assert exporting.BLOCK_SIZE <= size < exporting.BLOCK_SIZE + 3 * 128
            written += size
            assert when * 3 - written < 3 * 128  # at most one batch of pieces taken ahead
        assert 0 < last[0] < exporting.BLOCK_SIZE


class TestRecurrence:
    """A recurrence names its fixed day, where it has one."""

    def test_fixed_day(self) -> None:
        """(month, day) with a set day, None without."""
        assert (2, 29) == lt.Recurrence(month=2, day=29).fixed_day
        assert lt.Recurrence().fixed_day is None
