#!/usr/bin/env python
"""Rebuild the OCR-repair artifacts shipped in ``mrtext/data/repair/``.

Sources (none of them is needed at run time):

* ``wordfreq``'s large Swedish list: the unigram language model (Zipf frequencies);
* Debian ``wswedish`` (``/usr/share/dict/swedish``, Latin-1 full forms) and ``hunspell-sv-se``
  (``/usr/share/hunspell/sv_SE.{dic,aff}``): full forms (suffix rules expanded here, a small
  ``unmunch``), proper nouns and the compound flags (which forms may begin a compound, which
  forms exist only inside compounds);
* line-aligned clean/OCR pairs of split ``train`` (``corpora/synthetic/manifest.jsonl``): the OCR
  channel, i.e. how often each Swedish character (or pair) is read as what, learned by
  character alignment (Levenshtein edit operations); a small hand-written seed table covers
  confusions the pairs do not show;
* clean Swedish text of splits ``train``/``dev`` (corpora ``*/source`` documents that are not
  scanned, and the clean side of the synthetic train pairs): domain word counts, interpolated with
  wordfreq at run time so that words of municipal prose (stärka, våld, samråd) win their ties.

Usage::

    .venv/bin/python scripts/build_repair_model.py            # writes mrtext/data/repair/*
    .venv/bin/python scripts/build_repair_model.py --no-pairs # lexicon + seed channel only

The gold repairs of the real scans are never read here (they are for evaluation only).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "mrtext" / "data" / "repair"
DIC = Path("/usr/share/hunspell/sv_SE.dic")
AFF = Path("/usr/share/hunspell/sv_SE.aff")
WORDS = Path("/usr/share/dict/swedish")

#: Zipf value given to forms only the Debian lists know (wordfreq's large list stops near 1.0).
DEBIAN_ZIPF = 0.8
#: Words are kept when they look like words: letters (incl. Swedish and common accents), inner hyphen or apostrophe.
WORD_RE = re.compile(r"^[a-zåäöéèüàáæøñç]+(?:[-'][a-zåäöéèüàáæøñç]+)*$")

#: Pseudo-counts of the seed table when merged with the learned counts. Large on purpose: the
#: synthetic scans come from a few fonts and one engine, real scans vary more (e.g. ``&`` read
#: for ä as often as for å), so the learned table only shifts the seed's broad expectations.
SEED_WEIGHT = 200.0

#: The commonest lexicon forms checked for ``stable.txt.gz`` (forms no context changes on a page without å/ä/ö).
STABLE_FORMS = 100_000

#: Learned confusions of characters other than å/ä/ö (and the seed's) below this rate are dropped.
MIN_GENERIC_ERROR = 0.01

#: Seed confusions (intended → observed → relative weight) for an English-trained OCR reading
#: Swedish; the learned table is added on top of these, weighted by counts.
SEED: dict[str, dict[str, float]] = {
    # The dots or ring read as a letter of their own, or as an accent (é, á); the glyph split in two.
    "ä": {
        **{"a": 0.55, "d": 0.1, "é": 0.1, "i": 0.08, "&": 0.04, "4": 0.03, "á": 0.02, "à": 0.02, "@": 0.01},
        **dict.fromkeys(["ia", "ai", "di", "id", "ii", "éa", "ae", "ié"], 0.005),
    },
    "å": {
        **{"a": 0.7, "é": 0.08, "&": 0.06, "d": 0.04, "i": 0.02, "4": 0.02, "á": 0.02, "à": 0.02, "@": 0.01},
        **dict.fromkeys(["éa", "aé", "ia"], 0.005),
    },
    "ö": {
        **{"o": 0.8, "é": 0.06, "6": 0.05, "0": 0.02, "d": 0.02, "ó": 0.02, "ò": 0.01},
        **dict.fromkeys(["oé", "éo", "6o", "o6"], 0.005),
    },
    "Ö": {"O": 0.9, "0": 0.05, "6": 0.02},
    "Ä": {"A": 0.9, "4": 0.03},
    "Å": {"A": 0.9},
    "f": {"{": 0.002, "t": 0.0005},
    "i": {"1": 0.001, "l": 0.0005, "í": 0.0005},
    "l": {"1": 0.001, "I": 0.001, "i": 0.0005},
    "m": {"rn": 0.002, "nn": 0.0005},
    "rn": {"m": 0.003},
    "h": {"li": 0.0005, "b": 0.0005},
    "o": {"0": 0.0005},
}


# --------------------------------------------------------------------------- lexicon
def parse_aff(path: Path) -> dict[str, list[tuple[str, str, str, re.Pattern[str]]]]:
    """Suffix rules: flag → [(strip, add, continuation flags, condition)]."""
    rules: dict[str, list[tuple[str, str, str, re.Pattern[str]]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX":
            continue
        _, flag, strip, add, cond = parts[:5]
        add, _, cont = add.partition("/")
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add
        rules[flag].append((strip, add, cont, re.compile(("" if cond == "." else cond) + "$")))
    return rules


def unmunch(dic: Path, aff: Path) -> Iterator[tuple[str, str]]:
    """Expand the hunspell dictionary: yield (form, flags) with flags from {X begin, Z only-in-compound, P proper}."""
    rules = parse_aff(aff)
    lines = dic.read_text(encoding="utf-8").splitlines()[1:]
    for line in lines:
        stem, _, flags = line.partition("/")
        stem = stem.strip()
        if not stem or "%" in flags:
            continue
        proper = "P" if stem[:1].isupper() else ""
        base = "X" if "X" in flags else ""
        if "¤" not in flags:
            yield stem, base + ("Z" if "Z" in flags else "") + proper
        for flag in flags:
            for strip, add, cont, cond in rules.get(flag, ()):
                if cond.search(stem) and stem.endswith(strip):
                    form = stem[: len(stem) - len(strip)] + add
                    extra = ("X" if "X" in cont else "") + ("Z" if "Z" in cont else "")
                    yield form, extra + proper


def build_lexicon() -> dict[str, tuple[int, str]]:
    """word (lower-case) → (Zipf×10, flags)."""
    import wordfreq

    lex: dict[str, tuple[int, str]] = {}
    for i, bucket in enumerate(wordfreq.get_frequency_list("sv", "large")):
        zipf = 9.0 - i / 100.0
        for w in bucket:
            if WORD_RE.match(w) and w not in lex:
                lex[w] = (round(zipf * 10), "")
    flags: dict[str, set[str]] = defaultdict(set)
    cased: dict[str, bool] = {}
    for form, fl in unmunch(DIC, AFF):
        low = form.lower()
        if not WORD_RE.match(low):
            continue
        flags[low].update(fl.replace("P", ""))
        # A form is a proper noun when every spelling we saw was capitalised.
        cased[low] = cased.get(low, True) and "P" in fl
    if WORDS.is_file():
        for form in WORDS.read_bytes().decode("latin-1").splitlines():
            low = form.strip().lower()
            if WORD_RE.match(low):
                flags[low]
                cased[low] = cased.get(low, True) and form[:1].isupper()
    for low, fl in flags.items():
        fls = set(fl)
        if cased.get(low):
            fls.add("P")
        zipf10, _ = lex.get(low, (round(DEBIAN_ZIPF * 10), ""))
        if "Z" in fls and low not in lex:
            zipf10 = 0  # only inside compounds
        lex[low] = (zipf10, "".join(sorted(fls)))
    return lex


SKELETON = str.maketrans("åäöé", "aaoe")


def write_lexicon(lex: dict[str, tuple[int, str]], path: Path) -> None:
    """Write the lexicon in the bucketed format :mod:`mrtext.repair.lexicon` loads quickly.

    ``Z<zipf×10>\t<words>`` lines give every form its frequency class, ``F<flag>\t<words>``
    lines list the forms carrying a flag (P proper noun, X may begin a compound, Z only inside
    compounds) and ``S<skeleton>\t<words>`` lines index the forms with å/ä/ö/é by their
    skeleton (those letters folded to a/o/e), which is what the OCR sees.
    """
    buckets: dict[int, list[str]] = defaultdict(list)
    flagged: dict[str, list[str]] = defaultdict(list)
    skeletons: dict[str, list[str]] = defaultdict(list)
    for w in sorted(lex):
        z, fl = lex[w]
        buckets[z].append(w)
        for f in fl:
            flagged[f].append(w)
        sk = w.translate(SKELETON)
        if sk != w:
            skeletons[sk].append(w)
    lines = [f"Z{z}\t{' '.join(ws)}" for z, ws in sorted(buckets.items())]
    lines += [f"F{f}\t{' '.join(ws)}" for f, ws in sorted(flagged.items())]
    keys = sorted(skeletons)
    lines.append("S\t" + " ".join(keys))
    lines.append("V\t" + "|".join(" ".join(skeletons[k]) for k in keys))
    write_gzip(path, "\n".join(lines) + "\n")


def write_gzip(path: Path, text: str) -> None:
    """Write ``text`` gzip-compressed with a fixed header time, so rebuilds are byte-identical."""
    path.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))


def prune_compounds(lex: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Drop forms only the Debian lists know when the run-time compound model rebuilds them.

    A form goes when it splits into a compound modifier (hunspell ``X``/``Z`` flags, or a
    common word, optionally with linking ``-s-``) and a retained form; forms are visited
    shortest first, so every head a dropped form relies on is itself retained. This halves
    the lexicon, and with it the start-up time and memory.
    """
    debian_zipf = round(DEBIAN_ZIPF * 10)

    def modifier(w: str) -> bool:
        entry = kept.get(w)
        return entry is not None and ("X" in entry[1] or "Z" in entry[1] or entry[0] >= 30)

    kept: dict[str, tuple[int, str]] = {}
    for w in sorted(lex, key=len):
        z, fl = lex[w]
        if z == debian_zipf and "P" not in fl and "X" not in fl:
            heads = (
                w[k:] for k in range(2, len(w) - 2) if (modifier(w[:k]) or (w[k - 1] == "s" and modifier(w[: k - 1])))
            )
            if any(h in kept and kept[h][0] > 0 for h in heads):
                continue
        kept[w] = (z, fl)
    return kept


#: Share of a word's frequency wordfreq shows again under its diacritic-stripped spelling
#: (web text typed or OCR'd without å/ä/ö); ``åter`` 4.7 / ``ater`` 3.0 is such a pair.
STRIPPED_NOISE = 0.03


def discount_stripped(lex: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Remove the stripped-spelling noise from forms without å/ä/ö.

    ``P_clean(w) = P(w) − k · Σ P(sibling)`` over the forms with å/ä/ö that share ``w``'s
    skeleton; when little is left, ``w`` drops to the floor (``ater``, ``forslaget``), while
    genuine words keep their frequency (``bor`` next to ``bör``).
    """
    siblings: dict[str, float] = defaultdict(float)
    for w, (z, _) in lex.items():
        sk = w.translate(SKELETON)
        if sk != w and z > 0:
            siblings[sk] += 10 ** (z / 10 - 9)
    out = dict(lex)
    floor = round(DEBIAN_ZIPF * 10)
    for w, (z, fl) in lex.items():
        noise = STRIPPED_NOISE * siblings.get(w, 0.0)
        if z <= floor or noise == 0.0:
            continue
        p = 10 ** (z / 10 - 9)
        clean = p - noise
        if clean < 0.5 * p:
            out[w] = (max(floor, round((math.log10(clean) + 9) * 10)) if clean > 0 else floor, fl)
    return out


# --------------------------------------------------------------------------- channel
def iter_pairs(root: Path, split: str) -> Iterator[tuple[str, str]]:
    """Line pairs (clean, ocr) of the synthetic pairs of ``split`` (English-model OCR)."""
    from mrtext.repair.evaluate import iter_synthetic_pairs

    for _id, clean, ocr in iter_synthetic_pairs(root, split, "eng"):
        clean_lines, ocr_lines = clean.split("\n"), ocr.split("\n")
        if len(clean_lines) == len(ocr_lines):
            yield from zip(clean_lines, ocr_lines, strict=True)


def learn_channel(pairs: Iterable[tuple[str, str]]) -> tuple[dict[str, dict[str, float]], dict[str, int]]:
    """Count confusions; return (intended → observed → count, intended → total)."""
    from mrtext.repair.corrector import align_pieces

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    totals: Counter[str] = Counter()
    for clean, ocr in pairs:
        for a, b in align_pieces(clean, ocr):
            counts[a][b] += 1
            if len(a) == 1:
                totals[a] += 1
    return {a: dict(c) for a, c in counts.items()}, dict(totals)


def channel_table(counts: dict[str, dict[str, float]], totals: dict[str, int]) -> dict[str, dict[str, float]]:
    """Merge learned counts with the seed: intended → observed → P(observed | intended), errors only."""
    table: dict[str, dict[str, float]] = {}
    keys = set(SEED) | {k for k in counts if k.lower() != k or k in "åäöÅÄÖ" or len(k) == 1}
    for a in sorted(keys):
        learned = {b: n for b, n in counts.get(a, {}).items() if b != a and n >= 2}
        total = totals.get(a, 0)
        seed = SEED.get(a, {})
        merged: dict[str, float] = {}
        prior = SEED_WEIGHT  # pseudo-count weight of the seed
        denom = total + prior
        for b in set(learned) | set(seed):
            merged[b] = (learned.get(b, 0) + prior * seed.get(b, 0.0)) / denom
        # Rare confusions of ordinary letters (a→s, t→l) cost much search for little gain.
        floor = 1e-4 if a in "åäöÅÄÖ" or a in SEED else MIN_GENERIC_ERROR
        merged = {b: p for b, p in merged.items() if p >= floor and b.strip() and "\n" not in b}
        if merged:
            table[a] = dict(sorted(merged.items(), key=lambda kv: (-kv[1], kv[0])))
    return table


# --------------------------------------------------------------------------- context
TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def clean_texts(corpora: Path, synthetic: Path) -> Iterator[str]:
    """Clean Swedish training text: unscanned corpus documents (train/dev), clean synthetic train sides and
    the municipal-style sentences of ``corpora/training``."""
    for manifest in sorted(corpora.glob("*/manifest.jsonl")):
        if manifest.parent.name == "synthetic":
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("scanned") or row.get("split") == "heldout":
                continue
            path = manifest.parent / row["file"]
            if path.is_file():
                yield path.read_text(encoding="utf-8")
    for clean, _ in iter_pairs(synthetic, "train"):
        yield clean
    # Hand-written / train-split sentences in municipal style (corpora/training, for the extraction models).
    for path in sorted((corpora / "training").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if isinstance(row.get("text"), str):
                    yield row["text"]


# --------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--synthetic", type=Path, default=ROOT / "corpora" / "synthetic")
    parser.add_argument("--no-pairs", action="store_true", help="do not learn from synthetic pairs")
    parser.add_argument("--stable-only", action="store_true", help="only recompute stable.txt.gz (after a code change)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.stable_only:
        return write_stable(args.out / "stable.txt.gz")

    lex = discount_stripped(prune_compounds(build_lexicon()))
    write_lexicon(lex, args.out / "lexicon.txt.gz")
    print(f"lexicon: {len(lex)} forms", file=sys.stderr)

    pairs = [] if args.no_pairs else list(iter_pairs(args.synthetic, "train"))
    counts, totals = learn_channel(pairs)
    table = channel_table(counts, totals)
    (args.out / "channel.json").write_text(
        json.dumps({"pairs": len(pairs), "p_error": table}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    print(f"channel: {len(pairs)} train line pairs, {len(table)} intended characters", file=sys.stderr)

    texts = list(clean_texts(ROOT / "corpora", args.synthetic))
    unigrams: Counter[str] = Counter()
    finals: Counter[str] = Counter()  # ... of which right before a sentence end (. ! ?)
    for text in texts:
        lowered = text.lower()
        for m in TOKEN.finditer(lowered):
            unigrams[m.group()] += 1
            finals[m.group()] += lowered[m.end() : m.end() + 1] in {".", "!", "?"}
    bigrams: Counter[str] = Counter()
    for text in texts:
        words = TOKEN.findall(text.lower())
        bigrams.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    rows = [f"{w}\t{n}\t{finals[w]}\n" for w, n in sorted(unigrams.items())]
    rows += [f"{pair}\t{n}\n" for pair, n in sorted(bigrams.items())]
    write_gzip(args.out / "domain.tsv.gz", "".join(rows))
    print(f"domain unigrams: {len(unigrams)} words, {sum(unigrams.values())} tokens", file=sys.stderr)
    return write_stable(args.out / "stable.txt.gz")


def write_stable(path: Path, n: int = STABLE_FORMS) -> int:
    """Precompute the ``n`` commonest lexicon forms that no context can change (see ``load_stable``).

    Computed from the shipped lexicon, channel and domain model with the corrector's own search
    (no corpus text is read), under the fingerprint of those artifacts and the scoring code.
    """
    from mrtext.repair.corrector import default_corrector, model_digest, stable_forms

    zipf = default_corrector().lex.zipf
    common = sorted((w for w, z in zipf.items() if z > 0 and len(w) >= 2), key=lambda w: (-zipf[w], w))[:n]
    found = stable_forms(default_corrector(), common)
    write_gzip(path, "\n".join([f"# {model_digest()}", *found]) + "\n")
    print(f"stable forms: {len(found)} of the {len(common)} commonest", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
