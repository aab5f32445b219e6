"""The exporter protocol: what a plugin registers, and the options it accepts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any, Protocol

import attrs

from leiden_twinning._deprecation import renamed
from leiden_twinning._i18n import N_, I18n
from leiden_twinning._validators import line, pattern
from leiden_twinning.exceptions import ExportError

if TYPE_CHECKING:
    from leiden_twinning._dataset import Dataset

__all__ = ["RESERVED_OPTION_NAMES", "Exporter", "Option", "PartsFunction", "WriteFunction"]


class WriteFunction(Protocol):
    """The type of :attr:`Exporter.write`: a function that writes a whole export.

    Any function with this signature will do; the parameter names of the first two are free.

    .. versionadded:: 1.0
    """

    def __call__(
        self, dataset: Dataset, stream: IO[bytes], /, *, locale: str, options: Mapping[str, Any]
    ) -> None:
        """Write the export of *dataset* as bytes to the binary *stream*, and leave it open.

        :param dataset: the dataset to export.
        :param stream: where the bytes go; it belongs to the caller.
        :param locale: a locale tag the library has already checked (``"nl"``, ``"en_GB"``).
        :param options: every option the exporter declares, by name, defaults filled in.
        """


class PartsFunction(Protocol):
    """The type of :attr:`Exporter.parts`: a function that gives an export as separate files.

    .. versionadded:: 1.0
    """

    def __call__(
        self, dataset: Dataset, /, *, locale: str, options: Mapping[str, Any]
    ) -> Iterable[tuple[str, bytes]]:
        """Yield ``(file name, bytes)`` pairs, one file each, for ``--split DIR``.

        File names are plain (no folder, no leading dot) and unique. The parameters are those
        of :class:`WriteFunction`.
        """


#: Names an option cannot take: the command line's own ``export`` options use them.
RESERVED_OPTION_NAMES = frozenset({"dataset", "format", "help", "locale", "output", "split"})

_FORMAT_NAME = re.compile(r"[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*")
_OPTION_NAME = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_EXTENSION = re.compile(r"[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*(?:;.*)?")


def _one_line(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        msg = f"{attribute.name}: must be one non-empty line of text"
        raise ValueError(msg)
    try:
        line(inst, attribute, value)
    except ValueError:
        msg = f"{attribute.name}: must be one non-empty line of text"
        raise ValueError(msg) from None


def _callable(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not callable(value):
        msg = f"{attribute.name}: {value!r} is not callable"
        raise TypeError(msg)


def _option_names(_inst: object, _attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    seen: set[str] = set()
    for option in value:
        if not isinstance(option, Option):
            msg = f"options: expected Option objects, got {type(option).__name__}"
            raise TypeError(msg)
        if option.name in seen:
            msg = f"options: {option.name!r} is declared twice"
            raise ValueError(msg)
        seen.add(option.name)


def _options(value: Iterable[Option]) -> tuple[Option, ...]:
    """Accept any iterable of options (a list, a generator) and keep a tuple."""
    return tuple(value)


@attrs.frozen
class Option:
    """An option an exporter accepts: ``--from-year 2026`` on the CLI, ``from_year=2026`` in Python.

    .. versionadded:: 1.0
    """

    #: The Python name, a lower-case identifier; the CLI spells it with dashes.
    name: str = attrs.field(validator=pattern(_OPTION_NAME, "a lower-case identifier"))
    #: One line of English help (built-in exporters translate it through the package catalog).
    help: str = attrs.field(validator=_one_line)
    #: Converts the text given on the command line into the value (``int``, ``str``, ...).
    convert: Callable[[str], Any] = attrs.field(default=str, validator=_callable)
    #: The value when the option is not given.
    default: Any = None
    #: The option may be given several times and collects a tuple.
    multiple: bool = False
    #: A yes/no switch (``--name`` / ``--no-name`` on the CLI).
    flag: bool = False
    #: The placeholder for the value in the CLI's help (``YEAR``).
    metavar: str | None = None
    #: The values allowed, where the option takes one of a fixed set.
    choices: tuple[str, ...] | None = None
    #: The CLI's spelling where it differs from :attr:`name`: a repeatable ``partnerships``
    #: option is given once per value as ``--partnership``.
    cli_name: str | None = attrs.field(
        default=None,
        validator=pattern(_OPTION_NAME, "a lower-case identifier", optional=True),
    )

    def __attrs_post_init__(self) -> None:
        if self.cli_name in RESERVED_OPTION_NAMES:
            reserved = ", ".join(sorted(RESERVED_OPTION_NAMES))
            msg = f"cli_name: {self.cli_name!r} is reserved for the command line ({reserved})"
            raise ValueError(msg)
        if self.name in RESERVED_OPTION_NAMES:
            reserved = ", ".join(sorted(RESERVED_OPTION_NAMES))
            msg = f"name: {self.name!r} is reserved for the command line ({reserved})"
            raise ValueError(msg)
        if self.flag and (self.multiple or self.choices is not None):
            msg = f"{self.name}: a flag takes no value, so neither multiple nor choices"
            raise ValueError(msg)


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

    #: What a user types: ``leiden-twinning export NAME`` (lower case, digits, ``-`` and ``_``).
    name: str = attrs.field(validator=pattern(_FORMAT_NAME, "a lower-case format name"))
    #: The file extension, without the dot.
    extension: str = attrs.field(validator=pattern(_EXTENSION, "a file extension without a dot"))
    #: The media (MIME) type of the output, such as ``text/calendar``.
    media_type: str = attrs.field(validator=pattern(_MEDIA_TYPE, "a media type"))
    #: One line, in English.
    description: str = attrs.field(validator=_one_line)
    #: The function that writes the export (see above).
    write: WriteFunction = attrs.field(repr=False, validator=_callable)
    #: The options the exporter accepts, in the order the CLI's help lists them.
    options: tuple[Option, ...] = attrs.field(
        default=(), converter=_options, validator=_option_names
    )
    #: The function that yields one file per item, or ``None`` (see above).
    parts: PartsFunction | None = attrs.field(default=None, repr=False, validator=_callable)
    #: The description in other languages, keyed by language code (``{"nl": "..."}``).
    descriptions: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    #: ``translate(message, i18n)``: translates the description and each option's help for the
    #: user's locale (an :class:`~leiden_twinning.I18n`), e.g. through the plugin's own gettext
    #: catalog. Without it the description comes from :attr:`descriptions` and help stays English.
    translate: Callable[[str, I18n], str] | None = attrs.field(
        default=None, repr=False, validator=_callable
    )
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


def _normalise(exporter: Exporter, option: Option, value: Any) -> Any:
    if option.multiple:
        if isinstance(value, Mapping):  # a mapping gives its (key, value) pairs
            value = tuple(value.items())
        elif isinstance(value, str | bytes) or not isinstance(value, Iterable):
            value = (value,)
        value = tuple(value)
    if option.choices is not None:
        for item in value if option.multiple else (value,):
            if item not in option.choices:
                params = {
                    "format": exporter.name,
                    "option": option.name,
                    "value": item,
                    "choices": ", ".join(option.choices),
                }
                # Translators: an error about an export option; {value!r} is the value given,
                # {choices} lists the allowed ones.
                message_id = N_("{format}: option {option}: {value!r} is not one of {choices}")
                raise ExportError(message_id.format(**params), message_id=message_id, params=params)
    return value


#: Option names of the built-in exporters before 1.0, and their names now.
_RENAMED_OPTIONS = {"partnership": "partnerships"}


def resolve_options(exporter: Exporter, given: Mapping[str, Any]) -> dict[str, Any]:
    """Check *given* against the exporter's options and fill in the defaults.

    An option given several times (``multiple``) becomes a tuple; a single value becomes a
    one-item tuple, a mapping the tuple of its ``(key, value)`` pairs. A value outside an
    option's ``choices`` is an error.

    :raises ExportError: for an unknown option or a value outside the choices.
    """
    declared = {o.name for o in exporter.options}
    given = dict(given)
    for old, new in _RENAMED_OPTIONS.items():
        if old in given and old not in declared and new in declared:
            # The caller of export() (six frames up) sees the warning.
            value = renamed(
                exporter.name, old, new, given.pop(old), given.pop(new, None), stacklevel=6
            )
            given[new] = value
    unknown = sorted(set(given) - declared)
    if unknown:
        known = ", ".join(o.name for o in exporter.options) or "none"
        params = {"format": exporter.name, "unknown": ", ".join(unknown), "known": known}
        # Translators: an error; {unknown} lists option names, {known} the format's options.
        message_id = N_("{format}: unknown option(s) {unknown} (it accepts: {known})")
        raise ExportError(message_id.format(**params), message_id=message_id, params=params)
    resolved = {o.name: o.default for o in exporter.options}
    for name, value in given.items():
        resolved[name] = _normalise(exporter, exporter.option(name), value)
    return resolved
