"""Across articles: stories, entities, quote links and claim alignments.

`link(analysis)` runs, in order: story clustering (`stories.StoryIndex`), cross-article entities
(`entities.link_entities`, surname-only mentions resolved within a story), quote links
(`quotes.link_quotes`) and claim alignment (`claims.align_claims`). The embedder used for quote
variants and claim matching is `storydiff.embed.get_embedder()`; its name goes into
`analysis.settings["embedder"]` so reports say which backend ran.
"""

from __future__ import annotations

import logging

from storydiff.embed import Embedder, get_embedder
from storydiff.link.claims import align_claims
from storydiff.link.entities import link_entities
from storydiff.link.quotes import link_quotes, speaker_conflicts
from storydiff.link.stories import StoryIndex
from storydiff.model import Alignment, Analysis

__all__ = ["StoryIndex", "link", "link_entities"]

log = logging.getLogger("storydiff")


def link(
    analysis: Analysis, *, embedder: Embedder | None = None, index: StoryIndex | None = None
) -> Analysis:
    """Fill the cross-article parts of `analysis` from its articles' per-article findings.

    Sets `analysis.stories`, `entities`, `quote_links` and `alignments`, and the `entity` of every
    mention and speaker. `index` lets a caller keep filing articles into stories it already has.
    """
    embedder = embedder or get_embedder()
    analysis.settings["embedder"] = embedder.name
    log.info("linking with embedder %s", embedder.name)
    index = index or StoryIndex()
    index.add_all(analysis.articles)
    present = {a.id for a in analysis.articles}
    analysis.stories = [s for s in index.stories if any(a in present for a in s.articles)]
    for story in analysis.stories:
        story.articles = [a for a in story.articles if a in present]
    story_of = {a: s.id for s in analysis.stories for a in s.articles}
    members = {s.id: s.articles for s in analysis.stories}
    analysis.entities = link_entities(analysis.articles, story_of)
    analysis.quote_links = link_quotes(analysis.articles, members, embedder)
    alignments = align_claims(analysis.articles, members, embedder)
    quotes = {q.id: q for q in analysis.quotes}
    for ql, detail in speaker_conflicts(analysis.quote_links, quotes):
        story_id = story_of[quotes[ql.quotes[0]].article]
        alignments.append(Alignment(story_id, "discrepant", list(ql.quotes), detail))
    analysis.alignments = alignments
    return analysis
