"""The user's cache folder, and cache files written whole or not at all.

Two things are cached between processes: the checked canonical dataset
(:mod:`leiden_twinning.canonical`) and the few CLDR fields the exporters format with
(:mod:`leiden_twinning._cldr`). Each cache file starts with a line naming its format and a line
with its key; a file whose lines differ is not unpickled. A cache that cannot be written, or does
not read back, is passed over: it never makes a command fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

__all__ = ["cache_dir", "file_name", "prune", "read", "write"]


def cache_dir() -> Path | None:
    """The folder of this package's cache: ``$XDG_CACHE_HOME/leiden-twinning``, else under ~.

    ``None`` when there is no home folder to put it in.
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # noqa: PTH117 - the XDG spec ignores a relative path
        home = os.path.expanduser("~")  # noqa: PTH111 - no exception without a home
        if not os.path.isabs(home):  # noqa: PTH117
            return None
        base = os.path.join(home, ".cache")  # noqa: PTH118
    return Path(base) / "leiden-twinning"


def file_name(prefix: str, installed_at: str, suffix: str = "") -> str:
    """``<prefix>-<16 hex digits><suffix>.pickle``: one cache file per installation.

    The digits stand for *installed_at* (the folder of the code the cache belongs to) and the
    Python, so that two virtual environments do not replace each other's file at every run.
    """
    where = f"{installed_at}\0{sys.implementation.cache_tag}".encode()
    return f"{prefix}-{hashlib.sha256(where).hexdigest()[:16]}{suffix}.pickle"


def read(path: Path, magic: bytes, key: bytes, unpickler: type[pickle.Unpickler]) -> Any:
    """What *path* holds under *magic* and *key*; ``None`` when absent, stale or unreadable.

    *unpickler* decides which classes the file may name.
    """
    try:
        with path.open("rb") as stream:
            if stream.read(len(magic)) != magic or stream.readline() != key:
                return None
            return unpickler(io.BytesIO(stream.read())).load()
    except Exception:  # a damaged cache is only a missed cache
        return None


def write(path: Path, magic: bytes, key: bytes, value: Any) -> bool:
    """Store *value* in *path* under *magic* and *key*, atomically.

    :returns: whether it was written (any failure is passed over).
    """
    import tempfile  # noqa: PLC0415 - only when a cache is written

    with contextlib.suppress(Exception):
        payload = magic + key + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(payload)
            os.replace(tmp, path)  # noqa: PTH105 - atomic on POSIX and Windows
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)  # noqa: PTH108
            raise
        return True
    return False


def prune(path: Path, pattern: str, keep: int) -> None:
    """Remove the oldest files matching *pattern* beside *path* beyond *keep*, never *path*."""
    others = []
    for other in path.parent.glob(pattern):
        if other.name != path.name:
            with contextlib.suppress(OSError):  # gone meanwhile
                others.append((other.stat().st_mtime_ns, other.name, other))
    others.sort(reverse=True)
    for _mtime, _name, other in others[keep - 1 :]:
        with contextlib.suppress(OSError):
            other.unlink()
