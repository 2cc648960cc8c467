"""Entity resolution: one graph node per real document or program, however it is written.

References collected from all documents (:class:`~mrtext.graph.keys.NodeRef`) are merged with a
union-find in order of evidence strength:

1. the same corpus document id;
2. the same diary number, compared on its numeric core (``Dnr 434-21/2017`` = ``dnr KS 434-21/2017``)
   when the core occurs with at most one authority code;
3. the same title key (case, years, punctuation and a leading ``Stockholms stads`` removed);
4. similar title keys (rapidfuzz), compared only within blocks that share the kind of document
   (program / handlingsplan / strategi …) and a rare word, so the work is not quadratic;
5. acronym aliases (``MR-programmet`` → the program whose content words start with M, R).

A merge is refused when it would join two corpus documents, two different diary numbers or two
different periods (``… 2013-2016`` vs ``… 2018-2022``).

>>> r = Resolver()
>>> for k in ["program:Program för ett jämställt Stockholm 2018-2022 | dnr:434-21/2017",
...           "dnr:KS 434-21/2017", "program:Stockholms stads program för ett jämställt Stockholm"]:
...     _ = r.add(k)
>>> len(set(r.resolve().values()))
1
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz, process

from mrtext.graph.keys import (
    NodeRef,
    acronym,
    dnr_authority,
    dnr_core,
    document_role,
    head_word,
    normalise_dnr,
    parse_ref,
    title_key,
    title_years,
)
from mrtext.graph.textmap import skeleton

__all__ = ["Item", "Resolver", "titles_match"]

_ALIAS = re.compile(r"^([a-zåäö]{2,6})\s+(program|plan|strategi|policy|handlingsplan)\w*$")
_STOP = frozenset(
    [
        "för",
        "de",
        "det",
        "den",
        "ett",
        "en",
        "och",
        "i",
        "av",
        "om",
        "mot",
        "med",
        "till",
        "på",
        "att",
        "samt",
        "stad",
        "stads",
        "kommun",
        "kommuns",
    ]
)
_STOP_SKELETONS = frozenset(skeleton(w) for w in _STOP)


def titles_match(a: str, b: str, *, threshold: float = 88.0) -> bool:
    """Whether two title keys name the same document (same head word, similar wording).

    >>> titles_match("program för de mänskliga rättigheterna", "program för mänskliga rättigheter")
    True
    >>> titles_match("program för ett jämställt stockholm", "handlingsplan för ett jämställt stockholm")
    False
    >>> titles_match("program för ett jämställt stockholm", "program för ett tillgängligt stockholm")
    False
    >>> titles_match("svar på motion av eva om cykelbanor", "motion av eva om cykelbanor")
    False
    """
    if head_word(a) != head_word(b) or document_role(a) != document_role(b):
        return False
    if fuzz.token_sort_ratio(a, b) >= threshold:
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short.split()) >= 5 and fuzz.token_set_ratio(short, long_) >= 96


def _similar_pairs(block: list[str], threshold: float) -> list[tuple[int, int]]:
    """Index pairs (i < j) of a block whose titles may match: one vectorised rapidfuzz pass per scorer."""
    if len(block) < 24:  # small blocks: every pair (titles_match decides); numpy would only add overhead
        return [(i, j) for i in range(len(block)) for j in range(i + 1, len(block))]
    sort = process.cdist(block, block, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, dtype=np.uint8)
    subset = process.cdist(block, block, scorer=fuzz.token_set_ratio, score_cutoff=96, dtype=np.uint8)
    ii, jj = np.nonzero(np.triu((sort > 0) | (subset > 0), k=1))
    return list(zip(ii.tolist(), jj.tolist(), strict=True))


@dataclass(slots=True)
class Item:
    """One distinct reference, and what resolution knows about it."""

    key: str
    ref: NodeRef
    title: str | None = None
    dnr: str | None = None
    doc_id: str | None = None
    doc_type: str | None = None
    date: str | None = None
    path: str | None = None
    count: int = 0
    attrs: dict[str, object] = field(default_factory=dict)


class _Component:
    __slots__ = ("cores", "doc", "years")

    def __init__(self, doc: str | None, cores: set[str], years: set[int]) -> None:
        self.doc = doc
        self.cores = cores
        self.years = years


class Resolver:
    """Collects references with :meth:`add`, then :meth:`resolve` maps every key to a cluster id."""

    def __init__(self, *, threshold: float = 88.0) -> None:
        self.items: dict[str, Item] = {}
        self.threshold = threshold
        self._parent: dict[str, str] = {}
        self._comp: dict[str, _Component] = {}

    # -- collecting -------------------------------------------------------------------------
    def add(self, key: str, **info: object) -> Item:
        """Register a reference (a node-reference string); ``info`` adds document metadata."""
        item = self.items.get(key)
        if item is None:
            ref = parse_ref(key)
            dnr = normalise_dnr(ref.diary_number) if ref.diary_number else None
            title = ref.value if ref.kind in {"program", "external"} else None
            item = Item(key=key, ref=ref, title=title, dnr=dnr, doc_type=ref.doc_type)
            if ref.kind == "doc":
                item.doc_id = ref.value
            self.items[key] = item
        item.count += 1
        for name, value in info.items():
            if value is not None and hasattr(item, name) and name not in {"key", "ref", "count", "attrs"}:
                setattr(item, name, normalise_dnr(str(value)) if name == "dnr" else value)
            elif value is not None:
                item.attrs[name] = value
        return item

    # -- union-find -------------------------------------------------------------------------
    def _find(self, k: str) -> str:
        parent = self._parent
        root = k
        while parent[root] != root:
            root = parent[root]
        while parent[k] != root:
            parent[k], k = root, parent[k]
        return root

    def _union(self, a: str, b: str) -> bool:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return True
        ca, cb = self._comp[ra], self._comp[rb]
        if ca.doc and cb.doc and ca.doc != cb.doc:
            return False
        if ca.cores and cb.cores and not (ca.cores & cb.cores):
            return False
        if ca.years and cb.years and not (ca.years & cb.years):
            return False
        if len(ca.cores) + len(ca.years) < len(cb.cores) + len(cb.years):
            ra, rb, ca, cb = rb, ra, cb, ca
        self._parent[rb] = ra
        ca.doc = ca.doc or cb.doc
        ca.cores |= cb.cores
        ca.years |= cb.years
        del self._comp[rb]
        return True

    def _union_all(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        for k in keys[1:]:
            self._union(keys[0], k)

    # -- resolution -------------------------------------------------------------------------
    def resolve(self) -> dict[str, str]:
        """Map every added key to the key of its cluster's representative."""
        self._parent = {k: k for k in self.items}
        self._comp = {}
        for k, it in self.items.items():
            years = set(title_years(it.title)) if it.title else set()
            self._comp[k] = _Component(it.doc_id, {dnr_core(it.dnr)} if it.dnr else set(), years)
        self._by_doc()
        self._by_dnr()
        keyed = self._by_title()
        self._by_fuzzy_title(keyed)
        self._by_acronym(keyed)
        return {k: self._find(k) for k in self.items}

    def _by_doc(self) -> None:
        groups: dict[str, list[str]] = defaultdict(list)
        for k, it in self.items.items():
            if it.doc_id:
                groups[it.doc_id].append(k)
        for keys in groups.values():
            self._union_all(keys)

    def _by_dnr(self) -> None:
        by_core: dict[str, dict[str | None, list[str]]] = defaultdict(lambda: defaultdict(list))
        for k, it in self.items.items():
            if it.dnr:
                by_core[dnr_core(it.dnr)][dnr_authority(it.dnr)].append(k)
        for groups in by_core.values():
            authorities = [a for a in groups if a is not None]
            if len(authorities) <= 1:
                self._union_all(k for keys in groups.values() for k in keys)
            else:  # the same number at two authorities: two cases; a bare number stays apart
                for a in authorities:
                    self._union_all(groups[a])

    def _by_title(self) -> dict[str, list[str]]:
        keyed: dict[str, list[str]] = defaultdict(list)
        for k, it in self.items.items():
            if it.title and (it.ref.kind == "program" or it.doc_type == "program" or it.ref.kind == "external"):
                tk = title_key(it.title)
                if tk:
                    keyed[tk].append(k)
        for keys in keyed.values():
            self._union_group(keys)
        return keyed

    def _union_group(self, keys: list[str], *, tries: int = 8) -> None:
        """Merge items sharing a title key, except where periods, numbers or documents conflict.

        Items naming a period go first, so a title without years joins an existing node. Each item
        is tried against a few of the group's current clusters (those with its own period first),
        which keeps large groups linear.
        """
        keys.sort(key=lambda k: (not self._comp[self._find(k)].years, k))
        reps: dict[frozenset[int], list[str]] = defaultdict(list)
        for k in keys:
            years = frozenset(self._comp[self._find(k)].years)
            candidates = reps[years] if years else [r for rs in reps.values() for r in rs[:2]]
            for r in candidates[:tries]:
                if self._union(r, k):
                    break
            else:
                reps[years].append(k)

    def _by_fuzzy_title(self, keyed: dict[str, list[str]]) -> None:
        df: Counter[str] = Counter()
        tokens_of: dict[str, list[str]] = {}
        for tk in keyed:
            # OCR-tolerant tokens, so that "jamstallt" and "jämställt" share a block
            toks = list({skeleton(t) for t in tk.split() if t not in _STOP and len(t) > 2} - _STOP_SKELETONS)
            tokens_of[tk] = toks
            df.update(toks)
        index: dict[tuple[str, str], list[str]] = defaultdict(list)
        for tk, toks in tokens_of.items():
            for t in sorted(toks, key=lambda t: (df[t], t))[:2]:
                index[(head_word(tk), t)].append(tk)
        for block in index.values():
            if len(block) < 2 or len(block) > 200:  # huge blocks are common words, not evidence
                continue
            for i, j in _similar_pairs(block, self.threshold):
                a, b = block[i], block[j]
                if self._find(keyed[a][0]) != self._find(keyed[b][0]) and titles_match(a, b, threshold=self.threshold):
                    self._union(keyed[a][0], keyed[b][0])

    def _by_acronym(self, keyed: dict[str, list[str]]) -> None:
        by_acr: dict[tuple[str, str], set[str]] = defaultdict(set)
        aliases = []
        for tk in keyed:
            m = _ALIAS.match(tk)
            if m:
                aliases.append((tk, m.group(1), head_word(m.group(2))))
            else:
                by_acr[(head_word(tk), acronym(tk))].add(self._find(keyed[tk][0]))
        for tk, letters, head in aliases:
            roots = {self._find(r) for r in by_acr.get((head, letters), set())}
            if len(roots) == 1:
                self._union(next(iter(roots)), keyed[tk][0])
