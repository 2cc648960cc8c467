"""Graph exporters, one module per format (after ``networkx.readwrite``).

Each module exposes ``write(G, fh)`` writing to a binary file object, plus format-specific helpers.

========  =========================================================  =================
format    module                                                     opens in
========  =========================================================  =================
json      :mod:`mrtext.graph.export.json_graph` (node-link, edges)   d3, networkx
graphml   :mod:`mrtext.graph.export.graphml`                         yEd, Gephi, Cytoscape
gexf      :mod:`mrtext.graph.export.gexf`                            Gephi
dot       :mod:`mrtext.graph.export.dot`                             Graphviz
csv       :mod:`mrtext.graph.export.csv_edges` (one row per edge)    spreadsheets, pandas
html      :mod:`mrtext.graph.export.html`                            any browser, offline
========  =========================================================  =================

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); _ = G.add_edge("doc:1", "program:P", key="references", type="references")
>>> buf = io.BytesIO(); write(G, "csv", buf); buf.getvalue().decode().splitlines()[0].startswith("source,target,type")
True
"""

from __future__ import annotations

from importlib import import_module
from typing import IO, Final

import networkx as nx

from mrtext.errors import BadArgumentsError

__all__ = ["FORMATS", "write"]

FORMATS: Final = {
    "json": "mrtext.graph.export.json_graph",
    "graphml": "mrtext.graph.export.graphml",
    "gexf": "mrtext.graph.export.gexf",
    "dot": "mrtext.graph.export.dot",
    "csv": "mrtext.graph.export.csv_edges",
    "html": "mrtext.graph.export.html",
}
"""Format name → exporter module (each has ``write(G, fh)``)."""


def write(G: nx.MultiDiGraph, fmt: str, fh: IO[bytes]) -> None:
    """Write ``G`` in format ``fmt`` to the binary file object ``fh``."""
    module = FORMATS.get(fmt)
    if module is None:
        raise BadArgumentsError(f"unknown graph format {fmt!r}", remedy="use one of " + ", ".join(FORMATS))
    import_module(module).write(G, fh)
