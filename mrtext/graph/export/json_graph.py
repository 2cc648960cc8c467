"""Node-link JSON (d3 style), always with an explicit ``"edges"`` key.

networkx changed the default key from ``"links"`` to ``"edges"`` in 3.6, so both directions pass
``edges="edges"`` explicitly.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); _ = G.add_edge("a", "b", key="replaces", evidence=[{"doc": "1"}])
>>> buf = io.BytesIO(); write(G, buf); _ = buf.seek(0)
>>> H = read(buf); sorted(H.edges(keys=True)), H.edges["a", "b", "replaces"]["evidence"]
([('a', 'b', 'replaces')], [{'doc': '1'}])
"""

from __future__ import annotations

import json
from typing import IO, Any

import networkx as nx

__all__ = ["from_data", "read", "to_data", "write"]


def to_data(G: nx.MultiDiGraph) -> dict[str, Any]:
    """The node-link dict of ``G`` (``nodes``, ``edges``, ``graph``, ``directed``, ``multigraph``)."""
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    return data


def from_data(data: dict[str, Any]) -> nx.MultiDiGraph:
    """Rebuild a graph from :func:`to_data` output."""
    G: nx.MultiDiGraph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    return G


def write(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write UTF-8 JSON (non-ASCII as is) to a binary file object."""
    fh.write(json.dumps(to_data(G), ensure_ascii=False, indent=1, default=str).encode("utf-8"))
    fh.write(b"\n")


def read(fh: IO[bytes]) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write`."""
    return from_data(json.loads(fh.read().decode("utf-8")))
