"""Whether two matched claims really disagree: one learned decision over every kind of clash.

A clash is a candidate discrepancy between two claims of different articles that the event model
pairs (each the other's likeliest partner, or at least `PAIR_FLOOR` likely the same event):
- two figures at one place in both wordings that cannot both be right (`link.figures`: "23
  pirates" against "51 suspected pirates", years, ages, scores, tolls; units converted, vague and
  rounded figures tolerated);
- typed facts the figures do not cover (`claims.compare` on dates by day, clock times, timings on
  one timeline, places), raised by a fixed rule on the pair (`raised`).

`ClashModel`, a logistic regression over `FEATURES`, turns a clash of figures into the probability
that it is a real discrepancy. It was trained (`training/train_clashes.py`) on discrepancies planted into ECB+
topics 1-35 -- a figure in one outlet's sentence changed, every other outlet's copy of the old one
left as it was -- against every other clash in the same coverage, and its threshold was chosen by
folds over topics. It never sees the two values themselves: how far apart two figures are says
nothing of whether they count the same thing.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from storydiff.link.events import Name
from storydiff.link.figures import (
    TOLLS,
    Figure,
    FigurePair,
    aligned,
    counted,
    counted_in_both,
    similarity,
    tokens,
)

FloatArray = npt.NDArray[np.float64]

FEATURES = (
    "probability",  # the event model's same-event probability of the two claims
    "mutual",  # each claim is the other's likeliest partner in the other's article
    "same_group",  # the two claims were grouped into one event
    "cosine",  # sentence-embedding cosine of the two claims
    "similarity",  # word alignment ratio of the two sentences, figures masked
    "equal_run",  # the figures sit inside a run of words both sentences share
    "before",  # the word before each figure is the same
    "after",  # a word just after is the same (what is counted)
    "context",  # words within four of the figures found on both sides, at most 4
    "agreeing",  # other figures of the two sentences, at one place, that agree
    "year",  # the figures are years
    "pairs",  # figures put at one place in the two sentences
    "clashes",  # of those, how many clash
    "rarer",  # log(1 + articles of the story window stating the rarer of the two figures)
    "commoner",  # log(1 + articles stating the other): one outlet against the rest, or two camps
    "typed",  # both figures are of one kind the words name: an age, a score, a sum of money ...
    "calendar",  # both are days of a month or clock times
    "event_rarer",  # as rarer and commoner, counting only the articles of the two claims' events
    "event_commoner",
    "articles",  # log(1 + articles in the story window): in a two-outlet report no "rest" outnumbers one
)
PAIR_FLOOR = 0.5  # least same-event probability for a pair that is not mutual best to be compared


@dataclass(frozen=True, slots=True)
class ClashModel:
    mean: FloatArray
    scale: FloatArray
    coef: FloatArray
    intercept: float
    threshold: float  # least probability at which a clash is raised as a discrepancy
    # the same in a story of two articles, where the model is less sure of everything (no third
    # outlet backs either figure): chosen to let through as many other clashes per article as
    # `threshold` does in the story windows it was trained on (`training/train_clashes.py`)
    two_article_threshold: float | None = None

    def probability(self, x: FloatArray) -> FloatArray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        out: FloatArray = 1.0 / (1.0 + np.exp(-z))
        return out

    def threshold_for(self, articles: int) -> float:
        """The threshold for a clash weighed among this many articles."""
        if articles == 2 and self.two_article_threshold is not None:
            return self.two_article_threshold
        return self.threshold

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ClashModel:
        if tuple(data["features"]) != FEATURES:  # type: ignore[arg-type]
            raise ValueError("clash model was trained on other features; retrain it")

        def arr(key: str) -> FloatArray:
            return np.asarray(data[key], dtype=np.float64)

        two = data.get("two_article_threshold")
        return cls(arr("mean"), arr("scale"), arr("coef"), float(data["intercept"]),  # type: ignore[arg-type]
                   float(data["threshold"]),  # type: ignore[arg-type]
                   None if two is None else float(two))  # type: ignore[arg-type]  # fmt: skip


@lru_cache(maxsize=1)
def default_model() -> ClashModel:
    text = resources.files("storydiff").joinpath("data/clashes.json").read_text(encoding="utf-8")
    return ClashModel.from_json(json.loads(text))


@dataclass(frozen=True, slots=True)
class Clash:
    i: int  # the two claims, by their place in the story's claims
    j: int
    line: str  # what differs, for the finding's detail ("pirates: 23 (A) vs 51 (B)")
    features: tuple[float, ...]  # `FEATURES`, for the model
    pair: PairEvidence
    similarity: float  # how alike the two sentences are, figures masked
    figures: FigurePair | None = None  # for a clash of figures, the two figures
    what: str = ""  # the word a figure counts, when one follows it ("pirates")
    one_person: bool = False  # two ages of one named person ("Comeaux, 49," / "Comeaux, 103,")
    # a typed fact both sentences place against other events ("hours before his train crossed the
    # border" / "while Vanlo was meeting Roslin"): worded apart by those events, not weighed by wording
    placed: bool = False


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """What the event model says of one pair of claims, and how many articles it was weighed among."""

    probability: float
    mutual: bool
    same_group: bool
    cosine: float
    articles: int = 2  # articles of the story window


def figure_clashes(
    i: int,
    j: int,
    texts: tuple[str, str],
    pair: PairEvidence,
    outlets: tuple[str, str],
    support: tuple[Mapping[str, int], Mapping[str, int]] | None = None,
    names: tuple[Sequence[Name], Sequence[Name]] = ((), ()),
) -> list[Clash]:
    """The figures of two claims at one place in both that cannot both be right. `support`: how many
    articles of the story, and of the two claims' events, state each figure (`figure_support`);
    `names`: the people each claim names (`events.persons`), whose figures are not one another's."""
    pairs = aligned(*texts)
    # "two other victims" counts a part, "three victims" the whole: not one slot; and a sentence
    # that states the other's figure too ("Charles rushed for 226 yards while Hillis added 101"
    # against "Hillis rushed for 101 yards") does not dispute it: the alignment crossed two slots
    stated = [{_value(f) for f in tokens(t)[1]} for t in texts]
    # a running total ("31 magazines in their five operations so far") is not the count of one
    # operation ("12 magazines were found"): not one slot
    one_kind = (_RUNNING.search(texts[0]) is None) == (_RUNNING.search(texts[1]) is None)
    clashing: list[tuple[FigurePair, tuple[frozenset[str], frozenset[str]]]] = []
    for p in pairs:
        if not (
            one_kind
            and p.clash
            and _part(texts[0], p.a) == _part(texts[1], p.b)
            and _rate(texts[0], p.a) == _rate(texts[1], p.b)
            and not _other_zones(texts, p)
            and not (_countdown(texts[0], p.a) or _countdown(texts[1], p.b))
            and not (_passing_score(texts[0], p.a) or _passing_score(texts[1], p.b))
            and _then(texts[0], p.a) == _then(texts[1], p.b)
            and not _age_against_a_count(texts, p)
            and _value(p.b) not in stated[0]
            and _value(p.a) not in stated[1]
        ):
            continue
        # two people's figures: "Ana Ruiz, 34" against "Jon Brask, 61", or "Ruiz scored 23 points"
        # against "broke Brask's record of 2,116 points", are not one slot
        held = (_owner(texts[0], p.a, names[0]), _owner(texts[1], p.b, names[1]))
        if not _other_people(*held):
            clashing.append((p, held))
    out = []
    for p, held in clashing:
        one_person = p.kind == "age" and _one_person(*held)
        place = (p.equal_run, p.before, p.after, p.context)
        story, events = support or ({}, {})
        backed = sorted(story.get(f.text.casefold(), 1) for f in (p.a, p.b))
        backed += sorted(events.get(f.text.casefold(), 1) for f in (p.a, p.b))
        x = _features(pair, p.similarity, place, p.agreeing, p.kind, (len(pairs), len(clashing)), backed)
        what, other = counted_in_both(texts[0], p.a, texts[1], p.b)
        if p.kind in TOLLS and not (what and what == other):
            what = other = p.kind  # "killing two workers" / "Three people died": the dead, whoever they were
        if what and other and other != what and p.a.unit is not None:  # "six weeks" / "two months"
            line = f"{p.a.text} {what} ({outlets[0]}) vs {p.b.text} {other} ({outlets[1]})"
        elif not what and p.a.unit is not None and p.b.unit is not None and p.kind != "money":
            # two measures: each with its own unit, as converted ("140 km/h" vs "120 mph")
            line = f"{_measure(texts[0], p.a)} ({outlets[0]}) vs {_measure(texts[1], p.b)} ({outlets[1]})"
        else:
            named = p.kind if p.kind in TOLLS else what  # "arrested: 23 vs 53", though both count pirates
            line = f"{named}: " if named else ""
            line += f"{p.a.text} ({outlets[0]}) vs {p.b.text} ({outlets[1]})"
        out.append(Clash(i, j, line, x, pair, p.similarity, p, what, one_person))
    return out


_UNIT_WORD = re.compile(r"[\s-]*([^\W\d_]+(?:/[^\W\d_]+)?)")


def _measure(text: str, figure: Figure) -> str:
    """A measure as its sentence writes it, its unit included ("140 km/h", "200ft")."""
    m = _UNIT_WORD.match(text, figure.end)
    return text[figure.start : m.end(1)] if m else figure.text


def fact_clash(
    i: int, j: int, line: str, texts: tuple[str, str], pair: PairEvidence, placed: bool = False
) -> Clash:
    """A typed fact that clashes (a `claims.compare` line): raised on the strength of the pair alone
    (`raised`), as no planted figure teaches the model what such a clash looks like. `placed`: a day
    read from another event of the article (`claims.anchored_days`), see `Clash.placed`."""
    figures = aligned(*texts)
    agreeing = sum(not p.clash for p in figures)
    similar = figures[0].similarity if figures else similarity(*texts)
    x = _features(pair, similar, (False, False, False, 0), agreeing, "", (len(figures) + 1, 1), [1, 1, 1, 1])
    return Clash(i, j, line, x, pair, similar, placed=placed)


# The same-event probability from which `raised` takes two figures in one place as a discrepancy in
# a window of two articles (elsewhere: the event model's `discrepancy_threshold`). Chosen out of fold
# on `train_clashes.py`'s two-article windows: planted figures found at the model's two-article
# threshold, with the rule from .823 / .75 / .70 / .65 / .60: 112 / 114 / 114 / 115 / 115 of 335,
# other clashes .053 per article at each.
TWO_ARTICLE_PAIR = 0.65

# A typed fact (a timing, a date by day, a clock time, a place) is raised when the event model is sure
# of the pair (mutual best, one event, at least its discrepancy threshold, or `TWO_ARTICLE_PAIR` between
# two outlets alone) and the two sentences are mostly worded alike: a fixed rule, as no planted data
# labels these. Taking two sentences as alike by their embeddings too (cosine .7, "resigned on Tuesday" /
# "stepped down on Wednesday") raised 18 more flags on published ECB+ 1-35, two of them real.
TYPED_SIMILARITY = 0.5


def raised(clash: Clash, p: float, model: ClashModel, pair_threshold: float) -> float | None:
    """How sure a clash is to be a real discrepancy, if it is raised at all: `p`, the model's
    probability for it, or for one raised by the rule on the pair, the pair's same-event probability."""
    pair = clash.pair
    # in a report of two outlets, where the model has no third outlet to weigh, from a less likely
    # pair (`TWO_ARTICLE_PAIR`)
    least = min(pair_threshold, TWO_ARTICLE_PAIR) if pair.articles == 2 else pair_threshold
    sure_pair = pair.mutual and pair.same_group and pair.probability >= least
    if clash.figures is not None:
        if clash.one_person and not pair.same_group:
            return None  # one person's ages in two events: ages grow (Klitschko at 32, at 36)
        if p >= model.threshold_for(pair.articles):
            return p
        if clash.one_person:
            # one person's age in two reports of one event is one slot, however the two sentences
            # are worded: raised as sure as the model or the pair is
            return max(p, pair.probability)
        # below the model's threshold, two figures of one thing in one place ("had signed 14 agreements"
        # / "had signed 12 agreements") in a pair the event model is sure of are raised by the same rule
        # as a typed fact, as sure as the pair is; a toll ("killing two workers" / "Three people died") is
        # one slot however it is worded
        one_slot = (clash.figures.after and clash.figures.before) or clash.figures.kind in TOLLS
        return pair.probability if sure_pair and one_slot else None
    alike = clash.placed or clash.similarity >= TYPED_SIMILARITY
    return pair.probability if sure_pair and alike else None


def _features(
    pair: PairEvidence,
    similar: float,
    place: tuple[bool, bool, bool, int],  # equal_run, before, after, context
    agreeing: int,
    kind: str,  # the kind both figures are, "" if they differ (`figures.KINDS`)
    counts: tuple[int, int],  # figure pairs, clashing ones
    backed: list[int],  # articles stating the rarer figure, then the commoner: in the story, in the events
) -> tuple[float, ...]:
    equal_run, before, after, context = place
    return (
        pair.probability, float(pair.mutual), float(pair.same_group), pair.cosine, similar, float(equal_run),
        float(before), float(after), float(min(context, 4)), float(agreeing), float(kind == "year"),
        float(counts[0]), float(counts[1]), math.log1p(backed[0]), math.log1p(backed[1]),
        float(kind not in ("", "count", "year", "day", "clock", *TOLLS)), float(kind in ("day", "clock")),
        math.log1p(backed[2]), math.log1p(backed[3]), math.log1p(pair.articles),
    )  # fmt: skip


def figure_support(texts_by_article: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """How many articles state each figure (as written, case folded) in any of their claims."""
    seen: dict[str, int] = {}
    for texts in texts_by_article.values():
        for figure in {f.text.casefold() for t in texts for f in tokens(t)[1]}:
            seen[figure] = seen.get(figure, 0) + 1
    return seen


def _value(f: Figure) -> tuple[float, float, str]:
    return f.low, f.high, f.kind


# words that make a figure count a part of something counted elsewhere: "two other rifles",
# "three more touchdowns", "another 40 homes"
_PART = frozenset({"other", "more", "additional", "another", "further", "extra"})


def _part(text: str, figure: Figure) -> bool:
    """Whether the word just before or after a figure makes it count a part ("two other victims")."""
    near = text[: figure.start].split()[-1:] + text[figure.end :].split()[:1]
    return any(w.casefold().strip(".,;:()") in _PART for w in near)


_POSSESSIVE = re.compile(r"\w['’]s?$")


def _holder(text: str, figure: Figure) -> frozenset[str]:
    """The name an age belongs to, as its words: "Ana Ruiz, 34," or "a 34-year-old Ana Ruiz". Empty
    when no name of two capitalised words or more, or one in the possessive, stands there ("a
    34-year-old Australian")."""
    after = text[figure.end :].split()
    old = next((n + 1 for n, w in enumerate(after[:3]) if w.strip(",").casefold().endswith("old")), 0)
    if old:  # "a 34-year-old Ana Ruiz"
        words = after[old : old + 4]
    else:  # "Ana Ruiz, 34", "Ana Ruiz, aged 34": the name read backwards from the comma
        before = text[: figure.start].rstrip()
        if before.casefold().endswith(", aged"):
            before = before[:-5].rstrip()
        if not before.endswith(","):
            return frozenset()
        words = before[:-1].split()[-4:][::-1]
    name = words[: _caps(words)]
    names = [w.strip(".,;:()'’s").casefold() for w in name]
    # one capitalised word is a name when it is a possessive ("the 32-year-old Klitschko's third
    # win"), not a nationality or a place ("a 34-year-old Australian", "the 39-year-old Troy man")
    named = len(name) >= 2 or (old > 0 and len(name) == 1 and _POSSESSIVE.search(name[0]) is not None)
    return frozenset(w for w in names if w) if named else frozenset()


# what a figure is counted per, right after it or after the word it counts ("$20 million per season",
# "4.5 yards per carry", "$3 million a year"): a rate is not one slot with a total ("$160 million")
_PER = frozenset({"per", "each", "apiece", "annually", "yearly", "monthly", "weekly", "daily", "hourly"})
_PERIODS = frozenset({"year", "season", "game", "match", "week", "month", "day", "night", "hour", "minute"})
_NOT_RATE = frozenset({"ago", "earlier", "before", "later", "after", "since"})  # "a season ago": a date
_PHRASE_END = re.compile(r"[,;:()\u2013\u2014]|\.\s")


def _words(text: str, n: int) -> list[str]:
    """The first `n` words of `text`, case folded, without the punctuation around them."""
    return [w.strip(".,;:()").casefold() for w in text.split()[:n]]


def _rate(text: str, figure: Figure) -> bool:
    """Whether a figure is a rate: "per" or "each" within its next two words, or "a year" right after
    it or after the word it counts (not "a season ago", nor "in a game": one occasion)."""
    rest = _PHRASE_END.split(text[figure.end :], maxsplit=1)[0]  # ", a game that ...": an aside
    words = _words(rest, 4) + ["", "", "", ""]
    if _PER & set(words[:2]):
        return True
    return any(
        words[k] in ("a", "an") and words[k + 1] in _PERIODS and words[k + 2] not in _NOT_RATE for k in (0, 1)
    )


# what follows a game clock's reading ("with 7:42 left", "29 seconds remaining", "two minutes to play")
_LEFT = frozenset({"left", "remaining", "to go", "to play"})
_CLOCK_UNITS = frozenset({"second", "seconds", "minute", "minutes", "min", "sec", "secs", "mins"})


def _countdown(text: str, figure: Figure) -> bool:
    """Whether a figure is a game clock's reading: it dates one play of a match, and two sentences
    about two plays give two readings, neither of which disputes the other."""
    words = _words(text[figure.end : figure.end + 30], 3)
    if words and words[0] in _CLOCK_UNITS:
        words = words[1:]
    elif figure.kind != "clock" and ":" not in figure.text:  # "12 left in his contract": no clock
        return False
    return bool(words) and (words[0] in _LEFT or " ".join(words[:2]) in _LEFT)


# a score that is a moment of a match, not its result: "jumping to a 14-0 lead", "led 14-7 at halftime"
_MOMENT_AFTER = frozenset({"lead", "advantage", "edge", "deficit", "halftime", "half-time"})
_MOMENT_BEFORE = frozenset({"led", "trailed", "leading", "trailing"})
_OTHER_SIDE = re.compile(r"\s*[-\u2013]\s*\d+")


def _passing_score(text: str, figure: Figure) -> bool:
    """Whether a score is one moment of a match (a lead, the score at half time): two outlets may give
    two moments of one game, and neither is its result."""
    if figure.kind not in ("score", "score2"):
        return False
    rest = text[figure.end :]
    if figure.kind == "score":  # "14-0 lead": read past the other side's points
        rest = _OTHER_SIDE.sub("", rest, count=1)
    after = _words(rest, 3)
    before = text[: figure.start].split()[-2:]
    return (
        bool(after)
        and (
            after[0] in _MOMENT_AFTER
            or after[:2] == ["at", "halftime"]
            or after[:3] in (["at", "the", "half"], ["at", "the", "break"])
        )
    ) or any(w.casefold() in _MOMENT_BEFORE for w in before)


# a time zone named after a clock time ("4:30 p.m. ET", "15:00 GMT", "3 p.m. local time")
_ZONES = frozenset({
    "et", "est", "edt", "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "gmt", "utc", "bst",
    "cet", "cest", "local", "eastern", "central", "pacific", "mountain",
})  # fmt: skip


def _zone(text: str, figure: Figure) -> str:
    """The time zone named within a few words after a clock time, if any."""
    return next((w for w in _words(text[figure.end : figure.end + 24], 4) if w in _ZONES), "")


def _other_zones(texts: tuple[str, str], p: FigurePair) -> bool:
    """Two clock times a whole number of hours apart where a zone is named on one side only, or two
    different zones: one moment read on two clocks ("3:30 p.m." / "4:30 p.m. ET") may be the same."""
    if not (p.a.kind == p.b.kind == "clock"):
        return False
    zones = (_zone(texts[0], p.a), _zone(texts[1], p.b))
    apart = abs(p.a.low - p.b.low)
    return any(zones) and zones[0] != zones[1] and abs(apart - round(apart)) < 1e-6


# words that make a sentence's figures a running total rather than one occasion's
_RUNNING = re.compile(
    r"\b(?:so far|to date|in all|all told|in total|altogether|combined|cumulative)\b",
    re.IGNORECASE,
)
OWNER_REACH = 60  # characters between a name and a figure of its clause that is the named one's
_CLAUSE_END = re.compile(r"[;!?]|\.\s")


def _age_against_a_count(texts: tuple[str, str], p: FigurePair) -> bool:
    """An age against a figure that counts something ("LaSalle, 36," / "two blocks away"): two slots."""
    sides = ((p.a, texts[1], p.b), (p.b, texts[0], p.a))
    return any(
        age.kind == "age" and other.kind == "count" and counted(text, other) for age, text, other in sides
    )


_THEN = re.compile(r"\bthen[\s-]*$", re.IGNORECASE)


def _then(text: str, figure: Figure) -> bool:
    """A figure of an earlier time: "the then-15-year-old", "then 40,000 members"; not one slot with a
    figure of now ("the 16-year-old accused")."""
    return _THEN.search(text[: figure.start]) is not None


def _owner(text: str, figure: Figure, names: Sequence[Name]) -> frozenset[str]:
    """The person a figure belongs to, as the words of the name: an age's holder, the name just before
    it ("Ana Ruiz, 34") or just after ("a 34-year-old Ana Ruiz"); any other figure's, the nearest name
    before it in its clause ("Ana Ruiz scored 23 points", "broke Jon Brask's record of 2,116 points").
    Empty when no name stands there ("Jon Brask said the 34-year-old driver ...": the driver's)."""
    if figure.kind == "age":
        held = _holder(text, figure)
        near = [
            n
            for n in names
            if 0 <= figure.start - n[1] <= 2
            or (0 <= n[0] - figure.end <= 20 and "old" in text[figure.end : n[0]].casefold())
        ]
        return held or (near[0][2] if near else frozenset())
    before = [
        n
        for n in names
        if 0 <= figure.start - n[1] <= OWNER_REACH and not _CLAUSE_END.search(text[n[1] : figure.start])
    ]
    return max(before, key=lambda n: n[1])[2] if before else frozenset()


def _one_person(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two names are one person's when one holds every word of the other ("Comeaux" / "Arcade Joseph
    Comeaux Jr."); "John Jenkin" and his sister "Kathryn Jenkin" share a word but are two people."""
    return bool(a) and bool(b) and (a <= b or b <= a)


def _other_people(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a) and bool(b) and not a & b


def _caps(words: Sequence[str]) -> int:
    """How many of `words`, from the first, are capitalised."""
    n = 0
    for w in words:
        if not w[:1].isupper():
            break
        n += 1
    return n
