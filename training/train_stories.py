"""Train the story merge decision (`src/storydiff/data/stories.json`) on FNC-1 train and ECB+.

    .venv/bin/python training/train_stories.py [--data ../shared/data] --cache DIR

Reads FNC-1 `train_*` (1,683 bodies; gold stories from the related pairs) and ECB+ topics 1-35
(gold stories: the subtopics, two events of one kind in each topic), analysed as `storydiff
analyze` does and cached in DIR (see storydata.py). The FNC-1 dev half is never read here.

Examples: each corpus is replayed in input order with every article filed into its gold story
(`StoryIndex.add(..., story=gold)`); before filing, `StoryIndex.candidates` gives the stories
blocking finds for it and their features; a candidate is positive when it is the article's gold
story. A logistic regression (scikit-learn, `pip install -e ".[train]"`) learns them.

Settings by folds: each corpus's gold groups (FNC-1 stories, ECB+ topics, so that both events of a
topic fall in one fold) go into 5 folds; a model trained on the other folds' examples (both corpora)
clusters the whole corpus at every setting of a grid, and B-cubed is taken over the held-out fold's
articles (a fold clustered alone would face a fifth of the distractors a stream this size has); the
batch TF-IDF baseline of the reference scorers, run once over each whole corpus, is scored the
same way. The setting kept is the one whose worse corpus is furthest above the baseline F1 on the
same folds; the final model is fitted on all examples. Prints the out-of-fold table, and writes
the model with `--out`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from storydata import DEFAULT_DATA, Corpus, ari, batch_tfidf, events, fnc1  # noqa: E402
from storydiff.link.stories import Repair, StoryIndex  # noqa: E402
from storydiff.link.storymodel import FEATURES, FRAGMENT_FEATURES, FragmentModel, MergeModel  # noqa: E402

FOLDS = 5
REPAIR: Repair = "all"  # which articles to file again at the end (`StoryIndex.add_all`)
# (join threshold, merge threshold): an article joins its likeliest story at the first, and
# merges every other story it is this likely to belong to at the second (1.01: never).
Setting = tuple[float, float, float, float, float]  # join, merge, regroup, split, fragment
JOINS = (0.05, 0.1, 0.2, 0.3, 0.5)
MERGES = (0.0, 0.1, 0.2, 0.4, 1.01)  # added to the join threshold (capped at 1.01: never)
# The repair at the end of a run, (regroup, split): a story is merged into the one its articles
# would join at the first mean probability, and its smaller half split off when that half's
# articles would join the rest below the second (1.01: never; the second is capped at the first).
REPAIRS = ((0.4, 0.4), (0.3, 0.3), (0.35, 0.35), (0.45, 0.45), (0.4, 0.35), (1.01, 0.0))
# A story of one article is joined only at this probability (or the join threshold, if higher):
# chosen by separate runs at .2 (the join threshold itself), .35, .5, .65 and .8 (stories.md).
SINGLE = 0.5
# The fragment model's thresholds to try (>1: none, the regroup's mean alone).
FRAGMENTS = (1.01, 0.7, 0.65, 0.6)
# The reference scorers' baseline settings for each corpus: (distance threshold, min_df).
BASELINE = {"fnc1": (0.8, 2), "events": (0.85, 1)}

_NEUTRAL = MergeModel(
    FEATURES, np.zeros(len(FEATURES)), np.ones(len(FEATURES)), np.zeros(len(FEATURES)), 0.0, 1.0, 1.0
)


def examples(corpus: Corpus) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature rows, labels and each row's article, replaying `corpus` into its gold stories."""
    index = StoryIndex(model=_NEUTRAL, window=None)
    xs, ys, owners = [], [], []
    for article in corpus.articles:
        found, x = index.candidates(article)
        gold = corpus.gold[article.id]
        for sid, row in zip(found, x, strict=True):
            xs.append(row)
            ys.append(sid == gold)
            owners.append(article.id)
        index.add(article, story=gold)
    return np.array(xs).reshape(-1, len(FEATURES)), np.array(ys, dtype=bool), owners


def examples_as_clustered(
    corpus: Corpus, model: MergeModel, setting: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Feature rows and labels as `model` meets them: the corpus replayed in input order with each
    article filed where the model files it, so the candidate stories are the impure and split ones
    of a real run (gold replay only shows pure stories). A candidate is positive when most of its
    articles are of the article's gold story."""
    index = StoryIndex(
        model=model, threshold=setting[0], merge_threshold=setting[1], window=None, single_threshold=SINGLE
    )
    xs, ys, owners = [], [], []
    for article in corpus.articles:
        found, x = index.candidates(article)
        gold = corpus.gold[article.id]
        for sid, row in zip(found, x, strict=True):
            members = index.members(sid)
            same = sum(1 for m in members if corpus.gold[m] == gold)
            xs.append(row)
            ys.append(2 * same > len(members))
            owners.append(article.id)
        index.add(article)
    return np.array(xs).reshape(-1, len(FEATURES)), np.array(ys, dtype=bool), owners


def fit(
    x: np.ndarray, y: np.ndarray, c: float, threshold: float = 0.5, merge: float = 1.0, hidden: int = 0
) -> MergeModel:
    from sklearn.linear_model import LogisticRegression
    from sklearn.neural_network import MLPClassifier

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    if hidden:
        mlp = MLPClassifier((hidden,), alpha=1.0 / c, max_iter=500, random_state=0).fit((x - mean) / scale, y)
        return MergeModel(
            FEATURES,
            mean,
            scale,
            mlp.coefs_[1][:, 0].astype(np.float64),
            float(mlp.intercepts_[1][0]),
            threshold,
            merge,
            hidden=mlp.coefs_[0].astype(np.float64),
            hidden_bias=mlp.intercepts_[0].astype(np.float64),
        )
    lr = LogisticRegression(C=c, max_iter=2000).fit((x - mean) / scale, y)
    return MergeModel(
        FEATURES, mean, scale, lr.coef_[0].astype(np.float64), float(lr.intercept_[0]), threshold, merge
    )


def refit_as_clustered(
    corpora: dict[str, Corpus],
    data: dict[str, Any],
    x: np.ndarray,
    y: np.ndarray,
    first: MergeModel,
    a: argparse.Namespace,
    keep: Any,
) -> MergeModel:
    """`first` refitted on its own examples plus those it meets clustering each corpus (rows of the
    articles `keep` accepts: the training folds')."""
    xs, ys = [x], [y]
    for corpus in corpora.values():
        cx, cy, owners = examples_as_clustered(corpus, first, (a.policy, 1.01))
        mask = np.array([bool(keep(o)) for o in owners], dtype=bool)
        xs.append(cx[mask])
        ys.append(cy[mask])
    return fit(np.concatenate(xs), np.concatenate(ys), a.C, hidden=a.hidden)


def fragment_examples(
    index: StoryIndex, gold: dict[str, str]
) -> tuple[np.ndarray, np.ndarray, list[list[str]]]:
    """The regroup's decisions as it meets them in `index` (clustered and split): each story with
    the story its articles would likeliest join, its `FRAGMENT_FEATURES` row, whether most of its
    articles are of the gold story most of the other's are (positive), and its articles."""
    xs, ys, members = [], [], []

    def majority(sid: str) -> str:
        return Counter(gold[m] for m in index.members(sid)).most_common(1)[0][0]

    for story in index.stories:
        best, row = index._fragment_row(story.id)
        if best is None:
            continue
        xs.append(row)
        ys.append(majority(story.id) == majority(best))
        members.append(index.members(story.id))
    return np.array(xs).reshape(-1, len(FRAGMENT_FEATURES)), np.array(ys, dtype=bool), members


def fit_fragment(x: np.ndarray, y: np.ndarray) -> FragmentModel:
    from sklearn.linear_model import LogisticRegression

    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return FragmentModel(mean, scale, lr.coef_[0].astype(np.float64), float(lr.intercept_[0]), 1.01)


def _training_stories(
    indexes: list[tuple[StoryIndex, dict[str, str], dict[str, int]]], keep: Any
) -> tuple[np.ndarray, np.ndarray]:
    """`fragment_examples` of each (index, gold, folds), of the stories most of whose articles are
    in a fold `keep` accepts."""
    xs, ys = [], []
    for index, gold, folds in indexes:
        x, y, members = fragment_examples(index, gold)
        mask = np.array(
            [bool(keep(Counter(folds[m] for m in ms).most_common(1)[0][0])) for ms in members], dtype=bool
        )
        xs.append(x[mask])
        ys.append(y[mask])
    return np.concatenate(xs), np.concatenate(ys)


def fold_of(corpus: Corpus, seed: int = 13) -> dict[str, int]:
    """Article id -> fold, whole groups at a time."""
    groups = sorted(set(corpus.group.values()))
    random.Random(seed).shuffle(groups)
    fold = {g: i % FOLDS for i, g in enumerate(groups)}
    return {a: fold[g] for a, g in corpus.group.items()}


def bcubed_on(items: Sequence[str], gold: dict[str, str], pred: dict[str, Any]) -> tuple[float, float, float]:
    """B-cubed over `items` only, with clusters as predicted over everything (a held-out article
    put with articles of other folds loses precision for it)."""
    members: dict[Any, set[str]] = {}
    for i, p in pred.items():
        members.setdefault(p, set()).add(i)
    truth: dict[str, set[str]] = {}
    for i, g in gold.items():
        truth.setdefault(g, set()).add(i)
    precision = sum(len(members[pred[i]] & truth[gold[i]]) / len(members[pred[i]]) for i in items) / len(
        items
    )
    recall = sum(len(members[pred[i]] & truth[gold[i]]) / len(truth[gold[i]]) for i in items) / len(items)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def cluster(corpus: Corpus, ids: Sequence[str], model: MergeModel, setting: Setting) -> dict[str, str]:
    return cluster_all(corpus, ids, model, setting[:2], [setting[2:4]], model.fragment)[setting[2:4]]


def clustered(corpus: Corpus, ids: Sequence[str], model: MergeModel, join: tuple[float, float]) -> StoryIndex:
    """The articles filed (and filed again) at one join and merge threshold, before `split` and
    `regroup` (as `add_all` runs them at its end)."""
    by_id = {a.id: a for a in corpus.articles}
    index = StoryIndex(
        model=model,
        threshold=join[0],
        merge_threshold=join[1],
        story_threshold=1.01,
        split_threshold=0.0,
        single_threshold=SINGLE,
    )
    index.add_all([by_id[a] for a in ids], repair=REPAIR)
    return index


def split_copy(index: StoryIndex, repair: tuple[float, ...]) -> tuple[StoryIndex, list[str]]:
    """A copy of `index` with its stories split at this (regroup, split) setting, and the stories the
    regroup then weighs."""
    copy = deepcopy(index)
    copy.story_threshold, copy.split_threshold = repair[0], min(repair[1], repair[0])
    touched = [s.id for s in copy.stories]
    if REPAIR == "none":
        return copy, []
    return copy, [*touched, *copy.split(touched)]


def regrouped(
    index: StoryIndex, touched: list[str], ids: Sequence[str], fragment: FragmentModel | None
) -> dict[str, str]:
    """Each article's story once a copy of `index` (split) is regrouped until nothing merges."""
    copy = deepcopy(index)
    copy.fragment = fragment
    while touched and copy.regroup(copy.resolve(sid) for sid in touched):
        pass
    return {a: copy.story_of(a) for a in ids}  # after merges


def cluster_all(
    corpus: Corpus,
    ids: Sequence[str],
    model: MergeModel,
    join: tuple[float, float],
    repairs: Sequence[tuple[float, ...]],
    fragment: FragmentModel | None = None,
) -> dict[tuple[float, ...], dict[str, str]]:
    """Stories at one join and merge threshold, for each (regroup, split) threshold: the articles
    are filed once, and `split` and `regroup` run on a copy of the index at each."""
    index = clustered(corpus, ids, model, join)
    out = {}
    for repair in repairs:
        copy, touched = split_copy(index, repair)
        out[tuple(repair)] = regrouped(copy, touched, ids, fragment)
    return out


def main() -> None:
    global REPAIR, SINGLE
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, required=True, help="folder of the analysed corpora (pickles)")
    ap.add_argument("--out", type=Path, help="write the model here (e.g. src/storydiff/data/stories.json)")
    ap.add_argument("--C", type=float, default=0.2, help="inverse regularisation of the regression")
    ap.add_argument("--joins", type=float, nargs="+", default=JOINS, help="join thresholds to try")
    ap.add_argument("--merges", type=float, nargs="+", default=MERGES, help="merge - join offsets to try")
    ap.add_argument(
        "--repairs",
        type=lambda x: tuple(float(v) for v in x.split(":")),
        nargs="+",
        default=REPAIRS,
        help="regroup:split thresholds to try (1.01:0 never does either)",
    )
    ap.add_argument(
        "--fragments",
        type=float,
        nargs="+",
        default=FRAGMENTS,
        help="thresholds of the regroup's fragment model to try (>1: none)",
    )
    ap.add_argument("--hidden", type=int, default=0, help="hidden units (0: a logistic regression)")
    ap.add_argument(
        "--policy",
        type=float,
        default=0.0,
        help="also learn from the candidates met when clustering with a first model at this join "
        "threshold (0: gold replay only)",
    )
    ap.add_argument("--repair", choices=("none", "alone", "all"), default="all", help="the repair pass")
    ap.add_argument(
        "--single", type=float, default=SINGLE, help="join a story of one article only at this probability"
    )
    a = ap.parse_args()
    REPAIR, SINGLE = a.repair, a.single
    joins = sorted({(j, min(round(j + m, 2), 1.01)) for j in a.joins for m in a.merges})
    settings = [(j, m, st, sp, f) for j, m in joins for st, sp in a.repairs for f in a.fragments]
    t0 = time.perf_counter()
    corpora = {
        "fnc1": fnc1(a.data / "fnc1", "train_", a.cache),
        "events": events(a.data / "ecbplus", a.cache),
    }
    data = {}
    for key, corpus in corpora.items():
        x, y, owners = examples(corpus)
        folds = fold_of(corpus)
        data[key] = (x, y, np.array([folds[o] for o in owners]), folds)
        have = {o for o, yy in zip(owners, y, strict=True) if yy}
        joiners = sum(
            1 for i, art in enumerate(corpus.articles)
            if corpus.gold[art.id] in {corpus.gold[b.id] for b in corpus.articles[:i]}
        )  # fmt: skip
        print(
            f"{corpus.name}: {len(corpus.articles)} articles, {len(set(corpus.gold.values()))} stories; "
            f"{len(y)} candidate stories ({y.sum()} right); blocking finds the gold story for "
            f"{len(have)}/{joiners} articles that join one"
        )
    print(f"examples in {time.perf_counter() - t0:.0f}s")
    folds_of = {o: f for d in data.values() for o, f in d[3].items()}
    table: dict[str, dict[Setting, list[tuple[float, float, float]]]] = {
        k: {t: [] for t in settings} for k in corpora
    }
    baseline: dict[str, list[tuple[float, float, float, float]]] = {k: [] for k in corpora}
    everything = {key: [art.id for art in corpus.articles] for key, corpus in corpora.items()}
    batch = {
        key: dict(zip(ids, batch_tfidf([corpora[key].texts[i] for i in ids], *BASELINE[key]), strict=True))
        for key, ids in everything.items()
    }
    for k in range(FOLDS):
        x = np.concatenate([d[0][d[2] != k] for d in data.values()])
        y = np.concatenate([d[1][d[2] != k] for d in data.values()])
        model = fit(x, y, a.C, hidden=a.hidden)
        if a.policy:
            model = refit_as_clustered(corpora, data, x, y, model, a, lambda o, k=k: folds_of[o] != k)
        # The whole corpus is clustered, as a stream this size would be (a fold alone has a fifth
        # of the distractors); only the held-out fold's articles are scored. The fragment model is
        # fitted on the regroup's decisions over the training folds' stories (both corpora).
        for j in joins:
            split = {
                (key, repair): split_copy(clustered(corpus, everything[key], model, j), repair)
                for key, corpus in corpora.items()
                for repair in a.repairs
            }
            for repair in a.repairs:
                fragment = fit_fragment(
                    *_training_stories(
                        [(split[(key, repair)][0], corpora[key].gold, data[key][3]) for key in corpora],
                        lambda f, k=k: f != k,
                    )
                )
                for key, corpus in corpora.items():
                    held_out = [i for i in everything[key] if data[key][3][i] == k]
                    copy, touched = split[(key, repair)]
                    for f in a.fragments:
                        chosen = replace(fragment, threshold=f) if f <= 1.0 else None
                        pred = regrouped(copy, touched, everything[key], chosen)
                        table[key][(*j, *repair, f)].append(bcubed_on(held_out, corpus.gold, pred))
        for key, corpus in corpora.items():
            held_out = [i for i in everything[key] if data[key][3][i] == k]
            gold = {i: corpus.gold[i] for i in held_out}
            baseline[key].append((*bcubed_on(held_out, corpus.gold, batch[key]), ari(gold, batch[key])))
    print(f"out-of-fold B3 P/R/F1 ({FOLDS} folds by story / topic), mean over folds:")
    print(
        "join merge regroup split frag  "
        + "  ".join(f"{corpora[k].name:>20}" for k in corpora)
        + "   mean F1"
    )
    for t in settings:
        means = [np.mean(table[k][t], axis=0) for k in corpora]
        cells = "  ".join(f"{m[0]:6.3f}{m[1]:7.3f}{m[2]:7.3f}" for m in means)
        mean_f1 = np.mean([m[2] for m in means])
        print(f"{t[0]:4.2f} {t[1]:5.2f} {t[2]:7.2f} {t[3]:5.2f} {t[4]:4.2f}  {cells}  {mean_f1:8.3f}")
    for name in corpora:
        b = np.mean(baseline[name], axis=0)
        distance, min_df = BASELINE[name]
        print(
            f"batch TF-IDF baseline (t={distance}, min_df={min_df}) on the same folds, {corpora[name].name}: "
            f"B3 P={b[0]:.3f} R={b[1]:.3f} F1={b[2]:.3f} ARI={b[3]:.3f}"
        )
    # Kept: the setting whose worse corpus is furthest above (or least below) the batch baseline.
    margin = {k: float(np.mean(baseline[k], axis=0)[2]) for k in corpora}
    best = max(
        settings, key=lambda t: min(float(np.mean(table[k][t], axis=0)[2]) - margin[k] for k in corpora)
    )
    print(
        f"chosen join {best[0]}, merge {best[1]}, regroup {best[2]}, split {best[3]}, fragment {best[4]}: "
        + ", ".join(f"{corpora[k].name} F1 {np.mean(table[k][best], axis=0)[2]:.3f}" for k in corpora)
    )
    x = np.concatenate([d[0] for d in data.values()])
    y = np.concatenate([d[1] for d in data.values()])
    model = fit(x, y, a.C, hidden=a.hidden)
    if a.policy:
        model = refit_as_clustered(corpora, data, x, y, model, a, lambda o: True)
    final: FragmentModel | None = None
    if best[4] <= 1.0:
        stories = [
            (
                split_copy(clustered(corpus, everything[key], model, best[:2]), best[2:4])[0],
                corpus.gold,
                data[key][3],
            )
            for key, corpus in corpora.items()
        ]
        final = replace(fit_fragment(*_training_stories(stories, lambda f: True)), threshold=best[4])
        print(
            "fragment weights (standardised): "
            + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FRAGMENT_FEATURES, final.weights, strict=True))
            + f", bias {final.bias:+.2f}"
        )
    model = replace(
        model,
        fragment=final,
        threshold=best[0],
        merge_threshold=best[1],
        story_threshold=best[2],
        split_threshold=best[3],
        single_threshold=SINGLE,
    )
    if not a.hidden:
        print(
            "weights (standardised): "
            + ", ".join(f"{f} {w:+.2f}" for f, w in zip(FEATURES, model.weights, strict=True))
        )
    if a.out:
        a.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
