"""mrtext.plot: the graph picture and the timeline, drawn headless to real files."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from mrtext.errors import BadArgumentsError, ExitCode
from mrtext.plot import EDGE_COLOURS, NODE_COLOURS, draw_graph, legend_labels, main, read_graph, timeline

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """A small graph shaped like the sample corpus: a reply, a program and the programs it replaces."""
    g = nx.MultiDiGraph()
    g.add_node("doc:002", kind="document", title="Svar på remiss från kommunstyrelsen", diary_numbers=["KS 2023/1159"])
    g.add_node("program:mr", kind="program", title="Stockholms stads program för mänskliga rättigheter")
    g.add_node("program:jam", kind="program", title="Program för ett jämställt Stockholm 2018-2022")
    g.add_node("dnr:KS 2023/1159", kind="external", diary_numbers=["KS 2023/1159"])
    g.add_edge("doc:002", "dnr:KS 2023/1159", key="responds_to", type="responds_to", confidence=0.9)
    g.add_edge("program:mr", "program:jam", key="replaces", type="replaces")
    g.add_edge("doc:002", "program:mr", key="references", type="references")
    g.add_edge("doc:002", "program:mr", key="responds_to", type="responds_to")
    return g


def test_draw_graph_writes_a_png_with_a_legend_of_kinds_and_relations(graph, tmp_path):
    out = tmp_path / "sub" / "graph.png"
    fig = draw_graph(graph, out, title="sample")
    data = out.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 10_000  # a real picture, not an empty canvas
    labels = legend_labels(fig)
    assert {"replaces", "references", "responds_to"} <= set(labels)
    assert "part_of" not in labels  # only what is drawn is in the key
    assert {"document", "program", "external"} <= set(labels)
    # one arrow per edge, the two parallel edges doc:002 -> program:mr included
    assert len(fig.axes[0].patches) == graph.number_of_edges()


def test_node_and_edge_colours_follow_kind_and_type(graph):
    fig = draw_graph(graph)
    ax = fig.axes[0]
    node_colours = {to_hex(c.get_facecolor()[0]) for c in ax.collections}
    assert node_colours == {NODE_COLOURS[k].lower() for k in ("document", "program", "external")}
    arrow_colours = sorted(to_hex(p.get_edgecolor()) for p in ax.patches)
    expected = sorted(EDGE_COLOURS[d["type"]].lower() for _, _, d in graph.edges(data=True))
    assert arrow_colours == expected


def test_svg_output_and_bad_suffix(graph, tmp_path):
    draw_graph(graph, tmp_path / "g.svg")
    assert (tmp_path / "g.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    with pytest.raises(BadArgumentsError):
        draw_graph(graph, tmp_path / "g.txt")


def test_timeline_counts_per_year_and_drops_undated_rows(tmp_path):
    frame = pd.DataFrame(
        {
            "date": ["2017-12-06", "2017", "2018-03", None, "not a date", "2023-05-01"],
            "label": ["PROGRAM", "GOAL", "GOAL", "GOAL", "PROGRAM", "PROGRAM"],
        }
    )
    fig = timeline(frame, tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes().startswith(PNG_MAGIC)
    ax = fig.axes[0]
    assert ax.get_title() == "2 undated row(s) left out"
    bars = sorted((round(p.get_x() + p.get_width() / 2), p.get_height()) for p in ax.patches if p.get_height() > 0)
    assert bars == [(2017, 1), (2017, 1), (2018, 1), (2023, 1)]  # 2017: one GOAL stacked on one PROGRAM


def test_timeline_events_place_coarse_dates_mid_period():
    frame = pd.DataFrame(
        {"date": ["2018", "2018-01-01", "2030-12"], "label": ["PROGRAM"] * 3, "value": ["A", "A", "B"]}
    )
    fig = timeline(frame, y="value")
    xs = sorted(x for c in fig.axes[0].collections for x, _ in c.get_offsets())
    assert xs[0] == pytest.approx(2018.0, abs=0.01)  # a real day stays at its day
    assert xs[1] == pytest.approx(2018.5, abs=0.01)  # a year-only mention sits mid-year, not on 1 January
    assert 2030.9 < xs[2] < 2031.0  # December 2030, mid-month
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["B", "A"]  # most mentioned on top


def test_timeline_names_a_missing_column():
    with pytest.raises(BadArgumentsError, match="no column 'date'"):
        timeline(pd.DataFrame({"label": ["GOAL"]}))


def test_module_cli_draws_the_graph_json_of_a_run(graph, tmp_path):
    from mrtext.graph.export.json_graph import write

    src = tmp_path / "graph.json"  # what `mrtext run` writes and `make demo` draws
    with src.open("wb") as fh:
        write(graph, fh)
    assert read_graph(src).number_of_edges() == graph.number_of_edges()
    assert main([str(src), str(tmp_path / "graph.png")]) == 0
    assert (tmp_path / "graph.png").read_bytes().startswith(PNG_MAGIC)
    assert main([str(tmp_path / "missing.json"), str(tmp_path / "x.png")]) == ExitCode.input_file
    assert main([str(src)]) == ExitCode.bad_args


def test_graphml_round_trip_is_drawable(graph, tmp_path):
    flat = nx.MultiDiGraph()
    for n, d in graph.nodes(data=True):
        flat.add_node(n, **{k: ", ".join(v) if isinstance(v, list) else v for k, v in d.items()})
    flat.add_edges_from(graph.edges(keys=True, data=True))
    nx.write_graphml(flat, tmp_path / "g.graphml")
    back = read_graph(tmp_path / "g.graphml")
    assert set(legend_labels(draw_graph(back))) >= {"replaces", "references", "responds_to"}


def test_the_gold_graph_of_the_sample_corpus_is_drawn_whole(corpus, tmp_path):
    from mrtext.graph import build_graph, records_from_gold

    g = build_graph(records_from_gold(corpus))
    fig = draw_graph(g, tmp_path / "gold.svg")
    gold_types = {row["type"] for row in corpus.gold_relations}
    assert gold_types <= set(legend_labels(fig))
    assert len(fig.axes[0].patches) == g.number_of_edges()
    drawn = sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    assert drawn == g.number_of_nodes()


def test_components_are_laid_out_apart():
    from mrtext.plot import _layout

    g = nx.MultiDiGraph()
    nx.add_path(g, range(12))  # a long chain
    nx.add_star(g, range(100, 110))  # a hub with nine leaves
    g.add_node("alone")
    pos = _layout(g, "auto", seed=1)
    boxes = []
    for comp in nx.connected_components(g.to_undirected()):
        xs, ys = zip(*(pos[n] for n in comp), strict=True)
        boxes.append((min(xs), max(xs), min(ys), max(ys)))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = a[0] < b[1] and b[0] < a[1]
            overlap_y = a[2] < b[3] and b[2] < a[3]
            assert not (overlap_x and overlap_y), (a, b)
