"""Pictures for researchers: the document graph and a timeline of extractions.

Both functions build a :class:`matplotlib.figure.Figure` directly on the headless Agg canvas
(no ``pyplot`` state, no display needed), optionally save it (PNG, SVG or PDF by the file
suffix) and return it, so a notebook shows it and a script or test can inspect it.
matplotlib is part of the ``mrtext[notebooks]`` extra.

From the command line, ``python -m mrtext.plot IN OUT`` draws a graph file written by
``mrtext graph`` / ``mrtext run`` (node-link JSON, GraphML or GEXF) to a picture.

>>> import networkx as nx
>>> g = nx.MultiDiGraph()
>>> g.add_node("doc:002", kind="document", title="Svar på remiss")
>>> g.add_node("program:MR", kind="program", title="Program för mänskliga rättigheter")
>>> _ = g.add_edge("doc:002", "program:MR", key="responds_to", type="responds_to")
>>> fig = draw_graph(g)
>>> legend_labels(fig)
['document', 'program', 'responds_to']
"""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from mrtext.errors import BadArgumentsError, InputFileError, MissingDependencyError, MrtextError, OutputFileError
from mrtext.model import RELATION_TYPES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["EDGE_COLOURS", "NODE_COLOURS", "draw_graph", "legend_labels", "main", "read_graph", "timeline"]

NODE_COLOURS: dict[str, str] = {"document": "#4C72B0", "program": "#55A868", "external": "#A0A0A0"}
"""Fill colour of a node by its ``kind`` attribute (colour-blind-safe hues)."""

EDGE_COLOURS: dict[str, str] = dict(zip(RELATION_TYPES, ("#C44E52", "#8172B2", "#DD8452", "#1F9E89"), strict=True))
"""Colour of an edge by its relation ``type``: replaces, references, responds_to, part_of."""

_PALETTE = (
    "#4C72B0",
    "#DD8452",
    "#55A868",
    "#C44E52",
    "#8172B2",
    "#937860",
    "#DA8BC3",
    "#8C8C8C",
    "#CCB974",
    "#64B5CD",
)
_SUFFIXES = (".png", ".svg", ".pdf")


def _figure(size: tuple[float, float]) -> Figure:
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "matplotlib is not installed", remedy="pip install 'mrtext[notebooks]' (or make demo)"
        ) from exc
    fig = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: str | Path | None) -> None:
    if path is None:
        return
    out = Path(path)
    if out.suffix.lower() not in _SUFFIXES:
        raise BadArgumentsError(f"cannot tell the picture format of {out}", remedy="end the name in .png, .svg or .pdf")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(out, dpi=150)
    except OSError as exc:
        raise OutputFileError(f"cannot write {out}: {exc.strerror}", remedy="check the folder and permissions") from exc


def _colour_for(name: str, known: dict[str, str], seen: dict[str, str]) -> str:
    if name in known:
        return known[name]
    return seen.setdefault(name, _PALETTE[len(seen) % len(_PALETTE)])


def _node_label(node: Hashable, data: dict[str, Any], width: int) -> str:
    text = data.get("label") or data.get("title") or data.get("diary_number") or data.get("diary_numbers") or node
    if isinstance(text, list | tuple):
        text = ", ".join(map(str, text))
    short = textwrap.shorten(str(text), width=width * 3, placeholder="…")
    return textwrap.fill(short, width=width)


def _edge_type(key: Hashable, data: dict[str, Any]) -> str:
    return str(data.get("type") or data.get("relation") or key)


def _component_layout(simple: nx.Graph, method: str, seed: int) -> dict[Any, Any]:
    if len(simple) == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    if method == "kamada_kawai" or (method == "auto" and len(simple) <= 80):
        # an edge at a hub is longer, so that the hub's many neighbours get room around it
        deg = dict(simple.degree())
        lengths = {(u, v): max(deg[u], deg[v]) ** 0.5 for u, v in simple.edges()}
        weighted = nx.Graph(simple)
        nx.set_edge_attributes(weighted, lengths, "length")
        return dict(nx.kamada_kawai_layout(weighted, weight="length"))
    return dict(nx.spring_layout(simple, seed=seed, k=2.0 / len(simple) ** 0.5, iterations=200))


def _layout(graph: nx.MultiDiGraph, layout: str | Callable[..., dict[Any, Any]], seed: int) -> dict[Any, Any]:
    """Lay out each connected component on its own, then shelve the components in rows, biggest first.

    A layout of the whole graph at once pushes small components to the edges and crowds the big one.
    """
    if callable(layout):
        return layout(graph)
    if layout not in ("auto", "spring", "kamada_kawai"):
        raise BadArgumentsError(
            f"unknown layout {layout!r}", remedy="use 'auto', 'spring', 'kamada_kawai' or a function"
        )
    simple = nx.Graph(graph.to_undirected(as_view=True))
    parts = sorted(nx.connected_components(simple), key=lambda c: (-len(c), sorted(map(str, c))))
    total = max(len(simple), 1)
    row_width = 2.2 * total**0.5  # the biggest box is about sqrt(n) wide; aim at a squarish picture
    pos: dict[Any, Any] = {}
    x = y = row_height = 0.0
    for nodes in parts:
        sub = _component_layout(simple.subgraph(nodes), layout, seed)
        side = max(len(nodes) ** 0.5, 0.6)
        xs, ys = [p[0] for p in sub.values()], [p[1] for p in sub.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y - row_height - 0.5, 0.0
        for n, (px, py) in sub.items():
            pos[n] = (x + (px - min(xs)) / span * side, y - (max(ys) - py) / span * side)
        x += side + 0.5
        row_height = max(row_height, side)
    return pos


def draw_graph(
    graph: nx.MultiDiGraph,
    path: str | Path | None = None,
    *,
    title: str | None = None,
    layout: str | Callable[..., dict[Any, Any]] = "auto",
    seed: int = 7,
    label_width: int = 24,
    size: tuple[float, float] = (12.0, 9.0),
) -> Figure:
    """Draw a document graph: nodes coloured by ``kind``, edges by relation ``type``, with a legend.

    Parallel edges of different types between the same two nodes are bent by different
    amounts so that each stays visible. Node labels come from the ``label``, ``title`` or
    diary-number attribute (shortened), else the node id.

    Args:
        graph: a graph from :func:`mrtext.build_graph` (any networkx graph works).
        path: where to save the picture (``.png``, ``.svg`` or ``.pdf``); ``None`` saves nothing.
        title: a title above the picture.
        layout: how to place the nodes of each connected component: ``"auto"`` (Kamada-Kawai up
            to 80 nodes, else spring), ``"spring"`` (seeded, so reproducible), ``"kamada_kawai"``,
            or a function ``graph -> {node: (x, y)}`` for the whole graph, such as
            ``networkx.circular_layout``. Components are then shelved in rows, biggest first.
        seed: random seed of the spring layout.
        label_width: characters per line of a node label.
        size: figure size in inches.

    Returns:
        The matplotlib figure (its legend lists the node kinds and relation types drawn).

    Raises:
        BadArgumentsError: unknown layout or picture format.
        OutputFileError: the picture cannot be written.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", type="replaces")
    >>> _ = g.add_edge("a", "b", type="references")
    >>> len(draw_graph(g, title="two relations").axes[0].patches)  # one arrow per edge
    2
    """
    fig = _figure(size)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.margins(0.06, 0.1)  # room for the labels above the top row of nodes
    if title:
        ax.set_title(title)
    pos = _layout(graph, layout, seed)
    extra: dict[str, str] = {}

    kinds: dict[str, list[Hashable]] = {}
    for node, data in graph.nodes(data=True):
        kinds.setdefault(str(data.get("kind") or "external"), []).append(node)
    rank = {k: i for i, k in enumerate(NODE_COLOURS)}
    kinds = dict(sorted(kinds.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0])))
    for kind, nodes in kinds.items():
        nx.draw_networkx_nodes(
            graph, pos, nodelist=nodes, node_color=_colour_for(kind, NODE_COLOURS, extra), node_size=420, ax=ax
        )

    by_type: dict[str, list[tuple[Hashable, Hashable]]] = {}
    for u, v, key, data in graph.edges(keys=True, data=True):
        by_type.setdefault(_edge_type(key, data), []).append((u, v))
    order = [t for t in RELATION_TYPES if t in by_type] + sorted(set(by_type) - set(RELATION_TYPES))
    for i, rtype in enumerate(order):
        nx.draw_networkx_edges(
            nx.DiGraph(by_type[rtype]),
            pos,
            edge_color=_colour_for(rtype, EDGE_COLOURS, extra),
            width=1.8,
            arrows=True,
            arrowsize=14,
            node_size=420,
            connectionstyle=f"arc3,rad={0.08 + 0.12 * i:.2f}",
            ax=ax,
        )
    labels = {n: _node_label(n, d, label_width) for n, d in graph.nodes(data=True)}
    ys = [xy[1] for xy in pos.values()]
    lift = 0.03 * ((max(ys) - min(ys)) if ys else 1.0) or 0.03
    texts = nx.draw_networkx_labels(
        graph,
        {n: (x, y + lift) for n, (x, y) in pos.items()},
        labels=labels,
        font_size=7,
        verticalalignment="bottom",
        bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 0.6},
        ax=ax,
    )
    for text in texts.values():
        text.set_zorder(1.5)  # above the edges, below the nodes: a label never hides a node
    _legend(
        ax,
        [(k, _colour_for(k, NODE_COLOURS, extra)) for k in kinds],
        [(t, _colour_for(t, EDGE_COLOURS, extra)) for t in order],
    )
    _save(fig, path)
    return fig


def _legend(ax: Any, nodes: Sequence[tuple[str, str]], edges: Sequence[tuple[str, str]]) -> None:
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], marker="o", linestyle="", markersize=10, color=c, label=k) for k, c in nodes]
    handles += [Line2D([], [], linewidth=2.5, color=c, label=t) for t, c in edges]
    if handles:
        ax.legend(
            handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="node kind / relation"
        )


def legend_labels(fig: Figure) -> list[str]:
    """The entries of the legends in ``fig``, in order (what a reader sees in the key).

    >>> legend_labels(draw_graph(nx.MultiDiGraph()))
    []
    """
    legends = [leg for ax in fig.axes if (leg := ax.get_legend()) is not None]
    return [t.get_text() for leg in legends for t in leg.get_texts()]


def _years(values: Any) -> Any:
    """Fractional year of ISO dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) placed mid-period; NaN if unparsable."""
    import pandas as pd

    parts = (
        values.astype(object)
        .where(values.notna(), "")
        .astype(str)
        .str.extract(r"^\s*(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
    )
    year, month, day = (pd.to_numeric(parts[i], errors="coerce").astype("float64") for i in range(3))
    frac = ((month - 1) + (day.fillna(15.5) - 1) / 31).fillna(6.0)
    return year + frac / 12


def timeline(
    frame: pd.DataFrame,
    path: str | Path | None = None,
    *,
    date: str = "date",
    by: str = "label",
    y: str | None = None,
    title: str | None = None,
    max_rows: int = 30,
    label_width: int = 48,
) -> Figure:
    """Plot extractions over time: counts per year, or one row of dots per named thing.

    Dates are ISO strings as in the records (``YYYY-MM-DD``, or a coarser ``YYYY-MM`` /
    ``YYYY``, which are placed mid-month / mid-year, never on a made-up day). Rows
    without a date are left out, and the plot says how many.

    Args:
        frame: a table with a ``date`` column, e.g. ``to_frame(records)`` merged with the
            documents' dates, or ``to_frame(records, kind="documents")``.
        path: where to save the picture (``.png``, ``.svg`` or ``.pdf``); ``None`` saves nothing.
        date: the column holding the dates.
        by: the column whose values get one colour each (e.g. ``label`` or ``doc_type``).
        y: if given (e.g. ``"value"``), draw one row per distinct value of this column with a dot
            for each dated mention (the most mentioned ``max_rows`` values); otherwise stacked bars
            of the number of rows per year and ``by`` value.
        title: a title above the plot.
        max_rows: how many distinct ``y`` values to show at most.
        label_width: characters of a ``y`` label before it is shortened.

    Returns:
        The matplotlib figure.

    >>> import pandas as pd
    >>> df = pd.DataFrame({"date": ["2017-12-06", "2018", None, "2023-05"],
    ...                    "label": ["PROGRAM", "GOAL", "GOAL", "PROGRAM"]})
    >>> fig = timeline(df)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['GOAL', 'PROGRAM']
    >>> fig.axes[0].get_title()
    '1 undated row(s) left out'
    """
    for column in (date, by, *([y] if y else [])):
        if column not in frame.columns:
            raise BadArgumentsError(f"the table has no column {column!r}", remedy=f"columns: {list(frame.columns)}")
    data = frame.assign(_year=_years(frame[date])).dropna(subset=["_year"])
    undated = len(frame) - len(data)
    from matplotlib.ticker import MaxNLocator

    fig = _figure((11.0, 6.0) if y else (9.0, 4.5))
    ax = fig.add_subplot()
    extra: dict[str, str] = {}
    groups = sorted(data[by].dropna().astype(str).unique())
    colours = {g: _colour_for(g, {}, extra) for g in groups}
    if y:
        top = data[y].value_counts().head(max_rows).index.tolist()
        rows = {v: i for i, v in enumerate(reversed(top))}
        for g in groups:
            part = data[(data[by].astype(str) == g) & data[y].isin(rows)]
            ax.scatter(part["_year"], part[y].map(rows), s=36, color=colours[g], label=g, alpha=0.8)
        ax.set_yticks(range(len(rows)), [textwrap.shorten(str(v), label_width, placeholder="…") for v in rows])
        ax.grid(axis="y", linewidth=0.3)
    else:
        counts = data.assign(_y=data["_year"].astype(int)).groupby(["_y", by]).size().unstack(fill_value=0)
        bottom = None
        for g in counts.columns:
            ax.bar(counts.index, counts[g], bottom=bottom, color=colours[str(g)], label=str(g))
            bottom = counts[g] if bottom is None else bottom + counts[g]
        ax.set_ylabel("count")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("year")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if groups:
        ax.legend(title=by, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    notes = [s for s in (title, f"{undated} undated row(s) left out" if undated else "") if s]
    ax.set_title("\n".join(notes))
    _save(fig, path)
    return fig


def read_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a graph file written by the exporters: node-link JSON, GraphML or GEXF (by suffix).

    >>> import json, tempfile
    >>> p = Path(tempfile.mkdtemp()) / "g.json"
    >>> _ = p.write_text(json.dumps({"directed": True, "multigraph": True, "graph": {},
    ...     "nodes": [{"id": "a"}, {"id": "b"}], "edges": [{"source": "a", "target": "b", "type": "replaces"}]}))
    >>> read_graph(p).number_of_edges()
    1
    """
    p = Path(path)
    try:
        if p.suffix.lower() == ".graphml":
            return nx.MultiDiGraph(nx.read_graphml(p))
        if p.suffix.lower() == ".gexf":
            return nx.MultiDiGraph(nx.read_gexf(p))
        data = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputFileError(f"no such graph file: {p}", remedy="run `mrtext run ... -o out` first") from exc
    except (OSError, ValueError, nx.NetworkXError) as exc:
        raise InputFileError(f"cannot read the graph in {p}: {exc}", remedy="give a .json, .graphml or .gexf") from exc
    if not isinstance(data, dict) or not {"nodes", "edges"} <= data.keys():
        raise InputFileError(f"{p} is not a node-link graph", remedy="give the JSON written by `mrtext graph`")
    from mrtext.graph.export.json_graph import from_data

    return from_data(data)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m mrtext.plot IN OUT``: draw the graph file IN to the picture OUT; returns the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2 or args[0] in ("-h", "--help"):
        print("usage: python -m mrtext.plot GRAPH.json|.graphml|.gexf PICTURE.png|.svg|.pdf", file=sys.stderr)
        return 0 if args and args[0] in ("-h", "--help") else 2
    try:
        graph = read_graph(args[0])
        draw_graph(graph, args[1], title=f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} relations")
    except MrtextError as exc:
        print(f"mrtext.plot: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    print(f"mrtext.plot: wrote {args[1]}", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
