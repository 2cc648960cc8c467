"""``mrtext_dnr``: diary numbers (*diarienummer*) of Swedish municipalities and agencies.

The grammar is matched at character level, so line breaks inside a number (``434-\\n21/2017``) and
between a prefix and the number (``Dnr\\nKS 2018/000070``) are handled. Forms recognised, with or
without a prefix (``Dnr``, ``dnr:``, ``diarienummer`` …):

* ``KS 2023/1159``, ``SF 2024/444``, ``KS 2018/000070`` (authority code + year/number),
* ``171-116/2017``, ``434-21/2017``, ``KS 434-21/2017`` (number-number/year),
* ``2006-152-307``, ``T 2010-313-01743``, ``S-Dp 2002-11922-54`` (year-number-number, not a date),
* ``1.5.1-135-2012`` (classification code-number-year), ``KS/2019:123`` (code/year:number),
* ``2019/123``, ``2019:123`` only after a prefix,
* ``801-3545-15`` (county administrative boards) only after a prefix,
* ``Fi2020/00647/K`` (Government Offices: ministry code, year/number, unit).

SFS numbers, government series (``SOU 2019:42``, ``prop. 2016/17:180``) and municipal serials
(``Utlåtande 2017:19``, ``Motion 2016:5``, ``interpellation (2017:18)``) are *not* diary numbers; the
first two are reported as ``REFERENCE`` spans in ``doc.spans["mrtext_refs"]``.

>>> find_diary_numbers("Svar på remiss, Dnr KS 2023/1159 och (dnr 434-\\n21/2017).")
[('Dnr KS 2023/1159', 'KS 2023/1159'), ('dnr 434-\\n21/2017', '434-21/2017')]
>>> find_diary_numbers("Program 2018-2022, SFS 2008:567, Utlåtande 2017:19, tel. 08-508 290 00")
[]
>>> find_diary_numbers("Ref: Fi2020/00647/K; Diarienummer: 801-3545-15; nummer 801-3545-15")
[('Fi2020/00647/K', 'FI2020/00647/K'), ('Diarienummer: 801-3545-15', '801-3545-15')]
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from mrtext.extract.patterns import load_patterns
from mrtext.extract.spans import Candidate, MrtextComponent, doc_text, surface_values

__all__ = ["DiaryNumberFinder", "find_diary_numbers", "make_dnr", "normalize_diary_number"]

_WS = r"[ \t\u00a0]"
_SEP = rf"(?:{_WS}+|{_WS}*\r?\n{_WS}*)"  # a space, or one line break
_HY = rf"-(?:{_WS}*\r?\n{_WS}*)?"  # a hyphen, possibly broken over a line
_YEAR = r"(?:19[5-9]\d|20[0-4]\d)"
_CODE = r"(?:[A-ZÅÄÖ]{1,6}(?:-[A-ZÅÄÖ][A-Za-zåäö]{0,4})?)"
_CODE_CI = r"(?:[A-Za-zÅÄÖåäö]{1,6}(?:-[A-Za-zåäöÅÄÖ]{1,5})?)"

# Number forms. The named groups tell the validation which form matched.
_FORMS = (
    rf"(?P<nny>\d{{1,4}}{_HY}\d{{1,6}}/{_YEAR})"  # 171-116/2017
    rf"|(?P<cny>\d{{1,3}}(?:\.\d{{1,3}}){{1,4}}{_HY}\d{{1,6}}{_HY}{_YEAR})"  # 1.5.1-135-2012
    rf"|(?P<ynn>{_YEAR}{_HY}\d{{1,6}}{_HY}\d{{1,6}})"  # 2006-152-307
    rf"|(?P<ysn>{_YEAR}/\d{{1,7}}(?:-\d{{1,4}}|-[A-ZÅÄÖ]{{1,6}}|{_WS}[A-ZÅÄÖ]{{1,6}}-\d{{1,3}}(?![\w/-]))?)"
    # 2023/1159, Kst 2013/162-31, 2016/433-KS, 2016/0669 KS-1
    rf"|(?P<ycn>{_YEAR}:\d{{1,6}}(?:-\d{{1,4}})?)"  # 2019:123, KS/2021:34-0061 (needs a glued code or a prefix)
    rf"|(?P<ydn>{_YEAR}[.-]\d{{2,7}})"  # 2019.0123, 2019-00123 (needs a code or prefix)
    rf"|(?P<ycd>{_YEAR}/[A-ZÅÄÖ]{{1,6}}{_WS}\d{{2,7}}(?:{_WS}\d{{1,3}}(?![\d/:.-]))?)"  # 2022/KS 0247 (needs a prefix)
    rf"|(?P<nsy>\d{{1,6}}/\d{{2}})"  # 247/17 (needs a code or prefix)
    rf"|(?P<nsY>\d{{1,6}}/{_YEAR})"  # Ks 238/2013 (needs a code or prefix)
    rf"|(?P<yys>\d{{2}}/\d{{4}})"  # SN 18/0098 (two-digit year, zero-padded number; needs a code or prefix)
    rf"|(?P<nhY>\d{{1,6}}-{_YEAR})"  # RS 867-2023 (needs a code or prefix)
    rf"|(?P<lny>\d{{3}}-\d{{1,6}}-\d{{2}})"  # 801-3545-15, county boards (needs a prefix)
    rf"|(?P<nhy>\d{{1,6}}-\d{{2}})"  # 836-19 (needs a prefix)
    rf"|(?P<dig>\d{{5,8}})"  # LTV 131069, RV181929 (needs a code or prefix)
)
# Government offices (Regeringskansliet): ministry code glued to the year, unit after a slash: Fi2020/00647/K
_MINISTRY = re.compile(
    rf"(?<![\w/.:-])(?:(?P<prefix>[Dd]nr\.?:?{_WS}+))?(?P<code>[A-ZÅÄÖ][a-zåäö]{{0,2}})"
    rf"(?P<num>{_YEAR}/\d{{3,6}}/[A-ZÅÄÖ]{{1,4}})(?![\w/])"
)
_FORM_NAMES = ("nny", "cny", "ynn", "ysn", "ycn", "ydn", "ycd", "nsy", "nsY", "yys", "nhY", "lny", "nhy", "dig")
_CAPITALISED_CODE = re.compile(r"[A-ZÅÄÖ][a-zåäö]{1,2}")  # "Ks 238/2013", "Sn 18/0098": a written-out-case code
_NOT_CODES = frozenset({"nr", "sid", "kap", "bil", "del", "ja", "nej", "år", "vt", "ht", "kl", "st", "ca", "s"})


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def compile_grammar(data: dict[str, Any]) -> re.Pattern[str]:
    """Compile the diary-number regex from the lexicons in ``data`` (see ``patterns/dnr.json``)."""
    prefix = rf"(?P<prefix>(?:{_alternation(data['prefixes'])})(?![\w])\s?(?::|{_WS}[–-](?={_WS}))?{_SEP}?)"
    code = rf"(?P<code>{_CODE_CI})(?P<codesep>{_SEP}|/|-(?=\d)|(?<=[A-ZÅÄÖ]{{2}})(?=\d{{5}}))"
    return re.compile(
        rf"(?<![\w/.:-])(?:{prefix})?(?:{code})?(?P<num>{_FORMS})(?![\w]|[/:.-]\d)",
    )


_DIGITS = re.compile(r"\d+")


def _digit_windows(text: str, before: int = 48, after: int = 24) -> list[tuple[int, int]]:
    """Merged ``(start, end)`` windows around the digit runs of ``text``: every diary number holds digits, so the
    grammar only needs to scan near them (a third of a typical text). A window ends at a space or line break.

    >>> _digit_windows("abc " * 30 + "KS 2019/12 " + "x " * 40)
    [(75, 154)]
    """
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _DIGITS.finditer(text):
        lo = max(0, m.start() - before)
        hi = min(n, m.end() + after)
        while hi < n and not text[hi].isspace():
            hi += 1
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def _is_season(num: str) -> bool:
    """``2016/17`` and ``2019/2020`` are seasons (the second year follows the first), not case numbers.

    >>> _is_season("2016/17"), _is_season("2019/2020"), _is_season("2012/33")
    (True, True, False)
    """
    year, _, rest = num.partition("/")
    nxt = int(year) + 1
    return rest in (f"{nxt % 100:02d}", str(nxt))


def _is_date(num: str) -> bool:
    """``2017-11-27`` is a date, not a diary number of the year-number-number form."""
    m = re.fullmatch(r"\d{4}-(\d{2})-(\d{2})", num)
    return m is not None and 1 <= int(m.group(1)) <= 12 and 1 <= int(m.group(2)) <= 31


def normalize_diary_number(code: str | None, codesep: str | None, num: str) -> str:
    """Normalised value: code upper-case, one space (or the written ``/``/``-``), no line breaks.

    >>> normalize_diary_number("ks", "\\n", "2018/000070")
    'KS 2018/000070'
    >>> normalize_diary_number(None, None, "434-\\n21/2017")
    '434-21/2017'
    >>> normalize_diary_number("rv", "", "181929"), normalize_diary_number(None, None, "2021/KS\\n0106 001")
    ('RV181929', '2021/KS 0106 001')
    """
    number = re.sub(r"\s+", " ", re.sub(r"-\s+", "-", num.strip()))
    if not code:
        return number
    sep = "" if codesep == "" else " " if not codesep or not codesep.strip() else codesep.strip()
    return f"{code.upper()}{sep}{number}"


class DiaryNumberFinder:
    """Find diary numbers (and SFS/series references) in a text with the grammar from ``data``."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.regex = compile_grammar(data)
        self.reference_codes = {c.upper() for c in data["reference_codes"]}
        self.serial_words = set(data["serial_words"])
        self.include_prefix = bool(data.get("include_prefix_in_span", True))
        self._upper_code = re.compile(rf"{_CODE}")

    def _preceding_word(self, text: str, start: int) -> str:
        m = re.search(r"([\wåäöÅÄÖ.]+)[\s(]*$", text[max(0, start - 40) : start])
        return m.group(1).rstrip(".") if m else ""

    def find(self, text: str) -> list[Candidate]:
        """Return ``DIARY_NUMBER`` and ``REFERENCE`` candidates in text order."""
        out = []
        for lo, hi in _digit_windows(text):
            for m in self.regex.finditer(text, lo, hi):
                cand = self._judge(text, m)
                if cand is not None:
                    out.append(cand)
        for m in _MINISTRY.finditer(text):
            if not any(c.start < m.end() and m.start() < c.end for c in out):
                start = m.start() if self.include_prefix else m.start("code")
                out.append(Candidate(start, m.end(), "DIARY_NUMBER", m.group("code").upper() + m.group("num")))
        return sorted(out, key=lambda c: c.start)

    def _judge(self, text: str, m: re.Match[str]) -> Candidate | None:
        prefix, code, num = m.group("prefix"), m.group("code"), m.group("num")
        codesep = m.group("codesep")
        form = next(k for k in _FORM_NAMES if m.group(k))
        start = m.start() if (prefix and self.include_prefix) else m.start("code") if code else m.start("num")
        if code and code.upper() in self.reference_codes:
            return Candidate(m.start("code"), m.end(), "REFERENCE", normalize_diary_number(code, codesep, num))
        if code and not prefix and not self._upper_code.fullmatch(code):
            if form in ("nsY", "yys") and _CAPITALISED_CODE.fullmatch(code) and code.lower() not in _NOT_CODES:
                pass  # "Ks 238/2013": a capitalised case code before a number/year
            else:
                # a lower-case word before a number is not an authority code ("bet 2019/20:123", "motion 2016:5")
                code, codesep = None, None
                start = m.start("num")
        if form == "ynn" and _is_date(num):
            return None
        if form in ("ycd", "nhy", "lny") and not prefix:
            return None
        if form in ("nsy", "nsY", "yys", "nhY", "dig") and not prefix and not (code and len(code) >= 2):
            return None
        if form == "nhY" and re.fullmatch(rf"{_YEAR}-{_YEAR}", num):
            return None  # "VA 2010-2020": a year range after an acronym
        if form in ("ysn", "ycn", "ydn") and not prefix:
            if not code or (form == "ycn" and codesep != "/"):
                return self._serial(text, m) if form == "ycn" else None
            if form == "ysn" and _is_season(num):
                return None  # 2016/17, 2019/2020: a season, not a case
            if form == "ydn" and re.fullmatch(rf"{_YEAR}-{_YEAR}", num):
                return None  # a year range after an acronym: "KS 2018-2022"
        if (
            form in ("ysn", "ydn")
            and not prefix
            and code
            and self._preceding_word(text, m.start("code")).lower()
            in (
                "sfs",
                "prop",
            )
        ):
            return None
        return Candidate(start, m.end(), "DIARY_NUMBER", normalize_diary_number(code, codesep, num))

    def _serial(self, text: str, m: re.Match[str]) -> Candidate | None:
        """``Utlåtande 2017:19`` and friends: a municipal serial, reported as a ``REFERENCE``."""
        word = self._preceding_word(text, m.start("num"))
        if word in self.serial_words:
            return Candidate(m.start("num"), m.end(), "REFERENCE", re.sub(r"\s+", "", m.group("num")))
        return None


def find_diary_numbers(text: str) -> list[tuple[str, str | None]]:
    """``(text, value)`` of the diary numbers in ``text`` with the packaged patterns (a convenience for notebooks)."""
    return surface_values(DiaryNumberFinder, "dnr", text, "DIARY_NUMBER")


class DiaryNumberComponent(MrtextComponent):
    """spaCy component writing ``DIARY_NUMBER`` spans to ``doc.spans["mrtext_dnr"]``.

    >>> import spacy
    >>> nlp = spacy.blank("sv"); _ = nlp.add_pipe("mrtext_dnr")
    >>> doc = nlp("Ärendet (dnr SF 2024/444) ersätter KS/2019:123.")
    >>> [(s.text, s._.mrtext_value) for s in doc.spans["mrtext_dnr"]]
    [('dnr SF 2024/444', 'SF 2024/444'), ('KS/2019:123', 'KS/2019:123')]
    """

    data_file = "dnr.json"

    def compile(self) -> None:
        self.finder = DiaryNumberFinder(self.data)

    def match(self, doc: Doc) -> list[Candidate]:
        return self.finder.find(doc_text(doc))


@Language.factory(
    "mrtext_dnr",
    assigns=["doc.spans"],
    default_config={"span_key": "mrtext_dnr", "patterns": None},
)
def make_dnr(nlp: Language, name: str, span_key: str, patterns: dict[str, Any] | None) -> DiaryNumberComponent:
    """Build the ``mrtext_dnr`` component; ``patterns`` defaults to the packaged ``patterns/dnr.json``."""
    return DiaryNumberComponent(nlp, name, span_key=span_key, data=patterns or load_patterns("dnr"))
