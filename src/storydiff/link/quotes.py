"""Quotes that several outlets report: identical, overlapping, or variant wordings of one remark.

Within each story, pairs of quotes from different articles are compared (only pairs that share
words or a speaker, so a big story does not cost every pair):

- `identical`: the same words once quote marks, case and punctuation are normalised;
- `overlap`: the shorter quote's words appear, in order, inside the longer one (a fragment, or a
  partial quote inside a full one); at least three words;
- `variant`: the same speaker (same entity, or same folded name), different wording, and high
  semantic plus some lexical similarity -- typically two translations of one statement.

Pairs whose speakers are known and differ are reported by `speaker_conflicts` so the claim
alignment can flag a quote given to different speakers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from storydiff.embed import Embedder
from storydiff.model import Article, Quote, QuoteLink

_PUNCT = re.compile(r"[^\w\s]", re.UNICODE)
MIN_OVERLAP_WORDS = 3


def normalise(text: str) -> str:
    """Words only: quote marks, punctuation, case and accents folded away."""
    s = unicodedata.normalize("NFKC", text).casefold().replace("’", "'").replace("'", "")
    return " ".join(_PUNCT.sub(" ", s).split())


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Where a variant starts, per embedder family (lexical vectors score paraphrases lower)."""

    semantic: float
    lexical: float


MODEL_THRESHOLDS = Thresholds(semantic=0.72, lexical=0.35)
LEXICAL_THRESHOLDS = Thresholds(semantic=0.35, lexical=0.6)


def thresholds_for(embedder: Embedder) -> Thresholds:
    return LEXICAL_THRESHOLDS if embedder.name.startswith("lexical") else MODEL_THRESHOLDS


def speaker_key(quote: Quote) -> str | None:
    sp = quote.speaker
    if sp.entity:
        return "e:" + sp.entity
    if sp.name:
        from storydiff.link.entities import strip_titles

        return "n:" + strip_titles(sp.name)
    return None


def relation(a: str, b: str) -> tuple[str, float] | None:
    """`identical` or `overlap` with a score, from the normalised texts alone; None otherwise."""
    return _relation(normalise(a), normalise(b))


def _relation(na: str, nb: str) -> tuple[str, float] | None:
    if not na or not nb:
        return None
    if na == nb:
        return "identical", 1.0
    short, long_ = (na, nb) if len(na) <= len(nb) else (nb, na)
    if len(short.split()) >= MIN_OVERLAP_WORDS and f" {short} " in f" {long_} ":
        return "overlap", len(short) / len(long_)
    return None


def _candidates(normal: Sequence[str], keys: Sequence[str | None]) -> list[tuple[int, int]]:
    """Pairs (i < j) that could be linked, without comparing every pair of a big story.

    Identical and overlapping quotes share the shorter one's first three words (or, under three
    words, the whole text); variants share a speaker. Any other pair cannot be linked.
    """
    by_shingle: dict[str, set[int]] = {}
    by_speaker: dict[str, list[int]] = {}
    heads: list[str] = []
    for i, (text, key) in enumerate(zip(normal, keys, strict=True)):
        words = text.split()
        heads.append(" ".join(words[:MIN_OVERLAP_WORDS]))
        for k in range(max(len(words) - MIN_OVERLAP_WORDS + 1, 1)):
            by_shingle.setdefault(" ".join(words[k : k + MIN_OVERLAP_WORDS]), set()).add(i)
        if key is not None:
            by_speaker.setdefault(key, []).append(i)
    pairs: set[tuple[int, int]] = set()
    for i, head in enumerate(heads):
        pairs.update((min(i, j), max(i, j)) for j in by_shingle.get(head, ()) if j != i)
    for group in by_speaker.values():
        pairs.update((a, b) for x, a in enumerate(group) for b in group[x + 1 :])
    return sorted(pairs)


def link_quotes(
    articles: Sequence[Article], stories: Mapping[str, list[str]], embedder: Embedder
) -> list[QuoteLink]:
    """Links between quotes of different articles in the same story (ids in text order)."""
    by_id = {a.id: a for a in articles}
    th = thresholds_for(embedder)
    links: list[QuoteLink] = []
    for story_articles in stories.values():
        quotes = [q for aid in story_articles if aid in by_id for q in by_id[aid].quotes if q.text.strip()]
        if len(quotes) < 2 or len({q.article for q in quotes}) < 2:
            continue
        normal = [normalise(q.text) for q in quotes]
        keys = [speaker_key(q) for q in quotes]
        pairs = [(i, j) for i, j in _candidates(normal, keys) if quotes[i].article != quotes[j].article]
        if not pairs:
            continue
        found = {(i, j): _relation(normal[i], normal[j]) for i, j in pairs}
        # Only quotes that may be variants (same speaker, no textual relation) need a vector.
        maybe = [(i, j) for i, j in pairs if found[i, j] is None and keys[i] is not None]
        needed = sorted({k for i, j in maybe if keys[i] == keys[j] for k in (i, j)})
        row = {k: r for r, k in enumerate(needed)}
        vectors = embedder.encode([quotes[k].text for k in needed]) if needed else None
        for i, j in pairs:
            qa, qb = quotes[i], quotes[j]
            textual = found[i, j]
            if textual is not None:
                links.append(QuoteLink([qa.id, qb.id], textual[0], round(textual[1], 4)))  # type: ignore[arg-type]
                continue
            if vectors is None or i not in row or keys[i] is None or keys[i] != keys[j]:
                continue
            semantic = float(vectors[row[i]] @ vectors[row[j]])
            if semantic < th.semantic:
                continue
            lexical = fuzz.token_set_ratio(normal[i], normal[j]) / 100
            if lexical >= th.lexical:
                links.append(QuoteLink([qa.id, qb.id], "variant", round(semantic, 4)))
    return links


def speaker_conflicts(links: Sequence[QuoteLink], quotes: Mapping[str, Quote]) -> list[tuple[QuoteLink, str]]:
    """Identical or overlapping quotes whose known speakers differ, with a line saying who is who."""
    out: list[tuple[QuoteLink, str]] = []
    for link in links:
        if link.relation == "variant":
            continue
        qa, qb = quotes[link.quotes[0]], quotes[link.quotes[1]]
        ka, kb = speaker_key(qa), speaker_key(qb)
        if ka and kb and ka != kb:
            out.append((link, f"quote attributed to {qa.speaker.name} vs {qb.speaker.name}"))
    return out
