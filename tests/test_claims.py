"""Claim extraction: spans outside quotes, normalised numbers, dates, durations, places, timing."""

from __future__ import annotations

from datetime import datetime

import pytest

from storydiff.extract.claims import extract_claims, number_value, parse_quantity, resolve_date
from storydiff.model import Article, OffsetMap, Quote, Span, Speaker


def _article(text: str, published: datetime | None = None) -> Article:
    return Article(id="x", raw=text, text=text, offsets=OffsetMap.identity(len(text)), published=published)


@pytest.fixture(scope="module")
def claims() -> tuple[Article, list[Quote], list]:  # type: ignore[type-arg]
    from storydiff import nlp

    text = (
        "The prime minister of Kalvoria agreed yesterday to reopen the border after talks that went on "
        "for about five hours.\n\n"
        "“We have opened a door that stayed closed for twenty years,” "
        "Prime Minister Adrian Moretsky said.\n\n"
        "The two leaders signed 12 agreements in Brennholt on Tuesday, according to the presidency. "
        "Trade fell by more than 80 percent after the border closed in 2006. "
        "The strike came an hour before the meeting."
    )
    article = _article(text, datetime(2031, 5, 15, 18, 0))
    start = text.index("We have")
    words = "We have opened a door that stayed closed for twenty years,"
    quote = Quote(
        "x:q1", "x", Span(start, start + len(words)), words, "direct", Speaker("Adrian Moretsky", "named")
    )
    return article, [quote], extract_claims(article, nlp.parse(text), [quote])


def test_claims_are_spans_outside_quotes(claims: tuple[Article, list[Quote], list]) -> None:  # type: ignore[type-arg]
    article, quotes, found = claims
    assert [c.id for c in found] == [f"x:c{i}" for i in range(1, len(found) + 1)]
    for c in found:
        assert article.text[c.span.start : c.span.end] == c.text
        assert not any(q.span.overlaps(c.span) for q in quotes)
        assert "\n" not in c.text
    assert not any("Moretsky said" in c.text for c in found)  # a bare attribution is no claim


def test_values_are_normalised(claims: tuple[Article, list[Quote], list]) -> None:  # type: ignore[type-arg]
    _, _, found = claims
    by_start = {c.text.split()[1]: c.values for c in found}
    first = by_start["prime"]
    assert first["duration"] == "~5 hour"
    assert first["date"] == "2031-05-14"  # yesterday, published on the 15th in the evening
    signed = by_start["two"]
    assert signed["count:agreement"] == "12"
    assert signed["date"] == "2031-05-13"  # the Tuesday before publication
    assert signed["place"] == "Brennholt"
    trade = [c for c in found if c.text.startswith("Trade")][0].values
    assert trade["count:percent"] == ">=80"
    # 2006 dates the border's closing, the event the fall is placed after, not the fall
    assert "2006" not in trade.values() and trade["timing"] == "after: the border closed in 2006"
    strike = [c for c in found if c.text.startswith("The strike")][0].values
    assert strike["timing"].startswith("an hour before: the meeting")


def test_numbers_and_quantities() -> None:
    assert number_value("twelve") == 12
    assert number_value("1,200") == 1200
    assert number_value("2.5 million") == 2_500_000
    assert number_value("twenty five") == 25
    assert number_value(".41") == 0.41 and number_value("12.") == 12  # a point before digits is the number's
    assert number_value("many") is None
    assert parse_quantity("12") == (12, 12)
    lo, hi = parse_quantity("~5") or (0, 0)
    assert lo < 5 < hi and hi < 6
    assert parse_quantity("3..9") == (3, 9)
    assert parse_quantity("nonsense") is None


def test_relative_dates() -> None:
    evening = _article("x", datetime(2031, 5, 15, 18, 0))
    morning = _article("x", datetime(2031, 5, 15, 6, 10))
    undated = _article("x")
    assert resolve_date("yesterday", evening) == "2031-05-14"
    assert resolve_date("yesterday", morning) == "2031-05-13..2031-05-14"  # written the night before
    assert resolve_date("on Tuesday", evening) == "2031-05-13"
    assert resolve_date("Tuesday", undated) == "Tuesday"
    assert resolve_date("June 1", evening) == "2031-06-01"
    assert resolve_date("14 May 2030", undated) == "2030-05-14"
    assert resolve_date("2006", undated) == "2006"
    assert resolve_date("yesterday", undated) is None


def test_the_day_a_statement_was_made_is_not_the_events_date() -> None:
    from storydiff import nlp

    text = (
        "A former crane driver opened fire at the Orrin depot party on Friday, killing one man, "
        "police said Saturday."
    )
    found = extract_claims(_article(text, datetime(2031, 5, 18)), nlp.parse(text), [])
    dates = [v for c in found for k, v in c.values.items() if k.startswith("date")]
    assert dates == ["2031-05-16"]  # the shooting's Friday; Saturday dates the police's words


def test_a_date_of_the_event_a_timing_refers_to_is_not_this_events_date() -> None:
    from storydiff import nlp

    text = "A crane driver was charged with murder on Saturday after a shooting at the Orrin depot on Friday."
    found = extract_claims(_article(text, datetime(2031, 5, 18)), nlp.parse(text), [])
    dates = [v for c in found for k, v in c.values.items() if k.startswith("date")]
    assert dates == ["2031-05-17"]  # the charge's Saturday, not the shooting's Friday


def test_a_headline_with_a_figure_is_a_claim_but_a_verbless_line_without_one_is_not() -> None:
    from storydiff import nlp

    text = (
        "Kelmar Ferry Disaster: Death Toll At 14\n\n"
        "Harbour Authority Of Kelmar And The Coastal Guard\n\n"
        "A ferry sank off Kelmar on Monday."
    )
    found = [c.text for c in extract_claims(_article(text), nlp.parse(text), [])]
    # tagged as names, not verbs, but its figure may be disputed
    assert any(c.endswith("Death Toll At 14") for c in found)
    assert not any(c.startswith("Harbour Authority") for c in found)  # names alone state nothing


def test_a_hyphenated_number_is_one_count() -> None:
    from storydiff import nlp

    text = "Forty-one people were treated at Orrin General. Twenty-five boats and thirty two divers joined."
    found = extract_claims(_article(text), nlp.parse(text), [])
    counts = [{k: v for k, v in c.values.items() if k.startswith("count")} for c in found]
    assert counts == [{"count:person": "41"}, {"count:boat": "25", "count:diver": "32"}]


def test_a_stamp_line_is_no_claim_but_dates_the_article_its_claims_resolve_against() -> None:
    from storydiff.pipeline import analyze_texts

    text = (
        "Ferry lost off Orrin\n\nPublished: Wednesday, May 14, 2031\n\n"
        "The ferry sank on Monday with 14 aboard."
    )
    [article] = analyze_texts([text]).articles
    assert [c.text for c in article.claims] == [
        "Ferry lost off Orrin",
        "The ferry sank on Monday with 14 aboard.",
    ]
    assert article.claims[1].values["date"] == "2031-05-12"


def test_a_weekday_of_what_is_expected_or_will_happen_lies_ahead() -> None:
    from storydiff import nlp

    text = "The crest is expected on Thursday. The council will vote on Friday. The ferry sank on Monday."
    found = extract_claims(_article(text, datetime(2031, 5, 13, 18, 0)), nlp.parse(text), [])  # a Tuesday
    assert [c.values.get("date") for c in found] == ["2031-05-15", "2031-05-16", "2031-05-12"]


def test_a_clause_placed_against_two_events_keeps_both() -> None:
    """ "shortly after dawn, before any warning had been broadcast": after dawn, and before the
    warning, which is what another outlet's "two hours after the warning" contradicts."""
    from storydiff import nlp
    from storydiff.link.claims import compare

    def timed(text: str) -> list:  # type: ignore[type-arg]
        article = _article(text)
        return extract_claims(article, nlp.parse(text), [])

    [late] = timed("The evacuation began at 5 a.m., two hours after the first warning was broadcast.")
    [early] = timed("The evacuation started shortly after dawn, before any warning had been broadcast.")
    assert early.values["timing"] == "after: dawn; before: any warning had been broadcast"
    assert compare(late, early, "A", "B") == [
        "sequence: two hours after: the first warning was broadcast (A) vs "
        "before: any warning had been broadcast (B)"
    ]
