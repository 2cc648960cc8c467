"""OCR benchmarks: ``mrtext ocr`` overhead against the ``tesseract`` command, and OCR quality on synthetic scans.

1. Overhead. One A4 page at 300 dpi (clean Swedish text) is read by ``tesseract page.png - -l swe``
   and by ``mrtext ocr page.png`` (a new process each time, as a user runs it), alternately,
   and the medians are compared; the library call (``ocr_file`` in this process) too.
   Both use one OpenMP thread (``OMP_THREAD_LIMIT=1``, mrtext's default for Tesseract).
   Target: overhead under 10%.
2. Quality. Character and word error rates of the shipped synthetic pairs (corpora/synthetic)
   per split and model, and of ``eng`` OCR after ``mrtext.repair`` when that stage is present.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mrtext.corpus import CORPORA_DIR, read_jsonl
from mrtext.metrics import corpus_cer, corpus_wer
from mrtext.ocr.pipeline import ocr_file
from mrtext.ocr.synth import PageLayout, RenderSettings, load_font, plain_line, render_page, wrap_words
from mrtext.ocr.tesseract import TesseractEngine

ROUNDS = int(os.environ.get("MRTEXT_BENCH_OCR_ROUNDS", "3"))
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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def overhead() -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        page = make_page(Path(tmp))
        reference = ["tesseract", str(page), "-", "-l", "swe"]
        ours = [sys.executable, "-m", "mrtext", "-q", "ocr", str(page), "--lang", "swe"]
        engine = TesseractEngine("swe")
        ref_times, cli_times, lib_times = [], [], []
        for _ in range(ROUNDS):
            ref_times.append(timed(reference, env))
            cli_times.append(timed(ours, env))
            start = time.perf_counter()
            ocr_file(page, engine)
            lib_times.append(time.perf_counter() - start)
    ref, cli, lib = (statistics.median(t) for t in (ref_times, cli_times, lib_times))
    print(f"tesseract command, one A4 page at 300 dpi: {ref:.2f} s (median of {ROUNDS})")
    print(
        f"mrtext ocr (new process):                  {cli:.2f} s  ratio {cli / ref:.3f}  overhead {cli / ref - 1:+.1%}"
    )
    print(
        f"ocr_file() in process:                     {lib:.2f} s  ratio {lib / ref:.3f}  overhead {lib / ref - 1:+.1%}"
    )
    print(f"target overhead < 10%: {'met' if cli / ref < 1.10 else 'NOT met'} (CLI)")


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
