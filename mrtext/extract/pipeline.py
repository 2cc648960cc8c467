"""Build, load and run the extraction pipeline: :func:`build_nlp`, :func:`load_pipeline`, :func:`extract`.

The packaged pipeline ``models/mrtext_sv`` is ``spacy.blank("sv")`` plus the ``mrtext_*`` components
(registered through entry points, so ``spacy.load("models/mrtext_sv")`` works in a fresh process), with
the trained classifiers stored as JSON inside the component folders. ``make model`` (``python
scripts/build_pipeline.py``) writes it.

>>> nlp = build_nlp()
>>> nlp.pipe_names  # doctest: +NORMALIZE_WHITESPACE
['mrtext_sentences', 'mrtext_dnr', 'mrtext_dates', 'mrtext_programs', 'mrtext_goals', 'mrtext_doctype']
>>> [rec] = extract(["Svar på remiss, Dnr KS 2023/1159\\n\\nBeslutat den 6 december 2017."], nlp=nlp, repair="never")
>>> rec.diary_number, [(e.label, e.value) for e in rec.entities]
('KS 2023/1159', [('DIARY_NUMBER', 'KS 2023/1159'), ('DATE', '2017-12-06')])
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from mrtext.errors import InputFileError, MissingDependencyError
from mrtext.extract.components.programs import resolve_across_documents
from mrtext.extract.spans import OFFSETS_ATTR, SPAN_KEYS, VALUE_ATTR, install_extensions
from mrtext.ingest import Document
from mrtext.model import ENTITY_LABELS, DocumentRecord, Entity

__all__ = ["MODEL_DIR", "PIPE_NAMES", "build_nlp", "extract", "load_pipeline", "record_error"]

log = logging.getLogger("mrtext.extract")

PIPE_NAMES = ("mrtext_sentences", "mrtext_dnr", "mrtext_dates", "mrtext_programs", "mrtext_goals", "mrtext_doctype")
"""Component order: sentences first (goals need them), diary numbers before dates (dates skip them)."""

MODEL_DIR = Path(__file__).resolve().parent.parent.parent / "models" / "mrtext_sv"
"""Where ``make model`` writes the packaged pipeline (in a source checkout)."""

_ERROR_KEY = "mrtext_error"


def build_nlp(configs: dict[str, dict[str, Any]] | None = None) -> Language:
    """A fresh ``sv`` pipeline with every ``mrtext_*`` component (rules only unless ``initialize`` adds models).

    ``configs`` maps a component name to its factory config (e.g. ``{"mrtext_dates": {"patterns": {...}}}``).
    """
    nlp = spacy.blank("sv")
    for name in PIPE_NAMES:
        nlp.add_pipe(name, config=(configs or {}).get(name, {}))
    nlp.meta["name"] = "mrtext_sv"
    nlp.meta["description"] = (
        "mrtext: diary numbers, dates, programs, goals and metadata of Swedish municipal documents"
    )
    return nlp


def load_pipeline(path: str | Path | None = None) -> Language:
    """Load the packaged pipeline (default ``models/mrtext_sv``) with :func:`spacy.load`.

    Raises:
        MissingDependencyError: the pipeline folder does not exist (run ``make model``).
    """
    target = Path(path) if path is not None else MODEL_DIR
    if not (target / "config.cfg").is_file():
        raise MissingDependencyError(
            f"{target}: no packaged mrtext pipeline",
            remedy="build it with `make model` (python scripts/build_pipeline.py)",
        )
    install_extensions()
    return spacy.load(target)


def record_error(proc_name: str, proc: Any, docs: list[Doc], e: Exception) -> None:
    """spaCy error handler: remember the error on each doc (in ``doc.user_data``) and go on with the batch."""
    for doc in docs:
        doc.user_data[_ERROR_KEY] = f"{proc_name}: {type(e).__name__}: {e}"


def _repairer(mode: str) -> Callable[[str], Any] | None:
    """``text -> RepairResult`` for ``mode``, or ``None`` when repair is off or not installed."""
    if mode == "never":
        return None
    try:
        from mrtext.repair import RepairConfig, repair
    except ImportError:
        log.debug("mrtext.repair is not available; extracting from the input text as is")
        return None
    config = RepairConfig(mode=mode)  # type: ignore[arg-type]
    return lambda text: repair(text, config)


def _as_document(item: Document | str, n: int) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(id=f"doc{n}", text=item)
    raise InputFileError(f"extract() takes Document or str items, not {type(item).__name__}")


def extract(
    docs: Iterable[Document | str],
    *,
    nlp: Language | None = None,
    repair: str = "auto",
    batch_size: int = 8,
    n_process: int = 1,
    resolve_programs: bool = True,
) -> list[DocumentRecord]:
    """Extract entities and metadata from each document; offsets always point into the *original* input.

    Args:
        docs: :class:`~mrtext.ingest.Document` objects or plain strings (ids ``doc0``, ``doc1`` …).
        nlp: a pipeline from :func:`load_pipeline` (loaded when ``None``).
        repair: ``"auto"`` (repair texts the detector finds damaged), ``"always"`` or ``"never"``.
        batch_size: documents handed to a worker at a time (with ``n_process > 1``).
        n_process: worker processes. Workers repair, run the pipeline and build the records
            themselves and send back only the small records: shipping ``Doc`` objects back (what
            ``nlp.pipe(n_process=…)`` does) costs more than the extraction itself.
        resolve_programs: resolve year-less program names to the dated name another document of the
            batch gives (:func:`~mrtext.extract.components.programs.resolve_across_documents`).

    Returns:
        One :class:`~mrtext.model.DocumentRecord` per input, in input order. A document whose processing
        failed gets a record with ``meta["error"]``; the rest of the batch is unaffected.
    """
    nlp = nlp if nlp is not None else load_pipeline()
    nlp.set_error_handler(record_error)  # type: ignore[arg-type]
    documents = [_as_document(d, n) for n, d in enumerate(docs)]
    worker = _Worker(nlp, repair)
    if n_process > 1 and len(documents) > 1:
        import multiprocessing

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with multiprocessing.get_context(method).Pool(min(n_process, len(documents)), _init_worker, (worker,)) as pool:
            records = list(pool.imap(_work, documents, chunksize=max(1, batch_size)))
    else:
        records = [worker(d) for d in documents]
    if resolve_programs:
        _resolve_programs(records)
    return records


class _Worker:
    """Repair + pipeline + record for one document (picklable, so it can run in a worker process)."""

    def __init__(self, nlp: Language, repair: str) -> None:
        self.nlp = nlp
        self.repair = repair
        self._repair_fn: Callable[[str], Any] | None = None
        self._ready = False

    def __call__(self, d: Document) -> DocumentRecord:
        if not self._ready:
            self._repair_fn = _repairer(self.repair)
            self._ready = True
        result = None
        if self._repair_fn is not None and d.text:
            try:
                result = self._repair_fn(d.text)
            except Exception as exc:  # a repair bug must not lose the document
                log.warning("%s: repair failed (%s); extracting from the input as is", d.id, exc)
        try:
            doc = self.nlp(result.text if result is not None else d.text)
            return _to_record(d, result, doc)
        except Exception as exc:  # the tokenizer or a component without the error handler
            return DocumentRecord(id=d.id, path=d.path, meta={"error": f"{type(exc).__name__}: {exc}"})


_WORKER: _Worker | None = None


def _init_worker(worker: _Worker) -> None:
    global _WORKER
    install_extensions()
    _WORKER = worker


def _work(d: Document) -> DocumentRecord:
    assert _WORKER is not None
    return _WORKER(d)


def _to_record(d: Document, result: Any, doc: Doc) -> DocumentRecord:
    repaired = result is not None and result.text != d.text
    record = DocumentRecord(id=d.id, path=d.path, repaired=repaired)
    error = doc.user_data.get(_ERROR_KEY)
    if error:
        record.meta["error"] = error
    entities = []
    for label in ENTITY_LABELS:
        key = SPAN_KEYS[label]
        if key not in doc.spans:
            continue
        for span in doc.spans[key]:
            start, end = span._.get(OFFSETS_ATTR) or (span.start_char, span.end_char)
            if repaired:
                start, end = result.to_original(start, end)
            entities.append(Entity(label, d.text[start:end], start, end, span._.get(VALUE_ATTR)))
    record.entities = sorted(entities, key=lambda e: (e.start, e.label))
    record.title = doc._.mrtext_title
    record.doc_type = doc._.mrtext_doc_type
    record.date = doc._.mrtext_date
    record.diary_number = doc._.mrtext_diary_number
    if doc._.mrtext_doc_type_scores:
        record.meta["doc_type_scores"] = doc._.mrtext_doc_type_scores
    return record


def _resolve_programs(records: list[DocumentRecord]) -> None:
    values = [[e.value for e in r.entities if e.label == "PROGRAM" and e.value] for r in records]
    for record, mapping in zip(records, resolve_across_documents(values), strict=True):
        for e in record.entities:
            if e.label == "PROGRAM" and e.value in mapping:
                e.value = mapping[e.value]
