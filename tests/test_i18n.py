"""Locale resolution, translated labels and CLDR formatting, in Dutch, English and fallbacks."""

from __future__ import annotations

import datetime as dt
import gc
import subprocess
import sys
from typing import TYPE_CHECKING, Any
from unittest import mock

import attrs
import babel
import babel.localedata
import pytest
from babel.lists import format_list
from hypothesis import example, given
from hypothesis import strategies as st

from leiden_twinning import (
    ActivityKind,
    Frequency,
    InstitutionKind,
    LocalizedText,
    MilestoneKind,
    PartialDate,
    PartnershipKind,
    Quantity,
    Theme,
    UnknownLocaleError,
    _cldr,
)
from leiden_twinning._i18n import I18n, i18n, label, resolve_locale
from leiden_twinning._model import base_language
from leiden_twinning.cli import default_locale

if TYPE_CHECKING:
    import enum
    from collections.abc import Callable
    from pathlib import Path

#: Every enumeration of the model whose values a user reads as labels.
LABELLED: tuple[type[enum.Enum], ...] = (
    PartnershipKind,
    Theme,
    ActivityKind,
    MilestoneKind,
    InstitutionKind,
    Frequency,
)


#: Language tags as data writes them, and as it should not (other case, underscore).
TAGS = ("en", "nl", "de", "ja", "EN", "En", "en-GB", "en-gb", "nl-BE", "de-CH", "pt-BR", "fr")


class TestResolveLocale:
    """Locale tags resolve through Babel, with ``_`` or ``-``; unknown ones fail clearly."""

    @pytest.mark.parametrize(
        ("tag", "expected"),
        [
            ("nl", "nl"),
            ("en", "en"),
            ("nl_BE", "nl_BE"),
            ("nl-BE", "nl_BE"),
            ("en_GB", "en_GB"),
            ("en-GB", "en_GB"),
            ("en-US", "en_US"),
            ("en_US", "en_US"),
            ("EN-us", "en_US"),
            (" de ", "de"),
            ("zh-TW", "zh_Hant_TW"),
        ],
    )
    def test_known(self, tag: str, expected: str) -> None:
        assert expected == str(resolve_locale(tag))

    @pytest.mark.parametrize(
        "tag", ["xx", "en_XX", "nl_ZZ", "", "C", "und", "klingon", "root", "ROOT"]
    )
    def test_unknown_names_the_supported_ones(self, tag: str) -> None:
        with pytest.raises(UnknownLocaleError) as info:
            resolve_locale(tag)
        message = str(info.value)
        assert repr(tag) in message
        assert "nl" in message
        assert "en" in message

    def test_every_babel_locale_and_nothing_else_is_known(self) -> None:
        """The one-file check agrees with Babel's list of locales, for each of them and more."""
        from babel import Locale  # noqa: PLC0415
        from babel.localedata import locale_identifiers  # noqa: PLC0415

        from leiden_twinning._i18n import _is_known  # noqa: PLC0415

        identifiers = locale_identifiers()
        assert len(identifiers) > 500
        assert all(_is_known(str(Locale.parse(name))) for name in identifiers)
        for other in ("root", "xx", "en_XX", "../en", "en/../nl", "en.dat"):
            assert (other in identifiers) == _is_known(other), other

    def test_unknown_through_i18n(self) -> None:
        with pytest.raises(UnknownLocaleError, match="unknown locale 'xx-YY'"):
            i18n("xx-YY")

    @pytest.mark.parametrize(
        ("tag", "expected"), [("nl", "nl"), ("en_GB", "en-GB"), ("en-US", "en-US")]
    )
    def test_bcp47_tag(self, tag: str, expected: str) -> None:
        assert expected == i18n(tag).tag


#: What the same calls give in Dutch and in English.
EXPECTED = {
    "nl": {
        "full date": "1 september 1998",
        "year": "1988",
        "month": "februari 2013",
        "day": "4 februari 2013",
        "number": "1.000.000",
        "approximate": "ongeveer 71.000",
        "at least": "meer dan 10",
        "country": "Zuid-Afrika",
        "list": "Oxford, Krefeld en Toruń",
        "1 year": "1 jaar",
        "30 years": "30 jaar",
        "twinning": "stedenband",
        "friendship": "vriendschapsband",
        "text": "tekst",
    },
    "en": {
        "full date": "September 1, 1998",
        "year": "1988",
        "month": "February 2013",
        "day": "February 4, 2013",
        "number": "1,000,000",
        "approximate": "about 71,000",
        "at least": "more than 10",
        "country": "South Africa",
        "list": "Oxford, Krefeld, and Toruń",
        "1 year": "1 year",
        "30 years": "30 years",
        "twinning": "twinning",
        "friendship": "friendship tie",
        "text": "text",
    },
}


@pytest.mark.parametrize("tag", ["nl", "en"])
class TestFormatting:
    """Dates, numbers, country names, lists and plurals follow the locale (CLDR and catalogs)."""

    def test_full_date(self, tag: str) -> None:
        assert EXPECTED[tag]["full date"] == i18n(tag).date(dt.date(1998, 9, 1))

    def test_year_only_date(self, tag: str) -> None:
        assert EXPECTED[tag]["year"] == i18n(tag).partial_date(PartialDate(1988))

    def test_month_and_year(self, tag: str) -> None:
        assert EXPECTED[tag]["month"] == i18n(tag).partial_date(PartialDate(2013, 2))

    def test_day_precise_partial_date(self, tag: str) -> None:
        assert EXPECTED[tag]["day"] == i18n(tag).partial_date(PartialDate(2013, 2, 4))

    def test_partial_dates_never_invent_a_day_or_month(self, tag: str) -> None:
        t = i18n(tag)
        assert "1" not in t.partial_date(PartialDate(2000)).replace("2000", "")
        short = t.partial_date(PartialDate(2013, 2), "short")
        assert "2013" in short
        assert "1" not in short.replace("2013", "")

    def test_large_number(self, tag: str) -> None:
        assert EXPECTED[tag]["number"] == i18n(tag).number(1_000_000)

    def test_approximate_population(self, tag: str) -> None:
        population = Quantity(71_000, approximate=True)
        assert EXPECTED[tag]["approximate"] == i18n(tag).quantity(population)

    def test_lower_bound(self, tag: str) -> None:
        assert EXPECTED[tag]["at least"] == i18n(tag).quantity(Quantity(10, at_least=True))

    def test_exact_quantity_is_just_the_number(self, tag: str) -> None:
        assert EXPECTED[tag]["number"] == i18n(tag).quantity(Quantity(1_000_000))

    def test_approximate_percentage(self, tag: str) -> None:
        expected = {"nl": "ongeveer 60%", "en": "about 60%"}[tag]
        assert expected == i18n(tag).quantity(Quantity(60, approximate=True), unit="percent")

    def test_country_name(self, tag: str) -> None:
        assert EXPECTED[tag]["country"] == i18n(tag).country("ZA")

    def test_list(self, tag: str) -> None:
        assert EXPECTED[tag]["list"] == i18n(tag).list(["Oxford", "Krefeld", "Toruń"])

    @pytest.mark.parametrize("n", [1, 30])
    def test_plural(self, tag: str, n: int) -> None:
        key = "1 year" if n == 1 else "30 years"
        assert EXPECTED[tag][key] == i18n(tag).years(n)

    def test_labels(self, tag: str) -> None:
        t = i18n(tag)
        assert EXPECTED[tag]["twinning"] == t.label(PartnershipKind.TWINNING)
        assert EXPECTED[tag]["friendship"] == t.label(PartnershipKind.FRIENDSHIP)

    def test_text(self, tag: str) -> None:
        """A data text comes in the locale's language, tagged with it."""
        expected = (EXPECTED[tag]["text"], tag)
        assert expected == i18n(tag).text(LocalizedText(nl="tekst", en="text"))


class TestLabels:
    """Every enumeration value the model exposes has a label, translated into Dutch."""

    @pytest.mark.parametrize("value", [value for kind in LABELLED for value in kind], ids=repr)
    def test_every_value_has_a_dutch_label(self, value: enum.Enum) -> None:
        english = label(value)
        assert english == i18n("en").label(value)
        assert i18n("nl").label(value)
        # A Dutch label equal to the English one must be a real Dutch word (sport, museum, ...).
        if english == i18n("nl").label(value):
            assert english in {"sport", "museum", "school", "project"}


class TestFallbacks:
    """Other locales: CLDR formatting of their own, English labels, English-then-Dutch texts."""

    def test_german_cldr_formatting(self) -> None:
        de = i18n("de")
        assert "Südafrika" == de.country("ZA")
        assert "1. September 1998" == de.date(dt.date(1998, 9, 1))
        assert "Februar 2013" == de.partial_date(PartialDate(2013, 2))
        assert "1.000.000" == de.number(1_000_000)
        assert "A, B und C" == de.list(["A", "B", "C"])

    def test_german_percentages(self) -> None:
        de = i18n("de")
        assert "60\N{NO-BREAK SPACE}%" == de.percent(60)
        assert "etwa 60\N{NO-BREAK SPACE}%" == de.quantity(
            Quantity(60, approximate=True), unit="percent"
        )

    def test_a_language_without_a_catalog_gets_english_labels(self) -> None:
        """French has no catalog: English labels, French CLDR numbers."""
        fr = i18n("fr")
        assert "twinning" == fr.label(PartnershipKind.TWINNING)
        assert "30 years" == fr.years(30)
        assert "about 71\N{NARROW NO-BREAK SPACE}000" == fr.quantity(
            Quantity(71_000, approximate=True)
        )

    def test_german_gets_english_then_dutch_texts(self) -> None:
        de = i18n("de")
        assert ("text", "en") == de.text(LocalizedText(nl="tekst", en="text"))
        assert ("tekst", "nl") == de.text(LocalizedText(nl="tekst"))

    def test_regional_forms_use_their_language_catalog(self) -> None:
        assert "stedenband" == i18n("nl_BE").label(PartnershipKind.TWINNING)
        assert "twinning" == i18n("en_GB").label(PartnershipKind.TWINNING)
        assert "1 September 1998" == i18n("en_GB").date(dt.date(1998, 9, 1))
        assert "A, B and C" == i18n("en_GB").list(["A", "B", "C"])

    def test_english_text_falls_back_to_dutch(self) -> None:
        assert ("tekst", "nl") == i18n("en").text(LocalizedText(nl="tekst"))

    @given(
        st.lists(
            st.tuples(st.sampled_from(TAGS), st.text(min_size=1, max_size=3)),
            min_size=1,
            max_size=5,
        ),
        st.sampled_from(["en", "nl", "de", "ja", "en_GB", "nl_BE", "de_CH", "fr", "pt_BR"]),
    )
    @example([("EN", "A"), ("en", "b")], "en")
    @example([("nl", "a"), ("en-GB", "b"), ("en", "c")], "en")
    def test_the_text_of_any_tags(self, items: list[tuple[str, str]], locale: str) -> None:
        """The text chosen, and its tag, follow :meth:`LocalizedText.lookup` for any tags."""
        with attrs.validators.disabled():  # tags differing in case only, on purpose
            text = LocalizedText(dict(items))
        t = i18n(locale)
        written, own, matched = text.lookup(t.tag)
        expected = (written, t.tag if matched and base_language(own) == own.lower() else own)
        assert expected == t.text(text)

    def test_a_regional_locale_tags_its_own_language(self) -> None:
        """A text in the locale's language carries the locale's full tag."""
        assert ("text", "en-GB") == i18n("en_GB").text(LocalizedText(nl="tekst", en="text"))
        assert ("tekst", "nl-BE") == i18n("nl_BE").text(LocalizedText(nl="tekst", en="text"))


class TestDefaultLocale:
    """The CLI speaks the environment's language when it has a catalog for it, else English."""

    @pytest.mark.parametrize(
        ("environ", "expected"),
        [
            ({"LANG": "en_US.UTF-8"}, "en"),
            ({"LANG": "en_GB"}, "en"),
            ({"LANG": "nl_NL.UTF-8"}, "nl"),
            ({"LANG": "fr_FR"}, "en"),
            ({"LANG": "de_DE.UTF-8"}, "de"),
            ({"LANG": "C"}, "en"),
            ({}, "en"),
            ({"LANG": ""}, "en"),
            ({"LC_ALL": "en_US.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
            ({"LC_MESSAGES": "nl_NL", "LANG": "en_US"}, "nl"),
        ],
    )
    def test_default_locale(self, environ: dict[str, str], expected: str) -> None:
        assert expected == default_locale(environ)


class TestLazyImports:
    """Importing the package loads neither Babel nor its CLDR data."""

    def test_no_babel_on_import(self) -> None:
        code = "import sys, leiden_twinning; print(sorted(m for m in sys.modules if 'babel' in m))"
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert "[]" == out.strip()


class TestCollectorPause:
    """The CLDR data of a locale is read with the garbage collector paused, and only then."""

    @pytest.fixture
    def reads(self, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
        """Whether the collector was on at each read of a locale's CLDR data (cached or not)."""
        found: list[bool] = []
        real = _cldr._fields

        def spy(identifier: str, folder: Path | None) -> Any:
            found.append(gc.isenabled())
            return real(identifier, folder)

        monkeypatch.setattr(_cldr, "_fields", spy)
        return found

    @pytest.mark.parametrize(
        "use",
        [
            lambda loc: loc.date(PartialDate(1988, 11)),
            lambda loc: loc.date(dt.date(1988, 11, 4), "short"),
            lambda loc: loc.day_month(11, 7),
            lambda loc: loc.number(71000),
            lambda loc: loc.percent(60),
            lambda loc: loc.country("ZA"),
            lambda loc: loc.list(["a", "b", "c"]),
        ],
    )
    def test_each_formatting_reads_the_data_paused(
        self, reads: list[bool], use: Callable[[I18n], str]
    ) -> None:
        """Whatever formats first reads the data once, with the collector off, then turns it on."""
        loc = I18n(babel.Locale.parse("fy"))
        assert [] == reads

        first = use(loc)
        assert [False] == reads[:1]
        assert gc.isenabled()
        assert first == use(I18n(babel.Locale.parse("fy")))
        assert gc.isenabled()

    def test_labels_and_texts_read_no_data(self, reads: list[bool]) -> None:
        """A label or a text of the data needs no CLDR data: none is read for them."""
        loc = I18n(babel.Locale.parse("fy"))

        assert "twinning" == loc.label(PartnershipKind.TWINNING)
        assert "stad" == loc.text(LocalizedText(nl="stad")).text
        assert [] == reads

    def test_a_collector_turned_off_stays_off(self, reads: list[bool]) -> None:
        """When the program has turned the collector off, it is still off afterwards."""
        gc.disable()
        try:
            assert "Sûd-Afrika" == I18n(babel.Locale.parse("fy")).country("ZA")
            assert not gc.isenabled()
        finally:
            gc.enable()
        assert [False] == reads

    def test_the_collector_comes_back_after_an_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A read that fails leaves the collector on, as it was."""

        def broken(identifier: str, folder: Path | None) -> None:
            assert not gc.isenabled()
            raise OSError(identifier)

        monkeypatch.setattr(_cldr, "_fields", broken)
        with pytest.raises(OSError, match="fy"):
            I18n(babel.Locale.parse("fy")).list(["a", "b"])
        assert gc.isenabled()


class TestLists:
    """Lists in the locale's style: Babel's text, in linear time."""

    @given(
        st.lists(st.text(max_size=6), max_size=12),
        st.sampled_from(["en", "nl", "de", "ja", "pl", "es", "ar", "zh", "fr", "he", "hi"]),
    )
    @example(["A", "B", "C", "D"], "en")
    @example(["{0}", "{1}", "{", "}"], "nl")
    def test_like_babel(self, items: list[str], locale: str) -> None:
        """Any items, any of these locales: the text of babel.lists.format_list."""
        t = i18n(locale)
        assert format_list(items, locale=t.locale) == t.list(items)

    def test_every_locale(self) -> None:
        """Every locale Babel knows, five items and a thousand: its own text."""
        items = [f"city {i}" for i in range(1_000)]
        for name in babel.localedata.locale_identifiers():
            t = I18n(babel.Locale.parse(name))
            assert format_list(items[:5], locale=t.locale) == t.list(items[:5]), name
        assert format_list(items, locale="nl") == i18n("nl").list(items)

    def test_a_pattern_of_another_shape(self) -> None:
        """A pattern with the second item first is left to Babel."""
        t = i18n("en")
        patterns = {"start": "{1} & {0}", "middle": "{0}, {1}", "end": "{0} and {1}", "2": "x"}
        with mock.patch.object(type(t.locale), "list_patterns", {"standard": patterns}):
            assert "B & A, C and D" == t.list(["A", "B", "C", "D"])
