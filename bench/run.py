"""Run every benchmark in this folder: ``make bench``.

Each ``bench/bench_*.py`` module exposes ``main() -> None`` and prints its own figures,
with ratios against a reference measured in the same run (never against a stored number).
Pass module names to run only some: ``python bench/run.py bench_repair``.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str]) -> int:
    wanted = set(argv)
    failures = 0
    for path in sorted(HERE.glob("bench_*.py")):
        if wanted and path.stem not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        print(f"== {path.stem}", flush=True)
        t0 = time.perf_counter()
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception as exc:  # report and go on with the other benchmarks
            failures += 1
            print(f"!! {path.stem} failed: {type(exc).__name__}: {exc}", flush=True)
        print(f"   ({time.perf_counter() - t0:.1f} s)\n", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
