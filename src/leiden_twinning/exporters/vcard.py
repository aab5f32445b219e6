"""The ``vcard`` exporter: the people and organisations behind the ties, as vCard 3.0 or 4.0.

vCard 3.0 (RFC 2426) is the default: every phone, mail client and CardDAV server reads it, and
Android does not import 4.0. vCard 4.0 (RFC 6350) is written on request. Both are written by a
small writer on :mod:`leiden_twinning._rfc` rather than by vobject, which writes only 3.0, folds
lines by characters instead of octets, and escapes ``,`` and ``;`` inside URIs even where 4.0
forbids it.

One card per person; one per organisation that is a foundation, holds a contact, or is a partner
institution with contact details (a website counts). An organisation's own contact points (an
``info@`` address) go on its card. Persons link to their organisation through ``ORG``.

A card is worth keeping only if it says how to reach its subject: a person's card needs their
own phone number or e-mail address, an organisation's card a phone number, an e-mail address,
a postal address or a website. Cards without one are left out unless ``all`` is set. Every
card's ``NOTE`` says which tie it serves and as of when its details are known.

A Dutch surname prefix stays with the family name (``N:de Jonge;Marjan;;;``): every client then
shows "Marjan de Jonge" and "de Jonge, Marjan", never "Marjan Jonge" or the prefix as an honorific.
For sorting the Dutch way, under J, the card adds ``SORT-STRING:Jonge`` (3.0) or
``N;SORT-AS="Jonge,Marjan"`` (4.0), as the RFCs' own "van der Harten" examples do.

Every card is reproducible: ``UID`` is ``urn:uuid:`` and a name-based UUID of the home city and
the entity's id; ``REV`` is midnight UTC of the dataset's revision date (4.0 allows only a
timestamp there, and both versions use the same); ``PRODID`` names the package version. A person's
function goes into ``TITLE`` (what Apple, Google and Outlook show as the job title); ``ROLE`` is
not written, because the data holds one text for the function and a copy in ``ROLE`` only made
clients show it twice. ``LANG`` (4.0 only) is the first official language of the
organisation's country, as CLDR lists it.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import IO, TYPE_CHECKING, Any

import attrs

from leiden_twinning import (
    Contact,
    Exporter,
    ExportError,
    Foundation,
    Institution,
    Option,
    Partnership,
    PartnershipKind,
    i18n,
)
from leiden_twinning.exporting import (
    BLOCK_SIZE,
    N_,
    content_line,
    escape_text,
    fold,
    param_value,
    partnerships_option,
    phone,
    prodid,
    select_partnerships,
    translate,
)
from leiden_twinning.hookspecs import hookimpl

if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator, Mapping

    from leiden_twinning import Dataset, I18n, LocalizedText, PartialDate

__all__ = ["VERSIONS", "cards", "parts", "register_exporters", "write"]

#: The vCard versions the exporter writes; the first is the default.
VERSIONS = ("3.0", "4.0")
#: The namespace of the name-based (version 5) UUIDs of the cards.
UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://leiden-twinning.readthedocs.io/vcard")


@attrs.frozen
class Card:
    """One vCard: a file stem (the entity's id) and its unfolded content lines."""

    stem: str
    lines: tuple[str, ...]

    def to_bytes(self) -> bytes:
        """The card as folded UTF-8 lines with CRLF."""
        return b"".join([fold(line) for line in self.lines])


@attrs.frozen
class _Organisation:
    entity: Foundation | Institution
    ties: tuple[Partnership, ...]
    points: tuple[Contact, ...]


def _options(dataset: Dataset, options: Mapping[str, Any]) -> tuple[str, tuple[Partnership, ...]]:
    version = str(options.get("vcard_version") or VERSIONS[0])
    if version not in VERSIONS:
        msg = f"vcard: unknown vCard version {version!r} (choose {' or '.join(VERSIONS)})"
        raise ExportError(msg)
    return version, select_partnerships(dataset, options.get("partnerships"), exporter="vcard")


def _reachable_person(contact: Contact) -> bool:
    """A person's card is worth keeping with their own number or address."""
    return any(x is not None for x in (contact.phone, contact.email, contact.address))


def _reachable_organisation(org: _Organisation) -> bool:
    """An organisation's card is worth keeping with a number, an address or a website."""
    return org.entity.website is not None or any(_reachable_person(p) for p in org.points)


def _uuid5(digest: bytes) -> str:
    """The text of the version 5 UUID whose SHA-1 *digest* is given, as :func:`uuid.uuid5` has it.

    Hashing the shared start of every name once per export and setting the version and variant
    bits here costs a fraction of :func:`uuid.uuid5`, which the cards would call once each.
    """
    octets = bytearray(digest[:16])
    octets[6] = octets[6] & 0x0F | 0x50  # version 5
    octets[8] = octets[8] & 0x3F | 0x80  # the RFC 4122 variant
    h = octets.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _text(lines: list[str], name: str, value: str | None) -> None:
    """Add a TEXT property to *lines*, unless *value* is empty.

    An escaped value holds no line break or control character, so the line needs none of
    :func:`content_line`'s checks; *name* is one of the exporter's own property names.
    """
    if value is not None and value.strip():
        lines.append(f"{name}:{escape_text(value)}")


class _Writer:
    """Writes the cards of one export, working out once what cards share.

    The fixed lines, the UIDs' common hash, and the phone numbers, country names, tie names,
    categories, note lines and languages that repeat from card to card are made once per export
    (in the dicts below), never per card. Nothing outlives the export, so nothing goes stale
    between datasets or locales.
    """

    def __init__(self, dataset: Dataset, t: I18n, version: str) -> None:
        self.dataset = dataset
        self.t = t
        self.version = version
        self.v4 = version == "4.0"
        self.head = (
            "BEGIN:VCARD",
            f"VERSION:{version}",
            content_line("PRODID", escape_text(prodid())),
        )
        self.rev = content_line("REV", f"{dataset.revision:%Y%m%d}T000000Z")
        # uuid5 hashes the namespace and the name; every name starts with the home city.
        start = UUID_NAMESPACE.bytes + f"{dataset.home}/".encode()
        self.uid_start = hashlib.sha1(start, usedforsecurity=False)
        self._tels: dict[str, str] = {}
        self._countries: dict[str, str] = {}
        self._titles: dict[tuple[tuple[str, str], ...], str] = {}
        self._tie_names: dict[str, str] = {}
        self._org_names: dict[str, str] = {}
        self._as_of: dict[PartialDate | None, str] = {}
        self._tie_lists: dict[tuple[str, ...], str] = {}
        self._category_lines: dict[tuple[str, ...], str] = {}
        self._languages: dict[str, str | None] = {}
        # Translators: a contact group on a phone holding every card of the export, e.g.
        # "Leiden city ties" (Dutch: "Stedenbanden Leiden").
        group = t.gettext("{city} city ties").format(city=dataset.home_city.name)
        self.group = escape_text(group)

    def start(self, kind: str, entity_id: str) -> list[str]:
        """A card's first lines: ``BEGIN``, ``VERSION``, ``PRODID``, ``UID``, ``REV``, ``KIND``.

        ``UID`` is ``urn:uuid:`` and a name-based UUID of the home city and the entity's id.
        """
        digest = self.uid_start.copy()
        digest.update(f"{kind}/{entity_id}".encode())
        # A UUID's text holds only hex digits and dashes: nothing to escape, in either version.
        lines = [*self.head, f"UID:urn:uuid:{_uuid5(digest.digest())}", self.rev]
        if self.v4:
            lines.append("KIND:individual" if kind == "contact" else "KIND:org")
        return lines

    def tel(self, number: str, owner: str) -> str:
        """A validated number: ``+31 71 514 1720`` (3.0) or ``tel:+31-71-514-1720`` (4.0)."""
        found = self._tels.get(number)
        if found is None:
            found = self._tels[number] = self._tel(number, owner)
        return found

    def _tel(self, number: str, owner: str) -> str:
        formatted = phone(number)
        if formatted is None:
            msg = f"vcard: {owner}: {number!r} is not a valid phone number"
            raise ExportError(msg)
        if self.v4:
            return content_line(
                "TEL", formatted.rfc3966, [("VALUE", "uri"), ("TYPE", "work,voice")]
            )
        return f"TEL;TYPE=WORK,VOICE:{escape_text(formatted.international)}"

    def email(self, address: str) -> str:
        """An ``EMAIL`` line of the work type."""
        kind = "work" if self.v4 else "INTERNET,WORK"
        return f"EMAIL;TYPE={kind}:{escape_text(address)}"

    def url(self, url: str) -> str:
        """A ``URL`` line.

        3.0 readers (vobject, the vcard validator, iOS) split every value on "," and ";", so 3.0
        escapes them; a 4.0 URI value is never escaped (RFC 6350, section 3.4), and
        :func:`content_line` refuses one that would break the line.
        """
        return content_line("URL", url) if self.v4 else f"URL:{escape_text(url)}"

    def adr(self, lines: list[str], contact: Contact) -> None:
        """Add the contact's postal address as ``ADR`` (work), the country named in the locale."""
        a = contact.address
        if a is None:
            return
        country = self._countries.get(a.country)
        if country is None:
            country = self._countries[a.country] = escape_text(self.t.country(a.country))
        parts = [a.street or "", a.locality, a.region or "", a.postal_code or ""]
        value = ";".join([escape_text(p) for p in parts])
        # RFC 2426 lists the ADR types in lower case, and the vcard validator holds it to that.
        lines.append(f"ADR;TYPE=work:;;{value};{country}")

    def org_name(self, entity: Foundation | Institution) -> str:
        """The organisation's name, escaped: its own ``ORG`` and every member's."""
        found = self._org_names.get(entity.id)
        if found is None:
            found = self._org_names[entity.id] = escape_text(entity.name)
        return found

    def title(self, role: LocalizedText) -> str:
        """The role in the locale's language (roles repeat from contact to contact)."""
        found = self._titles.get(role.items)
        if found is None:
            found = self._titles[role.items] = self.t.text(role).text
        return found

    def language(self, entity: Foundation | Institution) -> str | None:
        """The ``LANG`` line (4.0): the first official language of the organisation's country."""
        dataset = self.dataset
        city = dataset.home_city if isinstance(entity, Foundation) else dataset.city(entity.city)
        if city.country in self._languages:
            return self._languages[city.country]
        from babel.languages import get_official_languages  # noqa: PLC0415 - CLDR data on use

        languages = get_official_languages(city.country, de_facto=True)
        line = content_line("LANG", languages[0]) if languages and languages[0] else None
        self._languages[city.country] = line
        return line

    def _tie(self, partnership: Partnership) -> str:
        found = self._tie_names.get(partnership.id)
        if found is None:
            found = self._tie_names[partnership.id] = self._tie_name(partnership)
        return found

    def _tie_name(self, partnership: Partnership) -> str:
        t = self.t
        home = self.dataset.home_city.name
        partner = self.dataset.partner_city(partnership).name
        if partnership.kind is PartnershipKind.FRIENDSHIP:
            # Translators: names a friendship tie inside a sentence, e.g. "the Leiden-Nagasaki
            # friendship tie" (with an en dash; Dutch: "de vriendschapsband Leiden-Nagasaki").
            text = t.gettext("the {home}–{partner} friendship tie")  # noqa: RUF001 - an en dash
        else:
            # Translators: names a twinning inside a sentence, e.g. "the Leiden-Oxford twinning"
            # (with an en dash; Dutch: "de stedenband Leiden-Oxford").
            text = t.gettext("the {home}–{partner} twinning")  # noqa: RUF001 - an en dash
        return text.format(home=home, partner=partner)

    def ties(self, ties: tuple[Partnership, ...]) -> str:
        """The ties a card serves, named in a list in the locale's style."""
        if len(ties) == 1:
            # A list of one is that one item in every locale (CLDR's patterns join two or more).
            return self._tie(ties[0])
        key = tuple(p.id for p in ties)
        found = self._tie_lists.get(key)
        if found is None:
            found = self._tie_lists[key] = self.t.list([self._tie(p) for p in ties])
        return found

    def categories(self, ties: tuple[Partnership, ...]) -> str:
        """The ``CATEGORIES`` line: the export's group, then the partner cities."""
        key = tuple(p.id for p in ties)
        found = self._category_lines.get(key)
        if found is None:
            cities = [escape_text(self.dataset.partner_city(p).name) for p in ties]
            found = self._category_lines[key] = f"CATEGORIES:{','.join([self.group, *cities])}"
        return found

    def as_of(self, points: Iterable[Contact]) -> str:
        """The note line on how old the details are: the oldest source date, else the data's."""
        dates = [p.as_of for p in points if p.as_of is not None]
        oldest = min(dates) if dates else None
        found = self._as_of.get(oldest)
        if found is None:
            found = self._as_of[oldest] = self._as_of_line(oldest)
        return found

    def _as_of_line(self, oldest: PartialDate | None) -> str:
        t = self.t
        if oldest is not None:
            # Translators: a vCard note line saying how old the contact details are, e.g.
            # "Contact details as published in 2013".
            line = t.gettext("Contact details as published in {date}")
            return line.format(date=t.date(oldest))
        # Translators: a vCard note line for details without a publication date: the date the
        # data was last checked, e.g. "Details as of 29 November 2026".
        return t.gettext("Details as of {date}").format(date=t.date(self.dataset.revision))

    def person_card(self, contact: Contact, ties: tuple[Partnership, ...]) -> Card:
        """A person's card."""
        name = contact.name
        assert name is not None  # noqa: S101 - only named contacts get a person card
        t = self.t
        organisation = self.dataset.organisation(contact.organisation)
        lines = self.start("contact", contact.id)
        _text(lines, "FN", name.full)
        n_value = f"{escape_text(name.family_with_prefix)};{escape_text(name.given)};;;"
        if not name.prefix:
            lines.append(f"N:{n_value}")
        elif self.v4:
            sort_as = param_value(f"{name.family},{name.given}")
            lines.append(f"N;SORT-AS={sort_as}:{n_value}")
        else:
            lines.append(f"N:{n_value}")
            _text(lines, "SORT-STRING", name.family)
        lines.append(f"ORG:{self.org_name(organisation)}")
        _text(lines, "TITLE", self.title(contact.role))
        if contact.phone is not None:
            lines.append(self.tel(contact.phone, contact.id))
        if contact.email is not None:
            lines.append(self.email(contact.email))
        self.adr(lines, contact)
        if self.v4:
            language = self.language(organisation)
            if language:
                lines.append(language)
        # Translators: the first line of a person's vCard note, e.g. "Contact for the
        # Leiden-Buffalo City twinning".
        note = t.gettext("Contact for {ties}").format(ties=self.ties(ties))
        _text(lines, "NOTE", f"{note}\n{self.as_of((contact,))}")
        lines.append(self.categories(ties))
        lines.append("END:VCARD")
        return Card(contact.id, tuple(lines))

    def details(self, lines: list[str], org: _Organisation) -> None:
        """Add an organisation's numbers, addresses, website and (4.0) language to *lines*."""
        lines += [self.tel(p.phone, p.id) for p in org.points if p.phone is not None]
        lines += [self.email(p.email) for p in org.points if p.email is not None]
        for p in org.points:
            self.adr(lines, p)
        if org.entity.website is not None:
            lines.append(self.url(org.entity.website))
        if self.v4:
            language = self.language(org.entity)
            if language:
                lines.append(language)

    def organisation_card(self, org: _Organisation) -> Card:
        """An organisation's card."""
        t = self.t
        entity = org.entity
        lines = self.start("organisation", entity.id)
        _text(lines, "FN", entity.name)
        if not self.v4:
            lines.append("N:;;;;")
        if isinstance(entity, Foundation) and entity.abbreviation:
            _text(lines, "NICKNAME", entity.abbreviation)
        lines.append(f"ORG:{self.org_name(entity)}")
        if not self.v4:
            lines.append("X-ABShowAs:COMPANY")
        self.details(lines, org)
        ties = self.ties(org.ties)
        if isinstance(entity, Foundation):
            # Translators: the first line of a foundation's vCard note, e.g. "Foundation behind
            # the Leiden-Oxford twinning".
            note = [t.gettext("Foundation behind {ties}").format(ties=ties)]
        else:
            # Translators: the first line of an institution's vCard note, e.g. "Takes part in the
            # Leiden-Nagasaki friendship tie".
            note = [t.gettext("Takes part in {ties}").format(ties=ties)]
        if entity.description is not None:
            note.append(t.text(entity.description).text)
        note.append(self.as_of(org.points))
        _text(lines, "NOTE", "\n".join(note))
        lines.append(self.categories(org.ties))
        lines.append("END:VCARD")
        return Card(entity.id, tuple(lines))


def _organisations(
    dataset: Dataset, chosen: tuple[Partnership, ...], *, keep_all: bool = False
) -> Iterator[_Organisation]:
    """Foundations, organisations that hold a contact, and partner institutions with details.

    With *keep_all*, every organisation that serves a chosen tie.
    """
    chosen_ids = {p.id for p in chosen}
    serves: dict[str, set[str]] = {}
    holders: set[str] = set()
    for contact in dataset.contacts:
        ids = chosen_ids.intersection(contact.partnerships)
        if ids:
            holders.add(contact.organisation)
            serves.setdefault(contact.organisation, set()).update(ids)
    for f in dataset.foundations:
        if f.partnership in chosen_ids:
            serves.setdefault(f.id, set()).add(f.partnership)
    for p in chosen:
        for ref in p.institutions:
            serves.setdefault(ref, set()).add(p.id)
    for a in dataset.activities:
        if a.partnership in chosen_ids:
            for ref in a.institutions:
                serves.setdefault(ref, set()).add(a.partnership)
    index = {p.id: i for i, p in enumerate(chosen)}
    own_points = _own_points(dataset, chosen_ids)
    entities: tuple[Foundation | Institution, ...] = (*dataset.foundations, *dataset.institutions)
    for entity in entities:
        if entity.id not in serves:
            continue
        points = tuple(own_points.get(entity.id, ()))
        if not (
            keep_all
            or isinstance(entity, Foundation)
            or entity.id in holders
            or entity.website is not None
            or points
        ):
            continue
        yield _Organisation(entity, _in_order(chosen, index, serves[entity.id]), points)


def _own_points(dataset: Dataset, chosen_ids: set[str]) -> dict[str, list[Contact]]:
    """The organisations' own contact points (no person), by organisation, grouped once.

    Looking them up organisation by organisation would be quadratic in a large dataset.
    """
    found: dict[str, list[Contact]] = {}
    for c in dataset.contacts:
        if c.name is None and chosen_ids.intersection(c.partnerships):
            found.setdefault(c.organisation, []).append(c)
    return found


def _in_order(
    chosen: tuple[Partnership, ...], index: Mapping[str, int], ids: Collection[str]
) -> tuple[Partnership, ...]:
    """The partnerships of *chosen* whose id is in *ids*, in the order of *chosen*.

    *index* maps each id to its position in *chosen*. Linear in *ids*, not in *chosen*: scanning
    every tie for every card would be quadratic in a large dataset.
    """
    if len(ids) == 1:
        # Most contacts serve one tie.
        [only] = ids
        position = index.get(only)
        return () if position is None else (chosen[position],)
    return tuple(chosen[i] for i in sorted({index[x] for x in ids if x in index}))


def cards(dataset: Dataset, *, locale: str, options: Mapping[str, Any]) -> tuple[Card, ...]:
    """Every card of the export: persons first, then organisations, each in dataset order.

    A card without a way to reach its subject is left out unless the ``all`` option is set.
    """
    return tuple(_cards(dataset, locale=locale, options=options))


def _cards(dataset: Dataset, *, locale: str, options: Mapping[str, Any]) -> Iterator[Card]:
    """The cards of :func:`cards`, one at a time."""
    version, chosen = _options(dataset, options)
    keep_all = options.get("all") is True
    writer = _Writer(dataset, i18n(locale), version)
    index = {p.id: i for i, p in enumerate(chosen)}
    for contact in dataset.contacts:
        ties = _in_order(chosen, index, contact.partnerships)
        if contact.name is not None and ties and (keep_all or _reachable_person(contact)):
            yield writer.person_card(contact, ties)
    for org in _organisations(dataset, chosen, keep_all=keep_all):
        if keep_all or _reachable_organisation(org):
            yield writer.organisation_card(org)


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write every card into one ``.vcf`` stream, about :data:`BLOCK_SIZE` octets at a time.

    Every card is made before the first is written, so a card that cannot be written (a phone
    number that is not valid) leaves the stream untouched. Each card becomes its bytes as soon
    as it is made: the export holds its output once, not every card's lines as well.
    """
    pending: list[bytes] = []
    blocks: list[bytes] = []
    size = 0
    for card in _cards(dataset, locale=locale, options=options):
        data = card.to_bytes()
        pending.append(data)
        size += len(data)
        if size >= BLOCK_SIZE:
            blocks.append(b"".join(pending))
            pending.clear()
            size = 0
    blocks.append(b"".join(pending))
    for block in blocks:
        stream.write(block)


def parts(
    dataset: Dataset, *, locale: str, options: Mapping[str, Any]
) -> Iterator[tuple[str, bytes]]:
    """Yield ``(file name, bytes)``, one ``<id>.vcf`` per card (Outlook imports one card a file).

    Ids are slugs, unique across the dataset's collections, so the names are safe and distinct.
    """
    for card in _cards(dataset, locale=locale, options=options):
        yield f"{card.stem}.vcf", card.to_bytes()


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register the ``vcard`` format."""
    register(
        Exporter(
            name="vcard",
            extension="vcf",
            media_type="text/vcard",
            # Translators: the description of the vCard export format.
            description=N_("Contacts as vCards, for phones, mail clients and CardDAV servers"),
            write=write,
            parts=parts,
            translate=translate,
            options=(
                Option(
                    name="vcard_version",
                    # Translators: help of the --vcard-version option of the vCard export.
                    help=N_("vCard version: 3.0 (read everywhere, the default) or 4.0"),
                    default=VERSIONS[0],
                    choices=VERSIONS,
                    metavar="VERSION",
                ),
                partnerships_option(),
                Option(
                    name="all",
                    # Translators: help of the --all option of the vCard export.
                    help=N_(
                        "also write the cards that give no way to reach their subject "
                        "(no phone, e-mail, address or website)"
                    ),
                    flag=True,
                    default=False,
                ),
            ),
        )
    )
