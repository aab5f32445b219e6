"""The ``leiden-twinning`` command: show, validate, list formats and export.

Every error a user can cause (a bad dataset, an unknown locale or format, a failing plugin, an
unwritable path) ends in one line per problem on standard error and a non-zero exit, never in a
traceback. Files are written atomically: a failed export leaves no partial file and leaves an
existing file exactly as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import secrets
import shutil
import sys
import tempfile
import traceback
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from leiden_twinning._i18n import _translations
from leiden_twinning.exceptions import DatasetError, LeidenTwinningError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence

    from leiden_twinning._dataset import Dataset
    from leiden_twinning._exporter import Exporter

__all__ = ["default_locale", "main"]

PROG = "leiden-twinning"
#: Exit status for a problem with the input or the environment.
EXIT_ERROR = 1
#: Exit status for a malformed command line (argparse's own).
EXIT_USAGE = 2
#: Exit status for a bug of ours (``EX_SOFTWARE`` of BSD's sysexits.h).
EXIT_INTERNAL = 70
#: Exit status after Ctrl-C, as shells report it (128 + SIGINT).
EXIT_INTERRUPTED = 130
#: Windows opens files in text mode unless asked not to.
_O_BINARY = getattr(os, "O_BINARY", 0)


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

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
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


def _locale_help(language: str) -> str:
    _ = _translations(language).gettext
    # Translators: help of the --locale option; keep "nl", "en", "CLDR" and "LANG" as they are.
    return _(
        "language and region of labels, dates and numbers: nl, en, or any CLDR locale "
        "(default: from LANG, else nl)"
    )


def _dataset_help(language: str) -> str:
    _ = _translations(language).gettext
    # Translators: help of the --dataset option.
    return _("a dataset file in the JSON format (default: the canonical Leiden dataset)")


def _build_parser(language: str) -> _Parser:
    _ = _translations(language).gettext
    parser = _Parser(
        prog=PROG,
        # Translators: the description at the top of `leiden-twinning --help`.
        description=_("Leiden's twinning and friendship ties: show, check and export them."),
    )
    # Translators: help of a command-line option.
    parser.add_argument("--version", action="store_true", help=_("show the version and exit"))
    parser.add_argument(
        "--debug",
        action="store_true",
        # Translators: help of a command-line option.
        help=_("show the traceback of an internal error (to report it)"),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    locale_help = _locale_help(language)
    dataset_help = _dataset_help(language)

    # Translators: help of the `show` command.
    show = sub.add_parser("show", help=_("summarise the partnerships, or one of them"))
    # Translators: help of the CITY argument of `show`.
    show.add_argument("city", nargs="?", help=_("a partner city, by id or name (accents optional)"))
    show.add_argument("--locale", help=locale_help)
    show.add_argument("--dataset", type=Path, metavar="FILE", help=dataset_help)

    # Translators: help of the `validate` command.
    validate = sub.add_parser("validate", help=_("check a dataset file and report every problem"))
    validate.add_argument("file", type=Path, metavar="FILE")
    validate.add_argument(
        "--strict",
        action="store_true",
        # Translators: help of `validate --strict`.
        help=_("also warn about contacts older than --max-contact-age years, and fail if any"),
    )
    validate.add_argument(
        "--max-contact-age",
        type=int,
        default=10,
        metavar="YEARS",
        # Translators: help of `validate --max-contact-age`.
        help=_("the age in years after which a contact counts as stale (default: 10)"),
    )

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
    _add_export_arguments(export, language)
    _add_site_commands(sub, language)
    _add_data_commands(sub, language)
    return parser


def _load_dataset(path: Path | None) -> Any:
    return _dataset_by_name_or_path(None if path is None else str(path))


def _cmd_validate(args: argparse.Namespace, language: str) -> int:
    from leiden_twinning._io import load_file  # noqa: PLC0415

    dataset = load_file(args.file)
    t = _translations(language)
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
            ]
        )
    return 1 if stale else 0


def _cmd_show(args: argparse.Namespace, locale: str) -> int:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._show import render  # noqa: PLC0415

    dataset = _load_dataset(args.dataset)
    print(render(dataset, i18n(locale), args.city), end="")
    return 0


def _warn(failures: Iterable[object]) -> None:
    for failure in failures:
        print(f"{PROG}: warning: {failure}", file=sys.stderr)


def _origin(exporter: Exporter) -> str:
    plugin = exporter.plugin or "?"
    return f"{exporter.distribution} ({plugin})" if exporter.distribution else plugin


def _cmd_formats(locale: str) -> int:
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._plugins import describe, registry  # noqa: PLC0415

    loc = i18n(locale)
    reg = registry()
    rows = [
        (e.name, f".{e.extension}", describe(e, loc), _origin(e))
        for e in sorted(reg.exporters.values(), key=lambda e: e.name)
    ]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    for name, extension, description, origin in rows:
        print(
            f"{name:<{widths[0]}}  {extension:<{widths[1]}}  {description:<{widths[2]}}  {origin}"
        )
    _warn(reg.failures)
    return 0


def _add_export_arguments(parser: argparse.ArgumentParser, language: str) -> None:
    """The options every format shares, on the ``export`` parser and on a format's own."""
    _ = _translations(language).gettext
    parser.add_argument("--locale", help=_locale_help(language))
    parser.add_argument("--dataset", type=Path, metavar="FILE", help=_dataset_help(language))
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        # Translators: help of --output; keep FILE as it is.
        help=_("write to FILE (atomically) instead of standard output"),
    )
    parser.add_argument(
        "--split",
        type=Path,
        metavar="DIR",
        # Translators: help of --split; keep DIR as it is.
        help=_("write one file per item into DIR, for formats that support it"),
    )


def _format_parser(exporter: Exporter, locale: str, language: str) -> _Parser:
    """The parser of ``export FORMAT``: the shared options and the format's own."""
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._plugins import describe, option_help  # noqa: PLC0415

    _ = _translations(language).gettext
    parser = _Parser(
        prog=f"{PROG} export {exporter.name}",
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
    group = parser.add_argument_group(heading.format(format=exporter.name))
    for option in exporter.options:
        flag = "--" + (option.cli_name or option.name).replace("_", "-")
        help_text = option_help(exporter, option, i18n(locale))
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
            metavar=option.metavar or (None if option.choices else option.name.upper()),
            choices=option.choices,
            default=None,
            help=help_text,
        )
    return parser


def _cmd_export(args: argparse.Namespace, rest: list[str], locale: str, language: str) -> int:
    from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415
    from leiden_twinning._plugins import registry  # noqa: PLC0415

    reg = registry()
    _warn(reg.failures)
    if args.format is None:
        t = _translations(language)
        if args.help:
            general = _Parser(
                prog=f"{PROG} export",
                # Translators: the list of formats under `export --help`; {formats} lists the names.
                epilog=t.gettext("formats: {formats}").format(
                    formats=", ".join(sorted(reg.exporters))
                ),
            )
            general.add_argument(
                "format",
                metavar="FORMAT",
                # Translators: help of the FORMAT argument of `export`; keep FORMAT as it is.
                help=t.gettext("an export format; `export FORMAT --help` lists its options"),
            )
            _add_export_arguments(general, language)
            general.print_help()
            return 0
        # Translators: an error of `export` without a format; {formats} lists the format names.
        message = t.gettext("which format? available: {formats}")
        return _fail(message.format(formats=", ".join(sorted(reg.exporters))))
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
        parser.error(_translations(language).gettext("--split and --output exclude each other"))
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
    """Run the command *args* names."""
    locale = getattr(args, "locale", None) or language
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
    try:
        return _run(args, rest, language)
    except DatasetError as exc:
        for line in exc.lines():
            print(f"{PROG}: error: {line}", file=sys.stderr)
        return EXIT_ERROR
    except LeidenTwinningError as exc:
        return _fail(str(exc).replace("\n", " "))
    except BrokenPipeError:  # e.g. `| head` closed the pipe
        _silence_stdout()
        return EXIT_ERROR
    except OSError as exc:
        return _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:  # the promise: no traceback for a bug of ours, unless --debug
        if args.debug:
            traceback.print_exc()
        _fail(f"internal error, please report it: {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL


# --- sync, publish and serve (issue 17): kept in one block, registered by two lines above ----

_SITE_COMMANDS = frozenset({"sync", "publish", "serve"})


def _add_site_commands(sub: Any, language: str) -> None:
    """Register ``sync``, ``publish`` and ``serve``."""
    _ = _translations(language).gettext
    locale_help = _locale_help(language)
    dataset_help = _dataset_help(language)

    # Translators: help of the `sync` command.
    sync_help = _("make a CalDAV calendar or CardDAV address book match")
    # Translators: help of `sync --user`; {env} is an environment variable's name.
    user_help = _("the user name (the password comes from {env}, ~/.netrc or a prompt)")
    # Translators: help of `sync --dry-run`.
    dry_run_help = _("print the plan and change nothing")
    # Translators: help of `sync --create`.
    create_help = _("make the collection if it is missing")
    # Translators: help of `sync --ca-bundle`.
    ca_help = _("trust the certificates in FILE")
    # Translators: help of `sync --timeout`.
    timeout_help = _("seconds to wait for each answer")
    # Translators: help of `sync --partnership`.
    tie_help = _("only this tie (repeatable; default: all)")
    # Translators: help of the `publish` command.
    publish_help = _("write a static site with pages, feeds and contacts")
    # Translators: help of `publish --base-url`.
    base_help = _("where the site will be served (adds subscribe links)")
    # Translators: help of `publish --language`.
    language_help = _("a page language (repeatable; default: every catalog language)")
    # Translators: help of `publish --serve` and `serve --port`.
    port_help = _("preview the site on 127.0.0.1 at this port")
    # Translators: help of the `serve` command.
    serve_help = _("preview a published site on 127.0.0.1")

    sync = sub.add_parser("sync", help=sync_help)
    sync.add_argument("format", choices=["ical", "vcard"], metavar="FORMAT")
    sync.add_argument("url", metavar="URL")
    sync.add_argument("--user", help=user_help.format(env="LEIDEN_TWINNING_PASSWORD"))
    sync.add_argument("--dry-run", action="store_true", help=dry_run_help)
    sync.add_argument("--create", action="store_true", help=create_help)
    sync.add_argument("--ca-bundle", metavar="FILE", help=ca_help)
    sync.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help=timeout_help)
    sync.add_argument("--partnership", action="append", metavar="TIE", help=tie_help)
    sync.add_argument("--locale", help=locale_help)
    sync.add_argument("--dataset", type=Path, metavar="FILE", help=dataset_help)

    publish = sub.add_parser("publish", help=publish_help)
    publish.add_argument("directory", type=Path, metavar="DIR")
    publish.add_argument("--base-url", metavar="URL", help=base_help)
    publish.add_argument("--language", action="append", metavar="LANG", help=language_help)
    publish.add_argument("--dataset", type=Path, metavar="FILE", help=dataset_help)
    publish.add_argument("--serve", type=int, metavar="PORT", help=port_help)

    serve = sub.add_parser("serve", help=serve_help)
    serve.add_argument("directory", type=Path, metavar="DIR")
    serve.add_argument("--port", type=int, default=8000, help=port_help)


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
    print(_("serving {url} (Ctrl-C stops)").format(url=f"http://127.0.0.1:{port}/"))
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

    def progress(change: Any) -> None:
        if verbose and change.action != "unchanged":
            print(f"{change.action:9} {change.name}", file=sys.stderr)

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
            print(_("make the collection {url}").format(url=result.url))
        for change in result.plan:
            print(f"{change.action:9} {change.name}")
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

_DATA_COMMANDS = frozenset({"datasets", "schema"})


def _add_data_commands(sub: Any, language: str) -> None:
    """Register ``datasets`` and ``schema``."""
    _ = _translations(language).gettext
    # Translators: help of the `datasets` command.
    datasets = sub.add_parser("datasets", help=_("list the datasets that plugins provide"))
    datasets.add_argument("--locale", help=_locale_help(language))
    # Translators: help of the `schema` command.
    schema = sub.add_parser("schema", help=_("print the JSON Schema of the dataset format"))
    schema.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        # Translators: help of `schema --output`.
        help=_("write to FILE (atomically) instead of standard output"),
    )


def _run_data_command(args: argparse.Namespace, locale: str, language: str) -> int:
    if args.command == "datasets":
        return _cmd_datasets(locale, language)
    return _cmd_schema(args)


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
    _warn(reg.failures)
    _warn(problems)
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
