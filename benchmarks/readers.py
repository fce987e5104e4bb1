#!/usr/bin/env python3
"""What a reader is shown, measured on PolNeAR: the precision of the quotes the report shows.

usage: benchmarks/readers.py [--data DIR] [--docbin FILE] [--threshold T] [--folds K]

The report and the app show a quote when its confidence (`storydiff.extract.confidence`) is at
least the shipped threshold (chosen by cross-validation on PolNeAR train; `--threshold` to try
another). Every article of DIR (default ../shared/data/polnear/dev) is read, cleaned, parsed
(`--docbin FILE` reuses or saves the parse) and its quotes found as `storydiff analyze` finds
them. All quotes (the JSON report, the baseline of the same run) and the shown ones are scored
under the rule of `attribution.py` (shared/tools/score_polnear.py): P/R/F1, direct recall,
speaker accuracy. Then the precision of each set, two ways, overall and by kind:

- someone's words: a quote is right when it finds a gold attribution, or when at least half of
  its letters lie inside what the annotator marked as said (any Content). This is what "nothing
  shown that nobody said" asks: a quote that is a stretch of a longer attribution, or splits one,
  is a boundary error, which F1 counts, not words nobody said.
- the benchmark rule: a quote is right when it finds a gold attribution (one to one, overlap at
  least 0.5). Between two annotators of the same PolNeAR articles this precision is .818; on train
  folds it reaches .90 only with about half of the quotes hidden, direct recall down to .78.

On train, the shipped model was fitted on these articles: use `train_confidence.py` for the
out-of-fold figures.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storydiff.model import Article, Quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution import (  # noqa: E402
    DEFAULT_DATA,
    ROOT,
    Gold,
    as_predictions,
    figures,
    fold_figures,
    fold_scores,
    load_gold,
    parsed_articles,
    run_storydiff,
    score,
    tokens,
)

# a shown quote is someone's words when at least this share of its letters lie in what annotators
# marked as said (any attribution's Content); less, and a reader is shown words nobody said
SAID = 0.5

Segments = list[tuple[int, int]]  # raw character ranges of one annotated Content


def contents(data: Path) -> dict[str, list[Segments]]:
    """Article stem -> where its attributions' Contents lie in the raw text, from the same
    annotator's file as `attribution.load_gold` (the first one, in file order)."""
    out: dict[str, list[Segments]] = {}
    for ann in sorted((data / "attributions").glob("*.ann")):
        stem = ann.stem.rpartition("_")[0]
        if stem in out:
            continue
        found: list[Segments] = []
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) >= 3 and parts[1].startswith("Content "):
                ranges = parts[1].removeprefix("Content ").split(";")
                found.append([(int(a), int(b)) for a, b in (r.split() for r in ranges)])
        out[stem] = found
    return out


def said_share(article: Article, quote: Quote, segments: list[Segments]) -> float:
    """The share of the quote's letters (not spaces) that lie in an annotated Content."""
    span = article.raw_span(quote.span)
    inside = bytearray(span.end - span.start)
    for ranges in segments:
        for a, b in ranges:
            for k in range(max(a, span.start), min(b, span.end)):
                inside[k - span.start] = 1
    letters = [k for k in range(span.start, span.end) if not article.raw[k].isspace()]
    return sum(inside[k - span.start] for k in letters) / max(1, len(letters))


def unnested(quotes: Sequence[Quote]) -> list[int]:
    """Indices of the quotes the benchmark scores: not a stretch of a longer quote's words
    (`attribution.without_nested`)."""
    keys = [" ".join(tokens(q.text)) for q in quotes]
    return [
        i
        for i in range(len(keys))
        if not any(
            j != i and keys[i] and len(keys[j]) > len(keys[i]) and keys[i] in keys[j]
            for j in range(len(keys))
        )
    ]


@dataclass
class Judged:
    """The scored quotes of one article, each with whether it finds a gold attribution (the
    benchmark's rule) and whether it is someone's words (that, or `SAID` of it annotated as said)."""

    quotes: list[Quote]
    found: list[bool]
    said: list[bool]
    gold: list[int | None]  # the index of the gold attribution each one finds


def judge(article: Article, found: Sequence[Quote], gold: list[Gold], segments: list[Segments]) -> Judged:
    scored = [found[i] for i in unnested(found)]
    preds = [(q.text, [q.speaker.mention_text, q.speaker.name]) for q in scored]
    stem = "article"
    matched = score({stem: gold}, {stem: preds}).matched[stem]
    hits = [i in matched for i in range(len(scored))]
    said = [h or said_share(article, q, segments) >= SAID for h, q in zip(hits, scored, strict=True)]
    return Judged(scored, hits, said, [matched.get(i) for i in range(len(scored))])


def precisions(judged: Sequence[Judged]) -> str:
    """Precision under both readings, overall and by kind."""
    out = []
    for kind in (None, "direct", "partial", "indirect"):
        pairs = [
            (f, s)
            for j in judged
            for q, f, s in zip(j.quotes, j.found, j.said, strict=True)
            if kind is None or q.kind == kind
        ]
        if pairs:
            n = len(pairs)
            found, said = sum(f for f, _ in pairs) / n, sum(s for _, s in pairs) / n
            out.append(f"{kind or 'all'} {said:.3f}/{found:.3f} (n={n})")
    return "precision someone's words/benchmark rule: " + ", ".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a PolNeAR compartment")
    ap.add_argument("--docbin", type=Path, default=None, help="reuse (or save) the parse of --data here")
    ap.add_argument("--threshold", type=float, default=None, help="show quotes at or above this confidence")
    ap.add_argument("--folds", type=int, default=0, help="also score K folds of the articles")
    args = ap.parse_args(argv)
    if not (args.data / "text").is_dir():
        print(f"no PolNeAR text/ folder under {args.data}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT / "src"))
    from storydiff.extract.confidence import default_threshold, shown

    threshold = default_threshold() if args.threshold is None else args.threshold
    articles, docs = parsed_articles(args.data, args.docbin)
    quotes, _ = run_storydiff(articles, docs)
    stems = [Path(a.path or a.id).stem for a in articles]
    gold = load_gold(args.data)
    gold = {s: gold.get(s, []) for s in stems}
    where = contents(args.data)
    visible = [[q for q in found if shown(q, threshold)] for found in quotes]
    every, seen = as_predictions(stems, quotes), as_predictions(stems, visible)
    total, kept = sum(map(len, quotes)), sum(map(len, visible))
    print(f"PolNeAR {args.data} : {len(articles)} articles, threshold {threshold:.2f}")
    for name, sets, preds, note in (
        ("all", quotes, every, "  (the JSON report)"),
        ("shown", visible, seen, f"  ({kept} of {total} quotes shown, {kept / max(1, total):.1%})"),
    ):
        print(figures(name, score(gold, preds)) + note)
        judged = [
            judge(a, found, gold[s], where.get(s, []))
            for a, s, found in zip(articles, stems, sets, strict=True)
        ]
        print(f"{'':10s} {precisions(judged)}")
        if args.folds:
            print(fold_figures(name, fold_scores(gold, preds, args.folds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
