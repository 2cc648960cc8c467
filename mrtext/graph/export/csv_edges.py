"""An edge list as CSV: one row per edge, with the titles of both ends and the evidence.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("p", title="Program för ett jämställt Stockholm")
>>> _ = G.add_edge("d", "p", key="references", confidence=0.6, doc="003", evidence_text="Program\\nför")
>>> buf = io.BytesIO(); write(G, buf); print(buf.getvalue().decode().replace("\\r", ""))
source,target,type,confidence,doc,evidence_start,evidence_end,evidence_text,source_title,target_title,source_kind,target_kind
d,p,references,0.6,003,,,Program för,,Program för ett jämställt Stockholm,,
<BLANKLINE>
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

import networkx as nx

__all__ = ["COLUMNS", "rows", "write"]

COLUMNS = (
    "source",
    "target",
    "type",
    "confidence",
    "doc",
    "evidence_start",
    "evidence_end",
    "evidence_text",
    "source_title",
    "target_title",
    "source_kind",
    "target_kind",
)


def rows(G: nx.MultiDiGraph) -> Iterator[dict[str, Any]]:
    """The edge rows (also the shape ``to_frame`` users expect); evidence text on one line."""
    for u, v, k, d in G.edges(keys=True, data=True):
        ev = d.get("evidence_text")
        yield {
            "source": u,
            "target": v,
            "type": d.get("type", k),
            "confidence": d.get("confidence"),
            "doc": d.get("doc"),
            "evidence_start": d.get("evidence_start"),
            "evidence_end": d.get("evidence_end"),
            "evidence_text": " ".join(ev.split()) if isinstance(ev, str) else ev,
            "source_title": G.nodes[u].get("title"),
            "target_title": G.nodes[v].get("title"),
            "source_kind": G.nodes[u].get("kind"),
            "target_kind": G.nodes[v].get("kind"),
        }


def write(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write the edge list (UTF-8, header row, RFC 4180 quoting) to a binary file object."""
    text = io.StringIO()
    w = csv.DictWriter(text, fieldnames=COLUMNS)
    w.writeheader()
    for row in rows(G):
        w.writerow(row)
    fh.write(text.getvalue().encode("utf-8"))
