"""A Markdown summary of the partnerships: an example plugin that uses only the public API.

Everything it shows is localized the way the built-in exporters localize: labels ("stedenband"),
dates at their own precision ("november 1988"), country names and the data's own texts come from
``leiden_twinning.i18n(locale)``; the ties to show are picked with the same ``partnerships``
option as the built-in formats (``--partnership oxford`` on the command line).
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

import leiden_twinning as lt
from leiden_twinning.exporting import partnerships_option, select_partnerships

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["register_exporters", "render", "write"]

# The plugin's own words, by language; any other language gets English. (A larger plugin would
# keep a gettext catalog and pass its own ``translate`` to the Exporter.)
_WORDS = {
    "nl": {
        "title": "Stedenbanden van {city}",
        "since": "sinds {date}",
        "foundations": "Stichtingen",
        "sources": "Bronnen",
    },
    "en": {
        "title": "City ties of {city}",
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
    t = lt.i18n(locale)
    words = _WORDS.get(t.language, _WORDS["en"])
    chosen = select_partnerships(dataset, options["partnerships"], exporter="markdown")
    lines = [f"# {_escape(words['title'].format(city=dataset.home_city.name))}", ""]
    for partnership in chosen:
        city = dataset.partner_city(partnership)
        kind = t.label(partnership.kind)
        since = words["since"].format(date=t.date(partnership.start.date))
        lines += [f"## {_escape(city.name)} ({_escape(t.country(city.country))})", ""]
        lines += [f"*{_escape(kind)}, {_escape(since)}*", ""]
        lines += [_escape(t.text(partnership.description).text), ""]
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
                # The option every format uses to pick ties: one name, metavar and help.
                partnerships_option(),
                lt.Option(
                    name="sources",
                    help="list the sources of each partnership",
                    flag=True,
                    default=True,
                ),
            ),
        )
    )
