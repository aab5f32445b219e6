"""The :class:`Dataset`: every entity, reference checks on construction, and queries."""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from leiden_twinning._deprecation import renamed
from leiden_twinning._i18n import N_
from leiden_twinning._model import (
    LANGUAGE_TAG,
    Activity,
    City,
    Contact,
    Discrepancy,
    Foundation,
    Institution,
    LocalizedText,
    Milestone,
    Partnership,
    Source,
)
from leiden_twinning._validators import is_one_line
from leiden_twinning.exceptions import DatasetError, UnknownEntityError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

__all__ = [
    "DEFAULT_LANGUAGES",
    "READABLE_VERSIONS",
    "SCHEMA_VERSION",
    "Anniversary",
    "Dataset",
    "localized_texts",
]

#: The version of the dataset file format this library writes (and the newest it reads).
SCHEMA_VERSION = 2
#: The versions it reads: version 1 is version 2 with ``"languages": ["nl", "en"]``.
READABLE_VERSIONS = (1, 2)
#: The languages of a dataset that declares none (every version 1 file).
DEFAULT_LANGUAGES = ("nl", "en")

_E = TypeVar("_E")


#: Letters that Unicode does not decompose into a base letter and an accent (Polish l with stroke,
#: Danish o with stroke, dotless i, ...), and the typographic apostrophe of "\u2019s-Gravenhage".
_UNDECOMPOSED = str.maketrans(
    {
        "\u0142": "l",
        "\u00f8": "o",
        "\u0111": "d",
        "\u00f0": "d",
        "\u0127": "h",
        "\u0131": "i",
        "\u00e6": "ae",
        "\u0153": "oe",
        "\u2019": "'",
    }
)


def _fold(text: str) -> str:
    """Fold case and strip accents: ``"torun"`` matches ``"Toruń"``, ``"lodz"`` ``"Łódź"``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@attrs.frozen
class Anniversary:
    """A year in which a milestone of a tie comes round again.

    :attr:`date` is the day it falls on that year, and only exists when the milestone is known to
    the day; a tie known to the year alone has an anniversary *year* but no anniversary *day*.
    """

    #: The tie whose milestone comes round.
    partnership: Partnership
    #: The milestone that comes round (its signing, its founding, ...).
    milestone: Milestone
    #: The year in which it comes round.
    year: int
    #: Whole years since the milestone.
    years: int
    #: The day it falls on in :attr:`year`, or ``None`` when the milestone's day is unknown.
    date: dt.date | None

    @property
    def is_jubilee(self) -> bool:
        """Every fifth year (a lustrum) is a jubilee."""
        return self.years > 0 and self.years % 5 == 0

    @property
    def is_round(self) -> bool:
        """25, 50, 75, 100, ... years: the round jubilees."""
        return self.years > 0 and self.years % 25 == 0


def anniversary_date(day: dt.date, year: int) -> dt.date:
    """The day *day* comes round in *year*; 29 February falls on 28 February in common years."""
    try:
        return day.replace(year=year)
    except ValueError:
        return dt.date(year, 2, 28)


def _languages(_inst: object, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, tuple) or not value:
        msg = "languages: needs at least one language, the primary one first"
        raise ValueError(msg)
    for i, tag in enumerate(value):
        if not isinstance(tag, str) or not LANGUAGE_TAG.fullmatch(tag):
            msg = f"languages[{i}]: {tag!r} is not a BCP 47 language tag (like nl, en or de-CH)"
            raise ValueError(msg)
    if len(set(value)) != len(value):
        msg = "languages: a language is listed twice"
        raise ValueError(msg)


def _schema_uri(_inst: object, _attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not is_one_line(value) or not value):
        msg = "$schema: expected the URL or path of a JSON Schema, on one line"
        raise ValueError(msg)


@functools.cache
def _text_fields(kind: Any) -> tuple[str, ...] | None:
    """The names of the fields of attrs class *kind* (the ones that may hold texts); else None.

    Cached per class: a dataset's walk asks this of every entity and every item of a tuple.
    """
    if not attrs.has(kind):
        return None
    return tuple(f.name for f in attrs.fields(kind) if f.init and not f.name.startswith("_"))


def localized_texts(value: Any, path: str) -> Iterator[tuple[str, LocalizedText]]:
    """Every :class:`LocalizedText` inside *value* (an entity or a tuple), with its path."""
    if isinstance(value, LocalizedText):
        yield path, value
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            item_kind: Any = type(item)
            if isinstance(item, LocalizedText) or _text_fields(item_kind) is not None:
                yield from localized_texts(item, f"{path}[{i}]")
    else:
        kind: Any = type(value)
        for name in _text_fields(kind) or ():
            yield from localized_texts(getattr(value, name), f"{path}.{name}")


@attrs.frozen(kw_only=True)
class Dataset:
    """The home city, its partners, and everything that connects them.

    Construction checks every cross-reference and raises :exc:`~leiden_twinning.DatasetError`
    listing every duplicate id (ids are unique across all collections) and every dangling
    reference with its path.
    """

    #: The id of the home city (``"leiden"``).
    home: str
    #: The date of the dataset's last revision; exporters use it instead of the wall clock.
    revision: dt.date
    #: The BCP 47 tags of the languages the texts are written in, the primary language first:
    #: every :class:`~leiden_twinning.LocalizedText` holds the primary language and may hold the
    #: others. ``("nl", "en")`` for Leiden.
    #:
    #: .. versionadded:: 1.1
    languages: tuple[str, ...] = attrs.field(default=DEFAULT_LANGUAGES, validator=_languages)
    #: The ``"$schema"`` the file names for editors, kept on a round trip.
    #:
    #: .. versionadded:: 1.1
    json_schema: str | None = attrs.field(default=None, validator=_schema_uri)
    #: Every source the dataset cites, referred to by id from the ``sources`` lists of the other
    #: objects.
    sources: tuple[Source, ...] = ()
    #: The home city and every partner city.
    cities: tuple[City, ...] = ()
    #: One tie between the home city and a partner city each.
    partnerships: tuple[Partnership, ...] = ()
    #: The foundations that carry the ties.
    foundations: tuple[Foundation, ...] = ()
    #: Universities, museums, schools and other bodies that take part in the ties.
    institutions: tuple[Institution, ...] = ()
    #: Contact points, as their sources publish them.
    contacts: tuple[Contact, ...] = ()
    #: What the ties do: visits, exchanges, projects, commemorations.
    activities: tuple[Activity, ...] = ()
    #: Points where sources disagree.
    discrepancies: tuple[Discrepancy, ...] = ()
    _index: dict[str, dict[str, Any]] = attrs.field(init=False, repr=False, eq=False, hash=False)
    #: Grouped once: per partnership id its foundations, contacts and activities, and per
    #: subject id the positions of the discrepancies about it.
    _groups: dict[str, dict[str, tuple[Any, ...]]] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        problems: list[str] = []
        index: dict[str, dict[str, Any]] = {}
        # Ids are unique across collections too: a discrepancy's subject and Dataset.get() look
        # an id up in every collection, and a contact's organisation in two.
        first: dict[str, str] = {}
        for name in _COLLECTIONS:
            table: dict[str, Any] = {}
            for i, entity in enumerate(getattr(self, name)):
                if entity.id in first:
                    problems.append(
                        f"{name}[{i}].id: duplicate id {entity.id!r}"
                        f" (first used at {first[entity.id]})"
                    )
                    continue  # the first one wins, so references resolve to it
                table[entity.id] = entity
                first[entity.id] = f"{name}[{i}]"
            index[name] = table
        object.__setattr__(self, "_index", index)
        problems.extend(self._dangling())
        problems.extend(self._undeclared())
        if problems:
            raise DatasetError(problems)
        object.__setattr__(self, "_groups", self._group())

    def _group(self) -> dict[str, dict[str, tuple[Any, ...]]]:
        """Each collection that refers to partnerships, grouped by partnership id (in order).

        Also the positions of the discrepancies, grouped by subject id.
        """
        grouped: dict[str, dict[str, list[Any]]] = {
            name: {p.id: [] for p in self.partnerships}
            for name in ("foundations", "contacts", "activities")
        }
        for f in self.foundations:
            grouped["foundations"][f.partnership].append(f)
        for c in self.contacts:
            for pid in dict.fromkeys(c.partnerships):
                grouped["contacts"][pid].append(c)
        for a in self.activities:
            grouped["activities"][a.partnership].append(a)
        notes: dict[str, list[int]] = {}
        for i, d in enumerate(self.discrepancies):
            notes.setdefault(d.subject, []).append(i)
        grouped["discrepancies"] = notes
        return {
            name: {pid: tuple(items) for pid, items in table.items()}
            for name, table in grouped.items()
        }

    def _undeclared(self) -> Iterator[str]:
        """Texts without the primary language, or in a language the dataset does not declare."""
        declared = set(self.languages)
        primary = self.languages[0]
        names = ", ".join(self.languages)
        for name in _COLLECTIONS:
            for path, text in localized_texts(getattr(self, name), name):
                if primary not in text:
                    yield f"{path}: needs a text in the primary language {primary!r}"
                for tag in text.languages:
                    if tag not in declared:
                        yield (
                            f"{path}.{tag}: the language {tag!r} is not declared in"
                            f" languages (declared: {names})"
                        )

    def _dangling(self) -> Iterator[str]:  # noqa: PLR0912 - one flat check per reference
        ix = self._index
        organisations = ix["foundations"].keys() | ix["institutions"].keys()

        def check(path: str, ref: str | None, table: Iterable[str], what: str) -> Iterator[str]:
            if ref is not None and ref not in table:
                yield f"{path}: unknown {what} {ref!r}"

        def sources(path: str, refs: Sequence[str]) -> Iterator[str]:
            for j, ref in enumerate(refs):
                yield from check(f"{path}.sources[{j}]", ref, ix["sources"], "source")

        yield from check("home", self.home, ix["cities"], "city")
        for i, c in enumerate(self.cities):
            yield from sources(f"cities[{i}]", c.sources)
            for j, f in enumerate(c.figures):
                yield from sources(f"cities[{i}].figures[{j}]", f.sources)
            for j, d in enumerate(c.distances):
                yield from sources(f"cities[{i}].distances[{j}]", d.sources)
        for i, p in enumerate(self.partnerships):
            path = f"partnerships[{i}]"
            yield from check(f"{path}.city", p.city, ix["cities"], "city")
            if p.city == self.home:
                yield f"{path}.city: the home city cannot partner itself"
            for j, ref in enumerate(p.institutions):
                yield from check(
                    f"{path}.institutions[{j}]", ref, ix["institutions"], "institution"
                )
            yield from sources(path, p.sources)
            for j, m in enumerate(p.history):
                yield from sources(f"{path}.history[{j}]", m.sources)
                for k, s in enumerate(m.signatories):
                    yield from check(
                        f"{path}.history[{j}].signatories[{k}].organisation",
                        s.organisation,
                        organisations,
                        "organisation",
                    )
        for i, fo in enumerate(self.foundations):
            yield from check(
                f"foundations[{i}].partnership", fo.partnership, ix["partnerships"], "partnership"
            )
            yield from sources(f"foundations[{i}]", fo.sources)
        for i, inst in enumerate(self.institutions):
            yield from check(f"institutions[{i}].city", inst.city, ix["cities"], "city")
            yield from sources(f"institutions[{i}]", inst.sources)
        for i, co in enumerate(self.contacts):
            yield from check(
                f"contacts[{i}].organisation", co.organisation, organisations, "organisation"
            )
            for j, ref in enumerate(co.partnerships):
                yield from check(
                    f"contacts[{i}].partnerships[{j}]", ref, ix["partnerships"], "partnership"
                )
            yield from sources(f"contacts[{i}]", co.sources)
        for i, a in enumerate(self.activities):
            yield from check(
                f"activities[{i}].partnership", a.partnership, ix["partnerships"], "partnership"
            )
            for j, ref in enumerate(a.institutions):
                yield from check(
                    f"activities[{i}].institutions[{j}]", ref, ix["institutions"], "institution"
                )
            yield from sources(f"activities[{i}]", a.sources)
        every_id = {key for table in ix.values() for key in table}
        for i, di in enumerate(self.discrepancies):
            yield from check(f"discrepancies[{i}].subject", di.subject, every_id, "entity")
            yield from sources(f"discrepancies[{i}]", di.sources)

    # -- look-ups -----------------------------------------------------------------------------

    @property
    def home_city(self) -> City:
        """The home city (Leiden in the canonical dataset)."""
        city: City = self._index["cities"][self.home]
        return city

    def _find(self, name: str, key: str, names: Any) -> Any:
        table = self._index[name]
        if key in table:
            return table[key]
        wanted = _fold(key)
        for entity in table.values():
            if any(_fold(n) == wanted for n in names(entity)):
                return entity
        if name == "cities":
            # Translators: an error; {key!r} is what the user typed, in quotes.
            message_id = N_("no city with id or name {key!r}")
        else:  # pragma: no cover - only cities are looked up by name today
            noun = {"discrepancies": "discrepancy"}.get(name, name.removesuffix("s"))
            message_id = f"no {noun} with id or name {{key!r}}"
        raise UnknownEntityError(
            message_id.format(key=key), message_id=message_id, params={"key": key}
        )

    def city(self, key: str) -> City:
        """Return the city with id or name *key*; accents and case are ignored.

        >>> import leiden_twinning as lt
        >>> lt.load().city("torun").name
        'Toruń'
        """
        city: City = self._find("cities", key, lambda c: (c.id, c.name, *c.aliases))
        return city

    def partnership(self, key: str) -> Partnership:
        """Return the partnership with id *key*, or the one with the partner city named *key*.

        >>> import leiden_twinning as lt
        >>> lt.load().partnership("torun").city
        'torun'
        """
        if key in self._index["partnerships"]:
            found: Partnership = self._index["partnerships"][key]
            return found
        city = self.city(key)
        for p in self.partnerships:
            if p.city == city.id:
                return p
        # Translators: an error; {key!r} is what the user typed, in quotes.
        message_id = N_("no partnership with id or city {key!r}")
        raise UnknownEntityError(
            message_id.format(key=key), message_id=message_id, params={"key": key}
        )

    def get(self, entity_id: str) -> Any:
        """Return the entity of any kind with id *entity_id*.

        :raises UnknownEntityError: when no entity has that id.
        """
        for table in self._index.values():
            if entity_id in table:
                return table[entity_id]
        msg = f"no entity with id {entity_id!r}"
        raise UnknownEntityError(msg)

    def select(self, keys: Iterable[str] | str | None) -> tuple[Partnership, ...]:
        """The partnerships named by *keys* (ids or partner city names), in dataset order.

        Every partnership when *keys* is empty or ``None``; a key given twice counts once.

        :raises UnknownEntityError: for a key that names no partnership, listing the known ids.

        >>> import leiden_twinning as lt
        >>> [p.id for p in lt.load().select(["torun", "leiden-oxford"])]
        ['leiden-oxford', 'leiden-torun']
        """
        if not keys:
            return self.partnerships
        wanted: set[str] = set()
        for key in (keys,) if isinstance(keys, str) else keys:
            try:
                wanted.add(self.partnership(str(key)).id)
            except UnknownEntityError:
                known = ", ".join(p.id for p in self.partnerships)
                # Translators: an error; {key!r} is what the user typed, {known} lists the ids.
                message_id = N_("no partnership with id or partner city {key!r} (known: {known})")
                params = {"key": key, "known": known}
                raise UnknownEntityError(
                    message_id.format(**params), message_id=message_id, params=params
                ) from None
        return tuple(p for p in self.partnerships if p.id in wanted)

    def partnerships_of(self, city: str) -> tuple[Partnership, ...]:
        """The partnerships of a city (the home city has them all)."""
        found = self.city(city)
        if found.id == self.home:
            return self.partnerships
        return tuple(p for p in self.partnerships if p.city == found.id)

    def partner_city(self, partnership: Partnership) -> City:
        """The partner city of *partnership*."""
        city: City = self._index["cities"][partnership.city]
        return city

    def foundations_of(self, partnership: Partnership) -> tuple[Foundation, ...]:
        """The foundations that carry *partnership* (grouped once, when the dataset is built)."""
        found: tuple[Foundation, ...] = self._groups["foundations"].get(partnership.id, ())
        return found

    def contacts_of(self, partnership: Partnership) -> tuple[Contact, ...]:
        """The contacts who serve *partnership* (grouped once, when the dataset is built)."""
        found: tuple[Contact, ...] = self._groups["contacts"].get(partnership.id, ())
        return found

    def activities_of(self, partnership: Partnership) -> tuple[Activity, ...]:
        """The activities of *partnership*, in dataset order (grouped once)."""
        found: tuple[Activity, ...] = self._groups["activities"].get(partnership.id, ())
        return found

    def discrepancies_of(self, subject: Partnership | City) -> tuple[Discrepancy, ...]:
        """The discrepancies about *subject*, in dataset order.

        For a partnership: those about the tie itself, its partner city, or one of its
        foundations, contacts or activities. For a city: those about the city itself.
        """
        notes: dict[str, tuple[int, ...]] = self._groups["discrepancies"]
        ids = [subject.id]
        if isinstance(subject, Partnership):
            ids.append(subject.city)
            ids.extend(f.id for f in self.foundations_of(subject))
            ids.extend(c.id for c in self.contacts_of(subject))
            ids.extend(a.id for a in self.activities_of(subject))
        # Each discrepancy has one subject: no position comes twice from distinct ids.
        found = sorted(i for pid in dict.fromkeys(ids) for i in notes.get(pid, ()))
        return tuple(self.discrepancies[i] for i in found)

    def stale_contacts(self, max_age: int = 10) -> tuple[Contact, ...]:
        """The contacts published more than *max_age* years before the revision, or undated.

        Age counts whole calendar years from the year of :attr:`Contact.as_of` to the year of
        :attr:`revision`, never the wall clock, so the answer is the same on every run.

        >>> import leiden_twinning as lt
        >>> [c.id for c in lt.load().stale_contacts(max_age=50)]
        []
        """
        return tuple(
            c
            for c in self.contacts
            if c.as_of is None or self.revision.year - c.as_of.year > max_age
        )

    def institutions_of(self, partnership: Partnership) -> tuple[Institution, ...]:
        """The partner institutions of *partnership*."""
        return tuple(self._index["institutions"][i] for i in partnership.institutions)

    def organisation(self, organisation_id: str) -> Foundation | Institution:
        """The foundation or institution with id *organisation_id*."""
        for name in ("foundations", "institutions"):
            if organisation_id in self._index[name]:
                found: Foundation | Institution = self._index[name][organisation_id]
                return found
        msg = f"no organisation with id {organisation_id!r}"
        raise UnknownEntityError(msg)

    def source(self, source_id: str) -> Source:
        """The source with id *source_id*."""
        if source_id not in self._index["sources"]:
            msg = f"no source with id {source_id!r}"
            raise UnknownEntityError(msg)
        found: Source = self._index["sources"][source_id]
        return found

    # -- anniversaries ------------------------------------------------------------------------

    def anniversaries(
        self, year: int, partnerships: Iterable[Partnership] | None = None
    ) -> tuple[Anniversary, ...]:
        """The anniversaries of every tie's start, signings and changes of kind in *year*.

        A milestone known to the day gets the exact date; one known to the month or year gets
        ``date=None``: the year is known, the day never invented.

        >>> import leiden_twinning as lt
        >>> [a for a in lt.load().anniversaries(2028) if a.years == 30][0].date
        datetime.date(2028, 9, 1)
        """
        found: list[Anniversary] = []
        for p in self.partnerships if partnerships is None else partnerships:
            for m in p.history:
                years = year - m.date.year
                if not m.is_anniversary or years <= 0:
                    continue
                day = m.date.to_date()
                date = anniversary_date(day, year) if day is not None else None
                found.append(Anniversary(p, m, year, years, date))
        found.sort(key=lambda a: (a.date or dt.date(year, 12, 31), a.partnership.id))
        return tuple(found)

    def jubilees(
        self,
        from_year: int | None = None,
        to_year: int | None = None,
        partnerships: Iterable[Partnership] | None = None,
        *,
        first_year: int | None = None,
        last_year: int | None = None,
    ) -> tuple[Anniversary, ...]:
        """The jubilees (every 5 years) from *from_year* to *to_year*, both included.

        Without *to_year*, the jubilees of *from_year* alone. *first_year* and *last_year* are
        deprecated aliases of *from_year* and *to_year*.

        >>> import leiden_twinning as lt
        >>> [(a.partnership.city, a.years) for a in lt.load().jubilees(2028)]
        [('nagasaki', 15), ('buffalo-city', 30), ('juigalpa', 40), ('torun', 40)]
        """
        first = renamed("jubilees()", "first_year", "from_year", first_year, from_year)
        last = renamed("jubilees()", "last_year", "to_year", last_year, to_year)
        if first is None:
            msg = "jubilees() needs from_year"
            raise TypeError(msg)
        # What anniversaries() gives, filtered to the jubilees, without making the other years'
        # anniversaries: each moment is read once, each year keeps only its lustra.
        moments = [
            (p, m, m.date.year, m.date.to_date())
            for p in (self.partnerships if partnerships is None else partnerships)
            for m in p.history
            if m.is_anniversary
        ]
        found: list[Anniversary] = []
        for year in range(first, (first if last is None else last) + 1):
            this = [
                Anniversary(
                    p, m, year, year - since, None if day is None else anniversary_date(day, year)
                )
                for p, m, since, day in moments
                if year > since and (year - since) % 5 == 0
            ]
            end = dt.date(year, 12, 31)
            this.sort(key=lambda a: (a.date or end, a.partnership.id))
            found += this
        return tuple(found)


_COLLECTIONS = (
    "sources",
    "cities",
    "partnerships",
    "foundations",
    "institutions",
    "contacts",
    "activities",
    "discrepancies",
)
