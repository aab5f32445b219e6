"""Pausing Python's cyclic garbage collector while a large graph of new objects is built."""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (unless it is off already).

    For blocks that build many new objects at once and leave no garbage in reference cycles:
    reading a locale's CLDR data (tens of thousands of dicts and strings), a dataset (every
    entity, its texts and dates), or an export (its objects freed by reference counting as it
    goes). The collector runs after every few hundred new container objects and would walk them
    again and again while they come in (a third of the time of a read), and now and then every
    object the program holds. It is turned back on when the block ends, also by an exception; a
    collector that was off stays off.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
