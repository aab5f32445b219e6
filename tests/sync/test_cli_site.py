"""The ``sync``, ``publish`` and ``serve`` commands, run in-process."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import icalendar
import pytest

from leiden_twinning._sync import PASSWORD_ENV
from leiden_twinning.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    from sync.conftest import DavServer


class TestPublishCommand:
    """``publish DIR`` writes the site; bad arguments are one line."""

    def test_publish(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """The site appears with the chosen language only, and its feed parses."""
        site = tmp_path / "site"
        assert 0 == main(["publish", str(site), "--language", "en", "--base-url", "https://x.org"])
        assert (site / "index.html").is_file()
        assert not (site / "nl").exists()
        assert icalendar.Calendar.from_ical((site / "en" / "calendar.ics").read_bytes())
        assert "" == capsys.readouterr().err

    def test_bad_base_url(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A base URL that is not http(s) is one error line and no site."""
        assert 1 == main(["publish", str(tmp_path / "site"), "--base-url", "ftp://x.org"])
        err = capsys.readouterr().err
        assert 1 == len(err.splitlines())
        assert "ftp://x.org" in err
        assert not (tmp_path / "site").exists()


@pytest.mark.slow
class TestSyncCommand:
    """``sync`` against Radicale with htpasswd authentication."""

    def test_sync_dry_run_then_real(
        self,
        radicale_auth: DavServer,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """A dry run prints the plan, writing nothing; a real run creates; the next writes none."""
        assert radicale_auth.auth is not None
        monkeypatch.setenv(PASSWORD_ENV, radicale_auth.auth.password)
        url = radicale_auth.addressbook
        command = ["sync", "vcard", url, "--user", "alice", "--create", "--locale", "en"]
        assert 0 == main([*command, "--dry-run"])
        out, err = capsys.readouterr()
        lines = out.splitlines()
        assert lines[0].startswith("create the calendar or address book http")
        creates = [line for line in lines[1:] if line.startswith("create ")]
        assert len(creates) == len(lines) - 1 >= 5
        assert f"{len(creates)} to create, 0 to update" in err
        assert 0 == main(command)
        assert f"{len(creates)} to create" in capsys.readouterr().err
        assert 0 == main(command)
        assert f"0 to create, 0 to update, 0 to delete, {len(creates)} unchanged" in (
            capsys.readouterr().err
        )

    def test_wrong_password_is_one_line(
        self,
        radicale_auth: DavServer,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        """A wrong password exits 1 with one line naming the URL and never the password."""
        caplog.set_level(logging.DEBUG)
        secret = "definitely-wrong-9876"  # noqa: S105 - the wrong password the test sends
        monkeypatch.setenv(PASSWORD_ENV, secret)
        url = radicale_auth.calendar
        assert 1 == main(["sync", "ical", url, "--user", "alice", "--create"])
        out, err = capsys.readouterr()
        assert 1 == len(err.splitlines())
        assert url in err
        assert secret not in out + err + caplog.text

    def test_no_user_anywhere(
        self,
        radicale_auth: DavServer,
        monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        """Without --user, variable or .netrc, the sync goes without login and is refused."""
        monkeypatch.delenv(PASSWORD_ENV, raising=False)
        monkeypatch.setenv("HOME", str(tmp_path))
        assert 1 == main(["sync", "ical", radicale_auth.calendar, "--create"])
        err = capsys.readouterr().err
        assert 1 == len(err.splitlines())
        assert "access refused" in err
