"""Ingest: turn files, folders and stdin into `RawDocument`s (or `Skipped`s), lazily.

Readers are registered by file suffix in `storydiff.ingest.registry`; importing this package
registers the built-in ones (.txt, .html/.htm, .json, .jsonl).
"""

from __future__ import annotations

import codecs
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from storydiff.ingest import html, jsonl, text
from storydiff.ingest.registry import READERS, Reader, Source, reader, reader_for
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


def read_inputs(inputs: Sequence[str], stdin: BinaryIO | None = None) -> Iterator[RawDocument | Skipped]:
    """Every article in `inputs`, in order; folders are walked recursively in sorted order.

    Inside folders only files with a registered suffix are read (hidden files and folders are
    ignored); a file named explicitly with an unknown suffix is read as text. `-` reads stdin
    and guesses its format from its first character. A missing path raises `InputNotFound`
    when reached (call `check_inputs` first to fail before reading anything).
    """
    for path in inputs:
        if path == STDIN:
            data = (stdin if stdin is not None else sys.stdin.buffer).read()
            yield from _read_stdin(data)
        elif os.path.isdir(path):
            for file in walk(path):
                yield from _read_file(file, reader_for(file) or text.read_text)
        elif os.path.lexists(path):
            yield from _read_file(path, reader_for(path) or text.read_text)
        else:
            raise InputNotFound(path)


def walk(folder: str) -> Iterator[str]:
    """Readable files under `folder`, sorted, skipping hidden names and unknown suffixes."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and reader_for(name) is not None:
                yield os.path.join(root, name)


def _read_file(path: str, read: Reader) -> Iterator[RawDocument | Skipped]:
    try:
        yield from read(Source.from_path(path))
    except OSError as err:
        yield Skipped(path=path, reason=f"cannot read: {err.strerror or err}")


def _read_stdin(data: bytes) -> Iterator[RawDocument | Skipped]:
    source = Source.from_bytes(STDIN, data)
    start = data.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
    if start == b"<":
        yield from html.read_html(source)
    elif start == b"[":
        yield from jsonl.read_json(source)
    elif start == b"{":
        try:
            json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError):
            yield from jsonl.read_jsonl(source)
        else:
            yield from jsonl.read_json(source)
    else:
        yield from text.read_text(source)


__all__ = [
    "READERS",
    "STDIN",
    "InputNotFound",
    "Reader",
    "Source",
    "check_inputs",
    "read_inputs",
    "reader",
    "reader_for",
    "walk",
]
