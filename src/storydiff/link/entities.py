"""One Entity per person, organisation or place across articles.

Names are compared after folding case, accents, punctuation, honorifics and titles ("Foreign
Minister Sergey Volkov" -> "sergey volkov"), then through a transliteration key that lets
Sergey / Sergei and Zelensky / Zelenskyy / Zelenskiy meet. Organisations and places also meet by
acronym (United Nations / U.N. / UN) and a short table of well-known aliases (DPRK / North Korea).
A surname alone ("Volkov") joins the one full name with that surname in the same story; when two
people share it, it stays apart rather than guess. A PERSON never merges with a place.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from storydiff.model import Article, Entity

# spaCy labels folded into the types the report shows
_COARSE = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "GPE", "FAC": "FAC", "NORP": "NORP"}

_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady", "madam", "mme", "m",
    "president", "vice", "prime", "minister", "foreign", "defence", "defense", "interior", "finance",
    "secretary", "state", "general", "gen", "lt", "col", "colonel", "major", "maj", "capt", "captain",
    "admiral", "adm", "sgt", "sergeant", "senator", "sen", "rep", "representative", "governor", "gov",
    "mayor", "chancellor", "king", "queen", "prince", "princess", "pope", "rev", "reverend", "father",
    "sheikh", "ayatollah", "chairman", "chairwoman", "chair", "ceo", "chief", "spokesman", "spokeswoman",
    "spokesperson", "ambassador", "envoy", "judge", "justice", "deputy", "former", "acting", "premier",
    "commissioner", "director", "leader", "speaker", "kalvorian", "the",
}  # fmt: skip
# well-known names that share no letters with their alias; all keys are `fold()`ed
_ALIASES = {
    "dprk": "north korea", "democratic peoples republic of korea": "north korea",
    "rok": "south korea", "republic of korea": "south korea",
    "us": "united states", "usa": "united states", "america": "united states",
    "united states of america": "united states", "uk": "united kingdom", "britain": "united kingdom",
    "great britain": "united kingdom", "russian federation": "russia", "prc": "china",
    "peoples republic of china": "china", "uae": "united arab emirates", "ussr": "soviet union",
    "holland": "netherlands", "the netherlands": "netherlands", "eu": "european union",
    "un": "united nations", "nato": "north atlantic treaty organization",
    "north atlantic treaty organisation": "north atlantic treaty organization",
    "who": "world health organization", "world health organisation": "world health organization",
    "imf": "international monetary fund",
}  # fmt: skip
_SMALL_WORDS = {"of", "the", "and", "for", "de", "la", "des", "du"}


@lru_cache(maxsize=1 << 16)  # names recur across a corpus' articles
def fold(name: str) -> str:
    """Case-, accent- and punctuation-free form ("U.N." -> "un", "Zelenskyy's" -> "zelenskyy")."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"['’`]s\b", "", s)
    s = re.sub(r"(?<=\b\w)\.(?=\w\.)|(?<=\b\w)\.", "", s)  # U.N. -> UN
    s = re.sub(r"[^\w\s]", " ", s)
    return " ".join(s.split())


entity_key = fold  # kept for callers of the placeholder


@lru_cache(maxsize=1 << 16)
def strip_titles(name: str) -> str:
    """The name without honorifics and titles ("Foreign Minister Sergey Volkov" -> "sergey volkov")."""
    words = fold(name).split()
    while len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    return " ".join(words)


_TRANSLIT = [
    ("yy", "i"), ("iy", "i"), ("ij", "i"), ("yi", "i"), ("ey", "ei"), ("y", "i"), ("ph", "f"), ("kh", "h"),
    ("ck", "k"), ("ks", "x"), ("w", "v"), ("ou", "u"), ("oo", "u"), ("tch", "ch"), ("tsch", "ch"),
    ("dj", "j"),
    ("zh", "j"), ("q", "k"), ("c", "k"), ("ii", "i"),
]  # fmt: skip


@lru_cache(maxsize=1 << 16)
def translit_key(name: str) -> str:
    """A spelling-insensitive key: Sergey/Sergei, Zelensky/Zelenskyy/Zelenskiy, Aleksandr/Alexandr."""
    out = []
    for word in fold(name).split():
        w = word
        for a, b in _TRANSLIT:
            w = w.replace(a, b)
        w = re.sub(r"(?<=[aeiol])h(?=[aeiou]|$)", "g", w)  # Ukrainian h for Russian g: Oleh/Oleg, Olha/Olga
        w = re.sub(r"(.)\1+", r"\1", w)  # doubled letters
        out.append(w)
    return " ".join(out)


def acronym(name: str) -> str:
    words = [w for w in fold(name).split() if w not in _SMALL_WORDS]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""


@dataclass
class _Node:
    etype: str
    key: str  # strip_titles(canonical)
    forms: Counter[str] = field(default_factory=Counter)  # canonical names as written
    aliases: list[str] = field(default_factory=list)  # surface forms as written
    articles: list[str] = field(default_factory=list)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link_entities(articles: Sequence[Article], story_of: Mapping[str, str] | None = None) -> list[Entity]:
    """Cross-article entities; sets `EntityMention.entity` and `Speaker.entity` in place.

    `story_of` maps article id -> story id; surname-only mentions are resolved within a story
    (within the whole set when it is None).
    """
    story_of = story_of or {}
    nodes: list[_Node] = []
    index: dict[tuple[str, str], int] = {}
    mention_node: list[tuple[Article, int, int]] = []  # (article, mention index, node)
    for article in articles:
        for mi, mention in enumerate(article.mentions):
            etype = _COARSE.get(mention.label)
            key = strip_titles(mention.canonical) if etype else ""
            if etype is None or not key:
                continue
            n = index.get((etype, key))
            if n is None:
                n = index[(etype, key)] = len(nodes)
                nodes.append(_Node(etype, key))
            node = nodes[n]
            node.forms[mention.canonical] += 1
            if mention.text not in node.aliases:
                node.aliases.append(mention.text)
            if mention.canonical not in node.aliases:
                node.aliases.append(mention.canonical)
            if not node.articles or node.articles[-1] != article.id:  # articles come one at a time
                node.articles.append(article.id)
            mention_node.append((article, mi, n))
        for quote in article.quotes:  # a speaker the entity extractor missed is still a person
            sp = quote.speaker
            if sp.name and sp.how == "named" and strip_titles(sp.name):
                key = strip_titles(sp.name)
                if not any((t, key) in index for t in ("PERSON", "ORG", "GPE", "NORP")):
                    index[("PERSON", key)] = len(nodes)
                    nodes.append(_Node("PERSON", key, Counter({sp.name: 1}), [sp.name], [article.id]))
    uf = _UnionFind()
    _merge(nodes, uf, story_of)
    entities, node_entity = _build(nodes, uf)
    for article, mi, n in mention_node:
        article.mentions[mi].entity = node_entity[n]
    by_translit: dict[str, int] = {}  # the first node of each transliteration key
    for i, node in enumerate(nodes):
        by_translit.setdefault(translit_key(node.key), i)
    for article in articles:
        forms: dict[str, list[str]] = {}  # the article's own forms of each entity's name
        for m in article.mentions:
            if m.entity is not None:
                forms.setdefault(m.entity, []).append(_untitled(m.canonical))
        for quote in article.quotes:
            sp = quote.speaker
            if sp.name:
                sp.entity = _lookup(sp.name, index, by_translit, node_entity)
            if sp.name and sp.entity is not None:
                sp.name = _full_name(forms.get(sp.entity, []), sp.name)
    return entities


def _full_name(forms: Sequence[str], name: str) -> str:
    """The fullest of `forms` (the quote's own article's names for the speaker's entity) that extends
    `name`: "Espinoza said" after "Senator Maria Espinoza" is Maria Espinoza's, so a reader (or
    `quotes --speaker`) sees one name for all her quotes. Only that article's words: another outlet's
    "Bill Clinton" is no reason to call this one's "Clinton" that."""
    fuller = [form for form in forms if _extends(form, name)]
    return max(fuller, key=lambda f: (min(len(f.split()), 3), -len(f)), default=name)


def _extends(full: str, name: str) -> bool:
    """`full` is `name` with more words before it ("Maria Espinoza" of "Espinoza")."""
    have = [translit_key(w) for w in strip_titles(name).split()]
    words = [translit_key(w) for w in full.split()]
    return 0 < len(have) < len(words) and words[-len(have) :] == have


def _merge(nodes: list[_Node], uf: _UnionFind, story_of: Mapping[str, str]) -> None:
    by_translit: dict[tuple[str, str], int] = {}
    by_alias: dict[tuple[str, str], int] = {}
    for i, node in enumerate(nodes):
        uf.find(i)
        t = (node.etype, translit_key(node.key))
        if t in by_translit:
            uf.union(by_translit[t], i)
        else:
            by_translit[t] = i
        if node.etype in ("ORG", "GPE", "FAC", "NORP"):
            names = {node.key, _ALIASES.get(node.key, node.key)}
            if acronym(node.key):
                names.add(acronym(node.key))
            names |= {_ALIASES.get(x, x) for x in list(names)}
            for name in names:
                # an acronym can be tagged ORG in one article and GPE in another ("U.S.")
                k = ("ORG+GPE" if node.etype in ("ORG", "GPE") else node.etype, name)
                if k in by_alias:
                    uf.union(by_alias[k], i)
                else:
                    by_alias[k] = i
    # people: same surname and compatible first names ("S. Volkov", "Sergei Volkov")
    people = [i for i, n in enumerate(nodes) if n.etype == "PERSON"]
    full = [i for i in people if len(nodes[i].key.split()) >= 2]
    by_surname: dict[str, list[int]] = {}
    for i in full:
        by_surname.setdefault(translit_key(nodes[i].key.split()[-1]), []).append(i)
    for group in by_surname.values():
        for a in group:
            for b in group:
                if a < b and _first_names_agree(nodes[a].key, nodes[b].key):
                    uf.union(a, b)
    # spaCy often tags an unfamiliar surname as a place or an organisation ("Vartan said")
    singles = [i for i, n in enumerate(nodes) if n.etype in ("PERSON", "GPE", "ORG")]
    for i in singles:
        words = nodes[i].key.split()
        if len(words) != 1:
            continue
        surname = translit_key(words[0])
        stories = {story_of.get(a, "") for a in nodes[i].articles}
        candidates = {
            uf.find(j)
            for j in by_surname.get(surname, [])
            if not story_of or stories & {story_of.get(a, "") for a in nodes[j].articles}
        }
        if len(candidates) == 1:
            uf.union(candidates.pop(), i)
            nodes[i].etype = "PERSON"


def _first_names_agree(a: str, b: str) -> bool:
    fa, fb = a.split()[0], b.split()[0]
    if fa == fb or translit_key(fa) == translit_key(fb):
        return True
    return (len(fa) == 1 and fb.startswith(fa)) or (len(fb) == 1 and fa.startswith(fb))


def _build(nodes: list[_Node], uf: _UnionFind) -> tuple[list[Entity], dict[int, str]]:
    groups: dict[int, list[int]] = {}
    for i in range(len(nodes)):
        groups.setdefault(uf.find(i), []).append(i)
    entities: list[Entity] = []
    node_entity: dict[int, str] = {}
    for members in sorted(groups.values(), key=min):
        forms: Counter[str] = Counter()
        aliases: list[str] = []
        arts: dict[str, None] = {}  # ordered set: a big entity ("U.S.") is in thousands of articles
        for m in members:
            forms.update(nodes[m].forms)
            aliases += [x for x in nodes[m].aliases if x not in aliases]
            arts.update(dict.fromkeys(nodes[m].articles))
        etype = nodes[members[0]].etype
        name = _canonical(forms, etype)
        entity = Entity(
            id=f"e{len(entities) + 1}", name=name, type=etype, aliases=aliases, articles=list(arts)
        )
        entities.append(entity)
        for m in members:
            node_entity[m] = entity.id
    return entities, node_entity


def _canonical(forms: Counter[str], etype: str) -> str:
    """The most used full form, without titles, keeping the writer's casing."""

    def score(form: str) -> tuple[int, int, int]:
        bare = strip_titles(form)
        words = len(bare.split())
        # the full name beats a bare surname; an expansion beats an acronym
        return (min(words, 3) if etype in ("PERSON", "ORG", "GPE") else 0, forms[form], -len(form))

    return _untitled(max(forms, key=score))


def _untitled(form: str) -> str:
    """`form` without its titles ("Senator Maria Espinoza": "Maria Espinoza"), in the writer's casing."""
    words = form.split()
    bare_words = strip_titles(form).split()
    return " ".join(words[len(words) - len(bare_words) :]) if bare_words else form


def _lookup(name: str, index: Mapping[tuple[str, str], int], by_translit: Mapping[str, int],
            node_entity: Mapping[int, str]) -> str | None:  # fmt: skip
    key = strip_titles(name)
    for etype in ("PERSON", "ORG", "GPE", "NORP", "FAC"):
        n = index.get((etype, key))
        if n is not None:
            return node_entity.get(n)
    n = by_translit.get(translit_key(key))
    return None if n is None else node_entity.get(n)
