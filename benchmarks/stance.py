"""FNC-1 stance benchmark: does a body agree with, dispute, discuss or ignore a headline?

    .venv/bin/python benchmarks/stance.py --data ../shared/data/fnc1

Headline = a claim, body = an article. storydiff's stance scorer (`storydiff.link.stance`, the
scorer the claim alignment uses) labels every pair of `stances.csv` / `bodies.csv`; the model was
trained on FNC-1's `train_*` files only (training/train_stance.py). Prints macro-F1 over the four
classes, each class's F1, the official FNC score and the confusion matrix, next to a baseline run
alongside: the same features' related/unrelated call with every related pair answered "discuss".
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydiff.link.stance import LABELS, StanceScorer  # noqa: E402


def f1_per_class(y: npt.NDArray[np.int64], p: npt.NDArray[np.int64]) -> list[float]:
    out = []
    for k in range(len(LABELS)):
        tp = int(((p == k) & (y == k)).sum())
        fp = int(((p == k) & (y != k)).sum())
        fn = int(((p != k) & (y == k)).sum())
        out.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return out


def fnc_score(y: npt.NDArray[np.int64], p: npt.NDArray[np.int64]) -> float:
    unrelated = LABELS.index("unrelated")
    score = best = 0.0
    for g, q in zip(y.tolist(), p.tolist(), strict=True):
        best += 0.25 if g == unrelated else 1.0
        if (g == unrelated) == (q == unrelated):
            score += 0.25
            if g != unrelated and g == q:
                score += 0.75
    return score / best


def report(name: str, y: npt.NDArray[np.int64], p: npt.NDArray[np.int64]) -> None:
    f1 = f1_per_class(y, p)
    print(f"== {name}")
    print(f"macro-F1 = {np.mean(f1):.3f}")
    print("F1 per class: " + "  ".join(f"{lab} {f:.3f}" for lab, f in zip(LABELS, f1, strict=True)))
    print(f"FNC score = {fnc_score(y, p):.3f}  (share of the best possible)")
    print("confusion (rows gold, columns predicted):")
    print(" " * 11 + "".join(f"{lab:>11}" for lab in LABELS))
    for k, lab in enumerate(LABELS):
        print(f"{lab:>11}" + "".join(f"{int(((y == k) & (p == j)).sum()):>11}" for j in range(len(LABELS))))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "fnc1")
    ap.add_argument("--model", default=None, help="a stance .npz (default: the one storydiff ships)")
    ap.add_argument("--cache", type=Path, default=None, help="an .npz to keep the features in")
    a = ap.parse_args()
    if not (a.data / "stances.csv").exists():
        print(f"no FNC-1 data in {a.data}; skipped")
        return
    t0 = time.time()
    scorer = StanceScorer.load(a.model)
    with open(a.data / "bodies.csv", encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    with open(a.data / "stances.csv", encoding="utf-8") as fh:
        pairs = [(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(fh)]
    y = np.array([LABELS.index(s) for _, _, s in pairs], dtype=np.int64)
    X: npt.NDArray[np.float64] | None = None
    if a.cache is not None and a.cache.exists():
        with np.load(a.cache) as z:
            X = z["X"] if z["X"].shape[0] == len(pairs) else None
    if X is None:
        profiles = {bid: scorer.profile(text) for bid, text in bodies.items()}
        X = np.array([scorer.features(h, profiles[b]) for h, b, _ in pairs], dtype=np.float64)
        if a.cache is not None:
            np.savez(a.cache, X=X)
    proba = scorer.predict_proba(X)
    p = proba.argmax(axis=1)
    print(f"FNC-1 competition test, dev half: {len(pairs)} pairs, {len(bodies)} bodies; "
          f"model {scorer.name} (trained on FNC-1 train_* only); {time.time() - t0:.0f}s")  # fmt: skip
    report("storydiff stance scorer", y, p)
    unrelated, discuss = LABELS.index("unrelated"), LABELS.index("discuss")
    baseline = np.where(p == unrelated, unrelated, discuss)
    report("baseline: same related/unrelated call, every related pair 'discuss'", y, baseline)


if __name__ == "__main__":
    main()
