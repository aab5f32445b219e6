"""Benchmarks: loading and every built-in exporter at 1,000 to 100,000 partnerships, against floors.

Run by ``nox -s bench`` (``python benchmarks/bench.py``); ``--sizes 1000,10000`` runs fewer, and
``--full`` also runs the slowest exports (ical, html) at 100,000 (about 20 instead of 10 minutes).
For each size N (synthetic datasets from ``generate.py``):

- load and validate (``leiden_twinning.loads``) against its floor: ``json.loads`` plus plain
  construction of the same model objects by direct calls (no converter, no reference checks);
- each exporter against its floor: ``json.dumps`` of the same plain data (json), icalendar's own
  ``Calendar.to_ical`` of the prebuilt calendar (ical), vobject's serialization of the same cards
  (vcard; a plain join of the unfolded lines is shown too); the html page has no floor;
- linearity: the time at 10 N over the time at N (target: at most 11);
- peak memory of each export (tracemalloc) over the size of its output (target: under 5);
- ``import leiden_twinning`` against ``import attrs, cattrs`` (fresh interpreters, best of 5), and a
  whole ``leiden-twinning export ical`` run against a bare interpreter importing what it needs.

Times are the best of several runs (fewer for the largest sizes). Targets come from issue 9.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).parent))

import attrs
from generate import generate

import leiden_twinning as lt
from leiden_twinning import (
    Activity,
    City,
    Contact,
    Coordinates,
    Dataset,
    Discrepancy,
    Distance,
    Figure,
    Foundation,
    Institution,
    LocalizedText,
    Milestone,
    PartialDate,
    Partnership,
    PersonName,
    Quantity,
    Recurrence,
    Signatory,
    Source,
)

if TYPE_CHECKING:
    from collections.abc import Callable

SIZES = (1_000, 10_000, 100_000)
LOCALE = "en"
#: Ratio targets (issue 9): operation -> at most this many times its floor.
TARGETS = {"load": 3.0, "json": 1.5, "ical": 2.0, "vcard": 2.0}
LINEAR = 11.0
MEMORY = 5.0
IMPORT = 1.2
CLI = 1.3


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of *repeat* timed runs of *fn*, and its result."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def peak(fn: Callable[[], Any]) -> tuple[int, Any]:
    """The peak of memory traced while *fn* runs, and its result."""
    gc.collect()
    tracemalloc.start()
    try:
        result = fn()
        _, top = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return top, result


# -- the floors ------------------------------------------------------------------------------


def _text(d: dict[str, str] | None) -> LocalizedText | None:
    return None if d is None else LocalizedText(**d)


def _date(s: str | None) -> PartialDate | None:
    return None if s is None else PartialDate.fromisoformat(s)


def _quantity(d: dict[str, Any] | None) -> Quantity | None:
    return None if d is None else Quantity(**d)


def _tuple(items: list[Any] | None) -> tuple[Any, ...]:
    return tuple(items or ())


def plain_construction(doc: dict[str, Any]) -> Any:
    """Build the model objects by direct calls: what any loader of this model has to do."""
    sources = [
        Source(
            id=s["id"],
            title=s["title"],
            url=s.get("url"),
            publisher=s.get("publisher"),
            date=_date(s.get("date")),
            note=_text(s.get("note")),
        )
        for s in doc["sources"]
    ]
    cities = [
        City(
            id=c["id"],
            name=c["name"],
            country=c["country"],
            description=LocalizedText(**c["description"]),
            region=_text(c.get("region")),
            population=_quantity(c.get("population")),
            aliases=_tuple(c.get("aliases")),
            highlights=tuple(LocalizedText(**h) for h in c.get("highlights", ())),
            figures=tuple(
                Figure(
                    id=f["id"],
                    label=LocalizedText(**f["label"]),
                    quantity=Quantity(**f["quantity"]),
                    unit=f["unit"],
                    sources=_tuple(f.get("sources")),
                )
                for f in c.get("figures", ())
            ),
            distances=tuple(
                Distance(to=d["to"], km=Quantity(**d["km"]), sources=_tuple(d.get("sources")))
                for d in c.get("distances", ())
            ),
            coordinates=Coordinates(**c["coordinates"]) if "coordinates" in c else None,
            wikidata=c.get("wikidata"),
            sources=_tuple(c.get("sources")),
        )
        for c in doc["cities"]
    ]
    partnerships = [
        Partnership(
            id=p["id"],
            city=p["city"],
            description=LocalizedText(**p["description"]),
            history=tuple(
                Milestone(
                    date=PartialDate.fromisoformat(m["date"]),
                    kind=lt.MilestoneKind(m["kind"]),
                    description=LocalizedText(**m["description"]),
                    partnership_kind=lt.PartnershipKind(m["partnership_kind"])
                    if "partnership_kind" in m
                    else None,
                    signatories=tuple(
                        Signatory(
                            name=s["name"],
                            role=LocalizedText(**s["role"]),
                            organisation=s.get("organisation"),
                        )
                        for s in m.get("signatories", ())
                    ),
                    place=m.get("place"),
                    sources=_tuple(m.get("sources")),
                )
                for m in p["history"]
            ),
            themes=tuple(lt.Theme(t) for t in p.get("themes", ())),
            institutions=_tuple(p.get("institutions")),
            motto=_text(p.get("motto")),
            sources=_tuple(p.get("sources")),
        )
        for p in doc["partnerships"]
    ]
    foundations = [
        Foundation(
            id=f["id"],
            name=f["name"],
            partnership=f["partnership"],
            description=LocalizedText(**f["description"]),
            abbreviation=f.get("abbreviation"),
            website=f.get("website"),
            sources=_tuple(f.get("sources")),
        )
        for f in doc["foundations"]
    ]
    institutions = [
        Institution(
            id=i["id"],
            name=i["name"],
            kind=lt.InstitutionKind(i["kind"]),
            city=i["city"],
            description=_text(i.get("description")),
            website=i.get("website"),
            sources=_tuple(i.get("sources")),
        )
        for i in doc["institutions"]
    ]
    contacts = [
        Contact(
            id=c["id"],
            role=LocalizedText(**c["role"]),
            organisation=c["organisation"],
            partnerships=tuple(c["partnerships"]),
            name=PersonName(**c["name"]) if "name" in c else None,
            email=c.get("email"),
            phone=c.get("phone"),
            as_of=_date(c.get("as_of")),
            sources=_tuple(c.get("sources")),
        )
        for c in doc["contacts"]
    ]
    activities = [
        Activity(
            id=a["id"],
            partnership=a["partnership"],
            kind=lt.ActivityKind(a["kind"]),
            title=LocalizedText(**a["title"]),
            description=_text(a.get("description")),
            date=_date(a.get("date")),
            since=_date(a.get("since")),
            recurrence=Recurrence(**a["recurrence"]) if "recurrence" in a else None,
            themes=tuple(lt.Theme(t) for t in a.get("themes", ())),
            institutions=_tuple(a.get("institutions")),
            participants=_quantity(a.get("participants")),
            sources=_tuple(a.get("sources")),
        )
        for a in doc["activities"]
    ]
    discrepancies = [
        Discrepancy(
            id=d["id"],
            subject=d["subject"],
            description=LocalizedText(**d["description"]),
            sources=_tuple(d.get("sources")),
        )
        for d in doc["discrepancies"]
    ]
    return (dt.date.fromisoformat(doc["revision"]), sources, cities, partnerships, foundations,
            institutions, contacts, activities, discrepancies)  # fmt: skip


def _dumps(plain: Any) -> bytes:
    return (json.dumps(plain, ensure_ascii=False, indent=2) + "\n").encode()


def vcard_floors(dataset: Dataset) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """vobject serializing the same cards, and a plain join of their unfolded lines."""
    import vobject  # noqa: PLC0415

    from leiden_twinning.exporters.vcard import cards  # noqa: PLC0415

    built = cards(dataset, locale=LOCALE, options={"vcard_version": "3.0", "partnership": ()})
    lines = [line for card in built for line in card.lines]
    text = lt.export(dataset, "vcard", locale=LOCALE).decode("utf-8")
    components = list(vobject.readComponents(text))

    def serialize() -> bytes:
        return "".join(c.serialize() for c in components).encode("utf-8")

    def join() -> bytes:
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")

    return serialize, join


def ical_floor(dataset: Dataset) -> Callable[[], Any]:
    """icalendar's own serialization of the prebuilt calendar."""
    from leiden_twinning.exporters.ical import build_calendar  # noqa: PLC0415

    calendar = build_calendar(dataset, locale=LOCALE)
    return calendar.to_ical


# -- the runs --------------------------------------------------------------------------------


@attrs.define
class Row:
    """One measured operation at one size."""

    size: int
    name: str
    seconds: float
    floor: float | None = None
    floor_name: str = ""
    output: int | None = None
    peak: int | None = None

    @property
    def ratio(self) -> float | None:
        """The time over the floor's."""
        return None if self.floor is None else self.seconds / self.floor


#: Above this size the iCalendar and vCard floors are not run (they take minutes, and their
#: ratios are known from the smaller sizes): the exporters' own times still give the linearity.
FLOORS_UP_TO = 10_000
#: Above FLOORS_UP_TO these exports run only with --full: at 100,000 ties they take about 8 (ical)
#: and 3 (html) minutes, and the whole bench would take 20 minutes instead of 10.
SLOW = frozenset({"ical", "html"})


def measure(size: int, *, memory: bool, full: bool, out: Callable[[str], None]) -> list[Row]:
    """Measure loading and every exporter on a synthetic dataset of *size* partnerships."""
    repeat = 3 if size <= 1_000 else 1
    out(f"N = {size:,}: generating ...")
    document = generate(size)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    del document
    rows: list[Row] = []
    out(f"N = {size:,}: {len(data) / 1e6:.1f} MB of JSON; loading ...")
    floor, _ = best(lambda: plain_construction(json.loads(data)), repeat)
    seconds, dataset = best(lambda: lt.loads(data), repeat)
    rows.append(Row(size, "load", seconds, floor, "json.loads + construction", len(data)))
    plain = json.loads(data)
    floors: dict[str, tuple[str, Callable[[], Any]]] = {
        "json": (
            "json.dumps",
            functools.partial(_dumps, plain),
        ),
    }
    join = None
    if size <= FLOORS_UP_TO:
        serialize, join = vcard_floors(dataset)
        floors["ical"] = ("Calendar.to_ical", ical_floor(dataset))
        floors["vcard"] = ("vobject serialize", serialize)
    for fmt in sorted(f.name for f in lt.formats() if f.distribution == "leiden-twinning"):
        if fmt in SLOW and size > FLOORS_UP_TO and not full:
            out(f"N = {size:,}: export {fmt} skipped (--full runs it)")
            continue
        out(f"N = {size:,}: export {fmt} ...")
        seconds, output = best(functools.partial(lt.export, dataset, fmt, locale=LOCALE), repeat)
        row = Row(size, fmt, seconds, output=len(output))
        if fmt in floors:
            row.floor_name, fn = floors[fmt]
            row.floor, _ = best(fn, repeat)
        if memory:
            row.peak, _ = peak(functools.partial(lt.export, dataset, fmt, locale=LOCALE))
        rows.append(row)
    if join is not None:
        join_seconds, _ = best(join, repeat)
        rows.append(Row(size, "vcard (plain join)", join_seconds))
    return rows


#: Fresh interpreters may write bytecode: an installed package has its .pyc files, and
#: PYTHONDONTWRITEBYTECODE would make every start compile this package (and only this one) again.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _run(argv: list[str], repeat: int) -> float:
    subprocess.run(argv, check=True, capture_output=True, env=_ENV)  # noqa: S603 - warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=_ENV)  # noqa: S603
        times.append(time.perf_counter() - start)
    return min(times)


def startup(out: Callable[[str], None]) -> dict[str, float]:
    """Fresh-interpreter times: imports, and a whole CLI run."""
    out("startup: imports and a whole CLI run ...")
    py = sys.executable
    found = {
        "bare": _run([py, "-c", "pass"], 5),
        "attrs+cattrs": _run([py, "-c", "import attrs, cattrs"], 5),
        "leiden_twinning": _run([py, "-c", "import leiden_twinning"], 5),
        "libraries": _run(
            [
                py,
                "-c",
                (
                    "import attrs, cattrs, pluggy, icalendar, babel.dates, babel.numbers, "
                    "babel.lists, babel.core, gettext, json"
                ),
            ],
            5,
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        target = os.path.join(tmp, "leiden.ics")  # noqa: PTH118
        found["cli"] = _run(
            [py, "-m", "leiden_twinning", "export", "ical", "--locale", "en", "--output", target], 5
        )
    return found


# -- the report ------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _ok(value: float | None, target: float) -> str:
    if value is None:
        return ""
    return "met" if value <= target else "MISSED"


def report(rows: list[Row], start: dict[str, float] | None) -> str:
    """The results as Markdown tables."""
    lines = [
        "| N | operation | time | floor | floor time | ratio | target |",
        "|---:|---|---:|---|---:|---:|---|",
    ]
    for r in rows:
        target = TARGETS.get(r.name)
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        goal = f"<= {target}x {_ok(r.ratio, target)}" if target else ""
        lines.append(
            f"| {r.size:,} | {r.name} | {_ms(r.seconds)} | {r.floor_name or '-'} | "
            f"{_ms(r.floor)} | {ratio} | {goal} |"
        )
    growth_lines: list[str] = []
    by = {(r.name, r.size): r for r in rows}
    sizes = sorted({r.size for r in rows})
    for name in dict.fromkeys(r.name for r in rows if r.name == "load" or r.output is not None):
        for small in sizes:
            big = by.get((name, small * 10))
            if big is None or (name, small) not in by:
                continue
            growth = big.seconds / by[name, small].seconds
            growth_lines.append(
                f"| {name} | {small:,} -> {small * 10:,} | {growth:.1f}x | "
                f"<= {LINEAR:g}x {_ok(growth, LINEAR)} |"
            )
    if growth_lines:
        lines += ["", "| operation | N -> 10 N | time ratio | target |", "|---|---|---:|---|"]
        lines += growth_lines
    memory = [r for r in rows if r.peak is not None and r.output]
    if memory:
        lines += ["", "| N | export | output | peak memory | peak / output | target |"]
        lines.append("|---:|---|---:|---:|---:|---|")
        for r in memory:
            assert r.peak is not None
            assert r.output is not None
            share = r.peak / r.output
            lines.append(
                f"| {r.size:,} | {r.name} | {r.output / 1e6:.1f} MB | {r.peak / 1e6:.1f} MB | "
                f"{share:.1f}x | < {MEMORY:g}x {_ok(share, MEMORY)} |"
            )
    if start:
        imp = start["leiden_twinning"] / start["attrs+cattrs"]
        cli = start["cli"] / start["libraries"]
        lines += [
            "",
            "| start-up (fresh interpreter, best of 5) | time | against | time | ratio | target |",
            "|---|---:|---|---:|---:|---|",
            (
                f"| `import leiden_twinning` | {_ms(start['leiden_twinning'])} | "
                f"`import attrs, cattrs` | {_ms(start['attrs+cattrs'])} | {imp:.2f}x | "
                f"<= {IMPORT}x {_ok(imp, IMPORT)} |"
            ),
            (
                f"| `leiden-twinning export ical` | {_ms(start['cli'])} | "
                f"`python -c 'import icalendar, babel, ...'` | {_ms(start['libraries'])} | "
                f"{cli:.2f}x | <= {CLI}x {_ok(cli, CLI)} |"
            ),
            f"| `python -c pass` | {_ms(start['bare'])} | | | | |",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated sizes (default: %(default)s)",
    )
    parser.add_argument(
        "--memory-up-to",
        type=int,
        default=1_000,
        help="trace peak memory up to this size; tracing is slow (default: %(default)s)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        help="also run the ical and html exports above 10,000 ties (about 20 minutes in all)",
    )
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timings")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]

    def out(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.perf_counter()
    rows: list[Row] = []
    for size in sizes:
        rows += measure(size, memory=size <= args.memory_up_to, full=args.full, out=out)
    start = None if args.no_startup else startup(out)
    header = (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores; "
        f"leiden_twinning {lt.__version__}; locale {LOCALE}; "
        f"whole run {time.perf_counter() - started:.0f} s"
    )
    text = header + "\n\n" + report(rows, start) + "\n"
    sys.stdout.write(text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    sys.exit(main())
