"""The offset map: any span of the cleaned text can be shown in the original file."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storydiff.clean import HOMOGLYPHS, clean
from storydiff.ingest import read_inputs
from storydiff.model import Article, OffsetMap, OffsetMapBuilder, RawDocument, Span

FIXTURES = Path(__file__).parent / "fixtures"
# the repo's own fixture files and how many articles each holds: a reader that lost one would
# otherwise leave it unchecked
FIXTURE_ARTICLES = [
    ("ingest/wire.txt", 1),
    ("ingest/page.html", 1),
    ("ingest/records.jsonl", 2),
    ("ingest/list.json", 2),
    ("offsets/ferry-crlf.txt", 1),
]
INVISIBLE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u202a-\u202e\u2066-\u2069\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]"
)


def comparable(text: str) -> list[str]:
    """Words as the cleaner would write them, look-alikes folded to Latin, combining marks dropped.

    Combining marks are dropped so that raw and cleaned words compare whatever their normal form.
    """
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    text = INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    text = "".join(
        unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" or "\uff01" <= ch <= "\uff5e" else ch
        for ch in text
    )
    return "".join(HOMOGLYPHS.get(ch, ch) for ch in text).split()


def assert_round_trip(article: Article) -> None:
    """Every word and every paragraph of the cleaned text shows the same words in the raw text."""
    for paragraph in article.paragraphs:
        raw = article.raw_span(paragraph).of(article.raw)
        assert comparable(raw) == comparable(paragraph.of(article.text))
    for word in re.finditer(r"\S+", article.text):
        span = Span(word.start(), word.end())
        assert comparable(article.raw_span(span).of(article.raw)) == comparable(word.group())


# --- OffsetMap and its builder -------------------------------------------------------------


def test_identity_map() -> None:
    offsets = OffsetMap.identity(5)
    assert [offsets.to_raw(i) for i in range(6)] == [0, 1, 2, 3, 4, 5]
    assert offsets.span_to_raw(Span(1, 3)) == Span(1, 3)


def test_builder_copies_and_replacements_map_back() -> None:
    raw = "A\u00a0 ﬁne  day\u200b."
    builder = OffsetMapBuilder()
    builder.copy(0, "A")
    builder.replace(1, " ")  # "\u00a0 " -> " "
    builder.replace(3, "fi")  # ligature
    builder.copy(4, "ne")
    builder.replace(6, " ")  # two spaces
    builder.copy(8, "day")
    builder.copy(12, ".")  # zero-width space at 11 dropped
    text, offsets = builder.build(len(raw))
    assert text == "A fine day."
    assert [offsets.to_raw(i) for i in range(len(text) + 1)] == [0, 1, 3, 3, 4, 5, 6, 8, 9, 10, 12, 13]
    assert offsets.span_to_raw(Span(2, 6)).of(raw) == "ﬁne"
    assert offsets.span_to_raw(Span(7, 11)).of(raw) == "day\u200b."
    assert offsets.span_to_raw(Span(3, 3)) == Span(3, 3)


def test_out_of_range_offsets_raise() -> None:
    offsets = OffsetMap.identity(3)
    with pytest.raises(IndexError):
        offsets.to_raw(4)


# --- clean() round trips -------------------------------------------------------------------


@pytest.mark.parametrize(("name", "articles"), FIXTURE_ARTICLES)
def test_fixtures_round_trip(name: str, articles: int) -> None:
    docs = [doc for doc in read_inputs([str(FIXTURES / name)]) if isinstance(doc, RawDocument)]
    assert len(docs) == articles
    for doc in docs:
        article = clean(doc)
        assert article.paragraphs, f"{name}: nothing left to check"
        assert_round_trip(article)


def test_a_file_with_every_repair_maps_each_phrase_to_where_it_is() -> None:
    """`ferry-crlf.txt` (CRLF lines; a dateline, an advert and a photo credit to drop; a look-alike
    Cyrillic С twice, a ligature, no-break spaces, a double space, a soft hyphen, a zero-width
    space): each cleaned phrase maps back to the exact raw span it was made from."""
    (doc,) = read_inputs([str(FIXTURES / "offsets" / "ferry-crlf.txt")])
    assert isinstance(doc, RawDocument)
    raw = doc.text
    article = clean(doc)

    def raw_span_of(phrase: str) -> Span:
        start = article.text.index(phrase)
        return article.raw_span(Span(start, start + len(phrase)))

    def located(original: str) -> Span:
        assert raw.count(original) == 1, original
        return Span(raw.index(original), raw.index(original) + len(original))

    cleaned_and_raw = {
        "Saltmere ferry deal": "Saltmere ferry deal",
        "The town Council": "The town \u0421ouncil",
        "final deal on Friday, ending a strike": "\ufb01nal deal on Friday,\u00a0ending a  strike",
        "We reopen on Monday": "We re\u00adopen on Monday",
        "Lena Dros": "Lena\u200b Dros",
        "port gates.": "port\u00a0gates.",
        "the Council said.": "the \u0421ouncil said.",
    }
    for cleaned, original in cleaned_and_raw.items():
        assert raw_span_of(cleaned) == located(original), cleaned

    # each paragraph is one raw line, less the dateline, with the dropped lines between
    lines = raw.split("\r\n")
    kept = [lines[0], lines[2].removeprefix("SALTMERE, (Harbour Wire) \u2013 "), lines[6], lines[10]]
    assert [article.raw_span(p) for p in article.paragraphs] == [located(line) for line in kept]
    assert article.dateline is not None
    assert article.dateline.span == located("SALTMERE, (Harbour Wire) \u2013")
    assert [(b.kind, b.span) for b in article.boilerplate] == [
        ("dateline", article.dateline.span),
        ("advertisement", located("Advertisement")),
        ("credit", located("[Photo: Ana Ruiz/Harbour Wire]")),
    ]


def test_round_trip_through_every_rule() -> None:
    raw = (
        "Port strike ends\r\n\r\n"
        "KYIV, Ukraine \u2014 Officials in \u0421hina  said the\u00a0ﬁnal deal\u200b "
        "was \u201cdone.\u201d\r\n"
        "Advertisement\r\n"
        "The cafe\u0301 owner, 54, agreed.\n"
        "[Ana Ruiz/Harbour Wire via Pool]\n"
    )
    article = clean(RawDocument(text=raw, path="x.txt"))
    assert article.text == (
        "Port strike ends\n\n"
        "Officials in China said the final deal was \u201cdone.\u201d\n\n"
        "The café owner, 54, agreed."
    )
    assert_round_trip(article)
    china = article.text.index("China")
    assert article.raw_span(Span(china, china + 5)).of(raw) == "\u0421hina"
    deal = article.text.index("final deal")
    assert article.raw_span(Span(deal, deal + 10)).of(raw) == "ﬁnal deal"


def test_composed_characters_map_back_to_their_whole_cluster() -> None:
    article = clean(RawDocument(text="cafe\u0301", path="x.txt"))
    assert article.text == "café"
    assert article.raw_span(Span(0, 4)).of(article.raw) == "cafe\u0301"


ALPHABET = st.sampled_from(
    list("abcdefghij ABCDE.,;:!?'\"-")
    + ["\n", "\n\n", "\r\n", "  ", "\t", "\u00a0", "\u2009", "\u200b", "\u00ad", "\ufeff", "ﬁ", "ｗ"]
    + ["\u0441", "\u0421", "\u03bf", "\u0434", "e\u0301", "\u0301", "\u201c", "\u201d", "\u2019", "²", "½"]
    + ["Advertisement\n", "\nRead more\n", "WASHINGTON (AP) \u2014 ", "By Jane Doe\n", "\x00", "\x85"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_any_text_round_trips(raw: str) -> None:
    article = clean(RawDocument(text=raw, path="h.txt"))
    assert article.offsets.clean_len == len(article.text)
    assert article.offsets.raw_len == len(raw)
    mapped = [article.offsets.to_raw(i) for i in range(len(article.text) + 1)]
    assert mapped == sorted(mapped)  # order is kept
    assert all(0 <= m <= len(raw) for m in mapped)
    assert "\n\n".join(p.of(article.text) for p in article.paragraphs) == article.text
    for paragraph in article.paragraphs:
        assert paragraph.of(article.text).strip() == paragraph.of(article.text) != ""
    for item in article.boilerplate:
        assert item.span.of(raw) == item.text
    assert_round_trip(article)
