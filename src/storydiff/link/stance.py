"""Does an article agree with a claim, dispute it, discuss it, or ignore it?

`StanceScorer.score(claim, body)` returns one of `unrelated | discuss | agree | disagree` with the
four probabilities. Features are lexical and need no model package: TF-IDF similarity of the claim
to the body and to its closest sentences, word and bigram overlap, numbers the body repeats, and
refuting, hedging and negation cues near the closest sentences. The classifier is a gradient-boosted
tree ensemble trained on FNC-1's training split (`training/train_stance.py`) and shipped as
`storydiff/data/stance.npz`; inference here is numpy only.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

LABELS = ("agree", "disagree", "discuss", "unrelated")
BUCKETS = 1 << 18

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENT = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_NUM = re.compile(r"\d+(?:[.,]\d+)?")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "me",
        "him",
        "them",
        "us",
        "not",
        "no",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "than",
        "then",
        "there",
        "here",
        "so",
        "such",
        "too",
        "very",
        "just",
        "also",
        "into",
        "over",
        "after",
        "before",
        "about",
        "up",
        "down",
        "out",
        "off",
        "said",
        "says",
        "say",
    ]
)

REFUTE = ("fake", "fraud", "hoax", "false", "deny", "denies", "denied", "denial", "not", "despite", "nope",
          "doubt", "doubts", "bogus", "debunk", "debunks", "debunked", "pranks", "prank", "retract",
          "retracted", "untrue", "misleading", "wrong", "never", "no", "rumor", "rumour", "rumors",
          "rumours", "satire", "satirical", "refute", "refuted", "dismissed", "baseless", "myth")  # fmt: skip
HEDGE = ("reportedly", "allegedly", "alleged", "claim", "claims", "claimed", "according", "unconfirmed",
         "unverified", "may", "might", "could", "appears", "apparently", "suggests", "believed", "rumored",
         "purportedly", "purported", "report", "reports", "reported", "sources", "suspected", "possibly",
         "investigating", "speculation", "if")  # fmt: skip
NEGATION = ("not", "no", "never", "n't", "none", "nobody", "nothing", "neither", "nor", "without")


def tokens(text: str) -> list[str]:
    out = []
    for t in _TOKEN.findall(text.casefold().replace("’", "'")):
        if t.endswith("n't"):
            out += [t[:-3], "n't"]
            continue
        if t.endswith("'s"):
            t = t[:-2]
        out.append(t)
    return out


def _stem(t: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(t) > len(suffix) + 3 and t.endswith(suffix):
            return t[: -len(suffix)]
    return t


def _bucket(t: str) -> int:
    return zlib.crc32(t.encode("utf-8")) % BUCKETS


def _content(toks: Sequence[str]) -> list[str]:
    return [_stem(t) for t in toks if t not in _STOP and len(t) > 1]


@dataclass(slots=True)
class BodyProfile:
    """What the scorer needs of one article body, computed once and reused for every claim."""

    words: set[str]
    bigrams: set[tuple[str, str]]
    numbers: set[str]
    vec: dict[int, float]
    sent_vecs: list[dict[int, float]]
    sent_tokens: list[list[str]]
    n_tokens: int
    cue_rates: list[float]


def _vector(words: Sequence[str], idf: npt.NDArray[np.float32]) -> dict[int, float]:
    counts: dict[int, float] = {}
    for w in words:
        b = _bucket(w)
        counts[b] = counts.get(b, 0.0) + 1.0
    vec = {b: (1.0 + math.log(c)) * float(idf[b]) for b, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    return {b: v / norm for b, v in vec.items()}


def cosine(a: dict[int, float], b: dict[int, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _cue_rates(toks: Sequence[str]) -> list[float]:
    n = max(len(toks), 1)
    ref = sum(1 for t in toks if t in REFUTE)
    hed = sum(1 for t in toks if t in HEDGE)
    neg = sum(1 for t in toks if t in NEGATION)
    return [100 * ref / n, 100 * hed / n, 100 * neg / n]


def profile_body(body: str, idf: npt.NDArray[np.float32]) -> BodyProfile:
    toks = tokens(body)
    content = _content(toks)
    sentences = [s for s in _SENT.split(body) if s and s.strip()] or [body]
    sent_tokens = [tokens(s) for s in sentences]
    return BodyProfile(
        words=set(content),
        bigrams=set(zip(content, content[1:], strict=False)),
        numbers=set(_NUM.findall(body)),
        vec=_vector(content, idf),
        sent_vecs=[_vector(_content(st), idf) for st in sent_tokens],
        sent_tokens=sent_tokens,
        n_tokens=len(toks),
        cue_rates=_cue_rates(toks),
    )


FEATURES = (
    "cos_body", "cos_lead", "cos_max_sent", "cos_top3", "pos_best", "overlap", "overlap_best",
    "bigram_overlap", "numbers_found", "numbers_in_claim", "claim_len", "body_len_log",
    "body_refute", "body_hedge", "body_neg", "top_refute", "top_hedge", "top_neg",
    "claim_refute", "claim_hedge", "claim_neg", "neg_mismatch", "claim_question", "top_neg_near",
    *(f"top_{w}" for w in ("fake", "hoax", "false", "deny", "not", "no", "debunk", "reportedly", "claim",
                           "according", "rumor", "unconfirmed", "satire", "despite", "never")),
    *(f"lead_{w}" for w in ("refute", "hedge")),
)  # fmt: skip
_TOP_WORDS = {
    "fake": ("fake",),
    "hoax": ("hoax",),
    "false": ("false", "untrue", "bogus"),
    "deny": ("deny", "denies", "denied", "denial"),
    "not": ("not", "n't"),
    "no": ("no",),
    "debunk": ("debunk", "debunks", "debunked", "refute", "refuted"),
    "reportedly": ("reportedly", "allegedly", "purportedly"),
    "claim": ("claim", "claims", "claimed"),
    "according": ("according",),
    "rumor": ("rumor", "rumour", "rumors", "rumours", "rumored"),
    "unconfirmed": ("unconfirmed", "unverified"),
    "satire": ("satire", "satirical", "prank", "pranks"),
    "despite": ("despite",),
    "never": ("never",),
}


def stance_features(claim: str, body: BodyProfile, idf: npt.NDArray[np.float32]) -> list[float]:
    """The feature row for one (claim, body) pair, in `FEATURES` order."""
    ctoks = tokens(claim)
    content = _content(ctoks)
    cvec = _vector(content, idf)
    sims = [cosine(cvec, sv) for sv in body.sent_vecs]
    order = sorted(range(len(sims)), key=lambda i: -sims[i])
    best = order[0] if order else 0
    top = order[:3]
    lead = body.sent_vecs[:2]
    top_tokens = [t for i in top for t in body.sent_tokens[i]]
    lead_tokens = [t for st in body.sent_tokens[:2] for t in st]
    cset = set(content)
    best_words = set(_content(body.sent_tokens[best])) if body.sent_tokens else set()
    bigrams = set(zip(content, content[1:], strict=False))
    nums = set(_NUM.findall(claim))
    claim_cues = _cue_rates(ctoks)
    top_cues = _cue_rates(top_tokens)
    best_neg = any(t in NEGATION for t in body.sent_tokens[best]) if body.sent_tokens else False
    claim_neg = any(t in NEGATION for t in ctoks)
    n_top = max(len(top_tokens), 1)
    row = [
        cosine(cvec, body.vec),
        max((cosine(cvec, v) for v in lead), default=0.0),
        sims[best] if sims else 0.0,
        sum(sims[i] for i in top) / max(len(top), 1),
        best / max(len(sims) - 1, 1),
        len(cset & body.words) / max(len(cset), 1),
        len(cset & best_words) / max(len(cset), 1),
        len(bigrams & body.bigrams) / max(len(bigrams), 1),
        len(nums & body.numbers) / max(len(nums), 1) if nums else -1.0,
        float(len(nums)),
        float(len(ctoks)),
        math.log1p(body.n_tokens),
        *body.cue_rates,
        *top_cues,
        *claim_cues,
        float(best_neg != claim_neg),
        float("?" in claim),
        float(best_neg),
        *(100 * sum(1 for t in top_tokens if t in words) / n_top for words in _TOP_WORDS.values()),
        *_cue_rates(lead_tokens)[:2],
    ]
    return row


class StanceScorer:
    """FNC-1-style stance of a body towards a claim, from the shipped tree ensemble."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.idf: npt.NDArray[np.float32] = np.asarray(model["idf"], dtype=np.float32)
        self.baseline = np.asarray(model["baseline"], dtype=np.float64)
        self.feature = np.asarray(model["feature"], dtype=np.int32)
        self.threshold = np.asarray(model["threshold"], dtype=np.float64)
        self.left = np.asarray(model["left"], dtype=np.int32)
        self.right = np.asarray(model["right"], dtype=np.int32)
        self.value = np.asarray(model["value"], dtype=np.float64)
        self.leaf = np.asarray(model["leaf"], dtype=bool)
        self.roots = np.asarray(model["roots"], dtype=np.int64)  # (n_iter, n_classes) node index of each tree
        self.bias = np.asarray(model.get("bias", np.zeros(len(LABELS))), dtype=np.float64)
        self.name = str(np.asarray(model.get("name", "stance-gbt")))

    @classmethod
    def load(cls, path: str | None = None) -> StanceScorer:
        if path is None:
            ref = resources.files("storydiff") / "data" / "stance.npz"
            with resources.as_file(ref) as p, np.load(p) as z:
                return cls({k: z[k] for k in z.files})
        with np.load(path) as z:
            return cls({k: z[k] for k in z.files})

    def profile(self, body: str) -> BodyProfile:
        return profile_body(body, self.idf)

    def vector(self, text: str) -> dict[int, float]:
        """The text's TF-IDF vector (sparse, unit length), for `cosine`."""
        return _vector(_content(tokens(text)), self.idf)

    def features(self, claim: str, body: BodyProfile | str) -> list[float]:
        prof = body if isinstance(body, BodyProfile) else self.profile(body)
        return stance_features(claim, prof, self.idf)

    def raw_scores(self, X: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Sum of tree outputs per class (before softmax), for rows of `FEATURES`."""
        n = X.shape[0]
        out = np.tile(self.baseline, (n, 1))
        rows = np.arange(n)
        for it in range(self.roots.shape[0]):
            for k in range(self.roots.shape[1]):
                node = np.full(n, self.roots[it, k], dtype=np.int64)
                active = ~self.leaf[node]
                while active.any():
                    idx = node[active]
                    go_left = X[rows[active], self.feature[idx]] <= self.threshold[idx]
                    node[active] = np.where(go_left, self.left[idx], self.right[idx])
                    active = ~self.leaf[node]
                out[:, k] += self.value[node]
        return out + self.bias

    def predict_proba(self, X: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        raw = self.raw_scores(X)
        raw -= raw.max(axis=1, keepdims=True)
        e = np.exp(raw)
        return np.asarray(e / e.sum(axis=1, keepdims=True), dtype=np.float64)

    def score(self, claim: str, body: BodyProfile | str) -> tuple[str, dict[str, float]]:
        """The stance label and the probability of each label."""
        p = self.predict_proba(np.asarray([self.features(claim, body)], dtype=np.float64))[0]
        return LABELS[int(p.argmax())], {lab: float(x) for lab, x in zip(LABELS, p, strict=True)}


@lru_cache(maxsize=1)
def default_scorer() -> StanceScorer:
    return StanceScorer.load()
