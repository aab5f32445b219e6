"""The plugin manager: built-in and entry-point plugins, each failure isolated and named."""

from __future__ import annotations

import functools
import importlib
import io
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Any

import attrs
import pluggy

from leiden_twinning import hookspecs
from leiden_twinning._exporter import Exporter, resolve_options
from leiden_twinning.exceptions import (
    ExportError,
    LeidenTwinningError,
    PluginError,
    UnknownFormatError,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

    from leiden_twinning._dataset import Dataset
    from leiden_twinning._i18n import I18n

__all__ = [
    "BUILTIN_PLUGINS",
    "Registry",
    "describe",
    "export",
    "formats",
    "make_plugin_manager",
    "registry",
]

#: The built-in plugin modules, registered through the same hook as third-party plugins.
BUILTIN_PLUGINS = ("leiden_twinning.exporters.json",)
_BUILTIN_DISTRIBUTION = "leiden-twinning"


@attrs.frozen
class PluginFailure:
    """A plugin that could not load or register, and why."""

    plugin: str
    distribution: str | None
    error: str

    def __str__(self) -> str:
        dist = f" (from {self.distribution})" if self.distribution else ""
        return f"plugin {self.plugin!r}{dist}: {self.error}"


def make_plugin_manager(
    *, load_entry_points: bool = True
) -> tuple[pluggy.PluginManager, list[PluginFailure]]:
    """Build the plugin manager: hook specs, the built-in plugins, then entry-point plugins.

    A plugin that fails to import is left out and reported in the returned failures.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT_NAME)
    pm.add_hookspecs(hookspecs)
    failures: list[PluginFailure] = []
    for module_name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(module_name), name=module_name)
    if load_entry_points:
        for ep in entry_points(group=hookspecs.PROJECT_NAME):
            dist = ep.dist.name if ep.dist is not None else None
            if pm.has_plugin(ep.name) or pm.is_blocked(ep.name):
                continue
            try:
                plugin = ep.load()
                pm.register(plugin, name=ep.name)
            except Exception as exc:
                failures.append(
                    PluginFailure(ep.name, dist, f"failed to load: {type(exc).__name__}: {exc}")
                )
            else:
                _DISTRIBUTIONS[ep.name] = dist
    return pm, failures


_DISTRIBUTIONS: dict[str, str | None] = {}


@attrs.define
class Registry:
    """The exporters the plugins registered, and the plugins that failed."""

    exporters: dict[str, Exporter] = attrs.field(factory=dict)
    failures: list[PluginFailure] = attrs.field(factory=list)
    #: Format names that two plugins claimed, with the message naming both.
    clashes: dict[str, str] = attrs.field(factory=dict)

    def get(self, name: str) -> Exporter:
        """The exporter for format *name*."""
        if name in self.clashes:
            raise PluginError(self.clashes[name])
        try:
            return self.exporters[name]
        except KeyError:
            available = ", ".join(sorted(self.exporters)) or "none"
            msg = f"unknown format {name!r}; available formats: {available}"
            raise UnknownFormatError(msg) from None


def build_registry(pm: pluggy.PluginManager, failures: list[PluginFailure]) -> Registry:
    """Call every plugin's ``register_exporters`` hook, one plugin at a time."""
    registry = Registry(failures=list(failures))
    for impl in pm.hook.register_exporters.get_hookimpls():  # in registration order
        plugin = impl.plugin_name
        dist = _BUILTIN_DISTRIBUTION if plugin in BUILTIN_PLUGINS else _DISTRIBUTIONS.get(plugin)
        found: list[Exporter] = []

        def register(exporter: Exporter, found: list[Exporter] = found) -> None:
            if not isinstance(exporter, Exporter):
                msg = f"register() expects an Exporter, got {type(exporter).__name__}"
                raise TypeError(msg)
            found.append(exporter)

        try:
            impl.function(register=register)
        except Exception as exc:
            registry.failures.append(PluginFailure(plugin, dist, f"{type(exc).__name__}: {exc}"))
            continue
        for exporter in found:
            owned = attrs.evolve(exporter, plugin=plugin, distribution=dist)
            other = registry.exporters.get(exporter.name)
            if other is not None or exporter.name in registry.clashes:
                first = other.plugin if other else registry.clashes[exporter.name]
                msg = f"format {exporter.name!r} is registered by two plugins: {first!r} and {plugin!r}"
                registry.clashes[exporter.name] = msg
                registry.exporters.pop(exporter.name, None)
                registry.failures.append(PluginFailure(plugin, dist, msg))
                continue
            registry.exporters[exporter.name] = owned
    return registry


@functools.cache
def registry() -> Registry:
    """The registry of this process, built on first use."""
    pm, failures = make_plugin_manager()
    return build_registry(pm, failures)


def describe(exporter: Exporter, i18n: I18n) -> str:
    """The exporter's one-line description in the language of *i18n*.

    Built-in descriptions are messages of the package catalog; a plugin's come from its
    ``descriptions`` mapping, falling back to its English ``description``.
    """
    if exporter.distribution == _BUILTIN_DISTRIBUTION:
        return i18n.gettext(exporter.description)
    return exporter.descriptions.get(i18n.language, exporter.description)


def formats() -> tuple[Exporter, ...]:
    """Every available export format, sorted by name, each with its plugin and distribution.

    >>> import leiden_twinning as lt
    >>> "json" in [f.name for f in lt.formats()]
    True
    """
    return tuple(sorted(registry().exporters.values(), key=lambda e: e.name))


def export(dataset: Dataset, format: str, *, locale: str = "nl", **options: Any) -> bytes:  # noqa: A002
    """Export *dataset* in *format* and return the bytes.

    :param format: a format name from :func:`formats` (``"json"``, ``"ical"``, ``"vcard"``, ``"html"``).
    :param locale: ``"nl"``, ``"en"`` or any locale Babel knows (labels fall back to English).
    :param options: the exporter's options, e.g. ``from_year=2026`` for ``ical``.
    :raises UnknownFormatError: for a format no plugin registered.
    :raises UnknownLocaleError: for a locale Babel does not know.
    :raises ExportError: for an unknown option, or when the exporter fails.

    >>> import leiden_twinning as lt
    >>> lt.export(lt.load(), "json")[:1]
    b'{'
    """
    buffer = io.BytesIO()
    write(dataset, format, buffer, locale=locale, options=options)
    return buffer.getvalue()


def write(
    dataset: Dataset,
    format: str,
    stream: io.BufferedIOBase | Any,
    *,
    locale: str,
    options: Mapping[str, Any],
) -> None:
    """Export *dataset* in *format* to a binary *stream*."""
    from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415 - Babel loads on use

    exporter = registry().get(format)
    tag = str(resolve_locale(locale))
    resolved = resolve_options(exporter, options)
    try:
        exporter.write(dataset, stream, locale=tag, options=resolved)
    except LeidenTwinningError:
        raise
    except Exception as exc:
        origin = f"plugin {exporter.plugin!r}" + (
            f" from {exporter.distribution}" if exporter.distribution else ""
        )
        msg = f"the {format} exporter ({origin}) failed: {type(exc).__name__}: {exc}"
        raise ExportError(msg) from exc
