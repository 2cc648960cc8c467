"""``mrtext repair`` and ``mrtext evaluate repair`` through the real CLI entry point."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mrtext.corpus import Corpus
from mrtext.repair import Change, apply_changes

DAMAGED = "Programmets syfte dr att ge vdgledning for stadens samtliga ndmnder.\n"


def test_repair_stdin_to_stdout_with_summary(run_cli: Callable[..., Any]) -> None:
    result = run_cli("repair", "-", stdin=DAMAGED.encode())
    assert result.exit_code == 0
    assert result.stdout == "Programmets syfte är att ge vägledning för stadens samtliga nämnder.\n"
    assert "4 changes" in result.stderr and "OCR-damaged" in result.stderr


def test_repair_writes_changes_jsonl_that_replay(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    src = tmp_path / "scan.txt"
    src.write_text(DAMAGED, encoding="utf-8")
    out, changes = tmp_path / "out.txt", tmp_path / "changes.jsonl"
    result = run_cli("repair", str(src), "-o", str(out), "--changes", str(changes))
    assert result.exit_code == 0 and result.stdout == ""
    rows = [json.loads(line) for line in changes.read_text(encoding="utf-8").splitlines()]
    assert [r["before"] for r in rows] == ["dr", "vdgledning", "for", "ndmnder"]
    assert set(rows[0]) == {"start", "end", "before", "after", "rule", "confidence"}
    assert apply_changes(DAMAGED, [Change.from_dict(r) for r in rows]) == out.read_text(encoding="utf-8")


def test_repair_refuses_to_overwrite_input(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    src = tmp_path / "scan.txt"
    src.write_text(DAMAGED, encoding="utf-8")
    result = run_cli("repair", str(src), "-o", str(src))
    assert result.exit_code != 0
    assert "refusing to overwrite" in result.stderr
    assert src.read_text(encoding="utf-8") == DAMAGED


def test_repair_missing_file_is_one_line_error(run_cli: Callable[..., Any], tmp_path: Path) -> None:
    result = run_cli("repair", str(tmp_path / "nope.txt"))
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr


def test_repair_modes_and_diff(run_cli: Callable[..., Any], corpus: Corpus) -> None:
    never = run_cli("repair", "-", "--mode", "never", stdin=DAMAGED.encode())
    assert never.stdout == DAMAGED
    diff = run_cli("repair", "-", "--diff", stdin=DAMAGED.encode())
    assert diff.stdout.splitlines()[3:] == [
        f"-{DAMAGED.strip()}",
        "+" + run_cli("repair", "-", stdin=DAMAGED.encode()).stdout.strip(),
    ]
    clean = corpus.by_id("000")
    same = run_cli("repair", clean.path)
    assert same.stdout == clean.text and "0 changes" in same.stderr


def test_evaluate_repair_on_gold(run_cli: Callable[..., Any]) -> None:
    result = run_cli("evaluate", "repair", "--gold", "corpora/stockholm-mr/gold/repair", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [d["id"] for d in data["documents"]] == ["002", "004"]
    total = data["total"]
    assert total["cer_repaired"] < total["cer_source"]
    assert 0 <= total["false_correction_rate"] < 0.002
    table = run_cli("evaluate", "repair", "--gold", "corpora/stockholm-mr/gold/repair")
    assert table.stdout.splitlines()[0].split()[:3] == ["doc", "CER", "src"]
    assert "false corrections:" in table.stdout


def test_evaluate_repair_needs_a_source(run_cli: Callable[..., Any]) -> None:
    assert run_cli("evaluate", "repair").exit_code != 0
