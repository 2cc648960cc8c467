"""Questions researchers ask of the graph: a program's lineage, and what responds to a diary number.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("program:A 2018-2022", kind="program", title="Program A 2018-2022", years=[2018, 2022])
>>> G.add_node("program:B", kind="program", title="Program B", years=[2024])
>>> _ = G.add_edge("program:B", "program:A 2018-2022", key="replaces")
>>> lin = lineage(G, "Program A")
>>> [n["title"] for n in lin.replaced_by]
['Program B']
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from rapidfuzz import fuzz

from mrtext.errors import BadArgumentsError
from mrtext.graph.keys import dnr_core, title_key

__all__ = ["Lineage", "find_node", "lineage", "responders"]

_DNR_LIKE = r"\d{2,4}[-/:.]\d"


def _node_dict(G: nx.MultiDiGraph, n: str, **extra: Any) -> dict[str, Any]:
    d = {"id": n, **{k: v for k, v in G.nodes[n].items() if v not in (None, [], "")}}
    d.update(extra)
    return d


def _sort_key(d: dict[str, Any]) -> tuple[str, str]:
    date = d.get("date") or (str(d["years"][0]) if d.get("years") else "9999")
    return (str(date), str(d.get("title") or d["id"]))


def find_node(G: nx.MultiDiGraph, name: str, *, min_score: float = 85.0) -> str:
    """The node named by an id, a diary number or a title (fuzzy, years and city prefix ignored).

    Raises :class:`~mrtext.errors.BadArgumentsError` when nothing matches.
    """
    if name in G:
        return name
    import re

    if re.search(_DNR_LIKE, name):
        core = dnr_core(name)
        for n, dnrs in G.nodes(data="diary_numbers"):
            if any(dnr_core(d) == core for d in dnrs or ()):
                return str(n)
    key = title_key(name)
    best: tuple[float, int, str] | None = None
    for n, data in G.nodes(data=True):
        for t in [data.get("title"), *(data.get("aliases") or [])]:
            if not t:
                continue
            score = 100.0 if title_key(t) == key else fuzz.token_sort_ratio(key, title_key(t))
            cand = (score, int(data.get("mentions") or 0), str(n))
            if score >= min_score and (best is None or cand > best):
                best = cand
    if best is None:
        raise BadArgumentsError(f"no node in the graph matches {name!r}", remedy="check the name or diary number")
    return best[2]


@dataclass(slots=True)
class Lineage:
    """A node and the chain of ``replaces`` around it: what it replaced and what replaced it."""

    node: dict[str, Any]
    replaced: list[dict[str, Any]] = field(default_factory=list)
    replaced_by: list[dict[str, Any]] = field(default_factory=list)

    @property
    def chain(self) -> list[dict[str, Any]]:
        """All nodes of the lineage (predecessors, the node, successors) in date order."""
        return sorted([*self.replaced, self.node, *self.replaced_by], key=_sort_key)

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"node": self.node, "replaced": self.replaced, "replaced_by": self.replaced_by, "chain": self.chain}


def lineage(G: nx.MultiDiGraph, name: str) -> Lineage:
    """What the named program or document replaced and what replaced it (transitively), in date order.

    Each related node carries ``depth`` (1 = directly) and the ``evidence`` document of the link.
    """
    start = find_node(G, name)

    def walk(forward: bool) -> list[dict[str, Any]]:
        seen = {start}
        out = []
        frontier = [(start, 0)]
        while frontier:
            n, depth = frontier.pop(0)
            edges = G.out_edges(n, keys=True, data=True) if forward else G.in_edges(n, keys=True, data=True)
            for u, v, k, data in edges:
                other = v if forward else u
                if k != "replaces" or other in seen:
                    continue
                seen.add(other)
                out.append(
                    _node_dict(G, other, depth=depth + 1, doc=data.get("doc"), evidence=data.get("evidence_text"))
                )
                frontier.append((other, depth + 1))
        return sorted(out, key=_sort_key)

    return Lineage(node=_node_dict(G, start), replaced=walk(True), replaced_by=walk(False))


def responders(G: nx.MultiDiGraph, dnr: str) -> list[dict[str, Any]]:
    """Nodes with a ``responds_to`` edge to a node carrying diary number ``dnr`` (authority code optional).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("dnr:KS 2023/1159", diary_numbers=["KS 2023/1159"])
    >>> G.add_node("doc:002", title="Svar på remiss")
    >>> _ = G.add_edge("doc:002", "dnr:KS 2023/1159", key="responds_to")
    >>> [r["id"] for r in responders(G, "2023/1159")]
    ['doc:002']
    """
    core = dnr_core(dnr)
    targets = [n for n, d in G.nodes(data="diary_numbers") if any(dnr_core(x) == core for x in d or ())]
    out = []
    for t in targets:
        for u, _, k, data in G.in_edges(t, keys=True, data=True):
            if k == "responds_to":
                out.append(_node_dict(G, u, responds_to=t, evidence=data.get("evidence_text")))
    return sorted(out, key=_sort_key)
