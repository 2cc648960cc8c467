"""GraphML for yEd, Gephi and Cytoscape: attributes flattened (no lists, no None), XML-safe text.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("p", diary_numbers=["KS 1/2020"], date=None)
>>> _ = G.add_edge("d", "p", key="references", evidence=[{"doc": "d"}])
>>> buf = io.BytesIO(); write(G, buf); _ = buf.seek(0)
>>> H = nx.read_graphml(buf, force_multigraph=True); H.nodes["p"]
{'diary_numbers': 'KS 1/2020'}
"""

from __future__ import annotations

from typing import IO

import networkx as nx

from mrtext.graph.export._flatten import flat_graph

__all__ = ["write"]


def write(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write ``G`` as GraphML (UTF-8) to a binary file object."""
    nx.write_graphml(flat_graph(G), fh, encoding="utf-8", prettyprint=True, named_key_ids=True)
