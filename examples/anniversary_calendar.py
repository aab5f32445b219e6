"""Write the anniversary calendar of Leiden's ties for the next ten years, in English.

Import the file into Google Calendar, Apple Calendar, Outlook or Thunderbird: every anniversary
repeats yearly, and each jubilee (5, 10, 15, ... years) in the ten years is an event of its own.

    python examples/anniversary_calendar.py

The file goes to the folder named by EXAMPLES_OUTPUT (default: a new temporary folder). "Today"
is SOURCE_DATE_EPOCH when set, so that a rerun gives the same file.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import leiden_twinning as lt


def today() -> dt.date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def main() -> None:
    out = Path(os.environ.get("EXAMPLES_OUTPUT") or tempfile.mkdtemp(prefix="leiden-twinning-"))
    out.mkdir(parents=True, exist_ok=True)
    year = today().year
    calendar = lt.export(
        lt.load(), "ical", locale="en", from_year=year, to_year=year + 9, reference_date=today()
    )
    path = out / "leiden-anniversaries.ics"
    path.write_bytes(calendar)
    print(f"{path}: jubilees from {year} to {year + 9}, {calendar.count(b'BEGIN:VEVENT')} events")


if __name__ == "__main__":
    main()
