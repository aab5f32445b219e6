"""The exporter protocol: what a plugin registers, and the options it accepts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from leiden_twinning._dataset import Dataset

__all__ = ["Exporter", "Option", "WriteFunction"]

#: ``write(dataset, stream, *, locale, options)``: write the export to a binary stream.
WriteFunction = Callable[..., None]
#: ``parts(dataset, *, locale, options)``: yield ``(file name, bytes)`` pairs, one file each.
PartsFunction = Callable[..., Iterable[tuple[str, bytes]]]


def _name(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.isidentifier() or value != value.lower():
        msg = f"{attribute.name}: {value!r} must be a lower-case identifier"
        raise ValueError(msg)


@attrs.frozen
class Option:
    """An option an exporter accepts: ``--from-year 2026`` on the CLI, ``from_year=2026`` in Python.

    .. versionadded:: 1.0
    """

    #: The Python name; the CLI spells it with dashes.
    name: str = attrs.field(validator=_name)
    #: One line of English help (built-in exporters translate it through the package catalog).
    help: str
    #: Converts the text given on the command line into the value (``int``, ``str``, ...).
    convert: Callable[[str], Any] = str
    default: Any = None
    #: The option may be given several times and collects a tuple.
    multiple: bool = False
    #: A yes/no switch (``--name`` / ``--no-name`` on the CLI).
    flag: bool = False
    metavar: str | None = None
    choices: tuple[str, ...] | None = None


@attrs.frozen
class Exporter:
    """An output format, as a plugin registers it.

    ``write(dataset, stream, *, locale, options)`` writes the whole export to a binary stream;
    *locale* is a resolved locale tag (``"nl"``, ``"en_GB"``), *options* maps every declared
    :class:`Option` name to its value. An exporter that can also write one file per item sets
    ``parts(dataset, *, locale, options)`` to yield ``(file name, bytes)`` pairs (used by the CLI's
    ``--split DIR``).

    .. versionadded:: 1.0
    """

    #: What a user types: ``leiden-twinning export NAME``.
    name: str = attrs.field(validator=_name)
    #: The file extension, without the dot.
    extension: str
    media_type: str
    #: One line, in English.
    description: str
    write: WriteFunction = attrs.field(repr=False)
    options: tuple[Option, ...] = ()
    parts: PartsFunction | None = attrs.field(default=None, repr=False)
    #: The description in other languages, keyed by language code (``{"nl": "..."}``).
    descriptions: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    #: Filled in by the plugin manager: the name of the plugin that registered the exporter.
    plugin: str | None = None
    #: Filled in by the plugin manager: the distribution (package) that provides the plugin.
    distribution: str | None = None

    def option(self, name: str) -> Option:
        """The option called *name*; :exc:`KeyError` when the exporter has none."""
        for option in self.options:
            if option.name == name:
                return option
        raise KeyError(name)


def resolve_options(exporter: Exporter, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check *given* against the exporter's options and fill in the defaults."""
    from leiden_twinning.exceptions import ExportError  # noqa: PLC0415

    unknown = sorted(set(given) - {o.name for o in exporter.options})
    if unknown:
        known = ", ".join(o.name for o in exporter.options) or "none"
        msg = f"{exporter.name}: unknown option(s) {', '.join(unknown)} (it accepts: {known})"
        raise ExportError(msg)
    resolved = {o.name: o.default for o in exporter.options}
    resolved.update(given)
    return resolved


def run(
    exporter: Exporter, dataset: Dataset, stream: IO[bytes], locale: str, options: Mapping[str, Any]
) -> None:
    """Call the exporter's ``write``."""
    exporter.write(dataset, stream, locale=locale, options=resolve_options(exporter, options))
