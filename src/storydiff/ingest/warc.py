"""WARC web archives (`.warc`, `.warc.gz`): one article per HTML response record, streamed.

Only `response` records whose HTTP Content-Type is HTML are read; they go through the same
HTML extraction as `.html` files. The record's `WARC-Target-URI` is the article's url and its
`WARC-Date` the published date when the page itself names none. `RawDocument.line` is the
record's 1-based ordinal in the archive.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from typing import Any

from storydiff.ingest.compressed import read_at_most
from storydiff.ingest.dates import parse_date
from storydiff.ingest.encoding import NotText, decode
from storydiff.ingest.html import html_document, known_charset
from storydiff.ingest.limits import cut_warning
from storydiff.ingest.registry import Source, reader
from storydiff.model import RawDocument, Skipped

_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


@reader(".warc", ".warc.gz")
def read_warc(source: Source) -> Iterator[RawDocument | Skipped]:
    """One `RawDocument` per HTML response; `Skipped` per unusable HTML record, or for the archive
    when it cannot be read on (the records before are kept)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    limits = source.options.limits
    if not _starts_like_warc(source):
        yield Skipped(path=source.name, reason="not a WARC file (it does not start with a WARC/ record)")
        return
    ordinal = 0
    with source.open() as stream:
        try:
            for ordinal, record in enumerate(ArchiveIterator(stream), start=1):
                if record.rec_type == "response" and _is_html(record):
                    yield _record_document(
                        record, source.name, ordinal, limits.max_file_bytes, limits.max_decompressed_bytes
                    )
        except (ArchiveLoadFailed, EOFError, zlib.error, ValueError) as err:
            where = f"after record {ordinal}" if ordinal else "at the start"
            yield Skipped(path=source.name, reason=f"unreadable WARC {where}: {err}")


def _starts_like_warc(source: Source) -> bool:
    """Whether the (possibly gzipped) file starts with a `WARC/1.x` header line.

    warcio would otherwise read any text as old-style ARC records.
    """
    with source.open() as stream:
        head = stream.read(64 * 1024)
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.lstrip(b"\r\n").startswith(b"WARC/")


def _is_html(record: Any) -> bool:
    headers = record.http_headers
    if headers is None:
        return False
    content_type = headers.get_header("Content-Type") or ""
    status = headers.get_statuscode() or ""
    return "html" in content_type.lower() and status.startswith("2")


def _record_document(
    record: Any, name: str, ordinal: int, max_bytes: int, max_decompressed: int
) -> RawDocument | Skipped:
    where = f"{name}:{ordinal}"
    if (record.length or 0) > max_decompressed:
        reason = f"record {ordinal}: {record.length:,} bytes, past the {max_decompressed:,}-byte limit"
        return Skipped(path=where, reason=reason)
    limit = min(max_bytes, max_decompressed)
    try:
        payload, cut = read_at_most(record.content_stream(), limit)
    except (EOFError, zlib.error, ValueError, OSError) as err:
        return Skipped(path=where, reason=f"record {ordinal}: unreadable payload ({err})")
    content_type = record.http_headers.get_header("Content-Type") or ""
    charset = _CHARSET.search(content_type)
    try:
        decoded = decode(payload, where, declared=known_charset(charset.group(1) if charset else None))
    except NotText as err:
        return Skipped(path=where, reason=f"record {ordinal}: {err}")
    if cut:
        decoded.warnings.append(cut_warning(where, limit))
    doc = html_document(decoded.text, name, line=ordinal, warnings=decoded.warnings)
    if isinstance(doc, Skipped):
        return doc
    doc.url = record.rec_headers.get_header("WARC-Target-URI") or doc.url
    if doc.published is None:
        captured = record.rec_headers.get_header("WARC-Date")
        doc.published = parse_date(captured) if captured else None
    return doc
