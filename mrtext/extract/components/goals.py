"""``mrtext_goals``: goal and vision statements as sentence spans.

A sentence is a GOAL when a rule finds a goal cue with its verb (``Målet är …``, ``programmets mål är
att …``, ``Handlingsplanen syftar till att …``, ``har som mål att``, ``tydliggör stadens ambition att``,
``Staden säkerställer att …``), unless the cue is only mentioned (``för att nå målet``, ``uppföljning av
målen``); or when the trained classifier (:mod:`mrtext.extract.linear`, trained on hand-labelled
sentences in ``corpora/training/goals.jsonl``) is confident. Sentences come from ``doc.sents``
(``mrtext_sentences``); the value is the sentence with whitespace normalised.

>>> import spacy
>>> nlp = spacy.blank("sv"); _ = nlp.add_pipe("mrtext_sentences"); _ = nlp.add_pipe("mrtext_goals")
>>> doc = nlp("Bakgrund\\nProgrammets mål är att staden ska\\nvara jämlik. Arbetet för att nå målet följs upp.")
>>> [s._.mrtext_value for s in doc.spans["mrtext_goals"]]
['Programmets mål är att staden ska vara jämlik.']
"""

from __future__ import annotations

import re
from typing import Any

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from mrtext.extract.components.sentences import sentence_bounds
from mrtext.extract.linear import LinearTextModel
from mrtext.extract.patterns import load_patterns
from mrtext.extract.spans import Candidate, MrtextComponent, doc_text

__all__ = ["GoalDetector", "goal_value", "make_goals", "sentence_offsets"]

_BULLET = re.compile(r"^(?:[-–•*»·▪]|e(?= [A-ZÅÄÖ])|\d{1,2}[.)])\s+")


class GoalDetector:
    """Rules (``patterns/goals.json``) plus an optional :class:`LinearTextModel` over sentences."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        # one alternation per list: a sentence is searched twice, not once per rule
        self.positive = re.compile("|".join(f"(?:{p})" for p in data["positive"]), re.IGNORECASE)
        self.negative = re.compile("|".join(f"(?:{p})" for p in data["negative"]), re.IGNORECASE)
        self.min_words = int(data.get("min_words", 5))
        self.threshold = float(data.get("threshold", 0.8))
        self.hint = re.compile(data.get("classifier_hint") or "", re.IGNORECASE)
        self.heading = re.compile(data["heading"]) if data.get("heading") else None
        self.trailing_label = re.compile(data["trailing_label"]) if data.get("trailing_label") else None
        self.list_intro = re.compile(data["list_intro"], re.IGNORECASE) if data.get("list_intro") else None
        model = data.get("model")
        self.model = LinearTextModel.from_dict(model) if model else None

    def rule(self, sentence: str) -> bool:
        """True if a goal rule fires and no mention-only rule vetoes it."""
        return bool(self.positive.search(sentence)) and not self.negative.search(sentence)

    def probability(self, sentence: str) -> float | None:
        """The classifier's probability that ``sentence`` is a goal (``None`` without a model)."""
        return None if self.model is None else self.model.scores(sentence).get("1", 0.0)

    def under_heading(self, text: str) -> list[tuple[int, int, int | None]]:
        """Character ranges stated as goals by a heading line above them (``Mål``, ``Vision:``, ``Huvudsyfte``).

        A list below the heading gives one ``(start, end, None)`` per item; a paragraph (also after one blank
        line) gives ``(start, end, heading_start)``: its first sentence is the goal, and the span starts at the
        heading (the heading names what the sentence states).

        >>> d = GoalDetector(load_patterns("goals"))
        >>> text = "Mål\\n1. Alla barn ska ha lika rätt till fritid.\\n2. Ingen ska utsättas för våld.\\n\\nBakgrund"
        >>> [text[s:e] for s, e, _ in d.under_heading(text)]
        ['1. Alla barn ska ha lika rätt till fritid.', '2. Ingen ska utsättas för våld.']
        >>> text = "Huvudsyfte\\n\\nAtt kommunen är jämställd.\\nMer text."
        >>> [(text[s:e], text[h:h + 4]) for s, e, h in d.under_heading(text)]
        [('Att kommunen är jämställd.\\nMer text.', 'Huvu')]
        """
        if self.heading is None:
            return []
        out: list[tuple[int, int, int | None]] = []
        for m in self.heading.finditer(text):
            block_start = m.start(1)
            lines = list(re.finditer(r"[^\n]+", m.group(1)))
            if lines and all(_BULLET.match(ln.group().lstrip()) for ln in lines):
                out.extend((block_start + ln.start(), block_start + ln.end(), None) for ln in lines)
            else:
                out.append((block_start, m.end(1), m.start() + len(m.group()) - len(m.group().lstrip())))
        return out

    def label_after(self, text: str) -> list[tuple[int, int]]:
        """Sentences whose goal label is printed *after* them (``… rättigheter. Vision För …``: flattened posters).

        >>> d = GoalDetector(load_patterns("goals"))
        >>> text = "3 Ett län där alla har samma makt över sina liv. Vision För länet"
        >>> [text[s:e] for s, e in d.label_after(text)]
        ['Ett län där alla har samma makt över sina liv.']
        """
        if self.trailing_label is None:
            return []
        return [(m.start("sent"), m.end("sent")) for m in self.trailing_label.finditer(text)]

    def is_goal(self, sentence: str) -> bool:
        """Rule or confident classifier; short or heading-like sentences never are."""
        if not self.hint.search(sentence):  # cheap gate: no cue word, no goal
            return False
        flat = " ".join(sentence.split())
        if len(flat.split()) < self.min_words or not re.search(r"[.!:]$|[a-zåäö]$", flat):
            return False
        if self.rule(flat):
            return True
        p = self.probability(flat)
        return p is not None and p >= self.threshold and not self.negative.search(flat)


class GoalComponent(MrtextComponent):
    """spaCy component writing ``GOAL`` sentence spans to ``doc.spans["mrtext_goals"]``."""

    data_file = "goals.json"

    def compile(self) -> None:
        self.detector = GoalDetector(self.data)

    def match(self, doc: Doc) -> list[Candidate]:
        out = []
        text = doc_text(doc)
        # without mrtext_sentences (or another segmenter) earlier in the pipeline, segment here
        bounds = sentence_offsets(doc) or sentence_bounds(text)
        headed = self.detector.under_heading(text)
        trailing = dict((e, s) for s, e in self.detector.label_after(text))
        listing = False
        for sent_start, sent_end in bounds:
            raw = text[sent_start:sent_end]
            lead = _BULLET.match(raw.lstrip())
            start = sent_start + (len(raw) - len(raw.lstrip())) + (lead.end() if lead else 0)
            body = text[start:sent_end].rstrip()
            if not body:
                continue
            end = start + len(body)
            if listing and lead is not None:  # an item of a list a goal sentence announced ("Målen är:")
                out.append(Candidate(start, end, "GOAL", goal_value(body)))
                continue
            listing = False
            if self.detector.is_goal(body):
                intro = self.detector.list_intro
                if intro is not None and intro.search(" ".join(body.split())):
                    listing = True  # the items below are the goals, not the announcement
                    continue
                out.append(Candidate(start, end, "GOAL", goal_value(body)))
                continue
            # under a goal heading: each list item, or the first sentence of the paragraph; a sentence without a
            # cue of its own ("Att kommunen är …") takes the heading into its span
            under = next(
                (h for h in headed if h[0] <= start < h[1] and not text[h[0] : start].strip(" \t-–•*0123456789.)")),
                None,
            )
            if under is not None:
                start = under[2] if under[2] is not None else start
            elif trailing.get(end, -1) >= start:  # "3 Ett län där …. Vision För …": a label printed after
                start = trailing[end]
            else:
                continue
            if self._plain_sentence(body):
                out.append(Candidate(start, end, "GOAL", goal_value(text[start:end])))
        return out

    def _plain_sentence(self, body: str) -> bool:
        """A full sentence (enough words, ends like one) that no mention-only rule vetoes."""
        flat = " ".join(body.split())
        return (
            len(flat.split()) >= self.detector.min_words
            and flat[-1:] in ".!"
            and not self.detector.negative.search(flat)
        )


def goal_value(sentence: str) -> str:
    """The value of a GOAL: whitespace normalised, words broken at a line-end hyphen joined again.

    A hyphen followed by a space is a broken word (``MR- kommun`` → ``MR-kommun``; ``nation- ell`` →
    ``nationell``), unless a conjunction follows (``barn- och ungdom``).

    >>> goal_value("Att bli en MR- kommun och en nation- ell förebild för barn- och\\nungdomar.")
    'Att bli en MR-kommun och en nationell förebild för barn- och ungdomar.'
    """

    def join(m: re.Match[str]) -> str:
        left, right = m.group(1), m.group(2)
        return left + right if left[-1:].islower() else f"{left}-{right}"

    flat = " ".join(sentence.split())
    return re.sub(r"(\w+)- (?!(?:och|eller|samt|respektive|till|som)\b)([a-zåäö]\w*)", join, flat)


def sentence_offsets(doc: Doc) -> list[tuple[int, int]]:
    """``(start_char, end_char)`` of the sentences of ``doc`` (empty without sentence boundaries).

    Reads ``SENT_START`` as one array: iterating ``doc.sents`` re-checks the annotation per sentence.
    """
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return []
    flags = doc.to_array("SENT_START")
    idx = doc.to_array("IDX")
    length = doc.to_array("LENGTH")
    starts = [0, *(int(i) for i in numpy.flatnonzero(flags[1:] == 1) + 1)]
    ends = [*starts[1:], len(doc)]
    bounds = [(int(idx[i]), int(idx[j - 1] + length[j - 1])) for i, j in zip(starts, ends, strict=True)]
    return bounds


@Language.factory(
    "mrtext_goals",
    assigns=["doc.spans"],
    requires=["token.is_sent_start"],
    default_config={"span_key": "mrtext_goals", "patterns": None},
)
def make_goals(nlp: Language, name: str, span_key: str, patterns: dict[str, Any] | None) -> GoalComponent:
    """Build ``mrtext_goals``; ``patterns`` defaults to ``patterns/goals.json`` (rules, no classifier)."""
    return GoalComponent(nlp, name, span_key=span_key, data=patterns or load_patterns("goals"))
