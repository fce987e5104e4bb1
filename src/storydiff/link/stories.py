"""Stories: articles that report the same event, found incrementally.

`StoryIndex.add(article)` puts one article into an existing story or starts a new one, without
touching the rest. The cost stays linear in the number of articles:

1. Blocking: a MinHash (datasketch) of the article's distinctive terms -- named entities, capitalised
   names and its rarer words -- is queried against an LSH index of each story's latest articles,
   inside a publication-time window; the stories of the closest neighbours are the candidates.
2. Decision: a learned model (`storymodel.MergeModel`, trained by `training/train_stories.py`)
   weighs each candidate story: TF-IDF cosine with its closest article and with its centroid,
   shared names, and what tells two events of one kind apart (other people, places, numbers,
   years). The article joins the likeliest story when the probability reaches the threshold.
3. Repair: `add_all` files each of its articles once more when the batch is done, now that later
   articles are known; then the stories it touched are repaired as wholes (`repair_stories`): one
   whose two halves the model would not join is split, and one whose articles the model would
   join to another story on average is merged into it, pass after pass until nothing moves. A
   story left empty, like one merged into another, is recorded in `merged` so that its id still
   resolves; the bigger part keeps its id.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from datasketch import MinHash, MinHashLSH

from storydiff.link.storymodel import FEATURES, FRAGMENT_FEATURES, FragmentModel, MergeModel, default_model
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
TIME_WINDOW = timedelta(days=7)
TOP_TERMS = 40
PER_STORY = 25  # a new article is compared with at most this many (the latest) articles of a story
MAX_CANDIDATES = 60  # and with at most this many articles in all, the closest by MinHash
Repair = Literal["none", "alone", "all"]
REPAIR: Repair = "all"
MIN_SPLIT = 4  # a story is split in two by the repair only from this many articles on
SPLITTING = "\0splitting"  # where the articles of a story's part wait while the split is weighed
TOP_STORIES = 8  # of their stories, the model weighs those with the closest articles
_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*(?:\.\d+)?")
_YEAR = re.compile(r"(?:19|20)\d\d$")


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
    facets: Facets | None = None  # who, where, which numbers: what `regroup` weighs it by again


@dataclass(frozen=True, slots=True)
class Facets:
    """What tells two events of one kind apart: who, where, and which numbers (folded)."""

    persons: frozenset[str]
    places: frozenset[str]
    numbers: frozenset[str]


_NO_FACETS = Facets(frozenset(), frozenset(), frozenset())  # an article placed without being read

# What `Profile` holds is computed by `_profile`, `_facets` and `content_words` (with `STOPWORDS`):
# change any of them and bump this, so that profiles a store kept are computed again.
PROFILE_VERSION = 1


@dataclass(frozen=True, slots=True)
class Profile:
    """What filing reads of an article: its terms' sublinear frequencies (in text order, which
    fixes their vocabulary numbers and so the sums' order), its names and its facets. A store
    keeps it when an article is first filed, so a later run files a stored article into the
    window's stories without reading and profiling it again (`StoryIndex.add_profile`)."""

    tf: dict[str, float]
    names: frozenset[str]
    facets: Facets

    def to_json(self) -> dict[str, Any]:
        f = self.facets
        return {
            "tf": self.tf,  # a JSON object keeps its order; floats round-trip exactly
            "names": sorted(self.names),
            "persons": sorted(f.persons),
            "places": sorted(f.places),
            "numbers": sorted(f.numbers),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        facets = Facets(frozenset(data["persons"]), frozenset(data["places"]), frozenset(data["numbers"]))
        return cls({t: float(w) for t, w in data["tf"].items()}, frozenset(data["names"]), facets)


def profile_of(article: Article) -> Profile:
    tf, names = _profile(article)
    return Profile(tf, names, _facets(article))


@dataclass(slots=True)
class _Story:
    """A story's running summary: its articles, the sum of their normalised term weights (the
    centroid, by vocabulary number) and in how many of its articles each name, place, number occurs."""

    id: str
    members: list[str] = field(default_factory=list)
    centroid: dict[int, float] = field(default_factory=dict)
    names: Counter[str] = field(default_factory=Counter)
    persons: Counter[str] = field(default_factory=Counter)
    places: Counter[str] = field(default_factory=Counter)
    numbers: Counter[str] = field(default_factory=Counter)
    arrays: tuple[np.ndarray, np.ndarray] | None = None  # the centroid as arrays, until it changes


@dataclass(frozen=True, slots=True)
class Repaired:
    """What `StoryIndex.repair_stories` changed: each story split off (new id -> the story it came
    from), each story merged away (old id -> the story it went into), and the ids, as they are
    now, of every story the repair weighed (what a store saves again)."""

    split: dict[str, str]
    merged: dict[str, str]
    stories: frozenset[str]


def _tally(story: _Story, found: tuple[Iterable[str], Iterable[str], Iterable[str], Iterable[str]]) -> None:
    """Count names, persons, places and numbers into a story's summary (an article's, or a whole
    merged story's counters)."""
    for counter, items in zip((story.names, story.persons, story.places, story.numbers), found, strict=True):
        counter.update(items)


class StoryIndex:
    """Incremental story clustering; `add` costs about the same for the 10th and the 10,000th article.

    `window`: only stories with an article published within it of the new one's time are candidates
    (articles without a time are compared with all). `model`: the merge decision (default: the
    trained one). Story ids are `s1`, `s2`, ... from `first_number` on, so a store can go on numbering.
    """

    def __init__(
        self,
        threshold: float | None = None,
        window: timedelta | None = TIME_WINDOW,
        model: MergeModel | None = None,
        first_number: int = 1,
        merge_threshold: float | None = None,
        story_threshold: float | None = None,
        split_threshold: float | None = None,
        single_threshold: float | None = None,
    ) -> None:
        self.model = model or default_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        self.window = window
        self._lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        self._docs: dict[str, _Doc] = {}
        self._stories: dict[str, _Story] = {}
        self._order: dict[str, int] = {}  # story id -> when it started (dicts keep that order)
        self._next = first_number
        self._arrivals = 0
        self._in_lsh: set[str] = set()  # articles in the blocking index
        # An article this likely to belong to a second story as well merges the two (>1: never).
        self.merge_threshold = self.model.merge_threshold if merge_threshold is None else merge_threshold
        self.merged: dict[str, str] = {}  # story id -> the story it was merged into
        # Stories whose articles are this likely on average to join another are merged into it.
        self.story_threshold = self.model.story_threshold if story_threshold is None else story_threshold
        # A story's smaller half whose articles are less likely than this to join the rest is split off.
        self.split_threshold = self.model.split_threshold if split_threshold is None else split_threshold
        # A story of one article is joined only at this probability (or `threshold`, if higher).
        self.single_threshold = self.model.single_threshold if single_threshold is None else single_threshold
        # The regroup also merges a story this decides is a fragment of another (None: only by the mean).
        self.fragment: FragmentModel | None = self.model.fragment
        self._idf_now: dict[str, float] = {}
        self._vocab: dict[str, int] = {}
        self._df_array = np.zeros(1024, dtype=np.float64)  # document frequency by vocabulary number
        self._scratch = np.zeros(0)  # see `_scores`

    def __len__(self) -> int:
        return len(self._docs)

    def __bool__(self) -> bool:
        # An empty index is still an index: `index or StoryIndex()` must keep a caller's own.
        return True

    @property
    def stories(self) -> list[Story]:
        """Stories in order of their first article, each listing its articles in arrival order."""
        return [Story(id=sid, articles=list(self._stories[sid].members)) for sid in self._order]

    def members(self, story_id: str) -> list[str]:
        """A story's articles, in arrival order."""
        return list(self._stories[story_id].members)

    def story_of(self, article_id: str) -> str:
        return self._docs[article_id].story

    def add(self, article: Article, story: str | None = None, when: datetime | None = None) -> str:
        """File one article; returns the id of the story it joined or started.

        `story` files it there without deciding (a stored story being rebuilt, or gold stories when
        training); `when` stands in for its publication time in the window (e.g. when it was stored).
        """
        if article.id in self._docs:  # filed already: not profiled again
            return self._docs[article.id].story
        return self._file(article.id, profile_of(article), story, when or article.published, None)

    def add_profile(
        self, article_id: str, profile: Profile, story: str | None = None, when: datetime | None = None
    ) -> str:
        """`add` from an article's profile (one a store kept), filed just as the article would be;
        `when` is its time in the window."""
        return self._file(article_id, profile, story, when, None)

    def profile(self, article_id: str) -> Profile | None:
        """The profile a filed article was filed by (None: placed, or not in the index)."""
        doc = self._docs.get(article_id)
        if doc is None or doc.facets is None or doc.facets is _NO_FACETS:
            return None
        return Profile(doc.tf, doc.names, doc.facets)

    def place(self, article_id: str, story: str) -> None:
        """Put an article in a story without reading it: for an index that only says who belongs
        where (the stories a store hands its linker), which costs no profile, no MinHash and no
        blocking entry. Such an article is never a candidate for another."""
        if article_id in self._docs:
            return
        seq, self._arrivals = self._arrivals, self._arrivals + 1
        doc = _Doc(
            article_id, story, {}, frozenset(), frozenset(), None, seq, np.zeros(0, np.int64), np.zeros(0)
        )
        doc.facets = _NO_FACETS
        self._join(doc, doc.facets)

    def _file(
        self,
        article_id: str,
        profile: Profile,
        story: str | None,
        published: datetime | None,
        fresh: str | None,
        seq: int | None = None,
    ) -> str:
        """`add`; a new story takes the id `fresh` if given; `seq`: its arrival order, if known."""
        if article_id in self._docs:
            return self._docs[article_id].story
        tf, names, facets = profile.tf, profile.names, profile.facets
        term_ids = self._count(tf)
        weights = np.fromiter(tf.values(), dtype=np.float64, count=len(tf))
        keys = self._block_keys(tf, names)
        perms, scheme = _permutations()
        mh = MinHash(num_perm=NUM_PERM, seed=7, permutations=perms, scheme=scheme)
        mh.update_batch([k.encode("utf-8") for k in keys])
        bridged: list[str] = []
        if story is None:
            found, x = self._features(term_ids, weights, names, facets, mh, published)
            if found:
                p = self.model.probabilities(x)
                order = np.argsort(-p, kind="stable")
                need = self.threshold
                if len(self._stories[found[order[0]]].members) == 1:
                    need = max(need, self.single_threshold)
                if p[order[0]] >= need:
                    story = found[order[0]]
                    # The article belongs to several stories: they were one story all along.
                    bridged = [found[i] for i in order[1:] if p[i] >= self.merge_threshold]
        if story is None:
            story = fresh or self._new_id()
        if seq is None:
            seq, self._arrivals = self._arrivals, self._arrivals + 1
        doc = _Doc(article_id, story, tf, frozenset(keys), names, published, seq, term_ids, weights)
        doc.signature = mh.hashvalues
        doc.facets = facets
        self._join(doc, facets)
        self._lsh.insert(article_id, mh)
        self._in_lsh.add(article_id)
        for other in bridged:
            story = self._merge(story, other)
        members = self._stories[story].members
        if len(members) > PER_STORY:
            # Only a story's latest articles are ever candidates: the one that fell out of them
            # leaves the LSH index, so a lookup costs the same in a story of 30 or of 3,000.
            self._unblock(members[-PER_STORY - 1])
        return story

    def repair_stories(self, story_ids: Iterable[str]) -> Repaired:
        """The local repair of the stories a run touched: each may be split in two (`split`), then
        each, and each part split off, may be merged into another (`regroup`, again until a pass
        merges nothing). `merged` gives each merged id the story it is in at the end."""
        touched = list(dict.fromkeys(story_ids))
        made = self.split(touched)
        merged: dict[str, str] = {}
        # Again until nothing moves: a merge changes the stories the others would join.
        while more := self.regroup(self.resolve(sid) for sid in [*touched, *made]):
            merged.update(more)
        merged = {old: self.resolve(old) for old in merged}
        return Repaired(made, merged, frozenset(self.resolve(sid) for sid in [*touched, *made]))

    def regroup(self, story_ids: Iterable[str]) -> dict[str, str]:
        """Merge each of these stories, smallest first, into the story its articles would join one
        by one: when their mean probability for one other story reaches `story_threshold` (the
        local repair of two stories begun apart, each too far along for its articles to move
        alone), or when the fragment model (`fragment`, from the mean and most of those probabilities,
        the centroids' cosine and both sizes) says it is a fragment of that story (a one-line report
        of a claim whose articles weigh a big story down by its size). `story_threshold` above 1
        turns both off. Returns each merged id and the story it went into (also kept in `merged`)."""
        done: dict[str, str] = {}
        alive = [sid for sid in dict.fromkeys(story_ids) if sid in self._stories]
        fragment = self.fragment
        for sid in sorted(alive, key=lambda sid: (len(self._stories[sid].members), self._order[sid])):
            if sid not in self._stories or self.story_threshold > 1.0:
                continue
            best, x = self._fragment_row(sid)
            if best is None:
                continue
            if x[0] >= self.story_threshold or (
                fragment is not None
                and fragment.probability(x) >= fragment.threshold
                and self._shares_a_name(sid, best)
            ):
                kept = self._merge(sid, best)
                done[sid if kept == best else best] = kept
        return {old: self.resolve(old) for old in done}

    def _shares_a_name(self, sid: str, other: str) -> bool:
        """Whether two stories name someone or somewhere in common (or one names nothing): a fragment
        of a story is about its people and places, and a report of another town's collapse that the
        fragment model would take for one (weak votes, no runner-up) names none of them."""
        mine, theirs = self._stories[sid].names, self._stories[other].names
        return not mine or not theirs or any(n in theirs for n in mine)

    def _fragment_row(self, sid: str) -> tuple[str | None, np.ndarray]:
        """The story the articles of `sid` would likeliest join one by one (the highest sum of
        probabilities) and the `FRAGMENT_FEATURES` row of `sid` for it (None: no other candidate)."""
        members = self._stories[sid].members[-PER_STORY:]
        votes: dict[str, float] = {}
        most: dict[str, float] = {}
        seen: dict[str, int] = {}
        for aid in members:
            found, p = self._filed_candidates(self._docs[aid])
            for other, prob in zip(found, p.tolist(), strict=True):
                if other != sid:
                    votes[other] = votes.get(other, 0.0) + prob
                    most[other] = max(most.get(other, 0.0), prob)
                    seen[other] = seen.get(other, 0) + 1
        if not votes:
            return None, np.zeros(len(FRAGMENT_FEATURES))
        best = max(votes, key=lambda other: (votes[other], -self._order[other]))
        n = len(members)
        row = [
            votes[best] / n,
            most[best],
            seen[best] / n,
            self._centroid_cosine(self._stories[sid], self._stories[best]),
            math.log1p(len(self._stories[sid].members)),
            math.log1p(len(self._stories[best].members)),
        ]
        return best, np.array(row, dtype=np.float64)

    def _centroid_cosine(self, one: _Story, other: _Story) -> float:
        """TF-IDF cosine of two stories' centroids."""
        return self._cosine_to(*self._arrays(one), other)

    def _arrays(self, story: _Story) -> tuple[np.ndarray, np.ndarray]:
        """A story's centroid as term numbers and weights, kept until the story changes."""
        if story.arrays is None:
            story.arrays = (
                np.fromiter(story.centroid.keys(), dtype=np.int64, count=len(story.centroid)),
                np.fromiter(story.centroid.values(), dtype=np.float64, count=len(story.centroid)),
            )
        return story.arrays

    def _cosine_to(self, term_ids: np.ndarray, weights: np.ndarray, story: _Story) -> float:
        """TF-IDF cosine of term weights (an article's, or a story's centroid) with a story's centroid."""
        ids, wts = self._arrays(story)
        idf_q = self._idf_of(term_ids)
        idf_c = self._idf_of(ids)
        self._scratch_fill(term_ids, weights * idf_q**2)
        dot = float(np.sum(self._scratch[ids] * wts))
        self._scratch[term_ids] = 0.0
        nq = math.sqrt(float(np.sum((weights * idf_q) ** 2)))
        nc = math.sqrt(float(np.sum((wts * idf_c) ** 2)))
        return dot / (nq * nc) if nq and nc else 0.0

    def split(self, story_ids: Iterable[str]) -> dict[str, str]:
        """Split each of these stories in two where its articles form two groups (the normalised
        cut of their TF-IDF cosines, `_smaller_half`) and those of the smaller group would, on
        average, join the rest below `split_threshold`: the local repair of two events that one
        early article joined. The bigger part keeps the id. Returns each new story's id and the
        story it came from."""
        made: dict[str, str] = {}
        for sid in dict.fromkeys(story_ids):
            if self.split_threshold <= 0.0 or sid not in self._stories:
                continue
            members = self._stories[sid].members[-PER_STORY:]
            if len(members) < MIN_SPLIT:
                continue
            docs = [self._docs[aid] for aid in members]
            part = _smaller_half(self._cosines(docs))
            for i in part:
                self._move(docs[i], SPLITTING)
            votes = 0.0
            for i in part:
                found, p = self._filed_candidates(docs[i])
                votes += sum(prob for other, prob in zip(found, p.tolist(), strict=True) if other == sid)
            if votes / len(part) >= self.split_threshold:
                for i in part:
                    self._move(docs[i], sid)
                continue
            new = self._new_id()
            for i in part:
                self._move(docs[i], new)
            made[new] = sid
        return made

    def _cosines(self, docs: list[_Doc]) -> np.ndarray:
        """TF-IDF cosines of these filed articles with each other (a square matrix)."""
        rows = []
        for doc in docs:
            assert doc.term_ids is not None and doc.weights is not None
            rows.append(self._scores(doc.term_ids, doc.weights, docs))
        return np.array(rows, dtype=np.float64)

    def _move(self, doc: _Doc, story: str) -> None:
        """Refile an article into another story (started if new) without deciding."""
        assert doc.facets is not None
        self._detach(doc, doc.facets)
        doc.story = story
        self._attach(doc, doc.facets)

    def _filed_candidates(self, doc: _Doc) -> tuple[list[str], np.ndarray]:
        """The stories an article already filed would weigh now, and their probabilities."""
        assert doc.term_ids is not None and doc.weights is not None and doc.signature is not None
        perms, scheme = _permutations()
        mh = MinHash(num_perm=NUM_PERM, seed=7, hashvalues=doc.signature, permutations=perms, scheme=scheme)
        facets = doc.facets or _NO_FACETS
        found, x = self._features(doc.term_ids, doc.weights, doc.names, facets, mh, doc.published)
        return found, self.model.probabilities(x)

    def _unblock(self, article_id: str) -> None:
        if article_id in self._in_lsh:
            self._lsh.remove(article_id)
            self._in_lsh.discard(article_id)

    def candidates(self, article: Article, when: datetime | None = None) -> tuple[list[str], np.ndarray]:
        """The stories `add` would weigh for `article` and their `FEATURES` rows, without filing it
        (what training reads). The article's terms are counted into the document frequencies as
        `add` counts them, and uncounted again."""
        tf, names = _profile(article)
        term_ids = self._count(tf)
        try:
            weights = np.fromiter(tf.values(), dtype=np.float64, count=len(tf))
            perms, scheme = _permutations()
            mh = MinHash(num_perm=NUM_PERM, seed=7, permutations=perms, scheme=scheme)
            mh.update_batch([k.encode("utf-8") for k in self._block_keys(tf, names)])
            return self._features(term_ids, weights, names, _facets(article), mh, when or article.published)
        finally:
            self._df_array[term_ids] -= 1
            self._idf_now.clear()

    def _merge(self, one: str, other: str) -> str:
        """Merge two stories into the bigger one (the older on a tie), which keeps its id; the
        other id is recorded in `merged` so that links to it still resolve."""
        a, b = self._stories[one], self._stories[other]
        if (len(b.members), -self._order[other]) > (len(a.members), -self._order[one]):
            a, b = b, a
        for aid in b.members:
            self._docs[aid].story = a.id
        a.members = sorted(a.members + b.members, key=lambda aid: self._docs[aid].seq)
        for term, w in b.centroid.items():
            a.centroid[term] = a.centroid.get(term, 0.0) + w
        a.arrays = None
        _tally(a, (b.names, b.persons, b.places, b.numbers))
        del self._stories[b.id]
        del self._order[b.id]
        self.merged[b.id] = a.id
        return a.id

    def refile(self, article: Article, when: datetime | None = None, alone_only: bool = True) -> str:
        """File an article again now that later articles are known (the local repair of an early
        decision): it may join a story that formed after it. With `alone_only`, only an article
        alone in its story is refiled. A story left empty has its id recorded in `merged`."""
        doc = self._docs.get(article.id)
        if doc is None:
            return self.add(article, when=when)
        old = self._stories[doc.story]
        if alone_only and len(old.members) > 1:
            return doc.story
        profile = self.profile(article.id) or profile_of(article)  # the same article: the same profile
        self._remove(doc, profile.facets)
        gone = old.id not in self._stories
        story = self._file(
            article.id, profile, None, when or doc.published, old.id if gone else None, doc.seq
        )
        if gone and story != old.id:
            self.merged[old.id] = story
        return story

    def _remove(self, doc: _Doc, facets: Facets) -> None:
        """Take an article out of the index again (an emptied story goes with it)."""
        self._detach(doc, facets)
        del self._docs[doc.id]
        assert doc.term_ids is not None
        self._df_array[doc.term_ids] -= 1
        self._idf_now.clear()
        self._unblock(doc.id)

    def _detach(self, doc: _Doc, facets: Facets) -> None:
        """Take an article out of its story's summary (an emptied story goes)."""
        story = self._stories[doc.story]
        story.members.remove(doc.id)
        assert doc.term_ids is not None and doc.weights is not None
        if story.members:
            length = float(np.sqrt(np.sum(doc.weights**2))) or 1.0
            for term, w in zip(doc.term_ids.tolist(), (doc.weights / length).tolist(), strict=True):
                story.centroid[term] -= w
            story.arrays = None
            for counter, items in (
                (story.names, doc.names),
                (story.persons, facets.persons),
                (story.places, facets.places),
                (story.numbers, facets.numbers),
            ):
                counter.subtract(items)
                for item in items:
                    if counter[item] <= 0:
                        del counter[item]
        else:
            del self._stories[doc.story]
            del self._order[doc.story]

    def resolve(self, story_id: str) -> str:
        """The story an id stands for now, following merges."""
        while story_id in self.merged:
            story_id = self.merged[story_id]
        return story_id

    def _new_id(self) -> str:
        while f"s{self._next}" in self._stories:
            self._next += 1
        self._next += 1
        return f"s{self._next - 1}"

    def _join(self, doc: _Doc, facets: Facets) -> None:
        self._docs[doc.id] = doc
        self._attach(doc, facets)

    def _attach(self, doc: _Doc, facets: Facets) -> None:
        """Add a filed article to the summary of its story (`doc.story`, started if new)."""
        story = self._stories.get(doc.story)
        if story is None:
            story = self._stories[doc.story] = _Story(doc.story)
            self._order[doc.story] = doc.seq
        bisect.insort(story.members, doc.id, key=lambda aid: self._docs[aid].seq)  # arrival order
        assert doc.term_ids is not None and doc.weights is not None
        length = float(np.sqrt(np.sum(doc.weights**2))) or 1.0
        for term, w in zip(doc.term_ids.tolist(), (doc.weights / length).tolist(), strict=True):
            story.centroid[term] = story.centroid.get(term, 0.0) + w
        story.arrays = None
        _tally(story, (doc.names, facets.persons, facets.places, facets.numbers))

    def _features(
        self,
        term_ids: np.ndarray,
        weights: np.ndarray,
        names: frozenset[str],
        facets: Facets,
        mh: MinHash,
        published: datetime | None,
    ) -> tuple[list[str], np.ndarray]:
        """Candidate stories (those of the article's LSH neighbours in the window, at most
        `TOP_STORIES`, those with the closest article) and one `FEATURES` row for each."""
        near = self._candidates(mh, published)
        cosines = self._scores(term_ids, weights, near)
        best: dict[str, float] = {}
        for doc, cos in zip(near, cosines, strict=True):
            best[doc.story] = max(best.get(doc.story, 0.0), cos)
        # in order of each story's earliest candidate (deterministic); stories far from the
        # article are not worth their features, which cost more than the cosine
        keep = set(sorted(best, key=lambda sid: -best[sid])[:TOP_STORIES])
        found = [sid for sid in best if sid in keep]
        spread = self._spread(term_ids, weights, found)
        rows = [
            self._row(self._stories[sid], best[sid], term_ids, weights, names, facets) + list(spread[sid])
            for sid in found
        ]
        return found, np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))

    def _spread(
        self, term_ids: np.ndarray, weights: np.ndarray, found: list[str]
    ) -> dict[str, tuple[float, float]]:
        """Mean and least TF-IDF cosine of the article with each story's latest `PER_STORY` articles:
        average linkage, which a chain of near neighbours (one close article each) does not fool."""
        latest = {sid: self._stories[sid].members[-PER_STORY:] for sid in found}
        docs = [self._docs[aid] for members in latest.values() for aid in members]
        cosines = iter(self._scores(term_ids, weights, docs))
        out = {}
        for sid, members in latest.items():
            values = [next(cosines) for _ in members]
            out[sid] = (sum(values) / len(values), min(values)) if values else (0.0, 0.0)
        return out

    def _row(
        self,
        story: _Story,
        cos_max: float,
        term_ids: np.ndarray,
        weights: np.ndarray,
        names: frozenset[str],
        facets: Facets,
    ) -> list[float]:
        centroid = self._cosine_to(term_ids, weights, story)
        mentions = sum(story.names.values())
        half = len(story.members) / 2
        core_names = [n for n, k in story.names.items() if k >= half]
        core_persons = [n for n, k in story.persons.items() if k >= half]
        core_numbers = [n for n, k in story.numbers.items() if k >= half]
        years = frozenset(n for n in facets.numbers if _YEAR.match(n))
        story_years = Counter({n: k for n, k in story.numbers.items() if _YEAR.match(n)})
        return [
            cos_max,
            centroid,
            _share(names, story.names),
            sum(story.names[n] for n in names) / mentions if mentions else 0.0,
            float(not names or not story.names),
            _disjoint(facets.persons, story.persons),
            _share(facets.places, story.places),
            _disjoint(facets.places, story.places),
            _share(facets.numbers, story.numbers),
            _disjoint(facets.numbers, story.numbers),
            math.log1p(len(story.members)),
            _core(core_names, names),
            _core(core_persons, facets.persons),
            _core(core_numbers, facets.numbers),
            cos_max * _disjoint(facets.persons, story.persons),
            centroid * _share(names, story.names),
            _disjoint(years, story_years),
            _share(years, story_years),
        ]

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

    def _idf_of(self, ids: np.ndarray) -> np.ndarray:
        n = max(len(self._docs), 1)
        out: np.ndarray = np.log((n + 1) / (self._df_array[ids] + 1)) + 1.0
        return out

    def _scratch_fill(self, term_ids: np.ndarray, values: np.ndarray) -> None:
        # A vocabulary-wide row allocated once; callers clear what they set after reading it.
        if len(self._scratch) < len(self._df_array):
            self._scratch = np.zeros(len(self._df_array))
        self._scratch[term_ids] = values

    def _scores(self, term_ids: np.ndarray, weights: np.ndarray, candidates: list[_Doc]) -> list[float]:
        """TF-IDF cosine of one new article with every candidate at once (numpy over their terms)."""
        if not candidates:
            return []
        # Only the terms of this article and its candidates are looked at, never the whole
        # vocabulary, which keeps growing with the corpus.
        q_idf = self._idf_of(term_ids)
        norm = math.sqrt(float(np.sum((weights * q_idf) ** 2)))
        sizes = np.array([len(c.tf) for c in candidates])
        # One zero at the end, so that a candidate without terms still has a valid start.
        ids = np.concatenate([*(c.term_ids for c in candidates), [0]]).astype(np.int64)
        wts = np.concatenate([*(c.weights for c in candidates), [0.0]])
        self._scratch_fill(term_ids, weights * q_idf**2)
        shared = self._scratch[ids]
        self._scratch[term_ids] = 0.0
        starts = np.concatenate([[0], np.cumsum(sizes[:-1])])
        empty = sizes == 0  # reduceat gives the element at an empty segment's start, not 0
        dots = np.where(empty, 0.0, np.add.reduceat(shared * wts, starts))
        norms = np.where(empty, 0.0, np.sqrt(np.add.reduceat((wts * self._idf_of(ids)) ** 2, starts)))
        return [
            dot / (norm * other) if norm and other else 0.0
            for dot, other in zip(dots.tolist(), norms.tolist(), strict=True)
        ]

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

    def add_all(self, articles: Iterable[Article], repair: Repair = REPAIR) -> list[str]:
        """File articles in order; then file again those of them still alone in a story (`repair`
        "alone"), or all of them ("all"), now that the later ones are known: an early decision
        made with few articles to compare is made again. Returns each one's story now."""
        batch = list(articles)
        new = [a for a in batch if a.id not in self._docs]  # those already filed stay as they are
        for article in batch:
            self.add(article)
        if repair != "none":
            for article in new:
                self.refile(article, alone_only=repair == "alone")
            self.repair_stories(self.story_of(a.id) for a in new)
        return [self.story_of(a.id) for a in batch]

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
        """TF-IDF cosine over words (idf as of now), one pair at a time: the all-pairs baseline of
        `benchmarks/linking_scale.py` (`names` is kept for its callers)."""
        dot = sum(w * other.tf[t] * self._idf(t) ** 2 for t, w in tf.items() if t in other.tf)
        na = self._norm(tf)
        nb = self._norm(other.tf)
        return dot / (na * nb) if na and nb else 0.0


def _smaller_half(similar: np.ndarray) -> list[int]:
    """The smaller of the two groups that best cut items apart (a symmetric similarity matrix): the
    normalised cut found along the graph's Fiedler vector (spectral bisection). Average linkage
    down to two groups, used before, cut off the one odd article and left two events together."""
    weights = np.clip(similar.astype(np.float64), 0.0, None)
    np.fill_diagonal(weights, 0.0)
    degree = np.maximum(weights.sum(axis=1), 1e-12)
    root = np.sqrt(degree)
    laplacian = np.eye(len(weights)) - weights / np.outer(root, root)
    _, vectors = np.linalg.eigh(laplacian)
    order = np.argsort(vectors[:, 1] / root, kind="stable")
    best, cut_at = np.inf, 1
    for k in range(1, len(order)):
        a, b = order[:k], order[k:]
        cut = float(weights[np.ix_(a, b)].sum())
        score = cut / max(float(degree[a].sum()), 1e-12) + cut / max(float(degree[b].sum()), 1e-12)
        if score < best - 1e-12:
            best, cut_at = score, k
    first, second = sorted(order[:cut_at].tolist()), sorted(order[cut_at:].tolist())
    later = len(second) == len(first) and second[0] > first[0]  # on a tie, the later-starting half
    return second if len(second) < len(first) or later else first


def _share(mine: frozenset[str], theirs: Counter[str]) -> float:
    return sum(1 for x in mine if x in theirs) / len(mine) if mine and theirs else 0.0


def _core(core: list[str], mine: frozenset[str]) -> float:
    """Share of what most of a story's articles name that this article names too (1 if nothing)."""
    return sum(1 for x in core if x in mine) / len(core) if core else 1.0


def _disjoint(mine: frozenset[str], theirs: Counter[str]) -> float:
    return float(bool(mine) and bool(theirs) and not any(x in theirs for x in mine))


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    """The MinHash permutations, drawn once: MinHash would draw them again for every article."""
    template = MinHash(num_perm=NUM_PERM, seed=7)
    return template.permutations, template.scheme


def _in_window(a: datetime | None, b: datetime | None, window: timedelta | None) -> bool:
    if a is None or b is None or window is None:
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


def _facets(article: Article) -> Facets:
    """Persons and places named in the article (folded, titles stripped) and the numbers it holds."""
    from storydiff.link.entities import strip_titles

    persons = {strip_titles(m.canonical) for m in article.mentions if m.label == "PERSON"}
    places = {strip_titles(m.canonical) for m in article.mentions if m.label in ("GPE", "LOC", "FAC")}
    numbers = {m.group(0).replace(",", "") for m in _NUMBER.finditer(article.text)}
    return Facets(frozenset(p for p in persons if p), frozenset(p for p in places if p), frozenset(numbers))


def link_stories(articles: Iterable[Article], index: StoryIndex | None = None) -> StoryIndex:
    """File every article into `index` (a new one if None) and return it."""
    index = index or StoryIndex()
    index.add_all(articles)
    return index
