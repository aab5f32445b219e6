"""The languages the package speaks: its message catalogs, and how complete each one is."""

from __future__ import annotations

import functools
from importlib import resources

import attrs

from leiden_twinning._i18n import CATALOG_LANGUAGES, DOMAIN

__all__ = ["Language", "languages"]


@attrs.frozen
class Language:
    """A language the package has a message catalog for.

    >>> import leiden_twinning as lt
    >>> nl = next(lang for lang in lt.languages() if lang.tag == "nl")
    >>> nl.completeness
    1.0
    >>> nl.name(), nl.name("en")
    ('Nederlands', 'Dutch')

    .. versionadded:: 1.0
    """

    #: The language's BCP 47 tag (``nl``), what ``locale=`` and ``--locale`` take.
    tag: str
    #: The share of the package's messages the catalog translates, from 0.0 to 1.0 (English,
    #: the language of the messages themselves, is always complete).
    completeness: float
    #: How many of the package's messages the catalog translates.
    translated: int
    #: How many messages the package has.
    total: int

    def name(self, locale: str | None = None) -> str:
        """The language's name in *locale* (a locale tag), or in the language itself."""
        from babel import Locale  # noqa: PLC0415 - CLDR data loads on use

        from leiden_twinning._i18n import resolve_locale  # noqa: PLC0415

        own = Locale.parse(self.tag)
        shown = own if locale is None else resolve_locale(locale)
        return str(own.get_display_name(shown))


def _key(message_id: str | tuple[str, ...] | list[str]) -> str:
    return message_id if isinstance(message_id, str) else message_id[0]


@functools.cache
def languages() -> tuple[Language, ...]:
    """The languages of the package's catalogs, by tag, each with how complete it is.

    Completeness counts the messages of the package's template (``leiden_twinning.pot``) that the
    compiled catalog translates.

    >>> import leiden_twinning as lt
    >>> [lang.tag for lang in lt.languages()]
    ['de', 'en', 'es', 'ja', 'nl', 'pl']

    .. versionadded:: 1.0
    """
    from babel.messages.mofile import read_mo  # noqa: PLC0415
    from babel.messages.pofile import read_po  # noqa: PLC0415

    folder = resources.files("leiden_twinning").joinpath("locale")
    with folder.joinpath(f"{DOMAIN}.pot").open("rb") as stream:
        ids = {_key(m.id) for m in read_po(stream) if m.id}
    found = []
    for tag in CATALOG_LANGUAGES:
        if tag == "en":
            translated = len(ids)
        else:
            mo = folder.joinpath(tag, "LC_MESSAGES", f"{DOMAIN}.mo")
            with mo.open("rb") as stream:
                catalog = read_mo(stream)
            done = {
                _key(m.id)
                for m in catalog
                if m.id
                and (all(m.string) if isinstance(m.string, tuple | list) else bool(m.string))
            }
            translated = len(ids & done)
        found.append(
            Language(
                tag=tag,
                completeness=translated / len(ids) if ids else 1.0,
                translated=translated,
                total=len(ids),
            )
        )
    return tuple(found)
