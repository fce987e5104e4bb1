"""How story linking scales: time `StoryIndex` on 1k and 10k generated articles.

    .venv/bin/python benchmarks/linking_scale.py [--sizes 1000 10000]

Articles are generated from fictional events (each with its own names and topic words, written up
by several outlets over a few days, in a vocabulary shared by all). The target is a growth ratio of
at most 12x for 10x the articles: blocking keeps each `add` near constant cost. Alongside, a naive
all-pairs baseline (the same similarity against every earlier article) is timed on the smaller
sizes so the difference shows.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydiff.link.stories import StoryIndex, _Doc, _profile  # noqa: E402
from storydiff.model import Article, OffsetMap  # noqa: E402

SYLLABLES = [
    "ka",
    "lo",
    "ren",
    "vi",
    "sta",
    "mor",
    "dan",
    "el",
    "ri",
    "tess",
    "bre",
    "hol",
    "mak",
    "zu",
    "an",
    "or",
    "pe",
    "li",
    "sa",
    "to",
]


def _word(rng: random.Random, n: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


def generate(n: int, seed: int = 1) -> tuple[list[Article], list[int]]:
    """`n` articles about `n // 5` events; returns them with each one's gold event."""
    rng = random.Random(seed)
    common = [_word(rng, 2) for _ in range(3000)]
    events = []
    start = datetime(2031, 1, 1)
    for e in range(max(n // 5, 1)):
        names = [f"{_word(rng).capitalize()} {_word(rng).capitalize()}" for _ in range(3)]
        topic = [_word(rng, 3) for _ in range(25)]
        events.append((names, topic, start + timedelta(hours=e * 3)))
    articles, gold = [], []
    for i in range(n):
        e = rng.randrange(len(events))
        names, topic, when = events[e]
        sentences = []
        for _ in range(12):
            words = rng.sample(common, 9) + rng.sample(topic, 4)
            rng.shuffle(words)
            sentences.append(f"{rng.choice(names)} said " + " ".join(words) + ".")
        text = " ".join(sentences)
        published = when + timedelta(hours=rng.randrange(48))
        articles.append(
            Article(
                id=f"g{i}",
                raw=text,
                text=text,
                offsets=OffsetMap.identity(len(text)),
                outlet=f"outlet{i % 40}",
                published=published,
            )
        )
        gold.append(e)
    return articles, gold


def purity(index: StoryIndex, articles: list[Article], gold: list[int]) -> float:
    by_story: dict[str, list[int]] = {}
    for a, g in zip(articles, gold, strict=True):
        by_story.setdefault(index.story_of(a.id), []).append(g)
    return sum(max(gs.count(x) for x in set(gs)) for gs in by_story.values()) / len(articles)


def time_index(articles: list[Article]) -> tuple[float, StoryIndex]:
    index = StoryIndex()
    t0 = time.perf_counter()
    for a in articles:
        index.add(a)
    return time.perf_counter() - t0, index


def time_all_pairs(articles: list[Article]) -> float:
    index = StoryIndex()  # only for its similarity and document frequencies
    t0 = time.perf_counter()
    seen: list[_Doc] = []
    for a in articles:
        tf, names = _profile(a)
        index._count(tf)
        for other in seen:
            index.similarity(tf, names, other)
        seen.append(_Doc(a.id, "", tf, frozenset(), names, a.published, len(seen)))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--baseline-max", type=int, default=300, help="largest size for the all-pairs baseline")
    a = ap.parse_args()
    results = []
    for n in a.sizes:
        articles, gold = generate(n)
        seconds, index = time_index(articles)
        results.append((n, seconds))
        line = (
            f"{n:>6} articles: {seconds:7.2f}s ({1000 * seconds / n:.2f} ms/article), "
            f"{len(index.stories)} stories for {len(set(gold))} events, "
            f"purity {purity(index, articles, gold):.3f}"
        )
        if n <= a.baseline_max or n == min(a.sizes):
            baseline_n = min(n, a.baseline_max)
            line += f"; all-pairs baseline on {baseline_n}: {time_all_pairs(articles[:baseline_n]):.2f}s"
        print(line)
    for (n1, t1), (n2, t2) in zip(results, results[1:], strict=False):
        print(f"growth ratio {n2 // n1}x articles -> {t2 / t1:.1f}x time (target <= {1.2 * n2 / n1:.0f}x)")


if __name__ == "__main__":
    main()
