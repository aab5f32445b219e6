"""Print the jubilees (every fifth year of a tie) that fall in a year.

    python examples/jubilees_of_year.py [YEAR]        # default: the year after the data's date

A tie known only to the year or the month has a jubilee year but no day: the library never
invents one, so the script says "day unknown".
"""

from __future__ import annotations

import sys

import leiden_twinning as lt

SINCE = {
    lt.MilestoneKind.ESTABLISHED: "since the tie was established",
    lt.MilestoneKind.SIGNED: "since the tie was signed",
    lt.MilestoneKind.KIND_CHANGED: "as a {kind}",
}


def main(year: int | None) -> None:
    dataset = lt.load()
    year = year or dataset.revision.year + 1
    home = dataset.home_city.name
    jubilees = dataset.jubilees(year, year)
    print(f"Jubilees of {home}'s ties in {year}: {len(jubilees)}")
    for a in jubilees:
        city = dataset.partner_city(a.partnership).name
        day = a.date.isoformat() if a.date else "day unknown"
        kind = a.milestone.partnership_kind or a.partnership.kind
        since = SINCE[a.milestone.kind].format(kind=kind.value)
        round_ = ", a round jubilee" if a.is_round else ""
        tie = f"{home}\N{EN DASH}{city}"
        print(f"  {day:<11}  {tie}: {a.years} years {since} ({a.milestone.date}){round_}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
