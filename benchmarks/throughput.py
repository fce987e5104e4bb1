"""Throughput: storydiff against bare spaCy on the same texts, in one run.

usage: python benchmarks/throughput.py [--data PATH] [--columns MAP] [--limit N] [--workers 1,2]
                                       [--engines inline,pool,ray] [--curve 1000,10000]
                                       [--curve-workers N] [--corpus-dir DIR]

PATH is anything `storydiff analyze` reads: a folder (read recursively: .txt, .html, .jsonl, .csv,
WARC, feeds ...) or a file; default ../shared/data/polnear/train/text. For the FNC-1 bodies:
`--data ../shared/data/fnc1 --columns text=articleBody` (the stance files have no such column and
are skipped, as the CLI would). Prints, in one run:
- words/s of bare spaCy (`nlp.pipe`, batch_size=8, the same pipeline storydiff loads) on the
  cleaned texts of the first N articles;
- words/s of storydiff's per-article work on the same articles (reading the files, cleaning,
  parsing, extracting) in-process, on the process pool and on Ray, and the ratio storydiff / bare
  spaCy (target >= 0.8);
- the speed-up from 1 to 2 workers (target >= 1.7x on 2 cores);
- peak RSS of this process and of the largest pool worker (target <= 600 MB per worker);
- with --curve, the cost of a full run (analysis on the pool, linking, storing in SQLite) on
  corpora of those sizes written as .txt files from the folder's first readable articles (all of
  them, whatever --limit says), repeated only where the folder holds fewer (each copy gets a
  distinct first line so that no two articles are identical; repeats are what a wire story
  reprinted by many outlets looks like); their path, size on disk and count of distinct
  articles, and the growth ratio (target <= 11x time for 10x articles).
Words are whitespace-separated tokens of the cleaned texts, counted once for every run.
Ray is started and its workers warmed (spaCy loaded in each, on a few articles) before its
timing, as an existing cluster would be: the inline run and the forked pool workers likewise start
with the pipeline this process has already loaded. Ray workers are not children of this process,
so their RSS is not in the peak figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"

sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import documents  # noqa: E402
from storydiff.ingest import parse_columns  # noqa: E402
from storydiff.model import RawDocument  # noqa: E402


def peak_rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest child that has ended (MB)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def cleaned_texts(docs: list[RawDocument]) -> list[str]:
    from storydiff.clean import clean

    return [clean(d).text for d in docs]


def bare_spacy(texts: list[str]) -> float:
    from storydiff import nlp

    pipeline = nlp.load()
    started = time.perf_counter()
    for _ in pipeline.pipe(texts, batch_size=nlp.BATCH_SIZE):
        pass
    return time.perf_counter() - started


def storydiff_run(
    data: Path,
    columns: Mapping[str, str] | None,
    count: int,
    engine: str,
    workers: int,
    batch: int | None = None,
) -> float:
    from storydiff.pipeline import BATCH
    from storydiff.run.executors import WorkSettings, batched, get_executor

    executor = get_executor(engine, workers)
    started = time.perf_counter()
    batches = batched(documents(data, columns, count), batch or BATCH)
    done = sum(1 for _ in executor.run(batches, WorkSettings()))
    seconds = time.perf_counter() - started
    assert done == count, f"{done} results for {count} inputs"
    return seconds


def build_corpus(docs: list[RawDocument], size: int, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for i in range(size):
        (out / f"{i:06d}.txt").write_text(f"Copy {i}.\n\n" + docs[i % len(docs)].text, encoding="utf-8")
    return out


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


def full_run(corpus: Path, workers: int, db: Path) -> tuple[float, float, float, int]:
    """Seconds in all, of which linking and saving links; stories found."""
    from storydiff import archive, pipeline
    from storydiff.link import link as real_link
    from storydiff.store import open_store

    linking = 0.0

    def timed_link(analysis: Any) -> Any:
        nonlocal linking
        started = time.perf_counter()
        try:
            return real_link(analysis)
        finally:
            linking += time.perf_counter() - started

    pipeline.link = timed_link  # type: ignore[attr-defined,assignment]
    try:
        with open_store(str(db)) as store:
            started = time.perf_counter()
            with store.writer(None, batch_size=50) as writer:
                engine = "pool" if workers > 1 else "inline"
                analysis = pipeline.analyze([str(corpus)], engine=engine, workers=workers, on_article=writer)
            analysed = time.perf_counter()
            archive.relink(store, analysis)
            done = time.perf_counter()
    finally:
        pipeline.link = real_link  # type: ignore[attr-defined]
    return done - started, linking, done - analysed, len(analysis.stories)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="a folder or file of articles")
    ap.add_argument(
        "--columns", help="CSV columns, as for `storydiff analyze --columns` (e.g. text=articleBody)"
    )
    ap.add_argument("--limit", type=int, default=200, help="articles to time (default 200; 0 = all)")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--engines", default="inline,pool,ray")
    ap.add_argument("--curve", default="", help="corpus sizes for the full-run cost curve, e.g. 1000,10000")
    ap.add_argument("--curve-workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--corpus-dir", type=Path, help="build the curve's corpora here and keep them")
    ap.add_argument("--embedder", help="linking's embedder for the curve (default: the best installed)")
    args = ap.parse_args()
    if args.embedder:
        os.environ["STORYDIFF_EMBEDDER"] = args.embedder

    columns = parse_columns(args.columns) if args.columns else None
    docs = list(documents(args.data, columns, args.limit or None))
    if not docs:
        sys.exit(f"no readable articles under {args.data}")
    texts = cleaned_texts(docs)
    n_words = sum(len(t.split()) for t in texts)
    print(f"data: {args.data} ({len(docs)} articles, {n_words} words); cores: {os.cpu_count()}")

    bare = bare_spacy(texts)
    print(f"bare spaCy (nlp.pipe, batch 8): {n_words / bare:,.0f} words/s ({bare:.1f}s)")
    results: dict[tuple[str, int], float] = {}
    for engine in args.engines.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            if (engine == "inline") != (workers == 1):
                continue  # one pool or Ray worker is the inline run plus overhead
            ray_started = False
            if engine == "ray":
                try:
                    import ray
                except ModuleNotFoundError:
                    print("storydiff ray: not run (pip install 'storydiff[ray]')")
                    continue
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
                ray_started = True
                # Warm the Ray workers (spaCy loaded in each) outside the timing: the inline run
                # and the forked pool workers start with the pipeline this process already loaded.
                storydiff_run(args.data, columns, min(len(docs), 2 * workers), engine, workers, batch=1)
            try:
                seconds = storydiff_run(args.data, columns, len(docs), engine, workers)
            finally:
                if ray_started:
                    ray.shutdown()
            results[(engine, workers)] = seconds
            print(
                f"storydiff {engine:6} x{workers}: {n_words / seconds:,.0f} words/s ({seconds:.1f}s); "
                f"ratio to bare spaCy on one core {bare / seconds:.2f}"
            )
    if ("inline", 1) in results:
        print(
            f"ratio storydiff in-process / bare spaCy = {bare / results[('inline', 1)]:.2f} (target >= 0.8)"
        )
    for engine in ("pool", "ray"):
        if (engine, 2) in results and ("inline", 1) in results:
            speedup = results[("inline", 1)] / results[(engine, 2)]
            print(f"speed-up 1 -> 2 workers ({engine}) = {speedup:.2f}x (target >= 1.7x)")
    me, kids = peak_rss_mb()
    print(
        f"peak RSS: main process {me:.0f} MB, largest pool worker {kids:.0f} MB (target <= 600 MB per worker)"
    )

    if args.curve:
        from storydiff.embed import get_embedder

        print(f"linking embedder: {get_embedder().name}")
        sizes = [int(s) for s in args.curve.split(",")]
        source = list(documents(args.data, columns, max(sizes)))
        timings: list[tuple[int, float]] = []
        root = args.corpus_dir or Path(tempfile.mkdtemp(prefix="storydiff-curve-"))
        try:
            for size in sizes:
                corpus = build_corpus(source, size, root / f"corpus-{size}")
                db = root / f"store-{size}.db"
                total, linking, saving, stories = full_run(corpus, args.curve_workers, db)
                timings.append((size, total))
                print(
                    f"full run on {size} articles ({min(size, len(source))} distinct; {corpus}, "
                    f"{disk_mb(corpus):.1f} MB; x{args.curve_workers} "
                    f"workers): {total:.1f}s, of which linking {linking:.1f}s and saving links {saving:.1f}s "
                    f"({size / total:.1f} articles/s, {stories} stories; SQLite "
                    f"{db.stat().st_size / 1e6:.0f} MB)"
                )
            me, _ = peak_rss_mb()
            print(f"peak RSS of this process after the curve: {me:.0f} MB")
        finally:
            if args.corpus_dir is None:
                shutil.rmtree(root, ignore_errors=True)
        for (n1, t1), (n2, t2) in zip(timings, timings[1:], strict=False):
            print(
                f"cost growth {n1} -> {n2} articles ({n2 / n1:.0f}x): {t2 / t1:.2f}x time"
                " (target <= 11x for 10x)"
            )


if __name__ == "__main__":
    main()
