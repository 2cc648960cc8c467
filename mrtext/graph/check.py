"""Consistency checks on a built graph: things that are probably wrong in the text or in the linking.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="replaces"); G.add_edge("b", "a", key="replaces"); G.add_edge("c", "c", key="replaces")
'replaces'
'replaces'
'replaces'
>>> for w in check_consistency(G): print(w)
c replaces itself
cycle in replaces: a → b → a
"""

from __future__ import annotations

import logging

import networkx as nx

__all__ = ["check_consistency", "replaces_view"]

log = logging.getLogger("mrtext.graph")

_MAX_LOGGED = 20


def replaces_view(G: nx.MultiDiGraph) -> nx.DiGraph:
    """A simple ``DiGraph`` of the ``replaces`` edges only (new → old)."""
    R = nx.DiGraph()
    R.add_edges_from((u, v) for u, v, k in G.edges(keys=True) if k == "replaces")
    return R


def _label(G: nx.MultiDiGraph, n: str) -> str:
    title = G.nodes[n].get("title") if n in G else None
    return f"{n}" if not title or n.endswith(title) else f"{n} ({title})"


def check_consistency(G: nx.MultiDiGraph, *, log_warnings: bool = True) -> list[str]:
    """Return (and log) warnings: a node that replaces itself, cycles in ``replaces``, and a
    program replaced by two different nodes.

    Cycles are found per strongly connected component, so the check stays linear in the size of the graph.
    """
    warnings: list[str] = []
    R = replaces_view(G)
    for u, _ in nx.selfloop_edges(R):
        warnings.append(f"{_label(G, u)} replaces itself")
    R.remove_edges_from(list(nx.selfloop_edges(R)))
    for comp in nx.strongly_connected_components(R):
        if len(comp) > 1:
            cycle = nx.find_cycle(R.subgraph(comp))
            path = [cycle[0][0], *(v for _, v in cycle)]
            warnings.append("cycle in replaces: " + " → ".join(path))
    for n in R.nodes:
        replacers = sorted(R.predecessors(n))
        if len(replacers) > 1:
            warnings.append(f"{_label(G, n)} is replaced by {len(replacers)} nodes: " + ", ".join(replacers))
    if log_warnings:
        for w in warnings[:_MAX_LOGGED]:
            log.warning("graph: %s", w)
        if len(warnings) > _MAX_LOGGED:
            log.warning("graph: … and %d more warnings (all in G.graph['warnings'])", len(warnings) - _MAX_LOGGED)
    return warnings
