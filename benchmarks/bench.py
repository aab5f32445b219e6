"""Benchmarks: every built-in exporter against python-holidays' iCalendar writer, and start-up.

Run by ``nox -s bench`` (``python benchmarks/bench.py``), which installs the peer (python-holidays,
pinned in the noxfile). In one run, for each size N (synthetic datasets from ``generate.py``,
default 1,000 and 10,000 ties; ``--sizes 1000,10000,100000`` for more):

- throughput of each built-in exporter (MB/s and microseconds per item: per event, card, feature
  or tie) next to python-holidays' ``ICalExporter`` on the Netherlands' holidays 1900-2100 in the
  same process, with the ratio of MB/s to the peer's (targets of issue 19: ical at least 1.0x,
  vcard and html at least 0.5x);
- load and validate (``leiden_twinning.loads``) and each exporter against its floor (issue 9):
  ``json.loads`` plus plain construction of the model objects, ``json.dumps``, icalendar's own
  ``Calendar.to_ical``, vobject's serialization of the same cards;
- linearity: the time at 10 N over the time at N, the two timed in turns: the median of 9
  rounds, each one run at 10 N against the mean of ten runs at N around it (target: at most 11);
- peak memory of each export (tracemalloc) over the size of its output (target: under 5);
- in fresh interpreters: ``import leiden_twinning`` against ``import attrs, cattrs`` (target
  1.2x), and a whole ``leiden-twinning export ical --output FILE`` run against a bare interpreter
  importing every module that run imports except ``leiden_twinning``'s own (target 1.3x).

Exports are warm (every format first runs once, untimed, on a tiny dataset) and timed as the
best of several runs (5 up to 1,000 ties, 9 at 10,000, one above); the start-up commands run
alternately, 31 rounds (best times shown, the median of the rounds' ratios checked).
Times are CPU times (this process's for the exports, the child's for a start-up), so that a busy
neighbour on a shared machine does not count as our time, nor as the peer's.
``--quick`` runs everything on tiny datasets with single runs, in well under a minute: CI runs it
as a smoke test of the bench itself, and its numbers mean nothing.
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
import resource
import statistics
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

SIZES = (1_000, 10_000)
#: --quick: tiny datasets, single runs; exercises every measurement, proves nothing about speed.
QUICK_SIZES = (20, 200)
LOCALE = "en"
#: Ratio targets (issue 9): operation -> at most this many times its floor.
TARGETS = {"load": 3.0, "json": 1.5, "ical": 2.0, "vcard": 2.0}
#: Throughput targets (issue 19): exporter -> at least this share of the peer's MB/s.
PEER_TARGETS = {"ical": 1.0, "vcard": 0.5, "html": 0.5}
#: The peer's calendar: the Netherlands' holidays over these years.
PEER_YEARS = range(1900, 2101)
LINEAR = 11.0
MEMORY = 5.0
IMPORT = 1.2
CLI = 1.3


#: Fresh interpreters per start-up command: a start takes a few hundred milliseconds, and on a
#: shared machine one start's CPU time moves by a third from the next (the ratio of a round's two
#: from 1.0x to 1.7x): the median of 31 rounds moves by a few hundredths, that of 11 by a tenth.
STARTUP_REPEAT = 31
#: Up to this size above 1,000 ties, each operation runs in :data:`ROUNDS` rounds; above, once.
REPEAT_UP_TO = 10_000
#: The rounds at 10,000 ties: the linearity is the median of their ratios (one round's ratio
#: moved from 8x to 14x within a run: the median of 5 rounds moved by a tenth between runs).
ROUNDS = 9


def runs(size: int, repeat: int) -> int:
    """How many times to time an operation at *size* ties: *repeat* up to 1,000, then more.

    A single run at 10,000 ties moves by a third from one run to the next on a shared machine,
    and the linearity (time at 10,000 over time at 1,000) with it: it is the median of the
    rounds' ratios. Above :data:`REPEAT_UP_TO`, once.
    """
    if size <= 1_000:
        return repeat
    return ROUNDS if size <= REPEAT_UP_TO else 1


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The shortest of *repeat* timed runs of *fn*, and its result.

    Time is the CPU time of this process (:func:`time.process_time`): on a machine whose cores
    are shared, the time spent waiting for a core is not the code's, and wall-clock time counts
    it. The exports are single-threaded, so CPU time is their run time on an idle machine.
    """
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        result = fn()
        times.append(time.process_time() - start)
    return min(times), result


def _children() -> float:
    """The CPU time (user and system) of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    #: For an export: how many items (events, cards, features, ties) its output holds.
    items: int | None = None
    unit: str = ""
    #: For an export: the peer's best time in the rounds that timed it (peer, ours, peer, ...).
    peer: float | None = None
    #: At 10 N: each round's time at 10 N over the mean time at N around it (linearity).
    growths: tuple[float, ...] = ()

    @property
    def growth(self) -> float | None:
        """The linearity: the median of the rounds' ratios (time at 10 N over time at N).

        The two best times alone compare a best of several runs of seconds with a best of runs
        of a tenth of that, and a short run falls into a quiet moment of a shared machine more
        often; a round's run at 10 N and its runs at N (:func:`_round`) meet the same moments,
        and the median leaves out a round that one of them spent beside a busy neighbour.
        """
        return statistics.median(self.growths) if self.growths else None

    @property
    def ratio(self) -> float | None:
        """The time over the floor's."""
        return None if self.floor is None else self.seconds / self.floor

    @property
    def throughput(self) -> float:
        """Megabytes (10**6 bytes) of output per second."""
        assert self.output is not None
        return self.output / 1e6 / self.seconds

    @property
    def per_item(self) -> float:
        """Microseconds per item."""
        assert self.items
        return self.seconds * 1e6 / self.items


#: Above this size the iCalendar and vCard floors are not run (they take minutes, and their
#: ratios are known from the smaller sizes): the exporters' own times still give the linearity.
FLOORS_UP_TO = 10_000
#: Above FLOORS_UP_TO these exports run only with --full: at 100,000 ties they take about 8 (ical)
#: and 3 (html) minutes, and the whole bench would take 20 minutes instead of 10.
SLOW = frozenset({"ical", "html"})
#: What one item of an export is, and the marker that starts one in its output.
ITEMS = {"ical": ("event", b"BEGIN:VEVENT"), "vcard": ("card", b"BEGIN:VCARD")}


def count_items(fmt: str, output: bytes, size: int) -> tuple[int, str]:
    """How many items *output* holds, and what an item is (a tie when nothing finer applies)."""
    if fmt in ITEMS:
        unit, marker = ITEMS[fmt]
        return output.count(marker), unit
    if fmt == "geojson":
        return len(json.loads(output)["features"]), "feature"
    return size, "tie"


def builtin_formats() -> list[str]:
    """The names of the formats this distribution ships (third-party plugins are not measured)."""
    return sorted(f.name for f in lt.formats() if f.distribution == "leiden-twinning")


def warm_up() -> None:
    """Export a tiny dataset once in every format, so caches filled on first use are warm."""
    dataset = lt.loads(json.dumps(generate(5)).encode("utf-8"))
    for fmt in builtin_formats():
        lt.export(dataset, fmt, locale=LOCALE)


class Peer:
    """python-holidays' ``ICalExporter`` on the Netherlands' holidays 1900-2100.

    It is timed in turns with each export (peer, ours, peer, ours, ...), and each export's ratio
    is taken against the peer's best time in its own rounds, so that both meet the same moments
    of a shared machine; the table's peer row shows its best time of all.
    """

    def __init__(self) -> None:
        try:
            import holidays  # noqa: PLC0415
            from holidays.ical import ICalExporter  # noqa: PLC0415
        except ImportError:
            sys.exit("bench: python-holidays is not installed (`nox -s bench` installs it)")
        exporter = ICalExporter(holidays.country_holidays("NL", years=PEER_YEARS))
        self._generate = functools.partial(exporter.generate, return_bytes=True)
        output = self._generate()  # warm-up
        self.row = Row(
            0,
            f"python-holidays {holidays.__version__} ICalExporter",
            float("inf"),
            output=len(output),
            items=output.count(b"BEGIN:VEVENT"),
            unit="event",
        )

    def sample(self, repeat: int = 3) -> None:
        """Time the peer *repeat* times more."""
        seconds, _ = best(self._generate, repeat)
        self.row.seconds = min(self.row.seconds, seconds)

    def once(self) -> float:
        """Time the peer once more, and return that time."""
        seconds, _ = best(self._generate, 1)
        self.row.seconds = min(self.row.seconds, seconds)
        return seconds


#: A measured size's JSON document and dataset, kept for the next size's linearity.
Measured = tuple[bytes, lt.Dataset]


#: One linearity round times one run at 10 N against this many runs at N, half of them just
#: before it and half just after: as much work, over the same stretch of the machine's time.
SMALLER_RUNS = 10


def _at_smaller(fn: Callable[[], Any], runs: int) -> float:
    """The CPU time of *runs* runs of *fn* in a row (half of a round at N)."""
    gc.collect()
    start = time.process_time()
    for _ in range(runs):
        fn()
    return time.process_time() - start


def _round(big: Callable[[], Any], smaller: Callable[[], Any] | None) -> tuple[float, float, Any]:
    """One round: the time of one run of *big*, the mean time of :data:`SMALLER_RUNS` runs of
    *smaller* around it (``0.0`` without *smaller*), and big's result.

    A single run at N takes a tenth of the time of the run at 10 N it is compared with, and on a
    shared machine a short run often falls entirely into a quiet (or a busy) moment: the ratio of
    single runs moved from 7x to 15x from one round to the next. Ten runs meet the machine for as
    long as the run at 10 N does; half before it and half after, they meet it at the same time
    on average (ten runs all after it compared its moment with the next two seconds). One
    untimed run at N goes first, so that, as before, one run at N in ten (the first after the
    big run) finds the processor's caches full of other data.
    """
    if smaller is None:
        took, result = best(big, 1)
        return took, 0.0, result
    half = SMALLER_RUNS // 2
    smaller()  # untimed: the run before came from another size or operation, as after the big run
    before = _at_smaller(smaller, half)
    took, result = best(big, 1)
    after = _at_smaller(smaller, SMALLER_RUNS - half)
    return took, (before + after) / SMALLER_RUNS, result


def _turns(
    fn: Callable[[], Any], smaller: Callable[[], Any] | None, repeat: int
) -> tuple[list[float], list[float], Any]:
    """*fn* and *smaller* (the same at a tenth of the size) timed in turns: both times of each
    round, and fn's result.

    The linearity compares the two, so both meet the same moments of the machine and the same
    process (the same heap, held by the larger dataset).
    """
    ours: list[float] = []
    theirs: list[float] = []
    result = None
    for _ in range(repeat):
        took, at_smaller, result = _round(fn, smaller)
        ours.append(took)
        if smaller is not None:
            theirs.append(at_smaller)
    return ours, theirs, result


def _timed(row: Row, ours: list[float], smaller: list[float]) -> Row:
    """*row* with its best time and, when *smaller* was timed in turns, its linearity."""
    row.seconds = min(ours)
    if smaller:
        row.growths = tuple(big / small for big, small in zip(ours, smaller, strict=True))
    return row


def measure(
    size: int,
    *,
    memory: bool,
    full: bool,
    repeat: int,
    peer: Peer,
    out: Callable[[str], None],
    smaller: Measured | None = None,
) -> tuple[list[Row], Measured]:
    """Measure loading and every exporter on a synthetic dataset of *size* partnerships.

    *smaller* is what the size a tenth of this one measured: its operations are timed again in
    turns with this size's, for the linearity.
    """
    out(f"N = {size:,}: generating ...")
    document = generate(size)
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    del document
    rows: list[Row] = []
    out(f"N = {size:,}: {len(data) / 1e6:.1f} MB of JSON; loading ...")
    floor, _ = best(lambda: plain_construction(json.loads(data)), repeat)
    small_data, small_dataset = smaller if smaller is not None else (b"", None)
    ours, at_smaller, dataset = _turns(
        lambda: lt.loads(data), None if smaller is None else lambda: lt.loads(small_data), repeat
    )
    row = Row(size, "load", 0.0, floor, "json.loads + construction", len(data))
    rows.append(_timed(row, ours, at_smaller))
    # A floor's data is made in each round just before the floor's run and dropped after it:
    # while an export or the peer runs, the process holds the dataset and little else, as a
    # command does (every object alive is one more for the garbage collector to walk).
    floors: dict[str, tuple[str, Callable[[], Callable[[], Any]]]] = {
        "json": ("json.dumps", lambda: functools.partial(_dumps, json.loads(data))),
    }
    if size <= FLOORS_UP_TO:
        floors["ical"] = ("Calendar.to_ical", lambda: ical_floor(dataset))
        floors["vcard"] = ("vobject serialize", lambda: vcard_floors(dataset)[0])
    for fmt in builtin_formats():
        if fmt in SLOW and size > FLOORS_UP_TO and not full:
            out(f"N = {size:,}: export {fmt} skipped (--full runs it)")
            continue
        out(f"N = {size:,}: export {fmt} ...")
        # The peer, ours and the floor in turns, so that all meet the same moments of a shared
        # machine (measured apart, the floor's ratio moved from 0.97x to 1.50x from run to run).
        theirs, ours, at_smaller, floored = [], [], [], []
        make = floors[fmt][1] if fmt in floors else None
        small = (
            None
            if small_dataset is None
            else functools.partial(lt.export, small_dataset, fmt, locale=LOCALE)
        )
        output = b""
        if small_dataset is not None:
            # Untimed: the caches an export fills on first use (each date's text in the locale,
            # per process) are full at N since N was measured; at 10 N they fill now, not in the
            # first round, which would compare a cold run with a warm one.
            lt.export(dataset, fmt, locale=LOCALE)
        for _ in range(repeat):
            theirs.append(peer.once())
            took, around, output = _round(
                functools.partial(lt.export, dataset, fmt, locale=LOCALE), small
            )
            ours.append(took)
            if small is not None:
                at_smaller.append(around)
            if make is not None:
                floored.append(best(make(), 1)[0])
        items, unit = count_items(fmt, output, size)
        row = _timed(
            Row(size, fmt, 0.0, output=len(output), items=items, unit=unit), ours, at_smaller
        )
        row.peer = min(theirs)
        if floored:
            row.floor_name, row.floor = floors[fmt][0], min(floored)
        del output
        if memory:
            row.peak, _ = peak(functools.partial(lt.export, dataset, fmt, locale=LOCALE))
        rows.append(row)
    if size <= FLOORS_UP_TO:
        join_seconds, _ = best(vcard_floors(dataset)[1], repeat)
        rows.append(Row(size, "vcard (plain join)", join_seconds))
    return rows, (data, dataset)


#: Fresh interpreters may write bytecode: an installed package has its .pyc files, and
#: PYTHONDONTWRITEBYTECODE would make every start compile this package (and only this one) again.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _pair(first: list[str], second: list[str], repeat: int) -> tuple[float, float, float]:
    """Two commands run alternately, so both meet the same load: their best CPU times and the
    median of their ratios, round by round.

    The best time of each alone moved by a fifth between runs on this machine (the baseline's
    more than ours); the ratio of two runs side by side moves much less, and the median of those
    ratios is what a target on the ratio is checked against. Each round swaps which of the two
    goes first, so neither always meets the moment right after the other (or after the runs
    in this process before the pair).
    """
    times: tuple[list[float], list[float]] = ([], [])
    for argv in (first, second):
        subprocess.run(argv, check=True, capture_output=True, env=_ENV)  # noqa: S603 - warm-up
    pair = ((first, times[0]), (second, times[1]))
    for turn in range(repeat):
        for argv, found in pair if turn % 2 == 0 else pair[::-1]:
            start = _children()
            subprocess.run(argv, check=True, capture_output=True, env=_ENV)  # noqa: S603
            found.append(_children() - start)
    ratios = [a / b for a, b in zip(*times, strict=True)]
    return min(times[0]), min(times[1]), statistics.median(ratios)


def _cli(target: str) -> list[str]:
    """The command line of a whole iCalendar export to *target*, through the installed script."""
    script = Path(sys.executable).with_name("leiden-twinning")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "leiden_twinning"]
    return [*command, "export", "ical", "--locale", LOCALE, "--output", target]


def _ours(module: str) -> bool:
    root = module.partition(".")[0]
    # Our package, its plugins, and interpreter internals (editable-install finders, .pth hooks).
    return root.startswith(("leiden_twinning", "__", "_virtualenv")) or root in {
        "sitecustomize",
        "usercustomize",
    }


def imported_modules(argv: list[str]) -> list[str]:
    """Every module the command *argv* imports, in the order -X importtime reports them."""
    env = {**_ENV, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run(argv, check=True, capture_output=True, env=env, text=True)  # noqa: S603
    modules = []
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rpartition("|")[2].strip()
            if name and name != "imported package":
                modules.append(name)
    return list(dict.fromkeys(modules))


def startup(repeat: int, out: Callable[[str], None]) -> dict[str, Any]:
    """Fresh-interpreter times: imports, and a whole CLI run against the libraries it imports."""
    out("start-up: imports and a whole CLI run ...")
    py = sys.executable
    found: dict[str, Any] = {}
    found["leiden_twinning"], found["attrs+cattrs"], found["import ratio"] = _pair(
        [py, "-c", "import leiden_twinning"], [py, "-c", "import attrs, cattrs"], repeat
    )
    with tempfile.TemporaryDirectory() as tmp:
        cli = _cli(os.path.join(tmp, "leiden.ics"))  # noqa: PTH118
        needed = [m for m in imported_modules(cli) if not _ours(m)]
        # -X importtime also lists imports that failed (the run tried and fell back): try them too.
        code = (
            "import importlib\n"
            f"for name in {needed!r}:\n"
            "    try:\n"
            "        importlib.import_module(name)\n"
            "    except ImportError:\n"
            "        pass\n"
        )
        found["cli"], found["libraries"], found["cli ratio"] = _pair(cli, [py, "-c", code], repeat)
    found["bare"] = min(_pair([py, "-c", "pass"], [py, "-I", "-c", "pass"], repeat)[:2])
    from importlib.metadata import packages_distributions  # noqa: PLC0415

    distributions = packages_distributions()
    roots = {m.partition(".")[0] for m in needed}
    found["third-party"] = sorted({d for r in roots for d in distributions.get(r, ())})
    found["modules"] = len(needed)
    return found


def profile(fmt: str, size: int, lines: int = 30) -> None:
    """Print a cProfile of one warm export of a *size*-tie dataset in *fmt*."""
    import cProfile  # noqa: PLC0415
    import pstats  # noqa: PLC0415

    dataset = lt.loads(json.dumps(generate(size)).encode("utf-8"))
    export = functools.partial(lt.export, dataset, fmt, locale=LOCALE)
    seconds, output = best(export, 2)
    print(f"{fmt} at N = {size:,}: {len(output):,} bytes in {_ms(seconds)} (unprofiled)")
    profiler = cProfile.Profile()
    profiler.runcall(export)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


# -- the report ------------------------------------------------------------------------------


def _ms(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _ok(value: float | None, target: float) -> str:
    if value is None:
        return ""
    return "met" if value <= target else "MISSED"


def _mb(row: Row) -> str:
    assert row.output is not None
    return f"{row.output / 1e6:.2f} MB"


def _at_least(value: float, target: float) -> str:
    return "met" if value >= target else "MISSED"


def throughput(rows: list[Row], reference: Row) -> list[str]:
    """Each export's MB/s and time per item next to the peer's, with the ratio of MB/s."""
    lines = [
        "| N | writer | output | time | MB/s | per item | MB/s vs peer | target |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
        (
            f"| | {reference.name} (NL {PEER_YEARS[0]}-{PEER_YEARS[-1]}) | "
            f"{_mb(reference)} | {_ms(reference.seconds)} | "
            f"{reference.throughput:.1f} | {reference.per_item:.1f} µs/{reference.unit} | 1.00x | |"
        ),
    ]
    for r in rows:
        if r.items is None:
            continue
        # Against the peer's best in the same rounds (its best of all where there were none).
        theirs = reference.throughput if r.peer is None else (reference.output or 0) / 1e6 / r.peer
        share = r.throughput / theirs
        target = PEER_TARGETS.get(r.name)
        goal = f">= {target}x {_at_least(share, target)}" if target else ""
        lines.append(
            f"| {r.size:,} | {r.name} ({r.items:,} {r.unit}s) | {_mb(r)} | "
            f"{_ms(r.seconds)} | {r.throughput:.1f} | {r.per_item:,.1f} µs/{r.unit} | "
            f"{share:.2f}x | {goal} |"
        )
    return lines


def report(rows: list[Row], reference: Row, start: dict[str, Any] | None) -> str:
    """The results as Markdown tables."""
    lines = throughput(rows, reference)
    lines += [
        "",
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
            # The rounds timed in turns with the smaller size; else the two sizes' best times.
            growth = big.growth or big.seconds / by[name, small].seconds
            spread = f"{min(big.growths):.1f}-{max(big.growths):.1f}x" if big.growths else "-"
            # The floor's own growth: how this machine treats ten times the data, whatever the code.
            big_floor, small_floor = big.floor, by[name, small].floor
            floor = f"{big_floor / small_floor:.1f}x" if big_floor and small_floor else "-"
            growth_lines.append(
                f"| {name} | {small:,} -> {small * 10:,} | {growth:.1f}x | {spread} | {floor} | "
                f"<= {LINEAR:g}x {_ok(growth, LINEAR)} |"
            )
    if growth_lines:
        lines += [
            "",
            (
                "| operation | N -> 10 N | time ratio (median of the rounds') | the rounds' "
                "| its floor's ratio | target |"
            ),
            "|---|---|---:|---:|---:|---|",
        ]
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
        imp, cli = start["import ratio"], start["cli ratio"]
        libraries = ", ".join(start["third-party"])
        lines += [
            "",
            (
                "| start-up (fresh interpreter; times: best of N, ratio: median of the rounds') "
                "| time | against | time | ratio | target |"
            ),
            "|---|---:|---|---:|---:|---|",
            (
                f"| `import leiden_twinning` | {_ms(start['leiden_twinning'])} | "
                f"`import attrs, cattrs` | {_ms(start['attrs+cattrs'])} | {imp:.2f}x | "
                f"<= {IMPORT}x {_ok(imp, IMPORT)} |"
            ),
            (
                f"| `leiden-twinning export ical --output FILE` | {_ms(start['cli'])} | "
                f"`python -c 'import ...'`: the {start['modules']} modules the run imports "
                f"(ours excepted), from {libraries} and the standard library | "
                f"{_ms(start['libraries'])} | {cli:.2f}x | <= {CLI}x {_ok(cli, CLI)} |"
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
    parser.add_argument(
        "--repeat",
        type=int,
        default=5,
        help="time each operation this many times up to 1,000 ties and keep the best; "
        f"{ROUNDS} times (the linearity's rounds) up to {REPEAT_UP_TO:,}, once above "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"a smoke test of the bench: sizes {QUICK_SIZES[0]} and {QUICK_SIZES[1]}, single "
        "runs, in well under a minute; its numbers mean nothing",
    )
    parser.add_argument(
        "--profile",
        metavar="FORMAT",
        help="instead of benchmarking, profile one warm export in FORMAT at the first size "
        "(cProfile; the functions with the most time of their own, then the most in all)",
    )
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    args = parser.parse_args(argv)
    if args.quick:
        sizes, repeat, startup_repeat = list(QUICK_SIZES), 1, 1
    else:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        repeat, startup_repeat = max(1, args.repeat), STARTUP_REPEAT

    def out(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.profile is not None:
        profile(args.profile, sizes[0])
        return 0
    started = time.perf_counter()
    out("warming up, and python-holidays' ICalExporter ...")
    warm_up()
    reference = Peer()
    reference.sample()
    rows: list[Row] = []
    previous: tuple[int, Measured] | None = None
    for size in sizes:
        found, measured = measure(
            size,
            memory=size <= args.memory_up_to,
            full=args.full,
            repeat=runs(size, repeat),
            peer=reference,
            out=out,
            smaller=previous[1] if previous is not None and previous[0] * 10 == size else None,
        )
        rows += found
        previous = (size, measured)
        del found, measured
    start = None if args.no_startup else startup(startup_repeat, out)
    header = (
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores; "
        f"leiden_twinning {lt.__version__}; locale {LOCALE}; "
        f"CPU time, best of {repeat} up to 1,000 ties and of {runs(REPEAT_UP_TO, repeat)} at "
        f"{REPEAT_UP_TO:,}, start-up best of {startup_repeat}; "
        f"whole run {time.perf_counter() - started:.0f} s"
        + (" (--quick: not a measurement)" if args.quick else "")
    )
    text = header + "\n\n" + report(rows, reference.row, start) + "\n"
    sys.stdout.write(text)
    if args.output is not None:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    sys.exit(main())
