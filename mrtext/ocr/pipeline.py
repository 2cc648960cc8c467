"""From files to OCR'd documents: pages in order, recognised in parallel, errors kept per file and page.

>>> from PIL import Image
>>> from mrtext.ocr.engine import NullEngine
>>> import tempfile, pathlib
>>> tmp = pathlib.Path(tempfile.mkdtemp())
>>> Image.new("L", (40, 20), 255).save(tmp / "blank.png")
>>> (tmp / "empty.png").write_bytes(b"")
0
>>> docs = list(ocr_files([tmp / "blank.png", tmp / "empty.png"], NullEngine()))
>>> [(d.path.name, len(d.pages), d.ok) for d in docs]
[('blank.png', 1, True), ('empty.png', 0, False)]
>>> docs[1].error.exit_code.name
'input_file'
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from mrtext.errors import InputFileError, MrtextError
from mrtext.ocr.engine import OcrEngine, OcrPage
from mrtext.ocr.inputs import DEFAULT_DPI, MAX_MEGAPIXELS, PageInput, iter_pages

__all__ = ["PAGE_BREAK", "OcrDocument", "OcrOptions", "ocr_file", "ocr_files", "ordered_map"]

T = TypeVar("T")
R = TypeVar("R")

PAGE_BREAK = "\f"
"""Separates pages in document text (form feed), so page numbers and offsets can be recovered."""


@dataclass(frozen=True)
class OcrOptions:
    """How files become pages (see :func:`mrtext.ocr.inputs.iter_pages`) and what engines render."""

    dpi: int = DEFAULT_DPI
    max_megapixels: float = MAX_MEGAPIXELS
    force_ocr: bool = False
    renderers: tuple[str, ...] = ()


@dataclass
class OcrDocument:
    """The pages read from one input file, or the error that stopped it.

    ``error`` is set when the file itself could not be read; pages that failed carry
    their own ``error`` and an empty text, so page numbers stay right.
    """

    path: Path
    pages: list[OcrPage] = field(default_factory=list)
    error: MrtextError | None = None

    @property
    def text(self) -> str:
        """The document text: each page's text ends with a newline, and pages are separated by a form feed.

        This is ``pdftotext``'s layout, so page *n* starts after the *(n-1)*-th ``\\f`` and
        line-based tools never see the last line of one page joined to the first of the next.

        >>> OcrDocument(Path("x.tif"), [OcrPage("ett"), OcrPage("två")]).text
        'ett\\n\\x0ctvå\\n'
        """
        return PAGE_BREAK.join(page.text + "\n" for page in self.pages)

    @property
    def failed_pages(self) -> list[int]:
        """Numbers (from 1) of the pages that could not be read or recognised."""
        return [n for n, page in enumerate(self.pages, 1) if page.error]

    @property
    def ok(self) -> bool:
        """True when the file and all of its pages were read."""
        return self.error is None and not self.failed_pages


def ordered_map(fn: Callable[[T], R], items: Iterable[T], *, jobs: int = 1) -> Iterator[R]:
    """``map(fn, items)`` on ``jobs`` threads, results in input order, at most ``2 × jobs`` items in flight.

    Unlike ``Executor.map`` it does not read all of ``items`` first, so page images are
    decoded only shortly before a worker is free for them.

    >>> list(ordered_map(lambda x: x * x, range(5), jobs=2))
    [0, 1, 4, 9, 16]
    """
    if jobs <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[R]] = deque()
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _recognize(engine: OcrEngine, page: PageInput, renderers: tuple[str, ...]) -> OcrPage:
    width, height = page.size
    if page.error is not None:
        return OcrPage("", width=width, height=height, source="error", error=str(page.error))
    if page.text is not None:
        return OcrPage(page.text, width=width, height=height, source="text-layer", engine="pdf text layer")
    if page.image is None:  # pragma: no cover - iter_pages always sets one of the three
        raise ValueError("page without image, text or error")
    try:
        return engine.recognize(page.image, renderers=renderers)
    except InputFileError as exc:
        return OcrPage("", width=width, height=height, source="error", error=str(exc))


_Task = tuple[int, PageInput | MrtextError]


def _tasks(paths: list[Path], options: OcrOptions) -> Iterator[_Task]:
    text_layer = not options.force_ocr and not options.renderers
    for index, path in enumerate(paths):
        try:
            for page in iter_pages(path, dpi=options.dpi, max_megapixels=options.max_megapixels, text_layer=text_layer):
                yield index, page
        except MrtextError as exc:
            yield index, exc


def ocr_files(
    paths: Iterable[str | Path], engine: OcrEngine, *, options: OcrOptions | None = None, jobs: int = 1
) -> Iterator[OcrDocument]:
    """OCR every page of every file, ``jobs`` pages at a time; yield one :class:`OcrDocument` per file, in order.

    A file that cannot be read yields a document with ``error`` set and the batch goes on.
    Errors that concern the whole run (Tesseract missing) are raised.
    PDF pages with a usable text layer are taken as text, unless ``force_ocr`` is set or
    renderers (hOCR, ALTO) are asked for, which need Tesseract's own layout.
    """
    options = options or OcrOptions()
    files = [Path(p) for p in paths]
    docs = [OcrDocument(path) for path in files]

    def work(task: _Task) -> tuple[int, OcrPage | MrtextError]:
        index, item = task
        return index, item if isinstance(item, MrtextError) else _recognize(engine, item, options.renderers)

    done = 0
    for index, result in ordered_map(work, _tasks(files, options), jobs=jobs):
        while done < index:  # files before this one are complete (including files that yielded nothing)
            yield docs[done]
            done += 1
        if isinstance(result, MrtextError):
            docs[index].error = result
        else:
            docs[index].pages.append(result)
    yield from docs[done:]


def ocr_file(
    path: str | Path, engine: OcrEngine | None = None, *, options: OcrOptions | None = None, jobs: int = 1
) -> OcrDocument:
    """OCR one file (see :func:`ocr_files`); raise its error when the file cannot be read at all.

    ``engine`` defaults to Tesseract with the Swedish model.
    """
    if engine is None:
        from mrtext.ocr.tesseract import TesseractEngine

        engine = TesseractEngine()
    doc = next(ocr_files([path], engine, options=options, jobs=jobs))
    if doc.error is not None:
        raise doc.error
    return doc
