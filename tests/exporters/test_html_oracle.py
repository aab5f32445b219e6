"""The parts of the page written in Python, against the template that rendered them before.

``data/page-parts/`` holds the Jinja2 loops that rendered the parts repeated for every tie before
html.py's ``_Writer`` wrote them (a tie's section, its entries in the contents, beside the map
and in the timeline). Put back in place of the calls of the page's template, and rendered by
Jinja2 (autoescaping, ``jinja2.ext.i18n``'s own gettext callables, the same filters) with the
context the exporter prepares, they must give exactly the page the exporter writes: on the
canonical data in every catalog language and with each option, on the bench's synthetic data,
on markup and script URLs in every field, on the hostile twins and on Hypothesis text and
datasets.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest import mock

import attrs
import markupsafe
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_html import hostile
from test_html_fast import prepared, stock_environment

import leiden_twinning as lt
from leiden_twinning import worldmap as wm
from leiden_twinning.exporters import html
from synthetic import generate
from test_hostile import _TEXT_CHARS, PAYLOADS, Twins
from test_loader import datasets

if TYPE_CHECKING:
    import jinja2


#: Each call of the page's template, and the file of the loop it replaced.
PARTS = {
    "{{ writer.contents(partnerships) }}": "contents.html",
    "{{ writer.places(mapped) }}": "places.html",
    "{{ writer.timeline_desc(timeline) }}": "timeline-desc.html",
    "{{ writer.timeline_rows(timeline) }}": "timeline-rows.html",
    "{{ writer.timeline_list(timeline) }}": "timeline-list.html",
    "{% for p in partnerships %}\n{{ writer(p) }}\n{% endfor %}\n": "sections.html",
}


def oracle_template(locale: str) -> jinja2.Template:
    """The page's template with the loops that the calls of its ``writer`` replaced."""
    environment = stock_environment(locale)
    source, _, _ = environment.loader.get_source(environment, "page.html")  # type: ignore[union-attr]
    for call, name in PARTS.items():
        assert 1 == source.count(call), call
        loop = (Path(__file__).parent / "data" / "page-parts" / name).read_text(encoding="utf-8")
        source = source.replace(call, loop)
    assert "{{ writer" not in source  # every call replaced
    return environment.from_string(source)


LOCALES = ("en", "nl", "de", "pl", "ja", "es")
ALTERNATES = {"nl": "../nl/", "ja": "https://example.org/ja/"}


def assert_same_page(dataset: lt.Dataset, locale: str, **options: Any) -> int:
    """The exporter's page is the oracle template's; returns how many ties it presents."""
    context = prepared(dataset, locale, **options)
    expected = oracle_template(locale).render(context)
    found = html.render(dataset, locale=locale, **options)
    assert expected == found
    assert expected.encode("utf-8") == lt.export(dataset, "html", locale=locale, **options)
    return found.count('<section class="partnership"')


class TestSameAsTheTemplate:
    """The page equals the template's, byte for byte."""

    @pytest.mark.parametrize("locale", LOCALES)
    def test_canonical(self, dataset: lt.Dataset, locale: str) -> None:
        """The canonical data in every catalog language, also with each option."""
        assert 6 == assert_same_page(dataset, locale)
        assert 6 == assert_same_page(
            dataset, locale, reference_date="2031-05-05", alternates=ALTERNATES
        )
        assert 1 == assert_same_page(dataset, locale, partnerships=("torun",))

    @pytest.mark.parametrize("locale", ["en", "ja", "de"])
    def test_synthetic(self, locale: str) -> None:
        """The bench's data: activities of every kind, contacts, foundations, institutions."""
        assert 80 == assert_same_page(lt.loads(json.dumps(generate(80))), locale)

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_hostile(self, dataset: lt.Dataset, locale: str) -> None:
        """Markup, quotes and script URLs in every text and URL field."""
        assert 6 == assert_same_page(hostile(dataset), locale)

    @pytest.mark.parametrize("payload", sorted(PAYLOADS))
    def test_hostile_twins(self, payload: str) -> None:
        """Line breaks, markup, injections, bidi and emoji in every text field."""
        assert 0 < assert_same_page(Twins(PAYLOADS[payload]).hostile, "en")

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(_TEXT_CHARS, min_size=1, max_size=40), st.sampled_from(LOCALES))
    def test_any_text(self, text: str, locale: str) -> None:
        """Random text the model accepts, in every text field of the canonical data."""
        assert 0 < assert_same_page(Twins(text).hostile, locale)

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(datasets(), st.sampled_from(LOCALES))
    def test_hypothesis_datasets(self, random_dataset: lt.Dataset, locale: str) -> None:
        """The loader tests' random datasets: every entity, and each optional field or not."""
        count = assert_same_page(random_dataset, locale)
        assert len(random_dataset.partnerships) == count


class TestText:
    """The page's own escaping writes what markupsafe's does."""

    @given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)))
    def test_like_markupsafe(self, value: str | float) -> None:
        """Any text or number: the same characters as :func:`markupsafe.escape`."""
        assert str(markupsafe.escape(value)) == html._text(value)
        assert type(html._text(value)) is str

    def test_markup_in_the_data_is_text(self) -> None:
        """A :class:`markupsafe.Markup` in the data is escaped, never taken as markup."""
        assert "&lt;b&gt;x&lt;/b&gt;" == html._text(markupsafe.Markup("<b>x</b>"))


class TestRareFields:
    """Fields the shipped and generated data always fill, left out, against the template."""

    def test_activities_without_description(self, dataset: lt.Dataset) -> None:
        """An activity without a description ends at its kind and date."""
        bare = attrs.evolve(
            dataset, activities=tuple(attrs.evolve(a, description=None) for a in dataset.activities)
        )
        assert 6 == assert_same_page(bare, "en")

    def test_an_email_address_that_is_not_linked(self, dataset: lt.Dataset) -> None:
        """An address that makes no safe ``mailto:`` URL is written as text, not linked."""
        with mock.patch.object(html, "_mailto", return_value=None):
            assert 6 == assert_same_page(dataset, "nl")
            page = html.render(dataset, locale="nl")
        assert 'href="mailto:' not in page
        emails = [c.email for c in dataset.contacts if c.email]
        assert emails
        assert all(email in page for email in emails)


def two_pass_width(text: str, font_size: float) -> float:
    """The timeline's width estimate as first written: wide characters counted, then the rest."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    narrow = "".join(c for c in text if unicodedata.east_asian_width(c) not in "WF")
    return wide * font_size * 1.05 + wm.text_width(narrow, font_size)


class TestTextWidth:
    """The timeline's one-pass width estimate equals the two-pass one it replaced."""

    @given(st.text(), st.sampled_from([17.0, 26.0, 9.5]))
    def test_any_text(self, text: str, font_size: float) -> None:
        """ASCII, accents, CJK, emoji: the same float."""
        assert two_pass_width(text, font_size) == html._text_width(text, font_size)

    def test_names(self) -> None:
        """Partner names in Latin and Japanese script."""
        for name in ("Oxford", "Toruń", "長崎市", "Buffalo City · 2003", "ナガサキ 1"):
            assert two_pass_width(name, 17.0) == html._text_width(name, 17.0)
