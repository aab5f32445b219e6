"""Two real DAV servers on loopback for the sync tests: Radicale (htpasswd) and Xandikos.

Each server keeps its port and its storage folder for the whole test, so a test can stop it
and start it again (``stop()`` / ``start()``) to cut a sync short and let the next run finish.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pytest
import requests

from leiden_twinning._sync import Credentials

if TYPE_CHECKING:
    from collections.abc import Iterator


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@attrs.define
class DavServer:
    """A DAV server process on loopback that a test can stop and start again."""

    name: str
    command: list[str]
    base: str
    #: Where the sync tests put their calendar and address book (made with ``create=True``).
    calendar: str
    addressbook: str
    auth: Credentials | None
    log: Path
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it answers (30 s at most)."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(self.command, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            if self.process.poll() is not None:
                pytest.fail(f"{self.name} exited with {self.process.returncode}: {self.read_log()}")
            try:
                requests.get(self.base, timeout=1, allow_redirects=False)
                return
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"{self.name} did not answer within 30 s: {self.read_log()}")
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server (kill it if it does not stop within 10 s)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def read_log(self) -> str:
        """The server's output so far."""
        return self.log.read_text(errors="replace")

    def session(self) -> requests.Session:
        """An independent HTTP client logged in as the test user."""
        session = requests.Session()
        if self.auth is not None:
            session.auth = (self.auth.user, self.auth.password)
        return session


def _radicale(tmp_path: Path) -> DavServer:
    users = tmp_path / "users"
    users.write_text("alice:correct-horse-battery\n", encoding="utf-8")
    port = _free_port()
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
        "htpasswd",
        "--auth-htpasswd-filename",
        str(users),
        "--auth-htpasswd-encryption",
        "plain",
        "--logging-level",
        "warning",
    ]
    base = f"http://127.0.0.1:{port}"
    return DavServer(
        "radicale",
        command,
        base,
        f"{base}/alice/twinning-calendar/",
        f"{base}/alice/twinning-contacts/",
        Credentials("alice", "correct-horse-battery"),
        tmp_path / "radicale.log",
    )


def _xandikos(tmp_path: Path) -> DavServer:
    port = _free_port()
    executable = Path(sys.executable).with_name("xandikos")
    command = [
        str(executable),
        "serve",
        "--directory",
        str(tmp_path / "xandikos"),
        "--state-dir",
        str(tmp_path / "xandikos-state"),
        "--defaults",
        "--listen-address",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-detect-systemd",
    ]
    base = f"http://127.0.0.1:{port}"
    return DavServer(
        "xandikos",
        command,
        base,
        f"{base}/user/calendars/twinning/",
        f"{base}/user/contacts/twinning/",
        None,
        tmp_path / "xandikos.log",
    )


@pytest.fixture(params=["radicale", "xandikos"])
def dav(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DavServer]:
    """Radicale (htpasswd authentication) or Xandikos (no authentication), started on loopback."""
    server = _radicale(tmp_path) if request.param == "radicale" else _xandikos(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def radicale_auth(tmp_path: Path) -> Iterator[DavServer]:
    """Radicale alone, with htpasswd authentication."""
    server = _radicale(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
