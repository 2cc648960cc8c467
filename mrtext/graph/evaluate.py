"""Score a graph's relations against a corpus's ``gold/relations.jsonl`` (precision, recall, F1 by type).

A predicted relation matches a gold one when the document stating it, the type and the direction
agree, and each endpoint matches the gold node: by corpus document id, by diary number (numeric
core, authority code optional) or by title (rapidfuzz ``token_set_ratio`` ≥ 85 on normalised titles
of the same kind of document). Matching is one-to-one.

>>> from mrtext.corpus import CORPORA_DIR, load_corpus
>>> corpus = load_corpus(CORPORA_DIR / "stockholm-mr")
>>> recs = records_from_gold(corpus)
>>> [r.id for r in recs][:3], recs[0].entities[0].label in {"DATE", "PROGRAM", "DIARY_NUMBER", "GOAL"}
(['000', '001', '002'], True)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from rapidfuzz import fuzz

from mrtext.corpus import Corpus, CorpusDocument
from mrtext.graph.keys import dnr_core, head_word, title_key
from mrtext.model import RELATION_TYPES, DocumentRecord, Entity

__all__ = ["Scores", "node_matches", "predicted_relations", "records_from_gold", "score_relations"]


def records_from_gold(corpus: Corpus, docs: Sequence[CorpusDocument] | None = None) -> list[DocumentRecord]:
    """Extraction records built from the corpus gold (``gold/extract.jsonl``), one per document.

    Scanned documents are marked ``repaired`` so that relation finding repairs them when it can.
    """
    out = []
    for doc in docs if docs is not None else corpus.documents:
        gold = doc.gold_extract or {}
        out.append(
            DocumentRecord(
                id=doc.id,
                path=doc.path,
                title=gold.get("title", doc.manifest.get("title")),
                doc_type=gold.get("doc_type", doc.manifest.get("doc_type")),
                date=gold.get("date", doc.manifest.get("date")),
                diary_number=gold.get("diary_number", doc.manifest.get("diary_number")),
                repaired=bool(doc.manifest.get("scanned")),
                entities=[Entity(**e) for e in gold.get("entities", [])],
            )
        )
    return out


def _titles(data: dict[str, Any]) -> list[str]:
    return [t for t in [data.get("title"), *(data.get("aliases") or [])] if t]


def node_matches(node_id: str, data: dict[str, Any], gold: dict[str, Any], *, min_title: float = 85.0) -> bool:
    """Whether graph node ``node_id`` (with attributes ``data``) is the gold ``NODE``.

    >>> node_matches("dnr:KS 434-21/2017", {"diary_numbers": ["KS 434-21/2017"]},
    ...              {"kind": "program", "id": None, "diary_number": "434-21/2017", "title": None})
    True
    >>> node_matches("program:X", {"title": "Program för ett jämställt Stockholm"},
    ...              {"kind": "program", "id": None, "diary_number": None,
    ...               "title": "Handlingsplan för ett jämställt Stockholm 2030"})
    False
    """
    gid = gold.get("id")
    if gid:
        return data.get("doc_id") == gid or node_id == f"doc:{gid}"
    if data.get("doc_id") and gold.get("kind") != "document" and data.get("doc_type") != "program":
        return False  # a corpus document only matches a gold node that names it (a program also by title)
    gdnr = gold.get("diary_number")
    if gdnr and any(dnr_core(d) == dnr_core(gdnr) for d in data.get("diary_numbers") or ()):
        return True
    gtitle = gold.get("title")
    if gtitle:
        gk = title_key(gtitle)
        for t in _titles(data):
            tk = title_key(t)
            if head_word(tk) == head_word(gk) and fuzz.token_set_ratio(tk, gk) >= min_title:
                return True
    return False


def predicted_relations(G: nx.MultiDiGraph) -> list[tuple[str, str, str, str]]:
    """Every (doc, type, source node, target node) the graph states, one per evidence document."""
    out: list[tuple[str, str, str, str]] = []
    for u, v, k, data in G.edges(keys=True, data=True):
        docs = sorted({ev["doc"] for ev in data.get("evidence") or [{"doc": data.get("doc")}]})
        out.extend((str(d), str(k), str(u), str(v)) for d in docs)
    return out


@dataclass(slots=True)
class Scores:
    """Counts and precision / recall / F1 per relation type and overall (micro-averaged)."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    @staticmethod
    def _prf(c: dict[str, int]) -> dict[str, float]:
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}

    def table(self) -> dict[str, dict[str, float | int]]:
        """Per type plus ``overall``: tp, fp, fn, precision, recall, f1."""
        out: dict[str, dict[str, float | int]] = {}
        total = {"tp": 0, "fp": 0, "fn": 0}
        for t, c in self.counts.items():
            out[t] = {**c, **self._prf(c)}
            for k in total:
                total[k] += c[k]
        out["overall"] = {**total, **self._prf(total)}
        return out


def score_relations(G: nx.MultiDiGraph, gold: Iterable[dict[str, Any]], *, docs: set[str] | None = None) -> Scores:
    """Score the relations of ``G`` against gold rows (only documents in ``docs``, if given)."""
    gold_rows = [g for g in gold if docs is None or g["doc"] in docs]
    preds = [p for p in predicted_relations(G) if docs is None or p[0] in docs]
    scores = Scores(counts={t: {"tp": 0, "fp": 0, "fn": 0} for t in RELATION_TYPES})
    used: set[int] = set()
    for g in gold_rows:
        hit = None
        for i, (doc, typ, u, v) in enumerate(preds):
            if i in used or doc != g["doc"] or typ != g["type"]:
                continue
            if node_matches(u, G.nodes[u], g["source"]) and node_matches(v, G.nodes[v], g["target"]):
                hit = i
                break
        c = scores.counts.setdefault(g["type"], {"tp": 0, "fp": 0, "fn": 0})
        if hit is None:
            c["fn"] += 1
            scores.errors.append(
                {"error": "missed", "doc": g["doc"], "type": g["type"], "source": g["source"], "target": g["target"]}
            )
        else:
            used.add(hit)
            c["tp"] += 1
    for i, (doc, typ, u, v) in enumerate(preds):
        if i not in used:
            scores.counts.setdefault(typ, {"tp": 0, "fp": 0, "fn": 0})["fp"] += 1
            scores.errors.append({"error": "spurious", "doc": doc, "type": typ, "source": u, "target": v})
    return scores
