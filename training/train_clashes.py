"""Train the clash model (`src/storydiff/data/clashes.json`) on discrepancies planted into an event corpus.

    .venv/bin/python training/train_clashes.py [--data ../shared/data/ecbplus] [--cache DIR]

Real coverage holds no list of its true discrepancies, so they are planted: `../shared/tools/
inject_events.py` changes a figure in one sentence of each chosen pair of same-event sentences (seeds
11 and 13, up to 400 each, never the seed 7 that `benchmarks/events.py` scores). Each planted corpus
is analysed as `storydiff analyze` does (`--cache` keeps it), filed into stories, and every clash the
product would weigh (`link.claims.candidate_clashes`), of figures, is a row (typed facts are raised
by a rule, `link.clashes.raised`). Rows come from the linker's story windows and also from windows of
two articles cut from them (`all_windows`: each planted pair's two articles, and random pairs), as a
two-outlet report gives: there no third outlet backs either figure, which in a big story is much of
what tells a planted change from a natural one. A clash is a true discrepancy when one
side is a planted sentence's new figure and the other is the old one -- in the sentence it was planted
against or in any other outlet's copy of it, which disagrees just as much; every other clash is not
(some of those are real discrepancies between outlets, which only makes the decision stricter).

A logistic regression learns `storydiff.link.clashes.FEATURES` (never the values themselves). Its
threshold is chosen by folds over topics (each topic's articles all in one fold, both seeds' copies
of a topic in the same fold): the least threshold at which out-of-fold clashes that are not planted
are flagged at most `--flags-per-article` times per article, so a reader of ordinary coverage is
not buried in flags; that threshold is printed, and the one shipped (`THRESHOLD`) is chosen where
flags are counted as the reader sees them (see its comment). The final model is fitted on all topics.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventdata import Gold, claim_sentences  # noqa: E402
from storydiff.embed import get_embedder  # noqa: E402
from storydiff.link.claims import candidate_clashes, story_evidence  # noqa: E402
from storydiff.link.clashes import FEATURES  # noqa: E402
from storydiff.link.events import (  # noqa: E402
    alike_groups,
    default_model,
    event_groups,
    probabilities,
    story_claims,
)
from storydiff.model import Analysis, Article, outlet_label  # noqa: E402
from train_events import analyse, story_windows  # noqa: E402  (beside this script)

FOLDS = 5
# The threshold shipped. Once a clash is raised, every other clash of the same two figures in the
# story is raised from `link.claims.RESTATE_FLOOR` (another outlet's copy), so the flags a reader sees
# are more than the clashes counted here. It was chosen where the product is judged: ECB+ topics 1-35 cut into
# four corpora of 6-12 topics (136-231 articles, as large as a held-out set of ten topics), each with
# figures planted by inject_events.py seed 11, relinked and scored by score_events.py
# (`benchmarks/event_slices.py --seed 11`): the highest share of planted figures found with at most
# 3 flags per planted one, kept a step from the limit (0.70: .221 at 3.02; 0.72: .221 at 2.98;
# 0.75: .215 at 2.88; 0.80: .203 at 2.60, once dates of the telling, timestamp lines and places a
# gazetteer cannot tell apart stopped being flagged; before that 0.80 was chosen, at 2.87). Refitted
# when figures split by a stray space ("15, 800") became one: 0.75 gives .215 at 2.93; and when a
# figure counting a part ("two other victims") stopped being compared with a whole: .215 at 2.89;
# and a sentence stating the other's figure too stopped disputing it: .215 at 2.83; and when a
# headline the parser finds no verb in came to report an event: .227 at 2.85; and when such a
# headline with a figure became a claim and two named people's ages stopped being compared: .227
# at 2.75 (0.70: .227 at 2.76; 0.62: .238 at 2.94, too near the limit); and when two-article windows
# joined the rows, with the window's size as a feature: .238 at 2.69 (0.72: .250 at 2.88; 0.70: .256
# at 3.09; 0.65: .267 at 3.31). When a clash across two event groups stopped being restated and two
# named parties' doings stopped being compared (2026-12-07): 0.75: .238 at 2.53; 0.72: .250 at 2.67;
# 0.70: .262 at 2.83, too near the limit. When a figure came to belong to the person named next to
# it and a measure stopped being compared with a plain count (2026-12-07, later): 0.72, refitted, .262
# at 2.67 (.250 at 2.58 before refitting). When "dies at 91" became an age (refitted): 0.72: .273 at
# 2.82, too near the limit; 0.75: .256 at 2.67. When restating became a floor on the model's own
# probability for each copy, not a search for copies (2026-12-07, evening; RESTATE_FLOOR .5, even
# odds): 0.75: .238 at 1.92; 0.70: .256 (44/172) at 2.05; 0.65: .262 at 2.12; 0.60: .273 at 2.23 (with
# the floor at .3, 0.70: .297 at 2.66). 0.70 is kept for now: a lower one needs its two-article
# threshold matched anew and its new first clashes read on the published corpus, not yet done.
THRESHOLD = 0.70
SEEDS = (11, 13)
THRESHOLDS = [round(0.02 * k, 2) for k in range(1, 50)]
PAIR_SAMPLES = 2  # random two-article windows cut from each story window


def planted(data: Path, cache: Path, seed: int) -> tuple[Path, Analysis]:
    """A copy of the corpus with figures planted by `inject_events.py`, and its analysis (both kept)."""
    out = cache / f"plant{seed}"
    if not (out / "injections.json").exists():
        tool = ROOT.parent / "shared" / "tools" / "inject_events.py"
        subprocess.run([sys.executable, str(tool), str(data), str(out), "--max", "400", "--seed", str(seed)],
                       check=True)  # fmt: skip
    return out, analyse(out, out / "analysis.pkl")


Windows = list[list[Article]]


@dataclass(frozen=True)
class Planted:
    """A planted corpus's gold, its injections and each analysed article's gold document, read once."""

    name: str
    gold: Gold
    injections: list[dict[str, Any]]
    doc_of: dict[str, str]  # article id -> gold document id

    @classmethod
    def read(cls, folder: Path, analysis: Analysis) -> Planted:
        gold = Gold.read(folder)
        injections = json.loads((folder / "injections.json").read_text(encoding="utf-8"))
        doc_by_url = {d["url"]: d["id"] for d in gold.docs}
        return cls(folder.name, gold, injections, {a.id: doc_by_url[a.url] for a in analysis.articles})


def all_windows(corpus: Planted, analysis: Analysis, seed: int) -> tuple[Windows, Windows]:
    """The linker's story windows, and two-article windows cut from them: a two-outlet report. Those
    are the two articles of each planted pair (when the linker put them in one story) and
    `PAIR_SAMPLES` random pairs of each story window, so the model also learns what a discrepancy
    looks like where no third outlet backs either figure."""
    article_of = {corpus.doc_of[a.id]: a for a in analysis.articles}
    stories = story_windows(analysis.articles)
    where = {a.id: (k, n) for k, window in enumerate(stories) for n, a in enumerate(window)}
    pairs: Windows = []
    for x in corpus.injections:
        a, b = article_of.get(x["a"][0]), article_of.get(x["b"][0])
        if a is None or b is None or a.id == b.id or a.id not in where or b.id not in where:
            continue
        (story, first), (other, second) = where[a.id], where[b.id]
        if story == other:
            pairs.append([stories[story][min(first, second)], stories[story][max(first, second)]])
    rng = random.Random(seed)
    for window in stories:
        for _ in range(PAIR_SAMPLES):
            first, second = sorted(rng.sample(range(len(window)), 2))
            pairs.append([window[first], window[second]])
    return stories, pairs


def rows(
    corpus: Planted, windows: Windows, kind: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[object]]:
    """Features, labels, topics, a key naming each flag (its two claims, in windows of `kind`) and the
    planted sentence each true row finds."""
    gold, doc_of = corpus.gold, corpus.doc_of
    changed = {tuple(x["b"]): (x["old"].casefold(), x["new"].casefold()) for x in corpus.injections}
    embedder, model = get_embedder(), default_model()
    X, Y, T, K, P = [], [], [], [], []
    for window in windows:
        claims = [c for a in window for c in a.claims]
        if not claims:
            continue
        sc = story_claims(window, embedder.encode([c.text for c in claims]))
        prob = probabilities(sc, model)
        groups = event_groups(len(claims), sc.art_no, prob, model.group_threshold)
        evidence = story_evidence(sc, prob, alike_groups(groups, sc.art_no, sc.vectors))
        sentence = claim_sentences(gold, window, doc_of)
        for clash in candidate_clashes(claims, evidence, {a.id: outlet_label(a) for a in window}):
            if clash.figures is None:
                continue  # a typed fact is raised by a rule on the pair, not by this model
            hit = None
            # the changed number may be part of a figure ("1: 30 a. m.", "£1. 7m")
            fa, fb = (
                set(re.findall(r"\d+|[^\W\d_]+", f.text.casefold()))
                for f in (clash.figures.a, clash.figures.b)
            )
            si, sj = sentence[clash.i], sentence[clash.j]
            if sj in changed and changed[sj][0] in fa and changed[sj][1] in fb:
                hit = sj
            elif si in changed and changed[si][0] in fb and changed[si][1] in fa:
                hit = si
            X.append(clash.features)
            Y.append(int(hit is not None))
            T.append(int(gold.topic(doc_of[claims[clash.i].article])))
            K.append(f"{corpus.name}|{kind}|{claims[clash.i].id}|{claims[clash.j].id}")
            P.append((corpus.name, hit))
    return np.array(X), np.array(Y), np.array(T), K, P


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/storydiff-clashes"))
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storydiff" / "data" / "clashes.json")
    ap.add_argument("--flags-per-article", type=float, default=0.10)
    ap.add_argument("--C", type=float, default=1.0)
    ap.add_argument("--threshold", type=float, default=THRESHOLD,
                    help="the threshold shipped (default: the one chosen on 10-topic slices, see above); "
                    "'0' ships the one chosen here by --flags-per-article")  # fmt: skip
    ap.add_argument("--dump", type=Path, help="also keep the rows here (pickle), to try other learners")
    args = ap.parse_args()
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    t0 = time.time()
    args.cache.mkdir(parents=True, exist_ok=True)
    corpora = [planted(args.data, args.cache, seed) for seed in SEEDS]
    parts, n_pairs, n_plants = [], 0, 0
    for seed, (folder, analysis) in zip(SEEDS, corpora, strict=True):
        corpus = Planted.read(folder, analysis)
        stories, pairs = all_windows(corpus, analysis, seed)
        parts += [(*rows(corpus, stories, "story"), 0), (*rows(corpus, pairs, "pair"), 1)]
        n_pairs += len(pairs)
        n_plants += len(corpus.injections)
    X = np.concatenate([p[0] for p in parts])
    Y = np.concatenate([p[1] for p in parts])
    T = np.concatenate([p[2] for p in parts])
    K = np.array([k for p in parts for k in p[3]])
    P = [h for p in parts for h in p[4]]
    W = np.concatenate([np.full(len(p[0]), p[5]) for p in parts])  # 0: story window, 1: two articles
    n_articles = sum(len(analysis.articles) for _, analysis in corpora)
    print(f"{len(X):,} clashes, {int(Y.sum())} from a planted figure, {int(W.sum()):,} of them in "
          f"{n_pairs} two-article windows ({time.time() - t0:.0f} s)")  # fmt: skip
    if args.dump:
        with open(args.dump, "wb") as fh:
            rows_kept = {"X": X, "Y": Y, "T": T, "K": K, "P": P, "W": W}
            pickle.dump({**rows_kept, "articles": n_articles, "plants": n_plants, "pairs": n_pairs}, fh)

    topics = sorted(set(T.tolist()))
    fold_of = {t: k % FOLDS for k, t in enumerate(topics)}
    F = np.array([fold_of[t] for t in T.tolist()])
    oof = np.zeros(len(X))
    for k in range(FOLDS):
        train = k != F
        scaler = StandardScaler().fit(X[train])
        model = LogisticRegression(C=args.C, max_iter=3000).fit(scaler.transform(X[train]), Y[train])
        oof[k == F] = model.predict_proba(scaler.transform(X[k == F]))[:, 1]
    print("out-of-fold, by threshold (story windows; two-article windows):")
    chosen = None
    for th in THRESHOLDS:
        seen = []
        for w, articles in ((0, n_articles), (1, 2 * n_pairs)):
            sel = (oof >= th) & (w == W)
            found = {P[k] for k in np.nonzero(sel & (Y == 1))[0].tolist()}
            seen.append((len(found), len(set(K[sel & (Y == 0)].tolist())) / articles))
        (found_s, rate), (found_p, rate_p) = seen
        if th in (0.1, 0.2, 0.3, 0.4, 0.5, args.threshold) or (
            chosen is None and rate <= args.flags_per_article
        ):
            print(f"  {th:.2f}: planted figures found {found_s}/{n_plants} ({found_s / n_plants:.3f}), other "
                  f"clashes flagged {rate:.3f} per article; two-article windows: found {found_p}, other "
                  f"clashes flagged {rate_p:.3f} per article")  # fmt: skip
        if chosen is None and rate <= args.flags_per_article:
            chosen = th
    by_rate = chosen if chosen is not None else THRESHOLDS[-1]
    threshold = args.threshold or by_rate
    # two-article windows: the least threshold that lets through no more other clashes per article
    # than `threshold` does in story windows (a two-outlet report gets the same budget of false flags)

    def other_rate(w: int, th: float, articles: int) -> float:
        return len(set(K[(oof >= th) & (w == W) & (Y == 0)].tolist())) / articles

    budget = other_rate(0, threshold, n_articles)
    two = next(th for th in [*THRESHOLDS, 1.0] if other_rate(1, th, 2 * n_pairs) <= budget)
    found_two = len({P[k] for k in np.nonzero((oof >= two) & (W == 1) & (Y == 1))[0].tolist()})
    print(f"two-article windows: threshold {two} (other clashes {budget:.3f} per article, as {threshold} in "
          f"story windows), planted found {found_two}")  # fmt: skip
    scaler = StandardScaler().fit(X)
    model = LogisticRegression(C=args.C, max_iter=3000).fit(scaler.transform(X), Y)
    out = {
        "features": list(FEATURES),
        "mean": scaler.mean_.tolist(),
        "scale": [float(s) if s > 0 else 1.0 for s in scaler.scale_],
        "coef": model.coef_[0].tolist(),
        "intercept": float(model.intercept_[0]),
        "threshold": threshold,
        "two_article_threshold": two,
        "trained_on": f"{args.data.name} topics 1-35 with planted figures (seeds {SEEDS}): {len(X)} clashes, "
        f"{int(W.sum())} of them in two-article windows",
    }
    args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    for name, w in zip(FEATURES, model.coef_[0], strict=True):
        print(f"  {name:>12} {w:+.3f}")
    print(f"threshold by --flags-per-article {by_rate}; shipped {threshold}")
    print(f"wrote {args.out} ({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()
