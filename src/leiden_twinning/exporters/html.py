"""The ``html`` exporter: one self-contained, accessible page about the home city's ties.

The page is rendered with Jinja2 from the templates beside this module, autoescaping everything;
template messages go through the package's gettext catalogs (``jinja2.ext.i18n``). The result has
inline CSS only, no JavaScript, and a Content-Security-Policy that forbids every external request.
Every URL taken from the data is emitted as a link only with an ``http``, ``https``, ``mailto`` or
``tel`` scheme; anything else is shown as text.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import urllib.parse
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning import Exporter, Option, i18n
from leiden_twinning.exporting import (
    N_,
    iso_date,
    partnerships_option,
    phone,
    reference_date,
    select_partnerships,
    translate,
    write_blocks,
)
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterator, Mapping, Sequence

    import jinja2
    from markupsafe import Markup

    from leiden_twinning import (
        Dataset,
        I18n,
        LocalizedText,
        PartialDate,
        Partnership,
    )

__all__ = ["FIRST_YEAR", "SAFE_SCHEMES", "parts", "render", "safe_url", "write"]

#: The first year of the timeline: Leiden's oldest tie, with Oxford, dates from 1946.
FIRST_YEAR = 1946
#: The only URL schemes the page links to.
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
#: Characters browsers strip or ignore inside a URL, which could hide a scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
#: Characters a valid URL never holds unencoded (the Nu checker rejects them in ``href``).
_URL_ILLEGAL = re.compile(r'["<>\\^`{|}]')


def safe_url(url: str | None) -> str | None:
    """Return *url* when it is an absolute URL with a safe scheme, else ``None``.

    >>> safe_url("https://www.leiden.nl/")
    'https://www.leiden.nl/'
    >>> safe_url("javascript:alert(1)") is None
    True
    """
    if not url or _URL_NOISE.search(url) or _URL_ILLEGAL.search(url):
        return None
    match = _SCHEME.match(url)
    if match is None or match.group(1).lower() not in SAFE_SCHEMES:
        return None
    return url


def _mailto(email: str | None) -> str | None:
    if not email:
        return None
    return safe_url("mailto:" + urllib.parse.quote(email, safe="@+"))


def _phone(number: str | None) -> tuple[str, str] | None:
    """``(tel: URL, number in international format)``, or ``None`` for a number that won't parse."""
    found = phone(number)
    return None if found is None else (found.uri, found.international)


def _paragraphs(text: str) -> list[str]:
    """Split free text into paragraphs at blank lines."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def _num(value: float) -> str:
    """A coordinate with one decimal at most: ``24``, ``231.2``."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


class _Markup:
    """Small pieces of markup the template uses often, built in Python (Jinja2 macros are slow).

    Every value goes through :class:`markupsafe.Markup` formatting, which escapes it exactly as the
    template's autoescaping does.
    """

    def __init__(self, t: I18n) -> None:
        self.t = t

    def lang(self, text: LocalizedText) -> str | None:
        """The ``lang`` a data text needs, or ``None`` when it is in the page's language."""
        own = self.t.text(text).language
        return None if own == self.t.tag else own

    def when(self, date: PartialDate) -> Markup:
        """A ``<time>`` at the date's own precision."""
        from markupsafe import Markup  # noqa: PLC0415

        return Markup('<time datetime="{0}">{1}</time>').format(date.isoformat(), self.t.date(date))

    def full_date(self, date: dt.date) -> Markup:
        """A ``<time>`` for a full date."""
        from markupsafe import Markup  # noqa: PLC0415

        return Markup('<time datetime="{0}">{1}</time>').format(date.isoformat(), self.t.date(date))

    def inline(self, text: LocalizedText) -> Markup:
        """A data text inside a sentence, in a ``<span lang>`` when it is in another language."""
        from markupsafe import Markup, escape  # noqa: PLC0415

        lang = self.lang(text)
        if lang is None:
            return escape(self.t.text(text).text)
        return Markup('<span lang="{0}">{1}</span>').format(lang, self.t.text(text).text)

    def localized(self, text: LocalizedText, class_: str | None = None) -> Markup:
        """A data text as paragraphs, with ``lang`` when it is in another language."""
        from markupsafe import Markup  # noqa: PLC0415

        attributes = Markup("")
        if class_:
            attributes += Markup(' class="{0}"').format(class_)
        lang = self.lang(text)
        if lang:
            attributes += Markup(' lang="{0}"').format(lang)
        return Markup("\n").join(
            Markup("<p{0}>{1}</p>").format(attributes, para)
            for para in _paragraphs(self.t.text(text).text)
        )

    @staticmethod
    def link(url: str | None, label: str) -> Markup:
        """A link for a safe URL, else *label* as text; print shows the URL after other labels."""
        from markupsafe import Markup, escape  # noqa: PLC0415

        href = safe_url(url)
        if href is None:
            return escape(label)
        if label == url:
            return Markup('<a href="{0}">{1}</a>').format(href, label)
        return Markup('<a class="external" href="{0}">{1}</a>').format(href, label)


class _Timeline:
    """The geometry of the SVG timeline (in user units), computed once, rendered by the template."""

    WIDTH = 640
    LEFT = 24
    RIGHT = 24
    TOP = 16
    ROW = 36
    AXIS = 40

    def __init__(self, partnerships: Sequence[tuple[Partnership, str]], last_year: int) -> None:
        self.first_year = min([FIRST_YEAR, *(p.start.date.year for p, _ in partnerships)])
        self.last_year = max(last_year, self.first_year + 1)
        rows = sorted(partnerships, key=lambda item: (item[0].start.date.sort_key, item[0].id))
        self.rows = []
        for i, (p, name) in enumerate(rows):
            x = self._x(p.start.date.year)
            left = x < self.WIDTH / 2
            self.rows.append(
                {
                    "partnership": p,
                    "name": name,
                    "x": _num(x),
                    "y": self.TOP + self.ROW * i + 22,
                    "label_x": _num(x + 10 if left else x - 10),
                    "anchor": "start" if left else "end",
                }
            )
        self.axis_y = self.TOP + self.ROW * len(rows) + 8
        self.height = self.axis_y + self.AXIS
        ticks = list(range((self.first_year // 10 + 1) * 10, self.last_year, 10))
        # A decade too close to either end keeps its tick but not its label, which would overlap.
        self.ticks = [
            (year, self.x(year), year - self.first_year >= 8 and self.last_year - year >= 8)
            for year in ticks
        ]
        self.ends = [
            (self.first_year, self.x(self.first_year)),
            (self.last_year, self.x(self.last_year)),
        ]
        self.end_x = self.x(self.last_year)
        self.start_x = self.x(self.first_year)

    def x(self, year: int) -> str:
        """The x coordinate of *year*, as written in the SVG."""
        return _num(self._x(year))

    def _x(self, year: int) -> float:
        span = self.WIDTH - self.LEFT - self.RIGHT
        return self.LEFT + span * (year - self.first_year) / (self.last_year - self.first_year)


@functools.cache
def _environment(language: str) -> jinja2.Environment:
    """The Jinja2 environment for one catalog language (cached: templates compile once)."""
    import jinja2  # noqa: PLC0415 - heavy import, on use only

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("leiden_twinning.exporters", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_translations(i18n(language).translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["safe_url"] = safe_url
    env.filters["mailto"] = _mailto
    env.filters["phone"] = _phone
    env.filters["paragraphs"] = _paragraphs
    return env


@functools.cache
def _stylesheet() -> tuple[str, str]:
    """The page's CSS and its CSP hash source (``'sha256-...'``)."""
    css = _environment("en").loader.get_source(_environment("en"), "page.css")[0]  # type: ignore[union-attr]
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def render(
    dataset: Dataset,
    *,
    locale: str = "nl",
    reference_date: dt.date | str | None = None,
    partnerships: Sequence[str] | str | None = None,
) -> str:
    """Render the page as text; :func:`write` encodes it as UTF-8.

    :param reference_date: "today" for the jubilees and the end of the timeline (default: the
        dataset's revision date; never the wall clock, so output is reproducible).
    :param partnerships: ids or partner city names to show (default: every partnership).
    """
    template, context = _prepare(dataset, locale, reference_date, partnerships)
    return template.render(context)


def _prepare(
    dataset: Dataset,
    locale: str,
    when: dt.date | str | None,
    partnerships: Sequence[str] | str | None,
) -> tuple[jinja2.Template, dict[str, Any]]:
    """The page's template and everything it is rendered with."""
    t = i18n(locale)
    today = reference_date(when, dataset, exporter="html")
    chosen = select_partnerships(dataset, partnerships, exporter="html")
    cities = {p.id: dataset.partner_city(p) for p in chosen}
    jubilees = [a for a in dataset.anniversaries(today.year, chosen) if a.is_jubilee]
    css, style_hash = _stylesheet()
    cited = {s for p in chosen for s in p.sources} | set(dataset.home_city.sources)
    sources = [s for s in dataset.sources if s.id in cited] or list(dataset.sources)

    markup = _Markup(t)
    foundations = {p.id: dataset.foundations_of(p) for p in chosen}
    activities = {p.id: dataset.activities_of(p) for p in chosen}
    contacts = {p.id: dataset.contacts_of(p) for p in chosen}

    template = _environment(t.language).get_template("page.html")
    return template, {
        "t": t,
        "dataset": dataset,
        "home": dataset.home_city,
        "partnerships": chosen,
        "cities": cities,
        "today": today,
        "jubilees": jubilees,
        "sources": sources,
        "timeline": _Timeline([(p, cities[p.id].name) for p in chosen], today.year),
        "css": css,
        "csp": f"default-src 'none'; style-src {style_hash}; img-src data:; "
        "base-uri 'none'; form-action 'none'",
        "when": markup.when,
        "full_date": markup.full_date,
        "inline": markup.inline,
        "localized": markup.localized,
        "link": markup.link,
        "partner_names": t.list(cities[p.id].name for p in chosen),
        "labels": lambda values: t.list(t.label(v) for v in values),
        "organisation": dataset.organisation,
        "foundations": foundations,
        "activities": activities,
        "contacts": contacts,
    }


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write the page for *locale* as UTF-8 HTML."""
    template, context = _prepare(
        dataset, locale, options.get("reference_date"), options.get("partnerships")
    )
    # Block by block as Jinja2 renders (the same text as render()): the page is never held whole.
    write_blocks(stream, template.generate(context))


def parts(
    dataset: Dataset, *, locale: str, options: Mapping[str, Any]
) -> Iterator[tuple[str, bytes]]:
    """One page per partnership (``leiden-oxford.html``, ...), for the CLI's ``--split DIR``."""
    for p in select_partnerships(dataset, options.get("partnerships"), exporter="html"):
        page = render(
            dataset,
            locale=locale,
            reference_date=options.get("reference_date"),
            partnerships=(p.id,),
        )
        yield f"{p.id}.html", page.encode("utf-8")


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``html`` format."""
    register(
        Exporter(
            name="html",
            extension="html",
            media_type="text/html",
            # Translators: the description of the HTML export format.
            description=N_("One self-contained, accessible web page presenting the ties"),
            write=write,
            parts=parts,
            translate=translate,
            options=(
                Option(
                    name="reference_date",
                    # Translators: help for --reference-date of the HTML export.
                    help=N_(
                        "the day the page counts jubilees and ends its timeline "
                        "(default: the date of the data)"
                    ),
                    convert=iso_date,
                    metavar="YYYY-MM-DD",
                ),
                partnerships_option(),
            ),
        )
    )
