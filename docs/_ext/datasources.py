"""The ``dataset-sources`` directive: every source of the canonical dataset and what rests on it.

The list is generated from ``leiden_twinning.load()``, so it cannot drift from the data: each
source with its title (linked), publisher and date (or the note saying why it has none), then the
facts that cite it, named by their kind and id::

    .. dataset-sources::
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from docutils import nodes as docutils_nodes
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

import leiden_twinning

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _escape(text: str) -> str:
    """Escape the reStructuredText inline markup characters of a plain text."""
    for char in ("\\", "*", "`", "_", "|"):
        text = text.replace(char, "\\" + char)
    return text


def _facts(dataset: leiden_twinning.Dataset) -> dict[str, list[str]]:
    """For each source id, the facts that cite it, in dataset order."""
    found: dict[str, list[str]] = {}

    def add(label: str, sources: tuple[str, ...]) -> None:
        for source in sources:
            found.setdefault(source, []).append(label)

    for city in dataset.cities:
        add(f"city ``{city.id}``", city.sources)
        for figure in city.figures:
            add(f"figure ``{figure.id}``", figure.sources)
        for distance in city.distances:
            add(f"distance {city.name}-{_escape(distance.to)}", distance.sources)
    for p in dataset.partnerships:
        add(f"tie ``{p.id}``", p.sources)
        for m in p.history:
            add(f"milestone ``{p.id}`` {m.date} ({m.kind.value})", m.sources)
    for collection, noun in (
        (dataset.foundations, "foundation"),
        (dataset.institutions, "institution"),
        (dataset.contacts, "contact"),
        (dataset.activities, "activity"),
        (dataset.discrepancies, "discrepancy"),
    ):
        for item in collection:
            add(f"{noun} ``{item.id}``", item.sources)
    return found


class DatasetSources(SphinxDirective):
    """List every source of the canonical dataset with the facts that rest on it."""

    has_content = False

    def run(self) -> list[docutils_nodes.Node]:
        """Build the list from the canonical dataset."""
        dataset = leiden_twinning.load()
        facts = _facts(dataset)
        lines: list[str] = []
        for source in dataset.sources:
            title = _escape(source.title)
            head = f"`{title} <{source.url}>`__" if source.url else f"**{title}**"
            parts = [head]
            if source.publisher:
                parts.append(_escape(source.publisher))
            parts.append(str(source.date) if source.date else "undated")
            lines.append(f"* ``{source.id}``: {', '.join(parts)}.")
            if source.note is not None and source.note.en:
                lines += ["", f"  *{_escape(source.note.en)}*"]
            cited = facts.get(source.id, [])
            lines += ["", f"  Facts resting on it ({len(cited)}): {'; '.join(cited)}.", ""]
        holder = docutils_nodes.container()
        self.state.nested_parse(
            StringList(lines, source=self.get_source_info()[0]), self.content_offset, holder
        )
        return list(holder.children)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive."""
    app.add_directive("dataset-sources", DatasetSources)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
