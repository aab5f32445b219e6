"""The documentation builds without a warning and documents every public name and hook."""

from __future__ import annotations

import doctest
import importlib
import inspect
import json
import os
import pkgutil
import re
import subprocess
import sys
import zlib
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import pytest

import leiden_twinning as lt
from leiden_twinning import hookspecs

if TYPE_CHECKING:
    from types import ModuleType

DOCS = Path(__file__).parents[1] / "docs"

#: The browser check, with its pinned Node packages (``npm ci --prefix tests/docs_browser``).
BROWSER_CHECK = Path(__file__).parent / "docs_browser" / "check.mjs"
#: Where the browser check leaves its screenshots for review: ``<width>/<page>.png``.
SCREENSHOTS = DOCS / "_build" / "screenshots"
#: A phone held upright, and a laptop.
WIDTHS = (360, 1280)

#: The command of ``nox -s docs``: nitpicky, every warning an error.
SPHINX = (sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q")


#: Every module of the package, private ones included: their docstrings' examples run too.
MODULES = [
    lt,
    *(
        importlib.import_module(info.name)
        for info in pkgutil.walk_packages(lt.__path__, "leiden_twinning.")
        if info.name != "leiden_twinning.__main__"
    ),
]


def read_inventory(path: Path) -> dict[str, str]:
    """Map each object of a Sphinx ``objects.inv`` (version 2) to its ``domain:role``."""
    with path.open("rb") as f:
        header = [f.readline() for _ in range(4)]
        body = zlib.decompress(f.read()).decode("utf-8")
    assert b"# Sphinx inventory version 2\n" == header[0]
    found: dict[str, str] = {}
    for line in body.splitlines():
        match = re.match(r"(?x)(.+?)\s+(\S+:\S+)\s+(-?\d+)\s+(\S*)\s+(.*)", line)
        assert match is not None, line
        found[match[1]] = match[2]
    return found


def hook_specs() -> list[str]:
    """The names of the hooks that :mod:`leiden_twinning.hookspecs` specifies."""
    marker = f"{hookspecs.PROJECT_NAME}_spec"
    return [name for name, value in vars(hookspecs).items() if hasattr(value, marker)]


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML docs, built as ``nox -s docs`` builds them: nitpicky, warnings as errors."""
    out = tmp_path_factory.mktemp("html")
    result = subprocess.run(
        [*SPHINX, "-d", os.fspath(out / ".doctrees"), os.fspath(DOCS), os.fspath(out)],
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=600,
    )
    assert (0, "") == (result.returncode, result.stderr)
    return out


@pytest.mark.slow
class TestBuild:
    """Sphinx builds the docs with zero warnings, nitpicky about cross-references."""

    def test_builds_the_pages(self, html: Path) -> None:
        pages = {p.stem for p in html.glob("*.html")}

        expected = {"index", "installation", "quickstart", "guide", "plugins", "dataformat", "api"}
        assert expected | {"changelog"} <= pages
        assert {"index", "subscribe", "dav-servers", "embed-html", "web-views", "maps"} == {
            p.stem for p in (html / "howto").glob("*.html")
        }

    def test_intersphinx_links_other_projects_documentation(self, html: Path) -> None:
        """Types of Python and pluggy in the API reference link to those projects' docs."""
        page = (html / "api.html").read_text("utf-8")

        assert 'href="https://docs.python.org/3.11/library/datetime.html#datetime.date"' in page
        assert "https://pluggy.readthedocs.io/en/stable/api_reference.html#pluggy." in page

    def test_the_changelog_is_rendered_from_changelog_md(self, html: Path) -> None:
        text = (html / "changelog.html").read_text("utf-8")

        assert "Unreleased" in text
        assert "## Unreleased" not in text


class TestInventories:
    """The inventories intersphinx reads are in the repository, each valid and accounted for."""

    #: One object each inventory must hold, so that a wrong or empty file is caught.
    EXPECTED: ClassVar[dict[str, tuple[str, str]]] = {
        "python": ("datetime.date", "py:class"),
        "attrs": ("attrs.define", "py:function"),
        "cattrs": ("cattrs.Converter", "py:class"),
        "pluggy": ("pluggy.PluginManager", "py:class"),
        "icalendar": ("icalendar.cal.calendar.Calendar", "py:class"),
        "babel": ("babel.dates.format_date", "py:function"),
    }

    def test_each_inventory_holds_its_project(self) -> None:
        """Every checked-in inventory parses and documents a known object of its project."""
        folder = DOCS / "_inventories"

        assert set(self.EXPECTED) == {p.stem for p in folder.glob("*.inv")}
        for name, (target, role) in self.EXPECTED.items():
            assert role == read_inventory(folder / f"{name}.inv").get(target), name

    def test_each_inventory_has_its_origin_written_down(self) -> None:
        """The README says where every inventory comes from."""
        readme = (DOCS / "_inventories" / "README.md").read_text("utf-8")

        for name in self.EXPECTED:
            assert f"| `{name}.inv` |" in readme, name


@pytest.mark.slow
class TestSchema:
    """The JSON Schema is published where its ``$id`` says."""

    def test_the_shipped_schema_is_at_its_id(self, html: Path) -> None:
        shipped = files("leiden_twinning").joinpath("data", "leiden.schema.json").read_bytes()
        schema_id = json.loads(shipped)["$id"]

        assert schema_id.endswith("/_static/leiden.schema.json")
        assert shipped == (html / "_static" / "leiden.schema.json").read_bytes()


@pytest.mark.slow
class TestApiReference:
    """Every public name and every hook spec is in the inventory of the built docs."""

    def test_every_public_name(self, html: Path) -> None:
        inventory = read_inventory(html / "objects.inv")

        missing = [n for n in lt.__all__ if f"leiden_twinning.{n}" not in inventory]
        assert [] == missing

    def test_public_names_have_their_kind(self, html: Path) -> None:
        inventory = read_inventory(html / "objects.inv")

        for name in lt.__all__:
            obj = getattr(lt, name)
            role = inventory[f"leiden_twinning.{name}"]
            if isinstance(obj, type) and issubclass(obj, BaseException):
                assert "py:exception" == role, name
            elif isinstance(obj, type):
                assert "py:class" == role, name
            elif inspect.isfunction(inspect.unwrap(obj)):
                assert "py:function" == role, name
            else:
                assert "py:data" == role, name

    def test_the_register_exporters_hook(self, html: Path) -> None:
        inventory = read_inventory(html / "objects.inv")

        assert "py:function" == inventory["leiden_twinning.hookspecs.register_exporters"]

    def test_every_hook_spec_with_its_signature(self, html: Path) -> None:
        inventory = read_inventory(html / "objects.inv")
        page = (html / "api.html").read_text("utf-8")
        specs = hook_specs()

        assert "register_exporters" in specs
        for name in specs:
            assert "py:function" == inventory[f"leiden_twinning.hookspecs.{name}"]
            for parameter in inspect.signature(getattr(hookspecs, name)).parameters:
                anchor = rf'id="leiden_twinning\.hookspecs\.{name}"'
                pattern = rf'{anchor}.*?<span class="pre">{parameter}</span>'
                assert re.search(pattern, page, re.DOTALL), (name, parameter)

    def test_the_markers_and_the_entry_point_group(self, html: Path) -> None:
        inventory = read_inventory(html / "objects.inv")

        for name in ("hookimpl", "hookspec", "PROJECT_NAME"):
            assert "py:data" == inventory[f"leiden_twinning.hookspecs.{name}"]


class TestGuide:
    """The user guide covers every built-in format and every one of its options."""

    def test_every_builtin_format_and_option(self) -> None:
        guide = (DOCS / "guide.rst").read_text("utf-8")
        builtin = [f for f in lt.formats() if f.distribution == "leiden-twinning"]

        assert {"html", "ical", "json", "vcard"} <= {f.name for f in builtin}
        for exporter in builtin:
            assert f"leiden-twinning export {exporter.name}" in guide, exporter.name
            for option in exporter.options:
                flag = "--" + (option.cli_name or option.name).replace("_", "-")
                assert flag in guide, (exporter.name, flag)


def check_in_browser(folder: Path, screenshots: Path | str) -> dict[str, Any]:
    """Run tests/docs_browser/check.mjs on the HTML files of a folder at both widths."""
    result = subprocess.run(
        ["node", BROWSER_CHECK, folder, screenshots, *map(str, WIDTHS)],
        capture_output=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def report(html: Path) -> dict[str, Any]:
    """The browser's findings on every page of the built docs, with screenshots kept."""
    return check_in_browser(html, SCREENSHOTS)


@pytest.mark.slow
class TestRendering:
    """Every page holds in headless Chromium on a 360 px phone and a 1280 px screen."""

    def test_every_page_at_both_widths(self, report: dict[str, Any], html: Path) -> None:
        """Each HTML page was loaded at each width and left a screenshot to review."""
        pages = sorted(
            p.relative_to(html).as_posix()
            for p in html.rglob("*.html")
            if not any(part.startswith("_") for part in p.relative_to(html).parts)
        )

        assert "howto/maps.html" in pages

        assert [(w, p) for w in WIDTHS for p in pages] == [
            (r["width"], r["page"]) for r in report["runs"]
        ]
        for run in report["runs"]:
            shot = SCREENSHOTS / str(run["width"]) / run["page"].replace(".html", ".png")
            assert b"\x89PNG" == shot.read_bytes()[:4], shot

    def test_no_page_scrolls_sideways(self, report: dict[str, Any]) -> None:
        """No page is wider than the screen: wide content scrolls inside its own block."""
        wide = [
            (r["page"], r["width"], r["scrollWidth"])
            for r in report["runs"]
            if r["scrollWidth"] > r["viewport"]
        ]

        assert [] == wide

    def test_no_block_is_clipped(self, report: dict[str, Any]) -> None:
        """Every code and output block shows all its content or scrolls."""
        clipped = [(r["page"], r["width"], c) for r in report["runs"] for c in r["clipped"]]

        assert [] == clipped

    def test_no_option_is_split_at_its_hyphen(self, report: dict[str, Any]) -> None:
        """Every word of an inline literal (``--locale``) stays on one line."""
        split = [(r["page"], r["width"], s) for r in report["runs"] for s in r["split"]]

        assert [] == split

    def test_every_image_loads(self, report: dict[str, Any], html: Path) -> None:
        """Every image shows, the picture of the HTML page on the first page among them."""
        broken = [(r["page"], i) for r in report["runs"] for i in r["images"]]

        assert [] == broken
        assert 'src="_images/html-page.png"' in (html / "index.html").read_text("utf-8")

    def test_the_pages_make_no_request_outside(self, report: dict[str, Any]) -> None:
        """The docs load nothing from the network: no font, no script, no analytics."""
        assert [] == report["requests"]


@pytest.mark.slow
def test_the_browser_check_finds_each_fault(tmp_path: Path) -> None:
    """On a page made to fail, the check reports the overflow, the clipped block and the split."""
    (tmp_path / "bad.html").write_text(
        "<!DOCTYPE html><html><head><style>pre { overflow: visible; width: 200px }</style>"
        "</head><body><pre>" + "a long line that does not fit " * 5 + "</pre>"
        '<div style="width: 2000px">wide</div><p style="width: 60px"><code class="literal">'
        '<span class="pre" style="white-space: normal">--some-long-option</span></code></p>'
        '<img src="https://example.org/x.png" alt=""></body></html>',
        "utf-8",
    )

    report = check_in_browser(tmp_path, "-")

    assert [360, 1280] == [r["width"] for r in report["runs"]]
    for run in report["runs"]:
        assert run["scrollWidth"] > run["viewport"]
        clipped = [c.split(" ", 1)[1][:29] for c in run["clipped"]]
        assert ["a long line that does not fit"] == clipped
        assert [" --some-long-option"] == run["split"]
        assert ["https://example.org/x.png"] == run["images"]
    assert ["https://example.org/x.png"] == report["requests"][:1]


class TestDocstrings:
    """The examples in the package's docstrings run, the package docstring included."""

    def test_the_package_docstring(self) -> None:
        """``python -m doctest`` passes on the package's own docstring."""
        result = doctest.testmod(lt, raise_on_error=False, verbose=False)

        assert (0, True) == (result.failed, result.attempted > 0)

    @pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
    def test_every_module(self, module: ModuleType) -> None:
        """Every docstring example of every module of the package gives its documented result."""
        result = doctest.testmod(module, raise_on_error=False, verbose=False)

        assert 0 == result.failed


class TestFirstPage:
    """The first page shows a newcomer the library in one screen, not a table of contents."""

    INDEX = (DOCS / "index.rst").read_text("utf-8")

    def test_one_install_line_one_command_one_python_example(self) -> None:
        """An install command, the calendar command and a doctest, in that order."""
        install = self.INDEX.index("$ python3 -m pip install")
        command = self.INDEX.index("$ leiden-twinning export ical")
        example = self.INDEX.index(">>> import leiden_twinning")

        assert install < command < example

    def test_a_picture_of_the_html_page(self) -> None:
        """The screenshot it shows is committed, and a PNG small enough for a first page."""
        picture = DOCS / "_static" / "html-page.png"

        assert ".. image:: _static/html-page.png" in self.INDEX
        assert b"\x89PNG\r\n\x1a\n" == picture.read_bytes()[:8]
        assert picture.stat().st_size < 100_000

    def test_every_toctree_is_hidden(self) -> None:
        """The sidebar already lists the pages: no toctree repeats it on the first screen."""
        toctrees = re.findall(r"\.\. toctree::\n((?:   :.*\n)*)", self.INDEX)

        assert 3 == len(toctrees)
        assert all("   :hidden:\n" in options for options in toctrees)


class TestQuickstart:
    """The quickstart starts with the user's install, not the contributor's tools."""

    def test_starts_with_the_install(self) -> None:
        """The first command is the install; nox comes nowhere on the page."""
        text = (DOCS / "quickstart.rst").read_text("utf-8")

        assert "$ python3 -m pip install ." == re.findall(r"\$ .*", text)[0]
        assert "nox" not in text

    def test_the_editable_install_shows_its_command(self) -> None:
        """Where the docs say to install in editable mode, the command follows."""
        text = (DOCS / "installation.rst").read_text("utf-8")

        assert "editable mode" in text
        assert "$ python3 -m pip install -e " in text.split("editable mode", 1)[1]
