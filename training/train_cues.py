#!/usr/bin/env python3
"""Learn storydiff's cue lexicon (src/storydiff/data/cues.json) from PolNeAR train.

usage: training/train_cues.py [--data DIR] [--docbin FILE] [--threshold P] [--min-found N] [--out FILE]

Every verb with a subject is tried as a cue under both content rules (its clause complement,
`ccomp`; what it takes to its right, `right`). Each (lemma, rule) keeps its place in the
lexicon when its attributions were found in the gold at least `--threshold` of the time and at
least `--min-found` times (2): adding predictions at precision p raises F1 whenever p > F1 / 2, so
0.4 is a little above that bar for the F1 we aim at. Train only on `train`; never on dev or test.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from attribution import ROOT, load_gold, parsed_articles, score, tokens, training_parser  # noqa: E402


def main() -> int:
    ap = training_parser(__doc__)
    ap.add_argument("--threshold", type=float, default=0.4)
    ap.add_argument("--min-found", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "storydiff" / "data" / "cues.json")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))

    from storydiff.extract.cues.lexicon import PERMISSIVE
    from storydiff.extract.entities import extract_mentions
    from storydiff.extract.quotes import rule_quotes

    articles, docs = parsed_articles(args.data, args.docbin)
    gold = load_gold(args.data)
    predictions, keys = {}, {}
    for article, doc in zip(articles, docs, strict=True):
        stem = Path(article.path).stem  # type: ignore[arg-type]
        found = rule_quotes(article, doc, extract_mentions(article, doc), PERMISSIVE).quotes
        words = [" ".join(tokens(q.text)) for q, _ in found]
        kept = [
            n
            for n in range(len(found))
            if not any(
                m != n and words[n] and len(words[m]) > len(words[n]) and words[n] in words[m]
                for m in range(len(found))
            )
        ]
        predictions[stem] = [
            (found[n][0].text, [found[n][0].speaker.mention_text, found[n][0].speaker.name]) for n in kept
        ]
        keys[stem] = [
            (f.lemma, f.rule) if f is not None and not f.bare else None for _, f in (found[n] for n in kept)
        ]
    result = score({s: gold.get(s, []) for s in predictions}, predictions)
    hits: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for stem, ks in keys.items():
        for n, key in enumerate(ks):
            if key is None or key[1] in {"", "according"}:
                continue
            total[key] += 1
            hits[key] += n in result.matched.get(stem, {})
    cues: dict[str, list[str]] = {}
    not_cues: set[str] = set()
    for (lemma, rule), n in sorted(total.items()):
        if hits[lemma, rule] >= args.min_found and hits[lemma, rule] / n >= args.threshold:
            cues.setdefault(lemma, []).append(rule)
        elif n >= 8:
            not_cues.add(lemma)
    not_cues -= set(cues)
    lines = [f"  {json.dumps(lemma)}: {json.dumps(sorted(rules))}" for lemma, rules in sorted(cues.items())]
    args.out.write_text(
        "{\n"
        '"about": "cue lemma -> content rules, learned on PolNeAR train by training/train_cues.py",\n'
        f'"threshold": {args.threshold},\n'
        '"cues": {\n' + ",\n".join(lines) + "\n},\n"
        f'"not_cues": {json.dumps(sorted(not_cues))}\n'
        "}\n",
        encoding="utf-8",
    )
    print(
        f"{len(cues)} cue lemmas, {len(not_cues)} rejected; "
        f"permissive run: P={result.precision:.3f} R={result.recall:.3f}"
    )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
