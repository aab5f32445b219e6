"""Development sessions: `nox` runs the default set, the same that CI runs."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "typecheck", "tests", "i18n", "docs", "examples", "bench_quick"]

PYTHON = "3.11"
ROOT = Path(__file__).parent
LOCALE = "src/leiden_twinning/locale"


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite with branch coverage (pass pytest arguments after --)."""
    session.install("-e", ".[test]")
    session.install("-e", "examples/leiden-twinning-markdown")
    session.install("-e", "examples/twinning-beispielhausen")
    # Node test tooling (axe-core, ical.js, playwright-core), pinned by committed lock files; no
    # browser download (the tests drive the system Chromium).
    for tool in ("tests/exporters/axe", "tests/exporters/icaljs", "tests/docs_browser"):
        session.run(
            "npm",
            "ci",
            "--no-audit",
            "--no-fund",
            "--silent",
            f"--prefix={tool}",
            external=True,
            env={"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD": "1"},
        )
    session.run(
        "pytest",
        "--cov",
        "--cov-report=term-missing:skip-covered",
        "--cov-fail-under=97",
        *session.posargs,
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Ruff: lint and formatting."""
    session.install("ruff>=0.8")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy --strict on the package, the tests and the tools."""
    session.install("-e", ".[test]", "mypy>=1.13", "types-jsonschema", "types-requests")
    session.run("mypy", "src", "tests", "tools")


@nox.session(python=PYTHON)
def i18n(session: nox.Session) -> None:
    """Check every message catalog (de, en, es, ja, nl, pl) without writing (CI).

    Fails on a stale catalog or .mo, an untranslated (but en) or fuzzy entry, placeholders that
    differ from the message id's, or plural forms other than the language's Plural-Forms.
    `nox -s i18n -- --update` extracts the messages, updates the catalogs and compiles them.
    """
    session.install("-e", ".", "babel>=2.14", "jinja2>=3.1")
    session.run("python", "tools/i18n.py", *(session.posargs or ["--check"]))


@nox.session(python=PYTHON)
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs with warnings as errors, and run their doctests.

    Offline: intersphinx reads the inventories in docs/_inventories. The docs' commands, Python
    and pyproject.toml snippets, and their rendering at 360 and 1280 px in Chromium are tested by
    the `tests` session (tests/test_docs.py, tests/test_docs_commands.py); the screenshots land in
    docs/_build/screenshots.
    """
    session.install("-e", ".[docs]")
    common = ["-W", "--keep-going", "-n", "-q", "docs"]
    session.run("sphinx-build", "-b", "html", *common, "docs/_build/html")
    session.run("sphinx-build", "-b", "doctest", *common, "docs/_build/doctest")


@nox.session(python=PYTHON)
def examples(session: nox.Session) -> None:
    """Run every example script."""
    session.install("-e", ".")
    out = session.create_tmp()
    for script in sorted((ROOT / "examples").glob("*.py")):
        session.run("python", str(script), env={"EXAMPLES_OUTPUT": os.fspath(out)})


#: The peer the bench compares with: python-holidays' iCalendar writer (issue 19 measured 0.109).
HOLIDAYS = "holidays==0.109"


def _bench(session: nox.Session, *args: str) -> None:
    # vobject: the vCard floor; python-holidays: the peer.
    session.install("-e", ".", "vobject>=0.9.7", HOLIDAYS)
    session.run("python", "benchmarks/bench.py", *args)
    # The layer under the exporters (folding, the iCalendar writer) next to the peer.
    session.run("python", "benchmarks/lowlevel.py", *(["--quick"] if "--quick" in args else []))


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks: throughput against python-holidays, floors, linearity, memory, start-up.

    Not in the default sessions (10 to 20 minutes at 1,000 and 10,000 ties on 2 cores); `nox -s
    bench -- --quick` runs a smoke test of the bench in well under a minute, as CI does
    (`bench_quick`).
    """
    _bench(session, *session.posargs)


@nox.session(python=PYTHON)
def bench_quick(session: nox.Session) -> None:
    """The bench on tiny datasets: proves it runs end to end (CI), measures nothing."""
    _bench(session, "--quick", *session.posargs)


@nox.session(python=PYTHON)
def build(session: nox.Session) -> None:
    """Build the sdist and the wheel into dist/."""
    session.install("build")
    session.run("python", "-m", "build", "--outdir", "dist")
