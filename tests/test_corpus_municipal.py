"""The municipal corpus (real documents from other municipalities and regions) is complete and its gold consistent.

The corpus is held-out evaluation data: these tests only check its integrity, never any model's output on it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, load_corpus
from mrtext.model import DOC_TYPES, ENTITY_LABELS, RELATION_TYPES

ROOT = CORPORA_DIR / "municipal"
MANIFEST_KEYS = {
    "id",
    "file",
    "title",
    "doc_type",
    "date",
    "diary_number",
    "scanned",
    "split",
    "source_url",
    "municipality",
    "retrieved",
}
ISO_DAY = re.compile(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")
ISO_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
DNR_PREFIX = re.compile(r"^(dnr|diarienummer|ärendenummer)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def municipal() -> Corpus:
    return load_corpus(ROOT)


def _is_iso(value: str) -> bool:
    return bool(ISO_DAY.fullmatch(value) or ISO_MONTH.fullmatch(value))


def test_manifest_complete_with_source_urls(municipal: Corpus) -> None:
    docs = municipal.documents
    assert 12 <= len(docs) <= 30
    ids = [d.id for d in docs]
    assert len(ids) == len(set(ids))
    for doc in docs:
        m = doc.manifest
        assert m.keys() >= MANIFEST_KEYS, doc.id
        assert m["doc_type"] in DOC_TYPES, doc.id
        assert isinstance(m["scanned"], bool), doc.id
        assert str(m["source_url"]).startswith(("http://", "https://")), doc.id
        assert m["municipality"] and m["municipality"] != "Stockholm", doc.id
        assert doc.text.strip(), doc.id
        assert len(doc.text.encode("utf-8")) < 30_000, doc.id
        assert m["date"] is None or ISO_DAY.fullmatch(m["date"]), doc.id
        assert m["diary_number"] is None or not DNR_PREFIX.match(m["diary_number"]), doc.id
    assert len({d.manifest["municipality"] for d in docs}) >= 8


def test_both_splits_present_with_several_types(municipal: Corpus) -> None:
    dev = municipal.split("dev")
    train = municipal.split("train")
    assert {d.manifest["split"] for d in municipal.documents} == {"dev", "train"}
    assert len(dev) > len(train) >= 3
    assert len({d.manifest["doc_type"] for d in dev}) >= 4
    assert len({d.manifest["doc_type"] for d in train}) >= 3


def test_scanned_documents_have_line_aligned_repair_gold(municipal: Corpus) -> None:
    scanned = [d for d in municipal.documents if d.manifest["scanned"]]
    assert scanned
    for doc in scanned:
        assert doc.gold_repair is not None, f"gold/repair/{doc.id}.txt is missing"
        assert doc.gold_repair != doc.text, doc.id
        assert doc.gold_repair.count("\n") == doc.text.count("\n"), doc.id
        changed = [
            (src, gold)
            for src, gold in zip(doc.text.split("\n"), doc.gold_repair.split("\n"), strict=True)
            if src != gold
        ]
        assert 0 < len(changed) <= len(doc.text.split("\n")) // 4, doc.id






def test_gold_covers_labels_and_relation_types(municipal: Corpus) -> None:
    labels = Counter(e["label"] for d in municipal.documents for e in (d.gold_extract or {}).get("entities", []))
    assert set(labels) == set(ENTITY_LABELS) and sum(labels.values()) >= 60
    assert {r["type"] for r in municipal.gold_relations} == set(RELATION_TYPES)
