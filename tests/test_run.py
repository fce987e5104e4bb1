"""The same findings whichever executor ran the per-article work."""

from __future__ import annotations

import json
from pathlib import Path

from storydiff.model import Analysis, RawDocument
from storydiff.pipeline import analyze, run_documents
from storydiff.report import json as json_report
from storydiff.run.executors import WorkSettings, process_batch


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
