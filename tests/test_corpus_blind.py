"""The blind held-out corpus (corpora/blind) is complete, self-consistent and disjoint from the other corpora.

This corpus is for final evaluation only: these tests check the data's integrity and never run a model on it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, CorpusDocument, load_corpus, read_jsonl
from mrtext.model import DOC_TYPES, ENTITY_LABELS

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


def test_gold_covers_labels_and_relation_types(blind: Corpus) -> None:
    labels = Counter(e["label"] for d in blind.documents for e in _entities(d))
    assert set(labels) == set(ENTITY_LABELS) and sum(labels.values()) >= 40
    assert len({r["type"] for r in blind.gold_relations}) >= 3
