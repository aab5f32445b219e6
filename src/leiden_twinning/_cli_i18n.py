"""What lets the command line speak one language: argparse's own words, and translated errors.

argparse writes its words ("usage:", "options", "invalid choice", ...) through the ``gettext``
function of its own module, bound to the process-wide default domain. Instead of changing that
global state, the command builds its parsers from :class:`Parser`, which takes a language:

- the words of ``--help`` (the usage prefix, the group headings, the ``-h`` help) come straight
  from the package's catalog;
- an error message argparse has already written in English is matched against argparse's message
  templates (:data:`ARGPARSE_MESSAGES`, which are messages of the package's catalog) and written
  again from the translated template with the same values.

Library errors keep their English ``str()``; :func:`error_text` writes them from their
``message_id`` and ``params`` in the chosen language, and :func:`os_error_text` does the same for
the errors of the file system.
"""

from __future__ import annotations

import argparse
import errno
import functools
import re
from typing import TYPE_CHECKING, Any, NoReturn

from leiden_twinning._i18n import N_, _translations

if TYPE_CHECKING:
    import gettext

__all__ = [
    "ARGPARSE_MESSAGES",
    "Parser",
    "error_text",
    "os_error_text",
    "problem_text",
    "translate_argparse",
]

#: Exit status for a malformed command line (argparse's own).
EXIT_USAGE = 2

#: argparse's messages that the command can show, as argparse spells them (its ``msgid``). The
#: ``%(name)s``/``%s`` placeholders stay in the translation; the order of ``%s`` ones too.
ARGPARSE_MESSAGES = (
    # Translators: argparse: an error that wraps another one; %(argument_name)s is an option
    # or an argument (e.g. "--max-contact-age"), %(message)s the problem. Keep both.
    N_("argument %(argument_name)s: %(message)s"),
    # Translators: argparse: an error; %s lists the words of the command line it did not expect.
    N_("unrecognized arguments: %s"),
    # Translators: argparse: an error; %(value)r is what was typed, %(choices)s the allowed ones.
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    # Translators: argparse: an error; %s lists what is missing (e.g. "FILE").
    N_("the following arguments are required: %s"),
    # Translators: argparse: an error after an option that needs a value but got none.
    N_("expected one argument"),
    # Translators: argparse: an error after an option that takes at most one value.
    N_("expected at most one argument"),
    # Translators: argparse: an error after an option that needs at least one value.
    N_("expected at least one argument"),
    # Translators: argparse: an error; %(type)s is the kind of value (e.g. "whole number"),
    # %(value)r what was typed.
    N_("invalid %(type)s value: %(value)r"),
    # Translators: argparse: an error; %(option)s is a shortened option, %(matches)s the options
    # it could stand for.
    N_("ambiguous option: %(option)s could match %(matches)s"),
    # Translators: argparse: an error; %s is the other option (they cannot be used together).
    N_("not allowed with argument %s"),
    # Translators: argparse: an error; %s lists options of which one must be given.
    N_("one of the arguments %s is required"),
    # Translators: argparse: an error; %r is a value given to an option that takes none.
    N_("ignored explicit argument %r"),
)

#: The kinds of value argparse names in "invalid %(type)s value", by the name of the function
#: that converts them.
_TYPE_NAMES = {
    # Translators: a kind of value in an error, as in "invalid whole number value: 'ten'".
    "int": N_("whole number"),
    # Translators: a kind of value in an error, as in "invalid number value: 'ten'".
    "float": N_("number"),
    # Translators: a kind of value in an error, as in "invalid date value: '2026-13-01'".
    "date": N_("date"),
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%[sr]")


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression that matches what *template* gives, capturing each value."""
    pieces: list[str] = []
    position = 0
    unnamed = 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append(re.escape(template[position : match.start()]))
        if match.group(1):
            name = match.group(1)
        else:
            name = f"_{unnamed}"
            unnamed += 1
        pieces.append(f"(?P<{name}>.+?)")
        position = match.end()
    pieces.append(re.escape(template[position:]))
    return re.compile("".join(pieces), re.DOTALL)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each of argparse's templates with its pattern, compiled on the first error to translate."""
    return tuple((template, _pattern(template)) for template in ARGPARSE_MESSAGES)


def translate_argparse(message: str, translations: gettext.NullTranslations) -> str:
    """*message*, an error argparse wrote in English, in the language of *translations*.

    A message that matches none of :data:`ARGPARSE_MESSAGES` comes back as it is.
    """
    for template, pattern in _patterns():
        match = pattern.fullmatch(message)
        if match is None:
            continue
        values = match.groupdict()
        if "message" in values:
            values["message"] = translate_argparse(values["message"], translations)
        if "type" in values and values["type"] in _TYPE_NAMES:
            values["type"] = translations.gettext(_TYPE_NAMES[values["type"]])
        # The values are already written (repr included): put them in as text.
        translated = translations.gettext(template).replace(")r", ")s").replace("%r", "%s")
        try:
            if any(name.startswith("_") for name in values):
                return translated % tuple(values[name] for name in sorted(values))
            return translated % values
        except (TypeError, ValueError, KeyError):  # a broken translation: say it in English
            return message
    return message


def _render(value: Any, translations: gettext.NullTranslations) -> Any:
    """A param of an error, with a nested library error translated too."""
    from leiden_twinning.exceptions import LeidenTwinningError  # noqa: PLC0415

    if isinstance(value, LeidenTwinningError):
        return error_text(value, translations)
    return value


def error_text(exc: BaseException, translations: gettext.NullTranslations) -> str:
    """The message of a library error in the language of *translations*, on one line.

    An error with a ``message_id`` is written from the translated template and its ``params``;
    one without is its English ``str()``.
    """
    message_id = getattr(exc, "message_id", None)
    if message_id is None:
        return str(exc).replace("\n", " ")
    params = {name: _render(value, translations) for name, value in exc.params.items()}  # type: ignore[attr-defined]
    try:
        text = translations.gettext(message_id).format(**params)
    except (KeyError, IndexError, ValueError, AttributeError):  # a broken translation
        text = str(exc)
    return str(text).replace("\n", " ")


def problem_text(problem: object, translations: gettext.NullTranslations) -> str:
    """One problem of a :class:`~leiden_twinning.DatasetError` in the chosen language.

    The hook for problems that carry a ``message_id`` and ``params`` (and a ``path`` inside the
    document, written before the message as ``path: message``); a problem that is a plain string
    is shown as it is.
    """
    message_id = getattr(problem, "message_id", None)
    if message_id is None:
        return str(problem)
    params = getattr(problem, "params", {})
    try:
        text = str(translations.gettext(message_id).format(**params))
    except (KeyError, IndexError, ValueError, AttributeError):  # a broken translation
        text = str(message_id).format(**params)
    path = getattr(problem, "path", None)
    return f"{path}: {text}" if path else text


#: Plain words for the errors of the file system a user meets most, by ``errno``.
_OS_REASONS = {
    # Translators: why a file could not be read or written.
    errno.ENOENT: N_("no such file or folder"),
    # Translators: why a file could not be read or written.
    errno.EACCES: N_("permission denied"),
    # Translators: why a file could not be read or written.
    errno.EPERM: N_("permission denied"),
    # Translators: why a file could not be read or written: the name is a folder.
    errno.EISDIR: N_("this is a folder, not a file"),
    # Translators: why a file could not be read or written: a part of its path is a file.
    errno.ENOTDIR: N_("a part of the path is not a folder"),
    # Translators: why a file could not be written.
    errno.ENOSPC: N_("the disk is full"),
    # Translators: why a file could not be written.
    errno.EROFS: N_("the disk can only be read"),
    # Translators: why a file or folder could not be made.
    errno.EEXIST: N_("it already exists"),
}


def os_error_text(exc: OSError, translations: gettext.NullTranslations) -> str:
    """``FILE: reason`` for an error of the file system, the reason in plain translated words.

    A reason the command has no words for is the system's own text.
    """
    key = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    reason = translations.gettext(key) if key else (exc.strerror or str(exc))
    return f"{exc.filename or ''}: {reason}".lstrip(": ")


class _Formatter(argparse.HelpFormatter):
    """argparse's help layout, with the usage line's prefix in the chosen language."""

    def __init__(self, prog: str, translations: gettext.NullTranslations) -> None:
        super().__init__(prog)
        self._t = translations

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        if prefix is None:
            # Translators: argparse: starts the first line of help and of an error of the
            # command line ("usage: leiden-twinning ..."); keep the space at the end.
            prefix = self._t.gettext("usage: ")
        super().add_usage(usage, actions, groups, prefix)

    def _metavar_formatter(self, action: argparse.Action, default_metavar: str) -> Any:
        """The placeholders of the help, one word each.

        A translated one may hold a space or a bracket, which argparse's usage wrapping cannot
        handle (it fails an assertion).
        """
        inner = super()._metavar_formatter(action, default_metavar)

        def format_(tuple_size: int) -> tuple[str, ...]:
            return tuple(_one_word(part) for part in inner(tuple_size))

        return format_


def _one_word(metavar: str) -> str:
    """*metavar* with each run of spaces and brackets replaced by a dash (``{a,b}`` kept)."""
    if metavar.startswith("{") and metavar.endswith("}"):
        return metavar
    return re.sub(r"[\s\[\]()]+", "-", metavar.strip()) or "-"


class Parser(argparse.ArgumentParser):
    """An argument parser that speaks *language*, with one-line errors and exit status 2.

    *locale_option* adds ``--locale`` (every command has it); *locale_help* is its help text.
    """

    def __init__(
        self,
        *,
        language: str = "en",
        locale_option: bool = False,
        add_help: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(add_help=False, **kwargs)
        self.language = language
        t = self.translations
        # Translators: argparse: the heading of the arguments of --help given without a dash.
        self._positionals.title = t.gettext("positional arguments")
        # Translators: argparse: the heading of the options (words with dashes) of --help.
        self._optionals.title = t.gettext("options")
        if add_help:
            self.add_argument(
                "-h",
                "--help",
                action="help",
                default=argparse.SUPPRESS,
                # Translators: argparse: help of -h/--help.
                help=t.gettext("show this help message and exit"),
            )
        if locale_option:
            self.add_argument(
                "--locale",
                default=argparse.SUPPRESS,
                metavar=locale_metavar(language),
                help=locale_help(language),
            )

    @property
    def translations(self) -> gettext.NullTranslations:
        """The catalog of the parser's language."""
        return _translations(self.language)

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _Formatter(self.prog, self.translations)

    def error(self, message: str) -> NoReturn:
        """Print a one-line error in the parser's language and exit with status 2."""
        t = self.translations
        self.exit(EXIT_USAGE, error_line(self.prog, translate_argparse(message, t), t))


def error_line(prog: str, message: str, translations: gettext.NullTranslations) -> str:
    """``PROG: error: MESSAGE`` and a newline, in the language of *translations*."""
    # Translators: the start of every error line; keep %(prog)s and %(message)s.
    return translations.gettext("%(prog)s: error: %(message)s\n") % {
        "prog": prog,
        "message": message,
    }


def warning_line(prog: str, message: str, translations: gettext.NullTranslations) -> str:
    """``PROG: warning: MESSAGE`` and a newline, in the language of *translations*."""
    # Translators: the start of every warning line; keep {prog} and {message}.
    line = translations.gettext("{prog}: warning: {message}")
    return line.format(prog=prog, message=message) + "\n"


def locale_metavar(language: str) -> str:
    """The placeholder of ``--locale``'s value in ``--help``."""
    # Translators: the placeholder of --locale's value in --help (capitals, one word).
    return _translations(language).gettext("LANGUAGE")


def locale_help(language: str) -> str:
    """The help of ``--locale``."""
    # Translators: help of the --locale option; keep the codes (nl, en, de, es, ja, pl, nl_BE)
    # and LANG as they are.
    return _translations(language).gettext(
        "the language to use: nl, en, de, es, ja or pl, or a regional form such as nl_BE "
        "(default: the language of your computer, from LANG, else English)"
    )
