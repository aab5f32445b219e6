"""The bench's generator of synthetic datasets (``benchmarks/generate.py``), for the tests."""

from __future__ import annotations

import functools
import importlib
import json
import sys
from pathlib import Path
from typing import Any

import leiden_twinning as lt

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
#: ``generate(size)``: the JSON document of a valid dataset of *size* ties (a fixed seed).
generate: Any = importlib.import_module("generate").generate


@functools.cache
def generated(size: int) -> lt.Dataset:
    """The dataset of ``generate(size)``, loaded once (a dataset is immutable)."""
    return lt.loads(json.dumps(generate(size)).encode("utf-8"))
