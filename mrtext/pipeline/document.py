"""The per-document work of ``mrtext run``: one pure function, :func:`process_document`.

Both backends call exactly this function (the local process pool and dask), so a document
gives the same result wherever it runs. It takes the document's *bytes* (the driver reads and
hashes them, so what is cached is what was processed, and a remote worker needs no shared
file system), and returns a :class:`DocumentResult` of plain, JSON-able data: never raises for a
bad document, the error goes into ``result.error``.

Steps: decode (or OCR for images/PDFs) → repair → extract → relations. Long texts are cut into
chunks of at most ``chunk_chars`` characters at paragraph, line or word boundaries; each chunk
is repaired and extracted alone and the offsets are shifted back, so memory stays bounded and
spaCy's ``max_length`` is never hit. Text files above ``max_bytes`` are refused with a per-file
error (a 50 MB "document" is almost always a concatenated export that should be split).

>>> config = PipelineConfig()
>>> src = DocumentSource(relpath="a/b.txt", doc_id="a/b", data="".encode())
>>> result = process_document(src, config)
>>> result.error["exit_code"], result.error["message"]
('input_file', 'a/b.txt: empty file, nothing to process (remove it, or re-export it from the archive system)')
>>> kind_of("Skanning 2017.TIF"), kind_of("notes.docx")
('image', None)
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from mrtext.errors import InputFileError, MrtextError
from mrtext.ingest import TEXT_SUFFIXES, decode_bytes
from mrtext.model import DocumentRecord
from mrtext.pipeline.stages import StageOptions, Stages, get_stages

__all__ = [
    "IMAGE_SUFFIXES",
    "PDF_SUFFIXES",
    "DocumentResult",
    "DocumentSource",
    "PipelineConfig",
    "error_info",
    "kind_of",
    "process_document",
    "read_bytes",
    "read_error",
    "split_chunks",
    "too_large",
]

log = logging.getLogger("mrtext.pipeline")

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff"})
PDF_SUFFIXES = frozenset({".pdf"})


def kind_of(name: str) -> str | None:
    """``"text"``, ``"image"`` or ``"pdf"`` from a file name's ending; ``None`` if not a document we read."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in IMAGE_SUFFIXES:
        return "image"
    if suffix in PDF_SUFFIXES:
        return "pdf"
    return None


@dataclass(frozen=True, slots=True)
class PipelineConfig:
    """Settings of a run that travel to the workers (picklable, hashable).

    Attributes:
        stages: what the stages compute (repair mode, OCR language, model): part of the cache key.
        max_bytes: text files larger than this fail with a per-file error (default 20 MB).
        max_scan_bytes: the same limit for images and PDFs (default 200 MB).
        chunk_chars: longest piece of text given to repair/extract at once.
    """

    stages: StageOptions = field(default_factory=StageOptions)
    max_bytes: int = 20_000_000
    max_scan_bytes: int = 200_000_000
    chunk_chars: int = 200_000

    def limit_for(self, relpath: str) -> int:
        """The size limit in bytes for a file of this name."""
        return self.max_bytes if kind_of(relpath) == "text" else self.max_scan_bytes


@dataclass(frozen=True, slots=True)
class DocumentSource:
    """One document to process: where it came from and its content.

    Attributes:
        relpath: path relative to the input folder, with ``/`` separators (names outputs).
        doc_id: the record id (unique within a run; the relative path without its ending).
        data: the file's bytes.
        path: the path as the user gave it, for messages and ``record.path``.
    """

    relpath: str
    doc_id: str
    data: bytes
    path: str | None = None

    @property
    def name(self) -> str:
        """How messages name the document: the path as given, else the relative path."""
        return self.path or self.relpath

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the content."""
        return hashlib.sha256(self.data).hexdigest()


@dataclass(slots=True)
class DocumentResult:
    """Everything the run needs from one document, as plain data (it is cached as JSON).

    ``record`` is the ``mrtext/1`` dict (with relations); ``repaired_text`` is set only when
    repair changed the text; ``error`` is ``{"message", "exit_code", "type"}`` or ``None``.
    """

    relpath: str
    doc_id: str
    kind: str = "text"
    encoding: str | None = None
    chars: int = 0
    record: dict[str, Any] | None = None
    repaired_text: str | None = None
    changes: list[dict[str, Any]] = field(default_factory=list)
    damaged: bool = False
    timings: dict[str, float] = field(default_factory=dict)
    error: dict[str, str] | None = None
    unavailable: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ocr: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True when the document went through without an error."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """JSON form (for the cache)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentResult:
        """Inverse of :meth:`to_dict`."""
        return cls(**d)


def error_info(exc: BaseException, name: str) -> dict[str, str]:
    """One-line description of an exception for the report: message, exit-code name, type.

    >>> error_info(InputFileError("x.txt: binary data, not text"), "x.txt")["exit_code"]
    'input_file'
    >>> error_info(ValueError("bad\\nsecond line"), "y.txt")
    {'message': 'y.txt: ValueError: bad', 'exit_code': 'other_error', 'type': 'ValueError'}
    """
    if isinstance(exc, MrtextError):
        message, code = str(exc), exc.exit_code.name
    else:
        first = (str(exc).strip().splitlines() or [""])[0]
        message = f"{name}: {type(exc).__name__}" + (f": {first}" if first else "")
        code = "other_error"
    return {"message": message.splitlines()[0] if message else name, "exit_code": code, "type": type(exc).__name__}


def read_bytes(path: str | Path) -> bytes:
    """Read a file's bytes; every OS error becomes an :class:`InputFileError` that says what happened.

    >>> read_bytes("/nonexistent/x.txt")
    Traceback (most recent call last):
    ...
    mrtext.errors.InputFileError: /nonexistent/x.txt: no such file (removed while the run was going on?) (check the path)
    """
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise read_error(path, exc) from exc


def read_error(path: str | Path, exc: OSError) -> InputFileError:
    """A one-line :class:`InputFileError` for an :class:`OSError` met while reading ``path``."""
    reasons = {
        errno.ENOENT: ("no such file (removed while the run was going on?)", "check the path"),
        errno.EACCES: ("permission denied", "check the file's permissions"),
        errno.EPERM: ("permission denied", "check the file's permissions"),
        errno.ELOOP: ("symlink loop", "fix or remove the symbolic link"),
        errno.EISDIR: ("is a directory", "give a file"),
        errno.ENAMETOOLONG: ("path too long for the operating system", "move the file to a shallower folder"),
    }
    what, remedy = reasons.get(exc.errno or 0, (f"cannot be read: {exc.strerror or exc}", None))
    return InputFileError(f"{path}: {what}", remedy=remedy)


def too_large(name: str, size: int, limit: int) -> InputFileError:
    """The error for a file over the size limit.

    >>> str(too_large("a.txt", 52_400_000, 20_000_000))
    'a.txt: too large (52.4 MB > 20 MB limit) (split the file, or raise the limit with --max-mb)'
    """
    return InputFileError(
        f"{name}: too large ({size / 1e6:.1f} MB > {limit / 1e6:.0f} MB limit)",
        remedy="split the file, or raise the limit with --max-mb",
    )


def split_chunks(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Cut ``text`` into ``(offset, piece)`` chunks of at most ``max_chars`` characters.

    Cuts go after a blank line if there is one in the second half of the window, else after a
    line break, else after a space, else hard. Joining the pieces gives ``text`` back.

    >>> split_chunks("Ett.\\n\\nTvå tre.\\nFyra", 9)
    [(0, 'Ett.\\n\\n'), (6, 'Två tre.\\n'), (15, 'Fyra')]
    >>> "".join(p for _, p in split_chunks("x" * 25, 10))
    'xxxxxxxxxxxxxxxxxxxxxxxxx'
    """
    if max_chars <= 0 or len(text) <= max_chars:
        return [(0, text)]
    chunks: list[tuple[int, str]] = []
    pos = 0
    while len(text) - pos > max_chars:
        end = pos + max_chars
        low = pos + max_chars // 2
        cut = -1
        for sep in ("\n\n", "\n", " "):
            i = text.rfind(sep, low, end)
            if i >= 0:
                cut = i + len(sep)
                break
        if cut <= pos:
            cut = end
        chunks.append((pos, text[pos:cut]))
        pos = cut
    chunks.append((pos, text[pos:]))
    return chunks


class _Clock:
    """Adds wall time per stage name."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextlib.contextmanager
    def __call__(self, stage: str) -> Any:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.timings[stage] = self.timings.get(stage, 0.0) + time.perf_counter() - t0


def _to_text(source: DocumentSource, kind: str, stages: Stages, result: DocumentResult) -> tuple[str, str | None]:
    """Decode a text file or OCR a scan; return ``(text, encoding)``."""
    if kind == "text":
        return decode_bytes(source.data, name=source.name)
    if stages.ocr is None:
        raise InputFileError(
            f"{source.name}: cannot OCR a {kind}: {stages.unavailable.get('ocr', 'OCR stage unavailable')}",
            remedy="install mrtext with its OCR stage, or give text files",
        )
    suffix = PurePosixPath(source.relpath).suffix.lower()
    fd, tmp = tempfile.mkstemp(prefix="mrtext-scan-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(source.data)
        try:
            text, info = stages.ocr(Path(tmp))
        except MrtextError as exc:  # name the document, not the temporary copy OCR read
            exc.message = exc.message.replace(tmp, source.name)
            raise
        result.ocr = info
        if info.get("failed_pages"):
            result.warnings.append(f"{source.name}: OCR failed on page(s) {info['failed_pages']}; their text is empty")
        return text, None
    finally:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()


def _shift(items: list[dict[str, Any]], offset: int, keys: tuple[str, ...] = ("start", "end")) -> list[dict[str, Any]]:
    if offset:
        for item in items:
            for key in keys:
                if isinstance(item.get(key), int):
                    item[key] += offset
    return items


def _process_text(
    text: str, source: DocumentSource, config: PipelineConfig, stages: Stages, result: DocumentResult, clock: _Clock
) -> None:
    """Repair, extract and link ``text`` chunk by chunk, filling ``result``."""
    repaired_parts: list[str] = []
    record: DocumentRecord | None = None
    for offset, chunk in split_chunks(text, config.chunk_chars):
        repaired_chunk: str | None = None
        if stages.repair is not None:
            with clock("repair"):
                outcome = stages.repair(chunk)
            repaired_parts.append(outcome.text)
            repaired_chunk = outcome.text
            result.changes.extend(_shift(outcome.changes, offset))
            result.damaged = result.damaged or outcome.damaged
        if stages.extract is None:
            continue
        with clock("extract"):
            part = stages.extract(chunk, source.doc_id, source.name)
        if stages.relations is not None:
            with clock("relations"):
                part.relations = stages.relations(part, chunk, repaired_chunk)
        for ent in part.entities:
            ent.start += offset
            ent.end += offset
        for rel in part.relations:
            if rel.evidence_start is not None and rel.evidence_end is not None:
                rel.evidence_start += offset
                rel.evidence_end += offset
        if record is None:
            record = part
        else:  # metadata (title, type, date, own diary number) comes from the head of the document
            record.entities.extend(part.entities)
            record.relations.extend(part.relations)
            record.repaired = record.repaired or part.repaired
    if stages.repair is not None:
        repaired = "".join(repaired_parts)
        result.repaired_text = repaired if repaired != text else None
    if record is not None:
        record.id = source.doc_id
        record.path = source.name
        if result.ocr is not None:
            record.meta["ocr"] = result.ocr
        result.record = record.to_dict()


def process_document(source: DocumentSource | str | Path, config: PipelineConfig) -> DocumentResult:
    """Run every per-document stage on one document and return plain data; never raises for bad input.

    ``source`` is a :class:`DocumentSource` (bytes already read) or a path (read here).
    Stages that are unavailable in this process are listed in ``result.unavailable``.
    """
    if not isinstance(source, DocumentSource):
        p = Path(source)
        try:
            source = DocumentSource(relpath=p.name, doc_id=p.stem, data=read_bytes(p), path=str(p))
        except InputFileError as exc:
            return DocumentResult(
                relpath=p.name, doc_id=p.stem, kind=kind_of(p.name) or "text", error=error_info(exc, p.name)
            )
    kind = kind_of(source.relpath) or "text"
    result = DocumentResult(relpath=source.relpath, doc_id=source.doc_id, kind=kind)
    clock = _Clock()
    try:
        limit = config.limit_for(source.relpath)
        if len(source.data) > limit:
            raise too_large(source.name, len(source.data), limit)
        if not source.data.strip():
            raise InputFileError(
                f"{source.name}: empty file, nothing to process",
                remedy="remove it, or re-export it from the archive system",
            )
        with clock("stages_load"):
            stages = get_stages(config.stages)
        result.unavailable = dict(stages.unavailable)
        with clock("ocr" if kind != "text" else "decode"):
            text, result.encoding = _to_text(source, kind, stages, result)
        result.chars = len(text)
        if not text.strip():
            raise InputFileError(
                f"{source.name}: no text" + (" found by OCR" if kind != "text" else " (only white space)"),
                remedy="check the scan" if kind != "text" else "remove the file",
            )
        _process_text(text, source, config, stages, result, clock)
    except MemoryError:
        result.error = {
            "message": f"{source.name}: out of memory",
            "exit_code": "other_error",
            "type": "MemoryError",
        }
    except Exception as exc:  # one bad document must never stop the run
        log.debug("%s failed", source.name, exc_info=True)
        result.error = error_info(exc, source.name)
    result.timings = {k: round(v, 6) for k, v in clock.timings.items()}
    return result
