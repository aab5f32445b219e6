"""Shared fixtures: the canonical dataset, and a fresh, mutable copy of its JSON document."""

from __future__ import annotations

import json
from typing import Any

import pytest

import leiden_twinning as lt


@pytest.fixture(scope="session")
def dataset() -> lt.Dataset:
    """The canonical dataset shipped with the package."""
    return lt.load()


@pytest.fixture
def document() -> dict[str, Any]:
    """The canonical dataset as a parsed JSON document, fresh for each test to mutate."""
    parsed: dict[str, Any] = json.loads(lt.dumps(lt.load()))
    return parsed
