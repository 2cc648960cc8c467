"""OCR ingestion: page images and PDFs to text through a small engine interface, and synthetic scans.

The engine interface (:class:`OcrEngine`) hides Tesseract, so tests can use recorded
outputs (:class:`CachedEngine`) or no OCR at all (:class:`NullEngine`).

>>> from PIL import Image
>>> NullEngine().recognize(Image.new("L", (20, 10), 255)).width
20
"""

from __future__ import annotations

from mrtext.ocr.engine import NullEngine, OcrEngine, OcrPage, OcrWord, image_digest
from mrtext.ocr.tesseract import TesseractEngine

__all__ = ["NullEngine", "OcrEngine", "OcrPage", "OcrWord", "TesseractEngine", "image_digest"]
