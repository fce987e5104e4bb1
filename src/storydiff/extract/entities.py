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

_POSSESSIVE = re.compile(r"(?:['\u2019]s|['\u2019])$")
_SPACE = re.compile(r"\s+")


def clean_name(text: str) -> str:
    """A mention's words without leading titles, a trailing possessive or stray punctuation."""
    name = _SPACE.sub(" ", text).strip(" \t\n,;:\"'\u201c\u201d\u2018\u2019()")
    name = _POSSESSIVE.sub("", name)
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in {t.rstrip(".") for t in TITLES}:
        words.pop(0)
    if words and words[0].lower() == "the" and len(words) > 1:
        words.pop(0)
    return " ".join(words).strip(" .,") or name


def _full_names(people: list[str]) -> dict[str, str]:
    """Each single word (first or last name) or shorter name -> the longest name containing it."""
    longest: dict[str, str] = {}
    first_seen: dict[str, int] = {}
    for i, name in enumerate(people):
        first_seen.setdefault(name, i)
    for name in sorted(first_seen, key=lambda n: (-len(n.split()), first_seen[n])):
        words = name.split()
        if len(words) < 2:
            continue
        for key in (words[-1], words[0], " ".join(words[-2:]) if len(words) > 2 else ""):
            if key and key not in longest:
                longest[key] = name
    return longest


def canonical_names(mentions: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(label, cleaned name) pairs -> (label, canonical name), resolving partial person names."""
    people = [name for label, name in mentions if label == "PERSON"]
    full = _full_names(people)
    out: list[tuple[str, str]] = []
    for label, name in mentions:
        if label == "PERSON" and len(name.split()) < 2 and name in full:
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
    named = canonical_names([(e.label_, clean_name(e.text)) for e in ents])
    mentions: list[EntityMention] = []
    for ent, (label, canonical) in zip(ents, named, strict=True):
        span = Span(ent.start_char, ent.end_char)
        mentions.append(EntityMention(span, article.text[span.start : span.end], label, canonical))
    return mentions
