"""Importing the package loads no exporter dependency and no CLDR data; its names load on use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: Libraries only a feature needs: exporters, CLDR formatting, test-only parsers.
HEAVY = ("icalendar", "jinja2", "phonenumbers", "babel", "vobject")


def imported_modules(code: str) -> set[str]:
    """The top-level modules a fresh interpreter imports to run *code*, per ``-X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=True,
    )
    modules = set()
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        name = line.rsplit("|", 1)[1].strip()
        if name != "imported package":  # the header line
            modules.add(name.split(".")[0])
    return modules


class TestImport:
    """``import leiden_twinning`` stays light; the features pull in what they need."""

    def test_importtime_is_parsed(self) -> None:
        """The detector sees the package, and attrs and cattrs once the loader is used."""
        code = "import leiden_twinning as lt; lt.loads"
        assert {"leiden_twinning", "attrs", "cattrs"} <= imported_modules(code)

    @pytest.mark.parametrize("heavy", HEAVY)
    def test_import_loads_no_heavy_library(self, heavy: str) -> None:
        assert heavy not in imported_modules("import leiden_twinning")

    def test_import_alone_builds_no_model_class(self) -> None:
        """``import leiden_twinning`` imports no attrs, cattrs or pluggy: names load on use."""
        found = imported_modules("import leiden_twinning")
        assert "leiden_twinning" in found
        assert set() == found & {"attrs", "attr", "cattrs", "pluggy", "json"}

    def test_loading_the_dataset_loads_no_heavy_library(self) -> None:
        loaded = imported_modules("import leiden_twinning as lt; lt.load()")
        assert set() == loaded & set(HEAVY)

    def test_the_plugins_load_no_map_geometry(self) -> None:
        """Listing the formats imports every built-in exporter, but the map's module only with
        a map: an iCalendar run does not pay for it."""
        code = (
            "import sys, leiden_twinning as lt; lt.formats();"
            " print('leiden_twinning.exporters.geojson' in sys.modules,"
            " 'leiden_twinning.worldmap' in sys.modules)"
        )
        assert "True False" == fresh(code)
        drawn = (
            "import sys, leiden_twinning as lt; lt.export(lt.load(), 'geojson');"
            " print('leiden_twinning.worldmap' in sys.modules)"
        )
        assert "True" == fresh(drawn)

    def test_the_detector_sees_babel_when_a_feature_needs_it(self) -> None:
        code = (
            "import datetime, leiden_twinning._i18n as i;"
            " print(i.i18n('nl').date(datetime.date(2013, 2, 4)))"
        )
        assert "babel" in imported_modules(code)


def fresh(code: str) -> str:
    """What a fresh interpreter prints after running *code*."""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


class TestLazyNames:
    """The names of the package load on first use and are the objects of their modules."""

    def test_only_the_exceptions_load_with_the_package(self) -> None:
        """After the import, the package's own modules in sys.modules are it and its errors."""
        code = (
            "import sys, leiden_twinning;"
            " print(sorted(m for m in sys.modules if m.startswith('leiden_twinning')))"
        )
        assert "['leiden_twinning', 'leiden_twinning.exceptions']" == fresh(code)

    def test_a_name_loads_its_module_only(self) -> None:
        """Touching an error class or a model class loads only what that name needs."""
        code = (
            "import sys, leiden_twinning as lt; lt.PartialDate;"
            " print('leiden_twinning._plugins' in sys.modules,"
            " 'leiden_twinning._model' in sys.modules)"
        )
        assert "False True" == fresh(code)

    def test_from_import_and_star_import(self) -> None:
        """``from leiden_twinning import X`` and ``import *`` give every name of __all__."""
        code = (
            "from leiden_twinning import *; import leiden_twinning as lt;"
            " print(all(globals()[n] is getattr(lt, n) for n in lt.__all__), len(lt.__all__))"
        )
        import leiden_twinning as lt  # noqa: PLC0415

        assert f"True {len(lt.__all__)}" == fresh(code)

    def test_each_lazy_name_is_its_modules_object(self) -> None:
        """Every lazily loaded name is the very object its module defines, cached after use."""
        import importlib  # noqa: PLC0415

        import leiden_twinning as lt  # noqa: PLC0415

        for name, module in lt._LAZY.items():
            assert getattr(lt, name) is getattr(importlib.import_module(module), name), name
            assert name in vars(lt), name
        assert set(lt.__all__) == set(lt._LAZY) | {
            n for n in lt.__all__ if getattr(lt, n).__module__ == "leiden_twinning.exceptions"
        }

    def test_the_version_is_read_once(self) -> None:
        """__version__ comes from the metadata, and is kept on the package once read."""
        import importlib.metadata  # noqa: PLC0415

        code = (
            "import leiden_twinning as lt; first = 'x' + lt.__version__;"
            " print('__version__' in vars(lt), lt.__version__)"
        )
        assert f"True {importlib.metadata.version('leiden-twinning')}" == fresh(code)
