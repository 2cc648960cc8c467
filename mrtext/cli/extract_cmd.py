"""``mrtext extract`` and ``mrtext evaluate extract``."""

from __future__ import annotations

import csv
import json
import logging
from pathlib import Path
from typing import Any

import click

from mrtext.cli import CONTEXT_SETTINGS
from mrtext.cli._common import corpus_options, dumps, open_output, repair_option
from mrtext.errors import BadArgumentsError, InputFileError, PartialFailureError

__all__ = ["evaluate_extract", "extract"]

log = logging.getLogger("mrtext.extract")

_CSV_FIELDS = ("id", "path", "label", "text", "start", "end", "value", "title", "doc_type", "date", "diary_number")


def _model_option(f: Any) -> Any:
    return click.option(
        "--model",
        "model_path",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Pipeline folder (default: the packaged models/mrtext_sv).",
    )(f)


_repair_option = repair_option(help="OCR-repair texts before extraction (offsets still point into the input).")


@click.command(
    context_settings=CONTEXT_SETTINGS,
    epilog="Examples:\n\n  mrtext extract corpora/stockholm-mr/source > records.jsonl\n\n"
    "  cat scan.txt | mrtext extract - --format csv\n\n  mrtext extract docs/ --n-process 2 -o records.jsonl",
)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one mrtext/1 record per document; csv: one row per entity.",
)
@_repair_option
@click.option("-o", "--output", default="-", show_default=True, help="Output file ('-' = stdout).")
@click.option("--n-process", type=click.IntRange(1, 64), default=1, show_default=True, help="Worker processes.")
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=8, show_default=True)
@_model_option
def extract(
    paths: tuple[str, ...], fmt: str, repair: str, output: str, n_process: int, batch_size: int, model_path: Path | None
) -> None:
    """Find diary numbers, dates, programs and goals in PATHS (files, folders, or - for stdin).

    Writes one JSON object per document (schema mrtext/1) or, with --format csv, one row per entity.
    """
    from mrtext.extract import extract as run_extract
    from mrtext.extract import load_pipeline
    from mrtext.ingest import iter_text_files, read_document

    files: list[Path] = []
    for p in paths:
        files.extend([Path("-")] if p == "-" else iter_text_files([p]))
    if not files:
        raise InputFileError(
            "no text files found in " + ", ".join(paths), remedy="give .txt/.text/.md files or folders"
        )
    documents = [read_document(f) for f in files]
    records = run_extract(
        documents, nlp=load_pipeline(model_path), repair=repair, batch_size=batch_size, n_process=n_process
    )
    with open_output(output, inputs=[f for f in files if str(f) != "-"]) as fh:
        if fmt == "jsonl":
            for rec in records:
                fh.write(dumps(rec.to_dict()) + "\n")
        else:
            writer = csv.DictWriter(fh, fieldnames=_CSV_FIELDS, lineterminator="\n")
            writer.writeheader()
            for rec in records:
                for e in rec.entities:
                    writer.writerow(
                        {
                            "id": rec.id,
                            "path": rec.path,
                            "label": e.label,
                            "text": e.text,
                            "start": e.start,
                            "end": e.end,
                            "value": e.value,
                            "title": rec.title,
                            "doc_type": rec.doc_type,
                            "date": rec.date,
                            "diary_number": rec.diary_number,
                        }
                    )
    failed = [r for r in records if "error" in r.meta]
    for r in failed:
        log.error("%s: %s", r.id, r.meta["error"])
    if failed:
        raise PartialFailureError(f"{len(failed)} of {len(records)} documents failed", remedy="see the messages above")


@click.command(
    "extract",
    context_settings=CONTEXT_SETTINGS,
    epilog="Examples:\n\n  mrtext evaluate extract\n\n  mrtext evaluate extract --corpus corpora/blind --split heldout --json",
)
@corpus_options
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option(
    "--scanned/--all-docs",
    "by_scan",
    default=True,
    show_default=True,
    help="Also report clean and scanned documents separately.",
)
@_repair_option
@_model_option
def evaluate_extract(
    corpus_dir: Path | None, split: str, as_json: bool, by_scan: bool, repair: str, model_path: Path | None
) -> None:
    """Precision, recall and F1 per label (exact; PROGRAM and GOAL also lenient) and metadata accuracy.

    A corpus of synthetic scans (corpora/synthetic: clean/OCR pairs of gold documents) is scored by value,
    clean rendering against OCR + repair, per OCR language.
    """
    from mrtext.corpus import CORPORA_DIR, load_corpus, read_jsonl
    from mrtext.extract import extract as run_extract
    from mrtext.extract import load_pipeline
    from mrtext.extract.evaluate import format_table, score

    root = corpus_dir or CORPORA_DIR / "stockholm-mr"
    rows = read_jsonl(root / "manifest.jsonl") if (root / "manifest.jsonl").is_file() else []
    if rows and "ocr" in rows[0]:
        synthetic = _evaluate_synthetic(root, rows, split, repair, load_pipeline(model_path))
        click.echo(json.dumps(synthetic, ensure_ascii=False, indent=1) if as_json else _synthetic_table(synthetic))
        return
    corpus = load_corpus(root)
    docs = [
        d
        for d in corpus.documents
        if d.gold_extract is not None and (split == "all" or d.manifest.get("split", "dev") == split)
    ]
    if not docs:
        raise BadArgumentsError(f"{corpus.root}: no documents with extraction gold in split {split!r}")
    records = run_extract(docs, nlp=load_pipeline(model_path), repair=repair)
    pairs = [(d.gold_extract or {}, r) for d, r in zip(docs, records, strict=True)]
    result: dict[str, Any] = {"corpus": str(corpus.root.name), "split": split, "repair": repair, "all": score(pairs)}
    if by_scan:
        for name, want in (("clean", False), ("scanned", True)):
            part = [(g, r) for (g, r), d in zip(pairs, docs, strict=True) if bool(d.manifest.get("scanned")) == want]
            if part:
                result[name] = score(part)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for name in ("all", "clean", "scanned"):
        if name in result:
            click.echo(format_table(result[name], f"{result['corpus']} split={split} [{name}]"))
            click.echo()


def _evaluate_synthetic(root: Path, rows: list[dict[str, Any]], split: str, repair: str, nlp: Any) -> dict[str, Any]:
    """Value-level scores of the clean rendering and of the OCR text (after repair) of each synthetic scan."""
    from mrtext.corpus import CORPORA_DIR, load_corpus
    from mrtext.extract import extract as run_extract
    from mrtext.extract.evaluate import score_values
    from mrtext.ingest import Document, read_text

    rows = [r for r in rows if split == "all" or r.get("split") == split]
    golds: dict[tuple[str, str], Any] = {}
    result: dict[str, Any] = {"corpus": root.name, "split": split, "repair": repair, "by_lang": {}}
    for lang in sorted({r["lang"] for r in rows}):
        part = []
        for r in rows:
            key = (r["source_corpus"], r["source_doc"])
            if key not in golds:
                golds[key] = load_corpus(CORPORA_DIR / key[0]).by_id(key[1]).gold_extract
            if r["lang"] == lang and golds[key] is not None:
                part.append(r)
        if not part:
            continue
        clean = [Document(id=r["id"], text=read_text(root / r["clean"])[0]) for r in part]
        ocr = [Document(id=r["id"], text=read_text(root / r["ocr"])[0]) for r in part]
        gold = [golds[(r["source_corpus"], r["source_doc"])] for r in part]
        result["by_lang"][lang] = {
            "documents": len(part),
            "clean": score_values(zip(gold, run_extract(clean, nlp=nlp, repair="never"), strict=True)),
            "ocr": score_values(zip(gold, run_extract(ocr, nlp=nlp, repair=repair), strict=True)),
        }
    return result


def _synthetic_table(result: dict[str, Any]) -> str:
    lines = []
    for lang, r in result["by_lang"].items():
        lines.append(f"{result['corpus']} split={result['split']} OCR={lang} ({r['documents']} documents), value F1")
        lines.append(f"{'label':<14}{'clean':>8}{'ocr+rep':>9}{'diff':>8}")
        for label, c in r["clean"].items():
            o = r["ocr"][label]
            lines.append(f"{label:<14}{c['f1']:>8.3f}{o['f1']:>9.3f}{o['f1'] - c['f1']:>+8.3f}")
        lines.append("")
    return "\n".join(lines)
