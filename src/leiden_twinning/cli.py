"""The ``leiden-twinning`` command: show, validate, list formats and languages, export.

Every error a user can cause (a bad dataset, an unknown locale or format, a failing plugin, an
unwritable path) ends in one line per problem on standard error and a non-zero exit, never in a
traceback: status 1 for a problem of the input or the environment, 2 for a malformed command
line (``export`` without a format included), 70 for a bug of ours, 130 after Ctrl-C. Files are
written atomically: a failed export leaves no partial file and leaves an existing file exactly as
it was.

One language per run: ``--locale`` (every command has it), else ``LC_ALL``, ``LC_MESSAGES`` or
``LANG``, else English. Everything printed follows it, argparse's own words included (see
:mod:`leiden_twinning._cli_i18n`).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import functools
import gc
import os
import re
import secrets
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning._cli_i18n import (
    Parser,
    error_line,
    error_text,
    os_error_text,
    problem_text,
    warning_line,
)
from leiden_twinning._i18n import N_, _translations, environment_language
from leiden_twinning.exceptions import DatasetError, LeidenTwinningError, UnknownLocaleError

if TYPE_CHECKING:
    import gettext
    from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

    from leiden_twinning._dataset import Dataset
    from leiden_twinning._exporter import Exporter

__all__ = ["default_locale", "main"]

PROG = "leiden-twinning"
#: Exit status for a problem with the input or the environment.
EXIT_ERROR = 1
#: Exit status for a malformed command line (argparse's own), ``export`` without a format too.
EXIT_USAGE = 2
#: Exit status for a bug of ours (``EX_SOFTWARE`` of BSD's sysexits.h).
EXIT_INTERNAL = 70
#: Exit status after Ctrl-C, as shells report it (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: Windows opens files in text mode unless asked not to.
_O_BINARY = getattr(os, "O_BINARY", 0)


def default_locale(environ: Mapping[str, str] | None = None) -> str:
    """The language to speak when ``--locale`` is not given.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides (the POSIX order):
    its language when the package has a catalog for it (``de``, ``en``, ``es``, ``ja``, ``nl``,
    ``pl``), else English; ``C`` and ``POSIX`` are English, and so is an empty environment.
    """
    return environment_language(os.environ if environ is None else environ)


def _asked_locale(argv: Sequence[str]) -> str | None:
    """The value of the last ``--locale`` on the command line, before parsing it."""
    asked = None
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word == "--locale" and i + 1 < len(argv):
            asked = argv[i + 1]
        elif word.startswith("--locale="):
            asked = word.partition("=")[2]
    return asked


def _subparser_class(language: str) -> Any:
    """What every command's parser is built from: it speaks *language* and takes ``--locale``.

    A command that declares its own ``--locale`` replaces this one (``conflict_handler``).
    """
    return functools.partial(
        Parser, language=language, locale_option=True, conflict_handler="resolve"
    )


def _fail(message: str, t: gettext.NullTranslations) -> int:
    sys.stderr.write(error_line(PROG, message, t))
    return EXIT_ERROR


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside *path* and rename it over *path* only on success.

    A symbolic link is followed, so the link stays and its target gets the new content. The file
    keeps the permissions of the file it replaces; a new file gets the usual umask-based mode.
    When the body raises, the temporary file is removed and *path* is left exactly as it was.
    """
    target = path.resolve()
    directory = target.parent
    for _attempt in range(100):  # pragma: no branch - a collision of 64 random bits is rare
        tmp = directory / f".{target.name}.{secrets.token_hex(8)}.tmp"
        try:
            # O_EXCL: never reuse a file someone else made; 0o666 lets the umask decide the mode.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, 0o666)
            break
        except FileExistsError:  # pragma: no cover
            continue
        except OSError as exc:  # name the file asked for, not the temporary one
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None
    else:  # pragma: no cover
        raise FileExistsError(errno.EEXIST, "no free temporary file name", os.fspath(directory))
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if target.exists():
            tmp.chmod(target.stat().st_mode & 0o7777)
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def _file_metavar(t: gettext.NullTranslations) -> str:
    # Translators: the placeholder of a file name in --help (capitals, one word).
    return t.gettext("FILE")


def _folder_metavar(t: gettext.NullTranslations) -> str:
    # Translators: the placeholder of a folder name in --help (capitals, one word).
    return t.gettext("FOLDER")


def _dataset_help(language: str) -> str:
    _ = _translations(language).gettext
    # Translators: help of the --dataset option; FILE is the placeholder of the file name.
    return _("read the ties from FILE instead of Leiden's own data")


#: Every command, in the order ``--help`` lists them.
COMMANDS = (
    "show",
    "validate",
    "formats",
    "languages",
    "export",
    "sync",
    "publish",
    "serve",
    "datasets",
    "schema",
    "init",
)
#: The options of the command line itself that take no value.
_TOP_FLAGS = frozenset({"--version", "--debug"})


def _command_of(argv: Sequence[str]) -> str | None:
    """The command *argv* runs, where argparse will surely take that word as the command.

    Only the command line's own flags and ``--locale`` may come before it; anything else (``-h``,
    an abbreviated or unknown option, no command, an unknown one) gives ``None``.
    """
    words = iter(argv)
    for word in words:
        if word in _TOP_FLAGS or word.startswith("--locale="):
            continue
        if word == "--locale":
            next(words, None)
            continue
        return word if word in COMMANDS else None
    return None


def _build_parser(language: str, command: str | None = None) -> Parser:
    """The parser of the command line; with *command*, only that command's parser inside.

    A parser with one command parses a command line that runs it exactly as the whole one
    does (see :func:`_command_of`); only ``--help`` and the errors about the command's name
    need the others, and they get the whole parser.
    """
    t = _translations(language)
    _ = t.gettext

    def wanted(name: str) -> bool:
        return command is None or command == name

    parser = Parser(
        prog=PROG,
        language=language,
        locale_option=True,
        # Translators: the description at the top of `leiden-twinning --help`.
        description=_("Leiden's twinning and friendship ties: show, check and export them."),
    )
    # Translators: help of a command-line option.
    parser.add_argument("--version", action="store_true", help=_("show the version and exit"))
    parser.add_argument(
        "--debug",
        action="store_true",
        # Translators: help of a command-line option: for a bug report.
        help=_("show the technical details of an internal error, to report it"),
    )
    sub = parser.add_subparsers(
        dest="command",
        # Translators: the placeholder of a command's name in --help (capitals, one word).
        metavar=_("COMMAND"),
        parser_class=_subparser_class(language),
    )
    if wanted("show"):
        _add_show_command(sub, language)
    if wanted("validate"):
        _add_validate_command(sub, language)
    if wanted("formats"):
        # Translators: help of the `formats` command.
        formats_help = _(
            "list the kinds of file the data can be exported to, and who provides each"
        )
        sub.add_parser("formats", help=formats_help, description=formats_help)
    if wanted("languages"):
        # Translators: help of the `languages` command.
        languages_help = _("list the languages this program speaks, and how complete each one is")
        sub.add_parser("languages", help=languages_help, description=languages_help)
    if wanted("export"):
        _add_export_command(sub, language)
    _add_site_commands(sub, language, wanted)
    _add_data_commands(sub, language, wanted)
    return parser


def _add_show_command(sub: Any, language: str) -> None:
    """Register ``show``."""
    t = _translations(language)
    _ = t.gettext
    # Translators: help of the `show` command.
    show_help = _("show the ties with the partner cities, or one of them in detail")
    show = sub.add_parser("show", help=show_help, description=show_help)
    show.add_argument(
        "city",
        nargs="?",
        # Translators: the placeholder of a city's name in --help (capitals, one word).
        metavar=_("CITY"),
        # Translators: help of the CITY argument of `show`.
        help=_("a partner city, by name (accents may be left out)"),
    )
    show.add_argument(
        "--dataset", type=Path, metavar=_file_metavar(t), help=_dataset_help(language)
    )


def _add_validate_command(sub: Any, language: str) -> None:
    """Register ``validate``."""
    t = _translations(language)
    _ = t.gettext
    # Translators: help of the `validate` command.
    validate_help = _("check a data file and list every mistake in it")
    validate = sub.add_parser("validate", help=validate_help, description=validate_help)
    validate.add_argument(
        "file",
        type=Path,
        metavar=_file_metavar(t),
        # Translators: help of the FILE argument of `validate`.
        help=_("the data file to check"),
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        # Translators: help of `validate --strict`; keep --max-contact-age as it is.
        help=_("also list contact details older than --max-contact-age years, as mistakes"),
    )
    validate.add_argument(
        "--max-contact-age",
        type=int,
        default=10,
        # Translators: the placeholder of a number of years in --help (capitals, one word).
        metavar=_("YEARS"),
        # Translators: help of `validate --max-contact-age`.
        help=_("after how many years contact details count as out of date (default: 10)"),
    )


def _add_export_command(sub: Any, language: str) -> None:
    """Register ``export``: the shared options; each format's own come with its parser."""
    t = _translations(language)
    _ = t.gettext
    # Translators: help of the `export` command; keep the format names as they are.
    export_help = _(
        "save the data as a file: a web page (html), a calendar (ical), contacts (vcard), "
        "data (json, geojson) or a format an add-on provides"
    )
    export = sub.add_parser("export", help=export_help, add_help=False)
    export.add_argument("format", metavar=_format_metavar(t), nargs="?")
    export.add_argument(
        "-h",
        "--help",
        action="store_true",
        # Translators: help of `export --help`.
        help=_("show this help and the choices of the format"),
    )
    _add_export_arguments(export, language)


def _format_metavar(t: gettext.NullTranslations) -> str:
    # Translators: the placeholder of a format's name in --help (capitals, one word).
    return t.gettext("FORMAT")


def _load_dataset(path: Path | None) -> Any:
    return _dataset_by_name_or_path(None if path is None else str(path))


def _cmd_validate(args: argparse.Namespace, t: gettext.NullTranslations) -> int:
    from leiden_twinning._io import load_file  # noqa: PLC0415

    dataset = load_file(args.file)
    n = len(dataset.partnerships)
    # Translators: part of the summary of `validate`, e.g. "6 partnerships".
    counts = [t.ngettext("{n} partnership", "{n} partnerships", n).format(n=n)]
    n = len(dataset.cities)
    # Translators: part of the summary of `validate`, e.g. "7 cities".
    counts.append(t.ngettext("{n} city", "{n} cities", n).format(n=n))
    n = len(dataset.contacts)
    # Translators: part of the summary of `validate`, e.g. "12 contacts".
    counts.append(t.ngettext("{n} contact", "{n} contacts", n).format(n=n))
    n = len(dataset.activities)
    # Translators: part of the summary of `validate`, e.g. "20 activities".
    counts.append(t.ngettext("{n} activity", "{n} activities", n).format(n=n))
    # Translators: the one-line summary of `validate` for a good file; {counts} is e.g.
    # "6 partnerships, 7 cities, 12 contacts, 20 activities".
    line = t.gettext("{file}: valid: {counts}")
    print(line.format(file=args.file, counts=", ".join(counts)))
    if not args.strict:
        return 0
    stale = dataset.stale_contacts(args.max_contact_age)
    for contact in stale:
        if contact.as_of is None:
            # Translators: a warning of `validate --strict`: a contact without a date.
            warning = t.gettext("contact {id}: no as_of date, so its age is unknown")
        else:
            # Translators: a warning of `validate --strict`: a contact published too long ago.
            warning = t.gettext("contact {id}: published {year}, more than {n} years before {date}")
        _warn(
            [
                warning.format(
                    id=contact.id,
                    year=contact.as_of.year if contact.as_of else "",
                    n=args.max_contact_age,
                    date=dataset.revision.isoformat(),
                )
            ],
            t,
        )
    return 1 if stale else 0


def _cmd_show(args: argparse.Namespace, locale: str) -> int:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._show import render  # noqa: PLC0415

    dataset = _load_dataset(args.dataset)
    print(render(dataset, i18n(locale), args.city), end="")
    return 0


def _warn(failures: Iterable[object], t: gettext.NullTranslations) -> None:
    for failure in failures:
        sys.stderr.write(warning_line(PROG, str(failure), t))


def _origin(exporter: Exporter) -> str:
    plugin = exporter.plugin or "?"
    return f"{exporter.distribution} ({plugin})" if exporter.distribution else plugin


def _width(text: str) -> int:
    """The columns *text* takes in a terminal: two for a wide (East Asian) character."""
    import unicodedata  # noqa: PLC0415

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(rows: Sequence[Sequence[str]]) -> None:
    """Print *rows* in columns two spaces apart; the last column is not padded."""
    widths = [max((_width(row[i]) for row in rows), default=0) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row[:-1])]
        print("  ".join([*cells, row[-1]]))


def _cmd_formats(locale: str, t: gettext.NullTranslations) -> int:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._plugins import describe, registry  # noqa: PLC0415

    loc = i18n(locale)
    reg = registry()
    rows = [
        (e.name, f".{e.extension}", describe(e, loc), _origin(e))
        for e in sorted(reg.exporters.values(), key=lambda e: e.name)
    ]
    if rows:
        _table(rows)
    _warn(reg.failures, t)
    return 0


def _cmd_languages(locale: str) -> int:
    """Print each catalog language: tag, own name, name in the chosen language, completeness."""
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._languages import languages  # noqa: PLC0415

    loc = i18n(locale)
    _table(
        [
            (lang.tag, lang.name(), lang.name(locale), loc.percent(round(lang.completeness * 100)))
            for lang in languages()
        ]
    )
    return 0


def _add_export_arguments(parser: argparse.ArgumentParser, language: str) -> None:
    """The options every format shares, on the ``export`` parser and on a format's own."""
    t = _translations(language)
    _ = t.gettext
    parser.add_argument(
        "--dataset", type=Path, metavar=_file_metavar(t), help=_dataset_help(language)
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar=_file_metavar(t),
        # Translators: help of --output; FILE is the placeholder of the file name.
        help=_(
            "save to FILE (a FILE that exists is replaced only when the new one is complete); "
            "without it, the result is printed"
        ),
    )
    parser.add_argument(
        "--split",
        type=Path,
        metavar=_folder_metavar(t),
        # Translators: help of --split; FOLDER is the placeholder of the folder name.
        help=_("save one file per item in FOLDER, for the formats that can (ical, vcard)"),
    )


def _format_parser(exporter: Exporter, locale: str, language: str) -> Parser:
    """The parser of ``export FORMAT``: the shared options and the format's own."""
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._plugins import describe, option_help  # noqa: PLC0415

    _ = _translations(language).gettext
    parser = Parser(
        prog=f"{PROG} export {exporter.name}",
        language=language,
        locale_option=True,
        description=describe(exporter, i18n(locale)),
        # Translators: the last line of `export FORMAT --help`; {origin} names a plugin's package.
        epilog=_("provided by {origin}").format(origin=_origin(exporter)),
        allow_abbrev=False,
    )
    _add_export_arguments(parser, language)
    if not exporter.options:
        return parser
    # Translators: the heading of a format's own options in `export FORMAT --help`.
    heading = _("options of the {format} format")
    loc = i18n(locale)
    group = parser.add_argument_group(heading.format(format=exporter.name))
    for option in exporter.options:
        flag = "--" + (option.cli_name or option.name).replace("_", "-")
        help_text = option_help(exporter, option, loc)
        if option.flag:
            group.add_argument(
                flag,
                dest=option.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
            continue
        if option.default not in (None, ()):
            help_text = f"{help_text} [{option.default}]" if not option.multiple else help_text
        group.add_argument(
            flag,
            dest=option.name,
            type=option.convert,
            action="append" if option.multiple else "store",
            # Choices show themselves ({a,b}) unless the exporter names the value.
            metavar=_option_metavar(exporter, option, loc),
            choices=option.choices,
            default=None,
            help=help_text,
        )
    return parser


#: The placeholders of the built-in formats' options, for the catalog (they translate through
#: the format's ``translate``, like its help texts).
_OPTION_METAVARS = (
    # Translators: the placeholder of a year in --help (capitals, one word).
    N_("YEAR"),
    # Translators: the placeholder of a date in --help; keep the order year, month, day.
    N_("YYYY-MM-DD"),
    # Translators: the placeholder of a version number in --help (capitals, one word).
    N_("VERSION"),
)


def _option_metavar(exporter: Exporter, option: Any, loc: Any) -> str | None:
    """The placeholder of a format's option, in the chosen language where the format has it."""
    if option.metavar is None:
        # Choices show themselves ({a,b}); else the option's name in capitals.
        return None if option.choices else option.name.upper()
    if exporter.translate is None:
        return str(option.metavar)
    return str(exporter.translate(option.metavar, loc))


def _cmd_export(args: argparse.Namespace, rest: list[str], locale: str, language: str) -> int:
    from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415
    from leiden_twinning._plugins import registry  # noqa: PLC0415

    t = _translations(language)
    reg = registry()
    _warn(reg.failures, t)
    if args.format is None:
        if args.help:
            general = Parser(
                prog=f"{PROG} export",
                language=language,
                locale_option=True,
                # Translators: the list of formats under `export --help`; {formats} lists the names.
                epilog=t.gettext("formats: {formats}").format(
                    formats=", ".join(sorted(reg.exporters))
                ),
            )
            general.add_argument(
                "format",
                metavar=_format_metavar(t),
                # Translators: help of the FORMAT argument of `export`; keep FORMAT as it is.
                help=t.gettext(
                    "the kind of file to write; `export FORMAT --help` shows its choices"
                ),
            )
            _add_export_arguments(general, language)
            general.print_help()
            return 0
        # Translators: an error of `export` without a format; {formats} lists the format names.
        message = t.gettext("which format? Choose one of: {formats}")
        sys.stderr.write(
            error_line(PROG, message.format(formats=", ".join(sorted(reg.exporters))), t)
        )
        return EXIT_USAGE
    exporter = reg.get(args.format)
    parser = _format_parser(exporter, locale, language)
    if args.help:
        parser.print_help()
        return 0
    parsed = vars(parser.parse_args(rest))
    options = {
        option.name: parsed[option.name]
        for option in exporter.options
        if parsed[option.name] is not None
    }
    if args.split is not None and args.output is not None:
        # Translators: an error of `export`; keep --split and --output as they are.
        parser.error(t.gettext("--split and --output cannot be used together"))
    dataset = _load_dataset(args.dataset)
    tag = str(resolve_locale(locale))
    if args.split is not None:
        _export_split(exporter, dataset, args.split, locale=tag, options=options)
    elif args.output is None or str(args.output) == "-":
        _export_stdout(exporter, dataset, locale=tag, options=options)
    else:
        _export_file(exporter, dataset, args.output, locale=tag, options=options)
    return 0


#: Exports up to this size stay in memory on their way to standard output; larger ones spill.
_SPOOL_BYTES = 16 * 1024 * 1024


def _export_stdout(
    exporter: Exporter, dataset: Dataset, *, locale: str, options: dict[str, Any]
) -> None:
    """Write the whole export to standard output, or nothing at all when the exporter fails."""
    from leiden_twinning._plugins import write  # noqa: PLC0415

    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        write(dataset, exporter.name, spool, locale=locale, options=options)
        spool.seek(0)
        out = sys.stdout.buffer
        shutil.copyfileobj(spool, out)
        out.flush()


def _export_file(
    exporter: Exporter, dataset: Dataset, path: Path, *, locale: str, options: dict[str, Any]
) -> None:
    from leiden_twinning._plugins import write  # noqa: PLC0415

    with atomic_writer(path) as stream:
        write(dataset, exporter.name, stream, locale=locale, options=options)


def _export_split(
    exporter: Exporter, dataset: Dataset, directory: Path, *, locale: str, options: dict[str, Any]
) -> None:
    """Write one file per item into *directory*; nothing is written unless every part is built."""
    from leiden_twinning._plugins import parts  # noqa: PLC0415

    items = parts(dataset, exporter.name, locale=locale, options=options)
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in items:
        with atomic_writer(directory / name) as stream:
            stream.write(data)


def _run(args: argparse.Namespace, rest: list[str], language: str) -> int:
    """Run the command *args* names: messages in *language*, the rest in ``--locale`` or it."""
    locale = getattr(args, "locale", None) or language
    t = _translations(language)
    if args.command == "validate":
        return _cmd_validate(args, t)
    if args.command == "show":
        return _cmd_show(args, locale)
    if args.command == "formats":
        return _cmd_formats(locale, t)
    if args.command == "languages":
        return _cmd_languages(locale)
    if args.command in _SITE_COMMANDS:
        return _run_site_command(args, locale, language)
    if args.command in _DATA_COMMANDS:
        return _run_data_command(args, locale, language)
    return _cmd_export(args, rest, locale, language)


def _silence_stdout() -> None:
    """After a closed pipe (``| head``), send what is left to /dev/null so exit stays quiet."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _languages_of(argv: Sequence[str]) -> tuple[str, UnknownLocaleError | None]:
    """The language of the messages, and the error of an unknown ``--locale`` if there is one.

    ``--locale`` decides when it names a locale Babel knows (its language when the package has a
    catalog for it, else English); otherwise the environment does (:func:`default_locale`).
    """
    language = default_locale()
    asked = _asked_locale(argv)
    if asked is None:
        return language, None
    from leiden_twinning._i18n import message_language, resolve_locale  # noqa: PLC0415

    try:
        resolve_locale(asked)
    except UnknownLocaleError as exc:
        return language, exc
    return message_language(asked), None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    Without *argv* (the program itself: ``leiden-twinning``, ``python -m leiden_twinning``)
    the arguments are those of :data:`sys.argv`, and the process is about to end: what the run
    leaves is then frozen (:func:`gc.freeze`), so that the interpreter's last garbage
    collections at exit walk none of it. They would look in vain: the command is done, and
    every object still alive (the dataset, the CLDR data, the modules) goes with the process.
    """
    if argv is not None:
        return _main(list(argv))
    try:
        return _main(sys.argv[1:])
    finally:
        gc.freeze()


def _main(argv: list[str]) -> int:
    language, locale_error = _languages_of(argv)
    t = _translations(language)
    parser = _build_parser(language, _command_of(argv))
    args, rest = parser.parse_known_args(argv)
    if args.version:
        from leiden_twinning import __version__  # noqa: PLC0415

        print(f"{PROG} {__version__}")
        return 0
    if args.command != "export" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    if locale_error is not None:
        return _fail(error_text(locale_error, t), t)
    try:
        return _run(args, rest, language)
    except DatasetError as exc:
        where = f"{exc.file}: " if exc.file else ""
        for problem in exc.problems:
            sys.stderr.write(error_line(PROG, where + problem_text(problem, t), t))
        return EXIT_ERROR
    except LeidenTwinningError as exc:
        return _fail(error_text(exc, t), t)
    except BrokenPipeError:  # e.g. `| head` closed the pipe
        _silence_stdout()
        return EXIT_ERROR
    except OSError as exc:
        return _fail(os_error_text(exc, t), t)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # the promise: no traceback for a bug of ours, unless --debug
        if args.debug:
            traceback.print_exc()
        # Translators: the error line of a bug of the program; {error} is its technical name.
        message = t.gettext("internal error, please report it: {error}")
        _fail(message.format(error=f"{type(exc).__name__}: {exc}"), t)
        return EXIT_INTERNAL


# --- sync, publish and serve (issue 17): kept in one block, registered by two lines above ----

_SITE_COMMANDS = frozenset({"sync", "publish", "serve"})


def _add_site_commands(sub: Any, language: str, wanted: Callable[[str], bool]) -> None:
    """Register ``sync``, ``publish`` and ``serve``."""
    t = _translations(language)
    _ = t.gettext
    dataset_help = _dataset_help(language)
    file_metavar = _file_metavar(t)
    folder_metavar = _folder_metavar(t)

    # Translators: help of the `sync` command.
    sync_help = _("bring an online calendar or address book (CalDAV, CardDAV) up to date")
    # Translators: help of `sync --user`; {env} is an environment variable's name.
    user_help = _("your user name (the password comes from {env}, ~/.netrc or a question)")
    # Translators: help of `sync --dry-run`.
    dry_run_help = _("show what would change, and change nothing")
    # Translators: help of `sync --create`.
    create_help = _("create the calendar or address book if it does not exist yet")
    # Translators: help of `sync --ca-bundle`; FILE is the placeholder of the file name.
    ca_help = _("trust the server's security certificate in FILE")
    # Translators: help of `sync --timeout`.
    timeout_help = _("how many seconds to wait for each answer of the server")
    # Translators: help of `sync --partnership`.
    tie_help = _("only this tie (may be given more than once; default: every tie)")
    # Translators: help of the `publish` command; FOLDER is the placeholder of the folder name.
    publish_help = _("make a website in FOLDER: pages, calendars and contacts")
    # Translators: help of `publish --base-url`.
    base_help = _("the web address the site will have (adds links to subscribe to calendars)")
    # Translators: help of `publish --language`.
    language_help = _("a language of the pages (may be given more than once; default: all)")
    # Translators: help of `publish --serve` and `serve --port`.
    port_help = _("show the site on this computer only, at this port number")
    # Translators: help of the `serve` command.
    serve_help = _("show a website made by `publish` on this computer, to check it")
    # Translators: the placeholder of a web address in --help (capitals, one word).
    url_metavar = _("URL")
    # Translators: the placeholder of a port number in --help (capitals, one word).
    port_metavar = _("PORT")

    if wanted("sync"):
        sync = sub.add_parser("sync", help=sync_help, description=sync_help)
        sync.add_argument("format", choices=["ical", "vcard"], metavar=_format_metavar(t))
        sync.add_argument("url", metavar=url_metavar)
        # Translators: the placeholder of a user name in --help (capitals, one word).
        user_metavar = _("NAME")
        sync.add_argument(
            "--user", metavar=user_metavar, help=user_help.format(env="LEIDEN_TWINNING_PASSWORD")
        )
        sync.add_argument("--dry-run", action="store_true", help=dry_run_help)
        sync.add_argument("--create", action="store_true", help=create_help)
        sync.add_argument("--ca-bundle", metavar=file_metavar, help=ca_help)
        sync.add_argument(
            "--timeout",
            type=float,
            default=30.0,
            # Translators: the placeholder of a number of seconds in --help (capitals, one word).
            metavar=_("SECONDS"),
            help=timeout_help,
        )
        sync.add_argument(
            "--partnership",
            action="append",
            # Translators: the placeholder of a tie (a partner city) in --help (capitals, one word).
            metavar=_("TIE"),
            help=tie_help,
        )
        sync.add_argument("--dataset", type=Path, metavar=file_metavar, help=dataset_help)

    if wanted("publish"):
        publish = sub.add_parser("publish", help=publish_help, description=publish_help)
        publish.add_argument("directory", type=Path, metavar=folder_metavar)
        publish.add_argument("--base-url", metavar=url_metavar, help=base_help)
        publish.add_argument(
            "--language",
            action="append",
            # Translators: the placeholder of a language code in --help (capitals, one word).
            metavar=_("LANGUAGE"),
            help=language_help,
        )
        publish.add_argument("--dataset", type=Path, metavar=file_metavar, help=dataset_help)
        publish.add_argument("--serve", type=int, metavar=port_metavar, help=port_help)

    if wanted("serve"):
        serve = sub.add_parser("serve", help=serve_help, description=serve_help)
        serve.add_argument("directory", type=Path, metavar=folder_metavar)
        serve.add_argument("--port", type=int, default=8000, metavar=port_metavar, help=port_help)


def _run_site_command(args: argparse.Namespace, locale: str, language: str) -> int:
    """Run ``sync``, ``publish`` or ``serve``."""
    if args.command == "sync":
        return _cmd_sync(args, locale, language)
    if args.command == "publish":
        from leiden_twinning._publish import publish  # noqa: PLC0415

        publish(
            _load_dataset(args.dataset),
            args.directory,
            base_url=args.base_url,
            locales=args.language,
        )
        if args.serve is None:
            return 0
        return _serve(args.directory, args.serve, language)
    return _serve(args.directory, args.port, language)


def _serve(directory: Path, port: int, language: str) -> int:  # pragma: no cover - blocks
    from leiden_twinning._publish import serve  # noqa: PLC0415

    _ = _translations(language).gettext
    # Translators: printed when the preview server starts; {url} is its address.
    print(_("the site is at {url} (press Ctrl-C to stop)").format(url=f"http://127.0.0.1:{port}/"))
    serve(directory, port)
    return 0


def _cmd_sync(args: argparse.Namespace, locale: str, language: str) -> int:
    import getpass  # noqa: PLC0415

    from leiden_twinning._sync import SyncError, credentials, sync  # noqa: PLC0415

    _ = _translations(language).gettext
    ask = getpass.getpass if sys.stdin is not None and sys.stdin.isatty() else None
    try:
        auth = credentials(args.url, user=args.user, prompt=ask)
    except SyncError:
        if args.user is not None:
            raise
        auth = None  # no user given nor found: the server may need none
    verbose = sys.stderr.isatty()

    actions = {
        # Translators: an action in the plan of `sync`: a file to add on the server.
        "create": _("create"),
        # Translators: an action in the plan of `sync`: a file to change on the server.
        "update": _("update"),
        # Translators: an action in the plan of `sync`: a file to remove from the server.
        "delete": _("delete"),
        # Translators: an action in the plan of `sync`: a file that stays as it is.
        "unchanged": _("unchanged"),
    }
    width = max(_width(word) for word in actions.values())

    def line(change: Any) -> str:
        word = actions.get(change.action, change.action)
        return f"{word}{' ' * (width - _width(word))} {change.name}"

    def progress(change: Any) -> None:
        if verbose and change.action != "unchanged":
            print(line(change), file=sys.stderr)

    options = {"partnerships": args.partnership} if args.partnership else {}
    result = sync(
        _load_dataset(args.dataset),
        args.format,
        args.url,
        auth=auth,
        locale=locale,
        options=options,
        dry_run=args.dry_run,
        create=args.create,
        ca_bundle=args.ca_bundle,
        timeout=args.timeout,
        progress=progress,
    )
    if args.dry_run:
        if result.created_collection:
            # Translators: a line of `sync --dry-run`'s plan; {url} is the collection.
            print(_("create the calendar or address book {url}").format(url=result.url))
        for change in result.plan:
            print(line(change))
    for change in result.conflicts:
        # Translators: {name} is a file on the server that someone changed during the sync.
        message = _("{name}: changed on the server since it was read; the server's copy is kept")
        print(f"{PROG}: {message.format(name=change.name)}", file=sys.stderr)
    # Translators: the summary of `sync`; the counts are numbers of resources.
    summary = _("{create} to create, {update} to update, {delete} to delete, {unchanged} unchanged")
    counts = {a: result.count(a) for a in ("create", "update", "delete", "unchanged")}
    print(summary.format(**counts), file=sys.stderr)
    return EXIT_ERROR if result.conflicts else 0


# --- datasets, schema and init (issue 13): kept in one block, registered by two lines above ---

_DATA_COMMANDS = frozenset({"datasets", "schema", "init"})


def _add_data_commands(sub: Any, language: str, wanted: Callable[[str], bool]) -> None:
    """Register ``datasets``, ``schema`` and ``init``."""
    t = _translations(language)
    _ = t.gettext
    if wanted("datasets"):
        # Translators: help of the `datasets` command.
        datasets_help = _("list the datasets that plugins provide")
        sub.add_parser("datasets", help=datasets_help, description=datasets_help)
    if wanted("schema"):
        _add_schema_command(sub, t)
    if wanted("init"):
        _add_init_command(sub, t)


def _add_schema_command(sub: Any, t: gettext.NullTranslations) -> None:
    """Register ``schema``."""
    _ = t.gettext
    # Translators: help of the `schema` command.
    schema_help = _("print the JSON Schema of the dataset format")
    schema = sub.add_parser("schema", help=schema_help, description=schema_help)
    schema.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar=_file_metavar(t),
        # Translators: help of --output; FILE is the placeholder of the file name.
        help=_(
            "save to FILE (a FILE that exists is replaced only when the new one is complete); "
            "without it, the result is printed"
        ),
    )


def _add_init_command(sub: Any, t: gettext.NullTranslations) -> None:
    """Register ``init``: a starter dataset for another municipality."""
    _ = t.gettext
    # Translators: help of the `init` command.
    init_help = _("write a small, valid data file for your own municipality, to fill in")
    init = sub.add_parser("init", help=init_help, description=init_help)
    # Translators: help of `init --home`: the name of the municipality the file describes.
    home_help = _("your city's name")
    # Translators: the placeholder of a name in --help (capitals, one word).
    init.add_argument("--home", required=True, metavar=_("NAME"), help=home_help)
    init.add_argument(
        "--country",
        required=True,
        metavar="CC",
        # Translators: help of `init --country`.
        help=_("your country, as a two-letter code (NL, DE, PL, ...)"),
    )
    init.add_argument(
        "--language",
        default="en",
        metavar="LANG",
        # Translators: help of `init --language`.
        help=_("the language of your texts, e.g. nl or de (default: en)"),
    )
    init.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar=_file_metavar(t),
        # Translators: help of `init --output`; FILE is the placeholder of the file name.
        help=_("save to FILE, which must not exist yet; without it, the result is printed"),
    )


def _run_data_command(args: argparse.Namespace, locale: str, language: str) -> int:
    if args.command == "datasets":
        return _cmd_datasets(locale, language)
    if args.command == "init":
        return _cmd_init(args)
    return _cmd_schema(args)


def _slugify(name: str) -> str:
    """An id for *name*: ASCII lower-case letters, digits and hyphens."""
    import unicodedata  # noqa: PLC0415

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "home"


def starter_document(home: str, country: str, language: str, revision: str) -> dict[str, Any]:
    """A small dataset with every kind of entity once, for a municipality to fill in."""
    from leiden_twinning._schema import SCHEMA_ID  # noqa: PLC0415 - only when asked for

    slug = _slugify(home)
    tie = f"{slug}-partner-city"

    def text(value: str) -> dict[str, str]:
        return {language: value}

    source = ["council-decision"]
    return {
        "$schema": SCHEMA_ID,
        "schema_version": 2,
        "languages": [language],
        "home": slug,
        "revision": revision,
        "sources": [
            {
                "id": "council-decision",
                "title": "Replace with the title of the document that says these facts",
                "publisher": home,
                "date": revision[:4],
            }
        ],
        "cities": [
            {
                "id": slug,
                "name": home,
                "country": country.upper(),
                "description": text(f"Replace with a few words about {home}."),
            },
            {
                "id": "partner-city",
                "name": "Partner City",
                "country": country.upper(),
                "description": text("Replace with the partner city, its country and region."),
                "sources": source,
            },
        ],
        "partnerships": [
            {
                "id": tie,
                "city": "partner-city",
                "description": text("Replace with what the two cities do together."),
                "history": [
                    {
                        "date": revision[:4],
                        "kind": "signed",
                        "description": text("Replace with who signed, and where."),
                        "partnership_kind": "twinning",
                        "sources": source,
                    }
                ],
                "themes": ["culture"],
            }
        ],
        "foundations": [
            {
                "id": f"{tie}-foundation",
                "name": "Replace with the foundation that carries the tie",
                "partnership": tie,
                "description": text("Replace with what the foundation does."),
                "website": "https://example.org/",
                "sources": source,
            }
        ],
        "institutions": [
            {
                "id": f"{slug}-municipality",
                "name": f"Replace with the municipality of {home}",
                "kind": "municipality",
                "city": slug,
                "website": "https://example.org/",
                "sources": source,
            }
        ],
        "contacts": [
            {
                "id": f"{tie}-contact",
                "role": text("Replace with the contact's function"),
                "organisation": f"{tie}-foundation",
                "partnerships": [tie],
                "email": "info@example.org",
                "as_of": revision[:4],
                "sources": source,
            }
        ],
        "activities": [
            {
                "id": f"{tie}-exchange",
                "partnership": tie,
                "kind": "exchange",
                "title": text("Replace with an activity of the tie"),
                "description": text("Replace with what happens, and who takes part."),
                "themes": ["culture"],
                "sources": source,
            }
        ],
        "discrepancies": [
            {
                "id": "example-discrepancy",
                "subject": tie,
                "description": text(
                    "Replace with where two sources disagree, or delete this entry."
                ),
                "sources": source,
            }
        ],
    }


def _cmd_init(args: argparse.Namespace) -> int:
    import json  # noqa: PLC0415

    from leiden_twinning._io import loads  # noqa: PLC0415

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    today = (
        dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
        if epoch and epoch.isdigit()
        else dt.date.today()
    )
    document = starter_document(args.home, args.country, args.language, today.isoformat())
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    loads(text)  # the starter is valid, or the user's options are not (a DatasetError says which)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    with args.output.open("x", encoding="utf-8") as stream:  # never replaces a file
        stream.write(text)
    return 0


def _is_path(value: str) -> bool:
    """How ``--dataset`` tells a path from a name: a separator or a dot makes it a path."""
    return any(sep in value for sep in ("/", "\\", os.sep)) or "." in value


def _dataset_by_name_or_path(value: str | None) -> Any:
    """The dataset ``--dataset`` names: a file path, or the name of a plugin's dataset.

    A value with a path separator or a dot (``ties.json``, ``./delft``) is a path; else the name
    of a registered dataset; else, when a file of that name exists, that file.
    """
    from leiden_twinning._io import load, load_file  # noqa: PLC0415
    from leiden_twinning._plugins import registry  # noqa: PLC0415

    if value is None:
        return load()
    if _is_path(value):
        return load_file(value)
    if value not in registry().datasets and Path(value).is_file():
        return load_file(value)
    return load(value)


def _cmd_datasets(locale: str, language: str) -> int:
    from leiden_twinning._plugins import registry  # noqa: PLC0415
    from leiden_twinning.exceptions import LeidenTwinningError  # noqa: PLC0415

    translations = _translations(language)
    reg = registry()
    rows: list[tuple[str, str, str, str]] = []
    problems: list[str] = []
    for name in sorted(reg.datasets):
        entry = reg.datasets[name]
        origin = f"{entry.distribution} ({entry.plugin})" if entry.distribution else entry.plugin
        try:
            dataset = reg.dataset(name)
        except LeidenTwinningError as exc:
            problems.append(str(exc).replace("\n", " "))
            continue
        ties = len(dataset.partnerships)
        # Translators: a column of `datasets`: the number of partnerships of a dataset.
        count = translations.ngettext("{n} tie", "{n} ties", ties).format(n=ties)
        rows.append((name, dataset.home_city.name, count, origin or "?"))
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    for name, home, count, origin in rows:
        print(f"{name:<{widths[0]}}  {home:<{widths[1]}}  {count:<{widths[2]}}  {origin}")
    _warn(reg.failures, translations)
    _warn(problems, translations)
    del locale
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from leiden_twinning._schema import dumps  # noqa: PLC0415

    text = dumps()
    if args.output is None:
        sys.stdout.write(text)
        return 0
    with atomic_writer(args.output) as stream:
        stream.write(text.encode("utf-8"))
    return 0
