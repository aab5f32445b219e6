"""The CLDR fields the exporters format with, kept in the user's cache folder.

Babel keeps each locale's CLDR data in a file of its own (``en.dat``, 240 KB), merged on reading
with its parents' (``root.dat``); finding the parents reads ``global.dat`` (470 KB). A short
command such as ``leiden-twinning export ical`` read all three to use a few fields: country names,
list patterns, date and number formats. That was about a third of the time the command spends in
this package's own code.

So the first process to format in a locale stores those fields (:data:`FIELDS`, about 15 KB)
in the cache folder (:func:`~leiden_twinning._cache.cache_dir`), and the next ones read only
them. The cache is keyed by Babel's version and files and the Python: when one changes, Babel's
data is read again. Formatting goes through Babel as before, with a :class:`~babel.Locale` whose
data is the cached fields; any other field is read from Babel's own files when first asked for,
so what Babel formats is the same either way.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.localedata import LocaleDataDict

from leiden_twinning import _cache

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["FIELDS", "cached_locale"]

#: The top-level CLDR fields kept in the cache: those the built-in exporters format with.
FIELDS = (
    "date_formats",
    "datetime_formats",
    "datetime_skeletons",
    "days",
    "decimal_formats",
    "default_numbering_system",
    "eras",
    "list_patterns",
    "months",
    "number_symbols",
    "percent_formats",
    "plural_form",
    "territories",
)
#: The first line of a cache file; a file of another format is never unpickled.
_MAGIC = b"leiden-twinning CLDR cache 1\n"
#: How many cache files of CLDR fields the folder keeps (installations times locales).
KEEP = 32
#: What a cache file may name besides plain data: the values Babel's own files hold.
_ALLOWED = frozenset(
    {
        ("babel.dates", "DateTimePattern"),
        ("babel.localedata", "Alias"),
        ("babel.numbers", "NumberPattern"),
        ("babel.plural", "PluralRule"),
    }
)


class _Unpickler(pickle.Unpickler):
    """Builds only Babel's pattern, alias and plural classes: a cache file names nothing else."""

    def find_class(self, module: str, name: str, /) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        msg = f"a CLDR cache does not hold {module}.{name}"
        raise pickle.UnpicklingError(msg)


class _Fields(LocaleDataDict):
    """A locale's cached CLDR fields; any other field comes from Babel's whole data, on demand."""

    def __init__(self, fields: dict[Any, Any], identifier: str) -> None:
        super().__init__(fields)
        self._identifier = identifier
        self._whole: LocaleDataDict | None = None

    def whole(self) -> LocaleDataDict:
        """All of the locale's CLDR data, as Babel reads it (read once)."""
        if self._whole is None:
            from babel import localedata  # noqa: PLC0415 - loaded with babel already

            data: dict[Any, Any] = localedata.load(self._identifier)
            self._whole = LocaleDataDict(data)
        return self._whole

    def __getitem__(self, key: Any) -> Any:
        if key in self._data:
            return super().__getitem__(key)
        return self.whole()[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.whole())

    def __len__(self) -> int:
        return len(self.whole())


class _CachedLocale(Locale):
    """A Babel locale whose CLDR data is its cached :data:`FIELDS` (and the rest on demand)."""

    def __init__(self, locale: Locale, fields: _Fields) -> None:
        super().__init__(
            locale.language, locale.territory, locale.script, locale.variant, locale.modifier
        )
        self._fields = fields

    @property
    def _data(self) -> LocaleDataDict:
        return self._fields


def _key(identifier: str) -> bytes:
    """The key of *identifier*'s cache file: Babel's version and files, the Python, the fields."""
    import babel  # noqa: PLC0415
    from babel import localedata  # noqa: PLC0415

    digest = hashlib.sha256(f"{babel.__version__}\0{sys.version}\0{FIELDS}".encode())
    installed_at = os.path.dirname(babel.__file__)  # noqa: PTH120
    global_data = os.path.join(installed_at, "global.dat")  # noqa: PTH118
    for path in (global_data, localedata.resolve_locale_filename(identifier)):
        stat = os.stat(path)  # noqa: PTH116
        digest.update(f"\0{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest().encode("ascii") + b"\n"


def _cache_file(folder: Path, identifier: str) -> Path:
    """The cache file of *identifier* for this Babel installation, in *folder*."""
    import babel  # noqa: PLC0415

    installed_at = os.path.dirname(babel.__file__)  # noqa: PTH120
    return folder / _cache.file_name("cldr", installed_at, f"-{identifier}")


def _fields(identifier: str, folder: Path | None) -> _Fields:
    """*identifier*'s :data:`FIELDS`, from the cache in *folder* or else from Babel's files."""
    if folder is None:
        return _Fields({}, identifier)
    try:
        key = _key(identifier)
    except (OSError, ValueError):  # Babel's files are not where it says: no safe key
        return _Fields({}, identifier)
    path = _cache_file(folder, identifier)
    found = _cache.read(path, _MAGIC, key, _Unpickler)
    if isinstance(found, dict) and set(found) <= set(FIELDS):
        return _Fields(found, identifier)
    fields = _Fields({}, identifier)
    whole = fields.whole()._data
    fields._data.update((name, whole[name]) for name in FIELDS if name in whole)
    if _cache.write(path, _MAGIC, key, fields._data):
        _cache.prune(path, "cldr-*.pickle", KEEP)
    return fields


def cached_locale(locale: Locale, folder: Path | None) -> Locale:
    """*locale* with its CLDR :data:`FIELDS` read through the cache in *folder*.

    The same locale for every Babel function; ``None`` for *folder* reads Babel's files.
    """
    return _CachedLocale(locale, _fields(str(locale), folder))
