"""Shared fixtures: the canonical dataset, a mutable copy of its document, a Radicale server."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

import pytest

import leiden_twinning as lt

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="session", autouse=True)
def _own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The package's cache (and that of every command a test runs) goes to a session folder."""
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture(scope="session")
def dataset() -> lt.Dataset:
    """The canonical dataset shipped with the package."""
    return lt.load()


@pytest.fixture
def document() -> dict[str, Any]:
    """The canonical dataset as a parsed JSON document, fresh for each test to mutate."""
    parsed: dict[str, Any] = json.loads(lt.dumps(lt.load()))
    return parsed


@pytest.fixture
def radicale_server(tmp_path: Path) -> Iterator[str]:
    """A Radicale CardDAV/CalDAV server on loopback; yields its base URL (``http://127.0.0.1:PORT``).

    Storage is a folder in *tmp_path*; authentication is off (``--auth-type none``), so any user
    name with any password logs in, and that user owns the collections under ``/<user>/``.
    The server is stopped, and killed if it does not stop, when the test ends.
    """
    import requests  # noqa: PLC0415 - only the tests that start a server need it

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "radicale.log"
    command = [
        sys.executable,
        "-m",
        "radicale",
        "--config",
        "",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(tmp_path / "radicale"),
        "--auth-type",
        "none",
        "--logging-level",
        "warning",
    ]
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"radicale exited with {process.returncode}: {log.read_text()}")
            try:
                requests.get(f"{base}/.well-known/carddav", timeout=1, allow_redirects=False)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"radicale did not answer within 30 s: {log.read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
