"""The top-level API: five verbs that take a researcher from texts to tables and a graph, on the real corpus."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

import mrtext
from mrtext.frames import DOCUMENT_COLUMNS, EDGE_COLUMNS, ENTITY_COLUMNS
from mrtext.metrics import cer
from mrtext.model import ENTITY_LABELS, DocumentRecord

VERBS = ["build_graph", "extract", "load_pipeline", "repair_text", "to_frame"]


@pytest.fixture(scope="module")
def records(corpus) -> list[DocumentRecord]:
    return mrtext.extract(corpus.documents)


@pytest.fixture(scope="module")
def graph(records) -> nx.MultiDiGraph:
    return mrtext.build_graph(records)


def test_dir_lists_only_the_verbs_and_the_version():
    assert dir(mrtext) == sorted([*VERBS, "__version__"])
    assert all(callable(getattr(mrtext, v)) for v in VERBS)
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = mrtext.nope


def test_extract_stays_the_verb_after_its_subpackage_is_imported():
    import importlib

    importlib.import_module("mrtext.extract.evaluate")  # Python would set mrtext.extract to the subpackage
    assert callable(mrtext.extract)
    assert "offsets" in (mrtext.extract.__doc__ or "")
    assert mrtext.extract.load_pipeline is mrtext.load_pipeline  # the subpackage's names still reachable
    assert mrtext.extract([""])[0].entities == []


def test_import_is_lazy():
    code = (
        "import sys, mrtext; print(sorted(m for m in ('spacy', 'pandas', 'networkx', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_repair_text_fixes_the_scan_and_leaves_clean_text_alone(corpus):
    scan = corpus.by_id("002")
    result = mrtext.repair_text(scan.text)
    assert result.damaged
    assert result.text != scan.text and result.changes
    assert all(scan.text[c.start : c.end] == c.before for c in result.changes)
    assert cer(scan.gold_repair, result.text) < cer(scan.gold_repair, scan.text) / 2
    clean = corpus.by_id("000").text
    assert mrtext.repair_text(clean).text == clean


def test_extract_returns_one_record_per_document_with_offsets_into_the_originals(corpus, records):
    assert [r.id for r in records] == [d.id for d in corpus.documents]
    for doc, rec in zip(corpus.documents, records, strict=True):
        assert rec.entities, f"nothing extracted from {doc.id}"
        for e in rec.entities:
            assert e.label in ENTITY_LABELS
            assert doc.text[e.start : e.end] == e.text, (doc.id, e)
    scanned = next(r for r in records if r.id == "002")
    assert scanned.repaired
    assert "KS 2023/1159" in {e.value for e in scanned.entities if e.label == "DIARY_NUMBER"}


def test_extract_takes_plain_strings_and_a_loaded_pipeline(corpus):
    nlp = mrtext.load_pipeline()
    texts = [corpus.by_id("000").text, ""]
    recs = mrtext.extract(texts, nlp=nlp)
    assert len(recs) == 2
    assert recs[1].entities == []
    assert {e.label for e in recs[0].entities} >= {"DATE", "PROGRAM"}


def test_build_graph_links_the_corpus(corpus, graph):
    assert graph.number_of_edges() >= 1
    kinds = dict(graph.nodes(data="kind"))
    assert sum(k == "document" for k in kinds.values()) == len(corpus.documents)
    assert {t for _, _, t in graph.edges(data="type")} <= {"replaces", "references", "responds_to", "part_of"}


def test_to_frame_tables(records, graph):
    ents = mrtext.to_frame(records)
    assert list(ents.columns) == ENTITY_COLUMNS == ["doc_id", "label", "text", "start", "end", "value"]
    assert len(ents) == sum(len(r.entities) for r in records)
    docs = mrtext.to_frame(records, kind="documents")
    assert list(docs.columns) == DOCUMENT_COLUMNS
    assert docs.doc_id.tolist() == [r.id for r in records]
    edges = mrtext.to_frame(graph)
    assert list(edges.columns) == EDGE_COLUMNS
    assert len(edges) == graph.number_of_edges()
    assert set(edges.type) == {t for _, _, t in graph.edges(data="type")}
    # the JSON form of the records gives the same table
    assert mrtext.to_frame([r.to_dict() for r in records]).equals(ents)


def test_to_frame_refuses_mismatched_kinds(records, graph):
    with pytest.raises(TypeError):
        mrtext.to_frame(records, kind="edges")
    with pytest.raises(TypeError):
        mrtext.to_frame(graph, kind="entities")
    with pytest.raises(ValueError, match="unknown kind"):
        mrtext.to_frame(records, kind="pages")  # type: ignore[arg-type]
