"""Score learners for the clash decision out of fold, on the rows `train_clashes.py --dump` keeps.

    .venv/bin/python training/clash_learners.py --rows ROWS [--rates 0.05 0.1 0.2 0.45]

For each learner, the rows are scored by 5 folds over topics (the folds `train_clashes.py` uses).
Then, at each rate of other clashes flagged per article, it prints how many planted figures are
found. A planted figure counts once, however many of its rows are flagged; a clash that is not
planted counts once per pair of claims. The shipped learner, a logistic regression with C = 1 over
`storydiff.link.clashes.FEATURES`, comes first. The others are what `docs/findings.md` reports as
tried. Needs scikit-learn (`pip install -e ".[train]"`).
"""

from __future__ import annotations

import argparse
import pickle
from collections.abc import Callable
from pathlib import Path

import numpy as np

FOLDS = 5  # as train_clashes.py
Learner = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]  # train X, train y, test X -> p


def logistic(c: float, degree: int = 1) -> Learner:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import PolynomialFeatures, StandardScaler

    def fit(x: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
        scaler = StandardScaler().fit(x)
        a, b = scaler.transform(x), scaler.transform(test)
        if degree > 1:
            poly = PolynomialFeatures(degree, include_bias=False).fit(a)
            a, b = poly.transform(a), poly.transform(b)
        model = LogisticRegression(C=c, max_iter=5000).fit(a, y)
        out: np.ndarray = model.predict_proba(b)[:, 1]
        return out

    return fit


def boosted(depth: int, trees: int) -> Learner:
    from sklearn.ensemble import HistGradientBoostingClassifier

    def fit(x: np.ndarray, y: np.ndarray, test: np.ndarray) -> np.ndarray:
        model = HistGradientBoostingClassifier(max_depth=depth, max_iter=trees, min_samples_leaf=40)
        out: np.ndarray = model.fit(x, y).predict_proba(test)[:, 1]
        return out

    return fit


LEARNERS: dict[str, Callable[[], Learner]] = {
    "logistic C=1 (shipped)": lambda: logistic(1.0),
    "logistic C=0.1": lambda: logistic(0.1),
    "logistic, pairwise products, C=0.1": lambda: logistic(0.1, degree=2),
    "boosted trees, depth 3, 100": lambda: boosted(3, 100),
    "boosted trees, depth 4, 200": lambda: boosted(4, 200),
    "boosted trees, depth 6, 200": lambda: boosted(6, 200),
}


def out_of_fold(learner: Learner, x: np.ndarray, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    p = np.zeros(len(x))
    for k in range(FOLDS):
        p[fold == k] = learner(x[fold != k], y[fold != k], x[fold == k])
    return p


def found_at(
    p: np.ndarray, y: np.ndarray, keys: np.ndarray, planted: list[object], articles: int, rate: float
) -> int:
    """Planted figures found at the lowest threshold that flags at most `rate` other clashes per
    article (thresholds tried at 400 quantiles of `p`, from the top)."""
    best = None
    for th in np.quantile(p, np.linspace(0.9999, 0.5, 400)):
        flagged = p >= th
        if len(set(keys[flagged & (y == 0)].tolist())) / articles > rate:
            break
        best = th
    if best is None:
        return 0
    return len({planted[k] for k in np.nonzero((p >= best) & (y == 1))[0].tolist()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=Path, required=True, help="rows kept by train_clashes.py --dump")
    ap.add_argument("--rates", type=float, nargs="+", default=[0.05, 0.1, 0.2, 0.45])
    ap.add_argument("--only", nargs="*", help="learners to score (default: all)")
    args = ap.parse_args()
    with open(args.rows, "rb") as fh:
        d = pickle.load(fh)
    x, y, topics, keys, planted = d["X"], d["Y"], d["T"], d["K"], d["P"]
    fold_of = {t: k % FOLDS for k, t in enumerate(sorted(set(topics.tolist())))}
    fold = np.array([fold_of[t] for t in topics.tolist()])
    rates = " / ".join(f"{r:g}" for r in args.rates)
    print(f"{len(x):,} clashes, {d['plants']} planted figures, {d['articles']} articles; planted figures")
    print(f"found at {rates} other clashes flagged per article:")
    for name, make in LEARNERS.items():
        if args.only and name not in args.only:
            continue
        p = out_of_fold(make(), x, y, fold)
        found = [found_at(p, y, keys, planted, d["articles"], rate) for rate in args.rates]
        print(f"  {name:38s} {' / '.join(str(n) for n in found)}", flush=True)


if __name__ == "__main__":
    main()
