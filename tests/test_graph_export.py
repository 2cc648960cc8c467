"""Graph exporters: round trips, XML validity with hostile text, DOT structure, offline HTML, CSV."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mrtext.corpus import Corpus
from mrtext.graph import build_graph, records_from_gold
from mrtext.graph.export import FORMATS, json_graph, write
from mrtext.graph.export._flatten import xml_safe
from mrtext.graph.export.csv_edges import COLUMNS
from mrtext.graph.export.dot import to_dot
from mrtext.graph.export.html import to_html


@pytest.fixture(scope="module")
def G(corpus: Corpus) -> nx.MultiDiGraph:
    return build_graph(records_from_gold(corpus))


def _bytes(G: nx.MultiDiGraph, fmt: str) -> bytes:
    buf = io.BytesIO()
    write(G, fmt, buf)
    return buf.getvalue()


def _edge_set(G: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(str(u), str(v), str(k)) for u, v, k in G.edges(keys=True)}


def test_node_link_round_trip(G: nx.MultiDiGraph) -> None:
    data = nx.node_link_data(G, edges="edges")
    assert "edges" in data and "links" not in data
    H = nx.node_link_graph(data, edges="edges")
    assert nx.is_isomorphic(
        G,
        H,
        node_match=lambda a, b: dict(a) == dict(b),
        edge_match=lambda a, b: {k: dict(v) for k, v in a.items()} == {k: dict(v) for k, v in b.items()},
    )
    assert _edge_set(H) == _edge_set(G)
    back = json_graph.read(io.BytesIO(_bytes(G, "json")))
    assert _edge_set(back) == _edge_set(G)
    assert dict(back.nodes(data=True)) == dict(G.nodes(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_parse_back(G: nx.MultiDiGraph, fmt: str) -> None:
    raw = _bytes(G, fmt)
    ET.fromstring(raw)  # well-formed XML
    H = nx.read_graphml(io.BytesIO(raw), force_multigraph=True) if fmt == "graphml" else nx.read_gexf(io.BytesIO(raw))
    assert set(H.nodes) == set(G.nodes)
    assert {(u, v) for u, v, _ in _edge_set(G)} == {(str(u), str(v)) for u, v in H.edges()}
    eq = next(n for n in G if "434-21/2017" in "".join(G.nodes[n].get("diary_numbers") or []))
    assert "KS 434-21/2017" in H.nodes[eq]["diary_numbers"]
    rel = "type" if fmt == "graphml" else "relation"  # GEXF reserves "type" for directed/undirected
    assert {d.get(rel) for *_, d in H.edges(data=True)} == {"replaces", "references", "responds_to", "part_of"}


NASTY = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=30)
NASTY_SWEDISH = st.one_of(NASTY, st.sampled_from(["<&>\"'", "Åsa Öberg & ärende \x00\x1b\x07", "]]>", "\ufffe"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ids=st.lists(NASTY_SWEDISH, min_size=2, max_size=5, unique=True), title=NASTY_SWEDISH)
def test_xml_exports_survive_hostile_text(ids: list[str], title: str) -> None:
    G = nx.MultiDiGraph()
    for i, n in enumerate(ids):
        G.add_node(n, title=title, aliases=[title, "x"], date=None, years=[2018, 2022], kind="program")
        if i:
            G.add_edge(ids[i - 1], n, key="replaces", type="replaces", evidence_text=title, evidence=[{"t": title}])
    for fmt in ("graphml", "gexf"):
        raw = _bytes(G, fmt)
        ET.fromstring(raw)
        H = nx.read_graphml(io.BytesIO(raw)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(raw))
        assert H.number_of_nodes() == len(ids)
        assert H.number_of_edges() == len(ids) - 1
        if xml_safe(title).strip():
            assert xml_safe(title) in {str(d.get("title")) for _, d in H.nodes(data=True)}


_DOT_NODE = re.compile(r'^  "((?:[^"\\]|\\.)*)" \[(.*)\];$')
_DOT_EDGE = re.compile(r'^  "((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[(.*)\];$')
_DOT_ATTR = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def _unquote(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), s)


@settings(max_examples=40, deadline=None)
@given(title=NASTY_SWEDISH)
def test_dot_structure(title: str) -> None:
    G = nx.MultiDiGraph()
    G.add_node('a"b\\c', title=title, kind="program")
    G.add_edge('a"b\\c', "doc:1", key="part_of", evidence_text=title)
    text = to_dot(G)
    lines = text.splitlines()
    assert lines[0] == "digraph mrtext {" and lines[-1] == "}"
    nodes, edges = [], []
    for line in lines[3:-1]:
        if m := _DOT_EDGE.match(line):
            edges.append((_unquote(m.group(1)), _unquote(m.group(2)), dict(_DOT_ATTR.findall(m.group(3)))))
        elif m := _DOT_NODE.match(line):
            nodes.append(_unquote(m.group(1)))
        else:
            pytest.fail(f"not a DOT statement: {line!r}")
    assert sorted(nodes) == sorted(G.nodes)
    assert [(u, v, a["key"]) for u, v, a in edges] == [('a"b\\c', "doc:1", "part_of")]


def test_dot_of_corpus_graph(G: nx.MultiDiGraph) -> None:
    lines = to_dot(G).splitlines()
    assert sum(1 for ln in lines if _DOT_EDGE.match(ln)) == G.number_of_edges()
    assert sum(1 for ln in lines if _DOT_NODE.match(ln) and not _DOT_EDGE.match(ln)) == G.number_of_nodes()


def test_html_is_self_contained(G: nx.MultiDiGraph) -> None:
    page = to_html(G)
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page and "@import" not in page
    assert page.count('class="node"') == G.number_of_nodes()
    assert page.count('class="edge"') == G.number_of_edges()
    assert "Program för ett jämställt Stockholm 2018-2022" in page


def test_csv_edge_list(G: nx.MultiDiGraph) -> None:
    rows = list(csv.DictReader(io.StringIO(_bytes(G, "csv").decode("utf-8"))))
    assert tuple(rows[0].keys()) == COLUMNS
    assert len(rows) == G.number_of_edges()
    assert {(r["source"], r["target"], r["type"]) for r in rows} == _edge_set(G)


def test_every_format_is_registered(G: nx.MultiDiGraph) -> None:
    assert set(FORMATS) == {"json", "graphml", "gexf", "dot", "csv", "html"}
    for fmt in FORMATS:
        assert _bytes(G, fmt).strip()
