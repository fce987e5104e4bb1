"""Readers registered by file suffix, so new formats (WARC, feeds, CSV, .gz) plug in.

A reader takes a `Source` and yields `RawDocument`s (one per article it finds) or `Skipped`s
(one per article or file it cannot use), lazily: memory must not grow with the corpus.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storydiff.ingest.limits import DEFAULT_OPTIONS, ReadOptions
from storydiff.model import RawDocument, Skipped

Reader = Callable[["Source"], Iterator[RawDocument | Skipped]]
Sniff = Callable[["Source"], bool]

READERS: dict[str, Reader] = {}
# suffixes shared with files that are not articles (.xml): inside folders such a file is read
# only when its sniff says yes
SNIFFS: dict[str, Sniff] = {}


@dataclass(frozen=True, slots=True)
class Source:
    """One input file (or stdin): the name to show the user and a way to open its bytes."""

    name: str
    open: Callable[[], BinaryIO]
    options: ReadOptions = DEFAULT_OPTIONS

    def read(self) -> bytes:
        with self.open() as stream:
            return stream.read()

    def read_at_most(self, limit: int) -> tuple[bytes, bool]:
        """The first `limit` bytes, and whether the input was longer (and so cut)."""
        with self.open() as stream:
            data = stream.read(limit + 1)
        return data[:limit], len(data) > limit

    def head(self, size: int = 4096) -> bytes:
        with self.open() as stream:
            return stream.read(size)

    @classmethod
    def from_path(cls, path: str, options: ReadOptions = DEFAULT_OPTIONS) -> Source:
        return cls(name=path, open=lambda: open(path, "rb"), options=options)  # noqa: SIM115 - closed by read()

    @classmethod
    def from_bytes(cls, name: str, data: bytes, options: ReadOptions = DEFAULT_OPTIONS) -> Source:
        return cls(name=name, open=lambda: io.BytesIO(data), options=options)


def reader(*suffixes: str, sniff: Sniff | None = None) -> Callable[[Reader], Reader]:
    """Register the decorated function as the reader for files ending in `suffixes`.

    With `sniff`, files found in folders are read only when `sniff(source)` is true (a file
    named explicitly always goes to the reader, which decides what to do with it).
    """

    def register(func: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = func
            if sniff is not None:
                SNIFFS[suffix.lower()] = sniff
        return func

    return register


def reader_for(name: str) -> Reader | None:
    """The reader for `name`'s suffix; the longest match wins (`.jsonl.gz` before `.gz`)."""
    suffix = _suffix(name)
    return READERS[suffix] if suffix is not None else None


def wanted_in_folder(path: str) -> bool:
    """Whether a file met while walking a folder is an input: a known suffix whose sniff (if any) agrees."""
    suffix = _suffix(path)
    if suffix is None:
        return False
    sniff = SNIFFS.get(suffix)
    if sniff is None:
        return True
    try:
        return sniff(Source.from_path(path))
    except OSError:
        return True  # the reader will report why the file cannot be read


def _suffix(name: str) -> str | None:
    lower = name.lower()
    return next((s for s in sorted(READERS, key=len, reverse=True) if lower.endswith(s)), None)
