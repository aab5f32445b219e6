"""Sphinx configuration: built offline, nitpicky, with warnings as errors (see ``nox -s docs``)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
from sphinx.ext import intersphinx

if TYPE_CHECKING:
    from docutils.nodes import Element, TextElement
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# The docs document the installed package; fall back to the source tree for a bare checkout.
try:
    import leiden_twinning
except ImportError:  # pragma: no cover - only without an install
    sys.path.insert(0, os.fspath(Path(__file__).parents[1] / "src"))
    import leiden_twinning
from leiden_twinning import exporting
from leiden_twinning._version import __version__

project = "leiden_twinning"
author = "The leiden_twinning maintainers"
copyright = "The leiden_twinning maintainers"
release = __version__
version = ".".join(release.split(".")[:2])

sys.path.insert(0, os.fspath(Path(__file__).parent / "_ext"))

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",  # only the summary tables of the API page: no generated pages
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "myst_parser",  # only for including CHANGELOG.md
    "dataformat",  # docs/_ext/dataformat.py: field tables generated from the model
    "datasources",  # docs/_ext/datasources.py: the sources page generated from the data
    "versions",  # docs/_ext/versions.py: versionadded/versionchanged of attributes and methods
]

exclude_patterns = ["_build", "_inventories", "_static"]
root_doc = "index"
language = "en"
# Every name is documented where users import it: ``leiden_twinning.Dataset``.
add_module_names = False
python_use_unqualified_type_names = True
toc_object_entries_show_parents = "hide"

# -- autodoc ------------------------------------------------------------------------------------

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_class_signature = "mixed"
autodoc_default_options = {"exclude-members": "__init__, __new__"}
autodoc_typehints_description_target = "all"

# The tables at the top of the API page link to the entries below them; no page per name.
autosummary_generate = False

# -- cross-references ---------------------------------------------------------------------------

nitpicky = True

#: Where each project's documentation lives, and the inventory of it checked into the repository
#: (docs/_inventories/README.md says where each file comes from and how to refresh it): the build
#: never reaches the network.
INVENTORIES = Path(__file__).parent / "_inventories"
intersphinx_mapping = {
    name: (url, os.fspath(INVENTORIES / f"{name}.inv"))
    for name, url in {
        "python": "https://docs.python.org/3.11/",
        "attrs": "https://www.attrs.org/en/stable/",
        "cattrs": "https://catt.rs/en/stable/",
        "pluggy": "https://pluggy.readthedocs.io/en/stable/",
        "icalendar": "https://icalendar.readthedocs.io/en/stable/",
        "babel": "https://babel.pocoo.org/en/latest/",
    }.items()
}
intersphinx_timeout = 1

# Every reference resolves, into our pages or through intersphinx: nothing is ignored.
nitpick_ignore: list[tuple[str, str]] = []

# -- doctest ------------------------------------------------------------------------------------

# The examples in the docs and in the docstrings (``>>>`` blocks) run under ``-b doctest``.
doctest_global_setup = f"""
import pathlib
import leiden_twinning as lt
from leiden_twinning import *
from leiden_twinning.exporting import *
DOCS = pathlib.Path({os.fspath(Path(__file__).parent)!r})
"""
doctest_test_doctest_blocks = "default"

# -- HTML ---------------------------------------------------------------------------------------

html_theme = "furo"
html_title = f"leiden_twinning {release}"
html_show_sourcelink = False
# The schema's "$id" is <docs>/_static/leiden.schema.json: publish the copy the package ships.
html_static_path = ["_static", "../src/leiden_twinning/data/leiden.schema.json"]
# Long lines scroll inside their block, inline code never breaks at a hyphen (docs/_static).
html_css_files = ["leiden-twinning.css"]
# A literal block (``::``) is plain text unless it names its lexer: console output and file
# listings are not Python. Examples to run are ``doctest`` blocks (``>>>``), highlighted anyway.
highlight_language = "text"


def _public_target(
    app: Sphinx, env: BuildEnvironment, node: Element, contnode: TextElement
) -> Element | None:
    """Resolve ``leiden_twinning._model.City`` (where a type hint points) to the public name.

    Type hints name the private module that defines a class; the docs document every public name
    once, where users import it from.
    """
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    name = target.rpartition(".")[2]
    if not target.startswith("leiden_twinning._"):
        return None
    # The package's own names, then those leiden_twinning.exporting re-exports (ICalComponent).
    if name in leiden_twinning.__all__:
        public = f"leiden_twinning.{name}"
    elif name in exporting.__all__:
        public = f"leiden_twinning.exporting.{name}"
    else:
        return None
    domain: Any = env.get_domain("py")
    resolved: Element | None = domain.resolve_xref(
        env,
        node.get("refdoc", ""),
        app.builder,
        node["reftype"],
        public,
        node,
        contnode,
    )
    return resolved


#: Classes that a project's inventory lists under another role: pluggy documents its marker classes
#: with ``autofunction``, so its inventory has them as ``py:function``.
ROLE_IN_INVENTORY = {
    "pluggy.HookimplMarker": "function",
    "pluggy.HookspecMarker": "function",
}


#: Names that type hints spell through an import alias (``import datetime as dt``) or a name
#: imported only for type checking, and the object each one is.
ALIASES = {
    "dt.date": "datetime.date",
    "dt.datetime": "datetime.datetime",
    "Locale": "babel.core.Locale",
}


def _inventory_role(
    app: Sphinx, env: BuildEnvironment, node: Element, contnode: TextElement
) -> Element | None:
    """Resolve a class another project's inventory lists as a function, or an aliased name."""
    target = node.get("reftarget", "")
    role = ROLE_IN_INVENTORY.get(target)
    if node.get("refdomain") != "py" or (role is None and target not in ALIASES):
        return None
    retry = node.deepcopy()
    retry["reftarget"] = ALIASES.get(target, target)
    if role is not None:
        retry["reftype"] = "func" if role == "function" else role
    resolved: Element | None = intersphinx.missing_reference(app, env, retry, contnode)
    return resolved


def _class_descriptions(app: Sphinx, domain: str, objtype: str, contentnode: Element) -> None:
    """Leave out what a class's description would repeat from its constructor.

    A constructor's ``-> None`` is no return type of the class ("Return type: None" under an
    exception). An attrs class's parameter list goes too: its fields are documented right below
    as attributes, with the same names and types.
    """
    if domain != "py" or objtype not in {"class", "exception"}:
        return
    signature: Any = contentnode.parent[0]
    fullname = f"{signature.get('module')}.{signature.get('fullname')}"
    annotations = getattr(app.env.current_document, "autodoc_annotations", {})
    annotations.get(fullname, {}).pop("return", None)
    obj = getattr(leiden_twinning, str(signature.get("fullname")), None)
    if obj is not None and attrs.has(obj):
        annotations.pop(fullname, None)


def _readable_defaults(  # noqa: PLR0917 - the signature of the Sphinx event
    app: Sphinx,
    what: str,
    name: str,
    obj: Any,
    options: Any,
    signature: str | None,
    return_annotation: str | None,
) -> tuple[str | None, str | None] | None:
    """Show ``convert=str`` rather than ``<class 'str'>``, and a factory default as ``{}``."""
    if signature is None:
        return None
    signature = re.sub(r"<class '(?:builtins\.)?([\w.]+)'>", r"\1", signature)
    if what == "class" and attrs.has(obj):
        factories = {dict: "{}", list: "[]", set: "set()", tuple: "()"}
        for field in attrs.fields(obj):
            if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
                shown = factories.get(field.default.factory, "<factory>")
                signature = signature.replace(f"{field.name}=NOTHING", f"{field.name}={shown}")
    return signature, return_annotation


def setup(app: Sphinx) -> None:
    app.connect("missing-reference", _public_target)
    app.connect("missing-reference", _inventory_role, priority=900)
    app.connect("autodoc-process-signature", _readable_defaults)
    # Before autodoc merges the type hints into the description (priority 500).
    app.connect("object-description-transform", _class_descriptions, priority=400)
