"""Inputs at scale: WARC, RSS/Atom, compressed JSONL, CSV with a column mapping, and the limits
that keep hostile input (bombs, huge lines, deep HTML, broken bytes) cheap. Fixtures are
fictional and written by the tests."""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydiff.ingest import Limits, Source, parse_columns, read_inputs, reader_for
from storydiff.ingest import html as html_reader
from storydiff.ingest.feeds import is_feed
from storydiff.ingest.text import trim_partial_utf8
from storydiff.model import RawDocument, Skipped

PAGE = """<html lang="en"><head><title>{title}</title>{meta}</head><body>
<nav>Home | World | Sport</nav>
<article><h1>{title}</h1>
<p>{first}</p>
<p>"We will rebuild the pier before summer," harbour master Ida Renn said on Tuesday.</p>
<p>The council has set aside funds for the work and expects tenders next month.</p>
</article><footer>All rights reserved</footer></body></html>"""


def page(title: str, first: str, meta: str = "") -> str:
    return PAGE.format(title=title, first=first, meta=meta)


def split(items: Iterator[RawDocument | Skipped]) -> tuple[list[RawDocument], list[Skipped]]:
    found = list(items)
    return [d for d in found if isinstance(d, RawDocument)], [s for s in found if isinstance(s, Skipped)]


# --- WARC ----------------------------------------------------------------------------------


def write_warc(path: Path, gz: bool) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)

        def response(uri: str, date: str, content_type: str, body: bytes, status: str = "200 OK") -> None:
            http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)

        writer.write_record(writer.create_warc_record("", "warcinfo", payload=io.BytesIO(b"software: test")))
        meta = '<meta property="article:published_time" content="2031-05-01T07:00:00Z">'
        first = "The old pier at Gullhaven collapsed in a storm overnight, the port authority said."
        html1 = page("Pier collapses in storm", first, meta).encode()
        response(
            "https://gullhaven-post.example/pier", "2031-05-02T09:30:00Z", "text/html; charset=utf-8", html1
        )
        response(
            "https://gullhaven-post.example/logo.png", "2031-05-02T09:30:01Z", "image/png", b"\x89PNG...."
        )
        second = "Ferries from Gullhaven will sail from the north quay while the pier is rebuilt."
        html2 = page("Ferries move to north quay", second).encode("cp1252")
        response(
            "https://gullhaven-post.example/ferries",
            "2031-05-03T11:00:00Z",
            "text/html; charset=windows-1252",
            html2,
        )
        response(
            "https://gullhaven-post.example/gone",
            "2031-05-03T11:00:02Z",
            "text/html",
            b"<p>Gone</p>",
            "404 Not Found",
        )


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_html_responses_become_articles_with_record_url_and_date(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"))
    read, skipped = split(read_inputs([str(path)]))
    assert skipped == []
    assert [d.line for d in read] == [2, 4]  # record ordinals: warcinfo is 1, the PNG 3, the 404 5
    pier, ferries = read
    assert pier.path == str(path)
    assert pier.url == "https://gullhaven-post.example/pier"
    assert pier.title == "Pier collapses in storm"
    assert "\n\nThe old pier at Gullhaven collapsed in a storm" in pier.text
    assert "All rights reserved" not in pier.text
    assert pier.published == datetime(2031, 5, 1, 7, 0, tzinfo=UTC)  # the page's own date wins
    assert ferries.published == datetime(2031, 5, 3, 11, 0, tzinfo=UTC)  # else the capture date
    assert ferries.url == "https://gullhaven-post.example/ferries"


def test_warc_that_is_not_an_archive_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "fake.warc"
    path.write_text("this is not a web archive\n" * 10)
    (skipped,) = read_inputs([str(path)])
    assert skipped == Skipped(
        path=str(path), reason="not a WARC file (it does not start with a WARC/ record)"
    )


# --- RSS and Atom --------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<!-- a fictional feed -->
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Marsh Valley Echo</title><link>https://marsh-echo.example/</link>
<item><title>Flood barrier opens</title><link>https://marsh-echo.example/barrier</link>
<pubDate>Tue, 04 Mar 2031 08:00:00 GMT</pubDate>
<description>Short summary only.</description>
<content:encoded><![CDATA[<p>The new flood barrier on the Marsh opened on Monday.</p>
<p>"It held on its first tide," engineer Tomas Alder said.</p>]]></content:encoded></item>
<item><title>Bakery wins award</title><link>https://marsh-echo.example/bakery</link>
<pubDate>Wed, 05 Mar 2031 12:30:00 +0100</pubDate>
<description>A village bakery in Reedby won a regional bread prize.</description></item>
<item><title>Empty item</title><link>https://marsh-echo.example/empty</link></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Northfield Ledger</title>
<id>urn:example:ledger</id><updated>2031-06-01T10:00:00Z</updated>
<entry><title>Tram line approved</title><id>urn:example:tram</id>
<link href="https://northfield-ledger.example/tram"/>
<updated>2031-06-01T09:15:00Z</updated>
<content type="html">&lt;p&gt;Councillors approved the eastern tram line by nine votes to four.&lt;/p&gt;
</content>
</entry></feed>"""


def test_rss_items_become_articles_with_link_date_and_feed_title_as_outlet(tmp_path: Path) -> None:
    path = tmp_path / "echo.rss"
    path.write_text(RSS)
    read, skipped = split(read_inputs([str(path)]))
    barrier, bakery = read
    assert (barrier.line, barrier.title, barrier.outlet) == (1, "Flood barrier opens", "Marsh Valley Echo")
    assert barrier.url == "https://marsh-echo.example/barrier"
    assert barrier.text.startswith(
        "The new flood barrier on the Marsh opened on Monday."
    )  # content, not summary
    assert "engineer Tomas Alder said" in barrier.text and "<p>" not in barrier.text
    assert barrier.published == datetime(2031, 3, 4, 8, 0, tzinfo=UTC)
    assert bakery.text == "A village bakery in Reedby won a regional bread prize."  # the summary
    assert bakery.published == datetime(2031, 3, 5, 11, 30, tzinfo=UTC)
    assert skipped == [Skipped(path=f"{path}:3", reason="item 3: no content or summary")]


def test_atom_entries_become_articles(tmp_path: Path) -> None:
    path = tmp_path / "ledger.atom"
    path.write_text(ATOM)
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, RawDocument)
    assert doc.text == "Councillors approved the eastern tram line by nine votes to four."
    assert (doc.title, doc.outlet) == ("Tram line approved", "Northfield Ledger")
    assert doc.url == "https://northfield-ledger.example/tram"
    assert doc.published == datetime(2031, 6, 1, 9, 15, tzinfo=UTC)


def test_xml_is_read_as_a_feed_only_when_it_is_one(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text(ATOM)
    (tmp_path / "sitemap.xml").write_text('<?xml version="1.0"?><urlset><url>x</url></urlset>')
    assert is_feed(Source.from_path(str(tmp_path / "feed.xml")))
    assert not is_feed(Source.from_path(str(tmp_path / "sitemap.xml")))
    read, skipped = split(read_inputs([str(tmp_path)]))  # in a folder, the sitemap is ignored
    assert [d.outlet for d in read] == ["Northfield Ledger"] and skipped == []
    (named,) = read_inputs([str(tmp_path / "sitemap.xml")])  # named explicitly: text, as before
    assert isinstance(named, RawDocument) and "<urlset>" in named.text


def test_broken_feed_is_skipped_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><title>Half")
    (skipped,) = read_inputs([str(path)])
    assert isinstance(skipped, Skipped) and skipped.path == str(path)


# --- compressed JSON Lines -----------------------------------------------------------------

LINES = (
    b'{"text": "The dam inspection found no cracks.", "outlet": "Hill Gazette", "published": "2031-02-01"}\n'
    b'{"text": "broken\n'
    b'{"text": "Water levels are normal, the utility said.", "title": "Levels normal"}\n'
)


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst", ".ndjson.gz", ".json.gz"])
def test_compressed_jsonl_keeps_good_lines_and_names_the_broken_one(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"wire{suffix}"
    path.write_bytes(zstandard.compress(LINES) if suffix.endswith(".zst") else gzip.compress(LINES))
    read, skipped = split(read_inputs([str(path)]))
    assert [(d.line, d.outlet, d.title) for d in read] == [
        (1, "Hill Gazette", None),
        (3, None, "Levels normal"),
    ]
    assert read[0].published == datetime(2031, 2, 1)
    assert [s.path for s in skipped] == [f"{path}:2"]
    assert skipped[0].reason.startswith("line 2: invalid JSON")


def test_compressed_json_list_is_read_as_json(tmp_path: Path) -> None:
    path = tmp_path / "list.json.gz"
    path.write_bytes(gzip.compress(b'[\n {"text": "First."},\n {"text": "Second."}\n]'))
    read, skipped = split(read_inputs([str(path)]))
    assert [(d.line, d.text) for d in read] == [(1, "First."), (2, "Second.")] and skipped == []


def test_gzip_bomb_stops_at_the_decompressed_limit_keeping_lines_before(tmp_path: Path) -> None:
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b'{"text": "Before the bomb."}\n')
        zeros = b"\0" * (1 << 20)
        for _ in range(64):  # 64 MB of zeros, about 64 KB compressed
            out.write(zeros)
    limits = Limits(max_decompressed_bytes=1 << 20)
    read, skipped = split(read_inputs([str(path)], limits=limits))
    assert [d.text for d in read] == ["Before the bomb."]
    assert skipped == [
        Skipped(
            path=str(path),
            reason="stopped after 1,048,576 decompressed bytes (the limit); the rest was not read",
        )
    ]


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_truncated_compressed_file_keeps_what_came_before(tmp_path: Path, suffix: str) -> None:
    data = b"".join(b'{"text": "Story %d."}\n' % i for i in range(20000))
    packed = zstandard.compress(data) if suffix.endswith(".zst") else gzip.compress(data)
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(packed[: len(packed) // 2])
    read, skipped = split(read_inputs([str(path)]))
    assert read and read[0].text == "Story 0."
    assert len(skipped) == 1 and skipped[0].path == str(path)


def test_jsonl_line_longer_than_the_limit_is_skipped_and_the_rest_kept(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 5000 + b'"}\n{"text": "Short story."}\n')
    read, skipped = split(read_inputs([str(path)], limits=Limits(max_file_bytes=1000)))
    assert [(d.line, d.text) for d in read] == [(2, "Short story.")]
    assert skipped == [Skipped(path=f"{path}:1", reason="line 1: longer than 1,000 bytes (the limit)")]


def test_long_record_is_truncated_with_a_warning_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text('{"text": "short"}\n{"text": "' + "y" * 500 + '"}\n')
    read, _ = split(read_inputs([str(path)], limits=Limits(max_article_chars=100)))
    assert [len(d.text) for d in read] == [5, 100]
    assert read[0].warnings == []
    assert read[1].warnings == [f"{path}:2: article longer than 100 characters; truncated to them"]


# --- CSV -----------------------------------------------------------------------------------

CSV = (
    "headline,body,link,source,date,notes\n"
    'Bridge tolls scrapped,"Tolls on the Wendle bridge end in May, the mayor said.",'
    "https://wendle-times.example/tolls,Wendle Times,2031-04-01,x\n"
    "No body here,,https://wendle-times.example/none,Wendle Times,2031-04-02,\n"
    '"Two-line story","First line of the body.\nSecond line, still the body.",,Wendle Times,,\n'
)


def test_csv_with_a_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(CSV.replace("headline,body", "hed,copy"))
    columns = parse_columns("text=copy, title=hed,url=link,outlet=source,published=date")
    read, skipped = split(read_inputs([str(path)], columns=columns))
    tolls, two = read
    assert (tolls.line, tolls.title, tolls.outlet) == (2, "Bridge tolls scrapped", "Wendle Times")
    assert tolls.text == "Tolls on the Wendle bridge end in May, the mayor said."
    assert tolls.url == "https://wendle-times.example/tolls"
    assert tolls.published == datetime(2031, 4, 1)
    assert (two.line, two.text) == (4, "First line of the body.\nSecond line, still the body.")
    assert skipped == [Skipped(path=f"{path}:3", reason="line 3: no text in this row")]


def test_csv_mapping_is_guessed_from_the_header_and_tsv_works(tmp_path: Path) -> None:
    path = tmp_path / "export.tsv"
    path.write_text("Title\tContent\tPublisher\nRates held\tThe central bank held rates.\tCoin Daily\n")
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, RawDocument)
    assert (doc.title, doc.text, doc.outlet, doc.line) == (
        "Rates held",
        "The central bank held rates.",
        "Coin Daily",
        2,
    )


def test_csv_without_a_text_column_or_with_a_missing_mapped_column_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("a,b\n1,2\n")
    (skipped,) = read_inputs([str(path)])
    assert isinstance(skipped, Skipped) and skipped.reason.startswith("no text column")
    (skipped,) = read_inputs([str(path)], columns={"text": "story"})
    assert skipped == Skipped(path=str(path), reason="no column 'story' (for text) in the header: a, b")


def test_csv_broken_utf8_and_nul_mid_file_keep_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "dirty.csv"
    path.write_bytes(b"text\nClean row.\nBad \xff byte row.\nNUL\x00 row.\n")
    read, skipped = split(read_inputs([str(path)]))
    assert skipped == []
    assert [d.text for d in read][::2] == ["Clean row.", "NUL row."]
    assert read[1].text.startswith("Bad ") and read[1].text.endswith(" byte row.")
    assert read[1].warnings and read[1].warnings[0].startswith(f"{path}:3:")
    assert read[2].warnings == [f"{path}:4: removed 1 NUL character(s)"]


def test_csv_quotation_mark_never_closed_is_named_with_its_line(tmp_path: Path) -> None:
    """A quote left open swallows the rest of the file into one field: the text is kept (nothing is
    lost), and the warning names the line it opened on; a quoted field over two lines is no fault."""
    path = tmp_path / "export.csv"
    path.write_text(
        'id,text\n1,"The dam held, the mayor said\n2,The river rose.\n3,Crews worked.\n', encoding="utf-8"
    )
    [doc], skipped = split(read_inputs([str(path)]))
    assert skipped == [] and "Crews worked." in doc.text
    assert doc.warnings == [f"{path}:2: a quotation mark opened in this row is never closed, so lines 2-4 "
                            "were read as one row"]  # fmt: skip
    path.write_text('id,text\n1,"The dam held,\nthe mayor said."\n2,The river rose.\n', encoding="utf-8")
    read, _ = split(read_inputs([str(path)]))
    assert [d.warnings for d in read] == [[], []]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty column mapping"),
        ("text", "bad column mapping 'text'"),
        ("text=", "bad column mapping 'text='"),
        ("body=text", "unknown field 'body'"),
        ("text=a,text=b", "field 'text' is mapped twice"),
    ],
)
def test_parse_columns_rejects_bad_specs_clearly(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_columns(spec)


def test_new_suffixes_are_registered() -> None:
    for name in (
        "a.warc",
        "a.warc.gz",
        "a.rss",
        "a.atom",
        "a.xml",
        "a.jsonl.gz",
        "a.jsonl.zst",
        "a.json.gz",
        "a.ndjson.gz",
        "a.csv",
        "a.tsv",
    ):
        assert reader_for(name) is not None, name


# --- hostile input -------------------------------------------------------------------------


def test_20_mb_single_line_text_is_truncated_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Mayor says " + b"a" * (20 * 1024 * 1024))
    read, skipped = split(read_inputs([str(path)]))
    assert skipped == []
    (doc,) = read
    assert len(doc.text) == 1_000_000 and doc.text.startswith("Mayor says aaa")
    assert doc.warnings == [f"{path}: article longer than 1,000,000 characters; truncated to them"]


def test_cutting_a_file_never_splits_a_utf8_character(tmp_path: Path) -> None:
    path = tmp_path / "accents.txt"
    path.write_bytes("é".encode() * 50)  # 100 bytes; the limit cuts after 4*10+4 = 44
    (doc,) = read_inputs([str(path)], limits=Limits(max_article_chars=10))
    assert isinstance(doc, RawDocument) and doc.text == "é" * 10
    assert doc.warnings == [f"{path}: article longer than 10 characters; truncated to them"]
    assert trim_partial_utf8("aé".encode()[:2]) == b"a"
    assert trim_partial_utf8("a€".encode()) == "a€".encode()


def test_html_nested_5000_levels_deep_gives_its_text() -> None:
    page = "<html><body>" + "<div>" * 5000 + "<p>Deep text, the mayor said.</p>" + "</div>" * 5000
    (doc,) = html_reader.read_html(Source.from_bytes("deep.html", page.encode()))
    assert isinstance(doc, RawDocument) and doc.text == "Deep text, the mayor said."


def test_html_larger_than_the_limit_is_cut_with_a_warning() -> None:
    page = "<html><body><p>The vote passed.</p>" + "<p>filler</p>" * 1000 + "</body></html>"
    source = Source.from_bytes("big.html", page.encode())
    (doc,) = read_inputs_from(source, Limits(max_file_bytes=200))
    assert isinstance(doc, RawDocument) and doc.text.startswith("The vote passed.")
    assert doc.warnings == ["big.html: larger than 200 bytes; only the first 200 were read"]


def read_inputs_from(source: Source, limits: Limits) -> list[RawDocument | Skipped]:
    from storydiff.ingest.limits import ReadOptions

    return list(html_reader.read_html(Source(source.name, source.open, ReadOptions.make(limits=limits))))


def test_html_with_an_unknown_declared_charset_is_still_read() -> None:
    page = (
        b'<html><head><meta charset="no-such-charset"></head><body><p>Still read, he said.</p></body></html>'
    )
    (doc,) = html_reader.read_html(Source.from_bytes("odd.html", page))
    assert isinstance(doc, RawDocument) and doc.text == "Still read, he said."


def test_nul_bytes_and_broken_utf8_mid_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("“Fine,” said Ana. ".encode() * 10 + b"\x00\xff\x00" + b" The end.")
    (doc,) = read_inputs([str(path)])
    assert isinstance(doc, RawDocument)
    assert doc.text.endswith("\ufffd The end.") and "\0" not in doc.text
    assert len(doc.warnings) == 2
    assert "invalid UTF-8" in doc.warnings[0] and "removed 2 NUL" in doc.warnings[1]


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_article_chars must be at least 1"):
        Limits(max_article_chars=0)


def test_articles_are_counted_from_file_names_when_each_file_is_one_article(tmp_path: Path) -> None:
    from storydiff.ingest import count_articles

    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("<p>x</p>", encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 2
    assert count_articles([str(tmp_path), str(tmp_path / "a.txt")]) == 3
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    assert count_articles([str(tmp_path)]) is None  # a container: unknown without reading it
    assert count_articles(["-"]) is None
