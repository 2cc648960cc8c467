"""The noisy-channel word corrector and the damage detector.

For a token ``o`` the corrector picks the word ``w`` maximising ``P(w) · P(o | w)``:

* ``P(w)``, the language model: wordfreq's Swedish unigram frequencies plus the Debian full forms
  (:mod:`mrtext.repair.lexicon`); a word the lexicon lacks may still be a compound of known
  parts (``barn`` + ``rätts`` + ``frågor``), scored from its head word with a cost per joint;
* ``P(o | w)``, the channel: how an OCR engine reads each Swedish character, learned from aligned
  clean/OCR pairs (``mrtext/data/repair/channel.json``), with the share of damaged å/ä/ö (``λ``)
  estimated from the text itself: Swedish prose has about 4.5 % å/ä/ö among its letters, so a
  page with none at all was read by an engine that cannot produce them (λ ≈ 1), while clean text
  keeps λ ≈ 0 and nothing changes.

Candidates come from the token's *skeleton* variants: every character (or pair) the OCR may
have produced for another is replaced by the skeleton of what it may stand for (``d`` → ``a``
for ä, ``é`` → ``a``/``o``, ``6`` → ``o``, ``rn`` → ``m``…), and the variants are looked up in
the lexicon's skeleton index. A change is made only when the best candidate beats the
token itself by a margin, and its posterior becomes the change's confidence.

Speed: the search is pruned without changing any verdict. A substitution is explored only
while some lexicon skeleton begins with the variant so far (:meth:`Lexicon.begins_key`, mostly
answered from a set of short beginnings), compound splits stop where no form begins the word,
one-edit proposals come from an index of common forms, verdicts are memoised per token form
(and per form as written, with its position), and a word that no context could change skips
the context work. The commonest lexicon forms that no context changes on a page without å/ä/ö
are precomputed from the lexicon, channel and domain model alone (``stable.txt.gz``, see
:func:`load_stable`), so a clean word of a damaged text costs one set lookup; the compound search
memoises where modifiers may end per skeleton string. ``scripts/repair_snapshot.py`` checks
that a speed-up changes no output.

>>> from mrtext.repair.corrector import Corrector
>>> c = Corrector.default()
>>> best = c.best("ndmnder", lam=1.0)
>>> best[0], best[1] > 0.9
('nämnder', True)
>>> c.best("kommunen", lam=1.0)[0]
'kommunen'
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import heapq
import itertools
import json
import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from operator import itemgetter
from pathlib import Path
from typing import Any

from mrtext.repair.lexicon import (
    COMMON_MAX_ZIPF,
    COMMON_MIN_LENGTH,
    COMMON_MIN_ZIPF,
    Lexicon,
    file_digest,
    load_lexicon,
    skeleton,
    sorted_prefix,
)

__all__ = ["SWEDISH_DIACRITIC_RATE", "Block", "Corrector", "Token", "default_corrector", "detect_blocks", "iter_tokens"]

#: Share of å/ä/ö among the letters of Swedish prose (measured on clean municipal text: 0.036-0.057).
SWEDISH_DIACRITIC_RATE = 0.045
_DIACRITICS = "åäöÅÄÖ"
_DIA_LOWER = frozenset("åäö")

# Scoring constants (log10 units), calibrated on synthetic training pairs.
UNKNOWN_LOGP = -9.0  # a token the lexicon cannot explain (rare word, name) per se
UNKNOWN_PER_CHAR = -0.1  # ... and a little less likely the longer it is
NAME_BONUS = 1.5  # capitalised mid-sentence unknowns are usually names
COMPOUND_JOINT = -2.0  # cost of each compound joint (P(compound) ≈ P(head) / 100)
HEAD_MAX_ZIPF = COMMON_MAX_ZIPF  # (60) function words (den, det, man…) are not compound heads
RARE_MODIFIER = -0.3  # per Zipf unit a modifier lies below 3.0
MIN_CHANNEL = -5.5  # variants needing less likely readings are not generated
MAX_VARIANTS = 1000
MAX_TOKEN_LENGTH = 48  # longer "words" (hashes, run-together lines) are left alone
REUSE_GAP = 3.0  # log10 lead that makes a base verdict clear enough to keep after adaptation
MEMO_SIZE = 200_000
SETTLE_MARGIN = 3.0  # a one-reading candidate this far above the token ends the search
MAX_SUBSTITUTIONS = 3  # weighted readings per token beyond a→ä/å, o→ö (the skeleton folds those for free)
COMPOUND_VARIANTS = 8  # the likeliest variants searched for compound readings
MARGIN = 1.0  # the winner must beat the token by this (log10) ...
MIN_CONFIDENCE = 0.8  # ... and hold this posterior
ADAPT_WEIGHT = 30.0  # pseudo-count of the learned channel when adapting it to one document
ADAPT_MIN_CONFIDENCE = 0.95  # corrections trusted for the adaptation
ADAPT_MIN_PAIRS = 20  # fewer confident corrections: keep the learned channel
BULLET_CONFIDENCE = 0.8
GLYPH_RULES_MIN_LAMBDA = 0.5  # the 1→i, |→I and e→• rules only where å/ä/ö are mostly lost
DOMAIN_WEIGHT = 0.1  # share of the domain counts in the unigram LM
_LOG_NOT_DOMAIN = math.log10(1 - DOMAIN_WEIGHT)
BIGRAM_KAPPA = 2.0  # smoothing of the domain bigram model
BIGRAM_MAX_BONUS = 1.0
FINAL_MIN_COUNT = 5
FINAL_MIN, FINAL_MAX = -1.5, 1.0  # bounds of the sentence-end weight (log10)
EDIT_MIN_LENGTH = COMMON_MIN_LENGTH + 1  # one-edit candidates only for tokens this long ...
EDIT_MIN_ZIPF = COMMON_MIN_ZIPF  # ... and only words at least this common (Zipf × 10), not function words
GENERIC_EDIT_RATE = 0.002  # P(a letter is misread, added or dropped) at full damage
_EDIT_LETTERS = "abcdefghijklmnopqrstuvwxyz"
LM_MAX = -1.2  # log10 P of the commonest Swedish word (och, i: Zipf 7.8)  # domain occurrences needed before a word's sentence-end rate is trusted
TOPIC_BONUS = 0.7  # log10 bonus of a candidate whose beginning was confidently restored elsewhere
MAX_CONTEXT_BONUS = 1.5  # context bonuses assumed at most (the exact sum, 3.7, would prune nothing)
#: The most that context can move a candidate against the token itself in :meth:`Corrector.best`.
CONTEXT_SWING = 2 * BIGRAM_MAX_BONUS + FINAL_MAX + TOPIC_BONUS - FINAL_MIN
MIN_LAMBDA = 0.02
MAX_LAMBDA = 0.98
#: The damage level of the precomputed stable forms (``mrtext/data/repair/stable.txt.gz``): a text
#: without any å/ä/ö, as an English-trained OCR leaves Swedish.
STABLE_LAMBDA = MAX_LAMBDA

# --------------------------------------------------------------------------- tokens
# A word: letters plus the glyphs OCR produces for Swedish letters inside words (& { @ | and digits).
_TOKEN = re.compile(r"(?:[^\W_]|[&{@|])+")
#: Spans never corrected, tried in this order at each position (the first that matches wins).
_PROTECTED_PARTS = (
    r"(?:https?://|www\.)\S+",  # URLs
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail addresses
    r"\b\d+\s*kap\.?(?:\s*\d+\s*§+)?",  # law references: 4 kap. 2 §
    r"§+\s*\d+\w*",  # § 12, §§ 3
    r"\b[A-ZÅÄÖ]{1,6}[ -]?\d+(?:[-/:.]\d+)+",  # diary numbers: KS 2023/1159, SF-2024/444
    r"\b[A-ZÅÄÖ][a-zåäö]{1,3}:?\s+(?:[A-ZÅÄÖ][A-Za-zåäö]{0,3}\s+)?\d+[-/]\d+",  # Dnr (Kdn) + number (even misread: Dor)
    r"\b\d+(?:[-/:.]\d+)+",  # 171-116/2017, 2017-12-06, 2017:18, 1.5
    r"\b(?:[A-Za-zåäöÅÄÖ]{1,3}\.){2,}",  # t.ex. bl.a. s.k. m.m.
)


@lru_cache(maxsize=4)
def _protected(urls: bool, emails: bool) -> re.Pattern[str]:
    """The protected spans as one pattern; without the URL / e-mail parts where the text cannot hold one.

    (Those two parts cost half the scan; leaving out a part that cannot match changes no match.)
    """
    return re.compile("|".join(p for i, p in enumerate(_PROTECTED_PARTS) if (i != 0 or urls) and (i != 1 or emails)))


def _words(text: str) -> list[str]:
    return text.split()


_ABBREVIATIONS = frozenset(
    _words(
        "ang avd bil ca dnr dvs eng enl etc ev exkl fig forts inkl jfr kap kl kr mkr mm mnkr nr obs osv "
        "pkt prop resp sek sfs sid st tel tkr uppl vol "
    )
)
_SENTENCE_END = frozenset(".!?:;•")
_GLYPHS = frozenset(("1", "|"))  # lone glyphs read for letters (i, I)
#: Counting words before which a digit ``1`` is a number, not a misread ``i``.
_NUMBER_CONTEXT = frozenset(
    _words(
        "av bilaga del dag dagar fas gång kapitel kap klass mål nivå nr nummer punkt sida sid steg "
        "version vecka år etapp paragraf avsnitt timme timmar procent miljon miljoner miljarder st "
        "person personer kr kronor januari februari mars april maj juni juli augusti september oktober "
        "november december "
    )
)


@dataclass(slots=True)
class Token:
    """A word of the text: position, form and whether it starts a sentence."""

    start: int
    end: int
    text: str
    sentence_start: bool
    before_hyphen: bool
    line_start: bool = False


def iter_tokens(text: str, start: int = 0, end: int | None = None) -> Iterator[Token]:
    """Yield the correctable words of ``text[start:end]``, skipping protected spans.

    >>> [t.text for t in iter_tokens("Dnr KS 2023/1159 dr klar, se www.sthlm.se och 4 kap. 2 §.")]
    ['dr', 'klar', 'se', 'och']
    """
    end = len(text) if end is None else end
    urls = text.find("http", start, end) >= 0 or text.find("www.", start, end) >= 0
    pattern = _protected(urls, text.find("@", start, end) >= 0)
    protected = [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
    pi = 0
    for m in _TOKEN.finditer(text, start, end):
        s, e = m.span()
        while pi < len(protected) and protected[pi][1] <= s:
            pi += 1
        if pi < len(protected) and protected[pi][0] < e:
            continue
        word = m.group()
        if not word.isalpha() and not any(ch.isalpha() for ch in word):
            if word in _GLYPHS:
                yield Token(s, e, word, _starts_sentence(text, s), False)
            continue
        if e < len(text) and text[e] == "." and word.lower() in _ABBREVIATIONS:
            continue
        line_start = not text[text.rfind("\n", 0, s) + 1 : s].strip()
        yield Token(s, e, word, _starts_sentence(text, s), text.startswith("-", e), line_start)


@lru_cache(maxsize=64)
def _block_tokens(text: str, start: int, end: int) -> tuple[Token, ...]:
    """:func:`iter_tokens` of a block, kept for the corrector's second pass over it (tokens are not modified)."""
    return tuple(iter_tokens(text, start, end))


def _starts_sentence(text: str, pos: int) -> bool:
    """True at the start of the text, of a paragraph or list item, or after a sentence end."""
    i = pos - 1
    newlines = 0
    while i >= 0 and text[i].isspace():
        newlines += text[i] == "\n"
        i -= 1
    if i < 0 or newlines >= 2:
        return True
    ch = text[i]
    if ch in _SENTENCE_END:
        return True
    return bool(ch in "-–*" and (i == 0 or text[i - 1] == "\n"))


# --------------------------------------------------------------------------- channel
@dataclass(eq=False)
class Channel:
    """P(observed | intended) for OCR readings, scaled by the text's damage level λ.

    ``table`` maps an intended piece (one or two characters) to observed pieces with their
    probabilities as learned from fully damaged pairs. For å/ä/ö the probability of a
    misreading is ``λ · q / Σq``; for every other character the learned rate is scaled by
    ``max(λ, 0.05)``.
    """

    table: dict[str, dict[str, float]]
    inverse: dict[str, list[tuple[str, float]]] = field(init=False)
    max_obs: int = field(init=False)

    def __post_init__(self) -> None:
        lowered: dict[str, dict[str, float]] = {}
        for intended, obs in self.table.items():
            if intended != intended.lower():
                continue  # capitals are matched in lower case
            row = lowered.setdefault(intended, {})
            for o, p in obs.items():
                if o.lower() != intended:
                    row[o.lower()] = row.get(o.lower(), 0.0) + p
        self.table = lowered
        inverse: dict[str, list[tuple[str, float]]] = {}
        for intended, obs in lowered.items():
            for o, p in obs.items():
                inverse.setdefault(o, []).append((intended, p))
        self.inverse = inverse
        self.max_obs = max((len(o) for o in inverse), default=1)

    def adapted(self, pairs: list[tuple[str, str]], weight: float = ADAPT_WEIGHT) -> Channel:
        """This channel re-estimated on confident corrections ``(before, after)`` of one document.

        For å/ä/ö, how the OCR misread them is re-estimated (``q = (count + weight · q_prior) /
        (n + weight)``), so a scan that reads ä as ``i`` or ``d`` far more often than the
        training pairs did gets a channel that expects it. Other confusions keep their rates.
        """
        counts: dict[str, dict[str, int]] = {}
        for before, after in pairs:
            for intended, obs in _misread_diacritics(after.lower(), before.lower()):
                row = counts.setdefault(intended, {})
                row[obs] = row.get(obs, 0) + 1
        table = {k: dict(v) for k, v in self.table.items()}
        for intended, row in counts.items():
            prior = table.get(intended, {})
            total_prior = sum(prior.values()) or 1.0
            n = sum(row.values())
            merged = {
                o: (row.get(o, 0) + weight * prior.get(o, 0.0) / total_prior) / (n + weight)
                for o in set(prior) | set(row)
            }
            # Rounded to a coarse (factor ~1.4) grid so that scans of one engine share a corrector.
            table[intended] = {o: _on_grid(p) for o, p in merged.items() if p >= 0.002}
        return Channel(table)

    def signature(self) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
        """A hashable summary of the table (to share correctors between documents with equal channels)."""
        return tuple(sorted((k, tuple(sorted(v.items()))) for k, v in self.table.items()))

    @classmethod
    def from_file(cls, path: str | Path) -> Channel:
        """Read ``channel.json`` (``{"p_error": {intended: {observed: p}}}``)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(data["p_error"])

    @lru_cache(maxsize=64)  # noqa: B019 - a handful of λ values per process
    def logps(self, lam: float) -> tuple[dict[tuple[str, str], float], dict[str, float]]:
        """(``(observed, intended)`` → log10 P, character → log10 P(read correctly)) at damage ``lam``."""
        lam = min(MAX_LAMBDA, max(MIN_LAMBDA, lam))
        error: dict[tuple[str, str], float] = {}
        identity: dict[str, float] = {}
        other_scale = max(lam, 0.05)
        for intended, obs in self.table.items():
            total = sum(obs.values())
            if intended in _DIA_LOWER:
                for o, q in obs.items():
                    error[o, intended] = math.log10(lam * q / total)
                identity[intended] = math.log10(1.0 - lam)
            else:
                for o, q in obs.items():
                    error[o, intended] = math.log10(q * other_scale)
                identity[intended] = math.log10(max(1.0 - total * other_scale, 0.5))
        return error, identity


@lru_cache(maxsize=4096)
def _misread_diacritics(clean: str, ocr: str) -> tuple[tuple[str, str], ...]:
    """The (å/ä/ö, what the OCR made of it) pieces of an aligned pair, where it made something else.

    >>> _misread_diacritics("nämnder", "ndmnder")
    (('ä', 'd'),)
    """
    return tuple((i, o) for i, o in align_pieces(clean, ocr) if i in _DIA_LOWER and o != i)


def align_pieces(clean: str, ocr: str) -> Iterator[tuple[str, str]]:
    """Yield (intended, observed) pieces of an aligned pair; equal runs give per-character identities.

    Adjacent edit operations are grouped, so ``ä → éa`` and ``m → rn`` come out as one piece.

    >>> sorted(set(align_pieces("mänskliga", "méanskliga")) - {(c, c) for c in "mnskliga"})
    [('ä', 'éa')]
    """
    from rapidfuzz.distance import Levenshtein

    block: list[int] = []  # [i1, i2, j1, j2] of the current run of edit operations

    def flush() -> Iterator[tuple[str, str]]:
        i1, i2, j1, j2 = block
        a, b = clean[i1:i2], ocr[j1:j2]
        if len(a) == len(b):
            yield from zip(a, b, strict=True)
        elif a and b and len(a) <= 2 and len(b) <= 2:
            yield a, b
        block.clear()

    for op in Levenshtein.opcodes(clean, ocr):
        if op.tag == "equal":
            if block:
                yield from flush()
            for c in clean[op.src_start : op.src_end]:
                yield c, c
        elif block:
            block[1], block[3] = op.src_end, op.dest_end
        else:
            block.extend((op.src_start, op.src_end, op.dest_start, op.dest_end))
    if block:
        yield from flush()


# --------------------------------------------------------------------------- detection
@dataclass(slots=True)
class Block:
    """A stretch of text (paragraphs) judged as a whole: letters, å/ä/ö and damage estimate."""

    start: int
    end: int
    letters: int
    diacritics: int
    signatures: int = 0

    @property
    def lam(self) -> float:
        """Estimated share of å/ä/ö the OCR lost, from their rate among the letters."""
        if self.letters == 0:
            return MIN_LAMBDA
        rate = self.diacritics / self.letters
        return min(MAX_LAMBDA, max(MIN_LAMBDA, 1.0 - rate / SWEDISH_DIACRITIC_RATE))

    @property
    def suspicious(self) -> bool:
        """Far fewer å/ä/ö than Swedish prose has, or several signature words of lost
        diacritics (``pa``, ``fran``, ``dr``, ``fér``); the cheap test: clean text stops here."""
        if self.diacritics < 0.5 * SWEDISH_DIACRITIC_RATE * self.letters:
            return True
        return self.signatures >= SIGNATURE_MIN and self.signatures * 6 * 200 >= self.letters


_PARAGRAPH = re.compile(r"\n[ \t]*\n|\f")
#: Lower-case words that only exist as damaged Swedish: stripped forms of common words that are
#: no words themselves, and typical misreadings (dr, fér, {or, &r, s&).
_SIGNATURE = re.compile(
    r"(?<![\w&{])(?:pa|fran|nar|aven|ocksa|nagon|nagot|nagra|dar|sarskilt|ovriga|foljande|behover|"
    r"forslag\w*|forvaltning\w*|mojlig\w*|fragor|dr|fér|ér|\{or|&r|s&)(?![\w&{])"
)
SIGNATURE_MIN = 2  # signature words needed (and one per 200 words) to make a block suspicious
_DIACRITIC_RE = re.compile("[åäöÅÄÖ]")
BLOCK_LETTERS = 600


def _letters(text: str, start: int = 0, end: int | None = None) -> int:
    """Approximate letter count of ``text[start:end]``: characters other than spaces and line breaks.

    (A C-speed count; the detector only needs the rate of å/ä/ö to a few per cent.)
    """
    end = len(text) if end is None else end
    return end - start - text.count(" ", start, end) - text.count("\n", start, end)


def detect_blocks(text: str, min_letters: int = BLOCK_LETTERS) -> list[Block]:
    """Split ``text`` at paragraph breaks into blocks of at least ``min_letters`` letters, with counts.

    >>> [b.suspicious for b in detect_blocks("Stadens mal dr att alla ska ha ratt till en bostad.")]
    [True]
    >>> [b.suspicious for b in detect_blocks("Stadens mål är att alla ska ha rätt till en bostad.")]
    [False]
    """
    dia_positions = [m.start() for m in _DIACRITIC_RE.finditer(text)]
    sig_positions = [m.start() for m in _SIGNATURE.finditer(text)]
    cuts = [m.end() for m in _PARAGRAPH.finditer(text)]
    blocks: list[Block] = []
    start = 0
    for cut in [*cuts, len(text)]:
        if cut <= start:
            continue
        letters = _letters(text, start, cut)
        dia = bisect_left(dia_positions, cut) - bisect_left(dia_positions, start)
        sig = bisect_left(sig_positions, cut) - bisect_left(sig_positions, start)
        if blocks and (blocks[-1].letters < min_letters or (cut == len(text) and letters < min_letters)):
            last = blocks[-1]
            blocks[-1] = Block(last.start, cut, last.letters + letters, last.diacritics + dia, last.signatures + sig)
        else:
            blocks.append(Block(start, cut, letters, dia, sig))
        start = cut
    return blocks


# --------------------------------------------------------------------------- corrector
Path_ = tuple[tuple[str, int], ...]  # (observed piece, length of the intended piece's skeleton)
#: A path as a chain ``(earlier link, piece)``, ``None`` at its start.
Link = tuple[Any, tuple[str, int]] | None
#: A variant of a token: (skeleton, path, channel log10 P, weight of its substitutions).
Variant = tuple[str, Link, float, int]


def _unlink(link: Link) -> Path_:
    """The path a :data:`Link` chain spells, first piece first.

    >>> _unlink(((None, ("f", 1)), ("é", -1)))
    (('f', 1), ('é', -1))
    """
    pieces = []
    while link is not None:
        link, piece = link
        pieces.append(piece)
    return tuple(reversed(pieces))


class Corrector:
    """Noisy-channel corrector over a :class:`Lexicon` and a :class:`Channel`."""

    def __init__(
        self,
        lexicon: Lexicon,
        channel: Channel,
        domain: dict[str, int] | None = None,
        *,
        share_with: Corrector | None = None,
    ) -> None:
        self.lex = lexicon
        self.channel = channel
        self.domain = domain or {}
        self._domain_lp: dict[str, float]
        self._compounds: Callable[[str], tuple[tuple[str, float], ...]]
        self._exact_compound: Callable[[str], float | None]
        self._part_words: Callable[[str, bool], tuple[str, ...]]
        self._ends: dict[str, tuple[int, ...]]  # skeleton → :meth:`_modifier_ends`
        self._heads: dict[str, bool]  # skeleton → :meth:`_is_head`
        self._begins: dict[str, bool]  # stem → does a lexicon skeleton begin with it (half the searches repeat)
        self._scored = self._scored_memo
        self._memo: dict[tuple[str, float, bool, bool], tuple[float, tuple[tuple[str, float], ...]]] = {}
        # Verdicts derived from the memo (emptied with it): token as written → worth weighing in
        # context; lower-case token → its reading without context.
        self._weigh: dict[tuple[str, float, bool, bool], bool] = {}
        self._plain: dict[tuple[str, float], str] = {}
        #: Lexicon forms no context can change at damage :attr:`stable_lam` (with this corrector's
        #: channel; see :func:`load_stable`), and those of them asked about since the memo was last
        #: emptied (an adapted corrector reuses these verdicts as it reuses the memo's clear ones).
        self.stable: frozenset[str] = frozenset()
        self.stable_lam = STABLE_LAMBDA
        self._stable_seen: set[str] = set()
        self.fallback = share_with
        self._readings = lru_cache(maxsize=64)(self._readings_uncached)
        self._alts = lru_cache(maxsize=16)(self._alternatives)
        if share_with is not None:
            # Same lexicon and LM: the channel-independent caches (compounds) are shared.
            self._domain_lp = share_with._domain_lp
            self._compounds = share_with._compounds
            self._exact_compound = share_with._exact_compound
            self._part_words = share_with._part_words
            self._begins = share_with._begins
            self._ends = share_with._ends
            self._heads = share_with._heads
            return
        total = sum(self.domain.values())
        # Unigram LM: wordfreq interpolated with counts from clean municipal training text.
        self._domain_lp = {
            w: math.log10((1 - DOMAIN_WEIGHT) * 10 ** (lexicon.zipf.get(w, 0) / 10.0 - 9.0) + DOMAIN_WEIGHT * n / total)
            for w, n in self.domain.items()
            if w in lexicon.zipf
        }
        self._compounds = lru_cache(maxsize=100_000)(self._compounds_uncached)
        self._exact_compound = lru_cache(maxsize=200_000)(self._exact_compound_uncached)
        self._part_words = lru_cache(maxsize=400_000)(self._part_words_uncached)
        self._begins = {}
        self._ends = {}
        self._heads = {}

    def _lp(self, word: str, zipf: int) -> float:
        """log10 P(word) of a known form with Zipf×10 ``zipf`` (domain-interpolated)."""
        lp = self._domain_lp.get(word)
        if lp is not None:
            return lp
        return zipf / 10.0 - 9.0 + _LOG_NOT_DOMAIN

    @classmethod
    def default(cls) -> Corrector:
        """The corrector over the shipped lexicon and channel (loaded once per process)."""
        return default_corrector()

    # ---- candidates
    def _alternatives(self, token: str, lam: float) -> list[tuple[tuple[int, str, float, int], ...]]:
        """Per position, the non-identity readings: (observed length, intended skeleton, log10 P)."""
        table = self._readings(lam)
        n = len(token)
        out: list[tuple[tuple[int, str, float, int], ...]] = [table.get(c, ()) for c in token]
        for length in range(2, min(self.channel.max_obs, n) + 1):  # (shorter pieces merged first)
            for i in range(n - length + 1):
                more = table.get(token[i : i + length])
                if more:
                    out[i] = tuple(sorted((*out[i], *more), key=lambda o: -o[2]))
        return out

    def _readings_uncached(self, lam: float) -> dict[str, tuple[tuple[int, str, float, int], ...]]:
        """Observed piece → its non-identity readings, best first.

        Each reading is (observed length, intended skeleton, log10 P, weight): weight 1 for a
        lost å/ä/ö, 2 for any other confusion (rarer, and a token may hold few of them).
        """
        error, _ = self.channel.logps(lam)
        table: dict[str, dict[tuple[int, str], tuple[float, int]]] = {}
        for obs, intendeds in self.channel.inverse.items():
            for intended, _p in intendeds:
                key = (len(obs), skeleton(intended))
                if key == (1, skeleton(obs)):
                    continue  # a→ä, o→ö: the skeleton lookup covers these
                lp = error.get((obs, intended), -99.0)
                weight = 1 if intended in _DIA_LOWER else 2
                row = table.setdefault(obs, {})
                if lp > row.get(key, (-math.inf, 0))[0]:
                    row[key] = (lp, weight)
        return {
            obs: tuple(sorted(((ln, sk, lp, w) for (ln, sk), (lp, w) in row.items()), key=lambda o: -o[2]))
            for obs, row in table.items()
        }

    def variants(
        self, token: str, lam: float, floor: float = MIN_CHANNEL, budget: int = MAX_SUBSTITUTIONS
    ) -> list[tuple[str, Path_, float]]:
        """Skeleton variants of a lower-case token: (skeleton, reading path, channel log10 P bound).

        The path lists the token's pieces with the length of what each stands for; identity
        stretches come as one piece (they may still hide a→ä or o→ö, which the skeleton folds).

        >>> [(v, p) for v, p, _ in Corrector.default().variants("fér", 1.0)][:2]
        [('fer', (('fér', 3),)), ('for', (('f', 1), ('é', -1), ('r', 1)))]
        """
        found, _capped = self._variants(token, lam, floor, budget)
        return [(skel, _unlink(link), cost) for skel, link, cost, _subs in found]

    def _variants(
        self, token: str, lam: float, floor: float, budget: int, keep: str = "all"
    ) -> tuple[list[Variant], bool]:
        """:meth:`variants` with each path as a :data:`Link` chain (built in O(1) per step).

        Returns the variants, each with the weight of its substitutions, in depth-first order,
        and whether the search stopped at :data:`MAX_VARIANTS` nodes. The variants of a smaller
        budget are exactly those weighing at most that budget, in the same order, unless the
        search stopped early (the tree of a smaller budget is a subtree searched in the same order).

        ``keep="words"``: only variants that are skeletons of lexicon words, and a substitution
        is not explored when no lexicon skeleton begins with the variant so far (the lookups
        need nothing else). ``keep="top"``: the :data:`COMPOUND_VARIANTS` likeliest variants
        (stable order), a subtree being left out once it cannot enter them.
        """
        alts = self._alts(token, lam)  # (one token's searches share them)
        n = len(token)
        base = skeleton(token)
        positions = [i for i in range(n) if alts[i]]
        last = len(positions)
        out: list[Variant] = []
        words_only, top_only = keep == "words", keep == "top"
        zipf, known = self.lex.zipf, self.lex._skel
        begins_key = self.lex.begins_key
        best: list[float] = []  # top_only: the best costs so far, a min-heap of COMPOUND_VARIANTS
        nodes = 0
        capped = False
        begins = self._begins  # stem → does a lexicon skeleton begin with it (shared by every search)
        if len(begins) >= MEMO_SIZE:
            begins.clear()

        # Depth-first, in the order: no further substitution, then substitutions at later
        # positions before earlier ones (each call emits one variant, so the calls are few).
        def rec(run: int, k: int, prefix: str, link: Link, cost: float, subs: int) -> None:
            nonlocal nodes, capped
            while k < last and positions[k] < run:
                k += 1
            nodes += 1
            skel = prefix + base[run:]
            if not words_only or skel in zipf or skel in known:
                out.append((skel, (link, (token[run:], n - run)) if run < n else link, cost, subs))
                if top_only:
                    (heapq.heappush if len(best) < COMPOUND_VARIANTS else heapq.heappushpop)(best, cost)
            if subs >= budget:
                return
            for i in range(last - 1, k - 1, -1):
                j = positions[i]
                readings = alts[j]
                if cost + readings[0][2] < floor:
                    continue  # (not even the likeliest reading here stays above the floor)
                stem = None
                for length, sk, lp, weight in readings:
                    step = cost + lp
                    if step < floor or (top_only and len(best) == COMPOUND_VARIANTS and step <= best[0]):
                        break  # (readings come best first; a later tie ranks after the variants kept)
                    if subs + weight > budget:
                        continue
                    if stem is None:
                        stem = prefix + base[run:j]
                    grown = stem + sk
                    if words_only:
                        found = begins.get(grown)
                        if found is None:
                            found = begins[grown] = begins_key(grown)
                        if not found:
                            continue
                    if nodes >= MAX_VARIANTS:
                        capped = True
                        return
                    head = (link, (token[run:j], j - run)) if j > run else link
                    rec(j + length, i + 1, grown, (head, (token[j : j + length], -len(sk))), step, subs + weight)  # noqa: F821 (deleted after the search)

        rec(0, 0, "", None, 0.0, 0)
        del rec  # (it refers to itself: left alone, every search would leave a cycle to the garbage collector)
        if top_only:
            out = sorted(out, key=lambda v: -v[2])[:COMPOUND_VARIANTS]
        return out, capped

    def channel_logp(self, word: str, path: Path_, lam: float) -> float:
        """log10 P(observed | word) along ``path`` (−inf when the path cannot produce the word).

        A piece ``(observed, n)`` with ``n > 0`` is read character by character (identity or
        a one-character confusion); ``n < 0`` marks one substitution of ``-n`` intended characters.
        """
        return _path_logp(word, path, *self.channel.logps(lam))

    def _score_along(
        self, path: Path_, words: Iterable[tuple[str, float]], lam: float, scores: dict[str, float]
    ) -> None:
        """Score each (word, log10 P(word)) read along ``path``: keep the best score per word in ``scores``."""
        error, identity = self.channel.logps(lam)
        for w, lp in words:
            s = lp + _path_logp(w, path, error, identity)
            if s > scores.get(w, -math.inf):
                scores[w] = s

    def word_logp(self, word: str, *, allow_modifier: bool = False) -> float | None:
        """log10 P of a lower-case form: known form, or compound of known parts; ``None`` if neither.

        >>> c = Corrector.default()
        >>> c.word_logp("barnrättsfrågor") is not None, c.word_logp("xqzvrtkl")
        (True, None)
        """
        z = self.lex.zipf.get(word)
        if z is not None and z > 0:
            return self._lp(word, z)
        if len(word) > MAX_TOKEN_LENGTH:
            return None
        if z is not None and allow_modifier:
            return -8.0
        if allow_modifier and word.endswith("s") and self.lex.is_modifier(word[:-1]):
            return -8.0
        return self._exact_compound(word) if len(word) >= 6 else None

    def _exact_compound_uncached(self, word: str) -> float | None:
        best = None
        modifiers, zipf = self.lex.modifiers, self.lex.zipf
        # A modifier is a lexicon form (flags are only given to listed forms): no longer left part can be one.
        for k in range(2, min(len(word) - 2, self.lex.known_prefix(word) + 2)):
            left = word[:k]
            if not (left in modifiers or (k > 3 and left[-1] == "s" and left[:-1] in modifiers)):
                continue
            right = word[k:]
            z = zipf.get(right, 0)
            if 0 < z <= HEAD_MAX_ZIPF:
                lp = self._compound_logp((left, right))
            elif len(right) >= 6:
                sub = self._exact_compound(right)
                if sub is None:
                    continue
                lp = sub + COMPOUND_JOINT + self._modifier_cost(left)
            else:
                continue
            best = lp if best is None or lp > best else best
        return best

    def _compound_logp(self, parts: tuple[str, ...]) -> float:
        head = self._lp(parts[-1], self.lex.zipf[parts[-1]])
        return head + sum(COMPOUND_JOINT + self._modifier_cost(m) for m in parts[:-1])

    def _modifier_cost(self, mod: str) -> float:
        z = self.lex.zipf.get(mod) or self.lex.zipf.get(mod[:-1], 0)
        return RARE_MODIFIER * max(0.0, 3.0 - z / 10.0)

    def _splits(self, skel: str) -> list[tuple[str, ...]]:
        """Ways to read a skeleton as modifier(s) + head (two or three parts), as tuples of part *skeletons*.

        In order: for each first modifier (shortest first), the two-part split, then the
        three-part ones (shortest second modifier first).

        >>> ("barn", "ratts", "fragor") in Corrector.default()._splits("barnrattsfragor")
        True
        """
        found: list[tuple[str, ...]] = []
        n = len(skel)
        modifier_ends, is_head = self._modifier_ends, self._is_head
        for k in modifier_ends(skel):
            left, rest = skel[:k], skel[k:]
            if is_head(rest):
                found.append((left, rest))
            if n - k >= 6:  # three parts: a second modifier between
                found.extend((left, rest[:r], rest[r:]) for r in modifier_ends(rest) if is_head(rest[r:]))
        return found

    def _modifier_ends(self, rest: str) -> tuple[int, ...]:
        """Where a modifier beginning ``rest`` may end (at least 2 letters, and 3 left for what follows).

        Memoised per string: the variants of a token, and the splits of one variant, share their endings.
        """
        ends = self._ends.get(rest)
        if ends is None:
            zipf, alts = self.lex.zipf, self.lex._skel  # (a skeleton in neither has no words: skip the lookups)
            part_words = self._part_words
            found = []
            # A modifier (or modifier + s) must begin some lexicon skeleton: no longer part can.
            for k in range(2, min(len(rest) - 2, self.lex.known_prefix(rest) + 2)):
                part = rest[:k]
                if (
                    part in zipf
                    or part in alts
                    or (k > 3 and part[-1] == "s" and (part[:-1] in zipf or part[:-1] in alts))
                ) and part_words(part, False):
                    found.append(k)
            if len(self._ends) >= MEMO_SIZE:
                self._ends.clear()
            ends = self._ends[rest] = tuple(found)
        return ends

    def _is_head(self, rest: str) -> bool:
        """May the skeleton ``rest`` end a compound (memoised like :meth:`_modifier_ends`)?"""
        head = self._heads.get(rest)
        if head is None:
            if len(self._heads) >= MEMO_SIZE:
                self._heads.clear()
            head = self._heads[rest] = (rest in self.lex.zipf or rest in self.lex._skel) and bool(
                self._part_words(rest, True)
            )
        return head

    def _part_words_uncached(self, skel: str, head: bool) -> tuple[str, ...]:
        """The (at most 3) likeliest words with this skeleton that can be a compound head / modifier."""
        zipf = self.lex.zipf
        if head:
            words = [w for w in self.lex.with_skeleton(skel) if 0 < zipf[w] <= HEAD_MAX_ZIPF]
        else:
            words = [w for w in self.lex.with_skeleton(skel) if self.lex.is_modifier(w)]
            if not words and skel.endswith("s") and len(skel) > 3:
                words = [w + "s" for w in self.lex.with_skeleton(skel[:-1]) if self.lex.is_modifier(w)]
        words.sort(key=lambda w: -zipf.get(w, zipf.get(w[:-1], 0)))
        return tuple(words[:3])

    def candidates(
        self,
        token: str,
        lam: float,
        *,
        allow_modifier: bool = False,
        floor: float = MIN_CHANNEL,
        settle_above: float = math.inf,
    ) -> dict[str, float]:
        """Candidate words for a lower-case token with their log10 P(w)·P(token | w).

        ``floor``: readings whose channel log10 P falls below it are not explored.
        ``settle_above``: when the readings with at most one lost å/ä/ö already give a word
        scoring this much, the deeper search is skipped (a search budget: such a word leaves
        the rarer readings no real posterior mass).
        """
        scores: dict[str, float] = {}
        budget = 1
        # One search with the full budget serves both rounds (the first round's variants are
        # those weighing at most 1), unless it stopped early: then each round searches anew.
        found, capped = self._variants(token, lam, floor, MAX_SUBSTITUTIONS, "words")
        first = self._variants(token, lam, floor, budget, "words")[0] if capped else [v for v in found if v[3] <= 1]
        self._score_variants(first, lam, allow_modifier, scores)
        if not scores or max(scores.values()) < settle_above:
            budget = MAX_SUBSTITUTIONS
            # (Variants already scored would score the same again: they are skipped.)
            self._score_variants(found if capped else [v for v in found if v[3] > 1], lam, allow_modifier, scores)
        if len(token) >= 6 and (not scores or max(scores.values()) < -8.0):
            self._compound_candidates(self._variants(token, lam, floor, budget, "top")[0], lam, scores)
        if (
            len(token) >= EDIT_MIN_LENGTH
            and lam >= GLYPH_RULES_MIN_LAMBDA
            and token.isalpha()
            and (not scores or max(scores.values()) < -8.0)
        ):
            self._edit_candidates(token, lam, scores)
        return scores

    def _score_variants(
        self, variants: list[Variant], lam: float, allow_modifier: bool, scores: dict[str, float]
    ) -> None:
        zipf, alts = self.lex.zipf, self.lex._skel
        for skel, link, _cost, _subs in variants:
            if skel not in zipf and skel not in alts:
                continue
            words = [
                (w, self._lp(w, z) if z > 0 else -8.0)
                for w in self.lex.with_skeleton(skel)
                if (z := zipf[w]) != 0 or allow_modifier
            ]
            self._score_along(_unlink(link), words, lam, scores)

    def _edit_candidates(self, token: str, lam: float, scores: dict[str, float]) -> None:
        """Words one edit away from a long unexplained token (a letter misread, added or dropped).

        The last resort for badly degraded scans (``bealutade`` → ``beslutade``,
        ``verksambheter`` → ``verksamheter``); edits are made on the skeleton, so lost å/ä/ö
        come back at the same time. Only common words (Zipf ≥ 2.5) are proposed.
        """
        error, _ = self.channel.logps(lam)
        base = skeleton(token)
        edit_lp = math.log10(GENERIC_EDIT_RATE * max(lam, 0.05))
        dia_lp = {c: error.get((skeleton(c), c), -2.0) for c in "åäö"}
        n = len(base)
        targets, zipf = self.lex.common, self.lex.zipf
        # The unchanged beginning and end around an edit must begin / end a common word.
        forwards, backwards = self.lex.common_ends
        first = max(0, n - sorted_prefix(backwards, base[::-1]) - 1)
        for i in range(first, min(n, sorted_prefix(forwards, base)) + 1):
            head, tail = base[:i], base[i:]
            rest = base[i + 1 :]
            found = [targets.get(head + c + tail) for c in _EDIT_LETTERS]  # a letter dropped
            if i < n:
                found.extend(targets.get(head + c + rest) for c in _EDIT_LETTERS if c != base[i])  # misread
                found.append(targets.get(head + rest))  # a letter added
            for words in found:
                if not words:
                    continue
                for w in words:
                    z = zipf[w]
                    if skeleton(w) + "s" == base:
                        continue  # (a genitive -s the lexicon lacks is not an OCR error)
                    s = self._lp(w, z) + edit_lp + sum(dia_lp.get(ch, 0.0) for ch in w)
                    if s > scores.get(w, -math.inf):
                        scores[w] = s

    def _compound_candidates(self, variants: list[Variant], lam: float, scores: dict[str, float]) -> None:
        for skel, link, _cost, _subs in sorted(variants, key=lambda v: -v[2])[:COMPOUND_VARIANTS]:
            self._score_along(_unlink(link), self._compounds(skel), lam, scores)

    def _compounds_uncached(self, skel: str) -> tuple[tuple[str, float], ...]:
        """The compound readings of a skeleton: (word, log10 P) per split and choice of part words, in that order.

        (Independent of the channel, so adapted correctors share them.)
        """
        found: list[tuple[str, float]] = []
        for parts in self._splits(skel):
            choices = [self._part_words(p, i == len(parts) - 1) for i, p in enumerate(parts)]
            if all(choices):
                found.extend(("".join(combo), self._compound_logp(combo)) for combo in _product(choices))
        return tuple(found)

    def token_logp(self, token: str, lam: float, *, allow_modifier: bool = False) -> float:
        """log10 P(token)·P(token | token): the score the token itself must be beaten by."""
        _, identity = self.channel.logps(lam)
        ch = sum(map(identity.get, token, itertools.repeat(0.0)))
        lp = self.word_logp(token, allow_modifier=allow_modifier)
        if lp is None:
            lp = UNKNOWN_LOGP + UNKNOWN_PER_CHAR * len(token)
        return lp + ch

    def has_candidates(self, token: str, lam: float, *, allow_modifier: bool = False, name_like: bool = False) -> bool:
        """Could :meth:`best` read the lower-case ``token`` as anything else in some context?

        No when no candidate comes within :data:`MARGIN` of the token even with every context
        bonus (:data:`CONTEXT_SWING`): ``och`` is never ``öch``.

        >>> c = Corrector.default()
        >>> c.has_candidates("ndmnder", 1.0), c.has_candidates("kommun", 1.0), c.has_candidates("och", 1.0)
        (True, False, False)
        """
        if len(token) > MAX_TOKEN_LENGTH:
            return False
        if not allow_modifier and self._is_stable(token, round(lam, 2)):
            return False
        own, scored = self._scored(token, round(lam, 2), allow_modifier, name_like)
        return bool(scored) and max(s for _, s in scored) + CONTEXT_SWING - own >= MARGIN - 1e-9

    def best(
        self,
        token: str,
        lam: float,
        *,
        allow_modifier: bool = False,
        name_like: bool = False,
        topical: frozenset[str] = frozenset(),
        final: bool = False,
        prev: str = "",
        next_word: str = "",
    ) -> tuple[str, float]:
        """The best reading of a lower-case token and its posterior (the token itself if nothing wins).

        ``final``: the token ends a sentence; candidates are weighed by how often they do so in
        clean domain text (:func:`load_sentence_final`). ``prev``/``next_word``: the (repaired)
        neighbours, for :func:`bigram_bonus`.

        ``topical``: 4-letter beginnings of words confidently restored elsewhere in the same
        text (a cache language model): a candidate sharing one gains :data:`TOPIC_BONUS`, which
        decides ties between two valid words (``stod``/``stöd`` in a text about ``stödet``).
        """
        if len(token) > MAX_TOKEN_LENGTH:
            return token, 1.0
        own, scored = self._scored(token, round(lam, 2), allow_modifier, name_like)
        if not scored:
            return token, 1.0
        # (A word outside every seen pair gets no bonus: its score is left as it is.)
        ranked: Sequence[tuple[str, float]] = scored
        followers, leaders = bigram_partners()
        after = followers.get(prev) if prev else None
        if after:
            if token in after:
                own += bigram_bonus(prev, token)
            ranked = [(w, s + bigram_bonus(prev, w)) if w in after else (w, s) for w, s in ranked]
        before = leaders.get(next_word) if next_word else None
        if before:
            if token in before:
                own += bigram_bonus(token, next_word)
            ranked = [(w, s + bigram_bonus(w, next_word)) if w in before else (w, s) for w, s in ranked]
        if final:
            ends = load_sentence_final()
            own += ends.get(token, 0.0)
            ranked = [(w, s + ends.get(w, 0.0)) for w, s in ranked]
        if topical:
            ranked = [(w, s + TOPIC_BONUS if len(w) >= 4 and w[:4] in topical else s) for w, s in ranked]
        word, top = max(ranked, key=itemgetter(1))
        norm = sum([10 ** (s - top) for _, s in ranked]) + 10 ** (own - top)
        if top - own < MARGIN:
            return token, 10 ** (own - top) / norm
        return word, 1.0 / norm

    def _scored_memo(
        self, token: str, lam: float, allow_modifier: bool, name_like: bool
    ) -> tuple[float, tuple[tuple[str, float], ...]]:
        """:meth:`_scored_uncached`, memoised; an adapted corrector reuses its base's clear verdicts.

        A token the base channel already judged clearly (the token itself or one candidate
        ahead by :data:`REUSE_GAP` or more) keeps that verdict: re-estimating the channel moves
        a single reading by far less, so only the close calls are scored again.
        """
        # (A known word gets no name bonus: one verdict serves both.)
        key = (token, lam, allow_modifier, name_like and token not in self.lex.zipf)
        found = self._memo.get(key)
        if found is not None:
            return found
        base = self.fallback._memo.get(key) if self.fallback is not None else None
        if base is not None and _clear(base):
            found = base
        else:
            found = self._scored_uncached(token, lam, allow_modifier, name_like)
        if len(self._memo) >= MEMO_SIZE:
            self._memo.clear()
            self._weigh.clear()
            self._plain.clear()
            self._stable_seen.clear()
        self._memo[key] = found
        return found

    def _is_stable(self, token: str, lam: float) -> bool:
        """Is the lower-case ``token`` a precomputed form no context changes at ``lam`` (rounded)?

        Exactly :meth:`has_candidates` being false (for ``allow_modifier=False``; a known form gets
        no name bonus, so ``name_like`` does not matter), answered by one set lookup. An adapted
        corrector has no precomputed forms of its own: it answers for the forms its base answered
        here, since such a verdict is clear (:func:`_clear`) and the memo would have handed it on.
        """
        if token in self.stable and lam == self.stable_lam:
            if len(self._stable_seen) >= MEMO_SIZE:
                self._stable_seen.clear()
            self._stable_seen.add(token)
            return True
        base = self.fallback
        return (
            base is not None
            and token in base._stable_seen
            and lam == base.stable_lam
            and (token, lam, False, False) not in self._memo  # (a verdict of its own comes first)
        )

    def worth_weighing(self, word: str, lam: float, *, before_hyphen: bool, sentence_start: bool) -> bool:
        """Is the token ``word`` (as written) one that :func:`iter_corrections` weighs in context?

        Not when it is too short or long, never touched (:func:`_skip_token`), or without
        candidates (:meth:`has_candidates`); memoised per form, ``lam`` (rounded to 0.01) and position.

        >>> c = Corrector.default()
        >>> c.worth_weighing("Ndmnder", 1.0, before_hyphen=False, sentence_start=True)
        True
        >>> c.worth_weighing("KS", 1.0, before_hyphen=False, sentence_start=False)
        False
        """
        key = (word, round(lam, 2), before_hyphen, sentence_start)
        found = self._weigh.get(key)
        if found is None:
            if len(self._weigh) >= MEMO_SIZE:
                self._weigh.clear()
            found = self._weigh[key] = (
                2 <= len(word) <= MAX_TOKEN_LENGTH
                and not _skip_token(word)
                and self.has_candidates(
                    word.lower(),
                    key[1],
                    allow_modifier=before_hyphen,
                    name_like=word[:1].isupper() and not sentence_start,
                )
            )
        return found

    def plain_reading(self, token: str, lam: float) -> str:
        """:meth:`best` of a lower-case token without context or flags, memoised (the right context of a word).

        >>> Corrector.default().plain_reading("ndmnder", 1.0)
        'nämnder'
        """
        key = (token, round(lam, 2))
        found = self._plain.get(key)
        if found is None and self._is_stable(token, key[1]):
            found = token
        if found is None:
            if len(self._plain) >= MEMO_SIZE:
                self._plain.clear()
            found = self._plain[key] = token
            if len(token) <= MAX_TOKEN_LENGTH:
                # (:meth:`best` without context: the likeliest candidate if it beats the token by the margin)
                own, scored = self._scored(token, key[1], False, False)
                if scored:
                    word, top = max(scored, key=itemgetter(1))
                    if top - own >= MARGIN:
                        found = self._plain[key] = word
        return found

    def _scored_uncached(
        self, token: str, lam: float, allow_modifier: bool, name_like: bool
    ) -> tuple[float, tuple[tuple[str, float], ...]]:
        """(score of the token itself, candidate scores) for a lower-case token."""
        own = self.token_logp(token, lam, allow_modifier=allow_modifier)
        if name_like and token not in self.lex.zipf:
            own += NAME_BONUS
        # Exact pruning: a reading costing more than this cannot beat the token even for the
        # likeliest word of the language with every context bonus.
        floor = max(MIN_CHANNEL, own + MARGIN - LM_MAX - MAX_CONTEXT_BONUS)
        scores = self.candidates(
            token, lam, allow_modifier=allow_modifier, floor=floor, settle_above=own + SETTLE_MARGIN
        )
        scores.pop(token, None)
        return own, tuple(scores.items())


def _path_logp(word: str, path: Path_, error: dict[tuple[str, str], float], identity: dict[str, float]) -> float:
    """:meth:`Corrector.channel_logp` with the channel's tables at hand."""
    total = 0.0
    pos = 0
    for obs, length in path:
        if length < 0:
            intended = word[pos : pos - length]
            pos -= length
            lp = error.get((obs, intended))
            if lp is None:
                return -math.inf
            total += lp
            continue
        intended = word[pos : pos + length]
        pos += length
        if obs == intended:
            for ch in intended:
                total += identity.get(ch, 0.0)
            continue
        for o, w in zip(obs, intended, strict=True):
            if o == w:
                total += identity.get(w, 0.0)
            else:
                lp = error.get((o, w))
                if lp is None:
                    return -math.inf
                total += lp
    return total


def _clear(scored: tuple[float, tuple[tuple[str, float], ...]]) -> bool:
    own, cands = scored
    if not cands:
        return True
    ranked = sorted((s for _, s in cands), reverse=True)
    top = ranked[0]
    runner_up = max(own, ranked[1]) if len(ranked) > 1 else own
    return own - top >= REUSE_GAP or top - runner_up >= REUSE_GAP


@lru_cache(maxsize=1)
def default_corrector() -> Corrector:
    """The corrector over the shipped lexicon and channel, loaded once per process.

    Loading calls :func:`gc.freeze`, which is process-wide: objects alive at that moment (the
    lexicon, and whatever the caller had loaded before) are left out of later cyclic garbage
    collections. Call :func:`gc.unfreeze` afterwards if a long-running process needs them collected.
    """
    data = files("mrtext") / "data" / "repair"
    corrector = Corrector(load_lexicon(), Channel.from_file(Path(str(data / "channel.json"))), load_domain())
    corrector.stable = load_stable()
    # The lexicon's index and LM (millions of references, never freed) move to the garbage
    # collector's permanent generation: else every full collection, triggered by the scoring
    # memos, walks them again (~70 ms each, a fifth of a cold run on damaged text).
    gc.freeze()
    return corrector


@lru_cache(maxsize=1)
def model_digest() -> str:
    """A fingerprint of what the corrector's verdicts depend on: the repair artifacts and the scoring code.

    :func:`load_stable` trusts a precomputed list only under the fingerprint it was built with.
    """
    root = Path(str(files("mrtext")))
    sources = [root / "data" / "repair" / name for name in ("lexicon.txt.gz", "channel.json", "domain.tsv.gz")]
    sources += [Path(__file__), root / "repair" / "lexicon.py"]
    parts = [file_digest(path) if path.is_file() else "-" for path in sources]
    return hashlib.sha1(" ".join(parts).encode("ascii")).hexdigest()[:16]  # a cache key, not security


def stable_forms(corrector: Corrector, forms: Iterable[str]) -> list[str]:
    """The ``forms`` no context can change at :data:`STABLE_LAMBDA` (:meth:`Corrector.has_candidates` is false).

    >>> stable_forms(Corrector.default(), ["kommun", "och", "for", "xqzv"])
    ['kommun', 'och']
    """
    lazy = Corrector(corrector.lex, corrector.channel, corrector.domain)  # (no precomputed forms: the full search)
    zipf = lazy.lex.zipf
    return [w for w in forms if w in zipf and not lazy.has_candidates(w, STABLE_LAMBDA)]


def load_stable(path: Path | None = None) -> frozenset[str]:
    """The precomputed stable forms (``mrtext/data/repair/stable.txt.gz``, built by
    ``scripts/build_repair_model.py``): empty when missing or built for other artifacts or code.

    The first line is ``#`` and the :func:`model_digest` the list was computed under; the
    forms follow, one per line.
    """
    path = path or Path(str(files("mrtext") / "data" / "repair" / "stable.txt.gz"))
    try:
        lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")
    except (OSError, EOFError, UnicodeDecodeError):
        return frozenset()
    if lines[0] != f"# {model_digest()}":
        return frozenset()
    return frozenset(w for w in lines[1:] if w)


@lru_cache(maxsize=1)
def load_domain() -> dict[str, int]:
    """Word counts of clean municipal training text (``mrtext/data/repair/domain.tsv.gz``)."""
    path = Path(str(files("mrtext") / "data" / "repair" / "domain.tsv.gz"))
    if not path.is_file():
        return {}
    rows = (line.split("\t") for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines() if line)
    return {row[0]: int(row[1]) for row in rows if len(row) == 3}


@lru_cache(maxsize=1)
def _domain_total() -> int:
    return sum(load_domain().values()) or 1


@lru_cache(maxsize=1)
def load_bigrams() -> dict[str, int]:
    """Word-pair counts (``"att stärka"``) of clean municipal training text."""
    path = Path(str(files("mrtext") / "data" / "repair" / "domain.tsv.gz"))
    if not path.is_file():
        return {}
    rows = (line.split("\t") for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines() if line)
    return {row[0]: int(row[1]) for row in rows if len(row) == 2}


@lru_cache(maxsize=1)
def bigram_partners() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The words seen after each word, and before each word, in :func:`load_bigrams`.

    >>> "stärka" in bigram_partners()[0]["att"]
    True
    """
    after: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for pair, n in load_bigrams().items():
        for i, ch in enumerate(pair):
            if ch == " " and n:
                after.setdefault(pair[:i], set()).add(pair[i + 1 :])
                before.setdefault(pair[i + 1 :], set()).add(pair[:i])
    return {k: frozenset(v) for k, v in after.items()}, {k: frozenset(v) for k, v in before.items()}


@lru_cache(maxsize=100_000)
def bigram_bonus(prev: str, word: str) -> float:
    """log10 P(word | prev) / P(word) from domain counts, smoothed, only ever a bonus (0 … 1).

    With a few thousand words of training text, an unseen pair says little; a seen one
    (``att stärka``, ``för besvarande``) says a lot.

    >>> bigram_bonus("xqz", "för")
    0.0
    """
    pairs = load_bigrams()
    n_pair = pairs.get(f"{prev} {word}", 0)
    if not n_pair:
        return 0.0
    uni = load_domain()
    total = _domain_total()
    n_prev = uni.get(prev, 0)
    p_word = (uni.get(word, 0) + 0.5) / total
    cond = (n_pair + BIGRAM_KAPPA * p_word) / (n_prev + BIGRAM_KAPPA)
    return max(0.0, min(BIGRAM_MAX_BONUS, math.log10(cond / p_word)))


@lru_cache(maxsize=1)
def load_sentence_final() -> dict[str, float]:
    """log10 of how much likelier than average a domain word is to end a sentence (well-attested words only).

    A tiny context model: ``år.`` ends sentences, ``är.`` hardly ever does.
    """
    path = Path(str(files("mrtext") / "data" / "repair" / "domain.tsv.gz"))
    if not path.is_file():
        return {}
    rows = [line.split("\t") for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines() if line]
    rows = [r for r in rows if len(r) == 3]
    total = sum(int(r[1]) for r in rows)
    p0 = sum(int(r[2]) for r in rows) / max(1, total)
    if not p0:
        return {}
    return {
        w: max(FINAL_MIN, min(FINAL_MAX, math.log10((int(f) + p0) / (int(n) + 1)) - math.log10(p0)))
        for w, n, f in rows
        if int(n) >= FINAL_MIN_COUNT
    }


def _on_grid(p: float) -> float:
    """Round a probability to the nearest power of √2 (3 significant digits).

    >>> _on_grid(0.183), _on_grid(0.2)
    (0.177, 0.177)
    """
    return float(f"{2 ** (round(math.log2(p) * 2) / 2):.3g}")


@lru_cache(maxsize=64)
def _adapted_corrector(signature: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]) -> Corrector:
    table = {k: dict(v) for k, v in signature}
    base = default_corrector()
    return Corrector(base.lex, Channel(table), base.domain, share_with=base)


def adapted_corrector(base: Corrector, pairs: list[tuple[str, str]]) -> Corrector:
    """A corrector whose channel is re-estimated on a document's confident corrections (or ``base``)."""
    if len(pairs) < ADAPT_MIN_PAIRS:
        return base
    return _adapted_corrector(base.channel.adapted(pairs).signature())


def _product(choices: list[tuple[str, ...]]) -> Iterator[tuple[str, ...]]:
    return itertools.product(*choices)


def case_like(source: str, word: str, *, mid_sentence: bool, proper: bool) -> str:
    """Give ``word`` the case pattern of ``source``.

    A capital ``O``/``A`` read for a lower-case ``ö``/``ä``/``å`` inside a sentence (and not first
    on its line, where headings start) is lowered.

    >>> case_like("Oppen", "öppen", mid_sentence=True, proper=False)
    'öppen'
    >>> case_like("Oversikt", "översikt", mid_sentence=False, proper=False)
    'Översikt'
    >>> case_like("FORVALTNING", "förvaltning", mid_sentence=False, proper=False)
    'FÖRVALTNING'
    """
    if source.islower() or not any(c.isalpha() for c in source):
        return word
    inner = set(filter(str.isupper, source[1:]))
    if source[:1].isupper() and not source.isupper() and inner and inner <= set("AOÅÄÖ"):
        return word[:1].upper() + word[1:]  # HAllbar: a capital A inside was a misread å
    if source.isupper() and len(source) > 1:
        return word.upper()
    if source[:1].isupper() and (len(source) == 1 or source[1:].islower() or not source[1:].isalpha()):
        if mid_sentence and not proper and source[0] in "OA" and word[:1] in "öäå":
            return word
        return word[:1].upper() + word[1:]
    return word


def classify_rule(before: str, after: str) -> str:
    """``diacritics`` when only diacritics were added (a→ä/å, o→ö, e→é, any case), else ``ocr_confusions``.

    >>> classify_rule("forvaltning", "förvaltning"), classify_rule("ndmnder", "nämnder")
    ('diacritics', 'ocr_confusions')
    """
    if len(before) == len(after) and skeleton(after).lower() == before.lower():
        return "diacritics"
    return "ocr_confusions"


def iter_corrections(
    corrector: Corrector,
    text: str,
    block: Block,
    *,
    allowed: frozenset[str],
    topical: frozenset[str] = frozenset(),
) -> Iterator[tuple[Token, str, float, str]]:
    """Yield (token, replacement, confidence, rule) for the words of ``block`` worth changing."""
    lam = block.lam
    lam2 = round(lam, 2)  # (the corrector's verdicts are memoised per λ to 0.01)
    tokens = _block_tokens(text, block.start, block.end)
    repaired: dict[int, str] = {}  # token index → its correction, the left context of the next word
    weigh = corrector._weigh  # (worth_weighing's memo, read here first: most tokens stop at it)
    for i, tok in enumerate(tokens):
        word = tok.text
        if word in _GLYPHS:
            repl = _digit_one(text, tokens, i) if lam >= GLYPH_RULES_MIN_LAMBDA else None
            if repl and "ocr_confusions" in allowed:
                yield tok, repl, 0.9, "ocr_confusions"
            continue
        if word == "e" and tok.line_start and text.startswith(" ", tok.end) and lam >= GLYPH_RULES_MIN_LAMBDA:
            if "ocr_confusions" in allowed:
                yield tok, "•", BULLET_CONFIDENCE, "ocr_confusions"  # a bullet read as the letter e
            continue
        worth = weigh.get((word, lam2, tok.before_hyphen, tok.sentence_start))
        if worth is None:
            worth = corrector.worth_weighing(
                word, lam2, before_hyphen=tok.before_hyphen, sentence_start=tok.sentence_start
            )
        if not worth:
            continue  # (most words: nothing to weigh, so no context needed)
        low = word.lower()
        name_like = word[:1].isupper() and not tok.sentence_start
        final = text[tok.end : tok.end + 1] in {".", "!", "?"}
        prev = ""
        if i and tokens[i - 1].end + 2 >= tok.start and not text[tokens[i - 1].end : tok.start].strip():
            prev = repaired.get(i - 1, tokens[i - 1].text).lower()
        next_word = ""
        if i + 1 < len(tokens) and not final and not text[tok.end : tokens[i + 1].start].strip():
            nxt = tokens[i + 1].text
            if nxt.isalpha() and 1 < len(nxt) <= MAX_TOKEN_LENGTH:
                next_word = corrector.plain_reading(nxt.lower(), lam)
        best, conf = corrector.best(
            low,
            lam,
            allow_modifier=tok.before_hyphen,
            name_like=name_like,
            topical=topical,
            final=final,
            prev=prev,
            next_word=next_word,
        )
        if best == low or conf < MIN_CONFIDENCE:
            continue
        mid_line = not (tok.sentence_start or tok.line_start)
        out = case_like(word, best, mid_sentence=mid_line, proper=best in corrector.lex.proper)
        if out == word:
            continue
        rule = classify_rule(word, out)
        if rule in allowed:
            repaired[i] = out
            yield tok, out, conf, rule


def _skip_token(word: str) -> bool:
    """Tokens never touched: short all-caps (KS, MR, HBTQ), mixed case (McKinsey), number-like."""
    if word.isalpha() and word.islower():
        return False
    letters = sum(c.isalpha() for c in word)
    digits = sum(c.isdigit() for c in word)
    if digits and (letters < 1 or digits > 1 or word[:2].isdigit() or word[1:].lower() in {"a", "e"}):
        return True  # numbers, ordinals (2a, 3e), codes; but 4r, f6r, 6ka are misreadings
    if word.isupper() and len(word) <= 4:
        return True
    inner_caps = {c for c in word[1:] if c.isupper()}
    # Mixed case (McKinsey) stays, except capital A/O inside a word: misread å/ä/ö (mAnga, mOjlig).
    return bool(inner_caps) and not word.isupper() and not inner_caps <= set("AOÅÄÖ")


def _digit_one(text: str, tokens: Sequence[Token], i: int) -> str | None:
    """A lone ``1`` between two words is a misread ``i`` (but ``sida 1 av 3``, ``1 år``, ``1.`` stay);
    a lone ``|`` before a word is a misread ``I``."""
    tok = tokens[i]
    if not (text[tok.end : tok.end + 1].isspace() and (tok.start == 0 or text[tok.start - 1].isspace())):
        return None
    if tok.text == "|":
        nxt_ok = i + 1 < len(tokens) and tokens[i + 1].text.isalpha() and tokens[i + 1].start <= tok.end + 2
        return "I" if nxt_ok else None
    if i == 0 or i + 1 >= len(tokens):
        return None
    prev, nxt = tokens[i - 1], tokens[i + 1]
    if not (prev.text.isalpha() and nxt.text.isalpha() and len(prev.text) > 1 and len(nxt.text) > 1):
        return None
    if tokens[i].sentence_start:
        return None
    if prev.end + 2 < tokens[i].start or tokens[i].end + 2 < nxt.start:
        return None
    if (
        prev.text.lower() in _NUMBER_CONTEXT
        or nxt.text.lower() in _NUMBER_CONTEXT
        or (prev.text[:1].isupper() and len(prev.text) < 4)
    ):
        return None
    return "i"


def stats_for(text: str) -> dict[str, Any]:
    """Letters, å/ä/ö and damage estimate of a whole text (for reports)."""
    letters = _letters(text)
    dia = sum(text.count(c) for c in _DIACRITICS)
    b = Block(0, len(text), letters, dia)
    return {"letters": letters, "diacritics": dia, "lambda": round(b.lam, 3), "suspicious": b.suspicious}
