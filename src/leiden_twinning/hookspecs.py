"""The contract for plugin authors: the markers and the documented hooks.

A plugin is a module (or any object) with functions decorated with :data:`hookimpl`, registered
through the ``leiden_twinning`` entry-point group::

    [project.entry-points.leiden_twinning]
    markdown = "leiden_twinning_markdown"

The built-in exporters are registered through exactly the same hook. The plugin guide
(``docs/plugins.rst``) describes the contract in full: the exporter protocol, the options, and
how failures are reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from collections.abc import Callable

    from leiden_twinning._exporter import Exporter
    from leiden_twinning._plugins import DatasetEntry

__all__ = ["PROJECT_NAME", "hookimpl", "hookspec", "register_datasets", "register_exporters"]

#: The pluggy project name, and the name of the entry-point group plugins are found through.
PROJECT_NAME = "leiden_twinning"

#: Marks a hook specification of this project.
hookspec = pluggy.HookspecMarker(PROJECT_NAME)
#: Marks a plugin's implementation of a hook.
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register output formats: call ``register(exporter)`` once per exporter.

    One plugin may register several exporters. The hook is called for each plugin on its own (the
    built-in plugins first, then the entry points by name); a plugin's exporters count only when
    its hook returns normally. An exception raised here is reported with the plugin's name and
    distribution, and the other plugins' formats keep working. The hook cannot be a wrapper.

    .. code-block:: python

        from leiden_twinning import Exporter, hookimpl

        @hookimpl
        def register_exporters(register):
            register(Exporter(name="csv", extension="csv", media_type="text/csv",
                              description="Partnerships as CSV", write=write_csv))
    """


@hookspec
def register_datasets(register: Callable[[DatasetEntry], None]) -> None:
    """Register datasets by name: call ``register(entry)`` once per dataset.

    The canonical Leiden dataset is registered through this hook under the name ``leiden``;
    :func:`~leiden_twinning.load` with a name, and the command line's ``--dataset NAME``, load a
    dataset registered here. An entry's ``load`` is called on first use only, and its result kept.
    Failures are isolated as for :func:`register_exporters`: a plugin whose hook raises loses its
    datasets, named with its distribution, and every other dataset and format keeps working.

    .. code-block:: python

        from importlib import resources

        import leiden_twinning as lt

        def load_delft():
            data = resources.files("delft_twinning").joinpath("delft.json").read_bytes()
            return lt.loads(data)

        @lt.hookimpl
        def register_datasets(register):
            register(lt.DatasetEntry(name="delft", load=load_delft))

    .. versionadded:: 1.1
    """
