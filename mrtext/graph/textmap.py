"""Offset mapping between an original text and a repaired version of it (after eyecite's ``SpanUpdater``).

Relations are found on the repaired text of a scan, but their evidence must point into the
archivist's original. :class:`TextMap` diffs the two texts once and maps offsets both ways.

>>> m = TextMap("Svar pa remiss", "Svar på remiss")
>>> m.to_work(8), m.to_original(5, 7)
(8, (5, 7))
>>> TextMap.identity("abc").to_original(0, 3)
(0, 3)
"""

from __future__ import annotations

import bisect
import difflib
import functools
from typing import Protocol

import numpy as np

__all__ = ["SKELETON_TABLE", "RepairLike", "TextMap", "skeleton"]


class RepairLike(Protocol):
    """What :func:`mrtext.repair.repair` returns, as far as the graph stage needs it."""

    @property
    def text(self) -> str: ...


_VOWELISH = "aeiouyåäöéèêëáàâãíìîïóòôõúùûüýæø&0146d"
SKELETON_TABLE = str.maketrans({c: "a" for c in _VOWELISH})
"""Folds vowels and the characters OCR confuses with them (``é``/``ä``, ``&``, ``6``, ``0``, ``d``) to ``a``."""


def skeleton(text: str) -> str:
    """An OCR-tolerant, same-length form of ``text`` used for cue matching.

    >>> skeleton("ersätter") == skeleton("ersétter") == skeleton("Ersitter")
    True
    >>> len(skeleton("Socialnämnden")) == len("Socialnämnden")
    True
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters change length when lower-cased (İ); keep offsets
        low = "".join(c.lower()[:1] or c for c in text)
    # one table lookup per code point in numpy: several times faster than str.translate with a dict
    codes = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return bytes(_skeleton_lut()[codes].data).decode("utf-32-le", "surrogatepass")


@functools.cache
def _skeleton_lut() -> np.ndarray:
    """Code point → skeleton code point, for every code point (built once)."""
    lut = np.arange(0x110000, dtype=np.uint32)
    for k, v in SKELETON_TABLE.items():
        lut[k] = ord(v) if isinstance(v, str) else v
    return lut


class TextMap:
    """Maps offsets between ``original`` and ``work`` (a repaired copy); identity when they are equal."""

    def __init__(self, original: str, work: str) -> None:
        self.original = original
        self.work = work
        # anchors: sorted (work_pos, orig_pos) points where the two texts are aligned
        self._w: list[int] = [0]
        self._o: list[int] = [0]
        if original != work:
            self._align()
        self._w.append(len(work))
        self._o.append(len(original))

    @classmethod
    def identity(cls, text: str) -> TextMap:
        """A map of a text onto itself."""
        return cls(text, text)

    def _align(self) -> None:
        # Line by line first (repair keeps lines), then characters within changed line blocks:
        # cheap, and robust to long documents.
        a_lines = self.original.splitlines(keepends=True)
        b_lines = self.work.splitlines(keepends=True)
        a_off = [0]
        for line in a_lines:
            a_off.append(a_off[-1] + len(line))
        b_off = [0]
        for line in b_lines:
            b_off.append(b_off[-1] + len(line))
        sm = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    self._anchor(b_off[j1 + k], a_off[i1 + k])
                continue
            a_seg = self.original[a_off[i1] : a_off[i2]]
            b_seg = self.work[b_off[j1] : b_off[j2]]
            cm = difflib.SequenceMatcher(None, a_seg, b_seg, autojunk=False)
            for block in cm.get_matching_blocks():
                for k in range(block.size):
                    self._anchor(b_off[j1] + block.b + k, a_off[i1] + block.a + k)

    def _anchor(self, w: int, o: int) -> None:
        if w > self._w[-1] and o > self._o[-1]:
            self._w.append(w)
            self._o.append(o)

    def to_original_pos(self, pos: int) -> int:
        """Map one offset of the work text to the original (to the nearest aligned point before it)."""
        i = bisect.bisect_right(self._w, pos) - 1
        return min(self._o[i] + (pos - self._w[i]), self._o[i + 1] if i + 1 < len(self._o) else len(self.original))

    def to_work(self, pos: int) -> int:
        """Map one offset of the original to the work text."""
        i = bisect.bisect_right(self._o, pos) - 1
        return min(self._w[i] + (pos - self._o[i]), self._w[i + 1] if i + 1 < len(self._w) else len(self.work))

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the work text to the span of the original."""
        s = self.to_original_pos(start)
        e = self.to_original_pos(end)
        return s, max(s, e)
