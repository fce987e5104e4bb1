"""The spaCy helpers every extractor reads the parse through."""

from __future__ import annotations

from storydiff import nlp
from storydiff.extract.cues.frames import sentences
from storydiff.extract.marks import paragraphs_of


def test_token_starts_and_entity_types_match_the_tokens() -> None:
    doc = nlp.parse("Maria Lopez visited Oslo on Friday.\n\nShe left.")
    assert nlp.token_starts(doc) == [t.idx for t in doc]
    assert nlp.entity_types(doc) == {t.i: t.ent_type_ for t in doc if t.ent_type_}


def test_sentences_end_where_paragraphs_end() -> None:
    text = "The ferry sails at noon and\n\nthe harbor master said it was late. It left at one."
    doc = nlp.parse(text)
    ranges = sentences(doc, paragraphs_of(text, []))
    said = [doc[i:j].text.strip() for i, j in ranges]
    assert said[0] == "The ferry sails at noon and"
    assert "the harbor master said it was late." in said
    assert all(i < j for i, j in ranges) and [i for i, _ in ranges] == sorted(i for i, _ in ranges)


def test_a_full_stop_after_a_temperature_ends_the_sentence_but_an_abbreviation_stays_whole() -> None:
    doc = nlp.parse("Temperatures climbed to 104F. Twenty-one firefighters were hurt in the U.S. state.")
    said = [s.text for s in doc.sents]
    assert said[0] == "Temperatures climbed to 104F."
    assert "U.S." in [t.text for t in doc]
