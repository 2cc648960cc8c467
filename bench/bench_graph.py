"""Graph building at scale: 10k and 100k generated document records.

Each record is a short synthetic Swedish text with its entities (as the extraction stage gives
them): remissvar answering a diary number, programs replacing programs listed with diary numbers,
action plans belonging to programs, citations. Names and numbers collide on purpose, as in real
archives: the same program with and without its period or city prefix, the same diary number
with and without its authority code, generic titles shared by many documents.

Two builds are timed: from records and texts (relation finding in every text, then entity
resolution, assembly and consistency checks), and from records that already carry their
relations (resolution, assembly, checks: what ``mrtext graph --records`` does with relations filled). Each size runs in a fresh process, so the peak
memory (``ru_maxrss``) is that size's own; relation finding runs in forked worker processes (one
per core), whose own peak is printed too (``workers``: the largest worker; they share the parent's
pages until they write to them; with ``MRTEXT_BENCH_PSS=1`` the proportional set size of all
processes is sampled as well, which slows the workers). Each size is built with one process (the serial reference of the
same run) and with one worker per core. Prints wall and CPU time (this process only) and peak memory per size,
the worker speed-up and the 100k / 10k ratios (10 = linear). Targets: building 100k < 30 s and < 2 GB.

Run: ``python bench/bench_graph.py`` (or ``make bench``).
"""

from __future__ import annotations

import gc
import json
import logging
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

from mrtext.model import DocumentRecord, Entity

TOPICS = [
    "ett jämställt {city}",
    "barnets rättigheter och inflytande",
    "lika rättigheter och möjligheter oavsett sexuell läggning",
    "romsk inkludering",
    "tillgänglighet och delaktighet",
    "nationella minoriteters rättigheter",
    "ett hållbart {city}",
    "trygghet i {city}",
    "kultur och fritid",
    "äldres rättigheter",
]
CITIES = ["Stockholm", "Göteborg", "Malmö", "Uppsala", "Umeå", "Luleå", "Kalmar", "Karlstad", "Borås", "Lund"]
KINDS = ["Program för", "Handlingsplan för", "Strategi för", "Riktlinjer för"]
AUTH = ["KS", "SN", "UN", "KF", "SBN"]


def _program(rng: random.Random, i: int) -> tuple[str, str, str]:
    """A program: canonical name, a variant spelling, its diary number."""
    city = CITIES[i % len(CITIES)]
    topic = TOPICS[(i // len(CITIES)) % len(TOPICS)].format(city=city)
    kind = KINDS[(i // (len(CITIES) * len(TOPICS))) % len(KINDS)]
    start = 2000 + (i // (len(CITIES) * len(TOPICS) * len(KINDS))) % 25
    serial = i // (len(CITIES) * len(TOPICS) * len(KINDS) * 25)
    name = f"{kind} {topic} {start}-{start + 4}" + (f" del {serial}" if serial else "")
    variant = rng.choice(
        [name, f"{city}s stads {name[0].lower()}{name[1:]}", name.rsplit(" ", 1)[0] if not serial else name]
    )
    dnr = f"{rng.choice(AUTH)} {1000 + i % 900}-{i % 97}/{start - 1}"
    return name, variant, dnr


def _dnr_variant(rng: random.Random, dnr: str) -> str:
    auth, core = dnr.split(" ", 1)
    return rng.choice([f"Dnr {dnr}", f"dnr {core}", f"Dnr: {auth} {core}", core])


class _Builder:
    """Concatenates text pieces, recording an entity for the labelled ones."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.entities: list[Entity] = []
        self.length = 0

    def add(self, s: str, label: str | None = None, value: str | None = None) -> None:
        if label:
            self.entities.append(Entity(label, s, self.length, self.length + len(s), value))
        self.parts.append(s)
        self.length += len(s)


def make_records(n: int, seed: int = 1) -> tuple[list[DocumentRecord], dict[str, str]]:
    """``n`` synthetic records and their texts."""
    rng = random.Random(seed)
    n_programs = max(20, n // 4)
    programs = [_program(rng, i) for i in range(n_programs)]
    records, texts = [], {}
    for d in range(n):
        doc = _Builder()
        add = doc.add

        a, b, c = (programs[rng.randrange(n_programs)] for _ in range(3))
        case = f"KS {2010 + d % 15}/{d % 5000}"
        kind = d % 4
        if kind == 0:
            add("Svar på remiss från kommunstyrelsen, ")
            add(f"Dnr {case}", "DIARY_NUMBER", case)
            add("\n\nKommunstyrelsen har remitterat ")
        else:
            add("Tjänsteutlåtande\n\nÄrendet gäller ")
        add(a[1], "PROGRAM", a[0])
        add(". Programmet ersätter ")
        add(b[1], "PROGRAM", b[0])
        add(" (")
        add(_dnr_variant(rng, b[2]), "DIARY_NUMBER", b[2] if rng.random() < 0.5 else b[2].split(" ", 1)[1])
        add(").\n\nDe program som ersätts är följande:\n\n- ")
        add(c[1], "PROGRAM", c[0])
        add(" (")
        add(_dnr_variant(rng, c[2]), "DIARY_NUMBER", c[2])
        add(")\n\nHandlingsplanen tillhör ")
        add(a[0], "PROGRAM", a[0])
        add(". Se även ")
        add(f"Kommunstyrelsens protokoll den {1 + d % 28} mars {2000 + d % 25}, § {d % 300}")
        add(".\n")
        rid = f"d{d:06d}"
        records.append(
            DocumentRecord(
                id=rid,
                title="Svar på remiss från kommunstyrelsen" if kind == 0 else f"Tjänsteutlåtande {d}",
                doc_type="remissvar" if kind == 0 else "tjansteutlatande",
                date=f"{2000 + d % 25}-0{1 + d % 9}-1{d % 10}",
                diary_number=case if kind == 0 else None,
                entities=doc.entities,
            )
        )
        texts[rid] = "".join(doc.parts)
    return records, texts


class _PssSampler(threading.Thread):
    """Samples the proportional set size (PSS: shared pages split between the processes sharing them)
    of this process and its worker processes from ``/proc``, every second (reading it walks the page
    tables, so more often would cost the build measurable CPU), and keeps the largest sum:
    the memory the build really takes, which adding up each process's RSS would overcount (forked
    workers share the parent's pages until they write to them)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_mb = 0.0
        self._done = threading.Event()

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
            return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)
        except OSError:
            return 0

    def _pids(self) -> list[int]:
        me = os.getpid()
        try:
            return [me, *map(int, Path(f"/proc/{me}/task/{me}/children").read_text(encoding="ascii").split())]
        except OSError:
            return [me]

    def run(self) -> None:
        while not self._done.wait(1.0):
            self.peak_mb = max(self.peak_mb, sum(self._pss_kb(p) for p in self._pids()) / 1024)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run_one(n: int, workers: int | None = None) -> dict[str, float]:
    """Build the graph for ``n`` records in this process; return timings and peak memory."""
    from mrtext.graph import build_graph
    from mrtext.graph.build import _n_workers

    logging.getLogger("mrtext").setLevel(logging.ERROR)  # thousands of consistency warnings on random data
    records, texts = make_records(n)
    sampler = _PssSampler()
    if os.environ.get("MRTEXT_BENCH_PSS"):  # off by default: reading a forked worker's smaps stalls it
        sampler.start()
    t0, c0 = time.perf_counter(), time.process_time()
    G = build_graph(records, texts=texts, workers=workers)  # finds the relations in every text, then builds
    t_full, c_full = time.perf_counter(), time.process_time()
    if sampler.is_alive():
        sampler.stop()
    full_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_peak_mb, worker_cpu_s = kids.ru_maxrss / 1024, kids.ru_utime + kids.ru_stime
    del G
    gc.collect()
    t1, c1 = time.perf_counter(), time.process_time()
    t_gc = t1 - t_full  # freeing the first graph is not part of either build
    G = build_graph(records)  # again from the records, which now carry their relations
    t2, c2 = time.perf_counter(), time.process_time()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    return {
        "n": n,
        "full_s": t_full - t0,
        "full_cpu_s": c_full - c0,
        "worker_cpu_s": worker_cpu_s,
        "total_pss_mb": sampler.peak_mb,
        "free_s": t_gc,
        "build_s": t2 - t1,
        "build_cpu_s": c2 - c1,
        "peak_mb": peak_mb,
        "full_peak_mb": full_peak_mb,
        "worker_peak_mb": worker_peak_mb,
        "workers": _n_workers(n, workers),  # as given (the bench always passes a number)
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "warnings": len(G.graph.get("warnings", [])),
    }


def main() -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    results: dict[tuple[int, int], dict[str, float]] = {}
    for n in (10_000, 100_000):
        for workers in sorted({1, cores}):
            args = [sys.executable, __file__, "--one", str(n), str(workers)]
            out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            results[n, workers] = r
            print(
                f"graph {n:>7} records, {workers} process{'es' if workers > 1 else ''}: texts -> graph "
                f"{r['full_s']:6.2f} s (cpu {r['full_cpu_s']:6.2f} + workers {r['worker_cpu_s']:6.2f}); records with "
                f"relations -> graph {r['build_s']:6.2f} s (cpu {r['build_cpu_s']:6.2f}); peak RSS "
                f"{r['full_peak_mb']:7.1f} MB (a worker {r['worker_peak_mb']:6.1f} MB RSS, mostly pages shared with this "
                f"process); peak PSS of all processes {r['total_pss_mb']:7.1f} MB (0 = not sampled); {r['nodes']} nodes, {r['edges']} edges, {r['warnings']} warnings; "
                f"load average {os.getloadavg()[0]:.1f} on {cores} cores",
                flush=True,
            )
    for workers in sorted({1, cores}):
        small, big = results[10_000, workers], results[100_000, workers]
        print(
            f"ratio 100k/10k with {workers} process(es) (10x = linear): texts -> graph "
            f"{big['full_s'] / small['full_s']:.1f}x (cpu {(big['full_cpu_s'] + big['worker_cpu_s']) / max(1e-9, small['full_cpu_s'] + small['worker_cpu_s']):.1f}x), "
            f"records -> graph {big['build_s'] / small['build_s']:.1f}x (cpu {big['build_cpu_s'] / small['build_cpu_s']:.1f}x), "
            f"peak memory {big['full_peak_mb'] / small['full_peak_mb']:.1f}x"
        )
    if cores > 1:
        for n in (10_000, 100_000):
            one, many = results[n, 1], results[n, cores]
            print(
                f"{cores} workers vs one process at {n} (texts -> graph): {one['full_s'] / many['full_s']:.2f}x "
                f"({one['full_s']:.2f} s -> {many['full_s']:.2f} s; other processes on the machine slow both)"
            )
    best = min((results[100_000, w] for w in sorted({1, cores})), key=lambda r: r["full_s"])
    print(
        f"targets at 100k: texts -> graph < 30 s {'met' if best['full_s'] < 30 else 'MISSED'} "
        f"({best['full_s']:.1f} s, {int(best['workers'])} process(es)), "
        f"records -> graph < 30 s {'met' if best['build_s'] < 30 else 'MISSED'}, "
        f"< 2 GB {'met' if max(best['full_peak_mb'], best['total_pss_mb']) < 2048 else 'MISSED'} "
        f"(the larger of the parent's peak RSS and the peak PSS of parent + workers)"
    )


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "--one":
        print(json.dumps(run_one(int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else None)))
    else:
        main()
