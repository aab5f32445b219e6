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
    N_,
    content_line,
    escape_list,
    escape_structured,
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
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from leiden_twinning import Dataset, I18n

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
        return b"".join(fold(line) for line in self.lines)


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


def _adr(contact: Contact, version: str, t: I18n) -> list[str]:
    """The contact's postal address as ``ADR`` (work), the country named in the locale."""
    a = contact.address
    if a is None:
        return []
    parts = ["", "", a.street or "", a.locality, a.region or "", a.postal_code or ""]
    value = escape_structured([*parts, t.country(a.country)])
    # RFC 2426 lists the ADR types in lower case, and the vcard validator holds it to that.
    return [content_line("ADR", value, [("TYPE", "work")])]


def _uid(dataset: Dataset, kind: str, entity_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, f'{dataset.home}/{kind}/{entity_id}')}"


def _language(dataset: Dataset, entity: Foundation | Institution) -> str | None:
    """The language to contact an organisation in: the first official one of its country."""
    from babel.languages import get_official_languages  # noqa: PLC0415 - CLDR data loads on use

    city = dataset.home_city if isinstance(entity, Foundation) else dataset.city(entity.city)
    languages = get_official_languages(city.country, de_facto=True)
    return languages[0] if languages else None


def _phone(number: str, version: str, owner: str) -> str:
    """A validated number: ``+31 71 514 1720`` (3.0) or ``tel:+31-71-514-1720`` (4.0)."""
    found = phone(number)
    if found is None:
        msg = f"vcard: {owner}: {number!r} is not a valid phone number"
        raise ExportError(msg)
    return found.international if version == "3.0" else found.rfc3966


def _tie(dataset: Dataset, t: I18n, partnership: Partnership) -> str:
    home, partner = dataset.home_city.name, dataset.partner_city(partnership).name
    if partnership.kind is PartnershipKind.FRIENDSHIP:
        # Translators: names a friendship tie inside a sentence, e.g. "the Leiden-Nagasaki
        # friendship tie" (with an en dash; Dutch: "de vriendschapsband Leiden-Nagasaki").
        text = t.gettext("the {home}–{partner} friendship tie")  # noqa: RUF001 - an en dash
    else:
        # Translators: names a twinning inside a sentence, e.g. "the Leiden-Oxford twinning"
        # (with an en dash; Dutch: "de stedenband Leiden-Oxford").
        text = t.gettext("the {home}–{partner} twinning")  # noqa: RUF001 - an en dash
    return text.format(home=home, partner=partner)


def _ties(dataset: Dataset, t: I18n, ties: Iterable[Partnership]) -> str:
    return t.list(_tie(dataset, t, p) for p in ties)


def _categories(dataset: Dataset, t: I18n, ties: Iterable[Partnership]) -> str:
    # Translators: a contact group on a phone holding every card of the export, e.g. "Leiden
    # city ties" (Dutch: "Stedenbanden Leiden").
    group = t.gettext("{city} city ties").format(city=dataset.home_city.name)
    return escape_list([group, *(dataset.partner_city(p).name for p in ties)])


def _head(version: str, uid: str, dataset: Dataset, kind: str) -> list[str]:
    lines = [
        "BEGIN:VCARD",
        f"VERSION:{version}",
        content_line("PRODID", escape_text(prodid())),
        content_line("UID", uid if version == "4.0" else escape_text(uid)),
        content_line("REV", f"{dataset.revision:%Y%m%d}T000000Z"),
    ]
    if version == "4.0":
        lines.append(content_line("KIND", kind))
    return lines


def _text(name: str, value: str | None) -> list[str]:
    """A TEXT property, left out when *value* is empty."""
    if value is None or not value.strip():
        return []
    return [content_line(name, escape_text(value))]


def _tel(number: str, version: str, owner: str) -> str:
    value = _phone(number, version, owner)
    if version == "3.0":
        return content_line("TEL", escape_text(value), [("TYPE", "WORK,VOICE")])
    return content_line("TEL", value, [("VALUE", "uri"), ("TYPE", "work,voice")])


def _email(address: str, version: str) -> str:
    kind = "INTERNET,WORK" if version == "3.0" else "work"
    return content_line("EMAIL", escape_text(address), [("TYPE", kind)])


def _url(url: str, version: str) -> str:
    # 3.0 readers (vobject, the vcard validator, iOS) split every value on "," and ";", so 3.0
    # escapes them; a 4.0 URI value is never escaped (RFC 6350, section 3.4).
    return content_line("URL", escape_text(url) if version == "3.0" else url)


def _person_card(
    dataset: Dataset, t: I18n, version: str, contact: Contact, ties: tuple[Partnership, ...]
) -> Card:
    name = contact.name
    assert name is not None  # noqa: S101 - only named contacts get a person card
    organisation = dataset.organisation(contact.organisation)
    lines = _head(version, _uid(dataset, "contact", contact.id), dataset, "individual")
    lines += _text("FN", name.full)
    family = name.family_with_prefix
    n_value = escape_structured([family, name.given, "", "", ""])
    if version == "4.0":
        sort_as = [("SORT-AS", param_value(f"{name.family},{name.given}"))] if name.prefix else []
        lines.append(content_line("N", n_value, sort_as))
    else:
        lines.append(content_line("N", n_value))
        if name.prefix:
            lines += _text("SORT-STRING", name.family)
    lines.append(content_line("ORG", escape_structured([organisation.name])))
    lines += _text("TITLE", t.text(contact.role).text)
    if contact.phone is not None:
        lines.append(_tel(contact.phone, version, contact.id))
    if contact.email is not None:
        lines.append(_email(contact.email, version))
    lines += _adr(contact, version, t)
    if version == "4.0":
        language = _language(dataset, organisation)
        if language:
            lines.append(content_line("LANG", language))
    # Translators: the first line of a person's vCard note, e.g. "Contact for the
    # Leiden-Buffalo City twinning".
    note = [t.gettext("Contact for {ties}").format(ties=_ties(dataset, t, ties))]
    note.append(_as_of(dataset, t, (contact,)))
    lines += _text("NOTE", "\n".join(note))
    lines.append(content_line("CATEGORIES", _categories(dataset, t, ties)))
    lines.append("END:VCARD")
    return Card(contact.id, tuple(lines))


def _as_of(dataset: Dataset, t: I18n, points: Iterable[Contact]) -> str:
    """The note line on how old a card's details are: the oldest source date, else the data's."""
    dates = [p.as_of for p in points if p.as_of is not None]
    if dates:
        # Translators: a vCard note line saying how old the contact details are, e.g.
        # "Contact details as published in 2013".
        line = t.gettext("Contact details as published in {date}")
        return line.format(date=t.date(min(dates)))
    # Translators: a vCard note line for details without a publication date: the date the
    # data was last checked, e.g. "Details as of 29 November 2026".
    return t.gettext("Details as of {date}").format(date=t.date(dataset.revision))


def _details(dataset: Dataset, t: I18n, version: str, org: _Organisation) -> list[str]:
    """An organisation's numbers, addresses, website and (4.0) language."""
    lines = [_tel(p.phone, version, p.id) for p in org.points if p.phone is not None]
    lines += [_email(p.email, version) for p in org.points if p.email is not None]
    for p in org.points:
        lines += _adr(p, version, t)
    if org.entity.website is not None:
        lines.append(_url(org.entity.website, version))
    if version == "4.0":
        language = _language(dataset, org.entity)
        if language:
            lines.append(content_line("LANG", language))
    return lines


def _organisation_card(dataset: Dataset, t: I18n, version: str, org: _Organisation) -> Card:
    entity = org.entity
    lines = _head(version, _uid(dataset, "organisation", entity.id), dataset, "org")
    lines += _text("FN", entity.name)
    if version == "3.0":
        lines.append(content_line("N", ";;;;"))
    if isinstance(entity, Foundation) and entity.abbreviation:
        lines += _text("NICKNAME", entity.abbreviation)
    lines.append(content_line("ORG", escape_structured([entity.name])))
    if version == "3.0":
        lines.append(content_line("X-ABShowAs", "COMPANY"))
    lines += _details(dataset, t, version, org)
    ties = _ties(dataset, t, org.ties)
    if isinstance(entity, Foundation):
        # Translators: the first line of a foundation's vCard note, e.g. "Foundation behind the
        # Leiden-Oxford twinning".
        note = [t.gettext("Foundation behind {ties}").format(ties=ties)]
    else:
        # Translators: the first line of an institution's vCard note, e.g. "Takes part in the
        # Leiden-Nagasaki friendship tie".
        note = [t.gettext("Takes part in {ties}").format(ties=ties)]
    if entity.description is not None:
        note.append(t.text(entity.description).text)
    note.append(_as_of(dataset, t, org.points))
    lines += _text("NOTE", "\n".join(note))
    lines.append(content_line("CATEGORIES", _categories(dataset, t, org.ties)))
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
    chosen: tuple[Partnership, ...], index: Mapping[str, int], ids: Iterable[str]
) -> tuple[Partnership, ...]:
    """The partnerships of *chosen* whose id is in *ids*, in the order of *chosen*.

    *index* maps each id to its position in *chosen*. Linear in *ids*, not in *chosen*: scanning
    every tie for every card would be quadratic in a large dataset.
    """
    return tuple(chosen[i] for i in sorted({index[x] for x in ids if x in index}))


def cards(dataset: Dataset, *, locale: str, options: Mapping[str, Any]) -> tuple[Card, ...]:
    """Every card of the export: persons first, then organisations, each in dataset order.

    A card without a way to reach its subject is left out unless the ``all`` option is set.
    """
    version, chosen = _options(dataset, options)
    keep_all = options.get("all") is True
    t = i18n(locale)
    found: list[Card] = []
    index = {p.id: i for i, p in enumerate(chosen)}
    for contact in dataset.contacts:
        ties = _in_order(chosen, index, contact.partnerships)
        if contact.name is not None and ties and (keep_all or _reachable_person(contact)):
            found.append(_person_card(dataset, t, version, contact, ties))
    found.extend(
        _organisation_card(dataset, t, version, org)
        for org in _organisations(dataset, chosen, keep_all=keep_all)
        if keep_all or _reachable_organisation(org)
    )
    return tuple(found)


def write(dataset: Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]) -> None:
    """Write every card into one ``.vcf`` stream."""
    stream.write(
        b"".join(card.to_bytes() for card in cards(dataset, locale=locale, options=options))
    )


def parts(
    dataset: Dataset, *, locale: str, options: Mapping[str, Any]
) -> Iterator[tuple[str, bytes]]:
    """Yield ``(file name, bytes)``, one ``<id>.vcf`` per card (Outlook imports one card a file).

    Ids are slugs, unique across the dataset's collections, so the names are safe and distinct.
    """
    for card in cards(dataset, locale=locale, options=options):
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
