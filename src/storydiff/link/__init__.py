"""Across articles: entities, stories, quote links and claim alignments."""

from __future__ import annotations

from storydiff.link.entities import link_entities
from storydiff.model import Analysis


def link(analysis: Analysis) -> Analysis:
    """Fill the cross-article parts of `analysis` from its articles' per-article findings."""
    analysis.entities = link_entities(analysis.articles)
    return analysis
