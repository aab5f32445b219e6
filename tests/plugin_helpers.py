"""Fake third-party plugins: real distributions on ``sys.path``, found through entry points.

Each fake is a folder with a ``<name>.dist-info`` (``METADATA`` and ``entry_points.txt``) and the
plugin modules beside it, exactly what ``pip install`` leaves behind, so the tests travel the
same road as a real plugin: :func:`importlib.metadata.entry_points` finds it, the plugin manager
imports it.
"""

from __future__ import annotations

import importlib
import itertools
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from leiden_twinning import _plugins

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

_COUNTER = itertools.count()

#: The top of every fake plugin module.
PRELUDE = """\
from leiden_twinning import Exporter, Option, hookimpl


def write_text(text):
    def write(dataset, stream, *, locale, options):
        stream.write(text.encode("utf-8"))
    return write
"""


class FakePlugins:
    """Installs fake distributions for one test, and forgets the plugin registry around it."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp_path = tmp_path
        self.monkeypatch = monkeypatch
        self.modules: list[str] = []

    def install(self, distribution: str, plugins: dict[str, str]) -> dict[str, str]:
        """Install *distribution* with one module per entry point; return entry name -> module.

        *plugins* maps an entry-point name to the module's source (after :data:`PRELUDE`).
        """
        n = next(_COUNTER)
        root = self.tmp_path / f"site{n}"
        info = root / f"{distribution.replace('-', '_')}-1.0.dist-info"
        info.mkdir(parents=True)
        info.joinpath("METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n", encoding="utf-8"
        )
        modules: dict[str, str] = {}
        lines = ["[leiden_twinning]"]
        for entry, source in plugins.items():
            module = f"fake_plugin_{n}_{entry.replace('-', '_').replace('.', '_')}"
            root.joinpath(f"{module}.py").write_text(
                PRELUDE + "\n" + textwrap.dedent(source), encoding="utf-8"
            )
            lines.append(f"{entry} = {module}")
            modules[entry] = module
            self.modules.append(module)
        info.joinpath("entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.monkeypatch.syspath_prepend(str(root))
        importlib.invalidate_caches()
        _plugins.clear_cache()
        return modules

    def cleanup(self) -> None:
        """Forget the imported fake modules."""
        for module in self.modules:
            sys.modules.pop(module, None)


@pytest.fixture
def fake_plugins(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakePlugins]:
    """Install fake plugin distributions; the registry is rebuilt before and after the test.

    The fakes live outside the test's own ``tmp_path``, which stays empty for the test's files.
    """
    _plugins.clear_cache()
    fakes = FakePlugins(tmp_path_factory.mktemp("plugins"), monkeypatch)
    yield fakes
    fakes.cleanup()
    _plugins.clear_cache()
