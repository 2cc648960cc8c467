"""Shared fixtures: the sample corpus and a CLI runner that goes through ``mrtext.cli.main``."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mrtext.corpus import CORPORA_DIR, Corpus, load_corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = CORPORA_DIR / "stockholm-mr"


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(SAMPLE)


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``mrtext ARGS`` in-process, optionally with stdin bytes; return code, stdout and stderr."""
    from mrtext.cli import main

    def run(*args: str, stdin: bytes | None = None) -> CliResult:
        if stdin is not None:
            fake = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
            monkeypatch.setattr(sys, "stdin", fake)
        code = main(list(args))
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
