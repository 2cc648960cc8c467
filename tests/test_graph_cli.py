"""``mrtext graph`` and ``mrtext evaluate graph`` through the real command line."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from conftest import CliResult

from mrtext.corpus import CORPORA_DIR, Corpus
from mrtext.graph import records_from_gold
from mrtext.graph.export import json_graph


@pytest.fixture
def records_file(corpus: Corpus, tmp_path: Path) -> Path:
    path = tmp_path / "records.jsonl"
    path.write_text(
        "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in records_from_gold(corpus)), encoding="utf-8"
    )
    return path


def test_graph_json_from_records(run_cli: Callable[..., CliResult], records_file: Path) -> None:
    res = run_cli("graph", "--records", str(records_file))
    assert res.exit_code == 0, res.stderr
    G = json_graph.read(io.BytesIO(res.stdout.encode("utf-8")))
    assert G.has_edge("doc:002", "dnr:KS 2023/1159", key="responds_to")
    assert "replaced by 2 nodes" in res.stderr  # warnings go to stderr


def test_graph_reads_records_on_stdin(run_cli: Callable[..., CliResult], records_file: Path) -> None:
    res = run_cli("graph", "-", "--format", "graphml", stdin=records_file.read_bytes())
    assert res.exit_code == 0, res.stderr
    G = nx.read_graphml(io.BytesIO(res.stdout.encode("utf-8")), force_multigraph=True)
    assert G.number_of_edges() > 20


def test_graph_lineage_and_responders(run_cli: Callable[..., CliResult], records_file: Path) -> None:
    res = run_cli(
        "graph",
        "--records",
        str(records_file),
        "--lineage",
        "Program för ett jämställt Stockholm",
        "--responds-to",
        "KS 2023/1159",
    )
    assert res.exit_code == 0, res.stderr
    out = json.loads(res.stdout)
    titles = {n["title"] for n in out["lineage"]["replaced_by"]}
    assert "Handlingsplan för ett jämställt Stockholm 2030" in titles
    assert [r["id"] for r in out["responds_to"]["responders"]] == ["doc:002"]


def test_graph_writes_file_and_refuses_input(
    run_cli: Callable[..., CliResult], records_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "g.html"
    res = run_cli("graph", "--records", str(records_file), "-f", "html", "-o", str(out))
    assert res.exit_code == 0 and res.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    res = run_cli("graph", "--records", str(records_file), "-o", str(records_file))
    assert res.exit_code == 5 and "refusing" in res.stderr


def test_graph_bad_input(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    res = run_cli("graph", "--records", str(bad))
    assert res.exit_code == 3 and "Traceback" not in res.stderr
    res = run_cli("graph", "--records", str(bad), "--lineage", "x")
    assert res.exit_code == 3


def test_graph_records_given_as_path_are_refused(run_cli: Callable[..., CliResult], records_file: Path) -> None:
    res = run_cli("graph", str(records_file))
    assert res.exit_code == 2 and "--records" in res.stderr and "Traceback" not in res.stderr
    assert res.stdout == ""


def test_graph_unknown_lineage_name(run_cli: Callable[..., CliResult], records_file: Path) -> None:
    res = run_cli("graph", "--records", str(records_file), "--lineage", "Trafikplan för Kiruna")
    assert res.exit_code == 2 and "no node" in res.stderr


def test_evaluate_graph(run_cli: Callable[..., CliResult]) -> None:
    res = run_cli("evaluate", "graph", "--corpus", str(CORPORA_DIR / "stockholm-mr"), "--json")
    assert res.exit_code == 0, res.stderr
    scores = json.loads(res.stdout)["scores"]
    assert set(scores) == {"replaces", "references", "responds_to", "part_of", "overall"}
    assert scores["overall"]["f1"] >= 0.85
    text = run_cli("evaluate", "graph")
    assert "overall" in text.stdout


def test_graph_custom_rules(run_cli: Callable[..., CliResult], records_file: Path, tmp_path: Path) -> None:
    from importlib import resources

    rules_dir = resources.files("mrtext.graph") / "rules"
    data = json.loads((rules_dir / "relations.json").read_text("utf-8"))
    data["rules"] = [r for r in data["rules"] if r["type"] != "replaces"]
    (tmp_path / "relations.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "documents.json").write_text((rules_dir / "documents.json").read_text("utf-8"), encoding="utf-8")
    res = run_cli("graph", "--records", str(records_file), "-f", "csv", "--rules", str(tmp_path / "relations.json"))
    assert res.exit_code == 0, res.stderr
    types = {row["type"] for row in csv.DictReader(io.StringIO(res.stdout))}
    assert "replaces" not in types and {"responds_to", "part_of", "references"} <= types


def test_graph_jobs_gives_the_same_graph(run_cli: Callable[..., CliResult], records_file: Path) -> None:
    """``--jobs 2`` finds relations in worker processes; the graph is the one ``--jobs 1`` builds."""
    one = run_cli("graph", "--records", str(records_file), "--relink", "--jobs", "1")
    two = run_cli("graph", "--records", str(records_file), "--relink", "--jobs", "2")
    assert one.exit_code == 0 and two.exit_code == 0, one.stderr + two.stderr
    assert json.loads(one.stdout)["edges"] and json.loads(one.stdout) == json.loads(two.stdout)
    assert run_cli("graph", "--records", str(records_file), "--jobs", "0").exit_code != 0
