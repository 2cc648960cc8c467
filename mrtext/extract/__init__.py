"""Extraction: a spaCy pipeline for Swedish municipal documents.

``load_pipeline()`` loads the packaged pipeline (``models/mrtext_sv``, built by ``make model``);
``extract(docs)`` runs it (after OCR repair) and returns :class:`~mrtext.model.DocumentRecord` objects
whose offsets point into the original inputs. Components (``mrtext_sentences``, ``mrtext_dnr``,
``mrtext_dates``, ``mrtext_programs``, ``mrtext_goals``, ``mrtext_doctype``) write one ``doc.spans`` key
each (``mrtext_dnr``, ``mrtext_dates``, ``mrtext_programs``, ``mrtext_goals``; SFS numbers and serials go
to ``mrtext_refs``), with the normalised value in ``Span._.mrtext_value`` and document metadata in
``Doc._.mrtext_doc_type/title/date/diary_number``.
"""

from __future__ import annotations

from mrtext.extract.pipeline import MODEL_DIR, PIPE_NAMES, build_nlp, extract, load_pipeline
from mrtext.extract.spans import SPAN_KEYS, VALUE_ATTR

__all__ = ["MODEL_DIR", "PIPE_NAMES", "SPAN_KEYS", "VALUE_ATTR", "build_nlp", "extract", "load_pipeline"]
