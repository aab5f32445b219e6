"""Locale resolution, gettext translations and CLDR formatting through Babel.

Nothing here touches process-wide state: no ``setlocale``, no global ``_``, no ``LANGUAGE``
lookup. Code marks a label with :func:`N_` (a no-op that the extractor finds) and translates it at
render time through an :class:`I18n` object bound to one explicit locale.

Locale tags are resolved by Babel: ``nl``, ``en`` and regional forms such as ``nl_BE``, ``en_GB``
or ``en-US`` (``_`` and ``-`` both work, case does not matter, an encoding suffix such as
``.UTF-8`` is ignored). A tag Babel does not know, or whose region or script Babel would have to
replace (``nl_ZZ``), raises :class:`~leiden_twinning.UnknownLocaleError`, which names the
supported ones.

The package ships catalogs for Dutch (``nl``, complete) and English (``en``; its message ids are
English). Fallbacks, for any locale Babel knows:

- CLDR formatting (dates, numbers, country names, lists) always follows the locale itself:
  ``de`` gives "1. September 1998", "1.000.000", "Südafrika" and "A, B und C";
- labels come from the catalog of the locale's language (``nl_BE`` uses ``nl``, ``en_GB`` uses
  ``en``), else from the English catalog: ``de`` gets English labels ("30 years", "about 71.000");
- texts in the data (:class:`~leiden_twinning.LocalizedText`) come in the locale's language
  where written (its base language too: ``nl_BE`` reads ``nl``), else in English where written,
  else in the dataset's languages in order (see :meth:`I18n.text`).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any, NamedTuple

from leiden_twinning._collector import paused
from leiden_twinning._model import (
    ActivityKind,
    Frequency,
    InstitutionKind,
    LocalizedText,
    MilestoneKind,
    PartialDate,
    PartnershipKind,
    Quantity,
    Theme,
    base_language,
)
from leiden_twinning.exceptions import UnknownLocaleError

if TYPE_CHECKING:
    import gettext
    from collections.abc import Iterable, Mapping

    from babel import Locale

__all__ = [
    "CATALOG_LANGUAGES",
    "DOMAIN",
    "N_",
    "I18n",
    "Localized",
    "environment_language",
    "i18n",
    "label",
    "message_language",
    "resolve_locale",
]

#: The gettext domain of the package's catalogs.
DOMAIN = "leiden_twinning"
#: The languages the package ships catalogs for.
CATALOG_LANGUAGES = ("de", "en", "es", "ja", "nl", "pl")


def N_(message: str) -> str:  # noqa: N802 - the conventional name of the gettext no-op marker
    """Mark *message* for extraction without translating it (translation happens at render time)."""
    return message


_LABELS: dict[Any, str] = {
    # Translators: a kind of tie between two cities.
    PartnershipKind.TWINNING: N_("twinning"),
    # Translators: a kind of tie between two cities, often the step before a twinning.
    PartnershipKind.FRIENDSHIP: N_("friendship tie"),
    # Translators: a theme a partnership works on.
    Theme.EDUCATION: N_("education"),
    # Translators: a theme a partnership works on.
    Theme.SUSTAINABLE_DEVELOPMENT: N_("sustainable development"),
    # Translators: a theme a partnership works on.
    Theme.ECONOMIC_DEVELOPMENT: N_("economic development"),
    # Translators: a theme a partnership works on.
    Theme.CULTURE: N_("culture"),
    # Translators: a theme a partnership works on.
    Theme.SPORT: N_("sport"),
    # Translators: a theme a partnership works on (war memorials, remembrance days).
    Theme.COMMEMORATION: N_("commemoration"),
    # Translators: a theme a partnership works on.
    Theme.RESEARCH: N_("research"),
    # Translators: a theme a partnership works on (historic sites and monuments).
    Theme.HERITAGE: N_("heritage"),
    # Translators: a theme a partnership works on.
    Theme.MUSEUMS: N_("museums"),
    # Translators: a theme a partnership works on.
    Theme.WATER_MANAGEMENT: N_("water management"),
    # Translators: a theme a partnership works on (citizens meeting each other).
    Theme.CIVIC_EXCHANGE: N_("exchange between citizens"),
    # Translators: a kind of activity.
    ActivityKind.EXCHANGE: N_("exchange"),
    # Translators: a kind of activity.
    ActivityKind.VISIT: N_("visit"),
    # Translators: a kind of activity (an official group visiting the other city).
    ActivityKind.DELEGATION: N_("delegation"),
    # Translators: a kind of activity (signing an agreement).
    ActivityKind.SIGNING: N_("signing"),
    # Translators: a kind of activity.
    ActivityKind.COMMEMORATION: N_("commemoration"),
    # Translators: a kind of activity.
    ActivityKind.STUDENT_EXCHANGE: N_("student exchange"),
    # Translators: a kind of activity.
    ActivityKind.INTERNSHIP: N_("internship"),
    # Translators: a kind of activity.
    ActivityKind.PROJECT: N_("project"),
    # Translators: a kind of activity.
    ActivityKind.EXHIBITION: N_("exhibition"),
    # Translators: a kind of activity (a school paired with a school in the partner city).
    ActivityKind.SCHOOL_PARTNERSHIP: N_("school partnership"),
    # Translators: a moment in the history of a tie.
    MilestoneKind.FIRST_CONTACT: N_("first contacts"),
    # Translators: a moment in the history of a tie.
    MilestoneKind.ESTABLISHED: N_("established"),
    # Translators: a moment in the history of a tie.
    MilestoneKind.SIGNED: N_("agreement signed"),
    # Translators: a moment in the history of a tie (e.g. a friendship becomes a twinning).
    MilestoneKind.KIND_CHANGED: N_("kind of tie changed"),
    # Translators: a moment in the history of a tie.
    MilestoneKind.DORMANT: N_("dormant"),
    # Translators: a moment in the history of a tie.
    MilestoneKind.REVIVED: N_("revived"),
    # Translators: a kind of institution.
    InstitutionKind.MUNICIPALITY: N_("municipality"),
    # Translators: a kind of institution.
    InstitutionKind.UNIVERSITY: N_("university"),
    # Translators: a kind of institution.
    InstitutionKind.MUSEUM: N_("museum"),
    # Translators: a kind of institution.
    InstitutionKind.SCHOOL: N_("school"),
    # Translators: a kind of institution (a Dutch regional water authority).
    InstitutionKind.WATER_BOARD: N_("water board"),
    # Translators: a kind of institution.
    InstitutionKind.OTHER: N_("organisation"),
    # Translators: how often an activity comes back (a yearly commemoration or exchange).
    Frequency.YEARLY: N_("every year"),
}


def label(value: Any) -> str:
    """The untranslated (English) label of an enumeration value of the model."""
    return _LABELS[value]


@functools.cache
def _is_known(identifier: str) -> bool:
    """Whether *identifier* is one of Babel's ``localedata.locale_identifiers()``.

    Those are the names of Babel's ``.dat`` files but ``root``: one file is looked for instead of
    listing the thousand (which costs a short command a few milliseconds). *identifier* is
    ``str()`` of a parsed :class:`~babel.Locale`, so it is spelt as the file is.
    """
    import os  # noqa: PLC0415

    from babel.localedata import resolve_locale_filename  # noqa: PLC0415 - CLDR loads on use

    if identifier == "root" or os.path.basename(identifier) != identifier:  # noqa: PTH119
        return False
    return os.path.isfile(resolve_locale_filename(identifier))  # noqa: PTH113


def resolve_locale(tag: str) -> Locale:
    """Resolve a locale tag (``nl``, ``en_GB``, ``en-US``, ...) to a Babel :class:`~babel.Locale`.

    :raises UnknownLocaleError: for a tag Babel does not know, naming the supported ones.
    """
    from babel import Locale  # noqa: PLC0415
    from babel import UnknownLocaleError as BabelUnknown  # noqa: PLC0415
    from babel.core import parse_locale  # noqa: PLC0415

    identifier = tag.strip().replace("-", "_")
    try:
        asked = parse_locale(identifier)[:4]
        locale: Locale | None = Locale.parse(identifier)
    except (ValueError, TypeError, BabelUnknown):
        locale = None
    if (
        locale is None
        or not _is_known(str(locale))
        # Babel fills in a likely region or script; it must not replace one that was asked for.
        or any(
            part is not None and part.lower() != (got or "").lower()
            for part, got in zip(
                asked,
                (locale.language, locale.territory, locale.script, locale.variant),
                strict=True,
            )
        )
    ):
        # Translators: an error; {tag!r} is what the user typed. Keep the language codes as they
        # are; the last ones only change how dates and numbers are written.
        message_id = N_(
            "unknown locale {tag!r}: use nl, en, de, es, ja or pl, a regional form such as nl_BE "
            "or en_GB, or another language such as fr (for dates and numbers only)"
        )
        raise UnknownLocaleError(
            message_id.format(tag=tag), message_id=message_id, params={"tag": tag}
        )
    return locale


def _language_of(value: str) -> str:
    """The language part of a POSIX locale name or a tag: ``nl`` for ``nl_NL.UTF-8@euro``."""
    return (
        value.split(".", maxsplit=1)[0]
        .split("@", maxsplit=1)[0]
        .replace("-", "_")
        .split("_")[0]
        .strip()
        .lower()
    )


def environment_language(environ: Mapping[str, str]) -> str:
    """The catalog language the environment asks for, as a command-line program reads it.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set and not empty decides
    (the POSIX order). Its language is the answer when the package has a catalog for it (``nl``
    for ``nl_BE.UTF-8``); ``C``, ``POSIX``, any other language, and no variable at all give
    ``en``.
    """
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            language = _language_of(value)
            return language if language in CATALOG_LANGUAGES else "en"
    return "en"


def message_language(tag: str) -> str:
    """The catalog language whose messages a locale tag gets: ``de`` for ``de_AT``, else ``en``.

    The tag is only split, not checked: :func:`resolve_locale` checks it.
    """
    language = _language_of(tag)
    return language if language in CATALOG_LANGUAGES else "en"


@functools.cache
def _translations(language: str) -> gettext.NullTranslations:
    # Loaded on first use: importlib.resources brings tempfile, random and more at import.
    import gettext  # noqa: PLC0415
    from importlib import resources  # noqa: PLC0415

    localedir = resources.files("leiden_twinning").joinpath("locale")
    chain = [language] if language in CATALOG_LANGUAGES else []
    chain.append("en")
    with resources.as_file(localedir) as path:
        return gettext.translation(DOMAIN, localedir=path, languages=chain)


def _split_list_pattern(pattern: str) -> tuple[str, str, str] | None:
    """``"{0}, {1}"`` as ``("", ", ", "")``: the text before, between and after the two items.

    ``None`` for a pattern that is not exactly that (``{1}`` first, or another brace).
    """
    before, first, rest = pattern.partition("{0}")
    between, second, after = rest.partition("{1}")
    if not first or not second or any("{" in p or "}" in p for p in (before, between, after)):
        return None
    return before, between, after


class Localized(NamedTuple):
    """A text of the data as :meth:`I18n.text` chose it, and the language it is written in.

    .. versionadded:: 1.0
    """

    #: The text itself.
    text: str
    #: The BCP 47 tag of its language: the locale's own tag (``en-GB``) when the text is in the
    #: locale's language, else the tag of the language it fell back to (``nl``).
    language: str


class I18n:
    """Translation and CLDR formatting bound to one locale: what every exporter renders with.

    Build one with :func:`leiden_twinning.i18n`; the built-in exporters use nothing else.

    >>> import leiden_twinning as lt
    >>> en = lt.i18n("en")
    >>> en.country("ZA"), lt.i18n("nl").country("ZA")
    ('South Africa', 'Zuid-Afrika')
    >>> en.label(lt.PartnershipKind.TWINNING), lt.i18n("nl").label(lt.PartnershipKind.TWINNING)
    ('twinning', 'stedenband')
    >>> lt.i18n("nl").date(lt.PartialDate(1988, 11))
    'november 1988'

    .. versionadded:: 1.0
    """

    def __init__(self, locale: Locale) -> None:
        #: The Babel locale.
        self.locale = locale
        #: The language code of the locale (``en`` for ``en_GB``).
        self.language: str = locale.language
        self._t = _translations(locale.language)
        # Memos of the formatted numbers and dates: an export formats the same few hundred
        # values thousands of times, and each Babel call costs tens of microseconds.
        self._numbers: dict[tuple[type, float], str] = {}
        self._dates: dict[tuple[type, dt.date | PartialDate, str], str] = {}
        self._days: dict[tuple[int, int], str] = {}
        self._tag = str(locale).replace("_", "-")
        # A bare language's tag ("en"): a text written in it is found by comparing tags.
        self._bare = None if "-" in self._tag else self._tag.lower()
        self._messages: dict[str, str] = {}
        self._formatting: Locale | None = None

    def _cldr(self) -> Locale:
        """The Babel locale to format with: its CLDR fields read on first use, through the cache.

        The fields are read with the collector paused (they are many small objects).
        """
        if self._formatting is None:
            from leiden_twinning._cache import cache_dir  # noqa: PLC0415 - CLDR loads on use
            from leiden_twinning._cldr import cached_locale  # noqa: PLC0415

            with paused():
                self._formatting = cached_locale(self.locale, cache_dir())
        return self._formatting

    @property
    def tag(self) -> str:
        """The BCP 47 tag of the locale (``en-GB``), for ``lang`` attributes and ``LANGUAGE=``."""
        return self._tag

    @property
    def label_language(self) -> str:
        """The BCP 47 tag of the language :meth:`label` and :meth:`gettext` answer in.

        The locale's own tag where the package has a catalog for its language, else ``en``.
        """
        return self.tag if self.language in CATALOG_LANGUAGES else "en"

    @property
    def translations(self) -> gettext.NullTranslations:
        """The package's gettext catalog for this locale (English where it has none).

        What ``jinja2.ext.i18n`` installs, for templates whose messages are in that catalog.
        """
        return self._t

    def gettext(self, message: str) -> str:
        """Translate *message*, a message of the package's catalog."""
        found = self._messages.get(message)
        if found is None:
            found = self._messages[message] = self._t.gettext(message)
        return found

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate with the plural form for *n*."""
        return self._t.ngettext(singular, plural, n)

    def label(self, member: Any) -> str:
        """The translated label of a member of any enumeration of the model (``stedenband``).

        :raises KeyError: for a value that is not a member of a model enumeration.
        """
        return self.gettext(_LABELS[member])

    def text(self, text: LocalizedText) -> Localized:
        """The text of *text* for this locale, and the language it is actually in.

        The order: the locale's own tag (``de-CH``), its base language (``de``), a regional form
        of that language, English, then the text's languages in order, which the loader puts in
        the order of the dataset's ``languages`` (so the primary language comes next). A text
        found in the locale's language is tagged with the locale's full tag (``nl-BE``);
        any other keeps its own tag.

        .. versionchanged:: 1.1
           Texts in any language; English comes before the dataset's primary language, since a
           reader of a language the data lacks more often reads English, and the package's
           labels fall back to English too.
        """
        bare = self._bare
        if bare is not None:
            # The common case, without the general rules below: the text is written in the
            # locale's language under that very tag, and under no other spelling of it before.
            for own, written in text.items:
                if own == bare:
                    return Localized(written, self._tag)
                if own.lower() == bare:
                    break
        written, own, matched = text.lookup(self.tag)
        if matched and base_language(own) == own.lower():
            return Localized(written, self.tag)
        return Localized(written, own)

    def date(self, value: dt.date | PartialDate, width: str = "long") -> str:
        """A date at its own precision: ``1988``, ``februari 2013`` or ``4 februari 2013``.

        *value* is a :class:`~leiden_twinning.PartialDate` or a :class:`datetime.date`; *width*
        is ``"long"`` (month names) or ``"short"`` (digits).
        """
        key = (type(value), value, width)
        found = self._dates.get(key)
        if found is None:
            found = self._dates[key] = self._date(value, width)
        return found

    def _date(self, value: dt.date | PartialDate, width: str) -> str:
        from babel.dates import format_date, format_skeleton  # noqa: PLC0415

        if isinstance(value, dt.date):
            return format_date(value, width, locale=self._cldr())
        if value.month is None:
            return format_skeleton("y", dt.date(value.year, 1, 1), locale=self._cldr())
        if value.day is None:
            skeleton = "yMMMM" if width == "long" else "yMM"
            return format_skeleton(
                skeleton, dt.date(value.year, value.month, 1), locale=self._cldr()
            )
        return format_date(dt.date(value.year, value.month, value.day), width, locale=self._cldr())

    def partial_date(self, value: PartialDate, width: str = "long") -> str:
        """The same as :meth:`date` (kept for the templates and for existing callers)."""
        return self.date(value, width)

    def day_month(self, month: int, day: int) -> str:
        """A day of the year without a year, for yearly days: ``7 november`` / ``November 7``."""
        from babel.dates import format_skeleton  # noqa: PLC0415

        found = self._days.get((month, day))
        if found is None:
            found = format_skeleton("MMMMd", dt.date(2000, month, day), locale=self._cldr())
            self._days[month, day] = found
        return found

    def number(self, value: float) -> str:
        """A number with the locale's separators: ``1.000.000`` / ``1,000,000``."""
        from babel.numbers import format_decimal  # noqa: PLC0415

        # The type is part of the key: 1, 1.0 and True are equal but need not print alike.
        key = (type(value), value)
        found = self._numbers.get(key)
        if found is None:
            found = self._numbers[key] = format_decimal(value, locale=self._cldr())
        return found

    def percent(self, value: float) -> str:
        """A percentage given as a number from 0 to 100: ``60%`` / ``60 %``."""
        from babel.numbers import format_percent  # noqa: PLC0415

        return format_percent(value / 100, locale=self._cldr())

    def quantity(self, value: Quantity, unit: str | None = None) -> str:
        """A number as a source states it: ``about 71,000``, ``more than 10``."""
        number = self.percent(value.value) if unit == "percent" else self.number(value.value)
        if value.at_least:
            # Translators: a number that is a lower bound, e.g. "more than 10".
            return self.gettext("more than {number}").format(number=number)
        if value.approximate:
            # Translators: an approximate number, e.g. "about 71,000".
            return self.gettext("about {number}").format(number=number)
        return number

    def country(self, code: str) -> str:
        """The CLDR name of a country: ``Zuid-Afrika`` / ``South Africa``."""
        return str(self._cldr().territories.get(code, code))

    def list(self, items: Iterable[str]) -> str:
        """A list in the locale's style: ``A, B en C`` / ``A, B, and C``.

        The same text as :func:`babel.lists.format_list`, in time linear in the length of the
        list: Babel puts the list together one item at a time, copying all that came before
        on each (a list of 10,000 cities took a noticeable share of a whole export).
        """
        from babel.lists import format_list  # noqa: PLC0415

        values = list(items)
        if len(values) < 4:  # Babel's own cases (one, two), and no copying to speak of
            return format_list(values, locale=self._cldr())
        patterns = self._cldr().list_patterns["standard"]
        parts = [_split_list_pattern(patterns[key]) for key in ("start", "middle", "end")]
        if None in parts:  # a pattern of another shape: Babel's way
            return format_list(values, locale=self._cldr())
        (s0, s1, s2), (m0, m1, m2), (e0, e1, e2) = parts  # type: ignore[misc]
        # end(middle(...middle(start(a, b), c)..., y), z), written out from left to right.
        middles = values[2:-1]
        return "".join(
            [
                e0,
                m0 * len(middles),
                s0,
                values[0],
                s1,
                values[1],
                s2,
                *(f"{m1}{value}{m2}" for value in middles),
                e1,
                values[-1],
                e2,
            ]
        )

    def years(self, n: int) -> str:
        """``1 year`` / ``30 years`` / ``30 jaar``, with the locale's plural rules."""
        # Translators: a duration or an age, e.g. "30 years" (of a tie); {n} is a number.
        return self.ngettext("{n} year", "{n} years", n).format(n=self.number(n))

    def anniversary_title(self, tie: str, kind: PartnershipKind) -> str:
        """The title of the yearly event on the day a tie started.

        *tie* names the two cities (``Leiden-Oxford``): ``Anniversary of the Leiden-Oxford
        twinning`` in English, ``Verjaardag van de stedenband Leiden-Oxford`` in Dutch.
        """
        if kind is PartnershipKind.FRIENDSHIP:
            # Translators: the title of the yearly event on the day a friendship tie started.
            title = self.gettext("Anniversary of the {tie} friendship tie")
        else:
            # Translators: the title of the yearly event on the day a twinning started.
            title = self.gettext("Anniversary of the {tie} twinning")
        return title.format(tie=tie)

    def jubilee_title(self, tie: str, kind: PartnershipKind, years: int) -> str:
        """The title of a jubilee: ``30 years of the Leiden-Toruń twinning``.

        A round jubilee (25, 50, 75, ... years) says so in the title.
        """
        if kind is PartnershipKind.FRIENDSHIP:
            # Translators: a jubilee of a friendship tie; nl: "{n} jaar vriendschapsband {tie}".
            title = self.ngettext(
                "{n} year of the {tie} friendship tie",
                "{n} years of the {tie} friendship tie",
                years,
            )
        else:
            # Translators: a jubilee of a twinning; nl: "{n} jaar stedenband {tie}".
            title = self.ngettext(
                "{n} year of the {tie} twinning",
                "{n} years of the {tie} twinning",
                years,
            )
        title = title.format(n=self.number(years), tie=tie)
        if years % 25 == 0:
            # Translators: marks a round jubilee (25, 50, 75, 100 years) in an event title.
            title = self.gettext("{title} (round jubilee)").format(title=title)
        return title


@functools.cache
def _cached(tag: str) -> I18n:
    return I18n(resolve_locale(tag))


def i18n(locale: str) -> I18n:
    """Return the :class:`I18n` for *locale* (``nl``, ``en_GB``, ``de``, ...), cached.

    :raises UnknownLocaleError: for a tag Babel does not know.

    .. versionadded:: 1.0
    """
    return _cached(locale)
