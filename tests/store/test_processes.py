"""`storydiff analyze --db` in real subprocesses: killed with SIGKILL mid-way and re-run; two
writers on one database at once.

The subprocesses run the real CLI, reader, cleaner, pipeline, linker and store, with a stand-in for
spaCy and the extractor (`fake_nlp_cli.py`) so that 120 articles take seconds.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from store_helpers import fake_extract

from storydiff.model import Article, OffsetMap
from storydiff.store import Store, open_store
from storydiff.store import schema as t

HERE = Path(__file__).resolve().parent
N = 120

PEOPLE = ["Anna Berg", "Tomas Ruud", "Lena Holm", "Omar Haddad", "Mei Tanaka", "Pablo Ortiz"]
TOPICS = ["harbour", "ceasefire", "budget", "election", "drought", "railway"]


def write_corpus(folder: Path, n: int = N) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        who = PEOPLE[(i // len(TOPICS)) % len(PEOPLE)]
        text = (
            f"The {topic} talks, report {i}\n\n"
            f'{who} said "the {topic} plan number {i} will work if we keep our promises" on Monday.\n\n'
            f"About {i + 3} people attended the meeting in the town hall.\n\n"
            f'"We will look at the {topic} again next week," said {who}.\n'
        )
        path = folder / f"article-{i:03d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def analyze(db_url: str, inputs: list[str], delay: float = 0.0, batch: int = 50) -> subprocess.Popen[str]:
    env = {**os.environ, "STORYDIFF_TEST_DELAY": str(delay), "STORYDIFF_DB_BATCH": str(batch)}
    env["STORYDIFF_EMBEDDER"] = "lexical"  # no model to load: the linker's fastest backend
    cmd = [
        sys.executable,
        str(HERE / "fake_nlp_cli.py"),
        "analyze",
        *inputs,
        "--db",
        db_url,
        "--json",
        os.devnull,
    ]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def count_articles(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(t.articles)) or 0)


def assert_nothing_half_written(store: Store) -> None:
    """Every stored article has exactly the findings its text gives, and nothing points nowhere."""
    ids = [a for a in store.latest_article_ids()]
    for article in store.load_articles(ids):
        fresh = fake_extract(
            Article(article.id, article.text, article.text, OffsetMap.identity(len(article.text)))
        )
        assert [q.text for q in article.quotes] == [q.text for q in fresh.quotes], article.path
        assert [c.text for c in article.claims] == [c.text for c in fresh.claims], article.path
        assert article.quotes, article.path
    with store.engine.connect() as conn:
        docs = conn.scalar(sa.select(sa.func.count()).select_from(t.search_docs))
        findings = sum(
            int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
            for table in (t.quotes, t.claims)
        )
        assert docs == findings  # the search index has every quote and claim, no more
        if store.dialect == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def summary(stderr: str) -> tuple[int, int]:
    """(new articles, already stored) from the `stored in` line."""
    found = re.search(r"(\d+) new articles, \d+ new versions, \d+ unchanged, (\d+) already stored", stderr)
    assert found, stderr
    return int(found.group(1)), int(found.group(2))


def test_killed_mid_way_then_rerun_stores_each_article_once(
    db_url: str, tmp_path: Path, wait_for: Callable[[Callable[[], bool], float], bool]
) -> None:
    write_corpus(tmp_path / "articles")
    inputs = [str(tmp_path / "articles")]
    with open_store(db_url) as store:
        proc = analyze(db_url, inputs, delay=0.04, batch=20)
        try:
            assert wait_for(lambda: count_articles(store) >= 40, 90), (
                proc.stderr.read() if proc.stderr else ""
            )
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        killed_at = count_articles(store)
        assert 40 <= killed_at < N, "the run finished before it could be killed: raise the delay"
        assert killed_at % 20 == 0  # whole transactions only
        assert_nothing_half_written(store)
        assert [r["status"] for r in store.runs()] == ["running"]  # it never got to say it was done

        rerun = analyze(db_url, inputs)
        _, err = rerun.communicate(timeout=180)
        assert rerun.returncode == 0, err
        assert summary(err) == (N - killed_at, killed_at)  # only what was missing was analysed
        assert count_articles(store) == N
        with store.engine.connect() as conn:
            paths = conn.execute(sa.select(t.articles.c.path)).scalars().all()
        assert len(set(paths)) == N  # each article exactly once
        assert_nothing_half_written(store)
        assert store.runs()[-1]["status"] == "done" and store.runs()[-1]["articles_added"] == N - killed_at
        assert store.counts()["stories"] > 0  # linked across both runs' articles
        linked = {a for s in store.load_analysis().stories for a in s.articles}
        assert len(linked) == N

        third = analyze(db_url, inputs)
        _, err = third.communicate(timeout=180)
        assert third.returncode == 0 and summary(err) == (0, N)


def test_two_writers_on_one_database(db_url: str, tmp_path: Path) -> None:
    paths = [str(p) for p in write_corpus(tmp_path / "articles")]
    # Overlapping halves, small batches: the two processes contend for the write lock all along.
    first = analyze(db_url, paths[: 2 * N // 3], delay=0.005, batch=3)
    second = analyze(db_url, paths[N // 3 :], delay=0.005, batch=3)
    results = [p.communicate(timeout=300) for p in (first, second)]
    for proc, (_, err) in zip((first, second), results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err, err
    with open_store(db_url) as store:
        assert count_articles(store) == N
        assert_nothing_half_written(store)
        # Whichever relinked last saw everything both stored.
        assert len({a for s in store.load_analysis().stories for a in s.articles}) == N
        assert {r["status"] for r in store.runs()} == {"done"}


def test_a_reader_during_writes_never_fails(sqlite_url: str, tmp_path: Path) -> None:
    paths = [str(p) for p in write_corpus(tmp_path / "articles", 60)]
    with open_store(sqlite_url) as store:
        writer = analyze(sqlite_url, paths, delay=0.01, batch=2)
        searches = 0
        while writer.poll() is None:
            store.search("plan OR promises")
            store.stories()
            searches += 1
            time.sleep(0.01)
        assert writer.returncode == 0, writer.stderr.read() if writer.stderr else ""
        assert searches > 0 and len(store.search("promises", kind="quote", limit=100)) == 60
