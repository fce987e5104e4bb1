"""RSS and Atom feeds: one article per item, via feedparser (no network, ever).

An item's text is its content (HTML goes through the HTML extractor), else its summary; its
link, title and date are kept, and the feed's title becomes the outlet. `.xml` files are read
as feeds only when they look like one (a root element `rss`, `feed` or `rdf:RDF`); any other
`.xml` named explicitly is read as text, as before, and is ignored inside folders.
"""

from __future__ import annotations

import calendar
import codecs
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from storydiff.ingest.dates import parse_date
from storydiff.ingest.html import html_document
from storydiff.ingest.registry import Source, reader
from storydiff.ingest.text import read_text
from storydiff.model import RawDocument, Skipped

SNIFF_BYTES = 4096
_PROLOG = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)", re.S | re.I)
_FEED_ROOT = re.compile(rb"\s*<(?:[\w.-]+:)?(?:rss|feed|RDF)[\s>/]")


def is_feed(source: Source) -> bool:
    """Whether `source` starts like an RSS or Atom document (its first element is the test)."""
    head = source.head(SNIFF_BYTES).removeprefix(codecs.BOM_UTF8)
    pos = 0
    while (prolog := _PROLOG.match(head, pos)) is not None and prolog.end() > pos:
        pos = prolog.end()
    return _FEED_ROOT.match(head, pos) is not None


@reader(".rss", ".atom")
def read_feed(source: Source) -> Iterator[RawDocument | Skipped]:
    """One `RawDocument` per item (`line` is its 1-based position), `Skipped` for an item without text.

    A feed longer than `max_file_bytes` is `Skipped` (a cut XML document cannot be trusted).
    """
    import feedparser

    limit = source.options.limits.max_file_bytes
    data, cut = source.read_at_most(limit)
    if cut:
        yield Skipped(path=source.name, reason=f"feed larger than {limit:,} bytes (the limit)")
        return
    # a stream, never bytes or str: feedparser treats a string as a URL or a file name to open
    parsed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    entries: list[Any] = list(parsed.get("entries") or [])
    if not entries:
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        reason = f"not a readable feed: {problem}" if problem else "feed has no items"
        yield Skipped(path=source.name, reason=reason)
        return
    outlet = _clean(parsed.get("feed", {}).get("title"))
    notes = []
    if parsed.get("bozo"):
        notes.append(f"{source.name}: malformed feed ({parsed.get('bozo_exception')}); read what parsed")
    for position, entry in enumerate(entries, start=1):
        yield _item(entry, source.name, position, outlet, notes)


@reader(".xml", sniff=is_feed)
def read_xml(source: Source) -> Iterator[RawDocument | Skipped]:
    """A feed when the file looks like one, else plain text (what `.xml` always was)."""
    yield from (read_feed if is_feed(source) else read_text)(source)


def _item(
    entry: Any, name: str, position: int, outlet: str | None, notes: list[str]
) -> RawDocument | Skipped:
    where = f"{name}:{position}"
    body, kind = _body(entry)
    if body is None:
        return Skipped(path=where, reason=f"item {position}: no content or summary")
    doc: RawDocument | Skipped
    if "html" in kind:
        doc = html_document(body, name, line=position, warnings=list(notes))
        if isinstance(doc, Skipped):
            return Skipped(path=where, reason=f"item {position}: no text found in its HTML")
    else:
        doc = RawDocument(text=body.replace("\0", ""), path=name, line=position, warnings=list(notes))
    doc.title = _clean(entry.get("title")) or doc.title
    doc.url = _clean(entry.get("link")) or doc.url
    doc.outlet = outlet
    published = _date(entry, where, doc.warnings)
    doc.published = published or doc.published
    return doc


def _body(entry: Any) -> tuple[str | None, str]:
    """The item's content, else its summary, with its MIME type ("" when unknown)."""
    for content in entry.get("content") or []:
        value = content.get("value")
        if isinstance(value, str) and value.strip():
            return value, str(content.get("type") or "")
    summary = entry.get("summary")
    if isinstance(summary, str) and summary.strip():
        detail = entry.get("summary_detail") or {}
        return summary, str(detail.get("type") or "")
    return None, ""


def _date(entry: Any, where: str, warnings: list[str]) -> datetime | None:
    for key in ("published", "updated"):
        parsed = entry.get(f"{key}_parsed")
        if parsed is not None:  # feedparser normalises RSS and Atom dates to a UTC struct_time
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC)
        raw = entry.get(key)
        if isinstance(raw, str) and raw.strip():
            value = parse_date(raw)
            if value is None:
                warnings.append(f"{where}: unparseable date {raw!r}")
            return value
    return None


def _clean(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None
