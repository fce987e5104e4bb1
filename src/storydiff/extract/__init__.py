"""Per-article extraction: entity mentions, quotes with their speakers, and claims.

`extract(article, doc)` is pure with respect to everything but the article it fills: the same
article and parse always give the same findings, so it can run in any worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storydiff.model import Article

if TYPE_CHECKING:
    from spacy.tokens import Doc


def extract(article: Article, doc: Doc) -> Article:
    """Fill `article.mentions`, `quotes` and `claims` from `doc`, the parse of `article.text`."""
    from storydiff.extract.claims import extract_claims
    from storydiff.extract.entities import extract_mentions
    from storydiff.extract.quotes import extract_quotes

    if doc.text != article.text:
        raise ValueError(f"article {article.id}: the parse is not of the article's cleaned text")
    article.mentions = extract_mentions(article, doc)
    article.quotes = extract_quotes(article, doc, article.mentions)
    article.claims = extract_claims(article, doc, article.quotes)
    return article
