"""Build the packaged extraction pipeline ``models/mrtext_sv`` (``make model``).

Trains the two classifiers from hand-labelled data and the ``train`` split of the corpora, never from
documents of the ``dev`` or ``heldout`` splits:

* goals: ``corpora/training/goals.jsonl`` (sentences labelled by hand) plus the sentences of
  ``train`` documents, labelled by their gold GOAL spans;
* document types: ``corpora/training/doctypes.jsonl`` (hand-written openings) plus ``train`` documents
  with their manifest ``doc_type``.

Usage: ``python scripts/build_pipeline.py [--out models/mrtext_sv] [--rules-only]``
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mrtext.corpus import CORPORA_DIR, load_corpus, read_jsonl  # noqa: E402
from mrtext.errors import InputFileError  # noqa: E402
from mrtext.extract.components.sentences import sentence_bounds  # noqa: E402
from mrtext.extract.linear import FeatureConfig, LinearTextModel, train_linear  # noqa: E402
from mrtext.extract.pipeline import MODEL_DIR, build_nlp  # noqa: E402

TRAINING = CORPORA_DIR / "training"
_BULLET = re.compile(r"^(?:[-–•*»·▪]|e(?= [A-ZÅÄÖ])|\d{1,2}[.)])\s+")
DOCTYPE_FEATURES = FeatureConfig(word_n=2, char_min=4, char_max=4, max_chars=1000)
GOAL_FEATURES = FeatureConfig(word_n=2, char_min=0, char_max=0)  # words only: runs on every sentence


def train_documents() -> list:
    """Corpus documents of the ``train`` split (all corpora)."""
    docs = []
    for root in sorted(p for p in CORPORA_DIR.iterdir() if (p / "manifest.jsonl").is_file()):
        try:
            corpus = load_corpus(root)
        except (KeyError, InputFileError):  # not an extraction corpus (e.g. synthetic OCR pairs)
            continue
        docs += [d for d in corpus.documents if d.manifest.get("split") == "train"]
    return docs


def goal_examples(docs: list) -> tuple[list[str], list[str]]:
    """Hand-labelled sentences plus the sentences of train documents (gold GOAL overlap = positive)."""
    examples: dict[str, str] = {}
    for row in read_jsonl(TRAINING / "goals.jsonl"):
        examples[" ".join(row["text"].split())] = str(row["label"])
    for d in docs:
        goals = [(e["start"], e["end"]) for e in (d.gold_extract or {}).get("entities", []) if e["label"] == "GOAL"]
        for s, e in sentence_bounds(d.text):
            text = _BULLET.sub("", " ".join(d.text[s:e].split()))
            if len(text.split()) < 5:
                continue
            examples[text] = "1" if any(s < ge and gs < e for gs, ge in goals) else "0"
    texts = list(examples)
    return texts, [examples[t] for t in texts]


def doctype_examples(docs: list) -> tuple[list[str], list[str]]:
    """Hand-written openings plus train documents with their manifest type."""
    rows = read_jsonl(TRAINING / "doctypes.jsonl")
    texts = [r["text"] for r in rows] + [d.text for d in docs if d.manifest.get("doc_type")]
    labels = [r["doc_type"] for r in rows] + [d.manifest["doc_type"] for d in docs if d.manifest.get("doc_type")]
    return texts, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--rules-only", action="store_true", help="Do not train the classifiers.")
    args = parser.parse_args(argv)
    nlp = build_nlp()
    if not args.rules_only:
        docs = train_documents()
        texts, labels = goal_examples(docs)
        goal_model: LinearTextModel = train_linear(texts, labels, config=GOAL_FEATURES, c=4.0, min_df=2)
        nlp.get_pipe("mrtext_goals").initialize(model=goal_model.to_dict())  # type: ignore[attr-defined]
        print(f"goals: {len(texts)} sentences ({labels.count('1')} goals), {len(goal_model.idf)} features")
        texts, labels = doctype_examples(docs)
        type_model = train_linear(texts, labels, config=DOCTYPE_FEATURES, c=8.0, min_df=2)
        nlp.get_pipe("mrtext_doctype").initialize(model=type_model.to_dict())  # type: ignore[attr-defined]
        print(f"doc types: {len(texts)} documents, {len(set(labels))} types, {len(type_model.idf)} features")
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    size = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file())
    print(f"wrote {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
