"""Extract, update, compile and check the message catalogs (what ``nox -s i18n`` runs).

Usage::

    python tools/i18n.py            # extract, update the .pot/.po files, compile the .mo files
    python tools/i18n.py --update   # the same, spelled out
    python tools/i18n.py --check    # write nothing; fail when anything is stale (CI runs this)

Messages are extracted as ``babel.cfg`` says (Python sources and the exporters' Jinja2 templates)
with the keywords ``_``, ``N_``, ``gettext`` and ``ngettext`` and the ``Translators:`` comments,
into ``src/leiden_twinning/locale/leiden_twinning.pot``: sorted, without source locations, so the
files only change when a message does. The catalogs (``de``, ``en``, ``es``, ``ja``, ``nl`` and
``pl``) are updated from the template without fuzzy matching (a changed message id starts
untranslated rather than with a guess), obsolete entries are dropped, and the ``.mo`` files are
compiled. A missing catalog is created with the header and the ``Plural-Forms`` Babel gives its
language.

Files are compared by content (messages, comments, flags, translations and ``Plural-Forms``), not
byte by byte: a newer Babel or another day gives no churn. A file is rewritten only when its content
changed.

The exit status is non-zero, with one line per problem on standard error, when a catalog is stale (a
message in the code is missing from it, it holds an obsolete entry, its comments or flags are out of
date, its ``Plural-Forms`` is not its language's, or its ``.mo`` does not match its ``.po``;
``--check`` only), when a catalog other than ``en`` has an untranslated entry, when any catalog
has a fuzzy entry, a translation whose ``{placeholders}`` differ from the message id's, or a
plural message with a number of ``msgstr[N]`` forms other than its language's ``nplurals``, or
when a message in the code has no ``Translators:`` comment above it. (English needs no
translation: its message ids are English.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import re
import string
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import denormalize, read_po, write_po

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = Path("src/leiden_twinning")
LOCALE = PACKAGE / "locale"
DOMAIN = "leiden_twinning"
PROJECT = "leiden-twinning"
#: The catalogs the package ships; the languages in COMPLETE must translate every message.
LANGUAGES = ("de", "en", "es", "ja", "nl", "pl")
COMPLETE = ("de", "es", "ja", "nl", "pl")
#: ``_`` covers the CLI's ``_ = translations.gettext`` and templates' ``_()``.
KEYWORDS: dict[str, Any] = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
COMMENT_TAG = "Translators:"
UPDATE_HINT = "run `nox -s i18n -- --update`"

HEADER = """\
# Translations template for leiden-twinning.
# Copyright (C) the leiden_twinning maintainers.
# Distributed under the same license (MIT) as the leiden-twinning package.
#"""
TEAM = "leiden_twinning maintainers"


def _stamp() -> dt.datetime:
    """The time to record in a rewritten header: ``SOURCE_DATE_EPOCH`` when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(second=0, microsecond=0)


def _version(root: Path) -> str:
    text = (root / PACKAGE / "_version.py").read_text(encoding="utf-8")
    match = re.search(r"""__version__\s*=\s*["']([^"']+)["']""", text)
    return match.group(1) if match else "0"


def _new_catalog(root: Path, locale: str | None, **dates: Any) -> Catalog:
    return Catalog(
        locale=locale,
        domain=DOMAIN,
        header_comment=HEADER,
        project=PROJECT,
        version=_version(root),
        copyright_holder=TEAM,
        msgid_bugs_address=TEAM,
        last_translator=TEAM,
        language_team=f"{locale} ({TEAM})" if locale else TEAM,
        charset="utf-8",
        fuzzy=locale is None,
        **dates,
    )


def _key(message: Message) -> str:
    return str(message.id[0] if isinstance(message.id, tuple | list) else message.id)


def _messages(catalog: Catalog) -> list[Message]:
    return sorted((m for m in catalog if m.id), key=_key)


def _content(catalog: Catalog, *, strings: bool = True) -> object:
    """What a catalog says, without dates, tool versions or line wrapping."""
    messages = [
        (
            m.id if isinstance(m.id, str) else tuple(m.id),
            m.context,
            (m.string if isinstance(m.string, str) else tuple(m.string or ())) if strings else None,
            tuple(sorted(m.flags)),
            # write_po wraps long comments: compare their words, not their lines.
            " ".join(m.auto_comments).split(),
            " ".join(m.user_comments).split(),
        )
        for m in _messages(catalog)
    ]
    plural = catalog.plural_forms if catalog.locale is not None else None
    return messages, sorted(map(str, catalog.obsolete)), plural


def _mo_content(catalog: Catalog) -> object:
    """What a compiled catalog says: its translations and its plural rule."""
    pairs = sorted(
        (str(m.id), str(m.string)) for m in catalog if m.id and m.string and "fuzzy" not in m.flags
    )
    return pairs, catalog.plural_forms


def extract(root: Path) -> tuple[Catalog, list[str]]:
    """Extract the messages of the code as ``babel.cfg`` maps it; return the template and problems.

    A problem is a message with no ``Translators:`` comment on the line above any of its uses
    (in a template: ``{# Translators: ... #}`` before the ``{% trans %}``).
    """
    from babel.messages.frontend import parse_mapping_cfg  # noqa: PLC0415

    with (root / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)  # type: ignore[no-untyped-call]

    def descend(directory: str) -> bool:
        parts = Path(directory).relative_to(root).parts
        return parts[:1] == ("src",) and not any(p.startswith((".", "__")) for p in parts)

    template = _new_catalog(root, None)
    problems = []
    bare: dict[str, str] = {}
    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=(COMMENT_TAG,),
        directory_filter=descend,
    ):
        first = message[0] if isinstance(message, tuple | list) else message
        if not first:
            problems.append(f"{filename}:{lineno}: an empty message id")
            continue
        if not comments:
            bare.setdefault(first, f"{filename}:{lineno}")
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for m in template:
        where = bare.get(_key(m)) if m.id else None
        if where and not m.auto_comments:
            problems.append(f"{where}: no '# {COMMENT_TAG}' comment above the message {_key(m)!r}")
    return template, problems


def _render_po(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, sort_output=True, ignore_obsolete=True)
    return buffer.getvalue()


def _render_mo(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _read_po(path: Path, locale: str | None) -> Catalog | None:
    if not path.exists():
        return None
    with path.open("rb") as stream:
        return read_po(stream, locale=locale, domain=DOMAIN)


_PERCENT = re.compile(r"%\((\w+)\)[sdif]|%%")


def _fields(text: str) -> set[str] | None:
    """The ``{placeholders}`` and ``%(placeholders)s`` of *text*; None when it cannot format."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None
    return names | {f"%({m})" for m in _PERCENT.findall(text) if m}


def translation_problems(catalog: Catalog, where: str, *, complete: bool) -> list[str]:
    """Untranslated or fuzzy entries (for a *complete* language) and placeholder mismatches."""
    problems = []
    for m in _messages(catalog):
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = (
            [s or "" for s in m.string] if isinstance(m.string, tuple | list) else [m.string or ""]
        )
        if "fuzzy" in m.flags:
            problems.append(f"{where}: fuzzy entry {ids[0]!r}")
        if complete and not all(strings):
            problems.append(f"{where}: untranslated {ids[0]!r}")
        for index, text in enumerate(strings):
            if not text:
                continue
            # msgstr[0] is the singular where the language has one; with one form (ja) it
            # serves every number, like the plural id.
            plural = index > 0 or catalog.num_plurals == 1
            expected = _fields(ids[-1] if plural else ids[0])
            if _fields(text) != expected:
                problems.append(
                    f"{where}: placeholders of {ids[0]!r} differ in msgstr[{index}] {text!r}"
                )
    return problems


_MSGSTR_N = re.compile(r"msgstr\[(\d+)\]")


def plural_form_problems(text: str, where: str, nplurals: int) -> list[str]:
    """Plural entries of the ``.po`` *text* whose ``msgstr[N]`` are not exactly 0 to *nplurals*-1.

    Read from the file itself: Babel's reader pads or cuts the forms to the header's count.
    """
    problems = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [line for line in block.splitlines() if line and not line.startswith("#")]
        keywords = [line.split(" ", 1)[0] for line in lines]
        if "msgid_plural" not in keywords:
            continue
        start = keywords.index("msgid")
        end = keywords.index("msgid_plural")
        msgid = denormalize("\n".join(line.removeprefix("msgid ") for line in lines[start:end]))
        forms = [int(found.group(1)) for line in lines if (found := _MSGSTR_N.match(line))]
        if forms != list(range(nplurals)):
            problems.append(
                f"{where}: {msgid!r} has {len(forms)} plural form(s) "
                f"(msgstr{forms}); the language has {nplurals}"
            )
    return problems


class Plan:
    """The files to (re)write, and the problems found."""

    def __init__(self) -> None:
        self.writes: dict[Path, bytes] = {}
        self.stale: list[str] = []
        self.problems: list[str] = []


def plan(root: Path) -> Plan:
    """Work out what extraction, update and compilation would write, and what is wrong."""
    result = Plan()
    template, result.problems = extract(root)
    ids = {_key(m) for m in _messages(template)}

    pot_path = LOCALE / f"{DOMAIN}.pot"
    old_pot = _read_po(root / pot_path, None)
    if old_pot is not None and _content(old_pot, strings=False) == _content(
        template, strings=False
    ):
        template.creation_date = old_pot.creation_date
    else:
        template.creation_date = _stamp()
        old_ids = set() if old_pot is None else {_key(m) for m in _messages(old_pot)}
        result.stale += _diff(str(pot_path), ids, old_ids, "comments or flags are out of date")
        result.writes[root / pot_path] = _render_po(template)

    for language in LANGUAGES:
        po_path = LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        mo_path = po_path.with_suffix(".mo")
        old = _read_po(root / po_path, language)
        stale = False
        catalog = _new_catalog(
            root, language, creation_date=template.creation_date, revision_date=_stamp()
        )
        if old is not None:
            catalog.revision_date = old.revision_date
            for message in old:
                if message.id:
                    catalog[message.id] = message
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete = {}
        if old is None:
            result.stale.append(f"{po_path}: missing")
        elif stale := (
            bool(old.obsolete)
            or _content(old) != _content(catalog)
            or not _header_ok(root / po_path, catalog)
        ):
            old_ids = {_key(m) for m in _messages(old)} | set(map(str, old.obsolete))
            result.stale += _diff(
                str(po_path), ids, old_ids, "comments, flags or header out of date"
            )
        if old is None or stale:
            catalog.revision_date = _stamp()
            result.writes[root / po_path] = _render_po(catalog)
        result.problems += translation_problems(
            catalog, str(po_path), complete=language in COMPLETE
        )
        if old is not None:
            _check_plurals(root, po_path, old, catalog, result)

        compiled = _render_mo(catalog)
        current = None
        if (root / mo_path).exists():
            with (root / mo_path).open("rb") as stream:
                current = _mo_content(read_mo(stream))
        if current != _mo_content(read_mo(io.BytesIO(compiled))):
            result.stale.append(f"{mo_path}: does not match {po_path.name}")
            result.writes[root / mo_path] = compiled
    return result


def _check_plurals(root: Path, po_path: Path, old: Catalog, catalog: Catalog, result: Plan) -> None:
    """Report a ``Plural-Forms`` header other than the language's, and entries with other forms."""
    if old.plural_forms != catalog.plural_forms:
        result.stale.append(
            f"{po_path}: Plural-Forms is {old.plural_forms!r}; "
            f"{catalog.locale_identifier} has {catalog.plural_forms!r}"
        )
    result.problems += plural_form_problems(
        (root / po_path).read_text(encoding="utf-8"), str(po_path), catalog.num_plurals
    )


def _header_ok(path: Path, catalog: Catalog) -> bool:
    """Whether the file's header states the language and the plural rule of *catalog*."""
    # write_po wraps a long header value (Polish plural rule) over lines: join them first.
    # A wrapped line ends without the value's "\n"; a header line ends with it.
    text = re.sub(r'(?<!\\n)"\n"', "", path.read_text(encoding="utf-8"))
    return all(
        f'"{name}: {value}\\n"' in text
        for name, value in (
            ("Language", catalog.locale_identifier),
            ("Plural-Forms", catalog.plural_forms),
        )
    )


def _diff(where: str, ids: set[str], old_ids: set[str], otherwise: str) -> list[str]:
    lines = [f"{where}: missing {key!r}" for key in sorted(ids - old_ids)]
    lines += [f"{where}: obsolete entry {key!r}" for key in sorted(old_ids - ids)]
    return lines or [f"{where}: {otherwise}"]


def _report(lines: Iterable[str]) -> int:
    count = 0
    for line in lines:
        print(f"i18n: {line}", file=sys.stderr)
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Run the tool; return the exit status."""
    parser = argparse.ArgumentParser(prog="tools/i18n.py", description=__doc__.split("\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="write nothing; fail when stale")
    mode.add_argument("--update", action="store_true", help="write the catalogs (the default)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the project directory")
    args = parser.parse_args(argv)
    root = args.root.resolve()

    try:
        result = plan(root)
    except Exception as exc:  # an extractor's error becomes one readable line
        _report([f"extraction failed: {type(exc).__name__}: {exc}"])
        return 1
    failed = 0
    if args.check:
        failed += _report(f"{line} ({UPDATE_HINT})" for line in result.stale)
    else:
        for path, data in sorted(result.writes.items()):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"i18n: wrote {path.relative_to(root)}")
    failed += _report(result.problems)
    if failed:
        return 1
    print(f"i18n: the catalogs {', '.join(LANGUAGES)} are up to date and complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
