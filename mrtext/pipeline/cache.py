"""The result cache that makes ``mrtext run`` resumable.

One JSON file per document under ``OUT_DIR/.cache/<fingerprint>/<k[:2]>/<k>.json``, where the
key ``k`` is the SHA-256 of the document id and its content, and the fingerprint is the
*pipeline version*: the package version, the stage options, the chunk size, and a hash of the
stage code, packaged data and spaCy model files. Change any of them and every document is
processed again; change nothing and a re-run reads the cache. Entries are written
atomically, one per finished document, so a run stopped by Ctrl-C or ``kill -9`` loses at
most the documents that were in flight. A lock file keeps two runs from writing to the same
output folder at once.

>>> import tempfile, pathlib
>>> from mrtext.pipeline.document import DocumentResult
>>> cache = ResultCache(pathlib.Path(tempfile.mkdtemp()), "f" * 64)
>>> key = cache.key("svar", "ab" * 32)
>>> cache.get(key) is None
True
>>> cache.put(key, DocumentResult(relpath="svar.txt", doc_id="svar", chars=12))
>>> cache.get(key).chars
12
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import mrtext
from mrtext.errors import OutputFileError
from mrtext.pipeline.atomic import atomic_write
from mrtext.pipeline.document import DocumentResult, PipelineConfig

__all__ = ["CACHE_DIR", "ResultCache", "fingerprint", "output_lock"]

CACHE_DIR = ".cache"

_PACKAGE = Path(mrtext.__file__).resolve().parent
# What determines a document's result: the stages, ingest/model, the per-document function, packaged data.
_FINGERPRINTED = (
    "ocr",
    "repair",
    "extract",
    "graph",
    "ingest.py",
    "model.py",
    "data",
    "pipeline/document.py",
    "pipeline/stages.py",
)


def _iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    for p in paths:
        if p.is_file():
            yield p
        elif p.is_dir():
            yield from sorted(f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts)


def _default_model_dir() -> Path | None:
    """The packaged spaCy pipeline folder, if it can be located without importing spaCy."""
    for candidate in (_PACKAGE.parent / "models", _PACKAGE / "models"):
        if candidate.is_dir():
            return candidate
    return None


def fingerprint(config: PipelineConfig) -> str:
    """Hex digest identifying the pipeline version that produced a result (see module docstring).

    >>> a = fingerprint(PipelineConfig())
    >>> a == fingerprint(PipelineConfig()), a == fingerprint(PipelineConfig(chunk_chars=1000))
    (True, False)
    """
    h = hashlib.sha256()
    h.update(f"mrtext {mrtext.__version__}\n{config.stages!r}\nchunk {config.chunk_chars}\n".encode())
    model = Path(config.stages.model) if config.stages.model else _default_model_dir()
    roots = [_PACKAGE / name for name in _FINGERPRINTED] + ([model] if model else [])
    for f in _iter_files(roots):
        h.update(f.name.encode())
        h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


class ResultCache:
    """Per-document results stored as JSON files below ``out_dir/.cache/<fingerprint[:16]>``."""

    def __init__(self, out_dir: Path, version: str) -> None:
        self.base = out_dir / CACHE_DIR
        self.root = self.base / version[:16]

    @staticmethod
    def key(doc_id: str, content_sha256: str) -> str:
        """Cache key of a document: its id (outputs are named after it) and content."""
        return hashlib.sha256(f"{doc_id}\0{content_sha256}".encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> DocumentResult | None:
        """The cached result, or ``None`` (a missing or unreadable entry is a miss)."""
        try:
            with self._path(key).open(encoding="utf-8") as fh:
                return DocumentResult.from_dict(json.load(fh))
        except (OSError, ValueError, TypeError):
            return None

    def put(self, key: str, result: DocumentResult) -> None:
        """Store a result atomically."""
        atomic_write(self._path(key), json.dumps(result.to_dict(), ensure_ascii=False))

    def prune(self, keep: set[str]) -> int:
        """Remove entries not in ``keep`` and caches of other pipeline versions; return how many files went."""
        removed = 0
        if self.base.is_dir():
            for other in self.base.iterdir():
                if other.is_dir() and other != self.root:
                    shutil.rmtree(other, ignore_errors=True)
                    removed += 1
        if self.root.is_dir():
            for sub in self.root.iterdir():
                for entry in sub.glob("*.json"):
                    if entry.stem not in keep:
                        with contextlib.suppress(OSError):
                            entry.unlink()
                            removed += 1
        return removed


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir`` (released automatically if the process dies).

    Raises:
        OutputFileError: another run holds the lock.
    """
    lock_path = out_dir / CACHE_DIR / "lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fh: IO[Any] = lock_path.open("a")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise OutputFileError(
                f"{out_dir}: another 'mrtext run' is writing to this folder",
                remedy="wait for it to finish, or choose another -o",
            ) from exc
        fh.write(f"{os.getpid()}\n")
        fh.flush()
        yield
    finally:
        fh.close()
