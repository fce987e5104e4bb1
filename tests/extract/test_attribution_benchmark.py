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


def test_agreement_scores_annotators_against_each_other(tmp_path: Path) -> None:
    ann = tmp_path / "attributions"
    ann.mkdir()
    # two people annotated article a: they agree on one attribution of two; b has one annotator
    (ann / "a_x.ann").write_text(
        "T1\tContent 0 20\tthe bridge will open\nT2\tSource 21 26\tLopez\n"
        "T3\tContent 30 45\ttaxes will rise\nE1\tAttribution:T9 Content:T1 Source:T2\n"
        "E2\tAttribution:T8 Content:T3\n",
        encoding="utf-8",
    )
    (ann / "a_y.ann").write_text(
        "T1\tContent 0 20\tthe bridge will open\nT2\tSource 21 26\tMaria Lopez\n"
        "E1\tAttribution:T9 Content:T1 Source:T2\n",
        encoding="utf-8",
    )
    (ann / "b_x.ann").write_text("T1\tContent 0 4\tnone\nE1\tAttribution:T9 Content:T1\n", encoding="utf-8")
    annotations = bench.load_annotations(tmp_path)
    assert sorted(annotations["a"]) == ["x", "y"]
    assert bench.load_gold(tmp_path)["a"] == annotations["a"]["x"]
    ours = {"a": [("the bridge will open", ["Lopez", None])], "b": [("none", [None, None])]}
    human, mine, n = bench.agreement(annotations, ours)
    assert n == 1  # b has a single annotator: no agreement to measure there
    # x against y finds 1 of 2; y against x finds 1 of 1, speakers right both ways
    assert (human.gold, human.found, human.predicted, human.speaker_right) == (3, 2, 3, 2)
    assert (mine.gold, mine.found, mine.predicted) == (3, 2, 2)


@pytest.mark.skipif(not (DEV / "text").is_dir(), reason="PolNeAR not available (../shared/data)")
def test_benchmark_runs_on_a_few_dev_articles(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--data", str(DEV), "--limit", "3", "--no-textacy"]) == 0
    out = capsys.readouterr().out
    assert "storydiff" in out and "ratio" in out


def test_intervals_resample_whole_articles() -> None:
    gold = {
        "a": [bench.Gold("the bridge will open", "Lopez")],
        "b": [bench.Gold("taxes will rise", "Varga")],
    }
    # the same article twice over: every resample gives the same figures
    same = bench.intervals({"a": gold["a"]}, {"a": [("the bridge will open", ["Lopez"])]}, draws=50)
    assert same["F1"] == (1.0, 1.0) and same["speaker acc"] == (1.0, 1.0)
    # one article right, one missed: resamples range from all missed to all found
    mixed = bench.intervals(gold, {"a": [("the bridge will open", ["Lopez"])]}, draws=500)
    lo, hi = mixed["F1"]
    assert lo == 0.0 and hi == 1.0
    assert bench.intervals({}, {}) == {}
