"""Load an mrtext corpus: a folder with ``manifest.jsonl``, ``source/`` and ``gold/``.

Layout (see ``corpora/stockholm-mr/README.md`` for the annotation guidelines)::

    corpora/<name>/manifest.jsonl        one object per document (id, file, title, doc_type, ...)
    corpora/<name>/source/*.txt          the documents, byte-identical to what was received
    corpora/<name>/gold/repair/<id>.txt  hand-corrected scans, line-aligned with the source
    corpora/<name>/gold/extract.jsonl    entities and metadata per document
    corpora/<name>/gold/relations.jsonl  one relation per line

>>> corpus = load_corpus(CORPORA_DIR / "stockholm-mr")
>>> [d.id for d in corpus.documents][:2]
['000', '001']
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mrtext.errors import InputFileError
from mrtext.ingest import Document, read_text

__all__ = ["CORPORA_DIR", "Corpus", "CorpusDocument", "load_corpus", "read_jsonl"]

CORPORA_DIR = Path(__file__).resolve().parent.parent / "corpora"
"""The corpora shipped in the source tree (present in a checkout / editable install)."""


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSON Lines file; blank lines are skipped, a bad line raises :class:`InputFileError`."""
    rows = []
    text, _ = read_text(path)
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise InputFileError(f"{path}:{n}: not valid JSON: {exc.msg}") from exc
    return rows


@dataclass(slots=True)
class CorpusDocument(Document):
    """A corpus document: its manifest entry plus gold annotations, when present."""

    manifest: dict[str, Any] = field(default_factory=dict)
    gold_repair: str | None = None
    gold_extract: dict[str, Any] | None = None


@dataclass(slots=True)
class Corpus:
    """A loaded corpus: documents in manifest order plus the gold relations."""

    root: Path
    documents: list[CorpusDocument]
    gold_relations: list[dict[str, Any]]

    def by_id(self, doc_id: str) -> CorpusDocument:
        """Return the document with this id (``KeyError`` if absent)."""
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)

    def split(self, name: str) -> list[CorpusDocument]:
        """Documents whose manifest ``split`` is ``name`` (``dev`` or ``heldout``)."""
        return [d for d in self.documents if d.manifest.get("split", "dev") == name]


def load_corpus(root: str | Path) -> Corpus:
    """Load the corpus at ``root`` with whatever gold annotations it has."""
    root = Path(root)
    manifest_path = root / "manifest.jsonl"
    if not manifest_path.is_file():
        raise InputFileError(f"{root}: no manifest.jsonl", remedy="is this an mrtext corpus folder?")
    gold_dir = root / "gold"
    extract_gold = {}
    if (gold_dir / "extract.jsonl").is_file():
        extract_gold = {row["id"]: row for row in read_jsonl(gold_dir / "extract.jsonl")}
    relations = read_jsonl(gold_dir / "relations.jsonl") if (gold_dir / "relations.jsonl").is_file() else []
    docs = []
    for entry in read_jsonl(manifest_path):
        path = root / entry["file"]
        text, encoding = read_text(path)
        repair_path = gold_dir / "repair" / f"{entry['id']}.txt"
        docs.append(
            CorpusDocument(
                id=entry["id"],
                text=text,
                path=str(path),
                encoding=encoding,
                manifest=entry,
                gold_repair=read_text(repair_path)[0] if repair_path.is_file() else None,
                gold_extract=extract_gold.get(entry["id"]),
            )
        )
    return Corpus(root=root, documents=docs, gold_relations=relations)
