"""In-process plugins: ``register_plugin`` travels the road of an entry-point plugin."""

from __future__ import annotations

import json
import textwrap
import types
from typing import TYPE_CHECKING, Any

import pytest

import leiden_twinning as lt
from leiden_twinning import _plugins
from leiden_twinning.cli import main
from plugin_helpers import PRELUDE, FakePlugins, fake_plugins

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["fake_plugins"]  # the fixture, re-exported for pytest

#: A plugin whose exporter writes its options as JSON, so that a test reads back what it got.
ECHO = """
import json

def write(dataset, stream, *, locale, options):
    stream.write(json.dumps({"locale": locale, **options}, default=list).encode("utf-8"))

@hookimpl
def register_exporters(register):
    register(Exporter(
        name="echo", extension="json", media_type="application/json",
        description="The options it was given", write=write,
        options=(
            Option("partnerships", "ties", multiple=True, default=()),
            Option("style", "a style", default="plain", choices=("plain", "fancy")),
            Option("count", "a number", convert=int, default=3),
        ),
    ))
"""

#: A plugin whose hook raises.
RAISING_HOOK = """
@hookimpl
def register_exporters(register):
    raise RuntimeError("no luck")
"""

#: A plugin whose exporter raises while writing.
RAISING_WRITE = """
def write(dataset, stream, *, locale, options):
    raise ZeroDivisionError("division by zero")

@hookimpl
def register_exporters(register):
    register(Exporter(name="broken", extension="txt", media_type="text/plain",
                      description="Breaks", write=write))
"""


def module(name: str, source: str) -> types.ModuleType:
    """A plugin module built in memory from *source* (after the helpers' prelude)."""
    made = types.ModuleType(name)
    exec(PRELUDE + "\n" + textwrap.dedent(source), made.__dict__)  # noqa: S102 - our own source
    return made


@pytest.fixture(autouse=True)
def fresh_registry() -> Iterator[None]:
    """Each test starts and ends with no in-process plugin and a fresh registry."""
    _plugins.clear_cache()
    yield
    for handle in list(_plugins._IN_PROCESS.values()):
        handle.unregister()
    _plugins.clear_cache()


def export_error(dataset: lt.Dataset, fmt: str, **options: Any) -> str:
    """The message of the LeidenTwinningError that exporting *fmt* raises."""
    with pytest.raises(lt.LeidenTwinningError) as caught:
        lt.export(dataset, fmt, **options)
    return str(caught.value)


class TestRegistration:
    """Registering, listing and taking a plugin out again."""

    def test_formats_lists_the_format_only_while_registered(self) -> None:
        """The format appears in formats() inside the with block and is gone after it."""
        with lt.register_plugin(module("echo_plugin", ECHO)) as handle:
            assert "echo" in [f.name for f in lt.formats()]
            assert "echo_plugin" == handle.name
            assert (
                "echo_plugin" == lt.formats()[[f.name for f in lt.formats()].index("echo")].plugin
            )
        assert "echo" not in [f.name for f in lt.formats()]

    def test_a_name_can_be_given(self) -> None:
        """An explicit name is the plugin's name in the registry."""
        lt.register_plugin(module("m", ECHO), name="my-echo")
        assert "my-echo" == next(f for f in lt.formats() if f.name == "echo").plugin

    def test_a_name_registered_twice_is_refused(self) -> None:
        """A second in-process plugin with the same name is a PluginError."""
        lt.register_plugin(module("echo_plugin", ECHO))
        with pytest.raises(lt.PluginError, match="already registered"):
            lt.register_plugin(module("echo_plugin", ECHO))

    @pytest.mark.parametrize("by", ["handle", "name", "object"])
    def test_unregister_by_handle_name_or_object(self, by: str) -> None:
        """unregister_plugin accepts the handle, the name or the plugin object."""
        plugin = module("echo_plugin", ECHO)
        handle = lt.register_plugin(plugin)
        lt.unregister_plugin({"handle": handle, "name": "echo_plugin", "object": plugin}[by])
        assert "echo" not in [f.name for f in lt.formats()]

    def test_unregister_an_unknown_plugin(self) -> None:
        """Taking out a plugin that is not registered is a PluginError."""
        with pytest.raises(lt.PluginError, match="no plugin 'nothing'"):
            lt.unregister_plugin("nothing")

    def test_unregistering_twice_through_the_handle_is_harmless(self) -> None:
        """A handle's unregister() does nothing the second time."""
        handle = lt.register_plugin(module("echo_plugin", ECHO))
        handle.unregister()
        handle.unregister()
        assert "echo" not in [f.name for f in lt.formats()]


class TestSameRoadAsEntryPoints:
    """Defaults, validation and failures are those of an installed plugin."""

    def test_defaults_are_filled_in(self, dataset: lt.Dataset) -> None:
        """Options not given reach write() with their declared defaults."""
        with lt.register_plugin(module("echo_plugin", ECHO)):
            got = json.loads(lt.export(dataset, "echo", locale="en"))
        assert {"locale": "en", "partnerships": [], "style": "plain", "count": 3} == got

    def test_a_single_value_of_a_multiple_option_becomes_a_tuple(self, dataset: lt.Dataset) -> None:
        """A string given to a repeatable option arrives as a one-item list."""
        with lt.register_plugin(module("echo_plugin", ECHO)):
            got = json.loads(lt.export(dataset, "echo", partnerships="torun"))
        assert ["torun"] == got["partnerships"]

    @pytest.mark.parametrize(
        "options",
        [{"colour": "red"}, {"style": "loud"}],
        ids=["unknown option", "outside the choices"],
    )
    def test_validation_errors_match_an_entry_point_plugin(
        self, dataset: lt.Dataset, fake_plugins: FakePlugins, options: dict[str, Any]
    ) -> None:
        """The same bad option gives the same ExportError in-process and from an entry point."""
        fake_plugins.install("echo-dist", {"echo": ECHO})
        installed = export_error(dataset, "echo", **options)
        _plugins.clear_cache()
        fake_plugins.monkeypatch.setattr(_plugins, "entry_points", lambda **_: [])
        with lt.register_plugin(module("echo_plugin", ECHO)):
            in_process = export_error(dataset, "echo", **options)
        assert installed == in_process
        assert installed.startswith("echo: ")

    def test_a_raising_hook_loses_only_its_own_formats(self, dataset: lt.Dataset) -> None:
        """A hook that raises leaves its plugin out, named in the error, and json still works."""
        with lt.register_plugin(module("sad", RAISING_HOOK)):
            message = export_error(dataset, "sad")
            assert lt.export(dataset, "json").startswith(b"{")
        assert "not loaded: plugin 'sad': Raised in register_exporters: RuntimeError" in message

    def test_a_raising_hook_fails_like_an_entry_point(
        self, dataset: lt.Dataset, fake_plugins: FakePlugins
    ) -> None:
        """The failure recorded for a raising hook reads the same for both kinds of plugin."""
        fake_plugins.install("sad-dist", {"sad": RAISING_HOOK})
        installed = [f.error for f in _plugins.registry().failures]
        _plugins.clear_cache()
        fake_plugins.monkeypatch.setattr(_plugins, "entry_points", lambda **_: [])
        with lt.register_plugin(module("sad", RAISING_HOOK)):
            in_process = [f.error for f in _plugins.registry().failures]
        assert installed == in_process
        assert 1 == len(in_process)

    def test_a_raising_writer_is_an_export_error_naming_the_plugin(
        self, dataset: lt.Dataset
    ) -> None:
        """An exception inside write() becomes an ExportError that names the plugin."""
        with lt.register_plugin(module("fragile", RAISING_WRITE)):
            message = export_error(dataset, "broken")
        expected = (
            "the broken exporter of plugin 'fragile' failed: ZeroDivisionError: division by zero"
        )
        assert expected == message

    def test_the_command_line_exports_an_in_process_format(
        self, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        """`export echo` on the CLI finds the in-process plugin and converts its options."""
        with lt.register_plugin(module("echo_plugin", ECHO)):
            status = main(["export", "echo", "--locale", "en", "--count", "7", "--style", "fancy"])
        out = capsysbinary.readouterr().out
        assert 0 == status
        assert {"locale": "en", "partnerships": [], "style": "fancy", "count": 7} == json.loads(out)

    def test_the_command_line_refuses_a_bad_choice(
        self, capsysbinary: pytest.CaptureFixture[bytes]
    ) -> None:
        """A value outside the choices is a usage error on the CLI, as for any plugin."""
        with lt.register_plugin(module("echo_plugin", ECHO)), pytest.raises(SystemExit) as exit_:
            main(["export", "echo", "--style", "loud"])
        assert 2 == exit_.value.code
        assert b"invalid choice: 'loud'" in capsysbinary.readouterr().err
