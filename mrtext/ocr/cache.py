"""Recorded Tesseract outputs: fast, deterministic OCR for tests, and a cache for repeated runs.

Like OCRmyPDF's test cache, each entry keeps Tesseract's own outputs (text, TSV, hOCR,
ALTO) for one page image, keyed by the image's pixels, the language and the options.
Replaying an entry goes through the same parser as a live run, so a test with the
cached engine checks the same code as production, minus the Tesseract process.

>>> import tempfile
>>> from PIL import Image
>>> engine = CachedEngine(tempfile.mkdtemp(), lang="swe")
>>> engine.recognize(Image.new("L", (8, 8), 255))
Traceback (most recent call last):
...
mrtext.ocr.cache.CacheMissError: no recorded OCR output for this page image (swe) ...
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from mrtext.errors import MrtextError
from mrtext.ocr.engine import RENDERERS, ImageInput, OcrPage, image_digest
from mrtext.ocr.tesseract import TesseractEngine, page_from_outputs

__all__ = ["RECORD_ENV", "CacheMissError", "CachedEngine"]

RECORD_ENV = "MRTEXT_RECORD_OCR"
"""Set to ``1`` to let cached engines built with ``record=None`` run Tesseract on a miss and store the result."""


class CacheMissError(MrtextError):
    """A page image has no recorded output and recording is off."""


class CachedEngine:
    """An :class:`~mrtext.ocr.engine.OcrEngine` that replays (and optionally records) Tesseract outputs.

    Args:
        cache_dir: folder of ``<key>.json`` entries.
        lang, psm, config: the Tesseract settings the entries are for (part of the key).
        record: run Tesseract on a miss and store its outputs; ``None`` reads the
            :data:`RECORD_ENV` environment variable.
    """

    name = "tesseract-cache"

    def __init__(
        self,
        cache_dir: str | Path,
        *,
        lang: str = "swe",
        psm: int | None = None,
        config: str = "",
        record: bool | None = None,
    ) -> None:
        self.cache_dir = Path(cache_dir)
        self.lang = lang
        self.config = " ".join(([f"--psm {psm}"] if psm is not None else []) + ([config] if config else []))
        if record is None:
            record = os.environ.get(RECORD_ENV, "") not in ("", "0")
        self.inner = TesseractEngine(lang, psm=psm, config=config) if record else None
        self.version = self.inner.version if self.inner else "cached"

    def key(self, image: ImageInput) -> str:
        """The entry key of a page image under this engine's settings."""
        material = f"{image_digest(image)}|{self.lang}|{self.config}"
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def recognize(self, image: ImageInput, *, renderers: tuple[str, ...] = ()) -> OcrPage:
        """The recorded result for ``image``; on a miss, record it (when recording) or raise :class:`CacheMissError`."""
        key = self.key(image)
        path = self.cache_dir / f"{key}.json"
        entry: dict[str, Any] | None = json.loads(path.read_text("utf-8")) if path.is_file() else None
        if entry is None or not set(renderers) <= set(entry["outputs"]):
            if self.inner is None:
                raise CacheMissError(
                    f"no recorded OCR output for this page image ({self.lang}) under {self.cache_dir}, key {key}",
                    remedy=f"record it with Tesseract installed: {RECORD_ENV}=1 pytest tests/",
                )
            outputs = self.inner.run(image, renderers=RENDERERS)
            entry = {"key": key, "lang": self.lang, "config": self.config, "engine": self.inner.label}
            entry["outputs"] = outputs
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(entry, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        outputs = {kind: text for kind, text in entry["outputs"].items() if kind in ("txt", "tsv", *renderers)}
        return page_from_outputs(outputs, engine=str(entry["engine"]))
