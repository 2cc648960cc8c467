"""The blind held-out corpus (corpora/blind) is complete, self-consistent and disjoint from the other corpora.

This corpus is for final evaluation only: these tests check the data's integrity and never run a model on it.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, CorpusDocument, load_corpus, read_jsonl
from mrtext.model import DOC_TYPES, ENTITY_LABELS, RELATION_TYPES

ROOT = CORPORA_DIR / "blind"
GOLD_FIELDS = ("id", "file", "title", "doc_type", "date", "diary_number")
PROVENANCE_FIELDS = ("scanned", "split", "source_url", "municipality", "retrieved", "excerpt")


@pytest.fixture(scope="module")
def blind() -> Corpus:
    return load_corpus(ROOT)


DAY = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])")
MONTH = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])")
PREFIX = re.compile(r"^(?:dnr|diarienummer|ärendenummer)\b", re.IGNORECASE)


def _entities(doc: CorpusDocument) -> list[dict]:
    assert doc.gold_extract is not None, f"{doc.id} has no row in gold/extract.jsonl"
    return list(doc.gold_extract["entities"])


def test_manifest_rows_are_complete_and_all_heldout(blind: Corpus) -> None:
    docs = blind.documents
    assert 10 <= len(docs) <= 15
    assert len({d.id for d in docs}) == len(docs)
    for doc in docs:
        row = doc.manifest
        missing = [key for key in GOLD_FIELDS + PROVENANCE_FIELDS if key not in row]
        assert not missing, (doc.id, missing)
        assert row["split"] == "heldout", doc.id
        assert row["doc_type"] in DOC_TYPES, doc.id
        assert re.match(r"https?://\S+$", row["source_url"]), doc.id
        assert row["municipality"] not in ("", "Stockholm"), doc.id
        assert row["date"] is None or DAY.fullmatch(row["date"]), doc.id
        assert row["diary_number"] is None or not PREFIX.match(row["diary_number"]), doc.id
        assert len(doc.text) >= 100 and len(doc.text.encode("utf-8")) < 30_000, doc.id
    assert len({d.manifest["municipality"] for d in docs}) == len(docs)
    assert len({d.manifest["doc_type"] for d in docs}) >= 6


def test_gold_metadata_equals_manifest(blind: Corpus) -> None:
    for doc in blind.documents:
        gold = doc.gold_extract
        assert gold is not None, f"{doc.id} has no row in gold/extract.jsonl"
        for key in ("title", "doc_type", "date", "diary_number"):
            assert gold[key] == doc.manifest[key], (doc.id, key)
        own = doc.manifest["diary_number"]
        if own:
            assert own in {e["value"] for e in _entities(doc) if e["label"] == "DIARY_NUMBER"}, doc.id


def test_entity_offsets_slice_the_source(blind: Corpus) -> None:
    labels: Counter[str] = Counter()
    for doc in blind.documents:
        spans: dict[str, list[tuple[int, int]]] = {}
        for ent in _entities(doc):
            assert ent["label"] in ENTITY_LABELS, (doc.id, ent)
            assert doc.text[ent["start"] : ent["end"]] == ent["text"], (doc.id, ent)
            assert ent["text"] and ent["text"] == ent["text"].strip(), (doc.id, ent)
            spans.setdefault(ent["label"], []).append((ent["start"], ent["end"]))
            labels[ent["label"]] += 1
        for label, ranges in spans.items():
            ranges.sort()
            assert all(a[1] <= b[0] for a, b in pairwise(ranges)), (doc.id, label)
    assert set(labels) == set(ENTITY_LABELS), labels
    assert sum(labels.values()) >= 40


def test_entity_values_are_normalised(blind: Corpus) -> None:
    for doc in blind.documents:
        for ent in _entities(doc):
            value, label = ent["value"], ent["label"]
            assert value == " ".join(value.split()), (doc.id, ent)
            if label == "DATE":
                assert DAY.fullmatch(value) or MONTH.fullmatch(value), (doc.id, ent)
                assert not re.match(r"(?i)den\s", ent["text"]), (doc.id, ent)
            elif label == "DIARY_NUMBER":
                assert not PREFIX.match(value) and re.search(r"\d", value), (doc.id, ent)
                assert value.upper() in " ".join(ent["text"].upper().split()), (doc.id, ent)
            else:
                assert value[:1].isupper(), (doc.id, ent)


def test_relations_have_exact_evidence_and_valid_nodes(blind: Corpus) -> None:
    by_id = {d.id: d for d in blind.documents}
    types: Counter[str] = Counter()
    for rel in blind.gold_relations:
        assert rel["type"] in RELATION_TYPES, rel
        ev = rel["evidence"]
        assert by_id[rel["doc"]].text[ev["start"] : ev["end"]] == ev["text"], rel
        for node in (rel["source"], rel["target"]):
            assert node["kind"] in ("document", "program", "external"), rel
            assert node["id"] or node["diary_number"] or node["title"], rel
            if node["kind"] == "document":
                assert node["id"] in by_id and node["title"] is None, rel
            assert not (node["diary_number"] and PREFIX.match(node["diary_number"])), rel
        assert rel["source"] != rel["target"], rel
        types[rel["type"]] += 1
    assert len(types) >= 3, types


def test_disjoint_from_every_other_corpus(blind: Corpus) -> None:
    mine_urls = {d.manifest["source_url"] for d in blind.documents}
    mine_texts = {" ".join(d.text.split())[:200] for d in blind.documents}
    others = [p for p in CORPORA_DIR.glob("*/manifest.jsonl") if p.parent != ROOT]
    assert others
    for manifest in others:
        for row in read_jsonl(manifest):
            assert row.get("source_url") not in mine_urls, (manifest, row.get("id"))
            path = manifest.parent / str(row.get("file", ""))
            if row.get("file") and path.is_file():
                head = " ".join(path.read_text(encoding="utf-8", errors="replace").split())[:200]
                assert head not in mine_texts, (manifest, row.get("id"))
