"""``mrtext run``: every stage over a folder tree, resumable and parallel (see :mod:`mrtext.pipeline`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mrtext.cli import CONTEXT_SETTINGS
from mrtext.cli._common import progress, repair_option
from mrtext.errors import PartialFailureError
from mrtext.pipeline import GRAPH_FORMATS, PipelineConfig, RunOptions, StageOptions, run_pipeline

__all__ = ["run", "summary"]


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    unknown = [f for f in formats if f not in GRAPH_FORMATS]
    if unknown:
        raise click.BadParameter(f"unknown format(s) {', '.join(unknown)}; choose from {','.join(GRAPH_FORMATS)}")
    return formats


def summary(report: dict[str, Any]) -> str:
    """The few lines printed on stderr at the end of a run.

    >>> print(summary({"output": "out", "counts": {"discovered": 5, "processed": 5, "cached": 0, "failed": 1,
    ...     "skipped": 0, "repaired": 2, "entities": {"DATE": 3}, "relations": {"replaces": 4}, "nodes": 9,
    ...     "edges": 7}, "outputs": {"graph": ["graph.json"]}, "timings": {"wall": {"total": 1.5}}}))
    mrtext run: 5 documents (5 processed, 0 cached, 1 failed, 0 skipped) in 1.5 s
      repaired scans: 2
      entities: DATE 3
      relations: replaces 4
      graph: 9 nodes, 7 edges
      outputs in out/: extractions.jsonl, graph.json, report.json
    """
    c = report["counts"]
    lines = [
        f"mrtext run: {c['discovered']} documents ({c['processed']} processed, {c['cached']} cached, "
        f"{c['failed']} failed, {c['skipped']} skipped) in {report['timings']['wall']['total']:.1f} s",
        f"  repaired scans: {c['repaired']}",
        "  entities: " + (", ".join(f"{k} {v}" for k, v in c["entities"].items()) or "none"),
        "  relations: " + (", ".join(f"{k} {v}" for k, v in c["relations"].items()) or "none"),
        f"  graph: {c['nodes']} nodes, {c['edges']} edges",
    ]
    files = ["extractions.jsonl", *report["outputs"]["graph"], "report.json"]
    files += [d for d in (report["outputs"].get("repaired"), report["outputs"].get("changes")) if d]
    lines.append(f"  outputs in {report['output']}/: {', '.join(files)}")
    return "\n".join(lines)


@click.command(
    context_settings=CONTEXT_SETTINGS,
    no_args_is_help=True,
    epilog="Examples:\n\n  mrtext run archive/ -o out/ --jobs 2\n\n"
    "  mrtext run archive/ -o out/ --backend dask --scheduler tcp://scheduler:8786\n\n"
    "Run the same command again to resume after an interruption or after adding files.",
)
@click.argument("in_dir", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(path_type=Path),
    required=True,
    help="Output folder (created; must not be inside IN_DIR).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (dask: workers of a local cluster/pool).",
)
@click.option(
    "--backend",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Where documents are processed.",
)
@click.option(
    "--scheduler",
    metavar="ADDR",
    default=None,
    help="dask only: processes (default), threads, synchronous, local (a LocalCluster), "
    "or a scheduler address such as tcp://host:8786.",
)
@click.option("--force", is_flag=True, help="Ignore cached results and process every document again.")
@click.option(
    "--formats",
    default=",".join(GRAPH_FORMATS),
    show_default=True,
    callback=_formats,
    help="Graph formats to write, comma-separated.",
)
@repair_option("--repair", "repair_mode")
@click.option("--lang", "ocr_lang", default="swe", show_default=True, help="Tesseract language(s) for scans.")
@click.option(
    "--max-mb",
    type=click.FloatRange(min=0.001),
    default=20.0,
    show_default=True,
    help="Refuse text files larger than this (per-file error).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    default=0,
    show_default=True,
    help="Seconds one document may take before it fails (local backend; 0: no limit).",
)
@click.pass_context
def run(
    ctx: click.Context,
    in_dir: Path,
    out_dir: Path,
    jobs: int,
    backend: str,
    scheduler: str | None,
    force: bool,
    formats: tuple[str, ...],
    repair_mode: str,
    ocr_lang: str,
    max_mb: float,
    timeout: float,
) -> None:
    """Repair, extract and link every document below IN_DIR; write all outputs to -o OUT_DIR.

    Reads text files, page images and PDFs (OCR) at any depth. Writes repaired texts, change
    lists, extractions.jsonl, the graph in every format and report.json. Resumable: a re-run
    only processes new or changed documents. Exit code 6 when some documents failed (listed on
    stderr and in report.json); the others are still processed.
    """
    quiet = bool((ctx.obj or {}).get("quiet"))
    config = PipelineConfig(
        stages=StageOptions(repair_mode=repair_mode, ocr_lang=ocr_lang), max_bytes=int(max_mb * 1_000_000)
    )

    def bar(items: Any, total: int, desc: str) -> Any:
        return progress(items, total=total, desc=desc, quiet=quiet)

    options = RunOptions(
        jobs=jobs,
        backend=backend,
        scheduler=scheduler,
        force=force,
        formats=formats,
        progress=bar,
        timeout=timeout or None,
    )
    report = run_pipeline(in_dir, out_dir, config, options)
    if not quiet:
        click.echo(summary(report), err=True)
    failed = report["counts"]["failed"]
    if failed:
        raise PartialFailureError(
            f"{failed} of {report['counts']['discovered'] + len(report['skipped'])} input(s) failed",
            remedy=f"see {out_dir / 'report.json'}",
        )
