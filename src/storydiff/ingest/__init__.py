"""Ingest: turn files, folders and stdin into `RawDocument`s (or `Skipped`s), lazily.

Readers are registered by file suffix in `storydiff.ingest.registry`; importing this package
registers the built-in ones (.txt, .html/.htm, .json, .jsonl and their .gz/.zst, .warc/.warc.gz,
.rss/.atom and feed-shaped .xml, .csv/.tsv). What an input may cost is bounded by `Limits`.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from typing import BinaryIO

from storydiff.ingest import csvfile, feeds, html, jsonl, text, warc
from storydiff.ingest.csvfile import parse_columns
from storydiff.ingest.limits import DEFAULT_LIMITS, Limits, ReadOptions, clip_article
from storydiff.ingest.registry import READERS, Reader, Source, reader, reader_for, wanted_in_folder
from storydiff.model import RawDocument, Skipped

log = logging.getLogger("storydiff")

STDIN = "-"


class InputNotFound(Exception):
    """A path named on the command line does not exist."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no such file or directory: {path}")
        self.path = path


def check_inputs(inputs: Sequence[str]) -> None:
    """Raise `InputNotFound` for the first input that does not exist (`-`, stdin, always does)."""
    for path in inputs:
        if path != STDIN and not os.path.lexists(path):
            raise InputNotFound(path)


def read_inputs(
    inputs: Sequence[str],
    stdin: BinaryIO | None = None,
    *,
    columns: Mapping[str, str] | None = None,
    limits: Limits | None = None,
) -> Iterator[RawDocument | Skipped]:
    """Every article in `inputs`, in order; folders are walked recursively in sorted order.

    Inside folders only files with a registered suffix are read (hidden files and folders are
    ignored; an `.xml` file only when it is an RSS/Atom feed); a file named explicitly with an
    unknown suffix is read as text. `-` reads stdin and guesses its format from its first
    character. A missing path raises `InputNotFound` when reached (call `check_inputs` first
    to fail before reading anything).

    `columns` maps article fields to CSV columns (`{"text": "body", "title": "headline"}`;
    None guesses from the header). `limits` bounds each input's cost (default `Limits()`):
    an article longer than `max_article_chars` is truncated with a warning.
    """
    options = ReadOptions.make(columns=columns, limits=limits)
    for path in inputs:
        if path == STDIN:
            found = _read_stdin(stdin if stdin is not None else sys.stdin.buffer, options)
        elif os.path.isdir(path):
            found = (item for file in walk(path) for item in _read_file(file, options))
        elif os.path.lexists(path):
            found = _read_file(path, options)
        else:
            raise InputNotFound(path)
        for item in found:
            yield clip_article(item, options.limits) if isinstance(item, RawDocument) else item


# Files that hold exactly one article: counting them is counting articles.
ONE_ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".xhtml")


def count_articles(inputs: Sequence[str]) -> int | None:
    """How many articles `inputs` hold, when that is known from file names alone, else None.

    Cheap (names only, nothing is opened): for a progress bar's ETA. Any container (JSONL, CSV,
    WARC, a feed) or stdin makes the count unknown.
    """
    total = 0
    for path in inputs:
        if path == STDIN:
            return None
        for file in walk(path) if os.path.isdir(path) else [path]:
            if not file.lower().endswith(ONE_ARTICLE_SUFFIXES):
                return None
            total += 1
    return total


def walk(folder: str) -> Iterator[str]:
    """Readable files under `folder`, sorted, skipping hidden names and unknown suffixes."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = os.path.join(root, name)
            if not name.startswith(".") and wanted_in_folder(path):
                yield path


def _read_file(path: str, options: ReadOptions) -> Iterator[RawDocument | Skipped]:
    read = reader_for(path) or text.read_text
    try:
        yield from read(Source.from_path(path, options))
    except OSError as err:
        yield Skipped(path=path, reason=f"cannot read: {err.strerror or err}")


def _read_stdin(stream: BinaryIO, options: ReadOptions) -> Iterator[RawDocument | Skipped]:
    """Stdin, spooled to a temporary file (memory stays flat on a piped corpus), read by its format:
    HTML, a JSON document, JSON Lines, or plain text, guessed from its first line."""
    with tempfile.TemporaryDirectory(prefix="storydiff-stdin-") as folder:
        spool = os.path.join(folder, "stdin")
        with open(spool, "wb") as out:
            shutil.copyfileobj(stream, out)
        source = Source(name=STDIN, open=lambda: open(spool, "rb"), options=options)  # noqa: SIM115
        with source.open() as head:
            first = head.readline(options.limits.max_file_bytes).removeprefix(codecs.BOM_UTF8)
            while first and not first.strip():
                first = head.readline(options.limits.max_file_bytes)
        start = first.lstrip()[:1]
        if start == b"<":
            yield from html.read_html(source)
        elif start == b"[":
            yield from jsonl.read_json(source)
        elif start == b"{":
            # A first line that is a whole JSON value: JSON Lines; else one pretty-printed document.
            try:
                json.loads(first)
            except (json.JSONDecodeError, UnicodeDecodeError):
                yield from jsonl.read_json(source)
            else:
                yield from jsonl.read_jsonl(source)
        else:
            yield from text.read_text(source)


__all__ = [
    "DEFAULT_LIMITS",
    "READERS",
    "STDIN",
    "InputNotFound",
    "Limits",
    "Reader",
    "Source",
    "check_inputs",
    "csvfile",
    "feeds",
    "parse_columns",
    "read_inputs",
    "reader",
    "reader_for",
    "walk",
    "warc",
]
