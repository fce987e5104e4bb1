"""Checkable statements in one article, outside its quotes.

`extract_claims(article, doc, quotes)` cuts each sentence of the parse into the pieces that lie
outside quotation marks, keeps those that state something checkable (a number, a date or time, a
place, or who did what) and normalises their facts into `Claim.values`:

| key | value | from |
|---|---|---|
| `count:NOUN` | `12`, `~5`, `>=80`, `3..9` | "12 agreements", "about five", "more than 80", "several" |
| `duration` | `~5 hour` | "talks that lasted nearly five hours" |
| `date` | `2031-05-13`, `2031-05-13..2031-05-14`, `2006`, `Tuesday` | resolved against `article.published` |
| `time` | `15:00` | "at 3 p.m." |
| `timing` | `before: the meeting`, `while: he was travelling` | the event's place in a sequence |
| `place` | `Brennholt` (several joined by `; `) | GPE / LOC / FAC after in / at / near |
| `event` | `moretsky agree reopen` | subject, verb and object lemmas |

Quantities use a small grammar (`~N` about, `>=N` at least, `<=N` at most, `A..B` a range) that
`parse_quantity` turns back into an interval, so "about five hours" and "several hours" can be
compared later. Every claim's `text == article.text[span.start:span.end]`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from storydiff import nlp
from storydiff.clean import is_stamp
from storydiff.model import Article, Claim, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "a": 1, "an": 1,
    "single": 1, "dozen": 12, "half": 0.5,
}  # fmt: skip
# "forty-one": a tens word and a unit word joined by a hyphen are one number (AP style spells out a
# number that opens a sentence: "Forty-one people were taken to hospital")
TENS = frozenset(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))
UNITS = frozenset(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))
HYPHENS = frozenset("-\u2010\u2011\u2013")
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1e12}
# vague quantity words and the interval they commit to
_VAGUE = {
    "several": (3, 9), "few": (2, 5), "couple": (2, 3), "many": (5, 1e9), "dozens": (24, 144),
    "scores": (40, 200), "hundreds": (200, 999), "thousands": (2000, 9999), "millions": (2e6, 9.99e8),
    "numerous": (4, 1e9), "some": (2, 9),
}  # fmt: skip
APPROX = {"about", "around", "roughly", "approximately", "nearly", "almost", "some", "close", "circa",
           "estimated", "ca.", "~", "over", "just", "barely"}  # fmt: skip
_AT_LEAST = {"more than", "over", "at least", "upwards of", "in excess of", "no fewer than", "no less than"}
_AT_MOST = {"less than", "fewer than", "under", "up to", "at most", "no more than", "below"}
TIME_UNITS = {
    "second": 1 / 3600, "minute": 1 / 60, "hour": 1.0, "day": 24.0, "night": 24.0, "week": 168.0,
    "month": 730.0, "year": 8760.0, "decade": 87600.0,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december"]  # fmt: skip
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_TIMING_MARKS = (
    "before",
    "after",
    "while",
    "during",
    "until",
    "since",
    "as",
    "when",
    "ahead of",
    "following",
)
_SPEECH = {"say", "tell", "add", "state", "claim", "announce", "insist", "note", "write", "explain", "ask",
           "reply", "warn", "argue", "accord"}  # fmt: skip
_QUOTE_CHARS = "\"“”„«»‘’'‹›"
_PLACE_NOUNS = {"city", "town", "village", "capital", "region", "province", "port", "district"}
_PARA = re.compile(r"\n\s*\n|\n")
_NUM_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$|^\.\d+$")


def number_value(text: str) -> float | None:
    """The number a numeral or number words stand for ("12", "1,200", "five", "2.5 million")."""
    words = text.casefold().replace("-", " ").split()
    if not words:
        return None
    total = 0.0
    current: float | None = None
    for w in words:
        # a full stop or comma after the number is the sentence's; a point before digits is the
        # number's (".41", a blood-alcohol level)
        w = w.rstrip(".,").lstrip(",")
        w = w if re.fullmatch(r"\.\d+", w) else w.lstrip(".")
        if _NUM_RE.match(w):
            current = (current or 0.0) + float(w.replace(",", ""))
        elif w in _SMALL:
            current = (current or 0.0) + _SMALL[w]
        elif w in _SCALE:
            current = (current if current is not None else 1.0) * _SCALE[w]
            if _SCALE[w] >= 1000:
                total += current
                current = None
        elif w == "and":
            continue
        else:
            return None
    if current is not None:
        total += current
    return total


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def parse_quantity(value: str) -> tuple[float, float] | None:
    """The interval a quantity value stands for: `12` -> (12, 12), `~5` -> (4.5, 5.5), `3..9` -> (3, 9).

    An exact round number ("1,000") allows the rounding a reporter would do; `>=80` is open above.
    Returns None for a value outside the grammar.
    """
    v = value.split(" ")[0]
    try:
        if v.startswith("~"):
            x = float(v[1:])
            return (x * 0.9, x * 1.1) if x >= 1 else (x * 0.8, x * 1.2)
        if v.startswith(">="):
            x = float(v[2:])
            return (x, max(x * 10, x + 10))
        if v.startswith("<="):
            x = float(v[2:])
            return (0.0, x)
        if ".." in v:
            lo, hi = v.split("..")
            return (float(lo), float(hi))
        x = float(v)
    except ValueError:
        return None
    # round figures ("1,000", "300") are reported loosely; small counts are exact
    if x >= 100 and x % 100 == 0:
        return (x * 0.95, x * 1.05)
    return (x, x)


def _modifier(tokens: list[Token], first: int) -> str:
    """The hedge or bound right before the number: '~', '>=', '<=' or ''."""
    before = " ".join(t.lower_ for t in tokens[max(0, first - 3) : first])
    for phrase in _AT_LEAST:
        if before.endswith(phrase):
            return ">="
    for phrase in _AT_MOST:
        if before.endswith(phrase):
            return "<="
    last = tokens[first - 1].lower_ if first > 0 else ""
    if last in APPROX or before.endswith("close to") or before.endswith("as many as"):
        return "~"
    return ""


def _unit_of(tok: Token) -> str | None:
    """The noun a number counts ("12 agreements" -> agreement)."""
    head = tok
    while head.dep_ in ("nummod", "compound", "quantmod", "amod", "advmod", "nmod") and head.head.i != head.i:
        head = head.head
        if head.pos_ in ("NOUN", "PROPN"):
            return head.lemma_.casefold()
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN":
        return None
    return None


# the same counted thing under another word: "10 people" and "25 persons" count one thing
_SAME_UNIT = {"persons": "person", "people": "person", "individual": "person", "body": "person"}
_AGE = re.compile(r"(\d{1,3})-year-old\b|\baged? (\d{1,3})\b", re.IGNORECASE)
_SCORE = re.compile(r"(?<![\w.,:-])(\d{1,3})-(\d{1,3})(?![\w.,:-]|\.\d)")


def _unit(lemma: str) -> str | None:
    """A counted noun's key ("persons" -> person), or None for what is no unit ("a.m.", "m")."""
    if len(lemma) < 2 or not lemma.isalpha():
        return None
    return _SAME_UNIT.get(lemma, lemma)


def _ages_and_scores(seg: list[Token]) -> list[tuple[str, str]]:
    """ "36-year-old", "aged 91", "Williams, 32," give an age; "a 20-13 victory" a score."""
    if not seg:
        return []
    # the segment's own words: `Doc.text` would join the whole document's tokens on every call
    text = "".join(t.text_with_ws for t in seg[:-1]) + seg[-1].text
    out = [("age", m.group(1) or m.group(2)) for m in _AGE.finditer(text)]
    out += [("score", f"{m.group(1)}-{m.group(2)}") for m in _SCORE.finditer(text)]
    for k, tok in enumerate(seg[1:-1], start=1):  # "Jenkin, 23, charged ...": a bare number set off by commas
        if (
            tok.like_num
            and tok.text.isdigit()
            and seg[k - 1].text == ","
            and seg[k + 1].text == ","
            and k >= 2
            and seg[k - 2].ent_type_ == "PERSON"
            and 0 < int(tok.text) < 120
        ):
            out.append(("age", tok.text))
    return out


def _quantities(seg: list[Token], ent_types: dict[int, str]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = _ages_and_scores(seg)
    aged = {t.i for t in seg if t.text.isdigit() and any(v == t.text for k, v in out)}
    i = 0
    while i < len(seg):
        tok = seg[i]
        lower = tok.lower_
        if lower in _VAGUE and tok.pos_ in ("ADJ", "DET", "NOUN", "NUM") and i + 1 < len(seg):
            unit = _unit_of(tok) if tok.dep_ != "pobj" else None
            nxt = seg[i + 1]
            unit = unit or (nxt.lemma_.casefold() if nxt.pos_ == "NOUN" else None)
            if lower in ("few", "couple") and i > 0 and seg[i - 1].lower_ == "a":
                pass
            elif lower in ("few",) or lower == "some" and (unit not in TIME_UNITS):
                i += 1
                continue
            unit = _unit(unit) if unit is not None else None
            if unit is not None:
                lo, hi = _VAGUE[lower]
                rng = f"{_fmt(lo)}..{_fmt(hi)}"
                out.append(("duration", f"{rng} {unit}") if unit in TIME_UNITS else (f"count:{unit}", rng))
            i += 1
            continue
        if not (tok.like_num or lower in _SMALL and tok.pos_ == "NUM") or tok.i in aged:
            i += 1
            continue
        if ent_types.get(tok.i) in ("DATE", "ORDINAL", "MONEY") and not _is_duration(seg, i):
            i += 1
            continue
        # gather a multi-word number ("2.5 million", "twenty five", "forty-one")
        j = i + 1
        while j < len(seg) and (
            (seg[j].like_num or seg[j].lower_ in _SCALE) and seg[j].dep_ != "punct" or _joined_number(seg, j)
        ):
            j += 1
        value = number_value(" ".join(t.text for t in seg[i:j]))
        if value is None:
            i = j
            continue
        mod = _modifier(seg, i)
        last = seg[j - 1]
        unit = _unit_of(last)
        if unit is None and j < len(seg) and seg[j].pos_ == "NOUN":
            unit = seg[j].lemma_.casefold()
        if unit is None and j < len(seg) and seg[j].lower_ in ("percent", "%", "per"):
            unit = "percent"
        unit = "percent" if unit in ("%", "per") else _unit(unit) if unit is not None else None
        if unit is None:
            i = j
            continue
        if unit in TIME_UNITS:
            out.append(("duration", f"{mod}{_fmt(value)} {unit}"))
        else:
            out.append((f"count:{unit}", f"{mod}{_fmt(value)}"))
        i = j
    return out


def _joined_number(seg: list[Token], j: int) -> bool:
    """seg[j] is the hyphen of "forty-one" (no space on either side)."""
    return (
        seg[j].text in HYPHENS
        and 0 < j < len(seg) - 1
        and seg[j - 1].lower_ in TENS
        and seg[j + 1].lower_ in UNITS
        and not seg[j - 1].whitespace_
        and not seg[j].whitespace_
    )


def _is_duration(seg: list[Token], i: int) -> bool:
    nxt = seg[i + 1] if i + 1 < len(seg) else None
    return nxt is not None and nxt.lemma_.casefold() in TIME_UNITS and nxt.lower_ not in ("day",)


def _anchor(article: Article) -> date | None:
    if article.published is not None:
        return article.published.date()
    return None


def resolve_date(text: str, article: Article, ahead: bool = False) -> str | None:
    """A DATE entity's text as ISO (a range `A..B` when uncertain); None if nothing definite. A
    weekday is the last one on or before the article's day, or with `ahead` (what is expected or
    will happen) the next one on or after it."""
    t = text.casefold().strip()
    t = re.sub(r"^(on|in|since|by|last|this|early|late|the)\s+", "", t)
    anchor = _anchor(article)
    published: datetime | None = article.published
    if "yesterday" in t:
        if anchor is None:
            return None
        day = anchor - timedelta(days=1)
        # a morning edition is written the evening before: "yesterday" may be the day before that
        if published is not None and published.hour < 12:
            return f"{(day - timedelta(days=1)).isoformat()}..{day.isoformat()}"
        return day.isoformat()
    if t.startswith("today") or t.startswith("tonight") or t == "this morning":
        return anchor.isoformat() if anchor else None
    if "tomorrow" in t:
        return (anchor + timedelta(days=1)).isoformat() if anchor else None
    for n, name in enumerate(_WEEKDAYS):
        if t.startswith(name):
            if anchor is None:
                return name.capitalize()
            if ahead:
                return (anchor + timedelta(days=(n - anchor.weekday()) % 7)).isoformat()
            back = (anchor.weekday() - n) % 7
            return (anchor - timedelta(days=back)).isoformat()
    m = re.match(r"^(\d{4})$", t)
    if m:
        return m.group(1)
    m = re.match(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$", t) or None
    if m and m.group(1)[:4].rstrip(".")[:3] in _MONTH_ABBR:
        month = _MONTH_ABBR[m.group(1)[:3]]
        return _iso(m.group(3), month, int(m.group(2)), anchor)
    m = re.match(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?(?:,?\s+(\d{4}))?$", t)
    if m and m.group(2)[:3] in _MONTH_ABBR:
        return _iso(m.group(3), _MONTH_ABBR[m.group(2)[:3]], int(m.group(1)), anchor)
    return None


# verbs whose time lies ahead of the telling: `the crest is expected on Thursday`, `due on Friday`
_FUTURE_VERBS = frozenset({"expect", "schedule", "plan", "due", "forecast", "predict", "intend", "set"})
_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo"})


def _ahead(ent: SpacySpan) -> bool:
    """Whether the verb a date hangs on looks ahead: `will meet on Monday`, `was expected on Thursday`."""
    verb = ent.root
    for _ in range(3):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    near = [verb, *([verb.head] if verb.dep_ == "xcomp" else [])]
    near += [c for c in verb.children if c.dep_ in ("acomp", "xcomp")]  # `is due`, `is set to`
    return any(v.lemma_.casefold() in _FUTURE_VERBS for v in near) or any(
        c.lower_ in _FUTURE_AUX for c in verb.children
    )


def _iso(year: str | None, month: int, day: int, anchor: date | None) -> str | None:
    y = int(year) if year else (anchor.year if anchor else None)
    try:
        return date(y, month, day).isoformat() if y else f"--{month:02d}-{day:02d}"
    except ValueError:
        return None


def time_value(text: str) -> str | None:
    """A clock time on a 24-hour dial ("4 a.m." -> "04:00", "3:40 p.m." -> "15:40"), or None."""
    m = re.search(r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?", text.casefold())
    if not m or (m.group(2) is None and m.group(3) is None):
        return None
    hour = int(m.group(1)) % 24
    if m.group(3) and m.group(3).startswith("p") and hour < 12:
        hour += 12
    if m.group(3) and m.group(3).startswith("a") and hour == 12:
        hour = 0
    return f"{hour:02d}:{m.group(2) or '00'}"


# the words that place an event against another ("ahead of" is read as "before")
RELATIONS = ("before", "after", "while", "during", "following", "until")


def _timing(seg: list[Token], seg_span: SpacySpan) -> str | None:
    """Where the event sits in a sequence: 'before: the meeting', 'while: he was travelling'; every
    such place the clause gives, joined by '; ' ("shortly after dawn, before any warning had been
    broadcast": after dawn and before the warning)."""
    found = []
    for k, tok in enumerate(seg):
        low = tok.lower_
        if low == "ahead" and k + 1 < len(seg) and seg[k + 1].lower_ == "of":
            low = "before"
        if low not in RELATIONS:
            continue
        phrase: list[str] = []
        for t in seg[k + 1 :]:
            if t.is_punct and t.text in ("'", "’", "-"):
                continue  # inside a name or a compound ("the governor's")
            if t.is_punct or t.lower_ in ("and", "but", "said", "says", *RELATIONS) or len(phrase) >= 6:
                break  # the phrase ends at a comma ("before the warning, officials said")
            phrase.append(t.text)
        amount = ""
        if k >= 1 and seg[k - 1].lemma_.casefold() in TIME_UNITS:
            first = k - 1
            while first > 0 and (seg[first - 1].like_num or seg[first - 1].lower_ in _SMALL
                                 or seg[first - 1].lower_ in APPROX):  # fmt: skip
                first -= 1
            amount = " ".join(t.text for t in seg[first:k]) + " "
        relation = {"following": "after", "during": "while"}.get(low, low)
        if phrase:
            found.append(f"{amount}{relation}: {' '.join(phrase)}".strip())
    return "; ".join(found) or None


def _anchor_clause(seg: list[Token]) -> range:
    """The tokens (by index in the doc) of the other event a timing places this one against, from
    its relation word to the clause's end: a date there is that event's ("charged on Saturday after
    a shooting on Friday": the charge's date is Saturday, and Friday is not a date of the charge)."""
    for k, tok in enumerate(seg):
        if tok.lower_ not in RELATIONS:
            continue
        end = k + 1
        while end < len(seg) and not (seg[end].is_punct and seg[end].text not in ("'", "’", "-")):
            end += 1
        if end > k + 1:
            return range(tok.i + 1, seg[end - 1].i + 1)
    return range(0)


def _event(seg: list[Token]) -> tuple[str, str] | None:
    """Who did what to what ("reid check herself"), and the predicate's lemma alone ("check")."""
    for tok in seg:
        if (
            tok.pos_ == "VERB"
            and tok.dep_ in ("ROOT", "ccomp", "conj")
            and tok.lemma_.casefold() not in _SPEECH
        ):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            obj = sorted(
                (c for c in tok.children if c.dep_ in ("dobj", "xcomp", "attr", "dative")),
                key=lambda c: ("dobj", "xcomp", "attr", "dative").index(c.dep_),
            )
            parts = [subj[0].lemma_ if subj else "", tok.lemma_, obj[0].lemma_ if obj else ""]
            text = " ".join(p.casefold() for p in parts if p)
            if subj or obj:
                return text, tok.lemma_.casefold()
    return None


def _segments(sent: SpacySpan, quotes: list[Span], text: str) -> list[tuple[int, int]]:
    """Pieces of a sentence (character ranges) that lie outside every quote and quotation mark.

    `text` is the parsed text (`doc.text` rebuilds it from every token on each call)."""
    start, end = sent.start_char, sent.end_char
    cuts = sorted((max(q.start, start), min(q.end, end)) for q in quotes if q.start < end and start < q.end)
    pieces: list[tuple[int, int]] = []
    pos = start
    for a, b in cuts:
        if a > pos:
            pieces.append((pos, a))
        pos = max(pos, b)
    if pos < end:
        pieces.append((pos, end))
    # a claim never runs across a paragraph break
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        inner = a
        for m in _PARA.finditer(text, a, b):
            out.append((inner, m.start()))
            inner = m.end()
        out.append((inner, b))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    strip = " \t\n\r,;:–—-" + _QUOTE_CHARS
    while a < b and text[a] in strip:
        a += 1
    while b > a and text[b - 1] in strip + ".":
        b -= 1
    if b < len(text) and text[b : b + 1] == "." and b > a:
        b += 1  # keep the full stop: the claim reads as a sentence
    return a, b


def extract_claims(article: Article, doc: Doc, quotes: list[Quote]) -> list[Claim]:
    """Claims of one article, in text order, each outside the article's direct and partial quotes."""
    text = article.text
    # reported speech ("Vartan said the sides had signed 14 agreements") is where news states its
    # facts: only the words inside quotation marks are kept out of claims
    quote_spans = [q.span for q in quotes if q.kind != "indirect"]
    ent_types = nlp.entity_types(doc)
    # the entities once per article: `Span.ents` walks all of `doc.ents` at every call
    ents = list(doc.ents)
    ent_starts = [e.start for e in ents]
    claims: list[Claim] = []
    for sent in doc.sents:
        had_quote = any(q.start < sent.end_char and sent.start_char < q.end for q in quote_spans)
        quoted = sum(min(q.end, sent.end_char) - max(q.start, sent.start_char) for q in quote_spans
                     if q.start < sent.end_char and sent.start_char < q.end)  # fmt: skip
        quoted += sum(1 for ch in sent.text if ch in _QUOTE_CHARS)
        for a, b in _segments(sent, quote_spans, text):
            a, b = _trim(text, a, b)
            if b - a < 12:
                continue
            seg_span = doc.char_span(a, b, alignment_mode="contract")
            if seg_span is None:
                continue
            seg = list(seg_span)
            words = [t for t in seg if not t.is_punct and not t.is_space]
            if len(words) < 4:
                continue
            # a quote's bare attribution ("Moretsky told reporters after the meeting") is no claim
            values = _values(article, seg, seg_span, _within(ents, ent_starts, seg_span), ent_types)
            factual = any(
                k.split(":")[0].split("#")[0] in ("count", "duration", "date", "time") for k in values
            )
            if (
                had_quote
                and not factual
                and len(words) <= 14
                and any(t.lemma_.casefold() in _SPEECH for t in seg)
            ):
                continue
            if (
                any(ch in _QUOTE_CHARS[:9] for ch in text[a:b])
                and quoted > (sent.end_char - sent.start_char) / 2
            ):
                continue
            kind = _kind(values)
            # a line with no verb says nothing to compare, unless it states a figure: a headline
            # ("Four Dead In Harbour Quake") is tagged as names, and its figure may be disputed
            if kind == "statement" and not any(t.pos_ == "VERB" or t.like_num for t in seg):
                continue
            if is_stamp(text[a:b]):
                continue  # `Published: May 2, 2031`: when the page ran, not what happened
            claims.append(
                Claim(
                    id=f"{article.id}:c{len(claims) + 1}",
                    article=article.id,
                    span=Span(a, b),
                    text=text[a:b],
                    kind=kind,
                    values=values,
                )
            )
    return claims


def _within(ents: list[SpacySpan], starts: list[int], span: SpacySpan) -> list[SpacySpan]:
    """The entities wholly inside `span` (as `span.ents`), found by bisection in the article's."""
    out = []
    for ent in ents[bisect_left(starts, span.start) :]:
        if ent.end > span.end:
            break
        out.append(ent)
    return out


def _values(
    article: Article,
    seg: list[Token],
    seg_span: SpacySpan,
    seg_ents: list[SpacySpan],
    ent_types: dict[int, str],
) -> dict[str, str]:
    values: dict[str, str] = {}

    def put(key: str, value: str) -> None:
        k, n = key, 2
        while k in values and values[k] != value:
            k, n = f"{key}#{n}", n + 1
        values[k] = value

    for key, value in _quantities(seg, ent_types):
        put(key, value)
    places: list[str] = []
    anchor = _anchor_clause(seg)
    for ent in seg_ents:
        if ent.label_ == "DATE":
            if _dates_telling(ent) or ent.start in anchor:
                continue
            iso = resolve_date(ent.text, article, ahead=_ahead(ent))
            if iso is not None:
                put("date", iso)
        elif ent.label_ == "TIME":
            tv = time_value(ent.text)
            if tv is not None:
                put("time", tv)
        elif ent.label_ in ("GPE", "LOC", "FAC"):
            prev = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
            prev2 = ent.doc[ent.start - 2].lower_ if ent.start > 1 else ""
            if prev == "of" and prev2 in _PLACE_NOUNS:
                prev = "in"
            near = prev in ("in", "at", "near", "outside", "inside") or prev in _PLACE_NOUNS
            if near and ent.text not in places:
                places.append(ent.text)
    if places:
        values["place"] = "; ".join(places)
    timing = _timing(seg, seg_span)
    if timing:
        values["timing"] = timing
    event = _event(seg)
    if event:
        values["event"], values["predicate"] = event
    return values


def _dates_telling(ent: SpacySpan) -> bool:
    """A date that says when something was said, not when the event told happened: "police said
    Saturday", "the ministry announced on Monday that ..." (two outlets may well quote one statement
    on two days)."""
    tok = ent.root
    for _ in range(3):  # up to the verb: "said on Saturday", "announced today (20 October)"
        if tok.dep_ not in ("npadvmod", "pobj", "prep", "appos") or tok.head is tok:
            return False
        tok = tok.head
        if tok.pos_ == "VERB":
            return tok.lemma_.casefold() in _SPEECH
    return False


def _kind(values: dict[str, str]) -> str:
    keys = {k.split("#")[0].split(":")[0] for k in values}
    for kind, names in (("number", {"count", "duration"}), ("date", {"date", "time", "timing"}),
                        ("place", {"place"}), ("event", {"event"})):  # fmt: skip
        if keys & names:
            return kind
    return "statement"
