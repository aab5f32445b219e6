"""The ``ical`` export survives a real CalDAV server: Radicale on loopback, filesystem storage.

Radicale refuses what many clients would silently mangle (a missing UID, bad dates, two UIDs
in one object, a duplicate UID), so a 201 and an identical read-back mean the calendar is sound.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import icalendar
import pytest
import requests

import leiden_twinning as lt
from leiden_twinning.cli import main

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.slow

USER = "leiden"
NS = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav"}
ICS = {"Content-Type": "text/calendar; charset=utf-8"}


@pytest.fixture
def radicale(radicale_server: str) -> str:
    """The shared Radicale server of conftest.py (loopback, storage in tmp_path, no auth)."""
    return radicale_server


@pytest.fixture
def session() -> Iterator[requests.Session]:
    """An HTTP session that logs in as USER (any password: authentication is off)."""
    with requests.Session() as s:
        s.auth = (USER, "unused")
        yield s


def _events(data: bytes) -> dict[str, tuple[dt.date, str | None]]:
    """UID -> (DTSTART, RRULE as text) of every VEVENT."""
    found: dict[str, tuple[dt.date, str | None]] = {}
    event: Any
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        rule: Any = event.get("RRULE")
        found[str(event["UID"])] = (
            event.start,
            None if rule is None else rule.to_ical().decode(),
        )
    return found


def _mkcalendar(session: requests.Session, url: str) -> None:
    response = session.request("MKCALENDAR", url, timeout=30)
    assert 201 == response.status_code, response.text


def _report(session: requests.Session, url: str, start: str, end: str) -> list[bytes]:
    body = f"""<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""
    response = session.request(
        "REPORT",
        url,
        data=body.encode(),
        headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        timeout=30,
    )
    assert 207 == response.status_code, response.text
    tree = ET.fromstring(response.content)  # noqa: S314 - our own loopback server's answer
    return [
        (node.text or "").encode() for node in tree.iterfind(".//C:calendar-data", NS) if node.text
    ]


class TestRadicale:
    """Upload to Radicale, read back, and compare the UIDs, dates and rules."""

    def test_one_resource_per_uid(
        self, radicale: str, session: requests.Session, tmp_path: Path
    ) -> None:
        parts = tmp_path / "parts"
        assert 0 == main(["export", "ical", "--locale", "en", "--split", str(parts)])
        collection = f"{radicale}/{USER}/ties/"
        _mkcalendar(session, collection)
        files = sorted(parts.iterdir())
        for path in files:
            response = session.put(collection + path.name, data=path.read_bytes(), headers=ICS)
            assert 201 == response.status_code, (path.name, response.text)
        # A re-generated calendar updates the same resources instead of adding any.
        assert 0 == main(["export", "ical", "--locale", "en", "--split", str(parts)])
        for path in files:
            response = session.put(collection + path.name, data=path.read_bytes(), headers=ICS)
            assert 204 == response.status_code, (path.name, response.text)
        for path in files:
            response = session.get(collection + path.name, timeout=30)
            assert 200 == response.status_code
            assert _events(path.read_bytes()) == _events(response.content)
        whole = _events(lt.export(lt.load(), "ical", locale="en"))
        listing = session.get(collection, timeout=30)
        assert 200 == listing.status_code
        assert whole == _events(listing.content)

    @pytest.mark.parametrize("locale", ["en", "nl"])
    def test_whole_calendar(self, radicale: str, session: requests.Session, locale: str) -> None:
        data = lt.export(lt.load(), "ical", locale=locale, from_year=2026, to_year=2040)
        collection = f"{radicale}/{USER}/ties-{locale}/"
        response = session.put(collection, data=data, headers=ICS, timeout=30)
        assert 201 == response.status_code, response.text
        back = session.get(collection, timeout=30)
        assert 200 == back.status_code
        assert _events(data) == _events(back.content)
        original = icalendar.Calendar.from_ical(data).walk("VEVENT")
        returned = {
            str(e["UID"]): e for e in icalendar.Calendar.from_ical(back.content).walk("VEVENT")
        }
        for event in original:
            assert str(event["SUMMARY"]) == str(returned[str(event["UID"])]["SUMMARY"])

    def test_server_expands_the_rules(self, radicale: str, session: requests.Session) -> None:
        data = lt.export(lt.load(), "ical", locale="en", from_year=2026, to_year=2040)
        collection = f"{radicale}/{USER}/expand/"
        assert 201 == session.put(collection, data=data, headers=ICS, timeout=30).status_code
        found = _report(session, collection, "20280901T000000Z", "20280902T000000Z")
        uids = {uid for item in found for uid in _events(item)}
        assert {
            "leiden-buffalo-city.signed@leiden-twinning",
            "leiden-buffalo-city.signed.jubilee-30@leiden-twinning",
        } == uids
        nothing = _report(session, collection, "20281101T000000Z", "20281102T000000Z")
        assert [] == nothing  # no event for Toruń's November 1988, or any other

    def test_radicale_is_strict(
        self, radicale: str, session: requests.Session, tmp_path: Path
    ) -> None:
        """A control: Radicale refuses two UIDs in one object and a UID used twice."""
        collection = f"{radicale}/{USER}/strict/"
        _mkcalendar(session, collection)
        whole = lt.export(lt.load(), "ical", locale="en")
        assert 400 == session.put(collection + "all.ics", data=whole, headers=ICS).status_code
        parts = tmp_path / "parts"
        assert 0 == main(["export", "ical", "--locale", "en", "--split", str(parts)])
        first = sorted(parts.iterdir())[0].read_bytes()
        assert 201 == session.put(collection + "a.ics", data=first, headers=ICS).status_code
        assert session.put(collection + "b.ics", data=first, headers=ICS).status_code in {
            400,
            409,
        }
