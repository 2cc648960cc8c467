"""Score extraction records against a corpus's ``gold/extract.jsonl``.

Per label: precision, recall and F1 with **exact** matching (same start, end and value; values compared
case-insensitively with whitespace collapsed), a **span** score (same start and end, value ignored: for
GOAL sentences on scans the exact value also measures the OCR repair of every word) and, for ``PROGRAM``
and ``GOAL``, a **lenient** score (spans overlap, value ignored). Predicted ``DATE`` values that are bare years (``YYYY``) are not scored
(the gold does not annotate years). Document metadata: accuracy of type, title, date and diary number.

>>> gold = {"id": "x", "title": "T", "doc_type": "remiss", "date": None, "diary_number": None,
...         "entities": [{"label": "DATE", "text": "6 maj 2018", "start": 0, "end": 10, "value": "2018-05-06"}]}
>>> from mrtext.model import DocumentRecord, Entity
>>> rec = DocumentRecord(id="x", title="T", doc_type="remiss", entities=[Entity("DATE", "6 maj 2018", 0, 10, "2018-05-06")])
>>> s = score([(gold, rec)])
>>> s["labels"]["DATE"]["f1"], s["metadata"]["doc_type"]
(1.0, 1.0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from mrtext.model import ENTITY_LABELS, DocumentRecord, Entity

__all__ = ["LENIENT_LABELS", "METADATA_FIELDS", "format_table", "prf", "score", "score_values"]

LENIENT_LABELS = ("PROGRAM", "GOAL")
METADATA_FIELDS = ("doc_type", "title", "date", "diary_number")


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    """Precision, recall and F1 (1.0 when there is nothing to find and nothing was found).

    >>> prf(8, 2, 0)["f1"]
    0.8889
    """
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def _scored(label: str, entities: Iterable[Any]) -> list[tuple[int, int, str]]:
    out = []
    for e in entities:
        lab, start, end, value = (
            (e.label, e.start, e.end, e.value)
            if isinstance(e, Entity)
            else (e["label"], e["start"], e["end"], e.get("value"))
        )
        if lab != label or (label == "DATE" and value is not None and re.fullmatch(r"\d{4}", str(value))):
            continue
        out.append((start, end, _norm(value)))
    return out


def _match(gold: list[tuple[int, int, str]], pred: list[tuple[int, int, str]], mode: str) -> int:
    """Number of one-to-one matches (exact: same offsets and value; span: same offsets; lenient: overlap)."""
    free = list(gold)
    tp = 0
    for p in sorted(pred):
        for g in free:
            ok = (p[0] < g[1] and g[0] < p[1]) if mode == "lenient" else p[:2] == g[:2] if mode == "span" else p == g
            if ok:
                free.remove(g)
                tp += 1
                break
    return tp


def score(pairs: Iterable[tuple[dict[str, Any], DocumentRecord]]) -> dict[str, Any]:
    """Score ``(gold row, predicted record)`` pairs; returns per-label and metadata figures."""
    counts = {label: [0, 0, 0] for label in ENTITY_LABELS}
    spans = {label: [0, 0, 0] for label in ENTITY_LABELS}
    lenient = {label: [0, 0, 0] for label in LENIENT_LABELS}
    meta_hits = dict.fromkeys(METADATA_FIELDS, 0)
    n = 0
    errors = []
    for gold, rec in pairs:
        n += 1
        for label in ENTITY_LABELS:
            g = _scored(label, gold.get("entities", []))
            p = _scored(label, rec.entities)
            for table, mode in ((counts, "exact"), (spans, "span"), (lenient, "lenient")):
                if label in table:
                    tp = _match(g, p, mode)
                    table[label][0] += tp
                    table[label][1] += len(p) - tp
                    table[label][2] += len(g) - tp
        for name in METADATA_FIELDS:
            if _norm(gold.get(name)) == _norm(getattr(rec, name)):
                meta_hits[name] += 1
            else:
                errors.append({"id": gold.get("id"), "field": name, "gold": gold.get(name), "pred": getattr(rec, name)})
    labels: dict[str, Any] = {label: prf(*c) for label, c in counts.items()}
    for label, c in spans.items():
        labels[label]["span"] = prf(*c)
    for label, c in lenient.items():
        labels[label]["lenient"] = prf(*c)
    return {
        "documents": n,
        "labels": labels,
        "metadata": {name: round(hits / n, 4) if n else 1.0 for name, hits in meta_hits.items()},
        "metadata_errors": errors,
    }


def format_table(result: dict[str, Any], title: str = "") -> str:
    """A plain-text table of a :func:`score` result.

    >>> print(format_table(score([]), "empty").splitlines()[0])
    empty (0 documents)
    """
    lines = [
        f"{title} ({result['documents']} documents)",
        f"{'label':<14}{'P':>8}{'R':>8}{'F1':>8}{'tp':>6}{'fp':>6}{'fn':>6}",
    ]
    for label, s in result["labels"].items():
        lines.append(
            f"{label:<14}{s['precision']:>8.3f}{s['recall']:>8.3f}{s['f1']:>8.3f}{s['tp']:>6}{s['fp']:>6}{s['fn']:>6}"
        )
        for mode in ("span", "lenient"):
            if mode in s:
                m = s[mode]
                lines.append(
                    f"{'  ' + mode:<14}{m['precision']:>8.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['tp']:>6}{m['fp']:>6}{m['fn']:>6}"
                )
    lines.append("metadata accuracy: " + ", ".join(f"{k} {v:.3f}" for k, v in result["metadata"].items()))
    return "\n".join(lines)


def _values(label: str, entities: Iterable[Any]) -> list[str]:
    return [v for _s, _e, v in _scored(label, entities)]


def score_values(pairs: Iterable[tuple[dict[str, Any], DocumentRecord]], *, fuzzy: float = 0.9) -> dict[str, Any]:
    """Value-level P/R/F1 per label, offsets ignored (for re-rendered or OCR'd copies of a gold document).

    Values match exactly after case/space normalisation; GOAL sentences match when their similarity
    (:func:`rapidfuzz.fuzz.ratio`) reaches ``fuzzy``, as an OCR'd sentence rarely comes back letter-perfect.

    >>> from mrtext.model import DocumentRecord, Entity
    >>> gold = {"entities": [{"label": "DATE", "start": 0, "end": 1, "value": "2018-05-06"}]}
    >>> score_values([(gold, DocumentRecord(id="x", entities=[Entity("DATE", "x", 9, 10, "2018-05-06")]))])["DATE"]["f1"]
    1.0
    """
    from rapidfuzz import fuzz

    counts = {label: [0, 0, 0] for label in ENTITY_LABELS}
    for gold, rec in pairs:
        for label in ENTITY_LABELS:
            free = _values(label, gold.get("entities", []))
            pred = _values(label, rec.entities)
            tp = 0
            for p in pred:
                hit = next((g for g in free if g == p or (label == "GOAL" and fuzz.ratio(g, p) >= 100 * fuzzy)), None)
                if hit is not None:
                    free.remove(hit)
                    tp += 1
            counts[label][0] += tp
            counts[label][1] += len(pred) - tp
            counts[label][2] += len(free)
    return {label: prf(*c) for label, c in counts.items()}
