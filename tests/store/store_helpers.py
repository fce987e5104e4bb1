"""Hand-built articles for the store tests, and a stand-in NLP for the CLI subprocess tests.

`make_article` locates each quote, claim and speaker in the text, so every span's
`text[start:end]` is what it claims. `fake_extract` is a tiny deterministic extractor (quoted
passages, the capitalised name before them, sentences with numbers) used where a test needs
`storydiff analyze` on many files fast, without spaCy. `run_linked` stores a run's articles and links
what is new, as `storydiff analyze --db` does, with the quick lexical embedder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from storydiff.archive import link_new
from storydiff.embed import HashingEmbedder
from storydiff.link import link
from storydiff.link.stories import StoryIndex
from storydiff.model import (
    Alignment,
    Analysis,
    Article,
    Claim,
    Entity,
    EntityMention,
    OffsetMap,
    Quote,
    QuoteLink,
    Span,
    Speaker,
    Story,
)
from storydiff.store import Store


def make_article(
    aid: str,
    text: str,
    *,
    quotes: Sequence[tuple[str, str | None]] = (),
    claims: Sequence[str] = (),
    url: str | None = None,
    path: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: datetime | None = None,
    raw_prefix: str = "",
) -> Article:
    """An article whose quotes are (words, speaker name) and claims are sentences of `text`.

    `raw_prefix` is put before the text in the raw copy (like a removed headline), so the offset
    map is not the identity.
    """
    raw = raw_prefix + text
    offsets = (
        OffsetMap([(0, len(raw_prefix))], len(text), len(raw))
        if raw_prefix
        else OffsetMap.identity(len(text))
    )
    article = Article(
        id=aid,
        raw=raw,
        text=text,
        offsets=offsets,
        url=url,
        path=path,
        outlet=outlet,
        title=title,
        published=published,
        paragraphs=[Span(0, len(text))],
    )
    for n, (words, speaker) in enumerate(quotes, start=1):
        start = text.index(words)
        mention = None
        if speaker and speaker in text:
            at = text.index(speaker)
            mention = Span(at, at + len(speaker))
            article.mentions.append(EntityMention(mention, speaker, "PERSON", speaker))
        sp = Speaker(
            name=speaker,
            how="named" if speaker else "unknown",
            mention=mention,
            mention_text=speaker if mention else None,
        )
        article.quotes.append(Quote(f"{aid}:q{n}", aid, Span(start, start + len(words)), words, "direct", sp))
    for n, sentence in enumerate(claims, start=1):
        start = text.index(sentence)
        article.claims.append(
            Claim(f"{aid}:c{n}", aid, Span(start, start + len(sentence)), sentence, "number")
        )
    return article


SUMMIT_WIRE = (
    'Foreign minister Anna Berg said "the ceasefire will hold through the winter" on Tuesday. '
    "Three soldiers were wounded near the border. "
    '"We will not be the first to fire," said General Tomas Ruud.'
)
SUMMIT_POST = (
    'Anna Berg told reporters that "the ceasefire will hold through the winter", officials said. '
    "Five soldiers were wounded near the border, according to the army."
)
HARBOUR = 'Mayor Lena Holm said "the harbour will reopen in spring" after the storm. Twelve boats sank.'


def corpus() -> list[Article]:
    cest = timezone(timedelta(hours=2))
    return [
        make_article(
            "a1",
            SUMMIT_WIRE,
            quotes=[
                ("the ceasefire will hold through the winter", "Anna Berg"),
                ("We will not be the first to fire,", "Tomas Ruud"),
            ],
            claims=["Three soldiers were wounded near the border."],
            url="https://wire.example/summit",
            outlet="Northbridge Wire",
            title="Ceasefire holds",
            published=datetime(2024, 3, 5, 9, 30, tzinfo=cest),
            raw_prefix="CEASEFIRE HOLDS\n\n",
        ),
        make_article(
            "a2",
            SUMMIT_POST,
            quotes=[("the ceasefire will hold through the winter", "Anna Berg")],
            claims=["Five soldiers were wounded near the border, according to the army."],
            url="https://post.example/berg",
            outlet="Coastal Daily Post",
            title="Berg confident",
            published=datetime(2024, 3, 6, tzinfo=UTC),
        ),
        make_article(
            "a3",
            HARBOUR,
            quotes=[("the harbour will reopen in spring", "Lena Holm")],
            claims=["Twelve boats sank."],
            path="harbour.txt",
            outlet="Meridian Ledger",
            title="Harbour to reopen",
            published=datetime(2023, 11, 1),
        ),
    ]


def linked(articles: list[Article]) -> Analysis:
    """Hand-made cross-article results (the linker is tested elsewhere)."""
    analysis = Analysis(articles=articles)
    analysis.entities = [
        Entity("e1", "Anna Berg", "PERSON", ["Anna Berg"], ["a1", "a2"]),
        Entity("e2", "Lena Holm", "PERSON", ["Lena Holm"], ["a3"]),
    ]
    for a in articles:
        for m in a.mentions:
            m.entity = {"Anna Berg": "e1", "Lena Holm": "e2"}.get(m.canonical)
        for q in a.quotes:
            q.speaker.entity = {"Anna Berg": "e1", "Lena Holm": "e2"}.get(q.speaker.name or "")
    analysis.stories = [Story("s1", ["a1", "a2"]), Story("s2", ["a3"])]
    analysis.quote_links = [QuoteLink(["a1:q1", "a2:q1"], "identical", 1.0)]
    analysis.alignments = [
        Alignment("s1", "discrepant", ["a1:c1", "a2:c1"], "three vs five"),
        Alignment("s2", "exclusive", ["a3:c1"]),
    ]
    return analysis


# One remark, two outlets, two speakers: the linker flags it as a discrepant alignment whose
# members are the two quotes' ids (not claim ids).
PIER_FJORD = (
    'Harbour master Ola Dahl said "the pier will close for repairs until the end of June" on Monday. '
    "Repairs to the harbour pier will cost 4 million kroner, the harbour office said."
)
PIER_COAST = (
    '"The pier will close for repairs until the end of June," said Mayor Kari Lunde on Monday. '
    "Repairs to the harbour pier will cost 4 million kroner, according to the council."
)


def misattributed_pair() -> Analysis:
    """Two articles quoting the same words, one giving them to Ola Dahl, the other to Kari Lunde,
    analysed by the real linker (lexical embedder: deterministic, no model files)."""
    from storydiff.embed import HashingEmbedder
    from storydiff.link import link

    fjord = make_article(
        "p1",
        PIER_FJORD,
        quotes=[("the pier will close for repairs until the end of June", "Ola Dahl")],
        claims=["Repairs to the harbour pier will cost 4 million kroner, the harbour office said."],
        url="https://fjord.example/pier",
        outlet="Fjord Times",
        title="Pier to close",
    )
    coast = make_article(
        "p2",
        PIER_COAST,
        quotes=[("The pier will close for repairs until the end of June,", "Kari Lunde")],
        claims=["Repairs to the harbour pier will cost 4 million kroner, according to the council."],
        url="https://coast.example/pier",
        outlet="Coast Courier",
        title="Pier closing",
    )
    return link(Analysis(articles=[fjord, coast]), embedder=HashingEmbedder())


_QUOTE = re.compile(r"[\"“]([^\"”]{8,400})[\"”]")
_NAME = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\b")
_SENTENCE = re.compile(r"[^.!?\n]*\d[^.!?\n]*[.!?]")


def fake_extract(article: Article) -> Article:
    """Quotes between double quotes, spoken by the last "Firstname Lastname" before them (or after,
    within the sentence); claims: sentences with a digit."""
    text = article.text
    for n, m in enumerate(_QUOTE.finditer(text), start=1):
        before = list(_NAME.finditer(text, max(0, m.start() - 200), m.start()))
        after = _NAME.search(text, m.end(), min(len(text), m.end() + 80))
        found = before[-1] if before else after
        mention = None
        name = None
        if found is not None:
            name = found.group(1)
            mention = Span(found.start(1), found.end(1))
            article.mentions.append(EntityMention(mention, name, "PERSON", name))
        sp = Speaker(name=name, how="named" if name else "unknown", mention=mention, mention_text=name)
        span = Span(m.start(1), m.end(1))
        article.quotes.append(Quote(f"{article.id}:q{n}", article.id, span, span.of(text), "direct", sp))
    for n, m in enumerate(_SENTENCE.finditer(text), start=1):
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        span = Span(start, m.end())
        article.claims.append(Claim(f"{article.id}:c{n}", article.id, span, span.of(text), "number"))
    return article


class FakeDoc:
    def __init__(self, text: str) -> None:
        self.text = text


class FakePipeline:
    """Stands in for a spaCy `Language`: `pipe` yields objects with the text."""

    def pipe(self, texts: Iterable[str], **_: Any) -> Iterator[FakeDoc]:
        for text in texts:
            yield FakeDoc(text)


def quick_linker(analysis: Analysis, index: StoryIndex | None) -> Analysis:
    """The linker with the lexical embedder: stories and links without loading a model."""
    return link(analysis, embedder=HashingEmbedder(), index=index)


def run_linked(store: Store, articles: list[Article]) -> Analysis:
    """What `storydiff analyze --db` does with a run's articles: store them, link what is new."""
    store.add_articles(articles)
    return link_new(store, Analysis(articles=articles), linker=quick_linker)
