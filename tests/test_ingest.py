"""Readers, encodings, folders, stdin and the suffix registry, on tiny hand-written fixtures."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storydiff.ingest import InputNotFound, Source, check_inputs, read_inputs, reader, reader_for
from storydiff.ingest import html as html_reader
from storydiff.ingest.encoding import NotText, decode
from storydiff.ingest.jsonl import read_jsonl
from storydiff.ingest.registry import READERS
from storydiff.model import RawDocument, Skipped

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def docs(items: Iterator[RawDocument | Skipped]) -> tuple[list[RawDocument], list[Skipped]]:
    found = list(items)
    return [d for d in found if isinstance(d, RawDocument)], [s for s in found if isinstance(s, Skipped)]


def read_one(path: Path) -> RawDocument:
    read, skipped = docs(read_inputs([str(path)]))
    assert not skipped, skipped
    assert len(read) == 1
    return read[0]


# --- text ----------------------------------------------------------------------------------


def test_txt_reader_reads_whole_file_as_one_article() -> None:
    doc = read_one(FIXTURES / "wire.txt")
    assert doc.path == str(FIXTURES / "wire.txt")
    assert doc.text.startswith("Harbour strike ends after “long night”")
    assert doc.line is None and doc.title is None and doc.warnings == []


def test_unknown_suffix_named_explicitly_is_read_as_text() -> None:
    doc = read_one(FIXTURES / "story.article")
    assert "bakery on Elm Street" in doc.text


def test_unknown_suffix_binary_named_explicitly_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "photo.bin"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    read, skipped = docs(read_inputs([str(path)]))
    assert read == [] and skipped == [Skipped(path=str(path), reason="binary file")]


# --- encodings -----------------------------------------------------------------------------


def test_cp1252_is_detected_and_the_guess_is_named(tmp_path: Path) -> None:
    path = tmp_path / "cp1252.txt"
    path.write_bytes("“We won’t sell,” said the café owner – for now.".encode("cp1252"))
    doc = read_one(path)
    assert doc.text == "“We won’t sell,” said the café owner – for now."
    assert doc.warnings == [f"{path}: not UTF-8; encoding guessed as cp1252"]


def test_latin1_without_cp1252_punctuation_is_called_latin1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("The café in Señora Ibáñez's street reopened.".encode("latin-1"))
    doc = read_one(path)
    assert doc.text == "The café in Señora Ibáñez's street reopened."
    assert doc.warnings == [f"{path}: not UTF-8; encoding guessed as latin-1"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    text = "Ministers met in Zürich — “no deal yet,” one said."
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    doc = read_one(path)
    assert doc.text == text
    assert doc.warnings == []


def test_bomless_utf16_is_guessed_with_a_warning() -> None:
    decoded = decode("The river rose two metres overnight.".encode("utf-16-le"), "flood.txt")
    assert decoded.text == "The river rose two metres overnight."
    assert decoded.warnings == ["flood.txt: no byte-order mark; encoding guessed as utf-16-le"]


def test_utf8_with_a_broken_byte_mid_file_keeps_the_rest() -> None:
    data = "Prices rose – “sharply,” traders said. ".encode() * 5 + b"\xff" + b" The end."
    decoded = decode(data, "prices.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text.endswith("\ufffd The end.")
    at = len(data) - 10
    assert decoded.warnings == [
        f"prices.txt: invalid UTF-8 from byte {at} on; bad bytes replaced with U+FFFD"
    ]


def test_nul_bytes_are_removed_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"The mayor\x00 resigned on Friday.\x00")
    doc = read_one(path)
    assert doc.text == "The mayor resigned on Friday."
    assert doc.warnings == [f"{path}: removed 2 NUL character(s)"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\t\r\n ", "empty file"),
        ("\ufeff  \n".encode(), "empty file"),
        (b"\x00\x01\x02\x03" * 100, "binary file"),
        (b"GIF89a" + b"\x00" * 50, "binary file"),
        (bytes(range(1, 32)) * 20, "binary file"),
    ],
)
def test_not_text_is_skipped_with_a_reason_naming_the_file(tmp_path: Path, data: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    assert list(read_inputs([str(path)])) == [Skipped(path=str(path), reason=reason)]


def test_decode_raises_not_text_for_empty_input() -> None:
    with pytest.raises(NotText, match="empty file"):
        decode(b"", "x.txt")


# --- HTML ----------------------------------------------------------------------------------


def test_html_reader_extracts_main_text_and_metadata() -> None:
    doc = read_one(FIXTURES / "page.html")
    assert doc.title == "Orchard town votes to keep its cider festival"
    assert doc.site_name == "The Valley Courier"
    assert doc.url == "https://www.valleycourier.example/local/cider-festival"
    assert doc.published == datetime(2031, 9, 2, 8, 15, tzinfo=UTC)
    assert doc.language == "en"
    paragraphs = doc.text.split("\n\n")
    assert "Residents of Bramley Ford voted by 212 to 97" in paragraphs[1]
    assert paragraphs[-1].startswith("Council leader Owen Pike said")
    assert "Home" not in doc.text and "All rights reserved" not in doc.text


def test_html_falls_back_to_lxml_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_reader, "_trafilatura", lambda html: None)
    page = (
        "<html><head><title>Tiny</title></head>"
        "<body><nav>Menu</nav><p>One line.</p><p>Two <b>lines</b>.</p></body></html>"
    )
    found = html_reader.extract(page)
    assert found is not None
    assert found.text == "One line.\n\nTwo lines."
    assert found.title == "Tiny"


def test_deeply_nested_html_still_gives_its_text() -> None:
    page = "<html><body>" + "<div>" * 3000 + "<p>Deep text, the minister said.</p>" + "</div>" * 3000
    (doc,) = html_reader.read_html(Source.from_bytes("deep.html", page.encode()))
    assert isinstance(doc, RawDocument) and doc.text == "Deep text, the minister said."


def test_html_without_text_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "blank.html"
    path.write_text("<html><body><script>var x = 1;</script></body></html>")
    assert list(read_inputs([str(path)])) == [Skipped(path=str(path), reason="no text found in HTML")]


# --- JSON and JSON Lines -------------------------------------------------------------------


def test_jsonl_keeps_good_lines_and_names_broken_ones_by_line_number() -> None:
    path = str(FIXTURES / "records.jsonl")
    read, skipped = docs(read_inputs([path]))
    assert [d.line for d in read] == [1, 3]
    first, third = read
    assert first.path == path
    assert first.title == "Ferry service to resume"
    assert first.outlet == "Lakeside Herald"
    assert first.url == "https://lakeside-herald.example/news/ferry"
    assert first.published == datetime(2031, 4, 3, 10, 0, tzinfo=UTC)
    assert first.text.startswith("The island ferry will resume")
    # the html field goes through the HTML extractor; the bad date is a warning naming file:line
    assert third.title == "Library opens late"
    assert (
        third.text.startswith("The town library will stay open") and "\n\n“People work late,”" in third.text
    )
    assert third.published is None
    assert third.warnings == [f"{path}:3: unparseable date 'sometime soon'"]
    assert [s.path for s in skipped] == [f"{path}:2", f"{path}:5", f"{path}:6"]
    assert skipped[0].reason.startswith("line 2: invalid JSON")
    assert skipped[1].reason == "line 5: not a JSON object"
    assert skipped[2].reason.startswith("no text")


def test_jsonl_is_read_lazily() -> None:
    data = b'{"text": "First story."}\n' + b'{"text": "Second story."}\n' * 1000
    stream = io.BytesIO(data)
    items = read_jsonl(Source(name="big.jsonl", open=lambda: stream))
    first = next(items)
    assert isinstance(first, RawDocument) and first.text == "First story."
    assert stream.tell() < 100


def test_jsonl_nul_characters_are_removed() -> None:
    data = b'{"text": "Rain\\u0000 is due on Sunday."}\n'
    (doc,) = read_jsonl(Source.from_bytes("nul.jsonl", data))
    assert isinstance(doc, RawDocument)
    assert doc.text == "Rain is due on Sunday."
    assert doc.warnings == ["nul.jsonl:1: removed 1 NUL character(s)"]


def test_json_list_gives_one_document_per_item_with_its_position() -> None:
    read, skipped = docs(read_inputs([str(FIXTURES / "list.json")]))
    assert skipped == []
    assert [(d.line, d.title, d.outlet) for d in read] == [
        (1, "Bridge reopens", "Riverside Times"),
        (2, "Market moves", None),
    ]


def test_json_single_object() -> None:
    doc = read_one(FIXTURES / "single.json")
    assert doc.line is None
    assert doc.url == "https://www.solo-news.example/a/1"
    assert doc.text.startswith("A single JSON object")


def test_invalid_json_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": ')
    (skipped,) = read_inputs([str(path)])
    assert isinstance(skipped, Skipped) and skipped.reason.startswith("invalid JSON at line 1")


# --- folders, stdin, missing paths ---------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order_skipping_hidden_and_unknown() -> None:
    corpus = FIXTURES / "corpus"
    read, skipped = docs(read_inputs([str(corpus)]))
    assert skipped == []
    assert [d.path for d in read] == [str(corpus / "b.txt"), str(corpus / "sub" / "a.txt")]


def test_stdin_format_is_sniffed() -> None:
    (text,) = read_inputs(["-"], stdin=io.BytesIO(b"The vote is on Sunday."))
    assert isinstance(text, RawDocument) and text.path == "-" and text.text == "The vote is on Sunday."
    page = (FIXTURES / "page.html").read_bytes()
    (html,) = read_inputs(["-"], stdin=io.BytesIO(page))
    assert isinstance(html, RawDocument) and html.site_name == "The Valley Courier"
    lines = (FIXTURES / "records.jsonl").read_bytes()
    read, skipped = docs(read_inputs(["-"], stdin=io.BytesIO(lines)))
    assert [d.line for d in read] == [1, 3] and skipped[0].path == "-:2"
    (obj,) = read_inputs(["-"], stdin=io.BytesIO(b'{\n  "text": "Pretty-printed."\n}'))
    assert isinstance(obj, RawDocument) and obj.text == "Pretty-printed."


def test_check_inputs_names_the_first_missing_path(tmp_path: Path) -> None:
    check_inputs(["-", str(FIXTURES / "wire.txt")])
    missing = str(tmp_path / "nope.txt")
    with pytest.raises(InputNotFound) as err:
        check_inputs([str(FIXTURES / "wire.txt"), missing, str(tmp_path / "also-missing")])
    assert err.value.path == missing
    assert missing in str(err.value)


def test_read_inputs_raises_for_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputNotFound):
        list(read_inputs([str(tmp_path / "gone")]))


def test_skipped_files_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "good.txt").write_text("The harbour reopened.")
    read, skipped = docs(read_inputs([str(tmp_path)]))
    assert [d.text for d in read] == ["The harbour reopened."]
    assert skipped == [Skipped(path=str(tmp_path / "empty.txt"), reason="empty file")]


# --- registry ------------------------------------------------------------------------------


def test_reader_for_picks_the_longest_registered_suffix() -> None:
    assert reader_for("a/B.HTML") is READERS[".html"]
    assert reader_for("x.jsonl") is READERS[".jsonl"]
    assert reader_for("x.docx") is None


def test_new_readers_plug_in_by_suffix(tmp_path: Path) -> None:
    @reader(".memo.txt")
    def read_memo(source: Source) -> Iterator[RawDocument | Skipped]:
        yield RawDocument(text=source.read().decode().upper(), path=source.name)

    try:
        (tmp_path / "a.memo.txt").write_text("budget approved")
        (tmp_path / "b.txt").write_text("budget approved")
        read, _ = docs(read_inputs([str(tmp_path)]))
        assert [d.text for d in read] == ["BUDGET APPROVED", "budget approved"]
    finally:
        del READERS[".memo.txt"]
