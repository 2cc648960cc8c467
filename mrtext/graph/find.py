"""Find relations in one document: a small engine that applies the cue rules of :mod:`mrtext.graph.rules`.

Input is a :class:`~mrtext.model.DocumentRecord` (entities with offsets into the original text) plus
that text. Cues are matched on an OCR-tolerant skeleton of the repaired text when a repair is
available (``ersätter`` also matches the scan's ``ersétter``), and every evidence span is mapped back
to the original. Endpoints are node references (:mod:`mrtext.graph.keys`); resolving them to graph
nodes across documents is :mod:`mrtext.graph.resolve`'s job.

>>> from mrtext.model import DocumentRecord, Entity
>>> text = "Handlingsplanen ersätter Program för ett jämställt Stockholm 2018-2022 (dnr KS 434-21/2017)."
>>> ents = [Entity("PROGRAM", "Program för ett jämställt Stockholm 2018-2022", 25, 70,
...                "Program för ett jämställt Stockholm 2018-2022"),
...         Entity("DIARY_NUMBER", "dnr KS 434-21/2017", 72, 90, "KS 434-21/2017")]
>>> rec = DocumentRecord(id="004", title="Handlingsplan för ett jämställt Stockholm 2030", doc_type="program",
...                      entities=ents)
>>> [(r.type, r.source, r.target) for r in find_relations(rec, text)]
[('replaces', 'doc:004', 'program:Program för ett jämställt Stockholm 2018-2022 | dnr:KS 434-21/2017')]
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from rapidfuzz import fuzz

from mrtext.graph.keys import (
    CASE_DOC_TYPES,
    NodeRef,
    dnr_core,
    head_word,
    normalise_dnr,
    parse_ref,
    title_key,
    title_years,
)
from mrtext.graph.resolve import titles_match
from mrtext.graph.rules import Rule, RuleSet, load_rules
from mrtext.graph.textmap import TextMap, skeleton
from mrtext.model import DocumentRecord, Relation

__all__ = ["Mention", "find_relations", "list_items", "sentence_spans"]

log = logging.getLogger("mrtext.graph")

_SENTENCE_GAP = re.compile(r"[.!?]\s|\n[ \t]*\n")
_KIND_OF_REF = {"doc": "document", "program": "program", "dnr": "external", "external": "external"}
_BULLET = re.compile(r"^[ \t]*(?:[-–•*»·▪◦\uf0b7\uf0a7]|[eo](?=\s+[A-ZÅÄÖ])|\d{1,2}[.)])[ \t]+")
_ABBREV = {"bl.a", "t.ex", "ca", "s.k", "m.m", "o.s.v", "jfr", "nr", "resp", "kap", "p", "st", "dnr"}
_SENT_END = re.compile(r"[.!?](?=\s+[\"”'(]?[A-ZÅÄÖ0-9])|:(?=[ \t]*\n)|\n[ \t]*\n")


@dataclass(slots=True)
class Mention:
    """A program or diary number the document mentions (offsets into the *work* text)."""

    start: int
    end: int
    label: str
    ref: NodeRef | None  # None: an alias of the document's subject ("programmet")
    used: bool = False


@dataclass(slots=True)
class _Endpoint:
    ref: NodeRef
    start: int
    end: int
    mention: Mention | None = None


@dataclass(slots=True)
class _Context:
    record: DocumentRecord
    text: str
    work: str
    skel: str
    tmap: TextMap
    rules: RuleSet
    mentions: list[Mention]
    sentences: list[tuple[int, int]]
    subject: NodeRef
    cues: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    agenda: bool = False
    mentions_by_end: list[Mention] = field(default_factory=list)
    mention_ends: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.mentions_by_end = sorted(self.mentions, key=lambda m: m.end)
        self.mention_ends = [m.end for m in self.mentions_by_end]

    out: dict[tuple[str, str, str], Relation] = field(default_factory=dict)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentence-like spans: ``.``/``!``/``?`` before a capital, ``:`` at a line end,
    blank lines and bulleted lines. Line breaks inside a paragraph (scans) do not split.

    >>> t = "Programmet antogs 2017. De program som ersätts är följande:\\n- Program A\\n- Program B"
    >>> [t[s:e] for s, e in sentence_spans(t)]
    ['Programmet antogs 2017.', 'De program som ersätts är följande:', '- Program A', '- Program B']
    """
    cuts = {0, len(text)}
    for m in _SENT_END.finditer(text):
        if m.group() == ".":
            word = text[max(0, m.start() - 8) : m.start()].split()[-1:] or [""]
            if word[0].lower() in _ABBREV or len(word[0]) == 1:
                continue
        cuts.add(m.end())
    pos = 0
    for line in text.splitlines(keepends=True):
        if _BULLET.match(line):
            cuts.add(pos)
        pos += len(line)
    bounds = sorted(cuts)
    spans = []
    for s, e in itertools.pairwise(bounds):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            spans.append((s, e))
    return spans


def list_items(text: str, pos: int, *, max_items: int = 40, max_words: int = 22) -> list[tuple[int, int]]:
    """Spans of the list items that follow ``pos`` (the end of a cue like ``är följande:``).

    Items are bulleted lines (``-``, ``•``, ``1.``, OCR's ``e``) or short blank-separated paragraphs;
    the list ends at the first paragraph of running prose.

    >>> t = "följande:\\n\\n- Program A (Dnr\\n1-2/2017)\\n\\n- Strategi B\\n\\nDet nya programmet gäller för alla nämnder och bolagsstyrelser i staden från och med nästa år."
    >>> [t[s:e] for s, e in list_items(t, 9)]
    ['Program A (Dnr\\n1-2/2017)', 'Strategi B']
    """
    nl = text.find("\n", pos)
    if nl < 0:
        return []
    items: list[tuple[int, int]] = []
    # paragraphs after the cue line
    for para in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", text[nl + 1 :]):
        p_start = nl + 1 + para.start()
        lines = []
        off = p_start
        for line in para.group().splitlines(keepends=True):
            lines.append((off, line))
            off += len(line)
        bulleted = [i for i, (_, ln) in enumerate(lines) if _BULLET.match(ln)]
        stop = False
        if bulleted:
            groups: list[list[tuple[int, str]]] = []
            for i, ln in enumerate(lines):
                if i in bulleted or not groups:
                    groups.append([ln])
                elif re.match(r"\s*[a-zåäö0-9(]", ln[1]):  # a wrapped item continues in lower case
                    groups[-1].append(ln)
                else:  # a capitalised line after the items: the list is over
                    stop = True
                    break
        else:
            words = para.group().split()
            if len(words) > max_words or (para.group().rstrip().endswith(".") and len(words) > 8):
                break
            if para.group().rstrip().endswith(":") and items:
                break
            groups = [lines]
        for g in groups:
            start, end = g[0][0], g[-1][0] + len(g[-1][1])
            m = _BULLET.match(g[0][1])
            if m:
                start += m.end()
            while end > start and text[end - 1].isspace():
                end -= 1
            if len(text[start:end].split()) > max_words * 2:
                return items
            if end > start:
                items.append((start, end))
        if len(items) >= max_items or stop:
            break
    return items[:max_items]


@functools.cache
def _has_repair() -> bool:
    """Whether the repair stage is installed (looked up once)."""
    return importlib.util.find_spec("mrtext.repair") is not None


def _repaired_text(text: str, record: DocumentRecord, repair: str) -> str:
    if repair == "never" or not _has_repair():
        return text
    if repair == "auto" and not record.repaired:
        return text
    import mrtext.repair as repair_mod

    fn = getattr(repair_mod, "repair", None)
    if fn is None:  # the repair stage is not (fully) installed: cues are OCR-tolerant anyway
        return text
    try:
        result: Any = fn(text)
    except Exception as exc:  # a failed repair must not lose the document's relations
        log.warning("repair failed for %s (%s); matching cues on the original text", record.id, exc)
        return text
    return str(result.text)


def _mentions(record: DocumentRecord, tmap: TextMap, rules: RuleSet) -> list[Mention]:
    out: list[Mention] = []
    for e in sorted(record.entities, key=lambda e: (e.start, -e.end)):
        if e.label not in rules.mention_labels:
            continue
        s, t = tmap.to_work(e.start), tmap.to_work(e.end)
        value = (e.value or e.text).strip()
        ref: NodeRef | None
        if e.label == "DIARY_NUMBER":
            ref = NodeRef("dnr", normalise_dnr(value))
        elif e.label == "PROGRAM":
            ref = None if value.lower() in rules.subject_aliases else NodeRef("program", " ".join(value.split()))
        else:
            ref = NodeRef("external", " ".join(value.split()))
        out.append(Mention(s, t, e.label, ref))
    taken = [(m.start, m.end) for m in out]
    own_kinds = rules.self_kinds.get(record.doc_type or "", [])
    head = tmap.work[: rules.header_chars].lower()
    for pat in rules.documents:
        for dm in pat.finditer(tmap.work):
            if any(s < dm.end() and dm.start() < t for s, t in taken):
                continue
            if _is_self(dm, own_kinds, head[: dm.start()] + " " + head[dm.end() :]):
                continue
            taken.append(dm.span())
            ref = NodeRef("external", pat.render(dm), doc_type=pat.doc_type)
            out.append(Mention(dm.start(), dm.end(), pat.label, ref))
    out.sort(key=lambda m: (m.start, -m.end))
    # "Program X (Dnr 434-21/2017)": the diary number belongs to the program named just before it
    own_dnr = dnr_core(record.diary_number) if record.diary_number else None
    kept: list[Mention] = []
    for m in out:
        prev = kept[-1] if kept else None
        if (
            m.label == "DIARY_NUMBER"
            and prev is not None
            and prev.label == "PROGRAM"
            and prev.ref is not None
            and prev.ref.diary_number is None
            and 0 <= m.start - prev.end <= rules.dnr_attach_window
            and m.ref is not None
            and dnr_core(m.ref.value) != own_dnr  # the document's own case number is not the program's
            and not _SENTENCE_GAP.search(tmap.work, prev.end, m.start)  # "… 2007-2010.\n\nDnr …" is the item's
        ):
            prev.ref = replace(prev.ref, diary_number=m.ref.value)
            prev.end = max(prev.end, m.end)
            continue
        kept.append(m)
    return kept


def _is_self(m: re.Match[str], own_kinds: list[str], head: str) -> bool:
    """A cited document of the document's own kind, by the organ its head names: the document itself."""
    groups = m.groupdict()
    kind, organ = (groups.get("kind") or "").lower(), (groups.get("organ") or "").lower()
    return bool(kind in own_kinds and organ and organ.rstrip("s") in head)


def _subject(
    record: DocumentRecord,
    skel: str,
    mentions: list[Mention],
    sentences: list[tuple[int, int]],
    rules: RuleSet,
    words: dict[int, list[tuple[int, int]]],
) -> NodeRef:
    if record.doc_type == "program":
        return NodeRef("doc", record.id)
    programs = [m for m in mentions if m.label == "PROGRAM" and m.ref is not None]
    first_sentence_end = sentences[0][1] if sentences else 0
    for m in programs:
        if m.start < first_sentence_end:
            assert m.ref is not None
            return m.ref
    for cue in _cue_matches(rules.subject_cues, skel, len(skel), words.get(len(rules.rules), [])):
        s_end = _sentence_of(sentences, cue[0])[1]
        for m in programs:
            if cue[1] <= m.start < s_end:
                assert m.ref is not None
                return m.ref
    return NodeRef("doc", record.id)


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(sentences, (pos, 1 << 62)) - 1
    if i >= 0 and sentences[i][0] <= pos < max(sentences[i][1], sentences[i][0] + 1):
        return sentences[i]
    return (pos, pos)


def _cue_matches(
    rule: Rule,
    skel: str,
    limit: int,
    candidates: list[tuple[int, int]],
    item_start: Callable[[int], bool] | None = None,
) -> list[tuple[int, int]]:
    """Spans of the rule's cues in ``skel`` at the candidate positions. A heading cue (``^``) starts a
    line, or with ``item_start`` also an agenda item inside a flattened line (``… 5. Motion av …``)."""
    found: list[tuple[int, int]] = []
    for pi, pos in candidates:
        if pos < limit:
            pat = rule.patterns[pi]
            m = pat.match(skel, pos)
            loose = rule.item_patterns[pi] if rule.item_patterns else None  # set for anchored (^) cues only
            if m is None and loose is not None and pos > 0:  # after line indentation, a number or a bullet
                m = pat.match(skel, skel.rfind("\n", 0, pos) + 1)
            if m is None and loose is not None and item_start is not None and item_start(pos):
                m = loose.match(skel, pos)
            if m:
                found.append(m.span())
    found.sort(key=lambda span: (span[0], -span[1]))
    kept: list[tuple[int, int]] = []
    for s, e in found:  # overlapping cues of one rule count once (the longest, leftmost)
        if kept and s < kept[-1][1]:
            continue
        kept.append((s, e))
    return kept


def _excluded(ctx: _Context, start: int, end: int) -> bool:
    gap = ctx.skel[start:end]
    return any(p.search(gap) for p in ctx.rules.exclusions)


def _endpoints(
    ctx: _Context, role: str | None, rule: Rule, cue: tuple[int, int], *, source: bool = False
) -> list[_Endpoint]:
    if role is None:
        return []
    sent = _sentence_of(ctx.sentences, cue[0])
    labels = set((rule.source_labels if source else None) or rule.labels or ctx.rules.mention_labels)

    def usable(m: Mention) -> bool:
        return m.label in labels

    def ep(m: Mention) -> _Endpoint:
        return _Endpoint(m.ref or ctx.subject, m.start, m.end, m)

    if role == "document":
        return [_Endpoint(NodeRef("doc", ctx.record.id), cue[0], cue[1])]
    if role == "subject":
        return [_Endpoint(ctx.subject, cue[0], cue[1])]
    if role == "own_dnr":
        dnr = ctx.record.diary_number
        return [_Endpoint(NodeRef("dnr", normalise_dnr(dnr)), cue[0], cue[1])] if dnr else []
    if role == "own_case":  # its own case number, titled by the words after the cue when there are some
        dnr = ctx.record.diary_number
        if not dnr:
            return []
        phrased = _endpoints(ctx, "phrase", rule, cue)
        if not phrased:
            return _endpoints(ctx, "own_dnr", rule, cue)
        ref = phrased[0].ref
        return [replace(phrased[0], ref=NodeRef("external", ref.value, normalise_dnr(dnr), ref.doc_type))]
    if role in {"before", "antecedent"}:
        # antecedent: the nearest mention in this or the previous sentence ("… ÖP 2040. Till dess att den antas …")
        first = sent[0] if role == "before" else _previous_sentence(ctx.sentences, sent)[0]
        before = [m for m in ctx.mentions if first <= m.start and m.end <= cue[0] and usable(m)]
        before = [m for m in before if not _excluded(ctx, m.end, cue[0])]
        return [ep(before[-1])] if before else []
    if role == "item_dnr":
        return [ep(m) for m in _item_dnr(ctx, cue)]
    if role == "after":
        # a mention that starts in the sentence counts even when a scan's blank line splits it ("SOU\n\n2020:27")
        hi = max(sent[1], cue[1] + 1)
        nxt = _NONSPACE.search(ctx.work, cue[1])
        if rule.scope == "header" and nxt:  # a scanned heading, one word a line: "Yttrande\n\nangående\n\nSOU"
            hi = max(hi, _sentence_of(ctx.sentences, nxt.start())[1])
        if ctx.agenda:  # what the next item cites is not this item's (next line, or next number when flattened)
            hi = _phrase_end(ctx, (cue[0], cue[1]), hi, stops=frozenset())
        after = [m for m in ctx.mentions if cue[1] <= m.start < hi and usable(m)]
        return [ep(m) for m in after if not _excluded(ctx, cue[1], m.start)]
    if role == "serial":
        m = ctx.rules.serial_pattern.search(ctx.work, cue[1], max(sent[1], cue[1] + 40))
        if not m:
            return []
        title = (rule.target_title or "{serial}").format(serial=m.group(1))
        return [_Endpoint(NodeRef("external", title, doc_type=rule.target_type), m.start(), m.end())]
    if role == "item":  # the agenda item the cue heads, as a document of its own ("Svar på interpellation från …")
        if not _at_item_start(ctx, cue[0]):
            return []
        # the whole heading, a cited report included ("Yttrande angående remiss om SOU 2021:16 En väl …")
        end = _phrase_end(ctx, cue, sent[1] if sent[1] > cue[1] else len(ctx.work), stops=frozenset({"DIARY_NUMBER"}))
        title = _TOC_LEADER.sub("", " ".join(ctx.work[cue[0] : end].split()))
        title = _PAGE.sub("", title).strip(" .,;:-–")
        if not title:
            return []
        ref = NodeRef("external", title[:1].upper() + title[1:], doc_type=rule.source_type)
        return [_Endpoint(ref, cue[0], cue[0] + len(ctx.work[cue[0] : end].rstrip()))]
    if role == "current":  # "… ta fram en ny översiktsplan, …": the översiktsplan in force, the one most named before
        noun = _NEXT_WORD.match(ctx.work, cue[1])
        kind = head_word(title_key(noun.group(1))) if noun else ""
        before = [m for m in ctx.mentions if m.end <= cue[0] and m.ref is not None and usable(m)]
        before = [m for m in before if kind and m.ref is not None and _head_of_ref(ctx, m.ref) == kind]
        if not before:
            return []
        counts = Counter(title_key(m.ref.value) for m in before if m.ref is not None)
        best = max(before, key=lambda m: (counts[title_key(m.ref.value)] if m.ref else 0, m.start))
        return [ep(best)]
    if role == "title_named":  # "Handlingsplan för Miljö- och klimatprogram": the program its own title names
        own = title_key(ctx.record.title or "")
        words = own.split()
        if len(words) < 2:
            return []
        rest = " ".join(words[1:])  # the title without its head noun
        keys = [(m, title_key(m.ref.value)) for m in ctx.mentions if m.ref is not None and m.ref.kind == "program"]
        hits = [m for m, k in keys if usable(m) and k and k != own and f" {k} " in f" {rest} "]
        return [ep(m) for m in hits[:1]]
    if role == "header_document":  # the report the head of the document names ("Betänkandet SOU 2018:74 …")
        cited = [m for m in ctx.mentions if m.label == "DOCUMENT" and m.start < ctx.rules.header_chars]
        return [ep(cited[0])] if cited else []
    if role == "subject_title":  # what the document is about, named by a template ("Remiss av {phrase}")
        if ctx.subject.kind != "program":
            return []
        title = (rule.phrase_title or "{phrase}").format(phrase=ctx.subject.value)
        return [_Endpoint(NodeRef("external", title, doc_type=rule.target_type), cue[0], cue[1])]
    if role == "answer":  # the answer to what the words after the cue name: "Svar på interpellation om …"
        organ = _ORGAN.search(ctx.work, sent[0], cue[0])
        answers: list[_Endpoint] = []
        for named in _endpoints(ctx, "phrase", rule, cue):
            said = named.ref.value[:1].lower() + named.ref.value[1:]
            if organ is not None and rule.source_title:  # "Kommunstyrelsens förslag om motionen om …"
                title = rule.source_title.format(phrase=said, organ=organ.group(1).rstrip("s") + "s")
            else:
                title = "Svar på " + said
            answers.append(replace(named, ref=NodeRef("external", title[:1].upper() + title[1:])))
        return answers
    if role == "phrase":
        end = _phrase_end(ctx, cue, sent[1] if sent[1] > cue[1] else len(ctx.work))
        if rule.from_pattern is not None:  # "föreslår avslag på Anna Ås (S) motion om …": the phrase starts at "motion"
            start = rule.from_pattern.search(ctx.skel, cue[1], min(end, cue[1] + 80))
            if start is None or len(ctx.work[start.end() : end].split()) < 2:
                return []
            cue = (cue[0], start.start())
        if rule.tail_pattern is not None:  # "Motion av X om Y, svar": the item answers the motion named before the tail
            tail = rule.tail_pattern.search(ctx.skel, cue[1], end)
            if tail is None:
                return []
            end = tail.start()
        rest = " ".join(ctx.work[cue[1] : end].split()[:30])
        if ctx.agenda:  # "… granskning 7 6. Yttrande …": the item's page number and table-of-contents dots
            rest = _PAGE.sub("", _TOC_LEADER.sub("", rest))
        rest = rest.strip(" .,;:-–").rstrip(" (")  # "… om simhallen\n(Dnr …)": the number's bracket
        if not rest:
            return []
        if rule.titled_phrase and not (rest[:1].isupper() and len(rest.split()) >= 2):
            return []  # "se bilaga 2": a number, not a title
        if (rule.phrase_title or "{phrase}").startswith("{phrase}"):
            rest = rest[:1].upper() + rest[1:]
        said = " ".join(ctx.work[cue[0] : cue[1]].split()).rstrip(":")
        said = re.sub(r"^\d{1,2}[.)]?\s+", "", said)  # a numbered agenda item
        last = said.split()[-1]
        title = (rule.phrase_title or "{phrase}").format(
            phrase=rest, last=last[:1].upper() + last[1:], cue=said[:1].upper() + said[1:]
        )
        return [
            _Endpoint(
                NodeRef("external", title, doc_type=_named_type(title, rule.target_type)),
                cue[0],
                cue[1] + len(ctx.work[cue[1] : end].rstrip()),
            )
        ]
    if role == "mentions":
        return [ep(m) for m in ctx.mentions if usable(m)]
    if role == "case":
        return [_case(ctx, cue)]
    if role == "items":
        out: list[_Endpoint] = []
        for s, e in _items_of(ctx, rule, cue):
            within = [m for m in ctx.mentions if s <= m.start < e]
            inside = [m for m in within if usable(m)]
            if rule.item_skip_labels and any(m.label in rule.item_skip_labels for m in within):
                continue
            if inside:
                out.append(_Endpoint(inside[0].ref or ctx.subject, s, e, inside[0]))
            elif rule.item_template:
                item = _FILE_SUFFIX.sub("", " ".join(ctx.work[s:e].split())).rstrip(".,;:")
                if not rule.item_template.startswith("{item}"):  # "Handlingsplan för {item}": item in lower case
                    item = item[:1].lower() + item[1:]
                out.append(_Endpoint(NodeRef(rule.item_kind, rule.item_template.format(item=item)), s, e))
        return out
    return []


_NONSPACE = re.compile(r"\S")
_ORGAN = re.compile(r"([A-ZÅÄÖ][a-zåäö]+(?:styrelsen|nämnden|fullmäktige|utskottet|rådet))\s+(?:\S+\s+){0,2}$")
_HEADING_END = re.compile(
    r"[ \t]*\n(?![ \t]*[a-zåäöé(])"
)  # "… returpapper\nKulturpolicy": not "… Vägledning\ntill en …"
_NEXT_WORD = re.compile(r"\s*([\wåäöÅÄÖ-]+)")
_CITED = frozenset({"DIARY_NUMBER", "DOCUMENT", "DECISION"})
_PAGE = re.compile(r"(?:\s+\d{1,3})+$")  # page numbers after an agenda item's heading: "… kärnavfall 4"
_TOC_LEADER = re.compile(r"\s*\.{2,}.*$")  # "Svar på medborgarförslag: … ytterområden... 12" in an ärendelista


def _named_type(title: str, default: str | None) -> str | None:
    """The document type a title names by its first word (``Motion av …`` is a motion), else ``default``.

    >>> _named_type("Interpellation från Anna om skolan", "other"), _named_type("Medborgarförslag om bad", "other")
    ('interpellation', 'other')
    """
    first = title.split(maxsplit=1)[0].lower() if title.strip() else ""
    for kind in ("interpellation", "motion", "remiss"):
        if first.startswith(kind) and not first.startswith("remissvar"):
            return kind
    return default


def _at_item_start(ctx: _Context, pos: int) -> bool:
    """Whether ``pos`` starts an agenda item: a line, or after an item number (``5.``, ``§ 12``) or the
    item's diary number inside a flattened line (``… 29 Dnr KS 2017/484 Svar på …``)."""
    line_start = ctx.work.rfind("\n", 0, pos) + 1
    before = ctx.work[max(line_start, pos - 40) : pos]
    if not before.strip() or ctx.rules.item_start.search(before):
        return True
    i = bisect.bisect_left(ctx.mention_ends, pos - 3)
    return any(m.label == "DIARY_NUMBER" and m.end <= pos for m in ctx.mentions_by_end[i : i + 3])


_FILE_SUFFIX = re.compile(r"\.(?:pdf|docx?|xlsx?|odt)$", re.IGNORECASE)  # "Tjänsteskrivelse X.pdf" under Bilagor
_ENUMERATOR = re.compile(r"[ \t]*(?:\d{1,2}[.:)]?|[:.–-])?[ \t]*")


def _items_of(ctx: _Context, rule: Rule, cue: tuple[int, int]) -> list[tuple[int, int]]:
    """The list items a cue introduces. A heading cue (every cue of the rule starts a line: ``Bilagor``)
    with words after it on its line names its one item there (``Bilaga 1 Tjänsteskrivelse …``) if that
    looks like a title (capitalised, short), and running prose (``Handlingar är under utarbetande``) is
    no list at all; alone on its line, it heads the lines below it (:func:`_heading_list`)."""
    if not all(c.startswith("^") for c in rule.cues):
        return list_items(ctx.work, cue[1])
    eol = ctx.work.find("\n", cue[1])
    eol = len(ctx.work) if eol < 0 else eol
    m = _ENUMERATOR.match(ctx.work, cue[1], eol)
    s, e = (m.end() if m else cue[1]), eol
    while e > s and ctx.work[e - 1] in " \t.:;,":
        e -= 1
    if e <= s:
        return _heading_list(ctx, cue[1], eol)
    title = ctx.work[s:e]
    return [(s, e)] if title[:1].isupper() and len(title.split()) <= 15 else []


def _heading_list(ctx: _Context, cue_end: int, eol: int) -> list[tuple[int, int]]:
    """Items under a heading such as ``Bilagor``: a bulleted or numbered list as :func:`list_items`
    reads it, else each line of the paragraph below (``Tjänsteskrivelse ….pdf``), up to a blank line,
    a heading of the item's next section (``Beslut``) or a line of prose."""
    para = re.match(r"(?:[ \t]*\n)?((?:[^\n]*\S[^\n]*(?:\n|$))+)", ctx.work[eol + 1 :])
    if para is None:
        return []
    lines = para.group(1).splitlines(keepends=True)
    if lines[0].rstrip().endswith(":"):  # "Bilagor" above "• Inkomna interpellationer:": another section's list
        return []
    if any(_BULLET.match(line) for line in lines):
        return list_items(ctx.work, cue_end)
    out: list[tuple[int, int]] = []
    pos = eol + 1 + para.start(1)
    for line in lines:
        words = line.split()
        stop = ctx.rules.phrase_stops
        if len(words) > 15 or (line.rstrip().endswith(".") and len(words) > 8) or (stop and stop.match(line.strip())):
            break
        start = pos + len(line) - len(line.lstrip())
        out.append((start, start + len(line.strip())))
        pos += len(line)
    return out


def _case(ctx: _Context, cue: tuple[int, int]) -> _Endpoint:
    """The case a listed attachment belongs to: in a protocol of several cases (agenda items with
    their own diary numbers), the item above the list; in a tjänsteutlåtande (or another document
    whose diary number is its case's) that case; otherwise the document itself."""
    doc = _Endpoint(NodeRef("doc", ctx.record.id), cue[0], cue[1])
    if not ctx.agenda:
        own = ctx.record.diary_number
        if own and ctx.record.doc_type in CASE_DOC_TYPES:  # a tjänsteutlåtande's attachments belong to its case
            return _Endpoint(NodeRef("dnr", normalise_dnr(own)), cue[0], cue[1])
        return doc
    dnrs = [m for m in ctx.mentions if m.label == "DIARY_NUMBER" and m.ref is not None]
    cases = {dnr_core(m.ref.value) for m in dnrs if m.ref is not None}
    above = [m for m in dnrs if m.end <= cue[0]]
    if len(cases) < 2 or not above:
        return doc
    return _Endpoint(above[-1].ref or ctx.subject, above[-1].start, above[-1].end, above[-1])


def _add(ctx: _Context, rule: Rule, src: _Endpoint, tgt: _Endpoint, cue: tuple[int, int]) -> None:
    src_ref, tgt_ref = src.ref, tgt.ref
    if rule.target_type and tgt_ref.kind in {"dnr", "external"} and tgt_ref.doc_type is None:
        tgt_ref = replace(tgt_ref, doc_type=rule.target_type)
    if src_ref.key == tgt_ref.key:
        return
    key = (rule.type, src_ref.key, tgt_ref.key)
    if key in ctx.out:
        return
    if "items" in (rule.source, rule.target):  # a list item far below its cue: the item is the evidence
        item = src if rule.source == "items" else tgt
        ws, we = item.start, item.end
    else:
        ws, we = min(cue[0], src.start, tgt.start), max(cue[1], src.end, tgt.end)
    s, e = ctx.tmap.to_original(ws, we)
    for end in (src, tgt):
        if end.mention is not None:
            end.mention.used = True
    ctx.out[key] = Relation(
        type=rule.type,
        source=src_ref.key,
        target=tgt_ref.key,
        evidence_start=s,
        evidence_end=e,
        confidence=rule.confidence,
        evidence_text=ctx.text[s:e],
        target_kind=_KIND_OF_REF.get(tgt_ref.kind, "external"),
    )


def _apply(ctx: _Context, rule: Rule, candidates: list[tuple[int, int]]) -> None:
    if rule.doc_types and ctx.record.doc_type not in rule.doc_types:
        return
    if rule.exclude_doc_types and ctx.record.doc_type in rule.exclude_doc_types:
        return
    if rule.agenda is not None and rule.agenda != ctx.agenda:
        return
    # in_title: the cue must name what the document is ("Yttrande över …" in its own title or its opening
    # lines, where extraction may have missed the title), not be any mention in the body
    titled = rule.in_title and any(p.search(skeleton(ctx.record.title or "")) for p in rule.patterns)
    if rule.scope == "document":
        if rule.target == "mentions":
            _references(ctx, rule)
            return
        for src in _once(ctx, rule, _endpoints(ctx, rule.source, rule, (0, 0), source=True)):
            for tgt in _first_found(ctx, rule, (src.start, src.end), source=False):
                if not (_heads_fit(ctx, rule.source_heads, src.ref) and _heads_fit(ctx, rule.target_heads, tgt.ref)):
                    continue
                if src.mention is None and tgt.mention is not None:  # the document itself: the evidence is the mention
                    src = replace(src, start=tgt.start, end=tgt.end)
                _add(ctx, rule, src, tgt, (src.start, src.end))
        return
    limit = ctx.rules.header_chars if rule.scope == "header" else len(ctx.skel)
    for cue in _cue_matches(rule, ctx.skel, limit, candidates, functools.partial(_at_item_start, ctx)):
        if rule.near_patterns and not _near(ctx, rule, cue):
            continue
        if rule.in_title and not titled and not _opens(ctx, cue[0]):
            continue
        if rule.item_start and not _at_item_start(ctx, cue[0]):
            continue  # "… Expedieras: Remissvar till Trafikverket": not an item's heading
        sources = _once(ctx, rule, _first_found(ctx, rule, cue, source=True))
        targets = _first_found(ctx, rule, cue, source=False)
        if rule.max_targets is not None:
            targets = targets[: rule.max_targets]
        for src in sources:
            for tgt in targets:
                if rule.same_head and _head_of_ref(ctx, src.ref) != _head_of_ref(ctx, tgt.ref):
                    continue  # succession links two versions of one kind of document (plan → plan)
                if _heads_fit(ctx, rule.source_heads, src.ref) and _heads_fit(ctx, rule.target_heads, tgt.ref):
                    _add(ctx, rule, src, tgt, cue)


def _opens(ctx: _Context, pos: int) -> bool:
    """Whether ``pos`` is in the document's opening: its first sentence, or the start of a line of its
    first ``title_chars`` characters (a heading, also one scanned word a line)."""
    if ctx.sentences and pos < ctx.sentences[0][1]:
        return True
    return pos < ctx.rules.title_chars and not ctx.work[ctx.work.rfind("\n", 0, pos) + 1 : pos].strip()


def _once(ctx: _Context, rule: Rule, sources: list[_Endpoint]) -> list[_Endpoint]:
    """The sources, without those that already have a relation of the rule's type (``once_per_source``)."""
    if not rule.once_per_source:
        return sources
    done = {r.source for r in ctx.out.values() if r.type == rule.type}
    return [s for s in sources if s.ref.key not in done]


def _near(ctx: _Context, rule: Rule, cue: tuple[int, int]) -> bool:
    """Whether one of the rule's ``requires_near`` cues follows the cue in its sentence or the next one
    ("… lämnade in en interpellation … om Y. Z har lämnat in ett skriftligt svar")."""
    sent = _sentence_of(ctx.sentences, cue[0])
    end = max(sent[1], cue[1])
    nxt = _NONSPACE.search(ctx.work, end)
    if nxt:
        end = max(end, _sentence_of(ctx.sentences, nxt.start())[1])
    return any(p.search(ctx.skel, cue[1], end) for p in rule.near_patterns)


def _first_found(ctx: _Context, rule: Rule, cue: tuple[int, int], *, source: bool) -> list[_Endpoint]:
    """Endpoints of the rule's main role, else of its first fallback role that finds any."""
    for role in [rule.source if source else rule.target, *rule.fallbacks(source)]:
        found = _endpoints(ctx, role, rule, cue, source=source)
        if found:
            return found
    return []


def _head_of_ref(ctx: _Context, ref: NodeRef) -> str:
    """The kind of document ``ref`` names (``handlingsplan``, ``policy``, …; the document's own title for ``doc``)."""
    return head_word(title_key((ctx.record.title or "") if ref.kind == "doc" else ref.value))


def _heads_fit(ctx: _Context, heads: list[str] | None, ref: NodeRef) -> bool:
    """Whether the kind of document ``ref`` names is one of ``heads``."""
    return not heads or _head_of_ref(ctx, ref) in heads


def _previous_sentence(sentences: list[tuple[int, int]], sent: tuple[int, int]) -> tuple[int, int]:
    i = bisect.bisect_left(sentences, sent)
    return sentences[i - 1] if 0 < i <= len(sentences) and sentences[i - 1][1] <= sent[0] else sent


def _item_dnr(ctx: _Context, cue: tuple[int, int]) -> list[Mention]:
    """The diary number of the agenda item a cue heads: on the cue's line before it
    (``§ 4 Dnr KS 2019/77 Svar på …``), else the first one just below the cue (the item's ``Dnr`` line)."""
    line_start = ctx.work.rfind("\n", 0, cue[0]) + 1
    dnrs = [m for m in ctx.mentions if m.label == "DIARY_NUMBER"]
    window = ctx.rules.item_dnr_window
    brk = ctx.rules.item_break if ctx.agenda else None  # item numbers only delimit items in an agenda
    on_line = [m for m in dnrs if max(line_start, cue[0] - window) <= m.start and m.end <= cue[0]]
    if on_line and not (brk and brk.search(ctx.work, on_line[-1].end, cue[0])):  # not the previous item's
        return on_line[-1:]
    below = [m for m in dnrs if cue[1] <= m.start < cue[1] + window]
    if below and brk and brk.search(ctx.work, cue[1], below[0].start):  # the next item's
        return []
    return below[:1]


def _phrase_end(ctx: _Context, cue: tuple[int, int], end: int, *, stops: frozenset[str] = _CITED) -> int:
    """Where the words after a cue stop being its object: the sentence end, a mention with a label in
    ``stops`` (a cited document or diary number), a heading word of a protocol item (``Beslut``,
    ``Ärendet``) or the start of the next agenda item."""
    for m in ctx.mentions:
        if m.label in stops and cue[1] <= m.start < end:
            end = m.start
            break
    for pat in (ctx.rules.phrase_stops, ctx.rules.item_break):
        stop = pat.search(ctx.work, cue[1], end) if pat is not None else None
        if stop:
            end = stop.start()
    if ctx.agenda:  # an item's heading ends with its line, unless the next line goes on in lower case (wrapped)
        line_end = _HEADING_END.search(ctx.work, cue[1], end)
        end = line_end.start() if line_end else end
    return end


def _identity(ref: NodeRef) -> set[str]:
    """Keys under which two references in one document name the same thing (title or diary number)."""
    out = set()
    if ref.kind in {"program", "external"}:
        out.add("t:" + title_key(ref.value))
    dnr = ref.diary_number or (ref.value if ref.kind == "dnr" else None)
    if dnr:
        out.add("d:" + dnr_core(dnr))
    if ref.kind == "doc":
        out.add("doc:" + ref.value)
    return out


def _own_names(record: DocumentRecord, work: str, mentions: list[Mention], rules: RuleSet) -> None:
    """In a program document, the program mentions that name the document itself become references to
    it (``ref = None``, the subject): those matching its title, or a heading line of its opening
    (``Plan för jämställdhet bland …`` under a one-word title), and every other mention of those names."""
    own: set[str] = set()
    for m in mentions:
        if m.label != "PROGRAM" or m.ref is None:
            continue
        name = m.ref.value
        if _names_self(record.title, name):
            own.add(title_key(name))
        elif m.start < rules.title_chars:
            line_start = work.rfind("\n", 0, m.start) + 1
            line_end = work.find("\n", m.end)
            line = work[line_start : len(work) if line_end < 0 else line_end]
            if not line[: m.start - line_start].strip() and _names_self(line, name):
                own.add(title_key(name))
    for m in mentions:
        if m.label == "PROGRAM" and m.ref is not None and title_key(m.ref.value) in own:
            m.ref = None


def _names_self(title: str | None, name: str) -> bool:
    """Whether program ``name`` is the document itself: its title *is* a program name (it starts with
    the head noun) of the same kind, wording and period (``Plan för jämställdhet`` in the plan
    ``Plan för jämställdhet bland medborgarna …``).

    >>> _names_self("Plan för jämställdhet bland medborgarna i Vimmerby kommun", "Plan för jämställdhet")
    True
    >>> _names_self("Svar på remiss av Handlingsplan för X", "Handlingsplan för X")
    False
    >>> _names_self("Plan för jämställdhet 2020-2023", "Plan för jämställdhet 2016-2019")
    False
    """
    if not title:
        return False
    own, key = title_key(title), title_key(name)
    words = own.split()
    if not words or not head_word(words[0]) or head_word(own) != head_word(key):
        return False
    y1, y2 = set(title_years(title)), set(title_years(name))
    if y1 and y2 and not y1 & y2:
        return False
    return titles_match(own, key) or fuzz.token_set_ratio(own, key) >= 96


def _quoted_own(ctx: _Context, m: Mention) -> bool:
    """Whether a diary number is one the reader is asked to quote (``Märk yttrandet med diarienummer …``):
    the document's own case, whatever its header says."""
    lo = max(_sentence_of(ctx.sentences, m.start)[0], m.start - 40)
    return any(p.search(ctx.skel, lo, m.start) for p in ctx.rules.own_number_cues)


def _references(ctx: _Context, rule: Rule) -> None:
    own = dnr_core(ctx.record.diary_number) if ctx.record.diary_number else None
    linked = {i for rel in ctx.out.values() for end in (rel.source, rel.target) for i in _identity(parse_ref(end))}
    subject_ids = _identity(ctx.subject)
    for m in ctx.mentions:
        ref = m.ref or ctx.subject
        if m.label not in (rule.labels or ctx.rules.mention_labels) or ref.kind == "doc":
            continue
        if ref.kind == "dnr" and own is not None and dnr_core(ref.value) == own:
            continue
        if ref.kind == "dnr" and _quoted_own(ctx, m):
            continue  # "Märk yttrandet med diarienummer RS 2024/691": the case's own number, not a citation
        if ctx.rules.not_cited is not None and ref.kind != "dnr" and ctx.rules.not_cited.search(ref.value):
            continue  # budgets, laws, conventions, declarations: not references (annotation guidelines)
        ids = _identity(ref)
        if rule.skip_subject and ids & _identity(ctx.subject):
            continue  # a motion proposes what it is about ("Motion om en likabehandlingspolicy"), it does not cite it
        # what the document is about counts as cited even when a rule linked it; others only once
        if ids & linked and not ids & subject_ids:
            continue
        linked |= ids
        subject_ids -= ids
        doc = _Endpoint(NodeRef("doc", ctx.record.id), m.start, m.end)
        _add(ctx, rule, doc, _Endpoint(ref, m.start, m.end, m), (m.start, m.end))


def find_relations(
    record: DocumentRecord,
    text: str,
    *,
    rules: RuleSet | None = None,
    repaired: str | None = None,
    repair: str = "auto",
) -> list[Relation]:
    """Find the relations one document states, with evidence spans in ``text`` (the original).

    Args:
        record: the document's extraction (entities with offsets into ``text``).
        text: the original text of the document.
        rules: a rule set (default: the packaged ``rules/relations.json``).
        repaired: the repaired text of a scan, if the caller has it; cues are matched on it.
        repair: when ``repaired`` is not given: ``"auto"`` repairs records marked ``repaired``
            with :mod:`mrtext.repair` if it is installed, ``"always"`` repairs every text, ``"never"`` none.

    Returns:
        Relations whose ``source``/``target`` are node references (``doc:…``, ``program:…``, ``dnr:…``,
        ``external:…``), most specific rule first, one per (type, source, target).

    An empty text gives an empty list.
    """
    if not text.strip():
        return []
    rs = rules or load_rules()
    work = repaired if repaired is not None else _repaired_text(text, record, repair)
    tmap = TextMap(text, work)
    skel = skeleton(work)
    mentions = _mentions(record, tmap, rs)
    if record.doc_type == "program":  # a plan naming itself does not cite itself (a remiss of it does)
        _own_names(record, work, mentions, rs)
    sentences = sentence_spans(work)
    cues = rs.cue_candidates(skel)
    subject = _subject(record, skel, mentions, sentences, rs, cues)
    agenda = record.doc_type == "protokoll" or bool(
        rs.agenda_heading is not None and rs.agenda_heading.search(work, 0, rs.header_chars)
    )
    ctx = _Context(record, text, work, skel, tmap, rs, mentions, sentences, subject, cues, agenda=agenda)
    for i, rule in enumerate(rs.rules):
        if rule.scope == "document" or i in cues:
            _apply(ctx, rule, cues.get(i, []))
    return list(ctx.out.values())


def relations_for(records: Iterable[tuple[DocumentRecord, str]], **kwargs: Any) -> list[DocumentRecord]:
    """Fill ``record.relations`` for each (record, text) pair and return the records."""
    out = []
    for record, text in records:
        record.relations = find_relations(record, text, **kwargs)
        out.append(record)
    return out
