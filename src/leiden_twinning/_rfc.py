r"""Content lines of the text/directory family (vCard 3.0 and 4.0): escaping, cleaning and folding.

The rules, shared by RFC 2425/2426 (vCard 3.0) and RFC 6350 (vCard 4.0):

- a content line is ``NAME;PARAM=VALUE:value`` ended by CRLF;
- a line longer than 75 octets is folded: CRLF and one space are inserted, never inside a UTF-8
  character (folding happens after escaping and unfolding before unescaping, so an escape may
  straddle a fold, as RFC 6350 section 3.2 allows);
- in a TEXT value ``\``, ``,``, ``;`` and a line break are escaped as ``\\``, ``\,``, ``\;``
  and ``\n``; the components of a structured value (``N``, ``ORG``) are escaped one by one and
  joined with ``;``, the items of a list (``CATEGORIES``) with ``,``;
- no value holds a control character: every line break (CR LF, CR, LF, NEL, U+2028, U+2029, ...)
  becomes the one line break the format has, a tab becomes a space, and every other control
  character (and any lone surrogate, which UTF-8 cannot encode) is removed;
- a parameter value holding ``,``, ``;`` or ``:`` is quoted; ``^``, ``"`` and line breaks in it are
  written as ``^^``, ``^'`` and ``^n`` (RFC 6868).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "FOLD_OCTETS",
    "clean",
    "content_line",
    "escape_list",
    "escape_structured",
    "escape_text",
    "fold",
    "fold_icalendar",
    "fold_icalendar_text",
    "param_value",
]

#: The longest a physical line may be, in octets, without its CRLF.
FOLD_OCTETS = 75
CRLF = b"\r\n"
_FOLD = b"\r\n "
#: The smallest limit that holds a continuation space and a 4-octet character.
_MIN_LIMIT = 5
#: icalendar's physical lines: at most 74 octets, besides a continuation line's leading space.
_ICAL_CHUNK = FOLD_OCTETS - 1
#: ``\`` and ``^``: the octets that start an escape (TEXT, RFC 6868).
_ESCAPE_STARTS = (0x5C, 0x5E)
_ESCAPE_CHARACTERS = "\\^"

#: Every sequence a reader may take for a line break (what :meth:`str.splitlines` splits on).
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
#: Control characters (C0 but LF, DEL, C1) and lone surrogates: never written.
_UNWRITABLE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_TEXT_SPECIALS = re.compile(r"[\\,;\n]")
_TEXT_ESCAPES = {"\\": "\\\\", ",": "\\,", ";": "\\;", "\n": "\\n"}
_NAME = re.compile(r"^[A-Za-z0-9-]+$")


def clean(value: str) -> str:
    r"""Return *value* with every line break as ``\n`` and no other control character.

    >>> clean("a\r\nb\rc\u2028d\te\x00f")
    'a\nb\nc\nd ef'
    """
    if value.isprintable():
        # Most values: no character of the categories Cc, Cs, Zl or Zp (every line break, control
        # character and lone surrogate is in one), so nothing to replace or remove.
        return value
    value = _LINE_BREAK.sub("\n", value).replace("\t", " ")
    return _UNWRITABLE.sub("", value)


def escape_text(value: str) -> str:
    r"""Escape a cleaned TEXT value: ``\``, ``,``, ``;`` and line breaks.

    >>> print(escape_text("a,b;c\\d\ne"))
    a\,b\;c\\d\ne
    """
    # Four scans in C beat one regular expression with a callback; "\\" goes first, so that
    # the backslashes the others add are not doubled. A printable value holds no line break.
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    if value.isprintable():
        return value
    escaped = value.replace("\n", "\\n")
    if escaped.isprintable():
        # Only LFs (a note's lines, say): the value is clean as it is.
        return escaped
    return clean(value).replace("\n", "\\n")


def escape_structured(components: Sequence[str]) -> str:
    """Escape the components of a structured value (``N``, ``ORG``) and join them with ``;``.

    >>> escape_structured(["de Jonge", "Marjan", "", "", ""])
    'de Jonge;Marjan;;;'
    """
    return ";".join(escape_text(c) for c in components)


def escape_list(items: Iterable[str]) -> str:
    r"""Escape the items of a list value (``CATEGORIES``, ``NICKNAME``) and join them with ``,``.

    >>> escape_list(["Buffalo City", "a,b"])
    'Buffalo City,a\\,b'
    """
    return ",".join(escape_text(item) for item in items)


def param_value(value: str) -> str:
    """A parameter value: RFC 6868 caret encoding, quoted when it holds ``,``, ``;`` or ``:``.

    >>> param_value("work")
    'work'
    >>> param_value("Jonge,Marjan")
    '"Jonge,Marjan"'
    """
    encoded = clean(value).replace("^", "^^").replace("\n", "^n").replace('"', "^'")
    if any(c in encoded for c in ",;:"):
        return f'"{encoded}"'
    return encoded


def content_line(name: str, value: str, params: Iterable[tuple[str, str]] = ()) -> str:
    """Assemble ``NAME;PARAM=VALUE:value``; *value* and the parameter values must be escaped.

    >>> content_line("TEL", "+31 71 514 1720", [("TYPE", "WORK,VOICE")])
    'TEL;TYPE=WORK,VOICE:+31 71 514 1720'
    """
    params = tuple(params)
    for part in (name, *(p for p, _ in params)):
        if not _is_name(part):
            msg = f"{part!r} is not a property or parameter name"
            raise ValueError(msg)
    if not value.isprintable() and (_LINE_BREAK.search(value) or _UNWRITABLE.search(value)):
        msg = f"{name}: the value holds a line break or a control character"
        raise ValueError(msg)
    if not params:
        return f"{name}:{value}"
    head = "".join([name, *(f";{p}={v}" for p, v in params)])
    return f"{head}:{value}"


@functools.lru_cache(maxsize=256)
def _is_name(part: str) -> bool:
    """Whether *part* may be a property or parameter name; an exporter uses a handful of them."""
    return _NAME.match(part) is not None


def fold(line: str, limit: int = FOLD_OCTETS) -> bytes:
    r"""Encode *line* as UTF-8 and fold it into physical lines of at most *limit* octets, with CRLF.

    A continuation line starts with one space, which counts towards its *limit*. A multi-octet
    character is never split, so a line folded before one may be up to 3 octets short.

    >>> [len(physical) for physical in fold("NOTE:" + "é" * 40).split(b"\r\n")]
    [75, 11, 0]
    """
    if limit < _MIN_LIMIT:
        msg = f"a folding limit of {limit} octets leaves no room for a space and 4 octets"
        raise ValueError(msg)
    if len(line) <= limit and line.isascii():
        # Most lines: short and ASCII, so as many octets as characters.
        return line.encode("ascii") + CRLF
    data = line.encode("utf-8")
    size = len(data)
    if size <= limit:
        return data + CRLF
    pieces = []
    start = 0
    room = limit
    while size - start > room:
        cut = start + room
        # Step back to the first octet of the character that does not fit.
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
        room = limit - 1  # the leading space of a continuation line
    pieces.append(data[start:])
    return _FOLD.join(pieces) + CRLF


def fold_icalendar(line: str) -> bytes:
    r"""Fold *line* exactly as icalendar 7 does (``Contentline.to_ical``), with CRLF.

    icalendar cuts a physical line at 74 octets rather than 75 (not counting the space that starts
    a continuation line), never inside a UTF-8 character, and moves a ``\`` or ``^`` that would end
    a physical line to the next one, so that an escape sequence is never split by a fold.

    >>> fold_icalendar("DESCRIPTION:" + "x" * 61 + "\\,")
    b'DESCRIPTION:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n \\,\r\n'
    """
    data = line.encode("utf-8")
    if len(data) <= _ICAL_CHUNK:
        return data + CRLF
    return _fold_icalendar(data)


def _fold_icalendar(data: bytes) -> bytes:
    """:func:`fold_icalendar` of a line longer than a physical line, given as UTF-8."""
    size = len(data)
    pieces = []
    start = 0
    while size - start > _ICAL_CHUNK:
        cut = start + _ICAL_CHUNK
        while data[cut] & 0xC0 == 0x80:
            cut -= 1
        if data[cut - 1] in _ESCAPE_STARTS and cut - 1 > start:
            cut -= 1
        pieces.append(data[start:cut])
        start = cut
    pieces.append(data[start:])
    return _FOLD.join(pieces) + CRLF


def fold_icalendar_text(line: str) -> str:
    r"""Fold the content line *line* as icalendar folds it, with CRLF, as text rather than bytes.

    Encoded as UTF-8, the result is the line's bytes as icalendar writes them (those of
    :func:`~leiden_twinning.exporting.ical_lines`), and so is any number of folded lines joined
    and then encoded at once: a writer can encode a block of many lines in one call instead of
    one call per line. An ASCII line is folded without being encoded. The value in *line* must
    already be escaped (:func:`~leiden_twinning.exporting.ical_text`): a raw line break in it
    would start a new line.

    >>> from leiden_twinning.exporting import ical_fold  # this function's public name
    >>> ical_fold("DESCRIPTION:" + "x" * 61 + "\\,")
    'DESCRIPTION:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n \\,\r\n'
    """
    if not line.isascii():
        data = line.encode("utf-8")
        if len(data) <= _ICAL_CHUNK:
            return line + "\r\n"
        # Folding adds ASCII only, between whole characters: the folded octets decode.
        return _fold_icalendar(data).decode("utf-8")
    size = len(line)
    if size <= _ICAL_CHUNK:
        return line + "\r\n"
    pieces = []
    start = 0
    while size - start > _ICAL_CHUNK:
        cut = start + _ICAL_CHUNK
        if line[cut - 1] in _ESCAPE_CHARACTERS and cut - 1 > start:
            cut -= 1
        pieces.append(line[start:cut])
        start = cut
    pieces.append(line[start:])
    return "\r\n ".join(pieces) + "\r\n"
