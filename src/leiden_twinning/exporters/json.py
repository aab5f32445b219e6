"""The ``json`` exporter: the dataset in the format :func:`~leiden_twinning.load_file` reads."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

from leiden_twinning import Exporter
from leiden_twinning.exporting import N_, encode, translate, write_blocks
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from leiden_twinning import Dataset


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write *dataset* as indented, deterministic UTF-8 JSON (the locale does not apply).

    The text is written block by block as it is encoded, never held whole: the peak memory of a
    large export stays near that of the dataset's plain data.
    """
    write_blocks(stream, encode(dataset))


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``json`` format."""
    register(
        Exporter(
            name="json",
            extension="json",
            media_type="application/json",
            # Translators: the description of the JSON export format.
            description=N_("The dataset in its own JSON file format, to edit or to load again"),
            write=write,
            translate=translate,
        )
    )
