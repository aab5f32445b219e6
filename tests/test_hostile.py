"""Hostile strings through every built-in exporter, read back by independent parsers.

Every text field of the canonical dataset is given a unique token. The *plain* twin holds just the
tokens; the *hostile* twin holds each token followed by a hostile payload (line breaks, separators,
markup, bidi controls, emoji, 10,000 characters, ...) and an end mark. Both are exported, and each
output is parsed back (json, icalendar, vobject, html5lib) into a flat list of items: every
component, property, parameter, element, attribute and text node in order. The two lists must
have the same shape (so no payload injected a property, card, event or element), and each hostile
value must be the plain one with every token followed by its payload (so the text round-trips).
"""

from __future__ import annotations

import functools
import io
import json
import re
import urllib.parse
from importlib import resources
from typing import TYPE_CHECKING, Any

import geojson
import html5lib
import icalendar
import pytest
import vobject
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leiden_twinning as lt

if TYPE_CHECKING:
    from collections.abc import Callable

#: Every built-in format; the test fails if one of them is missing.
EXPECTED_FORMATS = frozenset({"json", "ical", "vcard", "html", "geojson"})
BUILTIN = sorted(f.name for f in lt.formats() if f.distribution == "leiden-twinning")
#: (format name, extra options) for each built-in exporter; vCard is tried in both versions.
TARGETS = [
    (name, options)
    for name in BUILTIN
    for options in (
        [{"vcard_version": "3.0"}, {"vcard_version": "4.0"}] if name == "vcard" else [{}]
    )
]
LOCALES = ("en", "nl")

CANONICAL: dict[str, Any] = json.loads(
    resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()
)

#: The payloads, in groups (each group is one test): a group's payloads are joined with " | ".
PAYLOADS: dict[str, str] = {
    "line-breaks": " | ".join(
        ["a\r\nb", "a\rb", "a\nb", "a\tb", "a\u2028b\u2029c", "trailing\n", "\r\n\tindent"]
    ),
    "separators": " | ".join(
        [
            "; , : \\ \\n \\; \\, ` ^ ^n ^^",
            "\"'\u201e\u201c\u201d\u2018\u2019\u00ab\u00bb",
            "DESCRIPTION;LANGUAGE=en:x",
            "{{ 7*7 }} {% raw %} {name} {0} %s %(x)s $x",
        ]
    ),
    "markup": " | ".join(
        [
            "<script>alert(1)</script>",
            "javascript:alert(1)",
            '</p></li></ul><div onclick="x()">&amp; &lt; &#60; <!-- c --> ]]>',
            "<a href='javascript:alert(1)'>x</a><img src=x onerror=alert(1)>",
        ]
    ),
    "injection": " | ".join(
        [
            "x\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nSUMMARY:injected",
            "x\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:evil\nEMAIL:evil@example.org",
            "x\r\n END:VCALENDAR",
        ]
    ),
    "unicode": " | ".join(
        [
            "\u200f\u202eevil\u202c \u2066isolate\u2069\u200e",
            "\U0001f1f3\U0001f1f1 \U0001f469\u200d\U0001f469\u200d\U0001f467",
            "\U0001f3f3\ufe0f\u200d\U0001f308 \U0001f44d\U0001f3fd",
            "e\u0301 a\u0308\u0308\u0308 Z\u0336\u0337\u0338",
            "\ufeff\u200b\u00ad",
            "\u0644\u064a\u062f\u0646 \u05dc\u05d9\u05d9\u05d3\u05df \u30e9\u30a4\u30c7\u30f3",
        ]
    ),
    "long": "x" * 10_000,
}
#: A value the model accepts in a URL field (``https://`` and no space, ``<``, ``>`` or ``"``).
URL_PAYLOAD = "/a;b,c:d'e(f)*g!h$i&j=k+l~m%20n@o?next=javascript:alert(1)#x"
#: A value the model accepts before the ``@`` of an e-mail address.
EMAIL_PAYLOAD = "a;b,c:d'e\\f{g}|h+i"
END = "!"

#: Fields holding one line (names): the model refuses line breaks in them.
LINE_FIELDS = frozenset(
    {"name", "title", "publisher", "to", "place", "abbreviation", "given", "family", "prefix"}
)
_TOKEN = re.compile(r"Tok[0-9]{4}")


def one_line(payload: str) -> str:
    """The payload as a name may hold it: every line break (also U+2028/U+2029) becomes a space."""
    return re.sub("\r\n|[\r\n\u2028\u2029]", " ", payload)


def substitute(document: Any, value: Callable[[str, str], str]) -> Any:
    """A copy of *document* with ``value(text, kind)`` for every text, URL and e-mail field.

    *kind* is ``"text"`` (localized text: may hold line breaks), ``"line"`` (a name), ``"url"``
    or ``"email"``.
    """

    def walk(node: Any, key: str | None, localized: bool) -> Any:
        if isinstance(node, dict):
            is_text = set(node) <= {"nl", "en"} and "nl" in node
            return {k: walk(v, k, is_text) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, key, localized) for v in node]
        if not isinstance(node, str):
            return node
        if localized:
            return value(node, "text")
        if key in LINE_FIELDS or key == "aliases":
            return value(node, "line")
        if key in {"url", "website"}:
            return value(node, "url")
        if key == "email":
            return value(node, "email")
        return node

    return walk(document, None, localized=False)


class Twins:
    """The plain and the hostile twin of the canonical dataset, for one payload."""

    def __init__(self, payload: str, line_payload: str | None = None) -> None:
        self.payloads: dict[str, str] = {}
        counter = iter(range(10_000))
        hostile: dict[str, str] = {}

        def plain(_text: str, kind: str) -> str:
            token = f"Tok{next(counter):04d}"
            if kind == "url":
                hostile[f"https://example.org/{token}"] = (
                    f"https://example.org/{token}{URL_PAYLOAD}"
                )
                return f"https://example.org/{token}"
            if kind == "email":
                hostile[f"{token}@example.org"] = f"{token}{EMAIL_PAYLOAD}@example.org"
                return f"{token}@example.org"
            extra = payload if kind == "text" else line_payload or one_line(payload)
            self.payloads[token] = extra + END
            hostile[token] = token + extra + END
            return token

        self.plain_document = substitute(CANONICAL, plain)
        self.hostile_document = substitute(self.plain_document, lambda text, _k: hostile[text])
        self.plain = lt.loads(json.dumps(self.plain_document))
        self.hostile = lt.loads(json.dumps(self.hostile_document))
        self.url_tokens = {_TOKEN.findall(k)[0] for k in hostile if k.startswith("https://")}
        self.email_tokens = {_TOKEN.findall(k)[0] for k in hostile if k.endswith("@example.org")}


@functools.cache
def twins(name: str) -> Twins:
    """The twins for the payload called *name* (built once)."""
    return Twins(PAYLOADS[name])


# -- parsers: each output as a flat list of (kind, ..., value) ------------------------------

Item = tuple[Any, ...]


def json_items(data: bytes) -> list[Item]:
    """Every leaf of the JSON document with its path."""
    items: list[Item] = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            items.append(("object", path, tuple(node)))
            for key, value in node.items():
                walk(value, f"{path}.{key}")
        elif isinstance(node, list):
            items.append(("array", path, len(node)))
            for i, value in enumerate(node):
                walk(value, f"{path}[{i}]")
        else:
            items.append(("leaf", path, type(node).__name__, node))

    walk(json.loads(data), "$")
    return items


def geojson_items(data: bytes) -> list[Item]:
    """Every leaf of the GeoJSON, as the ``geojson`` library reads it (and finds it valid)."""
    collection = geojson.loads(data.decode("utf-8"))
    assert collection.is_valid, collection.errors()
    return json_items(geojson.dumps(collection).encode("utf-8"))


_TEXT_ESCAPE = re.compile(r"\\([\\;,nN])")


def unescape_text(value: str) -> str:
    r"""Undo RFC 5545/6350 TEXT escaping: ``\\``, ``\;``, ``\,``, ``\n``."""
    return _TEXT_ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _ical_value(value: Any) -> Any:
    if hasattr(value, "cats"):
        return tuple(str(c) for c in value.cats)
    if isinstance(value, icalendar.vUnknown):
        # icalendar leaves NAME (RFC 7986) and X- properties raw; RFC 5545 types them TEXT.
        return unescape_text(str(value))
    if isinstance(value, str):
        return str(value)
    return value.to_ical().decode("utf-8")


def ical_items(data: bytes) -> list[Item]:
    """Every component and every property (with its parameters) of the calendar."""
    calendar = icalendar.Calendar.from_ical(data)
    items: list[Item] = []
    for component in calendar.walk():
        items.append(("component", component.name, len(component.subcomponents)))
        for name in component:
            found: Any = component[name]
            values = found if isinstance(found, list) else [found]
            for value in values:
                params = sorted(value.params.items())
                names = tuple(k for k, _ in params)
                texts = tuple(str(v) for _, v in params)
                items.append(("property", component.name, name, names, (texts, _ical_value(value))))
    return items


def _vcard_value(value: Any) -> Any:
    if isinstance(value, vobject.vcard.Name):
        return (value.family, value.given, value.additional, value.prefix, value.suffix)
    if isinstance(value, list):
        return tuple(value)
    return value


_CARET = re.compile(r"\^([n'^])")


def _caret(value: str) -> str:
    """Undo RFC 6868 parameter value encoding (vobject leaves it)."""
    return _CARET.sub(lambda m: {"n": "\n", "'": '"', "^": "^"}[m.group(1)], value)


def vcard_items(data: bytes) -> list[Item]:
    """Every card and every property (with its parameters) of every card.

    vobject reads every card as vCard 3.0, where a URL is TEXT (it cuts one at an unescaped
    comma); in a 4.0 card a URL is a URI, written unescaped, so its raw value is taken instead.
    """
    text = data.decode("utf-8")
    raw_urls = iter(
        vobject.base.parseLine(line)[2]
        for line, _number in vobject.base.getLogicalLines(io.StringIO(text))
        if line.upper().startswith("URL")
    )
    items: list[Item] = []
    for card in vobject.readComponents(text, validate=False):
        children = list(card.getChildren())
        items.append(("card", card.name, len(children)))
        version = card.version.value
        for line in children:
            params = sorted(line.params.items())
            names = tuple(k for k, _ in params)
            texts = tuple(tuple(_caret(v) for v in values) for _, values in params)
            value = _vcard_value(line.value)
            if line.name == "URL":
                raw = next(raw_urls)
                value = raw if version == "4.0" else value
            items.append(("property", line.name, names, (texts, value)))
    return items


_SVG = "{http://www.w3.org/2000/svg}"
#: Attributes of the page's drawings that place their labels (not what the labels say).
_LAYOUT = frozenset({"x", "y", "text-anchor"})


def html_items(data: bytes) -> list[Item]:
    """Every element, attribute and text node of the page, in document order."""
    document = html5lib.parse(data, namespaceHTMLElements=False)
    items: list[Item] = []

    def walk(element: Any) -> None:
        items.append(("element", element.tag, tuple(sorted(element.attrib))))
        for name in sorted(element.attrib):
            value = element.attrib[name]
            if name == "href" and value.startswith("mailto:"):
                value = urllib.parse.unquote(value)
            if element.tag.startswith(_SVG) and name in _LAYOUT:
                value = ""  # where a drawing puts a label depends on its length: layout only
            items.append(("attribute", element.tag, name, value))
        if element.text:
            items.append(("text", element.tag, element.text))
        for child in element:
            # The map draws a leader line to a label placed away from its city: whether it needs
            # one depends on the label's length, not on what the label says. Left out here.
            if child.get("class") == "lt-map-leader":
                continue
            walk(child)
            if child.tail:
                items.append(("text", element.tag, child.tail))

    walk(document)
    return items


PARSERS: dict[str, Callable[[bytes], list[Item]]] = {
    "json": json_items,
    "ical": ical_items,
    "vcard": vcard_items,
    "html": html_items,
    "geojson": geojson_items,
}

_LINE_BREAK = re.compile("\r\n|\r")
_VCARD_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _lf(text: str) -> str:
    return _LINE_BREAK.sub("\n", text)


#: How each format writes a text: iCalendar TEXT and HTML carry a line break as LF; vCard also
#: turns U+2028/U+2029 into LF and a tab into a space (its TEXT has no tab); JSON keeps all.
NORMALISE: dict[str, Callable[[str], str]] = {
    "json": lambda text: text,
    "ical": _lf,
    "vcard": lambda text: _VCARD_BREAK.sub("\n", text).replace("\t", " "),
    "html": _lf,
    "geojson": lambda text: text,
}


def expected(value: Any, twins: Twins, normalise: Callable[[str], str]) -> Any:
    """The plain *value* with every token followed by its (normalised) payload."""
    if isinstance(value, tuple):
        return tuple(expected(v, twins, normalise) for v in value)
    if not isinstance(value, str):
        return value

    def grow(match: re.Match[str]) -> str:
        token = match.group()
        if token in twins.url_tokens:
            return token + URL_PAYLOAD
        if token in twins.email_tokens:
            return token + EMAIL_PAYLOAD
        return token + normalise(twins.payloads[token])

    return _TOKEN.sub(grow, value)


def tokens_in(items: list[Item]) -> set[str]:
    """The tokens found anywhere in *items*."""
    return set(_TOKEN.findall(repr(items)))


@functools.cache
def _plain_items(fmt: str, locale: str, options: tuple[tuple[str, Any], ...]) -> list[Item]:
    """The parsed export of the plain twin (the same for every payload)."""
    return PARSERS[fmt](lt.export(twins("long").plain, fmt, locale=locale, **dict(options)))


def compare(fmt: str, twins: Twins, locale: str, options: dict[str, Any]) -> set[str]:
    """Export both twins, check shape and text, and return the tokens the output showed."""
    parse = PARSERS[fmt]
    plain = _plain_items(fmt, locale, tuple(sorted(options.items())))
    hostile = parse(lt.export(twins.hostile, fmt, locale=locale, **options))
    assert [item[:-1] for item in plain] == [item[:-1] for item in hostile]
    want = [expected(item[-1], twins, NORMALISE[fmt]) for item in plain]
    assert want == [item[-1] for item in hostile]
    return tokens_in(plain)


# -- the tests -------------------------------------------------------------------------------


class TestFormats:
    """Every built-in format is tested here."""

    def test_all_built_in_formats_are_registered(self) -> None:
        assert EXPECTED_FORMATS == set(BUILTIN)

    def test_every_format_has_a_parser(self) -> None:
        assert set(BUILTIN) <= set(PARSERS)


def _ids(target: tuple[str, dict[str, Any]]) -> str:
    name, options = target
    return "-".join([name, *(str(v) for v in options.values())])


class TestTwins:
    """The twins are built as described: the model accepts every payload, in every text field."""

    def test_every_text_field_holds_a_token(self) -> None:
        t = twins("line-breaks")
        assert len(t.payloads) > 250
        assert "Tok" not in json.dumps(CANONICAL)

    def test_the_hostile_twin_holds_the_payloads(self) -> None:
        t = twins("injection")
        description = t.hostile.partnerships[0].description["nl"]
        assert description.endswith(PAYLOADS["injection"] + END)
        assert t.hostile.home_city.name.endswith(one_line(PAYLOADS["injection"]) + END)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("target", TARGETS, ids=_ids)
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
class TestHostileStrings:
    """No payload adds or drops a component, property, card, event or element; text survives."""

    def test_round_trip(
        self, payload: str, target: tuple[str, dict[str, Any]], locale: str
    ) -> None:
        fmt, options = target
        shown = compare(fmt, twins(payload), locale, options)
        assert len(shown) >= 5  # the output shows data from the dataset, not only labels


class TestBlankLines:
    """A blank line in a text starts a new paragraph in the page, and only there."""

    def test_paragraphs(self) -> None:
        t = Twins("a\r\n\r\nb\n\n\nc")
        plain = html_items(lt.export(t.plain, "html", locale="en"))
        hostile = html_items(lt.export(t.hostile, "html", locale="en"))

        def elements(items: list[Item], *, paragraphs: bool) -> list[Item]:
            return [i for i in items if i[0] == "element" and (i[1] == "p") is paragraphs]

        assert elements(plain, paragraphs=False) == elements(hostile, paragraphs=False)
        added = len(elements(hostile, paragraphs=True)) - len(elements(plain, paragraphs=True))
        texts = [i[-1] for i in hostile if i[0] == "text"]
        split = len([text for text in texts if _TOKEN.fullmatch(text.removesuffix("a"))])
        assert (2 * split, split, split) == (added, texts.count("b"), texts.count("c" + END))
        assert split > 0
        for fmt, options in TARGETS:
            if fmt != "html":
                compare(fmt, t, "en", options)


class TestNoActiveContent:
    """Whatever the payload, the page holds no script, handler or javascript: link."""

    @pytest.mark.parametrize("locale", LOCALES)
    def test_page(self, locale: str) -> None:
        items = html_items(lt.export(twins("markup").hostile, "html", locale=locale))
        assert [] == [i for i in items if i[:2] == ("element", "script")]
        assert [] == [i for i in items if i[0] == "attribute" and i[2].startswith("on")]
        links = [i[-1] for i in items if i[0] == "attribute" and i[2] in {"href", "src", "action"}]
        assert [] == [link for link in links if link.strip().lower().startswith("javascript:")]


class TestRejectedStrings:
    """Control characters in text and line breaks in names are clean DatasetErrors at their path."""

    @pytest.mark.parametrize(
        ("where", "value"),
        [
            (("cities", 1, "description", "nl"), "a\x00b"),
            (("cities", 1, "description", "en"), "bell\x07"),
            (("cities", 1, "description", "en"), "\x1b[31mred"),
            (("cities", 1, "description", "en"), "next line\x85"),
            (("cities", 1, "description", "en"), "\x7f"),
            (("cities", 1, "description", "en"), "vertical\x0btab"),
            (("cities", 1, "name"), "Den\nHaag"),
            (("cities", 1, "name"), "Den\rHaag"),
            (("cities", 1, "name"), "Den\r\nHaag"),
            (("cities", 1, "name"), "Den\u2028Haag"),
            (("contacts", 0, "name", "given"), "Marjan\u2029X"),
            (("cities", 1, "name"), "Den\x00Haag"),
            (("cities", 1, "name"), "   "),
            (("contacts", 0, "name", "family"), "Jonge\nBEGIN:VCARD"),
            (("sources", 0, "title"), "title\x1b]0;evil\x07"),
        ],
    )
    def test_rejected(self, where: tuple[Any, ...], value: str) -> None:
        document = json.loads(json.dumps(CANONICAL))
        node = document
        for key in where[:-1]:
            node = node[key]
        node[where[-1]] = value
        with pytest.raises(lt.DatasetError) as info:
            lt.loads(json.dumps(document))
        path = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in where).lstrip(".")
        assert [path] == [p.partition(": ")[0] for p in info.value.problems]
        assert all(p.isprintable() for p in info.value.problems)


#: Characters the model accepts in free text: anything but C0/C1 controls (TAB, LF, CR allowed).
_TEXT_CHARS = st.characters(
    exclude_categories=["Cs"],
    exclude_characters=[chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (9, 10, 13)],
)


@pytest.mark.parametrize("target", TARGETS, ids=_ids)
class TestAnyText:
    """Random text in fields every exporter shows round-trips like the fixed payloads."""

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(st.text(_TEXT_CHARS, min_size=1, max_size=40))
    def test_round_trip(self, target: tuple[str, dict[str, Any]], text: str) -> None:
        fmt, options = target
        line = one_line(text)
        if fmt == "html" and re.search(r"\n\s*\n", _lf(text)):
            text = line = re.sub(r"\s", "_", text)  # a blank line makes paragraphs: TestBlankLines
        t = Twins(text, line_payload=line)
        compare(fmt, t, "en", options)


class TestCountsImpliedByTheData:
    """With every payload at once, the outputs hold exactly the items the dataset implies."""

    def test_events(self) -> None:
        t = twins("injection")
        data = lt.export(t.hostile, "ical", locale="en", history=True)
        calendar = icalendar.Calendar.from_ical(data)
        year = t.hostile.revision.year
        events = lt.calendar_events(t.hostile, from_year=year, to_year=year + 10)
        assert [e.uid for e in events] == [str(c["UID"]) for c in calendar.walk("VEVENT")]
        assert 1 == len(calendar.walk("VCALENDAR"))

    @pytest.mark.parametrize("version", ["3.0", "4.0"])
    def test_cards(self, version: str) -> None:
        t = twins("injection")
        data = lt.export(t.hostile, "vcard", locale="en", vcard_version=version)
        cards = list(vobject.readComponents(data.decode("utf-8"), validate=False))
        plain = lt.export(t.plain, "vcard", locale="en", vcard_version=version)
        assert plain.count(b"BEGIN:VCARD\r\n") == len(cards) == data.count(b"BEGIN:VCARD\r\n")
        # Persons first, in dataset order, then organisations: one card each, never two.
        persons = [c.name.full for c in t.hostile.contacts if c.name is not None]
        names = [str(card.fn.value) for card in cards]
        organisations = {f.name for f in t.hostile.foundations}
        organisations |= {i.name for i in t.hostile.institutions}
        assert persons == names[: len(persons)]
        assert set(names[len(persons) :]) <= organisations
        assert len(names) == len(set(names))
        assert len(cards) == len({str(card.uid.value) for card in cards})

    def test_page(self) -> None:
        t = twins("markup")
        document = html5lib.parse(
            lt.export(t.hostile, "html", locale="en"), namespaceHTMLElements=False
        )
        ids = [e.get("id") for e in document.iter() if e.get("id")]
        assert len(ids) == len(set(ids))
        ties = [p.id for p in t.hostile.partnerships]
        assert ties == [i for i in ids if i in set(ties)]
        assert 1 == len(document.findall(".//body"))
        assert [] == document.findall(".//script") + document.findall(".//iframe")

    def test_json(self) -> None:
        t = twins("unicode")
        assert t.hostile_document == json.loads(lt.export(t.hostile, "json"))
