"""The blind held-out corpus (corpora/blind) keeps the shape it was collected with.

The checks every corpus shares (manifest rows, gold consistency, disjointness from the other corpora) are in
``tests/test_corpora.py``; here only what is specific to this corpus. These tests check the data's integrity and
never run a model on it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, load_corpus
from mrtext.model import ENTITY_LABELS

ROOT = CORPORA_DIR / "blind"
PROVENANCE_FIELDS = ("scanned", "split", "source_url", "municipality", "retrieved", "excerpt")


@pytest.fixture(scope="module")
def blind() -> Corpus:
    return load_corpus(ROOT)


def test_one_document_per_municipality_and_varied_types(blind: Corpus) -> None:
    docs = blind.documents
    assert all(key in d.manifest for d in docs for key in PROVENANCE_FIELDS)
    assert len({d.manifest["municipality"] for d in docs}) == len(docs)
    assert len({d.manifest["doc_type"] for d in docs}) >= 6


def test_gold_covers_labels_and_relation_types(blind: Corpus) -> None:
    labels = Counter(e["label"] for d in blind.documents for e in (d.gold_extract or {}).get("entities", []))
    assert set(labels) == set(ENTITY_LABELS) and sum(labels.values()) >= 40
    assert len({r["type"] for r in blind.gold_relations}) >= 3
