"""What a run costs as the archive grows: adding 100 articles to a store holding an archive,
against adding the same 100 to an empty store, in one run on one machine.

    .venv/bin/python benchmarks/incremental.py [--data ../shared/data] [--cache DIR] [--sizes 1683 10000]

The archive: FNC-1 `train_*` bodies (1,683), repeated under new ids and URLs for bigger sizes,
dated one every `--spacing` hours before the new articles; the 100 new ones: FNC-1 dev-half bodies,
dated over the last day. All are analysed once beforehand (`--cache`), so what is timed is what a
run does after analysis: `storydiff.archive.store_run`, as `storydiff analyze --db` runs it (the
run recorded, its articles stored in batches, then `link_new`: stories against those active
within 7 days, then entities, quote links and alignments of the stories it touched), with
storydiff's default linker. The archive is prepared as earlier runs would leave it: its last 16
days linked run by run (`link_new`), the rest linked at once (`link`, with the store's embedder);
either way the sentence vectors of every stored article are kept in the store, as the runs that
stored them would have kept them, and the runs keep the story profiles of what they file, as
run-by-run archives do (an archive kept by an older storydiff is refused: delete it, or
`storydiff db upgrade` it, after which its first runs compute the profiles it lacks).
Each case runs `--repeat` times on fresh copies, the cases taking turns; the fastest counts. The
ratio is of CPU seconds (this process's; wall seconds are printed beside): on a machine shared
with other work, wall time measures the neighbours as much as the run. Target: ratio <= 1.15.
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from storydata import DEFAULT_DATA, fnc1  # noqa: E402
from storydiff import archive  # noqa: E402
from storydiff.model import Analysis, Article  # noqa: E402
from storydiff.store import open_store  # noqa: E402

NOW = datetime(2031, 6, 1, 12, 0)
RECENT = timedelta(days=16)  # linked run by run before the timed one: two windows and a day


def archive_of(bodies: list[Article], size: int, spacing: timedelta) -> list[Article]:
    """`size` articles, the bodies over and over under new ids (their quotes and claims too),
    oldest first."""
    out = []
    for i in range(size):
        body = bodies[i % len(bodies)]
        copy = i // len(bodies)
        aid = body.id if copy == 0 else f"{body.id}x{copy}"
        out.append(
            dataclasses.replace(
                body,
                id=aid,
                url=f"{body.url}#copy{copy}",
                published=NOW - timedelta(days=1) - (size - i) * spacing,
                quotes=[
                    dataclasses.replace(q, id=_renamed(q.id, body.id, aid), article=aid) for q in body.quotes
                ],
                claims=[
                    dataclasses.replace(c, id=_renamed(c.id, body.id, aid), article=aid) for c in body.claims
                ],
            )
        )
    return out


def _renamed(item: str, old: str, new: str) -> str:
    return new + item[len(old) :] if item.startswith(old) else item


def prefill(path: Path, articles: list[Article]) -> None:
    """The archive as earlier runs left it: all of it linked (stories, entities, quote links,
    alignments, sentence vectors kept in the store), its last `RECENT` by daily runs (`link_new`),
    the rest at once, which is quicker to prepare and leaves the same kind of store."""
    recent = [a for a in articles if a.published is not None and a.published >= NOW - RECENT]
    older = articles[: len(articles) - len(recent)]
    with open_store(str(path)) as store:
        for i in range(0, len(older), 500):
            store.add_articles(older[i : i + 500])
        # Linked as the runs that stored them would have: their sentence vectors kept in the store.
        store.save_links(archive.default_linker(store)(Analysis(articles=older)))
        for i in range(0, len(recent), 20):  # daily-sized runs
            store.add_articles(recent[i : i + 20])
            archive.link_new(store, Analysis(articles=recent[i : i + 20]))


def timed_run(template: Path | None, workdir: Path, new: list[Article]) -> tuple[float, float, int, int]:
    """CPU and wall seconds to add `new` and link it; how many articles and stories the run
    linked again."""
    db = workdir / "run.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if template is not None:
        shutil.copy(template, db)
    with open_store(str(db)) as store:
        cpu, wall = time.process_time(), time.perf_counter()
        run = archive.store_run(store, replay(new), settings={"inputs": ["new"]})
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return cpu, wall, len(run.linked.articles), len(run.linked.stories)


def replay(articles: list[Article]) -> archive.Analyse:
    """The analysed articles handed over one by one, as the pipeline hands them to a run."""

    def analyse(on_article: Callable[[Article], None], resume: Callable[[str], Article | None]) -> Analysis:
        done = []
        for article in articles:
            stored = resume(article.id)
            if stored is None:
                on_article(article)
            done.append(stored or article)
        return Analysis(articles=done, settings={"spacy_model": "cached"})

    return analyse


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--cache", type=Path, help="analysed corpora (pickles), made if missing")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1683, 10000])
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--spacing", type=float, default=5.0, help="hours between archive articles")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="keep the prefilled archives here, and reuse them")
    a = ap.parse_args()
    bodies = fnc1(a.data / "fnc1", "train_", a.cache).articles
    fresh = fnc1(a.data / "fnc1", "", a.cache).articles[: a.new]
    new = [
        dataclasses.replace(x, published=NOW - timedelta(hours=24 * i / len(fresh)))
        for i, x in enumerate(fresh)
    ]
    from storydiff.embed import get_embedder

    get_embedder()  # loaded once, outside the timings
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folder = a.keep or work
        folder.mkdir(parents=True, exist_ok=True)
        templates = {}
        for size in a.sizes:
            t0 = time.perf_counter()
            templates[size] = folder / f"archive{size}-{a.spacing:g}h.db"
            if not templates[size].exists():
                prefill(templates[size], archive_of(bodies, size, timedelta(hours=a.spacing)))
            print(
                f"archive of {size} articles stored and filed into stories in {time.perf_counter() - t0:.0f}s"
            )
        timed_run(None, work, new)  # warm-up: the linker's models load on first use
        # Cases take turns, so a machine busy for a while slows all of them alike.
        times: dict[int, list[tuple[float, float, int, int]]] = {0: [], **{size: [] for size in a.sizes}}
        for _ in range(a.repeat):
            times[0].append(timed_run(None, work, new))
            for size in a.sizes:
                times[size].append(timed_run(templates[size], work, new))
        empty, empty_wall, _, _ = min(times[0])
        print(f"adding {len(new)} articles to an empty store: {empty:.2f}s CPU ({empty_wall:.2f}s wall)")
        for size in a.sizes:
            full, wall, relinked, stories = min(times[size])
            print(
                f"adding {len(new)} articles to a store of {size}: {full:.2f}s CPU ({wall:.2f}s wall; "
                f"{relinked} articles in {stories} stories linked again); "
                f"ratio {full / empty:.2f} CPU, {wall / empty_wall:.2f} wall (target <= 1.15)"
            )


if __name__ == "__main__":
    main()
