"""Hand-built multi-outlet articles for the linking tests (no quote extractor needed)."""

from __future__ import annotations

from datetime import datetime

from storydiff.model import (
    Alignment,
    Analysis,
    Article,
    EntityMention,
    OffsetMap,
    Quote,
    Span,
    Speaker,
    Story,
)

_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"}


def make_article(
    aid: str,
    outlet: str,
    text: str,
    quotes: list[tuple[str, str | None]] = (),  # type: ignore[assignment]
    published: datetime | None = None,
    parse: bool = True,
) -> Article:
    """An article with its quotes (text, speaker name) located in `text`, mentions and claims filled."""
    article = Article(id=aid, raw=text, text=text, offsets=OffsetMap.identity(len(text)), outlet=outlet,
                      published=published)  # fmt: skip
    for n, (words, speaker) in enumerate(quotes, start=1):
        start = text.index(words)
        sp = Speaker(name=speaker, how="named" if speaker else "unknown")
        article.quotes.append(Quote(f"{aid}:q{n}", aid, Span(start, start + len(words)), words, "direct", sp))
    if parse:
        from storydiff import nlp
        from storydiff.extract.claims import extract_claims

        doc = nlp.parse(text)
        article.mentions = [
            EntityMention(Span(e.start_char, e.end_char), e.text, e.label_, e.text)
            for e in doc.ents
            if e.label_ in _LABELS
        ]
        article.claims = extract_claims(article, doc, article.quotes)
    return article


def two_outlets_disagree() -> Analysis:
    """Two outlets on one signing, 14 agreements against 12: one corroborated event and the
    discrepant pair, as the linker gives them (built by hand, so report tests need no model)."""
    a = make_article("a", "Harbour Times", "Vartan said the governments had signed 14 agreements on Monday.")
    b = make_article(
        "b", "Plains Courier", "Vartan said the two governments had signed 12 agreements on Monday."
    )
    ca, cb = a.claims[0].id, b.claims[0].id
    return Analysis(
        articles=[a, b],
        stories=[Story("s1", ["a", "b"])],
        alignments=[
            Alignment("s1", "corroborated", [ca, cb], confidence=0.71),
            Alignment(
                "s1", "discrepant", [ca, cb], "agreement: 14 (Harbour Times) vs 12 (Plains Courier)", 0.97
            ),
        ],
    )


def outlet_disputes() -> Analysis:
    """One outlet denies what another reports (a sure dispute), and a discrepancy the model is
    unsure of (under even odds): built by hand, as the linker gives them."""
    a = make_article("a", "Harbour Times", "The Kestrel ferry was overloaded when it capsized off Orrin on "
                     "Sunday, port officials said. About 40 passengers were rescued.")  # fmt: skip
    b = make_article("b", "Plains Courier", "Bluewake Lines denied that the Kestrel ferry was overloaded "
                     "when it capsized off Orrin on Sunday. Boats rescued 52 passengers.")  # fmt: skip
    return Analysis(
        articles=[a, b],
        stories=[Story("s1", ["a", "b"])],
        alignments=[
            Alignment(
                "s1", "disputed", ["a:c1", "b:c1"], "Plains Courier disputes what Harbour Times reports", 0.81
            ),  # fmt: skip
            Alignment(
                "s1",
                "discrepant",
                ["a:c2", "b:c2"],
                "passenger: ~40 (Harbour Times) vs 52 (Plains Courier)",
                0.42,
            ),  # fmt: skip
        ],
    )
