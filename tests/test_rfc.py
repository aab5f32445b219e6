"""The shared content-line helpers: escaping, cleaning, parameter values and octet folding."""

from __future__ import annotations

import re

import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st
from icalendar.parser import Contentline

from leiden_twinning._rfc import (
    clean,
    content_line,
    escape_list,
    escape_structured,
    escape_text,
    fold,
    fold_icalendar,
    fold_icalendar_text,
    param_value,
)

any_text = st.text(st.characters(codec="utf-8"), max_size=400)


def unescape(value: str) -> str:
    """The reader's side of :func:`escape_text`, written from RFC 6350 section 3.4."""
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def old_fold(line: str, limit: int = 75) -> bytes:
    """The character-by-character folding that :func:`fold` replaced: the reference to equal."""
    out = bytearray()
    used = 0
    for char in line:
        token = char.encode("utf-8")
        if used + len(token) > limit:
            out += b"\r\n "
            used = 1
        out += token
        used += len(token)
    out += b"\r\n"
    return bytes(out)


#: Lines that exercise folding: ASCII, 2-, 3- and 4-octet characters, escapes near the cut.
fold_text = st.text(
    st.one_of(
        st.sampled_from(["x", "\\", "^", ",", ";", "é", "東", "🇳", "\U0001f600", " "]),
        st.characters(codec="utf-8", exclude_characters="\r\n"),
    ),
    max_size=300,
)


def icalendar_fold(line: str) -> bytes:
    """icalendar's own folding of one content line, with the CRLF it puts between lines."""
    folded: bytes = Contentline(line).to_ical()  # type: ignore[no-untyped-call]
    return folded + b"\r\n"


def unfold(data: bytes) -> str:
    assert data.endswith(b"\r\n")
    return data[:-2].replace(b"\r\n ", b"").decode("utf-8")


class TestClean:
    """Every line break becomes LF, a tab a space, and no other control character is left."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("a\r\nb", "a\nb"),
            ("a\rb", "a\nb"),
            ("a\u2028b\u2029c\x85d", "a\nb\nc\nd"),
            ("a\x0bb\x0cc", "a\nb\nc"),
            ("a\tb", "a b"),
            ("a\x00\x1b\x7f\x9fb", "ab"),
            ("a\ud800b", "ab"),
            ("Łódź 東京 🇳🇱", "Łódź 東京 🇳🇱"),
        ],
    )
    def test_examples(self, raw: str, expected: str) -> None:
        assert expected == clean(raw)

    @given(any_text)
    def test_no_control_character_survives(self, value: str) -> None:
        cleaned = clean(value)

        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", cleaned)
        assert cleaned == clean(cleaned)


class TestEscaping:
    """TEXT values escape backslash, comma, semicolon and line breaks, and nothing else."""

    def test_examples(self) -> None:
        assert r"a\\b\,c\;d\ne:f" == escape_text("a\\b,c;d\ne:f")
        assert r"de Jonge;Marjan;;;" == escape_structured(["de Jonge", "Marjan", "", "", ""])
        assert r"a\;b;c" == escape_structured(["a;b", "c"])
        assert r"Leiden city ties,a\,b" == escape_list(["Leiden city ties", "a,b"])

    @given(any_text)
    def test_round_trip(self, value: str) -> None:
        escaped = escape_text(value)

        assert clean(value) == unescape(escaped)
        assert not re.search(r"(?<!\\)(?:\\\\)*[,;]", escaped)  # no bare separator is left
        assert "\n" not in escaped

    @given(st.lists(any_text, min_size=1, max_size=5))
    def test_structured_components_split_back(self, components: list[str]) -> None:
        joined = escape_structured(components)
        parts = re.split(r"(?<!\\)((?:\\\\)*);", joined)
        # re.split keeps the captured even runs of backslashes; glue them back to their part.
        rebuilt = [parts[0]]
        for i in range(1, len(parts), 2):
            rebuilt[-1] += parts[i]
            rebuilt.append(parts[i + 1])

        assert [clean(c) for c in components] == [unescape(p) for p in rebuilt]


class TestParameters:
    """Parameter values are caret-encoded (RFC 6868) and quoted when they must be."""

    @pytest.mark.parametrize(
        ("raw", "expected"),
        [
            ("work", "work"),
            ("Jonge,Marjan", '"Jonge,Marjan"'),
            ("a:b", '"a:b"'),
            ('say "hi"^', "say ^'hi^'^^"),
            ("two\nlines", "two^nlines"),
        ],
    )
    def test_examples(self, raw: str, expected: str) -> None:
        assert expected == param_value(raw)

    def test_content_line(self) -> None:
        line = content_line("TEL", "tel:+31-71-514-1720", [("VALUE", "uri"), ("TYPE", "work")])

        assert "TEL;VALUE=uri;TYPE=work:tel:+31-71-514-1720" == line

    @pytest.mark.parametrize(
        ("name", "value", "params"),
        [
            ("NO TE", "x", []),
            ("NOTE:", "x", []),
            ("NOTE", "x", [("TY;PE", "a")]),
            ("NOTE", "a\nb", []),
            ("NOTE", "a\rb", []),
            ("NOTE", "a\x00b", []),
        ],
    )
    def test_content_line_refuses_what_would_break_the_line(
        self, name: str, value: str, params: list[tuple[str, str]]
    ) -> None:
        with pytest.raises(ValueError, match=r"name|line break"):
            content_line(name, value, params)


class TestFold:
    """Lines fold at 75 octets with CRLF and a space, never inside a UTF-8 character."""

    def test_a_short_line_is_left_alone(self) -> None:
        assert b"FN:Marjan de Jonge\r\n" == fold("FN:Marjan de Jonge")

    def test_exactly_75_octets_is_not_folded(self) -> None:
        assert 1 == fold("X" * 75).count(b"\r\n")
        assert b"X" * 75 + b"\r\n X\r\n" == fold("X" * 76)

    def test_multibyte_characters_stay_whole(self) -> None:
        folded = fold("NOTE:" + "東" * 60)  # 3 octets each

        lines = folded[:-2].split(b"\r\n")
        assert [74, 73, 40] == [len(line) for line in lines]
        for line in lines:
            line.decode("utf-8")

    @given(any_text.map(clean))
    def test_round_trip_and_limits(self, value: str) -> None:
        line = "NOTE:" + escape_text(value)
        folded = fold(line)

        assert line == unfold(folded)
        physical = folded[:-2].split(b"\r\n")
        for i, part in enumerate(physical):
            assert len(part) <= 75
            part.decode("utf-8")
            if i:
                assert part.startswith(b" ")
            if i + 1 < len(physical):
                # Folded only because the next character did not fit.
                next_char = physical[i + 1][1:].decode("utf-8")[:1].encode("utf-8")
                assert len(part) + len(next_char) > 75


class TestFastFold:
    """The fast :func:`fold` writes the old bytes, and ``fold_icalendar`` icalendar's."""

    @given(fold_text, st.integers(min_value=5, max_value=120))
    def test_fold_equals_the_old_implementation(self, line: str, limit: int) -> None:
        """Any line at any workable limit folds to the same bytes as before."""
        assert old_fold(line, limit) == fold(line, limit)

    @pytest.mark.parametrize("size", [0, 1, 74, 75, 76, 149, 150, 151, 224, 225, 226, 1000])
    def test_fold_at_the_boundaries(self, size: int) -> None:
        """ASCII lines around multiples of the limit fold as before."""
        assert old_fold("N" * size) == fold("N" * size)

    def test_fold_refuses_a_limit_without_room(self) -> None:
        """A limit too small for a 4-octet character and the space is an error, not a loop."""
        with pytest.raises(ValueError, match="4 octets"):
            fold("abc", 4)

    @given(fold_text.map(lambda s: "DESCRIPTION:" + s))
    def test_fold_icalendar_equals_icalendar(self, line: str) -> None:
        """Content lines fold exactly as icalendar's ``Contentline.to_ical`` folds them."""
        assert icalendar_fold(line) == fold_icalendar(line)

    @pytest.mark.parametrize(
        "tail",
        ["\\,", "^^", "\\\\", "x\\", "é\\n", "東^n", "\\" * 80, "^" * 80, "🇳🇱" * 30],
    )
    def test_fold_icalendar_keeps_escapes_whole(self, tail: str) -> None:
        """An escape that would straddle the cut moves to the next line, as icalendar moves it."""
        for pad in range(55, 80):
            line = "X-A:" + "a" * pad + tail
            assert icalendar_fold(line) == fold_icalendar(line)

    @given(fold_text.map(lambda s: "DESCRIPTION:" + s))
    def test_fold_icalendar_text_equals_icalendar(self, line: str) -> None:
        """The text folding, encoded, is icalendar's folding of the line, ASCII or not."""
        assert icalendar_fold(line) == fold_icalendar_text(line).encode("utf-8")

    @pytest.mark.parametrize(
        "tail",
        ["\\,", "^^", "\\\\", "x\\", "é\\n", "東^n", "\\" * 80, "^" * 80, "🇳🇱" * 30],
    )
    def test_fold_icalendar_text_keeps_escapes_whole(self, tail: str) -> None:
        """The text folding moves an escape that would straddle a cut as icalendar does."""
        for pad in range(55, 80):
            for line in ("X-A:" + "a" * pad + tail, "X-A:é" + "a" * pad + tail):
                assert icalendar_fold(line) == fold_icalendar_text(line).encode("utf-8")

    @given(st.lists(fold_text.map(lambda s: "X-A:" + s), max_size=5))
    def test_fold_icalendar_text_encodes_in_one_block(self, lines: list[str]) -> None:
        """Folded lines joined and encoded at once are the lines folded to bytes one by one."""
        expected = b"".join(fold_icalendar(line) for line in lines)
        assert expected == "".join(map(fold_icalendar_text, lines)).encode("utf-8")

    @given(fold_text.map(lambda s: "X-A:" + s))
    def test_fold_icalendar_round_trips(self, line: str) -> None:
        """Unfolding gives the line back, and no physical line is longer than 75 octets."""
        folded = fold_icalendar(line)

        assert line == unfold(folded)
        assert all(len(part) <= 75 for part in folded.split(b"\r\n"))

    @given(any_text.map(clean))
    def test_vobject_reads_folded_cards(self, value: str) -> None:
        """vobject, an independent parser, unfolds and unescapes a long NOTE back to the text."""
        card = b"".join(
            fold(line)
            for line in (
                "BEGIN:VCARD",
                "VERSION:3.0",
                "FN:" + escape_text("Ærø 東京 " + value[:40]),
                "N:;;;;",
                "NOTE:" + escape_text(value),
                "END:VCARD",
            )
        )

        parsed = vobject.readOne(card.decode("utf-8"))
        assert clean(value) == parsed.note.value


# -- the helpers as they were before their fast paths: the references to equal ---------------

_OLD_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_OLD_UNWRITABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_OLD_TEXT_ESCAPES = {"\\": "\\\\", ",": "\\,", ";": "\\;", "\n": "\\n"}
_OLD_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def old_clean(value: str) -> str:
    """:func:`clean` before its fast path: two substitutions on every value."""
    return _OLD_UNWRITABLE.sub("", _OLD_LINE_BREAK.sub("\n", value).replace("\t", " "))


def old_escape_text(value: str) -> str:
    """:func:`escape_text` before its fast path: a substitution with a callback."""
    return re.sub(r"[\\,;\n]", lambda m: _OLD_TEXT_ESCAPES[m.group()], old_clean(value))


def old_content_line(name: str, value: str, params: list[tuple[str, str]]) -> str:
    """:func:`content_line` before its fast path: every name and the value searched each time."""
    for part in (name, *(p for p, _ in params)):
        if not _OLD_NAME.match(part):
            msg = f"{part!r} is not a property or parameter name"
            raise ValueError(msg)
    if _OLD_LINE_BREAK.search(value) or _OLD_UNWRITABLE.search(value):
        msg = f"{name}: the value holds a line break or a control character"
        raise ValueError(msg)
    head = "".join([name, *(f";{p}={v}" for p, v in params)])
    return f"{head}:{value}"


#: Text full of what each branch of the fast paths looks for: every line break, tab, control
#: characters, lone surrogates, separators, characters that are not printable but are written
#: (no-break space, soft hyphen, zero-width joiner, ideographic space), and anything else.
hostile_text = st.text(
    st.one_of(
        st.sampled_from(
            [
                *"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t\x00\x1b\x7f\x9f",
                "\ud800",
                "\udfff",
                *"\\,;:^\"'",
                *"\xa0\xad\u200d\u3000\ufeff",
                "a",
                "東",
                "\U0001f600",
            ]
        ),
        st.characters(),
    ),
    max_size=60,
)
names = st.sampled_from(["NOTE", "X-A", "TEL", "tel", "NO TE", "NOTE:", "TEL\n", "", "É"])


class TestFastPathsEqualTheOldHelpers:
    """Each helper's fast path gives what the helper gave before, hostile strings included."""

    @given(hostile_text)
    def test_clean(self, value: str) -> None:
        """Cleaning: the same text, whether the value is printable or not."""
        assert old_clean(value) == clean(value)

    @given(hostile_text)
    def test_escape_text(self, value: str) -> None:
        """Escaping: printable values, values with only LFs, and values to clean."""
        assert old_escape_text(value) == escape_text(value)

    @given(st.lists(hostile_text, max_size=4))
    def test_structured_and_list_values(self, values: list[str]) -> None:
        """Structured and list values join the escaped parts as before."""
        assert ";".join(old_escape_text(v) for v in values) == escape_structured(values)
        assert ",".join(old_escape_text(v) for v in values) == escape_list(values)

    @given(hostile_text)
    def test_param_value(self, value: str) -> None:
        """Parameter values clean as before before their caret encoding."""
        encoded = old_clean(value).replace("^", "^^").replace("\n", "^n").replace('"', "^'")
        expected = f'"{encoded}"' if any(c in encoded for c in ",;:") else encoded
        assert expected == param_value(value)

    @given(names, hostile_text, st.lists(st.tuples(names, st.text(max_size=5)), max_size=2))
    def test_content_line(self, name: str, value: str, params: list[tuple[str, str]]) -> None:
        """The same line, or the same refusal, for any name, value and parameters."""
        try:
            expected = old_content_line(name, value, params)
        except ValueError as error:
            with pytest.raises(ValueError, match="^" + re.escape(str(error)) + "$"):
                content_line(name, value, params)
        else:
            assert expected == content_line(name, value, params)
            assert expected == content_line(name, value, iter(params))

    def test_every_printable_character_is_clean(self) -> None:
        """What the fast paths rely on: no printable character is a line break or unwritable."""
        printable = "".join(c for c in map(chr, range(0x110000)) if c.isprintable())
        assert not _OLD_LINE_BREAK.search(printable)
        assert not _OLD_UNWRITABLE.search(printable)
