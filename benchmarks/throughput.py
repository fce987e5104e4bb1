"""Throughput: storydiff against bare spaCy on the same texts, in one run.

usage: python benchmarks/throughput.py [--data DIR] [--limit N] [--workers 1,2] [--engines inline,pool,ray]
                                       [--curve 1000,10000] [--curve-workers N]

Prints, for the texts in DIR (*.txt, read recursively; default ../shared/data/polnear/train/text):
- words/s of bare spaCy (`nlp.pipe`, batch_size=8, the same pipeline storydiff loads);
- words/s of storydiff's per-article work (ingest, clean, parse, extract) in-process, on the process
  pool and on Ray, and the ratio storydiff / bare spaCy (target >= 0.8);
- the speed-up from 1 to 2 workers (target >= 1.7x on 2 cores);
- peak RSS per worker process (target <= 600 MB);
- with --curve, the cost of a full run (analysis, linking, SQLite storing) on corpora of those
  sizes built by repeating DIR's texts (each copy gets a distinct first line so that no two
  articles are identical), and the growth ratio (target <= 11x time for 10x articles).
Words are whitespace-separated tokens of the input texts, counted the same way for every run.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"


def texts_of(folder: Path, limit: int | None) -> list[Path]:
    paths = sorted(p for p in folder.rglob("*.txt") if p.is_file())
    return paths[:limit] if limit else paths


def words(paths: list[Path]) -> int:
    return sum(len(p.read_text(encoding="utf-8", errors="replace").split()) for p in paths)


def peak_rss_mb() -> tuple[float, float]:
    """Peak RSS of this process and of the largest child that has ended (MB)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return me, kids


def bare_spacy(paths: list[Path]) -> float:
    from storydiff import nlp

    pipeline = nlp.load()
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    started = time.perf_counter()
    for _ in pipeline.pipe(texts, batch_size=nlp.BATCH_SIZE):
        pass
    return time.perf_counter() - started


def storydiff_run(paths: list[Path], engine: str, workers: int) -> float:
    from storydiff.ingest import read_inputs
    from storydiff.run.executors import WorkSettings, batched, get_executor

    executor = get_executor(engine, workers)
    started = time.perf_counter()
    docs = (d for d in read_inputs([str(p) for p in paths]) if not hasattr(d, "reason"))
    count = sum(1 for _ in executor.run(batched(docs, 16), WorkSettings()))  # type: ignore[arg-type]
    assert count == len(paths), f"{count} results for {len(paths)} inputs"
    return time.perf_counter() - started


def build_corpus(paths: list[Path], size: int, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    for i in range(size):
        src = paths[i % len(paths)]
        (out / f"{i:06d}.txt").write_text(
            f"Copy {i}.\n\n" + src.read_text(encoding="utf-8"), encoding="utf-8"
        )
    return out


def full_run(corpus: Path, workers: int) -> float:
    from storydiff.pipeline import analyze
    from storydiff.store import open_store

    with tempfile.TemporaryDirectory() as tmp, open_store(str(Path(tmp) / "bench.db")) as store:
        started = time.perf_counter()
        writer = store.writer(None, batch_size=50)
        with writer:
            analysis = analyze(
                [str(corpus)], engine="pool" if workers > 1 else "inline", workers=workers, on_article=writer
            )
        store.relink(analysis)
        return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--limit", type=int, default=200, help="texts to time (default 200; 0 = all)")
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--engines", default="inline,pool,ray")
    ap.add_argument("--curve", default="", help="corpus sizes for the full-run cost curve, e.g. 1000,10000")
    ap.add_argument("--curve-workers", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    paths = texts_of(args.data, args.limit or None)
    if not paths:
        sys.exit(f"no .txt files under {args.data}")
    n_words = words(paths)
    print(f"data: {args.data} ({len(paths)} texts, {n_words} words); cores: {os.cpu_count()}")

    bare = bare_spacy(paths)
    print(f"bare spaCy (nlp.pipe, batch 8): {n_words / bare:,.0f} words/s ({bare:.1f}s)")
    results: dict[tuple[str, int], float] = {}
    for engine in args.engines.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            if engine == "inline" and workers != 1:
                continue
            if engine != "inline" and workers == 1 and engine == "pool":
                continue  # one pool worker is the inline run plus overhead
            try:
                seconds = storydiff_run(paths, engine, workers)
            except RuntimeError as e:
                print(f"storydiff {engine} x{workers}: not run ({e})")
                continue
            results[(engine, workers)] = seconds
            ratio = bare / seconds
            print(
                f"storydiff {engine:6} x{workers}: {n_words / seconds:,.0f} words/s ({seconds:.1f}s); "
                f"ratio to bare spaCy on one core {ratio:.2f}"
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
    print(f"peak RSS: main process {me:.0f} MB, largest worker {kids:.0f} MB (target <= 600 MB per worker)")

    if args.curve:
        sizes = [int(s) for s in args.curve.split(",")]
        timings: list[tuple[int, float]] = []
        with tempfile.TemporaryDirectory() as tmp:
            for size in sizes:
                corpus = build_corpus(paths, size, Path(tmp) / f"c{size}")
                seconds = full_run(corpus, args.curve_workers)
                timings.append((size, seconds))
                print(
                    f"full run (analyse, link, store in SQLite) on {size} articles built under {corpus}: "
                    f"{seconds:.1f}s ({size / seconds:.1f} articles/s)"
                )
        for (n1, t1), (n2, t2) in zip(timings, timings[1:], strict=False):
            print(
                f"cost growth {n1} -> {n2} articles ({n2 / n1:.0f}x): {t2 / t1:.2f}x time"
                " (target <= 11x for 10x)"
            )


if __name__ == "__main__":
    main()
