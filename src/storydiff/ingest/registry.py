"""Readers registered by file suffix, so new formats (WARC, feeds, CSV, .gz) plug in.

A reader takes a `Source` and yields `RawDocument`s (one per article it finds) or `Skipped`s
(one per article or file it cannot use), lazily: memory must not grow with the corpus.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storydiff.model import RawDocument, Skipped

Reader = Callable[["Source"], Iterator[RawDocument | Skipped]]

READERS: dict[str, Reader] = {}


@dataclass(frozen=True, slots=True)
class Source:
    """One input file (or stdin): the name to show the user and a way to open its bytes."""

    name: str
    open: Callable[[], BinaryIO]

    def read(self) -> bytes:
        with self.open() as stream:
            return stream.read()

    @classmethod
    def from_path(cls, path: str) -> Source:
        return cls(name=path, open=lambda: open(path, "rb"))  # noqa: SIM115 - closed by read()

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> Source:
        return cls(name=name, open=lambda: io.BytesIO(data))


def reader(*suffixes: str) -> Callable[[Reader], Reader]:
    """Register the decorated function as the reader for files ending in `suffixes`."""

    def register(func: Reader) -> Reader:
        for suffix in suffixes:
            READERS[suffix.lower()] = func
        return func

    return register


def reader_for(name: str) -> Reader | None:
    """The reader for `name`'s suffix; the longest match wins (`.jsonl.gz` before `.gz`)."""
    lower = name.lower()
    for suffix in sorted(READERS, key=len, reverse=True):
        if lower.endswith(suffix):
            return READERS[suffix]
    return None
