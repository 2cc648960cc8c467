"""``mrtext_programs``: names of programs, plans, strategies, policies and guidelines, with canonical values.

Mentions found (Swedish noun-phrase patterns, matched on characters so that line breaks are harmless):

* head + name complement: ``Program för ett jämställt Stockholm 2018-2022``, ``Stockholms stads program
  för de mänskliga rättigheterna``, ``handlingsplanen för nationella minoriteters rättigheter``,
  ``Doftpolicy för Göteborgs Stads anställda``, ``strategisk plan för jämställdhet``; the complement runs
  to a period (``2018-2022``), punctuation or a verb/stop word, and takes in ``a, b och c`` lists;
* policy compounds (``HBTQ-policy``, ``likabehandlingspolicy``), acronym aliases (``MR-programmet``),
  a genitive owner + compound (``Stockholms stads kvalitetsprogram``), compound + year (``årsplan 2018``);
* items of a list announced as plans (``… handlingsplaner att tas fram för:`` + one topic per line);
* topic compounds alone, also definite (``Klimatstrategi``, ``skärgårdsprogrammet``; not kinds of document
  such as ``åtgärdsprogram``), list items (``- Internationell strategi``);
* names without a complement: title lines (``Strategi Hållbara Mora``, ``Handlingsplan: Jämställdhet och …``,
  ``På spaning efter jämställdheten Handlingsplan``), ``X är en plan/strategi …``, short names closing a name
  (``…, RUFS 2050``), each found again alone later; an owner + bare type noun (``Västra Götalandsregionens
  handlingsplan``) when the document names exactly one plan of that type.

The value is the canonical name *within the document*: aliases defined in parentheses
(``… rättigheterna (MR-programmet)``) resolve to the name they follow, and variants of one name (with and
without period or owner, definite forms, OCR typos) resolve to the fullest variant. ``extract`` can then
resolve year-less names across a batch (:func:`resolve_across_documents`).

>>> [(t, v) for t, v in find_programs("Programmet ersätter Program för ett jämställt Stockholm 2018-2022 (Dnr 1).")]
[('Program för ett jämställt Stockholm 2018-2022', 'Program för ett jämställt Stockholm 2018-2022')]
>>> text = "Stockholms stads program för de mänskliga rättigheterna (MR-programmet) antas. MR-programmet gäller."
>>> [v for _, v in find_programs(text)]  # doctest: +NORMALIZE_WHITESPACE
['Stockholms stads program för de mänskliga rättigheterna', 'Stockholms stads program för de mänskliga rättigheterna',
 'Stockholms stads program för de mänskliga rättigheterna']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein
from spacy.language import Language
from spacy.tokens import Doc

from mrtext.extract.patterns import load_patterns
from mrtext.extract.spans import Candidate, MrtextComponent, doc_text, surface_values

__all__ = ["ProgramFinder", "find_programs", "known_word", "make_programs", "program_key", "resolve_across_documents"]

_WORD = re.compile(r"\d{4}[-–]\d{4}(?!\w)|(?:[^\W_]|[&{|])+(?:-(?:[ \t]*\n[ \t]*)?(?:[^\W_]|[&{|])+)*|[^\w\s]")
_YEARISH = re.compile(r"(?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?")
_ACRONYM_ALIAS = re.compile(
    r"(?<![\w-])(?P<w>[A-Za-zÅÄÖåäö]{2,6}-(?:[ \t]*\n[ \t]*)?(?:programmet|programmets|program|planen|plan|"
    r"strategin|strategi|policyn|policy))(?![\w-])"
)
_GENITIVE = re.compile(r"(?:ernas|arnas|ornas|ens|ets)$")
_LIST_COLON = re.compile(r"(?=[fFoOmM])(?i:för|om|mot)\s*:")
_ACRONYM = re.compile(r"[A-ZÅÄÖ]{2,6}(?:-\w+)?")  # HBTQ, MR, FN: short acronyms may sit inside a name
_AGENDA_ITEM = re.compile(
    r"(?:(?:§|\b[A-ZÅÄÖ][a-zåäö]{0,3})[ \t]*\d{1,3}|(?:^|\n)[ \t]*\d{1,2}\.)[ \t]+$"
)  # "Ks 106 ", "§ 12 ", "5. "
# "Barnkonventionen, handlingsplan": a heading that names the topic first (a line of its own)
_INVERTED = re.compile(
    r"(?m)^[ \t]*(?P<topic>[A-ZÅÄÖ][\w-]+(?:[ \t][\w-]+){0,3}),[ \t]*"
    r"(?P<head>handlingsplan|program|strategi|policy|riktlinjer)[ \t]*$"
)
# "Regional handlingsplan för …", "nationella strategin för …": a scope adjective belongs to a name with a complement
_SCOPE_ADJECTIVE = re.compile(r"(?<![\w-])(?:[Rr]egional|[Nn]ationell|[Kk]ommunal|[Ll]okal|[Gg]emensam)(?:a|t)?[ \t]+$")
_NUMERALS = frozenset({"en", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio"})
_WEAK_ADJECTIVE = re.compile(r"(?:ig|lig|isk|ad|ande|ende|iv|ell|al)a$")  # "de långsiktiga målen"
_DEICTIC_PARTICIPLES = frozenset(
    {
        "gällande",
        "nuvarande",
        "kommande",
        "följande",
        "motsvarande",
        "befintliga",
        "hittillsvarande",
        "pågående",
        "föreliggande",
        "ovanstående",
        "nedanstående",
        "angående",
        "beträffande",
        "rörande",
        "omfattande",
        "övergripande",
        "overgripande",
        "styrande",
        "vägledande",
    }
)
_SECTION_WORDS = frozenset({"inledning", "bakgrund", "sammanfattning", "syfte", "förord", "innehåll", "mål", "vision"})
_ORGAN_WORD = re.compile(r"(?i)(?:styrelsen|nämnden|fullmäktige|förvaltningen|kontoret|utskottet)$")
_SHORT_NAME = re.compile(r", (?P<short>[A-ZÅÄÖ]{2,6} (?:19|20)\d\d)(?![\w-])")
_IS_A = re.compile(r" är (?:en|ett) ")
_LIST_ITEM = re.compile(r"[ \t]*(?:[-–•*»·▪◦]|\d{1,2}[.)])[ \t]+")
_PERIOD = re.compile(r"\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?)$")


def _alternation_of(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _clean(surface: str) -> str:
    """Join line-break hyphens and collapse whitespace: ``MR-\\nprogrammet`` → ``MR-programmet``."""
    return re.sub(r"\s+", " ", re.sub(r"-[ \t]*\n[ \t]*", "-", surface)).strip()


@lru_cache(maxsize=4096)
def known_word(word: str) -> bool:
    """Does Swedish (wordfreq) know ``word``?

    >>> known_word("rättigheter"), known_word("minskliga")
    (True, False)
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "sv") >= 1.0


_HUNSPELL_DIC = "/usr/share/hunspell/sv_SE.dic"


@lru_cache(maxsize=1)
def _proper_nouns() -> frozenset[str]:
    """Capitalised entries of the Debian Swedish hunspell list (place and person names); empty if it is missing."""
    try:
        with Path(_HUNSPELL_DIC).open(encoding="utf-8", errors="replace") as fh:
            return frozenset(w for line in fh if (w := line.split("/", 1)[0].strip())[:1].isupper())
    except OSError:
        return frozenset()


def ends_flattened_name(token: str, prev: str, function_words: frozenset[str] | set[str]) -> bool:
    """Is a capitalised ``token`` after the lowercase content word ``prev`` a new heading, not part of the name?

    PDF mirrors flatten layout, so a name runs straight into the next heading (``handlingsplan mot våld
    Dokumentnamn``). Proper nouns (``jämställt Stockholm``) continue the name.

    >>> ends_flattened_name("Deltagare", "våld", {"i"}), ends_flattened_name("Stockholm", "jämställt", {"i"})
    (True, False)
    """
    names = _proper_nouns()
    if not names or not token[:1].isupper() or token.isupper() or not prev[:1].islower():
        return False
    if prev.lower() in function_words or not prev.isalpha():
        return False
    return token not in names and not (token.endswith("s") and token[:-1] in names)


def _unknown_words(name: str) -> int:
    """How many words of ``name`` Swedish does not know (OCR damage: ``minskliga``); prefers clean spellings."""
    words = re.findall(r"\w+", name.lower())
    debris = sum(1 for w in words if re.search(r"\d", w) and re.search(r"[^\W\d_]", w))  # "i1", "f0r"
    return debris + sum(1 for w in words if len(w) >= 3 and w.isalpha() and not known_word(w))


def program_key(name: str, city: re.Pattern[str] | None = None) -> str:
    """A comparison key: lower case, without owner prefix, period or determiners.

    >>> program_key("Stockholms stads Program för ett jämställt Stockholm 2018-2022")
    'program för ett jämställt stockholm'
    """
    s = _clean(name)
    s = re.sub(r"^(?:[A-ZÅÄÖ]\w+s?\s+(?:stads|Stads|kommuns|läns|regions)\s+|[A-ZÅÄÖ]\w*regionens\s+)", "", s)
    s = _PERIOD.sub("", s)
    return s.casefold()


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    value: str
    kind: str  # "name", "alias", "compound", "item" (value given), "titled" (a titled name mentioned again)


class ProgramFinder:
    """Find program mentions with the lexicons in ``data`` (see ``patterns/programs.json``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.heads: dict[str, str] = data["heads"]
        self.stems: dict[str, str] = data["compound_stems"]
        self.blacklist = set(data["compound_blacklist"])
        self.generic = tuple(data.get("generic_compound_modifiers", []))
        self.prep_variants: dict[str, str] = data.get("preposition_variants", {})
        self.preps = set(data["prepositions"]) | set(self.prep_variants)
        preps = "|".join(map(re.escape, sorted(self.preps, key=len, reverse=True)))
        self.prep_after = re.compile(rf"\s+(?i:{preps})(?!\w)")
        self.stop = set(data["stop_words"])
        self.function_words = set(data["np_function_words"])
        self.plural_det = set(data["plural_determiners"])
        self.adj_suffixes = tuple(data["name_adjective_suffixes"])
        self.abbreviations: dict[str, str] = data.get("abbreviations", {})
        abbr = _alternation_of(self.abbreviations) or "(?!)"
        firsts = "".join(sorted({a[0] for a in self.abbreviations})) or "x"
        self.abbreviation_re = re.compile(
            rf"(?=[{firsts}])(?<![\w-])(?P<abbr>{abbr})[ \t]?(?P<year>(?:19|20)\d\d)(?![\w-])"
        )
        self.city = re.compile(rf"{data['city_genitive']}[ \t]*\n?[ \t]*$")
        self.list_intro = re.compile(data["list_intro"], re.IGNORECASE)
        self.fuzzy = float(data.get("fuzzy_ratio", 90))
        bare = _alternation_of(w for w in self.heads if not w.endswith("s"))
        self.item_adjective_re = re.compile(
            rf"(?m)^[ \t]*(?:[-–•*»·▪◦][ \t]+)(?P<name>(?P<adj>[A-ZÅÄÖ][a-zåäö]+(?:isk|iskt|ell|ellt|al|alt))[ \t]+"
            rf"(?:{bare})(?:[ \t]+(?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?)?)[ \t]*$"
        )
        title_heads = _alternation_of({h.capitalize() for h in self.heads.values()})
        self.title_line_re = re.compile(
            rf"(?m)^(?:[ \t]*\d{{1,3}}[ \t]+)?[ \t]*(?P<head>{title_heads})(?P<colon>:)?[ \t]+"
            r"(?P<name>[A-ZÅÄÖ][\w-]*(?:[ \t]+(?![\w-]+:)[\w-]+){1,7}?)[ \t]*(?=$|[ \t]+[A-ZÅÄÖ][\w-]*:)"
        )
        self.name_then_type_re = re.compile(
            rf"(?m)^(?:[ \t]*\d{{1,3}}[ \t]+)?[ \t]*(?P<name>[A-ZÅÄÖ][\w-]*(?:[ \t]+[\w-]+){{1,6}}?)[ \t]+"
            rf"(?<=[a-zåäö] )(?P<head>{title_heads})(?:[ \t]+[A-ZÅÄÖ][a-zåäö]+)?[ \t]*$"
        )  # a title line whose type noun follows the name (a cover page)
        self.owner_re = r"[A-ZÅÄÖ][\w-]+s[ \t]+(?:kommuns|stads|läns|regions)|[A-ZÅÄÖ][\w-]+s"
        kinds = _alternation_of(
            [
                "plan",
                "strategi",
                "policy",
                "handlingsplan",
                "program",
                "riktlinje",
            ]
        )
        self.is_a_re = re.compile(
            rf"(?:(?:^|(?<=[.!?][ \t])|(?<=\n)|(?<=^\d[ \t])|(?<=\s\d[ \t]))(?:(?P<owner>{self.owner_re})[ \t]+)?"
            rf"|(?<=[a-zåäö][ \t])(?P<owner2>{self.owner_re})[ \t]+)"
            rf"(?P<name>[A-ZÅÄÖ][\w-]*(?:[ \t][\w-]+){{0,5}}?)[ \t]+är[ \t]+(?:en|ett)[ \t]+(?:{kinds})\b",
            re.MULTILINE,
        )
        roots = sorted({h[:6] for h in [*self.heads, *self.stems]}, key=len, reverse=True)
        initials = "".join(sorted({c for r in roots for c in (r[0].lower(), r[0].upper())}))
        # a lookahead on the first letter lets the engine skip most positions before trying the alternation
        self.root_re = re.compile(f"(?=[{initials}])(?:" + "|".join(map(re.escape, roots)) + ")", re.IGNORECASE)

    # ------------------------------------------------------------------ finding
    def find(self, text: str) -> list[Candidate]:
        """Return ``PROGRAM`` candidates with canonical values, in text order."""
        mentions = (
            self._names(text)
            + self._aliases(text)
            + self._list_items(text)
            + self._shorthand(text)
            + self._list_item_names(text)
            + self._titled_names(text)
        )
        mentions = self._drop_overlaps(mentions)
        owned = [m for m in mentions if m.kind == "owned"]
        mentions = [m for m in mentions if m.kind != "owned"]
        self._canonicalise(text, mentions)
        mentions += self._resolve_owned(text, owned, mentions)
        return [Candidate(m.start, m.end, "PROGRAM", m.value) for m in sorted(mentions, key=lambda m: m.start)]

    def _resolve_owned(self, text: str, owned: list[_Mention], named: list[_Mention]) -> list[_Mention]:
        """``Västra Götalandsregionens handlingsplan`` (an owner and a bare type noun) is the document's one named
        plan of that type, if it names exactly one; otherwise it is no mention."""
        out = []
        for m in owned:
            base = self.heads.get(_clean(text[m.start : m.end]).split(" ")[-1].lower())
            values = {n.value for n in named if base and program_key(n.value).split(" ", 1)[0] == base}
            if len(values) == 1:
                m.value = values.pop()
                out.append(m)
        return out

    def _head_base(self, word: str) -> tuple[str, bool] | None:
        """``(base head, is_compound)`` of a word, or ``None`` if it is not a program head."""
        w = _clean(word).lower()
        if w in self.heads:
            return self.heads[w], False
        for stem, base in self.stems.items():
            if w.endswith(stem) and len(w) > len(stem) + 2:
                compound = w[: -len(stem)] + base
                if compound in self.blacklist or w in self.blacklist:
                    return None
                return compound, True
        return None

    def _type_noun(self, word: str) -> bool:
        """Is ``word`` a type noun, also one that is never a name (``investeringsprogram``)?"""
        w = _clean(word).lower()
        return w in self.heads or any(w.endswith(stem) for stem in self.stems)

    def _head_words(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, word)`` of the words containing a head root (a literal scan; fast on long texts)."""
        out = []
        last = -1
        for m in self.root_re.finditer(text):
            s, e = m.start(), m.end()
            if s < last:
                continue
            while s > 0 and (text[s - 1].isalnum() or text[s - 1] == "-"):
                s -= 1
            while e < len(text) and (text[e].isalnum() or text[e] == "-"):
                e += 1
            last = e
            out.append((s, e, text[s:e]))
        return out

    def _names(self, text: str) -> list[_Mention]:
        out = []
        for w_start, w_end, word in self._head_words(text):
            head = self._head_base(word)
            if head is None:
                continue
            base, compound = head
            before = text[max(0, w_start - 60) : w_start]
            prev_words = re.findall(r"[\wåäöÅÄÖ]+", before)
            prev = prev_words[-1].lower() if prev_words else ""
            start = w_start
            if compound:  # "jämställdhets- och mångfaldspolicy": the suspended first half belongs to the name
                start = self._suspended_compound(text, w_start)
                if start < w_start:
                    before = text[max(0, start - 60) : start]
                    prev_words = re.findall(r"[\wåäöÅÄÖ]+", before)
                    prev = prev_words[-1].lower() if prev_words else ""
            city = self.city.search(before) if prev.endswith("s") else None  # owners are genitives
            if city is None and prev.endswith("s"):
                city = self._place_genitive(before)  # "Norrbottens folkhälsostrategi": a place owns it
            if city:
                start = start - (len(before) - city.start())
            elif (
                prev.endswith(("ande", "ende"))
                and prev not in self.stop
                and prev not in _DEICTIC_PARTICIPLES
                and re.search(r"(?:ande|ende)[ \t]+$", before)
                and (self._year_follows(text, w_end) or self.prep_after.match(text, w_end))
            ):  # "kompletterande årsplan 2018": a participle names a variant ("gällande plan" does not)
                start = w_start - len(before) + before.rfind(prev_words[-1])
            elif prev.endswith(self.adj_suffixes) and len(prev) > 5:
                start = w_start - len(before) + before.rfind(prev_words[-1])
                start = self._suspended_compound(text, start)
            if prev in self.plural_det and not city and not word[:1].isupper():
                continue  # "flera olika program för att …": a generic plural
            end = self._complement_end(text, w_end, word)
            if end is not None and start == w_start and not word.isupper() and _SCOPE_ADJECTIVE.search(before):
                start = w_start - len(_SCOPE_ADJECTIVE.search(before).group())  # type: ignore[union-attr]
            if end is not None:
                out.append(_Mention(start, end, "", "name"))
            elif (
                start < w_start
                and not city
                and re.search(r"(?i)politisk[at]?\s*$|-\s+(?:och|eller)\s", text[start:w_start])
            ):
                out.append(_Mention(start, w_end, "", "compound"))  # "barn- och ungdomspolitiska policyn"
            elif start < w_start and not city and not compound:
                continue  # "den strategiska planen": an adjective and a type noun are no name
            elif city and not compound and w_start - start <= 40 and not re.search(r"\s{2,}|\n", text[start:w_start]):
                out.append(_Mention(start, w_end, "", "owned"))  # "Västra Götalandsregionens handlingsplan"
            elif compound and word.isupper() and not city:
                continue  # "JÄMSTÄLLDHETSPOLICY" alone: a section heading
            elif compound and (city or self._is_policy(base) or self._year_follows(text, w_end)):
                end = self._year_follows(text, w_end) or w_end
                if end > w_end:  # "Översiktsplan 2013 för Säters kommun": a complement may follow the year
                    end = self._complement_end(text, end, word) or end
                out.append(_Mention(start, end, "", "compound"))
            elif compound and word[:1].isupper() and _AGENDA_ITEM.search(before):
                out.append(_Mention(start, w_end, "", "compound"))  # "Ks 106 Jämställdhetsplan": an agenda item
            elif compound and self.topic_compound(base) and not _ACRONYM_ALIAS.fullmatch(word):
                out.append(_Mention(start, w_end, "", "compound"))  # "Klimatstrategi", "näringslivsstrategin"
        return out

    @staticmethod
    def _place_genitive(before: str) -> re.Match[str] | None:
        """A place name's genitive right before a head (``Norrbottens``, ``Umeås``), found in the name list."""
        m = re.search(r"(?<![\w-])(?P<place>[A-ZÅÄÖ][a-zåäö]+)s[ \t]+$", before)
        if m is None or m.group("place") not in _proper_nouns():
            return None
        return m

    def topic_compound(self, base: str) -> bool:
        """Does a compound head name its topic (``klimatstrategi``), not only a kind of document (``åtgärdsprogram``)?

        >>> f = ProgramFinder(load_patterns("programs"))
        >>> f.topic_compound("kulturstrategi"), f.topic_compound("åtgärdsprogram"), f.topic_compound("tillväxtprogram")
        (True, False, True)
        """
        for head in ("handlingsplan", "handlingsprogram", *self.heads.values()):
            if base.endswith(head) and len(base) > len(head):
                return not base[: -len(head)].rstrip("-").endswith(self.generic)
        return False

    @staticmethod
    def _suspended_compound(text: str, start: int) -> int:
        """Include ``Barn- och`` before ``ungdomspolitisk policy``."""
        m = re.search(r"[A-ZÅÄÖa-zåäö]+-\s+(?:och|eller)\s+$", text[max(0, start - 30) : start])
        return start - len(m.group()) if m else start

    @staticmethod
    def _is_policy(base: str) -> bool:
        return base.endswith("policy")

    @classmethod
    def _year_follows(cls, text: str, pos: int) -> int | None:
        """End of a period after a name (``årsplan 2018``, ``Översiktsplan Östersund 2040``, ``… 2022-2024 X kommun``)."""
        m = re.match(
            r"(?:[ \t]+(?P<place>[A-ZÅÄÖ][a-zåäö]+))?[ \t]+((?:19|20)\d\d(?:[-–](?:19|20)?\d\d)?)(?![\d\w])",
            text[pos : pos + 40],
        )
        if m is None or (m.group("place") and m.group("place") not in _proper_nouns()):
            return None
        return cls._place_after(text, pos + m.end())

    def _complement_end(self, text: str, pos: int, head_word: str) -> int | None:
        """End of ``för …`` after a head at ``pos``, or ``None`` when no name complement follows."""
        if not self.prep_after.match(text, pos):
            return None
        tokens = [(t.group(), pos + t.start(), pos + t.end()) for t in _WORD.finditer(text[pos : pos + 320])]
        if len(tokens) < 2 or tokens[0][0].lower() not in self.preps:
            return None
        if text[pos : tokens[0][1]].count("\n") > 1 and not self._alone_on_line(text, pos, head_word):
            return None  # "Skärgårdsprogram\n\nför Östergötland …" (a title page) continues; prose does not
        first = tokens[1][0].lower()
        generic_att = first == "att" and not head_word[:1].isupper()
        if first in self.stop and first not in ("att", "de", "det", "den"):
            return None
        end = None
        n_words = 0
        between = False  # inside "mellan X och Y": the "och" continues the name
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        # a short list item's name ends with its line (a long one may be hard-wrapped: scans)
        item = _LIST_ITEM.match(text, line_start) is not None and 0 <= line_end - line_start < 50
        i = 1
        while i < len(tokens) and n_words < 30:
            tok, s, e = tokens[i]
            low = tok.lower()
            gap = text[tokens[i - 1][2] : s]
            if (
                gap.count("\n") > (0 if item else 1)
                and i > 1
                and not (gap.count("\n") == 2 and tok[:1].islower() and tokens[i - 1][0][-1:].isalpha())
            ):  # "Riktlinjer för sociala\n\ninvesteringar": a title broken by a blank line goes on lower-case
                break
            if _YEARISH.fullmatch(tok):
                end = self._place_after(text, e)
                break
            if tok in "-–" and i + 1 < len(tokens) and tokens[i + 1][0] in ("om", "för", "mot", "med"):
                i += 1  # "Program för avfall - om förebyggande och hantering av avfall 2019-2028": a subtitle
                continue
            nxt_low = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
            if (low, nxt_low) in (("bland", "annat"), ("bland", "andra"), ("med", "syfte"), ("i", "syfte")):
                break  # "… bland annat", "… med syfte att …": the name has ended
            between = between or low == "mellan"
            if tok == ",":
                nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
                after = tokens[i + 2][0] if i + 2 < len(tokens) else ""
                if _ACRONYM.fullmatch(nxt) and "-" not in nxt and _YEARISH.fullmatch(after):
                    end = tokens[i + 2][2]  # "… för Stockholmsregionen, RUFS 2050": the short name closes it
                    break
                if not nxt or self._type_noun(nxt) or not self._list_continues(tokens[i + 1 :]):
                    break
                i += 1
                continue
            if not tok[0].isalnum() and tok[0] not in "&{|":
                break
            if tok.isdigit():
                break  # "Miljöpolicy för Öckerö Båttrafik 7. Ansökan …": an agenda number, not part of the name
            if i > 1 and ends_flattened_name(tok, tokens[i - 1][0], self.function_words):
                break
            if len(tok) == 1 and tok.islower() and tok not in "iåöo":
                break  # OCR debris ("r" for "är") ends a name
            if len(tok) >= 3 and tok.isupper() and not head_word.isupper() and not _ACRONYM.fullmatch(tok):
                break  # "… för Vilhelmina kommun INLEDNING Den …": a heading of flattened text
            if head_word.isupper() and (not tok.isupper() or low in _SECTION_WORDS):
                break  # "TILLVÄXTPROGRAM FÖR ÖSTERSUNDS KOMMUN Kommunfullmäktige …": an upper-case title ends
            if (low, nxt_low) in (("från", ""), ("i", "enlighet")) or (low == "från" and _YEARISH.match(nxt_low)):
                break  # "… räddningstjänst från 2022", "… i enlighet med …"
            if low in ("och", "eller", "samt"):
                nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
                places = nxt[:1].isupper() and tokens[i - 1][0][:1].isupper() and nxt.lower() not in self.stop
                if between and low == "och" and nxt and nxt.lower() not in self.stop and not self._head_base(nxt):
                    between = False  # "samverkan mellan kommunen och idrotten"
                    i += 1
                    continue
                if (
                    not nxt
                    or (nxt[0].isupper() and not places)  # "i Östergötland och Småland" continues
                    or self._head_base(nxt)
                    or nxt.lower() in self.stop - self.function_words
                    or nxt.lower() in ("den", "det", "de", "dess", "sin", "sina")  # "… och den regionala …"
                    or (len(nxt) >= 7 and nxt.endswith(("en", "na")))  # "… och förslagen i …": a new definite NP
                    or (low == "samt" and len(nxt) >= 5 and nxt.endswith(("at", "it", "ats", "its", "ade", "ades")))
                ):
                    break
                i += 1
                continue
            if low in self.stop and low not in self.function_words:
                break
            if i > 1 and self._head_base(tok) and low not in ("program",):
                break
            if low not in self.function_words:
                end = e
            n_words += 1
            nxt_low = tokens[i + 1][0].lower() if i + 1 < len(tokens) else ""
            if n_words > 1 and _GENITIVE.search(low) and (nxt_low in _NUMERALS or nxt_low[:1].isdigit()):
                break  # "… rättigheternas tre fokusområden": the name ends with the genitive
            i += 1
        if end is None or not any(
            (len(t) > 3 and t.lower() not in self.function_words) or (len(t) >= 2 and t.isupper() and t.isalpha())
            for t, s, e in tokens[1:]
            if e <= end
        ):  # "Program för VA": an acronym is a topic
            return None
        named = [t for t, s, e in tokens[1:] if e <= end and (t[:1].isupper() or _YEARISH.fullmatch(t))]
        content = [t for t, s, e in tokens[1:] if e <= end and t[:1].isalpha() and t.lower() not in self.function_words]
        if not content:
            return None  # "plan för 2019-2022": a period is no topic
        if (
            not named
            and head_word in ("plan", "planen")
            and all(self._definite(t) or _WEAK_ADJECTIVE.search(t) for t in content)
        ):
            return None  # "plan för kompetensförsörjningen", "plan för verksamheten och ekonomin": a description
        if content[-1].lower() in _DEICTIC_PARTICIPLES or (len(content) == 1 and _ORGAN_WORD.search(content[0])):
            return None  # "program för de kommande (åren)", "handlingsplan för kommunstyrelsen": no topic
        if generic_att and not named:
            return (
                None  # "en strategi för att minska …" is a method; "strategi för att stärka … i Haninge kommun" a name
            )
        return end

    @staticmethod
    def _definite(word: str) -> bool:
        """A definite common noun (``verksamheten``, ``arbetet``, ``målen``, ``ekonomin``), not a genitive.

        >>> ProgramFinder._definite("kompetensförsörjningen"), ProgramFinder._definite("jämställdhet")
        (True, False)
        """
        w = word.lower()
        if w.endswith(("het", "tet")) or w in ("vatten", "öppen", "egen"):
            return False  # jämställdhet, kvalitet: indefinite
        return len(w) >= 5 and w.endswith(("en", "et", "na", "an", "in"))

    @staticmethod
    def _alone_on_line(text: str, pos: int, head_word: str) -> bool:
        """Is the head word that ends at ``pos`` a line of its own (a title page's layout)?"""
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        return text[line_start : line_end if line_end >= 0 else len(text)].strip() == head_word

    @staticmethod
    def _place_after(text: str, pos: int) -> int:
        """End of ``<Name> kommun`` after a period (``Flerårsplan 2022-2024 Strängnäs kommun``), else ``pos``."""
        m = re.match(
            r"[ \t]+[A-ZÅÄÖ][\w-]+(?:s)?[ \t]+(?:kommun|stad|län|region|landsting)(?![\w-])", text[pos : pos + 50]
        )
        return pos + m.end() if m else pos

    def _list_continues(self, rest: list[tuple[str, int, int]]) -> bool:
        """After a comma: does an ``och``/``eller``/``samt`` come before the clause ends?"""
        for tok, _, _ in rest[:25]:
            low = tok.lower()
            if low in ("och", "eller", "samt"):
                return True
            if (not tok[0].isalnum() and tok != ",") or (low in self.stop and low not in self.function_words):
                return False
        return False

    def _list_item_names(self, text: str) -> list[_Mention]:
        """A list item that is only an adjective and a type noun (``- Internationell strategi``) names a document."""
        return [
            _Mention(m.start("name"), m.end("name"), "", "compound")
            for m in self.item_adjective_re.finditer(text)
            if m.group("adj").lower() not in self.stop
        ]

    def _titled_names(self, text: str) -> list[_Mention]:
        """Names without a complement: a title line ``Strategi Hållbara Mora`` / ``Handlingsplan: Jämställdhet och …``
        (a type noun and a capitalised name), a sentence ``Aktiva åtgärder för jämställdhet är en plan som …``; then
        the other mentions of the bare name (``hållbara Mora``) resolve to it.

        >>> f = ProgramFinder(load_patterns("programs"))
        >>> text = "Strategi Hållbara Mora\\n\\nHållbara Mora är en strategi. Aktiva åtgärder för jämställdhet är en plan."
        >>> [(text[m.start:m.end], m.value) for m in f._titled_names(text)]  # doctest: +NORMALIZE_WHITESPACE
        [('Strategi Hållbara Mora', 'Strategi Hållbara Mora'), ('Hållbara Mora', 'Strategi Hållbara Mora'),
         ('Aktiva åtgärder för jämställdhet', 'Aktiva åtgärder för jämställdhet')]
        """
        out: list[_Mention] = []
        names: dict[str, str] = {}  # bare name (casefolded) -> value
        for m in self.title_line_re.finditer(text):
            name = m.group("name").rstrip(" ,.;")
            words = name.split()
            if len(words) < 2 or words[0].lower() in self.stop or words[0].lower() in self.function_words:
                continue
            head = m.group("head")
            value = f"{head} för {name[:1].lower()}{name[1:]}" if m.group("colon") else f"{head} {name}"
            out.append(_Mention(m.start("head"), m.start("name") + len(name), value, "item"))
            if any(w[:1].isupper() for w in words[1:]):  # "Hållbara Mora" is a name alone; "Våld i nära relationer" not
                names.setdefault(name.casefold(), value)
        for m in self.name_then_type_re.finditer(text):
            name = m.group("name")
            words = name.split()
            if words[0].lower() in self.stop or self._head_base(words[-1]) or any(w.endswith(":") for w in words):
                continue
            out.append(_Mention(m.start("name"), m.end("name"), name, "item"))
            names.setdefault(name.casefold(), name)
        for m in self._is_a_matches(text):
            name = m.group("name")
            words = name.split()
            if words[0].lower() in self.stop or words[0].lower() in self.function_words or self._head_base(words[-1]):
                continue
            if len(words) < 2 and words[0] not in _proper_nouns():
                continue
            value = names.setdefault(name.casefold(), name)
            owner = "owner" if m.group("owner") else "owner2" if m.group("owner2") else "name"
            out.append(_Mention(m.start(owner), m.end("name"), value, "item"))
        for m in _SHORT_NAME.finditer(text):  # "… Stockholmsregionen, RUFS 2050" defines "RUFS 2050"
            full = self._short_name_owner(text, m)
            if full is not None:
                names.setdefault(m.group("short").casefold(), full)
        taken = [(m.start, m.end) for m in out]
        for key, value in names.items():
            for m in re.finditer(
                rf"(?<![\w-])(?:(?P<owner>{self.owner_re})[ \t]+)?{_split_tolerant(key)}(?![\w-])", text, re.I
            ):
                s = m.start("owner") if m.group("owner") else m.start()
                if not any(a < m.end() and s < b for a, b in taken):
                    out.append(_Mention(s, m.end(), value, "titled"))
                    taken.append((s, m.end()))
        return sorted(out, key=lambda m: m.start)

    def _short_name_owner(self, text: str, m: re.Match[str]) -> str | None:
        """The value of the name that ``, RUFS 2050`` closes (a head within the 120 characters before), if any."""
        before = text[max(0, m.start() - 120) : m.start()]
        heads = [h for h in self._head_words(before) if self._head_base(h[2])]
        if not heads:
            return None
        start = max(0, m.start() - 120) + heads[-1][0]
        end = self._complement_end(text, max(0, m.start() - 120) + heads[-1][1], heads[-1][2])
        scope = _SCOPE_ADJECTIVE.search(text[max(0, start - 30) : start])
        start -= len(scope.group()) if scope else 0  # "regionala utvecklingsplan …"
        return self.surface_value(text[start:end]) if end == m.end() else None

    def _is_a_matches(self, text: str) -> list[re.Match[str]]:
        """``X är en plan/strategi …`` sentences, searched only around the literal ``är en``/``är ett`` (fast)."""
        out: list[re.Match[str]] = []
        for hit in _IS_A.finditer(text):
            lo = max(0, hit.start() - 160)
            m = self.is_a_re.search(text, lo, hit.end() + 40)
            while m is not None and m.end() < hit.end():
                m = self.is_a_re.search(text, m.end(), hit.end() + 40)
            if m is not None and not (out and out[-1].start() == m.start()):
                out.append(m)
        return out

    def _aliases(self, text: str) -> list[_Mention]:
        return [_Mention(m.start("w"), m.end("w"), "", "alias") for m in _ACRONYM_ALIAS.finditer(text)]

    def _list_items(self, text: str) -> list[_Mention]:
        """Topics listed after ``… handlingsplaner att tas fram för:`` (one per line)."""
        out = []
        for colon in _LIST_COLON.finditer(text):
            intro = self.list_intro.search(text, max(0, colon.start() - 100), colon.end())
            if intro is None or intro.end() != colon.end():
                continue
            plural = re.match(r"\w+", intro.group()).group().lower()  # type: ignore[union-attr]
            head = self.data["list_head"].get(plural, "Plan")
            pos = intro.end()
            for para in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text[pos : pos + 1500]):
                item = para.group()
                if len(_clean(item)) > 100 or _clean(item)[-1:] in ".:":
                    break
                lead = re.match(r"\s*(?:[-–•*»·▪]|e(?= [A-ZÅÄÖ]))?\s*", item)
                s = pos + para.start() + (lead.end() if lead else 0)
                body = text[s : pos + para.end()]
                body = re.sub(r"\s*\([^)]*\)\s*$", "", body).rstrip(" \t.;,")
                if body:
                    topic = _clean(body)
                    out.append(_Mention(s, s + len(body), f"{head} för {topic[:1].lower()}{topic[1:]}", "item"))
        return out

    def _shorthand(self, text: str) -> list[_Mention]:
        """Abbreviated and inverted names with a known value: ``ÖP 2040``, ``Barnkonventionen, handlingsplan``.

        >>> f = ProgramFinder(load_patterns("programs"))
        >>> [m.value for m in f._shorthand("Nya ÖP 2040 ersätter.\\nBarnkonventionen, handlingsplan\\n")]
        ['Översiktsplan 2040', 'Handlingsplan för barnkonventionen']
        """
        out = [
            _Mention(m.start(), m.end(), f"{self.abbreviations[m.group('abbr')]} {m.group('year')}", "item")
            for m in self.abbreviation_re.finditer(text)
        ]
        for m in _INVERTED.finditer(text):
            topic = m.group("topic")
            if topic.split()[0] not in _proper_nouns():
                topic = topic[:1].lower() + topic[1:]
            out.append(_Mention(m.start(), m.end(), f"{m.group('head').capitalize()} för {topic}", "item"))
        return out

    @staticmethod
    def _drop_overlaps(mentions: list[_Mention]) -> list[_Mention]:
        rank = {"item": 0, "name": 1, "compound": 2, "alias": 3, "titled": 4, "owned": 5}
        kept: list[_Mention] = []
        for m in sorted(mentions, key=lambda m: (rank[m.kind], -(m.end - m.start))):
            if not any(m.start < k.end and k.start < m.end for k in kept):
                kept.append(m)
        return kept

    # ------------------------------------------------------------- canonicalise
    def surface_value(self, surface: str) -> str:
        """Normalised surface form: clean spacing, indefinite head, capitalised.

        >>> ProgramFinder(load_patterns("programs")).surface_value("programmet för barnets\\nrättigheter")
        'Program för barnets rättigheter'
        >>> ProgramFinder(load_patterns("programs")).surface_value("regionala handlingsplanen för arbetet")
        'Regional handlingsplan för arbetet'
        """
        s = _clean(surface)
        if s.isupper():  # "KULTURPLAN FÖR SALA KOMMUN": lower case, names capitalised again
            s = " ".join(w.capitalize() if _is_proper(w) else w for w in s.lower().split(" "))
        words = s.split(" ")
        for i, w in enumerate(words):
            hb = self._head_base(w)
            if hb is not None:
                words[i] = self._compound_base(w) if hb[1] else hb[0]
                if i == 1 and _SCOPE_ADJECTIVE.search(words[0] + " "):  # "regionala handlingsplanen" → "Regional …"
                    neuter = words[i].endswith("program")
                    words[0] = re.sub(r"(?:a|t)$", "", words[0]) + ("t" if neuter else "")
                if i + 1 < len(words) and words[i + 1] in self.prep_variants:
                    words[i + 1] = self.prep_variants[words[i + 1]]
                break
        s = " ".join(words)
        s = re.sub(r"(?<=[a-zåäö]) år (?=(?:med|för|i|om|mot|på|och)\b)", " ", s)  # "arbetet år med": a lost year
        s = re.sub(r"iska (\w+)$", r"isk \1", s) if words[-1] in self.heads.values() else s
        s = re.sub(r"s$", "", s) if re.search(r"(?:erna|arna|orna|ena|na)s$", s) else s
        return s[:1].upper() + s[1:]

    def _compound_base(self, word: str) -> str:
        low = word.lower()
        for stem, base in self.stems.items():
            if low.endswith(stem):
                return word[: len(word) - len(stem)] + base
        return word

    def _canonicalise(self, text: str, mentions: list[_Mention]) -> None:
        for m in mentions:
            if m.kind not in ("item", "titled"):
                m.value = self.surface_value(text[m.start : m.end])
        # aliases defined in parentheses right after a name: "NAME (MR-programmet)"
        alias_of: dict[str, str] = {}
        for m in mentions:
            if m.kind == "alias":
                pre = text[max(0, m.start - 3) : m.start]
                if "(" in pre:
                    name = max(
                        (n for n in mentions if n.kind in ("name", "compound") and 0 <= m.start - n.end <= 3),
                        key=lambda n: n.end,
                        default=None,
                    )
                    if name is not None:
                        alias_of[self._alias_key(m.value)] = name.value
        groups = self._group(
            [m.value for m in mentions if m.kind != "alias" or self._alias_key(m.value) not in alias_of]
        )
        for m in mentions:
            if m.kind == "alias" and self._alias_key(m.value) in alias_of:
                m.value = alias_of[self._alias_key(m.value)]
            m.value = groups.get(m.value, m.value)
        groups = self._group([m.value for m in mentions])
        for m in mentions:
            m.value = groups.get(m.value, m.value)

    @staticmethod
    def _alias_key(value: str) -> str:
        return re.sub(r"(?:met|et|en|n)$", "", value.casefold())

    def _group(self, values: Iterable[str]) -> dict[str, str]:
        """Map each value to the canonical variant of its group (same key, fuzzily)."""
        counts = Counter(values)
        keys = {v: program_key(v) for v in counts}
        clusters: list[list[str]] = []
        for v in sorted(counts, key=lambda v: -len(v)):
            for cl in clusters:
                if same_name(keys[v], keys[cl[0]], self.fuzzy) and not _other_period(v, cl[0]):
                    cl.append(v)
                    break
            else:
                clusters.append([v])
        clusters = self._merge_bare_compounds(clusters, keys)
        out = {}
        for cl in clusters:
            best = max(
                cl,
                key=lambda v: (
                    bool(_YEARISH.search(v)),  # "Flerårsplan 2022-2024 Strängnäs kommun" has a period too
                    " " in keys[v],  # "Tillväxtprogram för Östersunds kommun" over "Östersunds kommuns tillväxtprogram"
                    keys[v] != v.casefold(),
                    -_unknown_words(v),
                    counts[v],
                    len(v),
                ),
            )
            for v in cl:
                out[v] = best
        return out

    def _merge_bare_compounds(self, clusters: list[list[str]], keys: dict[str, str]) -> list[list[str]]:
        """Within a document, a bare topic compound (``Skärgårdsprogrammet``, ``Östersunds kommuns tillväxtprogram``)
        is the one fuller name of the same compound (``Skärgårdsprogram för Östergötland och Kalmar län``)."""
        merged: list[list[str]] = []
        bare: list[list[str]] = []
        for cl in clusters:
            key = keys[cl[0]]
            (bare if " " not in key and self._head_base(key) and self._head_base(key)[1] else merged).append(cl)  # type: ignore[index]
        for cl in bare:
            fuller = [
                m for m in merged if keys[m[0]].split(" ", 1)[0] == keys[cl[0]] and not _other_period(m[0], cl[0])
            ]
            if len(fuller) == 1:
                fuller[0].extend(cl)
            else:
                merged.append(cl)
        return merged


def _is_proper(word: str) -> bool:
    """Is a lower-cased word a place or person name (``sala``, ``östersunds``)?"""
    names = _proper_nouns()
    cap = word.capitalize()
    return len(word) > 2 and (cap in names or (cap.endswith("s") and cap[:-1] in names))


def _split_tolerant(name: str) -> str:
    """A regex for ``name`` whose long last word may be split by a mirror's stray space (``jämställd heten``).

    >>> bool(re.fullmatch(_split_tolerant("på spaning efter jämställdheten"), "På spaning efter jämställd heten", re.I))
    True
    """
    words = name.split()
    last = words[-1]
    tail = re.escape(last) if len(last) < 8 else " ?".join(map(re.escape, last))
    return r"[ \t]+".join([*map(re.escape, words[:-1]), tail])


def _other_period(a: str, b: str) -> bool:
    """Do two names carry different periods (``Översiktsplan 2025`` vs ``Översiktsplan 2040``: two documents)?

    >>> _other_period("Översiktsplan 2025", "Översiktsplan 2040"), _other_period("Program 2018-2022", "Program")
    (True, False)
    """
    pa, pb = _PERIOD.search(_clean(a)), _PERIOD.search(_clean(b))
    return bool(pa and pb and pa.group().strip() != pb.group().strip())


def same_name(key_a: str, key_b: str, fuzzy: float = 90.0) -> bool:
    """Do two :func:`program_key` keys name the same document? Same head word and nearly equal, or one extends the other.

    >>> same_name("program för barnets rättigheter", "program för barnets rättigheter och inflytande i stockholms stad")
    True
    >>> same_name("handlingsplan för romsk inkludering", "strategi för romsk inkludering")
    False
    """
    a, b = sorted((key_a, key_b), key=len)
    if DamerauLevenshtein.distance(a, b) <= 1:
        return True  # one typo: "hbqt-policy" / "hbtq-policy"
    if a.split(" ", 1)[0] != b.split(" ", 1)[0]:
        return False
    if fuzz.ratio(a, b) >= fuzzy:
        return True
    return len(a.split()) >= 4 and b.startswith(a + " ")


def resolve_across_documents(values: list[list[str]], fuzzy: float = 90.0) -> list[dict[str, str]]:
    """Resolve names across the documents of a batch.

    1. A bare name (no period) resolves to the one fuller variant, with a period, else with an owner
       (``Stockholms stads …``), that another document gives.
    2. Dated variants of one name with the same period but a different wording (``… könsidentitet och
       könsuttryck 2018-2022`` / ``… eller …``) resolve to the wording more documents use (no change on a tie).

    ``values[i]`` are the program values of document ``i``; returns one ``{old: new}`` map per document.

    >>> resolve_across_documents([["Program för ett jämställt Stockholm"], ["Program för ett jämställt Stockholm 2018-2022"]])
    [{'Program för ett jämställt Stockholm': 'Program för ett jämställt Stockholm 2018-2022'}, {}]
    >>> a = "Program för lika rättigheter oavsett sexuell läggning, könsidentitet eller könsuttryck 2018-2022"
    >>> b = a.replace(" eller ", " och ")
    >>> resolve_across_documents([[a], [a], [b]]) == [{}, {}, {b: a}]
    True
    """
    dated: set[str] = set()
    owned: set[str] = set()
    for doc_values in values:
        for v in doc_values:
            if _PERIOD.search(v):
                dated.add(v)
            elif program_key(v) != v.casefold():
                owned.add(v)
    out = []
    for doc_values in values:
        mapping = {}
        for v in set(doc_values):
            if _PERIOD.search(v):
                continue
            key = program_key(v)
            for pool in (dated, owned):
                cands = {d for d in pool if d != v and same_name(program_key(d), key, fuzzy)}
                exact = {d for d in cands if program_key(d) == key}
                cands = exact if len(exact) == 1 else cands
                if len(cands) == 1:
                    mapping[v] = cands.pop()
                if cands or v in mapping:
                    break
        out.append(mapping)
    return _majority_wording(values, out, fuzzy)


def _majority_wording(values: list[list[str]], maps: list[dict[str, str]], fuzzy: float) -> list[dict[str, str]]:
    finals = [{v: m.get(v, v) for v in doc} for doc, m in zip(values, maps, strict=True)]
    docs_with: Counter[str] = Counter(f for doc in finals for f in set(doc.values()) if _PERIOD.search(f))
    reps: list[str] = []
    rep: dict[str, str] = {}
    for v in sorted(docs_with, key=lambda v: (-docs_with[v], v)):
        period = _PERIOD.search(v).group().strip()  # type: ignore[union-attr]
        match = next(
            (
                r
                for r in reps
                if _PERIOD.search(r).group().strip() == period  # type: ignore[union-attr]
                and fuzz.ratio(program_key(r), program_key(v)) >= fuzzy
            ),
            None,
        )
        if match is not None and docs_with[match] > docs_with[v]:
            rep[v] = match
        else:
            reps.append(v)
    return [{v: rep.get(f, f) for v, f in doc.items() if rep.get(f, f) != v} for doc in finals]


def find_programs(text: str) -> list[tuple[str, str | None]]:
    """``(text, value)`` of the program mentions in ``text`` with the packaged patterns."""
    return surface_values(ProgramFinder, "programs", text, "PROGRAM")


class ProgramComponent(MrtextComponent):
    """spaCy component writing ``PROGRAM`` spans to ``doc.spans["mrtext_programs"]``.

    >>> import spacy
    >>> nlp = spacy.blank("sv"); _ = nlp.add_pipe("mrtext_programs")
    >>> doc = nlp("Kommunen antog en HBTQ-policy och Strategi för romsk inkludering 2018-2022.")
    >>> [(s.text, s._.mrtext_value) for s in doc.spans["mrtext_programs"]]
    [('HBTQ-policy', 'HBTQ-policy'), ('Strategi för romsk inkludering 2018-2022', 'Strategi för romsk inkludering 2018-2022')]
    """

    data_file = "programs.json"

    def compile(self) -> None:
        self.finder = ProgramFinder(self.data)

    def match(self, doc: Doc) -> list[Candidate]:
        return self.finder.find(doc_text(doc))


@Language.factory(
    "mrtext_programs",
    assigns=["doc.spans"],
    default_config={"span_key": "mrtext_programs", "patterns": None},
)
def make_programs(nlp: Language, name: str, span_key: str, patterns: dict[str, Any] | None) -> ProgramComponent:
    """Build the ``mrtext_programs`` component; ``patterns`` defaults to ``patterns/programs.json``."""
    return ProgramComponent(nlp, name, span_key=span_key, data=patterns or load_patterns("programs"))
