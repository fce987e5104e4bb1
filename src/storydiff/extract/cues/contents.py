"""Where what was said begins and ends: a cue's content as a token range, trimmed of the
narrator's asides, of where and when it was said, and of the speaker's next act."""

from __future__ import annotations

from typing import TYPE_CHECKING

from storydiff.extract.cues.lexicon import MEDIUM, MOVED, QUOTING, SPEECH, Lexicon, lemma_of
from storydiff.extract.cues.subjects import SUBJECT_DEPS, UP_DEPS
from storydiff.extract.entities import words
from storydiff.extract.marks import CLOSING_QUOTE_TOKENS, DOUBLE_QUOTE_TOKENS, QUOTE_TOKENS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


_DROP_RIGHT = frozenset({"punct", "cc", "conj", "advcl", "npadvmod", "advmod", "nsubj", "mark", "aux", "neg"})
_DASHES = frozenset({"-", "--", "\u2014", "\u2013"})
_ABOUT = frozenset({"as", "for", "about", "over"})
_EDGE_TRIM = frozenset({"that", ",", ":", ";", "-", "\u2014", "\u2013"})


def cut_tail(head: Token, end: int, lexicon: Lexicon) -> int:
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
            and not any(c.dep_ in SUBJECT_DEPS for c in child.children)
        ):
            cc = [c for c in head.children if c.dep_ == "cc" and head.i < c.i < child.i]
            if cc and lemma_of(child) in QUOTING:
                return cc[-1].i
    return end


def run_on(cue: Token, end: int, s1: int, lexicon: Lexicon) -> int:
    """Where a cue's clause content ends when it stops at a closing quotation mark the parser
    ended it on: the words after `,” and ...` that the parse hung on the cue as a conjunct with no
    subject and no cue of its own (`told reporters that polls could be “way off,” and have been
    unreliable`) are still what was said; `and vowed to ...` is the speaker's next act."""
    doc = cue.doc
    k = end
    while k < s1 and doc[k].text in CLOSING_QUOTE_TOKENS | {",", ";"}:
        k += 1
    if k == end or not any(doc[m].text in CLOSING_QUOTE_TOKENS for m in range(end - 1, k)):
        return end
    for child in cue.rights:
        if child.dep_ != "conj" or child.left_edge.i < k or child.i > k + 2:
            continue
        if any(c.dep_ in SUBJECT_DEPS for c in child.children) or lemma_of(child) in lexicon:
            return end
        if lemma_of(child) in QUOTING or child.right_edge.i >= s1:
            return end
        return child.right_edge.i + 1
    return end


def cut_aside(doc: Doc, i: int, j: int, verb: Token | None = None) -> int:
    """End content [i, j) before a closing aside of the narrator's: `, who worked on ...`,
    `, which ...` (a relative clause set off by a comma), a parenthesis, or `according to X` (a
    source of its own), running to its end; before a dash that ends it (`_dash_ends`); after a
    closing quotation mark, before where it was said (`during ...`) or what the speaker did next
    (`before predicting ...`, `and encourage ...` hung on the content); before `after ...` hung on
    the cue itself (`endorsed the plan after meeting the board`: when, not what); or before a quote
    that a colon or `by saying` introduces."""
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
        if verb is not None and tok.dep_ == "prep" and tok.head.i == verb.i and tok.lower_ == "after":
            return k  # `endorsed the plan after meeting the board`: when the cue happened, not what
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
        lemma_of(t) in SPEECH and any(c.dep_ in SUBJECT_DEPS and k <= c.i < t.i for c in t.children)
        for t in doc[k:j]
    )


def _quote_follows(doc: Doc, k: int, j: int) -> bool:
    """A quotation opens at token `k`, past a comma or colon, before `j`."""
    if k < j and doc[k].text in {",", ":"}:
        k += 1
    return k < j and _opens(doc[k])


# a leading `that` that is part of the content: the clause's `that`, and the pronoun or determiner
# (`That makes me smart`, `that plan will fail`)
_THAT_KEPT = frozenset({"mark", "nsubj", "nsubjpass", "det", "dobj"})


def trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
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
    return is_medium(tok) or _is_time(tok)


def is_medium(tok: Token) -> bool:
    """`in a statement`, `on a conference call`, `during a briefing`."""
    return (
        tok.dep_ == "prep"
        and tok.lower_ in {"in", "on", "at", "during", "via"}
        and any(c.dep_ == "pobj" and c.lemma_.lower() in MEDIUM for c in tok.children)
    )


def _is_time(tok: Token) -> bool:
    """`on Tuesday`, `in March`: when it was said."""
    return tok.dep_ == "prep" and any(
        c.dep_ == "pobj" and c.ent_type_ in {"DATE", "TIME"} and c.right_edge.i == tok.right_edge.i
        for c in tok.children
    )


def right_content(verb: Token, lexicon: Lexicon) -> tuple[int, int] | None:
    """Token range of what a verb takes to its right (objects, complements, prepositions), up to
    the speaker's next act hung on the last of them."""
    kids = [c for c in verb.rights if c.dep_ not in _DROP_RIGHT]
    if kids and kids[0].dep_ in {"dobj", "dative"} and lemma_of(verb) == "tell" and _told(kids[0]):
        # `told reporters`, `told The Harbour Gazette on Monday`: to whom, where and when, not what
        kids = [c for c in kids[1:] if not _setting(c)]
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
    if last.dep_ == "dobj" and tail and is_medium(tail[0]):
        end = tail[0].i  # the parse hangs `in a statement` on the object: `the deal in a statement`
    return first.left_edge.i, cut_tail(last, end, lexicon)  # (`pledged to expand, reversing ...`)


def _told(tok: Token) -> bool:
    """Whether the object of `tell` is who was told: a name, a pronoun, or those who hear or
    print the words (`reporters`, `the crowd`, `a local radio station`)."""
    return (
        tok.pos_ in {"PROPN", "PRON"}
        or tok.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}
        or tok.lemma_.lower() in _AUDIENCES
    )


_AUDIENCES = words(
    """
    reporter journalist crowd audience supporter voter listener viewer reader host interviewer
    show station newspaper paper magazine network radio television channel outlet program programme
    rally gathering meeting
    """
)


def only_setting(doc: Doc, verb: Token, rng: tuple[int, int], s1: int, source: Token | None) -> bool:
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
    if lemma_of(verb) in MOVED:
        return agent.i + 1, agent.right_edge.i + 1
    said = [
        c
        for p in agent.children
        if p.dep_ == "pobj"
        for c in p.rights
        if (c.dep_ == "prep" and c.lower_ in _ABOUT)
        or (c.dep_ in UP_DEPS | {"relcl"} and c.left_edge.tag_ in {"WRB", "WP"})  # `asked by X why ...`
    ]
    return (said[0].left_edge.i, agent.right_edge.i + 1) if said else None


def clause_without(head: Token, skip: Token, sent_start: int, sent_end: int) -> tuple[int, int]:
    """The clause of `head` minus the subtree of `skip`, as the longer side of the cut; the whole
    clause where `skip` is an aside set off by commas inside it (`The deal, officials said, is
    dead`, `It is in our interest, he says, to write the rules`), since neither side says it
    alone, unless a new clause follows the aside (`..., Lopez said, and the crews are ready`)."""
    lo, hi = max(head.left_edge.i, sent_start), min(head.right_edge.i + 1, sent_end)
    a, b = skip.left_edge.i, skip.right_edge.i + 1
    doc = head.doc
    if lo < a < b < hi and doc[a].text == "," and doc[b - 1].text == "," and doc[b].pos_ != "CCONJ":
        return lo, hi
    left, right = (lo, a), (b, hi)
    return left if left[1] - left[0] >= right[1] - right[0] else right
