"""Claims matched across the outlets of one story: corroborated, exclusive or discrepant.

Claims are joined into events by the learned same-event pair model (`link.events`): an event that
several articles report is `corroborated`, a claim no other article reports is `exclusive`. A
discrepancy needs three things: the same event (a pair the model is surest of), the same slot
(`compare` only ever sets a count of one thing against a count of the same thing, a date against a
date ...), and values that cannot both be true; it is given as a `discrepant` alignment of just the
two claims, with a `detail` naming both sides.

Facts clash when:
- two quantities of the same thing have disjoint intervals ("12" vs "14" agreements; "about five
  hours" and "several hours" overlap, "nearly five hours" and "three hours" do not);
- resolved dates or clock times differ, or a weekday does not fit a date;
- the same event is placed before / after / while different things;
- the same event is placed in different places.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from storydiff.embed import Embedder
from storydiff.extract.claims import APPROX, TIME_UNITS, number_value, parse_quantity
from storydiff.link.events import (
    EventModel,
    default_model,
    event_groups,
    mutual_best,
    probabilities,
    story_claims,
)
from storydiff.model import Alignment, Article, Claim


def outlet_label(article: Article) -> str:
    """How findings name an article: its outlet, else its id."""
    return article.outlet or article.id


def _base(key: str) -> str:
    return key.split("#")[0]


def _facts(claim: Claim) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for k, v in claim.values.items():
        out.setdefault(_base(k), []).append(v)
    return out


def _hours(value: str) -> tuple[float, float] | None:
    parts = value.split(" ")
    interval = parse_quantity(parts[0])
    if interval is None or len(parts) < 2:
        return None
    unit = TIME_UNITS.get(parts[1])
    if unit is None:
        return None
    return interval[0] * unit, interval[1] * unit


def _gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(a[0], b[0]) - min(a[1], b[1])


def _disjoint(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[1] < b[0] or b[1] < a[0]


def _date_range(value: str) -> tuple[date, date] | None:
    try:
        if ".." in value:
            lo, hi = value.split("..")
            return date.fromisoformat(lo), date.fromisoformat(hi)
        if len(value) == 10 and value[4] == "-":
            d = date.fromisoformat(value)
            return d, d
    except ValueError:
        return None
    return None


_WEEKDAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _dates_clash(a: str, b: str) -> bool:
    ra, rb = _date_range(a), _date_range(b)
    if ra and rb:
        return ra[1] < rb[0] or rb[1] < ra[0]
    weekday, other = (a, rb) if a in _WEEKDAY else (b, ra) if b in _WEEKDAY else (None, None)
    if weekday and other:
        span = (other[1] - other[0]).days + 1
        return _WEEKDAY.index(weekday) not in {
            date.fromordinal(other[0].toordinal() + k).weekday() for k in range(span)
        }
    if a in _WEEKDAY and b in _WEEKDAY:
        return a != b
    return False


def compare(
    a: Claim,
    b: Claim,
    outlet_a: str,
    outlet_b: str,
    facts: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None,
) -> list[str]:
    """What differs between two matched claims, one line per clash (empty: they agree).

    `facts`: the two claims' `_facts`, when the caller has them already.
    """
    fa, fb = facts or (_facts(a), _facts(b))
    clashes: list[str] = []
    for key in sorted(set(fa) & set(fb)):
        if key.startswith("count:") or key == "duration":
            measure = _hours if key == "duration" else parse_quantity
            ia = [(v, x) for v in fa[key] if (x := measure(v)) is not None]
            ib = [(v, y) for v in fb[key] if (y := measure(v)) is not None]
            if ia and ib and all(_disjoint(x, y) for _, x in ia for _, y in ib):
                # name the two closest figures: they are the ones about the same thing
                (va, _), (vb, _) = min(
                    ((p, q) for p in ia for q in ib), key=lambda pq: _gap(pq[0][1], pq[1][1])
                )
                thing = "duration" if key == "duration" else key.split(":", 1)[1]
                clashes.append(f"{thing}: {va} ({outlet_a}) vs {vb} ({outlet_b})")
        elif key in ("age", "score"):
            if not set(fa[key]) & set(fb[key]):
                clashes.append(f"{key}: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
        elif key == "date":
            days_a = [v for v in fa[key] if _date_range(v) or v in _WEEKDAY]
            days_b = [v for v in fb[key] if _date_range(v) or v in _WEEKDAY]
            if days_a and days_b and all(_dates_clash(x, y) for x in days_a for y in days_b):
                clashes.append(f"date: {days_a[0]} ({outlet_a}) vs {days_b[0]} ({outlet_b})")
        elif key == "time":
            if all(_minutes_apart(x, y) > 30 for x in fa[key] for y in fb[key]):
                clashes.append(f"time: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
        elif key == "timing":
            if _sequence_clash(timeline(fa[key][0]), timeline(fb[key][0])):
                clashes.append(f"sequence: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
        elif key == "place":
            pa = {p.casefold() for v in fa[key] for p in v.split("; ")}
            pb = {p.casefold() for v in fb[key] for p in v.split("; ")}
            if not pa & pb and not any(x in y or y in x for x in pa for y in pb):
                clashes.append(f"place: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
    return clashes


Place = tuple[str, tuple[float, float] | None]  # a relation and its amount in hours, from `timeline`


def timeline(timing: str) -> Place:
    """Where a `timing` value puts its event against the other one, in hours: the relation and, if
    an amount is given, its interval ("about an hour before: the warning" -> before, (0.8, 1.1))."""
    words = timing.split(":")[0].split()
    relation = words[-1] if words else ""
    amount = words[:-1]
    if len(amount) < 2:
        return relation, None
    unit = TIME_UNITS.get(amount[-1].casefold().removesuffix("s"))
    approx = amount[0].casefold() in APPROX
    n = number_value(" ".join(amount[1 if approx else 0 : -1]))
    interval = parse_quantity(f"{'~' if approx else ''}{n:g}") if n is not None else None
    if unit is None or interval is None:
        return relation, None
    return relation, (interval[0] * unit, interval[1] * unit)


def _sequence_clash(a: Place, b: Place) -> bool:
    """Two places on one timeline that cannot both hold: before against after or while, or the same
    side by amounts that cannot both be right (an hour before vs three hours before)."""
    (ra, ia), (rb, ib) = a, b
    if ra != rb:
        return True
    return ia is not None and ib is not None and _disjoint(ia, ib)


def _minutes_apart(a: str, b: str) -> int:
    try:
        ha, ma = (int(x) for x in a.split(":"))
        hb, mb = (int(x) for x in b.split(":"))
    except ValueError:
        return 0
    d = abs((ha * 60 + ma) - (hb * 60 + mb))
    return min(d, 1440 - d)


def align_story(
    story_id: str, articles: Sequence[Article], embedder: Embedder, model: EventModel | None = None
) -> list[Alignment]:
    """Alignments for one story's articles (a story of one article has nothing to align).

    Claims are grouped into events (`events.event_groups` over the pair model's probabilities); an
    event reported by two or more articles is `corroborated`, with the mean probability of its
    cross-article pairs as its confidence. Within an event, a pair of claims the model is surest of
    (at least `model.discrepancy_threshold`) whose facts clash is also given as a `discrepant`
    alignment of its own, so each flag names exactly the two sentences that disagree.
    """
    if len(articles) < 2:
        return []
    claims = [c for a in articles for c in a.claims]
    if not claims:
        return []
    model = model or default_model()
    outlet = {a.id: outlet_label(a) for a in articles}
    sc = story_claims(articles, embedder.encode([c.text for c in claims]))
    n = len(claims)
    prob = probabilities(sc, model)
    facts = [_facts(c) for c in claims]
    mutual = mutual_best(prob, sc.art_no)
    alignments: list[Alignment] = []
    for members in event_groups(n, sc.art_no, prob, model.group_threshold):
        arts = sc.art_no[members]
        if len(set(arts.tolist())) < 2:
            alignments += [Alignment(story_id, "exclusive", [claims[m].id]) for m in members]
            continue
        cross = arts[:, None] != arts[None, :]
        confidence = float(prob[np.ix_(members, members)][cross].mean())
        alignments.append(Alignment(story_id, "corroborated", [claims[m].id for m in members],
                                    confidence=round(confidence, 3)))
        alignments += _discrepancies(story_id, members, claims, facts, prob, mutual, outlet, model)
    return alignments


def _discrepancies(
    story_id: str,
    members: Sequence[int],
    claims: Sequence[Claim],
    facts: Sequence[dict[str, list[str]]],
    prob: np.ndarray,
    mutual: np.ndarray,
    outlet: Mapping[str, str],
    model: EventModel,
) -> list[Alignment]:
    """The clashing pairs of one event, each once: a claim reprinted by several outlets is compared
    once per distinct set of facts, against the pair the model is surest of."""
    best: dict[tuple[tuple[str, ...], ...], tuple[float, int, int, list[str]]] = {}
    for x, i in enumerate(members):
        for j in members[x + 1 :]:
            p = float(prob[i, j])
            if not mutual[i, j] or p < model.discrepancy_threshold:
                continue
            lines = compare(claims[i], claims[j], outlet[claims[i].article], outlet[claims[j].article],
                            (facts[i], facts[j]))
            if not lines:
                continue
            key = tuple(sorted((_signature(facts[i]), _signature(facts[j]))))
            if key not in best or p > best[key][0]:
                best[key] = (p, i, j, lines)
    return [
        Alignment(story_id, "discrepant", [claims[i].id, claims[j].id], "; ".join(lines[:MAX_CLASHES]),
                  confidence=round(p, 3))
        for p, i, j, lines in sorted(best.values(), key=lambda v: (min(v[1], v[2]), max(v[1], v[2])))
    ]


def _signature(facts: dict[str, list[str]]) -> tuple[str, ...]:
    return tuple(sorted(f"{k}={v}" for k, vs in facts.items() if k not in ("event", "predicate") for v in vs))


MAX_CLASHES = 12  # lines in one alignment's detail


def align_claims(
    articles: Sequence[Article], stories: Mapping[str, list[str]], embedder: Embedder
) -> list[Alignment]:
    by_id = {a.id: a for a in articles}
    out: list[Alignment] = []
    for story_id, members in stories.items():
        out += align_story(story_id, [by_id[m] for m in members if m in by_id], embedder)
    return out
