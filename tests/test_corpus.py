"""The sample corpus and its gold annotations are complete and consistent with the texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from mrtext.corpus import Corpus
from mrtext.model import DOC_TYPES, ENTITY_LABELS, RELATION_TYPES

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
MANIFEST_KEYS = {"id", "file", "title", "doc_type", "date", "diary_number", "scanned", "split"}


def test_manifest_complete(corpus: Corpus) -> None:
    assert len(corpus.documents) >= 5
    ids = [d.id for d in corpus.documents]
    assert len(ids) == len(set(ids))
    for doc in corpus.documents:
        assert doc.manifest.keys() >= MANIFEST_KEYS, doc.id
        assert doc.manifest["doc_type"] in DOC_TYPES
        assert doc.manifest["split"] in {"dev", "heldout"}
        assert isinstance(doc.manifest["scanned"], bool)
        assert doc.text.strip(), f"{doc.id} is empty"
        if doc.manifest["date"] is not None:
            assert len(doc.manifest["date"]) == 10 and doc.manifest["date"][4] == "-"
        if doc.manifest.get("source_url") is None:
            assert doc.manifest.get("seed"), f"{doc.id}: a document needs a source_url or a seed name"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside this checkout")
def test_seed_texts_byte_identical(corpus: Corpus) -> None:
    for doc in corpus.documents:
        seed = doc.manifest.get("seed")
        if seed:
            assert Path(doc.path or "").read_bytes() == (SEEDS / seed).read_bytes(), doc.id


def test_scanned_documents_have_line_aligned_repair_gold(corpus: Corpus) -> None:
    scanned = [d for d in corpus.documents if d.manifest["scanned"]]
    assert {d.id for d in scanned} >= {"002", "004"}
    for doc in scanned:
        assert doc.gold_repair is not None, f"gold/repair/{doc.id}.txt is missing"
        assert doc.gold_repair.count("\n") == doc.text.count("\n"), doc.id
        # the gold fixes OCR damage only: it stays close to the source, line by line
        for src, gold in zip(doc.text.split("\n"), doc.gold_repair.split("\n"), strict=True):
            assert abs(len(src) - len(gold)) <= max(6, len(src) // 5), (doc.id, src, gold)
        assert doc.gold_repair != doc.text




def test_gold_covers_all_labels(corpus: Corpus) -> None:
    seen = {e["label"] for d in corpus.documents for e in (d.gold_extract or {}).get("entities", [])}
    assert seen == set(ENTITY_LABELS)


def test_gold_counts_and_relation_types(corpus: Corpus) -> None:
    n = sum(len((d.gold_extract or {}).get("entities", [])) for d in corpus.documents)
    assert n >= 60
    assert {r["type"] for r in corpus.gold_relations} == set(RELATION_TYPES)
