"""Story corpora for the story benchmarks and training: FNC-1 (gold stories: connected components
of the headline-body 'related' graph, the rule of `../shared/tools/score_stories.py`) and event
corpora built like ../shared/data/ecbplus (gold stories: the subtopics, the rule of
`../shared/tools/score_events.py`), analysed once by storydiff's per-article pipeline and cached.

    .venv/bin/python benchmarks/storydata.py --data ../shared/data --cache /tmp/me/stories

prefills the caches (one pickle per corpus part) so the benchmark and training read them.
"""

from __future__ import annotations

import argparse
import collections
import csv
import json
import pickle
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import comb
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydiff.model import Article, RawDocument  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data"


@dataclass
class Corpus:
    """Analysed articles in input order, each one's gold story and its group for folds (FNC-1:
    the story; ECB+: the topic, so that both events of one kind fall in one fold)."""

    name: str
    articles: list[Article]
    gold: dict[str, str]  # article id -> gold story
    group: dict[str, str]  # article id -> fold group
    texts: dict[str, str]  # article id -> input text (what the batch baseline reads)


def fnc1_gold(folder: Path, part: str = "") -> tuple[dict[str, str], dict[str, str]]:
    """`score_stories.py`'s gold: body id -> story (a union-find root), and body id -> text, for
    the bodies in a related pair (`part` "" for the dev half, "train_" for the training set)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    with open(folder / f"{part}stances.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Stance"] != "unrelated":
                parent[find("h:" + row["Headline"])] = find("b:" + row["Body ID"])
    with open(folder / f"{part}bodies.csv", encoding="utf-8") as fh:
        bodies = {r["Body ID"]: r["articleBody"] for r in csv.DictReader(fh)}
    label = {x[2:]: find(x) for x in list(parent) if x.startswith("b:")}
    return {b: label[b] for b in bodies if b in label}, bodies


def fnc1_documents(folder: Path, part: str = "") -> tuple[list[RawDocument], dict[str, str]]:
    """The bodies as `score_stories.py --jsonl` writes them (sorted by id, url naming the body)."""
    gold, bodies = fnc1_gold(folder, part)
    docs = []
    for i, body in enumerate(sorted(gold, key=int)):
        docs.append(
            RawDocument(
                text=bodies[body],
                path=f"fnc1{part or '_dev_'}.jsonl",
                line=i + 1,
                url=f"https://fnc1.example/{body}",
                outlet=f"fnc1-{body}",
            )
        )
    return docs, gold


def _analysed(docs: Sequence[RawDocument], cache: Path | None) -> list[Article]:
    if cache is not None and cache.exists():
        with open(cache, "rb") as fh:
            cached: list[Article] = pickle.load(fh)
            return cached
    from storydiff.pipeline import run_documents

    articles = run_documents(docs, linked=False).articles
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with open(cache, "wb") as fh:
            pickle.dump(articles, fh)
    return articles


def fnc1(folder: Path, part: str = "", cache_dir: Path | None = None) -> Corpus:
    docs, gold = fnc1_documents(folder, part)
    cache = cache_dir / f"fnc1{part or '_dev_'}articles.pkl" if cache_dir else None
    articles = _analysed(docs, cache)
    body_of = {a.id: (a.url or "").rsplit("/", 1)[-1] for a in articles}
    text_of = {d.url: d.text for d in docs}
    return Corpus(
        name="FNC-1 " + ("train" if part else "dev half"),
        articles=articles,
        gold={a.id: gold[body_of[a.id]] for a in articles},
        group={a.id: gold[body_of[a.id]] for a in articles},
        texts={a.id: text_of[a.url or ""] for a in articles},
    )


def events(folder: Path, cache_dir: Path | None = None) -> Corpus:
    """An event corpus (docs.jsonl + gold.json) read as `storydiff analyze docs.jsonl` reads it."""
    from storydiff.ingest import read_inputs

    with open(folder / "gold.json", encoding="utf-8") as fh:
        gold = json.load(fh)
    with open(folder / "docs.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    cache = cache_dir / f"{folder.name}_articles.pkl" if cache_dir else None
    docs = [d for d in read_inputs([str(folder / "docs.jsonl")]) if isinstance(d, RawDocument)]
    articles = _analysed(docs, cache)
    doc_of_url = {r["url"]: r["id"] for r in rows}
    text_of = {r["id"]: r["text"] for r in rows}
    doc_of = {a.id: doc_of_url[a.url or ""] for a in articles}
    return Corpus(
        name=folder.name,
        articles=articles,
        gold={a.id: str(gold[doc_of[a.id]]["subtopic"]) for a in articles},
        group={a.id: str(gold[doc_of[a.id]]["subtopic"]).split("-")[0] for a in articles},
        texts={a.id: text_of[doc_of[a.id]] for a in articles},
    )


# --- scores: the reference scorers' rules (B-cubed over items, ARI), rewritten here ---
def bcubed(gold_of: Mapping[str, Any], pred_of: Mapping[str, Any]) -> tuple[float, float, float]:
    items = list(gold_of)
    g: dict[Any, set[str]] = collections.defaultdict(set)
    p: dict[Any, set[str]] = collections.defaultdict(set)
    for i in items:
        g[gold_of[i]].add(i)
        p[pred_of[i]].add(i)
    precision = sum(len(g[gold_of[i]] & p[pred_of[i]]) / len(p[pred_of[i]]) for i in items) / len(items)
    recall = sum(len(g[gold_of[i]] & p[pred_of[i]]) / len(g[gold_of[i]]) for i in items) / len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def ari(gold_of: Mapping[str, Any], pred_of: Mapping[str, Any]) -> float:
    items = list(gold_of)
    cont = collections.Counter((gold_of[i], pred_of[i]) for i in items)
    a = collections.Counter(gold_of[i] for i in items)
    b = collections.Counter(pred_of[i] for i in items)
    s = sum(comb(v, 2) for v in cont.values())
    sa = sum(comb(v, 2) for v in a.values())
    sb = sum(comb(v, 2) for v in b.values())
    expected = sa * sb / comb(len(items), 2)
    denominator = (sa + sb) / 2 - expected
    return (s - expected) / denominator if denominator else 1.0


def batch_tfidf(texts: Sequence[str], threshold: float, min_df: int) -> list[int]:
    """The reference scorers' batch baseline: TF-IDF cosine, average linkage, one cut."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=min_df).fit_transform(texts).toarray()
    clustering = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return [int(v) for v in clustering.fit_predict(x)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, required=True)
    a = ap.parse_args()
    for corpus in (
        events(a.data / "ecbplus", a.cache),
        fnc1(a.data / "fnc1", "train_", a.cache),
        fnc1(a.data / "fnc1", "", a.cache),
    ):
        print(f"{corpus.name}: {len(corpus.articles)} articles, {len(set(corpus.gold.values()))} stories")


if __name__ == "__main__":
    main()
