"""The html exporter's fast paths give exactly what the general ones give.

- The page equals the page rendered with ``jinja2.ext.i18n``'s own "newstyle" gettext callables
  (instead of the exporter's plain ones), on the canonical, synthetic and hostile datasets.
- Its pieces of markup (``<time>``, ``<span lang>``, paragraphs, links) equal
  :meth:`markupsafe.Markup.format`'s, which escapes exactly as autoescaping does.
- The world map's label placement equals the plain greedy search its docstring describes (every
  label placed before and every marker, summed in that order, no index, no early stop).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from test_html import BAD_URLS, hostile

import leiden_twinning as lt
from leiden_twinning import LocalizedText, PartialDate
from leiden_twinning import worldmap as wm
from leiden_twinning.exporters import html
from synthetic import generate
from test_hostile import _TEXT_CHARS, PAYLOADS, Twins

if TYPE_CHECKING:
    from collections.abc import Sequence

    import jinja2


LOCALES = ("en", "nl", "de", "pl", "ja", "es")
ALTERNATES = {"nl": "../nl/", "en": "../en/index.html", "ja": "https://example.org/ja/"}


def stock_environment(locale: str) -> jinja2.Environment:
    """A fresh environment of the page's templates with jinja2.ext.i18n's own newstyle callables."""
    t = lt.i18n(locale)
    env = html._environment.__wrapped__(t.language)
    env.install_gettext_translations(t.translations, newstyle=True)  # type: ignore[attr-defined]
    # The extension's callables take the context: not the exporter's plain functions.
    assert env.globals["gettext"] is not html._environment(t.language).globals["gettext"]
    assert getattr(env.globals["gettext"], "jinja_pass_arg", None) is not None
    return env


def prepared(dataset: lt.Dataset, locale: str, **options: Any) -> dict[str, Any]:
    """What the exporter renders the page with, for *options*."""
    _, context = html._prepare(
        dataset,
        locale,
        options.get("reference_date"),
        options.get("partnerships"),
        options.get("alternates"),
    )
    return context


def stock_render(dataset: lt.Dataset, locale: str, **options: Any) -> str:
    """The page rendered with jinja2.ext.i18n's own newstyle callables, in a fresh environment."""
    template = stock_environment(locale).get_template("page.html")
    return template.render(prepared(dataset, locale, **options))


def assert_same_page(dataset: lt.Dataset, locale: str, **options: Any) -> None:
    """The exported page, rendered and written, is the stock-rendered page."""
    expected = stock_render(dataset, locale, **options)
    assert expected == html.render(dataset, locale=locale, **options)
    assert expected.encode("utf-8") == lt.export(dataset, "html", locale=locale, **options)


class TestSameAsStockI18n:
    """The plain gettext callables translate, plural and escape as jinja2's own do."""

    @pytest.mark.parametrize("locale", LOCALES)
    def test_canonical(self, dataset: lt.Dataset, locale: str) -> None:
        """The canonical page in every catalog language, also with its options."""
        assert_same_page(dataset, locale)
        assert_same_page(dataset, locale, reference_date="2031-05-05", alternates=ALTERNATES)
        assert_same_page(dataset, locale, partnerships=("torun",))

    @pytest.mark.parametrize("locale", ["en", "ja"])
    def test_synthetic(self, locale: str) -> None:
        """A synthetic dataset of the bench (many ties, activities, contacts, sources)."""
        assert_same_page(lt.loads(json.dumps(generate(60))), locale)

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_hostile(self, dataset: lt.Dataset, locale: str) -> None:
        """Markup, quotes and script URLs in every text and URL field."""
        assert_same_page(hostile(dataset), locale)

    @pytest.mark.parametrize("payload", sorted(PAYLOADS))
    def test_hostile_twins(self, payload: str) -> None:
        """The hostile twins of the other exporters' tests."""
        assert_same_page(Twins(PAYLOADS[payload]).hostile, "en")

    @settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(_TEXT_CHARS, min_size=1, max_size=40))
    def test_any_text(self, text: str) -> None:
        """Random text the model accepts, in every text field of the canonical data."""
        assert_same_page(Twins(text).hostile, "nl")


texts = st.text(_TEXT_CHARS, min_size=1, max_size=30)
paragraphs = st.lists(texts, min_size=1, max_size=3).map("\n\n".join)


class TestMarkupPieces:
    """Each piece of markup is what markupsafe's formatting (the old implementation) makes."""

    @given(st.sampled_from(LOCALES), texts, texts, st.booleans())
    def test_inline(self, locale: str, own: str, other: str, translated: bool) -> None:
        """A text in the page's language is escaped, any other in a ``<span lang>``."""
        t = lt.i18n(locale)
        page = html._Page(t)
        text = LocalizedText({locale: own, "zh": other} if translated else {"zh": other})
        if translated:
            assert Markup("{0}").format(own) == page.inline(text)
        else:
            assert Markup('<span lang="{0}">{1}</span>').format("zh", other) == page.inline(text)

    @given(st.sampled_from(LOCALES), paragraphs, st.sampled_from([None, "", "motto", '"x<']))
    def test_localized(self, locale: str, written: str, class_: str | None) -> None:
        """Paragraphs with a class and a ``lang`` when the text is in another language."""
        page = html._Page(lt.i18n(locale))
        for text, lang in (
            (LocalizedText({locale: written}), None),
            (LocalizedText(zh=written), "zh"),
        ):
            attributes = Markup("")
            if class_:
                attributes += Markup(' class="{0}"').format(class_)
            if lang:
                attributes += Markup(' lang="{0}"').format(lang)
            expected = Markup("\n").join(
                Markup("<p{0}>{1}</p>").format(attributes, para)
                for para in html._paragraphs(written)
            )
            assert expected == page.localized(text, class_)

    @given(
        st.sampled_from(LOCALES),
        st.one_of(
            st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
            st.builds(PartialDate, st.integers(1000, 2999)),
            st.builds(PartialDate, st.integers(1000, 2999), st.integers(1, 12)),
        ),
    )
    def test_time(self, locale: str, date: dt.date | PartialDate) -> None:
        """A ``<time datetime>`` around the date's text, the same when asked again."""
        t = lt.i18n(locale)
        page = html._Page(t)
        expected = Markup('<time datetime="{0}">{1}</time>').format(date.isoformat(), t.date(date))
        assert expected == page.when(date)
        assert expected == page.full_date(date)

    @given(
        st.one_of(
            st.sampled_from([*BAD_URLS, "https://www.leiden.nl/?a=1&b=<2>", "mailto:a@b.nl"]),
            st.none(),
            texts,
        ),
        texts,
        st.booleans(),
    )
    def test_link(self, url: str | None, label: str, label_is_url: bool) -> None:
        """A link for a safe URL only, marked external when its label is not the URL."""
        if label_is_url:
            label = url or label
        href = html.safe_url(url)
        if href is None:
            expected = Markup("{0}").format(label)
        elif label == url:
            expected = Markup('<a href="{0}">{1}</a>').format(href, label)
        else:
            expected = Markup('<a class="external" href="{0}">{1}</a>').format(href, label)
        assert expected == html._Page.link(url, label)


# -- the map's labels ---------------------------------------------------------------------------

Box = tuple[float, float, float, float]


def greedy(
    marks: Sequence[tuple[float, float, str]],
    obstacles: Sequence[Box],
    frame: Box,
    font_size: float,
    gap: float,
) -> list[tuple[float, float, str] | None]:
    """The greedy placement as its docstring states it, looking at every box for every position."""
    placed: list[Box] = []
    chosen: list[tuple[float, float, str] | None] = []
    for x, y, text in marks:
        if len(chosen) >= wm.MAX_LABELS:
            chosen.append(None)
            continue
        best: tuple[float, tuple[float, float, str], Box] | None = None
        for position in wm._candidates(x, y, gap, font_size):
            box = wm.label_box(*position, text, font_size)
            areas = []
            for other in (*placed, *obstacles):
                w = min(box[2], other[2]) - max(box[0], other[0])
                h = min(box[3], other[3]) - max(box[1], other[1])
                areas.append(w * h if w > 0 and h > 0 else 0.0)
            outside = sum(
                max(0.0, d)
                for d in (
                    frame[0] - box[0],
                    box[2] - frame[2],
                    frame[1] - box[1],
                    box[3] - frame[3],
                )
            )
            cost = sum(areas) + outside * font_size * 10
            if best is None or cost < best[0]:
                best = (cost, position, box)
            if cost == 0:
                break
        assert best is not None
        if best[0] > 0 and len(marks) > wm.ALL_LABELLED:
            chosen.append(None)  # a crowded map leaves out a label that has no free place
            continue
        placed.append(best[2])
        chosen.append(best[1])
    return chosen


names = st.text(st.sampled_from("LeidnOxfrTuńMWmwijl .ニューヨーク"), min_size=1, max_size=24)


@st.composite
def maps(draw: st.DrawFn) -> tuple[list[wm.MapPoint], list[wm.MapArc], float]:
    """Points around a centre (crowded when the spread is small), the first one home."""
    lon = draw(st.floats(-170, 170))
    lat = draw(st.floats(-60, 60))
    spread = draw(st.sampled_from([0.5, 3.0, 20.0, 90.0]))
    count = draw(st.integers(1, 60))
    points = [wm.MapPoint(lon, lat, draw(names), home=True)]
    for _ in range(count):
        dlon = draw(st.floats(-spread, spread))
        dlat = draw(st.floats(-spread, spread))
        here = (max(-180.0, min(180.0, lon + dlon)), max(-89.0, min(89.0, lat + dlat)))
        points.append(wm.MapPoint(*here, draw(names)))
    arcs = [wm.MapArc((lon, lat), (p.longitude, p.latitude), "twinning") for p in points[1:]]
    return points, arcs, draw(st.sampled_from([8.0, 18.0, 26.0]))


class TestLabelPlacement:
    """The indexed placement, with its early stops, places every label where the plain one does."""

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(maps())
    def test_same_map(self, drawn: tuple[list[wm.MapPoint], list[wm.MapArc], float]) -> None:
        """The same SVG as with the plain greedy placement, sparse or crowded."""
        points, arcs, size = drawn
        svg = wm.render_svg_map(points, arcs, title="t", desc="d", font_size=size)
        with mock.patch.object(wm, "_place_labels", greedy):
            assert svg == wm.render_svg_map(points, arcs, title="t", desc="d", font_size=size)

    def test_empty_labels(self) -> None:
        """Labels of no width among others on one spot, placed as the plain search places them."""
        points = [wm.MapPoint(4.49, 52.16, "", home=True)]
        points += [wm.MapPoint(4.49 + i / 100, 52.16, ("", "Leiden")[i % 2]) for i in range(12)]
        arcs = [wm.MapArc((4.49, 52.16), (p.longitude, p.latitude)) for p in points[1:]]
        svg = wm.render_svg_map(points, arcs, title="t", desc="d")
        with mock.patch.object(wm, "_place_labels", greedy):
            assert svg == wm.render_svg_map(points, arcs, title="t", desc="d")
        assert svg.count('class="lt-map-label"') == 13

    def test_synthetic_page_map(self) -> None:
        """The map of a synthetic dataset of 300 ties, as crowded as a world map gets."""
        dataset = lt.loads(json.dumps(generate(300)))
        t = lt.i18n("en")
        partners = [(p, dataset.partner_city(p)) for p in dataset.partnerships]
        found = html._world_map(t, dataset.home_city, partners)
        with mock.patch.object(wm, "_place_labels", greedy):
            expected = html._world_map(t, dataset.home_city, partners)
        assert found is not None
        assert expected == found
        assert len(found[1]) == 300
