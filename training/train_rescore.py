#!/usr/bin/env python3
"""Learn storydiff's quote rescorer (src/storydiff/data/rescore.npz) from PolNeAR train.

usage: training/train_rescore.py [--data DIR] [--docbin FILE] [--folds K] [--trees N] [--seeds S]
                                   [--out FILE]

The rules find their quotes as always; for each, `storydiff.extract.rescore.candidates` lists a
few spans (the quote's own, its frame's content, its first or last sentence, the clause after a
`that`/`who`, ...). A candidate is positive when it overlaps a gold Content as the benchmark scores
(token overlap >= 0.5) — for a span other than the quote's own, a Content that no other quote's
own span already finds. A gradient-boosted tree model (scikit-learn, only here; inference is
numpy) learns those labels; `--seeds` such models, each on its own random subsamples, are
averaged (their log-odds), so that which quotes are kept depends less on one draw.
Cross-validation by article (`--folds`) gives out-of-fold scores for every train article: they
choose the cutoff under which a quote is dropped (the best train F1), and the figures printed are
those out-of-fold ones next to the rules' own. The shipped model is then fitted on all of train.
Train only on `train`; never on dev or test.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

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

if TYPE_CHECKING:
    from storydiff.model import Span

N_LEMMAS = 40


def boosted(
    x: np.ndarray,
    y: np.ndarray,
    *,
    trees: int,
    depth: int,
    rate: float,
    seeds: int,
    weights: np.ndarray | None = None,
) -> list[Any]:
    """`seeds` gradient-boosted tree models (scikit-learn), each on its own random subsamples."""
    from sklearn.ensemble import GradientBoostingClassifier  # type: ignore[import-untyped]

    return [
        GradientBoostingClassifier(
            n_estimators=trees, max_depth=depth, learning_rate=rate, subsample=0.8, random_state=seed
        ).fit(x, y, sample_weight=weights)
        for seed in range(seeds)
    ]


def prob(gbcs: list[Any], x: np.ndarray) -> np.ndarray:
    """The models' averaged log-odds, as a probability (what `export`'s model computes)."""
    logit: npt.NDArray[np.float64] = np.mean([g.decision_function(x) for g in gbcs], axis=0)
    return 1.0 / (1.0 + np.exp(-logit))


def export(gbcs: list[Any], lemmas: tuple[str, ...], cutoff: float, keep_direct: bool) -> object:
    """Fitted GradientBoostingClassifiers (same data, same rate) as one `rescore.Model` (flat numpy
    arrays) that averages their log-odds: all their trees, each leaf value divided by their number."""
    from storydiff.extract.rescore import Model

    feature, threshold, left, right, value, roots = [], [], [], [], [], []
    offset = 0
    depth = 0
    for gbc in gbcs:
        for est in gbc.estimators_[:, 0]:
            t = est.tree_
            roots.append(offset)
            feature.append(np.maximum(t.feature, 0))
            threshold.append(t.threshold)
            left.append(np.where(t.children_left >= 0, t.children_left + offset, -1))
            right.append(np.where(t.children_right >= 0, t.children_right + offset, -1))
            value.append(t.value[:, 0, 0] / len(gbcs))
            offset += t.node_count
            depth = max(depth, t.max_depth)
    gbc = gbcs[0]
    prior = gbc.init_.class_prior_[1]
    return Model(
        lemmas,
        np.concatenate(feature).astype(np.intp),
        np.concatenate(threshold).astype(np.float32),
        np.concatenate(left).astype(np.intp),
        np.concatenate(right).astype(np.intp),
        np.concatenate(value).astype(np.float32),
        np.array(roots, dtype=np.intp),
        depth,
        float(np.log(prior / (1 - prior))),
        float(gbc.learning_rate),
        cutoff,
        keep_direct,
    )


def main() -> int:
    ap = training_parser(__doc__)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=5, help="models averaged, each with its own subsamples")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storydiff" / "data" / "rescore.npz")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from storydiff.extract.entities import extract_mentions
    from storydiff.extract.quotes import rule_quotes
    from storydiff.extract.rescore import Context, Item, matrix

    articles, docs = parsed_articles(args.data, args.docbin)
    gold_all = load_gold(args.data)
    stems: list[str] = []
    quotes: list[list[Prediction]] = []
    contexts: list[tuple[Context, list[Item]]] = []
    for article, doc in zip(articles, docs, strict=True):
        stems.append(Path(article.path).stem)  # type: ignore[arg-type]
        rules = rule_quotes(article, doc, extract_mentions(article, doc))
        quotes.append([(q.text, [q.speaker.mention_text, q.speaker.name]) for q, _ in rules.quotes])
        contexts.append((rules.context, rules.items))
    gold = {s: gold_all.get(s, []) for s in stems}
    counts = Counter(it.frame.lemma for _, items in contexts for it in items if it.frame is not None)
    lemmas = tuple(sorted(lemma for lemma, _ in counts.most_common(N_LEMMAS)))

    # candidates, features and labels, article by article
    rows_of: list[list[tuple[int, int, Span]]] = []
    xs, ys, groups = [], [], []
    for a, (ctx, items) in enumerate(contexts):
        rows, x = matrix(ctx, items, lemmas) if items else ([], np.zeros((0, 0), np.float32))
        rows_of.append(rows)
        contents = [g.content for g in gold[stems[a]]]
        hits = []  # per candidate: the gold Contents it finds
        for _, _, span in rows:
            cand = ctx.text[span.start : span.end]
            hits.append({g for g, c in enumerate(contents) if overlap(c, cand) >= 0.5})
        own: dict[int, set[int]] = {n: h for (n, kind, _), h in zip(rows, hits, strict=True) if kind == 0}
        for (n, kind, _), h in zip(rows, hits, strict=True):
            # another span of a quote is right only if it finds what no other quote already finds
            taken = set().union(*(g for m, g in own.items() if m != n)) if kind else set()
            ys.append(bool(h - taken))
            groups.append(a)
        if len(rows):
            xs.append(x)
    x_all = np.vstack(xs)
    y_all = np.array(ys, dtype=np.int8)
    group = np.array(groups)
    print(f"{len(stems)} articles, {sum(len(i) for _, i in contexts)} quotes, {len(y_all)} candidates")

    def fit(x: np.ndarray, y: np.ndarray) -> list[Any]:
        return boosted(x, y, trees=args.trees, depth=args.depth, rate=0.1, seeds=args.seeds)

    # out-of-fold scores, folds by article
    oof = np.zeros(len(y_all))
    fold_of = np.arange(len(stems)) % args.folds
    for k in range(args.folds):
        test = fold_of[group] == k
        oof[test] = prob(fit(x_all[~test], y_all[~test]), x_all[test])

    def predictions(
        probs: np.ndarray | None, cutoff: float, keep_direct: bool = False
    ) -> dict[str, list[Prediction]]:
        out: dict[str, list[Prediction]] = {}
        pos = 0
        for a, stem in enumerate(stems):
            ctx, items = contexts[a]
            rows = rows_of[a]
            best: dict[int, tuple[float, Span]] = {}
            for n, kind, span in rows:
                p = (1.0 if kind == 0 else 0.0) if probs is None else float(probs[pos])
                pos += 1
                if n not in best or p > best[n][0]:
                    best[n] = (p, span)
            preds: list[Prediction] = []
            seen = set()
            for n in range(len(items)):
                p, span = best.get(n, (1.0, items[n].span))  # nested in another: kept
                key = (span.start, span.end)
                dropped = p < cutoff and not (keep_direct and items[n].kind == "direct")
                if dropped or key in seen:
                    continue
                seen.add(key)
                preds.append((ctx.text[key[0] : key[1]], quotes[a][n][1]))
            out[stem] = without_nested(preds)
        return out

    print(figures("rules", score(gold, predictions(None, 0.0))))
    own_kind = np.array([kind == 0 for rows in rows_of for _, kind, _ in rows], dtype=float)
    print(figures("oracle", score(gold, predictions(y_all + 0.5 * own_kind, 0.0))))
    best_cut, best_keep, best_f1 = 0.0, False, -1.0
    for keep in (False, True):
        for cut in [0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]:
            s = score(gold, predictions(oof, cut, keep))
            print(figures(f"oof>={cut:.2f}{'+d' if keep else ''}", s))
            if s.f1 > best_f1 + 1e-4:  # the lower cutoff unless a higher one is really better
                best_cut, best_keep, best_f1 = cut, keep, s.f1
    final = fit(x_all, y_all)
    model = export(final, lemmas, best_cut, best_keep)
    check = model.score(x_all[:2000])  # type: ignore[attr-defined]
    drift = float(np.abs(check - prob(final, x_all[:2000])).max())
    blob = model.save()  # type: ignore[attr-defined]
    args.out.write_bytes(blob)
    print(f"cutoff {best_cut:.2f}, keep direct {best_keep}; numpy vs sklearn max diff {drift:.2e}")
    print(f"wrote {args.out} ({len(blob)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
