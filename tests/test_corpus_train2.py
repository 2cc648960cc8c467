"""The municipal-train2 corpus (extra development documents from other municipalities) is complete and consistent.

These tests check the corpus' integrity only: manifest rows, gold offsets and value formats, and that no source
document duplicates one of another corpus.
"""

from __future__ import annotations

import json
import re

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, load_corpus
from mrtext.model import DOC_TYPES

ROOT = CORPORA_DIR / "municipal-train2"
ISO = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")


@pytest.fixture(scope="module")
def train2() -> Corpus:
    return load_corpus(ROOT)


def test_manifest_complete(train2: Corpus) -> None:
    assert len(train2.documents) >= 10
    ids = [d.id for d in train2.documents]
    assert ids == sorted(set(ids)) and all(re.fullmatch(r"t\d{3}", i) for i in ids)
    for doc in train2.documents:
        m = doc.manifest
        assert m["split"] == "train", doc.id
        assert m["doc_type"] in DOC_TYPES, doc.id
        assert str(m["source_url"]).startswith(("http://", "https://")), doc.id
        assert m["municipality"] and "Stockholm" not in m["municipality"], doc.id
        assert doc.gold_extract is not None, doc.id
        for key in ("title", "doc_type", "date", "diary_number"):
            assert doc.gold_extract[key] == m[key], (doc.id, key)
        assert doc.text.strip() and len(doc.text) < 30_000, doc.id



def test_no_source_shared_with_other_corpora(train2: Corpus) -> None:
    """Documents added here must not be copies of documents in another corpus (by URL or by text)."""
    own_urls = {d.manifest["source_url"] for d in train2.documents}
    assert len(own_urls) == len(train2.documents)
    for manifest in CORPORA_DIR.glob("*/manifest.jsonl"):
        if manifest.parent == ROOT:
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert json.loads(line).get("source_url") not in own_urls, manifest
