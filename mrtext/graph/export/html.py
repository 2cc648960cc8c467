"""A self-contained HTML view: inline SVG drawing, inline CSS and JS, no network at view time.

The layout is computed here (networkx spring layout, fixed seed), so the page needs no script
library; a few lines of inline JS add a search box and highlight a node's neighbours on click.
Every text is HTML-escaped.

>>> import networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("p", title="Plan <A> & B", kind="program")
>>> _ = G.add_edge("d", "p", key="part_of", evidence_text="tillhör")
>>> page = to_html(G)
>>> "<svg" in page and "Plan &lt;A&gt; &amp; B" in page and "http://" not in page and "https://" not in page
True
"""

from __future__ import annotations

import html
import json
import math
from typing import IO

import networkx as nx

from mrtext.graph.export.dot import EDGE_COLOURS, NODE_COLOURS

__all__ = ["to_html", "write"]

_CSS = """
body{font-family:system-ui,Helvetica,Arial,sans-serif;margin:0;display:flex;height:100vh;color:#222}
#side{width:30%;min-width:260px;overflow:auto;padding:10px;border-right:1px solid #ccc;font-size:13px}
#main{flex:1;overflow:auto}
svg{background:#fcfcfc}
.node circle{stroke:#555;stroke-width:1;cursor:pointer}
.node text{font-size:10px;pointer-events:none}
.edge{stroke-width:1.4;fill:none;opacity:.75}
.dim{opacity:.08}
.hit circle{stroke:#000;stroke-width:3}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #eee;padding:2px 4px;text-align:left;vertical-align:top}
.legend span{display:inline-block;margin-right:8px}.sw{display:inline-block;width:10px;height:10px;margin-right:3px}
"""

_JS = """
(function(){
 var q=document.getElementById('q');
 var nodes=[].slice.call(document.querySelectorAll('.node'));
 var edges=[].slice.call(document.querySelectorAll('.edge'));
 function reset(){nodes.concat(edges).forEach(function(e){e.classList.remove('dim','hit')});}
 q.addEventListener('input',function(){
  reset(); var v=q.value.toLowerCase(); if(!v)return;
  nodes.forEach(function(n){if(n.getAttribute('data-text').indexOf(v)<0){n.classList.add('dim')}else{n.classList.add('hit')}});
 });
 nodes.forEach(function(n){n.addEventListener('click',function(){
  reset(); var id=n.getAttribute('data-id'); var keep={}; keep[id]=1;
  edges.forEach(function(e){var s=e.getAttribute('data-s'),t=e.getAttribute('data-t');
   if(s===id||t===id){keep[s]=1;keep[t]=1}else{e.classList.add('dim')}});
  nodes.forEach(function(m){if(!keep[m.getAttribute('data-id')])m.classList.add('dim')});
  n.classList.add('hit');
 })});
})();
"""


SPRING_LAYOUT_MAX_NODES = 1500
"""Above this many nodes the spring layout (quadratic per iteration) gives way to :func:`_component_rings`."""


def _component_rings(simple: nx.Graph) -> dict[str, tuple[float, float]]:
    """A linear-time layout for large graphs: each connected component on a ring, rings packed in rows.

    >>> pos = _component_rings(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")]))
    >>> sorted(pos) == ["a", "b", "c", "d", "e"] and len(set(pos.values())) == 5
    True
    """
    components = sorted(nx.connected_components(simple), key=lambda c: (-len(c), min(map(str, c))))
    row_width = math.sqrt(simple.number_of_nodes()) * 4.0
    pos: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp in components:
        radius = math.sqrt(len(comp)) if len(comp) > 1 else 0.5
        if x + 2 * radius > row_width and x > 0:
            x, y, row_height = 0.0, y + row_height + 1.0, 0.0
        nodes = sorted(comp, key=str)
        for i, node in enumerate(nodes):
            angle = 2 * math.pi * i / len(nodes)
            pos[node] = (x + radius + radius * math.cos(angle), y + radius + radius * math.sin(angle))
        x += 2 * radius + 1.0
        row_height = max(row_height, 2 * radius)
    return pos


def _layout(G: nx.MultiDiGraph, size: float) -> dict[str, tuple[float, float]]:
    if G.number_of_nodes() == 0:
        return {}
    simple = nx.Graph(G.to_undirected())
    if simple.number_of_nodes() > SPRING_LAYOUT_MAX_NODES:
        pos = _component_rings(simple)
    else:
        k = 1.6 / math.sqrt(max(1, simple.number_of_nodes()))
        pos = nx.spring_layout(simple, seed=7, k=k, iterations=50)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    pad = 60.0
    return {
        n: (pad + (p[0] - min(xs)) / span_x * (size - 2 * pad), pad + (p[1] - min(ys)) / span_y * (size - 2 * pad))
        for n, p in pos.items()
    }


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def to_html(G: nx.MultiDiGraph, *, title: str = "mrtext document graph") -> str:
    """The HTML page of ``G`` (a string)."""
    size = max(700.0, min(6000.0, 90.0 * math.sqrt(max(1, G.number_of_nodes()))))
    pos = _layout(G, size)
    svg = [f'<svg width="{size:.0f}" height="{size:.0f}" viewBox="0 0 {size:.0f} {size:.0f}" role="img">', "<defs>"]
    for typ, colour in EDGE_COLOURS.items():
        svg.append(
            f'<marker id="arrow-{typ}" viewBox="0 0 10 10" refX="16" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="{colour}"/></marker>'
        )
    svg.append("</defs>")
    for u, v, k, d in G.edges(keys=True, data=True):
        (x1, y1), (x2, y2) = pos[u], pos[v]
        colour = EDGE_COLOURS.get(str(k), "#000")
        tip = f"{k}: {G.nodes[u].get('title') or u} → {G.nodes[v].get('title') or v}"
        if d.get("evidence_text"):
            tip += f"\n“{' '.join(str(d['evidence_text']).split())}” ({d.get('doc')})"
        svg.append(
            f'<line class="edge" data-s="{_e(u)}" data-t="{_e(v)}" x1="{x1:.1f}" y1="{y1:.1f}" '
            f'x2="{x2:.1f}" y2="{y2:.1f}" stroke="{colour}" marker-end="url(#arrow-{_e(k)})">'
            f"<title>{_e(tip)}</title></line>"
        )
    for n, d in G.nodes(data=True):
        x, y = pos[n]
        label = str(d.get("title") or n)
        short = label if len(label) <= 40 else label[:38] + "…"
        colour = NODE_COLOURS.get(str(d.get("kind")), "#eee")
        info = "\n".join(f"{k}: {v}" for k, v in d.items() if v not in (None, [], ""))
        r = 6 + min(10, 2 * math.log1p(G.degree(n)))
        svg.append(
            f'<g class="node" data-id="{_e(n)}" data-text="{_e((label + " " + str(n)).lower())}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"><title>{_e(info)}</title></circle>'
            f'<text x="{x + r + 2:.1f}" y="{y + 3:.1f}">{_e(short)}</text></g>'
        )
    svg.append("</svg>")
    legend = "".join(f'<span><i class="sw" style="background:{c}"></i>{_e(k)}</span>' for k, c in NODE_COLOURS.items())
    legend += "<br>" + "".join(
        f'<span><i class="sw" style="background:{c}"></i>{_e(k)}</span>' for k, c in EDGE_COLOURS.items()
    )
    rows = "".join(
        f"<tr><td>{_e(G.nodes[u].get('title') or u)}</td><td>{_e(k)}</td><td>{_e(G.nodes[v].get('title') or v)}</td>"
        f"<td>{_e(d.get('doc') or '')}</td></tr>"
        for u, v, k, d in sorted(G.edges(keys=True, data=True), key=lambda e: (str(e[2]), str(e[0]), str(e[1])))
    )
    warnings = "".join(f"<li>{_e(w)}</li>" for w in G.graph.get("warnings") or [])
    meta = _e(json.dumps({"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}))
    return (
        f'<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8"><title>{_e(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head><body>'
        f'<div id="side"><h3>{_e(title)}</h3><p data-meta="{meta}">{G.number_of_nodes()} nodes, '
        f'{G.number_of_edges()} edges</p><div class="legend">{legend}</div>'
        f'<p><input id="q" type="search" placeholder="Search titles…" style="width:95%"></p>'
        + (f"<h4>Warnings</h4><ul>{warnings}</ul>" if warnings else "")
        + f"<h4>Relations</h4><table><tr><th>source</th><th>type</th><th>target</th><th>doc</th></tr>{rows}</table>"
        f'</div><div id="main">{"".join(svg)}</div><script>{_JS}</script></body></html>\n'
    )


def write(G: nx.MultiDiGraph, fh: IO[bytes]) -> None:
    """Write the page (UTF-8) to a binary file object."""
    fh.write(to_html(G).encode("utf-8"))
