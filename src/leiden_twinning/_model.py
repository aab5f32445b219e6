"""The domain model: frozen attrs classes and value types.

The model knows nothing of files, JSON, locales or exporters. Every class is frozen and slotted, and
validates its own fields; cross-references between entities are checked by
:class:`~leiden_twinning.Dataset`.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import TYPE_CHECKING, Any

import attrs

from leiden_twinning._validators import CONTROL, line, pattern, text

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "LANGUAGE_TAG",
    "Activity",
    "ActivityKind",
    "City",
    "Contact",
    "Coordinates",
    "Discrepancy",
    "Distance",
    "Figure",
    "Foundation",
    "Frequency",
    "Institution",
    "InstitutionKind",
    "LocalizedText",
    "Milestone",
    "MilestoneKind",
    "PartialDate",
    "Partnership",
    "PartnershipKind",
    "PersonName",
    "Precision",
    "Quantity",
    "Recurrence",
    "Signatory",
    "Source",
    "Theme",
    "base_language",
]

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")
_URL = re.compile(r"^https?://[^\s<>\"]+$")
_WIKIDATA = re.compile(r"^Q[1-9][0-9]*$")


def _slug(_inst: object, attribute: attrs.Attribute[Any], value: str) -> None:
    # fullmatch: with match, "$" would let a trailing line break through ("torun\n").
    if not _SLUG.fullmatch(value):
        msg = (
            f"{attribute.name}: {value!r} is not a slug (ASCII lower-case letters, digits and"
            " hyphens, like 'buffalo-city')"
        )
        raise ValueError(msg)


def _slugs(inst: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    for item in value:
        _slug(inst, attribute, item)
    if len(set(value)) != len(value):
        msg = f"{attribute.name}: an id is listed twice"
        raise ValueError(msg)


def _pattern(
    regex: re.Pattern[str], what: str
) -> Callable[[object, attrs.Attribute[Any], Any], None]:
    return pattern(regex, what, optional=True)


# One rule each, shared with the exporter specs (see leiden_twinning._validators).
_line = line
_text = text


class Precision(enum.IntEnum):
    """How much of a :class:`PartialDate` is known."""

    YEAR = 1
    MONTH = 2
    DAY = 3


class PartnershipKind(enum.StrEnum):
    """The formal kind of a tie between Leiden and a partner city."""

    #: A twinning or sister-city tie (*stedenband*, *zustersteden*).
    TWINNING = "twinning"
    #: A friendship tie (*vriendschapsband*), often the step before a twinning.
    FRIENDSHIP = "friendship"


class MilestoneKind(enum.StrEnum):
    """What happened at a point in a tie's history."""

    FIRST_CONTACT = "first_contact"
    ESTABLISHED = "established"
    SIGNED = "signed"
    KIND_CHANGED = "kind_changed"
    DORMANT = "dormant"
    REVIVED = "revived"


class Theme(enum.StrEnum):
    """A field a partnership or an activity works in."""

    EDUCATION = "education"
    SUSTAINABLE_DEVELOPMENT = "sustainable_development"
    ECONOMIC_DEVELOPMENT = "economic_development"
    CULTURE = "culture"
    SPORT = "sport"
    COMMEMORATION = "commemoration"
    RESEARCH = "research"
    HERITAGE = "heritage"
    MUSEUMS = "museums"
    WATER_MANAGEMENT = "water_management"
    CIVIC_EXCHANGE = "civic_exchange"


class ActivityKind(enum.StrEnum):
    """The kind of an :class:`Activity`."""

    EXCHANGE = "exchange"
    VISIT = "visit"
    DELEGATION = "delegation"
    SIGNING = "signing"
    COMMEMORATION = "commemoration"
    STUDENT_EXCHANGE = "student_exchange"
    INTERNSHIP = "internship"
    PROJECT = "project"
    EXHIBITION = "exhibition"
    SCHOOL_PARTNERSHIP = "school_partnership"


class InstitutionKind(enum.StrEnum):
    """The kind of an :class:`Institution`."""

    MUNICIPALITY = "municipality"
    UNIVERSITY = "university"
    MUSEUM = "museum"
    SCHOOL = "school"
    WATER_BOARD = "water_board"
    OTHER = "other"


class Frequency(enum.StrEnum):
    """How often a :class:`Recurrence` repeats."""

    YEARLY = "yearly"


#: A BCP 47 language tag as datasets write them: ``nl``, ``en``, ``de-CH``, ``zh-Hant``.
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _texts(_inst: object, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if not value:
        msg = "a localized text needs at least one language"
        raise ValueError(msg)
    for tag, written in value:
        if not isinstance(tag, str) or not LANGUAGE_TAG.fullmatch(tag):
            msg = f"{tag!r} is not a BCP 47 language tag (like nl, en or de-CH)"
            raise ValueError(msg)
        if not isinstance(written, str):
            msg = f"{tag}: expected a string, got {type(written).__name__}"
            raise TypeError(msg)
        if not written:
            msg = f"{tag}: must not be empty"
            raise ValueError(msg)
        if CONTROL.search(written):
            msg = f"{tag}: contains a control character"
            raise ValueError(msg)


def base_language(tag: str) -> str:
    """The language part of a tag or locale name: ``nl`` for ``nl-BE``, ``nl_BE`` or ``NL``."""
    return tag.replace("_", "-").split("-")[0].lower()


@attrs.frozen(init=False)
class LocalizedText:
    """A text of the data in one or more languages, as a mapping from BCP 47 tag to text.

    The languages keep the order they were given in; the loader gives them in the order of the
    dataset's :attr:`~leiden_twinning.Dataset.languages`, so the primary language comes first.

    >>> text = LocalizedText(nl="stedenband", en="twinning")
    >>> text.get("en"), text["nl"], text.languages
    ('twinning', 'stedenband', ('nl', 'en'))
    >>> LocalizedText({"de": "Partnerschaft"}).get("en")
    'Partnerschaft'

    .. versionchanged:: 1.1
       Any languages, not only Dutch and English: pass a mapping, or the languages as keywords.
    """

    #: The ``(tag, text)`` pairs, in order; every text is non-empty.
    items: tuple[tuple[str, str], ...] = attrs.field(validator=_texts)

    def __init__(
        self, texts: Mapping[str, str] | None = None, /, **by_language: str | None
    ) -> None:
        merged = dict(texts or {})
        merged.update({tag.replace("_", "-"): v for tag, v in by_language.items() if v is not None})
        self.__attrs_init__(tuple(merged.items()))

    @property
    def languages(self) -> tuple[str, ...]:
        """The tags the text is written in, in order."""
        return tuple(tag for tag, _ in self.items)

    @property
    def texts(self) -> dict[str, str]:
        """A new dict from tag to text."""
        return dict(self.items)

    def __getitem__(self, tag: str) -> str:
        for own, written in self.items:
            if own == tag:
                return written
        raise KeyError(tag)

    def __contains__(self, tag: object) -> bool:
        return any(own == tag for own, _ in self.items)

    @property
    def nl(self) -> str | None:
        """The Dutch text, if written (kept from version 1.0)."""
        return self.texts.get("nl")

    @property
    def en(self) -> str | None:
        """The English text, if written (kept from version 1.0)."""
        return self.texts.get("en")

    def lookup(self, language: str) -> tuple[str, str, bool]:
        """The text for *language* as ``(text, tag it is in, matched)``.

        The fallback order: the tag itself, its base language (``nl`` for ``nl-BE``), a regional
        form of that language (``de-CH`` for ``de``), English, then the text's own languages in
        order (the dataset's primary language first). *matched* is true for the first three.
        """
        wanted = language.replace("_", "-").lower()
        base = base_language(wanted)
        for own, written in self.items:
            if own.lower() == wanted:
                return written, own, True
        for own, written in self.items:
            if own.lower() == base:
                return written, own, True
        for own, written in self.items:
            if base_language(own) == base:
                return written, own, True
        for own, written in self.items:
            if own == "en":
                return written, own, False
        own, written = self.items[0]
        return written, own, False

    def get(self, language: str) -> str:
        """Return the text for *language* (``"nl"``, ``"en"``, ``"nl_BE"``...), with fallbacks.

        See :meth:`lookup` for the order.
        """
        return self.lookup(language)[0]


@attrs.frozen
class PartialDate:
    """A date known to the year, the month or the day; nothing is ever invented.

    >>> PartialDate.fromisoformat("1988")
    PartialDate(year=1988, month=None, day=None)
    >>> PartialDate(1998, 9, 1).precision
    <Precision.DAY: 3>

    Partial dates are totally ordered, chronologically by :attr:`sort_key`. A date known only to
    the year sorts before every date within that year, and one known to the month before every
    day of that month (the unknown part counts as 0):

    >>> dates = [PartialDate(1988, 11, 4), PartialDate(1988), PartialDate(1988, 11)]
    >>> [str(d) for d in sorted(dates)]
    ['1988', '1988-11', '1988-11-04']

    .. versionchanged:: 1.0
       Comparable with ``<``, so ``sorted()`` works on partial dates.
    """

    #: The year, 1 to 9999.
    year: int = attrs.field(
        validator=attrs.validators.and_(attrs.validators.ge(1), attrs.validators.le(9999))
    )
    #: The month, 1 to 12, or ``None`` when only the year is known.
    month: int | None = attrs.field(default=None)
    #: The day of the month, or ``None`` when it is unknown (then :attr:`month` may be known).
    day: int | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.month is None:
            if self.day is not None:
                msg = "a day needs a month"
                raise ValueError(msg)
            return
        if not 1 <= self.month <= 12:
            msg = f"month {self.month} is not between 1 and 12"
            raise ValueError(msg)
        if self.day is not None:
            dt.date(self.year, self.month, self.day)  # raises ValueError for 2011-02-30

    @classmethod
    def fromisoformat(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", text)
        if match is None:
            msg = f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            raise ValueError(msg)
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            return cls(year, month, day)  # type: ignore[arg-type]
        except ValueError as exc:
            msg = f"{text!r} is not a real date ({exc})"
            raise ValueError(msg) from None

    def isoformat(self) -> str:
        """Return the ISO 8601 form at this date's own precision."""
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
        if self.day is not None:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    __str__ = isoformat

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """A key that orders dates chronologically, a year before its months and days."""
        return (self.year, self.month or 0, self.day or 0)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.sort_key >= other.sort_key

    @property
    def precision(self) -> Precision:
        """How much of this date is known."""
        if self.day is not None:
            return Precision.DAY
        return Precision.MONTH if self.month is not None else Precision.YEAR

    def to_date(self) -> dt.date | None:
        """Return a :class:`datetime.date` when the day is known, else ``None``."""
        if self.month is None or self.day is None:
            return None
        return dt.date(self.year, self.month, self.day)


@attrs.frozen
class Quantity:
    """A number as a source states it, marked approximate where the source says "about"."""

    #: The number; zero or more.
    value: int | float = attrs.field(validator=attrs.validators.ge(0))
    #: The source says "about".
    approximate: bool = False
    #: Set when a number is a lower bound ("more than 10 years").
    at_least: bool = False


@attrs.frozen
class Coordinates:
    """A point on earth in WGS 84 decimal degrees."""

    #: Degrees north (negative: south), from -90 to 90.
    latitude: float = attrs.field(validator=[attrs.validators.ge(-90), attrs.validators.le(90)])
    #: Degrees east (negative: west), from -180 to 180.
    longitude: float = attrs.field(validator=[attrs.validators.ge(-180), attrs.validators.le(180)])


@attrs.frozen
class Source:
    """Where facts come from: a page, with its publisher and date."""

    #: The source's id.
    id: str = attrs.field(validator=_slug)
    #: The title of the page or document.
    title: str = attrs.field(validator=_line)
    #: Where to read it.
    url: str | None = attrs.field(default=None, validator=_pattern(_URL, "an http(s) URL"))
    #: Who published it.
    publisher: str | None = attrs.field(default=None, validator=_line)
    #: When it was published or written, as far as known.
    date: PartialDate | None = None
    #: A remark on the source, such as how its date was worked out.
    note: LocalizedText | None = None


@attrs.frozen
class Figure:
    """A figure a source gives about a city, such as the share of people without work."""

    #: The figure's id.
    id: str = attrs.field(validator=_slug)
    #: What is counted (``inwoners zonder werk``).
    label: LocalizedText
    #: The value, as the source states it.
    quantity: Quantity
    #: ``"percent"``, ``"people"``, ``"km"``, ``"objects"``, ``"students"``, ...
    unit: str = attrs.field(validator=_slug)
    #: When the figure was true: the date its source gives it for, or the source's own date.
    as_of: PartialDate | None = None
    #: The sources of the figure.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)


@attrs.frozen
class Distance:
    """A distance a source gives from a city to a place."""

    #: The place the distance is measured to.
    to: str = attrs.field(validator=_line)
    #: The distance in kilometres.
    km: Quantity
    #: The sources of the distance.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)


@attrs.frozen
class City:
    """A city: Leiden itself or one of its partners."""

    #: The city's id; :attr:`Dataset.home` names the home city.
    id: str = attrs.field(validator=_slug)
    #: The name in its usual spelling, with accents (``Toruń``).
    name: str = attrs.field(validator=_line)
    #: ISO 3166-1 alpha-2 code of the country.
    country: str = attrs.field(validator=_pattern(_COUNTRY, "an ISO 3166-1 alpha-2 code"))
    #: What makes the city notable, in a few sentences.
    description: LocalizedText
    #: The province, state or region.
    region: LocalizedText | None = None
    #: The number of inhabitants as the source states it.
    population: Quantity | None = None
    #: When the population figure was true (the date of its source).
    population_as_of: PartialDate | None = None
    #: Other spellings a person may search for ("Torun", "East London").
    aliases: tuple[str, ...] = attrs.field(
        default=(), validator=attrs.validators.deep_iterable(_line)
    )
    #: Short notable facts, one text each.
    highlights: tuple[LocalizedText, ...] = ()
    #: Figures a source gives about the city.
    figures: tuple[Figure, ...] = ()
    #: Distances a source gives from the city.
    distances: tuple[Distance, ...] = ()
    #: Where the city is.
    coordinates: Coordinates | None = None
    #: The city's Wikidata item (``Q1002006``).
    wikidata: str | None = attrs.field(default=None, validator=_pattern(_WIKIDATA, "a Wikidata id"))
    #: The sources of these facts.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)


@attrs.frozen
class Signatory:
    """A person who signed a document, in the role they signed in."""

    #: The person's name as written.
    name: str = attrs.field(validator=_line)
    #: The role they signed in (``burgemeester van Leiden``).
    role: LocalizedText
    #: The id of the foundation or institution they signed for, if it is in the dataset.
    organisation: str | None = attrs.field(default=None, validator=attrs.validators.optional(_slug))


@attrs.frozen
class Milestone:
    """A moment in the history of a tie: first contacts, a signing, a change of kind, ..."""

    #: When it happened, at the precision the sources give.
    date: PartialDate
    #: What happened.
    kind: MilestoneKind
    #: What happened, in a sentence.
    description: LocalizedText
    #: The kind of tie from this moment on, where the moment sets one.
    partnership_kind: PartnershipKind | None = None
    #: Who signed, for a signing.
    signatories: tuple[Signatory, ...] = ()
    #: Where it happened.
    place: str | None = attrs.field(default=None, validator=_line)
    #: The sources of this milestone.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)

    @property
    def is_anniversary(self) -> bool:
        """Whether the tie celebrates this moment each year (its start, a signing, a new kind)."""
        return self.kind in _ANNIVERSARY_KINDS


#: The kinds of milestone a tie celebrates each year.
_ANNIVERSARY_KINDS = frozenset(
    {MilestoneKind.ESTABLISHED, MilestoneKind.SIGNED, MilestoneKind.KIND_CHANGED}
)


def _history(_inst: object, _attribute: attrs.Attribute[Any], value: tuple[Milestone, ...]) -> None:
    if not any(m.kind in {MilestoneKind.ESTABLISHED, MilestoneKind.SIGNED} for m in value):
        msg = "history: needs a milestone of kind 'established' or 'signed'"
        raise ValueError(msg)
    if not any(m.partnership_kind is not None for m in value):
        msg = "history: no milestone sets the partnership_kind"
        raise ValueError(msg)
    if list(value) != sorted(value, key=lambda m: m.date.sort_key):
        msg = "history: milestones must be in date order"
        raise ValueError(msg)


@attrs.frozen
class Partnership:
    """The tie between the home city and one partner city, with its history."""

    #: The tie's id.
    id: str = attrs.field(validator=_slug)
    #: The id of the partner :class:`City`.
    city: str = attrs.field(validator=_slug)
    #: How the tie came about and what it works on.
    description: LocalizedText
    #: The milestones of the tie, oldest first.
    history: tuple[Milestone, ...] = attrs.field(validator=_history)
    #: The fields the tie works in.
    themes: tuple[Theme, ...] = ()
    #: Ids of partner :class:`Institution` objects.
    institutions: tuple[str, ...] = attrs.field(default=(), validator=_slugs)
    #: The tie's motto, where it has one.
    motto: LocalizedText | None = None
    #: The sources of these facts.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)

    @property
    def start(self) -> Milestone:
        """The first milestone that established or signed the tie."""
        return next(
            m for m in self.history if m.kind in {MilestoneKind.ESTABLISHED, MilestoneKind.SIGNED}
        )

    @property
    def kind(self) -> PartnershipKind:
        """The tie's kind now: the one set by its latest milestone that sets one."""
        return next(m.partnership_kind for m in reversed(self.history) if m.partnership_kind)


@attrs.frozen
class Foundation:
    """A foundation (*stichting*) that carries a partnership."""

    #: The foundation's id.
    id: str = attrs.field(validator=_slug)
    #: Its official name (``Stichting Stedenband Leiden-Oxford``).
    name: str = attrs.field(validator=_line)
    #: The id of the :class:`Partnership` it carries.
    partnership: str = attrs.field(validator=_slug)
    #: What the foundation does.
    description: LocalizedText
    #: Its usual abbreviation (``SVLJ``).
    abbreviation: str | None = attrs.field(default=None, validator=_line)
    #: Its website.
    website: str | None = attrs.field(default=None, validator=_pattern(_URL, "an http(s) URL"))
    #: The sources of these facts.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)


@attrs.frozen
class Institution:
    """A university, museum, school, municipality or other body that takes part in a tie."""

    #: The institution's id.
    id: str = attrs.field(validator=_slug)
    #: Its name.
    name: str = attrs.field(validator=_line)
    #: What kind of body it is.
    kind: InstitutionKind
    #: The id of the :class:`City` it is in.
    city: str = attrs.field(validator=_slug)
    #: What it does in the tie.
    description: LocalizedText | None = None
    #: Its website.
    website: str | None = attrs.field(default=None, validator=_pattern(_URL, "an http(s) URL"))
    #: The sources of these facts.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)


@attrs.frozen
class PersonName:
    """A person's name in parts, so that "de Jonge" sorts under J and splits right in a vCard."""

    #: The given name(s).
    given: str = attrs.field(validator=_line)
    #: The family name without its prefix.
    family: str = attrs.field(validator=_line)
    #: A Dutch surname prefix (*tussenvoegsel*) such as ``"de"`` or ``"van der"``.
    prefix: str | None = attrs.field(default=None, validator=_line)

    @property
    def full(self) -> str:
        """The name as written: ``"Marjan de Jonge"``."""
        return " ".join(part for part in (self.given, self.prefix, self.family) if part)

    @property
    def family_with_prefix(self) -> str:
        """The family name with its prefix: ``"de Jonge"``."""
        return " ".join(part for part in (self.prefix, self.family) if part)


@attrs.frozen
class PostalAddress:
    """A postal address as the source writes it, in the parts a vCard ``ADR`` holds.

    .. versionadded:: 1.0
    """

    #: The locality (city, town): ``Nagasaki``.
    locality: str = attrs.field(validator=_line)
    #: ISO 3166-1 alpha-2 code of the country.
    country: str = attrs.field(validator=_pattern(_COUNTRY, "an ISO 3166-1 alpha-2 code"))
    #: The street address: ``2-22 Sakura-machi``.
    street: str | None = attrs.field(default=None, validator=_line)
    #: The postal code: ``850-8685``.
    postal_code: str | None = attrs.field(default=None, validator=_line)
    #: The region (province, prefecture, state): ``Nagasaki``.
    region: str | None = attrs.field(default=None, validator=_line)


@attrs.frozen
class Contact:
    """A contact point as the source publishes it: a person, or an organisation's own address."""

    #: The contact's id.
    id: str = attrs.field(validator=_slug)
    #: The person's role, or what the address is for (``algemeen contact``).
    role: LocalizedText
    #: The id of the :class:`Foundation` or :class:`Institution` the contact speaks for.
    organisation: str = attrs.field(validator=_slug)
    #: Ids of the partnerships the contact serves.
    partnerships: tuple[str, ...] = attrs.field(validator=[_slugs, attrs.validators.min_len(1)])
    #: ``None`` for an organisation's own contact point.
    name: PersonName | None = None
    #: The e-mail address.
    email: str | None = attrs.field(default=None, validator=_pattern(_EMAIL, "an e-mail address"))
    #: The number in E.164 form (``+31715141720``).
    phone: str | None = attrs.field(
        default=None, validator=_pattern(_E164, "an E.164 phone number")
    )
    #: The date of the source that published the contact.
    as_of: PartialDate | None = None
    #: The sources that publish the contact.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)
    #: The postal address, for an organisation's own contact point.
    address: PostalAddress | None = None


@attrs.frozen
class Recurrence:
    """How an activity repeats: every year, on a set day or not, a number of times."""

    #: How often it repeats.
    frequency: Frequency = Frequency.YEARLY
    #: The month of the set day (1 to 12).
    month: int | None = attrs.field(default=None)
    #: The day of the month of the set day.
    day: int | None = attrs.field(default=None)
    #: How many times per period, where the source says.
    times: Quantity | None = None
    #: The set day is only approximate (the source says "around 7 November"): calendars show no
    #: event on it, so an approximate day is never presented as an exact one.
    approximate: bool = False

    def __attrs_post_init__(self) -> None:
        if self.month is None:
            if self.day is not None:
                msg = "a day needs a month"
                raise ValueError(msg)
            if self.approximate:
                msg = "only a set day can be approximate"
                raise ValueError(msg)
            return
        if self.day is None:
            msg = "a month needs a day"
            raise ValueError(msg)
        dt.date(2000, self.month, self.day)  # a leap year: 29 February is a valid yearly day

    @property
    def fixed_day(self) -> tuple[int, int] | None:
        """The ``(month, day)`` it comes back on, e.g. ``(5, 5)``; ``None`` without a set day.

        An approximate day ("around 7 November") is not a fixed day: it gives ``None`` too.

        .. versionadded:: 1.0
        """
        if self.month is None or self.day is None or self.approximate:
            return None
        return (self.month, self.day)


@attrs.frozen
class Activity:
    """Something a tie does: a dated visit or signing, a yearly exchange, an ongoing project."""

    #: The activity's id.
    id: str = attrs.field(validator=_slug)
    #: The id of the :class:`Partnership` the activity belongs to.
    partnership: str = attrs.field(validator=_slug)
    #: What kind of activity it is.
    kind: ActivityKind
    #: A short title.
    title: LocalizedText
    #: What happens.
    description: LocalizedText | None = None
    #: For a one-off activity: when it happened.
    date: PartialDate | None = None
    #: For an ongoing or repeating activity: since when, where known.
    since: PartialDate | None = None
    #: How it repeats, for a repeating activity.
    recurrence: Recurrence | None = None
    #: The fields it works in.
    themes: tuple[Theme, ...] = ()
    #: Ids of the institutions that take part.
    institutions: tuple[str, ...] = attrs.field(default=(), validator=_slugs)
    #: How many people take part, where a source says.
    participants: Quantity | None = None
    #: The sources of this activity.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)

    def __attrs_post_init__(self) -> None:
        if self.date is not None and (self.recurrence is not None or self.since is not None):
            msg = "a dated activity has no recurrence or since"
            raise ValueError(msg)


@attrs.frozen
class Discrepancy:
    """A point where sources disagree, recorded instead of silently choosing."""

    #: The discrepancy's id.
    id: str = attrs.field(validator=_slug)
    #: The id of the entity concerned.
    subject: str = attrs.field(validator=_slug)
    #: What the sources say, and which version the dataset follows.
    description: LocalizedText
    #: The sources that disagree.
    sources: tuple[str, ...] = attrs.field(default=(), validator=_slugs)
