"""The stages the runner calls, imported lazily and loaded once per process.

Each stage lives in its own sub-package (``mrtext.ocr``, ``mrtext.repair``, ``mrtext.extract``,
``mrtext.graph``). :func:`get_stages` imports them on first use in a process (a worker of the
local pool, a dask worker, or the driver) and keeps them, so the spaCy pipeline is loaded once per
worker, not once per document. A stage that cannot be imported is *unavailable*: the runner says
so on stderr and in ``report.json`` and never fakes its output.

>>> s = get_stages(StageOptions())
>>> sorted(s.status())
['extract', 'ocr', 'relations', 'repair']
"""

from __future__ import annotations

import dataclasses
import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mrtext.model import DocumentRecord, Relation

__all__ = ["STAGE_MODULES", "RepairOutcome", "StageOptions", "Stages", "get_stages"]

STAGE_MODULES: dict[str, str] = {
    "ocr": "mrtext.ocr",
    "repair": "mrtext.repair",
    "extract": "mrtext.extract",
    "relations": "mrtext.graph",
}
"""Which module provides each per-document stage."""


@dataclass(frozen=True, slots=True)
class StageOptions:
    """The settings that change what the stages compute (part of the cache fingerprint).

    Attributes:
        repair_mode: ``"auto"`` (repair what the detector finds damaged), ``"always"`` or ``"never"``.
        ocr_lang: Tesseract language(s) for images and scanned PDFs.
        model: path of the spaCy pipeline (``None``: the packaged default).
    """

    repair_mode: str = "auto"
    ocr_lang: str = "swe"
    model: str | None = None


@dataclass(slots=True)
class RepairOutcome:
    """What the repair stage gives back, as plain data."""

    text: str
    changes: list[dict[str, Any]]
    damaged: bool


@dataclass(slots=True)
class Stages:
    """Callables for the per-document stages; ``None`` where a stage is unavailable (see ``unavailable``)."""

    ocr: Callable[[Path], tuple[str, dict[str, Any]]] | None = None
    repair: Callable[[str], RepairOutcome] | None = None
    extract: Callable[[str, str, str | None], DocumentRecord] | None = None
    relations: Callable[[DocumentRecord, str, str | None], list[Relation]] | None = None
    unavailable: dict[str, str] = field(default_factory=dict)

    def status(self) -> dict[str, str]:
        """``{stage: "ok" | "unavailable: <reason>"}`` for the report."""
        return {
            name: f"unavailable: {self.unavailable[name]}" if name in self.unavailable else "ok"
            for name in STAGE_MODULES
        }


def _import(name: str, stages: Stages) -> Any:
    """Import a stage module; record why it is unavailable instead of raising."""
    try:
        return importlib.import_module(STAGE_MODULES[name])
    except Exception as exc:  # a missing or broken stage must not stop the other stages
        stages.unavailable[name] = f"{STAGE_MODULES[name]} cannot be imported ({type(exc).__name__}: {exc})"
        return None


def _attr(module: Any, name: str, attr: str, stages: Stages) -> Any:
    if module is None:
        return None
    found = getattr(module, attr, None)
    if found is None:
        stages.unavailable[name] = f"{STAGE_MODULES[name]} has no {attr}()"
    return found


def _change_dict(change: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(change) and not isinstance(change, type):
        return dataclasses.asdict(change)
    if hasattr(change, "to_dict"):
        return dict(change.to_dict())
    if hasattr(change, "_asdict"):  # a NamedTuple
        return dict(change._asdict())
    return dict(change)


def _build(options: StageOptions) -> Stages:
    stages = Stages()

    ocr_mod = _import("ocr", stages)
    if ocr_mod is not None:
        try:
            ocr_file = importlib.import_module("mrtext.ocr.pipeline").ocr_file
        except Exception as exc:
            stages.unavailable["ocr"] = f"mrtext.ocr has no ocr_file() ({type(exc).__name__}: {exc})"
        else:
            stages.ocr = _ocr(ocr_mod, ocr_file, options.ocr_lang)

    repair_mod = _import("repair", stages)
    repair_fn = _attr(repair_mod, "repair", "repair", stages)
    config_cls = _attr(repair_mod, "repair", "RepairConfig", stages)
    if repair_fn is not None and config_cls is not None:
        repair_config = config_cls(mode=options.repair_mode)

        def run_repair(text: str) -> RepairOutcome:
            result = repair_fn(text, repair_config)
            return RepairOutcome(
                text=result.text, changes=[_change_dict(c) for c in result.changes], damaged=bool(result.damaged)
            )

        stages.repair = run_repair

    extract_mod = _import("extract", stages)
    extract_fn = _attr(extract_mod, "extract", "extract", stages)
    load_fn = _attr(extract_mod, "extract", "load_pipeline", stages)
    if extract_fn is not None and load_fn is not None:
        try:
            nlp = load_fn(options.model) if options.model else load_fn()
        except Exception as exc:  # e.g. the packaged model is missing: report it, do not fail every document
            stages.unavailable["extract"] = f"the spaCy pipeline cannot be loaded ({type(exc).__name__}: {exc})"
        else:
            stages.extract = _extractor(extract_fn, nlp, options.repair_mode if stages.repair else "never")

    graph_mod = _import("relations", stages)
    relations_fn = _attr(graph_mod, "relations", "find_relations", stages)
    if relations_fn is not None:

        def run_relations(record: DocumentRecord, text: str, repaired: str | None) -> list[Relation]:
            mode = "never" if repaired is not None or stages.repair is None else options.repair_mode
            return list(relations_fn(record, text, repaired=repaired, repair=mode))

        stages.relations = run_relations
    return stages


def _ocr(ocr_mod: Any, ocr_file: Any, lang: str) -> Callable[[Path], tuple[str, dict[str, Any]]]:
    """OCR of one file with Tesseract, engine made on first use (a missing Tesseract fails per scan)."""
    engines: list[Any] = []

    def run_ocr(path: Path) -> tuple[str, dict[str, Any]]:
        if not engines:
            engines.append(ocr_mod.TesseractEngine(lang=lang))
        doc = ocr_file(path, engines[0])
        confidences = [c for c in (page.confidence for page in doc.pages) if c is not None]
        info = {
            "pages": len(doc.pages),
            "failed_pages": doc.failed_pages,
            "sources": sorted({page.source for page in doc.pages}),
            "mean_confidence": round(sum(confidences) / len(confidences), 1) if confidences else None,
            "engine": engines[0].label,
        }
        return str(doc.text), info

    return run_ocr


def _extractor(extract_fn: Any, nlp: Any, mode: str) -> Callable[[str, str, str | None], DocumentRecord]:
    """Extraction of one text with a loaded pipeline; it repairs internally so offsets stay in the original."""
    from mrtext.ingest import Document

    def run_extract(text: str, doc_id: str, path: str | None) -> DocumentRecord:
        records = extract_fn([Document(id=doc_id, text=text, path=path)], nlp=nlp, repair=mode)
        return records[0]  # type: ignore[no-any-return]

    return run_extract


_CACHE: dict[StageOptions, Stages] = {}
_LOCK = threading.Lock()


def get_stages(options: StageOptions) -> Stages:
    """Return the stages for ``options``, built on the first call in this process and kept.

    Thread-safe (the dask threaded scheduler calls it from several threads).
    """
    with _LOCK:
        stages = _CACHE.get(options)
        if stages is None:
            stages = _CACHE[options] = _build(options)
        return stages
