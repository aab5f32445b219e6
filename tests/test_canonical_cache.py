"""The cache of the canonical dataset: the same dataset, never stale, never in the way."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import types
from importlib import resources
from typing import TYPE_CHECKING, Any

import pytest

import leiden_twinning as lt
from leiden_twinning import canonical
from leiden_twinning._model import base_language

if TYPE_CHECKING:
    from pathlib import Path

DATA = resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()


class Counter:
    """Stands in for :func:`leiden_twinning.loads` and counts the real reads."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, data: bytes) -> lt.Dataset:
        self.calls += 1
        return lt.loads(data)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts how often the canonical plugin really parses the JSON."""
    counter = Counter()
    monkeypatch.setattr(canonical, "loads", counter)
    return counter


def cache_files(folder: Path) -> list[str]:
    """The names in the cache folder (temporary files included)."""
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


class TestSameDataset:
    """What comes out of the cache is the dataset the JSON gives."""

    def test_the_second_load_comes_from_the_cache(self, tmp_path: Path, reads: Counter) -> None:
        """The first load parses and writes the cache; the second reads it and parses nothing."""
        first = canonical.load_cached(DATA, tmp_path)
        assert (1, [canonical.CACHE_FILE]) == (reads.calls, cache_files(tmp_path))
        second = canonical.load_cached(DATA, tmp_path)
        assert 1 == reads.calls
        assert first == second
        assert first is not second

    @pytest.mark.parametrize("locale", ["en", "nl", "de", "ja"])
    def test_every_export_is_byte_identical(self, tmp_path: Path, locale: str) -> None:
        """Each format gives the same bytes from the cached dataset as from the parsed one."""
        canonical.load_cached(DATA, tmp_path)
        cached = canonical.load_cached(DATA, tmp_path)
        fresh = lt.loads(DATA)
        for fmt in ("json", "ical", "vcard", "html", "geojson"):
            assert lt.export(fresh, fmt, locale=locale) == lt.export(cached, fmt, locale=locale)

    def test_the_internal_indexes_survive(self, tmp_path: Path) -> None:
        """Lookups through the dataset's indexes answer as on a parsed dataset."""
        canonical.load_cached(DATA, tmp_path)
        cached = canonical.load_cached(DATA, tmp_path)
        fresh = lt.loads(DATA)
        for tie in fresh.partnerships:
            assert fresh.partnership(tie.city) == cached.partnership(tie.city)
            assert fresh.city(tie.city) == cached.city(tie.city)
        assert lt.dumps(fresh) == lt.dumps(cached)
        assert cached.partnerships[0].kind is fresh.partnerships[0].kind  # enum members


class TestNeverStale:
    """A change of the data or of the code that reads it means reading the file again."""

    def test_other_data_is_read_and_replaces_the_cache(
        self, tmp_path: Path, reads: Counter
    ) -> None:
        """Other bytes are parsed, not answered from the cache, and take its place."""
        canonical.load_cached(DATA, tmp_path)
        changed = DATA.replace(b'"name": "Leiden"', b'"name": "Leyden"', 1)
        assert changed != DATA
        other = canonical.load_cached(changed, tmp_path)
        assert 2 == reads.calls
        assert "Leyden" == other.home_city.name
        assert [canonical.CACHE_FILE] == cache_files(tmp_path)
        assert "Leyden" == canonical.load_cached(changed, tmp_path).home_city.name
        assert 2 == reads.calls
        assert "Leiden" == canonical.load_cached(DATA, tmp_path).home_city.name
        assert 3 == reads.calls

    def test_a_changed_reading_module_invalidates(
        self, tmp_path: Path, reads: Counter, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Editing a module of the loader (its size or time changes) means parsing again."""
        source = tmp_path / "reader.py"
        source.write_text("# the loader\n", encoding="utf-8")
        module = types.ModuleType("fake_reader_for_cache")
        module.__file__ = str(source)
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setattr(canonical, "_CODE", (*canonical._CODE, module.__name__))
        folder = tmp_path / "cache"
        canonical.load_cached(DATA, folder)
        canonical.load_cached(DATA, folder)
        assert 1 == reads.calls
        source.write_text("# the loader, changed\n", encoding="utf-8")
        canonical.load_cached(DATA, folder)
        assert 2 == reads.calls
        stat = source.stat()
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        canonical.load_cached(DATA, folder)
        assert 3 == reads.calls

    def test_another_python_invalidates(
        self, tmp_path: Path, reads: Counter, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A cache written by another Python version is not used."""
        canonical.load_cached(DATA, tmp_path)
        monkeypatch.setattr(sys, "version", sys.version + " (another build)")
        canonical.load_cached(DATA, tmp_path)
        assert 2 == reads.calls

    def test_a_reading_module_that_is_gone_means_no_cache(
        self, tmp_path: Path, reads: Counter, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without the file of a module of the key there is no safe key: parse, cache nothing."""
        module = types.ModuleType("fake_reader_without_file")
        module.__file__ = str(tmp_path / "gone.py")
        monkeypatch.setitem(sys.modules, module.__name__, module)
        monkeypatch.setattr(canonical, "_CODE", (*canonical._CODE, module.__name__))
        folder = tmp_path / "cache"
        assert "Leiden" == canonical.load_cached(DATA, folder).home_city.name
        assert (1, []) == (reads.calls, cache_files(folder))

    def test_a_bad_dataset_is_not_cached(self, tmp_path: Path) -> None:
        """Invalid data raises DatasetError as loads() does, and leaves no cache."""
        with pytest.raises(lt.DatasetError):
            canonical.load_cached(b'{"home": 1}', tmp_path)
        assert [] == cache_files(tmp_path)


class TestNeverInTheWay:
    """A cache that cannot be written or read back is passed over."""

    def test_an_unwritable_cache_folder(self, tmp_path: Path, reads: Counter) -> None:
        """A cache folder that cannot be made (a file is in the way) costs only the cache."""
        blocker = tmp_path / "blocker"
        blocker.write_text("not a folder", encoding="utf-8")
        folder = blocker / "leiden-twinning"
        for _ in range(2):
            assert "Leiden" == canonical.load_cached(DATA, folder).home_city.name
        assert 2 == reads.calls
        assert "not a folder" == blocker.read_text(encoding="utf-8")

    def test_a_failed_write_leaves_no_temporary_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When the rename fails, the temporary file is removed and loading still works."""

        def refuse(*_args: object) -> None:
            raise PermissionError("read-only")

        monkeypatch.setattr(os, "replace", refuse)
        assert "Leiden" == canonical.load_cached(DATA, tmp_path).home_city.name
        assert [] == cache_files(tmp_path)

    def test_no_folder_means_no_cache(self, reads: Counter) -> None:
        """Without a cache folder (no home), every load parses."""
        canonical.load_cached(DATA, None)
        canonical.load_cached(DATA, None)
        assert 2 == reads.calls

    @pytest.mark.parametrize(
        "damage",
        [
            pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
            pytest.param(lambda b: b[:-40] + b"\x00" * 40, id="garbled"),
            pytest.param(lambda _b: b"", id="empty"),
            pytest.param(lambda b: b"other format\n" + b, id="foreign"),
        ],
    )
    def test_a_damaged_cache_file_is_replaced(
        self, tmp_path: Path, reads: Counter, damage: Any
    ) -> None:
        """A cache file that does not read back is parsed around and written anew."""
        canonical.load_cached(DATA, tmp_path)
        path = tmp_path / canonical.CACHE_FILE
        good = path.read_bytes()
        path.write_bytes(damage(good))
        assert lt.loads(DATA) == canonical.load_cached(DATA, tmp_path)
        assert 2 == reads.calls
        assert good == path.read_bytes()

    @pytest.mark.parametrize(
        "payload",
        [
            pytest.param(print, id="a function"),
            pytest.param(["not", "a", "dataset"], id="a list"),
            pytest.param(lt.PartialDate(2000), id="a model object"),
            pytest.param(base_language, id="a function of the model"),
        ],
    )
    def test_a_cache_file_holding_anything_else(
        self, tmp_path: Path, reads: Counter, payload: object
    ) -> None:
        """A well-keyed file that holds no Dataset (or names a function) is never used."""
        canonical.load_cached(DATA, tmp_path)
        path = tmp_path / canonical.CACHE_FILE
        header = b"".join(path.read_bytes().splitlines(keepends=True)[:2])
        path.write_bytes(header + pickle.dumps(payload))
        assert lt.loads(DATA) == canonical.load_cached(DATA, tmp_path)
        assert 2 == reads.calls


class TestInstallations:
    """Each installation keeps its own cache file; the folder keeps the few written last."""

    def test_the_file_is_named_after_the_installation(self) -> None:
        """The file's name comes from the package's folder and the Python that runs it."""
        code = "from leiden_twinning import canonical; print(canonical.CACHE_FILE)"
        here = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        assert canonical.CACHE_FILE == here.strip()
        assert canonical.CACHE_FILE.startswith("leiden-")
        assert canonical.CACHE_FILE.endswith(".pickle")
        assert len(canonical.CACHE_FILE) == len("leiden-") + 16 + len(".pickle")

    def test_two_installations_keep_their_own_files(
        self, tmp_path: Path, reads: Counter, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Another installation (its own code, its own file) does not replace this one's."""
        ours = canonical.CACHE_FILE
        folder = tmp_path / "cache"
        canonical.load_cached(DATA, folder)
        source = tmp_path / "elsewhere.py"
        source.write_text("# the loader of another installation\n", encoding="utf-8")
        module = types.ModuleType("another_installation_reader")
        module.__file__ = str(source)
        with monkeypatch.context() as other:
            other.setitem(sys.modules, module.__name__, module)
            other.setattr(canonical, "_CODE", (*canonical._CODE, module.__name__))
            other.setattr(canonical, "CACHE_FILE", "leiden-0123456789abcdef.pickle")
            canonical.load_cached(DATA, folder)
            assert 2 == reads.calls
        assert lt.loads(DATA) == canonical.load_cached(DATA, folder)
        assert 2 == reads.calls
        assert sorted([ours, "leiden-0123456789abcdef.pickle"]) == cache_files(folder)

    def test_the_folder_keeps_the_files_written_last(self, tmp_path: Path) -> None:
        """Writing this installation's file removes the oldest past KEEP, and the shared one."""
        others = [f"leiden-{n:016x}.pickle" for n in range(canonical.KEEP + 3)]
        for age, name in enumerate(others):  # the first is the newest
            path = tmp_path / name
            path.write_bytes(b"another installation's cache")
            os.utime(path, ns=(0, 10**18 - age * 10**9))
        (tmp_path / "notes.txt").write_text("not a cache file", encoding="utf-8")
        (tmp_path / "leiden.pickle").write_bytes(b"the one file every installation shared")
        canonical.load_cached(DATA, tmp_path)
        kept = sorted([canonical.CACHE_FILE, *others[: canonical.KEEP - 1], "notes.txt"])
        assert kept == cache_files(tmp_path)

    def test_pruning_passes_over_a_file_it_cannot_remove(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file that cannot be read or removed is left; the cache is written all the same."""
        for n in range(canonical.KEEP + 1):
            (tmp_path / f"leiden-{n:016x}.pickle").write_bytes(b"old")

        def refuse(self: Path, *, missing_ok: bool = False) -> None:
            raise PermissionError(self)

        monkeypatch.setattr(type(tmp_path), "unlink", refuse)
        canonical.load_cached(DATA, tmp_path)
        assert canonical.CACHE_FILE in cache_files(tmp_path)
        assert canonical.KEEP + 2 == len(cache_files(tmp_path))


class TestWhere:
    """The cache folder follows XDG_CACHE_HOME, else ~/.cache; the plugin and CLI use it."""

    def test_xdg_cache_home(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """An absolute XDG_CACHE_HOME holds the package's folder."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert tmp_path / "leiden-twinning" == canonical.cache_dir()

    @pytest.mark.parametrize("value", [None, "", "relative/cache"])
    def test_else_under_home(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str | None
    ) -> None:
        """Without an absolute XDG_CACHE_HOME the folder is ~/.cache/leiden-twinning."""
        if value is None:
            monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        else:
            monkeypatch.setenv("XDG_CACHE_HOME", value)
        monkeypatch.setenv("HOME", str(tmp_path))
        assert tmp_path / ".cache" / "leiden-twinning" == canonical.cache_dir()

    def test_no_home(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without XDG_CACHE_HOME and without a home folder there is no cache folder."""
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
        monkeypatch.setattr(os.path, "expanduser", lambda path: path)
        assert canonical.cache_dir() is None

    def test_the_plugin_reads_the_shipped_file_through_the_cache(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The ``leiden`` dataset plugin caches in the cache folder and gives the shipped data."""
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        loaded = canonical.load_leiden.__wrapped__()  # past the per-process memo
        assert lt.loads(DATA) == loaded
        assert [canonical.CACHE_FILE] == cache_files(tmp_path / "leiden-twinning")

    def test_the_command_line_writes_and_uses_the_cache(self, tmp_path: Path) -> None:
        """Two runs of `export ical` write the same file; the first leaves the cache behind."""
        env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "xdg")}
        outputs = []
        for n in range(2):
            target = tmp_path / f"run{n}.ics"
            command = [sys.executable, "-m", "leiden_twinning", "export", "ical"]
            subprocess.run(
                [*command, "--locale", "en", "--output", str(target)], env=env, check=True
            )
            outputs.append(target.read_bytes())
        assert outputs[0] == outputs[1]
        assert outputs[0] == lt.export(lt.loads(DATA), "ical", locale="en")
        files = cache_files(tmp_path / "xdg" / "leiden-twinning")
        # The dataset's cache, and that of the CLDR fields the export formatted with (en).
        assert [canonical.CACHE_FILE] == [name for name in files if name.startswith("leiden-")]
        assert ["en"] == [name[22:-7] for name in files if name.startswith("cldr-")]
        assert 2 == len(files)
