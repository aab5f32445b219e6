"""The ``html`` exporter: one self-contained, accessible page about the home city's ties.

The page is rendered with Jinja2 from the templates beside this module, autoescaping everything;
template messages go through the package's gettext catalogs (``jinja2.ext.i18n``). The parts
repeated for every tie are written by :class:`_Writer` in Python, escaped the same way (Jinja2
costs microseconds per piece, and a thousand ties make a hundred thousand pieces). The result has
inline CSS only, no JavaScript, and a Content-Security-Policy that forbids every external request.
A world map of the ties (:mod:`leiden_twinning.worldmap`) and a timeline are drawn as inline SVG,
both from the data alone: nothing in this module knows which city is home.
Every URL taken from the data is emitted as a link only with an ``http``, ``https``, ``mailto`` or
``tel`` scheme; anything else is shown as text.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import unicodedata
import urllib.parse
from typing import IO, TYPE_CHECKING, Any, NamedTuple

from leiden_twinning import Exporter, ExportError, Option, UnknownLocaleError, i18n
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
    import gettext
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    import jinja2
    from markupsafe import Markup

    from leiden_twinning import (
        Dataset,
        I18n,
        LocalizedText,
        PartialDate,
        Partnership,
        Quantity,
    )

__all__ = ["SAFE_SCHEMES", "alternate", "parts", "render", "safe_url", "write"]

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


def _text(value: object) -> str:
    """*value* as text in HTML: ``&``, ``<``, ``>``, ``'`` and ``"`` as markupsafe escapes them.

    The same text as :func:`markupsafe.escape` for text and numbers from the data, without its
    :class:`~markupsafe.Markup` object, for the pieces the page joins itself. Unlike
    :func:`~markupsafe.escape`, it escapes a :class:`~markupsafe.Markup` too: no text of the data
    is ever taken as markup.

    >>> _text('<a href="x">Tom & Jerry</a>')
    '&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&lt;/a&gt;'
    """
    return (
        str(value)  # a plain str, also of a Markup
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


#: Where one paragraph of a text ends and the next begins.
_BLANK_LINE = re.compile(r"\n\s*\n")


def _paragraphs(text: str) -> list[str]:
    """Split free text into paragraphs at blank lines."""
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()]


def _num(value: float) -> str:
    """A coordinate with one decimal at most: ``24``, ``231.2``."""
    text = f"{value:.1f}"
    return text.removesuffix(".0")


class _Page:
    """What the template's filters compute, for one export: small pieces of markup and labels.

    The pieces are built in Python (Jinja2 macros and calls are slow): every value is escaped with
    :func:`_text`, exactly as the template's autoescaping does. Dates, countries and
    labels recur across the page, so each is worked out once per export (the memos live and die
    with this object).
    """

    def __init__(self, t: I18n) -> None:
        from markupsafe import Markup  # noqa: PLC0415

        self.t = t
        self._markup = Markup
        self._when: dict[tuple[type, Any], Markup] = {}
        self._countries: dict[str, str] = {}
        self._labels: dict[Any, str] = {}
        self._lists: dict[tuple[Any, ...], str] = {}

    def when(self, date: PartialDate | dt.date) -> Markup:
        """A ``<time>`` at the date's own precision."""
        key = (type(date), date)
        found = self._when.get(key)
        if found is None:
            found = self._when[key] = _time(date.isoformat(), self.t.date(date))
        return found

    #: A full date is written the same way.
    full_date = when

    def inline(self, text: LocalizedText) -> Markup:
        """A data text inside a sentence, in a ``<span lang>`` when it is in another language."""
        written, own = self.t.text(text)
        if own == self.t.tag:
            return self._markup(_text(written))
        return self._markup(f'<span lang="{_text(own)}">{_text(written)}</span>')

    def localized(self, text: LocalizedText, class_: str | None = None) -> Markup:
        """A data text as paragraphs, with ``lang`` when it is in another language."""
        written, own = self.t.text(text)
        attributes = f' class="{_text(class_)}"' if class_ else ""
        if own != self.t.tag:
            attributes += f' lang="{_text(own)}"'
        return self._markup(
            "\n".join(f"<p{attributes}>{_text(para)}</p>" for para in _paragraphs(written))
        )

    def country(self, code: str) -> str:
        """The name of a country in the page's language."""
        found = self._countries.get(code)
        if found is None:
            found = self._countries[code] = self.t.country(code)
        return found

    def label(self, member: Any) -> str:
        """The label of a member of a model enumeration."""
        found = self._labels.get(member)
        if found is None:
            found = self._labels[member] = self.t.label(member)
        return found

    def labels(self, members: Iterable[Any]) -> str:
        """The labels of several members, as a list in the page's language."""
        key = tuple(members)
        found = self._lists.get(key)
        if found is None:
            found = self._lists[key] = self.t.list(self.label(member) for member in key)
        return found

    def quantity(self, value: Quantity) -> str:
        """A number as a source states it."""
        return self.t.quantity(value)

    def years(self, n: int) -> str:
        """A duration in years."""
        return self.t.years(n)

    def partial_date(self, value: PartialDate) -> str:
        """A date at its own precision, as text."""
        return self.t.date(value)

    @staticmethod
    def link(url: str | None, label: str) -> Markup:
        """A link for a safe URL, else *label* as text; print shows the URL after other labels."""
        from markupsafe import Markup  # noqa: PLC0415

        href = safe_url(url)
        if href is None:
            return Markup(_text(label))  # noqa: S704 - escaped
        if label == url:
            return Markup(f'<a href="{_text(href)}">{_text(label)}</a>')  # noqa: S704 - escaped
        return Markup(  # noqa: S704 - escaped
            f'<a class="external" href="{_text(href)}">{_text(label)}</a>'
        )


def _time(iso: str, text: str) -> Markup:
    """``<time datetime>`` around a date's text."""
    from markupsafe import Markup  # noqa: PLC0415

    return Markup(f'<time datetime="{_text(iso)}">{_text(text)}</time>')  # noqa: S704 - escaped


# Translators: in the list beside the map: the kind of a tie and when it began,
# e.g. "twinning since 1946".
_KIND_SINCE = N_("%(kind)s since %(date)s")
# Translators: in the description of the timeline picture: a partner city and the year
# its tie began.
_ROW = N_("%(name)s since %(start)s.")
# Translators: a fact about a partner city.
_COUNTRY = N_("Country")
# Translators: a fact about a partner city (province, state, department).
_REGION = N_("Region")
# Translators: a fact about a partner city.
_POPULATION = N_("Population")
# Translators: after a figure: the date it was true, e.g. "as of 2013".
_AS_OF = N_("as of %(date)s")
# Translators: a fact about a tie: when it began.
_TIE_SINCE = N_("Tie since")
# Translators: a fact about a tie: twinning or friendship tie.
_KIND_OF_TIE = N_("Kind of tie")
# Translators: a fact about a tie: the fields it works in.
_THEMES = N_("Themes")
# Translators: heading: the history of one tie.
_HISTORY = N_("History")
# Translators: heading: what one tie does.
_ACTIVITIES = N_("Activities")
# Translators: an ongoing activity, e.g. "since 2013".
_SINCE = N_("since %(since)s")
# Translators: a yearly activity.
_EVERY_YEAR = N_("every year")
# Translators: a yearly activity held on an approximate day, e.g. "around 7 November".
_AROUND = N_("around %(day)s")
# Translators: a yearly activity held on a set day, e.g. "on 4 May".
_ON = N_("on %(day)s")
# Translators: heading: universities, museums etc. that take part in a tie.
_INSTITUTIONS = N_("Partner institutions")
# Translators: heading: the foundation (stichting) that carries a tie.
_FOUNDATION = N_("Foundation")
# Translators: label before a foundation's web address.
_WEBSITE = N_("Website:")
# Translators: heading: points where the sources of the data disagree.
_DISAGREE = N_("Where the sources disagree")
# Translators: heading: people and addresses to contact about a tie.
_CONTACTS = N_("Contacts")
# Translators: label before an e-mail address.
_EMAIL = N_("E-mail:")
# Translators: label before a phone number.
_PHONE = N_("Phone:")
# Translators: how old a contact is: "Published 2013, 13 years before this data."
_PUBLISHED = N_("Published %(published)s, %(age)s before this data.")


class _Writer:
    """The parts of the page repeated for every tie, written here rather than by the template.

    A thousand ties make a thousand sections of some hundred pieces each, and as many entries in
    the contents, the list beside the map and the timeline; Jinja2 spends several microseconds
    on every piece (a call, an attribute lookup, an escape). These methods build the same markup
    from the same filters (:class:`_Page`) and the same translations as the template,
    escaping every value with :func:`_text`, exactly as autoescaping does.
    ``tests/exporters/data/page-parts/`` keeps the template's loops they replace, and a test puts
    them back and renders the page with Jinja2 next to the exporter on the canonical, synthetic,
    hostile and random datasets: the pages must be equal.
    """

    def __init__(self, page: _Page, context: Mapping[str, Any]) -> None:
        self.page = page
        self.cities = context["cities"]
        self.activities = context["activities"]
        self.institutions = context["institutions_of"]
        self.foundations = context["foundations"]
        self.notes = context["notes_of"]
        self.contacts = context["contacts"]
        self.organisation = context["organisation"]
        self.revision_year = context["dataset"].revision.year
        # The texts without variables, translated and escaped once.
        self.text = {message: self.gettext(message) for message in _SECTION_CONSTANTS}
        self._labels: dict[Any, str] = {}
        self._countries: dict[str, str] = {}

    def gettext(self, message: str, **values: object) -> str:
        """*message* translated, with *values* escaped: the text of the template's ``gettext``.

        That is ``Markup(translation) % values``, which escapes every value but markup; a plain
        ``%`` with the values escaped here gives the same text without the objects.
        """
        return self.page.t.gettext(message) % {
            name: value.__html__() if hasattr(value, "__html__") else _text(value)
            for name, value in values.items()
        }

    def label(self, member: Any) -> str:
        """The escaped label of an enumeration member."""
        found = self._labels.get(member)
        if found is None:
            found = self._labels[member] = _text(self.page.label(member))
        return found

    def country(self, code: str) -> str:
        """The escaped name of a country."""
        found = self._countries.get(code)
        if found is None:
            found = self._countries[code] = _text(self.page.country(code))
        return found

    def contents(self, partnerships: Iterable[Partnership]) -> Markup:
        """The entries of the table of contents for *partnerships*, a line each."""
        from markupsafe import Markup  # noqa: PLC0415

        cities = self.cities
        return Markup(  # noqa: S704 - every value is escaped
            "".join(
                f'<li><a href="#{_text(p.id)}">{_text(cities[p.id].name)}</a></li>\n'
                for p in partnerships
            )
        )

    def places(self, mapped: Iterable[tuple[Partnership, Any]]) -> Markup:
        """The entries of the list beside the map, a line each: each city, its tie and since."""
        from markupsafe import Markup  # noqa: PLC0415

        page, gettext = self.page, self.gettext
        return Markup(  # noqa: S704 - every value is escaped
            "".join(
                f'<li><a href="#{_text(p.id)}">{_text(city.name)}</a> '
                f"({self.country(city.country)}): "
                f"{gettext(_KIND_SINCE, kind=page.label(p.kind), date=page.when(p.start.date))}"
                "</li>\n"
                for p, city in mapped
            )
        )

    def timeline_desc(self, timeline: _Timeline) -> Markup:
        """The description of the timeline picture: every partner city and its first year."""
        from markupsafe import Markup  # noqa: PLC0415

        gettext = self.gettext
        return Markup(  # noqa: S704 - every value is escaped
            " ".join(
                gettext(_ROW, name=row.name, start=row.partnership.start.date.year)
                for row in timeline.rows
            )
        )

    def timeline_rows(self, timeline: _Timeline) -> Markup:
        """The bar, dot and label of every row of the timeline picture, a ``<g>`` each."""
        from markupsafe import Markup  # noqa: PLC0415

        end_x = _text(timeline.end_x)
        return Markup(  # noqa: S704 - every value is escaped
            "".join(
                f'<g>\n<line class="bar" x1="{_text(row.x)}" y1="{row.y}" x2="{end_x}" '
                f'y2="{row.y}"/>\n<circle class="dot" cx="{_text(row.x)}" cy="{row.y}" r="6"/>\n'
                f'<text x="{_text(row.label_x)}" y="{row.y - 12}" '
                f'text-anchor="{_text(row.anchor)}">{_text(row.label)}</text>\n</g>\n'
                for row in timeline.rows
            )
        )

    def timeline_list(self, timeline: _Timeline) -> Markup:
        """The timeline as a list, a line each: when, the city, its country, the kind of tie."""
        from markupsafe import Markup  # noqa: PLC0415

        page, cities = self.page, self.cities
        out = []
        for row in timeline.rows:
            p = row.partnership
            kind = self.label(p.start.partnership_kind or p.kind)
            out.append(
                f'<li>{page.when(p.start.date)}: <a href="#{_text(p.id)}">{_text(row.name)}</a> '
                f"({self.country(cities[p.id].country)}), {kind}</li>\n"
            )
        return Markup("".join(out))  # noqa: S704 - every value is escaped

    def __call__(self, p: Partnership) -> Markup:
        """The ``<section>`` of partnership *p* (without the line break after it)."""
        from markupsafe import Markup  # noqa: PLC0415

        page, text = self.page, self.text
        city = self.cities[p.id]
        pid = _text(p.id)
        hid = _text(f"{p.id}-heading")
        out = [
            f'<section class="partnership" id="{pid}" aria-labelledby="{hid}">\n',
            f'<h2 id="{hid}">{_text(city.name)}</h2>\n',
        ]
        if p.motto:
            out.append(f"{page.localized(p.motto, 'motto')}\n")
        country = self.country(city.country)
        out.append(f'<dl class="facts">\n<dt>{text[_COUNTRY]}</dt>\n<dd>{country}</dd>\n')
        if city.region:
            out.append(f"<dt>{text[_REGION]}</dt>\n<dd>{page.inline(city.region)}</dd>\n")
        if city.population:
            population = city.population
            out.append(
                f'<dt>{text[_POPULATION]}</dt>\n<dd><data value="{_text(population.value)}">'
                f"{_text(page.quantity(population))}</data>"
            )
            if city.population_as_of:
                date = page.when(city.population_as_of)
                out.append(f" ({self.gettext(_AS_OF, date=date)})")
            out.append("</dd>\n")
        out.append(
            f"<dt>{text[_TIE_SINCE]}</dt>\n<dd>{page.when(p.start.date)}</dd>\n"
            f"<dt>{text[_KIND_OF_TIE]}</dt>\n<dd>{self.label(p.kind)}</dd>\n"
        )
        if p.themes:
            out.append(f"<dt>{text[_THEMES]}</dt>\n<dd>{_text(page.labels(p.themes))}</dd>\n")
        out.append(
            f"</dl>\n{page.localized(p.description)}\n{page.localized(city.description)}\n\n"
            f'<h3>{text[_HISTORY]}</h3>\n<ol class="history">\n'
        )
        for m in p.history:
            place = f" ({_text(m.place)})" if m.place else ""
            out.append(
                f"<li>{page.when(m.date)} — <strong>{self.label(m.kind)}</strong>{place}: "
                f"{page.inline(m.description)}</li>\n"
            )
        out.append("</ol>\n\n")
        self._activities(p, out)
        self._institutions(p, out)
        self._foundations(p, out)
        notes = self.notes[p.id]
        if notes:
            out.append(f'<h3>{text[_DISAGREE]}</h3>\n<ul class="items discrepancies">\n')
            out.extend(f"<li>{page.inline(d.description)}</li>\n" for d in notes)
            out.append("</ul>\n")
        out.append("\n")
        self._contacts(p, out)
        out.append("</section>")
        return Markup("".join(out))  # noqa: S704 - every value is escaped

    def _activities(self, p: Partnership, out: list[str]) -> None:
        activities = self.activities[p.id]
        if not activities:
            out.append("\n")
            return
        page, text, gettext = self.page, self.text, self.gettext
        out.append(f'<h3>{text[_ACTIVITIES]}</h3>\n<ul class="items">\n')
        for a in activities:
            out.append(f"<li><strong>{page.inline(a.title)}</strong> ({self.label(a.kind)}")
            if a.date:
                out.append(f", {page.when(a.date)}")
            elif a.since:
                out.append(f", {gettext(_SINCE, since=page.partial_date(a.since))}")
            recurrence = a.recurrence
            if recurrence:
                out.append(f", {text[_EVERY_YEAR]}")
                if recurrence.month and recurrence.day:
                    day = page.t.day_month(recurrence.month, recurrence.day)
                    out.append(f", {gettext(_AROUND if recurrence.approximate else _ON, day=day)}")
            out.append(")")
            if a.description:
                out.append(f": {page.inline(a.description)}")
            out.append("</li>\n")
        out.append("</ul>\n\n")

    def _institutions(self, p: Partnership, out: list[str]) -> None:
        institutions = self.institutions[p.id]
        if institutions:
            page = self.page
            out.append(f'<h3>{self.text[_INSTITUTIONS]}</h3>\n<ul class="items">\n')
            for i in institutions:
                description = f": {page.inline(i.description)}" if i.description else ""
                out.append(
                    f"<li>{page.link(i.website, i.name)} ({self.label(i.kind)}){description}</li>\n"
                )
            out.append("</ul>\n")
        out.append("\n")

    def _foundations(self, p: Partnership, out: list[str]) -> None:
        page, text = self.page, self.text
        for f in self.foundations[p.id]:
            abbreviation = f" ({_text(f.abbreviation)})" if f.abbreviation else ""
            out.append(
                f"<h3>{text[_FOUNDATION]}</h3>\n<p><strong>{_text(f.name)}</strong>{abbreviation}"
                f"</p>\n{page.localized(f.description)}\n"
            )
            if f.website:
                out.append(f"<p>{text[_WEBSITE]} {page.link(f.website, f.website)}</p>\n")
        out.append("\n")

    def _contacts(self, p: Partnership, out: list[str]) -> None:
        contacts = self.contacts[p.id]
        if not contacts:
            return
        page, text = self.page, self.text
        out.append(f'<h3>{text[_CONTACTS]}</h3>\n<ul class="items">\n')
        for c in contacts:
            out.append('<li class="contact">')
            if c.name:
                out.append(f"<strong>{_text(c.name.full)}</strong>, ")
            out.append(f"{page.inline(c.role)} ({_text(self.organisation(c.organisation).name)})")
            mail = _mailto(c.email)
            if mail:
                out.append(f'<br>{text[_EMAIL]} <a href="{_text(mail)}">{_text(c.email)}</a>')
            elif c.email:
                out.append(f"<br>{text[_EMAIL]} {_text(c.email)}")
            number = _phone(c.phone)
            if number:
                out.append(
                    f'<br>{text[_PHONE]} <a href="{_text(number[0])}">{_text(number[1])}</a>'
                )
            elif c.phone:
                out.append(f"<br>{text[_PHONE]} {_text(c.phone)}")
            if c.as_of:
                published = page.when(c.as_of)
                age = page.years(self.revision_year - c.as_of.year)
                out.append(f"<br>{self.gettext(_PUBLISHED, age=age, published=published)}")
            out.append("</li>\n")
        out.append("</ul>\n")


#: The section's texts without variables.
_SECTION_CONSTANTS = (
    _COUNTRY,
    _REGION,
    _POPULATION,
    _TIE_SINCE,
    _KIND_OF_TIE,
    _THEMES,
    _HISTORY,
    _ACTIVITIES,
    _EVERY_YEAR,
    _INSTITUTIONS,
    _FOUNDATION,
    _WEBSITE,
    _DISAGREE,
    _CONTACTS,
    _EMAIL,
    _PHONE,
)


#: The template's filters that are methods of the export's :class:`_Page`.
_PAGE_FILTERS = (
    "when",
    "full_date",
    "inline",
    "localized",
    "country",
    "label",
    "labels",
    "quantity",
    "years",
    "partial_date",
    "link",
)


def _page_filter(name: str) -> Callable[..., Any]:
    """A filter calling the method *name* of the :class:`_Page` the template is rendered with."""
    import jinja2  # noqa: PLC0415

    def apply(context: jinja2.runtime.Context, value: Any, *args: Any) -> Any:
        return getattr(context["page"], name)(value, *args)

    return jinja2.pass_context(apply)


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of the drawn width of *text*: wide (CJK) characters count a full em."""
    from leiden_twinning.worldmap import text_width  # noqa: PLC0415

    if text.isascii():  # no wide character: the sum below would add 0.0
        return text_width(text, font_size)
    width = unicodedata.east_asian_width
    narrow = "".join(c for c in text if width(c) not in "WF")
    return (len(text) - len(narrow)) * font_size * 1.05 + text_width(narrow, font_size)


class _Row(NamedTuple):
    """A row of the timeline: a tie, its city's name and the label's text and place."""

    partnership: Partnership
    name: str
    label: str
    x: str
    y: int
    label_x: str
    anchor: str


class _Timeline:
    """The geometry of the SVG timeline (in user units), computed once, rendered by the template.

    Every row has its label on a line of its own above its bar, placed where the label fits
    inside the drawing: starting at the tie's dot, else ending at the bar's end, else (a name of
    more than some 30 letters) starting at the drawing's left edge; the markup never depends on
    a name's length. The first year is the oldest tie's, the last the reference year.
    """

    WIDTH = 400
    LEFT = 12
    RIGHT = 12
    TOP = 4
    ROW = 46
    AXIS = 34
    #: The largest font size the page's CSS gives the labels (in user units).
    FONT = 17.0
    #: The least room between two labelled years.
    YEAR_ROOM = 56

    def __init__(self, partnerships: Sequence[tuple[Partnership, str]], last_year: int) -> None:
        starts = [p.start.date.year for p, _ in partnerships]
        self.last_year = max([last_year, *starts])
        self.first_year = min([self.last_year - 1, *starts])
        rows = sorted(partnerships, key=lambda item: (item[0].start.date.sort_key, item[0].id))
        self.end_x = _num(self.WIDTH - self.RIGHT)
        span = self.WIDTH - self.LEFT - self.RIGHT
        self.rows = []
        for i, (p, name) in enumerate(rows):
            x = self._x(p.start.date.year)
            label = f"{name} · {p.start.date.year}"
            width = _text_width(label, self.FONT)
            if x - 6 + width <= self.WIDTH - self.RIGHT:
                label_x, anchor = x - 6, "start"
            elif width <= span:
                label_x, anchor = self.WIDTH - self.RIGHT, "end"
            else:  # longer than the drawing (some 30 letters): from its left edge
                label_x, anchor = self.LEFT, "start"
            y = self.TOP + self.ROW * i + 36
            self.rows.append(_Row(p, name, label, _num(x), y, _num(max(label_x, 0)), anchor))
        self.axis_y = self.TOP + self.ROW * len(rows) + 8
        self.height = self.axis_y + self.AXIS
        years = self.last_year - self.first_year
        step = next(
            (s for s in (1, 2, 5, 10, 20, 25, 50, 100) if span * s / years >= self.YEAR_ROOM),
            10 ** len(str(years)),
        )
        ticks = range((self.first_year // step + 1) * step, self.last_year, step)
        # A year too close to either end keeps its tick but not its label, which would overlap.
        self.ticks = [
            (
                year,
                self.x(year),
                min(year - self.first_year, self.last_year - year) * span / years >= self.YEAR_ROOM,
            )
            for year in ticks
        ]
        self.ends = [
            (self.first_year, self.x(self.first_year)),
            (self.last_year, self.x(self.last_year)),
        ]
        self.start_x = self.x(self.first_year)

    def x(self, year: int) -> str:
        """The x coordinate of *year*, as written in the SVG."""
        return _num(self._x(year))

    def _x(self, year: int) -> float:
        span = self.WIDTH - self.LEFT - self.RIGHT
        return self.LEFT + span * (year - self.first_year) / (self.last_year - self.first_year)


# Translators: the title of the world map of the ties; {city} is the home city.
_MAP_TITLE = N_("Map of the partner cities of {city}")

# Translators: the world map described for screen readers; {partners} lists "City (Country)".
_MAP_DESC = N_("A world map with {city} and lines to its partner cities: {partners}.")


def _world_map(
    t: I18n, home: Any, partners: Sequence[tuple[Partnership, Any]]
) -> tuple[Markup, list[tuple[Partnership, Any]]] | None:
    """The SVG map of the home city and the partners with coordinates, and those partners.

    ``None`` when the home city or every partner lacks coordinates: the page then has no map.
    """
    from markupsafe import Markup  # noqa: PLC0415

    from leiden_twinning.worldmap import MapArc, MapPoint, render_svg_map  # noqa: PLC0415

    if home.coordinates is None:
        return None
    shown = [(p, city) for p, city in partners if city.coordinates is not None]
    if not shown:
        return None
    start = (home.coordinates.longitude, home.coordinates.latitude)
    points = [MapPoint(*start, home.name, home=True)]
    arcs = []
    for p, city in shown:
        end = (city.coordinates.longitude, city.coordinates.latitude)
        points.append(MapPoint(*end, city.name))
        arcs.append(MapArc(start, end, p.kind.value))
    partners_text = t.list(f"{city.name} ({t.country(city.country)})" for _, city in shown)
    svg = render_svg_map(
        points,
        arcs,
        title=t.gettext(_MAP_TITLE).format(city=home.name),
        desc=t.gettext(_MAP_DESC).format(city=home.name, partners=partners_text),
        id_prefix="map",
        font_size=26,
    )
    return Markup(svg), shown  # noqa: S704 - render_svg_map escapes every text it writes


def alternate(text: str) -> tuple[str, str]:
    """Parse ``LANG=URL``: the ``convert`` of the CLI's ``--alternate`` option."""
    lang, sep, href = text.partition("=")
    if not sep or not lang.strip() or not href.strip():
        msg = f"expected LANG=URL, got {text!r}"
        raise ValueError(msg)
    return lang.strip(), href.strip()


def _alternates(value: Any, t: I18n) -> list[dict[str, Any]]:
    """The ``alternates`` option as a list of links: language tag, href, name, current."""
    from babel import Locale  # noqa: PLC0415

    if not value:
        return []
    pairs = list(value.items()) if hasattr(value, "items") else list(value)
    links = []
    for pair in pairs:
        if isinstance(pair, str) or len(pair) != 2:
            msg = f"html: alternates: expected (locale, URL) pairs, got {pair!r}"
            raise ExportError(msg)
        locale, href = (str(part) for part in pair)
        try:
            other = i18n(locale)
        except UnknownLocaleError as exc:
            msg = f"html: alternates: {exc}"
            raise UnknownLocaleError(msg) from exc
        if _URL_NOISE.search(href) or _URL_ILLEGAL.search(href) or not href:
            msg = f"html: alternates: {locale}: {href!r} is not a URL"
            raise ExportError(msg)
        scheme = _SCHEME.match(href)
        if scheme is not None and scheme.group(1).lower() not in {"http", "https"}:
            msg = f"html: alternates: {locale}: {href!r} is neither relative nor http(s)"
            raise ExportError(msg)
        name = Locale.parse(other.tag, sep="-").get_display_name(other.locale) or other.tag
        links.append(
            {
                "tag": other.tag,
                "href": href,
                "name": name[:1].upper() + name[1:],
                "current": other.tag == t.tag,
            }
        )
    return links


def _gettext_callables(translations: gettext.NullTranslations) -> dict[str, Callable[..., Any]]:
    """``gettext`` and ``ngettext`` for ``{% trans %}``: what ``jinja2.ext.i18n`` installs.

    They give the same text as the extension's "newstyle" callables in an autoescaping template
    (the translation as :class:`markupsafe.Markup`, formatted with the escaped variables), but
    are plain functions, which Jinja2 calls without deriving a context for each call, and a
    message without variables is translated once per environment.
    """
    from markupsafe import Markup  # noqa: PLC0415

    constants: dict[str, Markup] = {}

    def gettext(string: str, **variables: Any) -> Markup:
        if variables:
            return Markup(translations.gettext(string)) % variables  # noqa: S704 - as jinja2.ext
        found = constants.get(string)
        if found is None:
            found = constants[string] = Markup(translations.gettext(string)) % {}  # noqa: S704
        return found

    def ngettext(singular: str, plural: str, num: int, **variables: Any) -> Markup:
        variables.setdefault("num", num)
        return Markup(translations.ngettext(singular, plural, num)) % variables  # noqa: S704

    return {"gettext": gettext, "ngettext": ngettext}


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
    translations = i18n(language).translations
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_gettext_callables(translations))
    env.filters.update((name, _page_filter(name)) for name in _PAGE_FILTERS)
    env.filters["safe_url"] = safe_url
    env.filters["mailto"] = _mailto
    env.filters["phone"] = _phone
    env.filters["paragraphs"] = _paragraphs
    return env


@functools.cache
def _stylesheet() -> tuple[str, str]:
    """The page's CSS with the map's, and its CSP hash source (``'sha256-...'``)."""
    from leiden_twinning.worldmap import MAP_CSS  # noqa: PLC0415

    css = _environment("en").loader.get_source(_environment("en"), "page.css")[0]  # type: ignore[union-attr]
    css = css.rstrip("\n") + "\n/* The world map (leiden_twinning.worldmap.MAP_CSS). */\n" + MAP_CSS
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return css, f"'sha256-{digest}'"


def render(
    dataset: Dataset,
    *,
    locale: str = "nl",
    reference_date: dt.date | str | None = None,
    partnerships: Sequence[str] | str | None = None,
    alternates: Mapping[str, str] | Sequence[tuple[str, str]] | None = None,
) -> str:
    """Render the page as text; :func:`write` encodes it as UTF-8.

    :param reference_date: "today" for the jubilees and the end of the timeline (default: the
        dataset's revision date; never the wall clock, so output is reproducible).
    :param partnerships: ids or partner city names to show (default: every partnership).
    :param alternates: the same page in other languages, locale to URL (relative or http(s)),
        in the order to list them: ``<link rel="alternate" hreflang>`` in the head and a
        language switch at the top; the page's own locale may be among them.
    """
    template, context = _prepare(dataset, locale, reference_date, partnerships, alternates)
    return template.render(context)


def _prepare(
    dataset: Dataset,
    locale: str,
    when: dt.date | str | None,
    partnerships: Sequence[str] | str | None,
    alternates: Any = None,
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

    page = _Page(t)
    foundations = {p.id: dataset.foundations_of(p) for p in chosen}
    activities = {p.id: dataset.activities_of(p) for p in chosen}
    contacts = {p.id: dataset.contacts_of(p) for p in chosen}
    world = _world_map(t, dataset.home_city, [(p, cities[p.id]) for p in chosen])

    environment = _environment(t.language)
    template = environment.get_template("page.html")
    context: dict[str, Any] = {
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
        "page": page,
        "partner_names": t.list(cities[p.id].name for p in chosen),
        "organisation": dataset.organisation,
        "foundations": foundations,
        "activities": activities,
        "contacts": contacts,
        "institutions_of": {p.id: dataset.institutions_of(p) for p in chosen},
        "notes_of": {p.id: dataset.discrepancies_of(p) for p in chosen},
        "world_map": None if world is None else world[0],
        "mapped": [] if world is None else world[1],
        "alternates": _alternates(alternates, t),
    }
    context["writer"] = _Writer(page, context)
    return template, context


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write the page for *locale* as UTF-8 HTML."""
    template, context = _prepare(
        dataset,
        locale,
        options.get("reference_date"),
        options.get("partnerships"),
        options.get("alternates"),
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
            alternates=options.get("alternates"),
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
                Option(
                    name="alternates",
                    # Translators: help for --alternate of the HTML export; keep LANG=URL as is.
                    help=N_(
                        "the same page in another language, as LANG=URL, for the language "
                        "switch (repeatable)"
                    ),
                    convert=alternate,
                    multiple=True,
                    default=(),
                    metavar="LANG=URL",
                    cli_name="alternate",
                ),
            ),
        )
    )
