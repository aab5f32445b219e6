"""The built-in dataset plugin: the canonical Leiden dataset, registered as ``leiden``.

It travels the same road as a third-party dataset plugin: the public
:func:`~leiden_twinning.hookspecs.register_datasets` hook and
:class:`~leiden_twinning.DatasetEntry`.

Reading the shipped file (JSON, then converting and checking every field and reference) is most
of what a short command such as ``leiden-twinning export ical`` spends on the data, so the checked
dataset is kept in the user's cache folder (``$XDG_CACHE_HOME/leiden-twinning``, by default
``~/.cache/leiden-twinning``) for the next process. The cache is keyed by the bytes of the
shipped file and by the code that reads it (this package's loader and model, attrs and cattrs,
the Python version): when any of them changes, the file is read again. Each installation of the
package (each virtual environment) keeps a file of its own, so that two of them do not replace
each other's at every run; the few most recently written are kept. A cache that cannot be
written, or does not read back, is passed over; it never makes loading fail.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import sys
from importlib import resources
from typing import TYPE_CHECKING, Any

from leiden_twinning import DatasetEntry, _cache, loads
from leiden_twinning._cache import cache_dir
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from leiden_twinning import Dataset

__all__ = ["CACHE_FILE", "KEEP", "cache_dir", "load_cached", "load_leiden", "register_datasets"]

#: The first line of a cache file; a file of another format is never unpickled.
_MAGIC = b"leiden-twinning dataset cache 1\n"
#: The name of this installation's cache file in the cache folder (it is replaced when stale).
CACHE_FILE = _cache.file_name(
    "leiden",
    os.path.dirname(os.path.abspath(__file__)),  # noqa: PTH100, PTH120 - a plain string
)
#: How many installations' cache files the folder keeps (the most recently written).
KEEP = 8
#: The modules whose code decides what reading the file gives.
_CODE = (
    "leiden_twinning._converter",
    "leiden_twinning._dataset",
    "leiden_twinning._deprecation",
    "leiden_twinning._io",
    "leiden_twinning._model",
    "leiden_twinning._validators",
    "leiden_twinning.canonical",
    "leiden_twinning.exceptions",
    "attr._make",
    "cattrs.converters",
    "cattrs.gen",
)
#: What a cache file may name: the classes of the model, and dates.
_ALLOWED_MODULES = ("leiden_twinning._model", "leiden_twinning._dataset")


def _fingerprint(data: bytes) -> bytes:
    """The key of a cache file: the data's bytes, and the code and Python that read them."""
    digest = hashlib.sha256(data)
    digest.update(f"\0{sys.version}\0{sys.implementation.cache_tag}".encode())
    for name in _CODE:
        module = sys.modules[name]
        path = getattr(module, "__file__", None)
        stat = os.stat(path) if path else None  # noqa: PTH116
        where = f"{path}:{stat.st_size}:{stat.st_mtime_ns}" if stat else "?"
        digest.update(f"\0{name}={where}".encode())
    return digest.hexdigest().encode("ascii") + b"\n"


class _Unpickler(pickle.Unpickler):
    """Builds only the model's classes and dates: a cache file can name nothing else."""

    def find_class(self, module: str, name: str, /) -> Any:
        if (module, name) == ("datetime", "date") or (
            module in _ALLOWED_MODULES and not name.startswith("_")
        ):
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        msg = f"a dataset cache does not hold {module}.{name}"
        raise pickle.UnpicklingError(msg)


def _read_cache(path: Path, key: bytes) -> Dataset | None:
    """The dataset cached in *path* under *key*; ``None`` when absent, stale or unreadable."""
    from leiden_twinning._dataset import Dataset  # noqa: PLC0415

    found = _cache.read(path, _MAGIC, key, _Unpickler)
    return found if isinstance(found, Dataset) else None


def _write_cache(path: Path, key: bytes, dataset: Dataset) -> None:
    """Store *dataset* in *path* under *key*, atomically; pass over any failure."""
    if _cache.write(path, _MAGIC, key, dataset):
        # The first cache kept one file, which every installation shared.
        with contextlib.suppress(OSError):
            (path.parent / "leiden.pickle").unlink()
        _cache.prune(path, "leiden-*.pickle", KEEP)


def load_cached(data: bytes, folder: Path | None) -> Dataset:
    """*data* read as a dataset (:func:`~leiden_twinning.loads`), through a cache in *folder*.

    :raises DatasetError: as :func:`~leiden_twinning.loads` does (a bad dataset is not cached).
    """
    if folder is None:
        return loads(data)
    try:
        key = _fingerprint(data)
    except (KeyError, OSError):  # the reading code is not where it says: no safe key
        return loads(data)
    path = folder / CACHE_FILE
    found = _read_cache(path, key)
    if found is None:
        found = loads(data)
        _write_cache(path, key, found)
    return found


@functools.cache
def load_leiden() -> Dataset:
    """The canonical dataset, read once per process (it is immutable)."""
    data = resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()
    return load_cached(data, cache_dir())


@hookimpl
def register_datasets(register: Callable[[DatasetEntry], None]) -> None:
    """Register the canonical Leiden dataset as ``leiden``."""
    register(DatasetEntry(name="leiden", load=load_leiden))
