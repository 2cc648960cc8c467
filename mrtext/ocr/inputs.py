"""Read OCR inputs (PNG, JPEG, TIFF with any number of pages, PDF) as a sequence of pages.

Every problem becomes a one-line :class:`~mrtext.errors.InputFileError`: a file that is empty,
truncated, encrypted, of an unknown format, or too large to OCR safely. Errors of the whole
file are raised; an unreadable page inside a readable file is yielded as a page carrying
its error, so the other pages are still processed.

Size limit: a page may have at most :data:`MAX_MEGAPIXELS` million pixels (40 MP holds an A4
page at 600 dpi, 35 MP) and Tesseract's 32,767 pixels a side. Larger *images* are refused
with a clear error rather than shrunk, because shrinking would silently change the
coordinates written to hOCR/ALTO/TSV; PDF pages, being resolution-free, are rendered at a
lower resolution instead.

Preprocessing is limited to what changes results: pixel modes Tesseract misreads (transparency,
16-bit, palettes) are normalised. Deskewing was measured and left out: Tesseract 5.3 read a
synthetic 200-dpi page rotated by 0, 1, 2, 3 and 4 degrees with CER 0, 0, 0, 0.11% and 0.11%.
Colour pages are passed as they are (Tesseract converts to gray itself).

>>> sniff_format(b"%PDF-1.7 ..."), sniff_format(b"\\x89PNG\\r\\n\\x1a\\n..."), sniff_format(b"hello")
('pdf', 'png', None)
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from mrtext.errors import InputFileError, MrtextError
from mrtext.ingest import reading
from mrtext.ocr.engine import ImageInput

__all__ = [
    "DEFAULT_DPI",
    "MAX_MEGAPIXELS",
    "SUFFIXES",
    "PageInput",
    "iter_pages",
    "normalize_mode",
    "sniff_format",
    "usable_text_layer",
]

DEFAULT_DPI = 300
MAX_MEGAPIXELS = 40.0
TESSERACT_MAX_SIDE = 32767
SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
"""File suffixes picked up when a folder is given."""

_MAGIC = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_DIRECT_MODES = frozenset({"1", "L", "RGB"})


def sniff_format(head: bytes) -> str | None:
    """The input format from a file's first bytes (``pdf``, ``png``, ``jpeg``, ``tiff``), or ``None``.

    A PDF may have a few bytes of junk before ``%PDF-`` (readers accept up to 1 KiB).

    >>> sniff_format(b"\\r\\n%PDF-1.4"), sniff_format(b"II*\\x00rest")
    ('pdf', 'tiff')
    """
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return "pdf" if b"%PDF-" in head[:1024] else None


@dataclass
class PageInput:
    """One page to recognise: an image, or text from a PDF text layer, or the error that stopped it.

    ``number`` counts from 1 within its file.
    """

    number: int
    image: ImageInput | None = None
    text: str | None = None
    error: MrtextError | None = None
    size: tuple[int, int] = (0, 0)


def _check_size(name: str, size: tuple[int, int], max_megapixels: float) -> None:
    width, height = size
    megapixels = width * height / 1e6
    if megapixels > max_megapixels or max(size) > TESSERACT_MAX_SIDE:
        raise InputFileError(
            f"{name}: image is {width}×{height} px ({megapixels:.0f} megapixels), "
            f"over the limit of {max_megapixels:g} megapixels / {TESSERACT_MAX_SIDE} px a side",
            remedy="scan at 300-400 dpi or downscale the image; raise --max-megapixels if it really is one page",
        )


def normalize_mode(image: Image.Image) -> Image.Image:
    """An image Tesseract reads as intended: 1-bit, 8-bit gray or RGB, transparency on white.

    >>> normalize_mode(Image.new("RGBA", (2, 2), (0, 0, 0, 0))).getpixel((0, 0))
    (255, 255, 255)
    >>> deep = Image.new("I;16", (2, 1), 4095)  # a 12-bit scan stored in 16 bits
    >>> deep.putpixel((0, 0), 0)
    >>> list(normalize_mode(deep).tobytes())
    [0, 255]
    """
    if image.mode in _DIRECT_MODES:
        return image
    import numpy as np  # only for unusual modes; not imported for every page

    if image.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N", "F"):
        # deep gray (16-bit, 12-bit in 16, float): stretch the range in use to 8 bits
        pixels = np.asarray(image, dtype=np.float64)
        low, high = float(pixels.min()), float(pixels.max())
        scaled = (pixels - low) * (255.0 / (high - low)) if high > low else np.full(pixels.shape, 255.0)
        return Image.fromarray(np.clip(np.rint(scaled), 0, 255).astype(np.uint8), mode="L")
    if "A" in image.getbands() or image.info.get("transparency") is not None:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(rgba, (0, 0), rgba.getchannel("A"))
        return flat
    return image.convert("L" if image.mode in ("LA", "P") and _is_gray(image) else "RGB")


def _is_gray(image: Image.Image) -> bool:
    r, g, b = image.convert("RGB").split()
    return r.tobytes() == g.tobytes() == b.tobytes()


def _read_head(path: Path) -> bytes:
    with reading(path, directory_remedy="give files, or a folder of scans"), path.open("rb") as fh:
        return fh.read(1024)


def iter_pages(
    path: str | Path,
    *,
    dpi: int = DEFAULT_DPI,
    max_megapixels: float = MAX_MEGAPIXELS,
    text_layer: bool = True,
) -> Iterator[PageInput]:
    """The pages of an image or PDF file, in order.

    Args:
        path: a PNG, JPEG, TIFF (all frames) or PDF file.
        dpi: resolution at which PDF pages without a usable text layer are rendered.
        max_megapixels: size limit of a page image.
        text_layer: take a PDF page's text layer when it is usable (else always render and OCR).

    Raises:
        InputFileError: the file is missing, empty, of an unknown format, corrupt or encrypted.
    """
    path = Path(path)
    head = _read_head(path)
    if not head:
        raise InputFileError(f"{path}: empty file (0 bytes)", remedy="the scan was not saved completely; scan again")
    kind = sniff_format(head)
    if kind is None:
        raise InputFileError(
            f"{path}: unknown file format (not PDF, PNG, JPEG or TIFF)", remedy="convert the scan to PDF, PNG or TIFF"
        )
    if kind == "pdf":
        yield from _pdf_pages(path, dpi=dpi, max_megapixels=max_megapixels, text_layer=text_layer)
    else:
        yield from _image_pages(path, max_megapixels=max_megapixels)


def _image_error(path: Path, exc: Exception, page: int | None = None) -> InputFileError:
    where = f"{path}" if page is None else f"{path}: page {page}"
    detail = str(exc).split("\n", 1)[0] or type(exc).__name__
    return InputFileError(
        f"{where}: unreadable image ({detail})", remedy="the file is damaged or truncated; scan again"
    )


def _image_pages(path: Path, *, max_megapixels: float) -> Iterator[PageInput]:
    with warnings.catch_warnings():
        # Pillow warns about damaged data (EXIF, truncation) and sizes; the errors that matter are raised below.
        warnings.simplefilter("ignore")
        yield from _image_frames(path, max_megapixels=max_megapixels)


def _image_frames(path: Path, *, max_megapixels: float) -> Iterator[PageInput]:
    try:
        image = Image.open(path)
    except Image.DecompressionBombError as exc:
        raise InputFileError(
            f"{path}: image too large to open safely ({exc})", remedy="downscale the image or split it"
        ) from exc
    except Exception as exc:  # UnidentifiedImageError, OSError, SyntaxError... on damaged headers
        raise _image_error(path, exc) from exc
    with image:
        try:
            frames: int | None = getattr(image, "n_frames", 1)
        except Exception:  # a damaged chain of TIFF pages: read pages until it breaks
            frames = None
        single = frames == 1
        index = 0
        while frames is None or index < frames:
            number = index + 1
            try:
                image.seek(index)
            except EOFError:
                return
            except Exception as exc:
                yield PageInput(number, error=_image_error(path, exc, number))
                return
            try:
                _check_size(str(path) if single else f"{path}: page {number}", image.size, max_megapixels)
                direct = single and image.mode in _DIRECT_MODES and image.format in ("PNG", "JPEG", "TIFF")
                if direct and image.format == "PNG":
                    image.verify()  # chunk lengths and CRCs, no inflating: Tesseract decodes the file itself
                else:
                    image.load()
            except MrtextError as exc:
                if single:
                    raise
                yield PageInput(number, error=exc, size=image.size)
                index += 1
                continue
            except Exception as exc:  # Pillow raises many types on damaged data
                error = _image_error(path, exc, None if single else number)
                if single:
                    raise error from exc
                yield PageInput(number, error=error)
                for later in range(number + 1, (frames or number) + 1):  # the rest of a damaged file is lost too
                    yield PageInput(later, error=InputFileError(f"{path}: page {later}: not reached ({error})"))
                return
            page_image: ImageInput = path if direct else normalize_mode(image.copy())
            yield PageInput(number, image=page_image, size=image.size)
            index += 1


def usable_text_layer(text: str, *, has_images: bool) -> bool:
    """Whether a PDF page's text layer can stand for the page (else the page is rendered and OCR'd).

    A page without images is text (or blank) whatever it says. A page with images (a scan)
    needs at least 20 letters or digits in its layer, nearly all of them readable
    characters; otherwise the layer is a stamp, a page number, or undecodable glyphs.

    >>> usable_text_layer("1", has_images=True), usable_text_layer("Socialnämnden godkänner svaret", has_images=True)
    (False, True)
    >>> usable_text_layer("", has_images=False), usable_text_layer("\\ufffd" * 40 + "ab" * 20, has_images=True)
    (False, False)
    """
    letters = sum(ch.isalnum() for ch in text)
    if letters == 0:
        return False
    if not has_images:
        return True
    bad = sum(1 for ch in text if ch == "\ufffd" or not (ch.isprintable() or ch.isspace()))
    return letters >= 20 and bad <= 0.05 * len(text)


def clean_pdf_text(text: str) -> str:
    """PDFium's page text with plain line breaks: ``\\r\\n`` → ``\\n``, NULs dropped, soft hyphens kept as ``-``.

    >>> clean_pdf_text("Social-\\x02\\r\\nnämnden\\r\\n")
    'Social--\\nnämnden'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return text.replace("\x02", "-").replace("\ufffe", "-").rstrip()


def _mentions_encryption(path: Path, chunk: int = 1 << 20) -> bool:
    """Whether the file has an ``/Encrypt`` entry (read in chunks; only called for PDFs that failed to open)."""
    tail = b""
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            if b"/Encrypt" in tail + block:
                return True
            tail = block[-16:]
    return False


def _pdf_pages(path: Path, *, dpi: int, max_megapixels: float, text_layer: bool) -> Iterator[PageInput]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        # PDFium's error code can be stale from an earlier document, so look for the encryption dictionary too.
        if "password" in str(exc).lower() and _mentions_encryption(path):
            raise InputFileError(
                f"{path}: the PDF is encrypted (password-protected)",
                remedy="decrypt it first, e.g. qpdf --decrypt --password=PASSWORD in.pdf out.pdf",
            ) from exc
        raise InputFileError(
            f"{path}: not a readable PDF (damaged, truncated, or no pages)",
            remedy="export or download the document again",
        ) from exc
    try:
        if len(pdf) == 0:
            raise InputFileError(f"{path}: the PDF has no pages", remedy="export the document again")
        for index in range(len(pdf)):
            number = index + 1
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                yield PageInput(number, error=InputFileError(f"{path}: page {number}: unreadable ({exc})"))
                continue
            try:
                yield _pdf_page(page, number, dpi=dpi, max_megapixels=max_megapixels, text_layer=text_layer)
            finally:
                page.close()
    finally:
        pdf.close()


def _pdf_page(page: Any, number: int, *, dpi: int, max_megapixels: float, text_layer: bool) -> PageInput:
    import pypdfium2.raw as pdfium_c

    width_pt, height_pt = page.get_size()
    if text_layer:
        textpage = page.get_textpage()
        try:
            text = clean_pdf_text(textpage.get_text_range())
        finally:
            textpage.close()
        image_type = pdfium_c.FPDF_PAGEOBJ_IMAGE
        has_images = any(obj.type == image_type for obj in page.get_objects())
        if usable_text_layer(text, has_images=has_images):
            return PageInput(number, text=text, size=(round(width_pt / 72 * dpi), round(height_pt / 72 * dpi)))
    scale = dpi / 72
    fit = 0.995 * (max_megapixels * 1e6 / max(width_pt * height_pt, 1.0)) ** 0.5  # PDFium rounds sizes up
    scale = min(scale, fit, TESSERACT_MAX_SIDE / max(width_pt, height_pt, 1.0))
    bitmap = page.render(scale=scale, grayscale=True)
    image = bitmap.to_pil()
    image.info["dpi"] = (scale * 72, scale * 72)
    return PageInput(number, image=normalize_mode(image), size=image.size)
