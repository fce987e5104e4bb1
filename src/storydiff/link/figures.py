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

from storydiff.extract.claims import HYPHENS, TENS, UNITS, number_value, parse_quantity

# words, numerals (with thousands separators and decimals, ".41" too) and single other characters
_TOKEN = re.compile(r"(?<![\w.])\.\d+|\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|\S")
_WORD_NUMBERS = {
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "dozen",
}  # fmt: skip
_SCALES = {"hundred", "thousand", "million", "billion", "trillion"}
_APPROX = {"about", "around", "roughly", "approximately", "nearly", "almost", "some", "estimated", "circa"}
_AT_LEAST = {"over", "least", "than", "upwards", "excess"}  # "at least", "more than", "in excess of"
_AT_MOST = {"under", "to", "below"}  # "to" only in "up to"
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
    kind: str = "count"  # what the words around it say it is (`KINDS`), else a count

    def interval(self) -> tuple[float, float]:
        """The figure in its dimension's base unit (metres, kilograms, degrees Celsius), else as written."""
        if self.unit == FAHRENHEIT:  # the one unit converted with an offset
            return (self.low - 32) * FAHRENHEIT[1], (self.high - 32) * FAHRENHEIT[1]
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
    kind: str = "count"  # the kind both figures are (`KINDS`), or "" for a count against a kind

    @property
    def clash(self) -> bool:
        """The two figures cannot both be right (rounded and vague figures tolerated)."""
        return differ(self.a, self.b)


def masked(text: str) -> str:
    """The text with each figure read as "N" ("within three months" -> "within N months"): two wordings
    of one remark compared without their figures, so that a figure given two ways does not hide that
    the words are one remark."""
    out, at = [], 0
    for f in tokens(text)[1]:
        out += [text[at : f.start], "N"]
        at = f.end
    return "".join(out) + text[at:]


@lru_cache(maxsize=8192)  # a story compares each sentence with many others
def tokens(text: str) -> tuple[tuple[Token, ...], tuple[Figure, ...]]:
    """A sentence's tokens, each figure (numeral or number words with their scale) as one token."""
    raw = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    words = [w for _, _, w in raw]
    out: list[Token] = []
    figures: list[Figure] = []
    last = -9  # where the last figure's words end, in raw
    bracket = -1  # the end of an aside's brackets: the rest of the aside is not a figure either
    k = 0
    while k < len(raw):
        start, end, word = raw[k]
        low = word.casefold()
        numeral = word[0].isdigit() or (word[0] == "." and word[1:2].isdigit()) or low in _WORD_NUMBERS
        if numeral and k > bracket and _aside(words, k, last):
            # "($2. 6-million)": the "6" of a restated figure split by a stray space is not another
            bracket = next((n for n in range(k, min(len(raw), k + 8)) if words[n] == ")"), k)
        if numeral and k > bracket and not _in_name(raw, k):
            j = k + 3 if _hyphenated(raw, k) else k + 1  # "Forty-one"
            scaled = _scales(raw, j)
            value = None
            if scaled > j and any(w in HYPHENS for w in words[j:scaled]):  # "a two-million-euro haul"
                value = number_value(" ".join(w for w in words[k:scaled] if w not in HYPHENS))
            j = scaled
            kind = _kind(words, k, j)
            groups = _thousands(raw, k) if j == k + 1 else k + 1
            if groups > j:  # thousands split by a stray space, as copied text has them ("15, 800")
                value = float("".join(words[k:groups:2]))
                j = groups
                while j < len(raw) and words[j].casefold() in _SCALES:
                    j += 1
                if j > groups:
                    value = number_value(" ".join([f"{value:g}", *words[groups:j]]))
                kind = _kind(words, k, j)
            elif (
                j == k + 1
                and j + 1 < len(raw)
                and words[j] == "."
                and raw[j][0] == end
                and word.isdigit()
                and re.fullmatch(r"\d{1,2}", words[j + 1])
                and raw[j + 1][0] == raw[j][1] + 1
            ):  # a decimal split by a stray space, as copied text often has it ("magnitude 5. 9")
                j = _scales(raw, j + 2)  # "$2. 6-million"
                scale = [w for w in words[k + 3 : j] if w not in HYPHENS]
                value = number_value(" ".join([f"{word}.{words[k + 2]}", *scale]))
                kind = _kind(words, k, j)
            if (
                j + 1 < len(raw)
                and words[j] == ":"
                and re.fullmatch(r"\d\d", words[j + 1])
                and word.isdigit()
            ):
                value, kind, j = (
                    _dial(int(word), int(words[j + 1]), words[j + 2 : j + 4]),
                    "clock",
                    j + 2,
                )  # "4:00 p.m." is 16 o'clock, as "16:00" is
            elif (
                kind == "money"
                and j < len(raw)
                and raw[j][0] == raw[j - 1][1]
                and words[j].casefold() in _SUFFIXES
            ):
                value = (number_value(text[start : raw[j - 1][1]]) or 0.0) * _SUFFIXES[words[j].casefold()]
                j += 1  # "$75m", "$1.2bn"
            end = raw[j - 1][1]
            if kind == "clock" and value is None and re.fullmatch(r"\d{4}", word):
                value = int(word[:2]) + int(word[2:]) / 60  # "1230 hours", "0241 GMT"
            elif kind == "clock" and value is None and re.fullmatch(r"\d{1,2}", word):
                value = _dial(int(word), 0, words[j : j + 1])  # "4 p.m."
            unit = _currency(words, k, j) if kind == "money" else None if kind == "clock" else _unit(raw, j)
            # the words before, a currency sign skipped ("at least $160 million", "in excess of $2m")
            before = [w.casefold() for w in words[max(0, k - 3) : k]]
            before = (before[:-1] if before[-1:] and before[-1] in _CURRENCY else before)[-2:]
            figure = _figure(text, (start, end), before, unit, kind, value)
            if figure is not None:
                figures.append(figure)
                out.append(Token(start, end, MASK))
                k = last = j
                continue
        out.append(Token(start, end, low))
        k += 1
    return _ranges(text, out, figures)


_SCALE_OF = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_RANGE_KINDS = frozenset({"count", "money", "percent", "dead", "hurt", "missing", "arrested"})


def _ranges(
    text: str, out: list[Token], figures: list[Figure]
) -> tuple[tuple[Token, ...], tuple[Figure, ...]]:
    """Two figures that give one range ("10 to 15 people", "between 10 and 15", "the $140 million to
    $160 million range") as one figure spanning both: a figure of another outlet inside the range
    agrees with it. Not a change ("rose from 10 to 15"), nor clock times, days or years."""
    tokens_out: list[Token] = []
    merged: list[Figure] = []
    n = 0  # the figure of the next MASK
    k = 0
    while k < len(out):
        t = out[k]
        if t.norm != MASK:
            tokens_out.append(t)
            k += 1
            continue
        first = figures[n]
        n += 1
        gap = 2 if k + 2 < len(out) and out[k + 2].norm == MASK else 3
        link = out[k + 1].norm if k + 1 < len(out) else ""
        prev = [x.norm for x in out[max(0, k - 3) : k] if x.norm not in _CURRENCY][-2:]  # "between $140"
        joined = (
            k + gap < len(out) and out[k + gap].norm == MASK and (gap == 2 or out[k + 2].norm in _CURRENCY)
        )
        if joined and ((link == "to" and "from" not in prev) or (link == "and" and prev[-1:] == ["between"])):
            second = figures[n]
            scale = next((_SCALE_OF[w] for w in second.text.casefold().split() if w in _SCALE_OF), 1.0)
            # "$140 and $150 million": the scale of the second is the first's too
            low = first.low * scale if first.text.replace(",", "").isdigit() else first.low
            if {first.kind, second.kind} <= _RANGE_KINDS and not first.year and low <= second.high:
                merged.append(Figure(first.start, second.end, text[first.start : second.end], low,
                                     second.high, False, second.unit or first.unit,
                                     second.kind if second.kind != "count" else first.kind))  # fmt: skip
                tokens_out.append(Token(first.start, second.end, MASK))
                n += 1
                k += gap + 1
                continue
        merged.append(first)
        tokens_out.append(t)
        k += 1
    return tuple(tokens_out), tuple(merged)


def _dial(hour: int, minute: int, after: Sequence[str]) -> float:
    """A time of day on a 24-hour dial: "6:41pm" and "18:41" are one time ("a", "p" then "." as
    copied text splits "p.m.")."""
    mark = after[0].casefold() if after else ""
    if mark in ("pm", "p") and hour < 12:
        hour += 12
    elif mark in ("am", "a") and hour == 12:
        hour = 0
    return hour + minute / 60


def _scales(raw: Sequence[tuple[int, int, str]], j: int) -> int:
    """Where the scale words after a number end, from j: "million", "thousand", also glued on by a
    hyphen ("2.6-million", "two-million-euro")."""
    while j < len(raw):
        if raw[j][2].casefold() in _SCALES:
            j += 1
        elif (
            raw[j][2] in HYPHENS
            and j + 1 < len(raw)
            and raw[j + 1][2].casefold() in _SCALES
            and raw[j - 1][1] == raw[j][0]
            and raw[j][1] == raw[j + 1][0]
        ):
            j += 2
        else:
            break
    return j


def _hyphenated(raw: Sequence[tuple[int, int, str]], k: int) -> bool:
    """raw[k:k + 3] is one number written with a hyphen: "forty-one", "Twenty-five"."""
    return (
        k + 2 < len(raw)
        and raw[k][2].casefold() in TENS
        and raw[k + 1][2] in HYPHENS
        and raw[k + 2][2].casefold() in UNITS
        and raw[k][1] == raw[k + 1][0]
        and raw[k + 1][1] == raw[k + 2][0]
    )


def _thousands(raw: Sequence[tuple[int, int, str]], k: int) -> int:
    """Where a number whose thousands are split by a stray space ends ("15, 800", "1, 500, 000": the
    comma glued to the digits before it, one space, three digits), in raw; k + 1 if it is not one.
    Not after a month ("May 5, 200 people") or glued to a word before ("5-foot-8, 135 pounds")."""
    word = raw[k][2]
    if not (word.isdigit() and len(word) <= 3):
        return k + 1
    if k > 0:
        before = raw[k - 1][2]
        glued = raw[k - 1][1] == raw[k][0] and (before == "-" or before[-1].isalnum())
        if glued or before.casefold().rstrip(".") in _MONTHS:
            return k + 1
    g = k + 1
    while (
        g + 1 < len(raw)
        and raw[g][2] == ","
        and raw[g][0] == raw[g - 1][1]
        and len(raw[g + 1][2]) == 3
        and raw[g + 1][2].isdigit()
        and raw[g + 1][0] == raw[g][1] + 1
    ):
        g += 2
    return g


def _unit(raw: Sequence[tuple[int, int, str]], j: int) -> tuple[str, float] | None:
    """The unit named by the word at j, if any ("m" only glued to its number: "60m"; an area from a
    length: "800-square-metre", "12, 000 square feet", "sq ft")."""
    if j >= len(raw):
        return None
    square = j + 1 if raw[j][2] == "-" and j + 1 < len(raw) else j
    if raw[square][2].casefold() in ("square", "sq"):
        n = square + 1
        if n < len(raw) and raw[n][2] in ("-", "."):
            n += 1
        base = _UNITS.get(raw[n][2].casefold()) if n < len(raw) else None
        return ("area", base[1] ** 2) if base is not None and base[0] == "length" else None
    word = raw[j][2].casefold()
    if word == "m" and raw[j][0] == raw[j - 1][1]:
        return _UNITS["metre"]
    temperature = _temperature(raw, j)
    if temperature is not None:
        return temperature
    per = [raw[k][2].casefold() for k in range(j + 1, min(j + 3, len(raw)))]
    if word in _LENGTHS and per[:1] == ["/"] and per[1:] in (["h"], ["hr"], ["hour"]):
        return ("speed", _UNITS[word][1] / 1000)  # "140 km/h" is a speed, not a distance
    if word in _DASHES and j + 1 < len(raw) and raw[j][0] == raw[j - 1][1]:  # "a 2, 000-foot fall"
        glued = _UNITS.get(raw[j + 1][2].casefold())
        after = raw[j + 2][2].casefold() if j + 2 < len(raw) else ""
        nxt = raw[j + 3][2].casefold() if j + 3 < len(raw) else ""
        return None if "old" in (after, nxt) else glued  # not "a 61-year-old"
    return _UNITS.get(word)


CELSIUS, FAHRENHEIT = ("temperature", 1.0), ("temperature", 5 / 9)
_DEGREES = {
    "c": CELSIUS,
    "celsius": CELSIUS,
    "centigrade": CELSIUS,
    "f": FAHRENHEIT,
    "fahrenheit": FAHRENHEIT,
}


def _temperature(raw: Sequence[tuple[int, int, str]], j: int) -> tuple[str, float] | None:
    """A temperature's scale after its number: "40C" (glued), "38°C", "104 degrees Fahrenheit",
    "40 Celsius"; "100 degrees" alone names no scale."""
    word = raw[j][2].casefold()
    if word in ("c", "f"):
        return _DEGREES[word] if raw[j][0] == raw[j - 1][1] else None
    if word in ("°", "º", "degree", "degrees") and j + 1 < len(raw):
        return _DEGREES.get(raw[j + 1][2].casefold())
    return _DEGREES.get(word) if len(word) > 1 else None


def _currency(words: Sequence[str], k: int, j: int) -> tuple[str, float]:
    """A sum's currency as a unit of its own, so pounds are never compared with euros ("$" is taken
    as US dollars unless letters say otherwise: "A$", "$US", "C$")."""
    near = [w.casefold() for w in [*words[max(0, k - 2) : k], *words[j : j + 1]]]
    for w in near:
        if w in _CURRENCY_CODES:
            return (f"money:{_CURRENCY_CODES[w]}", 1.0)
    if "$" in near:
        i = max(0, k - 2) + near.index("$") if "$" in near[:-1] else -1
        letters = words[i - 1].casefold() if i > 0 else ""
        return (f"money:{letters if letters in ('a', 'au', 'c', 'ca', 'nz', 'hk', 's') else 'usd'}", 1.0)
    return ("money:?", 1.0)


def _in_name(raw: Sequence[tuple[int, int, str]], k: int) -> bool:
    """A number that is part of a name or an ordinal: "AK-47", "G20", "MH17", "COVID-19", "117th
    Street" (but "$US1" is money); or one side of a fraction, a ratio or a date ("4-1/2", "24/7")."""
    start = raw[k][0]
    if (
        k + 1 < len(raw)
        and raw[k + 1][0] == raw[k][1]
        and raw[k + 1][2].casefold() in ("st", "nd", "rd", "th")
    ):
        return True
    if k >= 1 and raw[k - 1][1] == start and raw[k - 1][2][0].isalpha():
        return not (k >= 2 and raw[k - 2][2] == "$" and raw[k - 2][1] == raw[k - 1][0])
    if k >= 2 and raw[k - 1][2] in _DASHES and raw[k - 1][1] == start and raw[k - 2][1] == raw[k - 1][0]:
        return raw[k - 2][2][0].isupper()  # "AK-47", but "magnitude-6" is a figure
    # either side of a slash between numbers: a fraction, a ratio or a date ("4-1/2 months", "24/7",
    # "9/11"), no count of its own
    return (k + 2 < len(raw) and raw[k + 1][2] == "/" and raw[k + 2][2][0].isdigit()) or (
        k >= 2 and raw[k - 1][2] == "/" and raw[k - 2][2][0].isdigit()
    )


def _aside(words: Sequence[str], k: int, last: int) -> bool:
    """A figure in brackets just after another is the same one restated, mostly converted: "$US1
    million ($1.52 million)", "60 metres (200 feet)"."""
    p = k - 1 if k >= 1 and words[k - 1] == "(" else k - 2 if k >= 2 and words[k - 2] == "(" else -1
    return p >= 0 and 0 <= p - last <= 1


def _figure(
    text: str,
    span: tuple[int, int],
    before: list[str],
    unit: tuple[str, float] | None,
    kind: str,
    value: float | None = None,
) -> Figure | None:
    start, end = span
    words = text[start:end]
    value = number_value(words) if value is None else value
    if value is None:
        return None
    year = bool(re.fullmatch(r"(?:1[89]|20)\d\d", words))
    prefix = ""
    if not year and before:
        if before[-1] in _APPROX:
            prefix = "~"
        elif (
            before[-1] in _AT_LEAST
            and (before[-1] != "than" or before[:1] == ["more"])
            or before[-2:] == ["excess", "of"]
        ):
            prefix = ">="
        elif (
            before[-1] in _AT_MOST
            and (before[-1] != "to" or before[-2:] == ["up", "to"])
            or before[-2:] == ["less", "than"]
            or before[-2:] == ["fewer", "than"]
        ):
            prefix = "<="  # "up to 30"; not "rose to 30", which is 30
    interval = parse_quantity(f"{prefix}{value:g}") or (value, value)
    if year:  # a year is exact: 2000 is not "about 2,000"
        return Figure(start, end, words, value, value, True, None, "year")
    return Figure(start, end, words, interval[0], interval[1], False, unit, kind)


# What a figure is, read from the words next to it. Two figures of different kinds never fill one
# slot, and one figure of a kind on each side of a same-event pair is one slot however differently
# the two sentences are worded ("Kirkpatrick, 61, opened fire" / "a 61-year-old former employee").
KINDS = (
    "year", "age", "score", "score2", "money", "percent", "magnitude", "day", "clock", "dead", "hurt",
    "missing", "arrested", "count",
)  # fmt: skip
_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec",
}  # fmt: skip
_DASHES = {"-", "‐", "–"}
_DYING = {"die", "dies", "died", "dead", "dying"}  # "dies at 91": an age
# a toll, read from a verb just before the figure ("killing two workers", "killed at least 10") or a
# word just after it ("Three people died", "two workers dead", "14 others were injured"): the count
# of the dead, the hurt, the missing or the arrested in two accounts of one event is one slot however
# each is worded
TOLLS = {
    "dead": ({"kill", "kills", "killed", "killing"},
             {"dead", "died", "die", "killed", "deaths", "fatalities", "perished", "lives"}),
    "hurt": ({"injure", "injured", "injuring", "wounded", "wounding", "hurt", "injuries"},
             {"injured", "wounded", "hurt", "injuries", "hospitalised", "hospitalized"}),
    "missing": (set(), {"missing", "unaccounted"}),
    "arrested": ({"arrest", "arrested", "arresting", "detained", "detaining"},
                 {"arrested", "detained", "arrests", "detentions"}),
}  # fmt: skip
_BOUNDS = _APPROX | _AT_LEAST | {"at", "more", "up", "another", "a", "total", "of"}
# a sum's scale written onto it: "$75m", "$1.2bn", and the financial press's "$160MM", "$2 mln"
_SUFFIXES = {"m": 1e6, "mn": 1e6, "mm": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "bln": 1e9, "k": 1e3}
_CURRENCY_CODES = {
    "£": "gbp", "pounds": "gbp", "€": "eur", "euros": "eur", "euro": "eur", "¥": "jpy", "yuan": "cny",
    "rupees": "inr", "dollars": "usd", "dollar": "usd", "usd": "usd",
}  # fmt: skip
_CURRENCY = {"$", "£", "€", "¥", "dollars", "dollar", "euros", "euro", "pounds", "rupees", "yuan", "usd"}


def _kind(words: Sequence[str], k: int, j: int) -> str:
    """The kind of the figure spanning words[k:j], from its neighbours."""
    prev = [w.casefold() for w in words[max(0, k - 3) : k]]
    nxt = [w.casefold() for w in words[j : j + 4]]
    p1, p2 = (prev[-1] if prev else ""), (prev[-2] if len(prev) > 1 else "")
    n1, n2 = (nxt[0] if nxt else ""), (nxt[1] if len(nxt) > 1 else "")
    if {"year", "years"} & set(nxt[:2]) and {"old", "old's", "old’s"} & set(nxt[:4]):
        return "age"  # "a 61-year-old", "61 years old"
    if p1 == "of" and p2 == "age" or p1 == "at" and p2 in _DYING:
        return "age"  # "at the age of 87", "dies at 91"
    if p1 in ("aged", "age") or (
        p1 == "," and k > 1 and words[k - 2][:1].isupper() and n1 in (",", ")", ".", ";")
    ):
        return "age"  # "Eric Kirkpatrick, 61, opened fire"
    if n1 in _DASHES and n2[:1].isdigit():
        return "score"  # "won 20-13": each half its own slot
    if p1 in _DASHES and re.fullmatch(r"(?:1[89]|20)\d\d", p2) and re.fullmatch(r"\d\d", words[k]):
        return "year"  # "the 2008-09 season": the second year of a season, not half a score
    if p1 in _DASHES and p2[:1].isdigit():
        return "score2"
    if p1 in _CURRENCY or n1 in _CURRENCY or (p2 == "$" and p1.isalpha() and len(p1) <= 3):
        return "money"
    if n1 in ("%", "percent", "pc") or (n1, n2) == ("per", "cent"):
        return "percent"
    if "magnitude" in prev or "magnitude" in nxt[:2] or "richter" in nxt:
        return "magnitude"
    if p1 in _MONTHS or n1 in _MONTHS:
        return "day"
    if n1 in ("am", "pm", "o'clock") or (n1 in ("a", "p") and n2 == ".") or (n1 == ":" and n2[:1].isdigit()):
        return "clock"
    if p1 == ":" and p2[:1].isdigit():
        return "clock"
    if n1 in ("hours", "hrs", "gmt", "ist", "utc") and len(words[k]) == 4 and words[k].isdigit():
        return "clock"  # "boarded the dhow at 1230 hours"
    if n1 not in _UNITS and n1 != "times":  # "killed three in 15 minutes", "arrested four times"
        # the verb right before it, or before words that only bound it ("killed at least 10")
        verb = next((w for w in reversed(prev) if w not in _BOUNDS), "")
        after = []  # the words after the figure to the end of its clause
        for w in nxt:
            if not w[:1].isalpha() or w in ("and", "or", "but"):
                break
            after.append(w)
        for kind, (verbs, nouns) in TOLLS.items():
            # "the death toll rose to 12"
            if verb in verbs or nouns & set(after) or (kind == "dead" and "toll" in prev):
                return kind
    return "count"


@lru_cache(maxsize=16384)
def similarity(a: str, b: str) -> float:
    """How alike two sentences are word by word, figures masked (difflib's ratio, 0..1)."""
    na, nb = [t.norm for t in tokens(a)[0]], [t.norm for t in tokens(b)[0]]
    return SequenceMatcher(None, na, nb, autojunk=False).ratio()


@lru_cache(maxsize=16384)  # the copies of a reprinted story ask about the same two sentences again
def aligned(a: str, b: str) -> tuple[FigurePair, ...]:
    """The figures of sentence `a` and sentence `b` that the word alignment puts at one place."""
    ta, fa = tokens(a)
    tb, fb = tokens(b)
    if not fa or not fb:
        return ()
    na, nb = [t.norm for t in ta], [t.norm for t in tb]
    fig_a = {f.start: f for f in fa}
    fig_b = {f.start: f for f in fb}
    matcher = SequenceMatcher(None, na, nb, autojunk=False)
    similarity = matcher.ratio()
    found: list[tuple[int, int, bool]] = []  # token positions of paired figures
    # one age (sum, score ...) stated in both is paired first, wherever the words put it: "Tova Lind,
    # 11, ... a 31-year-old man" against "An 11-year-old girl" compares the 11s, not 31 with 11
    typed = [
        (i, j)
        for i, x in enumerate(ta)
        if x.norm == MASK and fig_a[x.start].kind not in ("count", "year")
        for j, y in enumerate(tb)
        if y.norm == MASK and _same_value(fig_a[x.start], fig_b[y.start])
    ]
    for i, j in typed:
        if sum(i == x for x, _ in typed) == 1 and sum(j == y for _, y in typed) == 1:
            found.append((i, j, False))
    taken = {i for i, _, _ in found}, {j for _, j, _ in found}
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" and any(t != MASK for t in na[i1:i2]):  # a run of figures alone says nothing
            found += [
                (i1 + k, j1 + k, True)
                for k in range(i2 - i1)
                if na[i1 + k] == MASK and i1 + k not in taken[0] and j1 + k not in taken[1]
            ]
        elif op == "replace" and max(i2 - i1, j2 - j1) <= 4:
            xs = [i for i in range(i1, i2) if na[i] == MASK]
            ys = [j for j in range(j1, j2) if nb[j] == MASK]
            # a short replaced run holds one slot only if the words around it say what is counted
            if (
                len(xs) == 1
                and len(ys) == 1
                and xs[0] not in taken[0]
                and ys[0] not in taken[1]
                and _comparable(fig_a[ta[xs[0]].start].kind, fig_b[tb[ys[0]].start].kind)
                and (_before(na, nb, xs[0], ys[0]) or _after(na, nb, xs[0], ys[0]))
            ):
                found.append((xs[0], ys[0], False))
    # figures left over, moved or reworded ("captured 23 pirates" / "53 Somali and Yemeni pirates
    # were arrested"): paired greedily by the words around them, one to one and only of comparable
    # kinds; a figure alone of its kind on each side is paired even with nothing around it in common
    used_a, used_b = {i for i, _, _ in found}, {j for _, j, _ in found}
    left_a = [i for i, t in enumerate(na) if t == MASK and i not in used_a]
    left_b = [j for j, t in enumerate(nb) if t == MASK and j not in used_b]
    kind_a = {i: fig_a[ta[i].start].kind for i in left_a}
    kind_b = {j: fig_b[tb[j].start].kind for j in left_b}
    # two figures that agree are paired first: the same value in both accounts is the surest sign of
    # one slot ("Cheanne McKnight, 11, ... a 31-year-old mom" / "An 11-year-old girl")
    scored = sorted(
        (
            (_agree(fig_a[ta[i].start], fig_b[tb[j].start]), len(_around(na, i) & _around(nb, j)),
             kind_a[i] == kind_b[j], i, j)
            for i in left_a
            for j in left_b
            if _comparable(kind_a[i], kind_b[j])
        ),
        reverse=True,
    )  # fmt: skip
    for equal, shared, same, i, j in scored:
        if i in used_a or j in used_b:
            continue
        alone = (  # the only figure of its kind on each side, or the only one but a year
            same
            and sum(kind_a[x] == kind_a[i] for x in left_a) == 1
            and sum(kind_b[y] == kind_b[j] for y in left_b) == 1
        ) or (sum(kind_a[x] != "year" for x in left_a) == 1 and sum(kind_b[y] != "year" for y in left_b) == 1)
        if equal or shared or alone:
            found.append((i, j, False))
            used_a.add(i)
            used_b.add(j)
    pairs = [(fig_a[ta[i].start], fig_b[tb[j].start], i, j, run) for i, j, run in found]
    agree = [not differ(x, y) for x, y, *_ in pairs]
    out: list[FigurePair] = []
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
                kind=x.kind if x.kind == y.kind else "",
            )
        )
    return tuple(out)


def _before(na: Sequence[str], nb: Sequence[str], i: int, j: int) -> bool:
    """The same word before both figures, or both begin their sentences ("Two missiles struck ...")."""
    if i == 0 or j == 0:
        return i == j == 0
    return _stem(na[i - 1]) == _stem(nb[j - 1]) and na[i - 1] != MASK


def _stem(word: str) -> str:
    """A word without its plural or third-person -s: "would cover 11 zones" / "covers nine zones",
    "three border crossings" / "four crossing points"."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _after(na: Sequence[str], nb: Sequence[str], i: int, j: int) -> bool:
    return bool(_following(na, i) & _following(nb, j))


def _following(norms: Sequence[str], i: int) -> set[str]:
    """The next two words after position i (what a figure counts: "23 suspected pirates")."""
    return {_stem(w) for w in norms[i + 1 : i + 3] if w[0].isalpha() and w not in _GLUE}


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
    **dict.fromkeys(("inch", "inches"), ("length", 0.0254)),
    **dict.fromkeys(("cm", "centimetre", "centimeter", "centimetres", "centimeters"), ("length", 0.01)),
    **dict.fromkeys(("mm", "millimetre", "millimeter", "millimetres", "millimeters"), ("length", 0.001)),
    **dict.fromkeys(("kg", "kilogram", "kilograms"), ("mass", 1.0)),
    **dict.fromkeys(("lb", "lbs"), ("mass", 0.4536)),
    **dict.fromkeys(("tonne", "tonnes"), ("mass", 1000.0)),
    **dict.fromkeys(("acre", "acres"), ("area", 4046.86)),
    **dict.fromkeys(("hectare", "hectares"), ("area", 10000.0)),
    "mph": ("speed", 1.609), "kph": ("speed", 1.0), "kmh": ("speed", 1.0),
    **dict.fromkeys(("knot", "knots"), ("speed", 1.852)),
    # spans of time, in days: "two weeks" and "14 days" are one span, "six weeks" and "two months" not
    **dict.fromkeys(("second", "seconds", "secs"), ("time", 1 / 86400)),
    **dict.fromkeys(("minute", "minutes", "mins"), ("time", 1 / 1440)),
    **dict.fromkeys(("hour", "hours", "hrs"), ("time", 1 / 24)),
    **dict.fromkeys(("day", "days"), ("time", 1.0)),
    **dict.fromkeys(("week", "weeks"), ("time", 7.0)),
    **dict.fromkeys(("fortnight", "fortnights"), ("time", 14.0)),
    **dict.fromkeys(("month", "months"), ("time", 30.44)),
    **dict.fromkeys(("year", "years"), ("time", 365.25)),
    **dict.fromkeys(("decade", "decades"), ("time", 3652.5)),
    **dict.fromkeys(("century", "centuries"), ("time", 36525.0)),
}  # fmt: skip
_LENGTHS = {word for word, (dimension, _) in _UNITS.items() if dimension == "length"}
_GLUE = {"and", "or", "of", "the", "a", "an", "in", "on", "at", "to", "for", "by", "with", "from"}


# words that follow a figure without saying what it counts ("$20 million per season", "in 2009 when")
_NOT_COUNTED = _GLUE | {
    "per", "than", "as", "when", "while", "after", "before", "since", "until", "that", "which", "who",
    "but", "if", "so", "because", "more", "less", "each", "apiece", "is", "are", "was", "were", "has",
    "have", "had", "will", "would",
}  # fmt: skip


def counted(text: str, figure: Figure) -> str:
    """The word a figure of `text` counts, when one follows it ("23 pirates"); none for a date or a
    time of day, which count nothing, nor for a word that only joins the figure to the rest."""
    if figure.year or figure.kind in ("day", "clock"):
        return ""
    rest = text[figure.end :].split()
    word = rest[0].strip(".,;:()") if rest else ""
    return word if _counts(word) else ""


def _counts(word: str) -> bool:
    """A word that says what a figure counts: a lower-case word, not one that only joins."""
    return len(word) > 1 and word.isalpha() and word.islower() and word not in _NOT_COUNTED


def counted_in_both(a: str, fa: Figure, b: str, fb: Figure) -> tuple[str, str]:
    """What each of two figures counts (`counted`); where the first words differ but one of the next
    two words is the same noun ("11 fishing zones" / "nine zones"), that word on both sides."""
    what, other = counted(a, fa), counted(b, fb)
    if what == other or not (what or other):
        return what, other
    later = [[w.strip(".,;:()") for w in t[f.end :].split()[:2]] for t, f in ((a, fa), (b, fb))]
    for word in later[0]:
        if _counts(word) and any(_stem(word) == _stem(w) for w in later[1]):
            return word, next(w for w in later[1] if _stem(word) == _stem(w))
    return what, other


def _same_value(x: Figure, y: Figure) -> bool:
    return x.kind == y.kind and x.unit == y.unit and (x.low, x.high) == (y.low, y.high)


def _comparable(x: str, y: str) -> bool:
    """Two kinds of figure that may fill one slot: the same, or a count (what the words did not
    type) against anything but a year, a time of day or a day of a month ("boarded at 1230 hours"
    against "two boats", "set for October 28" against "the 23-year old's")."""
    return x == y or ("count" in (x, y) and not {"year", "clock", "day"} & {x, y})


def _agree(x: Figure, y: Figure) -> bool:
    """Two figures that state one thing alike: measures of one dimension, or plain counts, that do not
    differ. (`differ` is also false for two that cannot be compared at all: "five hours" and "two
    reporters", which must not be paired first as if they agreed.)"""
    if (x.unit is None) != (y.unit is None) or (x.unit and y.unit and x.unit[0] != y.unit[0]):
        return False
    return not differ(x, y)


def differ(x: Figure, y: Figure) -> bool:
    if x.year != y.year or not _comparable(x.kind, y.kind):
        return False
    if (x.unit is None) != (y.unit is None) and x.kind == y.kind == "count":
        return False  # a measure against a plain count: "served 412 months" / "two reporters"
    if x.unit and y.unit and x.unit != y.unit:
        if x.unit[0] != y.unit[0]:
            return False  # a length and a weight: not one slot
        (xl, xh), (yl, yh) = x.interval(), y.interval()
        # a converted figure is rounded ("24km" for "15 miles"): a tenth either way is the same
        return xh * 1.1 < yl * 0.9 or yh * 1.1 < xl * 0.9
    if _rounds_to(x, y) or _rounds_to(y, x):
        return False
    return x.high < y.low or y.high < x.low


def _rounds_to(x: Figure, y: Figure) -> bool:
    """A plain number with decimals that the other, a whole number, rounds: "67.3 percent" / "67
    percent", "magnitude 5.9" / "magnitude 6" (not "1.5 million" / "2 million": scaled figures are
    rounded coarser than they are written, and are compared as written)."""
    plain = re.fullmatch(r"\d+\.\d+", x.text) and re.fullmatch(r"\d+", y.text)
    return bool(plain) and x.low == x.high and y.low == y.high and abs(x.low - y.low) < 0.5
