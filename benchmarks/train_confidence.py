#!/usr/bin/env python3
"""Learn storydiff's quote confidence (src/storydiff/data/confidence.json) from PolNeAR train.

usage: benchmarks/train_confidence.py [--data DIR] [--docbin FILE] [--rows FILE] [--folds K]
                                      [--precision P] [--direct-loss D] [--out FILE]

Every train article's quotes are found as `storydiff analyze` finds them; a quote is positive when
it finds a gold Content under the benchmark's rule (`attribution.score`; a quote inside another
one's words is not scored, so not learned from). A logistic model (scikit-learn, only here;
inference is numpy-free arithmetic) learns those labels from `confidence.features`.

The display threshold is chosen by cross-validation by article (`--folds`, the benchmark's folds):
for each fold, models fitted on the other folds score them out of fold, and the threshold is the
lowest at which those out-of-fold shown quotes are right at least `--precision` of the time, unless
that hides more than `--direct-loss` of their direct recall: then the highest that does not
(`chosen`). On PolNeAR train the two cannot both hold: even the quotes found as direct ones are
right .888 of the time, and shown quotes reach .90 only with half of them hidden, direct recall
down to .78. The figures printed are that threshold's on the fold left out (precision of shown
quotes, direct recall of shown quotes, share of quotes shown). The shipped threshold is chosen the same way on
all folds' out-of-fold scores, and the shipped model is fitted on all of train. Train only on
`train`; never on dev or test.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution import (  # noqa: E402
    QUOTE_MARKS,
    ROOT,
    held_out,
    load_gold,
    parsed_articles,
    score,
    tokens,
    training_parser,
)

GRID = np.round(np.arange(0.0, 1.0001, 0.01), 2)


@dataclass
class Rows:
    """One row per scored quote: features, whether it finds gold, whether that gold is direct,
    its article; and the direct gold count of each article."""

    x: npt.NDArray[np.float64]
    found: npt.NDArray[np.bool_]
    direct: npt.NDArray[np.bool_]
    article: npt.NDArray[np.int64]
    direct_gold: npt.NDArray[np.int64]


def kept(texts: list[str]) -> list[int]:
    """Indices of the quotes the benchmark scores: not a stretch of a longer quote's words."""
    keys = [" ".join(tokens(t)) for t in texts]
    return [
        i
        for i in range(len(keys))
        if not any(
            j != i and keys[i] and len(keys[j]) > len(keys[i]) and keys[i] in keys[j]
            for j in range(len(keys))
        )
    ]


def rows(data: Path, docbin: Path | None) -> Rows:
    sys.path.insert(0, str(ROOT / "src"))
    from storydiff.extract.confidence import features
    from storydiff.extract.entities import extract_mentions
    from storydiff.extract.marks import paragraphs_of
    from storydiff.extract.quotes import extract_quotes
    from storydiff.nlp import token_starts

    gold = load_gold(data)
    articles, docs = parsed_articles(data, docbin)
    x, found, direct, article, direct_gold = [], [], [], [], []
    for n, (a, doc) in enumerate(zip(articles, docs, strict=True)):
        stem = Path(a.path or a.id).stem
        items = gold.get(stem, [])
        quotes = extract_quotes(a, doc, extract_mentions(a, doc))
        scored = [quotes[i] for i in kept([q.text for q in quotes])]
        preds = [(q.text, [q.speaker.mention_text, q.speaker.name]) for q in scored]
        matched = score({stem: items}, {stem: preds}).matched[stem]  # pred index -> gold index
        paragraphs, starts = paragraphs_of(a.text, a.paragraphs), token_starts(doc)
        for i, q in enumerate(scored):
            x.append(features(a.text, doc, q, paragraphs, starts))
            g = matched.get(i)
            found.append(g is not None)
            direct.append(g is not None and any(c in items[g].content for c in QUOTE_MARKS))
            article.append(n)
        direct_gold.append(sum(any(c in g.content for c in QUOTE_MARKS) for g in items))
    return Rows(
        np.array(x, np.float64),
        np.array(found),
        np.array(direct),
        np.array(article),
        np.array(direct_gold),
    )


def fit(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.float64], float, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return lr.coef_[0], float(lr.intercept_[0]), mean, scale


def predict(
    model: tuple[npt.NDArray[np.float64], float, npt.NDArray[np.float64], npt.NDArray[np.float64]],
    x: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    w, b, mean, scale = model
    return 1.0 / (1.0 + np.exp(-(((x - mean) / scale) @ w + b)))


def at(
    p: npt.NDArray[np.float64], r: Rows, mask: npt.NDArray[np.bool_], t: float, direct_gold: int
) -> tuple[float, float, float]:
    """Precision of shown quotes, direct recall of shown quotes and share shown, at threshold t."""
    show = mask & (p >= t)
    precision = r.found[show].mean() if show.any() else 0.0
    return (
        float(precision),
        float(r.direct[show].sum() / max(1, direct_gold)),
        float(show.sum() / max(1, mask.sum())),
    )


def lowest(
    p: npt.NDArray[np.float64], r: Rows, mask: npt.NDArray[np.bool_], want: float, direct_gold: int
) -> float:
    """The lowest threshold at which shown quotes among `mask` are right `want` of the time."""
    for t in GRID:
        if at(p, r, mask, float(t), direct_gold)[0] >= want:
            return float(t)
    return 1.0


def chosen(
    p: npt.NDArray[np.float64],
    r: Rows,
    mask: npt.NDArray[np.bool_],
    direct_gold: int,
    want: float,
    direct_loss: float,
) -> float:
    """The display threshold for the quotes in `mask`: the lowest at which shown quotes are right
    `want` of the time, unless that hides more than `direct_loss` of the direct recall of all
    quotes; then the highest that hides no more (direct quotes come first for a reader)."""
    floor = at(p, r, mask, 0.0, direct_gold)[1] - direct_loss
    t = lowest(p, r, mask, want, direct_gold)
    if at(p, r, mask, t, direct_gold)[1] >= floor:
        return t
    return max(float(g) for g in GRID if at(p, r, mask, float(g), direct_gold)[1] >= floor)


def main() -> int:
    ap = training_parser(__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--precision", type=float, default=0.90)
    ap.add_argument("--direct-loss", type=float, default=0.005)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storydiff" / "data" / "confidence.json")
    ap.add_argument("--rows", type=Path, default=None, help="reuse (or save) the quotes' rows here (.npz)")
    args = ap.parse_args()
    if args.rows is not None and args.rows.exists():
        with np.load(args.rows) as z:
            r = Rows(z["x"], z["found"], z["direct"], z["article"], z["direct_gold"])
    else:
        r = rows(args.data, args.docbin)
        if args.rows is not None:
            np.savez(
                args.rows, x=r.x, found=r.found, direct=r.direct, article=r.article, direct_gold=r.direct_gold
            )
    n = len(r.direct_gold)
    fold = np.zeros(n, np.int64)
    for k in range(args.folds):
        fold[sorted(held_out(n, k, args.folds))] = k
    row_fold = fold[r.article]
    oof = np.zeros(len(r.found))
    for k in range(args.folds):
        out = row_fold == k
        oof[out] = predict(fit(r.x[~out], r.found[~out]), r.x[out])
    print(f"{len(r.found)} scored quotes in {n} articles, {r.found.mean():.3f} of them right")
    everything = np.ones(len(r.found), bool)
    for k in range(args.folds):
        out = row_fold == k
        dg = int(r.direct_gold[fold == k].sum())
        t = chosen(oof, r, ~out, int(r.direct_gold[fold != k].sum()), args.precision, args.direct_loss)
        p, d, share = at(oof, r, out, t, dg)
        p0, d0, _ = at(oof, r, out, 0.0, dg)
        print(
            f"fold {k}: threshold {t:.2f} (chosen on the other folds): shown precision {p0:.3f} -> {p:.3f}, "
            f"direct recall {d0:.3f} -> {d:.3f}, {share:.1%} of quotes shown"
        )
    threshold = chosen(oof, r, everything, int(r.direct_gold.sum()), args.precision, args.direct_loss)
    p, d, share = at(oof, r, everything, threshold, int(r.direct_gold.sum()))
    print(
        f"all folds out of fold: threshold {threshold:.2f}: precision {p:.3f}, "
        f"direct recall {d:.3f}, {share:.1%} shown"
    )
    from storydiff.extract.confidence import FEATURES, Model

    w, b, mean, scale = fit(r.x, r.found)
    for name, weight in sorted(zip(FEATURES, w, strict=True), key=lambda x: -abs(x[1]))[:8]:
        print(f"  {name:16s} {weight:+.2f}")
    model = Model(tuple(map(float, w)), b, tuple(map(float, mean)), tuple(map(float, scale)), threshold)
    args.out.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
