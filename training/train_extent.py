#!/usr/bin/env python3
"""Learn when a quote takes the content tagger's extent (src/storydiff/data/extent.npz), from
PolNeAR train.

usage: training/train_extent.py [--data DIR] [--docbin FILE] [--trees N] [--seeds S] [--out FILE]

Needs torch (`pip install torch==2.13.0`, the CPU build) and scikit-learn, only here.

The tagger (`train_tagger.py`) reads each paragraph given the quotes the rules and the rescorer
found; where it reads a quote with other ends (`the “ferry first” pledge` where the rules had the
quoted words alone), `storydiff.extract.tagger.extent_rows` describes both extents. This script
learns which of the two an annotator marked. The tagger has seen every train article, so its
readings of them are too good to learn from: each fifth of train is read by a tagger trained on
the other four fifths (five taggers, about 1.5 minutes each). A row is positive when the tagger's
extent finds a gold Content (token overlap >= 0.5, as the benchmark scores) and the quote's own
does not; rows where both or neither find one weigh less. Gradient-boosted trees learn the rows
(`--seeds` models, each on its own subsamples, their log-odds averaged);
out-of-fold scores (by article) choose the cutoff at which the tagger's extent is taken (the best
train F1, found quotes and tagger extras scored as the benchmark does), and the figures printed are
those out-of-fold ones. The shipped model is then fitted on all rows. Train only on `train`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from attribution import (  # noqa: E402
    ROOT,
    Prediction,
    figures,
    load_gold,
    overlap,
    parsed_articles,
    score,
    training_parser,
    without_nested,
)
from train_rescore import boosted, export, prob  # noqa: E402
from train_tagger import as_tagger, fit, held_out, prepare  # noqa: E402

FOLDS = 5
UNDECIDED_WEIGHT = 0.3  # rows where both extents, or neither, find a Content


def main() -> int:
    ap = training_parser(__doc__)
    ap.add_argument("--trees", type=int, default=150)
    ap.add_argument("--seeds", type=int, default=5, help="models averaged, each with its own subsamples")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storydiff" / "data" / "extent.npz")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from storydiff.extract.cues.lexicon import shipped_lexicon
    from storydiff.extract.tagger import extent_rows
    from storydiff.nlp import token_chars

    articles, docs = parsed_articles(args.data, args.docbin)
    found_all, examples = prepare(articles, docs, args.data)
    gold_all = load_gold(args.data)
    stems = [Path(str(a.path)).stem for a in articles]
    gold = {s: gold_all.get(s, []) for s in stems}
    lexicon = shipped_lexicon()

    # each fifth read by a tagger that has not seen it
    rows: list[tuple[int, int, str]] = []  # (article, quote index, the tagger's text)
    xs: list[list[float]] = []
    ys: list[int] = []
    weights: list[float] = []
    extras: dict[int, list[str]] = {}
    fold_of = np.zeros(len(articles), int)
    for fold in range(FOLDS):
        held = held_out(len(articles), fold, FOLDS)
        t0 = time.perf_counter()
        tagger = as_tagger(fit(examples, held))
        print(f"fold {fold}: tagger trained in {time.perf_counter() - t0:.0f} s", flush=True)
        for d in sorted(held):
            fold_of[d] = fold
            doc, text, found = docs[d], articles[d].text, found_all[d]
            spans = [(q.span, q.kind) for q in found]
            reading = tagger.read(doc, lexicon, spans)
            extras[d] = [
                token_chars(doc, i, j).of(text) for i, j in tagger.extra(doc, lexicon, spans, reading)
            ]
            contents = [g.content for g in gold[stems[d]]]

            def finds(words: str) -> bool:
                return any(overlap(c, words) >= 0.5 for c in contents)  # noqa: B023

            for n, (i, j), x in extent_rows(doc, text, reading, spans):
                theirs = token_chars(doc, i, j).of(text)
                ours_ok, theirs_ok = finds(found[n].text), finds(theirs)
                rows.append((d, n, theirs))
                xs.append(x)
                ys.append(int(theirs_ok and not ours_ok))
                weights.append(1.0 if ours_ok != theirs_ok else UNDECIDED_WEIGHT)
    x_all, y_all, w_all = np.array(xs, np.float32), np.array(ys), np.array(weights)
    group = np.array([fold_of[d] for d, _, _ in rows])
    print(f"{len(rows)} quotes the tagger reads otherwise, {y_all.sum()} where its extent is the better")

    def fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> list[Any]:
        return boosted(x, y, trees=args.trees, depth=3, rate=0.05, seeds=args.seeds, weights=w)

    oof = np.zeros(len(rows))
    for k in range(FOLDS):
        test = group == k
        oof[test] = prob(fit_trees(x_all[~test], y_all[~test], w_all[~test]), x_all[test])

    def predictions(cutoff: float) -> dict[str, list[Prediction]]:
        taken = {(d, n): t for (d, n, t), p in zip(rows, oof, strict=True) if p >= cutoff}
        out = {}
        for d, found in enumerate(found_all):
            preds: list[Prediction] = [
                (taken.get((d, n), q.text), [q.speaker.mention_text, q.speaker.name])
                for n, q in enumerate(found)
            ]
            out[stems[d]] = without_nested(preds + [(e, [None]) for e in extras[d]])
        return out

    as_found = score(gold, predictions(2.0))
    best_cut, best_f1 = 2.0, as_found.f1
    print(figures("as found", as_found))
    for cut in (0.3, 0.4, 0.5, 0.6, 0.7):
        s = score(gold, predictions(cut))
        print(figures(f"oof>={cut:.1f}", s))
        if s.f1 > best_f1 + 1e-4:
            best_cut, best_f1 = cut, s.f1
    final = fit_trees(x_all, y_all, w_all)
    shipped = export(final, (), best_cut, False)
    drift = float(np.abs(shipped.score(x_all[:2000]) - prob(final, x_all[:2000])).max())  # type: ignore[attr-defined]
    blob = shipped.save()  # type: ignore[attr-defined]
    args.out.write_bytes(blob)
    print(f"cutoff {best_cut:.1f}; numpy vs sklearn max diff {drift:.2e}")
    print(f"wrote {args.out} ({len(blob)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
