"""Every gold corpus under corpora/ is complete, consistent and disjoint from the others; the checker catches broken gold.

One home for the integrity checks that every corpus needs (manifest rows, gold consistency, provenance, no source
document shared with another corpus). The corpora are discovered from ``corpora/*/manifest.jsonl``, so a new corpus is
covered as soon as it lands; what differs between corpora (id pattern, splits, minimum size) is in ``EXPECTED``.
These tests check the data only, never a model's output on it (held-out corpora stay unmeasured here).
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from functools import cache

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, check_corpus, load_corpus, read_jsonl

GOLD_CORPORA = sorted(
    p.parent.name
    for p in CORPORA_DIR.glob("*/manifest.jsonl")
    if '"file"' in p.read_text(encoding="utf-8").split("\n", 1)[0]  # synthetic pairs have no single source file
)


@dataclass(frozen=True)
class Expected:
    """What a corpus's manifest must look like."""

    id_pattern: str = r"[A-Za-z0-9_-]+"
    splits: frozenset[str] = frozenset({"dev", "train", "heldout"})
    min_docs: int = 1
    max_docs: int = 1_000
    provenance: bool = True  # source_url, municipality and retrieved date in every row


EXPECTED: dict[str, Expected] = {
    "stockholm-mr": Expected(r"\d{3}", frozenset({"dev"}), 5, provenance=False),
    "municipal": Expected(r"m\d{3}", frozenset({"dev", "train"}), 25),
    "municipal-train2": Expected(r"t\d{3}", frozenset({"train"}), 10),
    "municipal-train3": Expected(r"u\d{3}", frozenset({"train"}), 20),
    "blind": Expected(r"b\d{3}", frozenset({"heldout"}), 10, 15),
    "blind2": Expected(r"c\d{3}", frozenset({"heldout"}), 5),
}
MAX_BYTES = 30_000


@cache
def _load(name: str) -> Corpus:
    return load_corpus(CORPORA_DIR / name)


def _head(text: str) -> str:
    """The first 200 characters with white space collapsed: equal heads mean the same source document."""
    return " ".join(text.split())[:200]


def test_the_gold_corpora_are_found() -> None:
    assert {"stockholm-mr", "municipal", "municipal-train2", "municipal-train3", "blind"} <= set(GOLD_CORPORA)


@pytest.mark.parametrize("name", GOLD_CORPORA)
def test_corpus_gold_is_consistent(name: str) -> None:
    corpus = _load(name)
    assert [d.id for d in corpus.documents if d.gold_extract is None] == []
    assert check_corpus(corpus) == []


@pytest.mark.parametrize("name", GOLD_CORPORA)
def test_manifest_is_complete(name: str) -> None:
    expected, docs = EXPECTED.get(name, Expected()), _load(name).documents
    assert expected.min_docs <= len(docs) <= expected.max_docs, len(docs)
    ids = [d.id for d in docs]
    assert ids == sorted(set(ids)), "ids are unique and in file order"
    for doc in docs:
        row = doc.manifest
        assert re.fullmatch(expected.id_pattern, doc.id), doc.id
        assert row["split"] in expected.splits, (doc.id, row["split"])
        assert isinstance(row["scanned"], bool), doc.id
        assert 0 < len(doc.text.encode("utf-8")) <= MAX_BYTES, doc.id
        if expected.provenance:
            assert re.fullmatch(r"https?://\S+", str(row.get("source_url"))), doc.id
            assert row.get("municipality") and "Stockholm" not in row["municipality"], doc.id
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(row.get("retrieved"))), doc.id


@pytest.mark.parametrize("name", GOLD_CORPORA)
def test_no_source_shared_with_another_corpus(name: str) -> None:
    """A document is in one corpus only: no source URL or text repeats within it or in any other corpus."""
    docs = _load(name).documents
    urls = [d.manifest.get("source_url") for d in docs if d.manifest.get("source_url")]
    heads = [_head(d.text) for d in docs]
    assert len(urls) == len(set(urls)) and len(heads) == len(set(heads))
    for other in GOLD_CORPORA:
        if other == name:
            continue
        for row in read_jsonl(CORPORA_DIR / other / "manifest.jsonl"):
            assert row.get("source_url") is None or row["source_url"] not in urls, (other, row["id"])
            path = CORPORA_DIR / other / row["file"]
            if path.is_file():
                assert _head(path.read_text(encoding="utf-8", errors="replace")) not in heads, (other, row["id"])


@pytest.fixture
def broken(corpus: Corpus) -> Corpus:
    return copy.deepcopy(corpus)


def test_checker_reports_shifted_entity(broken: Corpus) -> None:
    doc = broken.by_id("002")
    assert doc.gold_extract is not None
    doc.gold_extract["entities"][0]["start"] += 1
    assert any("do not slice" in p for p in check_corpus(broken))


def test_checker_reports_bad_values_and_nodes(broken: Corpus) -> None:
    doc = broken.by_id("000")
    assert doc.gold_extract is not None
    date = next(e for e in doc.gold_extract["entities"] if e["label"] == "DATE")
    date["value"] = "6 december 2017"
    broken.gold_relations[0]["target"] = {"kind": "document", "id": "999", "diary_number": None, "title": None}
    problems = check_corpus(broken)
    assert any("DATE value" in p for p in problems)
    assert any("'999' is not in the corpus" in p for p in problems)


def test_checker_reports_unaligned_repair_gold_and_manifest_drift(broken: Corpus) -> None:
    doc = broken.by_id("004")
    doc.gold_repair = (doc.gold_repair or "") + "\nextra line"
    doc.manifest["doc_type"] = "skrivelse"
    doc.manifest["diary_number"] = "KS 1999/1"
    problems = check_corpus(broken)
    assert any("line-aligned" in p for p in problems)
    assert any("doc_type 'skrivelse'" in p for p in problems)
    assert any("'KS 1999/1' is not annotated" in p for p in problems)
    assert json.dumps(problems, ensure_ascii=False)  # plain strings a person can read
