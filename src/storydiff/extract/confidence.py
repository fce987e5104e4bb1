"""How sure storydiff is that a quote is someone's words: a confidence for each quote, and the
threshold under which the report and the app do not show it.

Some spans come out as quotes that nobody said: a headline the parser reads as a noun phrase,
`each other`, a short nominal phrase such as `close ties`, the object of a verb that is no speech
(`Clinton pushed policy proposals`, `the territory offers more delegates`). A reader should not
see them as what someone said; the JSON report keeps them, with their confidence.

`confidences(text, doc, quotes, paragraphs)` describes each quote by what a reader sees in it
(its kind, how its speaker is named and whether that is a thing, its cue and how often that cue
heads someone's words, its length, quotation marks, whether it is a clause or a noun phrase,
whether it sits in a heading) and scores it with a logistic model (`data/confidence.json`, trained
on PolNeAR train by `training/train_confidence.py`: the probability that the quote is someone's
words, i.e. that annotators marked it, or most of it, as said). Quoted words inside a quote, and
the later paragraphs of a multi-paragraph quote, are at least as sure as the quote they belong to:
a reader sees one quote whole. The model's `threshold` was chosen by cross-validation on train
folds by article: the lowest at which 91 % of shown quotes are someone's words out of fold (so
that every fold left out reaches 90 %), hiding no more than half a point of direct recall; direct
quotes are nearly all someone's words, so what it hides is indirect quotes. Inference is one dot
product per quote.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from storydiff.nlp import token_starts

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from spacy.tokens import Doc, Token

    from storydiff.model import Quote, Span

KINDS = ("direct", "partial", "indirect")
HOWS = ("named", "organisation", "pronoun", "description", "continuation", "unknown")
_SAY = frozenset({"said", "says", "say", "saying", "told", "tells", "tell", "according", "added", "wrote"})
_MARKS = re.compile('[\u201c\u201d"\u00ab\u00bb\u201e]')
_WORD = re.compile(r"\w+")
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_RECIPROCAL = re.compile(r"\b(?:each other|one another)\b", re.IGNORECASE)
# a speaker that is a thing, not someone: `New York, which has not voted ...`, `it was questioned`
_THING = frozenset({"it", "which", "that", "this", "what", "its"})
_THING_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
# how the quote's words hang on the sentence: a reported clause, or a noun phrase (`pushed policy
# proposals`), which readers rarely take for someone's words
_CLAUSE_DEPS = frozenset({"ccomp", "parataxis", "ROOT", "xcomp", "advcl", "csubj"})
_OBJECT_DEPS = frozenset({"dobj", "pobj", "attr", "oprd", "npadvmod", "nsubj", "nsubjpass", "appos"})
# a heading: a short paragraph that does not end as a sentence does
HEADING_WORDS = 14

FEATURES = (
    *(f"kind={k}" for k in KINDS),
    *(f"how={h}" for h in HOWS),
    "named",
    "cue",
    "cue=say",
    "log_words",
    "short",
    "marks",
    "ends_sentence",
    "starts_upper",
    "verb",
    "finite",
    "nominal",
    "heading",
    "first_paragraph",
    "reciprocal",
    "title_share",
    "cue_prior",
    "speaker_thing",
    "clause",
    "object",
)


@dataclass(frozen=True, slots=True)
class Model:
    """A logistic model over `FEATURES` (standardised by `mean`, `scale`) and its display threshold.

    `cues`: each cue's (`cue_key`) log-odds of being someone's words on PolNeAR train, less the
    log-odds of all quotes (smoothed towards 0, which is also what a cue never seen there gets):
    `voted`, `offers`, `shows` head phrases nobody said far more often than `said` does.
    """

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    cues: dict[str, float] = field(default_factory=dict)

    def score(self, row: Sequence[float]) -> float:
        z = self.bias + sum(
            w * (x - m) / s for w, x, m, s in zip(self.weights, row, self.mean, self.scale, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(FEATURES),
                "weights": list(self.weights),
                "bias": self.bias,
                "mean": list(self.mean),
                "scale": list(self.scale),
                "threshold": self.threshold,
                "cues": dict(sorted(self.cues.items())),
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, raw: str) -> Model:
        data = json.loads(raw)
        sizes = {len(data["weights"]), len(data["mean"]), len(data["scale"])}
        if tuple(data["features"]) != FEATURES or sizes != {len(FEATURES)}:
            raise ValueError("confidence model trained on other features: retrain it")
        return cls(
            tuple(data["weights"]),
            data["bias"],
            tuple(data["mean"]),
            tuple(data["scale"]),
            data["threshold"],
            dict(data.get("cues", {})),
        )


@lru_cache(maxsize=1)
def shipped_model() -> Model | None:
    """The model in `data/confidence.json`, or None where it is not there."""
    try:
        raw = resources.files("storydiff").joinpath("data/confidence.json").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return Model.from_json(raw)


def default_threshold() -> float:
    """The confidence at or above which a quote is shown (0 where no model is shipped)."""
    model = shipped_model()
    return model.threshold if model is not None else 0.0


def shown(quote: Quote, threshold: float | None = None) -> bool:
    """Whether a reader sees `quote` by default: unscored quotes are shown."""
    limit = default_threshold() if threshold is None else threshold
    return quote.confidence is None or quote.confidence >= limit


def cue_key(doc: Doc, quote: Quote, starts: list[int]) -> str:
    """The quote's cue as `Model.cues` knows it: its words' lemmas, lower case ('' for none)."""
    if quote.cue_span is not None:
        i, j = bisect_left(starts, quote.cue_span.start), bisect_left(starts, quote.cue_span.end)
        if j > i:
            return " ".join(t.lemma_.lower() for t in doc[i:j])
    return (quote.cue or "").lower()


def _tokens(doc: Doc, span: Span | None, starts: list[int]) -> list[Token]:
    if span is None:
        return []
    i, j = bisect_left(starts, span.start), bisect_left(starts, span.end)
    return list(doc[i:j]) if j > i else []


def _thing_speaks(doc: Doc, quote: Quote, starts: list[int]) -> bool:
    """Whether the speaker's words name a thing, not someone: `it`, `which`, a date or a number."""
    if (quote.speaker.mention_text or "").lower() in _THING:
        return True
    toks = _tokens(doc, quote.speaker.mention, starts)
    return bool(toks) and all(t.ent_type_ in _THING_ENTS or t.is_punct for t in toks)


def _role(toks: Sequence[Token]) -> tuple[bool, bool]:
    """Whether the quote's words hang on the sentence as a clause (`said [the board had ...]`) and
    whether only as noun phrases (`pushed [policy proposals]`)."""
    if not toks:
        return False, False
    first, last = toks[0].i, toks[-1].i
    roots = [t for t in toks if t.head.i == t.i or not first <= t.head.i <= last]
    clause = any(t.dep_ in _CLAUSE_DEPS and t.pos_ in {"VERB", "AUX"} for t in roots)
    nominal = all(t.dep_ in _OBJECT_DEPS or t.is_punct for t in roots)
    return clause, nominal


def features(
    text: str,
    doc: Doc,
    quote: Quote,
    paragraphs: Sequence[Span],
    starts: list[int],
    cues: Mapping[str, float] | None = None,
) -> list[float]:
    """What a reader sees in `quote` (in `FEATURES` order); `starts` are the doc's token starts,
    `cues` the model's cue priors (`Model.cues`; none: every cue 0)."""
    words = quote.text.split()
    n = max(1, len(_WORD.findall(quote.text)))
    toks = _tokens(doc, quote.span, starts)
    clause, nominal_role = _role(toks)
    verb = any(t.pos_ in {"VERB", "AUX"} for t in toks)
    finite = any(t.tag_ in _FINITE for t in toks)
    marks = _MARKS.search(quote.text) is not None
    para = next((p for p in paragraphs if p.start <= quote.span.start < p.end), None)
    body = text[para.start : para.end].rstrip() if para is not None else ""
    heading = len(_WORD.findall(body)) <= HEADING_WORDS and not body.rstrip("\u201d\"'").endswith(
        (".", "!", "?")
    )
    first = para is not None and bool(paragraphs) and para == paragraphs[0]
    after = text[quote.span.end : quote.span.end + 2]
    ends = quote.text.rstrip("\u201d\"'")[-1:] in {".", "!", "?"} or after[:1] in {".", "!", "?"}
    capitalised = sum(1 for w in words if w[:1].isupper())
    cue = (quote.cue or "").lower()
    return [
        *(float(quote.kind == k) for k in KINDS),
        *(float(quote.speaker.how == h) for h in HOWS),
        float(quote.speaker.name is not None),
        float(quote.cue is not None),
        float(cue in _SAY),
        math.log(n),
        float(n < 4),
        float(marks),
        float(ends),
        float(quote.text[:1].isupper()),
        float(verb),
        float(finite),
        float(not verb and not marks),
        float(heading),
        float(first),
        float(_RECIPROCAL.search(quote.text) is not None),
        capitalised / max(1, len(words)),
        (cues or {}).get(cue_key(doc, quote, starts), 0.0),
        float(_thing_speaks(doc, quote, starts)),
        float(clause),
        float(nominal_role),
    ]


def confidences(
    text: str,
    doc: Doc,
    quotes: Sequence[Quote],
    paragraphs: Sequence[Span],
    model: Model | None = None,
    chains: Sequence[tuple[Span, Span]] = (),
) -> list[float | None]:
    """Each quote's confidence under `model` (the shipped one by default); None where there is none.

    `chains` are (earlier, later) paragraphs' quoted words of multi-paragraph quotes, in text
    order: the quotes in a later paragraph are at least as sure as those in the earlier one (one
    quote, shown whole), as quoted words inside another quote are at least as sure as it.
    """
    model = model or shipped_model()
    if model is None:
        return [None] * len(quotes)
    starts = token_starts(doc)
    own = [round(model.score(features(text, doc, q, paragraphs, starts, model.cues)), 4) for q in quotes]
    out = _with_containers(quotes, own)
    for earlier, later in chains:
        before = [out[k] for k, q in enumerate(quotes) if earlier.contains(q.span)]
        if before:
            for k, q in enumerate(quotes):
                if later.contains(q.span):
                    out[k] = max(out[k], max(before))
    return list(out)


def _with_containers(quotes: Sequence[Quote], own: list[float]) -> list[float]:
    """Each quote in quotation marks raised to the confidence of a quote whose words hold it: the
    quoted words of a shown indirect quote (`called the plan “a disaster”`) are shown with it. A
    paraphrase inside another (`on the line` framed by "blasting" inside `the firm had halted all
    blasting on the line`) keeps its own: it adds nothing to the quote a reader is shown."""
    out = list(own)
    order = sorted(range(len(quotes)), key=lambda k: (quotes[k].span.start, -quotes[k].span.end))
    open_: list[int] = []  # containers still open at this point, outermost first
    for k in order:
        span = quotes[k].span
        while open_ and quotes[open_[-1]].span.end < span.end:
            open_.pop()
        if open_ and quotes[k].kind in ("direct", "partial"):
            out[k] = max(out[k], out[open_[-1]])
        open_.append(k)
    return out
