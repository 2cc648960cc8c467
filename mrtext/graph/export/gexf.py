"""GEXF 1.2 for Gephi: attributes flattened (no lists, no None), XML-safe text, unique edge ids.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); _ = G.add_edge("a", "b", key="replaces"); _ = G.add_edge("b", "c", key="replaces")
>>> buf = io.BytesIO(); write(G, buf); _ = buf.seek(0)
>>> sorted(nx.read_gexf(buf).edges())
[('a', 'b'), ('b', 'c')]
"""

from __future__ import annotations

from typing import IO

import networkx as nx

from mrtext.graph.export._flatten import flat_graph

__all__ = ["write"]


def write(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write ``G`` as GEXF (UTF-8) to a binary file object.

    Edge ids must be unique in GEXF while our edge keys are relation types, so each edge gets
    ``id`` = its position. GEXF reserves the edge attribute ``type`` (directed/undirected), so the
    relation type goes to ``relation`` and ``label``.
    """
    H = flat_graph(G)
    for i, (_, _, k, data) in enumerate(H.edges(keys=True, data=True)):
        data["id"] = str(i)
        data["relation"] = data.pop("type", k)
        data.setdefault("label", k)
    for n, data in H.nodes(data=True):
        data.setdefault("label", str(data.get("title") or n))
    nx.write_gexf(H, fh, encoding="utf-8", prettyprint=True)
