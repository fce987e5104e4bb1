"""Train the stance model shipped as src/storydiff/data/stance.npz, on FNC-1's training split only.

    .venv/bin/python training/train_stance.py --data ../shared/data/fnc1

Uses `train_bodies.csv` / `train_stances.csv` and nothing else: 80 % of the training bodies fit a
histogram gradient-boosting classifier (scikit-learn, needed here only), the other 20 % (split by
body, so no body is on both sides) pick per-class score offsets that maximise macro-F1; then the
model is refitted on all training pairs with the same settings and offsets. The competition test
files (`bodies.csv`, `stances.csv`) are never read here. The trees are exported to plain arrays so
that `storydiff.link.stance` predicts with numpy alone.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydiff.link.stance import (  # noqa: E402
    BUCKETS,
    FEATURES,
    LABELS,
    StanceScorer,
    _bucket,
    _content,
    profile_body,
    stance_features,
    tokens,
)

OUT = ROOT / "src" / "storydiff" / "data" / "stance.npz"


def read_split(data: Path, prefix: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    with open(data / f"{prefix}bodies.csv", encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    with open(data / f"{prefix}stances.csv", encoding="utf-8") as fh:
        pairs = [(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(fh)]
    return bodies, pairs


def fit_idf(texts: list[str]) -> npt.NDArray[np.float32]:
    df = np.zeros(BUCKETS, dtype=np.float64)
    for text in texts:
        for b in {_bucket(w) for w in _content(tokens(text))}:
            df[b] += 1
    n = len(texts)
    return np.asarray(np.log((n + 1) / (df + 1)) + 1.0, dtype=np.float32)


def featurise(
    bodies: dict[str, str],
    pairs: list[tuple[str, str, str]],
    idf: npt.NDArray[np.float32],
    cache: Path | None,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            if z["X"].shape == (len(pairs), len(FEATURES)):
                return z["X"], z["y"]
    profiles = {bid: profile_body(text, idf) for bid, text in bodies.items()}
    X = np.array([stance_features(h, profiles[b], idf) for h, b, _ in pairs], dtype=np.float64)
    y = np.array([LABELS.index(s) for _, _, s in pairs], dtype=np.int64)
    if cache is not None:
        np.savez(cache, X=X, y=y)
    return X, y


def macro_f1(y: npt.NDArray[np.int64], p: npt.NDArray[np.int64]) -> float:
    f1s = []
    for k in range(len(LABELS)):
        tp = int(((p == k) & (y == k)).sum())
        fp = int(((p == k) & (y != k)).sum())
        fn = int(((p != k) & (y == k)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def export(clf: Any, idf: npt.NDArray[np.float32], bias: npt.NDArray[np.float64]) -> dict[str, Any]:
    feature, threshold, left, right, value, leaf = [], [], [], [], [], []
    roots = np.zeros((len(clf._predictors), len(clf._predictors[0])), dtype=np.int64)
    offset = 0
    for it, per_class in enumerate(clf._predictors):
        for k, pred in enumerate(per_class):
            nodes = pred.nodes
            roots[it, k] = offset
            feature.append(nodes["feature_idx"].astype(np.int32))
            threshold.append(nodes["num_threshold"].astype(np.float64))
            left.append((nodes["left"] + offset).astype(np.int32))
            right.append((nodes["right"] + offset).astype(np.int32))
            value.append(nodes["value"].astype(np.float64))
            leaf.append(nodes["is_leaf"].astype(bool))
            offset += len(nodes)
    baseline = np.asarray(clf._baseline_prediction, dtype=np.float64).reshape(-1)
    return {
        "idf": idf.astype(np.float16),
        "baseline": baseline,
        "feature": np.concatenate(feature),
        "threshold": np.concatenate(threshold),
        "left": np.concatenate(left),
        "right": np.concatenate(right),
        "value": np.concatenate(value),
        "leaf": np.concatenate(leaf),
        "roots": roots,
        "bias": bias,
        "name": np.asarray("stance-gbt-fnc1-train"),
        "features": np.asarray(FEATURES),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "fnc1")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storydiff_stance_train.npz"))
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--iters", type=int, default=250)
    ap.add_argument("--oof", type=Path, default=None,
                    help="also write out-of-fold probabilities of every train pair here (5 folds "
                         "by body), to choose settings downstream (disputes.py --stance-oof)")  # fmt: skip
    a = ap.parse_args()
    from sklearn.ensemble import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
        HistGradientBoostingClassifier,
    )

    t0 = time.time()
    bodies, pairs = read_split(a.data, "train_")
    idf = fit_idf(list(bodies.values()) + sorted({h for h, _, _ in pairs}))
    # features are computed with the float16 idf that ships, so training sees what inference sees
    idf = idf.astype(np.float16).astype(np.float32)
    X, y = featurise(bodies, pairs, idf, a.cache)
    print(f"{len(pairs)} training pairs, {X.shape[1]} features ({time.time() - t0:.0f}s)")
    body_ids = sorted(bodies, key=int)
    rng = np.random.default_rng(13)
    held = set(rng.choice(body_ids, size=len(body_ids) // 5, replace=False).tolist())
    is_held = np.array([b in held for _, b, _ in pairs])
    counts = Counter(y.tolist())
    weights = {k: math.sqrt(len(y) / (len(LABELS) * counts[k])) for k in counts}

    def fit(mask: npt.NDArray[np.bool_]) -> Any:
        clf = HistGradientBoostingClassifier(
            max_iter=a.iters, learning_rate=0.08, max_leaf_nodes=31, min_samples_leaf=20,
            l2_regularization=1.0, random_state=0, early_stopping=False,
        )  # fmt: skip
        clf.fit(X[mask], y[mask], sample_weight=np.array([weights[k] for k in y[mask]]))
        return clf

    clf = fit(~is_held)
    raw = clf.decision_function(X[is_held])
    yh = y[is_held]
    best = (macro_f1(yh, raw.argmax(axis=1)), np.zeros(len(LABELS)))
    grid = np.arange(-1.0, 2.01, 0.25)
    for agree, disagree, discuss in itertools.product(grid, grid, grid):
        bias = np.array([agree, disagree, discuss, 0.0])
        f = macro_f1(yh, (raw + bias).argmax(axis=1))
        if f > best[0]:
            best = (f, bias)
    print(f"held-out 20% of train bodies: macro-F1 {macro_f1(yh, raw.argmax(axis=1)):.3f} "
          f"-> {best[0]:.3f} with offsets {best[1].tolist()}")  # fmt: skip
    if a.oof is not None:
        fold = {b: k % 5 for k, b in enumerate(rng.permutation(body_ids).tolist())}
        pair_fold = np.array([fold[b] for _, b, _ in pairs])
        proba = np.zeros((len(y), len(LABELS)))
        for k in range(5):
            raw_k = fit(pair_fold != k).decision_function(X[pair_fold == k]) + best[1]
            e = np.exp(raw_k - raw_k.max(axis=1, keepdims=True))
            proba[pair_fold == k] = e / e.sum(axis=1, keepdims=True)
        np.savez(a.oof, proba=proba)
        print(f"out-of-fold macro-F1 {macro_f1(y, proba.argmax(axis=1)):.3f}; wrote {a.oof}")
    final = fit(np.ones(len(y), dtype=bool))
    model = export(final, idf, best[1])
    a.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(a.out, **model)
    scorer = StanceScorer.load(str(a.out))
    check = rng.choice(len(y), size=500, replace=False)
    ours = scorer.raw_scores(X[check]) - best[1]
    theirs = final.decision_function(X[check])
    print(f"numpy vs scikit-learn max |diff| on 500 rows: {np.abs(ours - theirs).max():.2e}")
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB) in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
