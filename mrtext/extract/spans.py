"""Shared machinery of the ``mrtext_*`` spaCy components: extensions, candidates, the component base class.

Every component finds :class:`Candidate` matches at *character* level (the Swedish tokenizer splits
``KS 2019/123`` and keeps ``2015-06-01`` whole, so token patterns are brittle), turns them into spans with
``doc.char_span(..., alignment_mode="expand")``, drops overlaps with :func:`spacy.util.filter_spans` and
stores them in ``doc.spans[<component key>]``. The normalised value of a span lives in the span extension
``Span._.mrtext_value`` (a plain string, kept in ``doc.user_data`` and so serialised by ``Doc.to_bytes``,
``DocBin`` and ``nlp.pipe(..., n_process=2)``).

>>> import spacy
>>> nlp = spacy.blank("sv")
>>> doc = nlp("Dnr KS 2023/1159")
>>> spans = candidates_to_spans(doc, [Candidate(0, 16, "DIARY_NUMBER", "KS 2023/1159")])
>>> [(s.text, s.label_, s._.mrtext_value) for s in spans]
[('Dnr KS 2023/1159', 'DIARY_NUMBER', 'KS 2023/1159')]
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

__all__ = [
    "OFFSETS_ATTR",
    "SPAN_KEYS",
    "VALUE_ATTR",
    "Candidate",
    "MrtextComponent",
    "candidates_to_spans",
    "install_extensions",
    "overlaps_any",
]

VALUE_ATTR = "mrtext_value"
"""Name of the span extension holding the normalised value of an extraction."""

OFFSETS_ATTR = "mrtext_offsets"
"""Span extension: the exact ``[start_char, end_char]`` of a match inside a longer token (``65/2020-06-09``)."""

SPAN_KEYS: dict[str, str] = {
    "DIARY_NUMBER": "mrtext_dnr",
    "DATE": "mrtext_dates",
    "PROGRAM": "mrtext_programs",
    "GOAL": "mrtext_goals",
    "REFERENCE": "mrtext_refs",
}
"""``doc.spans`` key of each label (one key per component; ``REFERENCE`` holds SFS numbers and serials)."""

DOC_ATTRS: dict[str, Any] = {
    "mrtext_doc_type": None,
    "mrtext_doc_type_scores": None,
    "mrtext_title": None,
    "mrtext_date": None,
    "mrtext_diary_number": None,
}
"""``Doc._`` attributes set by ``mrtext_doctype`` (JSON-able: strings, dicts of floats or ``None``)."""


def install_extensions() -> None:
    """Register the ``Span._``/``Doc._`` extensions, idempotently (never ``force=True``).

    Called at import, in every component's ``__init__`` and ``__call__`` so that worker
    processes started with *spawn* have them too.

    >>> install_extensions(); install_extensions()
    >>> Span.has_extension("mrtext_value")
    True
    """
    if not Span.has_extension(VALUE_ATTR):
        Span.set_extension(VALUE_ATTR, default=None)
    if not Span.has_extension(OFFSETS_ATTR):
        Span.set_extension(OFFSETS_ATTR, default=None)
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


install_extensions()


@dataclass(frozen=True, slots=True)
class Candidate:
    """A character-level match: ``text[start:end]`` is a ``label`` mention whose normalised form is ``value``."""

    start: int
    end: int
    label: str
    value: str | None = None


_FINDERS: dict[tuple[Any, str], Any] = {}


def surface_values(
    finder_cls: Callable[[dict[str, Any]], Any], patterns: str, text: str, label: str
) -> list[tuple[str, str | None]]:
    """``(surface, value)`` of the ``label`` candidates ``finder_cls(load_patterns(patterns)).find(text)`` returns.

    The finder is built once per class (a convenience for notebooks and doctests).
    """
    from mrtext.extract.patterns import load_patterns

    key = (finder_cls, patterns)
    if key not in _FINDERS:
        _FINDERS[key] = finder_cls(load_patterns(patterns))
    return [(text[c.start : c.end], c.value) for c in _FINDERS[key].find(text) if c.label == label]


_TEXT_KEY = "_mrtext_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document and shared by the components.

    ``Doc.text`` joins every token on each access (a fifth of the pipeline's time when six components
    ask); the text is cached in ``doc.user_data`` and dropped again by :func:`forget_text`.
    """
    cached = doc.user_data.get(_TEXT_KEY)
    if isinstance(cached, str) and len(doc) and len(cached) == doc[-1].idx + len(doc[-1].text_with_ws):
        return cached
    text = doc.text
    doc.user_data[_TEXT_KEY] = text
    return text


def forget_text(doc: Doc) -> None:
    """Drop the cached text (so that it is not serialised with the doc)."""
    doc.user_data.pop(_TEXT_KEY, None)


def overlaps_any(start: int, end: int, spans: Iterable[Span]) -> bool:
    """True if the character range ``[start, end)`` overlaps one of ``spans``.

    >>> import spacy
    >>> doc = spacy.blank("sv")("a b c")
    >>> overlaps_any(2, 3, [doc[1:2]]), overlaps_any(0, 1, [doc[1:2]])
    (True, False)
    """
    return any(start < s.end_char and s.start_char < end for s in spans)


def candidates_to_spans(doc: Doc, candidates: Iterable[Candidate]) -> list[Span]:
    """Turn candidates into spans (expanded to token bounds), longest first without overlaps, in text order."""
    spans = []
    for cand in candidates:
        span = doc.char_span(cand.start, cand.end, label=cand.label, alignment_mode="expand")
        if span is None or not span.text.strip():
            continue
        span._.set(VALUE_ATTR, cand.value)
        if (span.start_char, span.end_char) != (cand.start, cand.end):
            span._.set(OFFSETS_ATTR, [cand.start, cand.end])  # the token is longer than the match
        spans.append(span)
    return sorted(filter_spans(spans), key=lambda s: s.start)


class MrtextComponent:
    """Base class of the rule components: error handling, span keys, data saved as JSON.

    Subclasses implement :meth:`match` (``doc -> candidates``) and may override
    :meth:`set_annotations`. ``data`` (a JSON-able dict, e.g. patterns) is written by
    :meth:`to_disk` to ``<path>/<data_file>`` and read back by :meth:`from_disk`.
    """

    data_file: ClassVar[str] = "data.json"

    def __init__(self, nlp: Language, name: str, *, span_key: str, data: dict[str, Any] | None = None) -> None:
        install_extensions()
        self.nlp = nlp
        self.name = name
        self.span_key = span_key
        self.data: dict[str, Any] = dict(data or {})
        self.compile()

    def compile(self) -> None:
        """Rebuild whatever the component derives from :attr:`data` (regexes, lexicons)."""

    def match(self, doc: Doc) -> list[Candidate]:
        """Return the candidates found in ``doc``."""
        raise NotImplementedError

    def set_annotations(self, doc: Doc, candidates: Sequence[Candidate]) -> None:
        """Store the candidates as spans in ``doc.spans[self.span_key]`` (and other keys by label)."""
        by_key: dict[str, list[Candidate]] = {self.span_key: []}
        for cand in candidates:
            key = SPAN_KEYS["REFERENCE"] if cand.label == "REFERENCE" else self.span_key
            by_key.setdefault(key, []).append(cand)
        for key, cands in by_key.items():
            old = list(doc.spans[key]) if key in doc.spans and key != self.span_key else []
            doc.spans[key] = sorted(filter_spans(old + candidates_to_spans(doc, cands)), key=lambda s: s.start)

    def __call__(self, doc: Doc) -> Doc:
        """Annotate ``doc``; errors go through the pipeline's error handler (``nlp.set_error_handler``)."""
        install_extensions()
        error_handler = self.get_error_handler()
        try:
            self.set_annotations(doc, self.match(doc))
            return doc
        except Exception as e:
            error_handler(self.name, self, [doc], e)
            return doc

    def get_error_handler(self) -> Callable[[str, Any, list[Doc], Exception], Any]:
        """The error handler the pipeline set for this component (spaCy's ``raise_error`` by default)."""
        handler = getattr(self, "_error_handler", None)
        if handler is None:
            from spacy.util import raise_error

            return raise_error
        return handler  # type: ignore[no-any-return]

    def set_error_handler(self, error_handler: Callable[[str, Any, list[Doc], Exception], Any]) -> None:
        """Set the error handler (called by ``nlp.set_error_handler``)."""
        self._error_handler = error_handler

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        model: dict[str, Any] | None = None,
    ) -> None:
        """Install a trained classifier (a :meth:`~mrtext.extract.linear.LinearTextModel.to_dict` dict) as ``data["model"]``.

        Called by ``nlp.initialize()`` (``[initialize.components.<name>] model = …``) or directly by
        ``scripts/build_pipeline.py``; rule-only components ignore it.
        """
        if model is not None:
            self.data["model"] = model
            self.compile()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write :attr:`data` as pretty JSON to ``path/<data_file>``."""
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        (p / self.data_file).write_text(json.dumps(self.data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> MrtextComponent:
        """Read :attr:`data` back from ``path/<data_file>`` and recompile."""
        f = Path(path) / self.data_file
        if f.is_file():
            self.data = json.loads(f.read_text(encoding="utf-8"))
            self.compile()
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """Serialise :attr:`data` (for ``nlp.to_bytes``)."""
        return json.dumps(self.data, ensure_ascii=False).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> MrtextComponent:
        """Restore :attr:`data` from :meth:`to_bytes` output."""
        self.data = json.loads(data.decode("utf-8"))
        self.compile()
        return self
