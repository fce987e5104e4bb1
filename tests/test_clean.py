"""Each cleaning rule on small hand-written copy; every span's text is checked."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from storydiff.clean import clean, is_stamp
from storydiff.ingest import read_inputs
from storydiff.model import Article, RawDocument, Span, article_id

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def cleaned(text: str, **meta: object) -> Article:
    article = clean(RawDocument(text=text, path="t.txt", **meta))  # type: ignore[arg-type]
    check_spans(article)
    return article


def check_spans(article: Article) -> None:
    """Every span claims exactly the text it covers."""
    assert article.offsets.clean_len == len(article.text)
    assert article.offsets.raw_len == len(article.raw)
    assert "\n\n".join(p.of(article.text) for p in article.paragraphs) == article.text
    for item in article.boilerplate:
        assert item.span.of(article.raw) == item.text
    if article.dateline is not None:
        assert any(b.kind == "dateline" and b.span == article.dateline.span for b in article.boilerplate)


def paragraphs(article: Article) -> list[str]:
    return [p.of(article.text) for p in article.paragraphs]


def kinds(article: Article) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in article.boilerplate]


# --- characters ----------------------------------------------------------------------------


def test_homoglyph_inside_a_latin_word_is_repaired() -> None:
    article = cleaned("Officials in \u0421hina and L\u03bfndon said so.")  # Cyrillic С, Greek ο
    assert article.text == "Officials in China and London said so."
    start = article.text.index("China")
    assert article.raw[article.raw_span(Span(start, start + 5)).start] == "\u0421"
    assert article.warnings == ["t.txt: repaired 2 look-alike Cyrillic/Greek letter(s)"]


def test_the_repair_warning_names_the_record_as_every_warning_does() -> None:
    """`model.where`: a record of a JSONL file is `path:line`; text given without a file is `<text>`."""
    text = "Officials in \u0421hina said so."
    assert clean(RawDocument(text=text, path="feed.jsonl", line=3)).warnings == [
        "feed.jsonl:3: repaired 1 look-alike Cyrillic/Greek letter(s)"
    ]
    assert clean(RawDocument(text=text, path=None)).warnings == [
        "<text>: repaired 1 look-alike Cyrillic/Greek letter(s)"
    ]


def test_words_wholly_in_cyrillic_or_greek_are_left_alone() -> None:
    text = "The sign read Москва and СОК, and the Greek word was Αθήνα; Шhina is not a look-alike."
    article = cleaned(text)
    assert article.text == text
    assert article.warnings == []


def test_zero_width_and_soft_hyphen_are_removed() -> None:
    article = cleaned("Pre\u200bsi\u00addent\u2060 said\u200d it was \ufeffover.")
    assert article.text == "President said it was over."


def test_safe_compatibility_forms_fold_and_meaning_bearing_ones_stay() -> None:
    article = cleaned("The ﬁnal ｖｏｔｅ:\u00a0120\u2009000 km² — ½ of 10³, H₂O, ①.")
    assert article.text == "The final vote: 120 000 km² — ½ of 10³, H₂O, ①."


def test_curly_quotes_and_apostrophes_are_kept() -> None:
    text = "“It’s done,” she said. ‘Fine,’ he replied."
    assert cleaned(text).text == text


def test_nfc_composes_combining_marks() -> None:
    article = cleaned("The cafe\u0301 in Ma\u0301laga reopened.")
    assert article.text == "The café in Málaga reopened."


def test_whitespace_runs_collapse_and_crlf_becomes_paragraphs() -> None:
    article = cleaned("  First  paragraph\there.\r\n\r\nSecond   one.  \r\n")
    assert paragraphs(article) == ["First paragraph here.", "Second one."]
    assert article.text == "First paragraph here.\n\nSecond one."


# --- paragraphs ----------------------------------------------------------------------------


def test_paragraphs_separated_by_single_newlines() -> None:
    article = cleaned("The vote was close.\nThe mayor said she would appeal.\n“We lost,” she said.")
    assert paragraphs(article) == [
        "The vote was close.",
        "The mayor said she would appeal.",
        "“We lost,” she said.",
    ]


def test_hard_wrapped_lines_are_rejoined() -> None:
    text = (
        "The council voted on Tuesday to close the old\n"
        "swimming pool, saying repairs would cost more\n"
        "than a new one.\n"
        "\n"
        "Residents said they would\n"
        "appeal against the decision.\n"
    )
    article = cleaned(text)
    assert paragraphs(article) == [
        "The council voted on Tuesday to close the old swimming pool, saying repairs would cost more "
        "than a new one.",
        "Residents said they would appeal against the decision.",
    ]


# --- boilerplate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("[Lena Okafor/Northbridge Wire via Pool]", "credit"),
        ("Photo: Lena Okafor/Northbridge Wire via Pool", "credit"),
        ("(Photo by Sam Reed/Getty Images)", "credit"),
        ("Sam Reed/Reuters", "credit"),
        ("Ministers shake hands in Brennholt. [Lena Okafor/Northbridge Wire via Pool]", "caption"),
        ("Crowds gather outside the court. Photograph: Sam Reed/Reuters", "caption"),
        ("Advertisement", "advertisement"),
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("Read more…", "read-more"),
        ("Read more: Border towns wait for the barriers to lift", "read-more"),
        ("READ MORE: Five things to know", "read-more"),
        ("Read the rest here.", "read-more"),
        ("Click here to get our morning briefing", "other"),
        ("Sign up for our weekly newsletter", "other"),
        ("Follow Jane Doe on Twitter @janedoe.", "other"),
        ("Source: Coastal Daily Post and news agencies", "source-line"),
        ("(Reporting by Tomas Brecht; Editing by Mira Sandoval)", "credit"),
        ("Contributing: Ana Ruiz and Leo Brandt", "credit"),
        ("By Jane Doe, Reuters", "byline"),
        ("By Hanne Ostrowski and Piet de Vries | Diplomatic Correspondents", "byline"),
    ],
)
def test_boilerplate_lines_are_kept_out_of_the_text(line: str, kind: str) -> None:
    article = cleaned(f"The talks ended on Tuesday.\n\n{line}\n\nBoth sides claimed victory.")
    assert kinds(article) == [(kind, line)]
    assert article.text == "The talks ended on Tuesday.\n\nBoth sides claimed victory."


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement revenue fell 5 percent, the company said.",
        "By Tuesday, the talks had collapsed.",
        "By the end of the week, the talks had collapsed.",
        "Read the letter, she said, and you will understand.",
        "SEIZED VESSEL RELEASED The navy let the ship go on Monday. [Reuters]",
        "Support for the plan rose to 48 percent. [IBD/TIPP]",
        "Sources said the minister would resign on Friday after a week of pressure from his own party.",
    ],
)
def test_body_lines_that_resemble_boilerplate_stay(line: str) -> None:
    article = cleaned(f"The talks ended on Tuesday.\n\n{line}")
    assert article.boilerplate == []
    assert paragraphs(article)[-1] == line


def test_boilerplate_inside_single_newline_text_splits_paragraphs() -> None:
    article = cleaned(
        "The port reopened on Friday after a long strike\nAdvertisement\nShips began to unload."
    )
    assert paragraphs(article) == [
        "The port reopened on Friday after a long strike",
        "Ships began to unload.",
    ]
    assert kinds(article) == [("advertisement", "Advertisement")]


# --- datelines -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opening", "places", "agency", "date"),
    [
        ("MOSCOW/SEOUL, (Reuters) –", ["Moscow", "Seoul"], "Reuters", None),
        ("WASHINGTON (AP) —", ["Washington"], "Associated Press", None),
        ("SEOUL, Oct. 3 (Yonhap) --", ["Seoul"], "Yonhap", "Oct. 3"),
        ("KYIV, Ukraine —", ["Kyiv"], None, None),
        ("LONDON, March 4 (AFP) -", ["London"], "Agence France-Presse", "March 4"),
        ("ST. LOUIS, Mo. —", ["St. Louis"], None, None),
        ("New York (AFP) –", ["New York"], "Agence France-Presse", None),
        ("Dec 29 (Reuters) -", [], "Reuters", "Dec 29"),
        ("BRENNHOLT, May 14 (Northbridge Wire) –", ["Brennholt"], "Northbridge Wire", "May 14"),
    ],
)
def test_datelines_are_parsed_and_removed(
    opening: str, places: list[str], agency: str | None, date: str | None
) -> None:
    headline = "Talks resume after a week of silence"
    article = cleaned(f"{headline}\n\n{opening} The two sides met again on Monday.\n\nNo deal was reached.")
    assert article.dateline is not None
    assert article.dateline.places == places
    assert article.dateline.agency == agency
    assert article.dateline.date == date
    assert article.dateline.span.of(article.raw) == opening
    assert paragraphs(article) == [headline, "The two sides met again on Monday.", "No deal was reached."]
    assert article.title == headline


@pytest.mark.parametrize(
    "opening",
    [
        "NATO said on Monday it would send more ships.",
        "US officials — speaking on condition of anonymity — said the deal was close.",
        "FBI — the bureau said — had no comment.",
        "BREAKING: The minister has resigned.",
        "BOOM: Another poll shows the race tightening.",
        "UPDATE — The vote has been delayed.",
        "KALVORIA AND TESSALY AGREE TO REOPEN BORDER",
        "Hillary Clinton (D) — who spoke first — said little.",
        "In Washington (AP) reporters asked questions.",
    ],
)
def test_ordinary_openings_are_not_datelines(opening: str) -> None:
    article = cleaned(f"{opening}\n\nThe rest of the story follows here.")
    assert article.dateline is None
    assert paragraphs(article)[0] == opening


def test_dateline_after_a_standfirst_is_found() -> None:
    article = cleaned(
        "Germany targets online abuse\n\nAs hate speech grows, so does the debate.\n\n"
        "BERLIN - The government said on Monday it would fine platforms."
    )
    assert article.dateline is not None and article.dateline.places == ["Berlin"]
    assert paragraphs(article)[-1] == "The government said on Monday it would fine platforms."


def test_dateline_on_its_own_line() -> None:
    article = cleaned("WASHINGTON (AP) —\nThe Senate passed the bill on Friday.")
    assert article.dateline is not None and article.dateline.agency == "Associated Press"
    assert article.text == "The Senate passed the bill on Friday."


# --- outlet, title, ids --------------------------------------------------------------------


def test_outlet_given_wins() -> None:
    article = cleaned("WASHINGTON (AP) — The Senate met.", outlet=None)
    assert (article.outlet, article.outlet_source) == ("Associated Press", "dateline")
    given = clean(RawDocument(text="WASHINGTON (AP) — The Senate met.", path="t.txt"), outlet="Daily Bugle")
    assert (given.outlet, given.outlet_source) == ("Daily Bugle", "given")


def test_a_records_own_outlet_field_beats_a_wire_dateline() -> None:
    # a newspaper's record carrying agency copy is still that newspaper's article
    article = cleaned("WASHINGTON (AP) — The Senate met.", outlet="Lakeside Herald")
    assert (article.outlet, article.outlet_source) == ("Lakeside Herald", "metadata")
    assert article.dateline is not None and article.dateline.agency == "Associated Press"


def outlet_of(text: str, **meta: object) -> tuple[str | None, str | None]:
    article = cleaned(text, **meta)
    return article.outlet, article.outlet_source


def test_outlet_precedence_after_the_dateline() -> None:
    body = "The Senate met on Friday.\n\nSource: Coastal Daily Post and news agencies"
    assert outlet_of(body) == ("Coastal Daily Post", "source-line")
    plain = "The Senate met on Friday."
    meta = {"outlet": "Lakeside Herald", "site_name": "The Herald", "url": "https://www.example-news.com/a"}
    assert outlet_of(plain, **meta) == ("Lakeside Herald", "metadata")
    del meta["outlet"]
    assert outlet_of(plain, **meta) == ("The Herald", "site-name")
    del meta["site_name"]
    assert outlet_of(plain, **meta) == ("example-news.com", "url")
    assert outlet_of(plain) == (None, None)


def test_source_line_mid_article_without_agencies_is_not_an_outlet() -> None:
    text = "Prices rose.\n\nSource: Office for National Statistics\n\n" + "More text follows here. " * 40
    article = cleaned(text)
    assert kinds(article) == [("source-line", "Source: Office for National Statistics")]
    assert article.outlet is None


def test_headline_of_a_plain_text_becomes_the_title_and_stays_in_the_text() -> None:
    article = cleaned("“We will not pay,” says mayor\n\nThe mayor said on Monday the city would not pay.")
    assert article.title == "“We will not pay,” says mayor"
    assert paragraphs(article)[0] == "“We will not pay,” says mayor"


def test_a_lone_paragraph_is_not_a_headline() -> None:
    assert cleaned("The mayor resigned.").title is None


def test_given_title_wins_and_a_repeated_title_line_stays() -> None:
    article = cleaned(
        "Ferry to resume\n\nLONDON (Reuters) - The ferry will sail again.", title="Ferry to resume"
    )
    assert article.title == "Ferry to resume"
    assert article.dateline is not None
    assert paragraphs(article) == ["Ferry to resume", "The ferry will sail again."]


def test_article_id_includes_the_line_number() -> None:
    doc = RawDocument(text="Text.", path="a.jsonl", line=3)
    assert clean(doc).id == article_id("a.jsonl:3", "Text.")
    assert clean(RawDocument(text="Text.", path="a.txt")).id == article_id("a.txt", "Text.")


def test_metadata_is_carried_over() -> None:
    doc = RawDocument(text="Text here.", path="a.txt", language="de", warnings=["a.txt: note"])
    article = clean(doc)
    assert (article.language, article.warnings, article.path, article.raw) == (
        "de",
        ["a.txt: note"],
        "a.txt",
        "Text here.",
    )
    assert clean(RawDocument(text="Text.", path=None)).language == "en"


# --- fixtures end to end -------------------------------------------------------------------


def test_wire_fixture_end_to_end() -> None:
    (doc,) = read_inputs([str(FIXTURES / "wire.txt")])
    assert isinstance(doc, RawDocument)
    article = clean(doc)
    check_spans(article)
    assert article.title == "Harbour strike ends after “long night” of talks in Port Vell"
    assert (article.outlet, article.outlet_source) == ("Reuters", "dateline")
    assert article.dateline is not None and article.dateline.places == ["Port Vell", "Saltmere"]
    assert [b.kind for b in article.boilerplate] == [
        "dateline",
        "credit",
        "advertisement",
        "read-more",
        "credit",
    ]
    assert paragraphs(article) == [
        "Harbour strike ends after “long night” of talks in Port Vell",
        "Dock workers in Port Vell voted on Friday to end a nine-day strike that had left 40 container "
        "ships waiting offshore, the Harbour Workers Union said.",
        "“We got most of what we asked for,” union leader Tomas Kerr told reporters outside the port gates. "
        "“Not everything, but most.”",
        "The port authority said it expected the backlog to clear by Wednesday.",
    ]


def test_html_fixture_end_to_end() -> None:
    (doc,) = read_inputs([str(FIXTURES / "page.html")])
    assert isinstance(doc, RawDocument)
    article = clean(doc)
    check_spans(article)
    assert (article.outlet, article.outlet_source) == ("The Valley Courier", "site-name")
    assert article.title == "Orchard town votes to keep its cider festival"
    assert paragraphs(article)[1].startswith("Residents of Bramley Ford")


# --- captions and credits (issue 35) -------------------------------------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_caption_with_a_chain_credit_and_its_title_line_are_boilerplate(gap: str) -> None:
    title = "Ministers Okafor and Brandt shake hands in Brennholt"
    caption = (
        "Ministers Lena Okafor and Piet Brandt shake hands in Brennholt, March 3, 2026. "
        "[Sam Reed/Northbridge Wire/Pool via Harbor Images]"
    )
    article = cleaned(f"The talks ended on Tuesday.\n\n{title}{gap}{caption}\n\nBoth sides claimed victory.")
    assert kinds(article) == [("caption", title), ("caption", caption)]
    assert article.text == "The talks ended on Tuesday.\n\nBoth sides claimed victory."


def test_a_heading_above_a_caption_that_does_not_repeat_it_stays() -> None:
    caption = "Ministers shake hands in Brennholt. [Sam Reed/Northbridge Wire/Pool via Harbor Images]"
    text = f"The talks ended on Tuesday.\n\nWhat comes next for the port\n\n{caption}\n\nBoth sides agreed."
    article = cleaned(text)
    assert kinds(article) == [("caption", caption)]
    assert "What comes next for the port" in article.text


def test_a_stamp_line_dates_a_plain_text() -> None:
    text = (
        "Ferry strike ends\n\nPUBLISHED: THURSDAY, MAY 2, 2031, 1: 32 PM\n\nUpdated 5:40 p.m. ET\n\n"
        "Published reports said 14 ferries stayed in port on Monday."
    )
    article = cleaned(text)
    assert article.published == datetime(2031, 5, 2)
    assert is_stamp("Updated 5:40 p.m. ET") and not is_stamp(
        "Published reports said 14 ferries stayed in port."
    )
    assert "PUBLISHED: THURSDAY" in article.text  # kept: it is what the page says
    # the record's own date wins; an update's stamp dates a text only when nothing else does
    assert cleaned(text, published=datetime(2031, 5, 1)).published == datetime(2031, 5, 1)
    assert cleaned("Last updated: 2031-05-03 10:15\n\nThe ferries sailed.").published == datetime(
        2031, 5, 3, 10, 15
    )
    assert cleaned("Posted 05 / 03 / 2031\n\nThe ferries sailed.").published is None  # day or month first?


def test_a_byline_names_the_outlet_of_a_plain_text_but_not_a_job() -> None:
    body = "\n\nThe ferries sailed on Monday after a week in port."
    assert outlet_of("By Ines Harrow, Coastline Courier" + body) == ("Coastline Courier", "byline")
    assert outlet_of("By Ines Harrow, AP" + body) == ("Associated Press", "byline")
    assert outlet_of("By Ines Harrow, Staff Writer" + body) == (None, None)
    assert outlet_of("By Ines Harrow, New Kelmar" + body) == (None, None)  # where she wrote from
    assert outlet_of("By Ines Harrow" + body) == (None, None)
    # a credit to a newsroom, not a writer
    assert outlet_of("Marrek Daily Courier staff" + body) == ("Marrek Daily Courier", "byline")
    assert outlet_of("By Reuters staff" + body) == ("Reuters", "byline")
    assert outlet_of("Port Alder reporters" + body) == (None, None)  # a place's
    assert outlet_of("The union's staff" + body) == (None, None)
    # a masthead on its own line under the headline, out of the text; the headline stays a headline
    headline = "Dozens Missing After Ferry Sinks\n\n"
    assert outlet_of(headline + "Brenna Bay Observer" + body) == ("Brenna Bay Observer", "byline")
    assert "Observer" not in cleaned(headline + "Brenna Bay Observer" + body).text
    assert outlet_of("Brenna Bay Observer" + body) == (None, None)  # a first line is the headline
    assert outlet_of(headline + "Ferries Return To Harbour Today" + body) == (None, None)
    assert outlet_of(headline + "Breaking News" + body) == (None, None)  # a section's label
    assert outlet_of(headline + "Daily Harbour Mail" + body) == ("Daily Harbour Mail", "byline")
    # any other word on where it ran comes first
    assert outlet_of("By Ines Harrow, Coastline Courier" + body, url="https://harbour-ledger.example/a") == (
        "harbour-ledger.example",
        "url",
    )
