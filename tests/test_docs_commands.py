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
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[1] / "docs"
PAGES = sorted(DOCS.glob("*.rst"))
PROGRAM = "leiden-twinning"

#: The directives whose content is a shell session.
CONSOLE = re.compile(
    r"^(?P<indent> *)\.\. (?:code-block|code|sourcecode):: *(?:console|shell-session)\s*$"
)


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


def console_blocks(text: str) -> list[tuple[int, list[str]]]:
    """The console blocks of a reStructuredText page: (line of the first body line, body lines)."""
    lines = text.splitlines()
    blocks: list[tuple[int, list[str]]] = []
    index = 0
    while index < len(lines):
        match = CONSOLE.match(lines[index])
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
    for start, body in console_blocks(page.read_text("utf-8")):
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


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtual environment with this project installed, alone.

    What a reader has after the install line of the docs: no test tooling, no example plugin.
    """
    venv = tmp_path_factory.mktemp("reader") / "venv"
    uv = (sys.executable, "-m", "uv")
    subprocess.run([*uv, "venv", "-q", "--python", sys.executable, venv], check=True)
    python = venv / "bin" / "python"
    install: list[str | Path] = [*uv, "pip", "install", "-q", "--python", python, "-e", DOCS.parent]
    subprocess.run(install, check=True, timeout=300)
    return venv / "bin"


def run(command: Command, folder: Path, bin_folder: Path) -> subprocess.CompletedProcess[str]:
    """Run a documented command in a reader's environment whose language is English."""
    argv = shlex.split(command.text, comments=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env |= {"LANG": "en_GB.UTF-8", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"}
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


def test_the_docs_show_commands() -> None:
    """The pages show commands to run, so the test below is not vacuous."""
    shown = [c for page in PAGES for c in commands(page)]

    assert len(shown) >= 10
    assert any(c.output for c in shown)
    assert any(c.status for c in shown)


@pytest.mark.slow
@pytest.mark.parametrize("page", [p for p in PAGES if commands(p)], ids=lambda p: p.name)
def test_every_command_on_the_page(page: Path, reader: Path, tmp_path: Path) -> None:
    """Each command exits with the documented status and prints the documented output."""
    prepare(tmp_path)
    failures = []
    for command in commands(page):
        result = run(command, tmp_path, reader)
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
