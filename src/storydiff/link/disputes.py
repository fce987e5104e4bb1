"""One outlet disputing what another reports: `disputed` alignments, both sides named.

The decision is the FNC-1 stance model's (`link.stance`, trained on FNC-1 `train_*` only), asked
the question it was trained on: does this article body disagree with this headline-like statement?
A statement is one of the first `LEAD` claims or quotes of an article (what a headline would say)
that does not itself deny anything; the body is another article of the story. The stance model
judges a body as a whole, and words like "denied" sway it whatever is denied, so where its likeliest
answer is `disagree` the finding must also name the sentence that disputes: a claim or quote of the
other article that carries a refuting word ("denied", "false", "a hoax" ...) and whose disputed
words (what follows a verb of denial, else the whole sentence) mean what the statement says, by
sentence embedding. No such sentence, no finding: a dispute a reader cannot see in the words is not
shown.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np

from storydiff.embed import Embedder
from storydiff.link.stance import LABELS, StanceScorer, tokens
from storydiff.link.stories import content_words
from storydiff.model import Alignment, Article, Claim, Quote, outlet_label

LEAD = 4  # statements of an article asked about: its first claims and quotes, in text order
_DISAGREE = LABELS.index("disagree")
# verbs whose object is what is disputed ("denied that the ferry was overloaded")
_DENIALS = frozenset({"deny", "denies", "denied", "denying", "reject", "rejects", "rejected", "rejecting",
                      "dispute", "disputes", "disputed", "disputing", "refute", "refutes", "refuted",
                      "dismiss", "dismisses", "dismissed", "contradict", "contradicts", "contradicted",
                      "contest", "contests", "contested", "debunk", "debunked", "retract",
                      "retracted"})  # fmt: skip
# words that refute. Not the stance model's hedges ("doubts remain", "rumour"), which only question,
# nor a bare "not": "the cause has not been determined" disputes nothing (on ECB+ such sentences
# made most of the flags)
_CUES = _DENIALS | {"false", "untrue", "fake", "hoax", "bogus", "baseless", "fabricated", "misleading"}
_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
# a word after which a verb of denial is a noun: a determiner or a possessive
_NOUN_BEFORE = re.compile(r"the|a|an|this|these|those|its|his|her|their|our|my|your|\w+'s")
_NEGATIONS = frozenset({"not", "never", "no", "didn't", "doesn't", "don't", "won't", "cannot", "wouldn't",
                        "isn't", "wasn't", "aren't", "weren't", "hasn't", "haven't", "hadn't",
                        "couldn't"})  # fmt: skip


Statement = Claim | Quote  # one side of a dispute: a claim or a quote of one article


def statements(article: Article) -> list[Statement]:
    """The article's claims and quotes in text order."""
    items: list[Statement] = [*article.claims, *article.quotes]
    return sorted(items, key=lambda s: (s.span.start, s.span.end))


def find_disputes(
    story_id: str, articles: Sequence[Article], scorer: StanceScorer, embedder: Embedder
) -> list[Alignment]:
    """`disputed` alignments of one story: [the statement, the sentence that disputes it].

    Each disputing sentence is given once, against the statement it comes closest to. Only
    articles with a sentence that refutes are asked about at all, so the stance model runs on few
    pairs, and the sentences involved are embedded once.
    """
    if len(articles) < 2:
        return []
    said = {a.id: statements(a) for a in articles}
    disputing = {a.id: [(s, w) for s in said[a.id] if (w := disputed_words(s.text))] for a in articles}
    # a statement that itself denies is one side of a dispute already, not a report to dispute: one
    # with refuting words, the words of a denial ("denied the accusations"), or a negated one (to deny
    # "there was no tsunami risk" is to agree with it)
    refuting = {s.id for pairs in disputing.values() for s, _ in pairs}
    refuting |= {s.id for ss in said.values() for s in ss if _negated(s)}
    reports = {a.id: [s for s in said[a.id] if s.id not in refuting] for a in articles}
    if not any(disputing.values()):
        return []
    # past its lead, a statement is asked about only where another article's refuting words name it
    # nearly ("denied that the ferry was overloaded" / "the ferry was overloaded, with people standing
    # on the car deck", a fifth paragraph's quote); only one that shares a content word with them
    # is embedded to see (most of a long story's statements share none)
    words = {b: {v for _, w in pairs for v in content_words(w)} for b, pairs in disputing.items() if pairs}
    later = [
        (s, b)
        for a in articles
        for s in reports[a.id][LEAD:]
        for b in words
        if b != a.id and words[b].intersection(content_words(s.text))
    ]
    texts = list(dict.fromkeys([s.text for s, _ in later] + [w for _, b in later for _, w in disputing[b]]))
    vectors = dict(zip(texts, embedder.encode(texts), strict=True)) if later else {}
    asks: list[tuple[Statement, Article]] = [
        (s, b)
        for a in articles
        for s in reports[a.id][:LEAD]
        for b in articles
        if b.id != a.id and disputing[b.id]
    ]
    by_id = {a.id: a for a in articles}
    asks += [
        (s, by_id[b]) for s, b in later if closest(s.text, [w for _, w in disputing[b]], vectors)[1] >= NAMED
    ]
    if not asks:
        return []
    # once per disputing article (a comprehension over `asks` would profile it once per ask)
    profiles = {b.id: scorer.profile(b.text) for b in {b.id: b for _, b in asks}.values()}
    # once per statement's words and body: a wire story's copies ask the same question again
    questions = list(dict.fromkeys((s.text, b.id) for s, b in asks))
    X = np.asarray([scorer.features(text, profiles[b]) for text, b in questions], dtype=np.float64)
    answer = dict(zip(questions, scorer.predict_proba(X), strict=True))
    proba = [answer[s.text, b.id] for s, b in asks]
    # the stance model judges a body against a headline: where it answers `disagree` for one of an
    # article's lead statements, the body disputes that article, and another of its lead statements
    # may be the one the refuting words name ("denied reports that the yard would close" is closest to
    # "The yard will close in May", the answer fell on "The yard will close in May, putting 640 jobs
    # at risk, the owners said"): such a statement is taken only where it is `NAMED` alike
    answered = [int(p.argmax()) == _DISAGREE for p in proba]  # `disagree` for this statement itself
    disagree: dict[tuple[str, str], float] = {}
    for (s, b), p, o in zip(asks, proba, answered, strict=True):
        if o:
            disagree[s.article, b.id] = max(disagree.get((s.article, b.id), 0.0), float(p[_DISAGREE]))
    hits = [(s, b, p, o) for (s, b), p, o in zip(asks, proba, answered, strict=True)
            if (s.article, b.id) in disagree]  # fmt: skip
    if not hits:
        return []
    texts = [s.text for s, _, _, _ in hits] + [w for _, b, _, _ in hits for _, w in disputing[b.id]]
    texts = [t for t in dict.fromkeys(texts) if t not in vectors]
    vectors.update(zip(texts, embedder.encode(texts), strict=True))
    label = {a.id: outlet_label(a) for a in articles}
    # each disputing sentence is given once, against the statement it comes closest to
    found: dict[str, tuple[float, Alignment]] = {}
    for s, b, p, own in hits:
        pieces = disputing[b.id]
        k, sim = closest(s.text, [w for _, w in pieces], vectors)
        side = pieces[k][0]
        if sim < (MIN_SIMILARITY if own else NAMED) or (side.id in found and found[side.id][0] >= sim):
            continue
        detail = f"{label[b.id]} disputes what {label[s.article]} reports"
        confidence = round(float(p[_DISAGREE]) if own else disagree[s.article, b.id], 3)
        found[side.id] = (sim, Alignment(story_id, "disputed", [s.id, side.id], detail, confidence))
    return sorted((al for _, al in found.values()), key=lambda al: al.members)


def _negated(statement: Statement) -> bool:
    """A statement that says something is not so, or the words of a denial."""
    if isinstance(statement, Quote) and statement.cue is not None and statement.cue.casefold() in _DENIALS:
        return True
    return bool(_NEGATIONS.intersection(_folded(statement.text)))


def _folded(text: str) -> list[str]:
    """A text's words, case and curly apostrophes folded ("Didn’t" is "didn't")."""
    return [w.casefold().replace("’", "'") for w in _WORD.findall(text)]


def closest(statement: str, pieces: Sequence[str], vectors: Mapping[str, np.ndarray]) -> tuple[int, float]:
    """Which of the disputed words (`pieces`, at least one) mean most nearly what `statement` says,
    and that cosine; `vectors` holds every text's unit-length embedding."""
    sims = np.array([float(vectors[w] @ vectors[statement]) for w in pieces])
    k = int(np.argmax(sims))
    return k, float(sims[k])


def disputed_words(text: str) -> str | None:
    """What a sentence disputes: the words after its first verb of denial ("X denied that <...>"), or
    the whole sentence where it refutes otherwise ("the report is false"); None without a cue."""
    words = list(_WORD.finditer(text))
    folded = _folded(text)
    for n, m in enumerate(words):
        if folded[n] in _DENIALS:
            if _NEGATIONS.intersection(folded[max(0, n - 2) : n]):
                continue  # "did not deny his client was there" grants it
            if n and _NOUN_BEFORE.fullmatch(folded[n - 1]):
                continue  # "Saturday night's contest", "the dispute over fees": a noun, no denial
            rest = text[m.end() :].strip(" ,.;:")
            return rest or text
    if (_CUES - _DENIALS).intersection(tokens(text)):  # a verb of denial was read above
        return text
    return None


MIN_SIMILARITY = 0.4  # sentence-embedding cosine, chosen on FNC-1 train out-of-fold (benchmarks/disputes.py)
# the same for a lead statement the stance model did not itself answer `disagree` for, in an article
# it disputes: one claim told two ways ("The Sellin shipyard will close in May" / "Sellin shipyard will
# close") is about .8; on ECB+ 1-35 .5, .6 and .7 add no dispute to the published corpus
NAMED = 0.6
