"""Every command the docs show runs, with the exit status and the output the docs show.

The docs' ``.. code-block:: console`` blocks are read without Sphinx: a line starting with ``$ `` is
a command, the lines below it up to the next command are its output. Commands of this project
(``leiden-twinning ...``) run in a scratch folder shared by one page, in the order of the page, so
that a page may write a file in one command and read it in the next. Other commands (``pip``,
``python3 -m venv``) are the reader's environment and are not run here, except ``echo $?``, whose
output is the exit status of the command before it. Without ``echo $?``, a command must succeed.

In the output, a line ``...`` stands for any number of lines; every other line must be what the
command prints (standard output and standard error together), trailing spaces aside. A command
shown without output may print anything.

The commands run in a fresh virtual environment with only this project installed (with its ``sync``
extra), as a reader has it. Commands that name the example server ``https://dav.example.org/`` run
against a real Radicale server the test starts, with the password in ``LEIDEN_TWINNING_PASSWORD``
as the page tells the reader to set it.

A page that shows a whole package (a ``toml`` block starting ``# pyproject.toml`` and blocks
starting ``# module.py``) gets that package installed as well, with pytest, as in a plugin author's
test environment: the plugin guide's commands run with its plugin. Every other ``python`` block
runs too; a block that defines ``test_*`` functions runs under pytest, fixtures and all.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

DOCS = Path(__file__).parents[1] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.rst") if "_build" not in p.relative_to(DOCS).parts)
PROGRAM = "leiden-twinning"

#: The CalDAV/CardDAV server the docs' examples name; the tests put a Radicale server there.
DAV_HOST = "https://dav.example.org/"
#: The user and password of that server.
DAV_USER, DAV_PASSWORD = "alice", "docs-example-password"

#: The directives whose content is a shell session.
CONSOLE = ("console", "shell-session")
#: The first line of a block that is a whole file: a comment that names it.
FILE_NAME = re.compile(r"# (?P<name>[\w.-]+\.(?:toml|py))\b.*")


@dataclass
class Command:
    """One ``$`` line of a console block, with what the docs show below it."""

    page: str
    line: int
    text: str
    output: list[str] = field(default_factory=list)
    status: int = 0

    @property
    def where(self) -> str:
        """``page.rst:LINE``, for failure messages."""
        return f"{self.page}:{self.line}"


def code_blocks(text: str, languages: tuple[str, ...]) -> list[tuple[int, list[str]]]:
    """The code blocks of a page in these languages: (line of the first body line, body lines)."""
    names = "|".join(languages)
    directive = re.compile(rf"(?P<indent> *)\.\. (?:code-block|code|sourcecode):: *(?:{names})\s*")
    lines = text.splitlines()
    blocks: list[tuple[int, list[str]]] = []
    index = 0
    while index < len(lines):
        match = directive.fullmatch(lines[index])
        index += 1
        if match is None:
            continue
        indent = len(match["indent"])
        while index < len(lines) and (
            not lines[index].strip() or lines[index].lstrip().startswith(":")
        ):
            index += 1  # the blank line and the directive's options
        start, body = index, []
        while index < len(lines) and (
            not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent
        ):
            body.append(lines[index])
            index += 1
        while body and not body[-1].strip():
            body.pop()
        margin = min(len(b) - len(b.lstrip()) for b in body if b.strip())
        blocks.append((start + 1, [b[margin:] for b in body]))
    return blocks


def commands(page: Path) -> list[Command]:
    """The project's commands on a page, with output and exit status as documented."""
    found: list[Command] = []
    for start, body in code_blocks(page.read_text("utf-8"), CONSOLE):
        previous: Command | None = None
        for offset, line in enumerate(body):
            if line.startswith("$ "):
                text = line[2:].strip()
                if text == "echo $?":
                    where = f"{page.name}:{start + offset}"
                    assert previous is not None, f"{where}: echo $? after no command"
                    previous.status = int(body[offset + 1])
                    previous = None
                    continue
                previous = None
                for part in text.split("&&"):
                    if shlex.split(part, comments=True)[:1] == [PROGRAM]:
                        previous = Command(page.name, start + offset, part.strip())
                        found.append(previous)
            elif previous is not None:
                previous.output.append(line.rstrip())
    for command in found:
        while command.output and not command.output[-1]:
            command.output.pop()
    return found


def shown_files(page: Path) -> dict[str, str]:
    """The files a page shows whole: blocks whose first line is a comment naming the file."""
    found = {}
    for _, body in code_blocks(page.read_text("utf-8"), ("toml", "python")):
        match = FILE_NAME.fullmatch(body[0])
        if match is not None:
            found[match["name"]] = "\n".join(body) + "\n"
    return found


def output_pattern(documented: list[str]) -> re.Pattern[str]:
    """A regular expression for the output as shown: ``...`` is any number of lines."""
    parts = [
        r"(?:[^\n]*\n)*?" if line == "..." else re.escape(line) + r"[ \t]*\n" for line in documented
    ]
    return re.compile("".join(parts))


def prepare(folder: Path) -> None:
    """The files the docs' commands read: the example dataset, and a broken copy of it."""
    example = (DOCS / "voorbeeldstad.json").read_text("utf-8")
    (folder / "voorbeeldstad.json").write_text(example, "utf-8")
    broken = json.loads(example)
    tie = broken["partnerships"][0]
    tie["history"][0]["date"] = "1990-02-30"
    tie["themes"][1] = "sports"
    (folder / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), "utf-8")


def make_environment(venv: Path, *packages: Path | str) -> Path:
    """A fresh virtual environment with this project and these packages: its ``bin`` folder."""
    uv = (sys.executable, "-m", "uv")
    subprocess.run([*uv, "venv", "-q", "--python", sys.executable, venv], check=True)
    python = venv / "bin" / "python"
    install: list[str | Path] = [*uv, "pip", "install", "-q", "--python", python]
    project = f"{DOCS.parent}[sync]"
    subprocess.run([*install, "-e", project, *packages], check=True, timeout=300)
    return venv / "bin"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a reader has after the install line of the docs: no test tooling, no example plugin."""
    return make_environment(tmp_path_factory.mktemp("reader") / "venv")


def environment_for(page: Path, reader: Path, folder: Path) -> Path:
    """The reader's environment, plus the package a page builds (a plugin), installed."""
    files = shown_files(page)
    if "pyproject.toml" not in files:
        return reader
    package = folder / "package"
    package.mkdir()
    for name, text in files.items():
        (package / name).write_text(text, "utf-8")
    return make_environment(folder / "venv", package, "pytest")


def run(
    command: Command, folder: Path, bin_folder: Path, dav: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a documented command in a reader's environment whose language is English.

    With *dav*, the example server's address in the command is that server's.
    """
    argv = shlex.split(command.text, comments=True)
    if dav is not None:
        argv = [a.replace(DAV_HOST, dav) for a in argv]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env |= {"LANG": "en_GB.UTF-8", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
    env["LEIDEN_TWINNING_PASSWORD"] = DAV_PASSWORD
    return subprocess.run(
        [bin_folder / argv[0], *argv[1:]],
        cwd=folder,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        encoding="utf-8",
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def dav(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Radicale server with the docs' user, on a free local port: its base address."""
    folder = tmp_path_factory.mktemp("radicale")
    (folder / "users").write_text(f"{DAV_USER}:{DAV_PASSWORD}\n", "utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            folder / "collections",
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            folder / "users",
            "--auth-htpasswd-encryption",
            "plain",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "Radicale exited"
                assert time.monotonic() < deadline, "Radicale did not start"
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=30)


class TestParser:
    """The console blocks are read as a reader sees them."""

    PAGE = """\
Intro.

.. code-block:: console

   $ leiden-twinning validate a.json   # a comment
   a.json: valid
   $ echo $?
   0
   $ pip install x && leiden-twinning formats
   ...

   $ leiden-twinning export pdf
   $ echo $?
   1

.. code-block:: python

   $ leiden-twinning not-a-console-block
"""

    def test_commands_outputs_and_statuses(self, tmp_path: Path) -> None:
        """Commands, their output lines and their ``echo $?`` status are parsed from the page."""
        page = tmp_path / "page.rst"
        page.write_text(self.PAGE, "utf-8")

        found = commands(page)

        assert [
            (5, "leiden-twinning validate a.json   # a comment", ["a.json: valid"], 0),
            (9, "leiden-twinning formats", ["..."], 0),
            (12, "leiden-twinning export pdf", [], 1),
        ] == [(c.line, c.text, c.output, c.status) for c in found]

    def test_ellipsis_matches_any_lines(self) -> None:
        """``...`` matches zero or more lines; other lines must match whole."""
        pattern = output_pattern(["first", "...", "last"])

        assert pattern.fullmatch("first\nlast\n")
        assert pattern.fullmatch("first\na\nb\nlast\n")
        assert not pattern.fullmatch("first\nlast but one\n")


class TestShownFiles:
    """Blocks that show a whole file are found by the comment that names it."""

    def test_named_blocks_only(self, tmp_path: Path) -> None:
        """A toml or python block whose first line names a file is that file; others are not."""
        page = tmp_path / "page.rst"
        page.write_text(
            ".. code-block:: toml\n\n    # pyproject.toml of your package\n    [project]\n\n"
            ".. code-block:: python\n\n    # plugin.py\n    import csv\n\n"
            ".. code-block:: python\n\n    import pluggy\n",
            "utf-8",
        )

        assert {
            "pyproject.toml": "# pyproject.toml of your package\n[project]\n",
            "plugin.py": "# plugin.py\nimport csv\n",
        } == shown_files(page)


def test_the_docs_show_a_package_to_install() -> None:
    """The plugin guide shows a whole package, so its commands run with it installed."""
    files = shown_files(DOCS / "plugins.rst")

    assert {"pyproject.toml", "leiden_twinning_csv.py"} <= set(files)


def test_every_command_shown_is_in_a_console_block() -> None:
    """No command hides in a block the tests do not read (a ``::`` block, another lexer)."""
    pattern = re.compile(rf"^ *\$ (?:.*&& *)?{PROGRAM}(?: |$)", re.MULTILINE)
    for page in PAGES:
        shown = pattern.findall(page.read_text("utf-8"))

        assert len(shown) == len(commands(page)), page.name


def test_the_docs_show_commands() -> None:
    """The pages show commands to run, so the test below is not vacuous."""
    shown = [c for page in PAGES for c in commands(page)]

    assert len(shown) >= 10
    assert any(c.output for c in shown)
    assert any(c.status for c in shown)


@pytest.fixture(scope="module")
def environments(reader: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], Path]:
    """The environment of each page (see :func:`environment_for`), made once per page."""
    made: dict[Path, Path] = {}

    def environment(page: Path) -> Path:
        if page not in made:
            made[page] = environment_for(page, reader, tmp_path_factory.mktemp(page.stem))
        return made[page]

    return environment


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """The Python code blocks of a page that are not a whole file of a package it shows."""
    return [
        (start, "\n".join(body) + "\n")
        for start, body in code_blocks(page.read_text("utf-8"), ("python",))
        if FILE_NAME.fullmatch(body[0]) is None
    ]


def block_command(python: Path | str, script: Path) -> list[str | Path]:
    """How a Python block runs: as a script, or under pytest when it defines tests."""
    if re.search(r"^def test_", script.read_text("utf-8"), re.MULTILINE):
        return [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", script]
    return [python, script]


def test_a_block_s_test_functions_are_called(tmp_path: Path) -> None:
    """A failing ``test_*`` function in a block fails the block, not only its top level."""
    script = tmp_path / "block.py"
    script.write_text(
        "import pytest\n\n\n@pytest.fixture\ndef value():\n    return 1\n\n\n"
        "def test_it(value):\n    assert 2 == value\n",
        "utf-8",
    )

    result = subprocess.run(
        block_command(sys.executable, script), capture_output=True, cwd=tmp_path, check=False
    )

    assert (1, True) == (result.returncode, b"1 failed" in result.stdout)


def test_the_docs_show_python_blocks() -> None:
    """The pages have Python blocks besides doctests, so the test below is not vacuous."""
    blocks = [b for page in PAGES for b in python_blocks(page)]

    assert len(blocks) >= 3
    assert any("def test_" in text for _, text in blocks)


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [p for p in PAGES if python_blocks(p)], ids=lambda p: p.relative_to(DOCS).as_posix()
)
def test_every_python_block_on_the_page(
    page: Path, environments: Callable[[Path], Path], tmp_path: Path
) -> None:
    """Each Python block runs without an error, and so do the test functions it defines.

    On a page that shows a package, the blocks run where that package is installed; elsewhere
    with the test suite's interpreter, which has the libraries the blocks use (jsonschema).
    """
    shows_package = "pyproject.toml" in shown_files(page)
    python = environments(page) / "python" if shows_package else Path(sys.executable)
    prepare(tmp_path)
    failures = []
    for start, text in python_blocks(page):
        script = tmp_path / f"block_{start}.py"
        script.write_text(text, "utf-8")
        result = subprocess.run(
            block_command(python, script),
            cwd=tmp_path,
            capture_output=True,
            encoding="utf-8",
            check=False,
            timeout=120,
        )
        if result.returncode != 0:
            failures.append(f"{page.name}:{start}:\n{result.stdout}{result.stderr}")

    assert [] == failures


@pytest.mark.slow
@pytest.mark.parametrize(
    "page", [p for p in PAGES if commands(p)], ids=lambda p: p.relative_to(DOCS).as_posix()
)
def test_every_command_on_the_page(
    page: Path,
    environments: Callable[[Path], Path],
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    """Each command exits with the documented status and prints the documented output."""
    bin_folder = environments(page)
    work = tmp_path
    prepare(work)
    shown = commands(page)
    server = request.getfixturevalue("dav") if any(DAV_HOST in c.text for c in shown) else None
    failures = []
    for command in shown:
        result = run(command, work, bin_folder, server)
        if result.returncode != command.status:
            failures.append(
                f"{command.where}: {command.text}: exit status {result.returncode}, "
                f"documented {command.status}\n{result.stdout}"
            )
        elif command.output and not output_pattern(command.output).fullmatch(result.stdout):
            failures.append(
                f"{command.where}: {command.text}: the output differs from the docs:\n"
                f"{result.stdout}"
            )
        assert "Traceback" not in result.stdout, command.where

    assert [] == failures
