"""JSON and JSON Lines: records with `text` or `html`, and `title`, `url`, `outlet`, `published`.

`.jsonl` (also `.gz`/`.zst` compressed) is read line by line (streaming); a broken line is
`Skipped` with its line number and the other lines are kept. `.json` holds one record or a list
of records.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from storydiff.ingest.compressed import (
    CorruptCompression,
    TooLarge,
    bounded_lines,
    compression,
    open_stream,
    read_at_most,
)
from storydiff.ingest.dates import parse_date
from storydiff.ingest.encoding import BOMS, NotText, decode
from storydiff.ingest.html import html_document
from storydiff.ingest.registry import Source, reader
from storydiff.model import RawDocument, Skipped

TEXT_FIELDS = ("text", "body", "content")
HTML_FIELDS = ("html", "raw_html")
DATE_FIELDS = ("published", "date", "published_at", "pubdate")


@reader(".jsonl", ".ndjson", ".jsonl.gz", ".jsonl.zst", ".ndjson.gz", ".ndjson.zst")
def read_jsonl(source: Source) -> Iterator[RawDocument | Skipped]:
    """One item per non-blank line; line numbers are 1-based and kept in `RawDocument.line`.

    `.gz`/`.zst` files are decompressed as they are read. A line longer than `max_file_bytes`
    is `Skipped`; past `max_decompressed_bytes` the file is read no further (a `Skipped` says
    so) and the lines before are kept.
    """
    try:
        with open_stream(source) as stream:
            yield from _jsonl_items(stream, source)
    except (TooLarge, CorruptCompression) as err:
        yield Skipped(path=source.name, reason=str(err))


@reader(".json", ".json.gz", ".json.zst")
def read_json(source: Source) -> Iterator[RawDocument | Skipped]:
    """One record, or a list of records (`RawDocument.line` is then the 1-based position).

    A compressed `.json.gz`/`.json.zst` whose first line is a JSON object by itself is read
    as JSON Lines instead (streamed). A JSON file longer than `max_file_bytes` is `Skipped`.
    """
    if compression(source.name) is not None and _first_line_is_object(source):
        yield from read_jsonl(source)
        return
    limit = source.options.limits.max_file_bytes
    try:
        with open_stream(source) as stream:
            data, cut = read_at_most(stream, limit)
    except (TooLarge, CorruptCompression) as err:
        yield Skipped(path=source.name, reason=str(err))
        return
    if cut:
        reason = f"JSON file larger than {limit:,} bytes (the limit); JSON Lines (.jsonl) is read streaming"
        yield Skipped(path=source.name, reason=reason)
        return
    try:
        decoded = decode(data, source.name)
    except NotText as err:
        yield Skipped(path=source.name, reason=str(err))
        return
    try:
        value = json.loads(decoded.text, strict=False)
    except json.JSONDecodeError as err:
        yield Skipped(path=source.name, reason=f"invalid JSON at line {err.lineno}: {err.msg}")
        return
    if isinstance(value, dict):
        yield record_document(value, source.name, None, decoded.warnings)
    elif isinstance(value, list):
        for position, item in enumerate(value, start=1):
            if isinstance(item, dict):
                yield record_document(item, source.name, position, list(decoded.warnings))
            else:
                yield Skipped(path=f"{source.name}:{position}", reason=f"item {position} is not an object")
    else:
        yield Skipped(path=source.name, reason="JSON is neither an object nor a list of objects")


def _jsonl_items(stream: BinaryIO, source: Source) -> Iterator[RawDocument | Skipped]:
    max_line = source.options.limits.max_file_bytes
    head = stream.read(4)
    lines: Iterable[bytes | None]
    if any(head.startswith(bom) for bom, codec in BOMS if codec != "utf-8"):
        # UTF-16/32 lines cannot be split on b"\n"; such files are rare and decoded whole.
        rest, cut = read_at_most(stream, max_line)
        if cut:
            yield Skipped(path=source.name, reason=f"UTF-16/32 JSON Lines larger than {max_line:,} bytes")
            return
        try:
            decoded = decode(head + rest, source.name)
        except NotText as err:
            yield Skipped(path=source.name, reason=str(err))
            return
        lines = (line.encode("utf-8") for line in decoded.text.split("\n"))
    else:
        lines = _chain_first(head, bounded_lines(stream, max_line))
    seen = False
    for number, line in enumerate(lines, start=1):
        if line is None:
            seen = True
            reason = f"line {number}: longer than {max_line:,} bytes (the limit)"
            yield Skipped(path=f"{source.name}:{number}", reason=reason)
            continue
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if not line.strip():
            continue
        seen = True
        yield _line_item(line, source.name, number)
    if not seen:
        yield Skipped(path=source.name, reason="empty file")


def _first_line_is_object(source: Source) -> bool:
    """Whether the first non-blank line of `source` is a whole JSON object (so: JSON Lines)."""
    try:
        with open_stream(source) as stream:
            for line in bounded_lines(stream, source.options.limits.max_file_bytes):
                if line is None:
                    return False
                if line.strip():
                    return isinstance(json.loads(line.removeprefix(codecs.BOM_UTF8)), dict)
    except (TooLarge, CorruptCompression, ValueError):  # JSONDecodeError and UnicodeDecodeError
        return False
    return False


def _chain_first(head: bytes, rest: Iterator[bytes | None]) -> Iterator[bytes | None]:
    """Lines of `head + stream`, where `head` is a few bytes already read and `rest` the stream's lines."""
    *complete, partial = head.split(b"\n")
    for piece in complete:
        yield piece + b"\n"
    first = next(rest, b"")
    if first is None:
        yield None
    elif partial + first:
        yield partial + first
    yield from rest


def _line_item(line: bytes, name: str, number: int) -> RawDocument | Skipped:
    where = f"{name}:{number}"
    notes: list[str] = []
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        try:
            decoded = decode(line, where)
        except NotText as err:
            return Skipped(path=where, reason=f"line {number}: {err}")
        text, notes = decoded.text, decoded.warnings
    try:
        value = json.loads(text, strict=False)
    except json.JSONDecodeError as err:
        return Skipped(path=where, reason=f"line {number}: invalid JSON ({err.msg} at column {err.colno})")
    if not isinstance(value, dict):
        return Skipped(path=where, reason=f"line {number}: not a JSON object")
    return record_document(value, name, number, notes)


def record_document(
    record: dict[str, Any], name: str, line: int | None, warnings: list[str] | None = None
) -> RawDocument | Skipped:
    """A `RawDocument` from one JSON record, or `Skipped` when it holds no usable text."""
    where = name if line is None else f"{name}:{line}"
    notes = list(warnings or [])
    text = _first_str(record, TEXT_FIELDS)
    html = _first_str(record, HTML_FIELDS)
    doc: RawDocument | Skipped
    if text is not None and text.strip():
        doc = RawDocument(text=text, path=name, line=line, warnings=notes)
    elif html is not None and html.strip():
        doc = html_document(html, name, line=line, warnings=notes)
        if isinstance(doc, Skipped):
            return doc
    else:
        return Skipped(path=where, reason="no text: the record has no non-empty 'text' or 'html' field")
    nuls = doc.text.count("\0")
    if nuls:
        doc.text = doc.text.replace("\0", "")
        doc.warnings.append(f"{where}: removed {nuls} NUL character(s)")
        if not doc.text.strip():
            return Skipped(path=where, reason="no text: the record's text is empty")
    doc.title = _first_str(record, ("title", "headline")) or doc.title
    doc.url = _first_str(record, ("url", "link")) or doc.url
    doc.outlet = _first_str(record, ("outlet", "source", "publisher"))
    doc.language = _first_str(record, ("language", "lang")) or doc.language
    doc.site_name = _first_str(record, ("site_name", "sitename")) or doc.site_name
    raw_date = next((record[k] for k in DATE_FIELDS if record.get(k) not in (None, "")), None)
    if isinstance(raw_date, str):
        doc.published = parse_date(raw_date)
        if doc.published is None:
            doc.warnings.append(f"{where}: unparseable date {raw_date!r}")
    elif raw_date is not None:
        doc.warnings.append(f"{where}: unparseable date {raw_date!r}")
    return doc


def _first_str(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip() if key not in TEXT_FIELDS + HTML_FIELDS else value
    return None
