"""The words the frame rules read: cue verbs and nouns with the content rules each takes (the
shipped lexicon, learned on PolNeAR train), and the word classes the other parts consult."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from storydiff.extract.entities import words

if TYPE_CHECKING:
    from spacy.tokens import Token


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
    """Every verb with both rules: what `training/train_cues.py` measures before choosing."""

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
AS_CUES = (SPEECH - {"continue"}) | words("put point reveal document quote")
# Where something was said (`in a statement`, `during a briefing`): the narrator's, not the content.
MEDIUM = words(
    """
    statement interview email letter tweet post speech release conference call briefing op-ed
    remarks appearance hearing rally address message video debate twitter facebook instagram
    """
)
# Verbs whose subject voices their object: `made the argument that ...`, `offered assurances that`.
VOICE = words("make offer advance repeat press push raise put voice float reiterate renew give have hold")
# Things people write or pass, which speak for their authors: `a letter opposing the bill`.
AUTHORED = MEDIUM | words(
    """
    ad tweet legislation bill paper language law document filing lawsuit suit petition resolution
    amendment measure memo note book article column editorial ruling order motion complaint
    """
)
# Verbs of being moved: what moves someone is what they react to (`troubled by X`), so a passive
# one's agent is no speaker.
MOVED = words(
    """
    dismay trouble rattle intrigue concern worry alarm anger frustrate disappoint surprise shock
    offend disturb upset bother annoy impress encourage inspire horrify outrage disgust appall
    stun baffle puzzle confuse amuse please delight thrill excite scare frighten terrify embarrass
    humiliate insult move heartbreak sadden hearten reassure convince persuade
    """
)
# A poll speaks for its respondents (`In a CNN poll, A`).
POLLS = words("poll survey")
# participles the parse reads as prepositions (`compared to`, `regarding`); on PolNeAR train the
# quotes they framed were mostly no attribution (compared 3 of 14, regarding 3 of 10)
PREPOSITIONAL = words("compare regard")
# verbs of showing or hearing someone do something (`the ad shows him saying ...`)
SHOWING = words("show hear see watch catch capture feature record film")


def lemma_of(tok: Token) -> str:
    """The token's lemma as the lexicon spells it."""
    return _LEMMA_FIX.get(tok.lower_, tok.lemma_.lower())
