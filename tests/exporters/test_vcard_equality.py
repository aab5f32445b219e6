"""The fast vCard writer against vobject, an independent serializer, and its own shortcuts.

vobject is the oracle for vCard 3.0: it reads every card the ``vcard`` exporter writes and
serializes what it read again; each card's logical (unfolded) lines must be exactly vobject's, in
vobject's order (it sorts the properties), with the property names in capitals as vobject writes
them. Any escape too many or too few, a wrong parameter or a value vobject reads differently
would show. The datasets: the canonical one in every catalog language, with and without ``all``,
the bench's synthetic ones, the hostile twins and Hypothesis datasets and texts. The shortcuts the
writer takes (UIDs hashed from a shared start, phone numbers formatted once) are held against
what they replace: :func:`uuid.uuid5` and phonenumbers' own three formats.
"""

from __future__ import annotations

import io
import json
import uuid
from typing import Any

import phonenumbers
import pytest
import vobject
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from phonenumbers.phonenumberutil import _SEPARATOR_PATTERN

import leiden_twinning as lt
from leiden_twinning import exporting
from leiden_twinning.exporters import vcard as vcard_exporter
from synthetic import generate
from test_hostile import _TEXT_CHARS, PAYLOADS, Twins, one_line
from test_loader import datasets

LOCALES = ("en", "nl", "de", "es", "ja", "pl")
FORMATS = phonenumbers.PhoneNumberFormat


def logical_cards(text: str) -> list[list[str]]:
    """The cards of *text*, each as its logical lines (unfolded, without CRLF)."""
    assert text.endswith("\r\n")
    cards: list[list[str]] = [[]]
    for line in text[:-2].replace("\r\n ", "").split("\r\n"):
        cards[-1].append(line)
        if line == "END:VCARD":
            cards.append([])
    assert [] == cards.pop()
    return cards


def upper_name(line: str) -> str:
    """*line* with its property name in capitals (names are case-insensitive; vobject shouts)."""
    end = min(i for i in (line.find(";"), line.find(":"), len(line)) if i >= 0)
    return line[:end].upper() + line[end:]


def assert_vobject_equal(data: bytes) -> int:
    """Each card of *data* is, line for line, what vobject writes for what it reads in it."""
    text = data.decode("utf-8")
    ours = logical_cards(text)
    theirs = [logical_cards(card.serialize())[0] for card in vobject.readComponents(text)]
    assert len(ours) == len(theirs)
    for mine, oracle in zip(ours, theirs, strict=True):
        assert sorted(oracle) == sorted(upper_name(line) for line in mine)
    for physical in data[:-2].split(b"\r\n"):
        assert len(physical) <= 75
    return len(ours)


def export(dataset: lt.Dataset, locale: str = "en", **options: Any) -> bytes:
    return lt.export(dataset, "vcard", locale=locale, **options)


class TestVobjectWritesTheSameLines:
    """vobject, reading a card and writing it again, writes exactly the card's logical lines."""

    @pytest.mark.parametrize("locale", LOCALES)
    @pytest.mark.parametrize("keep_all", [False, True])
    def test_canonical(self, dataset: lt.Dataset, locale: str, keep_all: bool) -> None:
        """Leiden's own data in every catalog language, with the unreachable cards too."""
        assert 0 < assert_vobject_equal(export(dataset, locale, all=keep_all))

    @pytest.mark.parametrize(("size", "locale"), [(50, "nl"), (200, "en"), (100, "ja")])
    def test_synthetic(self, size: int, locale: str) -> None:
        """The bench's generated datasets (fixed seed): names with accents, many ties."""
        synthetic = lt.loads(json.dumps(generate(size)).encode("utf-8"))
        assert size * 3 // 2 == assert_vobject_equal(export(synthetic, locale))

    @pytest.mark.parametrize("payload", sorted(PAYLOADS))
    def test_hostile_twins(self, payload: str) -> None:
        """Line breaks, separators, markup, injections, bidi and emoji, 10,000 characters."""
        assert 0 < assert_vobject_equal(export(Twins(PAYLOADS[payload]).hostile, all=True))

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(_TEXT_CHARS, min_size=1, max_size=40))
    def test_any_text_in_every_field(self, text: str) -> None:
        """Random text the model accepts, in every text field of the canonical data."""
        hostile = Twins(text, line_payload=one_line(text)).hostile
        assert 0 < assert_vobject_equal(export(hostile, "nl", all=True))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(datasets())
    def test_hypothesis_datasets(self, random_dataset: lt.Dataset) -> None:
        """The loader tests' random datasets, every entity and field of the format in use."""
        try:
            data = export(random_dataset, all=True)
        except lt.ExportError:
            assume(False)  # an invalid phone number: refused, nothing written
        if data:
            assert_vobject_equal(data)


class TestShortcuts:
    """What the writer computes its own way equals what it replaces."""

    @given(st.binary(min_size=20, max_size=20))
    def test_uuid_text(self, digest: bytes) -> None:
        """A SHA-1 digest becomes the text of a version 5 UUID exactly as :mod:`uuid` writes it."""
        assert str(uuid.UUID(bytes=digest[:16], version=5)) == vcard_exporter._uuid5(digest)

    def test_the_canonical_uids(self, dataset: lt.Dataset) -> None:
        """Every card's UID is uuid5 of the home city, the kind and the id (version 5, RFC 4122)."""
        assert_uids(dataset)

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(datasets())
    def test_the_uids_of_random_datasets(self, random_dataset: lt.Dataset) -> None:
        """Random home cities and ids, in both versions."""
        try:
            assert_uids(random_dataset)
        except lt.ExportError:
            assume(False)  # an invalid phone number: refused, nothing written


def assert_uids(dataset: lt.Dataset) -> None:
    """Each card's UID is uuid5 of the home city, the kind and the id, in both versions."""
    people = {c.id for c in dataset.contacts}
    for version in vcard_exporter.VERSIONS:
        options = {"all": True, "vcard_version": version}
        for card in vcard_exporter.cards(dataset, locale="en", options=options):
            [line] = [x for x in card.lines if x.startswith("UID:")]
            found = uuid.UUID(line.removeprefix("UID:urn:uuid:"))
            kind = "contact" if card.stem in people else "organisation"
            name = f"{dataset.home}/{kind}/{card.stem}"
            assert (5, uuid.RFC_4122) == (found.version, found.variant)
            assert uuid.uuid5(vcard_exporter.UUID_NAMESPACE, name) == found


def example_numbers() -> list[str]:
    """An example number of every type for every region and non-geographic entity, in E.164."""
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in range(12):
            number = phonenumbers.example_number_for_type(region, kind)
            if number is not None:
                found.append(phonenumbers.format_number(number, FORMATS.E164))
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            found.append(phonenumbers.format_number(number, FORMATS.E164))
    return found


def phonenumbers_forms(number: str) -> tuple[str, str, str] | None:
    """What :func:`exporting.phone` gave before: phonenumbers' own three formats, or None."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    e164, international, rfc3966 = (
        phonenumbers.format_number(parsed, style)
        for style in (FORMATS.E164, FORMATS.INTERNATIONAL, FORMATS.RFC3966)
    )
    return e164, international, rfc3966


class TestPhoneForms:
    """:func:`exporting.phone` makes the RFC 3966 form (``TEL`` of 4.0) as phonenumbers does."""

    def test_the_example_number_of_every_region(self) -> None:
        """Every region's and entity's example numbers, of every type, in all three forms."""
        numbers = example_numbers()
        assert len(numbers) > 1000
        for number in numbers:
            found = exporting.phone(number)
            assert phonenumbers_forms(number) == (None if found is None else tuple(found))

    @given(st.from_regex(r"\+[1-9][0-9]{6,14}", fullmatch=True))
    def test_any_e164_number(self, number: str) -> None:
        """Random numbers of the E.164 shape, valid or not."""
        found = exporting.phone(number)
        assert phonenumbers_forms(number) == (None if found is None else tuple(found))

    def test_an_extension(self) -> None:
        """A number with an extension (never in the model, possible through the helper)."""
        expected = ("+31715141720", "+31 71 514 1720 ext. 5", "tel:+31-71-514-1720;ext=5")
        assert expected == phonenumbers_forms("+31 71 514 1720 ext. 5")
        assert expected == tuple(exporting.phone("+31 71 514 1720 ext. 5") or ())

    def test_the_separators_are_phonenumbers_own(self) -> None:
        """The punctuation dashed in RFC 3966 is phonenumbers' (a tripwire for its updates)."""
        assert _SEPARATOR_PATTERN.pattern == exporting._PHONE_SEPARATORS.pattern


class TestWhatRepeats:
    """What a writer works out once per export comes out the same on every card that repeats it."""

    @pytest.mark.parametrize("version", vcard_exporter.VERSIONS)
    def test_a_shared_number_and_country(self, document: dict[str, Any], version: str) -> None:
        """Two people with the switchboard's number and Nagasaki city hall's address."""
        contacts = {c["id"]: c for c in document["contacts"]}
        hall = contacts["gemeente-nagasaki-general"]
        for person in ("marjan-de-jonge", "marian-weevers"):
            contacts[person].update(phone=hall["phone"], address=hall["address"])
        data = export(lt.loads(json.dumps(document)), "nl", vcard_version=version)

        lines = [line for card in logical_cards(data.decode("utf-8")) for line in card]
        number = ":+81 95-825-5151" if version == "3.0" else ":tel:+81-95-825-5151"
        tels = [x for x in lines if x.startswith("TEL") and x.endswith(number)]
        countries = [x for x in lines if x.startswith("ADR") and x.endswith(";Japan")]
        assert (3, 3) == (len(tels), len(countries))
        if version == "3.0":
            cards = by_name(data)
            for person in ("Marjan de Jonge", "Marian Weevers"):
                assert ["+81 95-825-5151"] == [t.value for t in cards[person].contents["tel"]]
                [adr] = cards[person].contents["adr"]
                assert ("Nagasaki", "Japan") == (adr.value.city, adr.value.country)

    def test_a_person_and_their_foundation_serving_two_ties(self, document: dict[str, Any]) -> None:
        """Both notes name the same two ties, in the data's order, as one list."""
        contacts = {c["id"]: c for c in document["contacts"]}
        contacts["marjan-de-jonge"]["partnerships"] = ["leiden-oxford", "leiden-buffalo-city"]
        cards = by_name(export(lt.loads(json.dumps(document))))

        ties = "the Leiden–Buffalo City twinning and the Leiden–Oxford twinning"  # noqa: RUF001
        person = cards["Marjan de Jonge"].note.value
        foundation = cards["Stichting Stedenband Leiden-Buffalo City"].note.value
        assert person.startswith(f"Contact for {ties}\n")
        assert foundation.startswith(f"Foundation behind {ties}\n")
        assert ["Leiden city ties", "Buffalo City", "Oxford"] == cards[
            "Marjan de Jonge"
        ].categories.value


def by_name(data: bytes) -> dict[str, Any]:
    """The cards of *data* as vobject reads them, by ``FN``."""
    return {card.fn.value: card for card in vobject.readComponents(data.decode("utf-8"))}


#: One group of digits and what may stand around it in a formatting pattern of phonenumbers.
_GROUP_PUNCTUATION = st.text(st.sampled_from([" ", "-", "(", ")", ".", "/", "~", "\u2010"]))


class TestRfc3966FromAnyPattern:
    """The RFC 3966 form made from the international one, for formats no region has yet."""

    @given(st.lists(_GROUP_PUNCTUATION, min_size=4, max_size=4))
    def test_phonenumbers_own_formatting_by_pattern(self, around: list[str]) -> None:
        """phonenumbers' ``format_by_pattern`` with punctuation before, between and after groups."""
        number = phonenumbers.parse("+442079460000", None)
        pattern = phonenumbers.NumberFormat(
            pattern=r"(\d{2})(\d{4})(\d{4})",
            format=f"{around[0]}\\1{around[1]}\\2{around[2]}\\3{around[3]}",
        )
        international = phonenumbers.format_by_pattern(number, FORMATS.INTERNATIONAL, [pattern])
        expected = phonenumbers.format_by_pattern(number, FORMATS.RFC3966, [pattern])

        assert expected == exporting._rfc3966(international, "+44")


class TestNothingWrittenOnFailure:
    """The cards become bytes as they are made, but none is written before all are made."""

    def test_a_bad_number_on_the_last_card_leaves_the_stream_empty(self) -> None:
        document = generate(400)
        last = next(c for c in reversed(document["contacts"]) if c.get("phone"))
        last["phone"] = "+3171000"
        dataset = lt.loads(json.dumps(document).encode("utf-8"))
        stream = io.BytesIO()
        exporter = next(f for f in lt.formats() if f.name == "vcard")

        with pytest.raises(lt.ExportError, match=last["id"]):
            exporter.write(dataset, stream, locale="en", options={})
        assert b"" == stream.getvalue()
        # Without the bad number, these cards fill more than one block.
        last["phone"] = None
        exporter.write(
            lt.loads(json.dumps(document).encode("utf-8")), stream, locale="en", options={}
        )
        assert len(stream.getvalue()) > 2 * exporting.BLOCK_SIZE
