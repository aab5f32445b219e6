"""Reading and writing dataset files: one format, one loader."""

from __future__ import annotations

import json
import os
import re
from typing import TYPE_CHECKING, Any

from leiden_twinning._collector import paused
from leiden_twinning._converter import structure_dataset, unstructure_parts
from leiden_twinning.exceptions import DatasetError

if TYPE_CHECKING:
    from collections.abc import Iterator

    from leiden_twinning._dataset import Dataset

__all__ = ["dumps", "load", "load_file", "loads"]


def _reject_constant(name: str) -> Any:
    """Refuse ``NaN``, ``Infinity`` and ``-Infinity``: Python reads them, JSON has no such thing."""
    msg = f"{name} is not a JSON number"
    raise ValueError(msg)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, refusing a key given twice (``json`` would keep the last silently)."""
    result = dict(pairs)
    if len(result) == len(pairs):  # the usual case, at C speed
        return result
    result = {}
    for key, value in pairs:
        if key in result:
            msg = f"the key {key!r} appears twice in one object"
            raise ValueError(msg)
        result[key] = value
    return result


def _parse(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text (invalid byte at offset {exc.start})"
        raise DatasetError([msg]) from None
    try:
        return json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        msg = f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise DatasetError([msg]) from None
    except RecursionError:
        raise DatasetError(["not JSON this library reads: nested too deeply"]) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise DatasetError([f"not JSON this library reads: {exc}"]) from None


#: A ``\\uD800``-``\\uDFFF`` escape; json reads one that is not half of a pair as a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogates(node: Any, path: str = "") -> Iterator[str]:
    """The paths of strings holding a lone surrogate: not a character, and no UTF-8 can write it.

    Only fields are visited: any other key is reported by the converter as an unknown field.
    """
    if isinstance(node, str):
        found = _SURROGATE.search(node)
        if found:
            yield f"{path}: \\u{ord(found.group()):04x} is a lone surrogate, not a character"
    elif isinstance(node, dict):
        for key, value in node.items():
            if key.isascii() and key.isidentifier():
                yield from _lone_surrogates(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _lone_surrogates(value, f"{path}[{i}]")


def loads(data: bytes | str) -> Dataset:
    """Read a dataset from JSON text or UTF-8 bytes.

    :raises DatasetError: listing every problem with its path inside the document.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    # Every object made here lives as long as the dataset: the collector would only walk them.
    with paused():
        document = _parse(raw)
        try:
            # Cheap in the usual case: the walk runs only when the text escapes a surrogate.
            if type(document) is dict and _SURROGATE_ESCAPE.search(raw):
                problems = list(_lone_surrogates(document))
                if problems:
                    raise DatasetError(problems)
            return structure_dataset(document)
        except RecursionError:
            raise DatasetError(["nested too deeply"]) from None


def load_file(path: str | os.PathLike[str]) -> Dataset:
    """Read a dataset file in the format :func:`dumps` writes (and ``export json``).

    :raises DatasetError: naming the file, with every problem and its path inside the document.
    :raises OSError: when the file cannot be read.
    """
    with open(path, "rb") as f:  # noqa: PTH123 - accepts any os.PathLike
        data = f.read()
    try:
        return loads(data)
    except DatasetError as exc:
        raise DatasetError(exc.problems, file=os.fspath(path)) from None


def load(name: str = "leiden") -> Dataset:
    """Return the dataset a plugin registered as *name*: by default Leiden's, shipped here.

    Datasets are immutable and loaded once, so every call with a name returns the same object
    (until plugins are registered or taken out).

    :raises UnknownDatasetError: when no plugin registered *name*, listing the known names.
    :raises PluginError: when the plugin providing *name* fails to load it.

    >>> import leiden_twinning as lt
    >>> sorted(p.city for p in lt.load().partnerships)
    ['buffalo-city', 'juigalpa', 'krefeld', 'nagasaki', 'oxford', 'torun']

    .. versionchanged:: 1.1
       Takes the name of a dataset a plugin registered (see ``register_datasets``).
    """
    from leiden_twinning._plugins import load_dataset  # noqa: PLC0415 - loads the plugins

    return load_dataset(name)


def dumps(dataset: Dataset) -> str:
    """Return *dataset* as the JSON text of the dataset file format: indented and stable."""
    return "".join(encode(dataset))


def encode(dataset: Dataset) -> Iterator[str]:
    """The text :func:`~leiden_twinning.dumps` returns, in pieces, never held whole.

    It is ``json.dumps(unstructure_dataset(dataset), ensure_ascii=False, indent=2)`` and a line
    break (a test holds them equal), but each item of a collection is unstructured only when
    the encoder comes to it: the plain document is never built whole.
    """
    document = {
        key: value if items is None else _Items(items)
        for key, value, items in unstructure_parts(dataset)
    }
    yield from json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document)
    yield "\n"


class _Items(list):  # type: ignore[type-arg]
    """A collection's unstructured items, made one at a time as the JSON encoder takes them.

    A list only for :class:`json.JSONEncoder`, which writes any list as an array by taking its
    length (zero or not) and iterating over it; nothing else sees this object.
    """

    def __init__(self, items: Iterator[Any]) -> None:
        super().__init__()
        self._items = items

    def __len__(self) -> int:
        return 1  # never empty: an empty collection is left out of the document

    def __iter__(self) -> Iterator[Any]:
        return self._items
