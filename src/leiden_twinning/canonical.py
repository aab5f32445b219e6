"""The built-in dataset plugin: the canonical Leiden dataset, registered as ``leiden``.

It travels the same road as a third-party dataset plugin: the public
:func:`~leiden_twinning.hookspecs.register_datasets` hook and
:class:`~leiden_twinning.DatasetEntry`.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

from leiden_twinning import DatasetEntry, loads
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable

    from leiden_twinning import Dataset


@functools.cache
def load_leiden() -> Dataset:
    """The canonical dataset, read once per process (it is immutable)."""
    return loads(resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes())


@hookimpl
def register_datasets(register: Callable[[DatasetEntry], None]) -> None:
    """Register the canonical Leiden dataset as ``leiden``."""
    register(DatasetEntry(name="leiden", load=load_leiden))
