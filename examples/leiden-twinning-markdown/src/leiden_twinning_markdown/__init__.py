"""A Markdown summary of the partnerships: an example plugin that uses only the public API."""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import leiden_twinning as lt

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["register_exporters", "render", "write"]

# A plugin translates its own words; the data's texts come in Dutch and English already.
_WORDS = {
    "nl": {
        "title": "Stedenbanden van {city}",
        "twinning": "stedenband",
        "friendship": "vriendschapsband",
        "since": "sinds {date}",
        "foundations": "Stichtingen",
        "sources": "Bronnen",
    },
    "en": {
        "title": "City ties of {city}",
        "twinning": "twinning",
        "friendship": "friendship tie",
        "since": "since {date}",
        "foundations": "Foundations",
        "sources": "Sources",
    },
}


def _escape(text: str) -> str:
    """Escape the characters Markdown would read as markup, and keep each text on one line."""
    for char in "\\`*_{}[]<>#|!":
        text = text.replace(char, "\\" + char)
    return " ".join(text.split())


def render(dataset: lt.Dataset, *, locale: str, options: Mapping[str, Any]) -> str:
    """The Markdown text of the summary."""
    language = "nl" if locale.split("_", maxsplit=1)[0] == "nl" else "en"
    words = _WORDS[language]
    wanted = set(options["partnership"])
    lines = [f"# {_escape(words['title'].format(city=dataset.home_city.name))}", ""]
    for partnership in dataset.partnerships:
        city = dataset.partner_city(partnership)
        if wanted and partnership.id not in wanted and city.id not in wanted:
            continue
        kind = words[partnership.kind.value]
        since = words["since"].format(date=partnership.start.date.isoformat())
        lines += [f"## {_escape(city.name)} ({city.country})", ""]
        lines += [f"*{_escape(kind)}, {since}*", ""]
        lines += [_escape(partnership.description.get(language)), ""]
        foundations = dataset.foundations_of(partnership)
        if foundations:
            lines += [f"### {words['foundations']}", ""]
            for foundation in foundations:
                name = _escape(foundation.name)
                lines.append(
                    f"- [{name}]({foundation.website})" if foundation.website else f"- {name}"
                )
            lines.append("")
        if options["sources"] and partnership.sources:
            lines += [f"### {words['sources']}", ""]
            for source_id in partnership.sources:
                source = dataset.source(source_id)
                title = _escape(source.title)
                lines.append(f"- <{source.url}> {title}" if source.url else f"- {title}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write(
    dataset: lt.Dataset, stream: IO[bytes], *, locale: str, options: Mapping[str, Any]
) -> None:
    """Write the summary as UTF-8 Markdown."""
    stream.write(render(dataset, locale=locale, options=options).encode("utf-8"))


@lt.hookimpl
def register_exporters(register: Callable[[lt.Exporter], None]) -> None:
    """Register the ``markdown`` format."""
    register(
        lt.Exporter(
            name="markdown",
            extension="md",
            media_type="text/markdown",
            description="A Markdown summary of the partnerships",
            descriptions={"nl": "Een samenvatting van de stedenbanden in Markdown"},
            write=write,
            options=(
                lt.Option(
                    name="partnership",
                    help="only this partnership, by id or partner city id (repeatable)",
                    multiple=True,
                    default=(),
                    metavar="ID",
                ),
                lt.Option(
                    name="sources",
                    help="list the sources of each partnership",
                    flag=True,
                    default=True,
                ),
            ),
        )
    )
