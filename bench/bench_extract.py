"""Extraction throughput: the packaged pipeline vs a bare ``spacy.blank("sv")`` tokenizer, and n_process scaling.

All figures are measured in this run over the same texts (the corpora's documents, repeated to a
few hundred kB): characters per second of the bare tokenizer, of the full pipeline, their ratio
(target: the pipeline reaches at least 25% of the tokenizer), and ``extract(n_process=2)`` against
``extract(n_process=1)`` (workers send back records; repair off, it has its own benchmark).
``nlp.pipe(n_process=2)`` is shown too: it ships every Doc back through msgpack, and srsly scans the
installed packages' entry points on each unpack, which costs more than the extraction itself.
On a shared machine the scaling ratio is only meaningful when the cores are otherwise idle, so the
same 2-process pool is also timed on a pure-Python CPU loop as a reference.

Run: ``python bench/run.py bench_extract`` (``MRTEXT_BENCH_EXTRACT_KB`` sets the volume, default 400).
"""

from __future__ import annotations

import os
import time

import spacy

from mrtext.corpus import CORPORA_DIR, load_corpus
from mrtext.extract import extract, load_pipeline


def _texts(target_chars: int) -> list[str]:
    base = []
    for name in ("stockholm-mr", "municipal"):
        if (CORPORA_DIR / name / "manifest.jsonl").is_file():
            base += [d.text for d in load_corpus(CORPORA_DIR / name).documents if d.text.strip()]
    texts: list[str] = []
    while sum(map(len, texts)) < target_chars:
        texts += base
    return texts


def _rate(run, texts: list[str], repeat: int = 2) -> float:
    """Best characters/second over ``repeat`` runs of ``run(texts)``."""
    chars = sum(map(len, texts))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        run(texts)
        best = min(best, time.perf_counter() - t0)
    return chars / best


def _spin(n: int) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def _machine_scaling() -> float:
    """Speed-up of a pure-Python CPU loop with 2 processes: what the machine allows right now."""
    import multiprocessing

    jobs = [1_000_000] * 16
    t0 = time.perf_counter()
    for j in jobs:
        _spin(j)
    serial = time.perf_counter() - t0
    ctx = multiprocessing.get_context("fork")  # fork: the target is not pickled (this module is loaded by path)
    workers = [ctx.Process(target=lambda part: [_spin(j) for j in part], args=(jobs[k::2],)) for k in range(2)]
    t0 = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return serial / (time.perf_counter() - t0)


def main() -> None:
    texts = _texts(int(os.environ.get("MRTEXT_BENCH_EXTRACT_KB", "400")) * 1000)
    chars = sum(map(len, texts))
    print(f"{len(texts)} documents, {chars / 1e3:.0f} k characters")
    blank = spacy.blank("sv")
    nlp = load_pipeline()

    def tokenize(ts: list[str]) -> None:
        for _ in blank.tokenizer.pipe(ts):
            pass

    def pipeline(ts: list[str], n_process: int = 1) -> None:
        for _ in nlp.pipe(ts, batch_size=8, n_process=n_process):
            pass

    def records(ts: list[str], n_process: int = 1) -> None:
        extract(ts, nlp=nlp, repair="never", n_process=n_process, batch_size=16)

    def call(ts: list[str]) -> None:
        for t in ts:
            nlp(t)

    tok = _rate(tokenize, texts, repeat=3)
    piped = _rate(pipeline, texts, repeat=3)
    called = _rate(call, texts, repeat=3)
    full = max(piped, called)
    ex1 = _rate(records, texts)
    ex2 = _rate(lambda ts: records(ts, n_process=2), texts)
    pipe2 = _rate(lambda ts: pipeline(ts, n_process=2), texts, repeat=1)
    print(f"bare sv tokenizer           {tok / 1e3:9.0f} k chars/s")
    print(f"nlp.pipe, n_process=1       {piped / 1e3:9.0f} k chars/s")
    print(f"nlp(text) per document      {called / 1e3:9.0f} k chars/s")
    print(f"extract(), n_process=1      {ex1 / 1e3:9.0f} k chars/s")
    print(f"extract(), n_process=2      {ex2 / 1e3:9.0f} k chars/s")
    print(f"nlp.pipe, n_process=2       {pipe2 / 1e3:9.0f} k chars/s")
    print(f"ratio pipeline/tokenizer    {full / tok:9.2f}  (target >= 0.25; the faster of the two pipeline runs)")
    print(f"ratio extract n_process 2/1 {ex2 / ex1:9.2f}  ({os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f})")
    print(f"reference: CPU loop 2/1     {_machine_scaling():9.2f}  (2 processes on a pure-Python loop, same run)")
    per_component = {}
    docs = [nlp.make_doc(t) for t in texts]
    for name, proc in nlp.pipeline:
        t0 = time.perf_counter()
        for doc in docs:
            proc(doc)
        per_component[name] = time.perf_counter() - t0
    total = sum(per_component.values()) or 1.0
    print("time share: " + ", ".join(f"{k.removeprefix('mrtext_')} {v / total:.0%}" for k, v in per_component.items()))


if __name__ == "__main__":
    main()
