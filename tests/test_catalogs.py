"""The message catalogs: lint (like python-holidays') and the ``nox -s i18n`` check."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "leiden_twinning" / "locale"
DOMAIN = "leiden_twinning"
LANGUAGES = ("nl", "en")
PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
TOOL = ROOT / "tools" / "i18n.py"
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}|%\((\w+)\)[sdif]")


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale=language, domain=DOMAIN)


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def first_id(message: Message) -> str:
    return str(message.id if isinstance(message.id, str) else message.id[0])


def ids_of(message: Message) -> list[str]:
    return [message.id] if isinstance(message.id, str) else list(message.id)


def strings_of(message: Message) -> list[str]:
    """The msgstr, or the msgstr[N] of a plural entry, as a list."""
    if isinstance(message.string, str):
        return [message.string]
    return [s or "" for s in message.string or ()]


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text)}


def translations(catalog: Catalog) -> dict[str, str]:
    """The msgid -> msgstr pairs a compiled catalog would serve (plurals joined by NUL)."""
    pairs = {}
    for m in messages(catalog):
        key = "\0".join(ids_of(m))
        value = "\0".join(strings_of(m))
        if value.strip("\0") and "fuzzy" not in m.flags:
            pairs[key] = value
    return pairs


@pytest.mark.parametrize("language", LANGUAGES)
class TestCatalogLint:
    """Each catalog is clean: one entry per message, none obsolete or fuzzy, right headers."""

    def test_no_duplicate_entries(self, language: str) -> None:
        text = po_path(language).read_text(encoding="utf-8")
        entries = re.findall(r"^msgid ", text, flags=re.MULTILINE)
        # One of the entries is the header (msgid "").
        assert len(messages(read(po_path(language), language))) + 1 == len(entries)

    def test_no_obsolete_entries(self, language: str) -> None:
        text = po_path(language).read_text(encoding="utf-8")
        assert [] == re.findall(r"^#~.*$", text, flags=re.MULTILINE)
        assert {} == read(po_path(language), language).obsolete

    def test_no_fuzzy_entries(self, language: str) -> None:
        catalog = read(po_path(language), language)
        assert not catalog.fuzzy
        assert [] == [first_id(m) for m in messages(catalog) if "fuzzy" in m.flags]

    def test_headers(self, language: str) -> None:
        text = po_path(language).read_text(encoding="utf-8")
        assert f'"Language: {language}\\n"' in text
        assert f'"Plural-Forms: {PLURAL_FORMS}\\n"' in text
        assert '"Content-Type: text/plain; charset=utf-8\\n"' in text

    def test_same_messages_as_the_template(self, language: str) -> None:
        template = read(LOCALE / f"{DOMAIN}.pot")
        catalog = read(po_path(language), language)
        assert [m.id for m in messages(template)] == [m.id for m in messages(catalog)]

    def test_placeholders_match(self, language: str) -> None:
        wrong = []
        for m in messages(read(po_path(language), language)):
            ids = ids_of(m)
            for index, text in enumerate(strings_of(m)):
                expected = placeholders(ids[min(index, len(ids) - 1)])
                if text and placeholders(text) != expected:
                    wrong.append((ids[0], index, text))
        assert [] == wrong

    def test_compiled_catalog_matches_the_po_file(self, language: str) -> None:
        catalog = read(po_path(language), language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        expected = read_mo(buffer)
        with po_path(language).with_suffix(".mo").open("rb") as stream:
            committed = read_mo(stream)
        assert translations(expected) == translations(committed)
        assert PLURAL_FORMS == committed.plural_forms


class TestCompleteness:
    """Dutch is complete; every message in the code explains itself to translators."""

    def test_dutch_is_fully_translated(self) -> None:
        untranslated = [
            first_id(m) for m in messages(read(po_path("nl"), "nl")) if not all(strings_of(m))
        ]
        assert [] == untranslated

    def test_translator_comment_on_every_message(self) -> None:
        # The extractors keep only comments tagged "Translators:" (Jinja2's drops the tag itself).
        template = read(LOCALE / f"{DOMAIN}.pot")
        bare = [first_id(m) for m in messages(template) if not "".join(m.auto_comments).strip()]
        assert [] == bare

    def test_template_has_no_source_locations(self) -> None:
        text = (LOCALE / f"{DOMAIN}.pot").read_text(encoding="utf-8")
        assert [] == re.findall(r"^#: .*$", text, flags=re.MULTILINE)

    def test_english_falls_back_to_the_message_ids(self) -> None:
        catalog = read(po_path("en"), "en")
        assert all(not any(strings_of(m)) or strings_of(m) == ids_of(m) for m in messages(catalog))


def run_tool(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(TOOL), "--root", str(root), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def snapshot(root: Path) -> dict[str, bytes]:
    locale = root / "src" / "leiden_twinning" / "locale"
    return {str(p.relative_to(locale)): p.read_bytes() for p in locale.rglob("*") if p.is_file()}


LABELS = '''\
"""Messages of a small project shaped like the package."""

from leiden_twinning._i18n import N_

# Translators: a kind of tie between two cities.
TWINNING = N_("twinning")


def greet(t, n):
    """A message with a placeholder and one with plural forms."""
    # Translators: an approximate number.
    about = t.gettext("about {number}")
    # Translators: a duration.
    return about, t.ngettext("{n} year", "{n} years", n)
'''

TEMPLATE = """\
<h1>{# Translators: the heading of the page. #}{% trans %}Timeline{% endtrans %}</h1>
"""

DUTCH: dict[str, str | tuple[str, str]] = {
    "twinning": "stedenband",
    "about {number}": "ongeveer {number}",
    "{n} year": ("{n} jaar", "{n} jaar"),
    "Timeline": "Tijdlijn",
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small project with the package's layout, babel.cfg and complete catalogs."""
    root = tmp_path_factory.mktemp("project")
    package = root / "src" / "leiden_twinning"
    (package / "exporters" / "templates").mkdir(parents=True)
    shutil.copy(ROOT / "babel.cfg", root / "babel.cfg")
    (package / "_version.py").write_text('__version__ = "1.0"\n', encoding="utf-8")
    (package / "labels.py").write_text(LABELS, encoding="utf-8")
    (package / "exporters" / "templates" / "page.html").write_text(TEMPLATE, encoding="utf-8")
    first = run_tool(root)
    assert "untranslated 'twinning'" in first.stderr
    nl_po = package / "locale" / "nl" / "LC_MESSAGES" / f"{DOMAIN}.po"
    catalog = read(nl_po, "nl")
    for m in messages(catalog):
        m.string = DUTCH[first_id(m)]
    with nl_po.open("wb") as stream:
        write_po(stream, catalog, no_location=True, sort_output=True)
    second = run_tool(root)
    assert (0, "") == (second.returncode, second.stderr)
    return root


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    """A fresh copy of the small project, whose catalogs pass the check, to break on purpose."""
    root = tmp_path / "project"
    shutil.copytree(pristine, root)
    return root


STALE = '''\
"""A module added after the catalogs were last updated."""

from leiden_twinning._i18n import i18n


def hello() -> str:
    """A message nobody has extracted yet."""
    # Translators: a test message.
    return i18n("nl").gettext("A message nobody translated")
'''


class TestI18nTool:
    """``tools/i18n.py --check`` passes on the real catalogs and fails on broken ones."""

    def test_complete_project_passes(self, project: Path) -> None:
        result = run_tool(project, "--check")
        assert (0, "") == (result.returncode, result.stderr)

    def test_real_catalogs_pass(self) -> None:
        result = run_tool(ROOT, "--check")
        assert (0, "") == (result.returncode, result.stderr)

    def test_stale_catalog_fails_and_check_writes_nothing(self, project: Path) -> None:
        (project / "src" / "leiden_twinning" / "_stale.py").write_text(STALE, encoding="utf-8")
        before = snapshot(project)
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        lines = result.stderr.splitlines()
        for catalog in ("leiden_twinning.pot", "en/LC_MESSAGES", "nl/LC_MESSAGES"):
            assert any(
                catalog in line and "missing 'A message nobody translated'" in line
                for line in lines
            ), catalog
        assert before == snapshot(project)

    def test_update_adds_the_message_and_dutch_must_translate_it(self, project: Path) -> None:
        (project / "src" / "leiden_twinning" / "_stale.py").write_text(STALE, encoding="utf-8")
        result = run_tool(project, "--update")
        assert 1 == result.returncode
        assert "untranslated 'A message nobody translated'" in result.stderr
        nl = read(project / "src/leiden_twinning/locale/nl/LC_MESSAGES/leiden_twinning.po", "nl")
        assert "A message nobody translated" in nl
        # After the update only the missing translation is left; a second update writes nothing.
        again = run_tool(project, "--check")
        assert ["untranslated"] == [
            "untranslated" for line in again.stderr.splitlines() if "untranslated" in line
        ]
        assert len(again.stderr.splitlines()) == 1
        before = snapshot(project)
        assert "wrote" not in run_tool(project).stdout
        assert before == snapshot(project)

    def test_obsolete_entry_fails(self, project: Path) -> None:
        po = project / "src/leiden_twinning/locale/nl/LC_MESSAGES/leiden_twinning.po"
        po.write_text(
            po.read_text(encoding="utf-8") + '\n#~ msgid "gone"\n#~ msgstr "weg"\n',
            encoding="utf-8",
        )
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "obsolete entry 'gone'" in result.stderr

    def test_untranslated_and_fuzzy_dutch_fail(self, project: Path) -> None:
        po = project / "src/leiden_twinning/locale/nl/LC_MESSAGES/leiden_twinning.po"
        text = po.read_text(encoding="utf-8")
        text = text.replace('msgid "twinning"\nmsgstr "stedenband"', 'msgid "twinning"\nmsgstr ""')
        text = text.replace('msgid "Timeline"', '#, fuzzy\nmsgid "Timeline"')
        po.write_text(text, encoding="utf-8")
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "untranslated 'twinning'" in result.stderr
        assert "fuzzy entry 'Timeline'" in result.stderr

    def test_wrong_placeholder_fails(self, project: Path) -> None:
        po = project / "src/leiden_twinning/locale/nl/LC_MESSAGES/leiden_twinning.po"
        text = po.read_text(encoding="utf-8")
        po.write_text(text.replace('"ongeveer {number}"', '"ongeveer {getal}"'), encoding="utf-8")
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "placeholders of 'about {number}' differ" in result.stderr

    def test_stale_compiled_catalog_fails(self, project: Path) -> None:
        messages_dir = project / "src/leiden_twinning/locale"
        shutil.copy(
            messages_dir / "en/LC_MESSAGES/leiden_twinning.mo",
            messages_dir / "nl/LC_MESSAGES/leiden_twinning.mo",
        )
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "nl/LC_MESSAGES/leiden_twinning.mo: does not match" in result.stderr

    def test_missing_translator_comment_fails(self, project: Path) -> None:
        module = project / "src" / "leiden_twinning" / "_stale.py"
        module.write_text(STALE.replace("    # Translators: a test message.\n", ""), "utf-8")
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "_stale.py:8: no '# Translators:' comment" in result.stderr

    def test_template_message_without_translator_comment_fails(self, project: Path) -> None:
        page = project / "src/leiden_twinning/exporters/templates/page.html"
        page.write_text(
            TEMPLATE.replace("{# Translators: the heading of the page. #}", ""), "utf-8"
        )
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "page.html:1: no '# Translators:' comment above the message 'Timeline'" in (
            result.stderr
        )
