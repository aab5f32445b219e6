"""Write the vCards of the people and organisations behind one partnership, one file per card.

    python examples/partnership_vcards.py [CITY]      # default: Buffalo City

One card per file, because Outlook desktop imports only the first card of a file; phones and
CardDAV servers take them just as well. The files go into a folder ``<partnership id>-vcards``
inside the folder named by EXAMPLES_OUTPUT (default: a new temporary folder).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import leiden_twinning as lt


def main(city: str) -> None:
    out = Path(os.environ.get("EXAMPLES_OUTPUT") or tempfile.mkdtemp(prefix="leiden-twinning-"))
    out.mkdir(parents=True, exist_ok=True)
    dataset = lt.load()
    partnership = dataset.partnership(city)  # by id or city name, accents optional
    vcard = next(f for f in lt.formats() if f.name == "vcard")
    if vcard.parts is None:
        raise SystemExit("this vcard exporter cannot write one file per card")
    folder = out / f"{partnership.id}-vcards"
    folder.mkdir(parents=True, exist_ok=True)
    # parts() takes every option of the format, like write(): start from the defaults.
    options = {option.name: option.default for option in vcard.options}
    options["partnerships"] = (partnership.id,)
    for name, data in vcard.parts(dataset, locale="en", options=options):
        (folder / name).write_bytes(data)
        print(folder / name)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "buffalo-city")
