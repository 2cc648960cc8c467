"""``mrtext ocr`` (page images and PDFs to text) and ``mrtext synth`` (synthetic scans for repair training)."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from mrtext.errors import BadArgumentsError, MissingDependencyError, PartialFailureError

if TYPE_CHECKING:
    from mrtext.ocr.engine import OcrEngine, OcrPage
    from mrtext.ocr.pipeline import OcrDocument

__all__ = ["ocr", "synth"]

log = logging.getLogger("mrtext.ocr")

FORMAT_CHOICES = ("txt", "hocr", "alto", "tsv", "json")
SYNTH_PAGE_TIMEOUT = 300.0
"""Seconds before ``mrtext synth`` gives up on a page (its lines are then left empty and the page noted)."""


def expand_inputs(files: tuple[str, ...]) -> list[str]:
    """Input paths with folders replaced by the scans inside them (sorted); ``-`` is kept for stdin."""
    from mrtext.ocr.inputs import SUFFIXES

    out: list[str] = []
    for name in files:
        path = Path(name)
        if name != "-" and path.is_dir():
            found = sorted(str(p) for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not found:
                log.warning("%s: no PDF or image files in this folder", name)
            out.extend(found)
        else:
            out.append(name)
    return out


@contextlib.contextmanager
def stdin_as_file(names: list[str]) -> Iterator[list[Path]]:
    """The input paths, with ``-`` replaced by a temporary file holding stdin's bytes."""
    if "-" not in names:
        yield [Path(n) for n in names]
        return
    if names.count("-") > 1:
        raise BadArgumentsError("stdin ('-') can be read only once")
    with tempfile.TemporaryDirectory(prefix="mrtext-stdin-") as tmp:
        data = sys.stdin.buffer.read()
        target = Path(tmp) / "stdin"
        target.write_bytes(data)
        yield [target if n == "-" else Path(n) for n in names]


def rename_in_errors(doc: OcrDocument, old: str, new: str) -> None:
    """Replace a file name in the error messages of a document and its pages."""
    if doc.error is not None:
        doc.error = type(doc.error)(doc.error.message.replace(old, new), remedy=doc.error.remedy)
    for page in doc.pages:
        if page.error:
            page.error = page.error.replace(old, new)


def page_report(doc: OcrDocument, number: int, page: OcrPage) -> str:
    """One stderr line about a page: its source and mean confidence.

    >>> from mrtext.ocr.engine import OcrPage, OcrWord
    >>> from mrtext.ocr.pipeline import OcrDocument
    >>> page = OcrPage("ja", [OcrWord("ja", (0, 0, 1, 1), 91.25)])
    >>> page_report(OcrDocument(Path("scan.pdf"), [page, page]), 2, page)
    'scan.pdf page 2/2: ocr, confidence 91.2'
    """
    where = f"{doc.path} page {number}/{len(doc.pages)}"
    if page.error:
        return f"{where}: failed: {page.error}"
    if page.source == "text-layer":
        return f"{where}: PDF text layer"
    conf = "no words" if page.confidence is None else f"confidence {page.confidence:.1f}"
    return f"{where}: ocr, {conf}"


def make_engine(lang: str, psm: int | None) -> OcrEngine:
    """The engine ``mrtext ocr`` reads pages with: Tesseract (tests put a recorded-output engine here)."""
    from mrtext.ocr.tesseract import TesseractEngine

    return TesseractEngine(lang, psm=psm)


def load_repair() -> Callable[[str], Any]:
    """``mrtext.repair.repair``, or a clear error when this installation has no repair stage."""
    try:
        from mrtext.repair import repair
    except ImportError as exc:
        raise MissingDependencyError(
            "--repair needs the repair stage (mrtext.repair), which is not available",
            remedy="drop --repair, or pipe the text: mrtext ocr scan.pdf | mrtext repair -",
        ) from exc
    return repair


@click.command(
    epilog="Examples:\n\n  mrtext ocr scan.pdf > scan.txt\n\n  mrtext ocr scans/ --jobs 2 --format json -o pages.jsonl\n\n"
    "  mrtext ocr scan.tif --format alto -o scan.alto.xml\n\n  mrtext ocr scan.pdf | mrtext repair -"
)
@click.argument("files", nargs=-1, required=True)
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' = stdout).")
@click.option("--lang", default="swe", show_default=True, help="Tesseract model(s): swe, eng, swe+eng ...")
@click.option(
    "--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="txt", show_default=True, help="Output format."
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Pages OCR'd in parallel.")
@click.option("--repair", "do_repair", is_flag=True, help="Repair OCR damage in each page's text (txt, json).")
@click.option("--dpi", type=click.IntRange(72, 1200), default=300, show_default=True, help="Rendering of PDF pages.")
@click.option("--force-ocr", is_flag=True, help="OCR PDF pages even when they have a usable text layer.")
@click.option(
    "--max-megapixels", type=click.FloatRange(min=0.1), default=40.0, show_default=True, help="Page size limit."
)
@click.option("--psm", type=click.IntRange(0, 13), default=None, help="Tesseract page segmentation mode.")
@click.pass_context
def ocr(
    ctx: click.Context,
    files: tuple[str, ...],
    output: str,
    lang: str,
    fmt: str,
    jobs: int,
    do_repair: bool,
    dpi: int,
    force_ocr: bool,
    max_megapixels: float,
    psm: int | None,
) -> None:
    """OCR page images and PDFs (PNG, JPEG, TIFF with any number of pages, PDF); text to stdout.

    Pages are separated by form feeds (\\f). PDF pages with a usable text layer give that text
    (--force-ocr to OCR them anyway). FILE may be a folder (its scans are read in name order)
    or '-' for stdin. Each page's mean confidence is reported on stderr. A file that cannot
    be read gets a one-line error and the others are still processed; the exit status then
    says so (3: the only input was unreadable, 6: some inputs or pages failed).
    """
    from mrtext.cli._common import open_output
    from mrtext.ocr.formats import FORMATS, to_json
    from mrtext.ocr.pipeline import OcrOptions, ocr_files

    if do_repair and fmt not in ("txt", "json"):
        raise BadArgumentsError(f"--repair works with --format txt or json, not {fmt}")
    repair = load_repair() if do_repair else None
    quiet = bool((ctx.obj or {}).get("quiet"))
    names = expand_inputs(files)
    if not names:
        raise BadArgumentsError("no input files", remedy="give PDF or image files, or folders holding them")
    engine = make_engine(lang, psm)
    renderers = (fmt,) if fmt in ("hocr", "alto") else ()
    options = OcrOptions(dpi=dpi, max_megapixels=max_megapixels, force_ocr=force_ocr, renderers=renderers)
    docs: list[OcrDocument] = []
    with stdin_as_file(names) as paths:
        shown = dict(zip(paths, names, strict=True))
        for doc in ocr_files(paths, engine, options=options, jobs=jobs):
            if shown[doc.path] != str(doc.path):  # stdin: name it '-' in messages, not by its temporary file
                rename_in_errors(doc, str(doc.path), shown[doc.path])
            doc.path = Path(shown[doc.path])
            if doc.error is not None and len(names) > 1:  # a single input's error is the command's error
                click.echo(f"mrtext: error: {doc.error}", err=True)
            for number, page in enumerate(doc.pages, 1):
                if page.error:
                    click.echo(f"mrtext: error: {page.error}", err=True)
                elif not quiet:
                    click.echo(f"mrtext: {page_report(doc, number, page)}", err=True)
            docs.append(doc)
    if not any(doc.pages for doc in docs):
        raise_failures(docs)  # nothing was read: fail without writing an empty output
    if repair is not None:
        repaired = {id(p): repair(p.text) for d in docs for p in d.pages}
        if fmt == "txt":
            for doc in docs:
                doc.pages = [dataclasses.replace(p, text=repaired[id(p)].text) for p in doc.pages]
            rendered = FORMATS["txt"](docs)
        else:
            rendered = to_json(docs, extra=lambda p: {"repaired": repaired[id(p)].text})
    else:
        rendered = FORMATS[fmt](docs)
    with open_output(output, inputs=names) as out:
        out.write(rendered)
    raise_failures(docs)


def raise_failures(docs: list[OcrDocument]) -> None:
    """Exit status of a batch: the error of a single unreadable input, else a partial failure if anything failed."""
    failed = [d for d in docs if not d.ok]
    if not failed:
        return
    if len(docs) == 1 and docs[0].error is not None:
        raise docs[0].error
    pages = sum(len(d.failed_pages) for d in failed)
    files = sum(1 for d in failed if d.error is not None)
    raise PartialFailureError(
        f"{files} of {len(docs)} inputs could not be read and {pages} pages failed",
        remedy="see the errors above; the other pages were written",
    )


@click.command(
    epilog="Examples:\n\n  mrtext synth corpora/stockholm-mr corpora/synthetic --lang eng --lang swe --seed 1 --split train\n\n"
    "  mrtext synth my-clean-texts/ out/ --lang eng --max-lines 200"
)
@click.argument("in_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lang",
    "langs",
    multiple=True,
    default=("eng",),
    show_default=True,
    help="Tesseract model to OCR the pages with; repeat for several (the same pages serve all).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of every random choice (fonts, noise...).")
@click.option("--max-lines", type=click.IntRange(min=1), default=None, help="At most this many lines per document.")
@click.option("--split", default=None, help="Split for the pairs (default: the corpus manifest's, else 'train').")
@click.option("--only", "only", multiple=True, help="Only these document ids (repeatable).")
@click.option(
    "--suffix",
    default="",
    help="Appended to the pair names (<corpus>-<id><suffix>), e.g. '.s2' to keep a second seed beside the first.",
)
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True, help="Pages OCR'd in parallel.")
@click.option("--keep-images", is_flag=True, help="Also save the rendered page images (PNG) in OUT_DIR/images.")
def synth(
    in_dir: Path,
    out_dir: Path,
    langs: tuple[str, ...],
    seed: int,
    max_lines: int | None,
    split: str | None,
    only: tuple[str, ...],
    suffix: str,
    jobs: int,
    keep_images: bool,
) -> None:
    """Render the clean texts of IN_DIR as degraded page scans, OCR them, and write line-aligned pairs to OUT_DIR.

    IN_DIR is a corpus folder (its manifest gives ids and splits; scanned documents are skipped)
    or any folder of .txt files. For each document and model, OUT_DIR gets <corpus>-<id>.clean.txt
    and <corpus>-<id>.ocr.<lang>.txt with the same number of lines, and a row in manifest.jsonl
    (settings of every page, Tesseract version, CER). Output is deterministic for a seed.
    """
    from mrtext.ocr.synth import find_sources, synthesize, update_manifest, write_pairs
    from mrtext.ocr.tesseract import TesseractEngine

    sources = [dataclasses.replace(s, suffix=suffix) for s in find_sources(in_dir, only=only)]
    if not sources:
        raise BadArgumentsError(f"{in_dir}: no clean text documents found", remedy="give a folder of .txt files")
    engines = [TesseractEngine(lang, psm=6, timeout=SYNTH_PAGE_TIMEOUT) for lang in dict.fromkeys(langs)]
    image_dir = out_dir / "images" if keep_images else None
    if image_dir is not None:
        image_dir.mkdir(parents=True, exist_ok=True)
    for source in sources:
        text = source.path.read_text(encoding="utf-8")
        pairs = synthesize(
            text, engines, doc_id=source.key, seed=seed, max_lines=max_lines, jobs=jobs, image_dir=image_dir
        )
        rows = write_pairs(
            pairs,
            source,
            out_dir,
            split=split or source.split or "train",
            seed=seed,
            engine_labels=[e.label for e in engines],
        )
        update_manifest(out_dir / "manifest.jsonl", rows)
        summary = ", ".join(f"{row['lang']} CER {row['cer']:.2%}" for row in rows)
        click.echo(f"mrtext: {source.name}: {rows[0]['lines']} lines, {summary}", err=True)
