"""``versionadded`` and ``versionchanged`` notes for what changed since the first release.

The notes of classes and functions live in their docstrings. Attributes documented by a ``#:``
comment, and methods of modules other engineers were changing while these notes were written,
get theirs from :data:`NOTES` below, appended to the docstring autodoc renders. A name in
:data:`NOTES` that names no object of the package fails the build, so a rename cannot leave a
note behind.
"""

from __future__ import annotations

import functools
import importlib
from typing import TYPE_CHECKING, Any

from sphinx.errors import ExtensionError

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: The version in which these changes appear (the first release was before it).
VERSION = "1.0"

#: Full name of the documented object -> (directive, explanation or "").
NOTES: dict[str, tuple[str, str]] = {
    "leiden_twinning.Dataset": (
        "versionchanged",
        "Every look-up by id raises :exc:`UnknownEntityError`, a :exc:`KeyError` too.",
    ),
    "leiden_twinning.Dataset.jubilees": (
        "versionchanged",
        (
            "The years are *from_year* and *to_year*, and *to_year* is optional; *first_year* "
            "and *last_year* still work with a :exc:`DeprecationWarning`. Ties are picked with "
            "*partnerships*."
        ),
    ),
    "leiden_twinning.Dataset.anniversaries": (
        "versionchanged",
        "Ties are picked with *partnerships*.",
    ),
    "leiden_twinning.Dataset.discrepancies_of": ("versionadded", ""),
    "leiden_twinning.Dataset.stale_contacts": ("versionadded", ""),
    "leiden_twinning.Recurrence.approximate": ("versionadded", ""),
    "leiden_twinning.Figure.as_of": ("versionadded", ""),
    "leiden_twinning.City.population_as_of": ("versionadded", ""),
    "leiden_twinning.Contact.as_of": ("versionadded", ""),
    "leiden_twinning.Exporter.translate": ("versionadded", ""),
    "leiden_twinning.Option.cli_name": ("versionadded", ""),
}


def _add_note(  # noqa: PLR0917 - the signature of the Sphinx event
    app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: list[str]
) -> None:
    """Append the note of *name*, if it has one, to its docstring."""
    note = NOTES.get(name)
    if note is None:
        return
    directive, explanation = note
    lines += ["", f".. {directive}:: {VERSION}"]
    if explanation:
        lines += ["", f"   {explanation}"]


def _check_names(app: Sphinx) -> None:
    """Fail the build when a note names no object (it was renamed or removed)."""
    missing = []
    for name in NOTES:
        module, _, path = name.partition(".")
        try:
            functools.reduce(getattr, path.split("."), importlib.import_module(module))
        except AttributeError:
            missing.append(name)
    if missing:
        msg = f"version notes for names that do not exist: {', '.join(missing)}"
        raise ExtensionError(msg)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the check of the names and the notes."""
    app.connect("builder-inited", _check_names)
    app.connect("autodoc-process-docstring", _add_note)
    return {"parallel_read_safe": False, "parallel_write_safe": True}
