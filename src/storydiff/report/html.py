"""A self-contained HTML page for an analysis: who said what, per article, with highlights.

Every piece of article text goes through Jinja2's autoescaping; the page loads nothing from the
network (CSS inlined, no scripts needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from storydiff import __version__
from storydiff.model import Analysis, Article, Span


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same quotes (innermost kind decides the colour)."""

    text: str
    quotes: tuple[str, ...]
    kind: str | None
    anchors: tuple[str, ...]  # quotes that start here: the targets of links from the tables


def segments(article: Article, span: Span) -> list[Segment]:
    """Split `span` of the article's text at every quote boundary inside it."""
    quotes = [q for q in article.quotes if q.span.overlaps(span)]
    cuts = {span.start, span.end}
    for q in quotes:
        cuts.update(c for c in (q.span.start, q.span.end) if span.start < c < span.end)
    ordered = sorted(cuts)
    out: list[Segment] = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        covering = [q for q in quotes if q.span.start <= start and end <= q.span.end]
        covering.sort(key=lambda q: len(q.span))
        out.append(
            Segment(
                text=article.text[start:end],
                quotes=tuple(q.id for q in covering),
                kind=covering[0].kind if covering else None,
                anchors=tuple(q.id for q in quotes if q.span.start == start),
            )
        )
    return out


def paragraphs(article: Article) -> list[Span]:
    if article.paragraphs:
        return article.paragraphs
    return [Span(0, len(article.text))]


_env = Environment(
    loader=PackageLoader("storydiff", "report/templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(analysis: Analysis, title: str = "storydiff report") -> str:
    template = _env.get_template("report.html.j2")
    return template.render(
        title=title,
        version=__version__,
        analysis=analysis,
        paragraphs=paragraphs,
        segments=segments,
        outlet_of={a.id: (a.outlet or a.path or a.id) for a in analysis.articles},
    )


def write(analysis: Analysis, path: Path, title: str = "storydiff report") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(analysis, title), encoding="utf-8")
