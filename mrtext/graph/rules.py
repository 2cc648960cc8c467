"""Relation rules as data: loading ``rules/*.json`` and compiling cue phrases.

The rules are reviewable JSON (see ``mrtext/graph/rules/relations.json``); this module only turns
cue phrases into OCR-tolerant patterns over :func:`mrtext.graph.textmap.skeleton` text.

>>> rs = load_rules()
>>> sorted({r.type for r in rs.rules}) == sorted(["replaces", "references", "responds_to", "part_of"])
True
>>> bool(compile_cue("ersätter").search(skeleton("Handlingsplanen ersétter programmet")))
True
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from mrtext.errors import InputFileError
from mrtext.graph.textmap import skeleton
from mrtext.model import RELATION_TYPES

__all__ = ["DocPattern", "Rule", "RuleSet", "compile_cue", "load_rules", "swedish_date", "trie_pattern"]

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "januari"),
            ("feb", "februari"),
            ("mar", "mars"),
            ("apr", "april"),
            ("maj",),
            ("jun", "juni"),
            ("jul", "juli"),
            ("aug", "augusti"),
            ("sep", "sept", "september"),
            ("okt", "oktober"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}


def swedish_date(text: str) -> str:
    """ISO form of a Swedish date (``den 24 mars 2010`` → ``2010-03-24``); other text is returned as is.

    >>> swedish_date("den 24 mars 2010"), swedish_date("2020-01-27"), swedish_date("3 dec. 2017")
    ('2010-03-24', '2020-01-27', '2017-12-03')
    """
    m = re.fullmatch(r"(?:den\s+)?(\d{1,2})\s+([a-zåäö]+)\.?\s+(\d{4})", text.strip().lower())
    if m and m.group(2) in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
    return text.strip()


@dataclass(slots=True)
class DocPattern:
    """A cited document the extraction does not label (a decision, minutes, an official report)."""

    id: str
    pattern: re.Pattern[str]
    title: str
    doc_type: str = "other"
    label: str = "DOCUMENT"
    description: str = ""
    anchor: re.Pattern[str] | None = None
    window: int = 120
    literals: tuple[str, ...] = ()

    def finditer(self, text: str) -> list[re.Match[str]]:
        """All non-overlapping matches in ``text`` (only tried around the anchor, when there is one, and
        only in a text containing one of the pattern's ``literals``: a substring test is far cheaper than
        a regular-expression scan, and most texts cite few of these documents)."""
        if self.literals and not any(lit in text for lit in self.literals):
            return []
        if self.anchor is None:
            return list(self.pattern.finditer(text))
        out: list[re.Match[str]] = []
        for a in self.anchor.finditer(text):
            lo = max(0, a.start() - self.window, out[-1].end() if out else 0)
            for m in self.pattern.finditer(text, lo, min(len(text), a.end() + self.window)):
                if m.start() <= a.start() < m.end() and (not out or m.start() >= out[-1].end()):
                    out.append(m)
                    break
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], shared: dict[str, str]) -> DocPattern:
        """Compile a pattern entry, substituting the shared sub-patterns ``{NAME}``."""
        src = d["pattern"]
        for name, sub in shared.items():
            src = src.replace("{" + name + "}", sub)
        try:
            pat = re.compile(src)
        except re.error as exc:
            raise InputFileError(f"document pattern {d.get('id')!r}: {exc}") from exc
        return cls(
            id=d["id"],
            pattern=pat,
            title=d["title"],
            doc_type=d.get("doc_type", "other"),
            label=d.get("label", "DOCUMENT"),
            description=d.get("description", ""),
            anchor=re.compile(d["anchor"]) if d.get("anchor") else None,
            window=int(d.get("window", 120)),
            literals=tuple(d.get("literals", ())),
        )

    def render(self, m: re.Match[str]) -> str:
        """The title of a match: ``{group}`` is the group's text (dates in ISO form), ``{group:prefix}``
        the prefix and the text only when the group matched.

        >>> p = DocPattern("x", re.compile(r"(?P<organ>\\w+s) protokoll (?P<date>.+?)(?: § (?P<para>\\d+))?$"),
        ...                "{organ} protokoll {date}{para: § }")
        >>> p.render(p.pattern.match("Kommunstyrelsens protokoll den 3 maj 2019"))
        'Kommunstyrelsens protokoll 2019-05-03'
        """
        groups = {k: (v or "") for k, v in m.groupdict().items()}
        if groups.get("date"):
            groups["date"] = swedish_date(groups["date"])

        def sub(t: re.Match[str]) -> str:
            value = " ".join(groups.get(t.group(1), "").split())
            return (t.group(2) or "") + value if value else ""

        title = re.sub(r"\{(\w+)(?::([^}]*))?\}", sub, self.title).strip()
        return title[:1].upper() + title[1:]


ROLES = (
    "document",
    "subject",
    "before",
    "after",
    "antecedent",
    "items",
    "item_dnr",
    "case",
    "own_dnr",
    "serial",
    "mentions",
    "phrase",
    "item",
    "answer",
    "subject_title",
    "header_document",
    "title_named",
    "current",
    "own_case",
)
SCOPES = ("header", "sentence", "list", "document")


def trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words``, factored into a prefix tree.

    Python's ``re`` tries the branches of an alternation one by one at every position; factored by
    common prefixes (``ersätt(?:er|s)``), a failing position is given up after a character or two,
    so one scan for a few hundred cue words costs about what a scan for one does (a precompiled cue
    automaton).

    >>> trie_pattern(["ersätter", "ersätts", "ingår"])
    '(?:ersätt(?:er|s)|ingår)'
    >>> bool(re.fullmatch(trie_pattern(["a", "ab"]), "ab"))
    True
    """
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        end = "" in node
        branches = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        # a single chain of characters stays flat: "ingår" rather than "i(?:n(?:g…"
        body = branches[0] if len(branches) == 1 and not end else "(?:" + "|".join(branches) + ")"
        return body + ("?" if end else "")

    return "(?:" + "|".join(re.escape(ch) + emit(sub) for ch, sub in sorted(tree.items()) if ch) + ")"


def compile_cue(phrase: str) -> re.Pattern[str]:
    """Compile a cue phrase for matching on skeleton text.

    ``word*`` matches any ending, ``...`` up to six words in between.

    >>> bool(compile_cue("kommer ... att ersätta").search(skeleton("kommer på sikt att ersétta")))
    True
    >>> bool(compile_cue("ersätter").search(skeleton("ersättervis")))
    False
    """
    parts: list[str] = []
    anchored = phrase.startswith("^")
    for word in phrase.lstrip("^").split():
        if word == "...":
            parts.append(r"(?:\S+\s+){0,6}?")
            continue
        star = word.endswith("*")
        body = re.escape(skeleton(word.rstrip("*")))
        parts.append(body + (r"\w*" if star else "") + r"\s+")
    pattern = "".join(parts)
    pattern = pattern[: -len(r"\s+")] if pattern.endswith(r"\s+") else pattern
    start = r"(?:^|(?<=\n))[ \t]*(?:(?:\d{1,2}[.)]?|[-–•*»·▪◦\uf0b7\uf0a7])[ \t]+)?" if anchored else r"(?<!\w)"
    return re.compile(start + pattern + r"(?!\w)")


@dataclass(slots=True)
class Rule:
    """One cue rule: when a cue matches in ``scope``, link ``source`` to ``target`` with ``type``."""

    id: str
    type: str
    cues: list[str]
    scope: str
    source: str
    target: str
    confidence: float
    labels: list[str] | None = None
    source_labels: list[str] | None = None
    exclude_doc_types: list[str] | None = None
    item_skip_labels: list[str] | None = None
    fallback_source: str | list[str] | None = None
    fallback_target: str | list[str] | None = None
    source_heads: list[str] | None = None
    skip_subject: bool = False
    target_heads: list[str] | None = None
    target_type: str | None = None
    source_type: str | None = None
    target_title: str | None = None
    phrase_title: str | None = None
    max_targets: int | None = None
    item_template: str | None = None
    item_kind: str = "program"
    doc_types: list[str] | None = None
    agenda: bool | None = None
    in_title: bool = False
    item_start: bool = False
    same_head: bool = False
    titled_phrase: bool = False
    once_per_source: bool = False
    phrase_tail: list[str] | None = None
    requires_near: list[str] | None = None
    phrase_from: list[str] | None = None
    source_title: str | None = None
    description: str = ""
    patterns: list[re.Pattern[str]] = field(default_factory=list, repr=False)
    item_patterns: list[re.Pattern[str] | None] = field(default_factory=list, repr=False)
    tail_pattern: re.Pattern[str] | None = field(default=None, repr=False)
    near_patterns: list[re.Pattern[str]] = field(default_factory=list, repr=False)
    from_pattern: re.Pattern[str] | None = field(default=None, repr=False)
    first_words: list[tuple[str, bool]] = field(default_factory=list, repr=False)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Rule:
        """Build and validate a rule from its JSON object."""
        known = {f.name for f in fields(cls) if f.repr}  # compiled forms (repr=False) are not settings
        unknown = set(d) - known
        if unknown:
            raise InputFileError(f"relation rule {d.get('id')!r}: unknown keys {sorted(unknown)}")
        rule = cls(**d)
        if rule.type not in RELATION_TYPES:
            raise InputFileError(f"relation rule {rule.id!r}: unknown type {rule.type!r}")
        if rule.scope not in SCOPES:
            raise InputFileError(f"relation rule {rule.id!r}: unknown scope {rule.scope!r}")
        for role in (rule.source, rule.target, *rule.fallbacks(True), *rule.fallbacks(False)):
            if role not in ROLES:
                raise InputFileError(f"relation rule {rule.id!r}: unknown role {role!r}")
        rule.patterns = [compile_cue(c) for c in rule.cues]
        # a heading cue (^) may also start an agenda item in the middle of a flattened line ("… 5. Motion av …")
        rule.item_patterns = [compile_cue(c.lstrip("^")) if c.startswith("^") else None for c in rule.cues]
        if rule.phrase_tail:
            tails = "|".join(compile_cue(t).pattern for t in rule.phrase_tail)
            rule.tail_pattern = re.compile(r"[\s,;:(–-]+(?:" + tails + r")\)?[\s.]*$")
        rule.near_patterns = [compile_cue(c) for c in rule.requires_near or []]
        if rule.phrase_from:
            rule.from_pattern = re.compile("|".join(compile_cue(c).pattern for c in rule.phrase_from))
        # the first word of each cue (skeleton form; True = a prefix), to find candidate positions fast
        rule.first_words = [
            (skeleton(c.lstrip("^").split()[0].rstrip("*")), c.lstrip("^").split()[0].endswith("*")) for c in rule.cues
        ]
        return rule

    def fallbacks(self, source: bool) -> list[str]:
        """The fallback roles of the source (or target), tried in order when the main role finds nothing.

        >>> Rule("x", "references", [], "sentence", "before", "after", 0.5, fallback_target=["own_dnr", "phrase"]).fallbacks(False)
        ['own_dnr', 'phrase']
        """
        roles = self.fallback_source if source else self.fallback_target
        return [roles] if isinstance(roles, str) else list(roles or [])


@dataclass(slots=True)
class RuleSet:
    """All rules plus the shared settings of a rules file."""

    rules: list[Rule]
    mention_labels: list[str]
    subject_cues: Rule
    subject_aliases: frozenset[str]
    exclusions: list[re.Pattern[str]]
    exclusion_window: int = 60
    dnr_attach_window: int = 16
    header_chars: int = 400
    title_chars: int = 250
    item_dnr_window: int = 160
    phrase_stops: re.Pattern[str] | None = None
    not_cited: re.Pattern[str] | None = None
    serial_pattern: re.Pattern[str] = re.compile(r"\((?:19|20)\d\d:\d+\)")
    documents: list[DocPattern] = field(default_factory=list)
    self_kinds: dict[str, list[str]] = field(default_factory=dict)
    agenda_heading: re.Pattern[str] | None = None
    own_number_cues: list[re.Pattern[str]] = field(default_factory=list)
    item_start: re.Pattern[str] = re.compile(r"(?:^|\n)[ \t]*$")
    item_break: re.Pattern[str] | None = None
    first_word_re: re.Pattern[str] = field(default=re.compile(r"(?!)"), repr=False)
    exact_first: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    prefix_first: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    _by_prefix: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)
    _prefix_lengths: tuple[int, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        # one scan of a text finds every word that can start a cue; the maps say which rule's
        # which pattern may start there (rule index len(rules) = the subject cues)
        for ri, rule in enumerate([*self.rules, self.subject_cues]):
            for pi, (word, prefix) in enumerate(rule.first_words):
                if prefix:
                    self.prefix_first.append((word, ri, pi))
                else:
                    self.exact_first.setdefault(word, []).append((ri, pi))
        for word, ri, pi in self.prefix_first:
            self._by_prefix.setdefault(word, []).append((ri, pi))
        self._prefix_lengths = tuple(sorted({len(w) for w in self._by_prefix}))
        firsts = sorted(set(self.exact_first) | {w for w, _, _ in self.prefix_first}, key=len, reverse=True)
        if firsts:
            self.first_word_re = re.compile(r"(?<!\w)" + trie_pattern(firsts) + r"\w*")

    def cue_candidates(self, skel: str) -> dict[int, list[tuple[int, int]]]:
        """Rule index → (pattern index, position) pairs where that rule's cue may start in ``skel``."""
        out: dict[int, list[tuple[int, int]]] = {}
        exact, by_prefix, lengths = self.exact_first, self._by_prefix, self._prefix_lengths
        for m in self.first_word_re.finditer(skel):
            w, pos = m.group(), m.start()
            for ri, pi in exact.get(w, ()):
                out.setdefault(ri, []).append((pi, pos))
            for n in lengths:  # a word starts with a prefix cue: look its prefixes up, not every cue
                if n > len(w):
                    break
                for ri, pi in by_prefix.get(w[:n], ()):
                    out.setdefault(ri, []).append((pi, pos))
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any], documents: dict[str, Any] | None = None) -> RuleSet:
        """Build a rule set from the JSON object of a rules file (and of its document patterns file)."""
        subject = d.get("subject", {})
        agenda = d.get("agenda", {})
        docs = documents or {}
        shared = docs.get("shared", {})
        return cls(
            rules=[Rule.from_dict(r) for r in d["rules"]],
            mention_labels=list(d.get("mention_labels", ["PROGRAM", "DIARY_NUMBER"])),
            subject_cues=Rule.from_dict(
                {
                    "id": "subject",
                    "type": "references",
                    "cues": subject.get("cues", []),
                    "scope": "sentence",
                    "source": "document",
                    "target": "after",
                    "confidence": 1.0,
                }
            ),
            subject_aliases=frozenset(a.lower() for a in subject.get("aliases", [])),
            exclusions=[compile_cue(c) for c in d.get("exclusions", [])],
            exclusion_window=int(d.get("exclusion_window", 60)),
            dnr_attach_window=int(d.get("dnr_attach_window", 16)),
            header_chars=int(d.get("header_chars", 400)),
            title_chars=int(d.get("title_chars", 250)),
            item_dnr_window=int(d.get("item_dnr_window", 160)),
            phrase_stops=_stop_words(d.get("phrase_stops", [])),
            not_cited=_title_words(d.get("not_cited", [])),
            serial_pattern=re.compile(d.get("serial_pattern", r"\(((?:19|20)\d\d:\d+)\)")),
            documents=[DocPattern.from_dict(p, shared) for p in docs.get("patterns", [])],
            self_kinds={k: list(v) for k, v in d.get("self_reference", {}).get("kinds", {}).items()},
            agenda_heading=_title_words(agenda.get("headings", [])),
            own_number_cues=[compile_cue(c) for c in d.get("own_number_cues", [])],
            item_start=re.compile(agenda.get("item_start", r"(?:^|\n)[ \t]*$")),
            item_break=re.compile(agenda["item_break"]) if agenda.get("item_break") else None,
        )


def _stop_words(words: list[str]) -> re.Pattern[str] | None:
    """A pattern for the (case-sensitive) words that end a ``phrase``: protocol headings such as ``Beslut``.

    >>> _stop_words(["Beslut", "Ärendet"]).search("Remissvar X Beslut Utskottet").start()
    12
    """
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)")


def _title_words(stems: list[str]) -> re.Pattern[str] | None:
    """A pattern for titles that contain a word starting with one of ``stems`` (case-insensitive).

    >>> bool(_title_words(["budget", "deklaration"]).search("Mål och budget 2018"))
    True
    """
    if not stems:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, stems)) + r")", re.IGNORECASE)


def _read(path: str | None, name: str) -> dict[str, Any]:
    try:
        if path is None:
            text = resources.files("mrtext.graph").joinpath(f"rules/{name}").read_text(encoding="utf-8")
        else:
            text = (Path(path).parent / name if name != Path(path).name else Path(path)).read_text(encoding="utf-8")
        data: dict[str, Any] = json.loads(text)
    except OSError as exc:
        raise InputFileError(f"{path or name}: cannot read relation rules: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise InputFileError(f"{path or name}: not valid JSON: {exc}") from exc
    return data


@lru_cache(maxsize=8)
def _load(path: str | None) -> RuleSet:
    main = _read(path, Path(path).name if path else "relations.json")
    docs_name = main.get("document_patterns")
    docs = _read(path, docs_name) if docs_name else None
    try:
        return RuleSet.from_dict(main, docs)
    except (KeyError, TypeError) as exc:
        raise InputFileError(f"{path or 'relations.json'}: not a valid rules file: {exc}") from exc


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Load a rules file (default: the packaged ``rules/relations.json``); cached per path."""
    return _load(None if path is None else str(path))
