"""The parts of sync that need no DAV server: credentials, splitting, comparing, refusing."""

from __future__ import annotations

import socket
import subprocess
import sys
from typing import TYPE_CHECKING

import icalendar
import pytest
import vobject

import leiden_twinning as lt
from leiden_twinning._sync import (
    PASSWORD_ENV,
    Change,
    Credentials,
    SyncError,
    SyncResult,
    _parse,
    _split_ical,
    _split_vcard,
    _uids,
    credentials,
    sync,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

SECRET = "s3cret-Value"  # noqa: S105 - a test password


class TestCredentials:
    """Where the password comes from, in order: environment, .netrc, prompt."""

    def test_environment_first(self, tmp_path: Path) -> None:
        """The environment variable wins over .netrc, and the user comes from the argument."""
        netrc = tmp_path / "netrc"
        netrc.write_text("machine dav.example.org login bob password from-netrc\n")
        netrc.chmod(0o600)
        found = credentials(
            "https://dav.example.org/c/",
            user="alice",
            env={PASSWORD_ENV: SECRET},
            netrc_file=netrc,
        )
        assert Credentials("alice", SECRET) == found
        assert SECRET not in repr(found)

    def test_netrc_gives_user_and_password(self, tmp_path: Path) -> None:
        """Without a user or variable, .netrc's entry for the host gives both."""
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine dav.example.org login bob password {SECRET}\n")
        netrc.chmod(0o600)
        found = credentials("https://dav.example.org/c/", env={}, netrc_file=netrc)
        assert Credentials("bob", SECRET) == found

    def test_prompt_last(self, tmp_path: Path) -> None:
        """With nothing else, the prompt is asked, naming the user and host."""
        asked: list[str] = []

        def prompt(text: str) -> str:
            asked.append(text)
            return SECRET

        found = credentials(
            "https://dav.example.org/c/",
            user="alice",
            env={},
            netrc_file=tmp_path / "none",
            prompt=prompt,
        )
        assert Credentials("alice", SECRET) == found
        assert ["Password for alice at dav.example.org: "] == asked

    def test_nothing_found(self, tmp_path: Path) -> None:
        """No user, or no password, is a clear error."""
        with pytest.raises(SyncError, match="no user name"):
            credentials("https://dav.example.org/c/", env={}, netrc_file=tmp_path / "none")
        with pytest.raises(SyncError, match=PASSWORD_ENV):
            credentials(
                "https://dav.example.org/c/", user="a", env={}, netrc_file=tmp_path / "none"
            )

    def test_broken_netrc_does_not_quote_it(self, tmp_path: Path) -> None:
        """A .netrc that does not parse is named, without quoting its lines (passwords)."""
        netrc = tmp_path / "netrc"
        netrc.write_text(f"machine dav.example.org login bob password {SECRET} {SECRET}x\n")
        netrc.chmod(0o600)
        with pytest.raises(SyncError, match="cannot be read") as caught:
            credentials("https://dav.example.org/c/", env={}, netrc_file=netrc)
        assert SECRET not in str(caught.value)


class TestSplit:
    """The export becomes one resource per UID."""

    def test_calendar(self, dataset: lt.Dataset) -> None:
        """Each iCalendar resource parses and holds exactly one event, all events covered."""
        data = lt.export(dataset, "ical")
        expected = {str(e["UID"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
        parts = _split_ical(data)
        assert expected == set(parts)
        for uid, text in parts.items():
            events = icalendar.Calendar.from_ical(text).walk("VEVENT")
            assert [uid] == [str(e["UID"]) for e in events]

    def test_time_zones_travel_along(self) -> None:
        """A VTIMEZONE of the calendar is carried into every resource."""
        data = (
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\n"
            b"TZID:Europe/Amsterdam\r\nBEGIN:STANDARD\r\nDTSTART:19701025T030000\r\n"
            b"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
            b"BEGIN:VEVENT\r\nUID:a@x\r\nDTSTAMP:20260101T000000Z\r\n"
            b"DTSTART;TZID=Europe/Amsterdam:20260101T100000\r\nEND:VEVENT\r\n"
            b"BEGIN:VEVENT\r\nUID:b@x\r\nDTSTAMP:20260101T000000Z\r\n"
            b"DTSTART;TZID=Europe/Amsterdam:20260102T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        parts = _split_ical(data)
        assert ["a@x", "b@x"] == sorted(parts)
        for text in parts.values():
            assert 1 == len(icalendar.Calendar.from_ical(text).walk("VTIMEZONE"))

    def test_cards(self, dataset: lt.Dataset) -> None:
        """Each vCard resource is one card that vobject reads, all cards covered."""
        data = lt.export(dataset, "vcard")
        expected = {c.uid.value for c in vobject.readComponents(data.decode())}
        parts = _split_vcard(data)
        assert expected == set(parts)
        for uid, text in parts.items():
            assert uid == vobject.readOne(text).uid.value


class TestCompare:
    """Content is compared canonically: what a server may rewrite does not count."""

    BODY = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a@x\r\n"
        "SUMMARY;LANGUAGE=nl:Een heel lange samenvatting\r\nDTSTART;VALUE=DATE:20260101\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )

    def test_rewrites_do_not_count(self) -> None:
        """Refolding, reordering lines and lower-case names compare equal."""
        rewritten = (
            "BEGIN:VCALENDAR\nprodid:x\nVERSION:2.0\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260101\n"
            "summary;language=nl:Een heel lange\n  samenvatting\nUID:a@x\nEND:VEVENT\n"
            "END:VCALENDAR\n"
        )
        assert _parse(self.BODY) == _parse(rewritten)

    def test_changes_count(self) -> None:
        """A changed value is a change."""
        assert _parse(self.BODY) != _parse(self.BODY.replace("20260101", "20260102"))

    def test_broken_text(self) -> None:
        """Text that is not well nested, or no content line, has no canonical form."""
        assert _parse("BEGIN:VCALENDAR\r\nEND:VCARD\r\n") is None
        assert _parse("BEGIN:VCALENDAR\r\n") is None
        assert _parse("END:VCALENDAR\r\n") is None
        assert _parse("not a content line\r\n") is None
        assert _uids("ical", "BEGIN:VCARD\r\nUID:x\r\nEND:VCARD\r\n") is None
        assert _uids("ical", "garbage") is None


class TestRefusals:
    """A sync refuses what it cannot do before sending anything."""

    def test_bad_format_and_urls(self, dataset: lt.Dataset) -> None:
        """Another format, a non-HTTP URL and a URL with credentials are refused."""
        with pytest.raises(SyncError, match="cannot be synced"):
            sync(dataset, "json", "https://dav.example.org/c/")  # type: ignore[arg-type]
        with pytest.raises(SyncError, match="not an http"):
            sync(dataset, "ical", "ftp://dav.example.org/c/")
        with pytest.raises(SyncError, match="not an http"):
            sync(dataset, "ical", "dav.example.org")
        with pytest.raises(SyncError) as caught:
            sync(dataset, "ical", f"https://alice:{SECRET}@dav.example.org/c/")
        assert SECRET not in str(caught.value)
        assert "https://dav.example.org/c/" in str(caught.value)
        with pytest.raises(SyncError) as caught:
            sync(dataset, "ical", f"https://alice:{SECRET}@[::1]:8443/c/")
        assert "https://[::1]:8443/c/: " in str(caught.value)


def test_without_caldav(dataset: lt.Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the optional caldav package, a sync says which extra to install."""
    monkeypatch.setitem(sys.modules, "caldav.davclient", None)
    with pytest.raises(SyncError, match=r"leiden-twinning\[sync\]"):
        sync(dataset, "ical", "https://dav.example.org/c/")


def test_import_stays_light() -> None:
    """Importing the sync and publish modules and the CLI loads neither caldav nor niquests."""
    code = (
        "import sys, leiden_twinning._sync, leiden_twinning._publish, leiden_twinning.cli;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'caldav', 'niquests'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "[]" == result.stdout.strip()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/cal/"


def test_time_out_is_a_clear_error(silent_server: str, dataset: lt.Dataset) -> None:
    """A server that never answers ends the sync with an error naming it, after the time-out."""
    with pytest.raises(SyncError, match="did not answer") as caught:
        sync(dataset, "ical", silent_server, auth=Credentials("a", SECRET), timeout=0.5)
    assert silent_server in str(caught.value)
    assert SECRET not in str(caught.value)


def test_result_counts() -> None:
    """A result counts its plan by action and its writes, the collection's creation included."""
    plan = (Change("create", "a", "http://h/c/a.ics"), Change("unchanged", "b", "http://h/c/b"))
    result = SyncResult("http://h/c/", plan, done=plan[:1], created_collection=True)
    assert (1, 1, 0, 2) == (
        result.count("create"),
        result.count("unchanged"),
        result.count("delete"),
        result.writes,
    )
    assert "a.ics" == plan[0].name
