"""``mrtext_sentences``: sentence boundaries for municipal prose, headings, lists and hard-wrapped scans.

A blank ``sv`` pipeline has no sentence boundaries, and spaCy's ``sentencizer`` splits on every ``.``
(``bl.a.``, ``t.ex.``) but not on headings without punctuation. The rules here work on characters:

* a blank line ends a sentence; so does a list item (``-``, ``•``, ``*``, ``1.``) or a heading-like
  line (short, no final punctuation, next line capitalised);
* ``. ! ?`` followed by a capital, digit or quote ends a sentence, except after known abbreviations;
* a single line break inside a paragraph (hard-wrapped or OCR text) does *not* end a sentence;
* in flattened text (PDF mirrors run headings into the prose: ``… i Sverige Det politiska målet …``) a
  capitalised sentence opener (``Det``, ``Vi``, ``Målet`` …) after a word without punctuation starts one;
* a numbered heading label (``Mål 1. I Östersunds kommun …``) does not end a sentence at its period.

>>> text = "Sammanfattning\\nStaden ska bl.a. öka\\nkunskapen. Målet är klart.\\n\\n- Kunskap"
>>> [text[s:e] for s, e in sentence_bounds(text)]
['Sammanfattning', 'Staden ska bl.a. öka\\nkunskapen.', 'Målet är klart.', '- Kunskap']
"""

from __future__ import annotations

import re
import statistics
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from mrtext.extract.patterns import load_patterns
from mrtext.extract.spans import Candidate, MrtextComponent, doc_text

__all__ = ["SentenceSegmenter", "make_sentences", "sentence_bounds"]

_BULLET = re.compile(r"[ \t]*(?:[-–•*»·▪◦]|e(?= [A-ZÅÄÖ])|\d{1,2}[.)])[ \t]+")
_END = re.compile(r"[.!?…](?:[”\"’)\]]*)(?:[ \t]+|[ \t]*\n[ \t]*)(?=[\"”“'(‘]?[A-ZÅÄÖ0-9])")
# a line ending in a preposition or article continues after a blank line when the next starts lower-case (mirrors)
_CONTINUED = re.compile(r"(?<![\w-])(?:med|för|av|om|till|i|på|att|och|den|det|de|en|ett)[ \t]*\n?$")
_ABBREV_TAIL = re.compile(r"(?:^|[\s(])((?:[A-Za-zåäöÅÄÖ]{1,5}\.)*[A-Za-zåäöÅÄÖ]{1,6})\.$")


class SentenceSegmenter:
    """Character-level sentence splitter configured by ``data`` (``patterns/sentences.json``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.abbreviations = {a.lower().rstrip(".") for a in data["abbreviations"]}
        self.heading_ratio = float(data.get("heading_ratio", 0.7))
        self.heading_max = int(data.get("heading_max_chars", 90))
        openers = "|".join(map(re.escape, data.get("flattened_openers", [])))
        self.opener = re.compile(rf" (?<=[^\W\d_] )[ \t]*(?=(?:{openers})[ \t])") if openers else None
        labels = "|".join(map(re.escape, data.get("numbered_labels", [])))
        self.numbered_label = (
            re.compile(rf"(?:^|\n)[ \t]*(?:{labels})[ \t]+\d{{1,2}}$", re.IGNORECASE) if labels else None
        )

    def bounds(self, text: str) -> list[tuple[int, int]]:
        """Return ``(start, end)`` of every sentence, stripped of surrounding whitespace."""
        starts = sorted(self._starts(text))
        out = []
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else len(text)
            seg = text[s:e]
            lead = len(seg) - len(seg.lstrip())
            body = seg.strip()
            if body:
                out.append((s + lead, s + lead + len(body)))
        return out

    def _starts(self, text: str) -> set[int]:
        starts = {0}
        lines = list(re.finditer(r"[^\n]*(?:\n|$)", text))
        lengths = [len(m.group().strip()) for m in lines if len(m.group().strip()) > 20]
        typical = statistics.median(lengths) if lengths else 80.0
        prev: re.Match[str] | None = None
        last: re.Match[str] | None = None  # the line before a blank line
        for m in lines:
            line = m.group().rstrip("\n")
            if not line.strip():
                if prev is not None:
                    last = prev
                prev = None
                continue
            continued = (
                prev is None and last is not None and _CONTINUED.search(last.group()) and line.strip()[:1].islower()
            )
            if (
                (prev is None and not continued)
                or _BULLET.match(line)
                or (prev is not None and self._is_heading(prev.group().strip(), line.strip(), typical))
            ):
                starts.add(m.start())
            prev = m
            last = None
        for m in _END.finditer(text):
            if not self._abbreviation_before(text, m.start()) and not self._numbered_label_before(text, m.start()):
                starts.add(m.end())
        if self.opener is not None:
            starts.update(m.end() for m in self.opener.finditer(text))
        return starts

    def _numbered_label_before(self, text: str, dot: int) -> bool:
        """``Mål 1.`` at the start of a line labels the sentence after it."""
        if self.numbered_label is None or text[dot] != "." or not text[dot - 1 : dot].isdigit():
            return False
        return self.numbered_label.search(text, max(0, dot - 24), dot) is not None

    def _is_heading(self, prev: str, line: str, typical: float) -> bool:
        if not line[:1].isupper() or prev[-1:] in ".,;:!?-–(" or (prev[-1:].islower() and len(prev) > self.heading_max):
            return False
        return len(prev) < min(self.heading_ratio * typical, self.heading_max)

    def _abbreviation_before(self, text: str, dot: int) -> bool:
        if text[dot] != ".":
            return False
        m = _ABBREV_TAIL.search(text[max(0, dot - 24) : dot + 1])
        return m is not None and m.group(1).lower() in self.abbreviations


_DEFAULT: SentenceSegmenter | None = None


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of ``text`` with the packaged rules (the same the component uses)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = SentenceSegmenter(load_patterns("sentences"))
    return _DEFAULT.bounds(text)


class SentenceComponent(MrtextComponent):
    """spaCy component setting ``token.is_sent_start`` (so ``doc.sents`` works on a blank pipeline).

    >>> import spacy
    >>> nlp = spacy.blank("sv"); _ = nlp.add_pipe("mrtext_sentences")
    >>> [s.text for s in nlp("Bakgrund\\nStaden har t.ex. en plan. Den antogs 2017.").sents]
    ['Bakgrund\\n', 'Staden har t.ex. en plan.', 'Den antogs 2017.']
    """

    data_file = "sentences.json"

    def compile(self) -> None:
        self.segmenter = SentenceSegmenter(self.data)

    def match(self, doc: Doc) -> list[Candidate]:
        return [Candidate(s, e, "SENT") for s, e in self.segmenter.bounds(doc_text(doc))]

    def set_annotations(self, doc: Doc, candidates: Any) -> None:
        if not len(doc):
            return
        # token arrays instead of Token objects: one array read, one array write
        idx = doc.to_array("IDX").astype("int64")
        is_space = doc.to_array("IS_SPACE").astype(bool)
        flags = numpy.full(len(doc), -1, dtype="int64")
        flags[0] = 1
        starts = numpy.fromiter((c.start for c in candidates), dtype="int64")
        for i in numpy.searchsorted(idx, starts, side="right") - 1:
            i = max(int(i), 0)
            while i < len(doc) and is_space[i]:
                i += 1
            if i < len(doc):
                flags[i] = 1
        # setting token.is_sent_start token by token re-checks the whole doc each time
        doc.from_array(["SENT_START"], flags.astype("uint64").reshape(-1, 1))  # type: ignore[arg-type]


@Language.factory("mrtext_sentences", assigns=["token.is_sent_start"], default_config={"patterns": None})
def make_sentences(nlp: Language, name: str, patterns: dict[str, Any] | None) -> SentenceComponent:
    """Build the ``mrtext_sentences`` component; ``patterns`` defaults to ``patterns/sentences.json``."""
    return SentenceComponent(nlp, name, span_key="", data=patterns or load_patterns("sentences"))
