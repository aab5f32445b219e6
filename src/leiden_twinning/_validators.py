"""The attrs validators shared by the model and the exporter specs: one rule for each check.

Every pattern is applied with :meth:`re.Pattern.fullmatch`: with ``match``, a ``$`` in the
pattern would let a trailing line break through (a format name ``csv`` and a line feed).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import attrs

__all__ = ["CONTROL", "LINE_BREAKS", "Pattern", "is_one_line", "line", "pattern", "text"]

#: C0 and C1 control characters other than TAB, LF and CR, which text may hold, and lone
#: surrogates, which are not characters at all (no UTF-8 encoder writes them).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: The characters that break a line in a name: LF, CR and the Unicode line and paragraph
#: separators (vCard would turn those into a line break).
LINE_BREAKS = "\n\r\u2028\u2029"


class Pattern:
    """A validator: the whole value matches :attr:`regex`; :attr:`what` names the form.

    A class rather than a closure, so that the JSON Schema reads :attr:`regex` from it; a plain
    one, not an attrs class, whose methods every start of the command would compile.
    """

    __slots__ = ("optional", "regex", "what")

    def __init__(self, regex: re.Pattern[str], what: str, optional: bool = False) -> None:
        self.regex = regex
        self.what = what
        #: ``None`` passes.
        self.optional = optional

    def __repr__(self) -> str:
        return f"Pattern({self.regex!r}, {self.what!r}, optional={self.optional!r})"

    def __call__(self, _inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, str) or not self.regex.fullmatch(value):
            msg = f"{attribute.name}: {value!r} is not {self.what}"
            raise ValueError(msg)


def pattern(regex: re.Pattern[str], what: str, *, optional: bool = False) -> Pattern:
    """A :class:`Pattern` validator (``None`` passes when *optional*)."""
    return Pattern(regex, what, optional)


def is_one_line(value: str) -> bool:
    """Whether *value* holds no control character and no line break."""
    return not CONTROL.search(value) and not any(brk in value for brk in LINE_BREAKS)


def line(_inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    """A one-line, non-empty name: no control characters and no line breaks; ``None`` passes."""
    if value is None:
        return
    if not isinstance(value, str) or not value.strip():
        msg = f"{attribute.name}: must not be empty"
        raise ValueError(msg)
    if not is_one_line(value):
        msg = f"{attribute.name}: must be one line without control characters"
        raise ValueError(msg)


def text(_inst: object, attribute: attrs.Attribute[Any], value: str | None) -> None:
    """Free text: may hold line breaks, never other control characters; ``None`` passes."""
    if value is not None and CONTROL.search(value):
        msg = f"{attribute.name}: contains a control character"
        raise ValueError(msg)
