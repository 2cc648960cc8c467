"""``mrtext graph`` (build and export the document graph, or query it) and ``mrtext evaluate graph``."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any

import click

from mrtext.cli import CONTEXT_SETTINGS
from mrtext.cli._common import corpus_options, dumps, open_output, repair_option
from mrtext.errors import BadArgumentsError, InputFileError, MissingDependencyError
from mrtext.model import DocumentRecord

__all__ = ["evaluate_graph", "graph"]

log = logging.getLogger("mrtext.graph")

FORMATS = ("json", "graphml", "gexf", "dot", "csv", "html")


def _records_from_jsonl(text: str, source: str) -> list[DocumentRecord]:
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(DocumentRecord.from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputFileError(
                f"{source}:{n}: not an mrtext record: {exc}", remedy="give the JSON Lines written by `mrtext extract`"
            ) from exc
    if not out:
        raise InputFileError(f"{source}: no records", remedy="give the JSON Lines written by `mrtext extract`")
    return out


def _extract(paths: list[str], repair: str) -> tuple[list[DocumentRecord], dict[str, str]]:
    from importlib import import_module

    from mrtext.ingest import iter_text_files, read_document

    try:
        extract_fn: Any = import_module("mrtext.extract").extract
    except (ImportError, AttributeError) as exc:
        raise MissingDependencyError(
            "the extraction stage (mrtext.extract) is not available",
            remedy="run `mrtext extract` elsewhere and pass its output with --records",
        ) from exc
    docs = [read_document(p) for p in iter_text_files(paths)]
    if not docs:
        raise InputFileError("no text files found in " + ", ".join(paths), remedy="give .txt files or folders")
    records: list[DocumentRecord] = extract_fn(docs, repair=repair)
    return records, {d.id: d.text for d in docs}


@click.command(
    "graph",
    context_settings=CONTEXT_SETTINGS,
    no_args_is_help=False,
    epilog="Examples:\n\n  mrtext graph corpora/stockholm-mr/source --format graphml -o graph.graphml\n\n"
    "  mrtext extract docs/ | mrtext graph - --format csv\n\n"
    '  mrtext graph docs/ --lineage "Program för ett jämställt Stockholm"\n\n'
    '  mrtext graph --records records.jsonl --responds-to "KS 2023/1159"',
)
@click.argument("paths", nargs=-1, type=str)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="json",
    show_default=True,
    help="Output format of the graph.",
)
@click.option("-o", "--output", type=str, default=None, help="Output file ('-' or absent: stdout).")
@click.option(
    "--records", type=str, default=None, help="Records JSONL from `mrtext extract` instead of texts ('-' = stdin)."
)
@click.option(
    "--lineage",
    type=str,
    default=None,
    metavar="NAME",
    help="Print what NAME (a program title or diary number) replaced and what replaced it, as JSON.",
)
@click.option(
    "--responds-to",
    "responds_to",
    type=str,
    default=None,
    metavar="DNR",
    help="Print the documents that respond to diary number DNR, as JSON.",
)
@repair_option(help="Repair OCR damage before extraction and cue matching.")
@click.option("--relink", is_flag=True, help="Find relations again even if the records already have some.")
@click.option(
    "--rules",
    "rules_path",
    type=click.Path(dir_okay=False, exists=True),
    default=None,
    help="A relation rules file (default: the packaged mrtext/graph/rules/relations.json).",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that find relations in texts (default: one per core for large jobs; 1 = no workers).",
)
def graph(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    records: str | None,
    lineage: str | None,
    responds_to: str | None,
    repair: str,
    relink: bool,
    rules_path: str | None,
    jobs: int | None,
) -> None:
    """Build the document graph (replaces / references / responds_to / part_of) and write it.

    PATHS are text files or folders (extraction runs first), or '-' for records JSONL on stdin.
    """
    from mrtext.graph import build_graph, responders
    from mrtext.graph import lineage as lineage_q
    from mrtext.graph.export import write
    from mrtext.graph.find import find_relations
    from mrtext.ingest import read_text

    texts: dict[str, str] | None = None
    inputs: list[str] = []
    if records is not None or list(paths) == ["-"]:
        if records is not None and paths:
            raise BadArgumentsError("give either PATHS or --records, not both")
        src = records or "-"
        text, _ = read_text(src)
        recs = _records_from_jsonl(text, src)
        inputs = [src]
    elif paths:
        if "-" in paths:
            raise BadArgumentsError("'-' (records on stdin) cannot be mixed with paths")
        jsonl = [p for p in paths if p.lower().endswith((".jsonl", ".ndjson"))]
        if jsonl:  # records given as a path would otherwise be read as a text document
            raise BadArgumentsError(f"{jsonl[0]}: PATHS are texts", remedy=f"pass records with --records {jsonl[0]}")
        recs, texts = _extract(list(paths), repair)
        inputs = list(paths)
    else:
        raise click.UsageError("give PATHS, '-' or --records (see --help)")

    from mrtext.graph.rules import load_rules

    rules = load_rules(rules_path)

    def finder(rec: DocumentRecord, text: str) -> list[Any]:
        return find_relations(rec, text, repair=repair, rules=rules)

    G = build_graph(recs, texts=texts, find=finder, relink=relink, workers=jobs)
    for_inputs = [p for p in inputs if p != "-" and Path(p).is_file()]
    if lineage is not None or responds_to is not None:
        result: dict[str, Any] = {}
        if lineage is not None:
            result["lineage"] = lineage_q(G, lineage).to_dict()
        if responds_to is not None:
            result["responds_to"] = {"diary_number": responds_to, "responders": responders(G, responds_to)}
        with open_output(output, inputs=for_inputs) as fh:
            fh.write(dumps(result) + "\n")
        return
    buf = io.BytesIO()
    write(G, fmt, buf)
    with open_output(output, inputs=for_inputs, binary=True) as fh:
        fh.write(buf.getvalue())
    log.info(
        "graph: %d nodes, %d edges, %d warnings",
        G.number_of_nodes(),
        G.number_of_edges(),
        len(G.graph.get("warnings", [])),
    )


@click.command(
    "graph",
    context_settings=CONTEXT_SETTINGS,
    epilog="Examples:\n\n  mrtext evaluate graph\n\n"
    "  mrtext evaluate graph --corpus corpora/blind --split heldout --json",
)
@corpus_options
@click.option(
    "--entities",
    type=click.Choice(["gold", "predicted"]),
    default="gold",
    show_default=True,
    help="Build the graph from the gold extraction or from mrtext.extract's predictions.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--errors", is_flag=True, help="Also list missed and spurious relations (on stderr).")
def evaluate_graph(corpus_dir: Path | None, split: str, entities: str, as_json: bool, errors: bool) -> None:
    """Precision, recall and F1 of the graph's relations per type against gold/relations.jsonl."""
    from mrtext.corpus import CORPORA_DIR, load_corpus
    from mrtext.graph import build_graph, records_from_gold, score_relations

    corpus = load_corpus(corpus_dir or CORPORA_DIR / "stockholm-mr")
    if not corpus.gold_relations:
        raise InputFileError(f"{corpus.root}: no gold/relations.jsonl", remedy="annotate relations first")
    docs = corpus.documents if split == "all" else corpus.split(split)
    if not docs:
        raise BadArgumentsError(f"{corpus.root}: no documents in split {split!r}")
    if entities == "gold":
        recs = records_from_gold(corpus, docs)
    else:
        recs, _ = _extract([d.path or "" for d in docs], "auto")
        by_path = {str(Path(d.path or "").resolve()): d.id for d in docs}
        for r in recs:  # score against corpus ids, whatever ids extraction gave
            r.id = by_path.get(str(Path(r.path or "").resolve()), r.id)
    G = build_graph(recs)
    scores = score_relations(G, corpus.gold_relations, docs={d.id for d in docs})
    table = scores.table()
    if as_json:
        click.echo(dumps({"corpus": corpus.root.name, "split": split, "entities": entities, "scores": table}))
    else:
        click.echo(f"graph relations: {corpus.root.name}, split {split}, {entities} entities, {len(docs)} documents")
        click.echo(f"{'type':<12} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7} {'f1':>6}")
        for t, row in table.items():
            click.echo(
                f"{t:<12} {row['tp']:>4} {row['fp']:>4} {row['fn']:>4} {row['precision']:>9.3f} "
                f"{row['recall']:>7.3f} {row['f1']:>6.3f}"
            )
    if errors:
        for e in scores.errors:
            click.echo(dumps(e), err=True)
