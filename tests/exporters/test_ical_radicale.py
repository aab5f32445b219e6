"""The ``ical`` export survives a real CalDAV server: Radicale on loopback, filesystem storage.

Radicale refuses what many clients would silently mangle (a missing UID, bad dates, two UIDs
in one object, a duplicate UID), so a 201 and an identical read-back mean the calendar is sound.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

import icalendar
import pytest
import requests

import leiden_twinning as lt
from leiden_twinning.cli import main

if TYPE_CHECKING:
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

    def test_one_calendar_per_tie(
        self, radicale: str, session: requests.Session, tmp_path: Path
    ) -> None:
        """Every --split calendar becomes a collection of its own, read back unchanged."""
        parts = tmp_path / "parts"
        args = ["export", "ical", "--locale", "en", "--remind", "90d", "--split", str(parts)]
        assert 0 == main(args)
        files = sorted(parts.iterdir())
        assert len(lt.load().partnerships) == len(files)
        union: dict[str, tuple[dt.date, str | None]] = {}
        for path in files:
            collection = f"{radicale}/{USER}/{path.stem}/"
            response = session.put(collection, data=path.read_bytes(), headers=ICS, timeout=30)
            assert 201 == response.status_code, (path.name, response.text)
            back = session.get(collection, timeout=30)
            assert 200 == back.status_code
            assert _events(path.read_bytes()) == _events(back.content)
            union |= _events(back.content)
        whole = _events(lt.export(lt.load(), "ical", locale="en"))
        assert whole == union

    def test_alarms_and_spans_survive(self, radicale: str, session: requests.Session) -> None:
        """Radicale stores the alarms (TRIGGER:-P90D) and the month-long span of Toruń."""
        data = lt.export(lt.load(), "ical", locale="nl", remind="90d", remind_anniversaries=True)
        collection = f"{radicale}/{USER}/alarms/"
        assert 201 == session.put(collection, data=data, headers=ICS, timeout=30).status_code
        back = icalendar.Calendar.from_ical(session.get(collection, timeout=30).content)
        alarms: list[Any] = list(back.walk("VALARM"))
        original = list(icalendar.Calendar.from_ical(data).walk("VALARM"))
        assert len(original) == len(alarms) > 0
        assert {-dt.timedelta(days=90)} == {a["TRIGGER"].dt for a in alarms}
        # Any day of November 2028 holds Toruń's jubilee (a month) and Juigalpa's (a year).
        found = _report(session, collection, "20281115T000000Z", "20281116T000000Z")
        uids = {uid for item in found for uid in _events(item)}
        assert {
            "leiden-torun.signed.jubilee-40@leiden-twinning",
            "leiden-juigalpa.established.jubilee-40@leiden-twinning",
        } == uids

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
            "leiden-juigalpa.established.jubilee-40@leiden-twinning",  # all of 2028
        } == uids
        # 1 November 2028: only the jubilees that span the month (Toruń) and the year (Juigalpa).
        november = _report(session, collection, "20281101T000000Z", "20281102T000000Z")
        assert {
            "leiden-torun.signed.jubilee-40@leiden-twinning",
            "leiden-juigalpa.established.jubilee-40@leiden-twinning",
        } == {uid for item in november for uid in _events(item)}

    def test_radicale_is_strict(self, radicale: str, session: requests.Session) -> None:
        """A control: Radicale refuses two UIDs in one object and a UID used twice."""
        collection = f"{radicale}/{USER}/strict/"
        _mkcalendar(session, collection)
        whole = lt.export(lt.load(), "ical", locale="en")
        assert 400 == session.put(collection + "all.ics", data=whole, headers=ICS).status_code
        calendar = icalendar.Calendar.from_ical(whole)
        single = icalendar.Calendar()
        for name in ("VERSION", "PRODID"):
            single.add(name, calendar[name])
        single.add_component(calendar.walk("VEVENT")[0])
        first = single.to_ical()
        assert 201 == session.put(collection + "a.ics", data=first, headers=ICS).status_code
        assert session.put(collection + "b.ics", data=first, headers=ICS).status_code in {
            400,
            409,
        }
