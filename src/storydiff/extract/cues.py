"""Attribution frames read off spaCy's dependency parse: cue, source and content.

A `Frame` is one reported-speech (or stated-belief) construction in a sentence:

- `X said (that) A`, `A, X said`, `A, said X`, `X told Y that A`, `X said in a statement A`,
  `X was quoted as saying A`, `X wrote A`: content = the clause complement of the cue verb;
- `X warned/urged/denied/called ...`: content = what the verb takes to its right, without where
  and when it was said (`welcomed the deal in a statement on Tuesday` -> `the deal`);
- `according to X, A`: content = the clause the phrase attaches to, without the phrase;
  `in a CNN poll, A` / `A in the latest polls` likewise, the poll as the source;
  `as X noted, A` / `A, as X reported` likewise, X as the source;
- `X's claim that A`, `allegations that A`: a speech noun's `that` clause (source: its possessor).

A content ends before a closing aside of the narrator's (`, who ...`, `, which ...`, a parenthesis).

The source is the cue's subject; a cue without one (`..., adding that ...`, `X said A and added
B`) takes its governing verb's subject. Frames are found in one pass over the tokens.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import islice
from typing import TYPE_CHECKING

import numpy as np

from storydiff.extract.entities import words
from storydiff.extract.marks import CLOSING_QUOTE_TOKENS, DOUBLE_QUOTE_TOKENS, QUOTE_TOKENS
from storydiff.model import Span
from storydiff.nlp import token_chars, token_starts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as DocSpan

# Verbs whose clause complement is what the subject said, wrote or holds to be true.
SPEECH = words(
    """
    say tell add note claim argue warn insist announce report explain believe think write state
    suggest acknowledge admit reply respond answer declare predict promise pledge vow confirm deny
    contend maintain assert recall remark observe complain concede tweet post testify stress
    emphasize emphasise caution estimate indicate reveal disclose allege boast joke quip mention
    conclude counter continue charge agree hint signal reiterate repeat assure urge demand recommend
    propose insist lament question wonder predict speculate affirm proclaim announce declare tout
    brag concur dispute
    """
)
# Verbs whose object (or infinitive) is the content: "called it troubling", "urged Congress to act".
OBJECT = words(
    """
    call urge deny criticize criticise condemn praise blast slam attack mock describe cite dismiss
    accuse blame reject defend endorse threaten demand refuse decline promise pledge vow warn
    applaud welcome decry denounce
    """
)
# Nouns whose `that` clause is what someone said or holds: "Trump's claim that ...".
NOUNS = words(
    """
    claim claims allegation allegations accusation accusations assertion assertions suggestion
    warning warnings promise pledge belief argument statement charge charges complaint complaints
    insistence prediction contention notion assurance assurances denial admission remarks
    """
)
# Content rules a cue verb can take: its clause complement, or what it takes to its right.
CLAUSE, RIGHT = "ccomp", "right"
Lexicon = Mapping[str, frozenset[str]]


class _Everything(dict[str, frozenset[str]]):
    """Every verb with both rules: what `benchmarks/train_cues.py` measures before choosing."""

    def get(self, key: str, default: object = None) -> frozenset[str]:
        return frozenset({CLAUSE, RIGHT})

    def __contains__(self, key: object) -> bool:
        return True


PERMISSIVE: Lexicon = _Everything()


@lru_cache(maxsize=1)
def shipped_lexicon() -> Lexicon:
    """The cue lexicon learned on PolNeAR train (`data/cues.json`), with the hand-written lists.

    A lemma maps to the rules under which its frames were mostly real attributions there.
    """
    lexicon: dict[str, set[str]] = {lemma: {CLAUSE} for lemma in SPEECH}
    for lemma in OBJECT:
        lexicon.setdefault(lemma, set()).add(RIGHT)
    try:
        data = json.loads(resources.files("storydiff").joinpath("data/cues.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {}
    for lemma, rules in data.get("cues", {}).items():
        lexicon[lemma] = set(rules)  # measured beats guessed
    for lemma in data.get("not_cues", []):
        lexicon.pop(lemma, None)
    return {k: frozenset(v) for k, v in lexicon.items()}


# Verbs that introduce a quotation beside them even without a complement in the parse:
# `"Why now?" she asked.`, `the crowd chanted: "..."`.
QUOTING = SPEECH | words(
    """
    ask read chant shout yell interject bark thank scream whisper exclaim muse laugh sing reply
    respond plead snap retort cry mutter sigh offer put begin go tweet post write text email recount
    recall quote rail fume gush scoff marvel declare
    """
)
# Lemmas spaCy gives some cue verbs' participles that differ from the verb's lemma.
_LEMMA_FIX = {"said": "say", "says": "say", "told": "tell"}

# Verbs of an `as X noted,` aside (SPEECH without `continue`, `as the debate continued`).
_AS_CUES = (SPEECH - {"continue"}) | words("put point reveal document quote")

_UP = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "ccomp", "acl", "acomp"})
_SUBJECT = frozenset({"nsubj", "nsubjpass", "csubj"})
_DROP_RIGHT = frozenset({"punct", "cc", "conj", "advcl", "npadvmod", "advmod", "nsubj", "mark", "aux", "neg"})
_DASHES = frozenset({"-", "--", "\u2014", "\u2013"})
# Where something was said (`in a statement`, `during a briefing`): the narrator's, not the content.
_MEDIUM = words(
    """
    statement interview email letter tweet post speech release conference call briefing op-ed
    remarks appearance hearing rally address message video debate twitter facebook instagram
    """
)
# Verbs whose subject voices their object: `made the argument that ...`, `offered assurances that`.
_VOICE = words("make offer advance repeat press push raise put voice float reiterate renew give have hold")
# Things people write or pass, which speak for their authors: `a letter opposing the bill`.
_AUTHORED = _MEDIUM | words(
    """
    ad tweet legislation bill paper language law document filing lawsuit suit petition resolution
    amendment measure memo note book article column editorial ruling order motion complaint
    """
)
_MOVED = words(
    """
    dismay trouble rattle intrigue concern worry alarm anger frustrate disappoint surprise shock
    offend disturb upset bother annoy impress encourage inspire horrify outrage disgust appall
    stun baffle puzzle confuse amuse please delight thrill excite scare frighten terrify embarrass
    humiliate insult move heartbreak sadden hearten reassure convince persuade
    """
)
_POLLS = words("poll survey")
# participles the parse reads as prepositions (`compared to`, `regarding`); on PolNeAR train the
# quotes they framed were mostly no attribution (compared 3 of 14, regarding 3 of 10)
_PREPOSITIONAL = words("compare regard")
# verbs of showing or hearing someone do something (`the ad shows him saying ...`)
_SHOWING = words("show hear see watch catch capture feature record film")
# the parts of speech of words that only link a clause to the text around it (`But,` `Now,` `too`)
_LINKING = frozenset({"CCONJ", "ADV", "INTJ", "PUNCT", "SPACE"})
_ABOUT = frozenset({"as", "for", "about", "over"})
_EDGE_TRIM = frozenset({"that", ",", ":", ";", "-", "\u2014", "\u2013"})


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


def lemma_of(tok: Token) -> str:
    return _LEMMA_FIX.get(tok.lower_, tok.lemma_.lower())


def subject_of(verb: Token) -> Token | None:
    """Who does what `verb` says: its own subject, or that of the verb it hangs on."""
    return _subject(verb)


def _subject(verb: Token, s0: int = 0, s1: int = 1 << 30) -> Token | None:
    """The verb's own subject, or that of the verb it hangs on (at most four steps up)."""
    tok = verb
    for child in verb.children:  # `Trump was criticized by his rivals`: the rivals spoke
        if child.dep_ == "agent" and lemma_of(verb) not in _MOVED:
            for sub in child.children:
                if sub.dep_ == "pobj" and sub.pos_ in {"PROPN", "NOUN", "PRON"} and s0 <= sub.i < s1:
                    return sub
    # `X said Y would go, adding ...`: the parse may hang the aside in what X said; it is X's
    # (so does one after `before`/`after`, hung on the clause it follows: `that the ferry had
    # “kept us afloat” before claiming ...` is the speaker's next act)
    lead = verb.doc[max(0, verb.i - 2) : verb.i]
    aside = verb.tag_ == "VBG" and (
        (verb.i > 0 and verb.doc[verb.i - 1].text == ",")
        or any(t.lower_ in {"before", "after"} for t in lead)
    )
    if verb.dep_ == "conj" and verb.tag_.startswith("VB") and verb.head.tag_ != verb.tag_:
        # `to accuse X of being “duped” and encourage Y`: a second verb the parse hangs on a word
        # of the first one's content is the first one's twin, with its subject
        above = islice(verb.ancestors, 1, 5)  # (past the head, which has another form)
        twin = next((a for a in above if a.tag_ == verb.tag_ and a.pos_ == "VERB"), None)
        if twin is not None:
            tok = twin
    for _ in range(4):
        if aside and tok.dep_ == "ccomp" and lemma_of(tok.head) in SPEECH and s0 <= tok.head.i < s1:
            tok = tok.head
        # (the nearest, where a bad parse gives a verb two: `Spicer -- as the campaign noted`)
        subjects = (c for c in tok.children if c.dep_ in _SUBJECT)
        nearest = min(subjects, key=lambda c: abs(c.i - tok.i), default=None)
        if nearest is not None:
            return nearest if s0 <= nearest.i < s1 else None
        for child in tok.children:
            if child.dep_ == "agent":  # passive: "was quoted by X"
                for sub in child.children:
                    if sub.dep_ == "pobj" and s0 <= sub.i < s1:
                        return sub
        if tok.i == verb.i:
            # (a verb after a quote has no word right before it: the two never both apply)
            found = _stray_subject(tok, s0) or _inverted_subject(tok, s1) or _shown_subject(tok, s0)
            if found is not None:
                return found
        if (
            tok.dep_ == "acl"
            and tok.tag_ == "VBG"
            and tok.head.pos_ in {"NOUN", "PROPN"}
            and s0 <= tok.head.i < tok.i
        ):
            # `protesters chanting “...”`; a thing someone wrote speaks for its writer, who is the
            # subject of the verb it hangs on (`Trump sent tweets calling her “...”`), if any
            head = tok.head
            if head.lemma_.lower() in _AUTHORED:
                up = head.head  # (through `a series of`, `with`: up to the verb)
                for _ in range(3):
                    if up.pos_ in {"VERB", "AUX"} or up.head.i == up.i:
                        break
                    up = up.head
                if up.pos_ in {"VERB", "AUX"} and up.i != head.i:
                    return _subject(up, s0, s1) or head
            return head
        if (
            tok.i == verb.i
            and tok.dep_ == "acl"
            and tok.tag_ in {"VBN", "VBD"}
            and tok.head.dep_ == "ROOT"
            and tok.head.pos_ in {"NOUN", "PROPN"}
            and s0 <= tok.head.i < tok.i
            and tok.doc[tok.i - 1].text == ","
        ):
            # `Aaron Kall, the director of debate, compared Trump to ...`: a sentence whose only
            # verb the parse hung on its long subject as a modifier
            return tok.head
        if tok.dep_ not in _UP or tok.head.i == tok.i or not s0 <= tok.head.i < s1:
            return None
        tok = tok.head
    return None


def _clause_subject(tok: Token, s0: int, s1: int) -> Token | None:
    """`X took the step of criticizing Y`: a gerund's doer is the nearest subject above it."""
    up = tok.head
    for _ in range(6):
        sub = next((c for c in up.children if c.dep_ in _SUBJECT and s0 <= c.i < s1), None)
        if sub is not None or up.head.i == up.i:
            return sub
        up = up.head
    return None


def _inverted_subject(verb: Token, s1: int) -> Token | None:
    """The speaker right after a quoting verb that follows a quote (`,” said X`), where the
    parser hung it elsewhere: as the verb's object (`,” said a state senator`); as anything, a
    name (`,” said Jonas Pell, half joking`, the subject of `joking`: the name's last word); or as
    the subject of the verb's next clause (`,” said the harbor master, who did not want ...`)."""
    if lemma_of(verb) not in QUOTING or not _before_is_quote(verb):
        return None
    doc = verb.doc
    for child in verb.rights:
        if (
            child.dep_ in {"dobj", "attr", "npadvmod"}
            and child.pos_ in {"NOUN", "PROPN"}
            and child.left_edge.i == verb.i + 1  # the words right after it
            and child.i <= min(verb.i + 6, s1 - 1)
        ):
            return child
    k = verb.i + 1
    while k < s1 and doc[k].pos_ == "PROPN":
        k += 1
    if k > verb.i + 1 and (k == s1 or doc[k].pos_ == "PUNCT"):
        return doc[k - 1]
    for clause in verb.rights:
        if clause.dep_ not in {"ccomp", "advcl", "conj", "xcomp"}:
            continue
        for sub in clause.lefts:
            if (
                sub.dep_ == "nsubj"
                and sub.pos_ in {"NOUN", "PROPN"}
                and sub.left_edge.i == verb.i + 1
                and sub.i + 1 < s1
                and doc[sub.i + 1].text == ","
            ):
                return sub
    return None


def _shown_subject(verb: Token, s0: int) -> Token | None:
    """`footage of Trump saying ...`, `the ad shows him saying ...`: a gerund right after who is
    shown or heard is theirs, wherever the parser hung it."""
    if verb.tag_ != "VBG" or verb.i - 1 < s0:
        return None
    prev = verb.doc[verb.i - 1]
    if prev.pos_ not in {"PROPN", "PRON"}:
        return None
    if prev.dep_ == "pobj" and prev.head.lower_ == "of":
        return prev
    if prev.dep_ == "dobj" and lemma_of(prev.head) in _SHOWING:
        return prev
    return None


def _stray_subject(verb: Token, s0: int) -> Token | None:
    """`..., Obama and Clinton call them ...`: the parser hung the subject right before a finite
    verb on an earlier noun as a conjunct; the verb itself has no subject."""
    if verb.tag_ not in {"VBD", "VBZ", "VBP"} or verb.i - 1 < s0:
        return None
    prev = verb.doc[verb.i - 1]
    if prev.pos_ not in {"PROPN", "NOUN"} or prev.dep_ not in {"conj", "appos"} or prev.head.i >= verb.i:
        return None
    top = prev  # up the conjuncts to the first one after the comma that set the subject off
    while top.dep_ == "conj" and top.head.pos_ in {"PROPN", "NOUN"} and top.head.i > s0:
        if any(t.text == "," for t in verb.doc[top.head.i : top.i]):
            break
        top = top.head
    return top


def _cut_tail(head: Token, end: int, lexicon: Lexicon) -> int:
    """End a clause before `, noting ...` or `but conceded ...` hung on it by the parser.

    Those are the speaker's further words or acts, not part of this content; a conjoined clause
    with its own subject (`the reports were false and no bid came`) stays.
    """
    doc = head.doc
    for child in head.rights:
        if child.i >= end:
            break
        k = child.left_edge.i - 1
        while k > head.i and doc[k].text in QUOTE_TOKENS:
            k -= 1
        after_comma = k > head.i and doc[k].text in {",", ";", "\u2014", "-"}
        if child.dep_ == "advcl" and child.tag_ == "VBG" and after_comma and child.left_edge.i == child.i:
            return k
        if (
            child.dep_ == "advcl"
            and after_comma
            and child.left_edge.lower_ in {"although", "though", "while"}
            and any(t.pos_ == "VERB" and lemma_of(t) in lexicon for t in child.subtree)
        ):
            return k  # `..., though she did not say who`: the narrator's aside with its own source
        if (
            child.dep_ == "conj"
            and child.pos_ == "VERB"
            and not any(c.dep_ in _SUBJECT for c in child.children)
        ):
            cc = [c for c in head.children if c.dep_ == "cc" and head.i < c.i < child.i]
            if cc and lemma_of(child) in QUOTING:
                return cc[-1].i
    return end


def _cut_aside(doc: Doc, i: int, j: int, verb: Token | None = None) -> int:
    """End content [i, j) before a closing aside of the narrator's: `, who worked on ...`,
    `, which ...` (a relative clause set off by a comma), a parenthesis, or `according to X` (a
    source of its own), running to its end; before a dash that ends it (`_dash_ends`); after a
    closing quotation mark, before where it was said (`during ...`) or what the speaker did next
    (`before predicting ...`, `and encourage ...` hung on the content); or before a quote that a
    colon or `by saying` introduces."""
    for k in range(i + 2, j - 1):
        tok = doc[k]
        if tok.text == "(" and all(t.text != ")" for t in doc[k + 1 : j - 1]):
            return k
        if tok.lower_ == "according" and doc[k + 1].lower_ == "to" and tok.right_edge.i >= j - 2:
            return k
        after_mark = doc[k - 1].text in CLOSING_QUOTE_TOKENS
        if tok.text in _DASHES and tok.whitespace_ and _dash_ends(doc, k, j, after_mark):
            return k
        if after_mark and tok.dep_ == "prep" and (tok.lower_ == "during" or _setting(tok)):
            return k  # `called it a “crazy system” during a campaign stop in Flint`
        if (
            verb is not None
            and tok.dep_ == "cc"
            and after_mark
            and doc[k + 1].dep_ == "conj"
            and doc[k + 1].tag_ == verb.tag_
            and doc[k + 1].head.tag_ != verb.tag_
            and doc[k + 1].head.i > verb.i
        ):
            return k  # `to accuse X of being “duped” and encourage Y`: the parse hangs the cue's
            # second verb on a word of its content
        if (
            tok.lower_ == "by"
            and doc[k + 1].tag_ == "VBG"
            and lemma_of(doc[k + 1]) in QUOTING
            and _quote_follows(doc, k + 2, j)
        ):
            return k  # `responded to X by saying, “...”`: the quote is the saying's
        if tok.text == ":" and _opens(doc[k + 1]):
            return k  # `suggested he had silenced her: "She signed ..."`: the colon introduces a quote
        if (
            after_mark
            and tok.lower_ in {"before", "after", "while"}
            and any(t.tag_ == "VBG" for t in doc[k + 1 : min(j, k + 3)])
        ):
            return k  # `“let’s not get ahead of ourselves,” before optimistically predicting ...`
        if tok.text != "," or doc[k + 1].text in QUOTE_TOKENS:
            continue
        nxt = doc[k + 1]
        if (
            nxt.lower_ in {"who", "which", "whose"}
            and nxt.head.dep_ == "relcl"
            and nxt.head.right_edge.i >= j - 2
        ):
            return k
        if nxt.tag_ == "VBG" and lemma_of(nxt) in QUOTING and _quote_follows(doc, k + 2, j):
            return k  # `, saying, “...”`: a quote of its own
    return j


def _dash_ends(doc: Doc, k: int, j: int, after_mark: bool) -> bool:
    """Whether the spaced dash at token k, inside content [i, j), ends it: right after a closing
    mark (`likened it to "burning the Constitution" - a charge that ...`), or, as the content's
    last dash (two make an aside the sentence goes on after), before the narrator's next words
    (`will help "up-skill" workers - and he makes sure to ...`, `-- having suggested ...`) or an
    attribution of its own (`... in the election -- meddling the congressman said is ...`)."""
    if after_mark:
        return True
    if any(t.text in _DASHES for t in doc[k + 1 : j]):
        return False
    nxt = doc[k + 1]
    narrator = k + 2 < j and (
        (nxt.tag_ == "VBG" and nxt.lower_ != "including")
        or nxt.lower_ == "except"
        or (nxt.lower_ in {"and", "but"} and doc[k + 2].tag_ == "PRP")
    )
    return narrator or _attributed(doc, k + 1, j)


def _attributed(doc: Doc, k: int, j: int) -> bool:
    """Tokens [k, j) hold an attribution of their own: a speech verb with its subject there."""
    return any(
        lemma_of(t) in SPEECH and any(c.dep_ in _SUBJECT and k <= c.i < t.i for c in t.children)
        for t in doc[k:j]
    )


def _quote_follows(doc: Doc, k: int, j: int) -> bool:
    """A quotation opens at token `k`, past a comma or colon, before `j`."""
    if k < j and doc[k].text in {",", ":"}:
        k += 1
    return k < j and _opens(doc[k])


def _before_is_quote(tok: Token) -> bool:
    """The cue comes right after a closing quotation mark (`,” said X`)."""
    doc = tok.doc
    k = tok.i - 1
    while k >= 0 and doc[k].is_punct and doc[k].text in {",", "\u201d", '"', "''", "'", "!", "?", "\u2014"}:
        if doc[k].text in {"\u201d", '"', "''", "'"}:
            return True
        k -= 1
    return False


# a leading `that` that is part of the content: the clause's `that`, and the pronoun or determiner
# (`That makes me smart`, `that plan will fail`)
_THAT_KEPT = frozenset({"mark", "nsubj", "nsubjpass", "det", "dobj"})


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Strip punctuation and quote marks from the ends of token range [i, j); a leading `that` that
    opens a clause stays, as annotators mark it (`said that A`: 2,326 PolNeAR train contents start
    with it, 30 leave it out), and so does one that is a pronoun or determiner (`_THAT_KEPT`)."""
    while i < j and (doc[i].is_punct or doc[i].lower_ in _EDGE_TRIM or doc[i].is_space):
        if doc[i].lower_ == "that" and doc[i].dep_ in _THAT_KEPT:
            break
        i += 1
    end = j
    while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space or doc[j - 1].lower_ in {"-", "\u2014"}):
        j -= 1
    # keep the closing mark of a quote the content opens (`was “learning on the job,”`)
    opened = sum(doc[k].text in DOUBLE_QUOTE_TOKENS for k in range(i, j)) % 2 == 1
    for k in range(j, end):
        if opened and doc[k].text in DOUBLE_QUOTE_TOKENS and doc[k].text != "\u201c":
            j = k + 1
            break
    return i, j


def _setting(tok: Token) -> bool:
    """Where or when something was said, the narrator's words: `in a statement`, `on Tuesday`."""
    return _is_medium(tok) or _is_time(tok)


def _is_medium(tok: Token) -> bool:
    """`in a statement`, `on a conference call`, `during a briefing`."""
    return (
        tok.dep_ == "prep"
        and tok.lower_ in {"in", "on", "at", "during", "via"}
        and any(c.dep_ == "pobj" and c.lemma_.lower() in _MEDIUM for c in tok.children)
    )


def _is_time(tok: Token) -> bool:
    """`on Tuesday`, `in March`: when it was said."""
    return tok.dep_ == "prep" and any(
        c.dep_ == "pobj" and c.ent_type_ in {"DATE", "TIME"} and c.right_edge.i == tok.right_edge.i
        for c in tok.children
    )


def _right_content(verb: Token, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token range of what a verb takes to its right (objects, complements, prepositions), up to
    the speaker's next act hung on the last of them."""
    kids = [c for c in verb.rights if c.dep_ not in _DROP_RIGHT]
    agent = kids.pop(0) if kids and kids[0].dep_ == "agent" else None  # `was praised by X`: the source
    while len(kids) > 1 and _setting(kids[-1]):
        kids.pop()  # `welcomed the deal in a statement on Tuesday`: where and when, not what
    while len(kids) > 1 and _setting(kids[0]):
        kids.pop(0)  # `agreed on Tuesday to reopen the border`
    if agent is not None and all(_setting(k) for k in kids):
        return _agent_content(verb, agent)
    if not kids:
        return None
    first, last = kids[0], kids[-1]
    end = last.right_edge.i + 1
    tail = [c for c in last.rights if c.dep_ == "prep" and c.right_edge.i == end - 1]
    if last.dep_ == "dobj" and tail and _is_medium(tail[0]):
        end = tail[0].i  # the parse hangs `in a statement` on the object: `the deal in a statement`
    return first.left_edge.i, _cut_tail(last, end, lexicon)  # (`pledged to expand, reversing ...`)


def _only_setting(doc: Doc, verb: Token, rng: tuple[int, int], s1: int, source: Token | None) -> bool:
    """A verb's right-hand words are only where, when and to whom (`saying during the debate
    last week`, `shouted to the crowd`) and a quote opens right after them, past a comma or
    colon, or closes right before the speaker (`"...!" his niece shouted to the crowd.`)."""
    i, j = rng
    tops = [t for t in doc[i:j] if not i <= t.head.i < j]
    if not tops or not all(t.head.i == verb.i and t.dep_ in {"prep", "npadvmod", "advmod"} for t in tops):
        return False
    if j + 1 < s1 and doc[j].text in {",", ":"} and _opens(doc[j + 1]):
        return True
    # before: only the verb's own subject between the quote and it, and only to whom or where and
    # when after it (not `, Cruz said, hinting at his playbook`)
    return (
        source is not None
        and source.head.i == verb.i
        and _closes(doc, source.left_edge.i - 1)
        and all(t.lower_ == "to" or _setting(t) for t in tops)
    )


def _closes(doc: Doc, i: int) -> bool:
    """A closing quotation mark at token i."""
    return i >= 0 and doc[i].text in CLOSING_QUOTE_TOKENS and (i == 0 or not doc[i - 1].whitespace_)


def _opens(tok: Token) -> bool:
    """An opening quotation mark (a straight one only where a word follows it closely)."""
    if tok.text in {"\u201c", "``"}:
        return True
    return tok.text == '"' and not tok.whitespace_ and tok.i + 1 < len(tok.doc) and tok.nbor().is_alpha


def _agent_content(verb: Token, agent: Token) -> tuple[int, int] | None:
    """What a passive verb with nothing but its agent says: `was endorsed by Carly Fiorina` says
    nothing (the agent is the source), but the parse may hang it on the agent (`was pressed by
    the host about his taxes`), and what moves someone is what they react to (`troubled by X`)."""
    if lemma_of(verb) in _MOVED:
        return agent.i + 1, agent.right_edge.i + 1
    said = [
        c
        for p in agent.children
        if p.dep_ == "pobj"
        for c in p.rights
        if (c.dep_ == "prep" and c.lower_ in _ABOUT)
        or (c.dep_ in _UP | {"relcl"} and c.left_edge.tag_ in {"WRB", "WP"})  # `asked by X why ...`
    ]
    return (said[0].left_edge.i, agent.right_edge.i + 1) if said else None


def _clause_without(head: Token, skip: Token, sent_start: int, sent_end: int) -> tuple[int, int]:
    """The clause of `head` minus the subtree of `skip`, as the longer side of the cut; the whole
    clause where `skip` is an aside set off by commas before the clause's verb (`The deal,
    officials said, is dead`), since neither side says anything alone."""
    lo, hi = max(head.left_edge.i, sent_start), min(head.right_edge.i + 1, sent_end)
    a, b = skip.left_edge.i, skip.right_edge.i + 1
    doc = head.doc
    if lo < a < b < hi and skip.i < head.i and doc[a].text == "," and doc[b - 1].text == ",":
        return lo, hi
    left, right = (lo, a), (b, hi)
    return left if left[1] - left[0] >= right[1] - right[0] else right


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
    if tok.dep_ == "prep" and lemma in _PREPOSITIONAL:
        return None  # `compared to 11%`, `regarding the plan`: a preposition, no act of speech
    rules = lexicon.get(lemma, frozenset())
    if (
        lemma in _AS_CUES  # not `as the race began`, `as voters went`
        and tok.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    ):
        aside = _as_noted(doc, tok, s0, s1, lemma)
        if aside is not None:
            return aside
    if not rules and lemma not in QUOTING:
        return None
    cue_text, cue = _cue_of(tok)
    source = _subject(tok, s0, s1)
    if source is None and tok.tag_ == "VBG":
        source = _clause_subject(tok, s0, s1)
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
        rng, rule = _clause_without(tok.head, tok, s0, s1), CLAUSE
    elif RIGHT in rules and source is not None and not comp:
        rng, rule = _right_content(tok, lexicon), RIGHT
        if rng is not None and lemma in QUOTING and _only_setting(doc, tok, rng, s1, source):
            rng = None  # `saying during the debate, "..."`: the quote is what was said
    if rng is not None and rule == CLAUSE and comp:
        rng = (rng[0], _cut_tail(comp[-1], rng[1], lexicon))
    setting_cut = False
    if rng is not None and rule in {CLAUSE, RIGHT}:
        end = _cut_aside(doc, rng[0], rng[1], tok)
        # (the tagger often reads an aside as said, and is often right; never where it was said)
        setting_cut = (
            end < rng[1] and doc[end].dep_ == "prep" and (doc[end].lower_ == "during" or _is_medium(doc[end]))
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
        i, j = _trim(doc, max(rng[0], s0), min(rng[1], s1))
        # (what a speaker says does not hold the speaker: `said Jonas Pell, half joking`)
        holds = source is not None and tok.i < source.i < j and i <= source.i and not inset
        if j - i >= 1 and not holds:
            frame = _make(doc, cue, cue_text, source, i, j, s0, lemma)
            frame.rule = rule
            frame.setting_cut = setting_cut
            return frame
    if lemma in QUOTING:
        return Frame(cue, cue_text, lemma, source, cue, (tok.i, tok.i), s0, bare=True)
    return None


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
    before, after = _trim(doc, lo, a), _trim(doc, b, hi)
    if _linking(doc[before[0] : before[1]]):
        return after
    if _linking(doc[after[0] : after[1]]):
        return before
    return _trim(doc, lo, hi)


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
    source = next((c for c in tok.children if c.dep_ in _SUBJECT), None)
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
    poll = next((c for c in tok.children if c.dep_ == "pobj" and c.lemma_.lower() in _POLLS), None)
    head = tok.head
    # only on a main clause: `he said he would win in the polls` is his, not the polls'
    if poll is None or head.pos_ not in {"VERB", "AUX"} or head.dep_ not in {"ROOT", "conj"}:
        return None
    if not s0 <= head.i < s1:
        return None
    lo, hi = _clause_without(head, tok, s0, s1)
    i, j = _trim(doc, max(lo, s0), min(hi, s1))
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
    i, j = _trim(doc, max(clause.left_edge.i, s0), min(clause.right_edge.i + 1, s1))
    if j - i < 3:
        return None
    source = next((c for c in tok.children if c.dep_ == "poss" and c.pos_ in {"PROPN", "NOUN", "PRON"}), None)
    if source is None:  # `an admission from Warren that ...`
        by = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in {"from", "by"} and c.i < clause.i]
        source = next((c for p in by for c in p.children if c.dep_ == "pobj" and s0 <= c.i < s1), None)
    made = tok.dep_ == "dobj" and lemma_of(tok.head) in _VOICE  # not `rejected the notion that`
    # `X said in a statement that ...`: the statement is the speaking verb's subject's
    within = tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.head.head.pos_ == "VERB"
    if source is None and (made or within or (tok.dep_ == "pobj" and tok.head.lower_ == "with")):
        source = _clause_subject(tok, s0, s1)  # `Cruz made the argument that`, `... with the argument that`
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
    source = _subject(tok)
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
