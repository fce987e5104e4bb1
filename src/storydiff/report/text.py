"""Plain-text views for the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydiff.model import Analysis, Article, Claim, Quote

# Findings the model gives less than even odds are folded away in the HTML and left out of the
# terminal's list (the JSON keeps them all).
SHOWN = 0.5


def speaker_names(quote: Quote) -> tuple[str | None, str | None]:
    """The names a user may search a speaker by: the canonical name and the words in the text."""
    return quote.speaker.name, quote.speaker.mention_text


def speaker_display_name(quote: Quote) -> str:
    """Who a quote is by, as a reader sees it: the canonical name, else the words in the text, else
    "unknown speaker". (Quotes are matched across outlets by `link.quotes.speaker_key`, an identity.)"""
    sp = quote.speaker
    return sp.name or sp.mention_text or "unknown speaker"


def speaker_label(quote: Quote) -> str:
    sp = quote.speaker
    label = speaker_display_name(quote)
    if sp.how in ("pronoun", "continuation") and sp.mention_text and sp.name:
        label = f"{sp.name} ({sp.how})"
    elif sp.how == "description":
        label = f"{label} (description)"
    return label


def said(quote: Quote, text: str) -> str:
    """The words a quote gives, on one line: an interrupted quote's pieces joined by " … ", without
    the `X said` between them; line breaks as spaces."""
    return " \u2026 ".join(re.sub(r"\s+", " ", text[p.start : p.end]).strip() for p in quote.pieces())


def format_quotes(quotes: Sequence[Quote], articles: Sequence[Article]) -> str:
    """Who said what, grouped by article: one line per quote, with kind, cue and offsets."""
    if not quotes:
        return "no quotes found"
    by_article: dict[str, list[Quote]] = {}
    for q in quotes:
        by_article.setdefault(q.article, []).append(q)
    lines: list[str] = []
    for article in articles:
        found = by_article.get(article.id)
        if not found:
            continue
        where = article.path or article.id
        lines.append(f"== {article.outlet or 'outlet unknown'} · {article.title or where} ({where})")
        for q in found:
            cue = f" {q.cue}" if q.cue else ""
            words = said(q, article.text)
            lines.append(f"  [{q.kind}] {speaker_label(q)}{cue}: {words}  @{q.span.start}-{q.span.end}")
    return "\n".join(lines)


def format_findings(analysis: Analysis) -> str:
    """Where the outlets differ: each discrepancy and dispute at or above `SHOWN`, surest first, with
    both sides' words and where they are (article id and offsets)."""
    by_id: dict[str, Claim | Quote] = {c.id: c for c in analysis.claims}
    by_id.update({q.id: q for q in analysis.quotes})
    outlet = {a.id: a.outlet or a.path or a.id for a in analysis.articles}
    found = [al for al in analysis.alignments if al.status in ("discrepant", "disputed")]
    shown = sorted((al for al in found if al.confidence is None or al.confidence >= SHOWN),
                   key=lambda al: -(al.confidence or 0.0))  # fmt: skip
    unsure = len(found) - len(shown)
    more = f"; {unsure} less certain ones in the reports" if unsure else ""
    if not shown:
        return f"no discrepancies or disputes found{more}"
    lines = [f"== Where the outlets differ ({len(shown)} findings, surest first{more})"]
    for al in shown:
        sure = "" if al.confidence is None else f" {al.confidence:.2f}"
        lines.append(f"  [{al.status}{sure}] {al.detail or ''}")
        for ref in al.members:
            item = by_id.get(ref)
            if item is not None:
                words = re.sub(r"\s+", " ", item.text).strip()
                where = f"@{item.article}:{item.span.start}-{item.span.end}"
                lines.append(f"      {outlet[item.article]}: {words}  {where}")
    return "\n".join(lines)
