"""A static site of the exports: a page per language, calendar feeds, contacts and the dataset.

Layout (every file a plain export, so any web host serves it)::

    index.html              a chooser: one section per language, with its page and feeds
    leiden-twinning.json    the dataset
    <lang>/index.html       the HTML export in that language, linking the other languages
    <lang>/calendar.ics     every tie's calendar;  <lang>/calendar-<tie>.ics one per tie
    <lang>/contacts.vcf     the contacts

The site is built in a temporary folder beside *directory* and swapped in only when every file
was written, so a failed publish leaves the previous site as it was. The bytes depend only on
the dataset and the arguments.
"""

from __future__ import annotations

import http.server
import os
import shutil
import tempfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from leiden_twinning._i18n import N_
from leiden_twinning.exceptions import ExportError

if TYPE_CHECKING:
    from collections.abc import Iterable

    from leiden_twinning._dataset import Dataset
    from leiden_twinning._i18n import I18n

__all__ = ["make_server", "publish", "serve"]

#: The dataset's file name in the site.
DATASET_FILE = "leiden-twinning.json"

#: Content types the preview server sends (the web's defaults lack the two calendar formats).
CONTENT_TYPES = {
    ".ics": "text/calendar; charset=utf-8",
    ".vcf": "text/vcard; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
}


# The labels of the chooser page (index.html), translated into each page language.
# Translators: a link to a calendar file, on the site's language chooser page.
_DOWNLOAD = N_("download")
# Translators: a webcal:// link that makes a calendar app subscribe to a feed.
_SUBSCRIBE = N_("subscribe")
# Translators: an https:// link to a feed, to paste into a calendar app ("From URL").
_FEED_URL = N_("link for calendar apps")
# Translators: a link to the HTML page of the ties in this language.
_PAGE = N_("The city ties")
# Translators: a calendar feed with the days of every tie.
_ALL_TIES = N_("Calendar of every tie")
# Translators: a calendar feed with the days of one tie; {city} is the partner city.
_ONE_TIE = N_("Calendar of the tie with {city}")
# Translators: a link to the contacts as a vCard file.
_CONTACTS = N_("Contacts (vCard)")
# Translators: a link to the dataset as a JSON file.
_DATASET = N_("The dataset (JSON)")


def _catalog_languages() -> tuple[str, ...]:
    """The languages the package has a message catalog for."""
    root = Path(__file__).with_name("locale")
    return tuple(sorted(p.name for p in root.iterdir() if (p / "LC_MESSAGES").is_dir()))


def _escape(text: str) -> str:
    from markupsafe import escape  # noqa: PLC0415 - Jinja2's own escaping

    return str(escape(text))


def _feed_links(href: str, base_url: str | None) -> list[tuple[str, str]]:
    """(label, URL) pairs for a feed: the file itself, and webcal/https given *base_url*."""
    if base_url is None:
        return [(_DOWNLOAD, href)]
    absolute = base_url.rstrip("/") + "/" + href
    webcal = "webcal://" + absolute.split("://", 1)[1]
    return [(_SUBSCRIBE, webcal), (_FEED_URL, absolute)]


def _section(dataset: Dataset, t: I18n, lang: str, ties: Iterable[str], base: str | None) -> str:
    from babel import Locale  # noqa: PLC0415

    name = Locale.parse(lang).get_display_name(lang) or lang
    items = [f'<li><a href="{lang}/index.html">{_escape(t.gettext(_PAGE))}</a></li>']
    feeds = [(t.gettext(_ALL_TIES), f"{lang}/calendar.ics")]
    for tie in ties:
        city = dataset.partner_city(dataset.partnership(tie)).name
        feeds.append(
            (
                t.gettext(_ONE_TIE).format(city=city),
                f"{lang}/calendar-{tie}.ics",
            )
        )
    for label, href in feeds:
        links = ", ".join(
            f'<a href="{_escape(url)}">{_escape(t.gettext(kind))}</a>'
            for kind, url in _feed_links(href, base)
        )
        items.append(f"<li>{_escape(label)}: {links}</li>")
    items.append(f'<li><a href="{lang}/contacts.vcf">{_escape(t.gettext(_CONTACTS))}</a></li>')
    return (
        f'<section lang="{lang}"><h2>{_escape(name.capitalize())}</h2>\n<ul>\n'
        + "\n".join(items)
        + "\n</ul></section>"
    )


def _index(
    dataset: Dataset, languages: tuple[str, ...], ties: list[str], base_url: str | None
) -> bytes:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415

    first = languages[0]
    title = _escape(dataset.home_city.name)
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{lang}" href="{lang}/index.html">' for lang in languages
    )
    sections = "\n".join(_section(dataset, i18n(lang), lang, ties, base_url) for lang in languages)
    dataset_label = " / ".join(_escape(i18n(lang).gettext(_DATASET)) for lang in languages)
    page = (
        f'<!DOCTYPE html>\n<html lang="{first}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n{alternates}\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
        f'{sections}\n<p><a href="{DATASET_FILE}">{dataset_label}</a></p>\n</main>\n'
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _tie_feeds(dataset: Dataset, lang: str) -> dict[str, bytes]:
    """One calendar per tie that has a day to show (a calendar needs at least one event)."""
    from leiden_twinning._plugins import export  # noqa: PLC0415

    feeds = {}
    for tie in dataset.partnerships:
        try:
            feeds[tie.id] = export(dataset, "ical", locale=lang, partnerships=[tie.id])
        except ExportError as exc:
            if "no event to write" not in str(exc):
                raise
    return feeds


def _files(dataset: Dataset, languages: tuple[str, ...], base_url: str | None) -> dict[str, bytes]:
    from leiden_twinning._plugins import export  # noqa: PLC0415

    files = {DATASET_FILE: export(dataset, "json")}
    ties: list[str] = []
    # Each page links the others (hreflang alternates and the language switch), itself included.
    alternates = [(lang, f"../{lang}/index.html") for lang in languages]
    for lang in languages:
        files[f"{lang}/index.html"] = export(dataset, "html", locale=lang, alternates=alternates)
        files[f"{lang}/calendar.ics"] = export(dataset, "ical", locale=lang)
        feeds = _tie_feeds(dataset, lang)
        ties = list(feeds)
        for tie, data in feeds.items():
            files[f"{lang}/calendar-{tie}.ics"] = data
        files[f"{lang}/contacts.vcf"] = export(dataset, "vcard", locale=lang)
    files["index.html"] = _index(dataset, languages, ties, base_url)
    return files


def publish(
    dataset: Dataset,
    directory: str | os.PathLike[str],
    *,
    base_url: str | None = None,
    locales: Iterable[str] | None = None,
) -> tuple[str, ...]:
    """Write the static site of *dataset* to *directory*, replacing what was there.

    :param base_url: where the site will be served (``https://example.org/ties``): adds
        ``webcal://`` and ``https://`` subscribe links for the calendar feeds.
    :param locales: the page languages (default: every catalog language, ``en`` and ``nl``).
    :returns: the site's files, as paths relative to *directory*, sorted.
    :raises ExportError: for a bad argument, or when an export fails; *directory* is then left
        as it was.

    .. versionadded:: 1.1
    """
    if base_url is not None and urlsplit(base_url).scheme not in ("http", "https"):
        msg = f"publish: base_url {base_url!r} is not an http(s) URL"
        raise ExportError(msg)
    languages = tuple(locales) if locales is not None else _catalog_languages()
    if not languages:
        msg = "publish: locales: give at least one language"
        raise ExportError(msg)
    target = Path(directory)
    files = _files(dataset, languages, base_url)
    target.parent.mkdir(parents=True, exist_ok=True)
    build = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        for name, data in sorted(files.items()):
            path = build / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            path.chmod(0o644)
        build.chmod(0o755)
        for sub in {p.parent for p in build.rglob("*") if p.is_file()}:
            sub.chmod(0o755)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        old.rmdir()
        target.rename(old)
    build.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return tuple(sorted(files))


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site with the calendar and vCard content types, and logs nothing."""

    # The base class declares an instance attribute, so no ClassVar here.
    extensions_map = {  # noqa: RUF012
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        **CONTENT_TYPES,
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Stay quiet: the preview is for a browser, not a log."""


def make_server(
    directory: str | os.PathLike[str], port: int = 8000
) -> http.server.ThreadingHTTPServer:
    """A preview server for the site in *directory*, on loopback (``127.0.0.1:port``).

    .. versionadded:: 1.1
    """
    handler = partial(_Handler, directory=os.fspath(directory))
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve(directory: str | os.PathLike[str], port: int = 8000) -> None:  # pragma: no cover
    """Preview the site in *directory* on ``http://127.0.0.1:port/`` until interrupted.

    .. versionadded:: 1.1
    """
    with make_server(directory, port) as server:
        server.serve_forever()
