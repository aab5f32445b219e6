"""Micro-benchmarks of the low-level layer: folding and the fast iCalendar writer, next to the peer.

    python benchmarks/lowlevel.py              # 1,000 ties, best of 5
    python benchmarks/lowlevel.py --quick      # 20 ties, single runs: proves the script runs

In one process, on the synthetic dataset of ``generate.py`` (locale en):

- ``_rfc.fold`` against the character-by-character folding it replaced, on the unfolded lines of
  the vCard export, and ``fold_icalendar`` against icalendar's own folding on the calendar's lines;
- the whole vCard export with the old folding put back into the exporter against today's;
- the iCalendar writer serialising the calendar ``build_calendar()`` makes (converted beforehand
  by ``from_icalendar``) against icalendar's ``to_ical()`` of the same calendar, in MB/s;
- the whole ``ical`` export, which writes its events straight with the writer (bytes checked equal
  to ``build_calendar().to_ical()``), against the same calendar built and serialised through
  icalendar's objects, and the share of the export spent computing the events and their texts;
- python-holidays' ``ICalExporter`` (the peer of issue 19) timed in the same minutes.
"""

from __future__ import annotations

import argparse
import gc
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
    from collections.abc import Callable

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


def texts(dataset: lt.Dataset, locale: str) -> None:
    """The ``ical`` export's events and their texts, as ``write`` makes them, without writing."""
    t, settings, events = ical._prepare(dataset, locale, {})
    context = ical._Context(dataset, settings, t)
    for event in events:
        ical._content(event, context)


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

    # The whole export: through icalendar's objects (build_calendar), and through the writer.
    exported = lt.export(dataset, "ical", locale=LOCALE)
    assert exported == today, "the export differs from build_calendar().to_ical()"
    rows.append(
        (
            "ical export through icalendar (build_calendar().to_ical())",
            best(lambda: ical.build_calendar(dataset, locale=LOCALE).to_ical(), repeat),
            len(today),
        )
    )
    rows.append(
        (
            "ical export (events written straight by the writer)",
            best(lambda: lt.export(dataset, "ical", locale=LOCALE), repeat),
            len(exported),
        )
    )
    rows.append(
        (
            "... of which the events and their texts (no writing)",
            best(lambda: texts(dataset, LOCALE), repeat),
            0,
        )
    )

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
