"""OCR benchmarks: ``mrtext ocr`` overhead against the ``tesseract`` command, and OCR quality on synthetic scans.

1. Overhead. One A4 page at 300 dpi (clean Swedish text) is read by ``tesseract page.png - -l swe``
   and by ``mrtext ocr page.png`` (a new process each time, as a user runs it), alternately,
   and the medians of wall-clock and CPU time are compared. Both use one OpenMP thread
   (``OMP_THREAD_LIMIT=1``, mrtext's default for Tesseract). On a shared machine Tesseract's own
   time varies by ±10% from run to run, more than the overhead, so the overhead is also measured
   paired: within one ``mrtext ocr`` run, the CPU of the mrtext process (interpreter start-up
   included) against the CPU of the Tesseract it ran. Target: overhead under 10%.
2. Quality. Character and word error rates of the shipped synthetic pairs (corpora/synthetic)
   per split and model, and of ``eng`` OCR after ``mrtext.repair`` when that stage is present.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mrtext.corpus import CORPORA_DIR, read_jsonl
from mrtext.metrics import corpus_cer, corpus_wer
from mrtext.ocr.synth import PageLayout, RenderSettings, load_font, plain_line, render_page, wrap_words

ROUNDS = int(os.environ.get("MRTEXT_BENCH_OCR_ROUNDS", "5"))
SYNTH = CORPORA_DIR / "synthetic"


def make_page(directory: Path) -> Path:
    """A full A4 page at 300 dpi of clean Swedish text, as a PNG file."""
    text = (CORPORA_DIR / "stockholm-mr" / "source" / "003-stadsledningskontoret-rapport-mr-2015-2018.txt").read_text()
    settings = RenderSettings("LiberationSerif", 300, 11, 0.0, 0.0, 0.0, False, 0, "bench")
    font = load_font(settings.font, settings.font_px)
    lines = [
        wrapped
        for para in text.splitlines()
        for wrapped in wrap_words(plain_line(para), font.getlength, settings.text_width)
    ]
    path = directory / "page.png"
    render_page(PageLayout(1, settings, lines[: settings.lines_per_page])).save(path)
    return path


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(run: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process and its children) of one call."""
    wall, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
    run()
    return time.perf_counter() - wall, time.process_time() - cpu + children_cpu() - child


SELF_AND_CHILDREN = """
import contextlib, io, resource, sys
from mrtext.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(["-q", "ocr", *sys.argv[1:]])
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime)
"""
"""Runs ``mrtext ocr`` in a fresh interpreter and reports its own CPU (start-up included) and Tesseract's."""


def overhead() -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        page = make_page(Path(tmp))
        reference = ["tesseract", str(page), "-", "-l", "swe"]
        ours = [sys.executable, "-m", "mrtext", "-q", "ocr", str(page), "--lang", "swe"]
        runs: dict[str, list[tuple[float, float]]] = {"ref": [], "cli": []}
        split: list[tuple[float, float]] = []
        for _ in range(ROUNDS):  # alternate, so that a busy spell on the machine hits both
            runs["ref"].append(measure(lambda: subprocess.run(reference, check=True, env=env, capture_output=True)))
            runs["cli"].append(measure(lambda: subprocess.run(ours, check=True, env=env, capture_output=True)))
            out = subprocess.run(
                [sys.executable, "-c", SELF_AND_CHILDREN, str(page)], check=True, env=env, capture_output=True
            )
            _, own, tess = out.stdout.split()
            split.append((float(own), float(tess)))
    wall = {k: statistics.median(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: statistics.median(c for _, c in v) for k, v in runs.items()}
    own = statistics.median(o for o, _ in split)
    share = statistics.median(o / t for o, t in split)
    print(f"one A4 page at 300 dpi (swe), median of {ROUNDS} alternating runs; CPU = user+sys incl. children")
    print(f"  tesseract command:        wall {wall['ref']:6.2f} s  CPU {cpu['ref']:6.2f} s")
    print(
        f"  mrtext ocr (new process): wall {wall['cli']:6.2f} s  CPU {cpu['cli']:6.2f} s  "
        f"CPU ratio {cpu['cli'] / cpu['ref']:.3f}  wall ratio {wall['cli'] / wall['ref']:.3f}"
    )
    print(
        f"  within one mrtext run: mrtext's own CPU {own:.2f} s (start-up, imports, checks, parsing, output) "
        f"= {share:.1%} of its Tesseract's CPU (paired, same run)"
    )
    verdict = "met" if share < 0.10 else "NOT met"
    print(f"  target overhead < 10%: {verdict}")


def read_lines(name: str) -> list[str]:
    return (SYNTH / name).read_text("utf-8").split("\n")[:-1]


def quality() -> None:
    rows = read_jsonl(SYNTH / "manifest.jsonl")
    try:
        from mrtext.repair import repair
    except ImportError:
        repair = None
    print(f"{'split':8} {'model':12} {'lines':>6} {'chars':>7} {'CER':>7} {'WER':>7}")
    for split in sorted({r["split"] for r in rows}):
        for lang in ("swe", "eng", "eng+repair"):
            if lang == "eng+repair" and repair is None:
                continue
            pairs = []
            for row in rows:
                if row["split"] != split or row["lang"] != lang.split("+")[0]:
                    continue
                clean, ocr = read_lines(row["clean"]), read_lines(row["ocr"])
                if lang == "eng+repair":
                    fixed = repair("\n".join(ocr) + "\n").text.split("\n")[:-1]
                    ocr = fixed if len(fixed) == len(ocr) else ["\n".join(fixed)]
                    clean = clean if len(fixed) == len(clean) else ["\n".join(clean)]
                pairs += list(zip(clean, ocr, strict=True))
            c, w = corpus_cer(pairs), corpus_wer(pairs)
            print(f"{split:8} {lang:12} {len(pairs):6d} {c.length:7d} {c.rate:7.2%} {w.rate:7.2%}")


def main() -> None:
    quality()
    overhead()


if __name__ == "__main__":
    main()
