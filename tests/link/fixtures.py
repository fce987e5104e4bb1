"""Hand-built multi-outlet articles for the linking tests (no quote extractor needed)."""

from __future__ import annotations

from datetime import datetime

from storydiff.model import Article, EntityMention, OffsetMap, Quote, Span, Speaker

_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def make_article(
    aid: str,
    outlet: str,
    text: str,
    quotes: list[tuple[str, str | None]] = (),  # type: ignore[assignment]
    published: datetime | None = None,
    parse: bool = True,
) -> Article:
    """An article with its quotes (text, speaker name) located in `text`, mentions and claims filled."""
    article = Article(id=aid, raw=text, text=text, offsets=OffsetMap.identity(len(text)), outlet=outlet,
                      published=published)  # fmt: skip
    for n, (words, speaker) in enumerate(quotes, start=1):
        start = text.index(words)
        sp = Speaker(name=speaker, how="named" if speaker else "unknown")
        article.quotes.append(Quote(f"{aid}:q{n}", aid, Span(start, start + len(words)), words, "direct", sp))
    if parse:
        from storydiff import nlp
        from storydiff.extract.claims import extract_claims

        doc = nlp.parse(text)
        article.mentions = [
            EntityMention(Span(e.start_char, e.end_char), e.text, e.label_, e.text)
            for e in doc.ents
            if e.label_ in _LABELS
        ]
        article.claims = extract_claims(article, doc, article.quotes)
    return article
