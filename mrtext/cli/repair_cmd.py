"""``mrtext repair`` and ``mrtext evaluate repair``: OCR repair of Swedish text, and its score against gold."""

from __future__ import annotations

import difflib
import logging
from pathlib import Path

import click

from mrtext.cli import CONTEXT_SETTINGS
from mrtext.cli._common import dumps, open_output, repair_option
from mrtext.errors import InputFileError

__all__ = ["evaluate_repair", "repair"]

log = logging.getLogger("mrtext.repair")


@click.command(
    context_settings=CONTEXT_SETTINGS,
    epilog="Examples:\n\n  mrtext repair scan.txt --changes changes.jsonl > repaired.txt\n\n"
    "  mrtext repair scan.txt --diff | less\n\n  cat scan.txt | mrtext repair - --mode always -o repaired.txt",
)
@click.argument("file", default="-", type=click.Path(allow_dash=True, dir_okay=False, path_type=str))
@click.option("-o", "--output", default=None, help="Write the repaired text here (default: stdout).")
@click.option("--changes", "changes_path", default=None, help="Write the change list here as JSON Lines.")
@repair_option(
    "--mode",
    help="auto: correct only text detected as OCR-damaged; always: correct everything; never: no word corrections.",
)
@click.option("--dehyphenate", is_flag=True, help="Also join words hyphenated at line ends.")
@click.option("--diff", "show_diff", is_flag=True, help="Print a line diff (original → repaired) instead of the text.")
def repair(
    file: str, output: str | None, changes_path: str | None, mode: str, dehyphenate: bool, show_diff: bool
) -> None:
    """Repair OCR damage in a Swedish text FILE (or '-' for stdin).

    The repaired text goes to stdout (or -o OUT); clean text comes out byte-identical.
    A one-line summary goes to stderr: changes made, mean confidence, damage verdict.
    """
    from mrtext.ingest import read_text
    from mrtext.repair import RepairConfig
    from mrtext.repair import repair as run_repair

    text, _ = read_text(file)
    result = run_repair(text, RepairConfig(mode=mode, dehyphenate=dehyphenate))  # type: ignore[arg-type]
    inputs = [] if file == "-" else [file]
    if changes_path is not None:
        with open_output(changes_path, inputs=inputs) as fh:
            for c in result.changes:
                fh.write(dumps(c.to_dict()) + "\n")
    with open_output(output, inputs=inputs) as fh:
        if show_diff:
            fh.write(render_diff(result.original, result.text, file))
        else:
            fh.write(result.text)
    click.echo(
        f"mrtext repair: {len(result.changes)} changes, mean confidence {result.confidence:.3f}, "
        f"{'OCR-damaged' if result.damaged else 'clean'} ({file})",
        err=True,
    )


def render_diff(before: str, after: str, name: str = "text") -> str:
    """A unified line diff for people (empty when nothing changed).

    >>> print(render_diff("dr bra\\n", "är bra\\n"), end="")
    --- text (original)
    +++ text (repaired)
    @@ -1 +1 @@
    -dr bra
    +är bra
    """
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        f"{name} (original)",
        f"{name} (repaired)",
        n=0,
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option(
    "--gold",
    "gold_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of hand-corrected <id>.txt files (e.g. corpora/stockholm-mr/gold/repair).",
)
@click.option(
    "--corpus",
    "corpus_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The corpus whose sources the gold corrects (default: two folders above --gold).",
)
@click.option(
    "--pairs",
    "pairs_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Evaluate on synthetic clean/OCR pairs in this folder instead (e.g. corpora/synthetic).",
)
@click.option("--split", default="heldout", show_default=True, help="Split of the synthetic pairs.")
@click.option("--lang", default="eng", show_default=True, help="OCR model of the synthetic pairs.")
@repair_option("--mode", help="Repair mode.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object) instead of a table.")
def evaluate_repair(
    gold_dir: Path | None,
    corpus_dir: Path | None,
    pairs_dir: Path | None,
    split: str,
    lang: str,
    mode: str,
    as_json: bool,
) -> None:
    """Score OCR repair against gold: CER/WER before and after, error reduction, å/ä/ö accuracy, false corrections."""
    from mrtext.repair import RepairConfig
    from mrtext.repair import repair as run_repair
    from mrtext.repair.evaluate import iter_corpus_pairs, iter_synthetic_pairs, score_pair, total

    if (gold_dir is None) == (pairs_dir is None):
        raise click.UsageError("give exactly one of --gold DIR or --pairs DIR")
    if gold_dir is not None:
        triples = list(iter_corpus_pairs(gold_dir, corpus_dir))
    else:
        assert pairs_dir is not None
        triples = list(iter_synthetic_pairs(pairs_dir, split, lang))
    if not triples:
        raise InputFileError(
            f"{gold_dir or pairs_dir}: no gold/source pairs found", remedy="check the folder and --split/--lang"
        )
    config = RepairConfig(mode=mode)  # type: ignore[arg-type]
    scores = [score_pair(gold, src, run_repair(src, config).text, doc_id) for doc_id, gold, src in triples]
    summary = total(scores)
    if as_json:
        click.echo(dumps({"documents": [s.to_dict() for s in scores], "total": summary.to_dict()}))
        return
    header = (
        f"{'doc':<24} {'CER src':>8} {'CER rep':>8} {'WER src':>8} {'WER rep':>8} "
        f"{'reduct.':>8} {'åäö acc':>8} {'false':>6} {'changed':>8}"
    )
    click.echo(header)
    for s in [*scores, summary]:
        click.echo(
            f"{s.id[:24]:<24} {s.cer_source:8.4f} {s.cer_repaired:8.4f} {s.wer_source:8.4f} {s.wer_repaired:8.4f} "
            f"{s.error_reduction:8.1%} {s.diacritic_accuracy:8.1%} {s.false_corrections:6d} {s.changed_words:8d}"
        )
    click.echo(
        f"false corrections: {summary.false_corrections} of {summary.words} words "
        f"({summary.false_correction_rate:.3%}); fixed words: {summary.fixed_words}"
    )
