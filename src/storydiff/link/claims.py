"""Claims matched across the outlets of one story: corroborated, exclusive or discrepant.

Claims of different articles are compared by embedding cosine plus the facts they share (same
counted noun, a duration, a place). Mutual best matches above a threshold join one group; a group
reporting the same facts is `corroborated`, one whose facts clash beyond rounding is `discrepant`
(with a `detail` naming both sides), and a claim that matched nothing is `exclusive`.

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
from storydiff.extract.claims import _TIME_UNITS, parse_quantity
from storydiff.model import Alignment, Article, Claim

MODEL_MATCH = 0.62
LEXICAL_MATCH = 0.30
FACT_BONUS = 0.12
SECOND_MARGIN = 0.0


def _label(article: Article) -> str:
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
    unit = _TIME_UNITS.get(parts[1])
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
        elif key == "date":
            days_a = [v for v in fa[key] if _date_range(v) or v in _WEEKDAY]
            days_b = [v for v in fb[key] if _date_range(v) or v in _WEEKDAY]
            if days_a and days_b and all(_dates_clash(x, y) for x in days_a for y in days_b):
                clashes.append(f"date: {days_a[0]} ({outlet_a}) vs {days_b[0]} ({outlet_b})")
        elif key == "time":
            if all(_minutes_apart(x, y) > 30 for x in fa[key] for y in fb[key]):
                clashes.append(f"time: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
        elif key == "timing":
            ra, rb = fa[key][0].split(":")[0], fb[key][0].split(":")[0]
            if ra.split()[-1] != rb.split()[-1] or (ra != rb and ra.split()[:-1] and rb.split()[:-1]):
                clashes.append(f"sequence: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
        elif key == "place":
            pa = {p.casefold() for v in fa[key] for p in v.split("; ")}
            pb = {p.casefold() for v in fb[key] for p in v.split("; ")}
            if not pa & pb and not any(x in y or y in x for x in pa for y in pb):
                clashes.append(f"place: {fa[key][0]} ({outlet_a}) vs {fb[key][0]} ({outlet_b})")
    return clashes


def _minutes_apart(a: str, b: str) -> int:
    try:
        ha, ma = (int(x) for x in a.split(":"))
        hb, mb = (int(x) for x in b.split(":"))
    except ValueError:
        return 0
    d = abs((ha * 60 + ma) - (hb * 60 + mb))
    return min(d, 1440 - d)


def _bonus_facts(claim: Claim) -> set[str]:
    return {k for k in _facts(claim) if k.startswith("count:") or k in ("duration", "place", "timing")}


def _fact_matrix(claims: Sequence[Claim]) -> np.ndarray:
    """Which bonus facts each claim has (one column per fact kind)."""
    kinds: dict[str, int] = {}
    rows = [[kinds.setdefault(k, len(kinds)) for k in _bonus_facts(c)] for c in claims]
    has = np.zeros((len(claims), max(len(kinds), 1)), dtype=np.float32)
    for i, row in enumerate(rows):
        has[i, row] = 1.0
    return has


# Above this many claims a story's claim-by-claim matrix is computed a block at a time, never whole
# (40,000 claims would need 6.4 GB).
FULL_MATRIX_CLAIMS = 6000


class _Similarity:
    """Embedding cosine plus FACT_BONUS per fact two claims of different articles share (at most
    two): the whole matrix when the story is small, else blocks computed on demand."""

    def __init__(self, vectors: np.ndarray, claims: Sequence[Claim], art_no: np.ndarray) -> None:
        self.vectors, self.has, self.art_no = vectors, _fact_matrix(claims), art_no
        self.full: np.ndarray | None = None
        if len(claims) <= FULL_MATRIX_CLAIMS:
            self.full = self.block(slice(None), slice(None))

    def block(self, rows: slice | int, cols: slice) -> np.ndarray:
        if self.full is not None:
            return self.full[rows, cols]
        r = np.atleast_2d(self.vectors[rows])
        h = np.atleast_2d(self.has[rows])
        other = np.atleast_1d(self.art_no[rows])[:, None] != self.art_no[cols][None, :]
        bonus = FACT_BONUS * np.minimum(h @ self.has[cols].T, 2.0) * other
        out = r @ self.vectors[cols].T + bonus
        return out[0] if isinstance(rows, int) else out  # type: ignore[no-any-return]


def align_story(story_id: str, articles: Sequence[Article], embedder: Embedder) -> list[Alignment]:
    """Alignments for one story's articles (a story of one article has nothing to align)."""
    if len(articles) < 2:
        return []
    claims = [c for a in articles for c in a.claims]
    if not claims:
        return []
    outlet = {a.id: _label(a) for a in articles}
    art_of = [c.article for c in claims]
    vectors = embedder.encode([c.text for c in claims])
    # Claims come article by article: article k owns columns bounds[k]:bounds[k + 1].
    art_no = np.repeat(np.arange(len(articles)), [len(a.claims) for a in articles])
    bounds = np.concatenate([[0], np.cumsum([len(a.claims) for a in articles])])
    sims = _Similarity(vectors, claims, art_no)
    threshold = LEXICAL_MATCH if embedder.name.startswith("lexical") else MODEL_MATCH
    parent = list(range(len(claims)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    n = len(claims)
    # best_in[i, k]: claim i's closest claim in article k; best_of[j, k]: the claim of article k
    # closest to claim j (first of equals, as argmax gives), both as claim numbers.
    best_in = np.zeros((n, len(articles)), dtype=np.int64)
    best_of = np.zeros((n, len(articles)), dtype=np.int64)
    best_value = np.zeros((n, len(articles)))
    everything = slice(None)
    for k in range(len(articles)):
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        if hi > lo:
            into = sims.block(everything, slice(lo, hi))
            best_in[:, k] = lo + into.argmax(axis=1)
            best_value[:, k] = into.max(axis=1)
            best_of[:, k] = lo + sims.block(slice(lo, hi), everything).argmax(axis=0)
    # mutual best match: each claim is the other's closest in that article (each pair once)
    rows = np.arange(n)[:, None]
    later = np.arange(len(articles))[None, :] > art_no[:, None]
    has_claims = (bounds[1:] > bounds[:-1])[None, :]
    mutual = later & has_claims & (best_value >= threshold) & (best_of[best_in, art_no[:, None]] == rows)
    # Strongest matches first, and a group holds at most one claim of each article: otherwise
    # chains of matches (A1-B1, B1-C1, C1-A2 ...) grow one group over a whole big story.
    articles_in: dict[int, set[int]] = {i: {int(art_no[i])} for i in range(n)}
    pairs = np.argwhere(mutual)
    strength = best_value[pairs[:, 0], pairs[:, 1]] if len(pairs) else np.zeros(0)
    for p in np.argsort(-strength, kind="stable"):
        i, kb = int(pairs[p, 0]), int(pairs[p, 1])
        ra, rb = find(i), find(int(best_in[i, kb]))
        if ra == rb or articles_in[ra] & articles_in[rb]:
            continue
        if len(articles_in[ra]) > len(articles_in[rb]):
            ra, rb = rb, ra
        parent[ra] = rb
        articles_in[rb] |= articles_in.pop(ra)
    groups: dict[int, list[int]] = {}
    for i in range(len(claims)):
        groups.setdefault(find(i), []).append(i)
    # a claim left alone may still restate part of a longer claim elsewhere ("the first crossing
    # opens on June 1" inside "12 agreements ... and the first crossing would open on June 1")
    extra: list[list[int]] = []
    for root, members in list(groups.items()):
        if len(members) != 1:
            continue
        i = members[0]
        row = np.where(art_no != art_no[i], sims.block(i, everything), -np.inf)
        if not np.isfinite(row).any():
            continue
        j = int(row.argmax())
        if row[j] >= threshold + SECOND_MARGIN:
            extra.append([i, j])
            del groups[root]
    facts = [_facts(c) for c in claims]
    alignments: list[Alignment] = []
    for members in sorted([*groups.values(), *extra], key=min):
        if len({art_of[m] for m in members}) < 2:
            for m in members:
                alignments.append(Alignment(story_id, "exclusive", [claims[m].id]))
            continue
        clashes = _clashes(members, claims, facts, [outlet[art_of[m]] for m in members], art_of)
        ids_in = [claims[m].id for m in members]
        if clashes:
            alignments.append(Alignment(story_id, "discrepant", ids_in, "; ".join(clashes)))
        else:
            alignments.append(Alignment(story_id, "corroborated", ids_in))
    return alignments


MAX_CLASHES = 12  # lines in one alignment's detail; the rest are counted
MAX_NAMED = 3  # outlets named on one side of a clash line; the rest are counted


def _clashes(
    members: Sequence[int],
    claims: Sequence[Claim],
    facts: Sequence[dict[str, list[str]]],
    labels: Sequence[str],
    art_of: Sequence[str],
) -> list[str]:
    """The clash lines of one group of matched claims, each once.

    Claims reporting the same facts are compared once, as one side naming all their outlets: a
    claim reprinted by fifty outlets costs one comparison, not fifty, and its line names "A, B, C
    +47" rather than repeating itself per outlet.
    """
    sides: dict[tuple[tuple[str, tuple[str, ...]], ...], tuple[int, dict[str, None], set[str]]] = {}
    for m, label in zip(members, labels, strict=True):
        sig = tuple(sorted((k, tuple(v)) for k, v in facts[m].items()))
        _, names, arts = sides.setdefault(sig, (m, {}, set()))
        names[label] = None
        arts.add(art_of[m])
    found: dict[str, None] = {}  # an ordered set: each clash once, in the order found
    groups = [(i, _named(names), arts) for i, names, arts in sides.values()]
    for x, (i, named_i, arts_i) in enumerate(groups):
        for j, named_j, arts_j in groups[x + 1 :]:
            if len(arts_i | arts_j) < 2:
                continue  # two claims of one article are not a discrepancy between outlets
            pair = (facts[i], facts[j])
            for line in compare(claims[i], claims[j], named_i, named_j, pair):
                found[line] = None
    lines = list(found)
    if len(lines) > MAX_CLASHES:
        lines = [*lines[:MAX_CLASHES], f"and {len(lines) - MAX_CLASHES} more differences"]
    return lines


def _named(labels: Mapping[str, None]) -> str:
    names = list(labels)
    shown = ", ".join(names[:MAX_NAMED])
    return shown if len(names) <= MAX_NAMED else f"{shown} +{len(names) - MAX_NAMED}"


def align_claims(
    articles: Sequence[Article], stories: Mapping[str, list[str]], embedder: Embedder
) -> list[Alignment]:
    by_id = {a.id: a for a in articles}
    out: list[Alignment] = []
    for story_id, members in stories.items():
        out += align_story(story_id, [by_id[m] for m in members if m in by_id], embedder)
    return out
