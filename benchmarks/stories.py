"""Story clustering against gold stories, beside the batch TF-IDF baseline in the same run.

    .venv/bin/python benchmarks/stories.py [--data ../shared/data] [--cache DIR] [--json-out DIR] [--check]

Two corpora (see storydata.py): the FNC-1 dev half (`fnc1/bodies.csv`, `stances.csv`; gold
stories: the connected components of the related headline-body pairs) and an event corpus built
like `ecbplus/` (gold stories: the subtopics, two events of one kind per topic). Each is analysed
as `storydiff analyze` does (cached with `--cache`), its articles filed in input order by
`StoryIndex` exactly as `storydiff.link.link` files them, and scored by B-cubed P/R/F1 and ARI --
the rules of `../shared/tools/score_stories.py` and `score_events.py`, rewritten here. Beside it,
the reference scorers' baseline: TF-IDF cosine with average linkage, one cut over the whole set
(FNC-1: distance 0.8, min_df 2; events: 0.85, min_df 1, the scorers' defaults).

The merge model was trained on ECB+ topics 1-35 (`train_stories.py`), so its ECB+ line here is
in-sample; the honest ECB+ figure is the out-of-fold one `train_stories.py` prints.
`--json-out DIR` writes each corpus's stories as a storydiff/report@1 file, and `--check` runs the
reference scorers on them (as programs, when `../shared/tools` is there) so both can be compared.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from storydata import DEFAULT_DATA, Corpus, ari, batch_tfidf, bcubed, events, fnc1  # noqa: E402
from storydiff.link.stories import StoryIndex  # noqa: E402
from storydiff.model import Analysis  # noqa: E402

TOOLS = ROOT.parent / "shared" / "tools"


def stories_of(corpus: Corpus) -> tuple[dict[str, str], Analysis, float]:
    index = StoryIndex()
    t0 = time.perf_counter()
    index.add_all(corpus.articles)
    seconds = time.perf_counter() - t0
    # The report needs only the articles and their stories (quotes and claims of an older cache
    # would not fit today's report).
    bare = [replace(a, quotes=[], claims=[]) for a in corpus.articles]
    analysis = Analysis(articles=bare, stories=index.stories)
    return {a.id: index.story_of(a.id) for a in corpus.articles}, analysis, seconds


def line(name: str, gold: dict[str, str], pred: dict[str, object]) -> str:
    p, r, f = bcubed(gold, pred)
    return (
        f"  {name:34s} B3 P={p:.3f} R={r:.3f} F1={f:.3f} ARI={ari(gold, pred):.3f} "
        f"clusters={len(set(pred.values()))} gold={len(set(gold.values()))}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding fnc1/ and ecbplus/")
    ap.add_argument("--events", default="ecbplus", help="the event corpus's folder name under --data")
    ap.add_argument("--cache", type=Path, help="keep the analysed corpora here (pickles)")
    ap.add_argument("--json-out", type=Path, help="write each corpus's stories here as report JSON")
    ap.add_argument("--check", action="store_true", help="run the reference scorers on --json-out's files")
    a = ap.parse_args()
    runs = [
        ("fnc1", fnc1(a.data / "fnc1", "", a.cache), (0.8, 2)),
        (a.events, events(a.data / a.events, a.cache), (0.85, 1)),
    ]
    for key, corpus, (distance, min_df) in runs:
        pred, analysis, seconds = stories_of(corpus)
        ids = [x.id for x in corpus.articles]
        baseline = dict(zip(ids, batch_tfidf([corpus.texts[i] for i in ids], distance, min_df), strict=True))
        print(f"{corpus.name}: {len(ids)} articles ({seconds:.1f}s to file them)")
        print(line("storydiff", corpus.gold, dict(pred)))
        print(line(f"batch TF-IDF average-link (t={distance})", corpus.gold, dict(baseline)))
        if a.json_out:
            from storydiff.report.json import to_dict

            a.json_out.mkdir(parents=True, exist_ok=True)
            out = a.json_out / f"{key}.json"
            out.write_text(json.dumps(to_dict(analysis), ensure_ascii=False), encoding="utf-8")
            if a.check and TOOLS.exists():
                tool, args = (
                    ("score_stories.py", [str(a.data / "fnc1"), "--report", str(out)])
                    if key == "fnc1"
                    else ("score_events.py", [str(a.data / a.events), "--report", str(out)])
                )
                found = subprocess.run(
                    [sys.executable, str(TOOLS / tool), *args], capture_output=True, text=True, check=False
                )
                stories_line = [x for x in found.stdout.splitlines() if "B3" in x]
                print(
                    f"  reference {tool}: {stories_line[0].strip() if stories_line else found.stderr.strip()}"
                )


if __name__ == "__main__":
    main()
