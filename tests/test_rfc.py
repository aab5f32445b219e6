"""The shared content-line helpers: escaping, cleaning, parameter values and octet folding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leiden_twinning._rfc import (
    clean,
    content_line,
    escape_list,
    escape_structured,
    escape_text,
    fold,
    param_value,
)

any_text = st.text(st.characters(codec="utf-8"), max_size=400)


def unescape(value: str) -> str:
    """The reader's side of :func:`escape_text`, written from RFC 6350 section 3.4."""
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


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
