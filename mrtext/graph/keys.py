"""Normalised keys for entity resolution, and the node references relations point to.

A relation endpoint is a *node reference*: a short self-describing string such as
``doc:002``, ``dnr:KS 2023/1159`` or ``program:Program för ett jämställt Stockholm 2018-2022 | dnr:434-21/2017``.
:func:`parse_ref` turns it into a :class:`NodeRef`; resolution (:mod:`mrtext.graph.resolve`) maps
references that name the same real document or program to one graph node, using the blocking
keys computed here (:func:`dnr_core`, :func:`title_key`).

>>> normalise_dnr("dnr  ks 434-21/2017")
'KS 434-21/2017'
>>> dnr_core("KS 434-21/2017"), dnr_core("434-21/2017")
('434-21/2017', '434-21/2017')
>>> title_key("Stockholms stads program för ett jämställt Stockholm 2018-2022")
'program för ett jämställt stockholm'
>>> parse_ref("program:Strategi för romsk inkludering | dnr:KS 2018/000070").diary_number
'KS 2018/000070'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

__all__ = [
    "CASE_DOC_TYPES",
    "NODE_KINDS",
    "NodeRef",
    "acronym",
    "dnr_authority",
    "dnr_core",
    "document_role",
    "head_word",
    "normalise_dnr",
    "parse_ref",
    "title_key",
    "title_years",
]

NODE_KINDS: Final = ("document", "program", "external")

CASE_DOC_TYPES: Final = frozenset({"remissvar", "svar_pa_interpellation", "utlatande", "tjansteutlatande", "protokoll"})
"""Document types whose own diary number is the number of the case they answer, not their own."""

_DNR_PREFIX = re.compile(r"^\s*(?:diarienummer|diarienr|dnr)\s*[.:]?\s*", re.IGNORECASE)
_AUTHORITY = re.compile(r"^([A-ZÅÄÖa-zåäö][A-ZÅÄÖa-zåäö-]{0,7})[\s/]+(?=\d)")
_YEARS = re.compile(r"(?<![\d/:-])((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?(?![\d/:])")
_CITY_PREFIX = re.compile(
    r"^(?:[a-zåäö-]+s\s+(?:stads|kommuns|läns|regions)|stadens|kommunens|regionens|landstingets)\s+",
)
_NON_WORD = re.compile(r"[^\wåäö]+")
_ARTICLE_SUFFIX = re.compile(r"(?<=\w)(?:et|en|erna|arna|orna|na)$")


@lru_cache(maxsize=1 << 18)
def normalise_dnr(value: str) -> str:
    """Normalise a diary number: prefix removed, single spaces, authority code upper-case.

    >>> normalise_dnr("Dnr: KS 2018/000070")
    'KS 2018/000070'
    >>> normalise_dnr("434-\\n21/2017")
    '434-21/2017'
    """
    v = _DNR_PREFIX.sub("", value.strip())
    v = re.sub(r"-\s+", "-", v)  # a number broken over a line: "434-\n21/2017"
    v = re.sub(r"\s+", " ", v).strip(" .,;:()")
    m = _AUTHORITY.match(v)
    if m:
        v = m.group(1).upper() + " " + v[m.end() :]
    return v


def dnr_authority(value: str) -> str | None:
    """The authority code of a normalised diary number, if it has one.

    >>> dnr_authority("KS 2023/1159"), dnr_authority("171-116/2017")
    ('KS', None)
    """
    m = _AUTHORITY.match(value)
    return m.group(1).upper() if m else None


@lru_cache(maxsize=1 << 18)
def dnr_core(value: str) -> str:
    """The numeric core of a diary number: the authority code dropped, spaces removed.

    >>> dnr_core("KS/2019:123")
    '2019:123'
    """
    v = normalise_dnr(value)
    m = _AUTHORITY.match(v)
    if m:
        v = v[m.end() :]
    return v.replace(" ", "")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return text.replace("–", "-")


@lru_cache(maxsize=1 << 18)
def title_years(title: str) -> tuple[int, ...]:
    """Years written in a title (a period ``2018-2022`` gives both ends).

    >>> title_years("Program för ett jämställt Stockholm 2018-2022"), title_years("Handlingsplan 2030")
    ((2018, 2022), (2030,))
    """
    out: list[int] = []
    for m in _YEARS.finditer(title):
        out.append(int(m.group(1)))
        if m.group(2):
            out.append(int(m.group(2)))
    return tuple(out)


@lru_cache(maxsize=1 << 18)
def title_key(title: str) -> str:
    """Blocking key of a program or document title: lower case, no years, no city prefix, no punctuation.

    >>> title_key("Program för barnets rättigheter och inflytande i Stockholms stad 2018-2022")
    'program för barnets rättigheter och inflytande i stockholms stad'
    >>> title_key("HBTQ-policy")
    'hbtq policy'
    """
    t = _fold(title)
    t = _YEARS.sub(" ", t)
    t = _NON_WORD.sub(" ", t).strip()
    t = _CITY_PREFIX.sub("", t)
    return t


_HEADS: Final = (
    "handlingsplan",
    "program",
    "strategi",
    "policy",
    "riktlinje",
    "plan",
    "föreskrift",
    "reglemente",
    "vision",
    "motion",
    "interpellation",
    "protokoll",
    "beslut",
    "tjänsteskrivelse",
    "tjänsteutlåtande",
    "yttrande",
    "rapport",
)


@lru_cache(maxsize=1 << 18)
def head_word(key: str) -> str:
    """The kind of document a title names (its first head noun), used to block resolution; ``""`` if none.

    A *program* and a *handlingsplan* on the same topic are different documents, so they never
    share a block.

    >>> head_word("program för ett jämställt stockholm"), head_word("handlingsplan för ett jämställt stockholm")
    ('program', 'handlingsplan')
    >>> head_word("hbtq policy"), head_word("kultur och föreningsnämndens protokoll 03 24")
    ('policy', 'protokoll')
    >>> head_word("checklista för en hållbar utveckling")
    ''
    """
    for w in key.split():
        h = _head_of(w)
        if h:
            return h
    return ""


_INFLECTIONS: Final = ("", "en", "et", "er", "erna", "n", "na", "ar", "arna", "r", "rna", "t", "s", "ens", "ets", "ns")
_HEAD_ENDINGS: Final = tuple(
    (h, tuple(h + suffix for suffix in _INFLECTIONS + (("met", "men", "mets", "mens") if h.endswith("m") else ())))
    for h in _HEADS
)


def _head_of(word: str) -> str | None:
    """The kind of document a word names: the head noun, inflected (``programmet``, ``strategin``) or at the
    end of a compound (``kvalitetsprogram``). A compound that only starts with it is something else
    (``beslutsfattande``, ``protokollsjusterare``).

    >>> _head_of("programmets"), _head_of("kvalitetsprogram"), _head_of("riktlinjerna"), _head_of("beslutsfattande")
    ('program', 'program', 'riktlinje', None)
    """
    for h, endings in _HEAD_ENDINGS:
        if word.endswith(endings):
            return h
    return None


_ANSWER: Final = re.compile(
    r"^(?:svar på|besvarande av|yttrande över|yttrande angående|yttrande om|remissvar|remissyttrande|motionssvar|"
    r"interpellationssvar)\b|\b(?:svar|besvarande|besvaras|besvarad)$"
    r"|^(?:\w+s )?(?:förslag|beslut) (?:om|på|angående) (?:motion|medborgarförslag|interpellation|e förslag|fråga)"
)
_REFERRAL: Final = re.compile(r"^remiss(?:en)?\b(?! ?svar)")


def document_role(key: str) -> str:
    """What a title key says the document does to another one: ``"answer"`` (``svar på motion om …``,
    ``motion om … svar``), ``"referral"`` (``remiss av program för …``) or ``""``. An answer, a referral
    and the document they answer or refer are different nodes, however alike their words.

    >>> document_role("svar på interpellation från anna om skolan"), document_role("interpellation från anna om skolan")
    ('answer', '')
    >>> document_role("motion av eva om cykelbanor svar"), document_role("remiss av program för trygghet")
    ('answer', 'referral')
    >>> document_role("kommunstyrelsens förslag om medborgarförslaget om bad")
    'answer'
    """
    if _ANSWER.search(key):
        return "answer"
    return "referral" if _REFERRAL.search(key) else ""


def acronym(key: str) -> str:
    """Initials of the content words of a title key (``mänskliga rättigheterna`` → ``mr``).

    Used to resolve aliases such as ``MR-programmet``.

    >>> acronym("program för de mänskliga rättigheterna")
    'mr'
    """
    stop = {"för", "de", "det", "den", "ett", "en", "och", "i", "av", "om", "mot", "med", "till", "på", "att"}
    words = [w for w in key.split() if w not in stop]
    if words and _head_of(words[0]):
        words = words[1:]
    return "".join(w[0] for w in words if w)


def strip_definite(word: str) -> str:
    """Drop a Swedish definite suffix (``programmet`` → ``programm``), roughly; for alias matching only.

    >>> strip_definite("handlingsplanen")
    'handlingsplan'
    """
    return _ARTICLE_SUFFIX.sub("", word)


@dataclass(frozen=True, slots=True)
class NodeRef:
    """What a relation endpoint says about the node it names.

    Attributes:
        kind: ``doc`` (a corpus document, by id), ``program``, ``dnr`` (a case known by its
            diary number only) or ``external`` (another document named by its title or serial).
        value: the document id, program name, diary number or external title.
        diary_number: a diary number written next to a program or title, if any.
        doc_type: the kind of external document, when the text says (``remiss``, ``motion`` …).
    """

    kind: str
    value: str
    diary_number: str | None = None
    doc_type: str | None = None

    @property
    def key(self) -> str:
        """The string form (inverse of :func:`parse_ref`).

        >>> NodeRef("external", "Interpellation 2017:18", doc_type="interpellation").key
        'external:Interpellation 2017:18 | type:interpellation'
        """
        parts = [f"{self.kind}:{self.value}"]
        if self.diary_number and self.kind != "dnr":
            parts.append(f"dnr:{self.diary_number}")
        if self.doc_type:
            parts.append(f"type:{self.doc_type}")
        return " | ".join(parts)


@lru_cache(maxsize=1 << 18)
def parse_ref(key: str) -> NodeRef:
    """Parse a node reference string.

    >>> parse_ref("dnr:KS 2023/1159 | type:remiss")
    NodeRef(kind='dnr', value='KS 2023/1159', diary_number='KS 2023/1159', doc_type='remiss')
    >>> parse_ref("doc:002").kind
    'doc'
    """
    parts = [p.strip() for p in key.split(" | ")]
    kind, _, value = parts[0].partition(":")
    fields = dict(p.partition(":")[::2] for p in parts[1:])
    dnr = fields.get("dnr") or (value if kind == "dnr" else None)
    return NodeRef(kind=kind, value=value, diary_number=dnr, doc_type=fields.get("type"))
