"""The public error hierarchy: every error the library raises on purpose derives from one root."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Self

__all__ = [
    "DatasetError",
    "DatasetProblem",
    "ExportError",
    "LeidenTwinningError",
    "PluginError",
    "UnknownDatasetError",
    "UnknownEntityError",
    "UnknownFormatError",
    "UnknownLocaleError",
]


class LeidenTwinningError(Exception):
    """The root of every error ``leiden_twinning`` raises on purpose.

    ``str(exc)`` is English, for developers and logs. An error a user can cause also carries
    what a program needs to show it in the user's language: :attr:`message_id`, the English
    template of the message as it appears in the package's catalog, and :attr:`params`, the
    values of its ``{placeholders}``. A param may itself be a :class:`LeidenTwinningError`
    (an error wrapped in another), to be translated the same way.

    >>> import leiden_twinning as lt
    >>> try:
    ...     lt.load().city("atlantis")
    ... except lt.UnknownEntityError as exc:
    ...     print(exc.message_id, dict(exc.params))
    no city with id or name {key!r} {'key': 'atlantis'}

    .. versionchanged:: 1.0
       :attr:`message_id` and :attr:`params`.
    """

    #: The English template of the message in the package's catalog, or ``None`` when the
    #: error has none (then ``str(exc)`` is all there is).
    message_id: str | None = None
    #: The values of the ``{placeholders}`` of :attr:`message_id`.
    params: Mapping[str, Any] = MappingProxyType({})

    def __init__(
        self, *args: object, message_id: str | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        super().__init__(*args)
        if message_id is not None:
            self.message_id = message_id
            self.params = MappingProxyType(dict(params or {}))


class DatasetProblem(str):
    """One problem of a :class:`DatasetError`: the English ``"path: message"`` as a string.

    It also carries :attr:`path`, :attr:`message_id` (the English template, in the package's
    catalog) and :attr:`params`, so that a program can show it in the user's language.

    .. versionadded:: 1.1
    """

    path: str
    message_id: str
    params: Mapping[str, Any]

    def __new__(cls, path: str, message_id: str, params: Mapping[str, Any] | None = None) -> Self:
        """Make the problem at *path* (``""`` for the top) from its template and params."""
        values = dict(params or {})
        text = message_id.format(**values)
        problem = super().__new__(cls, f"{path}: {text}" if path else text)
        problem.path = path
        problem.message_id = message_id
        problem.params = MappingProxyType(values)
        return problem


class DatasetError(LeidenTwinningError, ValueError):
    """A dataset document is malformed, mistyped, or has dangling or duplicate references.

    :attr:`problems` lists every problem found, each as ``"path: message"`` where the path points
    inside the document (``partnerships[2].history[0].date: ...``). :attr:`file` names the file
    when the document came from one.
    """

    def __init__(self, problems: Sequence[str], file: str | None = None) -> None:
        self.problems: tuple[str, ...] = tuple(problems)
        self.file = file
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.file}: " if self.file else ""
        count = len(self.problems)
        head = f"{where}{count} problem{'s' if count != 1 else ''} in the dataset"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def lines(self) -> list[str]:
        """One line per problem, each prefixed with the file name when known."""
        where = f"{self.file}: " if self.file else ""
        return [f"{where}{p}" for p in self.problems]


class UnknownEntityError(LeidenTwinningError, KeyError):
    """A lookup in a :class:`~leiden_twinning.Dataset` named no entity (a city, a partnership...).

    It is a :exc:`KeyError` too, so ``except KeyError`` keeps working; unlike a bare
    :exc:`KeyError`, ``str()`` gives the message without quotes.

    .. versionadded:: 1.0
    """

    def __init__(
        self,
        message: str,
        *,
        message_id: str | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> None:
        #: What was looked for and not found.
        self.message = message
        super().__init__(message, message_id=message_id, params=params)

    def __str__(self) -> str:
        return self.message


class UnknownDatasetError(LeidenTwinningError, LookupError):
    """No plugin registered a dataset under the requested name.

    .. versionadded:: 1.1
    """


class UnknownLocaleError(LeidenTwinningError, ValueError):
    """A locale that Babel does not know was requested."""


class UnknownFormatError(LeidenTwinningError, LookupError):
    """No exporter is registered under the requested format name."""


class PluginError(LeidenTwinningError):
    """A plugin failed to load, registered a clashing exporter, or broke during registration."""


class ExportError(LeidenTwinningError):
    """An exporter could not turn the dataset into output (bad options, or the exporter failed)."""
