"""Describe another municipality's ties in the dataset format, load the file and export it.

    python examples/other_municipality.py

The municipality and its partner town are made up. The script builds the dataset from the typed
model (every field is checked as it is built), writes it as a JSON file in the dataset format,
loads that file back with ``load_file`` as any user file would be, and exports it as JSON and as
an iCalendar file. The files go to the folder named by EXAMPLES_OUTPUT (default: a new temporary
folder).

To start from a file instead, write the JSON by hand (``docs/dataformat.rst`` describes every
field) and check it with ``leiden-twinning validate FILE``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import leiden_twinning as lt


def voorbeeldstad() -> lt.Dataset:
    """A small dataset: one home city, one partner, one tie with its history, one foundation."""
    source = lt.Source(
        id="raadsbesluit-1990",
        title="Raadsbesluit stedenband Voorbeeldstad-Musterstadt",
        url="https://example.org/raadsbesluit-1990",
        publisher="Gemeente Voorbeeldstad",
        date=lt.PartialDate(1990, 5),
    )
    home = lt.City(
        id="voorbeeldstad",
        name="Voorbeeldstad",
        country="NL",
        description=lt.LocalizedText(
            nl="Een denkbeeldige Nederlandse gemeente.", en="An imaginary Dutch municipality."
        ),
    )
    partner = lt.City(
        id="musterstadt",
        name="Musterstadt",
        country="DE",
        description=lt.LocalizedText(
            nl="Een denkbeeldige Duitse stad.", en="An imaginary German town."
        ),
        population=lt.Quantity(48_000, approximate=True),
        sources=(source.id,),
    )
    tie = lt.Partnership(
        id="voorbeeldstad-musterstadt",
        city=partner.id,
        description=lt.LocalizedText(
            nl="Uitwisseling van scholen en sportclubs.",
            en="Exchanges of schools and sports clubs.",
        ),
        history=(
            lt.Milestone(
                date=lt.PartialDate(1985),  # known to the year only
                kind=lt.MilestoneKind.FIRST_CONTACT,
                description=lt.LocalizedText(
                    nl="Eerste uitwisseling van sportclubs.", en="First exchange of sports clubs."
                ),
            ),
            lt.Milestone(
                date=lt.PartialDate(1990, 5, 12),
                kind=lt.MilestoneKind.SIGNED,
                description=lt.LocalizedText(
                    nl="De burgemeesters tekenen de stedenband.", en="The mayors sign the twinning."
                ),
                partnership_kind=lt.PartnershipKind.TWINNING,
                sources=(source.id,),
            ),
        ),
        themes=(lt.Theme.EDUCATION, lt.Theme.SPORT),
    )
    foundation = lt.Foundation(
        id="stichting-voorbeeldstad-musterstadt",
        name="Stichting Stedenband Voorbeeldstad-Musterstadt",
        partnership=tie.id,
        description=lt.LocalizedText(
            nl="Organiseert de uitwisselingen.", en="Organises the exchanges."
        ),
        website="https://example.org/stedenband",
    )
    return lt.Dataset(
        home=home.id,
        revision=dt.date(2026, 11, 1),
        sources=(source,),
        cities=(home, partner),
        partnerships=(tie,),
        foundations=(foundation,),
    )


def main() -> None:
    out = Path(os.environ.get("EXAMPLES_OUTPUT") or tempfile.mkdtemp(prefix="leiden-twinning-"))
    out.mkdir(parents=True, exist_ok=True)

    # 1. Write the dataset file, in the same format as the canonical Leiden data.
    source_file = out / "voorbeeldstad.json"
    source_file.write_text(lt.dumps(voorbeeldstad()), encoding="utf-8")

    # 2. Load it as any user's file: a problem would raise DatasetError with its path.
    dataset = lt.load_file(source_file)
    print(f"{source_file}: {dataset.home_city.name}, {len(dataset.partnerships)} partnership")

    # 3. Export it. The JSON export is the same format again, byte for byte.
    exported = lt.export(dataset, "json")
    if exported != source_file.read_bytes():
        raise SystemExit("the JSON export differs from the file it was loaded from")
    (out / "voorbeeldstad-export.json").write_bytes(exported)
    calendar = lt.export(dataset, "ical", locale="nl", from_year=2030, to_year=2030)
    (out / "voorbeeldstad.ics").write_bytes(calendar)
    for a in dataset.jubilees(2030, 2030):
        print(f"{a.date}: {a.years} jaar stedenband met {dataset.partner_city(a.partnership).name}")


if __name__ == "__main__":
    main()
