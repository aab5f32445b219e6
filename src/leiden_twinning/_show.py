"""The readable text summary behind ``leiden-twinning show``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from leiden_twinning._dataset import Dataset
    from leiden_twinning._i18n import I18n
    from leiden_twinning._model import Discrepancy, Partnership

__all__ = ["render"]


def _partnership(dataset: Dataset, p: Partnership, t: I18n, *, detailed: bool) -> list[str]:
    city = dataset.partner_city(p)
    place = t.country(city.country)
    if city.region is not None:
        place = f"{place}, {t.text(city.region).text}"
    lines = [f"{city.name} ({place})"]
    # The tie is of its current kind since the latest milestone that set that kind: Nagasaki's
    # friendship of 2013 is a twinning since 2017, not since 2013.
    start = next(m for m in reversed(p.history) if m.partnership_kind == p.kind)
    # Translators: e.g. "twinning since 1 September 1998"; {kind} is a kind of tie.
    since = t.gettext("{kind} since {date}").format(kind=t.label(p.kind), date=t.date(start.date))
    lines.append(f"  {since}")
    # Messages are looked up outside the f-strings: the extractor cannot see inside them.
    if city.population is not None:
        # Translators: a label in the text summary: "population: about 71,000".
        label = t.gettext("population")
        value = t.quantity(city.population)
        if city.population_as_of is not None:
            # Translators: a figure with the date it was true: "about 71,000 (as of 2013)".
            value = t.gettext("{value} (as of {date})").format(
                value=value, date=t.partial_date(city.population_as_of)
            )
        lines.append(f"  {label}: {value}")
    if p.themes:
        # Translators: a label in the text summary, followed by a list of themes.
        label = t.gettext("themes")
        lines.append(f"  {label}: {t.list(t.label(theme) for theme in p.themes)}")
    for foundation in dataset.foundations_of(p):
        website = f" <{foundation.website}>" if foundation.website else ""
        # Translators: a label in the text summary, followed by the name of a foundation.
        label = t.gettext("foundation")
        lines.append(f"  {label}: {foundation.name}{website}")
    _contacts(lines, dataset, p, t)
    notes = dataset.discrepancies_of(p)
    if notes and not detailed:
        # Translators: a line in the text summary: how many points the sources disagree on; the
        # details are in `leiden-twinning show CITY`.
        line = t.ngettext(
            "the sources disagree on {n} point (see show {city})",
            "the sources disagree on {n} points (see show {city})",
            len(notes),
        )
        lines.append(f"  {line.format(n=len(notes), city=city.name)}")
    if detailed:
        lines.append("")
        lines.append(f"  {t.text(p.description).text}")
        lines.append("")
        # Translators: a heading in the text summary (the milestones of a tie).
        heading = t.gettext("History")
        lines.append(f"  {heading}:")
        for m in p.history:
            lines.append(f"  - {t.date(m.date)}: {t.text(m.description).text}")
        activities = dataset.activities_of(p)
        if activities:
            # Translators: a heading in the text summary.
            heading = t.gettext("Activities")
            lines.append(f"  {heading}:")
            for a in activities:
                when = f" ({t.partial_date(a.date)})" if a.date else ""
                r = a.recurrence
                if r is not None and r.approximate and r.month and r.day:
                    # Translators: after a yearly activity in the text summary.
                    around = t.gettext("around {day}").format(day=t.day_month(r.month, r.day))
                    when = f" ({around})"
                lines.append(f"  - {t.text(a.title).text}{when}")
        _discrepancies(lines, t, notes)
    return lines


def _contacts(lines: list[str], dataset: Dataset, p: Partnership, t: I18n) -> None:
    """Append the contacts of *p*, each with how old it is where its date is known."""
    for contact in dataset.contacts_of(p):
        who = contact.name.full if contact.name else dataset.organisation(contact.organisation).name
        reach = ", ".join(x for x in (contact.email, contact.phone) if x)
        # Translators: a label in the text summary, followed by a person and their role.
        label = t.gettext("contact")
        lines.append(f"  {label}: {who} ({t.text(contact.role).text}) {reach}".rstrip())
        if contact.as_of is not None:
            age = t.years(dataset.revision.year - contact.as_of.year)
            # Translators: how old a contact is, under it in the text summary:
            # "published 2013, 13 years before this data".
            note = t.gettext("published {date}, {age} before this data")
            lines.append(f"    {note.format(date=t.partial_date(contact.as_of), age=age)}")


def _discrepancies(lines: list[str], t: I18n, notes: Sequence[Discrepancy]) -> None:
    """Append the points where the sources disagree, under their heading."""
    if not notes:
        return
    # Translators: a heading in the text summary: points where the sources of the data disagree.
    heading = t.gettext("Where the sources disagree")
    lines.append(f"  {heading}:")
    lines.extend(f"  - {t.text(d.description).text}" for d in notes)


def render(dataset: Dataset, t: I18n, city: str | None = None) -> str:
    """Return the summary of every partnership, or the detailed summary of one."""
    if city is not None:
        return "\n".join(_partnership(dataset, dataset.partnership(city), t, detailed=True)) + "\n"
    home = dataset.home_city
    # Translators: the first line of `leiden-twinning show`.
    head = t.ngettext(
        "{home} and its {n} partner city (data as of {date})",
        "{home} and its {n} partner cities (data as of {date})",
        len(dataset.partnerships),
    ).format(home=home.name, n=len(dataset.partnerships), date=t.date(dataset.revision))
    lines = [head, ""]
    home_notes = dataset.discrepancies_of(home)
    if home_notes:
        _discrepancies(lines, t, home_notes)
        lines.append("")
    for p in sorted(dataset.partnerships, key=lambda p: p.start.date.sort_key):
        lines.extend(_partnership(dataset, p, t, detailed=False))
        lines.append("")
    return "\n".join(lines)
