"""Leiden's twinning and friendship ties as a typed dataset, with exporters as plugins.

>>> import leiden_twinning as lt
>>> dataset = lt.load()
>>> dataset.partnership("torun").start.date
PartialDate(year=1988, month=11, day=None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from leiden_twinning._calendar import (
    CalendarEvent,
    CalendarEventKind,
    CalendarSpan,
    calendar_events,
)
from leiden_twinning._dataset import Anniversary, Dataset
from leiden_twinning._exporter import Exporter, Option, PartsFunction, WriteFunction
from leiden_twinning._io import dumps, load, load_file, loads
from leiden_twinning._model import (
    Activity,
    ActivityKind,
    City,
    Contact,
    Coordinates,
    Discrepancy,
    Distance,
    Figure,
    Foundation,
    Frequency,
    Institution,
    InstitutionKind,
    LocalizedText,
    Milestone,
    MilestoneKind,
    PartialDate,
    Partnership,
    PartnershipKind,
    PersonName,
    PostalAddress,
    Precision,
    Quantity,
    Recurrence,
    Signatory,
    Source,
    Theme,
)
from leiden_twinning.exceptions import (
    DatasetError,
    ExportError,
    LeidenTwinningError,
    PluginError,
    UnknownDatasetError,
    UnknownEntityError,
    UnknownFormatError,
    UnknownLocaleError,
)

if TYPE_CHECKING:
    from leiden_twinning._i18n import I18n, Localized, i18n
    from leiden_twinning._languages import Language, languages
    from leiden_twinning._plugins import (
        DatasetEntry,
        RegisteredPlugin,
        datasets,
        export,
        formats,
        register_plugin,
        unregister_plugin,
    )
    from leiden_twinning.hookspecs import hookimpl

#: Names that load on first use, so that ``import leiden_twinning`` does not import pluggy and
#: importlib.metadata for a program that only reads the data.
_LAZY = {
    "I18n": "leiden_twinning._i18n",
    "Localized": "leiden_twinning._i18n",
    "i18n": "leiden_twinning._i18n",
    "Language": "leiden_twinning._languages",
    "languages": "leiden_twinning._languages",
    "RegisteredPlugin": "leiden_twinning._plugins",
    "DatasetEntry": "leiden_twinning._plugins",
    "datasets": "leiden_twinning._plugins",
    "export": "leiden_twinning._plugins",
    "formats": "leiden_twinning._plugins",
    "register_plugin": "leiden_twinning._plugins",
    "unregister_plugin": "leiden_twinning._plugins",
    "hookimpl": "leiden_twinning.hookspecs",
}

__all__ = [
    "Activity",
    "ActivityKind",
    "Anniversary",
    "CalendarEvent",
    "CalendarEventKind",
    "CalendarSpan",
    "City",
    "Contact",
    "Coordinates",
    "Dataset",
    "DatasetEntry",
    "DatasetError",
    "Discrepancy",
    "Distance",
    "ExportError",
    "Exporter",
    "Figure",
    "Foundation",
    "Frequency",
    "I18n",
    "Institution",
    "InstitutionKind",
    "Language",
    "LeidenTwinningError",
    "Localized",
    "LocalizedText",
    "Milestone",
    "MilestoneKind",
    "Option",
    "PartialDate",
    "Partnership",
    "PartnershipKind",
    "PartsFunction",
    "PersonName",
    "PluginError",
    "PostalAddress",
    "Precision",
    "Quantity",
    "Recurrence",
    "RegisteredPlugin",
    "Signatory",
    "Source",
    "Theme",
    "UnknownDatasetError",
    "UnknownEntityError",
    "UnknownFormatError",
    "UnknownLocaleError",
    "WriteFunction",
    "calendar_events",
    "datasets",
    "dumps",
    "export",
    "formats",
    "hookimpl",
    "i18n",
    "languages",
    "load",
    "load_file",
    "loads",
    "register_plugin",
    "unregister_plugin",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked for

        return version("leiden-twinning")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    """The public names: exactly :data:`__all__` (the lazy ones included)."""
    return list(__all__)
