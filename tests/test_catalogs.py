"""The message catalogs: lint (like python-holidays') and the ``nox -s i18n`` check."""

from __future__ import annotations

import gettext
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
LANGUAGES = ("nl", "en", "de", "pl", "es", "ja")
#: Every language but English translates every message (English's message ids are English).
COMPLETE = ("nl", "de", "pl", "es", "ja")
#: How many plural forms each language's grammar has (es: CLDR's "many", as in "1.000.000 de").
NPLURALS = {"nl": 2, "en": 2, "de": 2, "pl": 3, "es": 3, "ja": 1}
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
        assert '"Content-Type: text/plain; charset=utf-8\\n"' in text
        assert NPLURALS[language] == read(po_path(language), language).num_plurals

    def test_every_plural_entry_has_the_languages_forms(self, language: str) -> None:
        """Each msgid_plural entry has msgstr[0] to msgstr[nplurals - 1] in the file itself."""
        text = po_path(language).read_text(encoding="utf-8")
        plural_entries = [e for e in text.split("\n\n") if "\nmsgid_plural " in e]
        expected = [str(i) for i in range(NPLURALS[language])]
        assert plural_entries
        assert [] == [
            e for e in plural_entries if re.findall(r"^msgstr\[(\d+)\]", e, re.M) != expected
        ]

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
        assert catalog.plural_forms == committed.plural_forms


class TestCompleteness:
    """Every catalog but English is complete; every message explains itself to translators."""

    @pytest.mark.parametrize("language", COMPLETE)
    def test_fully_translated(self, language: str) -> None:
        """No message of a complete catalog lacks a translation, in any plural form."""
        untranslated = [
            first_id(m)
            for m in messages(read(po_path(language), language))
            if not all(strings_of(m))
        ]
        assert [] == untranslated

    @pytest.mark.parametrize("language", ["de", "pl", "es", "ja"])
    def test_each_language_has_a_glossary(self, language: str) -> None:
        """A reviewer finds the terms of the catalog explained next to it."""
        text = (LOCALE / language / "GLOSSARY.md").read_text(encoding="utf-8")
        rows = {row.split("|")[1].strip(): row for row in text.splitlines() if row.startswith("| ")}
        catalog = read(po_path(language), language)
        # The glossary's row for each kind of tie names the catalog's own translation.
        for term in ("twinning", "friendship tie"):
            assert str(catalog[term].string) in rows[term]

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


def compiled(language: str) -> gettext.GNUTranslations:
    """The committed ``.mo`` of *language*, as Python's gettext reads it."""
    with po_path(language).with_suffix(".mo").open("rb") as stream:
        return gettext.GNUTranslations(stream)


class TestPluralForms:
    """The compiled catalogs pick the grammatical form each language uses for a number."""

    @pytest.mark.parametrize(
        ("language", "expected"),
        [
            ("nl", {1: "1 jaar", 2: "2 jaar", 5: "5 jaar"}),
            ("de", {1: "1 Jahr", 2: "2 Jahre", 5: "5 Jahre", 21: "21 Jahre"}),
            (
                "pl",
                {
                    1: "1 rok",
                    2: "2 lata",
                    4: "4 lata",
                    5: "5 lat",
                    12: "12 lat",
                    14: "14 lat",
                    22: "22 lata",
                    25: "25 lat",
                    102: "102 lata",
                    112: "112 lat",
                },
            ),
            ("es", {1: "1 año", 2: "2 años", 5: "5 años", 1_000_000: "1000000 de años"}),
            ("ja", {1: "1年", 2: "2年", 5: "5年"}),
        ],
    )
    def test_years(self, language: str, expected: dict[int, str]) -> None:
        """ "{n} year(s)" takes the form the language's grammar wants for each number."""
        t = compiled(language)
        got = {n: t.ngettext("{n} year", "{n} years", n).format(n=n) for n in expected}
        assert expected == got

    def test_polish_jubilee_titles(self) -> None:
        """A Polish jubilee title declines "year" with the number (rok, lata, lat)."""
        t = compiled("pl")
        titles = [
            t.ngettext("{n} year of the {tie} twinning", "{n} years of the {tie} twinning", n)
            for n in (1, 3, 5)
        ]
        assert [
            "{n} rok partnerstwa miast {tie}",
            "{n} lata partnerstwa miast {tie}",
            "{n} lat partnerstwa miast {tie}",
        ] == titles

    @pytest.mark.parametrize("language", ["de", "pl", "es", "ja"])
    def test_twinning_and_friendship_stay_apart(self, language: str) -> None:
        """The two kinds of tie never share a translation (stedenband is not vriendschapsband)."""
        t = compiled(language)
        pairs = [
            ("twinning", "friendship tie"),
            ("the {home}–{partner} twinning", "the {home}–{partner} friendship tie"),  # noqa: RUF001
            ("Anniversary of the {tie} twinning", "Anniversary of the {tie} friendship tie"),
        ]
        for twinning, friendship in pairs:
            assert t.gettext(twinning) != t.gettext(friendship)
            assert twinning != t.gettext(twinning)


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

TRANSLATIONS: dict[str, dict[str, str | tuple[str, ...]]] = {
    "nl": {
        "twinning": "stedenband",
        "about {number}": "ongeveer {number}",
        "{n} year": ("{n} jaar", "{n} jaar"),
        "Timeline": "Tijdlijn",
    },
    "de": {
        "twinning": "Städtepartnerschaft",
        "about {number}": "etwa {number}",
        "{n} year": ("{n} Jahr", "{n} Jahre"),
        "Timeline": "Zeitleiste",
    },
    "pl": {
        "twinning": "partnerstwo miast",
        "about {number}": "około {number}",
        "{n} year": ("{n} rok", "{n} lata", "{n} lat"),
        "Timeline": "Oś czasu",
    },
    "es": {
        "twinning": "hermanamiento",
        "about {number}": "alrededor de {number}",
        "{n} year": ("{n} año", "{n} de años", "{n} años"),
        "Timeline": "Cronología",
    },
    "ja": {
        "twinning": "姉妹都市提携",
        "about {number}": "約{number}",
        "{n} year": ("{n}年",),
        "Timeline": "年表",
    },
}


def small_po(root: Path, language: str) -> Path:
    """The catalog of *language* in the small project."""
    return root / "src" / "leiden_twinning" / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def edit(path: Path, old: str, new: str) -> None:
    """Replace *old* (which must be there) by *new* in the file at *path*."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


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
    for language, translated in TRANSLATIONS.items():
        assert f"{language}/LC_MESSAGES/{DOMAIN}.po: untranslated 'twinning'" in first.stderr
        catalog = read(small_po(root, language), language)
        for m in messages(catalog):
            m.string = translated[first_id(m)]
        with small_po(root, language).open("wb") as stream:
            write_po(stream, catalog, no_location=True, sort_output=True)
    assert "en/LC_MESSAGES" not in first.stderr
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
        for catalog in ("leiden_twinning.pot", *(f"{lang}/LC_MESSAGES" for lang in LANGUAGES)):
            assert any(
                catalog in line and "missing 'A message nobody translated'" in line
                for line in lines
            ), catalog
        assert before == snapshot(project)

    def test_update_adds_the_message_and_each_language_must_translate_it(
        self, project: Path
    ) -> None:
        """After --update, every catalog but English reports the new message untranslated."""
        (project / "src" / "leiden_twinning" / "_stale.py").write_text(STALE, encoding="utf-8")
        result = run_tool(project, "--update")
        assert 1 == result.returncode
        for language in COMPLETE:
            assert "A message nobody translated" in read(small_po(project, language), language)
        # After the update only the missing translations are left; a second update writes nothing.
        again = run_tool(project, "--check")
        assert sorted(
            f"i18n: {small_po(project, language).relative_to(project)}: "
            "untranslated 'A message nobody translated'"
            for language in COMPLETE
        ) == sorted(again.stderr.splitlines())
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

    @pytest.mark.parametrize("language", COMPLETE)
    def test_untranslated_entry_fails(self, project: Path, language: str) -> None:
        """An empty msgstr fails the check in every catalog but English."""
        twinning = TRANSLATIONS[language]["twinning"]
        po = small_po(project, language)
        edit(po, f'msgid "twinning"\nmsgstr "{twinning}"', 'msgid "twinning"\nmsgstr ""')
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert f"i18n: {po.relative_to(project)}: untranslated 'twinning'" in (
            result.stderr.splitlines()
        )

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_fuzzy_entry_fails(self, project: Path, language: str) -> None:
        """A fuzzy flag fails the check in every catalog, English too."""
        po = small_po(project, language)
        edit(po, 'msgid "Timeline"', '#, fuzzy\nmsgid "Timeline"')
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert f"{po.relative_to(project)}: fuzzy entry 'Timeline'" in result.stderr

    @pytest.mark.parametrize("language", COMPLETE)
    def test_wrong_placeholder_fails(self, project: Path, language: str) -> None:
        """A renamed {placeholder} in a translation fails the check."""
        about = str(TRANSLATIONS[language]["about {number}"])
        po = small_po(project, language)
        edit(po, f'"{about}"', '"{}"'.format(about.replace("{number}", "{getal}")))
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert (
            f"{po.relative_to(project)}: placeholders of 'about {{number}}' differ" in result.stderr
        )

    @pytest.mark.parametrize("language", COMPLETE)
    def test_placeholder_lost_in_a_plural_form_fails(self, project: Path, language: str) -> None:
        """A plural form without {n} fails the check (the last form of each language)."""
        forms = TRANSLATIONS[language]["{n} year"]
        last = len(forms) - 1
        po = small_po(project, language)
        edit(po, f'msgstr[{last}] "{forms[last]}"', f'msgstr[{last}] "many"')
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert f"placeholders of '{{n}} year' differ in msgstr[{last}] 'many'" in result.stderr

    def test_polish_with_two_plural_forms_fails(self, project: Path) -> None:
        """Polish needs three forms (rok, lata, lat): two fail the check, --update cannot fix it."""
        po = small_po(project, "pl")
        edit(po, 'msgstr[2] "{n} lat"\n', "")
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert (
            f"i18n: {po.relative_to(project)}: '{{n}} year' has 2 plural form(s) "
            "(msgstr[0, 1]); the language has 3"
        ) in result.stderr.splitlines()
        # Writing the catalog again gives the missing form, empty: still a problem to fix.
        update = run_tool(project, "--update")
        assert 1 == update.returncode
        assert "untranslated '{n} year'" in update.stderr

    def test_japanese_with_two_plural_forms_fails(self, project: Path) -> None:
        """Japanese has one form for every number: a second one fails the check."""
        po = small_po(project, "ja")
        edit(po, 'msgstr[0] "{n}年"\n', 'msgstr[0] "{n}年"\nmsgstr[1] "{n}年"\n')
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert "'{n} year' has 2 plural form(s) (msgstr[0, 1]); the language has 1" in (
            result.stderr
        )

    def test_plural_forms_header_of_another_language_fails(self, project: Path) -> None:
        """A Polish catalog whose header claims Dutch-style plurals is reported with both rules."""
        po = small_po(project, "pl")
        text = po.read_text(encoding="utf-8")
        wrapped = re.search(r'"Plural-Forms: .*?\\n"\n', text, flags=re.DOTALL)
        assert wrapped is not None
        po.write_text(
            text.replace(wrapped.group(0), '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'),
            encoding="utf-8",
        )
        result = run_tool(project, "--check")
        assert 1 == result.returncode
        assert (
            f"{po.relative_to(project)}: Plural-Forms is 'nplurals=2; plural=(n != 1);'; pl has"
            " 'nplurals=3;" in result.stderr
        )

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
