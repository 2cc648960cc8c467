"""Every corpus under corpora/ passes mrtext.corpus.check_corpus, and the checker catches broken gold."""

from __future__ import annotations

import copy
import json

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, check_corpus, load_corpus

GOLD_CORPORA = sorted(
    p.parent.name
    for p in CORPORA_DIR.glob("*/manifest.jsonl")
    if '"file"' in p.read_text(encoding="utf-8").split("\n", 1)[0]  # synthetic pairs have no single source file
)


def test_the_gold_corpora_are_found() -> None:
    assert {"stockholm-mr", "municipal", "blind"} <= set(GOLD_CORPORA)


@pytest.mark.parametrize("name", GOLD_CORPORA)
def test_corpus_gold_is_consistent(name: str) -> None:
    corpus = load_corpus(CORPORA_DIR / name)
    assert [d.id for d in corpus.documents if d.gold_extract is None] == []
    assert check_corpus(corpus) == []


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
