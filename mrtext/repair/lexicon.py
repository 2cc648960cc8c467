"""The Swedish lexicon behind the corrector: word frequencies, compound flags and a skeleton index.

The artifact ``mrtext/data/repair/lexicon.txt.gz`` is built by ``scripts/build_repair_model.py``
from wordfreq's large Swedish list (Zipf frequencies) and the full forms of Debian's
``wswedish`` and ``hunspell-sv-se`` (suffix rules expanded). Nothing is downloaded at run time.

The *skeleton* of a word folds the letters an English-trained OCR cannot produce
(å, ä → a; ö → o; é → e): ``nämnder`` and ``namnder`` share the skeleton ``namnder``.

>>> lex = load_lexicon()
>>> lex.logp("för") > lex.logp("for")
True
>>> "mål" in lex.with_skeleton("mal")
True
>>> skeleton("Rättigheter")
'Rattigheter'
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import itertools
import marshal
import os
import sys
from bisect import bisect_left
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = ["Lexicon", "load_lexicon", "skeleton"]

_FOLD = str.maketrans("åäöéÅÄÖÉ", "aaoeAAOE")
#: Forms indexed in :attr:`Lexicon.common` (the corrector's one-edit proposals): Zipf × 10 within
#: these bounds (common, but not function words) and at least this many letters.
COMMON_MIN_ZIPF = 25
COMMON_MAX_ZIPF = 60
COMMON_MIN_LENGTH = 7
#: log10 probability of a Zipf-0 word; ``logp = zipf - 9``.
_ZIPF_OFFSET = 9.0
#: Beginnings of keys up to this length are kept in a set (:attr:`Lexicon.prefixes`): most
#: "does any key begin with this" questions are answered there, without a search of the sorted keys.
PREFIX_LENGTH = 5
#: :attr:`Lexicon.spans` packs two positions in :attr:`Lexicon.keys` into one int.
SPAN_BITS = 24
SPAN_MASK = (1 << SPAN_BITS) - 1
#: Zipf × 10 from which a common form may begin a compound.
MODIFIER_MIN_ZIPF = 30


#: What :func:`build_index` returns: sorted keys, common forms by skeleton, their sorted skeletons
#: (forwards and reversed).
Index = tuple[list[str], dict[str, tuple[str, ...]], tuple[list[str], list[str]]]


def skeleton(word: str) -> str:
    """Fold å/ä/ö/é to a/a/o/e (both cases).

    >>> skeleton("Översiktsplan för Älvsjö")
    'Oversiktsplan for Alvsjo'
    """
    return word.translate(_FOLD)


class Lexicon:
    """Lower-case word forms with Zipf frequencies, flags and a skeleton index.

    Args:
        zipf: form → Zipf frequency × 10 (0 for forms that only occur inside compounds).
        flags: flag letter → forms: ``P`` proper noun, ``X`` may begin a compound,
            ``Z`` only inside compounds.
        skeletons: skeleton → space-separated forms containing å/ä/ö/é with that skeleton.
        index: ``(keys, common, common_ends)`` as :func:`build_index` makes them (computed when not given).
        derived: ``(prefixes, spans, modifiers)`` as :func:`derive_sets` makes them (computed when not given).

    Attributes:
        keys: every form and skeleton, sorted (a string no key begins with begins no word).
        common: skeleton → the common forms with it (see :data:`COMMON_MIN_ZIPF`).
        common_ends: the skeletons of :attr:`common` sorted, and sorted reversed (for their
            beginnings and endings).
        prefixes: every beginning of a key up to :data:`PREFIX_LENGTH` characters.
        spans: each beginning of exactly :data:`PREFIX_LENGTH` characters → where the keys
            starting with it lie in :attr:`keys` (``start << SPAN_BITS | end``).
        modifiers: the forms :meth:`is_modifier` accepts.
    """

    __slots__ = (
        "_skel",
        "begin",
        "common",
        "common_ends",
        "keys",
        "modifiers",
        "only_compound",
        "prefixes",
        "proper",
        "spans",
        "zipf",
    )

    def __init__(
        self,
        zipf: dict[str, int],
        flags: dict[str, frozenset[str]],
        skeletons: dict[str, str],
        index: Index | None = None,
        derived: tuple[frozenset[str], dict[str, int], frozenset[str]] | None = None,
    ) -> None:
        self.zipf = zipf
        self.proper = flags.get("P", frozenset())
        self.begin = flags.get("X", frozenset())
        self.only_compound = flags.get("Z", frozenset())
        self._skel = skeletons
        self.keys, self.common, self.common_ends = index or build_index(zipf, skeletons)
        self.prefixes, self.spans, self.modifiers = derived or derive_sets(
            self.keys, zipf, self.begin | self.only_compound
        )

    def __contains__(self, word: object) -> bool:
        return word in self.zipf

    def __len__(self) -> int:
        return len(self.zipf)

    def logp(self, word: str) -> float | None:
        """log10 unigram probability of a lower-case form, ``None`` when unknown.

        >>> round(load_lexicon().logp("och"), 1)
        -1.6
        """
        z = self.zipf.get(word)
        if z is None:
            return None
        return z / 10.0 - _ZIPF_OFFSET

    def with_skeleton(self, skel: str) -> list[str]:
        """All known forms whose skeleton is ``skel`` (``skel`` itself first when it is a form).

        >>> load_lexicon().with_skeleton("namnder")
        ['nämnder']
        """
        found = [skel] if skel in self.zipf else []
        alts = self._skel.get(skel)
        if alts:
            found.extend(alts.split(" "))
        return found

    def is_modifier(self, word: str) -> bool:
        """May ``word`` begin a compound (flagged by hunspell, compound-only, or a common word)?

        >>> lex = load_lexicon()
        >>> lex.is_modifier("barn"), lex.is_modifier("xqz")
        (True, False)
        """
        return word in self.modifiers

    def known_prefix(self, text: str) -> int:
        """Length of the longest beginning of ``text`` that begins some key.

        >>> lex = load_lexicon()
        >>> lex.known_prefix("barnrättsfrågor"), lex.known_prefix("xqzv"), lex.known_prefix("nämndernas")
        (9, 1, 10)
        >>> lex.known_prefix("barnrättsfrågor") == sorted_prefix(lex.keys, "barnrättsfrågor")
        True
        """
        span = self.spans.get(text[:PREFIX_LENGTH])
        if span is not None:  # (the commonest case: the whole beginning is known)
            return sorted_prefix(self.keys, text, span >> SPAN_BITS, span & SPAN_MASK, PREFIX_LENGTH)
        prefixes = self.prefixes
        m, top = 0, min(len(text), PREFIX_LENGTH)
        while m < top and text[: m + 1] in prefixes:
            m += 1
        return m

    def begins_key(self, stem: str) -> bool:
        """Does some key begin with ``stem``?

        >>> lex = load_lexicon()
        >>> lex.begins_key("barnrätts"), lex.begins_key("barnrättsf"), lex.begins_key("xq")
        (True, False, False)
        """
        if len(stem) <= PREFIX_LENGTH:
            return stem in self.prefixes
        span = self.spans.get(stem[:PREFIX_LENGTH])
        if span is None:
            return False
        at = bisect_left(self.keys, stem, span >> SPAN_BITS, span & SPAN_MASK)
        return at < len(self.keys) and self.keys[at].startswith(stem)


def sorted_prefix(keys: list[str], text: str, lo: int = 0, hi: int | None = None, shared: int = 0) -> int:
    """Length of the longest beginning of ``text`` that begins one of the sorted ``keys``.

    (The key sharing most with ``text`` sorts next to it.) ``lo``/``hi``: the search may be
    narrowed to a non-empty run of keys that all share their first ``shared`` characters with
    ``text``; the keys outside it share fewer.

    >>> sorted_prefix(["barn", "barnet", "bil"], "barnrätt"), sorted_prefix(["bil"], "x")
    (4, 0)
    >>> sorted_prefix(["a", "barn", "barnet", "bil"], "barnrätt", 1, 3, shared=3)
    4
    """
    hi = len(keys) if hi is None else hi
    i = bisect_left(keys, text, lo, hi)
    best = 0
    for key in keys[max(lo, i - 1) : min(hi, i + 1)]:
        m, most = shared, min(len(key), len(text))
        while m < most and key[m] == text[m]:
            m += 1
        best = max(best, m)
    return best


def derive_sets(
    keys: list[str], zipf: dict[str, int], flagged: frozenset[str]
) -> tuple[frozenset[str], dict[str, int], frozenset[str]]:
    """The beginnings of the sorted ``keys`` (up to :data:`PREFIX_LENGTH`), where the keys with
    each full-length beginning lie, and the forms that may begin a compound.

    >>> prefixes, spans, modifiers = derive_sets(["barn", "barnet", "bil"], {"barn": 50, "bil": 20}, frozenset())
    >>> sorted(prefixes)[:5], sorted(modifiers)
    (['b', 'ba', 'bar', 'barn', 'barne'], ['barn'])
    >>> spans["barne"] >> SPAN_BITS, spans["barne"] & SPAN_MASK
    (1, 2)
    """
    spans: dict[str, int] = {}
    for i, key in enumerate(keys):
        if len(key) >= PREFIX_LENGTH:
            head = key[:PREFIX_LENGTH]
            spans[head] = spans.get(head, i << SPAN_BITS) & ~SPAN_MASK | (i + 1)
    longest = set(spans).union(k for k in keys if len(k) < PREFIX_LENGTH)  # (one string object per beginning)
    prefixes = frozenset(itertools.chain(longest, (p[:n] for p in longest for n in range(1, len(p)))))
    modifiers = frozenset(itertools.chain((w for w, z in zipf.items() if z >= MODIFIER_MIN_ZIPF), flagged))
    return prefixes, spans, modifiers


def build_index(zipf: dict[str, int], skeletons: dict[str, str]) -> Index:
    """The sorted keys and the common-form index of a lexicon (see :class:`Lexicon`).

    >>> build_index({"bord": 40, "stöd": 45, "förvaltning": 45, "bostäder": 30}, {"stod": "stöd"})
    (['bord', 'bostäder', 'förvaltning', 'stod', 'stöd'], {'forvaltning': ('förvaltning',), 'bostader': ('bostäder',)}, (['bostader', 'forvaltning'], ['gnintlavrof', 'redatsob']))
    """
    common: dict[str, list[str]] = {}
    for w, z in zipf.items():
        if COMMON_MIN_ZIPF <= z <= COMMON_MAX_ZIPF and len(w) >= COMMON_MIN_LENGTH:
            common.setdefault(skeleton(w), []).append(w)
    ends = sorted(common), sorted(k[::-1] for k in common)
    return sorted([*zipf, *skeletons]), {k: tuple(v) for k, v in common.items()}, ends


def read_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon artifact written by ``scripts/build_repair_model.py``."""
    text = gzip.decompress(Path(path).read_bytes()).decode("utf-8")
    zipf: dict[str, int] = {}
    flags: dict[str, frozenset[str]] = {}
    keys: list[str] = []
    values: list[str] = []
    for line in text.split("\n"):
        kind, _, rest = line.partition("\t")
        if kind == "S":
            keys = rest.split(" ")
        elif kind == "V":
            values = rest.split("|")
        elif kind[:1] == "Z":
            zipf.update(dict.fromkeys(rest.split(" "), int(kind[1:])))
        elif kind[:1] == "F":
            flags[kind[1:]] = frozenset(rest.split(" "))
    skeletons = dict(zip(keys, values, strict=True))
    return Lexicon(zipf, flags, skeletons)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The shipped lexicon, loaded once per process (~170 MB with its search index).

    The first load parses the gzip text artifact and builds the index (1-1.5 s) and leaves a ``marshal``
    copy in the user's cache folder (``$MRTEXT_CACHE_DIR``, else ``$XDG_CACHE_HOME/mrtext``
    or ``~/.cache/mrtext``; ``MRTEXT_CACHE_DIR=""`` turns this off), keyed by the artifact's
    hash and the Python version; later loads read that copy, about 40 % faster. A cache that
    cannot be read or written is simply ignored.
    """
    path = Path(str(files("mrtext") / "data" / "repair" / "lexicon.txt.gz"))
    cache = _cache_file(path)
    if cache is not None and cache.is_file():
        try:
            zipf, flags, skeletons, keys, common, ends, prefixes, spans, modifiers = marshal.loads(cache.read_bytes())
            return Lexicon(
                zipf,
                {k: frozenset(v) for k, v in flags.items()},
                skeletons,
                (keys, common, ends),
                (prefixes, spans, modifiers),
            )
        except (OSError, ValueError, EOFError, TypeError):
            pass
    lex = read_lexicon(path)
    if cache is not None:
        flags_out = {"P": tuple(lex.proper), "X": tuple(lex.begin), "Z": tuple(lex.only_compound)}
        with contextlib.suppress(OSError, ValueError):
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            cached = (
                lex.zipf,
                flags_out,
                lex._skel,
                lex.keys,
                lex.common,
                lex.common_ends,
                lex.prefixes,
                lex.spans,
                lex.modifiers,
            )
            tmp.write_bytes(marshal.dumps(cached))
            tmp.replace(cache)
            for stale in cache.parent.glob("lexicon*-*.marshal"):
                if stale != cache:
                    stale.unlink()  # copies of older artifacts
    return lex


@lru_cache(maxsize=8)
def file_digest(path: Path) -> str:
    """SHA-1 of a file's bytes (a cache key, not security), computed once per process."""
    return hashlib.sha1(path.read_bytes()).hexdigest()


def _cache_file(artifact: Path) -> Path | None:
    setting = os.environ.get("MRTEXT_CACHE_DIR")
    if setting == "":
        return None
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mrtext"
    root = Path(setting) if setting else default
    try:
        digest = file_digest(artifact)[:16]
    except OSError:
        return None
    return root / f"lexicon5-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
