"""Bytes to text: byte-order marks, strict UTF-8, then a guarded guess among 8-bit encodings.

`decode(data, name)` either returns `Decoded` (the text, the encoding used, and warnings that
name the file) or raises `NotText` with a reason meant for `Skipped.reason`. NUL characters are
removed from decoded text (with a warning): no later stage, and no database, wants them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

# UTF-32 first: its little-endian BOM starts with UTF-16's.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Signatures of common binary formats that can slip past the control-byte count.
MAGIC: tuple[bytes, ...] = (
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",  # JPEG
    b"%PDF",
    b"PK\x03\x04",  # zip, docx, epub
    b"\x1f\x8b",  # gzip
    b"\x28\xb5\x2f\xfd",  # zstd
    b"BZh",
    b"\x7fELF",
    b"SQLite format 3",
)

# What charset-normalizer may choose from once UTF-8 and Western 8-bit have failed: encodings
# news copy plausibly arrives in, not the dozens of rarities that match any byte soup.
FALLBACK_CANDIDATES = ["cp1250", "cp1251", "iso8859_2", "iso8859_7", "koi8_r", "cp1253", "mac_roman"]

SNIFF_BYTES = 64 * 1024
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\v\x1b")
_CONTROL_RE = re.compile(b"[" + re.escape(_CONTROL) + b"]")
_WESTERN_OK = re.compile(
    "[\u00a0-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


class NotText(Exception):
    """The bytes are not text we can analyse; `str(exc)` is the reason shown to the user."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, name: str, declared: str | None = None) -> Decoded:
    """Decode `data` read from `name` (used in warnings).

    `declared` is an encoding the container claims (an HTML `<meta charset>`); it is tried
    right after byte-order marks and strict UTF-8. Raises `NotText` for empty, binary or
    undecodable input.
    """
    if not data.strip():
        raise NotText("empty file")
    for bom, codec in BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom) :], codec, name)
    if _looks_binary(data):
        utf16 = _guess_bomless_utf16(data)
        if utf16 is None:
            raise NotText("binary file")
        text, codec = utf16
        return _finish(text, codec, name, [f"{name}: no byte-order mark; encoding guessed as {codec}"])
    try:
        return _finish(data.decode("utf-8"), "utf-8", name, [])
    except UnicodeDecodeError as err:
        first_error = err.start
    if declared and codecs.lookup(declared).name not in ("utf-8", "ascii"):
        try:
            return _finish(data.decode(declared), declared, name, [])
        except (UnicodeDecodeError, LookupError):
            pass
    mostly_utf8 = _mostly_utf8(data)
    if mostly_utf8 is not None:
        warning = f"{name}: invalid UTF-8 from byte {first_error} on; bad bytes replaced with U+FFFD"
        return _finish(mostly_utf8, "utf-8", name, [warning])
    western = _western(data)
    if western is not None:
        text, codec = western
        return _finish(text, codec, name, [f"{name}: not UTF-8; encoding guessed as {codec}"])
    guessed = _charset_normalizer(data)
    if guessed is not None:
        text, codec = guessed
        return _finish(text, codec, name, [f"{name}: not UTF-8; encoding guessed as {codec}"])
    raise NotText("undecodable file (not UTF-8, UTF-16 or a known 8-bit encoding)")


def _finish(text: str, codec: str, name: str, warnings: list[str]) -> Decoded:
    nuls = text.count("\0")
    if nuls:
        text = text.replace("\0", "")
        warnings.append(f"{name}: removed {nuls} NUL character(s)")
    if not text.strip():
        raise NotText("empty file")
    return Decoded(text=text, encoding=codec, warnings=warnings)


def _decode_with_bom(data: bytes, codec: str, name: str) -> Decoded:
    try:
        return _finish(data.decode(codec), codec, name, [])
    except UnicodeDecodeError as err:
        # A BOM is a strong claim; a few bad units later on should not throw the article away.
        warning = f"{name}: invalid {codec} from byte {err.start} on; bad units replaced with U+FFFD"
        return _finish(data.decode(codec, errors="replace"), codec, name, [warning])


def _looks_binary(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    if head.startswith(MAGIC):
        return True
    nuls = head.count(0)
    if nuls > len(head) // 10:
        return True
    controls = len(_CONTROL_RE.findall(head)) - nuls
    return controls > len(head) // 20


def _guess_bomless_utf16(data: bytes) -> tuple[str, str] | None:
    head = data[: SNIFF_BYTES - SNIFF_BYTES % 2]
    even_nuls = head[0::2].count(0)
    odd_nuls = head[1::2].count(0)
    half = len(head) // 2
    if odd_nuls > half * 0.6 and even_nuls < half * 0.1:
        codec = "utf-16-le"
    elif even_nuls > half * 0.6 and odd_nuls < half * 0.1:
        codec = "utf-16-be"
    else:
        return None
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 with a few broken sequences (a corrupted or concatenated file), or None."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if good > 0 and good >= 4 * bad else None


def _western(data: bytes) -> tuple[str, str] | None:
    """cp1252 when bytes 0x80-0x9F are used as its punctuation, latin-1 when they are absent."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    high = [ch for ch in text if ord(ch) > 127]
    if sum(1 for ch in high if _WESTERN_OK.match(ch)) < 0.95 * len(high):
        return None
    if any(0x80 <= b <= 0x9F for b in data):
        return text, "cp1252"
    return data.decode("latin-1"), "latin-1"


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=FALLBACK_CANDIDATES).best()
    if best is None:
        return None
    return str(best), str(best.encoding)
