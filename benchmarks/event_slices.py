"""Planted discrepancies at the size of a held-out event corpus: event_slices.py [--data DIR] [--seed S]

`events.py` plants 60 changed figures into all 772 articles of ECB+ topics 1-35, one planted figure
per 13 articles. A held-out set of ten topics (about 200 articles) takes the injector's 60 (or as many
as it finds) at three to four times that density, and "flags per planted one" counts every other
flag against them, so the same tool reads very differently on the two. This script cuts the corpus
by topic into four corpora of that size (topics 1-10, 11-22, 23-29, 30-35), plants figures into each
with `inject_events.py --seed S`, runs `storydiff analyze` on each and scores it as `score_events.py`
does, beside the batch TF-IDF baseline. Seed 11 chose the clash model's shipped threshold
(`training/train_clashes.py`); seed 7 (the default) checks it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eventdata import Gold, report_pairs  # noqa: E402
from events import ROOT, TOOLS, analyse, baseline  # noqa: E402

SLICES = ((1, 10), (11, 22), (23, 29), (30, 35))


def cut(data: Path, out: Path, topics: tuple[int, int]) -> None:
    """The articles of topics lo..hi, with their gold, as a corpus folder of its own."""
    gold = json.loads((data / "gold.json").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    kept = {}
    lines = (data / "docs.jsonl").read_text(encoding="utf-8").splitlines(keepends=True)
    with open(out / "docs.jsonl", "w", encoding="utf-8") as dst:
        for line in lines:
            doc = json.loads(line)
            if topics[0] <= int(doc["id"].split("_")[0]) <= topics[1]:
                dst.write(line)
                kept[doc["id"]] = gold[doc["id"]]
    (out / "gold.json").write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "ecbplus")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="keep the corpora and reports here")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="storydiff-slices-"))
    totals = {"storydiff": [0, 0, 0], "baseline": [0, 0, 0]}  # found, planted, flags
    for lo, hi in SLICES:
        whole, planted_dir = work / f"topics{lo}-{hi}", work / f"topics{lo}-{hi}-planted"
        cut(args.data, whole, (lo, hi))
        subprocess.run([sys.executable, str(TOOLS / "inject_events.py"), str(whole), str(planted_dir),
                        "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        plants = json.loads((planted_dir / "injections.json").read_text(encoding="utf-8"))
        wanted = {tuple(sorted([tuple(p["a"]), tuple(p["b"])])) for p in plants}
        gold = Gold.read(planted_dir)
        report = planted_dir / "report.json"
        analyse(planted_dir, report, args.workers)
        runs = {
            "storydiff": report_pairs(json.loads(report.read_text(encoding="utf-8")), gold)[1],
            "baseline": baseline(gold, 0.15, 0.85)[1],
        }
        for name, flagged in runs.items():
            found = len(wanted & flagged)
            t = totals[name]
            t[0], t[1], t[2] = t[0] + found, t[1] + len(plants), t[2] + len(flagged)
            print(f"topics {lo}-{hi} {name:>9}: planted {found}/{len(plants)} flagged, {len(flagged)} flags "
                  f"({len(flagged) / max(1, len(plants)):.2f} per planted one)", flush=True)  # fmt: skip
    for name, (found, n, flags) in totals.items():
        print(f"all slices {name:>9}: planted_R={found / max(1, n):.3f} ({found}/{n}) "
              f"flags per planted one {flags / max(1, n):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
