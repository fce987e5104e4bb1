"""What a person sees of an analysis, story by story, as plain data for the templates.

Pure functions over an `Analysis`: the HTML report and the web app render the same views, so
both show every quote, link, discrepancy and exclusive claim the JSON report holds, but for quotes
under the display threshold of their confidence (`extract.confidence.shown`: spans nobody is seen
saying), which the JSON keeps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from storydiff.extract.confidence import shown
from storydiff.model import (
    Alignment,
    Analysis,
    Article,
    Claim,
    Entity,
    Quote,
    QuoteLink,
    Span,
    Story,
    outlet_label,
)
from storydiff.report.matrix import DiffOp, Matrix, corroboration_matrix, word_diff
from storydiff.report.text import restated_groups, speaker_display_name, unfolded, with_outlets


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlight in an article's text: a quote, a claim or a speaker mention."""

    id: str  # the anchor id that tables link to
    kind: str  # quote-direct | quote-partial | quote-indirect | claim | speaker
    span: Span
    title: str  # tooltip: who said it, or the claim's kind


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same marks; `starts` are the marks that begin here."""

    text: str
    marks: tuple[Mark, ...]
    starts: tuple[Mark, ...]

    @property
    def classes(self) -> str:
        return " ".join(sorted({m.kind for m in self.marks}))

    @property
    def ids(self) -> str:
        return " ".join(m.id for m in self.marks)


@dataclass(slots=True)
class Paragraph:
    segments: list[Segment]


@dataclass(slots=True)
class ArticleView:
    article: Article
    outlet: str
    paragraphs: list[Paragraph]


@dataclass(slots=True)
class LinkView:
    """Two quotes from different outlets that report one remark; `diff` runs from a to b."""

    link: QuoteLink
    a: Quote
    b: Quote
    outlet_a: str
    outlet_b: str
    diff: list[tuple[DiffOp, str]]


@dataclass(slots=True)
class SpeakerQuotes:
    speaker: str
    quotes: list[Quote]
    outlets: list[str]


@dataclass(slots=True)
class ClaimSide:
    """One outlet's words in an alignment: a claim, or a quote when speakers differ."""

    id: str
    text: str
    outlet: str


@dataclass(slots=True)
class AlignmentView:
    alignment: Alignment
    sides: list[ClaimSide]
    # a discrepancy's two sentences word by word: what one outlet wrote and the other did not
    diff: list[tuple[DiffOp, str]] = field(default_factory=list)
    # the same clash of the first side against more outlets' copies of the second (`together`)
    also: list[ClaimSide] = field(default_factory=list)

    @property
    def headline(self) -> str:
        """The finding in a line: the alignment's detail, with the outlets of `also` named beside
        the copy they agree with ("14 (Ledger) vs 12 (Daily Post, Wire)")."""
        if not self.also:
            return self.alignment.detail or "differs"
        return with_outlets(
            self.alignment.detail or "differs", self.sides[1].outlet, [s.outlet for s in self.also]
        )

    @property
    def sure(self) -> bool:
        """Shown unfolded (`text.unfolded`)."""
        return unfolded(self.alignment)


@dataclass(slots=True)
class StoryView:
    story: Story
    title: str
    outlets: list[str]
    first_published: str | None
    last_published: str | None
    articles: list[ArticleView]
    matrix: Matrix
    speakers: list[SpeakerQuotes]
    links: list[LinkView]
    discrepancies: list[AlignmentView]
    disputes: list[AlignmentView]
    exclusives: list[AlignmentView]
    corroborated: list[AlignmentView]
    entities: list[Entity]
    counts: dict[str, int] = field(default_factory=dict)


def marks_of(article: Article) -> list[Mark]:
    marks: list[Mark] = []
    for q in filter(shown, article.quotes):
        who = speaker_display_name(q)
        for piece in q.pieces():  # an interrupting "X said" is not highlighted as quoted
            marks.append(Mark(q.id, f"quote-{q.kind}", piece, f"{who} ({q.kind} quote)"))
        if q.speaker.mention is not None:
            marks.append(Mark(f"{q.id}-speaker", "speaker", q.speaker.mention, f"speaker: {who}"))
    for c in article.claims:
        marks.append(Mark(c.id, "claim", c.span, f"claim ({c.kind})"))
    return marks


def segments(text: str, span: Span, marks: list[Mark], anchored: set[str]) -> list[Segment]:
    """Split `span` of `text` at every boundary of the marks that overlap it.

    Each mark is anchored (listed in `starts`) on the first segment it covers; `anchored`
    carries that across the paragraphs of one article.
    """
    inside = [m for m in marks if m.span.overlaps(span)]
    cuts = {span.start, span.end}
    for m in inside:
        cuts.update(c for c in (m.span.start, m.span.end) if span.start < c < span.end)
    ordered = sorted(cuts)
    out: list[Segment] = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        covering = tuple(m for m in inside if m.span.start <= start and end <= m.span.end)
        starts = tuple(m for m in covering if m.id not in anchored)
        anchored.update(m.id for m in starts)
        out.append(Segment(text[start:end], covering, starts))
    return out


def article_view(article: Article) -> ArticleView:
    marks = marks_of(article)
    spans = article.paragraphs or [Span(0, len(article.text))]
    anchored: set[str] = set()
    return ArticleView(
        article=article,
        outlet=outlet_label(article),
        paragraphs=[Paragraph(segments(article.text, p, marks, anchored)) for p in spans],
    )


def story_view(analysis: Analysis, story: Story) -> StoryView:
    by_id = {a.id: a for a in analysis.articles}
    articles = [by_id[a] for a in story.articles if a in by_id]
    members = {a.id for a in articles}
    quotes = {q.id: q for a in articles for q in a.quotes}
    claims = {c.id: c for a in articles for c in a.claims}

    # one row per person across outlets: Sergei and Sergey Volkov are one entity
    entity_names = {e.id: e.name for e in analysis.entities}
    grouped: dict[str, list[Quote]] = defaultdict(list)
    for q in filter(shown, quotes.values()):
        grouped[entity_names.get(q.speaker.entity or "") or speaker_display_name(q)].append(q)
    speakers = [
        SpeakerQuotes(name, qs, sorted({outlet_label(by_id[q.article]) for q in qs}))
        for name, qs in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))
    ]

    links: list[LinkView] = []
    for link in analysis.quote_links:
        inside = [quotes[q] for q in link.quotes if q in quotes]
        for qa, qb in zip(inside, inside[1:], strict=False):
            links.append(
                LinkView(
                    link,
                    qa,
                    qb,
                    outlet_label(by_id[qa.article]),
                    outlet_label(by_id[qb.article]),
                    word_diff(qa.text, qb.text),
                )
            )

    def side(ref: str) -> ClaimSide | None:
        # alignments hold claim ids; a quote given to different speakers holds the quotes' ids
        found: Claim | Quote | None = claims.get(ref) or quotes.get(ref)
        if found is None:
            return None
        return ClaimSide(found.id, found.text, outlet_label(by_id[found.article]))

    def view(al: Alignment) -> AlignmentView:
        sides = [s for s in map(side, al.members) if s is not None]
        two = al.status in ("discrepant", "disputed") and len(sides) == 2
        return AlignmentView(al, sides, word_diff(sides[0].text, sides[1].text) if two else [])

    aligned = [view(al) for al in analysis.alignments if al.story == story.id]
    # the surest findings first (alignments without a confidence keep their order, after them)
    aligned.sort(key=lambda v: -(v.alignment.confidence or 0.0))
    aligned = together(aligned)
    dates = sorted(a.published for a in articles if a.published is not None)
    outlets: list[str] = []
    for art in articles:
        if outlet_label(art) not in outlets:
            outlets.append(outlet_label(art))
    entities = [e for e in analysis.entities if members.intersection(e.articles)]
    return StoryView(
        story=story,
        title=next((a.title for a in articles if a.title), story.id),
        outlets=outlets,
        first_published=dates[0].isoformat() if dates else None,
        last_published=dates[-1].isoformat() if dates else None,
        articles=[article_view(a) for a in articles],
        matrix=corroboration_matrix(analysis, story),
        speakers=speakers,
        links=links,
        discrepancies=[v for v in aligned if v.alignment.status == "discrepant"],
        disputes=[v for v in aligned if v.alignment.status == "disputed"],
        exclusives=[v for v in aligned if v.alignment.status == "exclusive"],
        corroborated=[v for v in aligned if v.alignment.status == "corroborated"],
        entities=entities,
        counts={"articles": len(articles), "quotes": len(quotes), "claims": len(claims), "links": len(links)},
    )


def together(views: list[AlignmentView]) -> list[AlignmentView]:
    """One finding for one outlet's figure against several outlets that state the other one
    (`text.restated_groups`): the odd sentence beside the first copy, the other copies listed
    under them (`AlignmentView.also`). Views keep their order; the first of a group leads."""
    view_of = {id(v.alignment): v for v in views}
    out = []
    for group in restated_groups([v.alignment for v in views]):
        lead = view_of[id(group.lead)]
        if group.odd is not None and lead.sides[0].id != group.odd:  # the odd sentence goes first
            lead.sides.reverse()
            lead.diff = [(_MIRROR.get(op, op), t) for op, t in lead.diff]
        lead.also = [s for al in group.more for s in view_of[id(al)].sides if s.id != group.odd]
        out.append(lead)
    return out


_MIRROR: dict[DiffOp, DiffOp] = {"insert": "delete", "delete": "insert"}


def story_views(analysis: Analysis) -> list[StoryView]:
    """Every story, biggest first; articles no story holds come last as stories of their own."""
    stories = list(analysis.stories)
    held = {a for s in stories for a in s.articles}
    stories += [Story(id=f"article-{a.id}", articles=[a.id]) for a in analysis.articles if a.id not in held]
    views = [story_view(analysis, s) for s in stories]
    views.sort(key=lambda v: -len(v.articles))
    return views
