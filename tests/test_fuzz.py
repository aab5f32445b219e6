"""Fuzzing of the loader: mutated, truncated and hostile documents load or fail cleanly.

Every input either loads, or raises :exc:`leiden_twinning.DatasetError` whose problems are one line
each and start with a path that exists in the document (or describe the whole document). Nothing
else escapes, and the CLI turns each failure into exit status 1 with one line per problem.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import leiden_twinning as lt
from leiden_twinning.cli import main

CANONICAL_BYTES = resources.files("leiden_twinning").joinpath("data", "leiden.json").read_bytes()
CANONICAL: dict[str, Any] = json.loads(CANONICAL_BYTES)

#: Bounded, reproducible runs: the whole file takes well under a minute. For a deeper hunt, set
#: ``LEIDEN_TWINNING_FUZZ=2000`` (examples per test, with a random seed).
_DEEP = int(os.environ.get("LEIDEN_TWINNING_FUZZ", "0"))
FUZZ = settings(
    max_examples=_DEEP or 60,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=not _DEEP,
)
CLI_FUZZ = settings(FUZZ, max_examples=_DEEP // 4 or 20)

#: Problems that describe the document as a whole rather than a place in it.
DOCUMENT_PROBLEMS = (
    "not UTF-8 text",
    "not JSON",
    "expected an object {...}, found ",
    "unknown field ",
    "nested too deeply",
)
_PATH = re.compile(
    r"(?P<path>[A-Za-z_]\w*(?:\[\d+\])*(?:\.[A-Za-z_]\w*(?:\[\d+\])*)*): (?P<message>.+)", re.DOTALL
)
_SEGMENT = re.compile(r"\.?([A-Za-z_]\w*)|\[(\d+)\]")

#: Stand-ins replaced in the serialised text, for values `json.dumps` cannot write itself.
DEEP_LIST = "@@deep-list@@"
DEEP_OBJECT = "@@deep-object@@"
HUGE_INTEGER = "@@huge-integer@@"
HUGE_FLOAT = "@@huge-float@@"
NESTING = 100_000

IMPOSSIBLE_DATES = [
    "2011-02-30",
    "2011-02-29",
    "1900-02-29",
    "2011-13-01",
    "2011-00-10",
    "2011-04-31",
    "0000",
    "0000-01-01",
    "99999",
    "2011-2-3",
    "2011-W05-3",
    "20110203",
    "2011-02-03T10:00",
    "\uff12\uff10\uff11\uff11",  # fullwidth digits
    "١٩٩٤",
    "",
    " 2011",
    "2011\n",
]
REFERENCE_FIELDS = {"home", "city", "partnership", "organisation", "subject"}
REFERENCE_LISTS = {"sources", "institutions", "partnerships"}


def resolve(document: Any, path: str) -> tuple[bool, bool]:
    """Whether *path* exists in *document*, and whether its parent does."""
    node = document
    segments = _SEGMENT.findall(path)
    for n, (key, index) in enumerate(segments):
        last = n == len(segments) - 1
        if key and isinstance(node, dict) and key in node:
            node = node[key]
        elif index and isinstance(node, list) and int(index) < len(node):
            node = node[int(index)]
        else:
            return False, last
    return True, True


def check_problems(document: Any, error: lt.DatasetError) -> None:
    """Each problem is one line, and names a place that exists in *document* or the document."""
    assert error.problems
    for problem in error.problems:
        assert problem.strip()
        assert "\n" not in problem
        assert "\r" not in problem
        assert problem.isprintable(), problem  # no line break, no terminal escape
        assert "Traceback" not in problem
        assert "While structuring" not in problem
        if problem.startswith(DOCUMENT_PROBLEMS):
            continue
        match = _PATH.fullmatch(problem)
        assert match is not None, problem
        assert document is not None, problem
        exists, parent_exists = resolve(document, match["path"])
        if match["message"] == "required field missing":
            assert (False, True) == (exists, parent_exists), problem
        else:
            assert exists, problem
        assert "Error: " not in match["message"], problem  # a Python exception's name leaked


def load_or_fail(data: bytes, document: Any = None) -> lt.Dataset | None:
    """Load *data*; on :exc:`DatasetError`, check its problems against *document*."""
    try:
        return lt.loads(data)
    except lt.DatasetError as error:
        check_problems(document, error)
        return None


# -- strategies ------------------------------------------------------------------------------


def json_values(max_leaves: int = 8) -> st.SearchStrategy[Any]:
    """Any JSON value, and a few that trouble parsers and converters."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=30),
        st.sampled_from(
            [
                0,
                -1,
                1.5,
                2**63,
                10**400,
                -(10**400),
                "",
                " ",
                "\ud800",
                "\udfff x",
                "a\x00b",
                "\x85",
                "line\nbreak",
                "x" * 100_000,
                "leiden",
                "2011-02-30",
                "1",
                "true",
                DEEP_LIST,
                DEEP_OBJECT,
                HUGE_INTEGER,
                HUGE_FLOAT,
            ]
        ),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    children = node.items() if isinstance(node, dict) else enumerate(node)
    for key, child in children:
        if isinstance(child, dict | list):
            found.extend(_containers(child, (*path, key)))
    return found


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


@st.composite
def mutation(draw: st.DrawFn, document: Any) -> None:  # noqa: PLR0912 - a branch per kind
    """Change *document* in place, in one of the ways a hand edit or a generator goes wrong."""
    path = draw(st.sampled_from(_containers(document)))
    node = _at(document, path)
    keys: list[Any] = list(node) if isinstance(node, dict) else list(range(len(node)))
    op = draw(
        st.sampled_from(
            ["replace", "delete", "add", "duplicate", "dangle", "date", "duplicate-id", "nest"]
        )
    )
    key = draw(st.sampled_from(keys)) if keys else None
    if op == "replace" and key is not None:
        node[key] = draw(json_values())
    elif op == "delete" and key is not None:
        del node[key]
    elif op == "add":
        if isinstance(node, dict):
            node[draw(st.text(max_size=12))] = draw(json_values(3))
        else:
            node.insert(draw(st.integers(0, len(node))), draw(json_values(3)))
    elif op == "duplicate" and isinstance(node, list) and node:
        node.append(copy.deepcopy(node[draw(st.integers(0, len(node) - 1))]))
    elif op == "dangle" and isinstance(node, dict):
        refs = [k for k in node if k in REFERENCE_FIELDS | REFERENCE_LISTS]
        if refs:
            ref = draw(st.sampled_from(refs))
            target = draw(st.sampled_from(["atlantis", "leiden", "", "Oxford", "oxford "]))
            if isinstance(node[ref], list) and node[ref]:
                node[ref][draw(st.integers(0, len(node[ref]) - 1))] = target
            else:
                node[ref] = target
    elif op == "date" and isinstance(node, dict):
        fields = [k for k in node if k in {"date", "since", "as_of", "revision"}]
        if fields:
            node[draw(st.sampled_from(fields))] = draw(st.sampled_from(IMPOSSIBLE_DATES))
    elif op == "duplicate-id" and isinstance(node, list) and len(node) > 1:
        ids = [item["id"] for item in node if isinstance(item, dict) and "id" in item]
        target = node[draw(st.integers(0, len(node) - 1))]
        if ids and isinstance(target, dict):
            target["id"] = draw(st.sampled_from(ids))
    elif op == "nest" and key is not None:
        node[key] = draw(st.sampled_from([DEEP_LIST, DEEP_OBJECT, [[[[[node[key]]]]]]]))


def serialise(document: Any, *, ascii: bool = False) -> bytes:  # noqa: A002
    """Write *document* as JSON, expanding the stand-ins for what `json.dumps` cannot write.

    With *ascii*, non-ASCII characters are escaped (``\\ud800``), else written as UTF-8 (a lone
    surrogate then becomes bytes that are not UTF-8).
    """
    text = json.dumps(document, ensure_ascii=ascii)
    text = text.replace(f'"{DEEP_LIST}"', "[" * NESTING + "]" * NESTING)
    text = text.replace(f'"{DEEP_OBJECT}"', '{"a":' * NESTING + "1" + "}" * NESTING)
    text = text.replace(f'"{HUGE_INTEGER}"', "9" * 5000)
    text = text.replace(f'"{HUGE_FLOAT}"', "1e400")
    return text.encode("utf-8", "surrogatepass")


@st.composite
def mutated_documents(draw: st.DrawFn) -> tuple[Any, bytes]:
    """The canonical document with one to three mutations, and its serialised bytes."""
    document = json.loads(CANONICAL_BYTES)
    for _ in range(draw(st.integers(1, 3))):
        draw(mutation(document))
    return document, serialise(document, ascii=draw(st.booleans()))


@st.composite
def damaged_bytes(draw: st.DrawFn) -> bytes:
    """The canonical file truncated, or with bytes inserted or overwritten."""
    data = bytearray(CANONICAL_BYTES)
    offset = draw(st.integers(0, len(data)))
    op = draw(st.sampled_from(["truncate", "insert", "overwrite"]))
    junk = draw(
        st.one_of(
            st.binary(min_size=1, max_size=8),
            st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\x00"]),
        )
    )
    if op == "truncate":
        del data[offset:]
    elif op == "insert":
        data[offset:offset] = junk
    else:
        data[offset : offset + len(junk)] = junk
    return bytes(data)


# -- the loader ------------------------------------------------------------------------------


class TestCanonical:
    """The starting point of every mutation is itself valid."""

    def test_loads(self) -> None:
        assert lt.load() == lt.loads(CANONICAL_BYTES)

    def test_every_stand_in_expands(self) -> None:
        data = serialise([DEEP_LIST, DEEP_OBJECT, HUGE_INTEGER, HUGE_FLOAT])
        assert len(data) > 4 * NESTING


class TestMutatedDocuments:
    """Mutated documents load, or fail with a DatasetError naming a real path."""

    @FUZZ
    @given(mutated_documents())
    def test_load_or_dataset_error(self, case: tuple[Any, bytes]) -> None:
        document, data = case
        load_or_fail(data, document)

    @FUZZ
    @given(mutated_documents())
    def test_text_input_behaves_like_bytes(self, case: tuple[Any, bytes]) -> None:
        document, data = case
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("utf-8", "surrogatepass")
        load_or_fail(text.encode("utf-8", "surrogatepass"), document)
        try:
            lt.loads(text)
        except lt.DatasetError as error:
            check_problems(document, error)

    @FUZZ
    @given(st.lists(json_values(), min_size=1, max_size=6), st.data())
    def test_any_value_in_any_field(self, values: list[Any], data: st.DataObject) -> None:
        document = json.loads(CANONICAL_BYTES)
        for value in values:
            paths = [p for p in _containers(document) if _at(document, p)]
            node = _at(document, data.draw(st.sampled_from(paths)))
            key = data.draw(st.sampled_from(list(node) if isinstance(node, dict) else [0]))
            node[key] = value
        load_or_fail(serialise(document), document)


class TestNotADataset:
    """Bytes that are not a dataset at all fail as a DatasetError describing the document."""

    @FUZZ
    @given(st.binary(max_size=200))
    def test_random_bytes(self, data: bytes) -> None:
        load_or_fail(data)

    @FUZZ
    @given(st.text(max_size=200))
    def test_random_text(self, text: str) -> None:
        load_or_fail(text.encode("utf-8"))

    @FUZZ
    @given(json_values(20))
    def test_any_json_value_at_the_top(self, value: Any) -> None:
        load_or_fail(serialise(value), value)

    @FUZZ
    @given(damaged_bytes())
    def test_damaged_file(self, data: bytes) -> None:
        try:
            document = json.loads(data)
        except ValueError:
            document = None
        load_or_fail(data, document)

    @pytest.mark.parametrize(
        ("data", "expected"),
        [
            (b"[" * NESTING + b"]" * NESTING, "not JSON"),
            (b'{"a":' * NESTING + b"1" + b"}" * NESTING, "not JSON"),
            (b"", "not JSON"),
            (b"\xff\xfe{}", "not UTF-8 text"),
            (CANONICAL_BYTES.decode().encode("utf-16"), "not UTF-8 text"),
            (b"\xef\xbb\xbf" + CANONICAL_BYTES, "not JSON"),
            (b"9" * 5000, "not JSON"),
            (b"null", "expected an object {...}, found "),
            (b"[]", "expected an object {...}, found "),
            (CANONICAL_BYTES[: len(CANONICAL_BYTES) // 2], "not JSON"),
        ],
        ids=[
            "nested-lists",
            "nested-objects",
            "empty",
            "invalid-utf8",
            "utf16",
            "bom",
            "huge-integer",
            "null",
            "list",
            "truncated",
        ],
    )
    def test_examples(self, data: bytes, expected: str) -> None:
        with pytest.raises(lt.DatasetError) as info:
            lt.loads(data)
        assert [expected] == [p[: len(expected)] for p in info.value.problems]


def _mutate(edit: Any) -> tuple[Any, bytes]:
    document = json.loads(CANONICAL_BYTES)
    edit(document)
    return document, serialise(document, ascii=True)


#: Each case is a regression found by the fuzzer or named by the issue: (id, edit, expected path).
REGRESSIONS: list[tuple[str, Any, str]] = [
    ("impossible-date", lambda d: d["partnerships"][0]["history"][0].update(date="2011-02-30"),
     "partnerships[0].history[0].date"),
    ("impossible-revision", lambda d: d.update(revision="2011-02-30"), "revision"),
    ("duplicate-id", lambda d: d["cities"][2].update(id=d["cities"][3]["id"]), "cities[3].id"),
    ("dangling-city", lambda d: d["partnerships"][1].update(city="atlantis"),
     "partnerships[1].city"),
    ("home-not-a-string", lambda d: d.update(home=[[[]]]), "home"),
    ("name-not-a-string", lambda d: d["cities"][1].update(name=5), "cities[1].name"),
    ("huge-latitude", lambda d: d["cities"][2].update(coordinates={"latitude": 10**400,
     "longitude": 0}), "cities[2].coordinates.latitude"),
    ("huge-day", lambda d: d["activities"][0].update(recurrence={"month": 2, "day": 10**100}),
     "activities[0].recurrence"),
    ("infinite-population", lambda d: d["cities"][2].update(population={"value": HUGE_FLOAT}),
     "cities[2].population.value"),
    ("unknown-key-with-escape", lambda d: d["cities"][2].update({"\x1b[31mred\n": 1}),
     "cities[2]"),
    ("lone-surrogate-name", lambda d: d["cities"][1].update(name="Den \ud800Haag"),
     "cities[1].name"),
    ("lone-surrogate-text", lambda d: d["cities"][1]["description"].update(nl="\udc00"),
     "cities[1].description.nl"),
    ("lone-surrogate-under-non-ascii-key", lambda d: d.update(schema_version={"\u00c0": "\ud800"}),
     "schema_version"),
    ("week-date-revision", lambda d: d.update(revision="2011-W05-3"), "revision"),
    ("compact-revision", lambda d: d.update(revision="20110203"), "revision"),
    ("schema-version-true", lambda d: d.update(schema_version=True), "schema_version"),
]  # fmt: skip


class TestRegressions:
    """Inputs that once loaded wrongly or failed badly now fail cleanly, at their path."""

    @pytest.mark.parametrize(("edit", "path"), [r[1:] for r in REGRESSIONS],
                             ids=[r[0] for r in REGRESSIONS])  # fmt: skip
    def test_rejected_at_path(self, edit: Any, path: str) -> None:
        document, data = _mutate(edit)
        with pytest.raises(lt.DatasetError) as info:
            lt.loads(data)
        check_problems(document, info.value)
        assert path in [p.partition(": ")[0] for p in info.value.problems]


# -- the command line ------------------------------------------------------------------------


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """Run the CLI in this process; return its status, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


def expected_lines(data: bytes, file: Path) -> list[str] | None:
    """The stderr lines the CLI must print for *data*, or None when it loads."""
    try:
        lt.loads(data)
    except lt.DatasetError as error:
        return [f"leiden-twinning: error: {file}: {p}" for p in error.problems]
    return None


class TestCommandLine:
    """`validate` and `export json --dataset` report each bad file in one line per problem."""

    def check(self, data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            file = Path(tmp) / "data.json"
            file.write_bytes(data)
            output = Path(tmp) / "out.json"
            expected = expected_lines(data, file)
            for argv in (
                ["validate", str(file)],
                ["export", "json", "--dataset", str(file), "--output", str(output)],
            ):
                status, _out, err = run_cli(argv)
                if expected is None:
                    assert (0, "") == (status, err)
                else:
                    assert (1, expected) == (status, err.removesuffix("\n").split("\n"))
                    assert not output.exists()  # no partial file

    @CLI_FUZZ
    @given(mutated_documents())
    def test_mutated(self, case: tuple[Any, bytes]) -> None:
        self.check(case[1])

    @CLI_FUZZ
    @given(damaged_bytes())
    def test_damaged(self, data: bytes) -> None:
        self.check(data)

    @pytest.mark.parametrize(
        "data",
        [
            b"[" * NESTING + b"]" * NESTING,
            b"\xff\xfe\x00garbage",
            b"9" * 5000,
            CANONICAL_BYTES[:1000],
            CANONICAL_BYTES.replace(b'"2026-11-29"', b'"2026-02-30"'),
            CANONICAL_BYTES.replace(b'"leiden-juigalpa"', b'"leiden-oxford"'),
        ],
        ids=["nested", "invalid-utf8", "huge-integer", "truncated", "impossible-date", "dup-ids"],
    )
    def test_in_a_real_process(self, data: bytes, tmp_path: Path) -> None:
        file = tmp_path / "data.json"
        file.write_bytes(data)
        expected = expected_lines(data, file)
        assert expected is not None
        for command in (["validate", str(file)], ["export", "json", "--dataset", str(file)]):
            proc = subprocess.run(
                [sys.executable, "-m", "leiden_twinning", *command],
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
            assert "Traceback" not in proc.stderr
            assert (1, expected, "") == (proc.returncode, proc.stderr.splitlines(), proc.stdout)
