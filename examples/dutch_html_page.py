"""Write the Dutch web page about Leiden's ties: one self-contained HTML file.

    python examples/dutch_html_page.py

The page needs no network and no JavaScript: open it in a browser, mail it, print it or put it
on a website. It goes to the folder named by EXAMPLES_OUTPUT (default: a new temporary folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import leiden_twinning as lt


def main() -> None:
    out = Path(os.environ.get("EXAMPLES_OUTPUT") or tempfile.mkdtemp(prefix="leiden-twinning-"))
    out.mkdir(parents=True, exist_ok=True)
    dataset = lt.load()
    # The page counts its jubilees from the date of the data, so it is the same on every run.
    page = lt.export(dataset, "html", locale="nl", reference_date=dataset.revision)
    path = out / "stedenbanden.html"
    path.write_bytes(page)
    print(f"{path}: {len(page):,} bytes")


if __name__ == "__main__":
    main()
