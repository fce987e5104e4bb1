"""Store insert and search speed, SQLite and PostgreSQL measured in the same run.

    .venv/bin/python benchmarks/store.py [--data DIR] [--n 10000] [--db-url postgresql+psycopg://...]

Articles are real news texts (default: ../shared/data/polnear/train/text) cycled to N, each copy
made distinct (its own URL, outlet, date and a closing line). Their findings are SYNTHETIC, made
by a regex stand-in for the extractor (quoted passages with the nearest "Firstname Lastname" as
speaker, sentences with numbers as claims) so the benchmark needs no spaCy: the store sees the
same shape and volume of rows, not storydiff's real extraction. Cross-article links are synthetic
too (a story per source text, an entity per speaker, a quote link per repeated quote).

Inserts go through `storydiff.archive.store_run`, as `storydiff analyze --db` does: a recorded run
storing batches of 50 articles, one transaction each, then its links. PostgreSQL is the server at
--db-url, else a throwaway one started from the local PostgreSQL binaries (as the `postgres` user
when run as root), else skipped.
Search latency is over a fixed set of queries (words, phrases, prefixes, OR, filters), each run
several times after one warm-up; p50/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from storydiff import archive  # noqa: E402
from storydiff.model import (  # noqa: E402
    Analysis,
    Article,
    Claim,
    Entity,
    EntityMention,
    OffsetMap,
    Quote,
    QuoteLink,
    Span,
    Speaker,
    Story,
    article_id,
)
from storydiff.store import Store, open_store  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "polnear" / "train" / "text"
BATCH = 50
OUTLETS = ["Northbridge Wire", "Coastal Daily Post", "The Meridian Ledger", "Harbor Times", "Valley Courier"]
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("president", {}),
    ("tax plan", {}),
    ('"white house"', {}),
    ("immigra*", {}),
    ("economy OR jobs", {}),
    ("debate", {"speaker": "Trump"}),
    ("campaign", {"outlet": "Wire"}),
    ("voters", {"since": datetime(2015, 11, 15)}),
    ("million", {"kind": "claim"}),
    ("'; DROP TABLE quotes; --", {}),
    ("health care", {"speaker": "Clinton", "outlet": "Post"}),
    ("zzyzx", {}),
]
REPEATS = 5

_QUOTE = re.compile(r"[\"“]([^\"”“]{12,400})[\"”]")
_NAME = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]")
_DIGIT = re.compile(r"\d")


def synthetic_findings(article: Article) -> None:
    text = article.text
    for n, m in enumerate(_QUOTE.finditer(text), start=1):
        before = list(_NAME.finditer(text, max(0, m.start() - 150), m.start()))
        name_match = before[-1] if before else _NAME.search(text, m.end(), min(len(text), m.end() + 80))
        mention = name = None
        if name_match is not None:
            name = name_match.group(1)
            mention = Span(name_match.start(1), name_match.end(1))
            article.mentions.append(EntityMention(mention, name, "PERSON", name))
        span = Span(m.start(1), m.end(1))
        speaker = Speaker(name, "named" if name else "unknown", mention, name)
        article.quotes.append(
            Quote(f"{article.id}:q{n}", article.id, span, span.of(text), "direct", speaker, "said")
        )
    numbered = (m for m in _SENTENCE.finditer(text) if _DIGIT.search(m.group()))
    for n, m in enumerate(numbered, start=1):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        span = Span(start, m.end())
        article.claims.append(Claim(f"{article.id}:c{n}", article.id, span, span.of(text), "number"))


def load_texts(folder: Path) -> list[tuple[str, str]]:
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise SystemExit(f"no .txt files in {folder}: give --data DIR")
    return [(f.name, f.read_text(encoding="utf-8", errors="replace")) for f in files]


def make_corpus(texts: list[tuple[str, str]], n: int) -> Analysis:
    analysis = Analysis()
    start = datetime(2015, 11, 1)
    members: dict[int, list[str]] = defaultdict(list)
    for i in range(n):
        source, body = texts[i % len(texts)]
        text = body.strip() + f"\n\n(Copy {i} of {source}.)"
        outlet = OUTLETS[i % len(OUTLETS)]
        url = f"https://bench.example/{i}/{source}"
        aid = article_id(url, text)
        article = Article(
            id=aid,
            raw=text,
            text=text,
            offsets=OffsetMap.identity(len(text)),
            url=url,
            outlet=outlet,
            title=text.split("\n", 1)[0][:200],
            published=start + timedelta(hours=i % 720),
            path=source,
        )
        synthetic_findings(article)
        analysis.articles.append(article)
        members[i % len(texts)].append(aid)
    analysis.stories = [Story(f"s{k}", ids) for k, ids in sorted(members.items())]
    by_name: dict[str, Entity] = {}
    by_text: dict[str, list[str]] = defaultdict(list)
    for article in analysis.articles:
        for m in article.mentions:
            entity = by_name.setdefault(m.canonical, Entity(f"e{len(by_name) + 1}", m.canonical, "PERSON"))
            m.entity = entity.id
            if m.text not in entity.aliases:
                entity.aliases.append(m.text)
            if not entity.articles or entity.articles[-1] != article.id:
                entity.articles.append(article.id)
        for q in article.quotes:
            q.speaker.entity = by_name[q.speaker.name].id if q.speaker.name else None
            by_text[q.text].append(q.id)
    analysis.entities = list(by_name.values())
    analysis.quote_links = [QuoteLink(ids[:8], "identical", 1.0) for ids in by_text.values() if len(ids) > 1]
    return analysis


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def throwaway_postgres() -> Iterator[str | None]:
    """A URL of a fresh PostgreSQL server in a temp folder, or None when none can be started."""
    bindirs = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    found = shutil.which("initdb")
    bindir = bindirs[0] if bindirs else (Path(found).resolve().parent if found else None)
    if bindir is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="storydiff-bench-pg-"))
    as_postgres = os.geteuid() == 0
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if as_postgres else []
    port = _free_port()
    data = root / "data"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*prefix, *args], capture_output=True, text=True, cwd=root, timeout=120)

    init = run(
        str(bindir / "initdb"), "-D", str(data), "-U", "storydiff", "-A", "trust", "-E", "UTF8", "--locale=C"
    )
    started = init.returncode == 0 and (
        run(
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(root / "log"),
            "-w",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {port} -k {root}",
            "start",
        ).returncode
        == 0
    )
    try:
        yield f"postgresql+psycopg://storydiff@127.0.0.1:{port}/postgres" if started else None
    finally:
        if started:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def replay(corpus: Analysis) -> archive.Analyse:
    """The corpus handed over article by article, as the pipeline hands over what it analysed (an
    article the store already holds is taken from it instead)."""

    def analyse(on_article: Callable[[Article], None], resume: Callable[[str], Article | None]) -> Analysis:
        for article in corpus.articles:
            if resume(article.id) is None:
                on_article(article)
        return corpus

    return analyse


def measure(store: Store, corpus: Analysis) -> dict[str, Any]:
    articles = corpus.articles
    started = time.perf_counter()
    # One run as `storydiff analyze --db` makes it: batches of 50, one transaction each; the first
    # link of an empty store saves the run's own (synthetic) links; then the planner's statistics.
    run = archive.store_run(store, replay(corpus), settings={"inputs": ["bench"]}, batch_size=BATCH)
    run_s = time.perf_counter() - started
    assert len(run.stored.added) == len(articles) and len(run.linked.stories) == len(corpus.stories)
    started = time.perf_counter()
    again = sum(
        len(store.add_articles(articles[i : i + BATCH]).unchanged) for i in range(0, len(articles), BATCH)
    )
    rerun_s = time.perf_counter() - started
    assert again == len(articles)
    latencies: list[float] = []
    per_query: dict[str, int] = {}
    slowest: dict[str, float] = {}
    for text, filters in QUERIES:
        per_query[text] = len(store.search(text, **filters))  # warm-up
        times = []
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            store.search(text, **filters)
            times.append((time.perf_counter() - t0) * 1000)
        latencies += times
        slowest[text + (f" {filters}" if filters else "")] = statistics.median(times)
    started = time.perf_counter()
    loaded = store.load_analysis()
    load_s = time.perf_counter() - started
    assert len(loaded.articles) == len(articles)
    return {
        "run_s": run_s,
        "articles_per_s": len(articles) / run_s,
        "rerun_s": rerun_s,
        "load_s": load_s,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": max(latencies),
        "hits": per_query,
        "slowest": sorted(slowest.items(), key=lambda kv: -kv[1])[:3],
        "counts": store.counts(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of .txt news articles")
    parser.add_argument("--n", type=int, default=10_000, help="articles to insert (default 10000)")
    parser.add_argument("--db-url", help="a PostgreSQL URL to use (default: start a throwaway server)")
    parser.add_argument("--keep", type=Path, help="keep the SQLite file here instead of a temp folder")
    args = parser.parse_args()

    texts = load_texts(args.data)
    t0 = time.perf_counter()
    corpus = make_corpus(texts, args.n)
    print(
        f"corpus: {args.n} articles cycled from {len(texts)} texts in {args.data} "
        f"({sum(len(a.text) for a in corpus.articles) / 1e6:.1f}M characters), "
        f"{len(corpus.quotes)} quotes and {len(corpus.claims)} claims from a REGEX STAND-IN for the "
        f"extractor (no spaCy), {len(corpus.stories)} synthetic stories, "
        f"{len(corpus.quote_links)} quote links; "
        f"built in {time.perf_counter() - t0:.1f}s"
    )
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="storydiff-bench-") as tmp:
        sqlite_path = args.keep or Path(tmp) / "bench.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(sqlite_path) + suffix).unlink(missing_ok=True)
        with open_store(str(sqlite_path)) as store:
            results["sqlite"] = measure(store, corpus)
        results["sqlite"]["size_mb"] = sqlite_path.stat().st_size / 1e6
        with throwaway_postgres() if args.db_url is None else _given(args.db_url) as url:
            if url is None:
                print("postgresql: skipped (no --db-url and no local PostgreSQL binaries to start one)")
            else:
                with open_store(url) as store:
                    version = store.engine.dialect.server_version_info
                    name = f"postgresql {'.'.join(map(str, version or ()))}"
                    results[name] = measure(store, corpus)
                    with store.engine.connect() as conn:
                        size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
                    results[name]["size_mb"] = (size or 0) / 1e6

    print()
    header = (
        f"{'backend':16s} {'run s':>9s} {'art/s':>7s} {'re-run s':>9s} {'load s':>7s} "
        f"{'search p50':>11s} {'p95':>7s} {'max':>7s}"
    )
    print(header)
    for name, r in results.items():
        print(
            f"{name:16s} {r['run_s']:9.1f} {r['articles_per_s']:7.0f} "
            f"{r['rerun_s']:9.1f} "
            f"{r['load_s']:7.1f} {r['p50_ms']:9.1f}ms {r['p95_ms']:5.1f}ms {r['max_ms']:5.1f}ms"
        )
    print()
    first = next(iter(results.values()))
    print("rows:", ", ".join(f"{k} {v}" for k, v in first["counts"].items() if k != "runs"))
    for name, r in results.items():
        if "size_mb" in r:
            per_article = r["size_mb"] * 1e3 / args.n
            print(f"{name} size on disk: {r['size_mb']:.0f} MB ({per_article:.1f} KB/article)")
    for name, r in results.items():
        print(f"{name} slowest queries (median ms):", "; ".join(f"{q} {ms:.1f}" for q, ms in r["slowest"]))
    print("hits per query (limit 20):", "; ".join(f"{q!r}: {n}" for q, n in first["hits"].items()))
    print(
        "run = archive.store_run: a recorded run storing the articles in batches of 50 (one transaction "
        "each), saving the corpus's links (the first link of an empty store), then optimize(); "
        "re-run = add_articles of the same articles again (idempotent: all unchanged); "
        "load = load_analysis of all"
    )


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
