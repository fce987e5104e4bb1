"""A learned second look at each quote's extent: which span is what was said, if anything.

The rules in `quotes.py` give one span per quote. Annotators often mark a little more or less:
the clause around a quoted phrase (`called the plan "a disaster"` -> `the plan "a disaster"`),
one sentence of a longer stretch, the words from `that` before a quote, or the words before a
dash that opens the narrator's comment. `candidates` lists a
few such spans for a quote; `features` describes each (its kind, speaker, cue, lengths, quotation
marks, sentence boundaries, ...); a small gradient-boosted tree model (`data/rescore.npz`, trained
on PolNeAR train by `training/train_rescore.py`) scores how likely each is to be an annotated
attribution. The best-scoring span replaces the quote's, and a quote whose best score is under the
model's threshold is dropped. Inference is plain numpy: a few hundred tiny trees, all quotes of an
article at once.

Why so few candidates: nearly all the model's gain is in which quotes it drops, not in which span it
picks (on train, out-of-fold, a keep/drop model that never switches away from a quote's own span
scores within .001 of the same model with a switch model beside it). Offering every cut before a
trailing dependent (`... during a campaign stop`) and every extension to a following conjunct or
the sentence's end raised the oracle F1 from .725 to .761 but lowered the out-of-fold F1 from .711
to .707, with or without a separate model for the switch: the parse and these features cannot
tell which tail annotators leave out. Nor does the keep/drop side gain from more input: adding the
parser's 96-wide token vectors of the cue and of the span (192 features) left the out-of-fold F1 at
.711; a token model of where annotated contents start and end (out-of-fold on train: AUC .94 and
.96), its scores at a candidate's ends as 4 more features, gave .712 against .711; and a higher
cutoff for quotes that hold other quotes (dropping one frees those) only lowered it.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from io import BytesIO
from typing import TYPE_CHECKING

import numpy as np

from storydiff import nlp
from storydiff.extract.marks import ENGLISH_DOUBLE_MARKS, QUOTE_CHARS
from storydiff.model import Span

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Doc

    from storydiff.extract.cues.frames import Frame

# kinds of candidate span
(
    AS_IS,
    FRAME,
    FIRST_SENTENCE,
    LAST_SENTENCE,
    AFTER_THAT,
    FIRST_CLAUSE,
    NO_ADJUNCT,
    FROM_THAT,
    BEFORE_DASH,
    WITH_OBJECT,
) = range(10)
CANDIDATE_KINDS = (
    "as_is",
    "frame",
    "first_sentence",
    "last_sentence",
    "after_that",
    "first_clause",
    "no_adjunct",
    "from_that",
    "before_dash",
    "with_object",
)
# adjuncts of a cue verb that are the narrator's, not the content (`on Monday`, `in a statement`)
_ADJUNCTS = frozenset({"prep", "npadvmod", "advmod", "advcl", "agent"})
KINDS = ("direct", "partial", "indirect")
HOWS = ("named", "description", "pronoun", "continuation", "organisation", "unknown")
RULES = ("ccomp", "right", "according", "noun", "bare", "none")
POS = ("PRON", "DET", "PROPN", "NOUN", "VERB", "AUX", "ADP", "PART", "ADJ", "SCONJ", "PUNCT")
CUE_TAGS = ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB", "NN", "NNS")
CUE_DEPS = ("ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl", "parataxis", "pcomp", "acl")
# the words that open a reported clause with no cue of its own (`that Y was "Z"`, `who "Z"`)
_LEADS = frozenset({"that", "who", "as"})
# how far before a quote such a word may be, in tokens
LEAD_TOKENS = 15
_STRIP = " \t\n,;:\u2014\u2013-"


@dataclass(slots=True)
class Item:
    """What the rescorer needs to know about one quote found by the rules."""

    span: Span
    kind: str
    how: str
    frame: Frame | None
    cue: Span | None
    paragraph: Span
    named: bool = False  # the speaker has a name (not only a description or a pronoun)


class Context:
    """Token and sentence lookups for one parsed article."""

    def __init__(
        self, text: str, doc: Doc, ranges: list[tuple[int, int]], token_starts: list[int] | None = None
    ) -> None:
        self.text = text
        self.doc = doc
        self.token_starts = nlp.token_starts(doc) if token_starts is None else token_starts
        # character offsets of sentence starts and ends
        self.sent_starts = [self.token_starts[s0] for s0, s1 in ranges if s1 > s0]
        self.sent_ends = [nlp.token_chars(doc, s0, s1).end for s0, s1 in ranges if s1 > s0]
        self.sent_first = [s0 for s0, s1 in ranges if s1 > s0]

    def token_at(self, pos: int) -> int:
        return max(0, bisect_right(self.token_starts, pos) - 1)

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect_right(self.sent_starts, pos) - 1)


def _strip(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return Span(start, end) if end > start else None


def candidates(ctx: Context, item: Item) -> list[tuple[int, Span]]:
    """(candidate kind, span) for one quote; the first is the quote's own span."""
    text, span = ctx.text, item.span
    out: list[tuple[int, Span]] = [(AS_IS, span)]
    seen = {(span.start, span.end)}

    # a cue outside the quote stays outside (`that caused it, X said, "..."`); an interrupted
    # quote holds its cue already (`"A," X said. "B"`)
    cue = item.cue if item.cue is not None and not span.contains(item.cue) else None

    def add(kind: int, s: Span | None) -> None:
        if s is not None and cue is not None and s.contains(cue):
            return
        if s is not None and len(s) > 0 and (s.start, s.end) not in seen:
            seen.add((s.start, s.end))
            out.append((kind, s))

    frame = item.frame
    if frame is not None and not frame.bare:
        add(FRAME, frame.content)
    first = ctx.sentence_at(span.start)
    last = ctx.sentence_at(max(span.start, span.end - 1))
    if last > first:
        add(FIRST_SENTENCE, _strip(text, span.start, min(span.end, ctx.sent_ends[first])))
        add(LAST_SENTENCE, _strip(text, max(span.start, ctx.sent_starts[last]), span.end))
    # the words before the first comma outside quotation marks (`A, about 10,000 more than ...`)
    depth, words = 0, 0
    for k in range(span.start, span.end):
        c = text[k]
        if c in ENGLISH_DOUBLE_MARKS:
            depth ^= 1
        elif c == " ":
            words += 1
        elif c == "," and depth == 0 and words >= 2 and text[k + 1 : k + 2] == " ":
            add(FIRST_CLAUSE, _strip(text, span.start, k))
            break
    # the words before a dash that sets the narrator's words off (`A — a message that ...`)
    depth = 0
    for k in range(span.start + 1, span.end - 2):
        c = text[k]
        if c in ENGLISH_DOUBLE_MARKS:
            depth ^= 1
        elif depth == 0 and (c == "\u2014" or (c in "-\u2013" and text[k - 1] == " " == text[k + 1])):
            add(BEFORE_DASH, _strip(text, span.start, k))
            break
    # `described X as "Z"`, `called X "Z"`: the quote with what it is said of
    if item.kind != "indirect":
        obj = _object_before(ctx, span)
        if obj is not None:
            add(WITH_OBJECT, _strip(text, obj, span.end))
    # the content without an adjunct of the cue verb that the parse let into it
    if frame is not None and not frame.bare and frame.rule in {"right", "ccomp"}:
        verb = ctx.doc[ctx.token_at(frame.cue.start)]
        for child in verb.rights:
            left = ctx.doc[child.left_edge.i]
            if child.dep_ in _ADJUNCTS and span.start < left.idx < span.end:
                add(NO_ADJUNCT, _strip(text, span.start, left.idx))
                break
    # `that Y was "Z"`, `who "Z"`: the clause from the word after `that` to the quote's end
    if item.kind != "indirect":
        t = ctx.token_at(span.start)
        s0 = ctx.sent_first[first] if ctx.sent_first else 0
        for k in range(t - 1, max(s0, t - LEAD_TOKENS) - 1, -1):
            tok = ctx.doc[k]
            if tok.lower_ in _LEADS and k + 1 < len(ctx.doc):
                add(AFTER_THAT, _strip(text, ctx.doc[k + 1].idx, span.end))
                if tok.lower_ == "that":
                    add(FROM_THAT, _strip(text, tok.idx, span.end))
                break
            if tok.text in {".", "!", "?"}:
                break
    return out


def _object_before(ctx: Context, span: Span) -> int | None:
    """Where the object of the verb a quote describes begins: `described [the plan] as "Z"`,
    `called [the plan] "Z"`; None where the quote hangs on no such verb."""
    doc = ctx.doc
    t = ctx.token_at(span.start)
    while t < len(doc) and doc[t].is_punct:
        t += 1
    if t >= len(doc):
        return None
    tok = doc[t]
    prev = doc[t - 1] if t > 0 else tok
    prev = doc[t - 2] if prev.is_punct and t > 1 else prev  # (the opening mark)
    if prev.lower_ in {"a", "an", "the"} and prev.i > 0 and doc[prev.i - 1].lower_ == "as":
        prev = doc[prev.i - 1]  # (`as a "Z"`)
    if prev.lower_ == "as":
        as_tok = prev
        verb = as_tok.head
        if verb.dep_ == "dobj" and verb.i < as_tok.i:  # (the parse hangs `as` on the object)
            return doc[verb.left_edge.i].idx if verb.head.pos_ == "VERB" else None
    else:
        verb = tok.head
        for _ in range(2):
            if verb.pos_ == "VERB":
                break
            verb = verb.head
        as_tok = None
    if verb.pos_ != "VERB" or verb.i >= t:
        return None
    limit = as_tok.i if as_tok is not None else t
    objs = [c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < limit]
    return doc[objs[0].left_edge.i].idx if objs else None


def _onehot(value: str, vocab: tuple[str, ...]) -> list[float]:
    return [1.0 if value == v else 0.0 for v in vocab]


def features(ctx: Context, item: Item, kind: int, cand: Span, lemmas: tuple[str, ...]) -> list[float]:
    """The feature vector of one candidate span (see `feature_names`)."""
    text = ctx.text
    words = text[cand.start : cand.end].split()
    own_words = text[item.span.start : item.span.end].split()
    n, n0 = len(words), max(1, len(own_words))
    body = text[cand.start : cand.end]
    marks = sum(1 for c in body if c in QUOTE_CHARS and c not in "\u2019")
    before = text[cand.start - 1] if cand.start > 0 else " "
    after = text[cand.end] if cand.end < len(text) else " "
    frame = item.frame
    rule = "none" if frame is None else ("bare" if frame.bare else (frame.rule or "none"))
    lemma = frame.lemma if frame is not None else ""
    cue = item.cue
    if cue is None:
        cue_side, cue_gap = 0.0, 0.0
    elif cue.end <= cand.start:
        cue_side, cue_gap = -1.0, math.log1p(cand.start - cue.end)
    elif cue.start >= cand.end:
        cue_side, cue_gap = 1.0, math.log1p(cue.start - cand.end)
    else:
        cue_side, cue_gap = 0.5, 0.0
    first = ctx.sentence_at(cand.start)
    last = ctx.sentence_at(max(cand.start, cand.end - 1))
    sent_len = ctx.sent_ends[first] - ctx.sent_starts[first] if ctx.sent_starts else 1
    para = item.paragraph
    para_text = text[para.start : para.end].rstrip()
    first_char = next((c for c in body if c.isalnum()), "")
    doc = ctx.doc
    t0, t1 = ctx.token_at(cand.start), ctx.token_at(max(cand.start, cand.end - 1)) + 1
    toks = doc[t0:t1]
    head = doc[ctx.token_at(frame.cue.start)] if frame is not None else None
    source = frame.source if frame is not None else None
    has_subject = any(t.dep_ in {"nsubj", "nsubjpass"} and t0 <= t.head.i < t1 for t in toks)
    return [
        *_onehot(toks[0].pos_ if len(toks) else "", POS),
        *_onehot(toks[-1].pos_ if len(toks) else "", POS),
        1.0 if any(t.pos_ == "VERB" for t in toks) else 0.0,
        1.0 if has_subject else 0.0,
        *_onehot(head.tag_ if head is not None else "", CUE_TAGS),
        *_onehot(head.dep_ if head is not None else "", CUE_DEPS),
        1.0 if head is not None and any(c.dep_ == "neg" for c in head.children) else 0.0,
        *_onehot(source.pos_ if source is not None else "", POS),
        1.0 if item.named else 0.0,
        *_onehot(CANDIDATE_KINDS[kind], CANDIDATE_KINDS),
        *_onehot(item.kind, KINDS),
        *_onehot(item.how, HOWS),
        *_onehot(rule, RULES),
        *_onehot(lemma, lemmas),
        1.0 if lemma and lemma not in lemmas else 0.0,
        math.log1p(n),
        math.log1p(n0),
        n / n0,
        float(marks),
        1.0 if before in QUOTE_CHARS else 0.0,
        1.0 if after in QUOTE_CHARS else 0.0,
        float(last - first),
        len(cand) / max(1, sent_len),
        1.0 if body[-1:] in {".", "!", "?"} else 0.0,
        1.0 if first_char.isupper() else 0.0,
        cue_side,
        cue_gap,
        1.0 if para_text.endswith((".", "!", "?", '"', "\u201d")) else 0.0,
        math.log1p(len(para_text.split())),
        len(cand) / max(1, len(para_text)),
        math.log1p(bisect_right(ctx.sent_starts, para.start)),
    ]


def feature_names(lemmas: tuple[str, ...]) -> list[str]:
    return [
        *(f"first_pos={k}" for k in POS),
        *(f"last_pos={k}" for k in POS),
        "has_verb",
        "has_subject",
        *(f"cue_tag={k}" for k in CUE_TAGS),
        *(f"cue_dep={k}" for k in CUE_DEPS),
        "cue_negated",
        *(f"source_pos={k}" for k in POS),
        "named",
        *(f"cand={k}" for k in CANDIDATE_KINDS),
        *(f"kind={k}" for k in KINDS),
        *(f"how={k}" for k in HOWS),
        *(f"rule={k}" for k in RULES),
        *(f"cue={k}" for k in lemmas),
        "cue=other",
        "log_words",
        "log_own_words",
        "word_ratio",
        "quote_marks",
        "mark_before",
        "mark_after",
        "sentences_crossed",
        "share_of_sentence",
        "ends_sentence",
        "starts_upper",
        "cue_side",
        "cue_gap",
        "paragraph_ends_sentence",
        "log_paragraph_words",
        "share_of_paragraph",
        "log_sentence_index",
    ]


@dataclass(frozen=True, slots=True)
class Model:
    """Gradient-boosted trees in flat arrays (all trees' nodes together; a leaf has left = -1)."""

    lemmas: tuple[str, ...]
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int
    init: float
    rate: float
    cutoff: float  # a quote whose best span scores under this is dropped
    keep_direct: bool = False  # ... unless it is a direct quote

    def score(self, x: np.ndarray) -> np.ndarray:
        """Probability that each row of `x` is an annotated attribution's span."""
        if len(x) == 0:
            return np.zeros(0)
        x = x.astype(np.float32)
        rows = np.arange(len(x))[:, None]
        idx = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        for _ in range(self.depth):
            lft = self.left[idx]
            go = x[rows, self.feature[idx]] <= self.threshold[idx]
            idx = np.where(lft >= 0, np.where(go, lft, self.right[idx]), idx)
        raw = self.init + self.rate * self.value[idx].sum(axis=1)
        prob: np.ndarray = 1.0 / (1.0 + np.exp(-raw))
        return prob

    def save(self) -> bytes:
        buf = BytesIO()
        np.savez_compressed(
            buf,
            lemmas=np.array(self.lemmas),
            feature=self.feature.astype(np.int16),
            threshold=self.threshold.astype(np.float32),
            left=self.left.astype(np.int32),
            right=self.right.astype(np.int32),
            value=self.value.astype(np.float32),
            roots=self.roots.astype(np.int32),
            scalars=np.array(
                [self.depth, self.init, self.rate, self.cutoff, float(self.keep_direct)], dtype=np.float64
            ),
        )
        return buf.getvalue()

    @classmethod
    def load(cls, data: bytes) -> Model:
        z = np.load(BytesIO(data))
        depth, init, rate, cutoff, keep_direct = (float(v) for v in z["scalars"])
        return cls(
            tuple(str(s) for s in z["lemmas"]),
            z["feature"].astype(np.intp),
            z["threshold"],
            z["left"].astype(np.intp),
            z["right"].astype(np.intp),
            z["value"],
            z["roots"].astype(np.intp),
            int(depth),
            init,
            rate,
            cutoff,
            keep_direct > 0,
        )


@lru_cache(maxsize=2)
def shipped_model(name: str = "rescore") -> Model | None:
    """The model in `data/{name}.npz` (`rescore`, or `extent`: see `tagger.extent_rows`), or None
    where it is not there."""
    try:
        data = resources.files("storydiff").joinpath(f"data/{name}.npz").read_bytes()
    except FileNotFoundError:
        return None
    return Model.load(data)


def _words_of(text: str, span: Span) -> tuple[int, int]:
    """`span` without the punctuation and marks at its ends: its first and last word."""
    s, e = span.start, span.end
    while s < e and not text[s].isalnum():
        s += 1
    while e > s and not text[e - 1].isalnum():
        e -= 1
    return s, e


def top_level(text: str, items: list[Item]) -> list[int]:
    """Items whose words are not inside a longer one's: a partial quote within reported speech
    is left as it is."""
    return top_level_spans(text, [it.span for it in items])


def top_level_spans(text: str, spans: Sequence[Span]) -> list[int]:
    """Indices of the spans whose words lie inside no other's (of two with the same words, the
    first)."""
    order = sorted((s, -e, n) for n, (s, e) in enumerate(_words_of(text, span) for span in spans))
    out: list[int] = []
    reach = -1
    for start, neg_end, n in order:
        if -neg_end <= reach and start < reach:
            continue  # inside an earlier, longer (or equal) item
        reach = max(reach, -neg_end)
        out.append(n)
    return sorted(out)


def matrix(
    ctx: Context, items: list[Item], lemmas: tuple[str, ...]
) -> tuple[list[tuple[int, int, Span]], np.ndarray]:
    """Every candidate of every top-level item as (item index, candidate kind, span), with its
    features."""
    rows: list[tuple[int, int, Span]] = []
    feats: list[list[float]] = []
    for n in top_level(ctx.text, items):
        item = items[n]
        for kind, cand in candidates(ctx, item):
            rows.append((n, kind, cand))
            feats.append(features(ctx, item, kind, cand, lemmas))
    return rows, np.array(feats, dtype=np.float32).reshape(len(feats), -1)


def choose(ctx: Context, items: list[Item], model: Model) -> list[Span | None]:
    """The span to keep for each item (None: drop it)."""
    rows, x = matrix(ctx, items, model.lemmas)
    p = model.score(x)
    best: list[tuple[float, Span | None]] = [(2.0, item.span) for item in items]  # nested: kept
    for n, _, _ in rows:
        best[n] = (-1.0, None)
    for (n, _, cand), prob in zip(rows, p, strict=True):
        if prob > best[n][0]:
            best[n] = (float(prob), cand)
    return [
        cand if prob >= model.cutoff or (model.keep_direct and item.kind == "direct") else None
        for item, (prob, cand) in zip(items, best, strict=True)
    ]
