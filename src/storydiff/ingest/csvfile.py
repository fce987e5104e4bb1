"""CSV and TSV files: one article per row, columns mapped to article fields.

The mapping comes from `--columns text=body,title=headline,...` (`parse_columns`) or is guessed
from the header (text/body/content, title/headline, url/link, outlet/source/publisher,
published/date, ...); a named field overrides the guess for that field only. Rows are read
streaming, each line bounded by `max_file_bytes`; `RawDocument.line` is the row's first line.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping, Sequence

from storydiff.ingest.compressed import bounded_lines
from storydiff.ingest.encoding import NotText, decode
from storydiff.ingest.jsonl import record_document
from storydiff.ingest.registry import Source, reader
from storydiff.model import RawDocument, Skipped

# article field -> header names that mean it, in order of preference (compared case-insensitively)
GUESSES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "story"),
    "html": ("html", "raw_html"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source", "publisher"),
    "published": ("published", "date", "published_at", "pubdate"),
    "language": ("language", "lang"),
}
FIELDS = tuple(GUESSES)


def parse_columns(spec: str) -> dict[str, str]:
    """`"text=body,title=headline"` -> `{"text": "body", "title": "headline"}`.

    Fields are those of `FIELDS`; column names are kept as written (spaces around them
    trimmed). Raises `ValueError` with a message fit for the command line on a bad spec.
    """
    columns: dict[str, str] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        field, sep, column = (part.strip() for part in item.partition("="))
        if not sep or not field or not column:
            raise ValueError(f"bad column mapping {item.strip()!r}: expected FIELD=COLUMN, e.g. text=body")
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r} in column mapping; fields are: {', '.join(FIELDS)}")
        if field in columns:
            raise ValueError(f"field {field!r} is mapped twice in the column mapping")
        columns[field] = column
    if not columns:
        raise ValueError("empty column mapping: expected FIELD=COLUMN pairs, e.g. text=body,title=headline")
    return columns


@reader(".csv", ".tsv")
def read_csv(source: Source) -> Iterator[RawDocument | Skipped]:
    """One `RawDocument` per row with text; `Skipped` (naming `file:line`) per row without.

    The whole file is `Skipped` when it has no header, when a mapped column is missing from
    the header, or when no column holds the text.
    """
    max_line = source.options.limits.max_file_bytes
    csv.field_size_limit(max_line)  # process-wide in the csv module; a field cannot outgrow a line anyway
    pending: list[str] = []  # decoding warnings for the row being read
    overlong: list[int] = []
    with source.open() as stream:
        lines = _text_lines(bounded_lines(stream, max_line), source.name, pending, overlong)
        consumed: list[str] = []  # the lines of the row being read (the csv module reads no further)
        rows = csv.reader(
            _tapped(lines, consumed), dialect="excel-tab" if source.name.lower().endswith(".tsv") else "excel"
        )
        mapping: dict[str, int] | None = None
        line = 1
        while True:
            consumed.clear()
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as err:
                yield Skipped(path=f"{source.name}:{line}", reason=f"line {line}: {err}")
                line = rows.line_num + 1
                continue
            for number in overlong:
                reason = f"line {number}: longer than {max_line:,} bytes (the limit)"
                yield Skipped(path=f"{source.name}:{number}", reason=reason)
            overlong.clear()
            start, line = line, rows.line_num + 1
            if rows.line_num > start and "".join(consumed).count('"') % 2:
                # a quotation mark never closed takes the rest of the file into one field: say so
                pending.append(
                    f"{source.name}:{start}: a quotation mark opened in this row is never closed, so lines "
                    f"{start}-{rows.line_num} were read as one row"
                )
            if not any(cell.strip() for cell in row):
                continue
            if mapping is None:
                found = _mapping(row, source.options.columns)
                if isinstance(found, str):
                    yield Skipped(path=source.name, reason=found)
                    return
                mapping = found
                pending.clear()
                continue
            yield _row_document(row, mapping, source.name, start, pending)
            pending.clear()
        if mapping is None:
            yield Skipped(path=source.name, reason="empty file")


def _tapped(lines: Iterator[str], seen: list[str]) -> Iterator[str]:
    for text in lines:
        seen.append(text)
        yield text


def _text_lines(
    lines: Iterator[bytes | None], name: str, warnings: list[str], overlong: list[int]
) -> Iterator[str]:
    """Decoded lines for the csv module; decoding notes go to `warnings`, long lines to `overlong`."""
    for number, raw in enumerate(lines, start=1):
        if raw is None:
            overlong.append(number)
            yield ""
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                decoded = decode(raw, f"{name}:{number}")
                warnings.extend(decoded.warnings)
                yield decoded.text
            except NotText:
                warnings.append(f"{name}:{number}: undecodable bytes replaced with U+FFFD")
                yield raw.decode("utf-8", errors="replace")


def _mapping(header: Sequence[str], columns: Mapping[str, str] | None) -> dict[str, int] | str:
    """Article field -> column index, or the reason the header cannot be used."""
    index: dict[str, int] = {}
    folded: dict[str, int] = {}
    for i, name in enumerate(header):  # the first of two same-named columns wins
        index.setdefault(name.strip(), i)
        folded.setdefault(name.strip().casefold(), i)
    found: dict[str, int] = {}
    for field, column in (columns or {}).items():
        at = index.get(column.strip(), folded.get(column.strip().casefold()))
        if at is None:
            return f"no column {column!r} (for {field}) in the header: {', '.join(index)}"
        found[field] = at
    for field, names in GUESSES.items():
        if field not in found:
            at = next((folded[n] for n in names if n in folded), None)
            if at is not None:
                found[field] = at
    if "text" not in found and "html" not in found:
        looked = ", ".join(GUESSES["text"])
        return f"no text column (looked for {looked}); name one with --columns text=COLUMN"
    return found


def _row_document(
    row: Sequence[str], mapping: Mapping[str, int], name: str, line: int, warnings: list[str]
) -> RawDocument | Skipped:
    record = {field: row[at] if at < len(row) else "" for field, at in mapping.items()}
    if not any(record.get(f, "").strip() for f in ("text", "html")):
        return Skipped(path=f"{name}:{line}", reason=f"line {line}: no text in this row")
    return record_document(record, name, line, list(warnings))
