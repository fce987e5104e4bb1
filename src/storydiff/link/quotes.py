"""Quotes that several outlets report: identical, overlapping, or variant wordings of one remark.

Within each story, the distinct texts of its quotes are compared (only pairs of texts that share
words or a speaker, so a big story does not cost every pair), and each link holds every quote of
the texts it relates, one per article:

- `identical`: the same words once quote marks, case and punctuation are normalised;
- `overlap`: the shorter quote's words appear, in order, inside the longer one (a fragment, or a
  partial quote inside a full one); at least three words;
- `variant`: the same speaker (same entity, or same folded name), different wording, and high
  semantic plus some lexical similarity -- typically two translations of one statement.

Links whose quotes have known speakers that differ are reported by `speaker_conflicts` so the claim
alignment can flag a quote given to different speakers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz

from storydiff.embed import Embedder
from storydiff.link.figures import aligned, counted, masked
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
# USE-m3 spreads cosines lower than MiniLM: two translations of one remark score about .72, two
# different remarks of one speaker about .2-.4, and a variant needs the same speaker besides.
USE_THRESHOLDS = Thresholds(semantic=0.65, lexical=0.35)


def thresholds_for(embedder: Embedder) -> Thresholds:
    if embedder.name.startswith("lexical"):
        return LEXICAL_THRESHOLDS
    return USE_THRESHOLDS if embedder.name.startswith("use-") else MODEL_THRESHOLDS


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


def _overlapping(normal: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (i < j) of distinct texts one of which may hold the other: they share the shorter one's
    first three words (or, under three words, the whole text). Any other pair cannot overlap."""
    by_shingle: dict[str, set[int]] = {}
    heads: list[str] = []
    for i, text in enumerate(normal):
        words = text.split()
        heads.append(" ".join(words[:MIN_OVERLAP_WORDS]))
        for k in range(max(len(words) - MIN_OVERLAP_WORDS + 1, 1)):
            by_shingle.setdefault(" ".join(words[k : k + MIN_OVERLAP_WORDS]), set()).add(i)
    pairs: set[tuple[int, int]] = set()
    for i, head in enumerate(heads):
        pairs.update((min(i, j), max(i, j)) for j in by_shingle.get(head, ()) if j != i)
    return sorted(pairs)


def _variants(
    texts: Sequence[Sequence[str]],
    keys: Sequence[frozenset[str]],
    home: np.ndarray,
    related: Set[tuple[int, int]],
    embedder: Embedder,
    threshold: float,
) -> list[tuple[int, int, float]]:
    """Pairs (i < j) of texts with a shared speaker, from two articles, not already related by their
    words, whose vectors are at least `threshold` alike, with that similarity. `texts`: each text's
    pieces to compare, the whole first, then the parts of an interrupted quote (`“A,” he said. “B.”`
    against another outlet's B alone is one remark); two texts are as alike as their likest pieces.
    A speaker's pieces are compared as one matrix product, so a speaker quoted a thousand times costs
    no Python loop over every pair. `home`: each text's article number, or -1 for a text several
    articles carry."""
    by_speaker: dict[str, list[int]] = {}
    for i, speakers in enumerate(keys):
        for key in speakers:
            by_speaker.setdefault(key, []).append(i)
    groups = [np.array(g) for g in by_speaker.values() if len(g) > 1]
    partners: dict[int, list[int]] = {}
    for a, b in related:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    # a text needs a vector only when it has a partner to be a variant of
    masks = []
    for g in groups:
        h = home[g]
        mask = (h[:, None] != h[None, :]) | (h[:, None] < 0)
        np.fill_diagonal(mask, False)
        pos = {int(k): n for n, k in enumerate(g)}
        for n, k in enumerate(g.tolist()):
            for other in partners.get(k, ()):
                if other in pos:
                    mask[n, pos[other]] = False
        masks.append(mask)
    needed = sorted({int(k) for g, m in zip(groups, masks, strict=True) for k in g[m.any(axis=1)]})
    if not needed:
        return []
    rows_of: dict[int, list[int]] = {}
    pieces: list[str] = []
    for k in needed:
        rows_of[k] = list(range(len(pieces), len(pieces) + len(texts[k])))
        pieces.extend(texts[k])
    vectors = np.asarray(embedder.encode(pieces))
    found: dict[tuple[int, int], float] = {}
    for g, mask in zip(groups, masks, strict=True):
        keep = mask.any(axis=1)  # the mask is symmetric: a text with no partner here is left out
        g, mask = g[keep], mask[np.ix_(keep, keep)]
        rows = [r for k in g.tolist() for r in rows_of[k]]
        owner = np.array([n for n, k in enumerate(g.tolist()) for _ in rows_of[k]], dtype=np.int64)
        sims = np.full((len(g), len(g)), -np.inf)
        np.maximum.at(sims, (owner[:, None], owner[None, :]), vectors[rows] @ vectors[rows].T)
        for x, y in zip(*np.nonzero(np.triu(mask & (sims >= threshold), k=1)), strict=True):
            i, j = sorted((int(g[x]), int(g[y])))
            found[i, j] = float(sims[x, y])
    return sorted((i, j, sim) for (i, j), sim in found.items())


def _rounds(members: Sequence[Quote]) -> list[list[Quote]]:
    """Quotes of one text split into links of one quote per article: the first occurrence in each
    article, then the second ... A round left with one article borrows another article's first
    occurrence, so a quote an article repeats is still linked."""
    seen: dict[str, int] = {}
    rounds: list[list[int]] = []  # positions in `members`, so each round stays in text order
    for pos, q in enumerate(members):
        n = seen.get(q.article, 0)
        seen[q.article] = n + 1
        if n == len(rounds):
            rounds.append([])
        rounds[n].append(pos)
    firsts = rounds[0] if rounds else []
    out: list[list[Quote]] = []
    for group in rounds:
        if len(group) == 1:
            lone = members[group[0]].article
            other = next((pos for pos in firsts if members[pos].article != lone), None)
            if other is None:
                continue
            group = sorted([other, group[0]])
        out.append([members[pos] for pos in group])
    return out


def _joined(first: Sequence[Quote], second: Sequence[Quote]) -> list[str] | None:
    """One quote per article: `first`'s, then those of `second` from articles not yet present; or the
    other way round where `first` already holds every article of `second` (a partial quote two outlets
    both give, against one outlet's longer sentence around it: "a first step" in A and B against A's
    'called the deal "a first step"' links B's with A's longer one, not A's and B's again). None
    where no quote of one text sits in an article without a quote of the other."""
    for one, two in ((first, second), (second, first)):
        ids: list[str] = []
        articles: set[str] = set()
        for q in (*one, *two):
            if q.article not in articles:
                articles.add(q.article)
                ids.append(q.id)
        if len(ids) > len({q.article for q in one}):  # a quote of the other text made it in
            chosen = set(ids)
            return [q.id for q in (*first, *second) if q.id in chosen]  # `first`'s quotes first
    return None


def link_quotes(
    articles: Sequence[Article], stories: Mapping[str, list[str]], embedder: Embedder
) -> list[QuoteLink]:
    """Links between quotes of different articles in the same story (ids in text order).

    A remark many outlets carry is one link holding all of them, not a link per pair, so a wire
    quote reprinted by fifty outlets costs fifty ids rather than 1,225 pairs. Each text is compared
    once: `identical` links the quotes of one normalised text (one per article); `overlap` and
    `variant` link a text's quotes with another text's, the shorter or first text's quotes first.
    """
    by_id = {a.id: a for a in articles}
    th = thresholds_for(embedder)
    links: list[QuoteLink] = []
    for story_articles in stories.values():
        quotes = [q for aid in story_articles if aid in by_id for q in by_id[aid].quotes if q.text.strip()]
        if len(quotes) < 2 or len({q.article for q in quotes}) < 2:
            continue
        groups: dict[str, list[Quote]] = {}
        for q in quotes:
            groups.setdefault(normalise(q.text), []).append(q)
        normal = [text for text in groups if text]
        members = [groups[text] for text in normal]
        for group in members:
            links.extend(QuoteLink([q.id for q in r], "identical", 1.0) for r in _rounds(group))
        keys = [frozenset(k for q in group if (k := speaker_key(q)) is not None) for group in members]
        homes = [{q.article for q in group} for group in members]
        # each text's article as a number, or -1 for a text several articles carry
        number: dict[str, int] = {}
        home_no = np.array([number.setdefault(min(h), len(number)) if len(h) == 1 else -1 for h in homes])
        found: list[tuple[int, int, QuoteLink]] = []
        related: set[tuple[int, int]] = set()
        for i, j in _overlapping(normal):
            textual = _relation(normal[i], normal[j]) if len(homes[i] | homes[j]) >= 2 else None
            if textual is not None:
                related.add((i, j))
                short, long_ = (i, j) if len(normal[i]) <= len(normal[j]) else (j, i)
                if ids := _joined(members[short], members[long_]):
                    found.append((i, j, QuoteLink(ids, "overlap", round(textual[1], 4))))

        texts = [_pieces(group[0]) for group in members]
        for i, j, semantic in _variants(texts, keys, home_no, related, embedder, th.semantic):
            lexical = fuzz.token_set_ratio(normal[i], normal[j]) / 100
            if lexical >= th.lexical and (ids := _joined(members[i], members[j])):
                found.append((i, j, QuoteLink(ids, "variant", round(semantic, 4))))
        links.extend(link for _, _, link in sorted(found, key=lambda f: (f[0], f[1])))
    return links


def _pieces(quote: Quote) -> list[str]:
    """What a quote's vectors are made of, its figures masked (`figures.masked`): its text, then, for
    an interrupted quote, each of its parts."""
    if len(quote.parts) < 2:
        return [masked(quote.text)]
    at = quote.span.start
    return [masked(quote.text), *(masked(quote.text[p.start - at : p.end - at]) for p in quote.parts)]


def speaker_conflicts(
    links: Sequence[QuoteLink], quotes: Mapping[str, Quote], people: Set[str] | None = None
) -> list[tuple[QuoteLink, str]]:
    """Identical or overlapping quotes whose known speakers differ: the link narrowed to the quotes
    with a known speaker, and a line saying who is who. `people`: the cross-outlet entities that are
    persons, when known; then only quotes given to one of them count (a ministry and its minister, a
    fire department and its chief, are no conflict)."""
    out: list[tuple[QuoteLink, str]] = []
    for link in links:
        if link.relation == "variant":
            continue
        keyed = (
            (quotes[q], speaker_key(quotes[q]))
            for q in link.quotes
            if _attributable(quotes[q]) and (people is None or quotes[q].speaker.entity in people)
        )
        named = [(q, key) for q, key in keyed if key is not None]
        names: dict[str, str] = {}
        mentions: dict[str, str] = {}
        for q, key in named:
            names.setdefault(key, q.speaker.name or "")
            mentions.setdefault(key, q.speaker.mention_text or "")
        if _different_people(list(names.values()), list(mentions.values())):
            narrowed = QuoteLink([q.id for q, _ in named], link.relation, link.score)
            out.append((narrowed, "quote attributed to " + " vs ".join(names.values())))
    # links of one remark's parts (the whole quote, a fragment of it) narrow to the same quotes:
    # one conflict, as sure as the surest of those links
    best: dict[frozenset[str], tuple[QuoteLink, str]] = {}
    for found in out:
        quoted = frozenset(found[0].quotes)
        if quoted not in best or found[0].score > best[quoted][0].score:
            best[quoted] = found
    return [found for found in out if best[frozenset(found[0].quotes)] is found]


def misquoted_figures(
    links: Sequence[QuoteLink], quotes: Mapping[str, Quote], outlet: Mapping[str, str]
) -> list[tuple[QuoteLink, str]]:
    """One speaker's remark given with a figure two ways, in one outlet's quotation marks and in
    another's quotation marks or paraphrase: the words around the figure the same, the figure not
    (`“We have found 14 bodies so far”` against `“We have found 12 bodies so far”`, or `“The inquiry
    will report within three months”` against `he said the inquiry would report within six months`).
    Each such pair of quotes (of a `variant` link) once, with a line naming the figures and outlets.
    One side presents the words as the speaker's own, so they cannot both be right; two paraphrases
    are left to the claims (a sentence in quotation marks is no claim, so nothing is raised twice)."""
    out: list[tuple[QuoteLink, str]] = []
    for link in links:
        if link.relation != "variant":
            continue
        for a, b in combinations([quotes[q] for q in link.quotes], 2):
            marked = (a.kind in ("direct", "partial")) + (b.kind in ("direct", "partial"))
            if a.article == b.article or not marked:
                continue
            differ = [p for p in aligned(a.text, b.text) if p.clash and p.equal_run and p.before]
            if differ:
                lines = []
                for p in differ[:2]:
                    what = counted(a.text, p.a)
                    lines.append(f"quoted{' ' + what if what else ''}: {p.a.text} ({outlet[a.article]}) "
                                 f"vs {p.b.text} ({outlet[b.article]})")  # fmt: skip
                out.append((QuoteLink([a.id, b.id], link.relation, link.score), "; ".join(lines)))
    return out


# A quote shorter than this is a phrase two writers may both use ("the job", "the polar bear"), not a
# remark only one person can have made: two speakers for it are no conflict.
CONFLICT_WORDS = 5


def _attributable(quote: Quote) -> bool:
    """A quote whose speaker can be in conflict: words in quotation marks (reported speech is the
    outlet's wording, and its speaker the extractor's reading of the clause), named by the outlet
    beside it, one a reader is shown (#35's confidence), and long enough to be one person's remark."""
    from storydiff.extract.confidence import shown

    # a speaker found through "he" or a continued quote is the extractor's guess, not the outlet's word
    named = quote.speaker.how in ("named", "organisation")
    quoted = quote.kind in ("direct", "partial")
    return quoted and named and shown(quote) and len(quote.text.split()) >= CONFLICT_WORDS


def _different_people(names: Sequence[str], mentions: Sequence[str] = ()) -> bool:
    """Whether two of these names must be different people: a name that is part of another (Oppal,
    Wally Oppal), also across spellings (Sergei / Sergey Volkov), and two names with one surname (Fred /
    Frederick LaRue) may be the same person, and a conflict is raised only between names that cannot be."""
    from storydiff.link.entities import strip_titles, translit_key

    # a joint statement names a group ("Zadan and Meron"): it agrees with a speaker in the group
    groups = [[translit_key(strip_titles(m)).split() for m in _MEMBERS.split(n) if m.strip()] for n in names]

    def apart(a: list[str], b: list[str]) -> bool:
        # one surname may be one person under a short first name or a role (Fred / Frederick LaRue)
        wa, wb = frozenset(a), frozenset(b)
        return not (wa <= wb or wb <= wa) and not _one_surname(a[-1:], b[-1:])

    # the words an outlet named a speaker with may hold the other name ("Central Mat-Su Fire
    # Department Chief James Steele", resolved to the department)
    said = [f" {translit_key(m)} " for m in mentions]

    def named_in(i: int, j: int) -> bool:
        name = translit_key(strip_titles(names[i])).strip()
        return j < len(said) and bool(name) and f" {name} " in said[j]

    def groups_apart(i: int, j: int) -> bool:
        if named_in(i, j) or named_in(j, i):
            return False
        return bool(groups[i] and groups[j]) and all(apart(a, b) for a in groups[i] for b in groups[j])

    return any(groups_apart(i, j) for i in range(len(names)) for j in range(i + 1, len(names)))


_MEMBERS = re.compile(r",|&|\band\b", re.IGNORECASE)


def _one_surname(a: list[str], b: list[str]) -> bool:
    """The same surname, or one an outlet misspelled by a letter (Wetzler, Welzler)."""
    from rapidfuzz.distance import Levenshtein

    if a == b:
        return True
    return bool(a and b) and min(len(a[0]), len(b[0])) >= 5 and Levenshtein.distance(a[0], b[0]) <= 1
