"""The published site: links resolve, feeds parse, bytes repeat, a failure keeps the old site."""

from __future__ import annotations

import importlib.util
import threading
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import html5lib
import icalendar
import pytest
import requests
import vobject

import leiden_twinning as lt
from leiden_twinning._i18n import CATALOG_LANGUAGES
from leiden_twinning._publish import make_server, publish

if TYPE_CHECKING:
    from collections.abc import Iterator

BASE = "https://example.org/ties"


class _Links(HTMLParser):
    """Collects every href and src of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.extend(v for k, v in attrs if k in {"href", "src"} and v)


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def site(tmp_path: Path, dataset: lt.Dataset) -> Path:
    """A site published with a base URL."""
    publish(dataset, tmp_path / "site", base_url=BASE)
    return tmp_path / "site"


class TestPublish:
    """What publish writes."""

    def test_every_link_resolves_to_a_file(self, site: Path) -> None:
        """Every relative link, and each webcal/https link under the base URL, names a site file."""
        checked = 0
        for page in site.rglob("*.html"):
            parser = _Links()
            parser.feed(page.read_text(encoding="utf-8"))
            for link in parser.links:
                if link.startswith(("webcal://", BASE)):
                    path = link.split("example.org/ties/", 1)[1]
                    target = site / path
                elif "://" in link or link.startswith(("#", "mailto:", "tel:", "data:")):
                    continue
                else:
                    target = page.parent / link.split("#", 1)[0]
                assert target.is_file(), f"{page.relative_to(site)}: {link}"
                checked += 1
        assert checked >= 20

    def test_every_feed_parses(self, site: Path, dataset: lt.Dataset) -> None:
        """Each calendar parses with icalendar and holds events; each .vcf parses with vobject."""
        feeds = sorted(site.rglob("*.ics"))
        assert len(feeds) >= 4
        for feed in feeds:
            calendar = icalendar.Calendar.from_ical(feed.read_bytes())
            assert calendar.walk("VEVENT"), feed
        for cards in site.rglob("*.vcf"):
            assert list(vobject.readComponents(cards.read_text(encoding="utf-8")))
        assert lt.loads((site / "leiden-twinning.json").read_bytes()) == dataset

    def test_languages_and_alternates(self, site: Path) -> None:
        """There is a page per catalog language, and the chooser names each with hreflang."""
        index = (site / "index.html").read_text(encoding="utf-8")
        for lang in ("en", "nl"):
            assert f'<html lang="{lang}"' in (site / lang / "index.html").read_text("utf-8")
            assert f'hreflang="{lang}" href="{lang}/index.html"' in index

    def test_each_language_page_links_the_others(self, site: Path) -> None:
        """Each page has an hreflang alternate per language and a switch marking itself."""
        languages = sorted(p.parent.name for p in site.glob("*/index.html"))
        assert ["de", "en", "es", "ja", "nl", "pl"] == languages
        expected = [(lang, f"../{lang}/index.html") for lang in languages]
        for lang in languages:
            root = html5lib.parse(
                (site / lang / "index.html").read_bytes(), namespaceHTMLElements=False
            )
            links = [
                (e.get("hreflang"), e.get("href"))
                for e in root.iter("link")
                if e.get("rel") == "alternate"
            ]
            assert expected == links, lang
            nav = next(n for n in root.iter("nav") if n.get("class") == "languages")
            switch = [(a.get("hreflang"), a.get("href")) for a in nav.iter("a")]
            assert expected == switch, lang
            current = [a.get("hreflang") for a in nav.iter("a") if a.get("aria-current")]
            assert [lang] == current

    def test_two_publishes_are_identical(self, tmp_path: Path, dataset: lt.Dataset) -> None:
        """The same dataset and arguments give the same bytes."""
        publish(dataset, tmp_path / "a", base_url=BASE)
        publish(dataset, tmp_path / "b", base_url=BASE)
        assert _snapshot(tmp_path / "a") == _snapshot(tmp_path / "b")

    def test_failed_publish_keeps_the_old_site(
        self, site: Path, dataset: lt.Dataset, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A write failing half-way (a full disk) leaves the old site and no temporary folder."""
        before = _snapshot(site)
        calls: list[Path] = []
        real = Path.write_bytes

        def failing(self: Path, data: Any) -> int:
            calls.append(self)
            if len(calls) == 5:
                raise OSError(28, "No space left on device")
            return real(self, data)

        monkeypatch.setattr(Path, "write_bytes", failing)
        with pytest.raises(OSError, match="No space"):
            publish(dataset, site)
        monkeypatch.undo()
        assert before == _snapshot(site)
        assert ["site"] == sorted(p.name for p in site.parent.iterdir() if "site" in p.name)

    def test_failed_export_keeps_the_old_site(self, site: Path, dataset: lt.Dataset) -> None:
        """An export failing (an unknown locale) leaves the previous site untouched."""
        before = _snapshot(site)
        with pytest.raises(lt.UnknownLocaleError):
            publish(dataset, site, locales=["nl", "xx-nowhere"])
        assert before == _snapshot(site)

    def test_replaces_a_previous_site(self, site: Path, dataset: lt.Dataset) -> None:
        """Publishing again with other languages leaves only the new files."""
        files = publish(dataset, site, locales=["en"])
        assert set(files) == set(_snapshot(site))
        assert not (site / "nl").exists()

    def test_bad_arguments(self, tmp_path: Path, dataset: lt.Dataset) -> None:
        """A base URL that is not http(s), or no language at all, is refused."""
        with pytest.raises(lt.ExportError, match="base_url"):
            publish(dataset, tmp_path / "x", base_url="ftp://example.org")
        with pytest.raises(lt.ExportError, match="locales"):
            publish(dataset, tmp_path / "x", locales=[])


class TestServe:
    """The preview server sends the calendar and vCard content types."""

    @pytest.fixture
    def server(self, site: Path) -> Iterator[str]:
        """The site served on a free loopback port."""
        httpd = make_server(site, 0)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}"
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join(10)

    def test_content_types(self, server: str) -> None:
        """Feeds are text/calendar, contacts text/vcard, pages text/html."""
        with requests.Session() as session:
            for path, media in [
                ("/nl/calendar.ics", "text/calendar"),
                ("/en/contacts.vcf", "text/vcard"),
                ("/", "text/html"),
                ("/leiden-twinning.json", "application/json"),
            ]:
                response = session.get(server + path, timeout=10)
                assert (200, media) == (
                    response.status_code,
                    response.headers["Content-Type"].split(";")[0],
                )


def _sibling_tests(name: str) -> Any:
    """Load a test module of tests/exporters (for its checker helpers) by path."""
    path = Path(__file__).parents[1] / "exporters" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"_sync_{name}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
class TestCheckers:
    """Independent checkers: the Nu HTML Checker, axe-core and ical.js."""

    def test_pages_pass_the_nu_checker(self, site: Path) -> None:
        """The Nu HTML Checker finds no error in any page of the site."""
        pages = sorted(site.rglob("*.html"))
        assert 1 + len(CATALOG_LANGUAGES) == len(pages)  # the chooser, then a page per language
        assert [] == _sibling_tests("test_html").nu_errors(*pages)

    def test_every_page_passes_axe(self, site: Path) -> None:
        """axe-core finds no violation on any page, which loads nothing and never scrolls sideways.

        In Chromium (CI) every page is checked 1280 and 360 px wide, light and dark.
        """
        pages = sorted(site.rglob("*.html"))
        report = _sibling_tests("test_html").run_axe(pages)
        assert {str(p) for p in pages} == {r["page"] for r in report["runs"]}
        for run in report["runs"]:
            assert [] == run["violations"], (run["page"], run["width"], run["colorScheme"])
            if report["engine"] == "chromium":
                assert 0 == run["overflow"], (run["page"], run["width"])
                assert [] == run["clipped"], (run["page"], run["width"])
        assert ([], []) == (report["requests"], report["errors"])

    def test_every_feed_reads_in_ical_js(self, site: Path, tmp_path: Path) -> None:
        """ical.js reads each feed with the same UIDs as icalendar."""
        read = _sibling_tests("test_ical_clients").read
        for feed in sorted(site.rglob("*.ics")):
            data = feed.read_bytes()
            seen = read(data, tmp_path, 2026, 2027)
            expected = {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
            assert expected == {e["uid"] for e in seen["events"]}, feed
