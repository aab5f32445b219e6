"""The plugin manager: built-in and entry-point plugins, each failure isolated and named.

The road every exporter travels, built-in or third-party:

1. :func:`make_plugin_manager` adds the hook specifications of :mod:`leiden_twinning.hookspecs`,
   registers the built-in plugin modules (:data:`BUILTIN_PLUGINS`) by name, then loads every entry
   point of the ``leiden_twinning`` group. A plugin that fails to import, cannot be registered, or
   implements no known hook is left out and recorded as a :class:`PluginFailure`.
2. :func:`build_registry` calls each plugin's ``register_exporters`` hook on its own: a hook that
   raises loses that plugin's exporters only. A format name that two plugins claim is withdrawn
   (both plugins are named) while every other format keeps working.
3. :func:`registry` builds this once per process; :func:`clear_cache` forgets it (for tests).

A plugin registered in-process with :func:`register_plugin` joins step 1 after the entry
points, and travels the same road from there: the same hook, the same failure isolation, the same
option defaults and checks in :func:`export`.
"""

from __future__ import annotations

import functools
import importlib
import importlib.machinery
import importlib.metadata
import io
import os
import re
import sys
import types
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs
import pluggy

from leiden_twinning import hookspecs
from leiden_twinning._collector import paused
from leiden_twinning._dataset import Dataset
from leiden_twinning._exporter import Exporter, Option, resolve_options
from leiden_twinning._i18n import N_
from leiden_twinning.exceptions import (
    DatasetError,
    ExportError,
    LeidenTwinningError,
    PluginError,
    UnknownDatasetError,
    UnknownFormatError,
)

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from leiden_twinning._i18n import I18n

__all__ = [
    "BUILTIN_DISTRIBUTION",
    "BUILTIN_PLUGINS",
    "DatasetEntry",
    "PluginFailure",
    "Plugins",
    "RegisteredPlugin",
    "Registry",
    "build_registry",
    "clear_cache",
    "datasets",
    "describe",
    "export",
    "formats",
    "load_dataset",
    "make_plugin_manager",
    "option_help",
    "parts",
    "register_plugin",
    "registry",
    "unregister_plugin",
    "write",
]

#: The built-in plugin modules, registered through the same hook as third-party plugins.
BUILTIN_PLUGINS = (
    "leiden_twinning.exporters.json",
    "leiden_twinning.exporters.ical",
    "leiden_twinning.exporters.vcard",
    "leiden_twinning.exporters.html",
    "leiden_twinning.exporters.geojson",
    "leiden_twinning.canonical",
)
#: The distribution that provides the built-in plugins.
BUILTIN_DISTRIBUTION = "leiden-twinning"


# The records no plugin sees (PluginFailure, Plugins, Registry) are named tuples and a plain
# class: an attrs class costs every start of the command the compiling of its methods.


class PluginFailure(NamedTuple):
    """A plugin that could not load or register, and why."""

    #: The plugin's name: its entry-point name, or a built-in module's name.
    plugin: str
    #: The distribution (package) that provides the plugin, where known.
    distribution: str | None
    error: str

    def __str__(self) -> str:
        return f"{_origin(self.plugin, self.distribution)}: {self.error}"


def _origin(plugin: str | None, distribution: str | None) -> str:
    """``plugin 'name' (from distribution)``."""
    where = f" (from {distribution})" if distribution else ""
    return f"plugin {plugin!r}{where}"


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().replace("\n", " ")
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class Plugins(NamedTuple):
    """A plugin manager, the distribution of each plugin in it, and the plugins left out."""

    manager: pluggy.PluginManager
    #: Plugin name to the distribution that provides it.
    distributions: Mapping[str, str | None]
    failures: tuple[PluginFailure, ...]


#: The names a module's type (or ``object``) defines: there, :func:`inspect.getattr_static` may
#: find something else than the module's own namespace holds.
_MODULE_TYPE_NAMES = frozenset(vars(types.ModuleType)) | frozenset(vars(object))
#: What pluggy can take as a hook implementation (see ``pluggy._manager._static_hook_attr``).
_HOOKABLE = (types.FunctionType, staticmethod, classmethod, types.MethodType)


class _Manager(pluggy.PluginManager):
    """pluggy's plugin manager, quicker to pass over a module's names that are no hooks."""

    def parse_hookimpl_opts(self, plugin: object, name: str) -> pluggy.HookimplOpts | None:
        """What pluggy answers, without its static look-up of a module's value that is no function.

        ``register`` asks this for every name in ``dir(plugin)``, a few hundred for a module
        that imports much, and pluggy's :func:`inspect.getattr_static` walks the module's type
        each time. For a plain module the value is the one its namespace holds (no descriptor
        of its type has the name), and pluggy takes only a function or method as a hook.
        """
        if type(plugin) is types.ModuleType and name not in _MODULE_TYPE_NAMES:
            value = vars(plugin).get(name)
            if not isinstance(value, _HOOKABLE):
                return None
        return super().parse_hookimpl_opts(plugin, name)


class _Loader:
    """Registers plugins one at a time, recording each failure instead of raising it."""

    def __init__(self) -> None:
        self.manager = _Manager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self.distributions: dict[str, str | None] = {}
        self.failures: list[PluginFailure] = []

    def add(self, name: str, distribution: str | None, load: Callable[[], object]) -> None:
        pm = self.manager
        if pm.has_plugin(name) or name in self.distributions:
            other = self.distributions.get(name)
            clash = f"a plugin of this name is already registered (from {other})"
            self.failures.append(PluginFailure(name, distribution, clash))
            return
        try:
            plugin = load()
        except (Exception, SystemExit) as exc:
            self._fail(name, distribution, f"failed to load: {_reason(exc)}")
            return
        try:
            pm.register(plugin, name=name)
        except Exception as exc:  # pluggy's PluginValidationError, or an object registered twice
            self._fail(name, distribution, f"cannot be registered: {_reason(exc)}")
            return
        callers = pm.get_hookcallers(plugin) or []
        unknown = sorted(caller.name for caller in callers if not caller.has_spec())
        if unknown or not callers:
            pm.unregister(plugin)
            specs = (n for n, caller in vars(pm.hook).items() if caller.has_spec())
            known = ", ".join(sorted(specs))
            why = f"unknown hook(s) {', '.join(unknown)}" if unknown else "no hook"
            msg = f"implements {why}; the hooks are: {known} (marked with leiden_twinning.hookimpl)"
            self._fail(name, distribution, msg)
            return
        self.distributions[name] = distribution

    def _fail(self, name: str, distribution: str | None, error: str) -> None:
        self.distributions.setdefault(name, distribution)
        self.failures.append(PluginFailure(name, distribution, error))


#: What importlib.metadata reads an ``entry_points.txt`` past (``PathDistribution.read_text``).
_UNREADABLE = (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError)
_METADATA_SUFFIXES = (".dist-info", ".egg-info")


def _normalize(name: str) -> str:
    """A distribution name as importlib.metadata compares them (PEP 503, ``_`` for ``-``)."""
    return re.sub(r"[-_.]+", "-", name).lower().replace("-", "_")


class _Unusual(Exception):  # noqa: N818 - a signal, not an error
    """The environment has something the quick scan does not read: ask importlib.metadata."""


def _quick_entry_points(group: str) -> list[EntryPoint]:
    """The entry points of *group*: those of ``importlib.metadata.entry_points(group=group)``.

    importlib.metadata parses the ``entry_points.txt`` of every distribution on ``sys.path``
    (a hundred in a usual environment) to keep one group's; this reads each file as plain text
    and parses only those that name *group*, finding the same distributions the same way: the
    ``*.dist-info`` and ``*.egg-info`` directories of each ``sys.path`` folder, in order, the
    first of each normalized name winning.

    :raises _Unusual: for what only importlib.metadata reads: a zip file, an ``.egg`` or a
        name that is not a string on ``sys.path``, a metadata folder of unusual case or without
        a name, or an import finder that brings distributions of its own.
    """
    if any(
        finder is not importlib.machinery.PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    ):
        raise _Unusual
    seen: set[str] = set()
    found: list[EntryPoint] = []
    for root in sys.path:
        if not isinstance(root, str):
            raise _Unusual
        try:
            children = os.listdir(root or ".")  # noqa: PTH208 - names only, no Path objects
        except OSError:
            if os.path.isfile(root):  # noqa: PTH113 - a zip archive
                raise _Unusual from None
            continue
        if os.path.basename(root).lower().endswith(".egg"):  # noqa: PTH119
            raise _Unusual
        for child in children:
            if not child.lower().endswith(_METADATA_SUFFIXES):
                continue
            # The name as importlib.metadata takes it from the folder's name, else from the
            # metadata inside: then it is importlib.metadata's to read.
            stem, suffix = os.path.splitext(child)  # noqa: PTH122
            project = stem.partition("-")[0]
            if not project or suffix not in _METADATA_SUFFIXES:
                raise _Unusual
            name = _normalize(project)
            if name in seen:
                continue
            seen.add(name)
            # os.path, not pathlib: this runs a hundred times at every start.
            path = os.path.join(root, child)  # noqa: PTH118
            listing = os.path.join(path, "entry_points.txt")  # noqa: PTH118
            try:
                with open(listing, encoding="utf-8") as stream:  # noqa: PTH123
                    text = stream.read()
            except _UNREADABLE:
                continue
            if group in text:  # a section "[group]" holds the name: parse only these
                dist = importlib.metadata.Distribution.at(path)
                found.extend(dist.entry_points.select(group=group))
    return found


def entry_points(*, group: str) -> list[EntryPoint]:
    """The entry points of *group* on ``sys.path``, as ``importlib.metadata`` finds them.

    Quickly where the environment is plain folders (see :func:`_quick_entry_points`), else
    through :func:`importlib.metadata.entry_points`. Never cached: a plugin installed or
    removed since the last call is seen.
    """
    try:
        return _quick_entry_points(group)
    except _Unusual:
        return list(importlib.metadata.entry_points(group=group))


def make_plugin_manager(*, load_entry_points: bool = True) -> Plugins:
    """Build the plugin manager: hook specs, the built-in plugins, then entry-point plugins.

    A plugin that fails to import or to register is left out and reported in
    :attr:`Plugins.failures`; nothing here raises because of a plugin.
    """
    loader = _Loader()
    for module_name in BUILTIN_PLUGINS:
        loader.add(
            module_name,
            BUILTIN_DISTRIBUTION,
            functools.partial(importlib.import_module, module_name),
        )
    if load_entry_points:
        found = sorted(
            entry_points(group=hookspecs.PROJECT_NAME),
            key=lambda ep: (ep.name, ep.dist.name if ep.dist is not None else ""),
        )
        for ep in found:
            loader.add(ep.name, ep.dist.name if ep.dist is not None else None, ep.load)
    for handle in _IN_PROCESS.values():
        loader.add(handle.name, None, functools.partial(lambda p: p, handle.plugin))
    return Plugins(loader.manager, dict(loader.distributions), tuple(loader.failures))


_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _dataset_name(_inst: object, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        msg = (
            f"a dataset name must be ASCII lower-case letters, digits and hyphens (like"
            f" 'delft'), got {value!r}"
        )
        raise ValueError(msg)


@attrs.frozen
class DatasetEntry:
    """A dataset a plugin registers by name through ``register_datasets``.

    .. versionadded:: 1.1
    """

    #: The name ``load(name)`` and ``--dataset NAME`` take: ASCII lower-case letters, digits
    #: and hyphens.
    name: str = attrs.field(validator=_dataset_name)
    #: Returns the dataset; called on first use only.
    load: Callable[[], Dataset] = attrs.field(repr=False)
    #: The plugin that registered it (set by the registry).
    plugin: str | None = None
    #: The distribution that provides the plugin, where known (set by the registry).
    distribution: str | None = None


class Registry:
    """The exporters and datasets the plugins registered, and the plugins that failed."""

    def __init__(self, failures: list[PluginFailure] | None = None) -> None:
        self.exporters: dict[str, Exporter] = {}
        self.failures: list[PluginFailure] = [] if failures is None else failures
        #: Format names that two plugins claimed, with the message naming both.
        self.clashes: dict[str, str] = {}
        #: The datasets by name.
        self.datasets: dict[str, DatasetEntry] = {}
        #: Dataset names that two plugins claimed, with the message naming both.
        self.dataset_clashes: dict[str, str] = {}
        #: The datasets loaded so far, by name.
        self.loaded: dict[str, Dataset] = {}

    def dataset(self, name: str) -> Dataset:
        """The dataset registered as *name*, loaded on first use.

        :raises UnknownDatasetError: when no plugin registered *name*, listing the known names.
        :raises PluginError: when two plugins registered *name*.
        :raises DatasetError: when the plugin's data is not a valid dataset.
        """
        if name in self.loaded:
            return self.loaded[name]
        if name in self.dataset_clashes:
            raise PluginError(self.dataset_clashes[name])
        entry = self.datasets.get(name)
        if entry is None:
            known = ", ".join(sorted(self.datasets)) or "none"
            msg = f"no dataset named {name!r}; known datasets: {known}"
            broken = [str(f) for f in self.failures if "register_datasets" in f.error]
            if broken:
                msg += f" (not loaded: {'; '.join(broken)})"
            raise UnknownDatasetError(msg)
        origin = _origin(entry.plugin, entry.distribution)
        try:
            dataset: object = entry.load()
        except DatasetError as exc:
            problems = [f"dataset {name!r} of {origin}: {p}" for p in exc.problems]
            raise DatasetError(problems, file=exc.file) from None
        except Exception as exc:
            msg = f"dataset {name!r} of {origin} failed to load: {_reason(exc)}"
            raise PluginError(msg) from exc
        if not isinstance(dataset, Dataset):
            msg = f"dataset {name!r} of {origin}: load() returned {type(dataset).__name__}"
            raise PluginError(msg)
        self.loaded[name] = dataset
        return dataset

    def get(self, name: str) -> Exporter:
        """The exporter for format *name*.

        :raises PluginError: when two plugins registered *name*.
        :raises UnknownFormatError: when no plugin did, listing the available formats and any
            plugin that failed to load.
        """
        if name in self.clashes:
            raise PluginError(self.clashes[name])
        try:
            return self.exporters[name]
        except KeyError:
            available = ", ".join(sorted(self.exporters)) or "none"
            clashes = set(self.clashes.values())
            broken = "; ".join(str(f) for f in self.failures if f.error not in clashes)
            params = {"name": name, "available": available, "broken": broken}
            if broken:
                # Translators: an error; {name!r} is what the user typed, {available} lists the
                # format names, {broken} the plugins that failed to load and why.
                message_id = N_(
                    "unknown format {name!r}; available formats: {available} (not loaded: {broken})"
                )
            else:
                # Translators: an error; {name!r} is what the user typed, {available} lists the
                # format names.
                message_id = N_("unknown format {name!r}; available formats: {available}")
            raise UnknownFormatError(
                message_id.format(**params), message_id=message_id, params=params
            ) from None


def _claimants(owners: list[Exporter]) -> str:
    names = [_origin(e.plugin, e.distribution) for e in owners]
    if len({e.plugin for e in owners}) == 1:
        return f"is registered twice by {names[0]}"
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"is registered by {len(owners)} plugins: {listed}"


def _call(impl: Any, register: Callable[[object], None], hook: str = "register_exporters") -> None:
    """Call one plugin's ``register_exporters`` (or *hook*) implementation."""
    if impl.hookwrapper or impl.wrapper:
        msg = f"{hook} cannot be a hook wrapper"
        raise TypeError(msg)
    kwargs = {name: register for name in impl.argnames if name == "register"}
    impl.function(**kwargs)


def build_registry(plugins: Plugins) -> Registry:
    """Call every plugin's ``register_exporters`` hook, one plugin at a time.

    Plugins are called in registration order: the built-in ones, then entry points by name.
    """
    registry = Registry(failures=list(plugins.failures))
    claims: dict[str, list[Exporter]] = {}
    for impl in plugins.manager.hook.register_exporters.get_hookimpls():
        plugin = impl.plugin_name
        dist = plugins.distributions.get(plugin)
        found: list[Exporter] = []

        def register(exporter: object, found: list[Exporter] = found) -> None:
            if not isinstance(exporter, Exporter):
                msg = f"register() expects an Exporter, got {type(exporter).__name__}"
                raise TypeError(msg)
            found.append(exporter)

        try:
            _call(impl, register)
        except Exception as exc:
            error = f"Raised in register_exporters: {_reason(exc)}"
            registry.failures.append(PluginFailure(plugin, dist, error))
            continue
        for exporter in found:
            owned = attrs.evolve(exporter, plugin=plugin, distribution=dist)
            claims.setdefault(exporter.name, []).append(owned)
    for name, owners in claims.items():
        if len(owners) == 1:
            registry.exporters[name] = owners[0]
            continue
        msg = f"format {name!r} {_claimants(owners)}; it is unavailable until one is uninstalled"
        registry.clashes[name] = msg
        registry.failures.append(
            PluginFailure(owners[-1].plugin or "?", owners[-1].distribution, msg)
        )
    _build_datasets(plugins, registry)
    return registry


def _build_datasets(plugins: Plugins, registry: Registry) -> None:
    """Call every plugin's ``register_datasets`` hook, one plugin at a time."""
    claims: dict[str, list[DatasetEntry]] = {}
    for impl in plugins.manager.hook.register_datasets.get_hookimpls():
        plugin = impl.plugin_name
        dist = plugins.distributions.get(plugin)
        found: list[DatasetEntry] = []

        def register(entry: object, found: list[DatasetEntry] = found) -> None:
            if not isinstance(entry, DatasetEntry):
                msg = f"register() expects a DatasetEntry, got {type(entry).__name__}"
                raise TypeError(msg)
            found.append(entry)

        try:
            _call(impl, register, "register_datasets")
        except Exception as exc:
            error = f"Raised in register_datasets: {_reason(exc)}"
            registry.failures.append(PluginFailure(plugin, dist, error))
            continue
        for entry in found:
            owned = attrs.evolve(entry, plugin=plugin, distribution=dist)
            claims.setdefault(entry.name, []).append(owned)
    for name, owners in claims.items():
        if len(owners) == 1:
            registry.datasets[name] = owners[0]
            continue
        names = ", ".join(_origin(e.plugin, e.distribution) for e in owners)
        msg = f"dataset {name!r} is registered by {names}; it is unavailable until one goes"
        registry.dataset_clashes[name] = msg
        registry.failures.append(
            PluginFailure(owners[-1].plugin or "?", owners[-1].distribution, msg)
        )


def datasets() -> tuple[DatasetEntry, ...]:
    """Every dataset the plugins registered, sorted by name, with its plugin and distribution.

    A dataset whose plugin failed to load, or that two plugins claim, is not listed.

    >>> import leiden_twinning as lt
    >>> "leiden" in [d.name for d in lt.datasets()]
    True

    .. versionadded:: 1.1
    """
    return tuple(sorted(registry().datasets.values(), key=lambda e: e.name))


def load_dataset(name: str) -> Dataset:
    """The dataset a plugin registered as *name* (see :meth:`Registry.dataset`)."""
    return registry().dataset(name)


@attrs.frozen(eq=False)
class RegisteredPlugin:
    """A plugin registered in-process by :func:`register_plugin`; a context manager.

    Leaving the ``with`` block (or calling :meth:`unregister`) takes the plugin out again, so a
    test can register an exporter for its own duration::

        with lt.register_plugin(my_plugin):
            lt.export(dataset, "csv")

    .. versionadded:: 1.0
    """

    #: The plugin object (a module, a class or an instance with ``hookimpl`` functions).
    plugin: object
    #: The name it is registered under, as failures and ``formats`` name it.
    name: str

    def unregister(self) -> None:
        """Take the plugin out; nothing happens when it is already out."""
        if _IN_PROCESS.get(self.name) is self:
            del _IN_PROCESS[self.name]
            clear_cache()

    def __enter__(self) -> RegisteredPlugin:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.unregister()


#: The in-process plugins by name, in registration order.
_IN_PROCESS: dict[str, RegisteredPlugin] = {}


def register_plugin(plugin: object, name: str | None = None) -> RegisteredPlugin:
    """Register *plugin* in this process, as if an entry point had named it.

    *plugin* is any object with functions marked with :data:`~leiden_twinning.hookimpl` (a
    module, a class, an instance). Its exporters then appear in :func:`formats` and work with
    :func:`export` exactly like those of an installed plugin: the same option defaults and
    checks, and the same isolation (a plugin whose hook raises loses its formats, reported with
    its name, and every other format keeps working).

    :param name: the plugin's name; by default the ``__name__`` of *plugin* (a module's or a
        class's), else the name of its class.
    :raises PluginError: when an in-process plugin of that name is already registered.
    :returns: a handle whose :meth:`~RegisteredPlugin.unregister` (or ``with`` block) takes the
        plugin out again.

    .. versionadded:: 1.0
    """
    if name is None:
        name = str(getattr(plugin, "__name__", None) or type(plugin).__name__)
    if name in _IN_PROCESS:
        msg = f"a plugin named {name!r} is already registered in this process"
        raise PluginError(msg)
    handle = RegisteredPlugin(plugin, name)
    _IN_PROCESS[name] = handle
    clear_cache()
    return handle


def unregister_plugin(plugin: object) -> None:
    """Take out a plugin :func:`register_plugin` registered: by its handle, name or object.

    :raises PluginError: when no such plugin is registered in this process.

    .. versionadded:: 1.0
    """
    for handle in list(_IN_PROCESS.values()):
        if plugin is handle or plugin is handle.plugin or plugin == handle.name:
            handle.unregister()
            return
    msg = f"no plugin {plugin!r} is registered in this process"
    raise PluginError(msg)


@functools.cache
def registry() -> Registry:
    """The registry of this process, built on first use."""
    return build_registry(make_plugin_manager())


def clear_cache() -> None:
    """Forget the registry, so that the next use loads the plugins again (for tests)."""
    registry.cache_clear()


def describe(exporter: Exporter, i18n: I18n) -> str:
    """The exporter's one-line description in the language of *i18n*.

    Through the exporter's ``translate`` function where it has one (the built-in exporters
    translate through the package catalog), else from its ``descriptions`` mapping, falling back
    to its English ``description``.
    """
    if exporter.translate is not None:
        return exporter.translate(exporter.description, i18n)
    return exporter.descriptions.get(i18n.language, exporter.description)


def option_help(exporter: Exporter, option: Option, i18n: I18n) -> str:
    """The help of *option* in the language of *i18n* (through ``translate``, else English)."""
    if exporter.translate is not None:
        return exporter.translate(option.help, i18n)
    return option.help


def formats() -> tuple[Exporter, ...]:
    """Every available export format, sorted by name, each with its plugin and distribution.

    A format whose plugin failed to load, or that two plugins claim, is not listed.

    >>> import leiden_twinning as lt
    >>> "json" in [f.name for f in lt.formats()]
    True
    """
    return tuple(sorted(registry().exporters.values(), key=lambda e: e.name))


def export(dataset: Dataset, fmt: str, /, *, locale: str = "nl", **options: Any) -> bytes:
    """Export *dataset* in format *fmt* and return the bytes.

    :param fmt: a format name from :func:`formats` (``"json"``, ``"ical"``, ``"vcard"``, ...).
    :param locale: ``"nl"``, ``"en"`` or any locale Babel knows (labels fall back to English).
    :param options: the exporter's options, e.g. ``from_year=2026`` for ``ical``.
    :raises UnknownFormatError: for a format no plugin registered.
    :raises PluginError: for a format that two plugins registered.
    :raises UnknownLocaleError: for a locale Babel does not know.
    :raises ExportError: for an unknown option, or when the exporter fails.

    >>> import leiden_twinning as lt
    >>> lt.export(lt.load(), "json")[:1]
    b'{'
    """
    buffer = io.BytesIO()
    write(dataset, fmt, buffer, locale=locale, options=options)
    return buffer.getvalue()


def _prepare(
    fmt: str, locale: str, options: Mapping[str, Any]
) -> tuple[Exporter, str, dict[str, Any]]:
    from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415 - Babel loads on use

    exporter = registry().get(fmt)
    return exporter, str(resolve_locale(locale)), resolve_options(exporter, options)


def _failed(exporter: Exporter, exc: Exception) -> ExportError:
    origin = _origin(exporter.plugin, exporter.distribution)
    return ExportError(f"the {exporter.name} exporter of {origin} failed: {_reason(exc)}")


def write(
    dataset: Dataset, fmt: str, stream: Any, *, locale: str, options: Mapping[str, Any]
) -> None:
    """Export *dataset* in format *fmt* to the binary *stream*.

    The exporter runs with the cyclic garbage collector paused (as :func:`parts` does): an export
    makes objects by the thousand and keeps few, and without the pause a full collection would
    walk every object of the dataset, and of the program holding it, once more in the middle of
    a large export. Reference counting frees an export's objects as usual; the few cycles an
    exporter may leave wait for the next collection.

    :raises ExportError: naming the plugin and its distribution when the exporter fails.
    """
    exporter, tag, resolved = _prepare(fmt, locale, options)
    try:
        with paused():
            exporter.write(dataset, stream, locale=tag, options=resolved)
    except LeidenTwinningError:
        raise
    except Exception as exc:
        raise _failed(exporter, exc) from exc


def parts(
    dataset: Dataset, fmt: str, *, locale: str, options: Mapping[str, Any]
) -> list[tuple[str, bytes]]:
    """Export *dataset* in format *fmt* as one file per item: ``(file name, bytes)`` pairs.

    Every part is built before this returns, so a failure leaves nothing half-written.

    :raises ExportError: when the format cannot be split, when the exporter fails, or when it
        yields an unsafe or duplicate file name.
    """
    exporter, tag, resolved = _prepare(fmt, locale, options)
    if exporter.parts is None:
        # Translators: an error of `export --split`; {format} is a format name.
        message_id = N_("the {format} format cannot be split into files")
        raise ExportError(
            message_id.format(format=exporter.name),
            message_id=message_id,
            params={"format": exporter.name},
        )
    try:
        # A plugin's annotations are only a promise: check what it yields.
        with paused():
            items: list[Any] = list(exporter.parts(dataset, locale=tag, options=resolved))
        for name, data in items:
            if not isinstance(name, str) or not isinstance(data, bytes):
                msg = (
                    f"parts() must yield (str, bytes) pairs, got ({name!r}, {type(data).__name__})"
                )
                raise TypeError(msg)
    except LeidenTwinningError:
        raise
    except Exception as exc:
        raise _failed(exporter, exc) from exc
    seen: set[str] = set()
    for name, _data in items:
        if not name or name in {".", ".."} or name.startswith(".") or "/" in name or "\\" in name:
            msg = f"{exporter.name}: refusing unsafe file name {name!r}"
            raise ExportError(msg)
        if name in seen:
            msg = f"{exporter.name}: the file name {name!r} occurs twice"
            raise ExportError(msg)
        seen.add(name)
    return items
