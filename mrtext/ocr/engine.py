"""The OCR engine interface and the page model every engine returns.

An engine turns one page image into an :class:`OcrPage`: the page text plus its words
with boxes and confidences. The Tesseract engine, a cached engine (recorded Tesseract
outputs, for fast tests) and a null engine (no text, like OCRmyPDF's) implement it.

>>> page = OcrPage(text="Dnr KS 2023/1159", words=[OcrWord("Dnr", (10, 10, 60, 30), 96.0)], width=800, height=600)
>>> page.confidence
96.0
>>> NullEngine().recognize(Image.new("L", (10, 10), 255)).text
''
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from PIL import Image

__all__ = [
    "RENDERERS",
    "Box",
    "ImageInput",
    "NullEngine",
    "OcrEngine",
    "OcrPage",
    "OcrWord",
    "image_digest",
    "mean_confidence",
    "open_image",
]

Box = tuple[int, int, int, int]
"""A word's box in page pixels: ``(left, top, width, height)``."""

ImageInput = Image.Image | Path
"""What an engine reads: a decoded image, or an image file it may hand to the OCR program as is."""

RENDERERS = ("hocr", "alto")
"""Extra outputs an engine may be asked for besides text and words (the archive formats)."""


@dataclass(frozen=True)
class OcrWord:
    """One recognised word: its text, box in page pixels, confidence 0-100 and position in the layout.

    ``line`` is a page-unique line key ``(block, paragraph, line)`` as Tesseract numbers them.
    """

    text: str
    box: Box
    confidence: float
    line: tuple[int, int, int] = (0, 0, 0)
    index: int = 0

    @property
    def center(self) -> tuple[float, float]:
        """Centre of the box ``(x, y)``.

        >>> OcrWord("är", (10, 20, 30, 40), 90.0).center
        (25.0, 40.0)
        """
        left, top, width, height = self.box
        return (left + width / 2, top + height / 2)


def mean_confidence(words: list[OcrWord]) -> float | None:
    """Mean confidence of the words that have one (Tesseract gives -1 for non-words); ``None`` if none.

    >>> mean_confidence([OcrWord("a", (0, 0, 1, 1), 80.0), OcrWord("b", (0, 0, 1, 1), 90.0)])
    85.0
    >>> mean_confidence([]) is None
    True
    """
    scores = [w.confidence for w in words if w.confidence >= 0]
    return round(sum(scores) / len(scores), 2) if scores else None


@dataclass
class OcrPage:
    """The result for one page.

    Attributes:
        text: the page text, lines separated by ``\\n`` (no form feed; documents join pages with one).
        words: the recognised words (empty for pages taken from a PDF text layer).
        width, height: the page image size in pixels (0 when unknown).
        source: ``"ocr"`` for recognised pages, ``"text-layer"`` for PDF text, ``"error"`` for pages that failed.
        engine: engine name and version, e.g. ``"tesseract 5.3.0 (swe)"``.
        raw: the engine's own renderings asked for, by name (``"hocr"``, ``"alto"``).
        error: a one-line message when the page could not be read or recognised.
    """

    text: str
    words: list[OcrWord] = field(default_factory=list)
    width: int = 0
    height: int = 0
    source: Literal["ocr", "text-layer", "error"] = "ocr"
    engine: str = ""
    raw: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def confidence(self) -> float | None:
        """Mean word confidence (0-100), ``None`` when the page has no scored words."""
        return mean_confidence(self.words)

    def to_dict(self, *, words: bool = True) -> dict[str, Any]:
        """A JSON-ready dict of the page (without the raw renderings).

        >>> OcrPage("ja", width=5, height=5).to_dict(words=False)["confidence"] is None
        True
        """
        out: dict[str, Any] = {
            "text": self.text,
            "confidence": self.confidence,
            "source": self.source,
            "engine": self.engine,
            "width": self.width,
            "height": self.height,
        }
        if self.error:
            out["error"] = self.error
        if words:
            out["words"] = [
                {"text": w.text, "box": list(w.box), "confidence": w.confidence, "line": list(w.line)}
                for w in self.words
            ]
        return out


@runtime_checkable
class OcrEngine(Protocol):
    """What the OCR pipeline needs from an engine.

    ``recognize`` must be safe to call from several threads at once (pages run in parallel)
    and must raise :class:`mrtext.errors.MrtextError` subclasses for problems a user can fix.
    """

    name: str
    version: str
    lang: str

    def recognize(self, image: ImageInput, *, renderers: tuple[str, ...] = ()) -> OcrPage:
        """Recognise one page; ``renderers`` names extra outputs wanted in :attr:`OcrPage.raw`."""
        ...


def open_image(image: ImageInput) -> Image.Image:
    """The decoded image of an :data:`ImageInput` (opens and loads a path).

    >>> open_image(Image.new("L", (3, 2))).size
    (3, 2)
    """
    if isinstance(image, Image.Image):
        return image
    with Image.open(image) as im:
        im.load()
        return im.copy()


def image_digest(image: ImageInput) -> str:
    """SHA-256 of an image's pixels, mode and size: the same picture gives the same key whatever the file format.

    >>> a = Image.new("L", (4, 4), 255)
    >>> image_digest(a) == image_digest(a.copy()), image_digest(a) == image_digest(Image.new("L", (4, 4), 0))
    (True, False)
    """
    im = open_image(image)
    digest = hashlib.sha256(f"{im.mode}:{im.width}x{im.height}:".encode())
    digest.update(im.tobytes())
    return digest.hexdigest()


class NullEngine:
    """An engine that recognises nothing: every page is empty (for tests of everything around OCR)."""

    name = "null"
    version = "0"

    def __init__(self, lang: str = "swe") -> None:
        self.lang = lang

    def recognize(self, image: ImageInput, *, renderers: tuple[str, ...] = ()) -> OcrPage:
        """Return an empty page of the image's size."""
        im = open_image(image)
        return OcrPage("", width=im.width, height=im.height, engine="null")
