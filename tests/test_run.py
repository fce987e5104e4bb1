"""The same findings whichever executor ran the per-article work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storydiff.model import Analysis, RawDocument, Skipped
from storydiff.pipeline import analyze, run_documents
from storydiff.report import json as json_report
from storydiff.run.executors import WorkSettings, process_batch
from storydiff.run.progress import Progress


def _findings(analysis: Analysis) -> dict[str, object]:
    report = json.loads(json_report.dumps(analysis))
    report.pop("generator")
    return report


def test_process_pool_gives_the_same_report_as_inline(sample_analysis: Analysis, samples_dir: Path) -> None:
    pooled = analyze([str(samples_dir)], engine="pool", workers=2)
    assert _findings(pooled) == _findings(sample_analysis)


def test_a_failing_document_is_skipped_and_the_others_kept() -> None:
    good = RawDocument(text="“We are ready,” Mayor Ana Petrov said on Monday.", path="good.txt")
    bad = RawDocument(text="Plain text.", path="bad.txt")
    bad.text = None  # type: ignore[assignment]  # a reader bug: no text at all
    results = process_batch([good, bad], WorkSettings())
    assert [type(r).__name__ for r in results] == ["Article", "Skipped"]
    analysis = run_documents([good, bad])
    assert [a.path for a in analysis.articles] == ["good.txt"]
    assert analysis.skipped[0].path == "bad.txt" and "failed" in analysis.skipped[0].reason


def test_ray_gives_the_same_report_as_inline(sample_analysis: Analysis, samples_dir: Path) -> None:
    ray = pytest.importorskip("ray")
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
