"""A small linear text classifier stored as JSON (no pickle): TF-IDF word + character n-grams, logistic regression.

scikit-learn is used only to *train* (:func:`train_linear`); prediction is plain Python over the
stored weights, so a packaged pipeline loads fast, is reviewable and cannot run code when loaded.

>>> texts = ["Målet är att staden ska vara jämställd.", "Nämnden beslutar att lägga rapporten till handlingarna.",
...          "Syftet med planen är att stärka barns rättigheter.", "Protokollet justeras den 3 maj."]
>>> model = train_linear(texts, ["goal", "other", "goal", "other"])
>>> model.predict("Målet är att kommunen ska vara tillgänglig.")
'goal'
>>> LinearTextModel.from_dict(model.to_dict()).predict("Protokollet justeras.")
'other'
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FeatureConfig", "LinearTextModel", "featurize", "train_linear"]

_WORD = re.compile(r"[^\W\d_]+|\d+")


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """Which n-grams to extract: word n-grams up to ``word_n``, character n-grams ``char_min..char_max`` (none if 0)."""

    word_n: int = 2
    char_min: int = 3
    char_max: int = 5
    max_chars: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "word_n": self.word_n,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "max_chars": self.max_chars,
        }


def featurize(text: str, config: FeatureConfig = FeatureConfig()) -> Counter[str]:
    """Count the n-gram features of ``text`` (lower-cased; character n-grams inside word boundaries).

    >>> sorted(featurize("Mål är", FeatureConfig(word_n=1, char_min=3, char_max=3)))
    [' må', ' är', 'mål', 'w:mål', 'w:är', 'är ', 'ål ']
    """
    if config.max_chars is not None:
        text = text[: config.max_chars]
    words = _WORD.findall(text.lower())
    feats: Counter[str] = Counter()
    for n in range(1, config.word_n + 1):
        for i in range(len(words) - n + 1):
            feats["w:" + " ".join(words[i : i + n])] += 1
    for w in words if config.char_max else ():
        padded = f" {w} "
        for n in range(config.char_min, config.char_max + 1):
            for i in range(len(padded) - n + 1):
                feats[padded[i : i + n]] += 1
    return feats


@dataclass(eq=False)
class LinearTextModel:
    """Logistic regression over TF-IDF features, with weights in plain dicts (JSON-able)."""

    classes: list[str]
    idf: dict[str, float]
    coef: dict[str, dict[str, float]]
    intercept: dict[str, float]
    config: FeatureConfig = field(default_factory=FeatureConfig)

    def __post_init__(self) -> None:
        import numpy

        self._index = {f: i for i, f in enumerate(self.idf)}
        self._idf = numpy.fromiter(self.idf.values(), dtype="float64", count=len(self.idf))
        self._rows = list(self.coef)
        self._weights = numpy.zeros((len(self._rows), len(self._index)))
        for r, name in enumerate(self._rows):
            for f, w in self.coef[name].items():
                if f in self._index:
                    self._weights[r, self._index[f]] = w
        self._bias = numpy.array([self.intercept[name] for name in self._rows])

    def vector(self, text: str) -> dict[str, float]:
        """The L2-normalised sublinear TF-IDF vector of ``text`` over the known features."""
        counts = featurize(text, self.config)
        vec = {f: (1.0 + math.log(c)) * self.idf[f] for f, c in counts.items() if f in self.idf}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {f: v / norm for f, v in vec.items()}

    def scores(self, text: str) -> dict[str, float]:
        """Class probabilities (sigmoid for two classes, softmax otherwise)."""
        import numpy

        counts = featurize(text, self.config)
        cols = [self._index[f] for f in counts if f in self._index]
        tf = numpy.array([1.0 + math.log(counts[f]) for f in counts if f in self._index])
        vals = tf * self._idf[cols] if cols else tf
        norm = float(numpy.sqrt(vals @ vals)) or 1.0
        raw = self._weights[:, cols] @ (vals / norm) + self._bias if cols else self._bias.copy()
        if len(self.classes) == 2 and len(self._rows) == 1:
            p = 1.0 / (1.0 + math.exp(-float(raw[0])))
            neg = next(c for c in self.classes if c != self._rows[0])
            return {neg: 1.0 - p, self._rows[0]: p}
        exp = numpy.exp(raw - raw.max())
        probs = exp / exp.sum()
        return {name: float(v) for name, v in zip(self._rows, probs, strict=True)}

    def predict(self, text: str) -> str:
        """The most probable class."""
        s = self.scores(text)
        return max(s, key=lambda c: s[c])

    def to_dict(self) -> dict[str, Any]:
        """JSON form (weights rounded to 5 decimals)."""
        return {
            "classes": self.classes,
            "config": self.config.to_dict(),
            "intercept": {c: round(v, 5) for c, v in self.intercept.items()},
            "idf": {f: round(v, 4) for f, v in sorted(self.idf.items())},
            "coef": {c: {f: round(w, 5) for f, w in sorted(ws.items())} for c, ws in self.coef.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LinearTextModel:
        """Inverse of :meth:`to_dict`."""
        return cls(
            classes=list(d["classes"]),
            idf=dict(d["idf"]),
            coef={c: dict(ws) for c, ws in d["coef"].items()},
            intercept=dict(d["intercept"]),
            config=FeatureConfig(**d["config"]),
        )


def train_linear(
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    config: FeatureConfig = FeatureConfig(),
    c: float = 4.0,
    min_df: int = 1,
    prune: float = 1e-4,
) -> LinearTextModel:
    """Fit a (class-balanced) logistic regression with scikit-learn and return it as a :class:`LinearTextModel`."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    feats = [featurize(t, config) for t in texts]
    df: Counter[str] = Counter(f for fs in feats for f in fs)
    vocab = sorted(f for f, n in df.items() if n >= min_df)
    index = {f: i for i, f in enumerate(vocab)}
    n_docs = len(texts)
    idf = {f: math.log((1 + n_docs) / (1 + df[f])) + 1.0 for f in vocab}
    rows, cols, vals = [], [], []
    for r, fs in enumerate(feats):
        vec = {f: (1.0 + math.log(cnt)) * idf[f] for f, cnt in fs.items() if f in index}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        for f, v in vec.items():
            rows.append(r)
            cols.append(index[f])
            vals.append(v / norm)
    x = csr_matrix((vals, (rows, cols)), shape=(n_docs, len(vocab)))
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    clf.fit(x, np.asarray(labels))
    classes = [str(k) for k in clf.classes_]
    coef_rows = clf.coef_
    names = [classes[1]] if len(classes) == 2 else classes
    coef = {
        name: {vocab[j]: float(w) for j, w in enumerate(coef_rows[k]) if abs(w) > prune} for k, name in enumerate(names)
    }
    intercept = {name: float(clf.intercept_[k]) for k, name in enumerate(names)}
    used = {f for ws in coef.values() for f in ws}
    # idf is kept for every feature (the L2 norm needs them), rounded in to_dict
    return LinearTextModel(classes=classes, idf=idf if len(used) else {}, coef=coef, intercept=intercept, config=config)
