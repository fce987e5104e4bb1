"""Same event or not: a learned decision over pairs of claims from two articles of one story.

A claim is read as a fact about an event: its predicate (`Claim.values["predicate"]`), its
participants (the cross-outlet entities mentioned in it), its wording (a sentence embedding and
its content words) and where it stands in its article. For two claims of different articles,
`pair_features` turns those into a few numbers and `EventModel` -- a logistic regression trained on
ECB+ topics 1-35 only (`training/train_events.py`, settings chosen by folds over topics) -- turns
them into the probability that both report the same event.

The model never sees the slot values (numbers, dates, places) it is later asked to compare: a
discrepancy is "same event, different value", and a model that had learned "different numbers,
different event" would explain every real discrepancy away.

`event_groups` then joins claims into events by average linkage over those probabilities, so an
event reported by ten outlets is one group, and a chain of loose matches does not grow one group
over a whole story.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
from scipy import sparse

from storydiff.link.stories import STOPWORDS, content_words
from storydiff.model import Article, Claim, EntityMention

FloatArray = npt.NDArray[np.float64]

# the model's inputs, in order (the weights file names them too, and must agree)
FEATURES = (
    "cosine",  # sentence-embedding cosine of the two claims
    "words",  # TF-IDF cosine of their content words (IDF over the story's claims)
    "predicate",  # same predicate lemma (1), different (-1), one missing (0)
    "participants",  # shared cross-outlet entities, at most 3
    "participants_jaccard",  # shared over all entities of the two claims
    "articles",  # embedding cosine of the two articles (mean of their claims)
    "first",  # log(1 + position of the earlier-placed claim in its article)
    "second",  # log(1 + position of the later-placed one)
    "days",  # log(1 + days between the two articles' `published`), 0 when either is missing
    "dated",  # both articles have `published`
    "cosine_x_articles",  # the claim cosine where the articles are close
    "article_words",  # TF-IDF cosine of the two whole articles (IDF over the story's articles)
    "article_entities",  # Jaccard of the two articles' entities: two quakes differ in places and names
    "words_x_article_entities",  # claim wording alike in articles about the same people and places
    "article_years",  # the articles name a year in common (1), only different years (-1), else 0
    "article_numbers",  # Jaccard of the figures the two articles give (tolls, scores, ages)
)

_YEAR = re.compile(r"(?<![\d,.])(?:19|20)\d\d(?![\d,])")
_FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*(?![\w]|[.,]\d)")


@dataclass(frozen=True, slots=True)
class EventModel:
    mean: FloatArray
    scale: FloatArray
    coef: FloatArray
    intercept: float
    group_threshold: float  # average same-event probability that joins two groups
    discrepancy_threshold: float  # least probability of one pair for a discrepancy to be raised

    def probability(self, x: FloatArray) -> FloatArray:
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        out: FloatArray = 1.0 / (1.0 + np.exp(-z))
        return out

    @classmethod
    def from_json(cls, data: dict[str, object]) -> EventModel:
        if tuple(data["features"]) != FEATURES:  # type: ignore[arg-type]
            raise ValueError("events model was trained on other features; retrain it")

        def arr(key: str) -> FloatArray:
            return np.asarray(data[key], dtype=np.float64)

        return cls(
            arr("mean"),
            arr("scale"),
            arr("coef"),
            float(data["intercept"]),  # type: ignore[arg-type]
            float(data["group_threshold"]),  # type: ignore[arg-type]
            float(data["discrepancy_threshold"]),  # type: ignore[arg-type]
        )


@lru_cache(maxsize=1)
def default_model() -> EventModel:
    text = resources.files("storydiff").joinpath("data/events.json").read_text(encoding="utf-8")
    return EventModel.from_json(json.loads(text))


def _key(mention: EntityMention) -> str:
    """A mention's cross-outlet entity, else its folded name."""
    from storydiff.link.entities import fold

    return mention.entity or "n:" + fold(mention.canonical)


def participants(article: Article, claim: Claim) -> frozenset[str]:
    """The cross-outlet entities (else folded names) mentioned inside a claim."""
    return frozenset(_key(m) for m in article.mentions if claim.span.contains(m.span))


_WORD = re.compile(r"\w+")
# a person a claim names: where, in the claim's text, and the words of the name (folded)
Name = tuple[int, int, frozenset[str]]


def people(article: Article) -> list[tuple[EntityMention, frozenset[str]]]:
    """The persons an article names who may own a figure, each mention with its words (folded). A name
    of one word counts only as the last word of a person the article names in full ("Klitschko" after
    "Wladimir Klitschko"): the tagger also calls "Olympic" or "Burnsville" a person."""
    named = [(m, _name_words(m.text)) for m in article.mentions if m.label == "PERSON"]
    surnames = {words[-1] for _, words in named if len(words) > 1}
    return [(m, frozenset(words)) for m, words in named if len(words) > 1 or (words and words[0] in surnames)]


def persons(claim: Claim, named: Sequence[tuple[EntityMention, frozenset[str]]]) -> tuple[Name, ...]:
    """The people a claim names (of its article's `people`), with their offsets into its text: what a
    figure's owner is read from."""
    start = claim.span.start
    return tuple(
        (m.span.start - start, m.span.end - start, words) for m, words in named if claim.span.contains(m.span)
    )


def _name_words(name: str) -> list[str]:
    """A name's words, folded, without a possessive's "s" ("Rodney Buford ’ s")."""
    return [w for w in _WORD.findall(name.casefold()) if w != "s"]


# the kinds of name that can be the one who does what a claim says
_AGENT_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
# words that join two phrases ("Riva and Steinberg", "a helicopter from Christchurch"): no modifier's
_JOINING = frozenset({
    "and", "or", "but", "nor", "as", "than", "via", "about", "above", "aboard", "across", "after", "against",
    "along", "among", "around", "at", "before", "behind", "below", "beside", "between", "by", "during", "for",
    "from", "in", "inside", "into", "near", "of", "off", "on", "onto", "over", "past", "since", "through",
    "to", "toward", "under", "until", "upon", "with", "within", "without",
})  # fmt: skip
# at most three words, no punctuation, between a subject's modifier and the name heading its phrase
_PHRASE_GAP = re.compile(r"(?:\s+[A-Za-z][\w'-]*){0,3}\s+")


def agent(article: Article, claim: Claim) -> str | None:
    """The subject of a claim's predicate, as its folded head word, when it is part of a name ("Jamal
    Williams, the defensive tackle, was arrested": "williams"); None when the subject is not a name
    ("he", "police") or the parser found none."""
    event, predicate = claim.values.get("event"), claim.values.get("predicate")
    if not event or not predicate:
        return None
    subject = event.split(" ")[0]
    if subject == predicate:  # "predicate object": no subject
        return None
    named = sorted(
        (m for m in article.mentions if m.label in _AGENT_LABELS and claim.span.contains(m.span)),
        key=lambda m: m.span.start,
    )
    # The parser may take a modifier for the subject ("Harlow Rangers wide receiver Tomas Quell was
    # arrested": "rangers"). An English noun phrase ends in its head, so a name that follows the word
    # within its phrase (a few words, no punctuation or joining word between), and that the predicate
    # follows, is who did it; not a name across the predicate ("Ford bought Volvo").
    found = re.search(rf"\b{re.escape(subject)}\b", claim.text, re.IGNORECASE)
    if found is not None:
        end = claim.span.start + found.end()
        for m in named:
            between = article.text[end : m.span.start] if m.span.start >= end else ""
            after = article.text[m.span.end : m.span.end + 30].casefold().split()[:3]
            if (
                _PHRASE_GAP.fullmatch(between)
                and not any(_joining(w, predicate) for w in between.split())
                and any(w.startswith(predicate[:4]) for w in after)
            ):
                words = _name_words(m.text)
                return words[-1] if words else None
    for m in named:
        if subject in m.text.casefold().split():
            return subject
    return None


def _joining(word: str, predicate: str) -> bool:
    """A word that cannot stand between a noun phrase's modifier and its head: a function word, a
    preposition or conjunction, or the predicate itself ("Police arrested Tomas Quell")."""
    w = word.casefold()
    return w in STOPWORDS or w in _JOINING or w.startswith(predicate[:3])


def _tfidf(texts: Sequence[str]) -> list[dict[str, float]]:
    bags = [Counter(content_words(t)) for t in texts]
    df: Counter[str] = Counter(w for bag in bags for w in bag)
    n = len(texts)
    out = []
    for bag in bags:
        vec = {w: (1 + math.log(k)) * math.log((1 + n) / (1 + df[w])) for w, k in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        out.append({w: v / norm for w, v in vec.items()})
    return out


@dataclass(slots=True)
class StoryClaims:
    """A story's claims with what the pair features read, computed once per story."""

    claims: list[Claim]
    art_no: npt.NDArray[np.int64]  # which of the story's articles each claim is in
    vectors: npt.NDArray[np.float32]  # L2-normalised sentence embeddings
    words: list[dict[str, float]]
    entities: list[frozenset[str]]
    predicates: list[str | None]
    agents: list[str | None]  # `agent` of each claim: its named subject's head word
    persons: list[tuple[Name, ...]]  # `persons` of each claim
    position: npt.NDArray[np.float64]  # log(1 + the claim's place among its article's claims)
    article_cos: FloatArray  # article-by-article cosine of mean claim vectors
    article_words: FloatArray  # article-by-article TF-IDF cosine
    article_entities: FloatArray  # article-by-article Jaccard of entities
    article_years: FloatArray  # article-by-article: a year in common (1), only other years (-1)
    article_numbers: FloatArray  # article-by-article Jaccard of figures
    days: FloatArray  # article-by-article log(1 + days apart); 0 where undated
    dated: FloatArray  # article-by-article: both dated


def story_claims(articles: Sequence[Article], vectors: npt.NDArray[np.float32]) -> StoryClaims:
    """`vectors`: the embeddings of the articles' claims, article after article."""
    claims = [c for a in articles for c in a.claims]
    counts = [len(a.claims) for a in articles]
    art_no = np.repeat(np.arange(len(articles)), counts).astype(np.int64)
    position = np.concatenate([np.log1p(np.arange(k, dtype=np.float64)) for k in counts] or [np.zeros(0)])
    centroids = np.zeros((len(articles), vectors.shape[1] if vectors.ndim == 2 else 1))
    for k in range(len(articles)):
        if counts[k]:
            v = vectors[art_no == k].mean(axis=0)
            centroids[k] = v / (np.linalg.norm(v) or 1.0)
    days = np.zeros((len(articles), len(articles)))
    dated = np.zeros_like(days)
    for i, a in enumerate(articles):
        for j, b in enumerate(articles):
            if a.published is not None and b.published is not None:
                gap = abs((a.published.replace(tzinfo=None) - b.published.replace(tzinfo=None)).days)
                days[i, j], dated[i, j] = math.log1p(gap), 1.0
    by_article = {a.id: a for a in articles}
    named = {a.id: people(a) for a in articles}
    bags = _tfidf([a.text for a in articles])
    article_words = _cooccurrence(bags)
    names = [_entities(a) for a in articles]
    article_entities = _jaccard(names)
    years = [frozenset(_YEAR.findall(a.text)) for a in articles]
    article_years = np.array([[(1.0 if x & y else -1.0) if x and y else 0.0 for y in years] for x in years])
    article_numbers = _jaccard([frozenset(_FIGURE.findall(a.text)) for a in articles])
    return StoryClaims(
        claims=claims,
        art_no=art_no,
        vectors=vectors,
        words=_tfidf([c.text for c in claims]),
        entities=[participants(by_article[c.article], c) for c in claims],
        predicates=[c.values.get("predicate") for c in claims],
        agents=[agent(by_article[c.article], c) for c in claims],
        persons=[persons(c, named[c.article]) for c in claims],
        position=position,
        article_cos=centroids @ centroids.T,
        article_words=article_words,
        article_entities=article_entities,
        article_years=article_years,
        article_numbers=article_numbers,
        days=days,
        dated=dated,
    )


def _jaccard(sets: Sequence[frozenset[str]]) -> FloatArray:
    return np.array([[len(x & y) / len(x | y) if x | y else 0.0 for y in sets] for x in sets])


def _entities(article: Article) -> frozenset[str]:
    return frozenset(
        _key(m) for m in article.mentions if m.label in ("PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT")
    )


def _cooccurrence(bags: Sequence[dict[str, float]]) -> FloatArray:
    """Row-by-row sums over shared keys of weight x weight (dot products of sparse rows): one
    sparse product over the keys that two rows or more hold, so a key one row alone holds is not
    counted, on the diagonal either. (A dense outer product per key cost a story of many claims
    most of its pair features.)"""
    columns: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    values: list[float] = []
    for i, bag in enumerate(bags):
        for key, weight in bag.items():
            rows.append(i)
            cols.append(columns.setdefault(key, len(columns)))
            values.append(weight)
    n = len(bags)
    if not values:
        return np.zeros((n, n))
    held = np.bincount(np.asarray(cols), minlength=len(columns))
    matrix = sparse.csr_matrix((values, (rows, cols)), shape=(n, len(columns)))[:, np.flatnonzero(held > 1)]
    out: FloatArray = np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)
    return out


@dataclass(frozen=True, slots=True)
class Overlaps:
    """Claim-by-claim matrices the pair features read: computed once per story, then read per pair."""

    cosine: FloatArray
    words: FloatArray
    shared_entities: FloatArray
    entity_counts: FloatArray
    predicate_ids: npt.NDArray[np.int64]  # -1: no predicate

    @classmethod
    def of(cls, sc: StoryClaims) -> Overlaps:
        predicate = {p: k for k, p in enumerate(dict.fromkeys(p for p in sc.predicates if p is not None))}
        return cls(
            cosine=(sc.vectors @ sc.vectors.T).astype(np.float64),
            words=_cooccurrence(sc.words),
            shared_entities=_cooccurrence([dict.fromkeys(e, 1.0) for e in sc.entities]),
            entity_counts=np.array([len(e) for e in sc.entities], dtype=np.float64),
            predicate_ids=np.array(
                [predicate.get(p, -1) if p is not None else -1 for p in sc.predicates], dtype=np.int64
            ),  # fmt: skip
        )


def pair_features(
    sc: StoryClaims,
    rows: Sequence[int] | npt.NDArray[np.int64],
    cols: Sequence[int] | npt.NDArray[np.int64],
    overlaps: Overlaps | None = None,
) -> FloatArray:
    """One row of `FEATURES` for each pair (rows[k], cols[k]) of claims in different articles.

    `overlaps`: the story's `Overlaps`, when the caller reads several blocks of pairs."""
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    x = np.zeros((len(r), len(FEATURES)))
    if not len(r):
        return x
    o = overlaps or Overlaps.of(sc)
    x[:, 0] = o.cosine[r, c]
    x[:, 1] = o.words[r, c]
    pid = o.predicate_ids
    known = (pid[r] >= 0) & (pid[c] >= 0)
    x[:, 2] = np.where(known, np.where(pid[r] == pid[c], 1.0, -1.0), 0.0)
    shared = o.shared_entities[r, c]
    union = o.entity_counts[r] + o.entity_counts[c] - shared
    x[:, 3] = np.minimum(shared, 3)
    x[:, 4] = np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)
    ai, aj = sc.art_no[r], sc.art_no[c]
    x[:, 5] = sc.article_cos[ai, aj]
    x[:, 6] = np.minimum(sc.position[r], sc.position[c])
    x[:, 7] = np.maximum(sc.position[r], sc.position[c])
    x[:, 8] = sc.days[ai, aj]
    x[:, 9] = sc.dated[ai, aj]
    x[:, 10] = x[:, 0] * x[:, 5]
    x[:, 11] = sc.article_words[ai, aj]
    x[:, 12] = sc.article_entities[ai, aj]
    x[:, 13] = x[:, 1] * x[:, 12]
    x[:, 14] = sc.article_years[ai, aj]
    x[:, 15] = sc.article_numbers[ai, aj]
    return x


def other_agents(sc: StoryClaims) -> npt.NDArray[np.bool_]:
    """Claim by claim: the two predicates have named subjects that differ, and neither claim has the
    other's subject among its words -- two things done by two different people or bodies ("Jackson was
    arrested" / "Williams was arrested"; not "Jackson met Williams" / "Williams met Jackson"). Names
    are compared by word, as a headline's name may be tagged other than the body's ("Esther Williams
    Dies at 91")."""
    n = len(sc.claims)
    out = np.zeros((n, n), dtype=bool)
    subjects = [(k, a) for k, a in enumerate(sc.agents) if a is not None]
    if not subjects:
        return out
    named = np.array([k for k, _ in subjects], dtype=np.int64)
    number: dict[str, int] = {}
    agent_no = np.array([number.setdefault(a, len(number)) for _, a in subjects])
    names = list(number)
    words = [set(_WORD.findall(sc.claims[k].text.casefold())) for k in named]
    # holds[x, y]: named claim x has every word of the name y among its words
    holds = np.array([[set(_WORD.findall(name)) <= w for name in names] for w in words], dtype=bool)
    says = holds[:, agent_no]  # says[x, y]: claim x names claim y's subject
    differ = (agent_no[:, None] != agent_no[None, :]) & ~says & ~says.T
    out[np.ix_(named, named)] = differ
    return out


def probabilities(sc: StoryClaims, model: EventModel) -> FloatArray:
    """The symmetric claim-by-claim matrix of same-event probabilities (0 within one article),
    computed one article's rows at a time: a story window of thousands of claims never holds the
    features of all its pairs at once."""
    n = len(sc.claims)
    prob = np.zeros((n, n))
    overlaps = Overlaps.of(sc)
    for k in np.unique(sc.art_no).tolist():
        rows_k = np.nonzero(sc.art_no == k)[0]
        later = np.nonzero(sc.art_no > k)[0]
        if len(later):
            r, c = np.repeat(rows_k, len(later)), np.tile(later, len(rows_k))
            prob[r, c] = model.probability(pair_features(sc, r, c, overlaps))
    return prob + prob.T


def cross_pairs(art_no: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Every pair (i < j) of claims in different articles."""
    i, j = np.triu_indices(len(art_no), k=1)
    keep = art_no[i] != art_no[j]
    return i[keep].astype(np.int64), j[keep].astype(np.int64)


def event_groups(
    n: int, art_no: npt.NDArray[np.int64], prob: FloatArray, threshold: float
) -> list[list[int]]:
    """Claims joined into events by average linkage over same-event probabilities.

    `prob` is the n-by-n matrix of pair probabilities (pairs within one article are not read: the
    model says nothing of them, and two claims of one article join only through other articles).
    Pairs are taken strongest first; two groups join when the mean probability over their
    cross-article pairs reaches `threshold`.
    """
    cross = (art_no[:, None] != art_no[None, :]).astype(np.float64)
    weighted = np.where(cross > 0, prob, 0.0)
    # between-group sums of probabilities and counts of cross-article pairs, kept up to date as groups
    # merge (a merge adds one row and column to another), so each check reads two numbers
    sums, counts = weighted.copy(), cross.copy()
    group = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    i_idx, j_idx = np.nonzero(np.triu(weighted >= threshold, k=1))
    order = np.argsort(-weighted[i_idx, j_idx], kind="stable")
    for k in order.tolist():
        gi, gj = group[int(i_idx[k])], group[int(j_idx[k])]
        if gi == gj:
            continue
        if counts[gi, gj] == 0 or sums[gi, gj] / counts[gi, gj] < threshold:
            continue
        a, b = members[gi], members[gj]
        if len(a) < len(b):
            gi, gj, a, b = gj, gi, b, a
        a.extend(b)
        for m in b:
            group[m] = gi
        del members[gj]
        for matrix in (sums, counts):
            matrix[gi, :] += matrix[gj, :]
            matrix[:, gi] += matrix[:, gj]
    return sorted(members.values(), key=min)


# Least sentence-embedding cosine between a claim and some claim of another article in its event group
# for it to stay there (`alike_groups`). In a story of few articles the event model, led by what the
# articles share, gives nearly every pair .9 or more, and a fact one outlet alone gives ("Rescuers
# drilled a narrow shaft") was shown as corroborated. On ECB+ 1-35 (published) .3 moves the pairs by
# a thousandth (P .724, R .709 -> .708) and no planted figure of the slices of seeds 11 and 7; .4
# takes out facts both outlets give in other words (R .700), .5 more (R .679).
ALIKE_FLOOR = 0.3


def alike_groups(
    groups: Sequence[Sequence[int]],
    art_no: npt.NDArray[np.int64],
    vectors: np.ndarray,
    floor: float = ALIKE_FLOOR,
) -> list[list[int]]:
    """`groups` less the claims that nothing of another article in their group says alike (cosine of
    their unit `vectors` under `floor`): each becomes a group of its own, reported by its article
    alone. Only each group's own cosines are computed."""
    out: list[list[int]] = []
    for group in groups:
        members = np.asarray(group, dtype=np.int64)
        other = art_no[members][:, None] != art_no[members][None, :]
        alike = (other & (vectors[members] @ vectors[members].T >= floor)).any(axis=1)
        if alike.any():
            out.append(members[alike].tolist())
        out += [[int(m)] for m in members[~alike]]
    return sorted(out, key=min)


def mutual_best(prob: FloatArray, art_no: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """Pairs each of whose claims is the other's likeliest same-event partner in the other's article
    (ties count for both): where two outlets report one fact, these are the sentences that say it."""
    n_articles = int(art_no.max()) + 1 if len(art_no) else 0
    best = np.full((len(art_no), n_articles), -np.inf)  # best[i, k]: claim i's likeliest in article k
    for k in range(n_articles):
        cols = art_no == k
        if cols.any():
            best[:, k] = prob[:, cols].max(axis=1)
    out: npt.NDArray[np.bool_] = (
        (prob >= best[:, art_no]) & (prob >= best[:, art_no].T) & (art_no[:, None] != art_no[None, :])
    )
    return out
