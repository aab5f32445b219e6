"""Importing the package loads no exporter dependency and no CLDR data."""

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
        assert {"leiden_twinning", "attrs", "cattrs"} <= imported_modules("import leiden_twinning")

    @pytest.mark.parametrize("heavy", HEAVY)
    def test_import_loads_no_heavy_library(self, heavy: str) -> None:
        assert heavy not in imported_modules("import leiden_twinning")

    def test_loading_the_dataset_loads_no_heavy_library(self) -> None:
        loaded = imported_modules("import leiden_twinning as lt; lt.load()")
        assert set() == loaded & set(HEAVY)

    def test_the_detector_sees_babel_when_a_feature_needs_it(self) -> None:
        code = (
            "import datetime, leiden_twinning._i18n as i;"
            " print(i.i18n('nl').date(datetime.date(2013, 2, 4)))"
        )
        assert "babel" in imported_modules(code)
