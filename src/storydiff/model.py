"""The data model every stage reads and writes.

One `Article` carries its raw text, the cleaned text that every offset points into, and an
`OffsetMap` back to the raw text. Extractors add entity mentions, quotes and claims to it;
linkers produce `Story`, `Entity`, `QuoteLink` and `Alignment` objects across articles. An
`Analysis` holds the lot and is what the report writers and the store consume.

Offsets are character offsets (Python `str` indices), half-open: `text[start:end]`.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

QuoteKind = Literal["direct", "partial", "indirect"]
SpeakerHow = Literal["named", "description", "pronoun", "continuation", "organisation", "unknown"]
LinkRelation = Literal["identical", "overlap", "variant"]
AlignmentStatus = Literal["corroborated", "exclusive", "discrepant", "disputed"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range `[start, end)` into an article's cleaned text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


class OffsetMap:
    """Maps offsets in a cleaned text back to offsets in the raw text it came from.

    Stored as runs: `(clean_start, raw_start)` pairs, each run copying characters one for one.
    A cleaned character produced by a replacement (e.g. NFKC folding "ﬁ" into "fi", NFC composing
    "e" + U+0301 into "é") maps to the start of the raw characters it replaced, and a span ending
    on it ends where they end. Memory grows with the number of edits, not with the text's length.
    """

    __slots__ = ("_clean", "_raw", "_ends", "clean_len", "raw_len")

    def __init__(
        self,
        runs: list[tuple[int, int]],
        clean_len: int,
        raw_len: int,
        ends: dict[int, int] | None = None,
    ) -> None:
        self._clean = [c for c, _ in runs]
        self._raw = [r for _, r in runs]
        self._ends = ends or {}  # cleaned offset of a replaced character -> raw end of what it replaced
        self.clean_len = clean_len
        self.raw_len = raw_len

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls([(0, 0)], length, length)

    def to_raw(self, offset: int) -> int:
        """The raw offset of the cleaned character at `offset` (`clean_len` maps to `raw_len`)."""
        if offset < 0 or offset > self.clean_len:
            raise IndexError(f"offset {offset} outside cleaned text of length {self.clean_len}")
        if offset == self.clean_len:
            return self.raw_len
        i = bisect_right(self._clean, offset) - 1
        return self._raw[i] + (offset - self._clean[i])

    def span_to_raw(self, span: Span) -> Span:
        """The raw span covering the cleaned span (end is exclusive on both sides)."""
        if span.end == span.start:
            r = self.to_raw(span.start)
            return Span(r, r)
        last = span.end - 1
        end = self._ends.get(last)
        return Span(self.to_raw(span.start), end if end is not None else self.to_raw(last) + 1)

    def runs(self) -> list[tuple[int, int]]:
        return list(zip(self._clean, self._raw, strict=True))


class OffsetMapBuilder:
    """Builds a cleaned text and its `OffsetMap` piece by piece."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._runs: list[tuple[int, int]] = []
        self._len = 0
        self._next_raw: int | None = None  # raw offset that would continue the current run
        self._ends: dict[int, int] = {}

    def copy(self, raw_start: int, text: str) -> None:
        """Append `text`, which is `raw[raw_start:raw_start+len(text)]` unchanged."""
        if not text:
            return
        if self._next_raw != raw_start:
            self._runs.append((self._len, raw_start))
        self._parts.append(text)
        self._len += len(text)
        self._next_raw = raw_start + len(text)

    def replace(self, raw_start: int, text: str, raw_len: int = 1) -> None:
        """Append `text` that stands for the `raw_len` raw characters at `raw_start`, changed."""
        if not text:
            return
        for ch in text:  # every produced character points at the replaced run's start
            self._runs.append((self._len, raw_start))
            self._ends[self._len] = raw_start + raw_len
            self._parts.append(ch)
            self._len += 1
        self._next_raw = None

    def build(self, raw_len: int) -> tuple[str, OffsetMap]:
        runs = self._runs or [(0, 0)]
        return "".join(self._parts), OffsetMap(runs, self._len, raw_len, self._ends)


@dataclass(slots=True)
class Dateline:
    """`MOSCOW/SEOUL, Oct 3 (Reuters) -` split into its parts."""

    span: Span  # in the raw text; datelines are removed from the cleaned text
    places: list[str]
    agency: str | None = None
    date: str | None = None


@dataclass(slots=True)
class Boilerplate:
    """A piece of the raw text kept out of the analysed text (caption, credit, ad line, ...)."""

    kind: str  # caption | credit | advertisement | read-more | source-line | dateline | byline | other
    text: str
    span: Span  # in the raw text


@dataclass(slots=True)
class RawDocument:
    """What a reader produces: decoded text plus whatever metadata the container held."""

    text: str
    path: str | None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    language: str | None = None
    site_name: str | None = None  # from HTML metadata; a hint for outlet detection
    line: int | None = None  # line number inside a JSONL/CSV file
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class EntityMention:
    """A named entity as it appears in one article; `canonical` is its in-article full name."""

    span: Span
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...
    canonical: str
    entity: str | None = None  # cross-article Entity id, set by the linker


@dataclass(slots=True)
class Speaker:
    """Who a quote is attributed to.

    `name` is the canonical person or organisation (None for a bare description such as
    "a source"); `mention` is the words in this article that name the speaker.
    """

    name: str | None
    how: SpeakerHow
    mention: Span | None = None
    mention_text: str | None = None
    role: str | None = None  # "U.S. State Department spokesman" for "... spokesman Matthew Miller"
    entity: str | None = None  # cross-article Entity id, set by the linker


@dataclass(slots=True)
class Quote:
    id: str
    article: str
    span: Span
    text: str
    kind: QuoteKind
    speaker: Speaker
    cue: str | None = None
    cue_span: Span | None = None
    # the quoted pieces when the quote is interrupted by its attribution (“A,” X said. “B”, or
    # `The deal, officials said, is dead`); empty when all of `span` is what was said
    parts: list[Span] = field(default_factory=list)
    # how likely a reader would agree this is someone's words (0-1, `extract/confidence.py`); the
    # report and the app show quotes at or above the shipped threshold; None where not scored
    confidence: float | None = None

    def pieces(self) -> list[Span]:
        """The quoted stretches: an interrupted quote's parts, else the whole span."""
        return self.parts or [self.span]


@dataclass(slots=True)
class Claim:
    id: str
    article: str
    span: Span
    text: str
    kind: str = "statement"  # number | date | place | event | statement
    values: dict[str, str] = field(default_factory=dict)  # normalised facts, e.g. {"number": "3"}


@dataclass(slots=True)
class Article:
    id: str
    raw: str
    text: str
    offsets: OffsetMap
    path: str | None = None
    outlet: str | None = None
    outlet_source: str | None = None  # given | metadata | dateline | source-line | site-name | url | byline
    title: str | None = None
    url: str | None = None
    published: datetime | None = None
    language: str = "en"
    paragraphs: list[Span] = field(default_factory=list)
    dateline: Dateline | None = None
    boilerplate: list[Boilerplate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    mentions: list[EntityMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def raw_span(self, span: Span) -> Span:
        """Where a span of the cleaned text lies in the raw text."""
        return self.offsets.span_to_raw(span)


def article_id(path: str | None, raw: str) -> str:
    """A stable id: the same file with the same text always gets the same id."""
    h = hashlib.sha256()
    h.update((path or "").encode("utf-8", "surrogatepass"))
    h.update(b"\0")
    h.update(raw.encode("utf-8", "surrogatepass"))
    return "a" + h.hexdigest()[:12]


def document_id(doc: RawDocument) -> str:
    """The id of the article `clean()` makes of `doc`: known before cleaning or parsing, so a
    resumed run can skip what is already stored."""
    return article_id(None if doc.path is None else where(doc, unnamed=""), doc.text)


def outlet_label(article: Article) -> str:
    """How findings name an article: its outlet, else the file it came from (`b.txt`,
    `coverage.jsonl:13`), else its id."""
    if article.outlet:
        return article.outlet
    if article.path and article.path != "-":
        return article.path.replace("\\", "/").rsplit("/", 1)[-1]
    return article.id


def where(doc: RawDocument, *, unnamed: str = "-") -> str:
    """`path` or `path:line`, as warnings, `Skipped.path` and article ids name an article; `unnamed`
    stands for a missing path."""
    name = doc.path or unnamed
    return name if doc.line is None else f"{name}:{doc.line}"


@dataclass(slots=True)
class Entity:
    """One person, organisation or place across articles."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Story:
    id: str
    articles: list[str]


@dataclass(slots=True)
class QuoteLink:
    quotes: list[str]
    relation: LinkRelation
    score: float


@dataclass(slots=True)
class Alignment:
    """Claims (or quotes) of several articles put side by side.

    `corroborated`: one event as several articles report it; `discrepant`: two claims of one event
    whose facts cannot both be true (`detail` names both sides); `exclusive`: reported once;
    `disputed`: a claim or quote of one article, and the sentence of another that denies it.
    `confidence`: how sure the model is (same event, or for `disputed` that the other disagrees).
    The report's JSON calls `members` "claims" (contract `storydiff/report@1`).
    """

    story: str
    status: AlignmentStatus
    members: list[str]  # claim ids, or quote ids (a speaker conflict; the later side of a dispute)
    detail: str | None = None
    confidence: float | None = None


@dataclass(slots=True)
class Skipped:
    """An input that could not be analysed, and why (shown to the user, counted in the exit status)."""

    path: str
    reason: str


@dataclass(slots=True)
class Analysis:
    """Everything one run found: the per-article results and the cross-article links."""

    articles: list[Article] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)
    quote_links: list[QuoteLink] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)  # what ran: spaCy pipeline, embedder

    @property
    def quotes(self) -> list[Quote]:
        return [q for a in self.articles for q in a.quotes]

    @property
    def claims(self) -> list[Claim]:
        return [c for a in self.articles for c in a.claims]
