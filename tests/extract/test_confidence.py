"""The quote confidence: what it reads in a quote, the shipped model's decisions, and the helpers
that learn it and measure what readers are shown (training/train_confidence.py, readers.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from storydiff import nlp
from storydiff.extract.confidence import (
    FEATURES,
    Model,
    confidences,
    cue_key,
    default_threshold,
    features,
    shipped_model,
)
from storydiff.model import Article, OffsetMap, Quote, Span, Speaker
from storydiff.nlp import token_starts

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str) -> ModuleType:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    folder = "training" if name.startswith("train_") else "benchmarks"
    spec = importlib.util.spec_from_file_location(f"{name}_benchmark", ROOT / folder / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _span(text: str, words: str) -> Span:
    start = text.index(words)
    return Span(start, start + len(words))


def quote(
    text: str,
    words: str,
    speaker: str | None,
    cue: str | None,
    kind: str = "indirect",
    name: str | None = None,
) -> Quote:
    """A quote of `words` in `text`, said by the words `speaker` with the cue `cue`."""
    mention = _span(text, speaker) if speaker else None
    return Quote(
        id="t:q1",
        article="t",
        span=_span(text, words),
        text=words,
        kind=kind,  # type: ignore[arg-type]
        speaker=Speaker(name, "named" if name else "description", mention, speaker),
        cue=cue,
        cue_span=_span(text, cue) if cue else None,
    )


def row(text: str, q: Quote, cues: dict[str, float] | None = None) -> dict[str, float]:
    doc = nlp.parse(text)
    values = features(text, doc, q, [Span(0, len(text))], token_starts(doc), cues)
    return dict(zip(FEATURES, values, strict=True))


def test_the_model_round_trips_with_its_cue_priors() -> None:
    n = len(FEATURES)
    model = Model((0.5,) * n, -0.2, (0.0,) * n, (1.0,) * n, 0.6, {"say": 1.2, "vote": -1.5})
    again = Model.from_json(model.to_json())
    assert again == model
    assert again.score([0.0] * n) == pytest.approx(1 / (1 + np.exp(0.2)))


def test_a_model_learned_on_other_features_is_refused() -> None:
    n = len(FEATURES)
    raw = Model((0.0,) * n, 0.0, (0.0,) * n, (1.0,) * n, 0.5).to_json()
    with pytest.raises(ValueError, match="retrain"):
        Model.from_json(raw.replace('"cue_prior"', '"cue_rate"'))
    with pytest.raises(ValueError, match="retrain"):
        Model.from_json(Model((0.0,), 0.0, (0.0,), (1.0,), 0.5).to_json())


def test_the_cue_prior_is_read_by_the_cue_lemma_and_an_unseen_cue_gets_none() -> None:
    text = "Mayor Tom Weller said the bridge would open in May."
    said = quote(text, "the bridge would open in May", "Mayor Tom Weller", "said", name="Tom Weller")
    doc = nlp.parse(text)
    assert cue_key(doc, said, token_starts(doc)) == "say"
    assert row(text, said, {"say": 1.25})["cue_prior"] == 1.25
    assert row(text, said, {"vote": -2.0})["cue_prior"] == 0.0
    assert row(text, said)["cue_prior"] == 0.0


def test_a_reported_clause_is_told_from_a_noun_phrase() -> None:
    text = "Mayor Tom Weller said the bridge would open in May."
    clause = row(text, quote(text, "the bridge would open in May", "Mayor Tom Weller", "said"))
    assert clause["clause"] == 1.0 and clause["object"] == 0.0
    text = "The council pushed policy proposals on Tuesday."
    nominal = row(text, quote(text, "policy proposals", "The council", "pushed"))
    assert nominal["clause"] == 0.0 and nominal["object"] == 1.0


def test_a_thing_as_speaker_is_told_from_someone() -> None:
    text = "Ostrava, which has not voted for a mayor from the harbor in 30 years, is in play."
    thing = row(text, quote(text, "for a mayor from the harbor in 30 years", "which", "voted"))
    assert thing["speaker_thing"] == 1.0
    text = "Mayor Tom Weller said the bridge would open in May."
    someone = row(text, quote(text, "the bridge would open in May", "Mayor Tom Weller", "said"))
    assert someone["speaker_thing"] == 0.0


@pytest.mark.skipif(shipped_model() is None, reason="no confidence model shipped")
def test_the_shipped_model_shows_what_someone_said_and_hides_what_a_thing_offers() -> None:
    text = (
        "Mayor Tom Weller said the bridge would open in May.\n\n"
        "The territory offers more delegates than the other contests."
    )
    said = quote(text, "the bridge would open in May", "Mayor Tom Weller", "said", name="Tom Weller")
    offers = quote(text, "more delegates than the other contests", "The territory", "offers")
    doc = nlp.parse(text)
    paragraphs = [Span(0, text.index("\n\n")), Span(text.index("The territory"), len(text))]
    sure = confidences(text, doc, [said, offers], paragraphs)
    assert sure[0] is not None and sure[1] is not None
    assert sure[0] >= default_threshold() > sure[1]


def test_quoted_words_inside_a_quote_are_shown_with_it_but_a_paraphrase_inside_keeps_its_own() -> None:
    from storydiff.extract.confidence import _with_containers

    text = (
        "Chief executive Pavel Ruzic said the firm had halted all blasting on the line and called it "
        "“a pause”."
    )
    outer = quote(
        text, "the firm had halted all blasting on the line and called it “a pause”", "Pavel Ruzic", "said"
    )
    inner = quote(text, "on the line", None, "blasting")
    marked = quote(text, "“a pause”", None, "called", kind="partial")
    assert _with_containers([outer, inner, marked], [0.97, 0.66, 0.5]) == [0.97, 0.66, 0.97]


# --- the benchmarks' helpers ---------------------------------------------------------------------


def test_said_share_counts_the_letters_annotators_marked_as_said(tmp_path: Path) -> None:
    readers = _load("readers")
    text = "Weller said the bridge would open in May. The ferry runs daily."
    (tmp_path / "attributions").mkdir()
    start = text.index("the bridge")
    end = start + len("the bridge would open in May")
    (tmp_path / "attributions" / "a1_first.ann").write_text(
        f"T1\tContent {start} {end}\tthe bridge would open in May\n", encoding="utf-8"
    )
    # a later annotator's file of the same article is not the gold
    (tmp_path / "attributions" / "a1_second.ann").write_text("T1\tContent 0 5\tWelle\n", encoding="utf-8")
    where = readers.contents(tmp_path)
    assert where == {"a1": [[(start, end)]]}
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))
    inside = quote(text, "the bridge would open", "Weller", "said")
    half = quote(text, "open in May. The ferry", None, None)
    outside = quote(text, "The ferry runs daily", None, None)
    assert readers.said_share(article, inside, where["a1"]) == 1.0
    assert 0.4 < readers.said_share(article, half, where["a1"]) < 0.6
    assert readers.said_share(article, outside, where["a1"]) == 0.0


def test_cue_priors_rank_cues_by_how_often_they_head_someones_words() -> None:
    train = _load("train_confidence")
    cue = np.array(["say"] * 50 + ["vote"] * 50 + ["mutter"])
    y = np.array([True] * 48 + [False] * 2 + [True] * 20 + [False] * 30 + [False])
    priors = train.cue_priors(cue, y)
    assert priors["say"] > 0 > priors["vote"]
    assert abs(priors["mutter"]) < abs(priors["vote"])  # one quote: pulled towards all quotes


def test_the_threshold_is_the_lowest_that_reaches_the_precision_unless_direct_quotes_pay() -> None:
    train = _load("train_confidence")
    p = np.array([0.9, 0.8, 0.7, 0.6, 0.3])
    found = np.array([True, True, True, False, False])
    direct = np.array([True, False, True, False, False])
    r = train.Rows(
        np.zeros((5, 1)), np.array([""] * 5), found, found, direct, np.zeros(5, np.int64), np.array([2])
    )
    everything = np.ones(5, bool)
    assert train.chosen(p, r, found, everything, 2, 1.0, 0.0) == pytest.approx(0.61)
    # precision 1.0 would hide the direct quote at 0.7: with no loss allowed it stays shown
    direct[2], p[2] = True, 0.5
    assert train.chosen(p, r, found, everything, 2, 1.0, 0.0) == pytest.approx(0.5)


def test_a_stretch_of_a_longer_attribution_is_someones_words_though_it_finds_no_gold() -> None:
    readers, bench = _load("readers"), _load("attribution")
    text = "Weller said the bridge would open in May and the ferry would stop in June. The ferry runs daily."
    said = "the bridge would open in May and the ferry would stop in June"
    start = text.index(said)
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))
    gold = [bench.Gold(said, "Weller")]
    stretch = quote(text, "the bridge would open in May", "Weller", "said", name="Weller")
    narrator = quote(text, "The ferry runs daily", None, None)
    judged = readers.judge(article, [stretch, narrator], gold, [[(start, start + len(said))]])
    assert judged.found == [False, False]  # under the benchmark's rule, neither finds the gold
    assert judged.said == [True, False]  # but only the narrator's sentence is words nobody said
