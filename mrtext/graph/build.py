"""Build the document graph: find relations, resolve their endpoints, assemble a ``MultiDiGraph``.

Nodes carry ``kind`` (document / program / external), ``title``, ``aliases``, ``diary_numbers``,
``date``, ``doc_type`` and ``path``; edges are keyed by relation type and carry ``type``,
``confidence``, ``doc`` (the document stating it), the evidence span and text, and ``evidence``:
every document that states the same relation.

Every strategy is injectable (eyecite's ``resolve_citations`` shape): pass ``find=`` to replace the
relation finder and ``resolver=`` to replace entity resolution.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from mrtext.graph.check import check_consistency
from mrtext.graph.find import find_relations
from mrtext.graph.keys import CASE_DOC_TYPES, dnr_authority, dnr_core, normalise_dnr, parse_ref, title_years
from mrtext.graph.resolve import Item, Resolver
from mrtext.model import SCHEMA, DocumentRecord, Relation

__all__ = ["CASE_DOC_TYPES", "build_graph", "link_records"]

log = logging.getLogger("mrtext.graph")

FindFn = Callable[[DocumentRecord, str], list[Relation]]

_DAMAGED = re.compile(r"[^\W\d]\d|\d[^\W\d]")


def _text_of(record: DocumentRecord, texts: Mapping[str, str] | None) -> str | None:
    if texts is not None and record.id in texts:
        return texts[record.id]
    if record.path and Path(record.path).is_file():
        from mrtext.ingest import read_text

        return read_text(record.path)[0]
    return None


POOL_MIN_TEXTS = 2000
"""Below this many texts to read, relation finding stays in this process (starting workers costs more)."""

_JOB: tuple[list[tuple[DocumentRecord, str]], FindFn] | None = None  # what forked workers read (not pickled)


def _find_slice(bounds: tuple[int, int]) -> list[list[Relation]]:
    """Relations of one slice of the job, in a forked worker."""
    assert _JOB is not None
    pairs, finder = _JOB
    return [finder(rec, text) for rec, text in pairs[bounds[0] : bounds[1]]]


def _n_workers(n_texts: int, workers: int | None) -> int:
    """How many processes find relations: ``workers`` if given, else one per free core (cores minus
    the load average) for a large job where ``fork`` exists (the workers then share the records
    without copying them)."""
    if workers is not None:
        return max(1, workers)
    if n_texts < POOL_MIN_TEXTS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # only the cores other processes leave free: on a busy machine workers wait for a core and lose
    # more to the hand-over of results than they gain
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    return max(1, min(cores - int(busy), 8))


def link_records(
    records: Iterable[DocumentRecord],
    *,
    texts: Mapping[str, str] | None = None,
    find: FindFn | None = None,
    relink: bool = False,
    workers: int | None = None,
) -> list[DocumentRecord]:
    """Fill ``relations`` of records that have none (or all, with ``relink``) from their texts.

    Texts come from ``texts`` (id → text) or from ``record.path``; a record without a text keeps
    the relations it has. Large jobs are split over forked worker processes (``workers``: how
    many; default one per free core from :data:`POOL_MIN_TEXTS` texts on; ``1`` = this process only).
    The finder is not pickled, so a closure works; the results are the same in either mode.
    """
    global _JOB
    finder: FindFn = find or find_relations
    out = list(records)
    todo = [(rec, text) for rec in out if relink or not rec.relations if (text := _text_of(rec, texts)) is not None]
    n = _n_workers(len(todo), workers)
    if n <= 1 or len(todo) < 2:
        for rec, text in todo:
            rec.relations = finder(rec, text)
        return out
    step = max(1, min(500, len(todo) // (n * 4) or 1))
    _JOB = (todo, finder)
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            found = pool.map(_find_slice, [(i, i + step) for i in range(0, len(todo), step)])
    finally:
        _JOB = None
    for (rec, _), rels in zip(todo, (r for chunk in found for r in chunk), strict=True):
        rec.relations = rels
    return out


def _doc_claims_dnr(rec: DocumentRecord) -> bool:
    if not rec.diary_number:
        return False
    if rec.doc_type in CASE_DOC_TYPES:
        return False
    core = dnr_core(rec.diary_number)
    return not any(
        r.type == "responds_to"
        and (parse_ref(r.target).diary_number or "")
        and dnr_core(parse_ref(r.target).diary_number or "") == core
        for r in rec.relations
    )


def _best_title(items: list[Item]) -> str | None:
    counts: dict[str, int] = {}
    for it in items:
        if it.title:
            counts[it.title] = counts.get(it.title, 0) + it.count
    if not counts:
        return None
    # most often written, without OCR-damaged words ("i1", "f0r"); then the fullest form (with a period, longest)
    return max(counts, key=lambda t: (counts[t] - 2 * len(_DAMAGED.findall(t)), bool(title_years(t)), len(t)))


def _node_attrs(items: list[Item]) -> tuple[str, dict[str, Any]]:
    docs = [it for it in items if it.doc_id]
    kind = "document" if docs else ("program" if any(it.ref.kind == "program" for it in items) else "external")
    main = docs[0] if docs else None
    title = (main.title if main and main.title else None) or _best_title(items)
    dnrs: dict[str, str] = {}
    for it in items:
        if it.dnr:
            core = dnr_core(it.dnr)
            # keep the fullest spelling of each number (with its authority code)
            if core not in dnrs or (dnr_authority(it.dnr) and not dnr_authority(dnrs[core])):
                dnrs[core] = it.dnr
    doc_type = main.doc_type if main and main.doc_type else None
    if doc_type is None:
        types = [it.doc_type for it in items if it.doc_type]
        doc_type = max(set(types), key=types.count) if types else None
    if kind == "program" and doc_type is None:
        doc_type = "program"
    if title is None and dnrs:
        title = f"{(doc_type or 'ärende').capitalize()} {next(iter(dnrs.values()))}"
    aliases = sorted({it.title for it in items if it.title and it.title != title})
    years = sorted({y for it in items if it.title for y in title_years(it.title)})
    attrs: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "aliases": aliases,
        "diary_numbers": sorted(dnrs.values()),
        "date": main.date if main else None,
        "doc_type": doc_type,
        "path": main.path if main else None,
        "years": years,
        "mentions": sum(it.count for it in items),
    }
    if main is not None:
        attrs["doc_id"] = main.doc_id
        if main.attrs.get("case"):
            attrs["case"] = main.attrs["case"]
    if kind == "document" and main is not None:
        node_id = f"doc:{main.doc_id}"
    elif kind == "program":
        node_id = f"program:{title}"
    elif dnrs:
        node_id = f"dnr:{next(iter(sorted(dnrs.values())))}"
    else:
        node_id = f"external:{title}"
    return node_id, attrs


def build_graph(
    records: Iterable[DocumentRecord],
    *,
    texts: Mapping[str, str] | None = None,
    find: FindFn | None = None,
    resolver: Resolver | None = None,
    relink: bool = False,
    check: bool = True,
    workers: int | None = None,
) -> nx.MultiDiGraph:
    """Build the document graph of ``records``.

    Args:
        records: extraction records; their ``relations`` are used as they are, or found from
            the text (``texts[id]`` or ``record.path``) when empty (always, with ``relink``).
        texts: optional id → original text.
        find: the relation finder (default :func:`mrtext.graph.find_relations`).
        resolver: the entity resolver (default a new :class:`mrtext.graph.resolve.Resolver`).
        relink: find relations again even for records that have some.
        check: run :func:`mrtext.graph.check_consistency`; warnings are logged and stored in
            ``G.graph["warnings"]``.
        workers: processes that find relations in texts (see :func:`link_records`).

    Returns:
        A ``networkx.MultiDiGraph`` with one edge per (source, target, relation type), the key
        being the relation type.

    >>> from mrtext.model import DocumentRecord, Relation
    >>> rec = DocumentRecord(id="002", title="Svar på remiss", doc_type="remissvar", diary_number="KS 2023/1159",
    ...     relations=[Relation("responds_to", "doc:002", "dnr:KS 2023/1159 | type:remiss", 1, 40, 0.95, "…")])
    >>> G = build_graph([rec])
    >>> sorted(G.edges(keys=True))
    [('doc:002', 'dnr:KS 2023/1159', 'responds_to')]
    """
    with _gc_paused():
        return _build(records, texts=texts, find=find, resolver=resolver, relink=relink, check=check, workers=workers)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building: the build allocates millions of small,
    long-lived objects and no cycles, and gen-2 collections over them would double the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(
    records: Iterable[DocumentRecord],
    *,
    texts: Mapping[str, str] | None,
    find: FindFn | None,
    resolver: Resolver | None,
    relink: bool,
    check: bool,
    workers: int | None = None,
) -> nx.MultiDiGraph:
    recs = link_records(records, texts=texts, find=find, relink=relink, workers=workers)
    res = resolver or Resolver()
    for rec in recs:
        claims = _doc_claims_dnr(rec)
        res.add(
            f"doc:{rec.id}",
            title=rec.title,
            doc_type=rec.doc_type,
            date=rec.date,
            path=rec.path,
            dnr=rec.diary_number if claims else None,
            case=None if claims or not rec.diary_number else normalise_dnr(rec.diary_number),
        )
        for rel in rec.relations:
            res.add(rel.source)
            res.add(rel.target)
    cluster = res.resolve()
    members: dict[str, list[Item]] = defaultdict(list)
    for key, root in cluster.items():
        members[root].append(res.items[key])
    G = nx.MultiDiGraph()
    node_of: dict[str, str] = {}
    for root, items in members.items():
        node_id, attrs = _node_attrs(items)
        base, n = node_id, 2
        while node_id in G:
            node_id = f"{base} #{n}"
            n += 1
        G.add_node(node_id, **attrs)
        node_of[root] = node_id
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rec in recs:
        for rel in rec.relations:
            u, v = node_of[cluster[rel.source]], node_of[cluster[rel.target]]
            _add_edge(edges, u, v, rel, rec.id)
    G.add_edges_from((u, v, k, d) for (u, v, k), d in edges.items())
    G.graph.update({"schema": SCHEMA, "name": "mrtext document graph", "documents": len(recs)})
    if check:
        G.graph["warnings"] = check_consistency(G)
    return G


def _add_edge(edges: dict[tuple[str, str, str], dict[str, Any]], u: str, v: str, rel: Relation, doc: str) -> None:
    if u == v and rel.type != "replaces":
        log.debug("dropping %s self-loop on %s (doc %s)", rel.type, u, doc)
        return
    conf = round(rel.confidence, 4)
    ev = {
        "doc": doc,
        "start": rel.evidence_start,
        "end": rel.evidence_end,
        "text": rel.evidence_text,
        "confidence": conf,
    }
    data = edges.get((u, v, rel.type))
    if data is None:
        edges[(u, v, rel.type)] = {
            "type": rel.type,
            "confidence": conf,
            "doc": doc,
            "evidence_start": rel.evidence_start,
            "evidence_end": rel.evidence_end,
            "evidence_text": rel.evidence_text,
            "evidence": [ev],
        }
        return
    data["evidence"].append(ev)
    if conf > data["confidence"]:
        data.update(
            confidence=conf,
            doc=doc,
            evidence_start=rel.evidence_start,
            evidence_end=rel.evidence_end,
            evidence_text=rel.evidence_text,
        )
