"""A learned token tagger of what was said, for the attributions the rules do not see.

The rules in `quotes.py` find what a cue in their lexicon frames; PolNeAR's annotators also mark
contents the rules leave alone (`the candidates are seen as a circus`, `Sanders pushed his promise
of “free college”`). A small bidirectional LSTM (two layers of 32 units each way, 132 KB of
float16) reads each paragraph, token by token, and tags every token as beginning (B), inside (I)
or outside (O) a content. Its input per token is what the
parse already gives: spaCy's 96-wide context vector (`doc.tensor`), the part of speech, the
dependency label and the signed distance to the head, eight flags (a cue lemma, inside a quote, a
quotation mark, a sentence start, a paragraph end, title case, a person, an organisation or
place), and where the quotes already found lie (their first and other tokens, direct or partial),
so that it learns what the rules miss rather than what they find.

`Tagger.read(...)` gives its probabilities and most likely spans (a `Reading`); `Tagger.extra(...)`
returns the tagged spans that touch no quote already found and whose tokens it is confident of on
average (the model's `cutoff`, lower for a span that holds a quotation mark): `quotes.find_quotes`
gives each a speaker from the parse and adds it as an indirect quote. Where the tagger reads a
found quote with other ends, `extent_rows` describes both extents for a small tree model
(`data/extent.npz`, `rescore.Model`, trained by `training/train_extent.py` on readings of train
articles by taggers that had not seen them) that says when to take the tagger's. Trained on
PolNeAR train by `training/train_tagger.py` (torch, only there); inference here is plain numpy
over all paragraphs of an article at once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from io import BytesIO
from typing import TYPE_CHECKING

import numpy as np

from storydiff.extract.marks import ENGLISH_DOUBLE_MARKS, MARK_TOKENS
from storydiff.extract.rescore import KINDS, top_level_spans
from storydiff.model import Span
from storydiff.nlp import token_chars

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence

    from spacy.tokens import Doc

# the parse's labels, in the order the model's embeddings were trained with
POS = (
    "ADJ",
    "ADP",
    "ADV",
    "AUX",
    "CCONJ",
    "DET",
    "INTJ",
    "NOUN",
    "NUM",
    "PART",
    "PRON",
    "PROPN",
    "PUNCT",
    "SCONJ",
    "SYM",
    "VERB",
    "X",
    "SPACE",
)
DEPS = (
    "ROOT",
    "acl",
    "acomp",
    "advcl",
    "advmod",
    "agent",
    "amod",
    "appos",
    "attr",
    "aux",
    "auxpass",
    "case",
    "cc",
    "ccomp",
    "compound",
    "conj",
    "csubj",
    "csubjpass",
    "dative",
    "dep",
    "det",
    "dobj",
    "expl",
    "intj",
    "mark",
    "meta",
    "neg",
    "nmod",
    "npadvmod",
    "nsubj",
    "nsubjpass",
    "nummod",
    "oprd",
    "parataxis",
    "pcomp",
    "pobj",
    "poss",
    "preconj",
    "predet",
    "prep",
    "prt",
    "punct",
    "quantmod",
    "relcl",
    "xcomp",
)
_POS_ID = {label: k for k, label in enumerate(POS)}
_DEP_ID = {label: k for k, label in enumerate(DEPS)}
HEAD_REACH = 20  # the signed distance to the head is clipped to [-20, 20]
N_FLAGS = 8
N_QUOTE = 4  # first token of a found quote, any token of one, of a direct one, of a partial one
_PLACES = frozenset({"ORG", "NORP", "GPE"})
TAG_B, TAG_I = 1, 2  # the tags (O is 0)


@dataclass(frozen=True, slots=True)
class Features:
    """One article's tagger input: categorical ids (n, 3) and dense values (n, 96 + 8 + 4)."""

    ids: np.ndarray
    dense: np.ndarray
    paragraphs: list[tuple[int, int]]  # token ranges [i, j) read as one sequence each


def features(doc: Doc, cue_lemmas: Collection[str], found: Sequence[tuple[Span, str]]) -> Features:
    """The tagger's input for `doc`, given the cue lemmas and the quotes found so far (span, kind)."""
    from spacy import attrs
    from spacy.parts_of_speech import NAMES as UNIVERSAL_POS

    n = len(doc)
    quoted = np.zeros((n, N_QUOTE), np.float32)
    # the parse as arrays (token objects are slow to make), labels looked up once per article
    cols = np.asarray(
        doc.to_array([attrs.POS, attrs.DEP, attrs.HEAD, attrs.ENT_TYPE, attrs.LEMMA, attrs.SENT_START]),
        np.uint64,
    ).reshape(n, 6)
    head = cols[:, 2].view(np.int64)  # (the signed offset to the head, stored unsigned)
    strings = doc.vocab.strings
    names = {int(h): strings[int(h)] for h in np.unique(cols[:, [1, 3, 4]])}
    pos = [_POS_ID.get(UNIVERSAL_POS[int(k)], len(POS)) if k else len(POS) for k in cols[:, 0]]
    dep = [_DEP_ID.get(names[int(k)], len(DEPS)) for k in cols[:, 1]]
    ids = np.stack(
        [
            np.array(pos, np.int64),
            np.array(dep, np.int64),
            np.clip(head, -HEAD_REACH, HEAD_REACH) + HEAD_REACH,
        ],
        axis=1,
    )
    words = [strings[int(k)] for k in doc.to_array(attrs.ORTH)]
    flags = np.zeros((n, N_FLAGS), np.float32)
    inside = False
    for i, word in enumerate(words):
        if word in MARK_TOKENS:  # (a straight mark toggles; a curly one says which way it goes)
            flags[i, 2] = 1
            inside = not inside if word in {'"', "''"} else word in {"\u201c", "``"}
        flags[i, 1] = inside
    flags[:, 0] = [names[int(k)].lower() in cue_lemmas for k in cols[:, 4]]
    flags[:, 3] = cols[:, 5] == 1
    # a paragraph ends before a whitespace token with a newline (a token's own trailing whitespace
    # is one space at most)
    flags[:-1, 4] = ["\n" in w for w in words[1:]]
    flags[:, 5] = [w.istitle() for w in words]
    flags[:, 6] = [names[int(k)] == "PERSON" for k in cols[:, 3]]
    flags[:, 7] = [names[int(k)] in _PLACES for k in cols[:, 3]]
    for span, kind in found:
        touched = doc.char_span(span.start, span.end, alignment_mode="expand")  # the tokens it touches
        if touched is None:
            continue
        i, j = touched.start, touched.end
        quoted[i, 0] = 1
        quoted[i:j, 1] = 1
        quoted[i:j, 2] = kind == "direct"
        quoted[i:j, 3] = kind == "partial"
    tensor = doc.tensor if doc.tensor.shape == (n, 96) else np.zeros((n, 96), np.float32)
    dense = np.concatenate([tensor.astype(np.float32), flags, quoted], axis=1)
    cuts = [0] + [i + 1 for i in range(n - 1) if flags[i, 4]] + [n]
    return Features(ids, dense, [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a])


MARKED_CUTOFF = 0.6


@dataclass(frozen=True, slots=True)
class Tagger:
    """Embeddings, LSTM layers (forward and backward weights per layer) and the output layer."""

    embeddings: tuple[np.ndarray, np.ndarray, np.ndarray]  # part of speech, dependency, head distance
    layers: tuple[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray], ...]
    out_w: np.ndarray
    out_b: np.ndarray
    cutoff: float  # a span is kept when its tokens' mean B+I probability reaches this
    # ... or this, for a span that holds a quotation mark: reported words with a quote in them are
    # more often someone's than other spans as confidently tagged (chosen on train, each article
    # read by a tagger that had not seen it: direct recall .925 -> .929, F1 unchanged; see
    # `train_tagger.py --check-fold`)
    marked_cutoff: float = MARKED_CUTOFF

    @classmethod
    def load(cls, data: bytes) -> Tagger:
        z = np.load(BytesIO(data))

        def f32(key: str) -> np.ndarray:
            return np.asarray(z[key], np.float32)  # (stored as float16)

        layers = []
        for k in range(int(z["n_layers"])):
            f, b = (tuple(f32(f"l{k}_{d}_{w}") for w in ("ih", "hh", "b")) for d in ("f", "b"))
            layers.append((f[0], f[1], f[2], b[0], b[1], b[2]))
        return cls(
            (f32("emb_pos"), f32("emb_dep"), f32("emb_head")),
            tuple(layers),
            f32("out_w"),
            f32("out_b"),
            float(z["cutoff"]),
        )

    def probabilities(self, x: Features) -> np.ndarray:
        """(n, 3) probabilities of O, B and I for every token; paragraphs are read one by one."""
        n = len(x.ids)
        if n == 0:
            return np.zeros((0, 3), np.float32)
        emb = [e[x.ids[:, k]] for k, e in enumerate(self.embeddings)]
        tokens = np.concatenate([x.dense[:, :96], *emb, x.dense[:, 96:]], axis=1)
        # paragraphs longest first, so that at step t the ones still running are a prefix; step t of
        # paragraph k reads token forward[t, k] one way and backward[t, k] the other
        order = sorted(x.paragraphs, key=lambda p: p[0] - p[1])
        lengths = [b - a for a, b in order]
        forward = np.full((lengths[0], len(order)), -1)
        backward = np.full_like(forward, -1)
        for k, (a, b) in enumerate(order):
            forward[: b - a, k] = np.arange(a, b)
            backward[: b - a, k] = np.arange(b - 1, a - 1, -1)
        real = forward >= 0
        for layer in self.layers:
            h_f, h_b = _bilstm(tokens, forward, backward, lengths, layer)
            tokens = np.empty((n, h_f.shape[2] * 2), np.float32)
            tokens[forward[real], : h_f.shape[2]] = h_f[real]
            tokens[backward[real], h_f.shape[2] :] = h_b[real]
        logits = tokens @ self.out_w.T + self.out_b
        logits -= logits.max(axis=1, keepdims=True)
        p: np.ndarray = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        return p

    def read(self, doc: Doc, cue_lemmas: Collection[str], found: Sequence[tuple[Span, str]]) -> Reading:
        """The tagger's reading of `doc`, given the quotes found so far (span, kind)."""
        from spacy import attrs

        if len(doc) == 0:
            return Reading(np.zeros((0, 3), np.float32), [])
        x = features(doc, cue_lemmas, found)
        p = self.probabilities(x)
        punct = doc.to_array(attrs.IS_PUNCT).astype(bool).tolist()
        # (a content never runs across a paragraph break)
        spans = [(a + i, a + j) for a, b in x.paragraphs for i, j in tagged_spans(p[a:b], punct[a:b])]
        return Reading(p, spans)

    def extra(
        self,
        doc: Doc,
        cue_lemmas: Collection[str],
        found: Sequence[tuple[Span, str]],
        reading: Reading | None = None,
    ) -> list[tuple[int, int]]:
        """Token ranges [i, j) of confidently tagged contents that touch none of `found`; `reading`
        is `self.read(doc, cue_lemmas, ...)` where already made."""
        if reading is None:
            reading = self.read(doc, cue_lemmas, found)
        taken = [(s.start, s.end) for s, _ in found]
        said = reading.said()
        out = []
        for i, j in reading.spans:
            chars = token_chars(doc, i, j)
            marked = any(c in ENGLISH_DOUBLE_MARKS for t in doc[i:j] for c in t.text)
            if len(chars) <= 2 or float(said[i:j].mean()) < (self.marked_cutoff if marked else self.cutoff):
                continue
            if any(s < chars.end and chars.start < e for s, e in taken):
                continue
            out.append((i, j))
        return out


@dataclass(frozen=True, slots=True)
class Reading:
    """What the tagger made of one article: O/B/I probabilities per token (n, 3), and the token
    ranges [i, j) of its most likely tags, paragraph by paragraph."""

    p: np.ndarray
    spans: list[tuple[int, int]]  # disjoint, in text order

    def said(self) -> np.ndarray:
        """Per token, the probability that it is part of what was said (tagged B or I)."""
        said: np.ndarray = self.p[:, TAG_B:].sum(axis=1)
        return said


EXTENT_FEATURES = (
    "quote_tokens",
    "tagged_tokens",
    "shared_of_quote",
    "shared_of_tagged",
    "quote_mean_said",
    "tagged_mean_said",
    "quote_first_begin",
    "tagged_first_begin",
    "said_before_quote",
    "said_after_quote",
    "starts_before",
    "ends_after",
    "starts_inside",
    "ends_inside",
    "kind",
    "tagged_has_marks",
    "quote_has_marks",
)


def extent_rows(
    doc: Doc, text: str, reading: Reading, found: Sequence[tuple[Span, str]]
) -> list[tuple[int, tuple[int, int], list[float]]]:
    """(index in `found`, token range, features) for each quote of `found` (span, kind) that lies
    in no other and that the tagger reads with other ends: the tagged range that shares most
    tokens with it, unless that range would run into another quote. The features
    (`EXTENT_FEATURES`) describe both extents as the tagger reads them, for a model that says
    when the tagger's is the better one. `text` is `doc.text` (which spaCy rebuilds at each call)."""
    p, said = reading.p, reading.said()
    starts = [i for i, _ in reading.spans]
    ends = [j for _, j in reading.spans]
    rows = []
    top = set(top_level_spans(text, [span for span, _ in found]))
    for n, (span, kind) in enumerate(found):
        if n not in top:
            continue  # (inside another quote: that one's extent decides)
        touched = doc.char_span(span.start, span.end, alignment_mode="expand")
        if touched is None:
            continue
        fi, fj = touched.start, touched.end
        best, shared = None, 0
        # (the tagged ranges are disjoint and in order: only those from the first that ends after
        # the quote's start to the last that starts before its end)
        for i, j in reading.spans[bisect_right(ends, fi) : bisect_left(starts, fj)]:
            if min(j, fj) - max(i, fi) > shared:
                best, shared = (i, j), min(j, fj) - max(i, fi)
        if best is None or best == (fi, fj):
            continue
        i, j = best
        tagged = token_chars(doc, i, j)
        others = (s for m, (s, _) in enumerate(found) if m != n and not span.contains(s))
        if any(s.overlaps(tagged) for s in others):
            continue
        rows.append(
            (
                n,
                best,
                [
                    fj - fi,
                    j - i,
                    shared / (fj - fi),
                    shared / (j - i),
                    float(said[fi:fj].mean()),
                    float(said[i:j].mean()),
                    float(p[fi, TAG_B]),
                    float(p[i, TAG_B]),
                    float(said[max(i, fi - 3) : fi].mean()) if fi > i else 0.0,
                    float(said[fj : min(j, fj + 3)].mean()) if j > fj else 0.0,
                    float(i < fi),
                    float(j > fj),
                    float(i > fi),
                    float(j < fj),
                    float(KINDS.index(kind)) if kind in KINDS else 2.0,
                    float(any(c in ENGLISH_DOUBLE_MARKS for c in tagged.of(text))),
                    float(any(c in ENGLISH_DOUBLE_MARKS for c in span.of(text))),
                ],
            )
        )
    return rows


def tagged_spans(p: np.ndarray, punct: Sequence[bool]) -> list[tuple[int, int]]:
    """Token ranges of the most likely tags: from a B (or an I after an O that is no punctuation
    mark) through the Is that follow it."""
    tags = p.argmax(axis=1)
    out = []
    i, n = 0, len(tags)
    while i < n:
        if tags[i] == TAG_B or (tags[i] == TAG_I and not punct[i]):
            j = i + 1
            while j < n and tags[j] == TAG_I:
                j += 1
            out.append((i, j))
            i = j
        else:
            i += 1
    return out


def _bilstm(
    tokens: np.ndarray,
    forward: np.ndarray,
    backward: np.ndarray,
    lengths: list[int],
    layer: tuple[np.ndarray, ...],
) -> tuple[np.ndarray, np.ndarray]:
    """Both directions of one layer at once: (steps, paragraphs, hidden) states each way, where
    `forward`/`backward` give the token read at each step (-1 past a paragraph's end)."""
    w_f, u_f, b_f, w_b, u_b, b_b = layer
    hidden = u_f.shape[1]
    # tanh(x) = 2 sigmoid(2x) - 1: with the g rows doubled, one sigmoid serves all four gates
    scale = np.ones(4 * hidden, np.float32)
    scale[2 * hidden : 3 * hidden] = 2
    pre = np.concatenate(
        [((tokens @ w.T + b) * scale)[idx] for w, b, idx in ((w_f, b_f, forward), (w_b, b_b, backward))],
        axis=2,
    )  # (steps, paragraphs, 2 * 4h): every step's input part, both ways side by side
    recurrent = np.zeros((2 * hidden, 8 * hidden), np.float32)  # block-diagonal: one product a step
    recurrent[:hidden, : 4 * hidden] = u_f.T * scale
    recurrent[hidden:, 4 * hidden :] = u_b.T * scale
    states = _lstm(pre, lengths, recurrent, 2)
    return states[:, :, :hidden], states[:, :, hidden:]


def _lstm(pre: np.ndarray, lengths: list[int], recurrent: np.ndarray, dirs: int) -> np.ndarray:
    """LSTM cells over (steps, batch, dirs * 4h) inputs `pre` (the input part of the gates i, f, g,
    o of each direction in turn, as torch orders them, the g ones doubled), batch rows longest first,
    `recurrent` (dirs * h, dirs * 4h) -> (steps, batch, dirs * h) hidden states."""
    steps, batch, _ = pre.shape
    hidden = recurrent.shape[0] // dirs
    h = np.zeros((batch, dirs * hidden), np.float32)
    c = np.zeros((batch, dirs, hidden), np.float32)
    out = np.zeros((steps, batch, dirs, hidden), np.float32)
    active = (np.asarray(lengths)[:, None] > np.arange(steps)).sum(axis=0).tolist()
    for t in range(steps):
        k = active[t]  # the rows still running
        z = h[:k] @ recurrent
        z += pre[t, :k]
        # the sigmoid 0.5 (1 + tanh(x / 2)), in place: the steps are many and small
        z *= 0.5
        np.tanh(z, out=z)
        z += 1.0
        z *= 0.5
        gates = z.reshape(k, dirs, 4, hidden)
        g = gates[:, :, 2] * 2
        g -= 1
        g *= gates[:, :, 0]
        c = gates[:, :, 1] * c[:k]
        c += g
        np.multiply(gates[:, :, 3], np.tanh(c), out=out[t, :k])
        h = out[t, :k].reshape(k, dirs * hidden)
    return out.reshape(steps, batch, dirs * hidden)


@lru_cache(maxsize=1)
def shipped_tagger() -> Tagger | None:
    """The model in `data/tagger.npz`, or None where it is not there."""
    try:
        data = resources.files("storydiff").joinpath("data/tagger.npz").read_bytes()
    except FileNotFoundError:
        return None
    return Tagger.load(data)
