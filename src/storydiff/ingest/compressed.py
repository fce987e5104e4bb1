"""Streams over (possibly compressed) inputs, with their size bounded.

`open_stream(source)` decompresses `.gz` and `.zst` by suffix as it is read and raises
`TooLarge` once more than `max_decompressed_bytes` came out, so a compression bomb costs a
bounded amount of time and memory. `bounded_lines` splits a stream into lines without ever
holding one longer than a limit.
"""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from typing import IO, BinaryIO, Protocol

from storydiff.ingest.registry import Source

COMPRESSED_SUFFIXES = (".gz", ".zst")
_DRAIN = 1024 * 1024


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...

    def close(self) -> None: ...


class TooLarge(Exception):
    """An input grew past a limit; `str(exc)` is the reason shown to the user."""


class CorruptCompression(Exception):
    """Compressed data that cannot be inflated (truncated or not really .gz/.zst)."""


def compression(name: str) -> str | None:
    """`.gz` or `.zst` when `name` ends in one, else None."""
    lower = name.lower()
    return next((s for s in COMPRESSED_SUFFIXES if lower.endswith(s)), None)


def open_stream(source: Source) -> BinaryIO:
    """The source's bytes, decompressed when its name ends in `.gz` or `.zst`.

    Reading raises `TooLarge` past `source.options.limits.max_decompressed_bytes` of
    decompressed output, and `CorruptCompression` for data that is not valid .gz/.zst.
    """
    kind = compression(source.name)
    if kind is None:
        return source.open()
    raw = source.open()
    inner: _Readable
    expected: int | None = None
    if kind == ".gz":
        inner = gzip.GzipFile(fileobj=raw, mode="rb")
    else:
        import zstandard

        # zstandard reports a truncated frame as a quiet end of data; the declared size tells
        expected = _zstd_content_size(raw)
        inner = zstandard.ZstdDecompressor().stream_reader(raw, closefd=False)
    limited = _Limited(inner, [inner, raw], source.options.limits.max_decompressed_bytes, expected)
    return io.BufferedReader(limited)


def _zstd_content_size(raw: BinaryIO) -> int | None:
    """The decompressed size a (seekable) zstd stream's first frame declares, when it does."""
    import zstandard

    if not raw.seekable():
        return None
    header = raw.read(18)
    raw.seek(0)
    try:
        size = zstandard.frame_content_size(header)
    except zstandard.ZstdError:
        return None  # not zstd at all: the decompressor will say so
    return size if size >= 0 else None


def read_at_most(stream: IO[bytes], limit: int) -> tuple[bytes, bool]:
    """The next `limit` bytes of `stream`, and whether there were more (and so it was cut)."""
    data = stream.read(limit + 1)
    return data[:limit], len(data) > limit


def bounded_lines(stream: IO[bytes], max_bytes: int) -> Iterator[bytes | None]:
    """Lines of `stream`, each with its `b"\\n"`; None for a line longer than `max_bytes`.

    An over-long line is read through in chunks and dropped, so memory stays bounded.
    """
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = stream.readline(_DRAIN)
            yield None
        else:
            yield line


class _Limited(io.RawIOBase):
    """A raw stream over `inner` that raises `TooLarge` once more than `limit` bytes came out."""

    def __init__(self, inner: _Readable, closes: list[_Readable], limit: int, expected: int | None) -> None:
        super().__init__()
        self._inner = inner
        self._closes = closes
        self._limit = limit
        self._expected = expected  # the decompressed size the data declares, when it does
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            raise CorruptCompression(str(err) or type(err).__name__) from err
        except Exception as err:
            if type(err).__name__ == "ZstdError":  # zstandard is imported only when used
                raise CorruptCompression(str(err)) from err
            raise
        self._count += len(data)
        if not data and self._expected is not None and self._count < self._expected:
            raise CorruptCompression(
                f"compressed data ends early: {self._count:,} of {self._expected:,} bytes; the rest was lost"
            )
        if self._count > self._limit:
            raise TooLarge(
                f"stopped after {self._limit:,} decompressed bytes (the limit); the rest was not read"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            for stream in self._closes:
                stream.close()
        super().close()
