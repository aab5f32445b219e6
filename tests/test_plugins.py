"""The plugin road: built-in and third-party exporters, failures isolated and named."""

from __future__ import annotations

import gc
import importlib
import inspect
import io
import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pluggy
import pytest

import leiden_twinning as lt
from leiden_twinning import _plugins, hookspecs
from leiden_twinning._exporter import RESERVED_OPTION_NAMES
from leiden_twinning.exporters import json as json_exporter
from plugin_helpers import FakePlugins, fake_plugins

__all__ = ["fake_plugins"]  # the fixture, re-exported for pytest

DOCS = Path(__file__).parent.parent / "docs" / "plugins.rst"

CSV = """
@hookimpl
def register_exporters(register):
    register(Exporter(name="csv", extension="csv", media_type="text/csv",
                      description="Cities as CSV", write=write_text("city\\n")))
"""


def _failure(plugin: str) -> _plugins.PluginFailure:
    matches = [f for f in _plugins.registry().failures if f.plugin == plugin]
    assert len(matches) == 1, _plugins.registry().failures
    return matches[0]


class TestBuiltins:
    """The built-in exporters travel the same road as third-party ones."""

    def test_json_is_registered_by_its_module(self, fake_plugins: FakePlugins) -> None:
        exporter = {e.name: e for e in lt.formats()}["json"]

        assert "leiden_twinning.exporters.json" == exporter.plugin
        assert "leiden-twinning" == exporter.distribution
        assert (".json", "application/json") == (f".{exporter.extension}", exporter.media_type)

    def test_every_builtin_plugin_is_a_module_with_the_public_hookimpl(self) -> None:
        for name in _plugins.BUILTIN_PLUGINS:
            module = importlib.import_module(name)
            hook = getattr(module, "register_exporters", None) or module.register_datasets
            assert hasattr(hook, f"{hookspecs.PROJECT_NAME}_impl"), name

    def test_the_builtins_load_without_failures(self, fake_plugins: FakePlugins) -> None:
        builtin = [f for f in _plugins.registry().failures if f.distribution == "leiden-twinning"]

        assert [] == builtin

    def test_formats_are_sorted_and_carry_their_origin(self) -> None:
        names = [e.name for e in lt.formats()]

        assert sorted(names) == names
        assert all(e.plugin and e.distribution for e in lt.formats())

    def test_a_plugin_manager_without_entry_points_has_only_the_builtins(self) -> None:
        plugins = _plugins.make_plugin_manager(load_entry_points=False)

        assert set(_plugins.BUILTIN_PLUGINS) == {n for n, _ in plugins.manager.list_name_plugin()}


def _odd_module() -> types.ModuleType:
    """A module holding every kind of value pluggy tells apart, marked and not."""
    module = types.ModuleType("odd_plugin")
    exec(  # noqa: S102 - the module's source, written here
        """
import functools
from leiden_twinning import hookimpl

@hookimpl
def register_exporters(register): ...

@hookimpl(specname="register_datasets")
def datasets_by_another_name(register): ...

def unmarked(register): ...

class Holder:
    @hookimpl
    @staticmethod
    def marked_static(register): ...

    @staticmethod
    def plain_static(register): ...

marked_static = Holder.__dict__["marked_static"]
plain_static = Holder.__dict__["plain_static"]
bound = functools.partial(unmarked)
number = 3
__dict__ = "a module's own __dict__ name"

def __getattr__(name):
    return register_exporters

def __dir__():
    return [*globals(), "conjured"]
""",
        vars(module),
    )
    return module


class TestManager:
    """Our plugin manager picks hooks as pluggy's own does, only quicker for a module."""

    @pytest.mark.parametrize(
        "plugin",
        [*_plugins.BUILTIN_PLUGINS, "leiden_twinning_markdown", "odd", "class", "instance"],
    )
    def test_the_same_options_for_every_name(self, plugin: str) -> None:
        """Every name of every kind of plugin gets the options pluggy's own manager gives."""
        odd = _odd_module()
        holder = odd.Holder
        found: Any = {"odd": odd, "class": holder, "instance": holder()}.get(plugin)
        if found is None:
            found = importlib.import_module(plugin)
        ours = _plugins._Manager(hookspecs.PROJECT_NAME)
        theirs = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        names = dir(found)

        expected = [theirs.parse_hookimpl_opts(found, name) for name in names]
        assert expected == [ours.parse_hookimpl_opts(found, name) for name in names]
        assert any(opts is not None for opts in expected)

    def test_registers_the_same_hooks(self) -> None:
        """A module registered with our manager has the hooks it has with pluggy's own."""
        hooks = []
        for manager in (_plugins._Manager, pluggy.PluginManager):
            pm = manager(hookspecs.PROJECT_NAME)
            pm.add_hookspecs(hookspecs)
            pm.register(_odd_module(), name="odd")
            hooks.append(
                sorted(
                    (caller.name, impl.function.__name__)
                    for caller in pm.get_hookcallers(pm.get_plugin("odd")) or []
                    for impl in caller.get_hookimpls()
                )
            )
        assert hooks[1] == hooks[0]
        assert ("register_datasets", "datasets_by_another_name") in hooks[0]


class TestThirdParty:
    """Plugins found through the ``leiden_twinning`` entry-point group."""

    def test_an_installed_plugin_adds_its_format(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install("fake-csv", {"csv": CSV})

        exporter = {e.name: e for e in lt.formats()}["csv"]

        assert ("csv", "fake-csv") == (exporter.plugin, exporter.distribution)
        assert b"city\n" == lt.export(dataset, "csv")

    def test_one_plugin_registers_several_exporters(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-multi",
            {
                "multi": """
                @hookimpl
                def register_exporters(register):
                    for name in ("one", "two"):
                        register(Exporter(name=name, extension="txt", media_type="text/plain",
                                          description=name, write=write_text(name)))
                """
            },
        )

        names = {e.name for e in lt.formats() if e.plugin == "multi"}

        assert {"one", "two"} == names

    def test_a_plugin_object_other_than_a_module(self, fake_plugins: FakePlugins) -> None:
        modules = fake_plugins.install(
            "fake-object",
            {
                "object": """
                class Plugin:
                    @hookimpl
                    def register_exporters(self, register):
                        register(Exporter(name="obj", extension="txt", media_type="text/plain",
                                          description="obj", write=write_text("obj")))
                PLUGIN = Plugin()
                """
            },
        )
        # Point the entry point at the object rather than the module.
        info = next(fake_plugins.tmp_path.glob("site*/fake_object-1.0.dist-info"))
        info.joinpath("entry_points.txt").write_text(
            f"[leiden_twinning]\nobject = {modules['object']}:PLUGIN\n", encoding="utf-8"
        )
        _plugins.clear_cache()

        assert "obj" in {e.name for e in lt.formats()}

    def test_a_plugin_description_in_dutch(self, fake_plugins: FakePlugins) -> None:
        from leiden_twinning._i18n import i18n  # noqa: PLC0415

        fake_plugins.install(
            "fake-nl",
            {
                "nl": """
                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="nlx", extension="txt", media_type="text/plain",
                                      description="English", descriptions={"nl": "Nederlands"},
                                      write=write_text("")))
                """
            },
        )
        exporter = {e.name: e for e in lt.formats()}["nlx"]

        assert "Nederlands" == _plugins.describe(exporter, i18n("nl"))
        assert "English" == _plugins.describe(exporter, i18n("de"))


class TestFailures:
    """A broken plugin is named with its distribution; the other formats keep working."""

    def test_a_plugin_that_raises_on_import(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install("fake-broken", {"broken": "raise RuntimeError('boom at import')\n"})

        failure = _failure("broken")

        assert "fake-broken" == failure.distribution
        assert "failed to load: RuntimeError: boom at import" == failure.error
        assert "plugin 'broken' (from fake-broken): failed to load" in str(failure)
        assert lt.export(dataset, "json").startswith(b"{")

    def test_a_plugin_that_fails_to_import_a_dependency(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install("fake-deps", {"deps": "import no_such_module_anywhere\n"})

        assert "ModuleNotFoundError" in _failure("deps").error

    def test_a_plugin_that_exits_on_import(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install("fake-exit", {"exits": "raise SystemExit(3)\n"})

        assert "failed to load: SystemExit: 3" == _failure("exits").error
        assert "json" in {e.name for e in lt.formats()}

    def test_the_unknown_format_error_names_the_broken_plugin(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install("fake-broken", {"broken": "raise ImportError('nope')\n"})

        with pytest.raises(lt.UnknownFormatError) as info:
            lt.export(dataset, "broken")

        assert "plugin 'broken' (from fake-broken)" in str(info.value)
        assert "available formats:" in str(info.value)

    def test_a_hook_that_raises(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-raising",
            {
                "raising": """
                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="half", extension="txt", media_type="text/plain",
                                      description="half", write=write_text("")))
                    raise ValueError("no luck")
                """,
                "fine": CSV,
            },
        )

        failure = _failure("raising")
        names = {e.name for e in lt.formats()}

        assert "fake-raising" == failure.distribution
        assert "register_exporters: ValueError: no luck" in failure.error
        assert "half" not in names  # all or nothing per plugin
        assert {"csv", "json"} <= names

    def test_a_hook_that_registers_something_else(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-dict",
            {"dict": "@hookimpl\ndef register_exporters(register):\n    register({'name': 'x'})\n"},
        )

        assert "register() expects an Exporter, got dict" in _failure("dict").error

    def test_a_hook_that_builds_an_invalid_exporter(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-invalid",
            {
                "invalid": """
                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="Bad Name", extension="txt", media_type="text/plain",
                                      description="bad", write=write_text("")))
                """
            },
        )

        assert "'Bad Name' is not a lower-case format name" in _failure("invalid").error

    def test_a_misspelt_hook(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-typo", {"typo": "@hookimpl\ndef register_exporter(register):\n    pass\n"}
        )

        error = _failure("typo").error

        expected = (
            "implements unknown hook(s) register_exporter; the hooks are: register_datasets, "
            "register_exporters (marked with leiden_twinning.hookimpl)"
        )
        assert expected == error

    def test_a_plugin_without_hooks(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-empty", {"empty": "def register_exporters(register):\n    pass\n"}
        )

        assert _failure("empty").error.startswith("implements no hook")

    def test_a_hook_with_a_wrong_signature(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-sig", {"sig": "@hookimpl\ndef register_exporters(register, extra):\n    pass\n"}
        )

        assert _failure("sig").error.startswith("cannot be registered: PluginValidationError")

    def test_a_hook_wrapper(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install(
            "fake-wrap",
            {
                "wrap": """
                @hookimpl(wrapper=True)
                def register_exporters(register):
                    return (yield)
                """
            },
        )

        assert "cannot be a hook wrapper" in _failure("wrap").error

    def test_two_distributions_with_one_entry_point_name(self, fake_plugins: FakePlugins) -> None:
        fake_plugins.install("fake-a", {"same": CSV})
        fake_plugins.install("fake-b", {"same": CSV.replace('"csv"', '"csv2"')})

        failure = _failure("same")

        assert "fake-b" == failure.distribution
        assert "already registered (from fake-a)" in failure.error
        assert "csv" in {e.name for e in lt.formats()}


class TestDuplicateNames:
    """A format name two plugins claim is withdrawn, naming both; the rest keeps working."""

    def test_two_plugins_register_the_same_name(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install("fake-first", {"first": CSV})
        fake_plugins.install("fake-second", {"second": CSV})

        with pytest.raises(lt.PluginError) as info:
            lt.export(dataset, "csv")

        message = str(info.value)
        assert "plugin 'first' (from fake-first)" in message
        assert "plugin 'second' (from fake-second)" in message
        assert "csv" not in {e.name for e in lt.formats()}
        assert lt.export(dataset, "json").startswith(b"{")
        assert message == _failure("second").error

    def test_a_plugin_that_claims_a_builtin_name(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install("fake-json", {"evil": CSV.replace('"csv"', '"json"')})

        with pytest.raises(lt.PluginError, match=r"leiden_twinning\.exporters\.json.*'evil'"):
            lt.export(dataset, "json")

    def test_three_claimants(self, fake_plugins: FakePlugins) -> None:
        for name in ("a", "b", "c"):
            fake_plugins.install(f"fake-{name}", {name: CSV})

        assert "is registered by 3 plugins" in _plugins.registry().clashes["csv"]

    def test_one_plugin_registering_a_name_twice(self, fake_plugins: FakePlugins) -> None:
        twice = CSV.replace("    register(", "    for _ in range(2):\n        register(")
        fake_plugins.install("fake-twice", {"twice": twice})

        assert "is registered twice by plugin 'twice'" in _plugins.registry().clashes["csv"]


class TestExportApi:
    """``leiden_twinning.export()``: options checked, failures wrapped and named."""

    def test_export_returns_what_write_writes(self, dataset: lt.Dataset) -> None:
        stream = io.BytesIO()
        _plugins.write(dataset, "json", stream, locale="nl", options={})

        assert stream.getvalue() == lt.export(dataset, "json")

    def test_unknown_format(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.UnknownFormatError, match=r"unknown format 'pdf'; available.*json"):
            lt.export(dataset, "pdf")

    def test_unknown_option(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match=r"json: unknown option\(s\) colour"):
            lt.export(dataset, "json", colour="red")

    def test_unknown_locale(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.UnknownLocaleError):
            lt.export(dataset, "json", locale="xx_NOWHERE")

    def test_options_are_normalised_and_defaulted(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install(
            "fake-echo",
            {
                "echo": """
                def write(dataset, stream, *, locale, options):
                    stream.write(repr((locale, sorted(options.items()))).encode())

                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="echo", extension="txt", media_type="text/plain",
                                      description="echo", write=write, options=(
                        Option("tags", "tags", multiple=True, default=()),
                        Option("size", "size", convert=int, default=3),
                        Option("style", "style", choices=("a", "b"), default="a"),
                        Option("loud", "loud", flag=True, default=False),
                    )))
                """
            },
        )

        out = lt.export(dataset, "echo", locale="en-GB", tags="x", style="b")

        expected = "('en_GB', [('loud', False), ('size', 3), ('style', 'b'), ('tags', ('x',))])"
        assert expected.encode() == out
        assert b"('a', 'b')" in lt.export(dataset, "echo", tags=["a", "b"])
        with pytest.raises(lt.ExportError, match=r"option style: 'c' is not one of a, b"):
            lt.export(dataset, "echo", style="c")

    def test_an_exporter_that_fails_names_its_plugin(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install(
            "fake-crash",
            {
                "crash": """
                def write(dataset, stream, *, locale, options):
                    stream.write(b"partial")
                    raise ZeroDivisionError("mid-export")

                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="crash", extension="txt", media_type="text/plain",
                                      description="crash", write=write))
                """
            },
        )

        with pytest.raises(lt.ExportError) as info:
            lt.export(dataset, "crash")

        expected = (
            "the crash exporter of plugin 'crash' (from fake-crash) failed: "
            "ZeroDivisionError: mid-export"
        )
        assert expected == str(info.value)
        assert isinstance(info.value.__cause__, ZeroDivisionError)

    def test_an_error_of_the_library_passes_through(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        fake_plugins.install(
            "fake-own",
            {
                "own": """
                from leiden_twinning import ExportError

                def fail(*args, **kwargs):
                    raise ExportError("own: no partnership called 'atlantis'")

                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="own", extension="txt", media_type="text/plain",
                                      description="own", write=fail, parts=fail))
                """
            },
        )

        with pytest.raises(lt.ExportError, match=r"^own: no partnership called 'atlantis'$"):
            lt.export(dataset, "own")
        with pytest.raises(lt.ExportError, match=r"^own: no partnership called 'atlantis'$"):
            _plugins.parts(dataset, "own", locale="nl", options={})

    def test_export_takes_the_format_positionally_only(self) -> None:
        parameters = inspect.signature(lt.export).parameters

        assert inspect.Parameter.POSITIONAL_ONLY == parameters["fmt"].kind


class TestParts:
    """``parts()``: one file per item, checked before anything is written."""

    @pytest.mark.parametrize(
        ("pairs", "message"),
        [
            ("[('../x.txt', b'')]", "unsafe file name '../x.txt'"),
            ("[('.hidden', b'')]", "unsafe file name '.hidden'"),
            ("[('a.txt', b''), ('a.txt', b'')]", "'a.txt' occurs twice"),
            ("[('a.txt', 'text')]", "must yield (str, bytes) pairs"),
            ("1 / 0", "ZeroDivisionError"),
        ],
    )
    def test_bad_parts(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset, pairs: str, message: str
    ) -> None:
        fake_plugins.install(
            "fake-parts",
            {
                "parts": f"""
                def parts(dataset, *, locale, options):
                    return {pairs}

                @hookimpl
                def register_exporters(register):
                    register(Exporter(name="parts", extension="txt", media_type="text/plain",
                                      description="parts", write=write_text(""), parts=parts))
                """
            },
        )

        with pytest.raises(lt.ExportError, match=re.escape(message)):
            _plugins.parts(dataset, "parts", locale="nl", options={})

    def test_a_format_without_parts(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match="cannot be split"):
            _plugins.parts(dataset, "json", locale="nl", options={})


class TestProtocol:
    """The Exporter and Option classes check what a plugin declares."""

    def _exporter(self, **changes: Any) -> lt.Exporter:
        fields: dict[str, Any] = {
            "name": "x",
            "extension": "txt",
            "media_type": "text/plain",
            "description": "x",
            "write": json_exporter.write,
            **changes,
        }
        return lt.Exporter(**fields)

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"name": "Upper"}, "not a lower-case format name"),
            ({"name": "has space"}, "not a lower-case format name"),
            ({"name": "csv\n"}, "not a lower-case format name"),
            ({"extension": "txt\n"}, "not a file extension"),
            ({"description": "a\u2028b"}, "one non-empty line"),
            ({"description": "bell\x07"}, "one non-empty line"),
            ({"extension": ".txt"}, "not a file extension"),
            ({"media_type": "plain"}, "not a media type"),
            ({"description": "two\nlines"}, "one non-empty line"),
            ({"write": "not callable"}, "is not callable"),
            ({"options": (lt.Option("a", "a"), lt.Option("a", "b"))}, "'a' is declared twice"),
            ({"options": ("a",)}, "expected Option objects"),
        ],
    )
    def test_invalid_exporters(self, changes: dict[str, Any], message: str) -> None:
        with pytest.raises((ValueError, TypeError), match=re.escape(message)):
            self._exporter(**changes)

    def test_names_with_dashes_and_options_as_a_list(self) -> None:
        exporter = self._exporter(name="json-ld", options=[lt.Option("a", "a")])

        assert (lt.Option("a", "a"),) == exporter.options
        assert lt.Option("a", "a") == exporter.option("a")
        with pytest.raises(KeyError):
            exporter.option("b")

    @pytest.mark.parametrize("name", sorted(RESERVED_OPTION_NAMES))
    def test_reserved_option_names(self, name: str) -> None:
        with pytest.raises(ValueError, match="reserved for the command line"):
            lt.Option(name, "help")

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"name": "from-year"}, "not a lower-case identifier"),
            ({"name": "from_year\n"}, "not a lower-case identifier"),
            ({"cli_name": "Part"}, "not a lower-case identifier"),
            ({"cli_name": "output"}, "reserved for the command line"),
            ({"help": ""}, "one non-empty line"),
            ({"help": None}, "one non-empty line"),
            ({"flag": True, "multiple": True}, "a flag takes no value"),
            ({"convert": 3}, "is not callable"),
        ],
    )
    def test_invalid_options(self, fields: dict[str, Any], message: str) -> None:
        with pytest.raises((ValueError, TypeError), match=message):
            lt.Option(**{"name": "x", "help": "x", **fields})


class TestDocumentation:
    """The plugin guide documents every hook with its exact signature, and the protocol."""

    def test_every_hook_and_signature_is_documented(self) -> None:
        text = DOCS.read_text(encoding="utf-8")
        hooks = [
            name
            for name, value in vars(hookspecs).items()
            if callable(value) and hasattr(value, f"{hookspecs.PROJECT_NAME}_spec")
        ]

        assert ["register_exporters", "register_datasets"] == hooks
        for name in hooks:
            # The annotations are strings (postponed evaluation): drop their quotes.
            signature = str(inspect.signature(getattr(hookspecs, name))).replace("'", "")
            assert f"``{name}{signature}``" in text

    def test_every_field_of_the_protocol_is_documented(self) -> None:
        import attrs  # noqa: PLC0415

        text = DOCS.read_text(encoding="utf-8")
        for kind in (lt.Exporter, lt.Option):
            for field in attrs.fields(kind):
                assert f"``{field.name}``" in text, (kind.__name__, field.name)

    def test_the_example_plugin_of_the_guide_works(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        import csv  # noqa: PLC0415

        text = DOCS.read_text(encoding="utf-8")
        blocks = re.findall(r"\.\. code-block:: python\n\n((?:    .*\n|\n)+)", text)
        plugin = next(b for b in blocks if "def register_exporters" in b)
        fake_plugins.install("leiden-twinning-csv", {"csv": plugin})

        rows = list(csv.reader(io.StringIO(lt.export(dataset, "csv", country="GB").decode())))

        assert [
            ["partnerstad", "land", "band", "sinds"],
            ["Oxford", "Verenigd Koninkrijk", "stedenband", "26 maart 1946"],
        ] == rows
        assert "leiden-twinning-csv" == {e.name: e for e in lt.formats()}["csv"].distribution

    def test_the_entry_point_group_is_documented(self) -> None:
        text = DOCS.read_text(encoding="utf-8")

        assert f"[project.entry-points.{hookspecs.PROJECT_NAME}]" in text


SPY = """
import gc

SEEN = []

def write(dataset, stream, *, locale, options):
    SEEN.append(gc.isenabled())
    if options.get("fail"):
        raise ZeroDivisionError("mid-export")
    stream.write(b"ok")

def parts(dataset, *, locale, options):
    SEEN.append(gc.isenabled())
    yield "a.txt", b"a"
    SEEN.append(gc.isenabled())
    if options.get("fail"):
        raise ZeroDivisionError("mid-export")

@hookimpl
def register_exporters(register):
    register(Exporter(name="spy", extension="txt", media_type="text/plain", description="spy",
                      write=write, parts=parts,
                      options=(Option("fail", "fail", flag=True, default=False),)))
"""


class TestCollectorPaused:
    """Every exporter, built-in or not, runs with the cyclic garbage collector paused, no longer."""

    def install(self, fake_plugins: FakePlugins) -> list[bool]:
        """Install the spy exporter; return the list it appends the collector's state to."""
        module = fake_plugins.install("fake-spy", {"spy": SPY})["spy"]
        lt.formats()  # imports the plugin's module
        seen: list[bool] = sys.modules[module].SEEN
        return seen

    def test_paused_while_an_exporter_writes_and_splits(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        seen = self.install(fake_plugins)

        assert b"ok" == lt.export(dataset, "spy")
        assert gc.isenabled()
        assert [("a.txt", b"a")] == _plugins.parts(dataset, "spy", locale="nl", options={})
        assert gc.isenabled()
        assert [False, False, False] == seen

    def test_on_again_after_an_exporter_fails(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        seen = self.install(fake_plugins)

        with pytest.raises(lt.ExportError, match="ZeroDivisionError: mid-export"):
            lt.export(dataset, "spy", fail=True)
        assert gc.isenabled()
        with pytest.raises(lt.ExportError, match="ZeroDivisionError: mid-export"):
            _plugins.parts(dataset, "spy", locale="nl", options={"fail": True})
        assert gc.isenabled()
        assert [False, False, False] == seen

    def test_a_collector_turned_off_stays_off(
        self, fake_plugins: FakePlugins, dataset: lt.Dataset
    ) -> None:
        seen = self.install(fake_plugins)
        gc.disable()
        try:
            lt.export(dataset, "spy")
            assert not gc.isenabled()
            assert [False] == seen
        finally:
            gc.enable()

    @pytest.mark.parametrize("fmt", ["geojson", "html", "ical", "json", "vcard"])
    def test_the_builtins_leave_no_cycles_that_grow_with_the_data(self, fmt: str) -> None:
        """What the pause defers is what an export leaves in reference cycles: for the built-in
        exporters a few objects of the standard library's JSON encoder at most, the same for 6
        ties as for 60, so nothing piles up however large the export."""
        benchmarks = str(Path(__file__).parent.parent / "benchmarks")
        sys.path.insert(0, benchmarks)
        try:
            generate = importlib.import_module("generate").generate
        finally:
            sys.path.remove(benchmarks)
        small = lt.load()
        large = lt.loads(json.dumps(generate(60)).encode("utf-8"))
        lt.export(small, fmt, locale="fr")  # caches filled on first use are not garbage
        left = []
        gc.collect()
        gc.disable()
        try:
            for data in (small, large, large):
                lt.export(data, fmt, locale="fr")
                left.append(gc.collect())
        finally:
            gc.enable()
        assert left[0] == left[1] == left[2] < 50, left
