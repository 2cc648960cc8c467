"""Write OCR'd documents as plain text, TSV, JSON Lines, hOCR or ALTO.

* ``txt``: each page's text and a newline, pages (and files) separated by form feeds
  (``\\f``); nothing else, so the output can be piped into ``mrtext repair -``.
* ``tsv``: one row per word with file, page, layout numbers, box and confidence, plus one
  row per page (level 1) whose ``conf`` is the page's mean word confidence. Text-layer pages
  give one level-4 row per line (no box, ``conf`` -1).
* ``json``: JSON Lines, one object per page (``schema`` ``mrtext/ocr-1``).
* ``hocr`` / ``alto``: Tesseract's own renderings, pages merged into one document with
  ids made unique per page and the image names set to the input files.

>>> from pathlib import Path
>>> from mrtext.ocr.engine import OcrPage
>>> from mrtext.ocr.pipeline import OcrDocument
>>> docs = [OcrDocument(Path("a.png"), [OcrPage("ett")]), OcrDocument(Path("b.tif"), [OcrPage("två"), OcrPage("tre")])]
>>> to_txt(docs)
'ett\\n\\x0ctvå\\n\\x0ctre\\n'
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from mrtext.ocr.engine import OcrPage
from mrtext.ocr.pipeline import PAGE_BREAK, OcrDocument
from mrtext.ocr.tesseract import IMAGE_PLACEHOLDER

__all__ = ["FORMATS", "iter_pages", "to_alto", "to_hocr", "to_json", "to_tsv", "to_txt"]

TSV_COLUMNS = (
    "file",
    "page",
    "level",
    "block",
    "par",
    "line",
    "word",
    "left",
    "top",
    "width",
    "height",
    "conf",
    "text",
)
JSON_SCHEMA = "mrtext/ocr-1"


def iter_pages(docs: Iterable[OcrDocument]) -> Iterator[tuple[OcrDocument, int, OcrPage]]:
    """``(document, page number from 1, page)`` for every page of every document."""
    for doc in docs:
        for number, page in enumerate(doc.pages, 1):
            yield doc, number, page


def to_txt(docs: Iterable[OcrDocument]) -> str:
    """All pages' text, each with a final newline, separated by form feeds (empty output for no pages)."""
    return PAGE_BREAK.join(doc.text for doc in docs if doc.pages)


def _tsv_field(value: object) -> str:
    return str(value).replace("\t", " ").replace("\n", " ")


def to_tsv(docs: Iterable[OcrDocument]) -> str:
    """Word table with page numbers and confidences (see the module doc).

    >>> from pathlib import Path
    >>> from mrtext.ocr.engine import OcrPage, OcrWord
    >>> page = OcrPage("för", [OcrWord("för", (1, 2, 3, 4), 90.0, (1, 1, 1), 1)], 10, 10)
    >>> to_tsv([OcrDocument(Path("s.png"), [page])]).splitlines()[2].split(chr(9))
    ['s.png', '1', '5', '1', '1', '1', '1', '1', '2', '3', '4', '90.0', 'för']
    """
    rows = ["\t".join(TSV_COLUMNS)]
    for doc, number, page in iter_pages(docs):
        name = _tsv_field(doc.path)
        conf = page.confidence if page.confidence is not None else -1
        rows.append(f"{name}\t{number}\t1\t0\t0\t0\t0\t0\t0\t{page.width}\t{page.height}\t{conf}\t")
        if page.source == "text-layer":
            for n, line in enumerate(page.text.splitlines(), 1):
                rows.append(f"{name}\t{number}\t4\t0\t0\t{n}\t0\t0\t0\t0\t0\t-1\t{_tsv_field(line)}")
        for w in page.words:
            layout = "\t".join(str(v) for v in (*w.line, w.index, *w.box))
            rows.append(f"{name}\t{number}\t5\t{layout}\t{w.confidence}\t{_tsv_field(w.text)}")
    return "\n".join(rows) + "\n"


def to_json(docs: Iterable[OcrDocument], *, extra: Callable[[OcrPage], dict[str, Any]] | None = None) -> str:
    """JSON Lines, one object per page: file, page, text, confidence, source, engine, size, words.

    ``extra`` adds fields to each page's object (``mrtext ocr --repair`` adds the repaired text).
    """
    from mrtext.cli._common import dumps

    lines = []
    for doc, number, page in iter_pages(docs):
        obj = {"schema": JSON_SCHEMA, "file": str(doc.path), "page": number, **page.to_dict()}
        if extra is not None:
            obj.update(extra(page))
        lines.append(dumps(obj) + "\n")
    return "".join(lines)


_HOCR_ID = re.compile(r"(id=')([a-z_]+?)_1(?=[_'])")
_HOCR_EMPTY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"\n'
    '    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n <head>\n  <title></title>\n'
    '  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>\n'
    "  <meta name='ocr-system' content='mrtext'/>\n </head>\n <body>\n"
)


def _split_document(raw: str, open_tag: str, close_tag: str) -> tuple[str, str, str]:
    """``(head up to and with open_tag's line, inner, tail from close_tag)`` of a renderer's document."""
    start = raw.index(open_tag)
    start = raw.index(">", start) + 1
    end = raw.rindex(close_tag)
    return raw[:start], raw[start:end], raw[end:]


def _image_name(doc: OcrDocument, number: int) -> str:
    return html.escape(f"{doc.path}" if len(doc.pages) == 1 else f"{doc.path}#page={number}", quote=True)


def to_hocr(docs: Iterable[OcrDocument]) -> str:
    """One hOCR document holding every recognised page (page ids ``page_1``, ``page_2``... in output order)."""
    head, tail, bodies = "", "</body>\n</html>\n", []
    count = 0
    for doc, number, page in iter_pages(docs):
        raw = page.raw.get("hocr")
        if not raw:
            continue
        count += 1
        page_head, inner, page_tail = _split_document(raw, "<body", "</body>")
        head, tail = head or page_head, page_tail
        inner = _HOCR_ID.sub(rf"\g<1>\g<2>_{count}", inner)
        inner = inner.replace(IMAGE_PLACEHOLDER, _image_name(doc, number)).replace("ppageno 0", f"ppageno {count - 1}")
        bodies.append(inner)
    return (head or _HOCR_EMPTY.rstrip("\n")) + "".join(bodies) + ("\n" if not bodies else "") + tail


_ALTO_ID = re.compile(r'\bID="(?!OCR_)')


def to_alto(docs: Iterable[OcrDocument]) -> str:
    """One ALTO document whose ``<Layout>`` holds every recognised page (element ids prefixed ``p<n>_``).

    ALTO names one source image per document: the first page's file (``file#page=n`` for multi-page inputs).
    """
    head = tail = ""
    pages: list[str] = []
    for doc, number, page in iter_pages(docs):
        raw = page.raw.get("alto")
        if not raw:
            continue
        n = len(pages) + 1
        page_head, inner, page_tail = _split_document(raw, "<Layout", "</Layout>")
        head, tail = head or page_head.replace(IMAGE_PLACEHOLDER, _image_name(doc, number)), page_tail
        inner = _ALTO_ID.sub(f'ID="p{n}_', inner).replace('PHYSICAL_IMG_NR="0"', f'PHYSICAL_IMG_NR="{n - 1}"')
        pages.append(inner)
    if not head:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#">\n\t<Layout>\n\t</Layout>\n</alto>\n'
        )
    return head + "".join(pages) + tail


FORMATS: dict[str, Callable[[Iterable[OcrDocument]], str]] = {
    "txt": to_txt,
    "tsv": to_tsv,
    "json": to_json,
    "hocr": to_hocr,
    "alto": to_alto,
}
"""Output format name → writer."""
