"""Plain-text articles: the whole file is one article."""

from __future__ import annotations

from collections.abc import Iterator

from storydiff.ingest.encoding import NotText, decode
from storydiff.ingest.registry import Source, reader
from storydiff.model import RawDocument, Skipped


@reader(".txt")
def read_text(source: Source) -> Iterator[RawDocument | Skipped]:
    """One `RawDocument` for the file, or `Skipped` if it is empty, binary or undecodable."""
    try:
        decoded = decode(source.read(), source.name)
    except NotText as err:
        yield Skipped(path=source.name, reason=str(err))
        return
    yield RawDocument(text=decoded.text, path=source.name, warnings=decoded.warnings)
