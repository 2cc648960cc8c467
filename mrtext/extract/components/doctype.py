"""``mrtext_doctype``: document metadata, as JSON-able ``Doc._`` attributes.

* ``Doc._.mrtext_title``: the first heading-like paragraph (markup, bookmarks and a trailing
  ``, Dnr …`` removed, lines joined);
* ``Doc._.mrtext_doc_type``: one of :data:`mrtext.model.DOC_TYPES`. Title/header rules decide when one
  fires (``Svar på interpellation …``, ``Motion om …``, ``Protokoll``); otherwise the trained classifier
  (:mod:`mrtext.extract.linear`) when its probability reaches ``threshold``; otherwise ``other``.
  ``Doc._.mrtext_doc_type_scores`` keeps the classifier's probabilities (``None`` when a rule decided);
* ``Doc._.mrtext_date``: the document's own date: a dated header line in the first lines, or a signature
  line (``Stockholm den 6 december 2017``) near the end; never a meeting date or deadline in the body;
* ``Doc._.mrtext_diary_number``: the first diary number in the header.

Requires ``mrtext_dnr`` and ``mrtext_dates`` earlier in the pipeline.

>>> import spacy
>>> nlp = spacy.blank("sv")
>>> for name in ("mrtext_dnr", "mrtext_dates", "mrtext_doctype"): _ = nlp.add_pipe(name)
>>> doc = nlp("## **Svar på interpellation om stadens program**\\n\\nJag svarar.\\n\\nStockholm den 6 december 2017\\n\\nÅsa")
>>> doc._.mrtext_title, doc._.mrtext_doc_type, doc._.mrtext_date
('Svar på interpellation om stadens program', 'svar_pa_interpellation', '2017-12-06')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from mrtext.extract.components.programs import ends_flattened_name, known_word
from mrtext.extract.linear import LinearTextModel
from mrtext.extract.patterns import load_patterns
from mrtext.extract.spans import SPAN_KEYS, Candidate, MrtextComponent, doc_text, forget_text, install_extensions

__all__ = ["DocMetadata", "clean_title", "make_doctype"]

_PAGE_MARK = re.compile(
    r"(?i)(?:sida\s*|sidan\s*)?(?:\d{1,3}\s*(?:\(\s*\d{1,3}\s*\)|av\s+\d{1,3}|/\s*\d{1,3})|\(\s*\d{1,3}\s*\))"
)  # "1(36)", "Sida 1 av 3", "2/4", "(1)"
_WEB = re.compile(r"(?:www\.)?[\w-]+\.(?:se|nu|com|org)\b")
_CAPTION = re.compile(r"\b(?:Foto|Bild|Illustration)\s*:")
_TITLE_FIELD = re.compile(r"\s(?:Datum|Sid|Sida|Sammanträdesdatum|Dnr|Diarienummer)(?=\s|:|$)")
_DATE_LINE = re.compile(r"(?:(?:[Dd]atum|[Dd]en)\s*:?\s*)?(?:\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-zåäö]+\.?\s+\d{4})")
_DNR_LINE = re.compile(r"(?:[Dd]nr|[Dd]iarienummer|[Ää]rendenummer)\b.{0,30}")
_LABEL_LINE = re.compile(
    r"(?i)(?:datum|dnr|diarienummer|sida|beteckning|vår beteckning|er beteckning|handläggare)\s*:?"
)
_REF_LINE = re.compile(r"(?:[A-ZÅÄÖ][\w-]+\s+)?(?i:ref|er ref|vår ref|ert dnr|vårt dnr)\.?\s*:?\s*\S+")
_TYPE_LABEL_LINE = re.compile(r"(?i)(?:tjänsteskrivelse|tjänsteutlåtande|utdragsbestyrkande|till\s+\w+(?:\s+\w+)?)")
_FIELD_LABEL = re.compile(
    r"\s+(?:Dokumentnamn|Dokumenttyp|Dokumentansvarig|Författare|Version|Godkänd|Godkänt|Fastställd|Fastställt|"
    r"Beslutad|Beslutat|Reviderad|Giltighetstid|Handläggare|Datum):\s"
)
_SPACED_WORD = re.compile(r"(?=[A-ZÅÄÖ] [A-ZÅÄÖ] )(?<!\S)(?:[A-ZÅÄÖ] ){3,}[A-ZÅÄÖ](?!\S)")
_MEETING_DATE_CUE = re.compile(r"(?i)\bsammanträdes(?:dag|datum)\s*:?\s*(?:den\s+)?$")
_INLINE_PAGE_MARK = re.compile(r"\s(?:[Ss]ida\s*)?\d{1,3}\s*\(\s*\d{1,3}\s*\)(?:\s|$)")
_DATED_CONTINUATION = re.compile(r"den\s+\d{1,2}\s+[a-zåäö]+\.?\s+\d{4}")
_TITLE_FUNCTION_WORDS = frozenset(load_patterns("programs")["np_function_words"]) | {"ang", "angående", "gällande"}
_COVER_FIELD = re.compile(r"(?i)(?:plats och tid|tid och plats|sammanträdestid|beslutande)\b")
_ORGAN = re.compile(r"\bOrgan\s*:?\s+(?P<organ>[A-ZÅÄÖ][\w-]*?s[ \t]+[a-zåäö][\w-]*|[A-ZÅÄÖ][\w-]*)")
_ADOPTION = re.compile(r"\s(?:Antagen|Antaget|Antagna|Fastställd|Fastställt|Beslutad|Beslutat)\s+(?:av|i|den)\b")
_DATE_CUE = re.compile(
    r"(?i)(?:\b(?:datum(?:\s+sid[a]?)?|daterad|daterat|daterade|sammanträdes(?:dag|datum)|dag och tid|publicerad|"
    r"publicerat|registreringsdatum)\b|"
    r"\b(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?)\s*[:–-]?\s*(?:den\s+)?$"
)
_WEEKDAY_CUE = re.compile(r"(?i)\b(?:måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag)(?:en)?\s*(?:den\s+)?$")
_NOTICE = re.compile(r"(?i)\b(?:kallelse|kungörelse|föredragningslista|ärendelista)\b")
_UPDATED = re.compile(r"(?i)\buppdaterad\s*:?\s*(?:den\s+)?$")
_LEADING_NUMBERS = re.compile(
    r"^(?:(?:\d{1,4}|§\s*\d+|[A-ZÅÄÖ]{1,6}\s+\d{1,4}/\d{2,4}|Handling\s+\d{4}\s+nr\s+\d+)\s+)+(?=[A-ZÅÄÖ])"
)  # page numbers, paragraph and case numbers, a serial ("Handling 2003 nr 40") before the title
_CASE_NUMBER = re.compile(r"[A-ZÅÄÖ][A-Za-zåäö]{0,5}\s+\d{1,6}/\d{2,4}\b")
_HEADER_JUNK = re.compile(
    r"\S\s+(?:[Dd]nr\b|[A-ZÅÄÖ]{2,}/\d{4}:\d+|\(\d{1,3}\)\s|[Ss]idan?\s+\d+\s+av\s+\d+)"
)  # a flattened header in a title
_TYPE_NOUN_AFTER = re.compile(r"(?<=[a-zåäö]) (?:Handlingsplan|Strategi|Program|Policy|Riktlinjer|Plan)\b.*$")
_BROKEN_TITLE = re.compile(r"\A((?:[^\n]*\n){0,8}?[^\n]*[a-zåäö])[ \t]*\n[ \t]*\n(?=[a-zåäö][^\n]{0,40}\n)")
_QUOTE_CUE = re.compile(r"(?i)\b(?:ange|uppge|märk|hänvisa\s+till)\b[^.\n]{0,40}$")  # a remiss: "Ange diarienummer"
_MARKUP = re.compile(r"\[bookmark:[^\]]*\]|[#*_]{1,3}|^\s*\d{1,3}\s+(?=[A-ZÅÄÖ])")


_FOLD: dict[int, str] = {
    ord(k): v for k, v in {"å": "[åa]", "ä": "[äa]", "ö": "[öo]", "Å": "[ÅA]", "Ä": "[ÄA]", "Ö": "[ÖO]"}.items()
}


def fold_diacritics(pattern: str) -> str:
    """Let ``å``/``ä``/``ö`` in a regex also match the ``a``/``a``/``o`` of scans that lost them.

    >>> re.search(fold_diacritics("svar på remiss"), "svar pa remiss fran KS") is not None
    True
    """
    return pattern.translate(_FOLD)


def _join_broken(m: re.Match[str]) -> str:
    """Join ``Sammanträdes- protokoll`` (a compound's linking s, or a known word); keep ``motion- kommunens``."""
    left, right = m.group(1), m.group(2)
    if known_word((left + right).lower()) or (left.endswith("s") and known_word(right.lower())):
        return left + right
    return m.group()


def clean_title(paragraph: str) -> str:
    """Title text of a heading paragraph: markup and a trailing diary number removed, spacing normalised.

    >>> clean_title("## **Svar på remiss från kommunstyrelsen, Dnr KS 2023/1159**")
    'Svar på remiss från kommunstyrelsen'
    >>> clean_title("[bookmark: _GoBack]För en HBQT-policy i\\nStockholms stad")
    'För en HBQT-policy i Stockholms stad'
    >>> clean_title("Sammanträdes- protokoll"), clean_title("Svar på motion- kommunens ansvar")
    ('Sammanträdesprotokoll', 'Svar på motion- kommunens ansvar')
    """
    s = _MARKUP.sub("", paragraph)
    s = re.sub(r"-[ \t]*\n[ \t]*(?=[a-zåäö])", "", s)
    s = " ".join(s.split())
    s = re.sub(  # "Sammanträdes- protokoll": a word broken at a line-end hyphen (not "Svar på motion- kommunens")
        r"(\w*[a-zåäö])- ([a-zåäö]\w*)",
        _join_broken,
        s,
    )
    s = re.sub(r"[,;]?\s*\(?(?:[Dd]nr|[Dd]iarienummer)\b.*$", "", s)
    s = re.sub(r",\s*[A-ZÅÄÖ]{1,6}\s+\d{4}/\d+\s*$", "", s)
    return s.strip(" ,;:-–")


def unspace_letters(text: str) -> str:
    """Join a letter-spaced heading word (``T J Ä N S T E S K R I V E L S E`` → ``TJÄNSTESKRIVELSE``).

    >>> unspace_letters("T J Ä N S T E S K R I V E L S E 2020-08-18 Sida 1 av 3")
    'TJÄNSTESKRIVELSE 2020-08-18 Sida 1 av 3'
    """
    return _SPACED_WORD.sub(lambda m: m.group().replace(" ", ""), text)


def _first_heading(title: str) -> str:
    """Cut a run-on title where a flattened heading starts (a capitalised common word after a content word).

    >>> _first_heading("Regional handlingsplan för socialtjänsten i Dalarnas län Våld i nära relationer Att bekämpa")
    'Regional handlingsplan för socialtjänsten i Dalarnas län'
    """
    words = title.split(" ")
    for i in range(2, len(words)):
        if ends_flattened_name(words[i], words[i - 1], _TITLE_FUNCTION_WORDS):
            return " ".join(words[:i]).rstrip(" ,;:-–")
    return title


def _paragraphs(text: str) -> Iterator[str]:
    """Blank-line separated paragraphs, lazily (only the first few are needed)."""
    pos = 0
    for m in re.finditer(r"\n[ \t]*\n", text):
        yield text[pos : m.start()]
        pos = m.end()
    yield text[pos:]


class DocMetadata:
    """Rules and an optional classifier for document type, title, own date and own diary number."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.type_rules: list[tuple[re.Pattern[str], str, str]] = [
            (
                re.compile(fold_diacritics(r["pattern"]), re.IGNORECASE | re.MULTILINE | re.DOTALL),
                r["type"],
                r.get("where", "title"),
            )
            for r in data["type_rules"]
        ]
        self.header_chars = int(data.get("header_chars", 400))
        self.body_chars = int(data.get("body_chars", 4000))
        words = "|".join(map(re.escape, data.get("section_words", [])))
        self.section = re.compile(rf"\s(?:{words})\b") if words else None
        self.signature = re.compile(data["signature"], re.MULTILINE)
        sections = "|".join(map(re.escape, data.get("section_headings", [])))
        self.section_line = (
            re.compile(rf"(?m)(?:^|(?<=\S )|(?<=\n))[ \t]*(?:{sections})[ \t]*(?:\n|$| (?=[A-ZÅÄÖ]))")
            if sections
            else None
        )
        self.type_label = re.compile(data.get("type_label", "(?!)"), re.IGNORECASE)
        self.threshold = float(data.get("threshold", 0.5))
        self.organisation = re.compile(data["organisation_prefix"]) if data.get("organisation_prefix") else None
        model = data.get("model")
        self.model = LinearTextModel.from_dict(model) if model else None

    def anchored_title(self, text: str) -> str | None:
        """The line before the first section heading (``Förslag till beslut``, ``Sammanfattning`` …) of a letter:
        tjänsteutlåtanden and yttranden print their subject there, below a header of labels, names and addresses.

        >>> meta = DocMetadata(load_patterns("doctype"))
        >>> meta.anchored_title("(1)\\n\\nTjänsteutlåtande\\n\\nKommunstyrelsen\\n\\nReviderad strategi\\n\\nFörslag till beslut\\n")
        'Reviderad strategi'
        """
        head = text[: 3 * self.header_chars + 800]
        m = self.section_line.search(head) if self.section_line is not None else None
        if m is None:
            return None
        before = head[: m.start()].rstrip()
        line = before[before.rfind("\n") + 1 :].strip()
        if "\n" not in before and len(line) > 120:  # flattened: the subject follows the last dnr or date
            items = list(
                re.finditer(r"(?:[Dd]nr|[Dd]iarienummer)\s*:?\s*\S+|\d{4}-\d{2}-\d{2}|\(\s*\d{1,3}\s*\)", line)
            )
            line = line[items[-1].end() :].strip() if items else ""
        if not line or self._furniture(line) or len(line) > 200 or line.endswith("."):
            return None
        if self.organisation is not None:  # "Överförmyndarnämnden Skriftliga rapporter …": the sender goes
            bare = self.organisation.sub("", line, count=1)
            line = bare if len(bare.split()) >= 2 else line
        return clean_title(line)

    def _type_label(self, title: str) -> bool:
        """Is a heading only the document's type label (``TJÄNSTESKRIVELSE``, ``REGIONSTYRELSEN YTTRANDE``)?"""
        bare = self.organisation.sub("", title + " ", count=1).strip() if self.organisation else title
        return bool(self.type_label.fullmatch(bare) or self.type_label.fullmatch(title))

    def title(self, text: str) -> str | None:
        """The first heading-like paragraph (or its first line when the paragraph is long prose).

        A protocol whose first lines are cover-page fields (``Plats och tid …``) is titled by its organ.

        >>> meta = DocMetadata(load_patterns("doctype"))
        >>> meta.title("Plats och tid Kommunhuset 2018-09-11\\n\\nOrgan Kommunstyrelsen Sammanträdesdatum 2018-09-11")
        'Kommunstyrelsen'
        """
        title = self._heading(text)
        top = [ln.strip() for ln in text[: self.header_chars].splitlines() if ln.strip()][:4]
        letter = any(self._type_label(ln) for ln in top)  # "Tjänsteutlåtande" above: a letter's header
        if title is None or letter or self._type_label(title) or _HEADER_JUNK.search(title):
            title = self.anchored_title(text) or title
        if title and _COVER_FIELD.match(title):
            organ = _ORGAN.search(text[: 3 * self.header_chars])
            return organ.group("organ") if organ else title
        return title

    def _heading(self, text: str) -> str | None:
        paras = _paragraphs(text)
        title = self._first_heading_of(paras)
        if title is not None and " " not in title.strip():  # "Handlingsplan", "Jämställdhet": a section word above
            nxt = next((p for p in paras if p.strip()), "").strip().rstrip(".")
            if "\n" not in nxt and len(nxt) <= 120 and title.casefold() in nxt.casefold() and "." not in nxt:
                return clean_title(nxt)
        if title is not None:
            title = (
                _TYPE_NOUN_AFTER.sub("", title) or title
            )  # "På spaning efter jämställdheten Handlingsplan Kortversion"
        return title

    def _first_heading_of(self, paras: Iterator[str]) -> str | None:
        for para in paras:
            if not _MARKUP.sub("", para).strip():
                continue
            lines = [ln for ln in para.strip().splitlines() if ln.strip()]
            while lines and (self._furniture(lines[0].strip()) or _CAPTION.search(lines[0])):
                lines.pop(0)  # page furniture, or a photo caption above a web page's heading
            if not lines:
                continue  # "1(1)", "2020-11-16", "Dnr 2020/82", "Kommunstyrelsen": page furniture, not a title
            head = "\n".join(lines[:3]) if len(" ".join(lines[:3])) <= 200 and len(lines) <= 3 else lines[0]
            if head == lines[0] and len(lines) > 1 and _DATED_CONTINUATION.fullmatch(lines[1].strip()):
                head += " " + lines[1].strip()  # "Information från kommunstyrelsens sammanträde\nden 4 februari 2015"
            title = clean_title(head)
            if len(title) > 120 and self.section is not None:  # a flattened page: the title ends at a section word
                cut = self.section.search(title)
                title = clean_title(title[: cut.start()]) if cut else title
            if len(title) > 80:  # "… i Dalarnas län Våld i nära relationer Att bekämpa …": a subtitle runs on
                title = _first_heading(title)
            title = _LEADING_NUMBERS.sub(
                "", _ADOPTION.split(_INLINE_PAGE_MARK.split(title, maxsplit=1)[0], maxsplit=1)[0]
            )
            title = re.sub(r"^(\w+)\s+(?=\1\b)", "", title)  # a running header repeating the title's first word
            title = re.sub(r"^\s*\d{1,3}\s*\(\s*\d{1,3}\s*\)\s*", "", title)  # "1 (20) Kommunstyrelsen Kallelse …"
            label = _TITLE_FIELD.search(title)  # "KALLELSE OCH ÄRENDELISTA Datum Sid 2021-06-23": a field follows
            if label and label.start() > 0:
                title = title[: label.start()]
            field = _FIELD_LABEL.search(title)  # "… mot våld Dokumentnamn: …": a flattened metadata field follows
            if field and len(title[: field.start()].split()) >= 2:
                title = title[: field.start()]
            if self.organisation is not None:
                bare = self.organisation.sub("", title, count=1)
                title = bare if len(bare.split()) >= 2 else title
            if len(title) > 250:
                title = clean_title(re.split(r"(?<=[a-zåäö])\.\s", title, maxsplit=1)[0])[:250]
            return title or None
        return None

    def _furniture(self, line: str) -> bool:
        """A header line that is only a page mark, a date, a diary number or an organisation name."""
        if any(
            r.fullmatch(line) for r in (_PAGE_MARK, _DATE_LINE, _DNR_LINE, _LABEL_LINE, _TYPE_LABEL_LINE, _REF_LINE)
        ):
            return True
        rest = line  # "2020-08-18 Sida 1 av 3 Dnr KS 2020/045": several furniture items on one line
        items = (
            _DATE_LINE,
            _PAGE_MARK,
            _DNR_LINE,
            _WEB,
            _CASE_NUMBER,
            *([self.organisation] if self.organisation else []),
        )
        while rest:
            m = next((r.match(rest) for r in items if r.match(rest)), None)
            if m is None or not m.group():
                break
            rest = rest[m.end() :].lstrip()
        if not rest and line:
            return True
        return self.organisation is not None and not self.organisation.sub("", line + " ", count=1).strip()

    def rule_type(self, title: str, header: str) -> str | None:
        """The type a title/header rule gives, or ``None`` (title rules also without a leading organisation name)."""
        if self.organisation is not None:
            bare = self.organisation.sub("", title, count=1)
            if bare != title:
                found = self.rule_type(bare, header)
                if found is not None:
                    return found
        for regex, doc_type, where in self.type_rules:
            if regex.search({"header": header[: self.header_chars], "body": header}.get(where, title)):
                return doc_type
        return None

    def doc_type(self, text: str, title: str | None) -> tuple[str, dict[str, float] | None]:
        """``(type, classifier scores or None)``."""
        by_rule = self.rule_type(title or "", text[: self.body_chars])
        if by_rule is not None:
            return by_rule, None
        scores = self.model.scores(text) if self.model is not None else None
        if scores:
            best = max(scores, key=lambda k: scores[k])
            if scores[best] >= self.threshold:
                return best, scores
        return "other", scores

    def own_date(self, text: str, dates: list[tuple[int, int, str]]) -> str | None:
        """A full date in the header lines, or on a signature line in the last part of the text."""
        full = [(s, e, v) for s, e, v in dates if len(v) == 10 and not _UPDATED.search(text[max(0, s - 30) : s])]
        notice = _NOTICE.search(text[: self.header_chars]) is not None  # a meeting notice: its meeting is not its date
        for s, _e, v in full:  # "Datum 2017-11-27", "Tisdag den 20 mars 2012", "daterat den 10 oktober 2018"
            cue = text[max(0, s - 30) : s]
            if s <= self.header_chars and _DATE_CUE.search(cue) and not (notice and _WEEKDAY_CUE.search(cue)):
                return v
        first_line = text[: text.find("\n")] if "\n" in text else text
        for s, _e, v in full:  # "Beslut i korthet - regionstyrelsen 30 mars 2022": the heading dates the page
            if s < len(first_line) <= 200 and not notice:
                return v
        for s, _e, v in full:  # a protocol's cover page: "Organ Kommunstyrelsen Sammanträdesdatum 2018-09-11"
            if s <= 3 * self.header_chars and _MEETING_DATE_CUE.search(text[max(0, s - 30) : s]):
                return v
        for s, e, v in full:
            if s > self.header_chars:
                break
            line_start = text.rfind("\n", 0, s) + 1
            line_end = text.find("\n", e)
            line = text[line_start : line_end if line_end >= 0 else len(text)]
            rest = text[line_start:s] + text[e : line_end if line_end >= 0 else len(text)]
            dated_line = (len(rest.strip()) <= 25 or self._furniture(line.strip())) and not line.rstrip().endswith(
                "."
            )  # "Datum 2017-11-27", "Stockholm, …", "2020-08-18 Sida 1 av 3 Dnr KS 2020/045"
            if dated_line or re.search(
                r"(?i)\b(?:datum|daterad|daterat|antagen|antaget|beslutad|sammanträdes(?:dag|datum))\b", line
            ):
                return v
        tail_start = max(0, len(text) - max(600, len(text) // 5))
        for s, _e, v in reversed(full):
            if s < tail_start:
                break
            line_start = text.rfind("\n", 0, s) + 1
            if self.signature.match(text, line_start):
                return v
        return None

    def own_diary_number(self, text: str, dnrs: list[tuple[int, int, str]]) -> str | None:
        """The first diary number within the header, else one the reader is asked to quote (``Ange diarienummer …``).

        >>> DocMetadata(load_patterns("doctype")).own_diary_number("x" * 900 + " Ange Dnr TSN 2015-188.", [(906, 922, "TSN 2015-188")])
        'TSN 2015-188'
        """
        header = next((v for s, _e, v in dnrs if s <= self.header_chars), None)
        if header is not None:
            return header
        return next((v for s, _e, v in dnrs if _QUOTE_CUE.search(text[max(0, s - 60) : s])), None)


class DocTypeComponent(MrtextComponent):
    """spaCy component setting ``Doc._.mrtext_{doc_type,title,date,diary_number}`` (plain strings)."""

    data_file = "doctype.json"

    def compile(self) -> None:
        self.meta = DocMetadata(self.data)

    def match(self, doc: Doc) -> list[Candidate]:
        return []

    def set_annotations(self, doc: Doc, candidates: Any) -> None:
        install_extensions()

        def spans(key: str) -> list[tuple[int, int, str]]:
            if key not in doc.spans:
                return []
            return [(s.start_char, s.end_char, s._.mrtext_value) for s in doc.spans[key] if s._.mrtext_value]

        text = doc_text(doc)
        # title and type only (the own date reads offsets into ``text``); letter-spaced labels sit in the header
        head = self.meta.body_chars
        # letter-spaced labels sit in the header; a title broken by a blank line goes on lower-case
        unspaced = _BROKEN_TITLE.sub(r"\1 ", unspace_letters(text[:head]), count=1) + text[head:]
        title = self.meta.title(unspaced)
        doc_type, scores = self.meta.doc_type(unspaced, title)
        doc._.mrtext_title = title
        doc._.mrtext_doc_type = doc_type
        doc._.mrtext_doc_type_scores = {k: round(v, 4) for k, v in scores.items()} if scores else None
        doc._.mrtext_date = self.meta.own_date(text, spans(SPAN_KEYS["DATE"]))
        doc._.mrtext_diary_number = self.meta.own_diary_number(text, spans(SPAN_KEYS["DIARY_NUMBER"]))
        forget_text(doc)  # the last component: do not ship the cached text with the doc


@Language.factory(
    "mrtext_doctype",
    assigns=["doc._.mrtext_doc_type", "doc._.mrtext_title", "doc._.mrtext_date", "doc._.mrtext_diary_number"],
    requires=["doc.spans"],
    default_config={"patterns": None},
)
def make_doctype(nlp: Language, name: str, patterns: dict[str, Any] | None) -> DocTypeComponent:
    """Build ``mrtext_doctype``; ``patterns`` defaults to ``patterns/doctype.json`` (rules, no classifier)."""
    return DocTypeComponent(nlp, name, span_key="", data=patterns or load_patterns("doctype"))
