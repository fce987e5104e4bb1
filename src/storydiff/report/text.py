"""Plain-text views for the terminal."""

from __future__ import annotations

import re
from collections.abc import Sequence

from storydiff.model import Article, Quote


def speaker_names(quote: Quote) -> tuple[str | None, str | None]:
    """The names a user may search a speaker by: the canonical name and the words in the text."""
    return quote.speaker.name, quote.speaker.mention_text


def speaker_key(quote: Quote) -> str:
    """Who a quote is by, in one string: the canonical name, else the words in the text."""
    sp = quote.speaker
    return sp.name or sp.mention_text or "unknown speaker"


def speaker_label(quote: Quote) -> str:
    sp = quote.speaker
    label = speaker_key(quote)
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
