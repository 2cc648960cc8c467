"""``mrtext ocr`` (page images and PDFs to text) and ``mrtext synth`` (synthetic scans for repair training)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from mrtext.errors import BadArgumentsError

__all__ = ["synth"]

log = logging.getLogger("mrtext.ocr")


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

    sources = find_sources(in_dir, only=only)
    if not sources:
        raise BadArgumentsError(f"{in_dir}: no clean text documents found", remedy="give a folder of .txt files")
    engines = [TesseractEngine(lang, psm=6) for lang in dict.fromkeys(langs)]
    image_dir = out_dir / "images" if keep_images else None
    if image_dir is not None:
        image_dir.mkdir(parents=True, exist_ok=True)
    for source in sources:
        text = source.path.read_text(encoding="utf-8")
        pairs = synthesize(
            text, engines, doc_id=source.name, seed=seed, max_lines=max_lines, jobs=jobs, image_dir=image_dir
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
