"""Edit-distance metrics shared by the OCR and repair stages: CER, WER and plain Levenshtein.

All rates are edit distances (insertions + deletions + substitutions, each costing 1)
divided by the length of the *reference*, so they can exceed 1.0 when the hypothesis is
much longer than the reference. An empty reference gives 0.0 for an empty hypothesis
and 1.0 otherwise (any output for nothing is all error), which keeps averages finite.

>>> round(cer("mänskliga rättigheter", "ménskliga réttigheter"), 3)
0.095
>>> wer("är för öppen", "dr fér öppen")
0.6666666666666666
>>> levenshtein("för", "fér")
1
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

__all__ = ["ErrorCounts", "cer", "corpus_cer", "corpus_wer", "levenshtein", "tokens", "wer"]

_WORD = re.compile(r"\S+")


def tokens(text: str) -> list[str]:
    """Split ``text`` into whitespace-separated tokens (punctuation stays attached), the unit of WER.

    >>> tokens("Dnr KS 2023/1159,  sid 2")
    ['Dnr', 'KS', '2023/1159,', 'sid', '2']
    """
    return _WORD.findall(text)


def levenshtein(a: Sequence[str] | str, b: Sequence[str] | str) -> int:
    """Edit distance between two strings, or between two sequences of tokens.

    >>> levenshtein("kommun", "komnun")
    1
    >>> levenshtein(["är", "för"], ["dr", "för"])
    1
    """
    return int(Levenshtein.distance(a, b))


def _rate(errors: int, length: int) -> float:
    if length == 0:
        return 0.0 if errors == 0 else 1.0
    return errors / length


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference``.

    >>> cer("nämnder", "ndmnder")
    0.14285714285714285
    >>> cer("", "")
    0.0
    """
    return _rate(levenshtein(reference, hypothesis), len(reference))


def wer(reference: str, hypothesis: str) -> float:
    """Word error rate of ``hypothesis`` against ``reference`` (tokens split on whitespace).

    >>> wer("öppen för alla", "Oppen för alla")
    0.3333333333333333
    """
    return _rate(levenshtein(tokens(reference), tokens(hypothesis)), len(tokens(reference)))


@dataclass(frozen=True)
class ErrorCounts:
    """Summed edit distance and reference length over many pairs (a micro-average).

    >>> ErrorCounts(3, 100).rate
    0.03
    """

    errors: int
    length: int

    @property
    def rate(self) -> float:
        """Errors per reference unit."""
        return _rate(self.errors, self.length)


def _summed(pairs: Iterable[tuple[str, str]], unit: Callable[[str], str | list[str]]) -> ErrorCounts:
    errors = length = 0
    for ref, hyp in pairs:
        ref_units = unit(ref)
        errors += levenshtein(ref_units, unit(hyp))
        length += len(ref_units)
    return ErrorCounts(errors, length)


def corpus_cer(pairs: Iterable[tuple[str, str]]) -> ErrorCounts:
    """Character errors summed over ``(reference, hypothesis)`` pairs: long texts weigh more than short ones.

    >>> corpus_cer([("för", "fér"), ("är", "är")]).rate
    0.2
    """
    return _summed(pairs, str)


def corpus_wer(pairs: Iterable[tuple[str, str]]) -> ErrorCounts:
    """Word errors summed over ``(reference, hypothesis)`` pairs.

    >>> corpus_wer([("är för", "dr för"), ("öppen", "öppen")]).rate
    0.3333333333333333
    """
    return _summed(pairs, tokens)
