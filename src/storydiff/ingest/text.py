"""Plain-text articles: the whole file is one article."""

from __future__ import annotations

from collections.abc import Iterator

from storydiff.ingest.encoding import BOMS, NotText, decode
from storydiff.ingest.limits import clip_article
from storydiff.ingest.registry import Source, reader
from storydiff.model import RawDocument, Skipped


@reader(".txt")
def read_text(source: Source) -> Iterator[RawDocument | Skipped]:
    """One `RawDocument` for the file, or `Skipped` if it is empty, binary or undecodable.

    Only as many bytes as `max_article_chars` characters can take are read; a longer file is
    truncated with a warning.
    """
    limits = source.options.limits
    data, cut = source.read_at_most(limits.max_text_bytes)
    if cut and not any(data.startswith(bom) for bom, codec in BOMS if codec != "utf-8"):
        data = trim_partial_utf8(data)
    try:
        decoded = decode(data, source.name)
    except NotText as err:
        yield Skipped(path=source.name, reason=str(err))
        return
    doc = RawDocument(text=decoded.text, path=source.name, warnings=decoded.warnings)
    yield clip_article(doc, limits, cut=cut)


def trim_partial_utf8(data: bytes) -> bytes:
    """`data` without a UTF-8 sequence cut short at its end (so a cut is not reported as bad UTF-8)."""
    for back in range(1, min(4, len(data)) + 1):
        byte = data[-back]
        if byte < 0x80:
            return data  # ASCII: nothing cut
        if byte >= 0xC0:  # a lead byte: keep its sequence only if it is complete
            need = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            return data if back >= need else data[:-back]
    return data
