"""Cross-outlet findings on an event corpus: stories, same-event pairs, discrepancies, planted ones.

    .venv/bin/python benchmarks/events.py [--data ../shared/data/ecbplus] [--tau 0.15] [--workers 2]

`--data` holds `docs.jsonl` + `gold.json` (ECB+ topics 1-35 here; the checks use topics 36-45 and
other corpora). The script runs `storydiff analyze` on the corpus and on a copy with planted number
changes (`../shared/tools/inject_events.py`, seed 7, 60 plants), and prints for each, beside the
batch TF-IDF anchor of `../shared/tools/score_events.py --baseline` computed in the same run:

- stories: B-cubed P/R/F1 against the gold subtopics (the events);
- pairs: the cross-article sentence pairs the report's alignments put together, P/R/F1 against
  sentence pairs that share a gold event chain (only validated sentences are judged);
- discrepant: the share of flagged pairs that are same-event, and how many were judged;
- planted: how many planted changes are flagged, and flags raised per planted one.

The scoring rules are those of `score_events.py`, rewritten in `eventdata.py`; the report files are
kept (`--keep DIR`) so the reference scorer can be run on them to check that both agree.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventdata import Gold, Pair, b_cubed, pair_scores, report_pairs  # noqa: E402

TOOLS = ROOT.parent / "shared" / "tools"
_NUM = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w]|[.,]\d)")


def baseline(gold: Gold, tau: float, threshold: float) -> tuple[set[Pair], set[Pair], dict[str, str]]:
    """Batch TF-IDF average-link stories, then sentence pairs with TF-IDF cosine >= tau; numbers that
    differ in sentences with cosine >= 2 tau are flagged (score_events.py's anchor)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = gold.docs
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([d["text"] for d in docs])
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(x.toarray())
    story_of = {d["id"]: str(label) for d, label in zip(docs, labels, strict=True)}
    sents = [(d["id"], i, s) for d in docs for i, (s, _, _) in enumerate(gold.gold[d["id"]]["sentences"])]
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit([s for _, _, s in sents])
    by_story: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
    for d, i, s in sents:
        by_story[story_of[d]].append((d, i, s))
    pairs: set[Pair] = set()
    flagged: set[Pair] = set()
    for group in by_story.values():
        m = vec.transform([s for _, _, s in group])
        sim = (m @ m.T).toarray()
        for p, q in zip(*(sim >= tau).nonzero(), strict=True):
            if p < q and group[p][0] != group[q][0]:
                a, b = sorted([group[p][:2], group[q][:2]])
                pairs.add((a, b))
                na, nb = set(_NUM.findall(group[p][2])), set(_NUM.findall(group[q][2]))
                if na and nb and na != nb and sim[p, q] >= 2 * tau:
                    flagged.add((a, b))
    return pairs, flagged, story_of


def show(
    name: str,
    gold: Gold,
    pairs: set[Pair],
    flagged: set[Pair],
    story_of: dict[str, str],
    planted: list[dict[str, list[object]]] | None,
) -> None:
    for k, d in enumerate(gold.docs):
        story_of.setdefault(d["id"], f"alone-{k}")
    sp, sr, sf = b_cubed({d["id"]: gold.subtopic(d["id"]) for d in gold.docs}, story_of)
    gold_pairs = gold.pairs()
    judged, good, p, r, f = pair_scores(pairs, gold, gold_pairs)
    fj, fgood, fp, _, _ = pair_scores(flagged, gold, gold_pairs)
    print(f"== {name}")
    print(f"stories    B3 P={sp:.3f} R={sr:.3f} F1={sf:.3f} ({len(set(story_of.values()))} stories)")
    print(
        f"pairs      P={p:.3f} R={r:.3f} F1={f:.3f} "
        f"({judged} judged, {good} same event; {len(gold_pairs)} gold)"
    )
    print(f"discrepant same-event P={fp:.3f} ({fj} judged of {len(flagged)} flagged)")
    if planted is not None:
        keys = [tuple(sorted([tuple(i["a"]), tuple(i["b"])])) for i in planted]
        found = sum(1 for k in keys if k in flagged)
        print(
            f"planted    {found}/{len(planted)} flagged (R={found / max(1, len(planted)):.3f}), "
            f"{len(flagged) / max(1, len(planted)):.1f} flags per planted one"
        )


def analyse(folder: Path, out: Path, workers: int) -> float:
    t = time.time()
    storydiff = Path(sys.executable).with_name("storydiff")
    subprocess.run(
        [
            str(storydiff),
            "analyze",
            str(folder / "docs.jsonl"),
            "--json",
            str(out),
            "--workers",
            str(workers),
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    return time.time() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    ap.add_argument("--tau", type=float, default=0.15, help="the baseline's sentence cosine")
    ap.add_argument("--threshold", type=float, default=0.85, help="the baseline's story distance")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the planted corpus and both reports here")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="storydiff-events-"))
    work.mkdir(parents=True, exist_ok=True)
    planted_dir = work / "planted"
    subprocess.run(
        [sys.executable, str(TOOLS / "inject_events.py"), str(args.data), str(planted_dir)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    plants = json.loads((planted_dir / "injections.json").read_text(encoding="utf-8"))
    for label, folder, planted in (
        ("as published", args.data, None),
        ("with planted changes", planted_dir, plants),
    ):
        gold = Gold.read(folder)
        report = work / ("planted.json" if planted else "report.json")
        seconds = analyse(folder, report, args.workers)
        pairs, flagged, story_of = report_pairs(json.loads(report.read_text(encoding="utf-8")), gold)
        print(f"\n#### {folder} ({label}; storydiff analyze took {seconds:.0f} s)")
        show("storydiff", gold, pairs, flagged, story_of, planted)
        show(
            f"batch TF-IDF baseline (t={args.threshold}, tau={args.tau})",
            gold,
            *baseline(gold, args.tau, args.threshold),
            planted,
        )
    print(f"\nreports in {work}: check with ../shared/tools/score_events.py DIR --report REPORT.json")


if __name__ == "__main__":
    main()
