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
import marshal
import os
import sys
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

    Attributes:
        keys: every form and skeleton, sorted (a string no key begins with begins no word).
        common: skeleton → the common forms with it (see :data:`COMMON_MIN_ZIPF`).
        common_ends: the skeletons of :attr:`common` sorted, and sorted reversed (for their
            beginnings and endings).
    """

    __slots__ = ("_skel", "begin", "common", "common_ends", "keys", "only_compound", "proper", "zipf")

    def __init__(
        self,
        zipf: dict[str, int],
        flags: dict[str, frozenset[str]],
        skeletons: dict[str, str],
        index: Index | None = None,
    ) -> None:
        self.zipf = zipf
        self.proper = flags.get("P", frozenset())
        self.begin = flags.get("X", frozenset())
        self.only_compound = flags.get("Z", frozenset())
        self._skel = skeletons
        self.keys, self.common, self.common_ends = index or build_index(zipf, skeletons)

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
        """May ``word`` begin a compound (flagged by hunspell, compound-only, or a common word)?"""
        return word in self.begin or word in self.only_compound or self.zipf.get(word, 0) >= 30


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
            zipf, flags, skeletons, keys, common, ends = marshal.loads(cache.read_bytes())
            return Lexicon(zipf, {k: frozenset(v) for k, v in flags.items()}, skeletons, (keys, common, ends))
        except (OSError, ValueError, EOFError, TypeError):
            pass
    lex = read_lexicon(path)
    if cache is not None:
        flags_out = {"P": tuple(lex.proper), "X": tuple(lex.begin), "Z": tuple(lex.only_compound)}
        with contextlib.suppress(OSError, ValueError):
            cache.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((lex.zipf, flags_out, lex._skel, lex.keys, lex.common, lex.common_ends)))
            tmp.replace(cache)
            for stale in cache.parent.glob("lexicon*-*.marshal"):
                if stale != cache:
                    stale.unlink()  # copies of older artifacts
    return lex


def _cache_file(artifact: Path) -> Path | None:
    setting = os.environ.get("MRTEXT_CACHE_DIR")
    if setting == "":
        return None
    default = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mrtext"
    root = Path(setting) if setting else default
    try:
        digest = hashlib.sha1(artifact.read_bytes()).hexdigest()[:16]  # a cache key, not security
    except OSError:
        return None
    return root / f"lexicon3-{digest}-py{sys.version_info[0]}{sys.version_info[1]}.marshal"
