"""Across articles: stories, entities, quote links and claim alignments.

`link(analysis)` runs, in order: story clustering (`stories.StoryIndex`), cross-article entities
(`entities.link_entities`, surname-only mentions resolved within a story), quote links
(`quotes.link_quotes`), claim alignment (`claims.align_story`) and disputes
(`disputes.find_disputes`). In a story of more than `WINDOW` articles, quotes and claims are
compared within consecutive windows of that many articles (in arrival order), so linking stays
linear in the corpus however big one story grows. The
embedder used for quote variants and claim matching is `storydiff.embed.get_embedder()`; its name goes into
`analysis.settings["embedder"]` so reports say which backend ran.
"""

from __future__ import annotations

import logging

from storydiff.embed import Embedder, get_embedder
from storydiff.link.claims import align_story
from storydiff.link.disputes import find_disputes
from storydiff.link.entities import link_entities
from storydiff.link.quotes import link_quotes, misquoted_figures, speaker_conflicts
from storydiff.link.stance import default_scorer
from storydiff.link.stories import StoryIndex
from storydiff.model import Alignment, Analysis, outlet_label
from storydiff.run.blas import one_blas_thread
from storydiff.run.heap import older_objects_set_aside

__all__ = ["StoryIndex", "link", "link_entities"]

log = logging.getLogger("storydiff")

# Articles of one story whose quotes and claims are compared with each other (see `_windows`).
WINDOW = 100


@older_objects_set_aside()
@one_blas_thread()
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
    windows = {f"{s.id}#{k}": chunk for s in analysis.stories for k, chunk in enumerate(_windows(s.articles))}
    analysis.entities = link_entities(analysis.articles, story_of)
    analysis.quote_links = link_quotes(analysis.articles, windows, embedder)
    by_id = {a.id: a for a in analysis.articles}
    alignments = [
        alignment
        for key, chunk in windows.items()
        for alignment in align_story(key.rsplit("#", 1)[0], [by_id[a] for a in chunk], embedder)
    ]
    scorer = default_scorer()
    for key, chunk in windows.items():
        alignments += find_disputes(key.rsplit("#", 1)[0], [by_id[a] for a in chunk], scorer, embedder)
    quotes = {q.id: q for q in analysis.quotes}
    people = {e.id for e in analysis.entities if e.type == "PERSON"}
    outlets = {a.id: outlet_label(a) for a in analysis.articles}
    # one remark given to two people, or quoted with two figures
    quote_clashes = [
        *speaker_conflicts(analysis.quote_links, quotes, people),
        *misquoted_figures(analysis.quote_links, quotes, outlets),
    ]
    for ql, detail in quote_clashes:
        story_id = story_of[quotes[ql.quotes[0]].article]
        # confidence: how sure the link is that the quotes are one remark (1.0 for the same words)
        confidence = round(min(ql.score, 1.0), 3)
        alignments.append(Alignment(story_id, "discrepant", list(ql.quotes), detail, confidence))
    analysis.alignments = alignments
    return analysis


def _windows(articles: list[str]) -> list[list[str]]:
    """A story's articles in windows of at most `WINDOW`, in arrival order: quotes and claims are
    compared within a window, so a story of thousands of articles costs in proportion to its size."""
    return [articles[i : i + WINDOW] for i in range(0, len(articles), WINDOW)] or [[]]
