"""The document graph: which documents replace, reference, respond to or belong to which.

Stages (each a plain function, each strategy injectable):

* :func:`find_relations` — cue rules (``rules/relations.json``) applied to one record and its text;
* :func:`build_graph` — resolve endpoints to one node per real document/program and assemble a
  ``networkx.MultiDiGraph`` (edge key = relation type);
* :func:`check_consistency` — self-replacement, cycles, programs replaced twice;
* :func:`lineage`, :func:`responders` — queries;
* :mod:`mrtext.graph.export` — one module per output format.

>>> from mrtext.corpus import CORPORA_DIR, load_corpus
>>> G = build_graph(records_from_gold(load_corpus(CORPORA_DIR / "stockholm-mr")))
>>> [r["id"] for r in responders(G, "KS 2023/1159")]
['doc:002']
"""

from __future__ import annotations

from mrtext.graph.build import build_graph, link_records
from mrtext.graph.check import check_consistency
from mrtext.graph.evaluate import records_from_gold, score_relations
from mrtext.graph.find import find_relations
from mrtext.graph.query import Lineage, find_node, lineage, responders
from mrtext.graph.resolve import Resolver
from mrtext.graph.rules import load_rules

__all__ = [
    "Lineage",
    "Resolver",
    "build_graph",
    "check_consistency",
    "find_node",
    "find_relations",
    "lineage",
    "link_records",
    "load_rules",
    "records_from_gold",
    "responders",
    "score_relations",
]
