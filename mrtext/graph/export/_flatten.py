"""Make a graph safe for XML formats: no None, no lists or dicts, no characters XML 1.0 forbids.

GraphML rejects list- and None-valued attributes and GEXF rejects None (networkx 3.6), and neither
may contain control characters. Lists of plain values are joined with ``"; "``; other containers
become JSON strings.

>>> flat_value(["KS 2023/1159", "SF 2024/444"]), flat_value({"a": 1}), flat_value(None)
('KS 2023/1159; SF 2024/444', '{"a": 1}', None)
>>> xml_safe("a\\x00b\\x1bc<&>")
'abc<&>'
"""

from __future__ import annotations

import json
import re
from typing import Any

import networkx as nx

__all__ = ["flat_attrs", "flat_graph", "flat_value", "xml_safe"]

_XML_BAD = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 does not allow (C0 controls except tab/newline, lone surrogates, U+FFFE/F).

    Carriage returns become newlines, as an XML parser would read them anyway.
    """
    return _XML_BAD.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def flat_value(value: Any) -> str | int | float | bool | None:
    """One attribute value as a scalar (``None`` stays ``None``: callers drop it)."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple | set) and all(isinstance(v, str | int | float) for v in value):
        return xml_safe("; ".join(str(v) for v in value))
    return xml_safe(json.dumps(value, ensure_ascii=False, default=str))


def flat_attrs(attrs: dict[str, Any]) -> dict[str, str | int | float | bool]:
    """Flatten a dict of attributes, dropping ``None`` values and empty lists."""
    out = {}
    for k, v in attrs.items():
        if v is None or (isinstance(v, list | tuple | set) and not v):
            continue
        fv = flat_value(v)
        if fv is not None:
            out[xml_safe(str(k))] = fv
    return out


def flat_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``G`` with flattened attributes and XML-safe, still unique node ids."""
    H = nx.MultiDiGraph()
    H.graph.update(flat_attrs(dict(G.graph)))
    ids: dict[Any, str] = {}
    taken: set[str] = set()
    for n, data in G.nodes(data=True):
        base = xml_safe(str(n)) or "node"
        nid, i = base, 2
        while nid in taken:
            nid, i = f"{base} #{i}", i + 1
        taken.add(nid)
        ids[n] = nid
        H.add_node(nid, **flat_attrs(data))
    for u, v, k, data in G.edges(keys=True, data=True):
        H.add_edge(ids[u], ids[v], key=xml_safe(str(k)), **flat_attrs(data))
    return H
