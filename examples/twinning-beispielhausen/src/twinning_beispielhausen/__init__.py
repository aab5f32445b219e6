"""The ties of Beispielhausen, a fictional German town, as a leiden-twinning dataset plugin."""

from __future__ import annotations

import functools
from importlib import resources
from typing import TYPE_CHECKING

import leiden_twinning as lt

if TYPE_CHECKING:
    from collections.abc import Callable


@functools.cache
def load() -> lt.Dataset:
    """Read the dataset shipped in this package (once; it is immutable)."""
    data = resources.files(__name__).joinpath("beispielhausen.json").read_bytes()
    return lt.loads(data)


@lt.hookimpl
def register_datasets(register: Callable[[lt.DatasetEntry], None]) -> None:
    """Register the dataset as ``beispielhausen``."""
    register(lt.DatasetEntry(name="beispielhausen", load=load))
