"""Sync against real servers on loopback: Radicale (htpasswd) and Xandikos.

The result is read back with an independent client (requests, PROPFIND + GET) and parsed with
icalendar or vobject; what should change is worked out from the two exports, parsed per UID.
"""

from __future__ import annotations

import base64
import json
import logging
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urljoin

import icalendar
import pytest
import vobject

import leiden_twinning as lt
from leiden_twinning._sync import Change, Credentials, SyncError, sync

if TYPE_CHECKING:
    from sync.conftest import DavServer

pytestmark = pytest.mark.slow

Fmt = Literal["ical", "vcard"]
FORMATS: list[Fmt] = ["ical", "vcard"]


def _collection(dav: DavServer, fmt: Fmt) -> str:
    return dav.calendar if fmt == "ical" else dav.addressbook


def _read_back(dav: DavServer, url: str) -> dict[str, tuple[str, str]]:
    """href -> (ETag, body) of every member of the collection, read with requests."""
    with dav.session() as session:
        listing = session.request("PROPFIND", url, headers={"Depth": "1"}, timeout=30)
        assert 207 == listing.status_code, listing.text
        found = {}
        tree = ET.fromstring(listing.content)  # noqa: S314 - our own loopback server's answer
        for response in tree.iter("{DAV:}response"):
            href = urljoin(url, response.findtext("{DAV:}href") or "")
            if href.rstrip("/") == url.rstrip("/"):
                continue
            got = session.get(href, timeout=30)
            assert 200 == got.status_code
            found[href] = (got.headers["ETag"], got.text)
        return found


def _uid(fmt: Fmt, body: str) -> str:
    """The UID of one stored resource, parsed by icalendar or vobject."""
    if fmt == "ical":
        uids = {str(c["UID"]) for c in icalendar.Calendar.from_ical(body).walk("VEVENT")}
        assert 1 == len(uids)
        return uids.pop()
    return str(vobject.readOne(body).uid.value)


def _items(fmt: Fmt, data: bytes) -> dict[str, Any]:
    """UID -> parsed item of an export: the VEVENT (icalendar) or the vCard (vobject)."""
    if fmt == "ical":
        return {
            str(e["UID"]): sorted(e.property_items())
            for e in icalendar.Calendar.from_ical(data).walk("VEVENT")
        }
    return {
        str(card.uid.value): sorted(card.serialize().splitlines())
        for card in vobject.readComponents(data.decode("utf-8"))
    }


def _without(document: dict[str, Any], tie: str) -> lt.Dataset:
    """The dataset with partnership *tie* removed, and what only it referenced."""
    doc = json.loads(json.dumps(document))
    doc["partnerships"] = [p for p in doc["partnerships"] if p["id"] != tie]
    gone = {f["id"] for f in doc["foundations"] if f.get("partnership") == tie} | {tie}
    doc["foundations"] = [f for f in doc["foundations"] if f["id"] not in gone]
    gone |= {a["id"] for a in doc["activities"] if a.get("partnership") == tie}
    doc["activities"] = [a for a in doc["activities"] if a.get("partnership") != tie]
    doc["contacts"] = [
        c
        for c in doc["contacts"]
        if c.get("organisation") not in gone and c.get("partnerships") != [tie]
    ]
    doc["discrepancies"] = [d for d in doc["discrepancies"] if d.get("subject") not in gone]
    return lt.loads(json.dumps(doc))


def _foreign(fmt: Fmt) -> str:
    if fmt == "ical":
        return (
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone else//EN\r\nBEGIN:VEVENT\r\n"
            "UID:team-lunch@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
            "DTSTART;VALUE=DATE:20261201\r\nSUMMARY:Team lunch\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    return (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//someone else//EN\r\n"
        "UID:urn:uuid:0b6f3a0e-4f0c-4c55-9d7e-6d1d1d2b4d11\r\nFN:A Neighbour\r\n"
        "N:Neighbour;A;;;\r\nEND:VCARD\r\n"
    )


class TestSync:
    """A sync makes the collection hold exactly the export and writes only what changed."""

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_first_run_creates_every_item_and_second_writes_none(
        self, dav: DavServer, dataset: lt.Dataset, fmt: Fmt
    ) -> None:
        """The first run creates one resource per UID; the second changes no ETag."""
        url = _collection(dav, fmt)
        expected = _items(fmt, lt.export(dataset, fmt))
        seen: list[Change] = []
        first = sync(
            dataset,
            fmt,
            url,
            auth=dav.auth,
            ca_bundle=dav.ca_bundle,
            create=True,
            progress=seen.append,
        )
        assert first.created_collection
        assert len(expected) == first.count("create") == len(first.done) == len(seen)
        stored = _read_back(dav, url)
        assert set(expected) == {_uid(fmt, body) for _etag, body in stored.values()}
        second = sync(dataset, fmt, url, auth=dav.auth, ca_bundle=dav.ca_bundle)
        assert (len(expected), 0) == (second.count("unchanged"), second.writes)
        assert stored == _read_back(dav, url)

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_dry_run_plans_and_writes_nothing(
        self, dav: DavServer, dataset: lt.Dataset, fmt: Fmt
    ) -> None:
        """A dry run on a missing collection plans every create and leaves the server as it was."""
        url = _collection(dav, fmt)
        plan = sync(
            dataset, fmt, url, auth=dav.auth, ca_bundle=dav.ca_bundle, create=True, dry_run=True
        )
        assert len(_items(fmt, lt.export(dataset, fmt))) == plan.count("create")
        assert (True, 0) == (plan.created_collection, plan.writes)
        with pytest.raises(SyncError, match="no such collection"):
            sync(dataset, fmt, url, auth=dav.auth, ca_bundle=dav.ca_bundle, dry_run=True)

    def test_changed_data_updates_only_what_changed(
        self, dav: DavServer, document: dict[str, Any]
    ) -> None:
        """Renaming a partner city rewrites exactly the events whose content changed."""
        before = lt.loads(json.dumps(document))
        url = dav.calendar
        sync(before, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle, create=True)
        stored = _read_back(dav, url)
        city = next(c for c in document["cities"] if c["id"] == "krefeld")
        city["name"] = "Krefeld am Rhein"
        after = lt.loads(json.dumps(document))
        old, new = (
            _items("ical", lt.export(before, "ical")),
            _items("ical", lt.export(after, "ical")),
        )
        changed = {uid for uid in new if old.get(uid) != new[uid]}
        assert changed, "the edit must change some events"
        result = sync(after, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle)
        assert changed == {c.uid for c in result.done}
        assert {"update"} == {c.action for c in result.done}
        now = _read_back(dav, url)
        untouched = {h for h, (_e, body) in stored.items() if _uid("ical", body) not in changed}
        assert {h: stored[h] for h in untouched} == {h: now[h] for h in untouched}
        assert 0 == sync(after, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle).writes

    @pytest.mark.parametrize(
        ("fmt", "tie"), [("ical", "leiden-oxford"), ("vcard", "leiden-juigalpa")]
    )
    def test_removed_tie_deletes_exactly_its_resources(
        self, dav: DavServer, document: dict[str, Any], fmt: Fmt, tie: str
    ) -> None:
        """Only the removed tie's resources go; a resource another client made survives."""
        full = lt.loads(json.dumps(document))
        smaller = _without(document, tie)
        url = _collection(dav, fmt)
        sync(full, fmt, url, auth=dav.auth, ca_bundle=dav.ca_bundle, create=True)
        foreign_url = urljoin(url, "foreign." + ("ics" if fmt == "ical" else "vcf"))
        with dav.session() as session:
            media = "text/calendar" if fmt == "ical" else "text/vcard"
            put = session.put(
                foreign_url, data=_foreign(fmt).encode(), headers={"Content-Type": media}
            )
            assert put.status_code in (201, 204), put.text
        gone = set(_items(fmt, lt.export(full, fmt))) - set(_items(fmt, lt.export(smaller, fmt)))
        assert gone, "removing the tie must remove some items"
        result = sync(smaller, fmt, url, auth=dav.auth, ca_bundle=dav.ca_bundle)
        assert gone == {c.uid for c in result.done if c.action == "delete"}
        stored = _read_back(dav, url)
        assert foreign_url in stored
        assert set(_items(fmt, lt.export(smaller, fmt))) | {_uid(fmt, _foreign(fmt))} == {
            _uid(fmt, body) for _e, body in stored.values()
        }

    def test_conflict_keeps_the_server_copy(self, dav: DavServer, document: dict[str, Any]) -> None:
        """A resource changed on the server after the plan was made is reported (412) and kept."""
        url = dav.calendar
        before = lt.loads(json.dumps(document))
        sync(before, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle, create=True)
        for city in document["cities"]:
            if city["id"] != "leiden":
                city["name"] += " (renamed)"
        after = lt.loads(json.dumps(document))
        plan = sync(after, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle, dry_run=True)
        updates = [c for c in plan.plan if c.action == "update"]
        assert len(updates) >= 2
        victim = updates[-1]
        stored = _read_back(dav, url)
        edited = stored[victim.href][1].replace(
            "END:VEVENT", "COMMENT:Edited by hand\r\nEND:VEVENT", 1
        )
        assert "Edited by hand" in edited

        def edit_on_server(change: Change) -> None:
            if change == updates[0]:
                with dav.session() as session:
                    response = session.put(
                        victim.href, data=edited.encode(), headers={"Content-Type": "text/calendar"}
                    )
                    assert response.status_code in (201, 204)

        result = sync(
            after, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle, progress=edit_on_server
        )
        assert [victim] == list(result.conflicts)
        kept = _read_back(dav, url)[victim.href][1]
        assert "Edited by hand" in kept

    def test_server_stopped_mid_sync_then_next_run_completes(
        self, dav: DavServer, dataset: lt.Dataset
    ) -> None:
        """A server going away stops the sync with what was done; the next run finishes the job."""
        url = dav.calendar
        total = len(_items("ical", lt.export(dataset, "ical")))
        handled: list[Change] = []

        def stop_after_three(change: Change) -> None:
            handled.append(change)
            if len(handled) == 3:
                dav.stop()

        with pytest.raises(SyncError) as caught:
            sync(
                dataset,
                "ical",
                url,
                auth=dav.auth,
                ca_bundle=dav.ca_bundle,
                create=True,
                progress=stop_after_three,
            )
        assert caught.value.result is not None
        assert 3 == len(caught.value.result.done)
        assert "run again" in str(caught.value)
        dav.start()
        second = sync(dataset, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle)
        assert (total - 3, 3) == (second.count("create"), second.count("unchanged"))
        assert total == len(_read_back(dav, url))
        assert 0 == sync(dataset, "ical", url, auth=dav.auth, ca_bundle=dav.ca_bundle).writes


class TestAccess:
    """Refused access gives one clear error naming the URL, and never the password."""

    def test_wrong_password(
        self, dav: DavServer, dataset: lt.Dataset, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A wrong password is an error naming the collection, with no trace of the password."""
        caplog.set_level(logging.DEBUG)
        secret = "not-the-password-1234"  # noqa: S105 - the wrong password the test sends
        url = dav.calendar
        with pytest.raises(SyncError) as caught:
            sync(
                dataset,
                "ical",
                url,
                auth=Credentials("alice", secret),
                create=True,
                ca_bundle=dav.ca_bundle,
            )
        text = f"{caught.value} {caught.value!r} {caught.value.__cause__!r}"
        assert f"{url}: access refused" in str(caught.value)
        assert secret not in text
        assert secret not in caplog.text
        basic = base64.b64encode(f"alice:{secret}".encode()).decode()  # the Authorization header
        assert basic not in text + caplog.text
        assert caught.value.__cause__ is None
        assert 1 == len(str(caught.value).splitlines())

    def test_forbidden_collection(self, radicale_auth: DavServer, dataset: lt.Dataset) -> None:
        """Another user's collection is refused with a message naming it."""
        url = radicale_auth.base + "/bob/calendar/"
        with pytest.raises(SyncError, match="bob/calendar/: forbidden") as caught:
            sync(dataset, "ical", url, auth=radicale_auth.auth, create=True)
        assert radicale_auth.auth is not None
        assert radicale_auth.auth.password not in str(caught.value)

    def test_wrong_kind_of_collection(self, radicale_auth: DavServer, dataset: lt.Dataset) -> None:
        """Syncing a calendar into an address book is refused before anything is written."""
        url = radicale_auth.addressbook
        sync(dataset, "vcard", url, auth=radicale_auth.auth, create=True)
        with pytest.raises(SyncError, match="is not a CalDAV calendar"):
            sync(dataset, "ical", url, auth=radicale_auth.auth)

    def test_untrusted_certificate(self, xandikos: DavServer, dataset: lt.Dataset) -> None:
        """A self-signed certificate not given as ca_bundle is refused, saying so."""
        with pytest.raises(SyncError, match="certificate") as caught:
            sync(dataset, "ical", xandikos.calendar, auth=xandikos.auth, create=True)
        assert xandikos.calendar in str(caught.value)

    def test_missing_collection_without_create(
        self, radicale_auth: DavServer, dataset: lt.Dataset
    ) -> None:
        """Without create=True a missing collection is an error, and nothing is made."""
        with pytest.raises(SyncError, match="no such collection"):
            sync(dataset, "vcard", radicale_auth.addressbook, auth=radicale_auth.auth)
