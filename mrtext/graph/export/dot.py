"""Graphviz DOT, written directly (no pydot/pygraphviz needed).

Node and edge attributes become quoted DOT attributes; lists are joined, ``None`` dropped, quotes,
backslashes and line breaks escaped. Nodes are coloured by kind, edges by relation type.

>>> import networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("p", title='Plan "A"', kind="program")
>>> _ = G.add_edge("d", "p", key="part_of")
>>> print(to_dot(G))
digraph mrtext {
  graph [rankdir="LR"];
  node [shape="box", style="rounded,filled", fontname="Helvetica"];
  "p" [label="Plan \\"A\\"", title="Plan \\"A\\"", kind="program", fillcolor="#cfe8ff"];
  "d" [label="d", fillcolor="#eeeeee"];
  "d" -> "p" [key="part_of", label="part_of", color="#2ca02c"];
}
"""

from __future__ import annotations

import re
from typing import IO, Any

import networkx as nx

from mrtext.graph.export._flatten import flat_attrs, xml_safe

__all__ = ["EDGE_COLOURS", "NODE_COLOURS", "quote", "to_dot", "write"]

NODE_COLOURS = {"document": "#ffe9b3", "program": "#cfe8ff", "external": "#eeeeee"}
_LINE_BREAK = re.compile("\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
EDGE_COLOURS = {"replaces": "#d62728", "references": "#7f7f7f", "responds_to": "#1f77b4", "part_of": "#2ca02c"}


def quote(value: Any) -> str:
    """A DOT double-quoted string.

    >>> quote('a "b"\\nc\\\\')
    '"a \\\\"b\\\\"\\\\nc\\\\\\\\"'
    """
    s = xml_safe(str(value)).replace("\\", "\\\\").replace('"', '\\"')
    s = "\\n".join(_LINE_BREAK.split(s))
    return f'"{s}"'


def _attrs(attrs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={quote(v)}" for k, v in attrs.items())


def to_dot(G: nx.MultiDiGraph, *, name: str = "mrtext") -> str:
    """The DOT text of ``G``."""
    lines = [
        f"digraph {name} {{",
        '  graph [rankdir="LR"];',
        '  node [shape="box", style="rounded,filled", fontname="Helvetica"];',
    ]
    for n, data in G.nodes(data=True):
        attrs = {"label": data.get("title") or n, **flat_attrs(data)}
        attrs["fillcolor"] = NODE_COLOURS.get(str(data.get("kind")), "#eeeeee")
        attrs.pop("evidence", None)
        lines.append(f"  {quote(n)} [{_attrs(attrs)}];")
    for u, v, k, data in G.edges(keys=True, data=True):
        flat = flat_attrs({kk: vv for kk, vv in data.items() if kk != "evidence"})
        attrs = {"key": k, "label": k, **flat, "color": EDGE_COLOURS.get(str(k), "#000000")}
        lines.append(f"  {quote(u)} -> {quote(v)} [{_attrs(attrs)}];")
    lines.append("}")
    return "\n".join(lines)


def write(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write ``G`` as DOT (UTF-8) to a binary file object."""
    fh.write((to_dot(G) + "\n").encode("utf-8"))
