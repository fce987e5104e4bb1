"""Who a cue's source is: the mention in the text, and the person or organisation behind it.

`Speakers` is built once per article (its entity mentions and parse) and answers
`speaker_at(token)` for the head token of a source phrase:

- a named person ("U.S. State Department spokesman Matthew Miller") -> `named`, name "Matthew
  Miller", role "U.S. State Department spokesman"; a partial name ("Kim") gets the full one;
- an organisation or agency ("the Kremlin", "KCNA") -> `organisation`;
- a pronoun ("he", "she", "they") -> `pronoun`, resolved by gender and number against, in order:
  the speaker of the current paragraph, the subject of the previous sentence, and the most recent
  compatible person or group mentioned before it;
- "who"/"which" in a relative clause -> the noun the clause hangs on;
- names joined by "and" ("Moretsky and Vartan agreed") -> one speaker, name "Adrian Moretsky and
  Ilena Vartan", whom a later "they" names; descriptions joined so stay a description;
- anything else ("a source", "analysts", "the official") -> `description`, with no name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storydiff.extract.entities import clean_name, is_title, words
from storydiff.model import EntityMention, Span, Speaker
from storydiff.nlp import token_chars

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MALE = frozenset({"he", "him", "his", "himself"})
FEMALE = frozenset({"she", "her", "hers", "herself"})
PLURAL = frozenset({"they", "them", "their", "themselves"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
GROUP_LABELS = frozenset({"ORG", "NORP", "GPE"})

# Common first names whose bearer's gender decides a "he"/"she" (a tie-breaker, not a rule).
FEMALE_NAMES = words(
    """
    hillary chelsea nancy elizabeth sarah kellyanne melania ivanka michelle huma hope donna debbie
    loretta carly nikki condoleezza madeleine janet theresa angela marine ruth sonia elena susan
    kamala amy kirsten tammy maxine barbara laura jill mary anne ann jane kate katie karen lisa
    linda patricia jennifer maria margaret emily emma olivia julia claire rachel rebecca samantha
    sandra christine catherine kathleen heather megyn greta dana robin jennifer alicia ava sophia
    natalie
    """
)
MALE_NAMES = words(
    """
    donald bernie ted marco john jeb mike barack bill joe chris rand ben paul mitt george jim tim
    rudy newt reince corey paul harry mitch lindsey scott rick james robert michael david richard
    thomas charles mark steve steven kevin brian jeff jeffrey eric jason ryan gary larry frank peter
    anthony tony andrew dan daniel matt matthew ron roger karl sean jake jared stephen vladimir xi
    kim barry lindsay jerry martin bobby tom chuck dick al martin kasich ronald
    """
)
FEMALE_TITLES = frozenset({"mrs", "ms", "miss", "madam", "dame", "lady", "queen", "princess", "sister"})
MALE_TITLES = frozenset({"mr", "sir", "lord", "king", "prince", "father", "brother"})

# Head words of an organisation's name.
ORG_WORDS = words(
    """
    agency news ministry department office committee council party campaign court times post journal
    press network institute foundation university association union commission bureau
    """
)
# A "she"/"he" looks back through at most this many sentences led by the same pronoun.
PRONOUN_SENTENCES = 3
# Speakers that coordination joins into one (`Moretsky and Vartan`, `Kalvoria and Tessaly`).
_JOINABLE = frozenset({"named", "organisation", "description"})
# Source words that are a description of a group, for "they".
_PLURAL_TAGS = frozenset({"NNS", "NNPS"})


@dataclass(slots=True)
class _Referent:
    name: str
    mention: Span
    mention_text: str
    how: str
    gender: str | None  # "m", "f" or None
    plural: bool
    joined: bool = False  # `Moretsky and Vartan`: a "they", never an "it"


def _gender_of_name(name: str, titles: set[str]) -> str | None:
    first = name.split(" ")[0].lower()
    if titles & FEMALE_TITLES or first in FEMALE_NAMES:
        return "f"
    if titles & MALE_TITLES or first in MALE_NAMES:
        return "m"
    return None


_POSSESSIVE = re.compile(r"['\u2019]s?\s")


class Speakers:
    """Speaker resolution over one article's parse and entity mentions."""

    def __init__(self, text: str, doc: Doc, mentions: list[EntityMention]) -> None:
        self.text = text
        self.doc = doc
        self.mentions = sorted(mentions, key=lambda m: m.span.start)
        self._starts = [m.span.start for m in self.mentions]
        self.gender: dict[str, str] = {}
        for m in self.mentions:
            if m.label != "PERSON":
                continue
            before = text[max(0, m.span.start - 6) : m.span.start].lower().split()
            titles = {w.rstrip(".") for w in before[-1:]} | {
                w.rstrip(".").lower() for w in m.text.split()[:1]
            }
            g = _gender_of_name(m.canonical, titles)
            if g and m.canonical not in self.gender:
                self.gender[m.canonical] = g
        self.people = {m.canonical for m in self.mentions if m.label == "PERSON"}
        self._people_words = {w for name in self.people for w in name.split()}
        self.recent: list[_Referent] = []  # speakers in text order, for pronouns
        self.paragraph_speaker: dict[int, Speaker] = {}

    # --- mentions -------------------------------------------------------------------------
    def mention_in(self, start: int, end: int) -> EntityMention | None:
        """The person or organisation mention inside [start, end), preferring a person; never one
        that only owns what follows (`Scott's niece`, `Trump's spokeswoman Hope Hicks`)."""
        i = bisect_right(self._starts, start - 1)
        best: EntityMention | None = None
        while i < len(self.mentions) and self.mentions[i].span.start < end:
            m = self.mentions[i]
            owner = m.span.end < end and _POSSESSIVE.match(self.text, m.span.end) is not None
            wanted = m.span.end <= end and m.label in {"PERSON", "ORG", "GPE", "NORP"} and not owner
            if wanted and (best is None or (m.label == "PERSON" and best.label != "PERSON")):
                best = m
            i += 1
        return best

    def mentions_before(self, pos: int, limit: int = 50) -> list[EntityMention]:
        """The `limit` mentions closest before `pos`, nearest first."""
        end = bisect_right(self._starts, pos - 1)
        return self.mentions[max(0, end - limit) : end][::-1]

    # --- phrases --------------------------------------------------------------------------
    def phrase(self, head: Token) -> tuple[int, int]:
        """Token range [i, j) of the noun phrase headed by `head`, without clauses hanging on it; with
        the prepositional phrases that say whose or which it is (`a spokesman for the port`, `a survey
        by the Harbor Research Institute`: who stands behind a document's words)."""
        left = head.i
        for child in head.lefts:
            if child.dep_ in {"punct", "cc", "preconj"}:
                continue
            left = min(left, child.left_edge.i)
        right = head.i + 1
        for child in head.rights:
            if child.dep_ in {"compound", "flat", "nummod", "case"} or (
                child.dep_ == "prep" and child.lower_ in {"of", "for", "at", "with", "from", "by"}
            ):
                right = max(right, child.right_edge.i + 1)
            else:
                break
        while left < head.i and self.doc[left].is_punct:
            left += 1
        return left, right

    def speaker_at(self, head: Token, paragraph: int | None = None) -> Speaker:
        """The speaker whose source phrase is headed by `head`; coordinated names (`Moretsky and
        Vartan agreed`) are one speaker together."""
        first = self._speaker_at(head, paragraph)
        joined = self._coordinated(head)
        if len(joined) < 2 or first.how not in _JOINABLE:
            return first
        parts = [first if tok.i == head.i else self._speaker_at(tok, paragraph) for tok in joined]
        hows = {p.how for p in parts}
        names = list(dict.fromkeys(p.name for p in parts))
        if hows == {"description"}:  # `the prime minister of Kalvoria and the president of Tessaly`
            how, name = "description", None
        elif hows <= {"named", "organisation"} and len(names) > 1:
            how = "named" if "named" in hows else "organisation"
            name = " and ".join(n or "" for n in names)
        else:
            return first  # `he and his aides`, `Moretsky and a spokesman`: the first is the speaker
        span = token_chars(self.doc, self.phrase(joined[0])[0], self.phrase(joined[-1])[1])
        speaker = Speaker(name, how, span, self.text[span.start : span.end])  # type: ignore[arg-type]
        self.remember(speaker, plural=True, joined=True)
        return speaker

    @staticmethod
    def _coordinated(head: Token) -> list[Token]:
        """`head` and the nouns coordinated with it by `and` (`A, B and C`), in text order; just
        `head` where there are none or the coordination is `or`/`but`."""
        if head.pos_ not in {"PROPN", "NOUN"}:
            return [head]
        conj = [t for t in head.conjuncts if t.pos_ in {"PROPN", "NOUN"}]
        if head.dep_ == "conj":  # a subject the parser hung on an earlier noun starts its own list
            conj = [t for t in conj if t.i > head.i]
        if not conj:
            return [head]
        toks = sorted([head, *conj], key=lambda t: t.i)
        ccs = {c.lower_ for t in toks for c in t.children if c.dep_ == "cc"}
        if not ccs or not ccs <= {"and", "&"}:
            return [head]
        return toks

    def _speaker_at(self, head: Token, paragraph: int | None) -> Speaker:
        lower = head.lower_
        if head.tag_ in {"WP", "WDT"} or (lower in RELATIVE and head.dep_.startswith("nsubj")):
            anchor = self._relative_anchor(head)
            if anchor is not None:
                inner = self.speaker_at(anchor, paragraph)
                span = Span(head.idx, head.idx + len(head.text))
                return Speaker(inner.name, inner.how, span, head.text, inner.role)
        if head.pos_ == "PRON" or lower in MALE | FEMALE | PLURAL | {"it", "i", "we", "you"}:
            return self._pronoun(head, paragraph)
        span = token_chars(self.doc, *self.phrase(head))
        start, end = span.start, span.end
        text = self.text[start:end]
        m = self.mention_in(start, end)
        named = self._appositive_name(head) if head.pos_ == "NOUN" else None
        if named is None and head.pos_ == "NOUN" and head.dep_ == "appos" and head.head.pos_ == "PROPN":
            # `Mark Kantrowitz, a student loan expert who has published ...`: the description is said
            # of the name before it, and so is what hangs on it (a relative clause's "who")
            owner = token_chars(self.doc, *self.phrase(head.head))
            person = self.mention_in(owner.start, owner.end)
            if person is not None and person.label == "PERSON":
                named = person.canonical, "named"
        if named is not None and (m is None or m.label != "PERSON"):
            # `the head of the port authority, Ana Ruiz, told ...`: the person named beside the
            # description speaks, not the organisation inside it
            name, how = named
            speaker = Speaker(name, how, span, text, self._role(start, start + len(text)))  # type: ignore[arg-type]
            self.remember(speaker)
            return speaker
        if m is None:
            # an appositive name: "a spokesman, John Smith, said"
            for child in head.rights:
                if child.dep_ == "appos":
                    m = self.mention_in(
                        child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text)
                    )
                    if m is not None:
                        break
        if (
            m is not None
            and m.label != "PERSON"
            and (head.pos_ == "NOUN" or _indefinite(head))
            and not m.span.start <= head.idx < m.span.end
            and head.lower_ not in ORG_WORDS
        ):
            # "a senior Kalvorian official", "a State Department spokesman", "a South Carolina
            # Democrat": a person described by whom they work for or where they are from, not the
            # organisation or place itself, and no name to invent
            speaker = Speaker(None, "description", span, text, None)
            self.remember(speaker, plural=head.tag_ in _PLURAL_TAGS)
            return speaker
        if m is not None and m.label in {"PERSON", "ORG", "GPE", "NORP"}:
            how = "named" if m.label == "PERSON" else "organisation"
            role = self._role(start, m.span.start)
            speaker = Speaker(m.canonical, how, span, text, role)  # type: ignore[arg-type]
            plural = m.label != "PERSON" and head.tag_ in _PLURAL_TAGS
            self.remember(speaker, plural=plural or m.label == "NORP")
            return speaker
        if head.pos_ == "PROPN" and head.text[:1].isupper():
            # a name the entity recogniser missed: an agency (KCNA), a paper, a person; the words
            # before its run of capitalised names describe it (`police chief Ana Ruiz`)
            first = head.i
            while (
                first > 0 and self.doc[first - 1].pos_ == "PROPN" and self.doc[first - 1].text[:1].isupper()
            ):
                first -= 1
            name_start = max(start, self.doc[first].idx)
            name = clean_name(self.text[name_start:end])
            how = "organisation" if head.text.isupper() or head.lower_ in ORG_WORDS else "named"
            role = self._role(start, name_start) if name_start > start else None
            speaker = Speaker(name, how, span, text, role)  # type: ignore[arg-type]
            self.remember(speaker, plural=how == "organisation")
            return speaker
        speaker = Speaker(None, "description", span, text, None)
        self.remember(speaker, plural=head.tag_ in _PLURAL_TAGS)
        return speaker

    def _appositive_name(self, head: Token) -> tuple[str, str] | None:
        """The person named in an appositive of a description (`a spokesman, John Smith,`), as
        (name, "named"): the recogniser's person, else a run of capitalised proper nouns it missed."""
        for child in head.rights:
            if child.dep_ != "appos" or child.pos_ != "PROPN":
                continue
            first, last = child.left_edge, child.right_edge
            m = self.mention_in(first.idx, last.idx + len(last.text))
            if m is not None:
                return (m.canonical, "named") if m.label == "PERSON" else None
            parts = [t for t in self.doc[first.i : last.i + 1] if not t.is_punct]
            if 2 <= len(parts) <= 4 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in parts):
                return clean_name(" ".join(t.text for t in parts)), "named"
        return None

    def _role(self, start: int, name_start: int) -> str | None:
        words = self.text[start:name_start].strip(" ,").split()
        while words and words[0].lower() in {"the", "a", "an"}:
            words.pop(0)
        role = " ".join(words).strip(" ,")
        if not role:
            return None
        if role.lower().rstrip(".") in {"mr", "mrs", "ms", "dr", "miss"}:
            return None
        return role

    def _relative_anchor(self, head: Token) -> Token | None:
        verb = head.head
        if verb.dep_ == "relcl":
            return verb.head
        return None

    # --- pronouns -------------------------------------------------------------------------
    def remember(self, speaker: Speaker, plural: bool = False, joined: bool = False) -> None:
        if speaker.mention is None:
            return
        gender = self.gender.get(speaker.name or "") if speaker.name else None
        self.recent.append(
            _Referent(
                speaker.name or "",
                speaker.mention,
                speaker.mention_text or "",
                speaker.how,
                gender,
                plural,
                joined,
            )
        )

    def _pronoun(self, head: Token, paragraph: int | None) -> Speaker:
        span = Span(head.idx, head.idx + len(head.text))
        lower = head.lower_
        name: str | None = None
        role: str | None = None
        if lower in MALE | FEMALE:
            want = "m" if lower in MALE else "f"
            name, role = self._resolve_person(head, want, paragraph)
        elif lower in PLURAL or lower == "it":
            name = self._resolve_group(head)
        return Speaker(name, "pronoun", span, head.text, role)

    def _resolve_person(self, head: Token, want: str, paragraph: int | None) -> tuple[str | None, str | None]:
        if paragraph is not None:
            current = self.paragraph_speaker.get(paragraph)
            if current is not None and current.name and current.how in {"named", "continuation"}:
                g = self.gender.get(current.name)
                if g in (None, want) and self._is_person(current.name):
                    return current.name, current.role
        # the subject of the previous sentence, when it is a person; past a `she` there (`Ana Ruiz
        # was less sure. She warned ...` ¶ `“...,” she said.`) the one before it
        sent = head.sent
        for _ in range(PRONOUN_SENTENCES):
            if sent.start == 0:
                break
            sent = self.doc[sent.start - 1].sent
            subject = next((t for t in sent if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
            if subject is None:
                break
            if subject.lower_ in (MALE if want == "m" else FEMALE):
                continue
            name = self._person_named_at(subject)
            if name is not None and self.gender.get(name) in (None, want):
                return name, None
            break
        # the speaker of the paragraph before: `..., Ana Ruiz, told a radio station that ...` ¶
        # `“It was settled weeks ago,” she said.` is hers, not the article's most named person's
        # ... unless this paragraph names a person before the pronoun (`Sergei Volkov ... was more
        # cautious. “...,” he said.`): then the nearest mention below is the one meant
        starts_at = self.text.rfind("\n", 0, head.idx) + 1
        named_here = any(m.label == "PERSON" and m.span.start >= starts_at
                         for m in self.mentions_before(head.idx))  # fmt: skip
        if paragraph and not named_here:
            before = self.paragraph_speaker.get(paragraph - 1)
            named = before is not None and before.name and before.how == "named"
            if named and before is not None and before.name:
                fits = self.gender.get(before.name) in (None, want)
                if fits and _person_like(before.name, self.people):
                    return before.name, before.role
        fallback: str | None = None
        for name in self._people_before(head.idx)[:4]:
            g = self.gender.get(name)
            if g == want:
                return name, None
            if g is None and fallback is None:
                fallback = name
        return fallback, None

    def _people_before(self, pos: int) -> list[str]:
        """The persons named before `pos`, nearest first: the recogniser's, and the speakers named by
        a run of capitalised words it missed altogether (`The minister, Oren Lask, pledged ...`; a
        run that shares a word with a person it found, `Rhimes` or a headline's `Trump Says He`, is
        that person's, or no one's)."""
        found = [(m.span.start, m.canonical) for m in self.mentions_before(pos) if m.label == "PERSON"]
        found += [(r.mention.start, r.name) for r in self.recent
                  if r.how == "named" and r.name and not r.plural and r.mention.start < pos
                  and not self._people_words.intersection(r.name.split())]  # fmt: skip
        return [name for _, name in sorted(found, key=lambda f: -f[0])]

    def _person_named_at(self, subject: Token) -> str | None:
        """The person a subject names: the recogniser's person, or an appositive name (`the chief,
        Ana Ruiz,`). (Proper nouns the recogniser left untagged are not taken for a person here:
        on PolNeAR train folds that named the wrong speaker as often as the right one.)"""
        m = self.mention_in(subject.idx, subject.idx + len(subject.text))
        if m is not None:
            return m.canonical if m.label == "PERSON" else None
        if subject.pos_ == "NOUN":
            named = self._appositive_name(subject)
            return named[0] if named is not None else None
        return None

    def _is_person(self, name: str) -> bool:
        return name in self.people

    def _resolve_group(self, head: Token) -> str | None:
        for ref in reversed(self.recent[-50:]):
            if ref.mention.start >= head.idx or (ref.joined and head.lower_ == "it"):
                continue
            if ref.plural or ref.how == "organisation":
                return ref.name or None
        for m in self.mentions_before(head.idx):
            if m.label in {"ORG", "NORP"}:
                return m.canonical
        return None


__all__ = ["Speakers", "clean_name", "is_title"]


def _person_like(name: str, people: set[str]) -> bool:
    """A name the recogniser took for a person's, or two to four capitalised words it missed."""
    return name in people or (2 <= len(name.split()) <= 4 and name.istitle())


def _indefinite(head: Token) -> bool:
    """`a ...`, `another ...`: one of many, not a name."""
    return any(c.dep_ == "det" and c.lower_ in {"a", "an", "another"} for c in head.children)
