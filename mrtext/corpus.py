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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mrtext.errors import InputFileError
from mrtext.ingest import Document, read_text
from mrtext.model import DOC_TYPES, ENTITY_LABELS, RELATION_TYPES

__all__ = ["CORPORA_DIR", "Corpus", "CorpusDocument", "check_corpus", "load_corpus", "read_jsonl"]

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


MANIFEST_KEYS = frozenset({"id", "file", "title", "doc_type", "date", "diary_number", "scanned", "split"})
SPLITS = frozenset({"dev", "train", "heldout"})
NODE_KINDS = frozenset({"document", "program", "external"})
_ISO_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?")
_DNR_PREFIX = re.compile(r"(?i)(?:dnr|diarienummer|ärendenummer)\b")


def _check_manifest(doc: CorpusDocument) -> list[str]:
    m, where = doc.manifest, f"{doc.id}: manifest"
    problems = [f"{where}: missing {key!r}" for key in sorted(MANIFEST_KEYS - m.keys())]
    if m.get("doc_type") not in DOC_TYPES:
        problems.append(f"{where}: doc_type {m.get('doc_type')!r} is not one of mrtext.model.DOC_TYPES")
    if m.get("split") not in SPLITS:
        problems.append(f"{where}: split {m.get('split')!r} is not dev, train or heldout")
    if m.get("date") is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(m["date"])):
        problems.append(f"{where}: date {m['date']!r} is not YYYY-MM-DD")
    if not doc.text.strip():
        problems.append(f"{doc.id}: the source text is empty")
    return problems


def _check_entity(doc: CorpusDocument, ent: dict[str, Any]) -> list[str]:
    where, label, value = f"{doc.id}: entity {ent.get('text')!r}", ent.get("label"), ent.get("value") or ""
    if label not in ENTITY_LABELS:
        return [f"{where}: unknown label {label!r}"]
    problems = []
    if doc.text[ent["start"] : ent["end"]] != ent["text"]:
        problems.append(f"{where}: offsets {ent['start']}-{ent['end']} do not slice this text")
    if not ent["text"] or ent["text"] != ent["text"].strip():
        problems.append(f"{where}: span is empty or has surrounding white space")
    if value != " ".join(value.split()):
        problems.append(f"{where}: value is not white-space normalised")
    if label == "DATE" and not _ISO_DATE.fullmatch(value):
        problems.append(f"{where}: DATE value {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY")
    if label == "DIARY_NUMBER" and (_DNR_PREFIX.match(value) or not re.search(r"\d", value)):
        problems.append(f"{where}: DIARY_NUMBER value {value!r} keeps its prefix or has no number")
    return problems


def _check_relation(rel: dict[str, Any], docs: dict[str, CorpusDocument]) -> list[str]:
    where = f"relation {rel.get('doc')}:{rel.get('type')}"
    if rel.get("type") not in RELATION_TYPES:
        return [f"{where}: unknown type"]
    if rel.get("doc") not in docs:
        return [f"{where}: no document {rel.get('doc')!r} in the manifest"]
    ev, problems = rel["evidence"], []
    if docs[rel["doc"]].text[ev["start"] : ev["end"]] != ev["text"]:
        problems.append(f"{where}: evidence offsets {ev['start']}-{ev['end']} do not slice the text")
    for end in ("source", "target"):
        node = rel[end]
        if node.get("kind") not in NODE_KINDS:
            problems.append(f"{where}: {end} kind {node.get('kind')!r}")
        if not (node.get("id") or node.get("diary_number") or node.get("title")):
            problems.append(f"{where}: {end} has no id, diary number or title")
        if node.get("kind") == "document" and node.get("id") not in docs:
            problems.append(f"{where}: {end} document {node.get('id')!r} is not in the corpus")
        if node.get("diary_number") and _DNR_PREFIX.match(node["diary_number"]):
            problems.append(f"{where}: {end} diary number keeps its prefix")
    if rel["source"] == rel["target"]:
        problems.append(f"{where}: source and target are the same node")
    return problems


def check_corpus(corpus: Corpus) -> list[str]:
    """Check a corpus's manifest and gold annotations; return the problems found (empty when all is well).

    Checked: manifest rows (keys, document type, split, date format, unique ids); gold metadata equal
    to the manifest; every entity and relation evidence slicing its text exactly; normalised values
    (ISO dates, diary numbers without their ``Dnr`` prefix); the document's own diary number annotated;
    relation nodes; repair gold line-aligned
    with its source. Use it before adding a corpus or extending one.

    >>> check_corpus(load_corpus(CORPORA_DIR / "stockholm-mr"))
    []
    """
    problems: list[str] = []
    docs = {d.id: d for d in corpus.documents}
    if len(docs) != len(corpus.documents):
        problems.append("manifest: duplicate document ids")
    has_extract_gold = any(d.gold_extract is not None for d in corpus.documents)
    for doc in corpus.documents:
        problems += _check_manifest(doc)
        if doc.gold_repair is not None and doc.gold_repair.count("\n") != doc.text.count("\n"):
            problems.append(f"{doc.id}: repair gold is not line-aligned with the source")
        if doc.gold_extract is None:
            if has_extract_gold:
                problems.append(f"{doc.id}: no row in gold/extract.jsonl")
            continue
        for key in ("title", "doc_type", "date", "diary_number"):
            if doc.gold_extract.get(key) != doc.manifest.get(key):
                problems.append(f"{doc.id}: gold {key} differs from the manifest")
        entities = doc.gold_extract.get("entities", [])
        for ent in entities:
            problems += _check_entity(doc, ent)
        own = doc.manifest.get("diary_number")
        if own and own not in {e.get("value") for e in entities if e.get("label") == "DIARY_NUMBER"}:
            problems.append(f"{doc.id}: its own diary number {own!r} is not annotated as a DIARY_NUMBER")
    for rel in corpus.gold_relations:
        problems += _check_relation(rel, docs)
    return problems
