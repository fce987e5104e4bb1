"""Bounds on what one input may cost, and the options threaded from `read_inputs` to readers.

Readers get their `ReadOptions` from `Source.options`, so a reader's signature stays
`(Source) -> Iterator[RawDocument | Skipped]` and nothing is global. Every limit ends in a
warning or a `Skipped` that names the file (and line or record), never in an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from storydiff.model import RawDocument, where

MB: Final = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Per-input bounds; the defaults suit news articles, tests pass small ones."""

    # an article longer than this is truncated to it, with a warning
    max_article_chars: int = 1_000_000
    # a .gz/.zst file (or one WARC record) that inflates past this is read no further, with a warning
    max_decompressed_bytes: int = 200 * MB
    # a whole-file format (HTML, JSON, feed), one JSONL/CSV line or one WARC payload past this
    # is truncated (HTML) or skipped (formats that cannot be cut), with a warning
    max_file_bytes: int = 64 * MB

    def __post_init__(self) -> None:
        for name in ("max_article_chars", "max_decompressed_bytes", "max_file_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")

    @property
    def max_text_bytes(self) -> int:
        """The most bytes a plain-text article can need: 4 bytes per character (UTF-8, UTF-32) + BOM."""
        return 4 * self.max_article_chars + 4


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What `read_inputs` passes every reader: its limits and a CSV column mapping (or None: guess)."""

    limits: Limits = field(default_factory=Limits)
    columns: Mapping[str, str] | None = None

    @classmethod
    def make(cls, columns: Mapping[str, str] | None = None, limits: Limits | None = None) -> ReadOptions:
        frozen = MappingProxyType(dict(columns)) if columns is not None else None
        return cls(limits=limits or DEFAULT_LIMITS, columns=frozen)


DEFAULT_LIMITS: Final = Limits()
DEFAULT_OPTIONS: Final = ReadOptions()


def clip_article(doc: RawDocument, limits: Limits, *, cut: bool = False) -> RawDocument:
    """Truncate `doc.text` to `limits.max_article_chars`, with a warning naming the article.

    `cut` says the reader already dropped the end of the input (so a warning is due even when
    what is left fits). Returns `doc`, changed in place.
    """
    limit = limits.max_article_chars
    if len(doc.text) > limit:
        doc.text = doc.text[:limit]
    elif not cut:
        return doc
    doc.warnings.append(f"{where(doc)}: article longer than {limit:,} characters; truncated to them")
    return doc


def cut_warning(where: str, limit: int) -> str:
    """The warning for an input read only up to `limit` bytes."""
    return f"{where}: larger than {limit:,} bytes; only the first {limit:,} were read"
