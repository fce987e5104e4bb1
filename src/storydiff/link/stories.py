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
from functools import lru_cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from storydiff.model import Article, Story

_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
STOPWORDS = frozenset(
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
PER_STORY = 25  # a new article is compared with at most this many (the latest) articles of a story
MAX_CANDIDATES = 60  # and with at most this many articles in all, the closest by MinHash


@dataclass(slots=True)
class _Doc:
    id: str
    story: str
    tf: dict[str, float]
    norm_terms: frozenset[str]
    names: frozenset[str]
    published: datetime | None
    seq: int  # arrival order
    term_ids: np.ndarray | None = None  # tf's terms as vocabulary numbers, and their weights:
    weights: np.ndarray | None = None  # what the vectorised scoring in `add` reads
    signature: np.ndarray | None = None  # MinHash values, to rank LSH neighbours


class StoryIndex:
    """Incremental story clustering; `add` costs about the same for the 10th and the 10,000th article."""

    def __init__(self, threshold: float = JOIN_THRESHOLD, window: timedelta = TIME_WINDOW) -> None:
        self.threshold = threshold
        self.window = window
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._docs: dict[str, _Doc] = {}
        self._stories: dict[str, list[str]] = {}
        self._order: list[str] = []
        self._idf_now: dict[str, float] = {}
        self._vocab: dict[str, int] = {}
        self._df_array = np.zeros(1024, dtype=np.float64)  # document frequency by vocabulary number
        self._scratch = np.zeros(0)  # see `_scores`

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
        term_ids = self._count(tf)
        weights = np.fromiter(tf.values(), dtype=np.float64, count=len(tf))
        keys = self._block_keys(tf, names)
        perms, scheme = _permutations()
        mh = MinHash(num_perm=NUM_PERM, seed=7, permutations=perms, scheme=scheme)
        mh.update_batch([k.encode("utf-8") for k in keys])
        best, best_score = None, self.threshold
        candidates = self._candidates(mh, article.published)
        for cand, score in zip(candidates, self._scores(term_ids, weights, names, candidates), strict=True):
            if score >= best_score:
                best, best_score = cand, score
        if best is not None:
            story = best.story
        else:
            story = f"s{len(self._order) + 1}"
            self._order.append(story)
            self._stories[story] = []
        self._stories[story].append(article.id)
        self._docs[article.id] = _Doc(
            article.id,
            story,
            tf,
            frozenset(keys),
            names,
            article.published,
            len(self._docs),
            term_ids,
            weights,
            mh.hashvalues,
        )
        self._lsh.insert(article.id, mh)
        members = self._stories[story]
        if len(members) > PER_STORY:
            # Only a story's latest articles are ever candidates: the one that fell out of them
            # leaves the LSH index, so a lookup costs the same in a story of 30 or of 3,000.
            self._lsh.remove(members[-PER_STORY - 1])
        self._idf_now.clear()  # and with the number of articles
        return story

    def _count(self, tf: dict[str, float]) -> np.ndarray:
        """Count an article's terms into the document frequencies; their vocabulary numbers."""
        term_ids = np.array([self._term_id(t) for t in tf], dtype=np.int64)
        self._df_array[term_ids] += 1
        self._idf_now.clear()  # idf changed with these terms
        return term_ids

    def _term_id(self, term: str) -> int:
        number = self._vocab.setdefault(term, len(self._vocab))
        if number >= len(self._df_array):
            self._df_array = np.concatenate([self._df_array, np.zeros_like(self._df_array)])
        return number

    def _scores(
        self, term_ids: np.ndarray, weights: np.ndarray, names: frozenset[str], candidates: list[_Doc]
    ) -> list[float]:
        """`similarity` of one new article with every candidate at once (numpy over all their terms)."""
        if not candidates:
            return []
        n = max(len(self._docs), 1)

        def idf(ids: np.ndarray) -> np.ndarray:
            out: np.ndarray = np.log((n + 1) / (self._df_array[ids] + 1)) + 1.0
            return out

        # Only the terms of this article and its candidates are looked at, never the whole
        # vocabulary, which keeps growing with the corpus: the query's weights go into a scratch
        # row (vocabulary-wide, allocated once) and are cleared again after the gather.
        q_idf = idf(term_ids)
        norm = math.sqrt(float(np.sum((weights * q_idf) ** 2)))
        if len(self._scratch) < len(self._df_array):
            self._scratch = np.zeros(len(self._df_array))
        sizes = np.array([len(c.tf) for c in candidates])
        # One zero at the end, so that a candidate without terms still has a valid start.
        ids = np.concatenate([*(c.term_ids for c in candidates), [0]]).astype(np.int64)
        wts = np.concatenate([*(c.weights for c in candidates), [0.0]])
        self._scratch[term_ids] = weights * q_idf**2
        shared = self._scratch[ids]
        self._scratch[term_ids] = 0.0
        starts = np.concatenate([[0], np.cumsum(sizes[:-1])])
        empty = sizes == 0  # reduceat gives the element at an empty segment's start, not 0
        dots = np.where(empty, 0.0, np.add.reduceat(shared * wts, starts))
        norms = np.where(empty, 0.0, np.sqrt(np.add.reduceat((wts * idf(ids)) ** 2, starts)))
        scores: list[float] = []
        for cand, dot, other in zip(candidates, dots.tolist(), norms.tolist(), strict=True):
            cos = dot / (norm * other) if norm and other else 0.0
            if names and cand.names:
                cos += 0.1 * len(names & cand.names) / min(len(names), len(cand.names))
            scores.append(cos)
        return scores

    def _candidates(self, mh: MinHash, published: datetime | None) -> list[_Doc]:
        """Articles to score against: LSH neighbours in the time window. The index holds only the
        latest `PER_STORY` articles of each story (a big running story would otherwise cost every
        one of its articles at each arrival; its latest coverage is what a new article continues)."""
        found = sorted(  # in arrival order: the LSH answers a set, whose order varies by process
            (
                doc
                for doc in (self._docs[i] for i in self._lsh.query(mh))
                if _in_window(published, doc.published, self.window)
            ),
            key=lambda doc: doc.seq,
        )
        if len(found) <= MAX_CANDIDATES:
            return found
        # Many running stories near this one: keep the closest by estimated Jaccard similarity of
        # the blocking terms, so an arrival costs the same however busy the news is.
        none = np.zeros(NUM_PERM, dtype=np.uint64)
        signatures = np.stack([none if d.signature is None else d.signature for d in found])
        jaccard = (signatures == mh.hashvalues).mean(axis=1)
        keep = np.sort(np.argsort(-jaccard, kind="stable")[:MAX_CANDIDATES])
        return [found[i] for i in keep]

    def add_all(self, articles: Iterable[Article]) -> list[str]:
        return [self.add(a) for a in articles]

    def _idf(self, term: str) -> float:
        # Memoised until the next `add` changes the counts: one article's candidates share terms.
        idf = self._idf_now.get(term)
        if idf is None:
            n = max(len(self._docs), 1)
            number = self._vocab.get(term)
            df = 0.0 if number is None else float(self._df_array[number])
            idf = self._idf_now[term] = math.log((n + 1) / (df + 1)) + 1.0
        return idf

    def _block_keys(self, tf: dict[str, float], names: frozenset[str]) -> list[str]:
        # rarer words say more about the event than frequent ones; names always count
        ranked = sorted(tf, key=lambda t: (-tf[t] * self._idf(t), t))[:TOP_TERMS]
        return sorted(set(ranked) | {"@" + n for n in names})

    def _norm(self, tf: dict[str, float]) -> float:
        return math.sqrt(sum((w * self._idf(t)) ** 2 for t, w in tf.items()))

    def similarity(self, tf: dict[str, float], names: frozenset[str], other: _Doc) -> float:
        """TF-IDF cosine over words (idf as of now), nudged up by shared names: what `_scores`
        computes for many candidates at once, one pair at a time (the benchmarks' baseline)."""
        dot = sum(w * other.tf[t] * self._idf(t) ** 2 for t, w in tf.items() if t in other.tf)
        na = self._norm(tf)
        nb = self._norm(other.tf)
        cos = dot / (na * nb) if na and nb else 0.0
        if names and other.names:
            shared = len(names & other.names) / min(len(names), len(other.names))
            cos += 0.1 * shared
        return cos


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """The MinHash permutations, drawn once: MinHash would draw them again for every article."""
    template = MinHash(num_perm=NUM_PERM, seed=7)
    return template.permutations, template.scheme


def _in_window(a: datetime | None, b: datetime | None, window: timedelta) -> bool:
    if a is None or b is None:
        return True
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return abs(a - b) <= window


def content_words(text: str) -> list[str]:
    """Folded content words, crudely stemmed (a plural `s` dropped): the terms stories are compared by."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0).casefold().strip("'’-")
        if len(w) > 2 and w not in STOPWORDS:
            out.append(w[:-1] if w.endswith("s") and len(w) > 4 else w)
    return out


def _profile(article: Article) -> tuple[dict[str, float], frozenset[str]]:
    """Sublinear term frequencies of content words, and the article's names (folded)."""
    from storydiff.link.entities import strip_titles

    text = article.text if not article.title else f"{article.title}\n{article.text}"
    counts = Counter(content_words(text))
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
