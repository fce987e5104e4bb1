#!/usr/bin/env python3
"""What a reader is shown, measured on PolNeAR: the precision of the quotes the report shows.

usage: benchmarks/readers.py [--data DIR] [--docbin FILE] [--threshold T] [--folds K]

The report and the app show a quote when its confidence (`storydiff.extract.confidence`) is at
least the shipped threshold (chosen by cross-validation on PolNeAR train; `--threshold` to try
another). Every article of DIR (default ../shared/data/polnear/dev) is read, cleaned, parsed
(`--docbin FILE` reuses or saves the parse) and its quotes found as `storydiff analyze` finds
them; the shown quotes are scored under the rule of `attribution.py` (shared/tools/score_polnear.py),
next to all quotes, the baseline of the same run: precision of shown quotes, direct recall of shown
quotes, speaker accuracy, and the share of quotes shown. The JSON report keeps every quote.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution import (  # noqa: E402
    DEFAULT_DATA,
    ROOT,
    as_predictions,
    figures,
    fold_figures,
    fold_scores,
    load_gold,
    parsed_articles,
    run_storydiff,
    score,
)


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
    visible = [[q for q in found if shown(q, threshold)] for found in quotes]
    every, seen = as_predictions(stems, quotes), as_predictions(stems, visible)
    total, kept = sum(map(len, quotes)), sum(map(len, visible))
    print(f"PolNeAR {args.data} : {len(articles)} articles, threshold {threshold:.2f}")
    print(figures("all", score(gold, every)) + "  (the JSON report)")
    print(
        figures("shown", score(gold, seen))
        + f"  ({kept} of {total} quotes shown, {kept / max(1, total):.1%})"
    )
    if args.folds:
        print(fold_figures("all", fold_scores(gold, every, args.folds)))
        print(fold_figures("shown", fold_scores(gold, seen, args.folds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
