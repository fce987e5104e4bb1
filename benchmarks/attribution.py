#!/usr/bin/env python3
"""Who said what, measured on PolNeAR: storydiff's quotes against textacy, in the same run.

usage: benchmarks/attribution.py [--data DIR] [--docbin FILE] [--folds K] [--limit N] [--no-textacy]
                                 [--json-out FILE]

DIR is one PolNeAR compartment (text/ and attributions/; default ../shared/data/polnear/dev from
the repository root). Every article is read and cleaned as `storydiff analyze` does, parsed once
with storydiff's spaCy pipeline, and run through the entity and quote extractors.

Scoring (the rule of shared/tools/score_polnear.py, written out here): a gold attribution is
found by the unused prediction whose words overlap its Content best, if that overlap is at least
0.5 — token Jaccard, or 1.0 when the shorter side is at least half as long as the longer and 80 %
contained in it. A prediction whose words are part of a longer prediction's is not counted
separately. The speaker is right when the predicted mention or name shares a content word with
the gold Source. 'direct' = gold Contents that contain a quotation mark.

The ceiling: where several people annotated an article, each is scored against each other one
under the same rule, and storydiff against each of them on those articles.

`--folds K` also scores each of K folds of the articles (every K-th of a fixed shuffle, as the
training scripts split PolNeAR train by article) and their spread: a rule goes in when it helps on
most folds of train, not when it helps on dev. `--docbin FILE` reuses (or saves) the parse.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from storydiff.model import Article, Quote

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "dev"
TRAIN_DATA = ROOT.parent / "shared" / "data" / "polnear" / "train"

# Words too common to identify a speaker.
STOPWORDS = frozenset(
    {"the", "a", "an", "of", "and", "to", "in", "for", "on", "at", "by", "with"}
    | {"his", "her", "its", "their", "said", "says", "told", "mr", "mrs", "ms", "dr"}
)
QUOTE_MARKS = '\u201c\u201d"'
_TOKEN = re.compile(r"[a-z0-9]+")

Prediction = tuple[str, list[str | None]]  # quote text, [speaker mention, speaker name]


def tokens(text: str | None) -> list[str]:
    return _TOKEN.findall((text or "").lower().replace("\u2019", "'"))


def overlap(gold: str, pred: str) -> float:
    """Token overlap of two texts: 1.0 for near-containment of similar lengths, else Jaccard."""
    a, b = Counter(tokens(gold)), Counter(tokens(pred))
    if not a or not b:
        return 0.0
    shared = sum((a & b).values())
    na, nb = sum(a.values()), sum(b.values())
    short, long_ = min(na, nb), max(na, nb)
    if shared / short >= 0.8 and short >= 0.5 * long_:
        return 1.0
    return shared / sum((a | b).values())


def speaker_matches(gold_source: str, names: Iterable[str | None]) -> bool:
    wanted = {t for t in tokens(gold_source) if t not in STOPWORDS}
    if not wanted:
        return False
    return any(wanted & {t for t in tokens(n) if t not in STOPWORDS} for n in names if n)


def without_nested(preds: list[Prediction]) -> list[Prediction]:
    """Drop a prediction whose words are a stretch of a longer prediction's words."""
    keys = [" ".join(tokens(text)) for text, _ in preds]
    return [
        p
        for i, p in enumerate(preds)
        if not any(
            j != i and keys[i] and len(keys[j]) > len(keys[i]) and keys[i] in keys[j]
            for j in range(len(keys))
        )
    ]


@dataclass
class Gold:
    content: str
    source: str


def load_annotations(data: Path) -> dict[str, dict[str, list[Gold]]]:
    """Article stem -> annotator -> that annotator's attributions, annotators in file order."""
    out: dict[str, dict[str, list[Gold]]] = {}
    for ann in sorted((data / "attributions").glob("*.ann")):
        stem, _, annotator = ann.stem.rpartition("_")
        spans: dict[str, str] = {}
        relations: list[dict[str, str]] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 3:
                spans[parts[0]] = parts[2]
            elif line.startswith("E") and len(parts) >= 2:
                relations.append(dict(x.split(":", 1) for x in parts[1].split(" ") if ":" in x))
        items = []
        for rel in relations:
            content = spans.get(rel.get("Content", ""), "")
            if content:
                items.append(Gold(content, spans.get(rel.get("Source", ""), "")))
        out.setdefault(stem, {})[annotator] = items
    return out


def first_annotator(annotations: dict[str, dict[str, list[Gold]]]) -> dict[str, list[Gold]]:
    """Article stem -> the first annotator's attributions: the gold where there are several."""
    return {stem: next(iter(by.values())) for stem, by in annotations.items()}


def load_gold(data: Path) -> dict[str, list[Gold]]:
    """Article stem -> its attributions (the first annotator's file where there are several)."""
    return first_annotator(load_annotations(data))


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    speaker_right: int = 0
    predicted: int = 0
    direct_gold: int = 0
    direct_found: int = 0
    direct_speaker_right: int = 0
    matched: dict[str, dict[int, int]] = field(default_factory=dict)  # stem -> pred index -> gold index

    @property
    def precision(self) -> float:
        return self.found / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def direct_recall(self) -> float:
        return self.direct_found / self.direct_gold if self.direct_gold else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.found if self.found else 0.0


def score(gold: dict[str, list[Gold]], predictions: dict[str, list[Prediction]]) -> Score:
    """Greedy one-to-one matching, gold attributions in file order (see the module docstring)."""
    s = Score()
    for stem, items in gold.items():
        preds = predictions.get(stem, [])
        taken: dict[int, int] = {}
        for g_index, g in enumerate(items):
            best, best_i = 0.0, -1
            for i, (text, _) in enumerate(preds):
                if i in taken:
                    continue
                o = overlap(g.content, text)
                if o > best:
                    best, best_i = o, i
            direct = any(c in g.content for c in QUOTE_MARKS)
            s.gold += 1
            s.direct_gold += direct
            if best >= 0.5:
                taken[best_i] = g_index
                right = speaker_matches(g.source, preds[best_i][1])
                s.found += 1
                s.speaker_right += right
                s.direct_found += direct
                s.direct_speaker_right += direct and right
        s.predicted += len(preds)
        s.matched[stem] = taken
    return s


def figures(name: str, s: Score) -> str:
    return (
        f"{name:10s} all: P={s.precision:.3f} R={s.recall:.3f} F1={s.f1:.3f}  "
        f"direct R={s.direct_recall:.3f}  speaker acc={s.speaker_accuracy:.3f}  "
        f"(gold {s.gold}, direct {s.direct_gold}, predicted {s.predicted})"
    )


def intervals(
    gold: dict[str, list[Gold]], predictions: dict[str, list[Prediction]], draws: int = 2000, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """95 % intervals of F1, direct recall and speaker accuracy, by resampling whole articles
    (a bootstrap): how far the figures could move on another sample of articles like these."""
    counts = []
    for stem in gold:
        s = score({stem: gold[stem]}, {stem: predictions.get(stem, [])})
        counts.append((s.gold, s.found, s.predicted, s.direct_gold, s.direct_found, s.speaker_right))
    if not counts:
        return {}
    c = np.array(counts, dtype=np.float64)
    rng = np.random.default_rng(seed)
    t = c[rng.integers(0, len(c), size=(draws, len(c)))].sum(axis=1)  # (draws, 6) totals
    g, found, pred, dg, df, right = t.T
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.nan_to_num(2 * found / (g + pred))  # = 2PR / (P + R)
        direct = np.nan_to_num(df / dg)
        speaker = np.nan_to_num(right / found)
    return {
        name: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
        for name, v in (("F1", f1), ("direct R", direct), ("speaker acc", speaker))
    }


def agreement(
    annotations: dict[str, dict[str, list[Gold]]], predictions: dict[str, list[Prediction]]
) -> tuple[Score, Score, int]:
    """The ceiling: on articles several people annotated, each annotator scored as a prediction
    against each other one (all ordered pairs, pooled), and `predictions` against each of them;
    also the number of such articles."""
    human, ours, n = Score(), Score(), 0
    for stem, by in annotations.items():
        if len(by) < 2 or stem not in predictions:
            continue
        n += 1
        as_predicted = {b: without_nested([(g.content, [g.source]) for g in it]) for b, it in by.items()}
        for a, gold in by.items():
            _add(ours, score({stem: gold}, {stem: predictions[stem]}))
            for b, theirs in as_predicted.items():
                if b != a:
                    _add(human, score({stem: gold}, {stem: theirs}))
    return human, ours, n


def _add(total: Score, s: Score) -> None:
    for f in fields(Score):
        if f.name != "matched":  # the counts
            setattr(total, f.name, getattr(total, f.name) + getattr(s, f.name))


# --- running storydiff ---------------------------------------------------------------------------


def held_out(n: int, fold: int, folds: int = 5) -> set[int]:
    """The articles left out in fold `fold` of `folds`: every `folds`-th of a fixed shuffle."""
    return set(np.random.RandomState(0).permutation(n)[fold::folds].tolist())


def fold_scores(
    gold: dict[str, list[Gold]], predictions: dict[str, list[Prediction]], folds: int
) -> list[Score]:
    """The score of each fold of the articles (`held_out`), in fold order."""
    stems = list(gold)
    out = []
    for k in range(folds):
        part = [stems[i] for i in sorted(held_out(len(stems), k, folds))]
        out.append(score({s: gold[s] for s in part}, {s: predictions.get(s, []) for s in part}))
    return out


def fold_figures(name: str, scores: list[Score]) -> str:
    """Per-fold F1 / direct recall / speaker accuracy, and their mean and spread."""
    rows = np.array([(s.f1, s.direct_recall, s.speaker_accuracy, s.precision) for s in scores])
    per = " ".join(f"{f:.3f}" for f in rows[:, 0])
    mean, sd = rows.mean(axis=0), rows.std(axis=0)
    return (
        f"{name:10s} folds F1 {per} | mean F1={mean[0]:.3f}±{sd[0]:.3f} P={mean[3]:.3f} "
        f"direct R={mean[1]:.3f}±{sd[1]:.3f} speaker acc={mean[2]:.3f}±{sd[2]:.3f}"
    )


def training_parser(doc: str) -> argparse.ArgumentParser:
    """Options of every script that learns from PolNeAR train: `--data` (train by default) and
    `--docbin` (a saved parse); the script adds its own."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=TRAIN_DATA)
    ap.add_argument("--docbin", type=Path, default=None, help="reuse (or save) the parse of --data here")
    return ap


def parsed_articles(data: Path, docbin: Path | None = None) -> tuple[list[Article], list[Doc]]:
    """The articles of a PolNeAR compartment, read and cleaned, and their spaCy parses; with
    `docbin`, the parses are read from that file when it exists, else saved there."""
    from spacy.tokens import DocBin

    from storydiff import nlp

    articles = read_articles(sorted((data / "text").glob("*.txt")))
    pipeline = nlp.load()
    # a DocBin keeps no context vectors (`doc.tensor`, which the tagger reads): they go beside it
    tensors = docbin.with_suffix(".tensors.npz") if docbin else None
    if docbin and docbin.exists() and tensors and tensors.exists():
        docs = list(DocBin().from_disk(docbin).get_docs(pipeline.vocab))
        with np.load(tensors) as z:
            for n, doc in enumerate(docs):
                doc.tensor = z[f"d{n}"]
        return articles, docs
    docs = list(pipeline.pipe((a.text for a in articles), batch_size=nlp.BATCH_SIZE))
    if docbin and tensors:
        DocBin(docs=docs).to_disk(docbin)
        np.savez(tensors, **{f"d{n}": doc.tensor for n, doc in enumerate(docs)})  # type: ignore[arg-type]
    return articles, docs


def read_articles(paths: Sequence[Path]) -> list[Article]:
    """Articles as `storydiff analyze` makes them: read and cleaned (identity articles if unavailable)."""
    from storydiff.model import Article, OffsetMap, article_id

    try:
        from storydiff.clean import clean
        from storydiff.ingest import read_inputs
        from storydiff.model import RawDocument
    except ImportError:  # reading and cleaning not there yet: analyse the files as they are
        out: list[Article] = []
        for p in paths:
            text = p.read_text(encoding="utf-8")
            out.append(
                Article(article_id(str(p), text), text, text, OffsetMap.identity(len(text)), path=str(p))
            )
        return out
    articles: list[Article] = []
    for item in read_inputs([str(p) for p in paths]):
        if isinstance(item, RawDocument):
            article = clean(item)
            if article.text.strip():
                articles.append(article)
    return articles


def run_storydiff(
    articles: list[Article], docs: list[Doc], learned: bool = True
) -> tuple[list[list[Quote]], float]:
    """Every article's quotes, and the seconds taken; `learned=False` leaves out the learned
    second look at each quote's extent (`rescore.py`) and the tagger's extents and extra contents
    (`tagger.py`): the rules' quotes as they are."""
    from storydiff.extract.entities import extract_mentions
    from storydiff.extract.quotes import extract_quotes, find_quotes

    out: list[list[Quote]] = []
    start = time.perf_counter()
    for article, doc in zip(articles, docs, strict=True):
        mentions = extract_mentions(article, doc)
        if learned:
            out.append(extract_quotes(article, doc, mentions))
        else:
            out.append([q for q, _ in find_quotes(article, doc, mentions)])
    return out, time.perf_counter() - start


def as_predictions(stems: list[str], quotes: list[list[Quote]]) -> dict[str, list[Prediction]]:
    """Article stem -> its quotes as scored: text and speaker strings, nested ones left out."""
    out: dict[str, list[Prediction]] = {}
    for stem, found in zip(stems, quotes, strict=True):
        preds: list[Prediction] = [(q.text, [q.speaker.mention_text, q.speaker.name]) for q in found]
        out[stem] = without_nested(preds)
    return out


def run_textacy(docs: list[Doc]) -> tuple[list[list[Prediction]], int]:
    from textacy.extract.triples import direct_quotations

    out: list[list[Prediction]] = []
    failed = 0
    for doc in docs:
        preds: list[Prediction] = []
        try:
            for dq in direct_quotations(doc):
                preds.append((" ".join(t.text for t in dq.content), [" ".join(t.text for t in dq.speaker)]))
        except Exception:  # textacy gives up on articles with an odd number of quote marks
            failed += 1
        out.append(preds)
    return out, failed


def report(articles: list[Article], quotes: list[list[Quote]]) -> dict[str, object]:
    """A storydiff/report@1 object holding just the articles and their quotes."""
    arts, qs = [], []
    for a, found in zip(articles, quotes, strict=True):
        arts.append({"id": a.id, "path": a.path, "outlet": a.outlet, "title": a.title, "text": a.text})
        for q in found:
            sp = q.speaker
            mention = None
            if sp.mention is not None:
                mention = {"text": sp.mention_text, "start": sp.mention.start, "end": sp.mention.end}
            qs.append(
                {
                    "id": q.id,
                    "article": q.article,
                    "text": q.text,
                    "start": q.span.start,
                    "end": q.span.end,
                    "kind": q.kind,
                    "speaker": {"name": sp.name, "entity": sp.entity, "how": sp.how, "mention": mention},
                    "cue": q.cue,
                }
            )
    return {
        "schema": "storydiff/report@1",
        "articles": arts,
        "entities": [],
        "quotes": qs,
        "stories": [],
        "quote_links": [],
        "claims": [],
        "alignments": [],
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--data", type=Path, default=DEFAULT_DATA, help="a PolNeAR compartment (text/, attributions/)"
    )
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles")
    ap.add_argument("--docbin", type=Path, default=None, help="reuse (or save) the parse of --data here")
    ap.add_argument("--folds", type=int, default=0, help="also score K folds of the articles")
    ap.add_argument("--no-textacy", action="store_true", help="skip the textacy baseline")
    ap.add_argument("--json-out", type=Path, default=None, help="write a storydiff/report@1 file")
    args = ap.parse_args(argv)
    if not (args.data / "text").is_dir():
        print(f"no PolNeAR text/ folder under {args.data}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from storydiff import nlp

    annotations = load_annotations(args.data)
    gold = first_annotator(annotations)
    start = time.perf_counter()
    if args.docbin is not None:
        articles, docs = parsed_articles(args.data, args.docbin)
        articles, docs = articles[: args.limit], docs[: args.limit]
    else:
        articles = read_articles(sorted((args.data / "text").glob("*.txt"))[: args.limit])
        docs = list(nlp.load().pipe([a.text for a in articles], batch_size=nlp.BATCH_SIZE))
    spacy_s = time.perf_counter() - start  # (reading a saved parse, with --docbin)
    quotes, quotes_s = run_storydiff(articles, docs)

    stems = [Path(a.path or a.id).stem for a in articles]
    gold = {s: gold.get(s, []) for s in stems}
    ours = as_predictions(stems, quotes)
    print(
        f"PolNeAR {args.data} : {len(articles)} articles, {sum(len(v) for v in gold.values())} attributions"
    )
    print(figures("storydiff", score(gold, ours)))
    spread = intervals(gold, ours)
    print(
        "  95% interval over articles (bootstrap): "
        + ", ".join(f"{name} {lo:.3f}-{hi:.3f}" for name, (lo, hi) in spread.items())
    )
    if args.folds:
        print(fold_figures("storydiff", fold_scores(gold, ours, args.folds)))
    rules, _ = run_storydiff(articles, docs, learned=False)
    without = score(gold, as_predictions(stems, rules))
    print(figures("rules only", without) + "  (without the learned rescorer and tagger)")
    if not args.no_textacy:
        try:
            theirs, failed = run_textacy(docs)
        except ImportError:
            print("textacy      not installed: pip install textacy==0.13.0")
        else:
            textacy = dict(zip(stems, theirs, strict=True))
            print(figures("textacy", score(gold, textacy)) + f"  gave up on {failed}")
            if args.folds:
                print(fold_figures("textacy", fold_scores(gold, textacy, args.folds)))
    ratio = quotes_s / spacy_s if spacy_s else 0.0
    human, mine, n = agreement(annotations, ours)
    if n:
        print(f"ceiling: the {n} articles with several annotators, each annotator against each other one")
        print(figures("annotators", human))
        print(figures("storydiff", mine) + "  (against each annotator, same articles)")
    print(f"time: spaCy {spacy_s:.2f}s, entities+quotes+speakers {quotes_s:.2f}s, ratio {ratio:.3f}")
    if args.json_out:
        args.json_out.write_text(json.dumps(report(articles, quotes), ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.json_out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
