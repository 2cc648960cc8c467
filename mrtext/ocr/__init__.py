"""OCR ingestion: page images and PDFs to text through a small engine interface, and synthetic scans.

* :func:`ocr_file` / :func:`ocr_files`: PNG, JPEG, TIFF (all pages) and PDF (text layer when
  usable, else rendered and OCR'd) to :class:`OcrDocument` objects, pages separated by form feeds.
* :class:`OcrEngine`: the interface; :class:`TesseractEngine` (``lang="swe"`` by default),
  :class:`CachedEngine` (recorded Tesseract outputs, for tests) and :class:`NullEngine`.
* :mod:`mrtext.ocr.formats`: txt, TSV, JSON Lines, hOCR and ALTO output.
* :mod:`mrtext.ocr.synth`: synthetic scans, line-aligned clean/OCR pairs for the repair stage.

>>> from PIL import Image
>>> NullEngine().recognize(Image.new("L", (20, 10), 255)).width
20
"""

from __future__ import annotations

from mrtext.ocr.cache import CachedEngine
from mrtext.ocr.engine import NullEngine, OcrEngine, OcrPage, OcrWord, image_digest
from mrtext.ocr.inputs import iter_pages
from mrtext.ocr.pipeline import OcrDocument, OcrOptions, ocr_file, ocr_files
from mrtext.ocr.tesseract import TesseractEngine

__all__ = [
    "CachedEngine",
    "NullEngine",
    "OcrDocument",
    "OcrEngine",
    "OcrOptions",
    "OcrPage",
    "OcrWord",
    "TesseractEngine",
    "image_digest",
    "iter_pages",
    "ocr_file",
    "ocr_files",
]
