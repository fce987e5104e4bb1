"""The learned quote rescorer: its numpy trees, its candidates, and the shipped model's choices."""

from __future__ import annotations

from importlib import resources

import numpy as np

from storydiff import nlp
from storydiff.extract.entities import extract_mentions
from storydiff.extract.quotes import rule_quotes
from storydiff.extract.rescore import (
    AS_IS,
    BEFORE_DASH,
    FRAME,
    FROM_THAT,
    WITH_OBJECT,
    Context,
    Item,
    Model,
    candidates,
    choose,
    feature_names,
    shipped_model,
)
from storydiff.model import Article, OffsetMap


def items_of(text: str) -> tuple[Context, list[Item]]:
    article = Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))
    doc = nlp.parse(text)
    rules = rule_quotes(article, doc, extract_mentions(article, doc))
    assert rules.items
    return rules.context, rules.items


def test_trees_score_in_numpy_and_survive_saving() -> None:
    # one stump on feature 1: x[1] <= 0.5 -> -2, else +2; log-odds start at 0, rate 1
    stump = Model(
        lemmas=("say",),
        feature=np.array([1, 0, 0]),
        threshold=np.array([0.5, 0.0, 0.0], dtype=np.float32),
        left=np.array([1, -1, -1]),
        right=np.array([2, -1, -1]),
        value=np.array([0.0, -2.0, 2.0], dtype=np.float32),
        roots=np.array([0]),
        depth=1,
        init=0.0,
        rate=1.0,
        cutoff=0.5,
    )
    x = np.array([[9.0, 0.0], [9.0, 1.0]])
    expected = 1 / (1 + np.exp([2.0, -2.0]))
    assert np.allclose(stump.score(x), expected)
    again = Model.load(stump.save())
    assert np.allclose(again.score(x), expected) and again.lemmas == ("say",) and again.cutoff == 0.5


def test_shipped_model_is_small_and_fits_the_features() -> None:
    blob = resources.files("storydiff").joinpath("data/rescore.npz").read_bytes()
    assert len(blob) < 2_000_000
    model = shipped_model()
    assert model is not None
    assert int(model.feature.max()) < len(feature_names(model.lemmas))
    assert 0.0 <= model.cutoff < 1.0


def test_candidates_include_the_frame_content_around_a_quote() -> None:
    text = "Trump called the plan \u201ca total disaster\u201d on Monday."
    ctx, items = items_of(text)
    partial = next(it for it in items if text[it.span.start : it.span.end] == "a total disaster")
    spans = {kind: text[s.start : s.end] for kind, s in candidates(ctx, partial)}
    assert spans[AS_IS] == "a total disaster"
    assert "the plan \u201ca total disaster\u201d" in spans[FRAME]


def test_candidates_with_the_object_a_quote_describes() -> None:
    for text, expected in [
        ("Varga described the old ferry as \u201ca floating wreck\u201d last week.", "the old ferry as"),
        ("Varga called the old ferry \u201ca floating wreck\u201d last week.", "the old ferry \u201c"),
    ]:
        ctx, items = items_of(text)
        partial = next(it for it in items if text[it.span.start : it.span.end] == "a floating wreck")
        spans = {kind: text[s.start : s.end] for kind, s in candidates(ctx, partial)}
        assert spans[WITH_OBJECT].startswith(expected) and spans[WITH_OBJECT].endswith("wreck")


def test_candidates_stop_at_a_dash_and_keep_a_leading_that() -> None:
    text = "Varga said the ferry would sail on Friday \u2014 a promise the dockers doubt."
    ctx, items = items_of(text)
    item = next(it for it in items if "ferry" in text[it.span.start : it.span.end])
    spans = {kind: text[s.start : s.end] for kind, s in candidates(ctx, item)}
    assert spans[BEFORE_DASH] == "the ferry would sail on Friday"
    text = "Varga told the crowd that the ferry was \u201cas good as new\u201d after the repairs."
    ctx, items = items_of(text)
    partial = next(it for it in items if text[it.span.start : it.span.end] == "as good as new")
    spans = {kind: text[s.start : s.end] for kind, s in candidates(ctx, partial)}
    assert spans[FROM_THAT] == "that the ferry was \u201cas good as new"  # (the closing mark: later)


def test_shipped_model_keeps_a_plain_direct_quote() -> None:
    text = "\u201cWe will build the bridge next year,\u201d Maria Lopez said."
    ctx, items = items_of(text)
    model = shipped_model()
    assert model is not None
    chosen = choose(ctx, items, model)
    assert [text[s.start : s.end] for s in chosen if s is not None] == ["We will build the bridge next year"]


def test_shipped_model_leaves_the_narrators_time_out_of_a_called_clause() -> None:
    text = "Trump called the plan \u201ca total disaster\u201d on Monday."
    ctx, items = items_of(text)
    model = shipped_model()
    assert model is not None
    chosen = [text[s.start : s.end] for s in choose(ctx, items, model) if s is not None]
    assert "the plan \u201ca total disaster\u201d" in chosen
    assert "a total disaster" in chosen  # the partial quote inside it stays


def test_no_candidate_holds_the_quotes_own_cue() -> None:
    # the `that` of a relative clause before the cue is no lead into the quote
    text = "Asked about the boat that sank, Varga said, \u201cNot going to go into that.\u201d"
    ctx, items = items_of(text)
    item = next(it for it in items if text[it.span.start : it.span.end].startswith("Not going"))
    assert item.cue is not None and text[item.cue.start : item.cue.end] == "said"
    spans = [s for _, s in candidates(ctx, item)]
    assert spans and not any(s.contains(item.cue) for s in spans)
