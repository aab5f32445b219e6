"""The quick entry-point scan finds exactly what importlib.metadata finds, and is never stale."""

from __future__ import annotations

import importlib
import importlib.metadata
import shutil
import sys
import zipfile
from typing import TYPE_CHECKING, Any

import pytest

from leiden_twinning import _plugins

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

GROUP = "leiden_twinning"


def seen(eps: Any) -> list[tuple[str, str, str, str | None]]:
    """Entry points as comparable tuples, with the name of their distribution, sorted."""
    return sorted((e.name, e.value, e.group, e.dist.name if e.dist else None) for e in eps)


def reference(group: str = GROUP) -> list[tuple[str, str, str, str | None]]:
    """What importlib.metadata itself finds for *group*."""
    return seen(importlib.metadata.entry_points(group=group))


class Site:
    """A folder on ``sys.path`` to install fake distributions into, for one test."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = root
        self.monkeypatch = monkeypatch
        self.folders = 0

    def folder(self) -> Path:
        """A new empty folder at the front of ``sys.path``."""
        self.folders += 1
        path = self.root / f"site{self.folders}"
        path.mkdir()
        self.monkeypatch.syspath_prepend(str(path))
        return path

    def install(
        self, where: Path, folder: str, name: str, text: str | None, *, suffix: str = ".dist-info"
    ) -> Path:
        """A distribution *name* in *where*/*folder*<suffix>, with *text* as entry_points.txt."""
        info = where / f"{folder}{suffix}"
        info.mkdir()
        info.joinpath("METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8"
        )
        if text is not None:
            info.joinpath("entry_points.txt").write_text(text, encoding="utf-8")
        importlib.invalidate_caches()
        return info


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Site]:
    """Fake distributions on ``sys.path`` for the test only."""
    yield Site(tmp_path, monkeypatch)
    importlib.invalidate_caches()


class TestSameAsImportlib:
    """In plain folders the quick scan runs, and agrees with importlib.metadata."""

    @pytest.mark.parametrize("group", [GROUP, "console_scripts", "pytest11", "no_such_group"])
    def test_the_real_environment(self, group: str) -> None:
        """Every group of this environment's distributions comes out the same."""
        assert reference(group) == seen(_plugins._quick_entry_points(group))

    def test_installed_plugins_and_their_distribution_names(self, site: Site) -> None:
        """Fake plugins are found with the distribution name of their METADATA."""
        here = site.folder()
        site.install(here, "Fake_Plugin-2.0", "Fake.Plugin", f"[{GROUP}]\nfake = fake_mod\n")
        site.install(here, "other-1.0", "other", "[console_scripts]\nx = y:z\n")
        site.install(here, "bare-1.0", "bare", None)
        found = seen(_plugins._quick_entry_points(GROUP))
        assert ("fake", "fake_mod", GROUP, "Fake.Plugin") in found
        assert reference() == found

    def test_the_first_distribution_of_a_name_wins(self, site: Site) -> None:
        """A distribution earlier on sys.path hides a later one of the same normalized name."""
        later = site.folder()
        site.install(later, "twin-1.0", "twin", f"[{GROUP}]\nlater = later_mod\n")
        earlier = site.folder()  # prepended: before "later" on sys.path
        site.install(earlier, "Twin-2.0", "Twin", f"[{GROUP}]\nearlier = earlier_mod\n")
        found = seen(_plugins._quick_entry_points(GROUP))
        names = [name for name, *_ in found]
        assert "earlier" in names
        assert "later" not in names
        assert reference() == found

    def test_a_shadowing_distribution_without_entry_points(self, site: Site) -> None:
        """An earlier distribution with no entry_points.txt still hides a later namesake."""
        later = site.folder()
        site.install(later, "hidden-1.0", "hidden", f"[{GROUP}]\nhidden = hidden_mod\n")
        site.install(site.folder(), "hidden-2.0", "hidden", None)
        found = seen(_plugins._quick_entry_points(GROUP))
        assert "hidden" not in [name for name, *_ in found]
        assert reference() == found

    def test_only_the_exact_section_counts(self, site: Site) -> None:
        """A group name inside another section or a value is not an entry point of the group."""
        here = site.folder()
        text = f"[{GROUP}_extra]\na = {GROUP}.x\n[console_scripts]\n{GROUP} = {GROUP}.cli:main\n"
        site.install(here, "lookalike-1.0", "lookalike", text)
        site.install(here, "spaced-1.0", "spaced", f"[ {GROUP} ]\nspaced = spaced_mod\n")
        assert reference() == seen(_plugins._quick_entry_points(GROUP))

    def test_unreadable_listings_are_passed_over(self, site: Site) -> None:
        """A listing that is a folder, and an .egg-info that is a file, are skipped alike."""
        here = site.folder()
        odd = site.install(here, "odd-1.0", "odd", None)
        odd.joinpath("entry_points.txt").mkdir()
        here.joinpath("flat-1.0.egg-info").write_text("Name: flat\n", encoding="utf-8")
        site.install(here, "good-1.0", "good", f"[{GROUP}]\ngood = good_mod\n", suffix=".egg-info")
        importlib.invalidate_caches()
        found = seen(_plugins._quick_entry_points(GROUP))
        assert "good" in [name for name, *_ in found]
        assert reference() == found

    def test_a_path_entry_that_cannot_be_a_folder(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A sys.path entry no folder can have (a NUL in it) is an error, as for importlib."""
        monkeypatch.setattr(sys, "path", ["bad\0entry", *sys.path])
        with pytest.raises(ValueError, match="null"):
            importlib.metadata.entry_points(group=GROUP)
        with pytest.raises(ValueError, match="null"):
            _plugins._quick_entry_points(GROUP)

    def test_a_missing_folder_on_sys_path_is_passed_over(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A sys.path entry that does not exist adds nothing, as for importlib.metadata."""
        monkeypatch.syspath_prepend(str(tmp_path / "gone"))
        assert reference() == seen(_plugins._quick_entry_points(GROUP))


class TestNeverStale:
    """Nothing is cached: what is installed, removed or edited is seen at the next scan."""

    def test_install_edit_and_remove(self, site: Site) -> None:
        """A plugin appears when installed, changes when edited, and goes when removed."""
        here = site.folder()
        assert "late" not in {name for name, *_ in seen(_plugins.entry_points(group=GROUP))}
        info = site.install(here, "late-1.0", "late", f"[{GROUP}]\nlate = late_mod\n")
        assert ("late", "late_mod") in {
            (n, v) for n, v, *_ in seen(_plugins.entry_points(group=GROUP))
        }
        info.joinpath("entry_points.txt").write_text(f"[{GROUP}]\nlate = new_mod\n", "utf-8")
        assert ("late", "new_mod") in {
            (n, v) for n, v, *_ in seen(_plugins.entry_points(group=GROUP))
        }
        shutil.rmtree(info)
        importlib.invalidate_caches()
        assert "late" not in {name for name, *_ in seen(_plugins.entry_points(group=GROUP))}
        assert reference() == seen(_plugins.entry_points(group=GROUP))


class TestUnusualEnvironments:
    """What the quick scan does not read goes to importlib.metadata, with the same answer."""

    def fallback(self) -> None:
        """The quick scan declines, and entry_points() answers as importlib.metadata does."""
        with pytest.raises(_plugins._Unusual):
            _plugins._quick_entry_points(GROUP)
        assert reference() == seen(_plugins.entry_points(group=GROUP))

    def test_a_zip_archive_on_sys_path(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A plugin inside a zip archive is found, through importlib.metadata."""
        archive = tmp_path / "plugins.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            zipped.writestr("zipped-1.0.dist-info/METADATA", "Name: zipped\nVersion: 1.0\n")
            zipped.writestr("zipped-1.0.dist-info/entry_points.txt", f"[{GROUP}]\nz = zmod\n")
        monkeypatch.syspath_prepend(str(archive))
        importlib.invalidate_caches()
        self.fallback()
        assert ("z", "zmod") in {(n, v) for n, v, *_ in seen(_plugins.entry_points(group=GROUP))}

    def test_an_egg_folder_on_sys_path(self, site: Site) -> None:
        """An .egg folder (its metadata in EGG-INFO) is read by importlib.metadata."""
        egg = site.root / "legacy-1.0.egg"
        egg.joinpath("EGG-INFO").mkdir(parents=True)
        egg.joinpath("EGG-INFO", "PKG-INFO").write_text("Name: legacy\nVersion: 1.0\n", "utf-8")
        egg.joinpath("EGG-INFO", "entry_points.txt").write_text(f"[{GROUP}]\nl = lmod\n", "utf-8")
        site.monkeypatch.syspath_prepend(str(egg))
        importlib.invalidate_caches()
        self.fallback()

    @pytest.mark.parametrize("folder", ["Shouty-1.0.DIST-INFO", "-1.0.dist-info", ".dist-info"])
    def test_a_metadata_folder_importlib_names_from_its_metadata(
        self, site: Site, folder: str
    ) -> None:
        """Upper-case suffixes and nameless folders: importlib.metadata reads the METADATA."""
        here = site.folder()
        site.install(here, folder, "named", f"[{GROUP}]\nn = nmod\n", suffix="")
        self.fallback()

    def test_a_finder_with_distributions_of_its_own(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """A meta path finder that brings distributions sends the scan to importlib.metadata."""

        class Finder:
            @staticmethod
            def find_spec(*_args: object) -> None:
                return None

            @staticmethod
            def find_distributions(*_args: object) -> list[importlib.metadata.Distribution]:
                return []

        monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
        self.fallback()

    def test_a_path_entry_that_is_not_a_string(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A Path object on sys.path is left to importlib.metadata."""
        monkeypatch.setattr(sys, "path", [tmp_path, *sys.path])
        self.fallback()
