"""The benchmark's scoring rule on toy cases, and a smoke run on PolNeAR when it is there."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"


def _benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "attribution.py"
    spec = importlib.util.spec_from_file_location("attribution_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _benchmark()


def test_overlap_jaccard_and_containment() -> None:
    assert bench.overlap("the bridge will open", "the bridge will open") == 1.0
    # 80 % of the shorter inside the longer, lengths within 2x: a match
    assert bench.overlap("that the bridge will open in May", "the bridge will open in May") == 1.0
    assert bench.overlap("a b c d", "e f g h") == 0.0
    assert bench.overlap("", "anything") == 0.0


def test_nested_predictions_are_not_counted_twice() -> None:
    preds = [("they would discuss all issues", ["Putin", None]), ("all issues", ["Putin", None])]
    assert bench.without_nested(preds) == preds[:1]


def test_speaker_match_ignores_stopwords() -> None:
    assert bench.speaker_matches("Mr. Trump", ["Trump", None])
    assert bench.speaker_matches("he", ["he", "Donald Trump"])
    assert not bench.speaker_matches("the", ["the"])


def test_score_greedy_one_to_one() -> None:
    gold = {"a": [bench.Gold("the bridge will open", "Lopez"), bench.Gold("the bridge will open", "Lopez")]}
    s = bench.score(gold, {"a": [("the bridge will open", ["Lopez", "Maria Lopez"])]})
    assert (s.found, s.gold, s.predicted, s.speaker_right) == (1, 2, 1, 1)


@pytest.mark.skipif(not (DEV / "text").is_dir(), reason="PolNeAR not available (../shared/data)")
def test_benchmark_runs_on_a_few_dev_articles(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--data", str(DEV), "--limit", "3", "--no-textacy"]) == 0
    out = capsys.readouterr().out
    assert "storydiff" in out and "ratio" in out
