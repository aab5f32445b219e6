"""The ``ical`` export as a calendar client reads it: ical.js, Thunderbird's parser and rule engine.

``tests/exporters/icaljs/read.mjs`` parses the file with ical.js, expands every event and prints
JSON. CI installs ical.js from the committed lock file (``npm ci`` in ``.ci/run``); a missing
Node.js or ical.js fails these tests, it does not skip them.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

import leiden_twinning as lt

HERE = Path(__file__).parent / "icaljs"
DASH = "\N{EN DASH}"


def read(data: bytes, tmp_path: Path, first: int, last: int) -> dict[str, Any]:
    """What ical.js sees in *data*, with the occurrences from *first* to *last*."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed (CI installs it through .ci/run)")
    if not (HERE / "node_modules" / "ical.js").is_dir():
        pytest.fail(f"ical.js is not installed: run `npm ci` in {HERE}")
    path = tmp_path / "calendar.ics"
    path.write_bytes(data)
    done = subprocess.run(
        [node, str(HERE / "read.mjs"), str(path), str(first), str(last)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    parsed: dict[str, Any] = json.loads(done.stdout)
    return parsed


def python_occurrences(data: bytes, first: int, last: int) -> list[list[str]]:
    """The same occurrences through recurring-ical-events, in ical.js's form."""
    import icalendar  # noqa: PLC0415
    import recurring_ical_events  # noqa: PLC0415

    found = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(
        dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
    )
    return sorted([e["DTSTART"].dt.isoformat(), str(e["UID"])] for e in found)


class TestIcalJs:
    """ical.js reads the same calendar, the same days and the same text as the Python parsers."""

    def test_canonical_calendar(self, tmp_path: Path) -> None:
        data = lt.export(lt.load(), "ical", locale="en", from_year=2026, to_year=2040)
        seen = read(data, tmp_path, 2026, 2040)
        assert python_occurrences(data, 2026, 2040) == sorted(seen["occurrences"])
        # 7 yearly events for 15 years and 21 jubilees; none on the approximate 7 November.
        assert 126 == len(seen["occurrences"])
        name = "Leiden's city ties: anniversaries and jubilees"
        assert name == seen["props"]["name"] == seen["props"]["x-wr-calname"]
        assert seen["props"]["description"] == seen["props"]["x-wr-caldesc"]
        assert "Toruń (since November 1988)" in seen["props"]["x-wr-caldesc"]
        assert seen["props"]["method"] is None
        buffalo = next(e for e in seen["events"] if e["uid"].startswith("leiden-buffalo-city.s"))
        assert {
            "start": "1998-09-01",
            "end": "1998-09-02",
            "isDate": True,
            "rrule": "FREQ=YEARLY",
            "summary": f"Anniversary of the Leiden{DASH}Buffalo City twinning",
            "categories": ["anniversary", "twinning", "Buffalo City"],
            "language": "en",
        } == {k: buffalo[k] for k in ("start", "end", "isDate", "rrule", "summary")} | {
            "categories": buffalo["categories"],
            "language": buffalo["language"],
        }

    def test_dutch(self, tmp_path: Path) -> None:
        data = lt.export(lt.load(), "ical", locale="nl", from_year=2028, to_year=2028)
        seen = read(data, tmp_path, 2028, 2028)
        summaries = {e["uid"]: e["summary"] for e in seen["events"]}
        assert (
            f"30 jaar stedenband Leiden{DASH}Buffalo City"
            == (summaries["leiden-buffalo-city.signed.jubilee-30@leiden-twinning"])
        )

    def test_leap_day(self, tmp_path: Path) -> None:
        from test_ical import synthetic  # noqa: PLC0415 - the shared synthetic dataset

        data = lt.export(synthetic(), "ical", locale="en")
        seen = read(data, tmp_path, 1996, 2005)
        days = [d for d, uid in seen["occurrences"] if uid.startswith("leiden-leapton.signed@")]
        assert [
            "1996-02-29",
            "1997-02-28",
            "1998-02-28",
            "1999-02-28",
            "2000-02-29",
            "2001-02-28",
            "2002-02-28",
            "2003-02-28",
            "2004-02-29",
            "2005-02-28",
        ] == sorted(days)

    @pytest.mark.parametrize(
        "text",
        [
            "a\r\nb;c,d\\e:f",
            "x\nEND:VEVENT\nBEGIN:VEVENT\nUID:evil",
            '"quoted";LANGUAGE=xx:\\n',
            "Toruń 長崎 🎉 " * 12,
        ],
    )
    def test_hostile_text(self, tmp_path: Path, text: str) -> None:
        from test_ical import synthetic  # noqa: PLC0415

        data = lt.export(
            synthetic(activity_title=text, activity_text=text, partner_name="Semi;colon, Inc\\"),
            "ical",
            locale="en",
        )
        seen = read(data, tmp_path, 2026, 2026)
        lf = text.replace("\r\n", "\n").replace("\r", "\n")
        exchange = next(e for e in seen["events"] if e["uid"].startswith("leapton-leap-exchange"))
        assert f"{lf} (Leiden{DASH}Semi;colon, Inc\\)" == exchange["summary"]
        assert lf == exchange["description"]
        assert ["exchange", "Semi;colon, Inc\\"] == exchange["categories"]
        assert {
            "leiden-leapton.signed@leiden-twinning",
            "leiden-leapton.signed.jubilee-30@leiden-twinning",
            "leiden-leapton.signed.jubilee-35@leiden-twinning",
            "leiden-leapton.signed.jubilee-40@leiden-twinning",
            "leapton-leap-exchange@leiden-twinning",
        } == {e["uid"] for e in seen["events"]}
        assert "Leiden's city ties: anniversaries and jubilees" == seen["props"]["x-wr-calname"]

    def test_spans_and_reminders(self, tmp_path: Path) -> None:
        """Toruń's 40th spans November 2028 and carries its alarm 90 days ahead."""
        data = lt.export(lt.load(), "ical", locale="nl", partnerships=["torun"], remind="90d")
        seen = read(data, tmp_path, 2028, 2028)
        jubilee = next(e for e in seen["events"] if e["uid"].endswith("jubilee-40@leiden-twinning"))
        assert ("2028-11-01", "2028-12-01", True) == (
            jubilee["start"],
            jubilee["end"],
            jubilee["isDate"],
        )
        assert (
            f"40 jaar stedenband Leiden{DASH}Toruń (november 1988; dag onbekend)"
            == (jubilee["summary"])
        )
        assert [
            {
                "action": "DISPLAY",
                "trigger": "-P90D",
                "description": f"Binnenkort: {jubilee['summary']}",
            }
        ] == jubilee["alarms"]
        assert [["2028-11-01", jubilee["uid"]]] == seen["occurrences"]

    def test_months_and_anniversaries(self, tmp_path: Path) -> None:
        """``P3M`` becomes the days back on the calendar; anniversaries get it on request."""
        data = lt.export(
            lt.load(),
            "ical",
            locale="en",
            partnerships=["buffalo city"],
            remind="P3M",
            remind_anniversaries=True,
        )
        seen = read(data, tmp_path, 2028, 2028)
        triggers = {e["uid"]: [a["trigger"] for a in e["alarms"]] for e in seen["events"]}
        assert ["-P92D"] == triggers["leiden-buffalo-city.signed@leiden-twinning"]
        assert ["-P92D"] == triggers["leiden-buffalo-city.signed.jubilee-30@leiden-twinning"]
