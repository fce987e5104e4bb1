"""Quotation marks: which characters open and close a quote, paired in one linear pass.

`find_quoted(text, paragraphs)` returns every quoted stretch of the text as a `Quoted` region.
Curly “double”, straight "double", NYT-style ''double'', ‘single’ (inside a double quote, or in
a paragraph with no double quotes, e.g. a headline), «guillemets» and „low“ marks are paired.
An apostrophe (Russia’s, won’t, the voters’ choice, ’90s) is never a quote mark.

A paragraph that opens a quote and does not close it continues into the next paragraph when that
one opens with a quote mark (the newspaper convention for multi-paragraph quotes); each paragraph
then gets its own region with `continues=True` on all but the last. Any other unclosed mark is a
stray and is ignored. The scan keeps a stack of at most two open marks per paragraph, so it is
linear in the text's length whatever the marks are.
"""

from __future__ import annotations

from dataclasses import dataclass

from storydiff.model import Span

# opener -> the closers that end it
_DOUBLE_OPEN = {
    "\u201c": '\u201d\u201c"',
    "\u201e": "\u201c\u201d",
    "\u00ab": "\u00bb",
    '"': '"\u201d',
    "'": "'",  # only as NYT-style ''double''
}
_SINGLE_OPEN = {"\u2018": "\u2019", "'": "'", "\u2039": "\u203a"}

# The quotation-mark sets of the extractors, defined here only. As characters of the text:
DOUBLE_MARKS = frozenset('\u201c\u201d\u201e\u00ab\u00bb"')
SINGLE_MARKS = frozenset("\u2018\u2019'\u2039\u203a")
ENGLISH_DOUBLE_MARKS = frozenset('\u201c\u201d"')
# the marks that show quoted words, less the straight apostrophe (mostly an apostrophe)
QUOTE_CHARS = DOUBLE_MARKS | frozenset("\u2018\u2019")
# what is stripped from a quote's end to read its last character (`rstrip` takes a string)
CLOSING_CHARS = "".join(sorted(DOUBLE_MARKS)) + "'\u2018\u2019"
# opening quotation mark -> the marks that close it (`„…“` in German, `„…”` in Polish)
CLOSERS = {"\u201c": "\u201d", '"': '"', "\u00ab": "\u00bb", "\u201e": "\u201c\u201d"}
# As spaCy's tokens (`''` and ``` `` ``` are the typewriter forms of a double mark):
DOUBLE_QUOTE_TOKENS = frozenset({"\u201c", "\u201d", '"', "''"})
CLOSING_QUOTE_TOKENS = frozenset({"\u201d", '"', "''"})
QUOTE_TOKENS = DOUBLE_QUOTE_TOKENS | {"'", "\u2018", "\u2019"}
MARK_TOKENS = DOUBLE_QUOTE_TOKENS | {"``"}  # (the tagger's: the opening typewriter form too)
_MARKS = DOUBLE_MARKS | SINGLE_MARKS
_STRAIGHT = '"'
_CLOSE_PUNCT = set(".,;:!?)]}\u2014\u2013-\u2026")
_OPEN_CONTEXT = set("([{\u2014\u2013-/")


@dataclass(frozen=True, slots=True)
class Quoted:
    """A stretch of text between a pair of quotation marks.

    `inner` excludes the marks; `outer` includes them (for an unclosed paragraph of a
    multi-paragraph quote, `outer` ends where the paragraph ends).
    """

    inner: Span
    outer: Span
    double: bool
    continues: bool = False  # the quote goes on in the next paragraph
    continued: bool = False  # this paragraph goes on with a quote from the previous one


@dataclass(slots=True)
class _Open:
    pos: int
    size: int
    closers: str
    double: bool


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _apostrophe(text: str, i: int, start: int, end: int) -> bool:
    """A ’ or ' between two letters or digits (won’t, Russia’s, rock’n’roll) is an apostrophe."""
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    if _is_word(before) and _is_word(after):
        return True
    # ’90s, ’em: an apostrophe before a number or a clipped word
    return not _is_word(before) and after.isdigit()


def _can_open(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return (
        before.isspace() or before in _OPEN_CONTEXT or before in "\u201c\"'\u2018:"
    ) and not after.isspace()


def _can_close(text: str, i: int, start: int, end: int) -> bool:
    before = text[i - 1] if i > start else " "
    after = text[i + 1] if i + 1 < end else " "
    return not before.isspace() and (after.isspace() or after in _CLOSE_PUNCT or after in "\u201d\"'\u2019")


def _paragraph_marks(
    text: str, start: int, end: int, allow_single: bool
) -> tuple[list[tuple[int, int, int, int, bool]], _Open | None]:
    """Pairs in one paragraph as (open, open_len, close, close_len, double), and an unclosed opener."""
    pairs: list[tuple[int, int, int, int, bool]] = []
    stack: list[_Open] = []  # at most [double, single]
    # a paragraph-opening double quote, kept open around a nested pair
    # (`"PENCE: ... thinks this is “Shark Tank.” But ...` in a transcript quoted paragraph-wise)
    outer: _Open | None = None
    i = start
    while i < end:
        ch = text[i]
        if ch not in _MARKS:
            i += 1
            continue
        size = 2 if ch == "'" and i + 1 < end and text[i + 1] == "'" else 1
        last = i + size - 1
        if size == 2 or ch in DOUBLE_MARKS:
            double_open = stack[0] if stack and stack[0].double else None
            if (
                double_open is None
                and outer is not None
                and ch in outer.closers
                and _can_close(text, last, start, end)
            ):
                pairs.append((outer.pos, outer.size, i, size, True))
                outer = None
                i += size
                continue
            if double_open is not None and (
                ch in double_open.closers or (size == 2 and "'" in double_open.closers)
            ):
                if ch in '\u201c"' or size == 2:
                    closes = _can_close(text, last, start, end) or not _can_open(text, i, start, end)
                    if ch == "\u201c" and text[double_open.pos] != "\u201e":
                        closes = _can_close(text, last, start, end) and not _can_open(text, i, start, end)
                else:
                    closes = True
                if closes:
                    pairs.append((double_open.pos, double_open.size, i, size, True))
                    stack.clear()
                    i += size
                    continue
            if ch == "\u201d" and _can_open(text, i, start, end) and not _can_close(text, i, start, end):
                ch = "\u201c"  # a closing mark typed where an opening one belongs
            if ch in _DOUBLE_OPEN and (ch not in "\"'" or _can_open(text, last, start, end)):
                if double_open is not None and (
                    double_open.pos == start or ch == text[double_open.pos] == "\u201c"
                ):
                    # the quote that opens the paragraph is no stray: it stays open around the
                    # nested pair, of the other style or its own (`“I’d rather live in what he
                    # calls “hell” than ...” ― A. Reader`); so does a curly one anywhere when
                    # another curly opener follows (`tweeted: “People wearing “Settle” shirts.”`):
                    # a writer who typed an opening curly mark meant to open a quote, so a second
                    # one is more likely a nested quote in the same marks than proof of a stray
                    outer = double_open
                stack.clear()  # a new opener while one is open: the earlier one was a stray (or is `outer`)
                stack.append(_Open(i, size, _DOUBLE_OPEN[ch], True))
            i += size
            continue
        # a single mark: ‘ ’ ' ‹ ›
        if _apostrophe(text, i, start, end):
            i += 1
            continue
        top = stack[-1] if stack else None
        if top is not None and not top.double and ch in top.closers and _can_close(text, i, start, end):
            stack.pop()
            pairs.append((top.pos, 1, i, 1, False))
        elif (
            ch in _SINGLE_OPEN
            and (top is None or top.double)
            and (top is not None or allow_single)
            and _can_open(text, i, start, end)
        ):
            stack.append(_Open(i, 1, _SINGLE_OPEN[ch], False))
        i += 1
    unclosed = stack[0] if stack and stack[0].double else outer
    return pairs, unclosed


def _opens_with_quote(text: str, span: Span) -> bool:
    head = text[span.start : span.start + 2]
    return bool(head) and (head[0] in '\u201c\u201e\u00ab"' or head == "''")


def find_quoted(text: str, paragraphs: list[Span]) -> list[Quoted]:
    """Every quoted region of `text`, in text order (an inner single quote after its double one)."""
    regions: list[Quoted] = []
    carried = False  # the previous paragraph left a double quote open
    for n, para in enumerate(paragraphs):
        chunk = text[para.start : para.end]
        allow_single = not any(c in chunk for c in '\u201c\u201d"\u00ab\u201e') and "''" not in chunk
        pairs, unclosed = _paragraph_marks(text, para.start, para.end, allow_single)
        continued = carried and _opens_with_quote(text, para)
        for o, olen, c, clen, double in pairs:
            regions.append(
                Quoted(Span(o + olen, c), Span(o, c + clen), double, continued=continued and o == para.start)
            )
        carried = False
        if unclosed is not None:
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt is not None and _opens_with_quote(text, nxt):
                olen = unclosed.size
                end = para.end
                while end > unclosed.pos + olen and text[end - 1].isspace():
                    end -= 1
                regions.append(
                    Quoted(
                        Span(unclosed.pos + olen, end),
                        Span(unclosed.pos, end),
                        True,
                        continues=True,
                        continued=continued and unclosed.pos == para.start,
                    )
                )
                carried = True
    regions.sort(key=lambda q: (q.outer.start, -q.outer.end))
    return regions


def paragraphs_of(text: str, given: list[Span]) -> list[Span]:
    """The article's paragraphs, or ones derived from newlines when none are given."""
    if given:
        return given
    spans: list[Span] = []
    start = 0
    for i, ch in enumerate(text + "\n"):
        if ch == "\n":
            s, e = start, i
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                spans.append(Span(s, e))
            start = i + 1
    return spans
