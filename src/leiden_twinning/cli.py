"""The ``leiden-twinning`` command: show, validate, list formats and export.

Every error a user can cause (a bad dataset, an unknown locale or format, a failing plugin, an
unwritable path) ends in one line per problem on standard error and a non-zero exit, never in a
traceback. Files are written atomically: a failed export leaves no partial file and leaves an
existing file exactly as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from leiden_twinning._i18n import _translations
from leiden_twinning.exceptions import DatasetError, LeidenTwinningError

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = ["default_locale", "main"]

PROG = "leiden-twinning"
#: Exit status for a problem with the input or the environment.
EXIT_ERROR = 1
#: Exit status for a malformed command line (argparse's own).
EXIT_USAGE = 2


def default_locale(environ: dict[str, str] | None = None) -> str:
    """The locale to speak when ``--locale`` is not given.

    The first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set decides: ``en`` when its
    language is English, else Dutch, the language of the data.
    """
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            language = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            return "en" if language == "en" else "nl"
    return "nl"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, with the usual exit status 2."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return EXIT_ERROR


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[IO[bytes]]:
    """Write to a temporary file beside *path* and rename it over *path* only on success."""
    directory = path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            # Keep the mode of the file we replace; a new file gets the usual umask-based mode.
            os.chmod(tmp, path.stat().st_mode & 0o7777)  # noqa: PTH101
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # noqa: PTH101
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)  # noqa: PTH108
        raise


def _build_parser(language: str) -> _Parser:
    _ = _translations(language).gettext
    parser = _Parser(
        prog=PROG,
        # Translators: the description at the top of `leiden-twinning --help`.
        description=_("Leiden's twinning and friendship ties: show, check and export them."),
    )
    # Translators: help of a command-line option.
    parser.add_argument("--version", action="store_true", help=_("show the version and exit"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    # Translators: help of the --locale option; keep "nl", "en", "CLDR" and "LANG" as they are.
    locale_help = _(
        "language and region of labels, dates and numbers: nl, en, or any CLDR locale (default: from LANG, else nl)"
    )
    # Translators: help of the --dataset option.
    dataset_help = _("a dataset file in the JSON format (default: the canonical Leiden dataset)")

    # Translators: help of the `show` command.
    show = sub.add_parser("show", help=_("summarise the partnerships, or one of them"))
    # Translators: help of the CITY argument of `show`.
    show.add_argument("city", nargs="?", help=_("a partner city, by id or name (accents optional)"))
    show.add_argument("--locale", help=locale_help)
    show.add_argument("--dataset", type=Path, metavar="FILE", help=dataset_help)

    # Translators: help of the `validate` command.
    validate = sub.add_parser("validate", help=_("check a dataset file and report every problem"))
    validate.add_argument("file", type=Path, metavar="FILE")

    fmts = sub.add_parser(
        "formats",
        # Translators: help of the `formats` command.
        help=_("list the export formats and the plugins that provide them"),
    )
    fmts.add_argument("--locale", help=locale_help)

    export = sub.add_parser(
        "export",
        # Translators: help of the `export` command; keep the format names as they are.
        help=_("export the dataset: json, ical, vcard, html, or a plugin's format"),
        add_help=False,
    )
    export.add_argument("format", metavar="FORMAT", nargs="?")
    export.add_argument(
        "-h",
        "--help",
        action="store_true",
        # Translators: help of `export --help`.
        help=_("show this help and the format's options"),
    )
    export.add_argument("--locale", help=locale_help)
    export.add_argument("--dataset", type=Path, metavar="FILE", help=dataset_help)
    export.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        # Translators: help of --output; keep FILE as it is.
        help=_("write to FILE (atomically) instead of standard output"),
    )
    export.add_argument(
        "--split",
        type=Path,
        metavar="DIR",
        # Translators: help of --split; keep DIR as it is.
        help=_("write one file per item into DIR, for formats that support it"),
    )
    return parser


def _load_dataset(path: Path | None) -> Any:
    from leiden_twinning._io import load, load_file  # noqa: PLC0415

    return load() if path is None else load_file(path)


def _cmd_validate(args: argparse.Namespace, language: str) -> int:
    from leiden_twinning._io import load_file  # noqa: PLC0415

    dataset = load_file(args.file)
    t = _translations(language)
    counts = {
        "partnerships": len(dataset.partnerships),
        "cities": len(dataset.cities),
        "contacts": len(dataset.contacts),
        "activities": len(dataset.activities),
    }
    # Translators: the one-line summary of `validate` for a good file.
    line = t.gettext(
        "{file}: valid: {partnerships} partnerships, {cities} cities, {contacts} contacts, {activities} activities"
    )
    print(line.format(file=args.file, **counts))
    return 0


def _cmd_show(args: argparse.Namespace, locale: str) -> int:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._show import render  # noqa: PLC0415

    dataset = _load_dataset(args.dataset)
    print(render(dataset, i18n(locale), args.city), end="")
    return 0


def _cmd_formats(locale: str) -> int:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._plugins import describe, registry  # noqa: PLC0415

    loc = i18n(locale)
    reg = registry()
    for exporter in sorted(reg.exporters.values(), key=lambda e: e.name):
        origin = exporter.plugin or "?"
        if exporter.distribution:
            origin = f"{exporter.distribution} ({origin})"
        print(f"{exporter.name:<10} .{exporter.extension:<6} {describe(exporter, loc)}  [{origin}]")
    for failure in reg.failures:
        print(f"{PROG}: warning: {failure}", file=sys.stderr)
    return 0


def _option_parser(exporter: Any, language: str) -> _Parser:
    _ = _translations(language).gettext
    parser = _Parser(prog=f"{PROG} export {exporter.name}", add_help=False)
    for option in exporter.options:
        flag = "--" + option.name.replace("_", "-")
        # Built-in help texts are msgids of the package catalog; a plugin's pass through unchanged.
        help_text = _(option.help) if exporter.distribution == "leiden-twinning" else option.help
        if option.flag:
            parser.add_argument(
                flag,
                dest=option.name,
                action=argparse.BooleanOptionalAction,
                default=None,
                help=help_text,
            )
        else:
            parser.add_argument(
                flag,
                dest=option.name,
                type=option.convert,
                action="append" if option.multiple else "store",
                metavar=option.metavar,
                choices=option.choices,
                default=None,
                help=help_text,
            )
    return parser


def _cmd_export(
    args: argparse.Namespace, rest: list[str], locale: str, language: str, parser: _Parser
) -> int:
    from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415
    from leiden_twinning._plugins import registry, write  # noqa: PLC0415

    reg = registry()
    for failure in reg.failures:
        print(f"{PROG}: warning: {failure}", file=sys.stderr)
    if args.format is None:
        t = _translations(language)
        # Translators: an error of `export` without a format; {formats} lists the format names.
        message = t.gettext("which format? available: {formats}")
        return _fail(message.format(formats=", ".join(sorted(reg.exporters))))
    exporter = reg.get(args.format)
    options_parser = _option_parser(exporter, language)
    if args.help:
        options_parser.print_help()
        return 0
    parsed = vars(options_parser.parse_args(rest))
    options = {}
    for name, value in parsed.items():
        if value is None:
            continue
        options[name] = tuple(value) if exporter.option(name).multiple else value
    dataset = _load_dataset(args.dataset)
    tag = str(resolve_locale(locale))
    if args.split is not None:
        return _export_split(exporter, dataset, args.split, tag, options, language)
    if args.output is None:
        out = sys.stdout.buffer
        write(dataset, exporter.name, out, locale=tag, options=options)
        out.flush()
        return 0
    with atomic_writer(args.output) as stream:
        write(dataset, exporter.name, stream, locale=tag, options=options)
    return 0


def _export_split(
    exporter: Any,
    dataset: Any,
    directory: Path,
    locale: str,
    options: dict[str, Any],
    language: str,
) -> int:
    from leiden_twinning._exporter import resolve_options  # noqa: PLC0415
    from leiden_twinning.exceptions import ExportError  # noqa: PLC0415

    if exporter.parts is None:
        t = _translations(language)
        # Translators: an error of `export --split`; {format} is a format name such as json.
        msg = t.gettext("the {format} format cannot be split into files").format(
            format=exporter.name
        )
        raise ExportError(msg)
    # Build every part in memory first: nothing is written unless the whole export succeeds.
    parts = list(exporter.parts(dataset, locale=locale, options=resolve_options(exporter, options)))
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in parts:
        if Path(name).name != name or name.startswith("."):
            msg = f"{exporter.name}: refusing unsafe file name {name!r}"
            raise ExportError(msg)
        with atomic_writer(directory / name) as stream:
            stream.write(data)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    language = default_locale()
    parser = _build_parser(language)
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
    locale = getattr(args, "locale", None) or language
    try:
        if getattr(args, "locale", None):
            from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415

            # Messages follow the chosen locale: Dutch for nl, English for every other language.
            language = "nl" if resolve_locale(args.locale).language == "nl" else "en"
        if args.command == "validate":
            return _cmd_validate(args, language)
        if args.command == "show":
            return _cmd_show(args, locale)
        if args.command == "formats":
            return _cmd_formats(locale)
        return _cmd_export(args, rest, locale, language, parser)
    except DatasetError as exc:
        for line in exc.lines():
            print(f"{PROG}: error: {line}", file=sys.stderr)
        return EXIT_ERROR
    except LeidenTwinningError as exc:
        return _fail(str(exc).replace("\n", " "))
    except KeyError as exc:
        return _fail(str(exc.args[0]) if exc.args else str(exc))
    except BrokenPipeError:  # pragma: no cover - e.g. `| head` closed the pipe
        return EXIT_ERROR
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
