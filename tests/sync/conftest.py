"""Two real DAV servers on loopback for the sync tests: Radicale and Xandikos, both with passwords.

Radicale speaks plain HTTP with an htpasswd file; Xandikos speaks HTTPS with a self-signed
certificate it makes itself (``--autocert``), which the tests trust through ``ca_bundle``.

Each server keeps its port and its storage folder for the whole test, so a test can stop it
and start it again (``stop()`` / ``start()``) to cut a sync short and let the next run finish.
"""

from __future__ import annotations

import base64
import hashlib
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
    #: The certificate to trust (the server's own, self-signed), or ``None`` for plain HTTP.
    ca_bundle: str | None = None
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
                if self.ca_bundle is not None and not Path(self.ca_bundle).is_file():
                    raise requests.ConnectionError  # the certificate is still being made
                requests.get(
                    self.base, timeout=1, allow_redirects=False, verify=self.ca_bundle or True
                )
                return
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
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
        session.verify = self.ca_bundle or True
        session.trust_env = False  # else REQUESTS_CA_BUNDLE in the environment overrides verify
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
    password = "tr0ub4dor-and-3"  # noqa: S105 - the test user's password
    digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()  # noqa: S324 - the {SHA} form Xandikos reads
    users = tmp_path / "xandikos-users"
    users.write_text(f"alice:{{SHA}}{digest}\n", encoding="utf-8")
    state = tmp_path / "xandikos-state"
    port = _free_port()
    executable = Path(sys.executable).with_name("xandikos")
    command = [
        str(executable),
        "serve",
        "--directory",
        str(tmp_path / "xandikos"),
        "--state-dir",
        str(state),
        "--defaults",
        "--listen-address",
        "localhost",
        "--port",
        str(port),
        "--no-detect-systemd",
        "--autocert",
        "--htpasswd",
        str(users),
    ]
    # The self-signed certificate names the listen address: "localhost", a loopback name.
    base = f"https://localhost:{port}"
    return DavServer(
        "xandikos",
        command,
        base,
        f"{base}/user/calendars/twinning/",
        f"{base}/user/contacts/twinning/",
        Credentials("alice", password),
        tmp_path / "xandikos.log",
        str(state / "certs" / "selfsigned.crt"),
    )


@pytest.fixture(params=["radicale", "xandikos"])
def dav(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DavServer]:
    """Radicale (HTTP, htpasswd) or Xandikos (HTTPS, self-signed, htpasswd) on loopback."""
    server = _radicale(tmp_path) if request.param == "radicale" else _xandikos(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def radicale_auth(tmp_path: Path) -> Iterator[DavServer]:
    """Radicale alone, with htpasswd authentication."""
    server = _radicale(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def xandikos(tmp_path: Path) -> Iterator[DavServer]:
    """Xandikos alone, over HTTPS with its self-signed certificate, with htpasswd authentication."""
    server = _xandikos(tmp_path)
    try:
        server.start()
        yield server
    finally:
        server.stop()
