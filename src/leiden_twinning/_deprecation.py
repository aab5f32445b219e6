"""Old names kept as deprecated aliases until 1.0: each use warns with the new name."""

from __future__ import annotations

import warnings
from typing import TypeVar

__all__ = ["renamed"]

T = TypeVar("T")


def renamed(
    where: str, old: str, new: str, old_value: T | None, new_value: T | None, *, stacklevel: int = 3
) -> T | None:
    """The value given under the new name, or under the old one with a :exc:`DeprecationWarning`.

    :raises TypeError: when both names are given.
    """
    if old_value is None:
        return new_value
    if new_value is not None:
        msg = f"{where}: give {new} only (the old name {old} is an alias of it)"
        raise TypeError(msg)
    warnings.warn(
        f"{where}: {old} is deprecated and goes away in 1.0; use {new}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )
    return old_value
