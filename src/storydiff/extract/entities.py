"""Named-entity mentions with their in-article canonical names.

`extract_mentions(article, doc)` turns spaCy's entities into `EntityMention`s. A person named in
full once ("Kim Jong Un") and by part of the name later ("Kim", "Mr. Kim") gets the full name as
`canonical` everywhere; titles ("President", "Mr.") and a possessive 's are not part of it.
A mention the small model labels ORG or GPE but that is exactly a known person's surname
("Trump") is relabelled PERSON, since within one article that is what it refers to.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from storydiff.model import Article, EntityMention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as Entity


def words(text: str) -> frozenset[str]:
    """A word list written as one whitespace-separated string."""
    return frozenset(text.split())


LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)

# Words that come before a name but are not part of it.
TITLES = words(
    """
    mr mr. mrs mrs. ms ms. miss dr dr. prof prof. sir dame lord lady president vice sen sen. senator
    rep rep. representative gov gov. governor mayor gen gen. general col col. lt lt. capt capt. adm
    adm. sgt sgt. judge justice secretary minister prime chancellor king queen prince princess pope
    rev rev. father sister brother chairman chairwoman chair ceo former candidate nominee speaker
    leader ambassador attorney commissioner director deputy chief premier sheikh ayatollah cardinal
    bishop rabbi imam coach officer agent detective professor
    """
)

_TITLE_WORDS = frozenset(t.rstrip(".") for t in TITLES)


def is_title(word: str) -> bool:
    """`Sen.`, `president`, `Mr`: a word that comes before a name but is not part of it."""
    return word.lower().rstrip(".") in _TITLE_WORDS


# Words that come after a name but are not its last name.
SUFFIXES = words("jr sr ii iii iv")

_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")
# a spaced dash ends a name: `Deborah Jordan Reynolds - Santilli's girlfriend`, `Robert Barr - won`
_DASH = re.compile(r"\s[-\u2013\u2014]+(?:\s|$)")
_SPACE = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """A mention's words without leading titles, a trailing possessive or stray punctuation."""
    name = _DASH.split(_SPACE.sub(" ", text))[0].strip(" \t\n,;:\"'\u201c\u201d\u2018\u2019()")
    name = _POSSESSIVE.sub("", name)
    words = name.split(" ")
    while len(words) > 1 and is_title(words[0]):
        words.pop(0)
    if words and words[0].lower() == "the" and len(words) > 1:
        words.pop(0)
    return " ".join(words).strip(" .,") or name


def _headline_runs(people: list[str]) -> dict[str, str]:
    """Long "names" that are runs of a title-case headline -> the person named first in them.

    The small model reads `Hillary Clinton Slams Donald Trump` as one PERSON; taken as a full
    name it would become every "Trump"'s canonical name. A run of four or more words that holds
    two other people's names, or one with three more words, is such a run.
    """
    multi = {n for n in people if len(n.split()) >= 2}
    runs: dict[str, str] = {}
    for name in multi:
        words = name.split()
        if len(words) < 4:
            continue
        padded = f" {name} "
        inside = [(padded.index(f" {m} "), m) for m in multi if m != name and f" {m} " in padded]
        if len(inside) < 2 and not any(len(words) - len(m.split()) >= 3 for _, m in inside):
            continue  # `Aung San Suu Kyi` is a name, though "Suu Kyi" is one too
        runs[name] = min(inside)[1]
    return runs


def _full_names(people: list[str]) -> dict[str, str]:
    """Each single word (first or last name) or shorter name -> the longest name containing it."""
    longest: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for i, name in enumerate(people):
        first_seen.setdefault(name, i)
    for name in sorted(first_seen, key=lambda n: (-len(n.split()), first_seen[n])):
        words = name.split()
        while len(words) > 2 and words[-1].lower().rstrip(".,") in SUFFIXES:
            words = words[:-1]  # `Martin Luther King Jr.` is "King" later
        if len(words) < 2:
            continue
        for key in (words[-1], words[0], " ".join(words[-2:]) if len(words) > 2 else ""):
            if key and key not in longest:
                longest[key] = name
    return longest


def canonical_names(mentions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, cleaned name) pairs -> (label, canonical name), resolving partial person names."""
    people = [name for label, name in mentions if label == "PERSON"]
    runs = _headline_runs(people)
    full = _full_names([name for name in people if name not in runs])
    out: list[tuple[str, str]] = []
    for label, name in mentions:
        if label == "PERSON" and name in runs:
            out.append((label, full.get(runs[name], runs[name])))
        elif label == "PERSON" and len(name.split()) < 2 and name in full:
            out.append((label, full[name]))
        elif label in {"ORG", "GPE", "NORP"} and " " not in name and name in full:
            out.append(("PERSON", full[name]))
        elif label == "PERSON" and len(name.split()) == 2 and name in full:
            out.append((label, full[name]))
        else:
            out.append((label, name))
    return out


def extract_mentions(article: Article, doc: Doc) -> list[EntityMention]:
    """spaCy's named entities in `doc` (the parse of `article.text`), with canonical names.

    Spans are character offsets into `article.text`; `mention.text` is exactly that slice.
    """
    ents = [e for e in doc.ents if e.label_ in LABELS and e.text.strip()]
    named = canonical_names([(_titled_person(e) or e.label_, clean_name(e.text)) for e in ents])
    mentions: list[EntityMention] = []
    for ent, (label, canonical) in zip(ents, named, strict=True):
        span = Span(ent.start_char, ent.end_char)
        mentions.append(EntityMention(span, article.text[span.start : span.end], label, canonical))
    return mentions


# titles that name a person's office, not modifiers of one (`former`, `vice`, `chief` ...)
_OFFICES = TITLES - words("former vice deputy chief prime general sister brother father candidate") | words(
    "executive spokesman spokeswoman spokesperson commander captain superintendent inspector lawyer"
)
_GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})


def _titled_person(ent: Entity) -> str | None:
    """PERSON for a name of two or three capitalised words right after a person's office (`Governor
    Tomas Ferrand`, `the regional governor, Tomas Ferrand,`) that the recogniser took for a place or an
    organisation, as it often does with names it has not seen; else None."""
    if ent.label_ not in _GROUP_LABELS:
        return None
    names = [t for t in ent if not t.is_punct]
    if not 2 <= len(names) <= 3 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in names):
        return None
    i = ent.start - 1
    if i >= 0 and ent.doc[i].text == ",":
        i -= 1
    return "PERSON" if i >= 0 and ent.doc[i].lower_.rstrip(".") in _OFFICES else None
