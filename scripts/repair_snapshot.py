"""Regression snapshot of OCR repair: a digest of the repaired text and change list of every corpus text.

Runs :func:`mrtext.repair.repair` (modes ``auto`` and ``always``) over every source file of every
corpus in ``corpora/`` and both sides of the synthetic pairs, and writes one JSON object per file:
the SHA-256 of the repaired text, of the change list (full-precision confidences) and of the
detector's verdicts. The texts are only repaired, never printed, so held-out corpora stay unseen.

Two passes: ``warm`` repairs the files one after the other in one process (caches shared, as a
batch run would), ``cold`` empties every corrector cache before each file. A speed-up must leave
both identical::

    .venv/bin/python scripts/repair_snapshot.py -o /tmp/repair_before.json
    .venv/bin/python scripts/repair_snapshot.py --compare /tmp/repair_before.json
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODES = ("auto", "always")


def corpus_files(root: Path = ROOT / "corpora") -> list[Path]:
    """Every corpus source file and both sides of the synthetic pairs, sorted."""
    found = set(root.glob("*/source/*.txt")) | set((root / "synthetic").glob("*.txt"))
    return sorted(found)


def _sha(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:24]


def digest(text: str, mode: str) -> dict[str, object]:
    """Digest of one repair of ``text`` in ``mode``: repaired text, changes, verdicts."""
    from mrtext.repair import RepairConfig, repair

    result = repair(text, RepairConfig(mode=mode))  # type: ignore[arg-type]
    changes = json.dumps([[c.start, c.end, c.before, c.after, c.rule, repr(c.confidence)] for c in result.changes])
    return {
        "text": _sha(result.text),
        "changes": _sha(changes),
        "n_changes": len(result.changes),
        "verdicts": _sha(json.dumps([result.damaged, result.blocks])),
    }


def clear_caches() -> None:
    """Forget every per-text and per-token cache of the corrector (the lexicon stays loaded)."""
    from mrtext.repair import corrector

    for name in ("default_corrector", "_adapted_corrector", "bigram_bonus", "_block_tokens", "_misread_diacritics"):
        cached = getattr(corrector, name, None)
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    gc.unfreeze()
    gc.collect()


def snapshot(files: list[Path], cold: bool) -> dict[str, dict[str, object]]:
    """File (relative to the repository) → mode → digest."""
    out: dict[str, dict[str, object]] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        row: dict[str, object] = {}
        for mode in MODES:
            if cold:
                clear_caches()
            row[mode] = digest(text, mode)
        out[str(path.relative_to(ROOT))] = row
    return out


def main() -> int:
    """Write or compare a snapshot; exit 1 when a comparison finds a difference."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-o", "--output", type=Path, help="write the snapshot here")
    parser.add_argument("--compare", type=Path, help="compare with this earlier snapshot")
    parser.add_argument("--passes", default="warm,cold", help="comma-separated: warm, cold")
    args = parser.parse_args()
    files = corpus_files()
    result = {p: snapshot(files, cold=p == "cold") for p in args.passes.split(",")}
    if args.output:
        args.output.write_text(json.dumps(result, indent=1, sort_keys=True), encoding="utf-8")
    print(f"{len(files)} files, passes {args.passes}", file=sys.stderr)
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        diffs = [
            f"{p} {f} {m}"
            for p, rows in result.items()
            for f, modes in rows.items()
            if f in before.get(p, {})
            for m, d in modes.items()
            if before[p][f].get(m) != d
        ]
        for line in diffs:
            print("DIFFERS:", line, file=sys.stderr)
        new = sorted({f for rows in result.values() for f in rows} - {f for rows in before.values() for f in rows})
        if new:
            print(f"{len(new)} files not in the earlier snapshot (not compared)", file=sys.stderr)
        print("identical" if not diffs else f"{len(diffs)} differences", file=sys.stderr)
        return 1 if diffs else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
