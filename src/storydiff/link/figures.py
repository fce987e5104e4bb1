"""Which figures of two accounts of one fact state the same thing.

Two outlets reporting one fact mostly word it alike around its figures: "arrested 23 pirates in the
Gulf of Aden" and "23 suspected pirates were arrested in the Gulf of Aden". Rather than trusting a
parser's guess of what each number counts, the two sentences are aligned word by word with every
figure masked (`difflib`, the algorithm behind `diff`), and two figures are taken to fill the same
slot when the alignment puts them at one place: inside a run of equal words, or as the only figure
on each side of a short replaced run. How alike their surroundings are -- the words just before and
after, the sentence as a whole -- is returned with each pair, for `link.clashes` to weigh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from storydiff.extract.claims import number_value, parse_quantity

# words, numerals (with thousands separators and decimals) and single other characters
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|\S")
_WORD_NUMBERS = {
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "dozen",
}  # fmt: skip
_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}
_APPROX = {"about", "around", "roughly", "approximately", "nearly", "almost", "some", "estimated", "circa"}
_AT_LEAST = {"over", "least", "than", "upwards", "excess"}  # "at least", "more than", "in excess of"
_AT_MOST = {"under", "to", "below"}  # "up to"
MASK = "\x00"  # what a figure reads as in the alignment (no word is this)


@dataclass(frozen=True, slots=True)
class Figure:
    start: int  # character offsets in the sentence
    end: int
    text: str
    low: float  # the interval the words commit to ("about 5": 4..5.5; "12": 12..12)
    high: float
    year: bool  # a four-digit year: compared as a year, never with a count
    unit: tuple[str, float] | None = None  # a measure's dimension and its size in the base unit

    def interval(self) -> tuple[float, float]:
        """The figure in its dimension's base unit (metres, kilograms), else as written."""
        k = self.unit[1] if self.unit else 1.0
        return self.low * k, self.high * k


@dataclass(frozen=True, slots=True)
class Token:
    start: int
    end: int
    norm: str  # lower-cased word, or MASK for a figure


@dataclass(frozen=True, slots=True)
class FigurePair:
    a: Figure
    b: Figure
    equal_run: bool  # inside a run of words the two sentences share (else a short replaced run)
    before: bool  # the word before is the same on both sides (or both begin their sentence)
    after: bool  # one of the two words after is the same on both sides (what is counted)
    context: int  # words within four of the figure found on both sides
    similarity: float  # the two sentences' word alignment ratio, figures masked (0..1)
    agreeing: int  # other figures of the two sentences aligned with each other that agree

    @property
    def clash(self) -> bool:
        """The two figures cannot both be right (rounded and vague figures tolerated)."""
        return _differ(self.a, self.b)


@lru_cache(maxsize=8192)  # a story compares each sentence with many others
def tokens(text: str) -> tuple[tuple[Token, ...], tuple[Figure, ...]]:
    """A sentence's tokens, each figure (numeral or number words with their scale) as one token."""
    raw = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    out: list[Token] = []
    figures: list[Figure] = []
    k = 0
    while k < len(raw):
        start, end, word = raw[k]
        low = word.casefold()
        if word[0].isdigit() or low in _WORD_NUMBERS:
            j = k + 1
            while j < len(raw) and raw[j][2].casefold() in _SCALES:
                j += 1
            end = raw[j - 1][1]
            figure = _figure(
                text,
                start,
                end,
                [w.casefold() for _, _, w in raw[max(0, k - 2) : k]],
                _UNITS.get(raw[j][2].casefold()) if j < len(raw) else None,
            )
            if figure is not None:
                figures.append(figure)
                out.append(Token(start, end, MASK))
                k = j
                continue
        out.append(Token(start, end, low))
        k += 1
    return tuple(out), tuple(figures)


def _figure(
    text: str, start: int, end: int, before: list[str], unit: tuple[str, float] | None
) -> Figure | None:
    words = text[start:end]
    value = number_value(words)
    if value is None:
        return None
    year = bool(re.fullmatch(r"(?:1[89]|20)\d\d", words))
    prefix = ""
    if not year and before:
        if before[-1] in _APPROX:
            prefix = "~"
        elif before[-1] in _AT_LEAST and (before[-1] != "than" or before[:1] == ["more"]):
            prefix = ">="
        elif before[-1] in _AT_MOST or before[-2:] == ["less", "than"] or before[-2:] == ["fewer", "than"]:
            prefix = "<="
    interval = parse_quantity(f"{prefix}{value:g}") or (value, value)
    return Figure(start, end, words, interval[0], interval[1], year, None if year else unit)


def similarity(a: str, b: str) -> float:
    """How alike two sentences are word by word, figures masked (difflib's ratio, 0..1)."""
    na, nb = [t.norm for t in tokens(a)[0]], [t.norm for t in tokens(b)[0]]
    return SequenceMatcher(None, na, nb, autojunk=False).ratio()


def aligned(a: str, b: str) -> list[FigurePair]:
    """The figures of sentence `a` and sentence `b` that the word alignment puts at one place."""
    ta, fa = tokens(a)
    tb, fb = tokens(b)
    if not fa or not fb:
        return []
    na, nb = [t.norm for t in ta], [t.norm for t in tb]
    fig_a = {f.start: f for f in fa}
    fig_b = {f.start: f for f in fb}
    matcher = SequenceMatcher(None, na, nb, autojunk=False)
    similarity = matcher.ratio()
    found: list[tuple[int, int, bool]] = []  # token positions of paired figures
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" and any(t != MASK for t in na[i1:i2]):  # a run of figures alone says nothing
            found += [(i1 + k, j1 + k, True) for k in range(i2 - i1) if na[i1 + k] == MASK]
        elif op == "replace" and max(i2 - i1, j2 - j1) <= 4:
            xs = [i for i in range(i1, i2) if na[i] == MASK]
            ys = [j for j in range(j1, j2) if nb[j] == MASK]
            # a short replaced run holds one slot only if the words around it say what is counted
            if (
                len(xs) == 1
                and len(ys) == 1
                and (_before(na, nb, xs[0], ys[0]) or _after(na, nb, xs[0], ys[0]))
            ):
                found.append((xs[0], ys[0], False))
    # figures left over, moved or reworded ("captured 23 pirates" / "53 Somali and Yemeni pirates
    # were arrested"): paired greedily by the words around them, one to one and a year only with a
    # year; a figure alone of its kind on each side is paired even with nothing around it in common
    used_a, used_b = {i for i, _, _ in found}, {j for _, j, _ in found}
    left_a = [i for i, t in enumerate(na) if t == MASK and i not in used_a]
    left_b = [j for j, t in enumerate(nb) if t == MASK and j not in used_b]
    year_a = {i: fig_a[ta[i].start].year for i in left_a}
    year_b = {j: fig_b[tb[j].start].year for j in left_b}
    scored = sorted(
        (
            (len(_around(na, i) & _around(nb, j)), i, j)
            for i in left_a
            for j in left_b
            if year_a[i] == year_b[j]
        ),
        reverse=True,
    )
    for shared, i, j in scored:
        if i in used_a or j in used_b:
            continue
        alone = (
            sum(year_a[x] == year_a[i] for x in left_a) == 1
            and sum(year_b[y] == year_b[j] for y in left_b) == 1
        )
        if shared or alone:
            found.append((i, j, False))
            used_a.add(i)
            used_b.add(j)
    pairs = [(fig_a[ta[i].start], fig_b[tb[j].start], i, j, run) for i, j, run in found]
    agree = [not _differ(x, y) for x, y, *_ in pairs]
    out = []
    for k, (x, y, i, j, run) in enumerate(pairs):
        out.append(
            FigurePair(
                x,
                y,
                equal_run=run,
                before=_before(na, nb, i, j),
                after=_after(na, nb, i, j),
                context=len(_around(na, i) & _around(nb, j)),
                similarity=similarity,
                agreeing=sum(agree) - int(agree[k]),
            )
        )
    return out


def _before(na: Sequence[str], nb: Sequence[str], i: int, j: int) -> bool:
    """The same word before both figures, or both begin their sentences ("Two missiles struck ...")."""
    if i == 0 or j == 0:
        return i == j == 0
    return na[i - 1] == nb[j - 1] and na[i - 1] != MASK


def _after(na: Sequence[str], nb: Sequence[str], i: int, j: int) -> bool:
    return bool(_following(na, i) & _following(nb, j))


def _following(norms: Sequence[str], i: int) -> set[str]:
    """The next two words after position i (what a figure counts: "23 suspected pirates")."""
    return {w for w in norms[i + 1 : i + 3] if w[0].isalpha() and w not in _GLUE}


def _around(norms: Sequence[str], i: int) -> set[str]:
    """The words within four places of position i, plural -s dropped ("pirates" = "pirate")."""
    window = list(norms[max(0, i - 4) : i]) + list(norms[i + 1 : i + 5])
    return {w.removesuffix("s") for w in window if w[0].isalpha() and w not in _GLUE}


# units a figure is converted from, so "24km" and "15 miles" are one distance
_UNITS = {
    **dict.fromkeys(("km", "kilometre", "kilometer", "kilometres", "kilometers"), ("length", 1000.0)),
    **dict.fromkeys(("mile", "miles"), ("length", 1609.34)),
    **dict.fromkeys(("metre", "meter", "metres", "meters"), ("length", 1.0)),
    **dict.fromkeys(("ft", "feet", "foot"), ("length", 0.3048)),
    **dict.fromkeys(("kg", "kilogram", "kilograms"), ("mass", 1.0)),
    **dict.fromkeys(("lb", "lbs"), ("mass", 0.4536)),
    **dict.fromkeys(("tonne", "tonnes"), ("mass", 1000.0)),
    "mph": ("speed", 1.609), "kph": ("speed", 1.0),
}  # fmt: skip
_GLUE = {"and", "or", "of", "the", "a", "an", "in", "on", "at", "to", "for", "by", "with", "from"}


def _differ(x: Figure, y: Figure) -> bool:
    if x.year != y.year:
        return False
    if x.unit and y.unit and x.unit != y.unit:
        if x.unit[0] != y.unit[0]:
            return False  # a length and a weight: not one slot
        (xl, xh), (yl, yh) = x.interval(), y.interval()
        # a converted figure is rounded ("24km" for "15 miles"): a tenth either way is the same
        return xh * 1.1 < yl * 0.9 or yh * 1.1 < xl * 0.9
    return x.high < y.low or y.high < x.low
