"""Quotation-mark pairing: every mark style, apostrophes, multi-paragraph quotes, stray marks."""

from __future__ import annotations

import pytest

from storydiff.extract.marks import Quoted, find_quoted, paragraphs_of
from storydiff.model import Span


def regions_of(text: str) -> list[Quoted]:
    return find_quoted(text, paragraphs_of(text, []))


def inner_texts(text: str, regions: list[Quoted]) -> list[str]:
    return [text[q.inner.start : q.inner.end] for q in regions]


def quoted(text: str) -> list[str]:
    return inner_texts(text, regions_of(text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said \u201cwe will win\u201d and left.", ["we will win"]),
        ('She said "no way" and "not now".', ["no way", "not now"]),
        ("Mr. Reid said ''do the right thing.'' Then he left.", ["do the right thing."]),
        ("Il a dit \u00abnon merci\u00bb hier.", ["non merci"]),
        ("Er sagte \u201enein danke\u201c dann.", ["nein danke"]),
        (
            "\u201cThey called it \u2018a disaster\u2019 today,\u201d he said.",
            ["They called it \u2018a disaster\u2019 today,", "a disaster"],
        ),
    ],
)
def test_mark_styles(text: str, expected: list[str]) -> None:
    assert quoted(text) == expected


def test_single_quotes_in_a_headline_without_double_quotes() -> None:
    assert quoted("Pat Caddell: Voters Worried; It\u2019s \u2018in Their Heads\u2019") == ["in Their Heads"]


def test_apostrophes_are_never_quote_marks() -> None:
    text = (
        "Russia\u2019s envoy won\u2019t say. "
        "The voters\u2019 choice in the \u201990s was clear, rock \u2019n\u2019 roll."
    )
    assert quoted(text) == []
    assert quoted("He said \u201cRussia\u2019s envoy won\u2019t come\u201d.") == [
        "Russia\u2019s envoy won\u2019t come"
    ]


def test_single_quote_outside_double_in_body_text_is_left_alone() -> None:
    # a body paragraph with double quotes: a lone \u2018 is not a quote of its own
    assert quoted("He said \u201cyes\u201d about the \u2018new deal.") == ["yes"]


def test_multi_paragraph_quote_continues_when_next_paragraph_opens_with_a_mark() -> None:
    text = "\u201cThe first part of it.\n\n\u201cThe second part,\u201d she said."
    regions = regions_of(text)
    assert inner_texts(text, regions) == [
        "The first part of it.",
        "The second part,",
    ]
    assert regions[0].continues and not regions[1].continues


def test_paragraph_quote_of_one_style_keeps_a_nested_pair_of_the_other() -> None:
    # a transcript quoted paragraph by paragraph, with a title in curly marks inside a turn
    text = (
        '"LOPEZ: It felt like an episode of \u201cBridge Wars.\u201d But it is real work.\n\n'
        '"HALVARD: Thank you, mayor."'
    )
    regions = regions_of(text)
    assert inner_texts(text, regions) == [
        "LOPEZ: It felt like an episode of \u201cBridge Wars.\u201d But it is real work.",
        "Bridge Wars.",
        "HALVARD: Thank you, mayor.",
    ]
    assert regions[0].continues
    assert quoted('"He called it \u201cBridge Wars\u201d today."') == [
        "He called it \u201cBridge Wars\u201d today.",
        "Bridge Wars",
    ]


def test_paragraph_quote_keeps_a_nested_pair_of_its_own_style() -> None:
    # a reader's comment with the candidate's word in the same curly marks, signed after a bar
    text = "\u201cI would rather live in what he calls \u201chell\u201d than here.\u201d \u2015 A. Reader"
    assert quoted(text) == ["I would rather live in what he calls \u201chell\u201d than here.", "hell"]
    # and a multi-paragraph quote still goes on past such a pair
    text = "\u201cWe call it \u201cthe bridge\u201d here.\n\n\u201cAnd it will open,\u201d she said."
    regions = regions_of(text)
    assert inner_texts(text, regions) == [
        "We call it \u201cthe bridge\u201d here.",
        "the bridge",
        "And it will open,",
    ]
    assert regions[0].continues


def test_a_curly_quote_anywhere_keeps_a_nested_pair_of_its_own_style() -> None:
    text = "Pedro Alves tweeted: \u201cPeople wearing \u201cVote Ferry\u201d shirts here. Ouch.\u201d"
    assert quoted(text) == ["People wearing \u201cVote Ferry\u201d shirts here. Ouch.", "Vote Ferry"]
    # an opener left unclosed before such a pair is still a stray
    assert quoted("He said \u201cthis is never closed. Then \u201cyes\u201d, she said.") == ["yes"]


def test_unclosed_mark_without_a_following_quote_paragraph_is_a_stray() -> None:
    text = "He said \u201cthis is never closed.\n\nA new paragraph."
    assert quoted(text) == []


def test_paragraphs_from_newlines() -> None:
    assert paragraphs_of("a b\n\n  c d  \n", []) == [Span(0, 3), Span(7, 10)]


def test_twenty_thousand_stray_marks_are_handled_in_one_pass() -> None:
    text = ('word " ' * 10_000) + ("\u201c " * 10_000) + "\n\nHe said \u201cfine\u201d."
    found = quoted(text)
    assert found[-1] == "fine"
    assert all(len(q) < len(text) for q in found)
