"""Reviewable pattern data of the extraction components (one JSON file per component).

>>> sorted(load_patterns("dnr"))[:2]
['_comment', 'include_prefix_in_span']
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["PATTERNS_DIR", "load_patterns"]

PATTERNS_DIR = Path(__file__).resolve().parent


@cache
def _read(name: str) -> str:
    return (PATTERNS_DIR / f"{name}.json").read_text(encoding="utf-8")


def load_patterns(name: str) -> dict[str, Any]:
    """Return a fresh copy of ``patterns/<name>.json``."""
    data: dict[str, Any] = json.loads(_read(name))
    return data
