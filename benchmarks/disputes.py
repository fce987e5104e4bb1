"""Disputes on FNC-1: does storydiff say "disputed" where a body disagrees with a headline?

    .venv/bin/python benchmarks/disputes.py --data ../shared/data/fnc1            # the dev half
    .venv/bin/python training/train_stance.py --out /tmp/stance.npz --oof /tmp/stance_oof.npz
    .venv/bin/python benchmarks/disputes.py --split train --stance-oof /tmp/stance_oof.npz --sweep

Each related headline/body pair (gold agree, disagree or discuss) is a story of two articles: the
headline is the statement, the body an article analysed by storydiff (its claims and quotes). The
product's rule (`storydiff.link.disputes`) is applied as it is in a report: the stance model's
likeliest answer is `disagree`, and a claim or quote of the body disputes what the headline says.
Prints precision, recall and F1 of "disputed" against gold `disagree`, beside the stance model
alone (its `disagree` answer, no sentence needed) in the same run. `--sweep` prints the figures at
other similarity thresholds; choose on `--split train` with out-of-fold stance answers (the shipped
model was fitted on all of train, so its own train answers are in-sample), report dev beside it.
"""

from __future__ import annotations

import argparse
import csv
import pickle
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydiff.embed import get_embedder  # noqa: E402
from storydiff.link import disputes  # noqa: E402
from storydiff.link.stance import LABELS, default_scorer  # noqa: E402
from storydiff.model import RawDocument  # noqa: E402
from storydiff.pipeline import run_documents  # noqa: E402


def read(data: Path, split: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """The split's bodies and all its (headline, body id, stance) pairs, in file order."""
    prefix = "train_" if split == "train" else ""
    with open(data / f"{prefix}bodies.csv", encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    with open(data / f"{prefix}stances.csv", encoding="utf-8") as fh:
        pairs = [(r["Headline"], r["Body ID"], r["Stance"]) for r in csv.DictReader(fh)]
    return bodies, pairs


def body_statements(bodies: dict[str, str], cache: Path | None) -> dict[str, list[disputes.Statement]]:
    """Each body's claims and quotes, as storydiff finds them (cached: parsing is the slow part)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            cached: dict[str, list[disputes.Statement]] = pickle.load(fh)
        if cached.keys() == bodies.keys():
            return cached
    ids = list(bodies)
    docs = [RawDocument(text=bodies[b], path=f"body-{b}.txt") for b in ids]
    analysis = run_documents(docs, workers=2, engine="pool", linked=False, time_limit=None)
    by_path = {a.path: a for a in analysis.articles}
    out = {b: disputes.statements(by_path[f"body-{b}.txt"]) for b in ids if f"body-{b}.txt" in by_path}
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(out, fh)
    return out


def prf(gold: np.ndarray, pred: np.ndarray) -> str:
    tp = int((gold & pred).sum())
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(gold.sum()), 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (flagged {int(pred.sum())}, gold {int(gold.sum())})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "fnc1")
    ap.add_argument("--split", choices=("dev", "train"), default="dev")
    ap.add_argument("--cache", type=Path, default=None, help="a pickle to keep the bodies' analysis in")
    ap.add_argument("--sweep", action="store_true", help="figures at other similarity thresholds")
    ap.add_argument("--stance-oof", type=Path, default=None,
                    help="with --split train: out-of-fold stance probabilities (training/train_stance.py "
                         "--oof), instead of the shipped model's in-sample ones")  # fmt: skip
    a = ap.parse_args()
    if not (a.data / "stances.csv").exists():
        print(f"no FNC-1 data in {a.data}; skipped")
        return
    t0 = time.time()
    bodies, every = read(a.data, a.split)
    said = body_statements(bodies, a.cache)
    keep = [k for k, p in enumerate(every) if p[2] != "unrelated" and p[1] in said]
    pairs = [every[k] for k in keep]
    scorer, embedder = default_scorer(), get_embedder()
    profiles = {b: scorer.profile(bodies[b]) for b in {p[1] for p in pairs}}
    if a.stance_oof is not None:
        with np.load(a.stance_oof) as z:
            proba = z["proba"][keep]
    else:
        X = np.asarray([scorer.features(h, profiles[b]) for h, b, _ in pairs], dtype=np.float64)
        proba = scorer.predict_proba(X)
    stance_says = proba.argmax(axis=1) == LABELS.index("disagree")
    gold = np.array([s == "disagree" for _, _, s in pairs])
    # the best similarity of a disputing sentence of the body to the headline (-1: none refutes),
    # by the product's own `disputes.closest`
    best = np.full(len(pairs), -1.0)
    for k, (headline, body, _) in enumerate(pairs):
        pieces = [w for s in said[body] if (w := disputes.disputed_words(s.text))]
        if stance_says[k] and pieces:
            texts = list(dict.fromkeys([headline, *pieces]))
            vectors = dict(zip(texts, embedder.encode(texts), strict=True))
            best[k] = disputes.closest(headline, pieces, vectors)[1]
    source = "out-of-fold" if a.stance_oof is not None else "shipped model"
    print(f"FNC-1 {a.split}: {len(pairs)} related pairs, {len(profiles)} bodies, stance from the {source}; "
          f"{time.time() - t0:.0f}s")  # fmt: skip
    print(f"stance model alone ('disagree'):        {prf(gold, stance_says)}")
    print(f"storydiff disputed (similarity >= {disputes.MIN_SIMILARITY}): "
          f"{prf(gold, best >= disputes.MIN_SIMILARITY)}")  # fmt: skip
    if a.sweep:
        for t in (0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
            print(f"  at {t:.2f}: {prf(gold, best >= t)}")


if __name__ == "__main__":
    main()
