"""The same findings whichever executor ran the per-article work."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import storydiff.clean
from storydiff import pipeline
from storydiff.model import Analysis, Article, RawDocument, Skipped
from storydiff.pipeline import analyze, run_documents
from storydiff.report import json as json_report
from storydiff.run import executors
from storydiff.run.executors import WorkSettings, process_batch
from storydiff.run.progress import Progress
from storydiff.store import open_store


def _findings(analysis: Analysis) -> dict[str, object]:
    report = json.loads(json_report.dumps(analysis))
    report.pop("generator")
    return report


def test_process_pool_gives_the_same_report_as_inline(
    sample_analysis: Analysis, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "BATCH", 1)  # one article a batch: the pool gets several batches
    pooled = analyze([str(samples_dir)], engine="pool", workers=2)
    assert _findings(pooled) == _findings(sample_analysis)


def test_an_input_of_one_batch_runs_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(executors, "ProcessPoolExecutor", None)  # starting a pool would fail
    analysis = run_documents(_docs("a", "b"), engine="pool", workers=2)
    assert [a.path for a in analysis.articles] == ["a.txt", "b.txt"]


def test_a_failing_document_is_skipped_and_the_others_kept() -> None:
    good = RawDocument(text="“We are ready,” Mayor Ana Petrov said on Monday.", path="good.txt")
    bad = RawDocument(text="Plain text.", path="bad.txt")
    bad.text = None  # type: ignore[assignment]  # a reader bug: no text at all
    results = process_batch([good, bad], WorkSettings())
    assert [type(r).__name__ for r in results] == ["Article", "Skipped"]
    analysis = run_documents([good, bad])
    assert [a.path for a in analysis.articles] == ["good.txt"]
    assert analysis.skipped[0].path == "bad.txt" and "failed" in analysis.skipped[0].reason


def test_ray_gives_the_same_report_as_inline(
    sample_analysis: Analysis, samples_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ray = pytest.importorskip("ray")
    monkeypatch.setattr(pipeline, "BATCH", 1)  # one task per article
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = analyze([str(samples_dir)], engine="ray", workers=2)
    finally:
        ray.shutdown()
    assert _findings(on_ray) == _findings(sample_analysis)


def test_progress_counts_articles_skipped_and_failed(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("“We are ready,” Mayor Ana Petrov said.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    with Progress(enabled=True) as progress:  # rich draws on stderr; the counts are what we check
        analysis = analyze([str(tmp_path)], on_article=progress.article, on_skipped=progress.skip)
        progress.skip(Skipped("x.txt", "failed: the worker process crashed on it"))
    assert (progress.articles, progress.skipped, progress.failed) == (1, 1, 1)
    assert len(analysis.skipped) == 1


# --- failure isolation: an article that crashes or hangs its worker costs that article only ---
# The pool forks its workers, so a `clean` patched here misbehaves inside them too.

CRASH, HANG, STUCK = "CRASH-THIS-WORKER", "HANG-IN-PYTHON", "HANG-IN-C"


def _docs(*names: str) -> list[RawDocument]:
    return [
        RawDocument(text=f"“We are ready,” Mayor Ana Petrov said of {name}.", path=f"{name}.txt")
        for name in names
    ]


def _misbehaving_clean(monkeypatch: pytest.MonkeyPatch) -> None:
    real = storydiff.clean.clean

    def clean(doc: RawDocument, outlet: str | None = None) -> Article:
        if CRASH in doc.text:
            os._exit(3)  # like a segfault in C code: no exception, the process is gone
        if HANG in doc.text:
            time.sleep(60)  # a runaway Python loop: interruptible by the worker's own alarm
        if STUCK in doc.text:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # deaf to the alarm, like C code
            time.sleep(60)
        return real(doc, outlet=outlet)

    monkeypatch.setattr(storydiff.clean, "clean", clean)
    monkeypatch.setattr(pipeline, "BATCH", 2)


def _outcome(analysis: Analysis) -> tuple[list[str | None], dict[str, str]]:
    return [a.path for a in analysis.articles], {s.path: s.reason for s in analysis.skipped}


def test_a_worker_that_crashes_costs_one_article_and_the_others_are_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _misbehaving_clean(monkeypatch)
    docs = _docs("a", "b", CRASH, "c", "d")
    with open_store(str(tmp_path / "run.db")) as store:
        with store.writer(None, batch_size=2) as writer:
            analysis = run_documents(docs, engine="pool", workers=2, on_article=writer)
        articles, skipped = _outcome(analysis)
        assert articles == ["a.txt", "b.txt", "c.txt", "d.txt"]
        assert list(skipped) == [f"{CRASH}.txt"] and "crashed" in skipped[f"{CRASH}.txt"]
        assert store.counts()["articles"] == 4
        # A re-run takes the stored articles as they are and retries only the one that failed.
        monkeypatch.undo()
        redone: list[Article] = []
        again = run_documents(docs, resume=store.stored_article, on_article=redone.append)
        assert [a.path for a in redone] == [f"{CRASH}.txt"]
        assert [a.path for a in again.articles] == ["a.txt", "b.txt", f"{CRASH}.txt", "c.txt", "d.txt"]


@pytest.mark.parametrize("engine", ["inline", "pool"])
def test_an_article_over_the_time_limit_is_failed_and_the_run_goes_on(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _misbehaving_clean(monkeypatch)
    started = time.monotonic()
    analysis = run_documents(_docs("a", HANG, "b", "c"), engine=engine, workers=2, time_limit=1)
    assert time.monotonic() - started < 30
    articles, skipped = _outcome(analysis)
    assert articles == ["a.txt", "b.txt", "c.txt"]
    assert "time limit (1 s per article)" in skipped[f"{HANG}.txt"]


def test_a_worker_stuck_where_no_alarm_reaches_is_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    _misbehaving_clean(monkeypatch)
    monkeypatch.setattr(executors, "KILL_GRACE", 1.0)
    started = time.monotonic()
    analysis = run_documents(_docs("a", STUCK, "b", "c"), engine="pool", workers=2, time_limit=1)
    assert time.monotonic() - started < 40
    articles, skipped = _outcome(analysis)
    assert articles == ["a.txt", "b.txt", "c.txt"]
    assert "time limit" in skipped[f"{STUCK}.txt"]


def test_pool_workers_end_when_the_run_is_killed(tmp_path: Path) -> None:
    """A `kill -9` of storydiff must not leave its worker processes behind, waiting forever."""
    script = tmp_path / "run.py"
    script.write_text(
        "import os, sys, time\n"
        "from storydiff.run.executors import PoolExecutor, WorkSettings\n"
        "pool = PoolExecutor(2)._pool(WorkSettings())\n"
        "pids = {pool.submit(os.getpid).result() for _ in range(8)}\n"
        "print(' '.join(map(str, pids)), flush=True)\n"
        "time.sleep(120)\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    workers = [int(pid) for pid in proc.stdout.readline().split()]
    assert workers
    proc.kill()
    proc.wait(10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
