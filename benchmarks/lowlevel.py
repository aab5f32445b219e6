"""Micro-benchmarks of the low-level layer: folding and the fast iCalendar writer, next to the peer.

    python benchmarks/lowlevel.py              # 1,000 ties, best of 5
    python benchmarks/lowlevel.py --quick      # 20 ties, single runs: proves the script runs

In one process, on the synthetic dataset of ``generate.py`` (locale en):

- ``_rfc.fold`` against the character-by-character folding it replaced, on the unfolded lines of
  the vCard export, and ``fold_icalendar`` against icalendar's own folding on the calendar's lines;
- the whole vCard export with the old folding put back into the exporter against today's;
- the iCalendar writer serialising the calendar ``build_calendar()`` makes (converted beforehand
  by ``from_icalendar``) against icalendar's ``to_ical()`` of the same calendar, in MB/s;
- an estimate of the whole ``ical`` export once the exporter builds its events straight into the
  writer: :func:`direct_export` does that with the exporter's own text functions, its bytes are
  checked equal to today's export, and its time is split into the event texts (the same work
  without writing anything) and the rest;
- python-holidays' ``ICalExporter`` (the peer of issue 19) timed in the same minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).parent))

from bench import Peer
from generate import generate

import leiden_twinning as lt
from leiden_twinning import _icalwriter as w
from leiden_twinning import _rfc
from leiden_twinning.exporters import ical, vcard

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

LOCALE = "en"


def old_fold(line: str, limit: int = 75) -> bytes:
    """The folding ``_rfc.fold`` replaced: one encode and one test per character."""
    out = bytearray()
    used = 0
    for char in line:
        token = char.encode("utf-8")
        if used + len(token) > limit:
            out += b"\r\n "
            used = 1
        out += token
        used += len(token)
    out += b"\r\n"
    return bytes(out)


def best(fn: Callable[[], Any], repeat: int) -> float:
    """The shortest of *repeat* runs of *fn*, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _texts(dataset: lt.Dataset, t: lt.I18n, events: Any) -> Iterator[tuple[Any, ...]]:
    """The exporter's per-event texts, as ``ical._event`` computes them, without writing."""
    for event in events:
        yield (
            event,
            ical._summary(dataset, event, t),
            ical._description(event, t),
            ical._categories(dataset, event, t),
            ical._url(dataset, event),
        )


def direct_export(dataset: lt.Dataset, locale: str) -> bytes:
    """The ``ical`` export with events built straight into the writer: what ical.py can do.

    The calendar's head still comes from icalendar (one component per export); every event is a
    :class:`~leiden_twinning._icalwriter.Component` made from the exporter's own texts, with the
    parameters, ``DTSTAMP`` and ``RRULE`` written once per export.
    """
    t, settings, events = ical._prepare(dataset, locale, {})
    head = w.from_icalendar(ical._new_calendar(dataset, settings, t))
    stamp = w.date_time(ical._stamp(dataset))
    labels = w.params({"LANGUAGE": t.label_language})
    as_text = w.params({"VALUE": "TEXT"})
    as_date = w.params({"VALUE": "DATE"})
    languages: dict[str, str] = {}
    yearly = w.recur({"FREQ": "YEARLY"})
    leap = w.recur({"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1})
    one_day = dt.timedelta(days=1)

    def language(tag: str) -> str:
        found = languages.get(tag)
        if found is None:
            found = languages[tag] = w.params({"LANGUAGE": tag})
        return found

    def made() -> Iterator[w.Component]:
        for event, summary, description, categories, url in _texts(dataset, t, events):
            data = event.milestone.description if event.milestone is not None else None
            if event.activity is not None:
                data = event.activity.description
            written = labels if data is None else language(t.text(data).language)
            title = labels
            if event.activity is not None:
                title = language(t.text(event.activity.title).language)
            properties = [
                ("UID", w.text(event.uid), ""),
                ("DTSTAMP", stamp, ""),
                ("DTSTART", w.date(event.date), as_date),
                ("DTEND", w.date(event.date + one_day), as_date),
                ("TRANSP", "TRANSPARENT", ""),
                ("SUMMARY", w.text(summary), title),
                ("CATEGORIES", w.text_list(categories), labels),
                ("X-LEIDEN-TWINNING-PARTNERSHIP", w.text(event.partnership.id), as_text),
                ("X-LEIDEN-TWINNING-KIND", w.text(event.kind.value), as_text),
            ]
            if description is not None:
                properties.append(("DESCRIPTION", w.text(description), written))
            if event.milestone is not None and event.milestone.place is not None:
                properties.append(("LOCATION", w.text(event.milestone.place), ""))
            if event.yearly_on == (2, 29):
                properties.append(("RRULE", leap, ""))
            elif event.yearly_on is not None:
                properties.append(("RRULE", yearly, ""))
            if url is not None:
                properties.append(("URL", w.uri(url), ""))
            yield w.Component("VEVENT", properties)

    head.components = made()
    stream = io.BytesIO()
    w.write(head, stream)
    return stream.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Run the micro-benchmarks and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000, help="ties in the synthetic dataset")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (best)")
    parser.add_argument("--quick", action="store_true", help="20 ties, single runs")
    args = parser.parse_args(argv)
    size, repeat = (20, 1) if args.quick else (args.size, args.repeat)

    dataset = lt.loads(json.dumps(generate(size)).encode("utf-8"))
    rows: list[tuple[str, float, int]] = []  # (what, seconds, output bytes)

    # Folding, on the lines the exporters write.
    cards = vcard.cards(dataset, locale=LOCALE, options={})
    card_lines = [line for card in cards for line in card.lines]
    calendar = ical.build_calendar(dataset, locale=LOCALE)
    ical_lines = [str(line) for line in calendar.content_lines() if line]
    from icalendar.parser import Contentline  # noqa: PLC0415

    for name, fn, lines in [
        ("fold, old (vCard lines)", old_fold, card_lines),
        ("fold, new (vCard lines)", _rfc.fold, card_lines),
        ("icalendar folding (iCalendar lines)", lambda s: Contentline(s).to_ical(), ical_lines),
        ("fold_icalendar (iCalendar lines)", _rfc.fold_icalendar, ical_lines),
    ]:
        out = b"".join(map(fn, lines))
        rows.append(
            (
                f"{name}: {len(lines):,}",
                best(lambda f=fn, ls=lines: [*map(f, ls)], repeat),
                len(out),
            )
        )

    # The vCard export, with the old folding put back and with today's.
    for name, fn in [("vcard export, old fold", old_fold), ("vcard export, fast fold", _rfc.fold)]:
        vcard.fold = fn  # type: ignore[attr-defined]
        try:
            out = lt.export(dataset, "vcard", locale=LOCALE)
            rows.append(
                (name, best(lambda: lt.export(dataset, "vcard", locale=LOCALE), repeat), len(out))
            )
        finally:
            vcard.fold = _rfc.fold  # type: ignore[attr-defined]

    # Serialising the same calendar: icalendar against the writer.
    converted = w.from_icalendar(calendar)
    today = calendar.to_ical()
    assert today == w.to_ical(converted), "the writer differs from icalendar"
    rows.append(("icalendar Calendar.to_ical()", best(calendar.to_ical, repeat), len(today)))
    rows.append(
        (
            "writer to_ical(from_icalendar(...)) (serialising only)",
            best(lambda: w.to_ical(converted), repeat),
            len(today),
        )
    )

    # The whole export: today's, and built straight into the writer.
    exported = lt.export(dataset, "ical", locale=LOCALE)
    direct = direct_export(dataset, LOCALE)
    assert exported == direct, "the direct export differs from today's"
    rows.append(
        (
            "ical export today",
            best(lambda: lt.export(dataset, "ical", locale=LOCALE), repeat),
            len(exported),
        )
    )
    rows.append(
        (
            "ical export built into the writer (prototype)",
            best(lambda: direct_export(dataset, LOCALE), repeat),
            len(direct),
        )
    )

    def texts() -> None:
        t, _settings, events = ical._prepare(dataset, LOCALE, {})
        for _ in _texts(dataset, t, events):
            pass

    rows.append(("... of which the events and their texts (no writing)", best(texts, repeat), 0))

    peer = Peer()
    peer.sample(repeat)
    peer_rate = (peer.row.output or 0) / peer.row.seconds / 1e6
    rows.append((f"peer: {peer.row.name}", peer.row.seconds, peer.row.output or 0))

    print(f"{size:,} ties, locale {LOCALE}, best of {repeat}; Python {sys.version.split()[0]}")
    print("| what | time | output | MB/s | vs peer |\n|---|---:|---:|---:|---:|")
    for name, seconds, output in rows:
        rate = output / seconds / 1e6
        written = (
            f"{output / 1e6:.2f} MB | {rate:.1f} | {rate / peer_rate:.2f}x"
            if output
            else "- | - | -"
        )
        print(f"| {name} | {seconds * 1000:,.1f} ms | {written} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
