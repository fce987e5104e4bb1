"""Attribution frames: one pass over a parse's tokens finds each cue and builds its `Frame` from
its source (`subjects`) and content (`contents`)."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from storydiff.extract.cues.contents import (
    clause_without,
    cut_aside,
    cut_tail,
    is_medium,
    only_setting,
    right_content,
    run_on,
    trim,
)
from storydiff.extract.cues.lexicon import (
    AS_CUES,
    CLAUSE,
    NOUNS,
    POLLS,
    PREPOSITIONAL,
    QUOTING,
    RIGHT,
    VOICE,
    Lexicon,
    lemma_of,
    shipped_lexicon,
)
from storydiff.extract.cues.subjects import SUBJECT_DEPS, clause_subject, subject_of
from storydiff.model import Span
from storydiff.nlp import token_chars, token_starts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan


# the parts of speech of words that only link a clause to the text around it (`But,` `Now,` `too`)
_LINKING = frozenset({"CCONJ", "ADV", "INTJ", "PUNCT", "SPACE"})


@dataclass(slots=True)
class Frame:
    """One attribution construction: `source` says `content`, signalled by `cue`."""

    cue: Span
    cue_text: str
    lemma: str
    source: Token | None
    content: Span
    content_tokens: tuple[int, int]  # token range [i, j) of the content
    sentence: int  # index of the sentence's first token
    bare: bool = False  # a quoting verb with no content of its own: it only introduces a quote
    rule: str = ""  # which content rule made it: ccomp, right, according
    setting_cut: bool = False  # the content ends where the narrator says where it was said


def sentences(doc: Doc, paragraphs: list[Span]) -> list[tuple[int, int]]:
    """Token ranges of spaCy's sentences, cut again where a paragraph ends.

    The small English parser often runs a sentence across a blank line; an attribution never
    crosses a paragraph boundary, so neither do our sentences.
    """
    ends = sorted(p.end for p in paragraphs)
    starts = token_starts(doc)
    out: list[tuple[int, int]] = []
    k = 0
    for sent in doc.sents:
        start = sent.start
        # each paragraph end up to the sentence's last token cuts it before the first token past it
        while k < len(ends) and ends[k] <= starts[sent.end - 1]:
            i = bisect_left(starts, ends[k], start, sent.end)
            k += 1
            if i > start:
                out.append((start, i))
                start = i
        if sent.end > start:
            out.append((start, sent.end))
    return out


def find_frames(doc: Doc, ranges: list[tuple[int, int]], lexicon: Lexicon | None = None) -> list[Frame]:
    """Every attribution frame in `doc`, in text order of the cue; `ranges` from `sentences`."""
    from spacy.attrs import DEP, LOWER, POS

    lex = shipped_lexicon() if lexicon is None else lexicon
    strings = doc.vocab.strings
    # only the tokens `_frame_at` can make a cue of, picked from arrays (most tokens are no cue)
    lower, pos, dep = doc.to_array([LOWER, POS, DEP]).T if len(doc) else np.zeros((3, 0), np.uint64)
    named = np.array([strings[w] for w in ("according", "in", *NOUNS)], np.uint64)
    verb = (pos == strings["VERB"]) | ((pos == strings["AUX"]) & (dep == strings["ROOT"]))
    may = verb | np.isin(lower, named)
    frames: list[Frame] = []
    for s0, s1 in ranges:
        for i in (np.flatnonzero(may[s0:s1]) + s0).tolist():
            frame = _frame_at(doc, doc[i], s0, s1, lex)
            if frame is not None:
                frames.append(frame)
    return frames


def _frame_at(doc: Doc, tok: Token, s0: int, s1: int, lexicon: Lexicon) -> Frame | None:
    lower = tok.lower_
    if lower == "according" and tok.i + 1 < s1 and doc[tok.i + 1].lower_ == "to":
        return _according(doc, tok, s0, s1)
    if tok.pos_ == "NOUN" and lower in NOUNS:
        return _noun_frame(doc, tok, s0, s1)
    if lower == "in" and tok.dep_ == "prep":
        return _in_poll(doc, tok, s0, s1)
    if tok.pos_ != "VERB" and not (tok.pos_ == "AUX" and tok.dep_ == "ROOT"):
        return None
    lemma = lemma_of(tok)
    if tok.dep_ == "prep" and lemma in PREPOSITIONAL:
        return None  # `compared to 11%`, `regarding the plan`: a preposition, no act of speech
    rules = lexicon.get(lemma, frozenset())
    if (
        lemma in AS_CUES  # not `as the race began`, `as voters went`
        and tok.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    ):
        aside = _as_noted(doc, tok, s0, s1, lemma)
        if aside is not None:
            return aside
    if not rules and lemma not in QUOTING:
        return None
    cue_text, cue = _cue_of(tok)
    source = subject_of(tok, s0, s1)
    if _discourse_marker(tok, s0):
        return None
    if source is None and tok.tag_ == "VBG":
        source = clause_subject(tok, s0, s1)
    rng: tuple[int, int] | None = None
    rule = ""
    comp = [c for c in tok.children if c.dep_ == "ccomp"]
    if any(c.i < tok.i for c in comp) and any(c.i > tok.i for c in comp):
        # `It's unlikely; Clinton's team says she'll go on`: the parser hangs the clause before
        # the cue on it too; what the cue introduces is the one after it
        comp = [c for c in comp if c.i > tok.i]
    if CLAUSE in rules and comp:
        rng, rule = (min(x.left_edge.i for x in comp), max(x.right_edge.i + 1 for x in comp)), CLAUSE
    elif CLAUSE in rules and tok.dep_ == "parataxis" and tok.head.pos_ in {"VERB", "AUX"}:
        rng, rule = clause_without(tok.head, tok, s0, s1), CLAUSE
    elif RIGHT in rules and source is not None and not comp:
        rng, rule = right_content(tok, lexicon), RIGHT
        if rng is not None and lemma in QUOTING and only_setting(doc, tok, rng, s1, source):
            rng = None  # `saying during the debate, "..."`: the quote is what was said
    if rng is not None and rule == CLAUSE and comp:
        rng = (rng[0], cut_tail(comp[-1], rng[1], lexicon))
        rng = (rng[0], run_on(tok, rng[1], s1, lexicon))
    setting_cut = False
    if rng is not None and rule in {CLAUSE, RIGHT}:
        end = cut_aside(doc, rng[0], rng[1], tok)
        # (the tagger often reads an aside as said, and is often right; never where it was said)
        setting_cut = (
            end < rng[1] and doc[end].dep_ == "prep" and (doc[end].lower_ == "during" or is_medium(doc[end]))
        )
        rng = (rng[0], end)
    if rng is not None:
        inset = tok.dep_ == "parataxis" and not comp  # (`The deal, officials said, is dead`: all of it)
        if rng[0] <= tok.i < rng[1] and not inset:  # never the cue itself: keep the complement's side
            head = comp[0].i if comp else rng[1] - 1
            rng = (
                (tok.i + 1, rng[1])
                if head > tok.i
                else (rng[0], tok.left_edge.i if source is None else min(tok.left_edge.i, source.left_edge.i))
            )
        i, j = trim(doc, max(rng[0], s0), min(rng[1], s1))
        if i == tok.i + 1 and doc[i].idx < cue.end:
            i += 1  # the cue's own particle is not what it says (`backing down`, `pointed out`)
        # (what a speaker says does not hold the speaker: `said Jonas Pell, half joking`)
        holds = source is not None and tok.i < source.i < j and i <= source.i and not inset
        # a time alone is not what was said (`it listed sharply about 40 minutes after leaving`), nor
        # is saying nothing (`said nothing`, `would not say much`)
        timed = all(t.ent_type_ in {"DATE", "TIME"} or t.is_punct for t in doc[i:j])
        empty = j - i == 1 and doc[i].lower_ in _NOTHING
        if j - i >= 1 and not holds and not timed and not empty:
            frame = _make(doc, cue, cue_text, source, i, j, s0, lemma)
            frame.rule = rule
            frame.setting_cut = setting_cut
            return frame
    if lemma in QUOTING:
        return Frame(cue, cue_text, lemma, source, cue, (tok.i, tok.i), s0, bare=True)
    return None


_NOTHING = frozenset({"nothing", "little", "anything", "much"})


def _discourse_marker(tok: Token, s0: int) -> bool:
    """`That said, ...`, `Having said that, ...`: the narrator's turn of phrase opening a sentence,
    no one's speech."""
    lead = " ".join(t.lower_ for t in tok.doc[s0 : tok.i + 3])
    return lead.startswith((f"that {tok.lower_} ,", f"this {tok.lower_} ,", f"having {tok.lower_} that ,"))


def _according(doc: Doc, tok: Token, s0: int, s1: int) -> Frame | None:
    """`according to X, A` / `A, according to X`."""
    to = doc[tok.i + 1]
    source = next((c for c in to.children if c.dep_ == "pobj"), None)
    if source is None or not s0 <= source.i < s1:
        return None
    end = max(to.right_edge.i + 1, source.right_edge.i + 1)
    i, j = _beside(doc, s0, s1, tok.i, end)
    if j - i < 3:
        # the parse took the clause for an appositive of the source (`According to X, the move
        # reeks of fear`): the source ends at its first comma
        comma = next((k for k in range(source.i + 1, end) if doc[k].text == ","), None)
        if comma is None or not _linking(doc[s0 : tok.i]):
            return None  # (only where `According to X,` opens the sentence)
        i, j = _beside(doc, s0, s1, tok.i, comma + 1)
        if j - i < 3:
            return None
    cue = Span(tok.idx, to.idx + len(to.text))
    frame = _make(doc, cue, tok.text_with_ws + to.text, source, i, j, s0, "according to")
    frame.rule = "according"
    return frame


def _beside(doc: Doc, lo: int, hi: int, a: int, b: int) -> tuple[int, int]:
    """What an aside at tokens a..b (`according to X`, `as X noted`) attributes in the clause
    lo..hi: the words after it where it opens the clause (after at most a linking word: `But`,
    `Now`), those before it where it closes it, else the whole clause around it (`Fundraising,
    according to the campaign, has surged`)."""
    before, after = trim(doc, lo, a), trim(doc, b, hi)
    if _linking(doc[before[0] : before[1]]):
        return after
    if _linking(doc[after[0] : after[1]]):
        return before
    return trim(doc, lo, hi)


def _linking(tokens: DocSpan) -> bool:
    """No words, or only words that link a clause to the text around it (`But,` `Now`, `If`,
    `too`); `that` is often a pronoun the parser takes for a conjunction."""
    return all(t.pos_ in _LINKING or (t.pos_ == "SCONJ" and t.lower_ != "that") for t in tokens)


def _cue_of(tok: Token) -> tuple[str, Span]:
    """The cue verb's words and span, with its particle (`pointed out`)."""
    cue_text = tok.text
    for c in tok.rights:
        if c.dep_ == "prt" and c.i == tok.i + 1:
            cue_text = tok.text_with_ws + c.text
    return cue_text, Span(tok.idx, tok.idx + len(cue_text))


def _as_noted(doc: Doc, tok: Token, s0: int, s1: int, lemma: str) -> Frame | None:
    """`As X noted, A` / `A, as X reported on Tuesday` / `as he put it, A`: the clause the aside
    hangs on is what X said."""
    objects = [c for c in tok.children if c.dep_ in {"dobj", "ccomp", "xcomp"}]
    if lemma == "put":  # `as he put it`, and no other use of put
        if [c.lower_ for c in objects] != ["it"]:
            return None
    elif objects:  # `as he said this, the crowd rose`: a time, not a source
        return None
    source = next((c for c in tok.children if c.dep_ in SUBJECT_DEPS), None)
    head = tok.head
    if source is None or head.pos_ not in {"VERB", "AUX"} or not s0 <= head.i < s1:
        return None
    lo, hi = max(head.left_edge.i, s0), min(head.right_edge.i + 1, s1)
    i, j = _beside(doc, lo, hi, tok.left_edge.i, tok.right_edge.i + 1)
    if j - i < 3:
        return None
    cue_text, cue = _cue_of(tok)
    frame = _make(doc, cue, cue_text, source, i, j, s0, lemma)
    frame.rule = "according"
    return frame


def _in_poll(doc: Doc, tok: Token, s0: int, s1: int) -> Frame | None:
    """`In a CNN poll released Monday, A` / `A in the latest polls`: a poll speaks for its
    respondents as a person does for herself; the rest of the clause is what it found."""
    poll = next((c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in POLLS), None)
    head = tok.head
    # only on a main clause: `he said he would win in the polls` is his, not the polls'
    if poll is None or head.pos_ not in {"VERB", "AUX"} or head.dep_ not in {"ROOT", "conj"}:
        return None
    if not s0 <= head.i < s1:
        return None
    lo, hi = clause_without(head, tok, s0, s1)
    i, j = trim(doc, max(lo, s0), min(hi, s1))
    if j - i < 3:
        return None
    cue = Span(tok.idx, tok.idx + len(tok.text))
    frame = _make(doc, cue, tok.text, poll, i, j, s0, "in")
    frame.rule = "according"
    return frame


def _noun_frame(doc: Doc, tok: Token, s0: int, s1: int) -> Frame | None:
    """`Trump's claim that A`, `allegations that A`: a speech noun with a `that` clause."""
    clause = next(
        (
            c
            for c in tok.rights
            if c.dep_ in {"acl", "ccomp", "relcl"}
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    i, j = trim(doc, max(clause.left_edge.i, s0), min(clause.right_edge.i + 1, s1))
    if j - i < 3:
        return None
    source = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN", "PRON"}), None)
    if source is None:  # `an admission from Warren that ...`
        by = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"from", "by"} and c.i < clause.i]
        source = next((c for p in by for c in p.children if c.dep_ == "pobj" and s0 <= c.i < s1), None)
    made = tok.dep_ == "dobj" and lemma_of(tok.head) in VOICE  # not `rejected the notion that`
    # `X said in a statement that ...`: the statement is the speaking verb's subject's
    within = tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.head.head.pos_ == "VERB"
    if source is None and (made or within or (tok.dep_ == "pobj" and tok.head.lower_ == "with")):
        source = clause_subject(tok, s0, s1)  # `Cruz made the argument that`, `... with the argument that`
    cue = Span(tok.idx, tok.idx + len(tok.text))
    frame = _make(doc, cue, tok.text, source, i, j, s0, tok.lemma_.lower())
    frame.rule = "noun"
    return frame


def introducer(doc: Doc, first: int, s0: int) -> Frame | None:
    """`X signed the letter: "..."`, `Clinton cracked, "..."`: the verb of the clause closed by a
    colon (or, where the verb itself ends its clause, a comma) right before token `first`."""
    if first - 1 <= s0:
        return None
    mark = doc[first - 1]
    if mark.text == ",":
        return _comma_introducer(doc, mark, s0)
    if mark.text != ":":
        return None
    tok = doc[mark.i - 1]
    for _ in range(6):
        if tok.pos_ in {"VERB", "AUX"}:
            break
        if tok.head.i == tok.i:
            return None
        tok = tok.head
    if tok.pos_ not in {"VERB", "AUX"} or not s0 <= tok.i < mark.i:
        return None
    source = subject_of(tok)
    if source is None or not s0 <= source.i < mark.i:
        return None
    return _bare(tok, source, s0)


def _comma_introducer(doc: Doc, comma: Token, s0: int) -> Frame | None:
    """`she laughed, "..."`: any verb, but only the main verb of its sentence, right before the
    comma, with its own subject before it (not `When he arrived, "..."`, whose verb is
    subordinate, nor `He won the vote, "..."`, whose clause goes on past the verb)."""
    tok = doc[comma.i - 1]
    if tok.pos_ != "VERB" or tok.dep_ not in {"ROOT", "conj"}:
        return None
    # (the quote itself is often parsed as the verb's complement: only words before it count)
    if any(c.dep_ in {"mark", "dobj", "ccomp", "xcomp"} and c.i < comma.i for c in tok.children):
        return None
    source = next((c for c in tok.lefts if c.dep_ == "nsubj"), None)
    if source is None or source.i < s0 or source.pos_ not in {"PROPN", "NOUN", "PRON"}:
        return None
    return _bare(tok, source, s0)


def closer(doc: Doc, after: int, s0: int) -> Frame | None:
    """`"...," an angry Hollande retaliated.`: a short clause right after a quote that ended on a
    comma, `?` or `!`, made of a subject and any verb with nothing it governs but adverbs and
    prepositional phrases: that subject said the quote, whatever the verb."""
    if not 0 < after < len(doc):
        return None
    stretch: list[Token] = []
    for tok in doc[after : after + _CLOSER_TOKENS + 1]:
        if tok.is_space or tok.is_punct:
            break
        stretch.append(tok)
    else:
        return None  # the clause runs on: not a short attribution
    verbs = [t for t in stretch if t.pos_ == "VERB"]
    if len(verbs) != 1:
        return None
    verb = verbs[0]
    inside = {t.i for t in stretch}
    if any(c.dep_ in {"dobj", "ccomp", "xcomp", "mark"} and c.i >= after for c in verb.children):
        return None  # (the quote before it may be parsed as its complement: that one is fine)
    if any(t.i != verb.i and t.head.i not in inside for t in stretch):
        return None  # part of another clause
    source = next((c for c in verb.children if c.dep_ == "nsubj" and c.i in inside), None)
    if source is None or source.pos_ not in {"PROPN", "NOUN", "PRON"}:
        return None
    return _bare(verb, source, s0)


# how many words such a closing attribution may have (`the president's spokesman said later`)
_CLOSER_TOKENS = 8


def _bare(verb: Token, source: Token, s0: int) -> Frame:
    """A frame whose verb only introduces a quote."""
    cue = Span(verb.idx, verb.idx + len(verb.text))
    return Frame(cue, verb.text, lemma_of(verb), source, cue, (verb.i, verb.i), s0, bare=True)


def _make(
    doc: Doc,
    cue: Span,
    cue_text: str,
    source: Token | None,
    i: int,
    j: int,
    s0: int,
    lemma: str | None = None,
) -> Frame:
    return Frame(cue, cue_text, lemma or cue_text, source, token_chars(doc, i, j), (i, j), s0)
