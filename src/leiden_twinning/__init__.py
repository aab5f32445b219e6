"""Leiden's twinning and friendship ties as a typed dataset, with exporters as plugins.

>>> import leiden_twinning as lt
>>> dataset = lt.load()
>>> dataset.partnership("torun").start.date
PartialDate(year=1988, month=11, day=None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    from leiden_twinning._calendar import (
        CalendarEvent,
        CalendarEventKind,
        CalendarSpan,
        calendar_events,
    )
    from leiden_twinning._dataset import Anniversary, Dataset
    from leiden_twinning._exporter import Exporter, Option, PartsFunction, WriteFunction
    from leiden_twinning._i18n import I18n, Localized, i18n
    from leiden_twinning._io import dumps, load, load_file, loads
    from leiden_twinning._languages import Language, languages
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

#: Where each public name lives. They load on first use (PEP 562), so that ``import
#: leiden_twinning`` builds no model class and imports neither attrs nor cattrs: a program pays
#: for the parts it touches.
_LAZY = {
    "CalendarEvent": "leiden_twinning._calendar",
    "CalendarEventKind": "leiden_twinning._calendar",
    "CalendarSpan": "leiden_twinning._calendar",
    "calendar_events": "leiden_twinning._calendar",
    "Anniversary": "leiden_twinning._dataset",
    "Dataset": "leiden_twinning._dataset",
    "Exporter": "leiden_twinning._exporter",
    "Option": "leiden_twinning._exporter",
    "PartsFunction": "leiden_twinning._exporter",
    "WriteFunction": "leiden_twinning._exporter",
    "I18n": "leiden_twinning._i18n",
    "Localized": "leiden_twinning._i18n",
    "i18n": "leiden_twinning._i18n",
    "dumps": "leiden_twinning._io",
    "load": "leiden_twinning._io",
    "load_file": "leiden_twinning._io",
    "loads": "leiden_twinning._io",
    "Language": "leiden_twinning._languages",
    "languages": "leiden_twinning._languages",
    "Activity": "leiden_twinning._model",
    "ActivityKind": "leiden_twinning._model",
    "City": "leiden_twinning._model",
    "Contact": "leiden_twinning._model",
    "Coordinates": "leiden_twinning._model",
    "Discrepancy": "leiden_twinning._model",
    "Distance": "leiden_twinning._model",
    "Figure": "leiden_twinning._model",
    "Foundation": "leiden_twinning._model",
    "Frequency": "leiden_twinning._model",
    "Institution": "leiden_twinning._model",
    "InstitutionKind": "leiden_twinning._model",
    "LocalizedText": "leiden_twinning._model",
    "Milestone": "leiden_twinning._model",
    "MilestoneKind": "leiden_twinning._model",
    "PartialDate": "leiden_twinning._model",
    "Partnership": "leiden_twinning._model",
    "PartnershipKind": "leiden_twinning._model",
    "PersonName": "leiden_twinning._model",
    "PostalAddress": "leiden_twinning._model",
    "Precision": "leiden_twinning._model",
    "Quantity": "leiden_twinning._model",
    "Recurrence": "leiden_twinning._model",
    "Signatory": "leiden_twinning._model",
    "Source": "leiden_twinning._model",
    "Theme": "leiden_twinning._model",
    "DatasetEntry": "leiden_twinning._plugins",
    "RegisteredPlugin": "leiden_twinning._plugins",
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

        # Kept once read: the search of sys.path it costs is a noticeable part of a short run.
        found = globals()["__version__"] = version("leiden-twinning")
        return found
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    """The public names: exactly :data:`__all__` (the lazy ones included)."""
    return list(__all__)
