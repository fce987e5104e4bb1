"""How much of the findings' error is the stories': the same articles linked in their predicted
stories and in their gold ones, scored alike.

    .venv/bin/python benchmarks/event_stories.py [--data ../shared/data/ecbplus] [--cache DIR]

The corpus is analysed once (as `storydiff analyze` does; `--cache` keeps it, see storydata.py),
then linked twice with `storydiff.link.link`: into the stories `StoryIndex` files it in, and into
the gold subtopics (each article placed in its event's story without deciding). Both are scored by
the rules of `../shared/tools/score_events.py` (`eventdata.py`): same-event sentence pairs P/R/F1
and the share of flagged pairs that are same-event. The gap between the two lines is what better
stories could still win; what the gold line misses is the event model's and the clash model's.
The first line equals `events.py`'s published-corpus line when the cache is fresh.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventdata import Gold, pair_scores, report_pairs  # noqa: E402
from storydata import events  # noqa: E402
from storydiff.link import link  # noqa: E402
from storydiff.link.stories import StoryIndex  # noqa: E402
from storydiff.model import Analysis  # noqa: E402
from storydiff.report.json import to_dict  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    ap.add_argument("--cache", type=Path, help="keep the analysed corpus here (pickles)")
    args = ap.parse_args()
    corpus = events(args.data, args.cache)
    gold = Gold.read(args.data)
    gold_pairs = gold.pairs()
    for name in ("predicted stories", "gold stories"):
        articles = copy.deepcopy(corpus.articles)  # linking sets entities on mentions and speakers
        index = StoryIndex()
        if name == "gold stories":
            for article in articles:
                index.add(article, story=corpus.gold[article.id])
        analysis = link(Analysis(articles=articles), index=index)
        report = json.loads(json.dumps(to_dict(analysis), default=str))
        pairs, flagged, _ = report_pairs(report, gold)
        judged, _, p, r, f = pair_scores(pairs, gold, gold_pairs)
        flags_judged, _, fp, _, _ = pair_scores(flagged, gold, gold_pairs)
        print(
            f"{name:17s} pairs P={p:.3f} R={r:.3f} F1={f:.3f} ({judged} judged); "
            f"flagged same-event P={fp:.3f} ({flags_judged} judged of {len(flagged)} flagged)"
        )


if __name__ == "__main__":
    main()
