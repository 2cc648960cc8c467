"""Tidy pandas tables for researchers: one row per extraction, per document, or per edge.

pandas is an optional extra (``pip install 'mrtext[pandas]'``); importing this module
without it raises :class:`~mrtext.errors.MissingDependencyError` with the remedy.

>>> from mrtext.model import DocumentRecord, Entity
>>> rec = DocumentRecord(id="002", doc_type="remissvar",
...                      entities=[Entity("DIARY_NUMBER", "Dnr KS 2023/1159", 37, 53, "KS 2023/1159")])
>>> to_frame([rec])[["doc_id", "label", "value"]].to_dict("records")
[{'doc_id': '002', 'label': 'DIARY_NUMBER', 'value': 'KS 2023/1159'}]
>>> to_frame([rec], kind="documents")[["doc_id", "doc_type", "n_entities"]].to_dict("records")
[{'doc_id': '002', 'doc_type': 'remissvar', 'n_entities': 1}]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from mrtext.errors import MissingDependencyError
from mrtext.model import DocumentRecord

if TYPE_CHECKING:  # pragma: no cover
    import networkx as nx
    import pandas as pd

__all__ = ["DOCUMENT_COLUMNS", "EDGE_COLUMNS", "ENTITY_COLUMNS", "NODE_COLUMNS", "to_frame"]

ENTITY_COLUMNS = ["doc_id", "label", "text", "start", "end", "value"]
DOCUMENT_COLUMNS = ["doc_id", "path", "title", "doc_type", "date", "diary_number", "repaired", "n_entities"]
EDGE_COLUMNS = ["source", "target", "type", "confidence", "doc_id", "evidence_start", "evidence_end", "evidence_text"]
NODE_COLUMNS = ["node", "kind", "title", "doc_type", "date", "diary_numbers", "aliases", "path"]


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingDependencyError(
            "pandas is not installed", remedy="pip install 'mrtext[pandas]' (or make demo)"
        ) from exc
    return pd


def _as_record(obj: DocumentRecord | dict[str, Any]) -> DocumentRecord:
    return obj if isinstance(obj, DocumentRecord) else DocumentRecord.from_dict(obj)


def _entity_rows(records: Iterable[DocumentRecord | dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for rec in map(_as_record, records):
        for e in rec.entities:
            rows.append(
                {"doc_id": rec.id, "label": e.label, "text": e.text, "start": e.start, "end": e.end, "value": e.value}
            )
    return rows


def _document_rows(records: Iterable[DocumentRecord | dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "doc_id": r.id,
            "path": r.path,
            "title": r.title,
            "doc_type": r.doc_type,
            "date": r.date,
            "diary_number": r.diary_number,
            "repaired": r.repaired,
            "n_entities": len(r.entities),
        }
        for r in map(_as_record, records)
    ]


def _edge_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    rows = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        rows.append(
            {
                "source": u,
                "target": v,
                "type": data.get("type", key),
                "confidence": data.get("confidence"),
                "doc_id": data.get("doc") or data.get("doc_id"),
                "evidence_start": data.get("evidence_start"),
                "evidence_end": data.get("evidence_end"),
                "evidence_text": data.get("evidence_text"),
            }
        )
    return rows


def _node_rows(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    return [{"node": n, **{c: data.get(c) for c in NODE_COLUMNS[1:]}} for n, data in graph.nodes(data=True)]


def to_frame(
    data: Iterable[DocumentRecord | dict[str, Any]] | DocumentRecord | nx.MultiDiGraph,
    kind: Literal["entities", "documents", "edges", "nodes"] | None = None,
) -> pd.DataFrame:
    """Return a tidy :class:`pandas.DataFrame` of extraction records or of a document graph.

    Args:
        data: records from :func:`mrtext.extract` (objects or their JSON dicts, or a single
            record), or a graph from :func:`mrtext.build_graph`.
        kind: ``"entities"`` (default for records: one row per extraction with columns
            ``doc_id, label, text, start, end, value``), ``"documents"`` (one row per document),
            ``"edges"`` (default for a graph: one row per relation) or ``"nodes"`` (one row per
            graph node: document, program or external).

    Returns:
        A DataFrame with the columns listed in ``ENTITY_COLUMNS``, ``DOCUMENT_COLUMNS``,
        ``EDGE_COLUMNS`` or ``NODE_COLUMNS``.

    >>> import networkx as nx
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("doc:002", kind="document", title="Svar på remiss")
    >>> g.add_node("dnr:KS 2023/1159", kind="external", diary_numbers=["KS 2023/1159"])
    >>> _ = g.add_edge("doc:002", "dnr:KS 2023/1159", key="responds_to", type="responds_to", doc="002")
    >>> to_frame(g)[["source", "type", "target", "doc_id"]].to_dict("records")
    [{'source': 'doc:002', 'type': 'responds_to', 'target': 'dnr:KS 2023/1159', 'doc_id': '002'}]
    >>> to_frame(g, kind="nodes")[["node", "kind"]].to_dict("records")
    [{'node': 'doc:002', 'kind': 'document'}, {'node': 'dnr:KS 2023/1159', 'kind': 'external'}]
    """
    pd = _pandas()
    is_graph = hasattr(data, "edges") and hasattr(data, "nodes")
    kind = kind or ("edges" if is_graph else "entities")
    if kind in ("edges", "nodes"):
        if not is_graph:
            raise TypeError(f"kind={kind!r} needs a graph from mrtext.build_graph")
        if kind == "nodes":
            return pd.DataFrame(_node_rows(data), columns=NODE_COLUMNS)
        return pd.DataFrame(_edge_rows(data), columns=EDGE_COLUMNS)
    if is_graph:
        raise TypeError(f"kind={kind!r} needs extraction records, not a graph")
    records = [data] if isinstance(data, DocumentRecord | dict) else list(data)
    if kind == "documents":
        return pd.DataFrame(_document_rows(records), columns=DOCUMENT_COLUMNS)
    if kind == "entities":
        return pd.DataFrame(_entity_rows(records), columns=ENTITY_COLUMNS)
    raise ValueError(f"unknown kind {kind!r}: use 'entities', 'documents', 'edges' or 'nodes'")
