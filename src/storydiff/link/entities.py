"""One Entity per person, organisation or place across articles.

Mentions are grouped by their in-article canonical name, compared case- and accent-insensitively,
within a coarse type (a PERSON never merges with a GPE). Speakers and mentions get the entity id.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from storydiff.model import Article, Entity

# spaCy labels folded into the types the report shows
_COARSE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "FAC", "NORP": "NORP"}


def entity_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key of a name ("U.N." and "UN" agree)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in folded if ch.isalnum() or ch == " ").strip()


def link_entities(articles: Sequence[Article]) -> list[Entity]:
    by_key: dict[tuple[str, str], Entity] = {}
    for article in articles:
        for mention in article.mentions:
            etype = _COARSE.get(mention.label)
            if etype is None:
                continue
            key = (etype, entity_key(mention.canonical))
            if not key[1]:
                continue
            entity = by_key.get(key)
            if entity is None:
                entity = by_key[key] = Entity(id=f"e{len(by_key) + 1}", name=mention.canonical, type=etype)
            if mention.text not in entity.aliases:
                entity.aliases.append(mention.text)
            if article.id not in entity.articles:
                entity.articles.append(article.id)
            mention.entity = entity.id
        for quote in article.quotes:
            speaker = quote.speaker
            if speaker.name is None:
                continue
            for etype in ("PERSON", "ORG", "GPE", "NORP"):
                found = by_key.get((etype, entity_key(speaker.name)))
                if found is not None:
                    speaker.entity = found.id
                    break
    return list(by_key.values())
