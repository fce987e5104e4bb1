"""Stories: articles that report the same event, found incrementally.

`StoryIndex.add(article)` puts one article into an existing story or starts a new one, without
touching the rest. Two steps keep the cost linear in the number of articles:

1. Blocking: a MinHash (datasketch) of the article's distinctive terms -- named entities, capitalised
   names and its rarer words -- is queried against an LSH index, which returns the few earlier
   articles sharing enough of those terms.
2. Decision: for those candidates only, TF-IDF cosine (document frequencies kept up to date as
   articles arrive) plus entity overlap, inside a publication-time window. The article joins the
   story of its best candidate above the threshold.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from datasketch import MinHash, MinHashLSH

from storydiff.model import Article, Story

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "said",
        "same",
        "says",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "told",
        "mr",
        "mrs",
        "ms",
        "one",
        "two",
        "three",
        "new",
        "also",
        "would",
        "could",
        "year",
        "years",
        "percent",
        "last",
        "first",
        "news",
        "reuters",
        "according",
        "people",
        "time",
        "week",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)

NUM_PERM = 64
LSH_THRESHOLD = 0.08
JOIN_THRESHOLD = 0.22
TIME_WINDOW = timedelta(days=7)
TOP_TERMS = 40


@dataclass(slots=True)
class _Doc:
    id: str
    story: str
    tf: dict[str, float]
    norm_terms: frozenset[str]
    names: frozenset[str]
    published: datetime | None


class StoryIndex:
    """Incremental story clustering; `add` costs about the same for the 10th and the 10,000th article."""

    def __init__(self, threshold: float = JOIN_THRESHOLD, window: timedelta = TIME_WINDOW) -> None:
        self.threshold = threshold
        self.window = window
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._docs: dict[str, _Doc] = {}
        self._df: Counter[str] = Counter()
        self._stories: dict[str, list[str]] = {}
        self._order: list[str] = []

    def __len__(self) -> int:
        return len(self._docs)

    @property
    def stories(self) -> list[Story]:
        """Stories in order of their first article, each listing its articles in arrival order."""
        return [Story(id=sid, articles=list(self._stories[sid])) for sid in self._order]

    def story_of(self, article_id: str) -> str:
        return self._docs[article_id].story

    def add(self, article: Article) -> str:
        """File one article; returns the id of the story it joined or started."""
        if article.id in self._docs:
            return self._docs[article.id].story
        tf, names = _profile(article)
        for term in tf:
            self._df[term] += 1
        keys = self._block_keys(tf, names)
        mh = MinHash(num_perm=NUM_PERM, seed=7)
        mh.update_batch([k.encode("utf-8") for k in keys])
        best, best_score = None, self.threshold
        for cand_id in self._lsh.query(mh):
            cand = self._docs[cand_id]
            if not _in_window(article.published, cand.published, self.window):
                continue
            score = self.similarity(tf, names, cand)
            if score >= best_score:
                best, best_score = cand, score
        if best is not None:
            story = best.story
        else:
            story = f"s{len(self._order) + 1}"
            self._order.append(story)
            self._stories[story] = []
        self._stories[story].append(article.id)
        self._docs[article.id] = _Doc(article.id, story, tf, frozenset(keys), names, article.published)
        self._lsh.insert(article.id, mh)
        return story

    def add_all(self, articles: Iterable[Article]) -> list[str]:
        return [self.add(a) for a in articles]

    def _idf(self, term: str) -> float:
        n = max(len(self._docs), 1)
        return math.log((n + 1) / (self._df.get(term, 0) + 1)) + 1.0

    def _block_keys(self, tf: dict[str, float], names: frozenset[str]) -> list[str]:
        # rarer words say more about the event than frequent ones; names always count
        ranked = sorted(tf, key=lambda t: (-tf[t] * self._idf(t), t))[:TOP_TERMS]
        return sorted(set(ranked) | {"@" + n for n in names})

    def similarity(self, tf: dict[str, float], names: frozenset[str], other: _Doc) -> float:
        """TF-IDF cosine over words (idf as of now), nudged up by shared names."""
        dot = sum(w * other.tf[t] * self._idf(t) ** 2 for t, w in tf.items() if t in other.tf)
        na = math.sqrt(sum((w * self._idf(t)) ** 2 for t, w in tf.items()))
        nb = math.sqrt(sum((w * self._idf(t)) ** 2 for t, w in other.tf.items()))
        cos = dot / (na * nb) if na and nb else 0.0
        if names and other.names:
            shared = len(names & other.names) / min(len(names), len(other.names))
            cos += 0.1 * shared
        return cos


def _in_window(a: datetime | None, b: datetime | None, window: timedelta) -> bool:
    if a is None or b is None:
        return True
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs(a - b) <= window


def _profile(article: Article) -> tuple[dict[str, float], frozenset[str]]:
    """Sublinear term frequencies of content words, and the article's names (folded)."""
    from storydiff.link.entities import strip_titles

    text = article.text if not article.title else f"{article.title}\n{article.text}"
    counts: Counter[str] = Counter()
    for m in _WORD.finditer(text):
        w = m.group(0).casefold().strip("'’-")
        if len(w) > 2 and w not in _STOP:
            counts[w[:-1] if w.endswith("s") and len(w) > 4 else w] += 1
    tf = {t: 1.0 + math.log(c) for t, c in counts.items()}
    names = {
        strip_titles(m.canonical) for m in article.mentions if m.label in ("PERSON", "ORG", "GPE", "LOC")
    }
    if not article.mentions:  # no entity pass ran: capitalised words inside sentences stand in for names
        names = {
            m.group(0).casefold() for m in re.finditer(r"(?<=[a-z,;] )[A-Z][a-z]{2,}(?: [A-Z][a-z]+)*", text)
        }
    return tf, frozenset(n for n in names if n)


def link_stories(articles: Iterable[Article], index: StoryIndex | None = None) -> StoryIndex:
    """File every article into `index` (a new one if None) and return it."""
    index = index or StoryIndex()
    index.add_all(articles)
    return index
