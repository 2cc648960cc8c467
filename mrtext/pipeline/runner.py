"""The whole-corpus run: discover → (cache | process) → write per-document outputs → graph → report.

See :mod:`mrtext.pipeline` for the layout of the output folder and how resuming works.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import importlib.util
import json
import logging
import os
import platform
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import mrtext
from mrtext.errors import BadArgumentsError, InputFileError, OutputFileError
from mrtext.model import ENTITY_LABELS, RELATION_TYPES, DocumentRecord
from mrtext.pipeline.atomic import atomic_open, atomic_write, remove_stale_temps
from mrtext.pipeline.backends import BACKENDS, run_backend
from mrtext.pipeline.cache import CACHE_DIR, ResultCache, fingerprint, output_lock
from mrtext.pipeline.discover import FoundFile, discover, repaired_name
from mrtext.pipeline.document import DocumentResult, DocumentSource, PipelineConfig, read_bytes, read_error, too_large
from mrtext.pipeline.stages import STAGE_MODULES

__all__ = ["GRAPH_FORMATS", "RunOptions", "run_pipeline"]

log = logging.getLogger("mrtext.pipeline")

T = TypeVar("T")

GRAPH_FORMATS = ("json", "graphml", "gexf", "dot", "csv", "html")
"""Graph files written by default, one exporter module per format in ``mrtext.graph.export``."""

REPORT_SCHEMA = "mrtext-run/1"
_MANAGED = ("repaired", "changes", CACHE_DIR)


@dataclass(slots=True)
class RunOptions:
    """How to run (not what to compute: that is :class:`~mrtext.pipeline.document.PipelineConfig`).

    Attributes:
        jobs: worker processes (``1``: in the driver process).
        backend: ``"local"`` or ``"dask"``.
        scheduler: dask scheduler (``processes``, ``threads``, ``synchronous``, ``local`` or an address).
        force: ignore cached results (they are still refreshed).
        timeout: seconds one document may take (local backend; its worker is killed after that).
        formats: graph formats to write.
        progress: wraps an iterable to show progress (the CLI passes a tqdm bar on a terminal).
    """

    jobs: int = 1
    backend: str = "local"
    scheduler: str | None = None
    force: bool = False
    formats: tuple[str, ...] = GRAPH_FORMATS
    timeout: float | None = None
    progress: Callable[..., Iterable[Any]] | None = field(default=None, repr=False)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_paths(in_dir: Path, out_dir: Path) -> None:
    if not in_dir.exists():
        raise InputFileError(f"{in_dir}: no such folder", remedy="check the path")
    if not in_dir.is_dir():
        raise BadArgumentsError(f"{in_dir}: not a folder", remedy="give the folder that holds the documents")
    src, dst = in_dir.resolve(), out_dir.resolve()
    if _inside(dst, src):
        raise BadArgumentsError(
            f"{out_dir}: the output folder is inside the input folder {in_dir}",
            remedy="choose an -o outside the input (a re-run would read the outputs as documents)",
        )
    if any(_inside(src, dst / name) for name in _MANAGED):
        raise BadArgumentsError(f"{in_dir}: is inside the output folder's own data", remedy="choose another -o")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFileError(f"{out_dir}: exists and is not a folder", remedy="choose another -o")


def _check_options(options: RunOptions) -> None:
    if options.jobs < 1:
        raise BadArgumentsError(f"--jobs must be at least 1, not {options.jobs}")
    if options.backend not in BACKENDS:
        raise BadArgumentsError(f"unknown backend {options.backend!r}", remedy=f"use one of {', '.join(BACKENDS)}")
    unknown = [f for f in options.formats if f not in GRAPH_FORMATS]
    if unknown:
        raise BadArgumentsError(
            f"unknown graph format(s): {', '.join(unknown)}", remedy=f"choose from {','.join(GRAPH_FORMATS)}"
        )


def _cacheable(result: DocumentResult) -> bool:
    """Cache what the content decides (success, bad input); not results of a missing stage or a crash."""
    if result.error is not None:
        return result.error["exit_code"] == "input_file" and not result.unavailable
    needed = {"repair", "extract", "relations"} | ({"ocr"} if result.kind != "text" else set())
    return not (needed & set(result.unavailable))


class _Run:
    """State of one run: the driver side (reads, caches, writes); the stages run in the backend."""

    def __init__(self, in_dir: Path, out_dir: Path, config: PipelineConfig, options: RunOptions) -> None:
        self.in_dir, self.out_dir, self.config, self.options = in_dir, out_dir, config, options
        self.version = fingerprint(config)
        self.cache = ResultCache(out_dir, self.version)
        self.results: dict[str, DocumentResult] = {}
        self.keys: dict[str, str] = {}
        self.failures: list[dict[str, str]] = []
        self.fresh: list[str] = []
        self.cached = 0
        self.warnings: list[str] = []
        self.expected: dict[Path, str] = {}  # per-document output file -> relpath of its document
        self.repaired: set[str] = set()
        self.n_changes = 0
        self.timings: dict[str, float] = {}

    def _progress(self, items: Iterable[T], total: int, desc: str) -> Iterable[T]:
        if self.options.progress is None:
            return items
        return self.options.progress(items, total=total, desc=desc)

    # -- per document -------------------------------------------------------------------------------------------
    def _read(self, found: FoundFile) -> DocumentSource | None:
        """Read one file (with the size limit checked first); record a failure and return None if it cannot be."""
        limit = self.config.limit_for(found.relpath)
        try:
            size = found.path.stat().st_size
        except OSError as exc:
            self._fail(found.relpath, str(found.path), str(read_error(found.path, exc)))
            return None
        if size > limit:
            self._fail(found.relpath, str(found.path), str(too_large(str(found.path), size, limit)))
            return None
        try:
            data = read_bytes(found.path)
        except InputFileError as exc:
            self._fail(found.relpath, str(found.path), str(exc))
            return None
        return DocumentSource(relpath=found.relpath, doc_id=found.doc_id, data=data, path=str(found.path))

    def _fail(self, relpath: str, path: str, message: str, exit_code: str = "input_file") -> None:
        log.error("%s", message)
        self.failures.append({"path": path, "error": message, "exit_code": exit_code})
        self.results.pop(relpath, None)

    def _finish(self, result: DocumentResult, found: FoundFile, *, fresh: bool) -> None:
        """Keep a result (fresh or cached): cache it, write its per-document outputs, report its error."""
        key = self.keys[result.relpath]
        if fresh:
            self.fresh.append(result.relpath)
            if _cacheable(result):
                self.cache.put(key, result)
        else:
            self.cached += 1
        for warning in result.warnings:
            log.warning("%s", warning)
            self.warnings.append(warning)
        if result.error is not None:
            self._fail(result.relpath, str(found.path), result.error["message"], result.error["exit_code"])
            return
        self.results[result.relpath] = result
        if result.record is not None:
            result.record["path"] = str(found.path)
        self._write_document_outputs(result, force=fresh)

    def _write_document_outputs(self, result: DocumentResult, *, force: bool) -> None:
        """Write ``repaired/`` and ``changes/`` files, then drop the bulky parts from memory (they are on disk)."""
        if result.repaired_text is not None:
            target = self.out_dir / "repaired" / repaired_name(result.relpath)
            self.expected[target] = result.relpath
            if force or not target.exists():
                atomic_write(target, result.repaired_text)
            self.repaired.add(result.relpath)
        if result.changes:
            target = self.out_dir / "changes" / f"{result.relpath}.jsonl"
            self.expected[target] = result.relpath
            if force or not target.exists():
                atomic_write(target, "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in result.changes))
            self.n_changes += len(result.changes)
        result.repaired_text, result.changes = None, []

    def _remove_stale_outputs(self) -> int:
        """Delete per-document outputs of documents that are gone or no longer repaired."""
        expected = {p for p, rel in self.expected.items() if rel in self.results}
        removed = 0
        for sub in ("repaired", "changes"):
            folder = self.out_dir / sub
            if not folder.is_dir():
                continue
            for dirpath, _dirs, files in os.walk(folder, topdown=False):
                for name in files:
                    p = Path(dirpath) / name
                    if p not in expected:
                        p.unlink()
                        removed += 1
                with contextlib.suppress(OSError):
                    Path(dirpath).rmdir()  # only succeeds when empty
        return removed

    # -- the run --------------------------------------------------------------------------------------------
    def process(self, files: list[FoundFile]) -> None:
        """Use cached results where the content and pipeline are unchanged; process the rest on the backend."""
        by_rel = {f.relpath: f for f in files}
        misses: list[FoundFile] = []
        t0 = time.perf_counter()
        for found in files:
            source = self._read(found)
            if source is None:
                continue
            key = self.keys[found.relpath] = self.cache.key(found.doc_id, source.sha256)
            cached = None if self.options.force else self.cache.get(key)
            if cached is not None and cached.relpath == found.relpath:
                self._finish(cached, found, fresh=False)
            else:
                misses.append(found)
        self.timings["check_cache"] = time.perf_counter() - t0
        if not misses:
            return
        log.info("%d of %d document(s) to process (%d cached)", len(misses), len(files), len(files) - len(misses))

        def sources() -> Iterator[DocumentSource]:
            for found in misses:
                source = self._read(found)  # read again: never hold the whole archive in memory
                if source is not None:
                    self.keys[found.relpath] = self.cache.key(found.doc_id, source.sha256)
                    yield source

        t0 = time.perf_counter()
        done = 0
        stream = run_backend(
            self.options.backend,
            sources(),
            self.config,
            jobs=self.options.jobs,
            scheduler=self.options.scheduler,
            timeout=self.options.timeout,
        )
        try:
            for result in self._progress(stream, total=len(misses), desc="mrtext run"):
                self._finish(result, by_rel[result.relpath], fresh=True)
                done += 1
        except KeyboardInterrupt:
            log.error(
                "interrupted after %d of %d document(s); their results are cached: run the same command "
                "again to resume",
                done,
                len(misses),
            )
            raise
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        self.timings["process"] = time.perf_counter() - t0

    def record_dicts(self) -> list[dict[str, Any]]:
        """The ``mrtext/1`` records of the documents that went through, in path order."""
        return [rec for rel in sorted(self.results) if (rec := self.results[rel].record) is not None]


def _stage_status(run: _Run) -> dict[str, str]:
    """Stage availability as the workers saw it (or, if nothing was processed, an import check here)."""
    seen: dict[str, str] = {}
    fresh = [run.results[rel] for rel in run.fresh if rel in run.results]
    for r in fresh:
        seen.update(r.unavailable)
    status: dict[str, str] = {}
    for name, module in STAGE_MODULES.items():
        if name in seen:
            status[name] = f"unavailable: {seen[name]}"
        elif not fresh and importlib.util.find_spec(module) is None:
            status[name] = f"unavailable: {module} is not installed"
        else:
            status[name] = "ok"
    return status


def _export_graph(records: list[DocumentRecord], out_dir: Path, formats: tuple[str, ...]) -> dict[str, Any]:
    """Build the graph from all records and write it in ``formats``; report what was written."""
    info: dict[str, Any] = {"nodes": 0, "edges": 0, "files": [], "unavailable": []}
    try:
        graph_mod = importlib.import_module("mrtext.graph")
        build_graph = graph_mod.build_graph
    except Exception as exc:
        info["unavailable"].append(f"graph: mrtext.graph.build_graph cannot be loaded ({type(exc).__name__}: {exc})")
        return info
    t0 = time.perf_counter()
    graph = build_graph(records)
    info["seconds"] = {"build": round(time.perf_counter() - t0, 3)}
    info["nodes"], info["edges"] = graph.number_of_nodes(), graph.number_of_edges()
    for fmt in formats:
        try:
            exporters = importlib.import_module("mrtext.graph.export").FORMATS
            writer = importlib.import_module(exporters[fmt]).write
        except Exception as exc:
            info["unavailable"].append(
                f"{fmt}: no exporter for it in mrtext.graph.export ({type(exc).__name__}: {exc})"
            )
            continue
        target = out_dir / f"graph.{fmt}"
        t0 = time.perf_counter()
        with atomic_open(target, binary=True) as fh:
            writer(graph, fh)
        info["seconds"][fmt] = round(time.perf_counter() - t0, 3)
        info["files"].append(target.name)
    return info


def _versions(backend: str) -> dict[str, str]:
    out = {"mrtext": mrtext.__version__, "python": platform.python_version()}
    for dist in ("spacy", "networkx", *(("dask", "distributed") if backend == "dask" else ())):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            out[dist] = importlib.metadata.version(dist)
    return out


def _summed(results: Iterable[DocumentResult]) -> dict[str, float]:
    total: Counter[str] = Counter()
    for r in results:
        total.update(r.timings)
    return {k: round(v, 3) for k, v in sorted(total.items())}


def run_pipeline(
    in_dir: str | Path, out_dir: str | Path, config: PipelineConfig | None = None, options: RunOptions | None = None
) -> dict[str, Any]:
    """Run every stage over the documents below ``in_dir`` into ``out_dir``; return the report (also written).

    Never writes inside ``in_dir``; refuses an ``out_dir`` inside ``in_dir``. Per-document problems
    are collected in ``report["failures"]`` (and logged), they do not stop the run.

    Raises:
        BadArgumentsError, InputFileError, OutputFileError: the run cannot start.
    """
    t_start = time.perf_counter()
    started = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    config = config or PipelineConfig()
    options = options or RunOptions()
    in_path, out_path = Path(in_dir), Path(out_dir)
    _check_options(options)
    _check_paths(in_path, out_path)
    try:
        out_path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputFileError(f"{out_path}: cannot be created: {exc.strerror or exc}") from exc
    with output_lock(out_path):
        remove_stale_temps(out_path)
        run = _Run(in_path, out_path, config, options)
        t0 = time.perf_counter()
        found = discover(in_path)
        run.timings["discover"] = time.perf_counter() - t0
        for failure in found.failures:
            log.error("%s", failure["error"])
        run.failures.extend(found.failures)
        if found.skipped:
            kinds = Counter(s["reason"] for s in found.skipped)
            log.warning(
                "skipped %d file(s): %s",
                len(found.skipped),
                "; ".join(f"{n} × {reason}" for reason, n in kinds.most_common(5)),
            )
        run.process(found.files)
        stages = _stage_status(run)
        for name, state in stages.items():
            if state != "ok":
                log.warning(
                    "stage %s %s; %s",
                    name,
                    state,
                    {
                        "ocr": "images and PDFs fail",
                        "repair": "no repaired texts or change lists are written",
                        "extract": "no records, extractions.jsonl and graph stay empty",
                        "relations": "records carry no relations",
                    }[name],
                )
        t0 = time.perf_counter()
        records = run.record_dicts()
        with atomic_open(out_path / "extractions.jsonl") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        graph = _graph_cached(run, records, out_path, options.formats)
        for problem in graph["unavailable"]:
            log.warning("graph output not written: %s", problem)
        run.timings["graph_export"] = time.perf_counter() - t0
        stale = run._remove_stale_outputs()
        used = {run.keys[rel] for rel in run.results if rel in run.keys}
        used |= {run.keys[f.relpath] for f in found.files if f.relpath in run.keys}
        run.cache.prune(used)
        run.timings["total"] = time.perf_counter() - t_start

        entity_counts = Counter(e["label"] for r in records for e in r["entities"])
        relation_counts = Counter(rel["type"] for r in records for rel in r["relations"])
        fresh_results = [run.results[r] for r in run.fresh if r in run.results]
        report: dict[str, Any] = {
            "schema": REPORT_SCHEMA,
            "input": str(in_path),
            "output": str(out_path),
            "started": started,
            "pipeline": {
                "version": mrtext.__version__,
                "fingerprint": run.version,
                "stages": stages,
                "backend": options.backend,
                "jobs": options.jobs,
                "scheduler": options.scheduler,
            },
            "counts": {
                "discovered": len(found.files),
                "processed": len(run.fresh),
                "cached": run.cached,
                "ok": len(run.results),
                "failed": len(run.failures),
                "skipped": len(found.skipped),
                "repaired": len(run.repaired),
                "damaged": sum(1 for r in run.results.values() if r.damaged),
                "changes": run.n_changes,
                "records": len(records),
                "entities": {label: entity_counts.get(label, 0) for label in ENTITY_LABELS},
                "relations": {t: relation_counts.get(t, 0) for t in RELATION_TYPES},
                "nodes": graph["nodes"],
                "edges": graph["edges"],
                "stale_outputs_removed": stale,
            },
            "timings": {
                "wall": {k: round(v, 3) for k, v in run.timings.items()},
                "stages_summed_over_processed_documents": _summed(fresh_results),
                "graph": graph.get("seconds", {}),
            },
            "failures": sorted(run.failures, key=lambda f: f["path"]),
            "warnings": run.warnings,
            "skipped": found.skipped,
            "outputs": {
                "extractions": "extractions.jsonl",
                "graph": graph["files"],
                "repaired": "repaired/" if run.repaired else None,
                "changes": "changes/" if run.n_changes else None,
            },
            "versions": _versions(options.backend),
        }
        atomic_write(out_path / "report.json", json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return report


def _graph_cached(run: _Run, records: list[dict[str, Any]], out_dir: Path, formats: tuple[str, ...]) -> dict[str, Any]:
    """Rebuild and export the graph unless the same documents, pipeline and formats made the files already."""
    digest = hashlib.sha256()
    digest.update(f"{run.version}\n{','.join(formats)}\n".encode())
    for rel in sorted(run.results):
        digest.update(f"{rel}\0{run.keys.get(rel, '')}\n".encode())
    stamp_path = run.cache.root / "graph.json"
    with contextlib.suppress(OSError, ValueError):
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
        if stamp.get("digest") == digest.hexdigest() and all((out_dir / f).exists() for f in stamp["info"]["files"]):
            return dict(stamp["info"])
    info = _export_graph([DocumentRecord.from_dict(r) for r in records], out_dir, formats)
    if not info["unavailable"]:
        atomic_write(stamp_path, json.dumps({"digest": digest.hexdigest(), "info": info}))
    return info
