"""mrtext: a toolkit for Swedish municipal documents.

Stages, each usable alone: ingest → repair → extract → link → export.
The public verbs are imported lazily, so ``import mrtext`` is cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_VERBS = {
    "repair_text": "mrtext.repair",
    "load_pipeline": "mrtext.extract",
    "extract": "mrtext.extract",
    "build_graph": "mrtext.graph",
    "to_frame": "mrtext.frames",
}

__all__ = ["__version__", *_VERBS]


def __getattr__(name: str) -> Any:
    module = _VERBS.get(name)
    if module is None:
        raise AttributeError(f"module 'mrtext' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
