"""``mrtext run`` end to end: outputs, report, resume, kill -9, dask, argument errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from mrtext.corpus import CORPORA_DIR, load_corpus
from mrtext.ingest import read_text
from mrtext.pipeline import PipelineConfig, RunOptions, run_pipeline
from mrtext.pipeline.stages import StageOptions, get_stages

SAMPLE = CORPORA_DIR / "stockholm-mr"
SOURCE = SAMPLE / "source"


def _missing_stages() -> list[str]:
    stages = get_stages(StageOptions())
    return [f"{k}: {v}" for k, v in stages.unavailable.items() if k != "ocr"]


needs_stages = pytest.mark.skipif(bool(_missing_stages()), reason=f"stages missing: {_missing_stages()}")


def _same_version(a: dict, b: dict) -> None:
    """Outputs are comparable only when made by the same stage code (helpers edit it while tests run)."""
    if a["pipeline"]["fingerprint"] != b["pipeline"]["fingerprint"]:
        pytest.skip("the stage code changed while the test ran (shared working tree)")


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _copy_sample(dst: Path) -> Path:
    shutil.copytree(SOURCE, dst)
    return dst


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sample") / "out"
    report = run_pipeline(SOURCE, out)
    return out, report


@needs_stages
def test_outputs_and_report_on_the_sample_corpus(sample_run: tuple[Path, dict]) -> None:
    out, report = sample_run
    sources = sorted(SOURCE.glob("*.txt"))
    assert report["counts"]["discovered"] == len(sources) == report["counts"]["processed"]
    assert report["counts"]["failed"] == 0 and report["failures"] == []
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == report
    assert all(state == "ok" for name, state in report["pipeline"]["stages"].items() if name != "ocr")

    records = _read_jsonl(out / "extractions.jsonl")
    assert [r["id"] for r in records] == [p.stem for p in sources]
    labels: dict[str, int] = {}
    relation_types: dict[str, int] = {}
    for rec, path in zip(records, sources, strict=True):
        text, _ = read_text(path)
        assert rec["schema"] == "mrtext/1" and rec["path"] == str(path)
        for ent in rec["entities"]:  # offsets always into the original file
            assert text[ent["start"] : ent["end"]] == ent["text"]
            labels[ent["label"]] = labels.get(ent["label"], 0) + 1
        for rel in rec["relations"]:
            relation_types[rel["type"]] = relation_types.get(rel["type"], 0) + 1
            ev = rel["evidence"]
            if ev is not None and ev.get("text") is not None:
                assert 0 <= ev["start"] <= ev["end"] <= len(text)
    assert {k: v for k, v in report["counts"]["entities"].items() if v} == labels
    assert {k: v for k, v in report["counts"]["relations"].items() if v} == relation_types
    assert labels.get("DIARY_NUMBER", 0) > 0 and labels.get("DATE", 0) > 0


@needs_stages
def test_repaired_texts_and_changes_only_for_the_scans(sample_run: tuple[Path, dict]) -> None:
    out, report = sample_run
    corpus = load_corpus(SAMPLE)
    scanned = {Path(d.path).name for d in corpus.documents if d.manifest.get("scanned")}
    repaired = {p.name for p in (out / "repaired").iterdir()}
    assert repaired == scanned
    assert report["counts"]["repaired"] == len(scanned)
    for name in scanned:
        original, _ = read_text(SOURCE / name)
        fixed = (out / "repaired" / name).read_text(encoding="utf-8")
        assert fixed != original and len(fixed) > 0.9 * len(original)
        changes = _read_jsonl(out / "changes" / f"{name}.jsonl")
        assert changes
        for change in changes:  # stand-off: offsets into the original input
            assert original[change["start"] : change["end"]] == change["before"]


@needs_stages
def test_graph_files_parse_and_agree(sample_run: tuple[Path, dict]) -> None:
    out, report = sample_run
    assert sorted(report["outputs"]["graph"]) == sorted(
        f"graph.{f}" for f in ("json", "graphml", "gexf", "dot", "csv", "html")
    )
    data = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert "edges" in data
    assert len(data["nodes"]) == report["counts"]["nodes"] > 0
    assert len(data["edges"]) == report["counts"]["edges"] > 0
    graphml = nx.read_graphml(out / "graph.graphml")
    assert graphml.number_of_nodes() == report["counts"]["nodes"]
    gexf = nx.read_gexf(out / "graph.gexf")
    assert gexf.number_of_nodes() == report["counts"]["nodes"]
    rows = list(csv.DictReader(io.StringIO((out / "graph.csv").read_text(encoding="utf-8"))))
    assert len(rows) == report["counts"]["edges"]
    assert "digraph" in (out / "graph.dot").read_text(encoding="utf-8").split("{", 1)[0]
    html = (out / "graph.html").read_text(encoding="utf-8")
    assert "<html" in html.lower() and "http://" not in html.split("<body", 1)[0].replace("http://www.w3.org", "")
    ET.parse(out / "graph.graphml")  # well-formed XML


@needs_stages
def test_local_jobs_2_gives_the_same_records(sample_run: tuple[Path, dict], tmp_path: Path) -> None:
    out, first = sample_run
    expected = (out / "extractions.jsonl").read_text(encoding="utf-8")
    local2 = run_pipeline(SOURCE, tmp_path / "local2", options=RunOptions(jobs=2, formats=("json",)))
    _same_version(first, local2)
    assert local2["counts"]["processed"] == 5
    assert (tmp_path / "local2" / "extractions.jsonl").read_text(encoding="utf-8") == expected


@needs_stages
def test_dask_distributed_cluster_by_address(sample_run: tuple[Path, dict], tmp_path: Path) -> None:
    """The path a real cluster takes: connect to a scheduler address (here an in-process LocalCluster)."""
    distributed = pytest.importorskip("distributed")
    out, first = sample_run
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        assert address.startswith("tcp://")
        report = run_pipeline(
            SOURCE, tmp_path / "out", options=RunOptions(backend="dask", scheduler=address, formats=("json",))
        )
    _same_version(first, report)
    assert report["counts"]["processed"] == 5 and report["counts"]["failed"] == 0
    assert (tmp_path / "out" / "extractions.jsonl").read_text(encoding="utf-8") == (
        out / "extractions.jsonl"
    ).read_text(encoding="utf-8")


@needs_stages
def test_resume_processes_only_new_and_changed_documents(tmp_path: Path) -> None:
    src = _copy_sample(tmp_path / "in")
    out = tmp_path / "out"
    opts = RunOptions(formats=("json", "csv"))
    first = run_pipeline(src, out, options=opts)
    assert (first["counts"]["processed"], first["counts"]["cached"]) == (5, 0)
    records = (out / "extractions.jsonl").read_bytes()
    graph_mtime = (out / "graph.json").stat().st_mtime_ns

    again = run_pipeline(src, out, options=opts)
    _same_version(first, again)
    assert (again["counts"]["processed"], again["counts"]["cached"]) == (0, 5)
    assert (out / "extractions.jsonl").read_bytes() == records
    assert (out / "graph.json").stat().st_mtime_ns == graph_mtime  # graph not rebuilt when nothing changed
    assert again["counts"]["nodes"] == first["counts"]["nodes"]

    target = sorted(src.glob("*.txt"))[0]
    os.utime(target, (time.time() + 60, time.time() + 60))  # touched, same content: still cached
    assert run_pipeline(src, out, options=opts)["counts"]["processed"] == 0

    with target.open("a", encoding="utf-8") as fh:
        fh.write("\nKommunstyrelsen beslutade den 3 mars 2025 att anta programmet, dnr KS 2025/0042.\n")
    changed = run_pipeline(src, out, options=opts)
    assert (changed["counts"]["processed"], changed["counts"]["cached"]) == (1, 4)
    rec = next(r for r in _read_jsonl(out / "extractions.jsonl") if r["id"] == target.stem)
    assert any(e["label"] == "DATE" and e["value"] == "2025-03-03" for e in rec["entities"])

    (src / "sub dir").mkdir()
    shutil.copy(target, src / "sub dir" / "kopia ö.txt")
    added = run_pipeline(src, out, options=opts)
    assert (added["counts"]["processed"], added["counts"]["discovered"]) == (1, 6)
    assert "sub dir/kopia ö" in {r["id"] for r in _read_jsonl(out / "extractions.jsonl")}

    scanned = src / "002-socialnamnden-remissvar-mr-program.txt"
    assert (out / "repaired" / scanned.name).exists()
    scanned.unlink()
    removed = run_pipeline(src, out, options=opts)
    assert removed["counts"]["processed"] == 0 and removed["counts"]["discovered"] == 5
    assert not (out / "repaired" / scanned.name).exists()  # outputs of a removed document are removed
    assert not (out / "changes" / f"{scanned.name}.jsonl").exists()

    forced = run_pipeline(src, out, options=RunOptions(formats=("json",), force=True))
    assert forced["counts"]["processed"] == 5


def _archive(root: Path, n: int) -> Path:
    """``n`` distinct documents made from the sample texts (each gets its own diary number)."""
    root.mkdir(parents=True)
    texts = [read_text(p)[0] for p in sorted(SOURCE.glob("*.txt"))]
    for i in range(n):
        body = texts[i % len(texts)]
        (root / f"dok {i:03d}.txt").write_text(f"Dnr KS 2024/{1000 + i}\n\n{body}", encoding="utf-8")
    return root


@needs_stages
def test_kill_9_mid_run_then_resume(tmp_path: Path) -> None:
    """kill -9 of a --jobs 2 run: no worker outlives it, nothing is half-written, the re-run finishes the rest."""
    psutil = pytest.importorskip("psutil")
    src = _archive(tmp_path / "in", 20)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mrtext", "-q", "run", str(src), "-o", str(out), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 90
    cached_at_kill = 0
    while time.time() < deadline and proc.poll() is None:
        cached_at_kill = len(list((out / ".cache").glob("*/*/*.json")))
        if cached_at_kill >= 3:
            break
        time.sleep(0.02)
    killed = proc.poll() is None
    children = psutil.Process(proc.pid).children(recursive=True) if killed else []
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert killed, "the run finished before it could be killed; make the archive bigger"
    assert not (out / "report.json").exists()  # the run never got to its end
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"orphan processes after kill -9: {alive}"

    version = next((out / ".cache").glob("*/*/*.json")).parent.parent.name
    report = run_pipeline(src, out, options=RunOptions(formats=("json",)))
    if not report["pipeline"]["fingerprint"].startswith(version):
        pytest.skip("the stage code changed while the test ran (shared working tree), so the cache is void")
    assert report["counts"]["failed"] == 0
    assert report["counts"]["cached"] >= cached_at_kill
    assert report["counts"]["processed"] + report["counts"]["cached"] == 20
    assert report["counts"]["processed"] < 20
    assert len(_read_jsonl(out / "extractions.jsonl")) == 20
    assert not [p for p in out.rglob("*.tmp")]  # no half-written file left


def test_cli_summary_and_argument_errors(run_cli, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Kommunfullmäktige beslutade den 6 december 2017, dnr KS 2017/123.", encoding="utf-8")
    res = run_cli("run", str(src), "-o", str(tmp_path / "out"), "--formats", "json")
    assert res.exit_code == 0, res.stderr
    assert res.stdout == ""  # data goes to files, messages to stderr
    assert "mrtext run: 1 documents (1 processed" in res.stderr
    assert f"outputs in {tmp_path / 'out'}/" in res.stderr

    assert run_cli("run", str(src), "-o", str(src / "out")).exit_code == 2  # output inside the input
    assert run_cli("run", str(src), "-o", str(src)).exit_code == 2
    assert not (src / "out").exists()
    assert run_cli("run", str(tmp_path / "nope"), "-o", str(tmp_path / "o2")).exit_code == 3
    assert run_cli("run", str(src), "-o", str(tmp_path / "o3"), "--jobs", "0").exit_code == 2
    assert run_cli("run", str(src), "-o", str(tmp_path / "o4"), "--formats", "json,pdf").exit_code == 2
    res = run_cli("run", str(src), "-o", str(tmp_path / "o5"), "--scheduler", "tcp://127.0.0.1:1")
    assert res.exit_code == 2 and "--backend dask" in res.stderr
    res = run_cli("run", str(src), "-o", str(tmp_path / "o6"), "--backend", "dask", "--scheduler", "carrier-pigeon")
    assert res.exit_code == 2 and "unknown dask scheduler" in res.stderr
    (tmp_path / "file").write_text("x")
    assert run_cli("run", str(src), "-o", str(tmp_path / "file")).exit_code == 5
    assert "Traceback" not in res.stderr


def test_a_second_run_on_the_same_output_is_refused_while_one_is_going(tmp_path: Path) -> None:
    from mrtext.errors import OutputFileError
    from mrtext.pipeline.cache import output_lock

    (tmp_path / "in").mkdir()
    with output_lock(tmp_path / "out"), pytest.raises(OutputFileError, match="another 'mrtext run'"):
        run_pipeline(tmp_path / "in", tmp_path / "out")


def test_config_changes_the_cache_version(tmp_path: Path) -> None:
    from mrtext.pipeline.cache import fingerprint

    base = fingerprint(PipelineConfig())
    assert fingerprint(PipelineConfig(stages=StageOptions(repair_mode="never"))) != base
    assert fingerprint(PipelineConfig(max_bytes=5)) == base  # a limit does not change any result


def _render_scan(path: Path) -> None:
    """A page image of Swedish text, as a scanner would give it (300 dpi, grey)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 36)
    lines = [
        "Svar på remiss från kommunstyrelsen",
        "Dnr KS 2023/1159",
        "Socialnämnden beslutade den 18 september 2024",
        "att godkänna förvaltningens förslag till yttrande.",
    ]
    img = Image.new("L", (1700, 420), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((60, 40 + 80 * i), line, font=font, fill=0)
    img.save(path, dpi=(300, 300))


@pytest.mark.tesseract
@needs_stages
def test_scans_are_ocrd_then_repaired_and_extracted(tmp_path: Path) -> None:
    from PIL import Image

    src = tmp_path / "skannat"
    src.mkdir()
    _render_scan(src / "sida 1.png")
    Image.open(src / "sida 1.png").save(src / "utan textlager.pdf", resolution=300)
    (src / "trasig.pdf").write_bytes(b"%PDF-1.4 trasig")
    report = run_pipeline(src, tmp_path / "out", options=RunOptions(formats=("json",)))
    assert report["pipeline"]["stages"]["ocr"] == "ok"
    assert [(Path(f["path"]).name, f["exit_code"]) for f in report["failures"]] == [("trasig.pdf", "input_file")]
    assert str(tmp_path / "skannat" / "trasig.pdf") in report["failures"][0]["error"]  # not a temporary copy
    records = {r["id"]: r for r in _read_jsonl(tmp_path / "out" / "extractions.jsonl")}
    assert set(records) == {"sida 1", "utan textlager"}
    for rec in records.values():
        assert rec["meta"]["ocr"]["pages"] == 1 and rec["meta"]["ocr"]["failed_pages"] == []
        assert "KS 2023/1159" in {e["value"] for e in rec["entities"] if e["label"] == "DIARY_NUMBER"}
        assert "2024-09-18" in {e["value"] for e in rec["entities"] if e["label"] == "DATE"}
