"""Changes, results and offset mapping: every repair is a replayable, revertible list of edits.

A :class:`Change` replaces ``original[start:end]`` (``before``) by ``after``; offsets always
point into the ORIGINAL input. A change list is sorted and non-overlapping, so it can be
replayed on the original (:func:`apply_changes`), undone on the repaired text
(:func:`revert`), and used to map spans of the repaired text back to the original
(:meth:`RepairResult.to_original`), like eyecite's ``SpanUpdater``.

>>> c = [Change(0, 2, "dr", "är", "ocr_confusions", 0.97)]
>>> apply_changes("dr bra", c)
'är bra'
>>> r = RepairResult(text="är bra", original="dr bra", changes=c, damaged=True)
>>> revert(r)
'dr bra'
>>> r.to_original(3, 6)
(3, 6)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["Change", "Edit", "RepairResult", "apply_changes", "compose", "revert"]


class Change(NamedTuple):
    """One edit: ``original[start:end] == before`` becomes ``after``, by ``rule`` with ``confidence``."""

    start: int
    end: int
    before: str
    after: str
    rule: str
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (one JSONL line of ``mrtext repair --changes``).

        >>> Change(0, 2, "dr", "är", "ocr_confusions", 0.9).to_dict()["after"]
        'är'
        """
        return {
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "rule": self.rule,
            "confidence": round(self.confidence, 4),
        }

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Change:
        """Inverse of :meth:`to_dict`."""
        return cls(
            int(row["start"]),
            int(row["end"]),
            str(row["before"]),
            str(row["after"]),
            str(row.get("rule", "")),
            float(row.get("confidence", 1.0)),
        )


class Edit(NamedTuple):
    """A stage's proposal, in the coordinates of the text the stage saw."""

    start: int
    end: int
    after: str
    rule: str
    confidence: float = 1.0


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Replay ``changes`` (offsets into ``text``) and return the repaired text.

    Raises:
        ValueError: when a change does not match ``text`` or changes overlap.

    >>> apply_changes("fér alla", [Change(0, 3, "fér", "för", "ocr_confusions", 0.9)])
    'för alla'
    """
    out: list[str] = []
    pos = 0
    for c in sorted(changes, key=lambda c: (c.start, c.end)):
        if c.start < pos or text[c.start : c.end] != c.before:
            msg = f"change {c.start}:{c.end} {c.before!r} does not match the text (or overlaps another)"
            raise ValueError(msg)
        out.append(text[pos : c.start])
        out.append(c.after)
        pos = c.end
    out.append(text[pos:])
    return "".join(out)


def _new_positions(changes: Sequence[Change]) -> list[int]:
    """Start of each change's ``after`` in the repaired text."""
    starts = []
    delta = 0
    for c in changes:
        starts.append(c.start + delta)
        delta += len(c.after) - (c.end - c.start)
    return starts


def compose(original: str, changes: list[Change], text: str, edits: Iterable[Edit]) -> list[Change]:
    """Fold ``edits`` made on ``text`` (= ``apply_changes(original, changes)``) into ``changes``.

    Edits touching an earlier change are merged with it, so the list stays non-overlapping
    and in original coordinates.

    >>> first = [Change(0, 1, "a", "bb", "x", 1.0)]
    >>> compose("a c", first, "bb c", [Edit(3, 4, "d", "y", 0.5)])
    [Change(start=0, end=1, before='a', after='bb', rule='x', confidence=1.0), Change(start=2, end=3, before='c', after='d', rule='y', confidence=0.5)]
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    fast = _compose_disjoint(original, changes, ordered)
    if fast is not None:
        return fast
    merged = list(changes)
    for e in reversed(ordered):
        merged = _fold_one(original, merged, text, e)
    return merged


def _compose_disjoint(original: str, changes: list[Change], edits: list[Edit]) -> list[Change] | None:
    """One linear sweep when no edit touches an earlier change (the usual case); else ``None``."""
    news = _new_positions(changes)
    out: list[Change] = []
    i = delta = 0
    for e in edits:
        while i < len(changes) and news[i] + len(changes[i].after) <= e.start:
            if _overlaps(news[i], news[i] + len(changes[i].after), e.start, e.end):
                return None
            c = changes[i]
            delta += len(c.after) - (c.end - c.start)
            out.append(c)
            i += 1
        if i < len(changes) and _overlaps(news[i], news[i] + len(changes[i].after), e.start, e.end):
            return None
        start, end = e.start - delta, e.end - delta
        if out and out[-1].end > start:
            return None
        out.append(Change(start, end, original[start:end], e.after, e.rule, e.confidence))
    out.extend(changes[i:])
    return out


def _fold_one(original: str, changes: list[Change], text: str, e: Edit) -> list[Change]:
    news = _new_positions(changes)
    o_start = _map(changes, news, e.start, left=True)
    o_end = _map(changes, news, e.end, left=False)
    touching = [i for i, c in enumerate(changes) if _overlaps(news[i], news[i] + len(c.after), e.start, e.end)]
    if not touching:
        c = Change(o_start, o_end, original[o_start:o_end], e.after, e.rule, e.confidence)
        return sorted([*changes, c], key=lambda c: (c.start, c.end))
    lo, hi = touching[0], touching[-1]
    n_start = min(news[lo], e.start)
    n_end = max(news[hi] + len(changes[hi].after), e.end)
    o_start = min(changes[lo].start, o_start)
    o_end = max(changes[hi].end, o_end)
    after = text[n_start : e.start] + e.after + text[e.end : n_end]
    conf = min([e.confidence, *(changes[i].confidence for i in range(lo, hi + 1))])
    c = Change(o_start, o_end, original[o_start:o_end], after, e.rule, conf)
    return [*changes[:lo], c, *changes[hi + 1 :]]


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """Spans overlap, or touch when one of them is empty (an insertion at the other's edge)."""
    return (a0 < b1 and b0 < a1) or (a0 == a1 and b0 <= a0 <= b1) or (b0 == b1 and a0 <= b0 <= a1)


def _map(changes: Sequence[Change], news: Sequence[int], pos: int, *, left: bool) -> int:
    """Map a position of the repaired text to the original; inside a change snap outwards."""
    delta = 0
    for c, n in zip(changes, news, strict=True):
        if pos <= n:
            break
        n_end = n + len(c.after)
        if pos < n_end:
            return c.start if left else c.end
        delta = n_end - c.end
    return pos - delta


@dataclass
class RepairResult:
    """What :func:`mrtext.repair.repair` returns.

    Attributes:
        text: the repaired text.
        original: the input, unchanged.
        changes: edits in original coordinates; ``apply_changes(original, changes) == text``.
        damaged: the detector's verdict (was any part judged OCR-damaged?).
        confidence: mean confidence of the changes (1.0 when there are none).
        blocks: per block (paragraph group) ``(start, end, damaged)`` in original coordinates.
    """

    text: str
    original: str
    changes: list[Change] = field(default_factory=list)
    damaged: bool = False
    blocks: list[tuple[int, int, bool]] = field(default_factory=list)

    @property
    def confidence(self) -> float:
        """Mean confidence of the changes (1.0 for none)."""
        if not self.changes:
            return 1.0
        return sum(c.confidence for c in self.changes) / len(self.changes)

    @property
    def changed(self) -> bool:
        """True when the text differs from the original."""
        return self.text != self.original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the span ``text[start:end]`` of the repaired text to the original's span.

        A boundary inside a changed stretch snaps outwards to that change's boundaries.

        >>> r = RepairResult("Stadens mål är", "Stadens mal dr", [Change(8, 11, "mal", "mål", "diacritics", 0.9),
        ...                   Change(12, 14, "dr", "är", "ocr_confusions", 0.9)], True)
        >>> r.to_original(8, 14)
        (8, 14)
        >>> r.to_original(9, 10)
        (8, 11)
        """
        if not 0 <= start <= end <= len(self.text):
            msg = f"span {start}:{end} outside the repaired text (length {len(self.text)})"
            raise ValueError(msg)
        news = _new_positions(self.changes)
        return _map(self.changes, news, start, left=True), _map(self.changes, news, end, left=False)

    def to_repaired(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the original to the repaired text (inverse of :meth:`to_original`).

        >>> r = RepairResult("för alla", "fér alla", [Change(0, 3, "fér", "för", "ocr_confusions", 0.9)], True)
        >>> r.to_repaired(4, 8)
        (4, 8)
        """
        inverse = [
            Change(n, n + len(c.after), c.after, c.before, c.rule, c.confidence)
            for c, n in zip(self.changes, _new_positions(self.changes), strict=True)
        ]
        news = [c.start for c in self.changes]
        return _map(inverse, news, start, left=True), _map(inverse, news, end, left=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly summary (the change list plus verdict)."""
        return {
            "damaged": self.damaged,
            "confidence": round(self.confidence, 4),
            "changes": [c.to_dict() for c in self.changes],
        }


def revert(result: RepairResult) -> str:
    """Undo every change of ``result`` on ``result.text``; gives back the original exactly.

    >>> revert(RepairResult("är", "dr", [Change(0, 2, "dr", "är", "ocr_confusions", 1.0)], True))
    'dr'
    """
    out: list[str] = []
    pos = 0
    text = result.text
    for c, n in zip(result.changes, _new_positions(result.changes), strict=True):
        if text[n : n + len(c.after)] != c.after:
            msg = f"repaired text does not contain {c.after!r} at {n}"
            raise ValueError(msg)
        out.append(text[pos:n])
        out.append(c.before)
        pos = n + len(c.after)
    out.append(text[pos:])
    return "".join(out)
