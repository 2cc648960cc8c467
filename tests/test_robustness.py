"""Bad input, tried as a new user would: every problem file gets a clear per-file error, the run goes on."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mrtext.corpus import CORPORA_DIR
from mrtext.errors import ExitCode
from mrtext.ingest import read_text
from mrtext.pipeline import PipelineConfig, RunOptions, run_pipeline
from mrtext.pipeline.document import DocumentSource, process_document, split_chunks
from mrtext.pipeline.stages import StageOptions, get_stages

SWEDISH = (
    "Svar på remiss om Program för mänskliga rättigheter, dnr KS 2023/1159.\n"
    "Socialnämnden beslutade den 18 september 2024 att godkänna förvaltningens förslag.\n"
    "Målet är att Stockholms stad är en öppen, jämlik och jämställd stad för alla.\n"
)

_missing = [k for k in get_stages(StageOptions()).unavailable if k != "ocr"]
needs_stages = pytest.mark.skipif(bool(_missing), reason=f"stages missing: {_missing}")


def _bad_tree(root: Path) -> dict[str, str]:
    """Write the tree; return {relative path: expected outcome ("ok" or a fragment of the error)}."""
    root.mkdir()
    expect: dict[str, str] = {}

    def put(rel: str, data: bytes, outcome: str) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
        expect[rel] = outcome

    put("tom.txt", b"", "empty file")
    put("blank.txt", b" \n\r\n\t\n", "empty file")
    put("binär.txt", bytes(range(256)) * 40, "binary data")
    put("bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 100, "binary data")
    put("cp1252.txt", SWEDISH.encode("cp1252").replace(b"\n", b"\r\n") + "– ”citat” €".encode("cp1252"), "ok")
    put("latin1.txt", SWEDISH.encode("latin-1"), "ok")
    put("macroman.txt", SWEDISH.encode("mac_roman"), "ok")
    put("utf16.txt", SWEDISH.encode("utf-16"), "ok")
    put("utf8-bom.md", SWEDISH.encode("utf-8-sig"), "ok")
    put("blandade radslut.txt", SWEDISH.replace("\n", "\r\n", 1).replace("\n", "\r", 2).encode(), "ok")
    put("lång rad.txt", (SWEDISH.replace("\n", " ") * 1100).encode(), "ok")  # ~250,000 chars on one line
    put("mappar med mellanslag/åäö ÅÄÖ/beslut om ö.txt", SWEDISH.encode(), "ok")
    put("/".join(f"n{i}" for i in range(40)) + "/djup.txt", SWEDISH.encode(), "ok")
    put("anteckning.docx", b"PK\x03\x04", "skipped")
    put(".dold.txt", b"hidden", "ignored")
    big = root / "stor.txt"  # 50 MB, sparse: made without writing 50 MB
    with big.open("wb") as fh:
        fh.truncate(50_000_000)
    expect["stor.txt"] = "too large"
    (root / "loop").mkdir()
    (root / "loop" / "tillbaka").symlink_to(root)
    expect["loop/tillbaka"] = "symlink loop"
    (root / "självlänk.txt").symlink_to(root / "självlänk.txt")
    expect["självlänk.txt"] = "symlink loop"
    (root / "borta.txt").symlink_to(root / "finns-inte.txt")
    expect["borta.txt"] = "dangling symbolic link"
    (root / "länk till beslut.txt").symlink_to(root / "latin1.txt")
    expect["länk till beslut.txt"] = "ok"
    return expect


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str], dict]:
    base = tmp_path_factory.mktemp("bad")
    src = base / "arkiv"
    expect = _bad_tree(src)
    out = base / "out"
    report = run_pipeline(src, out, options=RunOptions(formats=("json",)))
    return src, out, expect, report


def test_every_bad_file_gets_a_clear_error_and_the_run_goes_on(bad_run) -> None:
    src, _out, expect, report = bad_run
    failures = {Path(f["path"]).relative_to(src).as_posix(): f for f in report["failures"]}
    expected_failures = {rel: frag for rel, frag in expect.items() if frag not in ("ok", "skipped", "ignored")}
    assert set(failures) == set(expected_failures)
    for rel, fragment in expected_failures.items():
        f = failures[rel]
        assert fragment in f["error"], (rel, f)
        assert "\n" not in f["error"] and f["exit_code"] in ExitCode.__members__
    assert failures["stor.txt"]["exit_code"] == "input_file"
    assert [s["path"] for s in report["skipped"]] == ["anteckning.docx"]
    assert report["counts"]["failed"] == len(expected_failures)
    assert report["counts"]["ok"] == sum(1 for v in expect.values() if v == "ok")


@needs_stages
def test_the_good_files_among_the_bad_are_extracted_with_exact_offsets(bad_run) -> None:
    src, out, expect, _report = bad_run
    records = {r["id"]: r for r in map(json.loads, (out / "extractions.jsonl").read_text("utf-8").splitlines())}
    for rel, outcome in expect.items():
        if outcome != "ok":
            continue
        rec = records[rel.rsplit(".", 1)[0]]
        text, _ = read_text(src / rel)
        assert any(e["label"] == "DIARY_NUMBER" and e["value"] == "KS 2023/1159" for e in rec["entities"]), rel
        for ent in rec["entities"]:
            assert text[ent["start"] : ent["end"]] == ent["text"], (rel, ent)
    long_line = records["lång rad"]
    assert sum(1 for e in long_line["entities"] if e["label"] == "DIARY_NUMBER") >= 1100  # every chunk extracted


def test_bad_tree_through_the_cli_exit_code_and_stderr(bad_run, run_cli) -> None:
    """Re-run into the same output: results come from the cache, and every failure is reported again."""
    src, out, expect, _report = bad_run
    res = run_cli("run", str(src), "-o", str(out), "--formats", "json")
    assert res.exit_code == ExitCode.partial_failure
    assert "Traceback" not in res.stderr
    for rel, fragment in expect.items():
        if fragment not in ("ok", "skipped", "ignored"):
            line = next(ln for ln in res.stderr.splitlines() if f"{src / rel}: " in ln)
            assert fragment in line
    assert "input(s) failed" in res.stderr
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert report["counts"]["processed"] == 0
    assert report["counts"]["failed"] == _report["counts"]["failed"]


def test_a_file_removed_mid_run_fails_alone(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(4):
        (src / f"d{i}.txt").write_text(f"Dnr KS 2024/{i + 1}\n{SWEDISH}", encoding="utf-8")
    victim = src / "d3.txt"

    def remove_after_first(items, total, desc):
        for n, item in enumerate(items):
            if n == 0:
                victim.unlink()
            yield item

    report = run_pipeline(src, tmp_path / "out", options=RunOptions(formats=("json",), progress=remove_after_first))
    assert [f["path"] for f in report["failures"]] == [str(victim)]
    assert "removed while the run was going on" in report["failures"][0]["error"]
    assert report["counts"]["ok"] == 3


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode, so chmod 000 cannot fail here")
def test_unreadable_file(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    locked = src / "låst.txt"
    locked.write_text(SWEDISH, encoding="utf-8")
    locked.chmod(0)
    report = run_pipeline(src, tmp_path / "out")
    assert report["failures"][0]["error"].endswith("permission denied (check the file's permissions)")


def test_text_over_the_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text(SWEDISH * 10, encoding="utf-8")
    report = run_pipeline(src, tmp_path / "out", PipelineConfig(max_bytes=100))
    assert "too large (0.0 MB > 0 MB limit)" in report["failures"][0]["error"]


def test_chunked_processing_keeps_offsets_into_the_original() -> None:
    text = read_text(CORPORA_DIR / "stockholm-mr" / "source" / "003-stadsledningskontoret-rapport-mr-2015-2018.txt")[0]
    whole = process_document(DocumentSource("r.txt", "r", text.encode()), PipelineConfig())
    chunked = process_document(DocumentSource("r.txt", "r", text.encode()), PipelineConfig(chunk_chars=1500))
    assert whole.error is None and chunked.error is None
    assert len(split_chunks(text, 1500)) > 5
    if whole.record is None:
        pytest.skip("extraction stage unavailable")
    assert chunked.record is not None
    for ent in chunked.record["entities"]:
        assert text[ent["start"] : ent["end"]] == ent["text"]

    # Diary numbers and dates are short: cutting at paragraph/line boundaries finds the same ones.
    def short(rec: dict) -> set:
        return {(e["label"], e["start"], e["value"]) for e in rec["entities"] if e["label"] in ("DIARY_NUMBER", "DATE")}

    assert short(chunked.record) == short(whole.record)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("cp1252", "cp1252"),
        ("latin-1", "cp1252"),
        ("mac_roman", "mac_roman"),
    ],
)
def test_swedish_text_in_any_usual_encoding_reads_the_same(encoding: str, detected: str) -> None:
    result = process_document(DocumentSource("x.txt", "x", SWEDISH.encode(encoding)), PipelineConfig())
    assert result.error is None
    assert (result.encoding, result.chars) == (detected, len(SWEDISH))


def test_a_document_over_the_time_limit_fails_alone(tmp_path: Path) -> None:
    """A document that takes too long (here a 3 MB report) is stopped; the others are processed."""
    src = tmp_path / "in"
    src.mkdir()
    report_text = read_text(
        CORPORA_DIR / "stockholm-mr" / "source" / "003-stadsledningskontoret-rapport-mr-2015-2018.txt"
    )[0]
    (src / "stor.txt").write_text(report_text * 300, encoding="utf-8")
    for i in range(3):
        (src / f"d{i}.txt").write_text(f"Dnr KS 2024/{i + 1}\n{SWEDISH}", encoding="utf-8")
    report = run_pipeline(
        src, tmp_path / "out", PipelineConfig(max_bytes=10_000_000), RunOptions(formats=("json",), timeout=5)
    )
    assert [(Path(f["path"]).name, f["exit_code"]) for f in report["failures"]] == [("stor.txt", "other_error")]
    assert "timed out after 5 s" in report["failures"][0]["error"]
    assert report["counts"]["ok"] == 3
