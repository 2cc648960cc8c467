"""Score repairs against gold: CER/WER before and after, error reduction, å/ä/ö accuracy, false corrections.

Gold texts are line-aligned with their sources (``corpora/*/gold/repair/<id>.txt``, or the
``*.clean.txt`` side of synthetic pairs), so words are compared line by line.

>>> s = score_pair("Stadens mål är klart", "Stadens mal dr klart", "Stadens mål är klart")
>>> s.cer_source > 0, s.cer_repaired, s.error_reduction
(True, 0.0, 1.0)
>>> s.false_corrections, s.diacritic_words, s.diacritic_correct
(0, 2, 2)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from mrtext.metrics import levenshtein, tokens

__all__ = ["PairScore", "iter_corpus_pairs", "iter_synthetic_pairs", "score_pair", "score_pairs", "total"]

_SWEDISH = frozenset("åäöÅÄÖ")


@dataclass
class PairScore:
    """Counts for one document (or a sum of documents); the rates are properties."""

    id: str
    chars: int = 0
    char_errors_source: int = 0
    char_errors_repaired: int = 0
    words: int = 0
    word_errors_source: int = 0
    word_errors_repaired: int = 0
    diacritic_words: int = 0
    diacritic_correct: int = 0
    changed_words: int = 0
    false_corrections: int = 0
    fixed_words: int = 0

    @property
    def cer_source(self) -> float:
        """Character error rate of the source against gold."""
        return self.char_errors_source / max(1, self.chars)

    @property
    def cer_repaired(self) -> float:
        """Character error rate of the repair against gold."""
        return self.char_errors_repaired / max(1, self.chars)

    @property
    def wer_source(self) -> float:
        """Word error rate of the source."""
        return self.word_errors_source / max(1, self.words)

    @property
    def wer_repaired(self) -> float:
        """Word error rate of the repair."""
        return self.word_errors_repaired / max(1, self.words)

    @property
    def error_reduction(self) -> float:
        """Share of the source's character errors the repair removed (1.0 when there were none)."""
        if self.char_errors_source == 0:
            return 1.0 if self.char_errors_repaired == 0 else -float(self.char_errors_repaired)
        return 1.0 - self.char_errors_repaired / self.char_errors_source

    @property
    def diacritic_accuracy(self) -> float:
        """Share of gold words with å/ä/ö that the repair gets exactly right."""
        return self.diacritic_correct / max(1, self.diacritic_words)

    @property
    def false_correction_rate(self) -> float:
        """Words right in the source and wrong after repair, per word."""
        return self.false_corrections / max(1, self.words)

    def __add__(self, other: PairScore) -> PairScore:
        fields = {k: v + getattr(other, k) for k, v in asdict(self).items() if k != "id"}
        return PairScore(id="total", **fields)

    def to_dict(self) -> dict[str, Any]:
        """Counts and rates, rounded, for JSON output."""
        out: dict[str, Any] = asdict(self)
        for name in (
            "cer_source",
            "cer_repaired",
            "wer_source",
            "wer_repaired",
            "error_reduction",
            "diacritic_accuracy",
            "false_correction_rate",
        ):
            out[name] = round(getattr(self, name), 5)
        return out


def score_pair(gold: str, source: str, repaired: str, doc_id: str = "") -> PairScore:
    """Score one document: ``gold`` reference, OCR ``source`` and its ``repaired`` text."""
    s = PairScore(id=doc_id, chars=len(gold))
    s.char_errors_source = levenshtein(gold, source)
    s.char_errors_repaired = levenshtein(gold, repaired)
    g_lines, s_lines, r_lines = gold.split("\n"), source.split("\n"), repaired.split("\n")
    aligned = len(g_lines) == len(s_lines) == len(r_lines)
    pairs = zip(g_lines, s_lines, r_lines, strict=True) if aligned else [(gold, source, repaired)]
    for g_line, s_line, r_line in pairs:
        g, src, rep = tokens(g_line), tokens(s_line), tokens(r_line)
        s.words += len(g)
        s.word_errors_source += levenshtein(g, src)
        s.word_errors_repaired += levenshtein(g, rep)
        _word_counts(s, g, src, rep)
    return s


def _word_counts(s: PairScore, g: list[str], src: list[str], rep: list[str]) -> None:
    """Word-level counts on one line: å/ä/ö accuracy, changed / fixed / falsely corrected words."""
    from rapidfuzz.distance import Levenshtein

    rep_of = _alignment(src, rep, Levenshtein)
    gold_of_src = _alignment(src, g, Levenshtein)
    rep_of_gold = _alignment(g, rep, Levenshtein)
    for i, word in enumerate(g):
        if _SWEDISH.intersection(word):
            s.diacritic_words += 1
            j = rep_of_gold.get(i)
            s.diacritic_correct += j is not None and rep[j] == word
    for i, word in enumerate(src):
        j = rep_of.get(i)
        k = gold_of_src.get(i)
        if j is None or rep[j] == word:
            continue
        s.changed_words += 1
        if k is not None and g[k] == word:
            s.false_corrections += 1
        elif k is not None and g[k] == rep[j]:
            s.fixed_words += 1


def _alignment(a: list[str], b: list[str], lev: Any) -> dict[int, int]:
    """Index map a → b over equal and one-to-one replaced tokens."""
    out: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in lev.opcodes(a, b):
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for k in range(i2 - i1):
                out[i1 + k] = j1 + k
    return out


def score_pairs(triples: Iterable[tuple[str, str, str, str]]) -> list[PairScore]:
    """Score ``(id, gold, source, repaired)`` triples."""
    return [score_pair(gold, src, rep, doc_id) for doc_id, gold, src, rep in triples]


def total(scores: Iterable[PairScore]) -> PairScore:
    """Sum of per-document counts (a micro-average)."""
    out = PairScore(id="total")
    for s in scores:
        out = out + s
    return out


def iter_corpus_pairs(gold_dir: str | Path, corpus_dir: str | Path | None = None) -> Iterator[tuple[str, str, str]]:
    """(id, gold, source) for every ``<id>.txt`` in ``gold_dir``, sources from the corpus manifest."""
    from mrtext.corpus import load_corpus

    gold_dir = Path(gold_dir)
    corpus = load_corpus(corpus_dir if corpus_dir is not None else gold_dir.parent.parent)
    for doc in corpus.documents:
        path = gold_dir / f"{doc.id}.txt"
        if path.is_file():
            from mrtext.ingest import read_text

            yield doc.id, read_text(path)[0], doc.text


def iter_synthetic_pairs(root: str | Path, split: str = "heldout", lang: str = "eng") -> Iterator[tuple[str, str, str]]:
    """(id, clean, ocr) for the synthetic pairs of ``split`` (``manifest.jsonl`` rows)."""
    root = Path(root)
    manifest = root / "manifest.jsonl"
    if not manifest.is_file():
        return
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if row.get("split") != split or row.get("lang", lang) != lang:
            continue
        clean, ocr = synthetic_paths(root, row, lang)
        if clean.is_file() and ocr.is_file():
            yield str(row.get("id", clean.stem)), clean.read_text(encoding="utf-8"), ocr.read_text(encoding="utf-8")


def synthetic_paths(root: Path, row: dict[str, Any], lang: str = "eng") -> tuple[Path, Path]:
    """The clean and OCR files of a synthetic manifest row."""
    clean = row.get("clean") or row.get("clean_file") or f"{row['id']}.clean.txt"
    ocr = row.get("ocr") or row.get("ocr_file") or f"{row['id']}.ocr.{lang}.txt"
    if isinstance(ocr, dict):
        ocr = ocr.get(lang, "")
    return root / str(clean), root / str(ocr)
