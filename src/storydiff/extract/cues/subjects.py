"""Who speaks: the source of a cue, read off the parse (its subject, or that of the verb it hangs
on, with repairs for what the small parser gets wrong around quotes)."""

from __future__ import annotations

from itertools import islice
from typing import TYPE_CHECKING

from storydiff.extract.cues.lexicon import AUTHORED, MOVED, OBJECT, QUOTING, SHOWING, SPEECH, lemma_of

if TYPE_CHECKING:
    from spacy.tokens import Token


# the dependencies a clause hangs on the verb above by, which a search for its subject climbs
UP_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "ccomp", "acl", "acomp"})
# `,” read one.`, `,” said another.`: a pronoun of one of several speakers (signs, protesters)
_ONE_OF_THEM = frozenset({"one", "another"})
# the dependencies of a verb's subject
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})


def subject_of(verb: Token, s0: int = 0, s1: int = 1 << 30) -> Token | None:
    """Who does what `verb` says: its own subject, or that of the verb it hangs on (at most four
    steps up); only a token of sentence tokens [s0, s1), else None."""
    tok = verb
    for child in verb.children:  # `Trump was criticized by his rivals`: the rivals spoke
        if child.dep_ == "agent" and lemma_of(verb) not in MOVED:
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
        elif aside and tok.dep_ in {"acl", "relcl"} and tok.head.dep_ in {"dobj", "pobj"}:
            # `X rejected reports that the contract was worth 85 million, saying ...`: an aside hung on
            # the clause of a noun is said by who did what the noun is the object of
            verb_above = tok.head.head if tok.head.dep_ == "dobj" else tok.head.head.head
            if s0 <= verb_above.i < s1 and verb_above.pos_ in {"VERB", "AUX"}:
                tok = verb_above
        # (the nearest, where a bad parse gives a verb two: `Spicer -- as the campaign noted`)
        subjects = (c for c in tok.children if c.dep_ in SUBJECT_DEPS)
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
            found = (
                _stray_subject(tok, s0)
                or _glued_subject(tok, s0)
                or _aside_subject(tok, s0)
                or _inverted_subject(tok, s1)
                or _shown_subject(tok, s0)
            )
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
            if head.lemma_.lower() in AUTHORED:
                up = head.head  # (through `a series of`, `with`: up to the verb)
                for _ in range(3):
                    if up.pos_ in {"VERB", "AUX"} or up.head.i == up.i:
                        break
                    up = up.head
                if up.pos_ in {"VERB", "AUX"} and up.i != head.i:
                    return subject_of(up, s0, s1) or head
            return head
        if (
            tok.i == verb.i
            and tok.dep_ == "acl"
            and tok.tag_ in {"VBN", "VBD"}
            and tok.head.pos_ in {"NOUN", "PROPN"}
            and s0 <= tok.head.i < tok.i
            and (
                (tok.head.dep_ == "ROOT" and tok.doc[tok.i - 1].text == ",")
                or (tok.tag_ == "VBD" and tok.head.i == tok.i - 1 and _opens_quote(tok))
            )
        ):
            # `Aaron Kall, the director of debate, compared Trump to ...`: a sentence whose only
            # verb the parse hung on its long subject as a modifier
            return tok.head
        if tok.dep_ not in UP_DEPS or tok.head.i == tok.i or not s0 <= tok.head.i < s1:
            return None
        tok = tok.head
    return None


def _opens_quote(verb: Token) -> bool:
    """`a man yelled “Stay there!”`: the cue is followed by an opening quotation mark (after a
    colon or comma, if any), and its object is not what was said (`a group called “X”` names)."""
    doc = verb.doc
    k = verb.i + 1
    if k < len(doc) and doc[k].text in {":", ","}:
        k += 1
    return k < len(doc) and doc[k].text in {"\u201c", '"', "``"} and lemma_of(verb) not in OBJECT


def clause_subject(tok: Token, s0: int, s1: int) -> Token | None:
    """`X took the step of criticizing Y`: a gerund's doer is the nearest subject above it, past
    one that holds the gerund itself where the parse made it so (`X shared it, writing “Feels
    ...”` hangs `writing` on the quoted verb as its subject: X still writes); that one only where
    there is no other (`Naming a third justice would ...`)."""
    up = tok.head
    holding: Token | None = None
    for _ in range(6):
        for c in up.children:
            if c.dep_ not in SUBJECT_DEPS or not s0 <= c.i < s1:
                continue
            if not c.left_edge.i <= tok.i <= c.right_edge.i:
                return c
            holding = holding or c
        if up.head.i == up.i:
            break
        up = up.head
    return holding


def _inverted_subject(verb: Token, s1: int) -> Token | None:
    """The speaker right after a quoting verb that follows a quote (`,” said X`), where the
    parser hung it elsewhere: as the verb's object (`,” said a state senator`, `,” read one`); as
    anything, a name (`,” said Jonas Pell, half joking`, the subject of `joking`: the name's last
    word); or as the subject of the verb's next clause (`,” said the harbor master, who did not
    want ...`)."""
    if lemma_of(verb) not in QUOTING or not _before_is_quote(verb):
        return None
    doc = verb.doc
    for child in verb.rights:
        if (
            child.dep_ in {"dobj", "attr", "npadvmod"}
            and (child.pos_ in {"NOUN", "PROPN"} or child.lower_ in _ONE_OF_THEM)
            and child.left_edge.i == verb.i + 1  # the words right after it
            and child.i <= min(verb.i + 6, s1 - 1)
        ):
            return child
    k = verb.i + 1
    while k < s1 and (doc[k].pos_ == "PROPN" or _mistagged_name(doc[k], verb)):
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


def _mistagged_name(tok: Token, verb: Token) -> bool:
    """`,” said Skelly, explaining ...`: a capitalised word right after the cue that the parser
    took for an adverb or adjective is a name."""
    return (
        tok.i == verb.i + 1
        and tok.is_title
        and tok.pos_ in {"ADV", "ADJ", "NOUN", "X"}
        and tok.ent_type_ not in {"DATE", "TIME"}
    )


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
    if prev.dep_ == "dobj" and lemma_of(prev.head) in SHOWING:
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


def _glued_subject(verb: Token, s0: int) -> Token | None:
    """`,” Bozell answers.`, `,” Trump barked and ...`: the words between a closing quotation mark
    and the cue, which the parser glued to the cue as a modifier (`Bozell` a compound of
    `answers`), are its subject."""
    if not verb.tag_.startswith("VB") or verb.i - 1 <= s0:
        return None
    prev = verb.doc[verb.i - 1]
    if prev.head.i != verb.i or prev.pos_ not in {"PROPN", "NOUN"} or prev.ent_type_ in {"DATE", "TIME"}:
        return None
    return prev if _before_is_quote(prev.left_edge) else None


def _aside_subject(verb: Token, s0: int) -> Token | None:
    """`Col. Ana Ruiz, a military spokeswoman in Harlow, said ...`, `Mr. Reid, who represents
    Nevada, said ...`: a finite verb right after an aside set off by commas (an appositive, a
    relative or participial clause) whose subject the parser hung elsewhere; the noun the
    innermost such aside describes is the subject."""
    doc = verb.doc
    last = verb.i - 2
    if verb.tag_ not in {"VBD", "VBZ", "VBP"} or last <= s0 or doc[verb.i - 1].text != ",":
        return None
    for k in range(last, s0, -1):
        aside = doc[k]
        opened = aside.left_edge.i - 1
        if (
            aside.dep_ in {"appos", "relcl", "acl"}
            and aside.right_edge.i == last
            and s0 <= aside.head.i < opened
            and doc[opened].text == ","
        ):
            owner = aside.head
            if owner.pos_ in {"PROPN", "NOUN"} and owner.ent_type_ not in {"DATE", "TIME"}:
                return owner
            return None
    return None


def _before_is_quote(tok: Token) -> bool:
    """The cue comes right after a closing quotation mark (`,” said X`)."""
    doc = tok.doc
    k = tok.i - 1
    while k >= 0 and doc[k].is_punct and doc[k].text in {",", "\u201d", '"', "''", "'", "!", "?", "\u2014"}:
        if doc[k].text in {"\u201d", '"', "''", "'"}:
            return True
        k -= 1
    return False
