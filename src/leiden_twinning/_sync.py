"""Make a CalDAV calendar or a CardDAV address book hold exactly an export, one resource per UID.

The resources come from the public :func:`~leiden_twinning.export` output: the iCalendar export is
split into one ``VCALENDAR`` per ``UID`` (with any ``VTIMEZONE``), the vCard export into one card
each. The server is read first (``PROPFIND`` for the members and their ETags, ``GET`` for each
body), the two sides are compared by content, canonically (unfolded lines, properties and
parameters in a fixed order), and only then is anything written:

* a UID the server lacks is created (``PUT`` with ``If-None-Match: *``);
* a UID whose content differs is updated (``PUT`` with ``If-Match`` on the ETag just read);
* a resource this library made (an iCalendar UID in its ``@leiden-twinning`` namespace, a vCard
  with its ``PRODID``) whose UID the export no longer has is deleted (``DELETE`` with ``If-Match``);
* everything else is left alone, so a second run writes nothing.

Nothing is stored locally: the server's own content and ETags are the state, which is why a run
cut short by a dropped connection is completed by the next one.

HTTP goes through ``caldav``'s :class:`caldav.DAVClient` for both protocols: its object layer
models calendars only, but the client itself is a plain WebDAV client (``PROPFIND``, ``PUT`` and
``DELETE`` with headers, ``MKCOL``, ``MKCALENDAR``) with authentication negotiation, TLS
verification and time-outs, which is all an address book needs.
"""

from __future__ import annotations

import logging
import os
import re
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit
from xml.sax.saxutils import escape

import attrs

from leiden_twinning._calendar import UID_DOMAIN
from leiden_twinning.exceptions import LeidenTwinningError

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from leiden_twinning._dataset import Dataset

__all__ = [
    "PASSWORD_ENV",
    "Change",
    "Credentials",
    "SyncError",
    "SyncResult",
    "credentials",
    "sync",
]

#: The environment variable :func:`credentials` reads the password from.
PASSWORD_ENV = "LEIDEN_TWINNING_PASSWORD"  # noqa: S105 - a variable's name, not a password

Action = Literal["create", "update", "delete", "unchanged"]
Format = Literal["ical", "vcard"]

_VCARD_PRODID = "-//leiden-twinning//"
_OWN_UID = f"@{UID_DOMAIN}"
_MEDIA = {"ical": "text/calendar; charset=utf-8", "vcard": "text/vcard; charset=utf-8"}
_COLLECTION = {
    "ical": "{urn:ietf:params:xml:ns:caldav}calendar",
    "vcard": "{urn:ietf:params:xml:ns:carddav}addressbook",
}
_EXTENSION = {"ical": "ics", "vcard": "vcf"}


class SyncError(LeidenTwinningError):
    """A sync could not start or finish: no access, no collection, or the server went away.

    The message names the collection URL (never credentials). :attr:`result` holds what had
    been done when a sync stopped half-way, or ``None`` when nothing was written.

    .. versionadded:: 1.1
    """

    def __init__(self, message: str, result: SyncResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@attrs.frozen
class Credentials:
    """A user name and password for a server; the password never appears in ``repr``.

    .. versionadded:: 1.1
    """

    user: str
    password: str = attrs.field(repr=False)


@attrs.frozen
class Change:
    """One resource in a sync plan: what happens to it, its UID and its name in the collection.

    .. versionadded:: 1.1
    """

    #: ``"create"``, ``"update"``, ``"delete"`` or ``"unchanged"``.
    action: Action
    uid: str
    #: The resource's URL on the server.
    href: str
    #: The ETag read from the server (``None`` for a resource to create).
    etag: str | None = attrs.field(default=None, repr=False, eq=False)
    #: The body to write (``None`` for a delete or an unchanged resource).
    body: str | None = attrs.field(default=None, repr=False, eq=False)

    @property
    def name(self) -> str:
        """The resource's file name, the last segment of its URL."""
        return self.href.rstrip("/").rsplit("/", 1)[-1]


@attrs.frozen
class SyncResult:
    """What a sync planned and what it did.

    .. versionadded:: 1.1
    """

    #: The collection, without credentials.
    url: str
    #: Every resource of the export and every resource to delete, in the order they are handled.
    plan: tuple[Change, ...]
    #: The changes written (empty for a dry run).
    done: tuple[Change, ...] = ()
    #: The changes the server refused because its copy changed since it was read (412): kept.
    conflicts: tuple[Change, ...] = ()
    #: The collection was created (or, for a dry run, would be).
    created_collection: bool = False
    dry_run: bool = False

    def count(self, action: Action) -> int:
        """How many resources of the plan have *action*."""
        return sum(1 for c in self.plan if c.action == action)

    @property
    def writes(self) -> int:
        """How many requests changed the collection (including its creation)."""
        return len(self.done) + self.created_collection * (not self.dry_run)


def credentials(
    url: str,
    *,
    user: str | None = None,
    env: Mapping[str, str] | None = None,
    netrc_file: str | os.PathLike[str] | None = None,
    prompt: Callable[[str], str] | None = None,
) -> Credentials:
    """Find the password for *url*: the environment, then ``~/.netrc``, then *prompt*.

    :param user: the user name; when ``None``, the one ``.netrc`` gives for the host.
    :param env: the environment to read :data:`PASSWORD_ENV` from (default ``os.environ``).
    :param netrc_file: the netrc file (default ``~/.netrc``; a missing file is skipped).
    :param prompt: asks for the password, given a prompt text (``getpass.getpass`` on a
        terminal); ``None`` asks nobody.
    :raises SyncError: when no password (or no user name) is found.

    .. versionadded:: 1.1
    """
    import netrc  # noqa: PLC0415 - only sync reads it

    environ = os.environ if env is None else env
    host = urlsplit(url).hostname or ""
    password = environ.get(PASSWORD_ENV) or None
    if password is None or user is None:
        path = os.fspath(netrc_file) if netrc_file else os.path.expanduser("~/.netrc")  # noqa: PTH111
        if os.path.exists(path):  # noqa: PTH110
            try:
                entry = netrc.netrc(path).authenticators(host)
            except (netrc.NetrcParseError, OSError) as exc:
                # The parse error quotes the offending line, which may hold a password.
                msg = f"{path}: cannot be read ({type(exc).__name__})"
                raise SyncError(msg) from None
            if entry is not None and (user is None or entry[0] == user):
                user = user or entry[0]
                password = password or entry[2]
    if user is None:
        msg = f"{_public(url)}: no user name given (and none in .netrc for {host})"
        raise SyncError(msg)
    if password is None and prompt is not None:
        password = prompt(f"Password for {user} at {host}: ") or None
    if password is None:
        msg = (
            f"{_public(url)}: no password for {user} "
            f"(set {PASSWORD_ENV}, add it to .netrc, or run on a terminal to be asked)"
        )
        raise SyncError(msg)
    return Credentials(user, password)


def _public(url: str) -> str:
    """*url* without any user name or password in it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


# --- splitting the export into resources, and comparing content ---------------------------------

#: What a resource name keeps of a UID: letters, digits, ".", "_" and "-" (Radicale refuses ":").
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_FOLD = re.compile(r"\r?\n[ \t]")


def _unfolded_lines(text: str) -> list[str]:
    return [line for line in _FOLD.sub("", text).splitlines() if line.strip()]


def _split_ical(data: bytes) -> dict[str, str]:
    """One ``VCALENDAR`` per UID, with the calendar's version, product id, scale and time zones."""
    from icalendar import Calendar  # noqa: PLC0415

    calendar = Calendar.from_ical(data)
    timezones = [c for c in calendar.subcomponents if c.name == "VTIMEZONE"]
    groups: dict[str, list[Any]] = {}
    for component in calendar.subcomponents:
        if component.name != "VTIMEZONE":
            groups.setdefault(str(component["UID"]), []).append(component)
    resources = {}
    for uid, components in groups.items():
        single = Calendar()
        for name in ("VERSION", "PRODID", "CALSCALE"):
            if name in calendar:
                single.add(name, calendar[name])
        for component in [*timezones, *components]:
            single.add_component(component)
        resources[uid] = single.to_ical().decode("utf-8")
    return resources


def _split_vcard(data: bytes) -> dict[str, str]:
    """One vCard per UID, each as the export wrote it."""
    resources: dict[str, str] = {}
    card: list[str] = []
    for line in data.decode("utf-8").splitlines(keepends=True):
        card.append(line)
        if line.strip().upper() == "END:VCARD":
            text = "".join(card)
            card = []
            uids = _uids("vcard", text)
            if uids is not None and len(uids) == 1:
                resources[next(iter(uids))] = text
    return resources


def _parse(text: str) -> tuple[Any, ...] | None:
    """The canonical form of an iCalendar or vCard text, ``None`` when it does not parse.

    A component becomes its name, its properties (name, sorted parameters, value) sorted, and
    its sub-components sorted: what a server may legitimately rewrite (folding, line order,
    parameter order and case of names) does not count as a change.
    """
    from icalendar.parser import Contentline  # noqa: PLC0415

    root: list[Any] = ["", [], []]
    stack = [root]
    try:
        for line in _unfolded_lines(text):
            name, params, value = Contentline(line).parts()  # type: ignore[no-untyped-call]
            name = name.upper()
            if name == "BEGIN":
                component: list[Any] = [value.upper(), [], []]
                stack[-1][2].append(component)
                stack.append(component)
            elif name == "END":
                if len(stack) == 1 or stack[-1][0] != value.upper():
                    return None
                stack.pop()
            else:
                items = sorted(
                    (k.upper(), tuple(v) if isinstance(v, list) else (str(v),))
                    for k, v in params.items()
                )
                stack[-1][1].append((name, tuple(items), value))
    except ValueError:
        return None
    if len(stack) != 1:
        return None
    return _freeze(root)


def _freeze(component: list[Any]) -> tuple[Any, ...]:
    children = sorted((_freeze(c) for c in component[2]), key=repr)
    return (component[0], tuple(sorted(component[1])), tuple(children))


def _uids(fmt: Format, text: str) -> frozenset[str] | None:
    """The UIDs of the items in *text* (time zones aside), ``None`` when it does not parse."""
    tree = _parse(text)
    if tree is None:
        return None
    wrapper = "VCALENDAR" if fmt == "ical" else "VCARD"
    uids: set[str] = set()
    for top in tree[2]:
        if top[0] != wrapper:
            return None
        items = top[2] if fmt == "ical" else [top]
        for item in items:
            if item[0] == "VTIMEZONE":
                continue
            uids.update(value for name, _params, value in item[1] if name == "UID")
    return frozenset(uids)


def _ours(fmt: Format, text: str, uid: str) -> bool:
    """Whether this library wrote the resource: by UID namespace (iCalendar), PRODID (vCard)."""
    if fmt == "ical":
        return uid.endswith(_OWN_UID)
    tree = _parse(text)
    return tree is not None and any(
        name == "PRODID" and value.startswith(_VCARD_PRODID)
        for card in tree[2]
        for name, _params, value in card[1]
    )


# --- talking to the server ----------------------------------------------------------------------


@attrs.frozen
class _Remote:
    href: str
    etag: str | None
    text: str


class _QuietVCard(logging.Filter):
    """Drops caldav's warning that a ``GET`` answered with a vCard: here that is expected."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "content type: text/vcard" not in record.getMessage()


_QUIET = _QuietVCard()


class _Server:
    """The few WebDAV requests a sync makes, with errors turned into :exc:`SyncError`."""

    def __init__(
        self, url: str, auth: Credentials | None, ca_bundle: str | None, timeout: float
    ) -> None:
        try:
            from caldav.davclient import DAVClient  # noqa: PLC0415 - optional, only to sync
        except ImportError:
            msg = "sync needs the caldav package: pip install 'leiden-twinning[sync]'"
            raise SyncError(msg) from None

        logging.getLogger("caldav").addFilter(_QUIET)  # a set: adding it twice keeps one
        self.url = url
        self.public = _public(url)
        self.client = DAVClient(
            url=url,
            username=auth.user if auth else None,
            password=auth.password if auth else None,
            ssl_verify_cert=ca_bundle or True,
            timeout=timeout,  # type: ignore[arg-type]  # niquests takes float seconds
            enable_rfc6764=False,
        )

    def request(
        self, method: str, url: str, body: str = "", headers: Mapping[str, str] | None = None
    ) -> Any:
        from caldav.lib import error  # noqa: PLC0415

        try:
            return self.client.request(url, method, body, dict(headers or {}))
        except error.AuthorizationError as exc:
            if getattr(exc, "status", None) == 403 or "orbidden" in str(exc.reason):
                msg = f"{self.public}: forbidden (this user may not use this collection)"
            else:
                msg = f"{self.public}: access refused (check the user name and password)"
            raise SyncError(msg) from None
        except (OSError, error.DAVError) as exc:
            # The exception names its class only: its text could quote request details.
            if "SSL" in type(exc).__name__ or "certificate" in str(exc).lower():
                msg = (
                    f"{self.public}: the server's certificate is not trusted "
                    "(give the CA certificate that signed it as a CA bundle)"
                )
            else:
                msg = f"{self.public}: the server did not answer ({type(exc).__name__})"
            raise SyncError(msg) from None

    def close(self) -> None:
        self.client.close()

    def exists(self, fmt: Format) -> bool:
        """Whether the collection is there; :exc:`SyncError` when it is of the wrong kind."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
            "<D:resourcetype/></D:prop></D:propfind>"
        )
        headers = {"Depth": "0", "Content-Type": "application/xml; charset=utf-8"}
        response = self.request("PROPFIND", self.url, body, headers)
        if response.status == 404:
            return False
        self._check(response, "PROPFIND", self.url)
        # Some servers (Xandikos) answer 207 with a 404 inside for a missing collection.
        found = [r for r in response.parse_propfind() if r.status != 404]
        if not found:
            return False
        kinds = found[0].properties.get("{DAV:}resourcetype") or []
        wanted = _COLLECTION[fmt]
        if wanted not in kinds:
            kind = "CalDAV calendar" if fmt == "ical" else "CardDAV address book"
            msg = f"{self.public}: is not a {kind}"
            raise SyncError(msg)
        return True

    def create(self, fmt: Format, display_name: str) -> None:
        name = escape(display_name)
        if fmt == "ical":
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                f"<D:set><D:prop><D:displayname>{name}</D:displayname>"
                '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
                "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
            )
            method = "MKCALENDAR"
        else:
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                '<D:mkcol xmlns:D="DAV:" xmlns:A="urn:ietf:params:xml:ns:carddav">'
                "<D:set><D:prop><D:resourcetype><D:collection/><A:addressbook/></D:resourcetype>"
                f"<D:displayname>{name}</D:displayname></D:prop></D:set></D:mkcol>"
            )
            method = "MKCOL"
        headers = {"Content-Type": "application/xml; charset=utf-8"}
        self._check(self.request(method, self.url, body, headers), method, self.url)

    def members(self, fmt: Format) -> list[_Remote]:
        body = (
            '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop>'
            "<D:getetag/><D:resourcetype/></D:prop></D:propfind>"
        )
        headers = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
        response = self.request("PROPFIND", self.url, body, headers)
        self._check(response, "PROPFIND", self.url)
        own_path = urlsplit(self.url).path.rstrip("/")
        hrefs = []
        for result in response.parse_propfind():
            href = urljoin(self.url, result.href)
            if urlsplit(href).path.rstrip("/") == own_path or result.properties.get(
                "{DAV:}resourcetype"
            ):
                continue
            hrefs.append(href)
        remotes = []
        for href in sorted(hrefs):
            got = self.request("GET", href, "", {"Accept": _MEDIA[fmt].split(";")[0]})
            if got.status == 404:  # deleted since the listing
                continue
            self._check(got, "GET", href)
            remotes.append(_Remote(href, got.headers.get("ETag"), got.raw))
        return remotes

    def write(self, change: Change) -> bool:
        """Carry out *change*; ``False`` when the server's copy changed since it was read."""
        if change.action == "delete":
            headers = {"If-Match": change.etag} if change.etag else {}
            response = self.request("DELETE", change.href, "", headers)
            ok = response.status in (200, 204, 404)
        else:
            headers = {"Content-Type": _MEDIA["ical" if change.href.endswith(".ics") else "vcard"]}
            if change.action == "create":
                headers["If-None-Match"] = "*"
            elif change.etag:
                headers["If-Match"] = change.etag
            response = self.request("PUT", change.href, change.body or "", headers)
            ok = response.status in (200, 201, 204)
        if response.status == 412:
            return False
        if not ok:
            self._check(response, "DELETE" if change.action == "delete" else "PUT", change.href)
        return True

    def _check(self, response: Any, method: str, url: str) -> None:
        if response.status not in (200, 201, 204, 207):
            reason = getattr(response, "reason", "") or ""
            msg = f"{_public(url)}: {method} failed with {response.status} {reason}".rstrip()
            raise SyncError(msg)


# --- planning and running -----------------------------------------------------------------------


def _resources(
    dataset: Dataset, fmt: Format, locale: str, options: Mapping[str, Any]
) -> tuple[dict[str, str], str]:
    """The export's resources by UID, and a display name for a new collection."""
    from leiden_twinning._i18n import i18n  # noqa: PLC0415
    from leiden_twinning._plugins import export  # noqa: PLC0415

    data = export(dataset, fmt, locale=locale, **options)
    if fmt == "ical":
        from icalendar import Calendar  # noqa: PLC0415

        name = str(Calendar.from_ical(data).get("X-WR-CALNAME", "")) or dataset.home_city.name
        return _split_ical(data), name
    # Translators: the same label as the vCard export's contact group.
    label = i18n(locale).gettext("{city} city ties")
    return _split_vcard(data), label.format(city=dataset.home_city.name)


def _plan(
    fmt: Format, url: str, wanted: Mapping[str, str], remotes: list[_Remote]
) -> tuple[Change, ...]:
    by_uid: dict[str, _Remote] = {}
    foreign_or_stale: list[tuple[str, _Remote]] = []
    for remote in remotes:
        uids = _uids(fmt, remote.text)
        if uids is None or len(uids) != 1:
            continue  # not one item we could have written: never touched
        uid = next(iter(uids))
        if uid in wanted and uid not in by_uid:
            by_uid[uid] = remote
        else:
            foreign_or_stale.append((uid, remote))
    changes = []
    for uid in sorted(wanted):
        body = wanted[uid]
        held = by_uid.get(uid)
        if held is None:
            name = _UNSAFE.sub("-", uid) + "." + _EXTENSION[fmt]
            changes.append(Change("create", uid, urljoin(url, name), None, body))
        elif _parse(held.text) == _parse(body):
            changes.append(Change("unchanged", uid, held.href, held.etag))
        else:
            changes.append(Change("update", uid, held.href, held.etag, body))
    for uid, remote in sorted(foreign_or_stale, key=lambda pair: pair[1].href):
        if _ours(fmt, remote.text, uid):
            changes.append(Change("delete", uid, remote.href, remote.etag))
    return tuple(changes)


def _collection_url(fmt: str, url: str) -> str:
    """*url* with a final slash; :exc:`SyncError` for a format or URL a sync cannot use."""
    if fmt not in _MEDIA:
        msg = f"sync: {fmt!r} cannot be synced (use 'ical' or 'vcard')"
        raise SyncError(msg)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        msg = f"sync: {_public(url) if parts.hostname else 'the URL'} is not an http(s) URL"
        raise SyncError(msg)
    if parts.username is not None or parts.password is not None:
        msg = f"{_public(url)}: give the user name and password apart, not in the URL"
        raise SyncError(msg)
    return url if url.endswith("/") else url + "/"


def sync(
    dataset: Dataset,
    fmt: Format,
    url: str,
    *,
    auth: Credentials | None = None,
    locale: str = "nl",
    options: Mapping[str, Any] | None = None,
    dry_run: bool = False,
    create: bool = False,
    ca_bundle: str | None = None,
    timeout: float = 30.0,
    progress: Callable[[Change], None] | None = None,
) -> SyncResult:
    """Make the collection at *url* hold exactly the *fmt* export of *dataset*.

    :param fmt: ``"ical"`` for a CalDAV calendar, ``"vcard"`` for a CardDAV address book.
    :param url: the collection (``https://dav.example.org/alice/twinning/``); it must not hold
        credentials.
    :param auth: the user name and password (see :func:`credentials`); ``None`` sends none.
    :param locale: the export's locale; also names a collection made with *create*.
    :param options: the exporter's options (``{"partnerships": ["torun"]}``).
    :param dry_run: plan only: read the server, write nothing.
    :param create: make the collection when it is missing (``MKCALENDAR``, extended ``MKCOL``).
    :param ca_bundle: a CA certificate file for a server whose certificate a private CA signed.
    :param timeout: seconds to wait for each answer.
    :param progress: called with each :class:`Change` once it has been handled.
    :returns: the plan and what was done; a change refused with ``412`` is in ``conflicts``.
    :raises SyncError: when the server refuses access or goes away (``result`` then holds what
        was done), or the collection is missing and *create* is false.
    :raises ExportError: when the export itself fails.

    .. versionadded:: 1.1
    """
    url = _collection_url(fmt, url)
    wanted, display_name = _resources(dataset, fmt, locale, options or {})
    server = _Server(url, auth, ca_bundle, timeout)
    try:
        created = False
        remotes: list[_Remote] = []
        if server.exists(fmt):
            remotes = server.members(fmt)
        elif not create:
            msg = f"{server.public}: no such collection (create it, or ask for it to be created)"
            raise SyncError(msg)
        else:
            created = True
            if not dry_run:
                server.create(fmt, display_name)
        plan = _plan(fmt, url, wanted, remotes)
        result = SyncResult(server.public, plan, created_collection=created, dry_run=dry_run)
        if dry_run:
            return result
        done: list[Change] = []
        conflicts: list[Change] = []
        for change in plan:
            if change.action != "unchanged":
                try:
                    written = server.write(change)
                except SyncError as exc:
                    partial = attrs.evolve(result, done=tuple(done), conflicts=tuple(conflicts))
                    msg = f"{exc} - stopped after {len(done)} change(s); run again to finish"
                    raise SyncError(msg, partial) from None
                (done if written else conflicts).append(change)
            if progress is not None:
                progress(change)
        return attrs.evolve(result, done=tuple(done), conflicts=tuple(conflicts))
    finally:
        server.close()
