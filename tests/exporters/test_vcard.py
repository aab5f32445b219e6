"""The vcard exporter, read back by independent parsers: vobject, the vcard validator, Radicale."""

from __future__ import annotations

import functools
import itertools
import json
import subprocess
import sys
import uuid
import warnings
from typing import TYPE_CHECKING, Any

import pytest
import requests
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st
from vcard.vcard_validator import validate_file

import leiden_twinning as lt
from leiden_twinning.cli import main
from leiden_twinning.exporters import vcard as vcard_exporter

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

REVISION = "20261129T000000Z"
BUFFALO_NOTE = "Contact for the Leiden–Buffalo City twinning\nContact details as published in 2013"  # noqa: RUF001


def export(dataset: lt.Dataset, locale: str = "en", **options: Any) -> bytes:
    return lt.export(dataset, "vcard", locale=locale, **options)


def read(data: bytes) -> list[Any]:
    """Every card of *data*, parsed by vobject."""
    return list(vobject.readComponents(data.decode("utf-8")))


def by_fn(data: bytes) -> dict[str, Any]:
    return {card.fn.value: card for card in read(data)}


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    return data[:-2].split(b"\r\n")


def assert_short_folds_are_before_multibyte(data: bytes) -> None:
    """A line is folded short of 75 octets only when the next character did not fit."""
    lines = physical_lines(data)
    for line, following in itertools.pairwise(lines):
        if following.startswith(b" ") and len(line) < 75:
            char = following[1:].decode("utf-8")[0]
            assert len(line) + len(char.encode("utf-8")) > 75


def unfold(data: bytes) -> list[str]:
    """The logical content lines of *data*, unfolded by hand (for 4.0, which vobject half-knows)."""
    text = data.decode("utf-8")
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def props(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name, []))


def uid_for(kind: str, entity_id: str) -> str:
    return f"urn:uuid:{uuid.uuid5(vcard_exporter.UUID_NAMESPACE, f'leiden/{kind}/{entity_id}')}"


_CANONICAL = lt.dumps(lt.load())


def fresh_document() -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(_CANONICAL)
    return parsed


def with_contact(**changes: Any) -> lt.Dataset:
    """The canonical dataset with Marian Weevers's contact changed."""
    doc = fresh_document()
    contact = next(c for c in doc["contacts"] if c["id"] == "marian-weevers")
    contact.update(changes)
    return lt.loads(json.dumps(doc))


class TestNamedContacts:
    """The two people the municipality page names come back field by field."""

    def test_marjan_de_jonge(self, dataset: lt.Dataset) -> None:
        card = by_fn(export(dataset))["Marjan de Jonge"]

        assert "3.0" == card.version.value
        assert "Marjan de Jonge" == card.fn.value
        assert ("de Jonge", "Marjan", "", "", "") == (
            card.n.value.family,
            card.n.value.given,
            card.n.value.additional,
            card.n.value.prefix,
            card.n.value.suffix,
        )
        assert "Jonge" == card.sort_string.value
        assert ["Stichting Stedenband Leiden-Buffalo City"] == card.org.value
        assert "contact person" == card.title.value
        assert [] == props(card, "role")  # the function is TITLE; a copy adds nothing
        [tel] = props(card, "tel")
        assert "+31 71 514 1720" == tel.value
        assert {"TYPE": ["WORK", "VOICE"]} == tel.params
        assert [] == props(card, "email")
        assert [] == props(card, "url")
        assert BUFFALO_NOTE == card.note.value
        assert ["Leiden city ties", "Buffalo City"] == card.categories.value
        assert uid_for("contact", "marjan-de-jonge") == card.uid.value
        assert REVISION == card.rev.value
        assert card.prodid.value.startswith("-//leiden-twinning//leiden-twinning ")
        assert [] == props(card, "x-abshowas")

    def test_marian_weevers(self, dataset: lt.Dataset) -> None:
        card = by_fn(export(dataset))["Marian Weevers"]

        assert ("Weevers", "Marian", "", "", "") == (
            card.n.value.family,
            card.n.value.given,
            card.n.value.additional,
            card.n.value.prefix,
            card.n.value.suffix,
        )
        assert [] == props(card, "sort-string")
        assert ["Gemeente Leiden"] == card.org.value
        role = "contact person for the Buffalo City twinning, Municipality of Leiden"
        assert role == card.title.value
        assert [] == props(card, "role")
        [tel] = props(card, "tel")
        assert "+31 71 516 5231" == tel.value
        assert {"TYPE": ["WORK", "VOICE"]} == tel.params
        [email] = props(card, "email")
        assert "m.weevers@leiden.nl" == email.value
        assert {"TYPE": ["INTERNET", "WORK"]} == email.params
        assert BUFFALO_NOTE == card.note.value
        assert ["Leiden city ties", "Buffalo City"] == card.categories.value
        assert uid_for("contact", "marian-weevers") == card.uid.value
        assert REVISION == card.rev.value

    def test_dutch_cards_carry_the_dutch_roles(self, dataset: lt.Dataset) -> None:
        cards = by_fn(export(dataset, "nl"))

        assert "contactpersoon" == cards["Marjan de Jonge"].title.value
        assert (
            "contactpersoon stedenband Buffalo City, gemeente Leiden"
            == cards["Marian Weevers"].title.value
        )

    def test_the_note_gives_the_date_at_its_own_precision_in_the_locale(
        self, dataset: lt.Dataset
    ) -> None:
        card = by_fn(export(dataset, "nl"))["Marian Weevers"]

        assert card.note.value.endswith(" 2013")


class TestOrganisations:
    """Foundations, the municipality and partner institutions with details get their own cards."""

    def test_every_foundation_field_by_field(self, dataset: lt.Dataset) -> None:
        cards = by_fn(export(dataset))
        points = {c.organisation: c for c in dataset.contacts if c.name is None}

        for f in dataset.foundations:
            card = cards[f.name]
            partnership = dataset.partnership(f.partnership)
            city = dataset.partner_city(partnership).name
            kind = (
                "twinning" if partnership.kind is lt.PartnershipKind.TWINNING else "friendship tie"
            )
            assert ("", "", "", "", "") == (
                card.n.value.family,
                card.n.value.given,
                card.n.value.additional,
                card.n.value.prefix,
                card.n.value.suffix,
            )
            assert [f.name] == card.org.value
            assert "COMPANY" == card.x_abshowas.value
            assert [f.website] == [u.value for u in props(card, "url")]
            expected_nick = [f.abbreviation] if f.abbreviation else []
            assert expected_nick == [n.value for n in props(card, "nickname")]
            point = points.get(f.id)
            expected_email = [point.email] if point is not None and point.email else []
            assert expected_email == [e.value for e in props(card, "email")]
            assert [] == props(card, "tel")
            note = f"Foundation behind the Leiden–{city} {kind}\n{f.description.en}"  # noqa: RUF001
            as_of = "Details as of November 29, 2026"
            if point is not None:
                as_of = "Contact details as published in 2013"
            assert f"{note}\n{as_of}" == card.note.value
            assert ["Leiden city ties", city] == card.categories.value
            assert uid_for("organisation", f.id) == card.uid.value
            assert REVISION == card.rev.value
            assert [] == props(card, "title")

    def test_the_buffalo_city_foundation_has_its_info_address(self, dataset: lt.Dataset) -> None:
        card = by_fn(export(dataset))["Stichting Stedenband Leiden-Buffalo City"]

        assert ["info@leidenbuffalocity.nl"] == [e.value for e in props(card, "email")]
        assert "https://www.leidenbuffalocity.nl/" == card.url.value

    def test_which_organisations_get_a_card(self, dataset: lt.Dataset) -> None:
        uids = {card.uid.value for card in read(export(dataset))}
        expected = {
            *(f.id for f in dataset.foundations),
            "gemeente-leiden",  # holds Marian Weevers's contact
            "gemeente-nagasaki",  # holds the city hall's switchboard number
            # partner institutions with a website:
            "sieboldhuis",
            "museum-volkenkunde",
            "hochschule-niederrhein",
        }

        assert {uid_for("organisation", i) for i in expected} <= uids
        # Partner institutions without any contact detail get no card.
        bare_ones = ("universiteit-leiden", "gemeente-den-haag", "dejima", "nagasaki-university")
        # Rijnland's website had no source and was removed from the data.
        for bare in (*bare_ones, "hoogheemraadschap-van-rijnland"):
            assert uid_for("organisation", bare) not in uids

    def test_the_municipality_card(self, dataset: lt.Dataset) -> None:
        card = by_fn(export(dataset))["Gemeente Leiden"]

        assert ["Gemeente Leiden"] == card.org.value
        assert "COMPANY" == card.x_abshowas.value
        assert "https://gemeente.leiden.nl/" == card.url.value
        assert card.note.value.startswith("Takes part in the Leiden–Buffalo City twinning")  # noqa: RUF001

    def test_cards_come_persons_first_then_organisations(self, dataset: lt.Dataset) -> None:
        names = [card.fn.value for card in read(export(dataset))]

        assert ["Marjan de Jonge", "Marian Weevers"] == names[:2]
        assert len(set(names)) == len(names)


def octet_view(data: bytes) -> bytes:
    """*data* re-encoded so that each of its octets reads as one character.

    RFC 2426's grammar is written on octets (``NON-ASCII = %x80-FF``), so a UTF-8 "ń" is two
    NON-ASCII octets. The vcard validator decodes files as UTF-8 and then applies that grammar to
    characters, refusing everything above U+00FF; given the octet view it checks the grammar as
    written, and counts line lengths in octets as the RFC does.
    """
    return data.decode("latin-1").encode("utf-8")


class TestSparseData:
    """Missing details leave their properties out, and nothing else."""

    def test_a_contact_without_phone_date_or_role_text(self) -> None:
        dataset = with_contact(phone=None, as_of=None, role={"nl": " ", "en": " "})

        for version in ("3.0", "4.0"):
            card = by_fn(export(dataset, vcard_version=version))["Marian Weevers"]
            assert [] == props(card, "tel")
            assert [] == props(card, "title")
            assert [] == props(card, "role")
            assert (
                "Contact for the Leiden–Buffalo City twinning\nDetails as of November 29, 2026"  # noqa: RUF001
                == card.note.value
            )

    def test_a_friendship_tie(self) -> None:
        doc = fresh_document()
        nagasaki = next(p for p in doc["partnerships"] if p["city"] == "nagasaki")
        for milestone in nagasaki["history"]:
            if milestone.get("partnership_kind"):
                milestone["partnership_kind"] = "friendship"
        dataset = lt.loads(json.dumps(doc))

        card = by_fn(export(dataset))["Japanmuseum SieboldHuis"]

        assert card.note.value.startswith(
            "Takes part in the Leiden–Nagasaki friendship tie\n"  # noqa: RUF001
        )

    def test_a_country_without_an_official_language_has_no_lang(self) -> None:
        doc = fresh_document()
        next(c for c in doc["cities"] if c["id"] == "krefeld")["country"] = "AQ"
        doc["contacts"].append(
            {
                "id": "hsnr-office",
                "role": {"nl": "secretariaat"},
                "organisation": "hochschule-niederrhein",
                "partnerships": ["leiden-krefeld"],
                "name": {"given": "Ada", "family": "Lovelace"},
                "phone": "+492151822",
            }
        )
        doc["contacts"].append(
            {
                "id": "boerhaave-desk",
                "role": {"nl": "balie"},
                "organisation": "universiteit-leiden",
                "partnerships": ["leiden-oxford"],
                "phone": "+31715272727",
            }
        )
        dataset = lt.loads(json.dumps(doc))

        cards = by_fn(export(dataset, vcard_version="4.0"))

        assert [] == props(cards["Hochschule Niederrhein"], "lang")
        assert [] == props(cards["Ada Lovelace"], "lang")
        # An organisation with a phone number but no website still gets its card.
        university = cards["Universiteit Leiden"]
        assert "tel:+31-71-527-2727" == university.tel.value
        assert [] == props(university, "url")


class TestValidator:
    """The vcard package's strict RFC 2426 validator passes the 3.0 output."""

    def validate(self, path: Path) -> list[str]:
        path.write_bytes(octet_view(path.read_bytes()))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = validate_file(str(path), verbose=False)
        assert "" == result
        return [str(w.message) for w in caught]

    def test_the_whole_file(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        path = tmp_path / "all.vcf"
        path.write_bytes(export(dataset, "nl"))

        messages = self.validate(path)

        # Two remarks only: a space inside a name component ("de Jonge" is one family name), and
        # lines folded short of 75 octets because the next character is a multi-octet one.
        assert "Possible split name (replace space with comma): de Jonge" in messages
        for message in messages:
            assert message.endswith(": de Jonge") or message.startswith("Short folded line")
        assert_short_folds_are_before_multibyte(export(dataset, "nl"))

    def test_every_split_card_and_locale(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        for locale in ("nl", "en", "de"):
            for name, data in vcard_exporter.parts(
                dataset, locale=locale, options={"vcard_version": "3.0", "partnerships": ()}
            ):
                path = tmp_path / f"{locale}-{name}"
                path.write_bytes(data)
                for message in self.validate(path):
                    assert message.endswith(": de Jonge") or message.startswith("Short folded")
                assert_short_folds_are_before_multibyte(data)

    def test_vobject_validates_every_card(self, dataset: lt.Dataset) -> None:
        for version in ("3.0", "4.0"):
            for card in read(export(dataset, "nl", vcard_version=version)):
                assert card.validate(raiseException=True)

    def test_the_command_line_tool(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        path = tmp_path / "all.vcf"
        path.write_bytes(octet_view(export(dataset)))

        done = subprocess.run(
            [sys.executable, "-W", "ignore", "-m", "vcard.vcard", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

        assert (0, "") == (done.returncode, done.stdout)


class TestVersion4:
    """vCard 4.0 has KIND, tel: URIs, LANG and unescaped URIs; vobject reads what it knows of it."""

    def test_structure(self, dataset: lt.Dataset) -> None:
        data = export(dataset, vcard_version="4.0")
        lines = unfold(data)

        assert lines.count("BEGIN:VCARD") == lines.count("VERSION:4.0") == lines.count("END:VCARD")
        for i, line in enumerate(lines):
            if line == "BEGIN:VCARD":
                assert "VERSION:4.0" == lines[i + 1]  # RFC 6350: VERSION comes right after BEGIN
        assert 'N;SORT-AS="Jonge,Marjan":de Jonge;Marjan;;;' in lines
        assert "TEL;VALUE=uri;TYPE=work,voice:tel:+31-71-514-1720" in lines
        assert "TEL;VALUE=uri;TYPE=work,voice:tel:+31-71-516-5231" in lines
        assert "EMAIL;TYPE=work:m.weevers@leiden.nl" in lines
        assert lines.count("KIND:individual") == 2
        assert not any(line.startswith(("X-ABShowAs", "SORT-STRING")) for line in lines)

    def test_organisations_are_kind_org_without_n(self, dataset: lt.Dataset) -> None:
        for card in read(export(dataset, vcard_version="4.0")):
            if card.fn.value in {"Marjan de Jonge", "Marian Weevers"}:
                assert "individual" == card.kind.value
                assert [] != props(card, "n")
            else:
                assert "org" == card.kind.value
                assert [] == props(card, "n")
                assert [card.fn.value] == card.org.value

    def test_lang_is_the_language_of_the_organisation_country(self, dataset: lt.Dataset) -> None:
        cards = by_fn(export(dataset, vcard_version="4.0"))

        assert "nl" == cards["Marjan de Jonge"].lang.value
        assert "nl" == cards["Gemeente Leiden"].lang.value
        assert "de" == cards["Hochschule Niederrhein"].lang.value
        assert [] == props(by_fn(export(dataset))["Gemeente Leiden"], "lang")  # never in 3.0

    def test_vobject_reads_the_fields(self, dataset: lt.Dataset) -> None:
        card = by_fn(export(dataset, vcard_version="4.0"))["Marian Weevers"]

        assert "4.0" == card.version.value
        assert ("Weevers", "Marian") == (card.n.value.family, card.n.value.given)
        assert ["Gemeente Leiden"] == card.org.value
        assert "tel:+31-71-516-5231" == card.tel.value
        assert BUFFALO_NOTE == card.note.value
        assert uid_for("contact", "marian-weevers") == card.uid.value

    def test_uris_are_not_escaped_in_4_0_but_are_in_3_0(self) -> None:
        doc = fresh_document()
        doc["foundations"][0]["website"] = "https://example.org/a,b;c?d=e,f"
        data = lt.loads(json.dumps(doc))

        v4 = unfold(export(data, vcard_version="4.0"))
        v3 = by_fn(export(data))["Stichting Stedenband Leiden-Buffalo City"]

        assert "URL:https://example.org/a,b;c?d=e,f" in v4
        assert "https://example.org/a,b;c?d=e,f" == v3.url.value


class TestFolding:
    """Lines fold at 75 octets with CRLF, never inside a UTF-8 character."""

    def test_every_physical_line_fits(self, dataset: lt.Dataset) -> None:
        for version in ("3.0", "4.0"):
            for locale in ("nl", "en"):
                data = export(dataset, locale, vcard_version=version)
                assert b"\n" not in data.replace(b"\r\n", b"")
                assert b"\r" not in data.replace(b"\r\n", b"")
                for line in physical_lines(data):
                    assert len(line) <= 75
                    line.decode("utf-8")  # a split character would not decode

    def test_multibyte_names_fold_on_character_boundaries(self) -> None:
        name = "Łódź Ščęść 東京 🇳🇱 " * 12
        dataset = with_contact(name={"given": name.strip(), "family": "Żółć"})
        data = export(dataset)

        lines = physical_lines(data)
        long_ones = [line for line in lines if len(line) > 70]
        assert long_ones  # the name really folds
        for line in lines:
            assert len(line) <= 75
            line.decode("utf-8")
        assert f"{name.strip()} Żółć" in by_fn(data)

    def test_a_folded_line_is_filled_up_to_the_limit(self, dataset: lt.Dataset) -> None:
        for locale in ("nl", "en"):
            assert_short_folds_are_before_multibyte(export(dataset, locale))
        assert_short_folds_are_before_multibyte(
            export(with_contact(role={"nl": "东京" * 80, "en": "🇳🇱é" * 50}))
        )


class TestDeterminism:
    """The same dataset and options give the same bytes, stable UIDs, and REV from the data."""

    def test_byte_identical(self, dataset: lt.Dataset) -> None:
        for version in ("3.0", "4.0"):
            assert export(dataset, vcard_version=version) == export(
                lt.loads(lt.dumps(dataset)), vcard_version=version
            )

    def test_uids_are_name_based_and_unique(self, dataset: lt.Dataset) -> None:
        uids = [card.uid.value for card in read(export(dataset))]

        assert len(set(uids)) == len(uids)
        for value in uids:
            assert 5 == uuid.UUID(value.removeprefix("urn:uuid:")).version

    def test_uid_and_rev_do_not_depend_on_version_or_locale(self, dataset: lt.Dataset) -> None:
        def stamps(data: bytes) -> list[tuple[str, str]]:
            return [(c.uid.value, c.rev.value) for c in read(data)]

        assert stamps(export(dataset)) == stamps(export(dataset, "nl", vcard_version="4.0"))

    def test_rev_follows_the_dataset_revision(self) -> None:
        doc = fresh_document()
        doc["revision"] = "2030-01-02"

        cards = read(export(lt.loads(json.dumps(doc))))

        assert {"20300102T000000Z"} == {c.rev.value for c in cards}

    def test_parts_are_the_cards_of_the_whole_file(self, dataset: lt.Dataset) -> None:
        options = {"vcard_version": "3.0", "partnerships": ()}
        found = list(vcard_exporter.parts(dataset, locale="en", options=options))

        assert export(dataset) == b"".join(data for _, data in found)
        assert "marjan-de-jonge.vcf" == found[0][0]
        assert len({name for name, _ in found}) == len(found)
        for _, data in found:
            assert 1 == len(read(data))


hostile_character = st.one_of(
    st.sampled_from([*';,\\:"^=. \t', "\\n", "\\,", "END:VCARD", "BEGIN:VCARD", "é", "😀"]),
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
)
hostile_line = st.lists(hostile_character, min_size=1, max_size=30).map("".join).filter(str.strip)
line_break = st.sampled_from(["\n", "\r\n", "\r"])
hostile_text = (
    st.lists(st.one_of(hostile_line, line_break), min_size=1, max_size=6)
    .map("".join)
    .filter(str.strip)
)


def expected_text(value: str) -> str:
    """What a value reads as after the round trip: line breaks as LF, a tab as a space."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")


def shape(cards: list[Any]) -> list[list[tuple[str, int]]]:
    """Which properties each card has, and how many of each."""
    return [sorted((name, len(lines)) for name, lines in card.contents.items()) for card in cards]


@functools.cache
def plain_shape(version: str) -> list[list[tuple[str, int]]]:
    plain = with_contact(name={"given": "A", "family": "B", "prefix": "c"})
    return shape(read(export(plain, vcard_version=version, partnerships="buffalo-city")))


class TestHostileStrings:
    """Hostile names, roles and notes round-trip exactly and add no property and no card."""

    @settings(max_examples=60, deadline=None)
    @given(given_name=hostile_line, family=hostile_line, prefix=hostile_line, role=hostile_text)
    def test_person(self, given_name: str, family: str, prefix: str, role: str) -> None:
        name = {"given": given_name, "family": family, "prefix": prefix}
        dataset = with_contact(name=name, role={"nl": role, "en": role})

        for version in ("3.0", "4.0"):
            data = export(dataset, vcard_version=version, partnerships="buffalo-city")
            cards = read(data)
            assert plain_shape(version) == shape(cards)
            card = cards[1]
            fn = expected_text(f"{given_name} {prefix} {family}")
            assert fn == card.fn.value
            assert expected_text(f"{prefix} {family}") == card.n.value.family
            assert expected_text(given_name) == card.n.value.given
            assert expected_text(role) == card.title.value
            assert [] == props(card, "role")
            for line in physical_lines(data):
                assert len(line) <= 75

    @settings(max_examples=40, deadline=None)
    @given(name=hostile_line, description=hostile_text, abbreviation=hostile_line)
    def test_organisation(self, name: str, description: str, abbreviation: str) -> None:
        doc = fresh_document()
        foundation = doc["foundations"][1]  # SVLJ, with an info address
        foundation.update(name=name, abbreviation=abbreviation)
        foundation["description"] = {"nl": description, "en": description}
        dataset = lt.loads(json.dumps(doc))

        cards = read(export(dataset, partnerships="juigalpa"))
        assert shape(read(export(lt.load(), partnerships="juigalpa"))) == shape(cards)
        card = next(c for c in cards if c.uid.value == uid_for("organisation", "svlj"))
        assert expected_text(name) == card.fn.value
        assert [expected_text(name)] == card.org.value
        assert expected_text(abbreviation) == card.nickname.value
        # The description is one line of the note: a CR at its end joins the LF after it.
        assert card.note.value.endswith(
            expected_text(f"\n{description}\nContact details as published in 2013")
        )
        assert ["email", "url"] == [k for k in ("email", "url") if k in card.contents]

    def test_a_forged_card_stays_text(self) -> None:
        forged = "x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Mallory\r\nTEL:666"
        dataset = with_contact(role={"nl": forged, "en": forged})

        cards = read(export(dataset))

        assert len(read(export(lt.load()))) == len(cards)
        assert expected_text(forged) == cards[1].title.value
        assert "Mallory" not in [c.fn.value for c in cards]

    def test_control_characters_never_reach_the_file(self) -> None:
        doc = fresh_document()
        doc["foundations"][0]["website"] = "https://example.org/\x01\x7f"
        data = export(lt.loads(json.dumps(doc)))

        assert not any(b < 0x20 and b not in (0x0D, 0x0A) for b in data)
        assert b"\x7f" not in data


class TestOptions:
    """--vcard-version and --partnership choose the version and the contacts."""

    def test_partnership_by_city_name(self, dataset: lt.Dataset) -> None:
        cards = read(export(dataset, partnerships=("Toruń",)))

        assert ["Stichting Stedenband Leiden-Toruń"] == [c.fn.value for c in cards]

    def test_several_partnerships_by_id_and_name(self, dataset: lt.Dataset) -> None:
        names = {
            c.fn.value for c in read(export(dataset, partnerships=("leiden-oxford", "krefeld")))
        }

        assert {
            "Stichting Stedenband Leiden-Oxford",
            "Hochschule Niederrhein",
        } <= names
        assert "Marjan de Jonge" not in names

    def test_a_single_string_is_one_partnership(self, dataset: lt.Dataset) -> None:
        assert export(dataset, partnerships="buffalo-city") == export(
            dataset, partnerships=("leiden-buffalo-city",)
        )

    def test_an_institution_note_names_only_the_chosen_ties(self, dataset: lt.Dataset) -> None:
        everything = by_fn(export(dataset))["Museum Volkenkunde"].note.value
        chosen = by_fn(export(dataset, partnerships=("nagasaki",)))["Museum Volkenkunde"]

        assert chosen.note.value.startswith("Takes part in the Leiden–Nagasaki")  # noqa: RUF001
        assert ["Leiden city ties", "Nagasaki"] == chosen.categories.value
        assert everything.startswith("Takes part in")

    def test_unknown_partnership(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match="atlantis"):
            export(dataset, partnerships=("atlantis",))

    def test_unknown_version(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match=r"2\.1"):
            export(dataset, vcard_version="2.1")

    def test_an_invalid_phone_number_is_refused(self) -> None:
        dataset = with_contact(phone="+3171000")

        with pytest.raises(lt.ExportError, match="marian-weevers"):
            export(dataset)

    def test_direct_calls_check_the_options_too(self, dataset: lt.Dataset) -> None:
        with pytest.raises(lt.ExportError, match=r"2\.1"):
            vcard_exporter.cards(dataset, locale="en", options={"vcard_version": "2.1"})
        found = vcard_exporter.cards(dataset, locale="en", options={"partnerships": "torun"})
        assert ["stedenband-leiden-torun"] == [card.stem for card in found]

    def test_a_number_without_a_country_is_refused(self) -> None:
        with pytest.raises(lt.ExportError, match="not a valid phone number"):
            export(with_contact(phone="+9991234567"))

    def test_registered_with_its_options(self) -> None:
        exporter = next(f for f in lt.formats() if f.name == "vcard")

        assert ("vcf", "text/vcard") == (exporter.extension, exporter.media_type)
        assert ("3.0", "4.0") == exporter.option("vcard_version").choices
        assert "3.0" == exporter.option("vcard_version").default
        assert exporter.option("partnerships").multiple
        assert exporter.parts is not None


class TestCommandLine:
    """The CLI writes one file, or one file per card with --split."""

    def test_split(self, tmp_path: Path, dataset: lt.Dataset) -> None:
        out = tmp_path / "cards"

        status = main(["export", "vcard", "--locale", "en", "--split", str(out)])

        assert 0 == status
        names = sorted(p.name for p in out.iterdir())
        assert "marjan-de-jonge.vcf" in names
        assert "stedenband-leiden-buffalo-city.vcf" in names
        assert len(read(export(dataset))) == len(names)
        for path in out.iterdir():
            assert 1 == len(read(path.read_bytes()))

    def test_version_and_partnership_options(self, tmp_path: Path) -> None:
        out = tmp_path / "buffalo.vcf"

        status = main(
            [
                "export",
                "vcard",
                "--vcard-version",
                "4.0",
                "--partnership",
                "buffalo city",
                "--partnership",
                "oxford",
                "--output",
                str(out),
            ]
        )

        assert 0 == status
        names = {c.fn.value for c in read(out.read_bytes())}
        assert {"Marjan de Jonge", "Stichting Stedenband Leiden-Oxford"} <= names
        assert "Stichting Stedenband Leiden-Toruń" not in names
        assert "VERSION:4.0" in out.read_text(encoding="utf-8")

    def test_a_bad_version_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as exit_info:
            main(["export", "vcard", "--vcard-version", "2.1"])

        assert 2 == exit_info.value.code
        assert "2.1" in capsys.readouterr().err


class TestImports:
    """phonenumbers and Babel load only when a vCard is written."""

    def test_importing_the_exporter_loads_no_heavy_library(self) -> None:
        code = (
            "import sys, leiden_twinning.exporters.vcard; "
            "print(sorted(m for m in ('phonenumbers', 'babel', 'vobject') if m in sys.modules))"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
        )

        assert "[]" == done.stdout.strip()


def dav_card(data: bytes) -> list[tuple[str, str, str]]:
    """A card as a sorted list of (name, params, value): Radicale reorders the properties."""
    [card] = read(data)
    return sorted(
        (line.name, json.dumps(line.params, sort_keys=True), json.dumps(line.value, default=str))
        for lines in card.contents.values()
        for line in lines
    )


@pytest.fixture
def addressbook(radicale_server: str) -> Iterator[tuple[requests.Session, str]]:
    """An address book made with an extended MKCOL on the test's Radicale server."""
    session = requests.Session()
    session.auth = ("leiden", "any-password")
    url = f"{radicale_server}/leiden/twinning/"
    body = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">'
        "<D:set><D:prop>"
        "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
        "<D:displayname>Leiden city ties</D:displayname>"
        "</D:prop></D:set></D:mkcol>"
    )
    created = session.request(
        "MKCOL",
        url,
        data=body.encode("utf-8"),
        headers={"Content-Type": "application/xml; charset=utf-8"},
        timeout=10,
    )
    assert 201 == created.status_code, created.text
    yield session, url
    session.close()


@pytest.mark.slow
class TestRadicale:
    """Each card uploads to a CardDAV address book as its own resource and reads back the same."""

    @pytest.mark.parametrize("version", ["3.0", "4.0"])
    def test_round_trip(
        self, addressbook: tuple[requests.Session, str], dataset: lt.Dataset, version: str
    ) -> None:
        session, url = addressbook
        options = {"vcard_version": version, "partnerships": ()}
        found = list(vcard_exporter.parts(dataset, locale="nl", options=options))

        for name, data in found:
            put = session.put(
                url + name,
                data=data,
                headers={"Content-Type": "text/vcard; charset=utf-8", "If-None-Match": "*"},
                timeout=10,
            )
            assert 201 == put.status_code, (name, put.text)
        for name, data in found:
            got = session.get(url + name, timeout=10)
            assert 200 == got.status_code
            assert got.headers["Content-Type"].startswith("text/vcard")
            assert dav_card(data) == dav_card(got.content)

        listing = session.request(
            "PROPFIND",
            url,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            data=b'<?xml version="1.0"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/>'
            b"</D:prop></D:propfind>",
            timeout=10,
        )
        assert 207 == listing.status_code
        assert b"addressbook" in listing.content
        assert len(found) == listing.text.count(".vcf</")


class TestWorthKeeping:
    """Every card says how to reach its subject, which tie it serves and as of when."""

    def test_every_card_has_a_way_to_reach_it(self, dataset: lt.Dataset) -> None:
        """A phone, an e-mail address, a postal address or a website on every card."""
        for version in ("3.0", "4.0"):
            for card in read(export(dataset, "nl", vcard_version=version)):
                ways = [k for k in ("tel", "email", "adr", "url") if k in card.contents]
                assert ways, card.fn.value

    def test_a_person_without_a_number_is_left_out(self) -> None:
        """Without a phone or e-mail address of their own, a person's card goes, unless all."""
        dataset = with_contact(phone=None, email=None)
        assert "Marian Weevers" not in by_fn(export(dataset))
        card = by_fn(export(dataset, all=True))["Marian Weevers"]
        assert [] == props(card, "tel") + props(card, "email")

    def test_an_organisation_without_details_is_left_out(self) -> None:
        """A foundation without website or contact point goes, unless all."""
        doc = fresh_document()
        oxford = next(f for f in doc["foundations"] if f["id"] == "stedenband-leiden-oxford")
        del oxford["website"]
        dataset = lt.loads(json.dumps(doc))
        assert "Stichting Stedenband Leiden-Oxford" not in by_fn(export(dataset))
        kept = by_fn(export(dataset, all=True))
        assert "Stichting Stedenband Leiden-Oxford" in kept

    def test_all_adds_the_partner_institutions(self, dataset: lt.Dataset, tmp_path: Path) -> None:
        """--all: every organisation of the ties, and the validators still accept every card."""
        some = by_fn(export(dataset))
        every = by_fn(export(dataset, all=True))
        assert set(some) < set(every)
        assert {"Gemeente Den Haag", "Universiteit Leiden"} <= set(every) - set(some)
        for version in ("3.0", "4.0"):
            for card in read(export(dataset, "nl", vcard_version=version, all=True)):
                assert card.validate(raiseException=True)
        path = tmp_path / "all.vcf"
        path.write_bytes(octet_view(export(dataset, all=True)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            assert "" == validate_file(str(path), verbose=False)

    def test_note_names_the_tie_and_the_date(self, dataset: lt.Dataset) -> None:
        """The note's first line is the tie, its last line how old the details are."""
        cards = by_fn(export(dataset, "nl"))
        juigalpa = cards["Stichting Vriendschapsband Leiden-Juigalpa"].note.value.split("\n")
        assert juigalpa[0].endswith("Leiden–Juigalpa")  # noqa: RUF001
        assert "Contactgegevens volgens de publicatie van 2013" == juigalpa[-1]
        oxford = cards["Stichting Stedenband Leiden-Oxford"].note.value.split("\n")
        assert "Gegevens per 29 november 2026" == oxford[-1]

    def test_the_same_option_words_in_every_format(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """--partnership has one metavar and one help text in every format's help."""
        helps = set()
        for fmt in ("ical", "vcard", "html", "geojson"):
            assert 0 == main(["export", fmt, "--locale", "en", "--help"])
            out = " ".join(capsys.readouterr().out.split())
            start = out.rindex("--partnership ")  # the option's entry, after the usage
            helps.add(out[start : out.index(")", start) + 1])
        assert 1 == len(helps), helps

    def test_postal_address(self, dataset: lt.Dataset) -> None:
        """Nagasaki's city hall carries its address as ``ADR``, read back by vobject."""
        for version in ("3.0", "4.0"):
            card = by_fn(export(dataset, "nl", vcard_version=version))["Gemeente Nagasaki"]
            adr = card.adr.value
            assert ("2-22 Sakura-machi", "Nagasaki", "Nagasaki", "850-8685", "Japan") == (
                adr.street,
                adr.city,
                adr.region,
                adr.code,
                adr.country,
            )
            assert card.validate(raiseException=True)

    def test_an_address_alone_is_a_way_to_reach(self) -> None:
        """A person with only a postal address keeps their card."""
        address = {"locality": "Leiden", "country": "NL", "street": "Stadhuisplein 1"}
        dataset = with_contact(phone=None, email=None, address=address)
        card = by_fn(export(dataset))["Marian Weevers"]
        assert "Stadhuisplein 1" == card.adr.value.street
