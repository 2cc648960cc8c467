"""``mrtext_dates``: dates in the common Swedish forms, with ISO values.

Full dates (``18 september 2024``, ``den 6 december 2017``, ``6 dec. 2017``, ``2017-11-27``, ``27/11 2017``,
``27.11.2017``), also broken over a line, get ``YYYY-MM-DD``; ``maj 2018`` gets ``YYYY-MM`` (never a made-up
day). Impossible dates (``31 juni 2018``) are dropped. Numbers already taken by ``mrtext_dnr`` are skipped.

>>> find_dates("Beslutat den 6 december 2017, ändrat 2018-02-30 och i maj\\n2018; möte 27/11 2017.")
[('6 december 2017', '2017-12-06'), ('maj\\n2018', '2018-05'), ('27/11 2017', '2017-11-27')]
>>> find_dates("Svar senast 2020- 05-03, möte den 3:e maj 2020.")
[('2020- 05-03', '2020-05-03'), ('3:e maj 2020', '2020-05-03')]
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from mrtext.extract.patterns import load_patterns
from mrtext.extract.spans import SPAN_KEYS, Candidate, MrtextComponent, doc_text, overlaps_any, surface_values

__all__ = ["DateFinder", "find_dates", "iso_date", "make_dates"]

_WS = r"[ \t\u00a0]"
_SEP = rf"(?:{_WS}+|{_WS}*\r?\n{_WS}*)"


def iso_date(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO value of a (possibly partial) date, or ``None`` if it does not exist.

    >>> iso_date(2017, 12, 6), iso_date(2018, 5), iso_date(2018, 2, 30), iso_date(2018)
    ('2017-12-06', '2018-05', None, '2018')
    """
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()
        if month is not None:
            return f"{dt.date(year, month, 1):%Y-%m}"
        return f"{dt.date(year, 1, 1):%Y}"
    except ValueError:
        return None


class DateFinder:
    """Find dates with the month lexicon in ``data`` (see ``patterns/dates.json``)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.months: dict[str, int] = {**data["months"], **data["abbreviations"]}
        full = "|".join(sorted(data["months"], key=len, reverse=True))
        abbr = "|".join(sorted(data["abbreviations"], key=len, reverse=True))
        year = r"(?P<y>(?:19|20)\d{2})"
        day = r"(?P<d>[0-3]?\d)(?::[ae])?"
        month_word = rf"(?P<m>(?i:{full})|(?i:{abbr})\.)" if abbr else rf"(?P<m>(?i:{full}))"
        month_any = rf"(?P<m>(?i:{full})|(?i:{abbr})\.?)"
        # each pattern starts with a lookahead on its first character: the regex engine then skips most positions
        # before trying the lookbehinds (5-10x faster scans)
        self.patterns: list[tuple[str, re.Pattern[str]]] = [
            ("dmy_text", re.compile(rf"(?=\d)(?<![\w.,/-]){day}{_SEP}{month_any}{_SEP}{year}(?![\w-]|[.,/]\d)")),
            # "2020- 05-03": PDF extraction may split an ISO date after a hyphen
            (
                "iso",
                re.compile(
                    rf"(?=[12])(?:(?<![\w.,/-])|(?<=(?<![\d/])\d/)|(?<=(?<![\d/])\d\d/)|(?<=(?<![\d/])\d\d\d/)){year}-[ \t]?(?P<m>[01]\d)-[ \t]?(?P<d>[0-3]\d)(?![\w-]|[.,/]\d)"
                ),
            ),
            (
                "dmy_num",
                re.compile(
                    rf"(?=\d)(?<![\w.,/:-])(?P<d>[0-3]?\d)([/.])(?P<m>[01]?\d)(?:\2|{_WS}+){year}(?![\w-]|[.,/]\d)"
                ),
            ),
        ]
        if data.get("report_month_year", True):
            self.patterns.append(
                ("my", re.compile(rf"(?=[jfmasondJFMASOND])(?<![\w.,/-]){month_word}{_SEP}{year}(?![\w-]|[.,/]\d)"))
            )
        if data.get("report_year", False):
            self.patterns.append(("y", re.compile(rf"(?=[12])(?<![\w.,/:§-]){year}(?![\w-]|[.,/:]\d)")))

    def find(self, text: str) -> list[Candidate]:
        """Return ``DATE`` candidates; earlier patterns (full dates) win over later ones at the same place."""
        taken: list[tuple[int, int]] = []
        out = []
        for kind, regex in self.patterns:
            for m in regex.finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                value = self._value(kind, m)
                taken.append((m.start(), m.end()))  # an impossible full date blocks its month-year part too
                if value is None:
                    continue
                out.append(Candidate(m.start(), m.end(), "DATE", value))
        return sorted(out, key=lambda c: c.start)

    def _value(self, kind: str, m: re.Match[str]) -> str | None:
        year = int(m.group("y"))
        if not self.data.get("year_min", 1900) <= year <= self.data.get("year_max", 2099):
            return None
        if kind == "y":
            return iso_date(year)
        month_text = m.group("m").lower().rstrip(".")
        month = int(month_text) if month_text.isdigit() else self.months.get(month_text)
        if month is None:
            return None
        if kind == "my":
            return iso_date(year, month)
        return iso_date(year, month, int(m.group("d")))


def find_dates(text: str) -> list[tuple[str, str | None]]:
    """``(text, value)`` of the dates in ``text`` with the packaged patterns (a convenience for notebooks)."""
    return surface_values(DateFinder, "dates", text, "DATE")


class DateComponent(MrtextComponent):
    """spaCy component writing ``DATE`` spans to ``doc.spans["mrtext_dates"]``.

    >>> import spacy
    >>> nlp = spacy.blank("sv"); _ = nlp.add_pipe("mrtext_dnr"); _ = nlp.add_pipe("mrtext_dates")
    >>> doc = nlp("Dnr 2017-11-27-12 behandlades 2017-11-27.")
    >>> [(s.text, s._.mrtext_value) for s in doc.spans["mrtext_dates"]]
    [('2017-11-27', '2017-11-27')]
    """

    data_file = "dates.json"

    def compile(self) -> None:
        self.finder = DateFinder(self.data)

    def match(self, doc: Doc) -> list[Candidate]:
        taken = [
            s for key in (SPAN_KEYS["DIARY_NUMBER"], SPAN_KEYS["REFERENCE"]) if key in doc.spans for s in doc.spans[key]
        ]
        return [c for c in self.finder.find(doc_text(doc)) if not overlaps_any(c.start, c.end, taken)]


@Language.factory(
    "mrtext_dates",
    assigns=["doc.spans"],
    default_config={"span_key": "mrtext_dates", "patterns": None},
)
def make_dates(nlp: Language, name: str, span_key: str, patterns: dict[str, Any] | None) -> DateComponent:
    """Build the ``mrtext_dates`` component; ``patterns`` defaults to the packaged ``patterns/dates.json``."""
    return DateComponent(nlp, name, span_key=span_key, data=patterns or load_patterns("dates"))
