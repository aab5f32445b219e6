"""The documentation builds without a warning and documents every public name and hook."""

from __future__ import annotations

import inspect
import json
import os
import re
import subprocess
import sys
import zlib
from importlib.resources import files
from pathlib import Path

import pytest

import leiden_twinning as lt
from leiden_twinning import hookspecs

DOCS = Path(__file__).parents[1] / "docs"

#: The command of ``nox -s docs``: nitpicky, every warning an error.
SPHINX = (sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-n", "-q")


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

    def test_the_changelog_is_rendered_from_changelog_md(self, html: Path) -> None:
        text = (html / "changelog.html").read_text("utf-8")

        assert "Unreleased" in text
        assert "## Unreleased" not in text


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
