"""The cache of CLDR fields: Babel formats the same through it, and reads only it when warm."""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle
from pathlib import Path
from typing import Any

import babel
import pytest
from babel import Locale, localedata
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent

import leiden_twinning as lt
from leiden_twinning import _cache, _cldr, _i18n
from leiden_twinning._i18n import I18n, resolve_locale

#: Locales of other scripts, regions, parents and plural rules than the catalogs' own.
LOCALES = ("en", "nl", "ja", "pl", "de", "es", "en_GB", "nl_BE", "fr", "zh_Hant_TW", "ar", "fa")


def formatted(locale: Locale) -> list[str]:
    """What the exporters ask Babel for, in *locale*: dates, numbers, lists and countries."""
    day = dt.date(1988, 11, 23)
    return [
        *(format_date(day, width, locale=locale) for width in ("short", "medium", "long", "full")),
        *(format_skeleton(skeleton, day, locale=locale) for skeleton in ("y", "yMMMM", "MMMMd")),
        format_decimal(1234567.891, locale=locale),
        format_decimal(-71000, locale=locale),
        format_percent(0.605, locale=locale),
        *(format_list(["A", "B", "C", "D"][:n], locale=locale) for n in range(1, 5)),
        *(str(locale.territories.get(code)) for code in ("NL", "ZA", "NI", "GB", "PL", "JP")),
        str(locale.plural_form(2)),
    ]


def cache_files(folder: Path) -> list[str]:
    """The names in the cache folder (temporary files included)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def no_babel_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a locale's data from Babel's own files fails."""

    def refuse(name: str, merge_inherited: bool = True) -> dict[str, Any]:
        msg = f"Babel's files were read for {name}"
        raise AssertionError(msg)

    monkeypatch.setattr(localedata, "load", refuse)


class TestSameText:
    """Babel formats the same through the cache as through its own files."""

    @pytest.mark.parametrize("tag", LOCALES)
    def test_cold_and_warm_cache_format_as_babel_does(self, tmp_path: Path, tag: str) -> None:
        """The run that writes the cache and the run that reads it both match plain Babel."""
        locale = Locale.parse(tag)
        expected = formatted(locale)
        assert expected == formatted(_cldr.cached_locale(locale, tmp_path))
        assert 1 == len(cache_files(tmp_path))
        assert expected == formatted(_cldr.cached_locale(locale, tmp_path))

    def test_no_cache_folder_formats_as_babel_does(self, tmp_path: Path) -> None:
        """Without a cache folder nothing is written, and the text is the same."""
        locale = Locale.parse("nl")
        assert formatted(locale) == formatted(_cldr.cached_locale(locale, None))

    def test_other_fields_come_from_babel(self, tmp_path: Path) -> None:
        """A field the cache does not keep is read from Babel's files, whole."""
        _cldr.cached_locale(Locale.parse("nl"), tmp_path)
        cached = _cldr.cached_locale(Locale.parse("nl"), tmp_path)
        plain = Locale.parse("nl")
        assert "languages" not in _cldr.FIELDS
        assert plain.languages["ja"] == cached.languages["ja"]
        assert plain.currency_symbols["EUR"] == cached.currency_symbols["EUR"]
        assert sorted(plain._data) == sorted(cached._data)
        assert len(plain._data) == len(cached._data)

    def test_the_locale_is_babels(self, tmp_path: Path) -> None:
        """Every Babel function takes it: it is the same locale, not a copy of its name."""
        cached = _cldr.cached_locale(Locale.parse("en_GB"), tmp_path)
        assert isinstance(cached, Locale)
        assert Locale.parse("en_GB") == cached
        assert Locale.parse(cached) is cached


class TestWarmCache:
    """A warm cache is all a formatting run reads."""

    def test_a_warm_cache_reads_no_babel_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The second locale formats with Babel's files unreadable."""
        locale = Locale.parse("pl")
        expected = formatted(locale)
        _cldr.cached_locale(locale, tmp_path)
        with monkeypatch.context() as patch:
            patch.setattr(localedata, "load", None)
            assert expected == formatted(_cldr.cached_locale(locale, tmp_path))

    @pytest.mark.parametrize("fmt", ["ical", "vcard", "html", "json", "geojson"])
    @pytest.mark.parametrize("tag", ["en", "nl", "ja"])
    def test_the_exporters_use_only_the_cached_fields(
        self,
        dataset: lt.Dataset,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        fmt: str,
        tag: str,
    ) -> None:
        """:data:`FIELDS` holds every field a built-in exporter formats with."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        # A new I18n for each export: the first writes the cache, the second reads it.
        monkeypatch.setattr(_i18n, "_cached", lambda tag: I18n(resolve_locale(tag)))
        expected = lt.export(dataset, fmt, locale=tag)

        def refuse(self: Any) -> Any:
            msg = "a field outside FIELDS was read"
            raise AssertionError(msg)

        monkeypatch.setattr(_cldr._Fields, "whole", refuse)
        # HTML names each language of the switcher in its own language: those locales are
        # Babel's own, not the one the export formats with.
        assert expected == lt.export(dataset, fmt, locale=tag)


class TestStale:
    """A cache that does not fit is read again from Babel, and never used."""

    def test_another_babel_is_a_miss(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """The key holds Babel's version: another version reads Babel's files again."""
        locale = Locale.parse("de")
        _cldr.cached_locale(locale, tmp_path)
        (path,) = tmp_path.iterdir()
        before = path.read_bytes()
        monkeypatch.setattr(babel, "__version__", "0.0.1")
        assert formatted(locale) == formatted(_cldr.cached_locale(locale, tmp_path))
        assert before != path.read_bytes()

    def test_changed_babel_file_is_a_miss(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The key holds the size and time of the locale's file."""
        copy = tmp_path / "es.dat"
        copy.write_bytes(Path(localedata.resolve_locale_filename("es")).read_bytes())
        monkeypatch.setattr(localedata, "resolve_locale_filename", lambda name: str(copy))
        key = _cldr._key("es")
        assert key == _cldr._key("es")
        os.utime(copy, ns=(0, 10**9))
        assert key != _cldr._key("es")

    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda data: data[:-20], id="cut short"),
            pytest.param(lambda data: data[:40] + b"X" + data[41:], id="key changed"),
            pytest.param(lambda data: b"", id="empty"),
            pytest.param(lambda data: b"not a cache\n" + data, id="another format"),
        ],
    )
    def test_a_damaged_cache_is_a_miss(
        self, tmp_path: Path, no_babel_files: None, damage: Any
    ) -> None:
        """A damaged file is passed over: Babel is read (and here refuses, so it shows)."""
        locale = Locale.parse("ja")
        self._write(tmp_path, locale)
        (path,) = tmp_path.iterdir()
        assert formatted(Locale.parse("ja")) == formatted(_cldr.cached_locale(locale, tmp_path))
        path.write_bytes(damage(path.read_bytes()))
        with pytest.raises(AssertionError, match="Babel's files were read for ja"):
            formatted(_cldr.cached_locale(locale, tmp_path))

    @staticmethod
    def _write(folder: Path, locale: Locale) -> None:
        """Write *locale*'s cache in *folder* from Babel's real files."""
        path = _cldr._cache_file(folder, str(locale))
        whole = ORIGINAL_LOAD(str(locale))
        fields = {name: whole[name] for name in _cldr.FIELDS if name in whole}
        assert _cache.write(path, _cldr._MAGIC, _cldr._key(str(locale)), fields)

    def test_a_cache_naming_other_classes_is_refused(
        self, tmp_path: Path, no_babel_files: None
    ) -> None:
        """A file that would build anything but Babel's values is not unpickled into it."""
        locale = Locale.parse("ja")
        path = _cldr._cache_file(tmp_path, "ja")
        payload = pickle.dumps({"territories": io.StringIO("boom")})
        path.write_bytes(_cldr._MAGIC + _cldr._key("ja") + payload)
        with pytest.raises(AssertionError, match="Babel's files were read"):
            formatted(_cldr.cached_locale(locale, tmp_path))

    def test_a_cache_of_other_fields_is_refused(self, tmp_path: Path, no_babel_files: None) -> None:
        """A file of the right format whose fields are not :data:`FIELDS` is not used."""
        path = _cldr._cache_file(tmp_path, "ja")
        payload = pickle.dumps({"territories": {}, "currencies": {}})
        path.write_bytes(_cldr._MAGIC + _cldr._key("ja") + payload)
        with pytest.raises(AssertionError, match="Babel's files were read"):
            formatted(_cldr.cached_locale(Locale.parse("ja"), tmp_path))


#: Babel's own reader, kept before any test replaces it.
ORIGINAL_LOAD = localedata.load


class TestFolder:
    """The cache folder: written when it can be, pruned, never in the way."""

    def test_an_unwritable_folder_is_passed_over(self, tmp_path: Path) -> None:
        """A folder that is a file: nothing is written, and the text is Babel's."""
        folder = tmp_path / "file"
        folder.write_text("not a folder")
        locale = Locale.parse("nl")
        assert formatted(locale) == formatted(_cldr.cached_locale(locale, folder))

    def test_missing_babel_file_is_no_key(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When Babel's files are not where it says, the cache is not used at all."""

        def gone(identifier: str) -> bytes:
            raise FileNotFoundError(identifier)

        monkeypatch.setattr(_cldr, "_key", gone)
        locale = Locale.parse("nl")
        assert formatted(locale) == formatted(_cldr.cached_locale(locale, tmp_path))
        assert [] == cache_files(tmp_path)

    def test_old_files_are_pruned(self, tmp_path: Path) -> None:
        """The folder keeps the :data:`KEEP` newest CLDR files, the new one among them."""
        for n in range(_cldr.KEEP + 5):
            old = tmp_path / f"cldr-0000000000000000-x{n}.pickle"
            old.write_bytes(b"old")
            os.utime(old, ns=(n * 10**9, n * 10**9))
        dataset = tmp_path / "leiden-0000000000000000.pickle"
        dataset.write_bytes(b"a dataset's cache")
        os.utime(dataset, ns=(0, 0))
        _cldr.cached_locale(Locale.parse("nl"), tmp_path)
        kept = [name for name in cache_files(tmp_path) if name.startswith("cldr-")]
        assert _cldr.KEEP == len(kept)
        assert _cldr._cache_file(tmp_path, "nl").name in kept
        assert "cldr-0000000000000000-x0.pickle" not in kept
        assert dataset.exists()


class TestI18n:
    """The package formats through the cache of the user's cache folder."""

    def test_the_cache_folder_is_used(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """An :class:`~leiden_twinning.I18n` writes its locale's fields to the cache folder."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        t = I18n(resolve_locale("pl"))
        assert "23 listopada 1988" == t.date(dt.date(1988, 11, 23))
        assert [_cldr._cache_file(tmp_path / "leiden-twinning", "pl").name] == cache_files(
            tmp_path / "leiden-twinning"
        )
        assert type(t.locale) is Locale
