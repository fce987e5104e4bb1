"""The content tagger: its numpy LSTM, its decoding, its input, and how quotes.py uses what it finds."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from storydiff import nlp
from storydiff.extract.cues.lexicon import shipped_lexicon
from storydiff.extract.entities import extract_mentions
from storydiff.extract.quotes import find_quotes
from storydiff.extract.rescore import Model
from storydiff.extract.tagger import (
    DEPS,
    EXTENT_FEATURES,
    HEAD_REACH,
    N_FLAGS,
    N_QUOTE,
    POS,
    TAG_B,
    TAG_I,
    Reading,
    Tagger,
    _bilstm,
    extent_rows,
    features,
    shipped_tagger,
    tagged_spans,
)
from storydiff.model import Article, OffsetMap, Quote, Span


def article(text: str) -> Article:
    return Article(id="t", raw=text, text=text, offsets=OffsetMap.identity(len(text)))


def constant_tagger(bias: tuple[float, float, float], cutoff: float = 0.5, hidden: int = 2) -> Tagger:
    """A tagger whose LSTM weights are all zero: every token gets softmax(`bias`)."""
    n_in = 96 + 8 + 16 + 8 + N_FLAGS + N_QUOTE
    zeros = lambda *shape: np.zeros(shape, np.float32)  # noqa: E731
    direction = (zeros(4 * hidden, n_in), zeros(4 * hidden, hidden), zeros(4 * hidden))
    return Tagger(
        (zeros(len(POS) + 2, 8), zeros(len(DEPS) + 5, 16), zeros(2 * HEAD_REACH + 1, 8)),
        (direction + direction,),
        zeros(3, 2 * hidden),
        np.array(bias, np.float32),
        cutoff,
    )


def _textbook(x: np.ndarray, w_ih: np.ndarray, w_hh: np.ndarray, b: np.ndarray) -> list[list[float]]:
    """An LSTM written out one cell at a time (gates i, f, g, o)."""
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    hidden = w_hh.shape[1]
    h, c, out = np.zeros(hidden), np.zeros(hidden), []
    for row in x:
        z = w_ih @ row + w_hh @ h + b
        i, f, g, o = (z[k * hidden : (k + 1) * hidden] for k in range(4))
        c = np.array([sig(f[j]) * c[j] + sig(i[j]) * math.tanh(g[j]) for j in range(hidden)])
        h = np.array([sig(o[j]) * math.tanh(c[j]) for j in range(hidden)])
        out.append(h.tolist())
    return out


def test_lstm_matches_the_textbook_cell_both_ways_and_paragraph_by_paragraph() -> None:
    rng = np.random.default_rng(0)
    fw = [rng.normal(size=s).astype(np.float32) for s in ((8, 3), (8, 2), (8,))]
    bw = [rng.normal(size=s).astype(np.float32) for s in ((8, 3), (8, 2), (8,))]
    tokens = rng.normal(size=(6, 3)).astype(np.float32)
    # two paragraphs, tokens 0-3 and 4-5, the longer first; -1 past the end of the shorter
    forward = np.array([[0, 4], [1, 5], [2, -1], [3, -1]])
    backward = np.array([[3, 5], [2, 4], [1, -1], [0, -1]])
    h_f, h_b = _bilstm(tokens, forward, backward, [4, 2], (*fw, *bw))
    for k, (a, b) in enumerate([(0, 4), (4, 6)]):
        n = b - a
        assert np.allclose(h_f[:n, k], _textbook(tokens[a:b], *fw), atol=1e-5)
        assert np.allclose(h_b[:n, k], _textbook(tokens[a:b][::-1], *bw), atol=1e-5)


def test_tagged_spans_run_from_a_begin_through_its_insides() -> None:
    b, i = TAG_B, TAG_I
    tags = [0, b, i, i, 0, i, i, b, i, 0, i]
    punct = [False] * 10 + [True]
    p = np.eye(3)[tags]
    # an I after an O opens a span too, unless it is a punctuation mark
    assert tagged_spans(p, punct) == [(1, 4), (5, 7), (7, 9)]


def test_features_mark_quotes_flags_and_found_quotes() -> None:
    text = "Maria Lopez said \u201cthe ferry runs\u201d today."
    doc = nlp.parse(text)
    x = features(doc, shipped_lexicon(), [(Span(18, 32), "direct")])
    assert x.dense.shape == (len(doc), 96 + N_FLAGS + N_QUOTE) and x.ids.shape == (len(doc), 3)
    said = next(t.i for t in doc if t.text == "said")
    ferry = next(t.i for t in doc if t.text == "ferry")
    flags = x.dense[:, 96 : 96 + N_FLAGS]
    assert flags[said, 0] == 1  # a cue lemma
    assert flags[ferry, 1] == 1 and flags[said, 1] == 0  # inside the quote or not
    assert flags[doc[0].i, 6] == 1  # a person
    found = x.dense[:, 96 + N_FLAGS :]
    assert found[:, 0].nonzero()[0].tolist() == [ferry - 1] and found[ferry, 2] == 1
    assert x.paragraphs == [(0, len(doc))]


def test_constant_tagger_adds_what_touches_no_quote_in_text_order() -> None:
    text = "Maria Lopez said \u201cthe ferry runs.\u201d\n\nThe harbour was quiet all week."
    doc = nlp.parse(text)
    a = article(text)
    found = find_quotes(a, doc, extract_mentions(a, doc), tagger=constant_tagger((0.0, 0.0, 5.0)))
    texts = [(q.text, q.kind) for q, _ in found]
    assert ("The harbour was quiet all week.", "indirect") in texts
    assert all("Maria Lopez said" not in t for t, _ in texts)  # its paragraph holds a quote
    assert [q.id for q, _ in found] == [f"t:q{n}" for n in range(1, len(found) + 1)]
    # unsure tokens (softmax of a flat bias: B+I = 2/3) stay out under a higher cutoff
    unsure = find_quotes(
        a, doc, extract_mentions(a, doc), tagger=constant_tagger((0.0, 0.0, 0.0), cutoff=0.7)
    )
    assert [q.text for q, _ in unsure] == [q.text for q, _ in find_quotes(a, doc, extract_mentions(a, doc))]


class _Fixed(Tagger):
    """A tagger that tags one given token range."""

    tagged = (3, 6)

    def extra(self, doc, cue_lemmas, found, reading=None):  # type: ignore[no-untyped-def, override]
        return [self.tagged]


def fixed_tagger(i: int, j: int) -> Tagger:
    base = constant_tagger((0.0, 0.0, 0.0))
    fixed = _Fixed(base.embeddings, base.layers, base.out_w, base.out_b, base.cutoff)
    object.__setattr__(fixed, "tagged", (i, j))
    return fixed


def tagged_quote(text: str, i: int, j: int) -> Quote:
    """The quote made of tokens [i, j) of `text` when a tagger tags just those."""
    doc = nlp.parse(text)
    a = article(text)
    found = find_quotes(a, doc, extract_mentions(a, doc), tagger=fixed_tagger(i, j))
    return next(q for q, _ in found if q.text == doc[i:j].text)


def test_a_tagged_content_takes_the_subject_of_the_word_it_hangs_on() -> None:
    text = "Maria Lopez liked the new ferry."
    doc = nlp.parse(text)
    assert doc[3:6].text == "the new ferry"
    q = tagged_quote(text, 3, 6)
    assert q.kind == "indirect" and q.speaker.name == "Maria Lopez" and q.cue == "liked"


def test_with_no_subject_to_hang_on_a_tagged_content_takes_the_one_its_sentence_opens_with() -> None:
    # a headline the parser reads as one long noun phrase: `Blasts` is no verb, nothing has a subject
    text = "Mayor Maria Lopez Blasts Harbour Board for Ignoring the Ferry"
    doc = nlp.parse(text)
    assert doc[7:10].text == "Ignoring the Ferry"
    assert tagged_quote(text, 7, 10).speaker.name == "Maria Lopez"


def test_the_shipped_tagger_gives_probabilities() -> None:
    tagger = shipped_tagger()
    assert tagger is not None and 0 < tagger.cutoff < 1
    doc = nlp.parse("Maria Lopez said the ferry would run again in May.\n\nThe harbour was quiet.")
    p = tagger.probabilities(features(doc, shipped_lexicon(), []))
    assert p.shape == (len(doc), 3) and np.allclose(p.sum(axis=1), 1, atol=1e-5)


def test_extent_rows_offer_the_tagged_range_that_shares_most_with_a_top_level_quote() -> None:
    text = (
        "Maria Lopez praised the \u201cferry first\u201d pledge on Monday. "
        "She said the \u201charbour plan\u201d was late."
    )
    doc = nlp.parse(text)
    assert doc[3:9].text == "the \u201cferry first\u201d pledge" and doc[14:21].text.endswith("was late")
    ferry = Span(text.index("ferry"), text.index("first") + len("first"))
    late = Span(doc[14].idx, doc[20].idx + len("late"))
    harbour = Span(text.index("harbour"), text.index("plan") + len("plan"))
    found = [(ferry, "direct"), (late, "indirect"), (harbour, "partial")]
    p = np.tile(np.array([0.1, 0.2, 0.7], np.float32), (len(doc), 1))
    # the harbour quote is read just as it is, and the partial inside it is that one's business
    rows = extent_rows(doc, text, Reading(p, [(3, 9), (14, 21)]), found)
    assert [(n, r) for n, r, _ in rows] == [(0, (3, 9))]
    x = dict(zip(EXTENT_FEATURES, rows[0][2], strict=True))
    assert x["quote_tokens"] == 2 and x["tagged_tokens"] == 6 and x["shared_of_quote"] == 1
    assert x["starts_before"] == x["ends_after"] == 1 and x["kind"] == 0 and x["tagged_has_marks"] == 1
    assert x["tagged_mean_said"] == pytest.approx(0.9)
    # a tagged range running into another quote is not offered
    assert extent_rows(doc, text, Reading(p, [(3, 16)]), found) == []


class _Reads(Tagger):
    """A tagger that reads one given token range as said, and adds nothing of its own."""

    def read(self, doc, cue_lemmas, found):  # type: ignore[no-untyped-def, override]
        return Reading(np.tile(np.array([0.1, 0.2, 0.7], np.float32), (len(doc), 1)), [(3, 9)])

    def extra(self, doc, cue_lemmas, found, reading=None):  # type: ignore[no-untyped-def, override]
        return []


def always(cutoff: float) -> Model:
    """An extent model of one tree with one leaf: every row scores 0.5."""
    one = np.zeros(1, np.intp)
    return Model(
        (), one, np.zeros(1, np.float32), one - 1, one - 1, np.zeros(1, np.float32), one, 1, 0.0, 1.0, cutoff
    )


def test_a_quote_takes_the_tagged_extent_where_the_extent_model_trusts_it() -> None:
    text = "Maria Lopez praised the \u201cferry first\u201d pledge on Monday."
    doc = nlp.parse(text)
    a = article(text)
    base = constant_tagger((0.0, 0.0, 0.0))
    tagger = _Reads(base.embeddings, base.layers, base.out_w, base.out_b, base.cutoff)

    def quotes(cutoff: float) -> list[tuple[str, str, str | None]]:
        found = find_quotes(a, doc, extract_mentions(a, doc), tagger=tagger, extents=always(cutoff))
        return [(q.text, q.kind, q.speaker.name) for q, _ in found]

    assert quotes(0.6) == [
        ("the \u201cferry first\u201d pledge on Monday", "indirect", "Maria Lopez"),
        ("ferry first", "partial", "Maria Lopez"),
    ]
    assert quotes(0.4) == [
        ("the \u201cferry first\u201d pledge", "indirect", "Maria Lopez"),
        ("ferry first", "partial", "Maria Lopez"),
    ]


def test_a_tagged_span_with_a_quotation_mark_needs_less_confidence() -> None:
    text = (
        "Maria Lopez said \u201cthe ferry runs.\u201d\n\nThe harbour was quiet all week.\n\n"
        "The \u201cferry first\u201d plan was dropped last week."
    )
    doc = nlp.parse(text)
    a = article(text)
    # every token I-tagged, B+I = .67: under the cutoff .7, over the cutoff for marked spans (.6)
    unsure = constant_tagger((0.0, -1.0, 0.5), cutoff=0.7)
    texts = [q.text for q, _ in find_quotes(a, doc, extract_mentions(a, doc), tagger=unsure)]
    assert "The \u201cferry first\u201d plan was dropped last week." in texts
    assert "The harbour was quiet all week." not in texts
    strict = replace(unsure, marked_cutoff=0.7)
    texts = [q.text for q, _ in find_quotes(a, doc, extract_mentions(a, doc), tagger=strict)]
    assert not [t for t in texts if "plan was dropped" in t]
