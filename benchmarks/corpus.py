"""What the benchmarks read: any input `storydiff analyze` reads, as `RawDocument`s.

`--data` may be a folder (read recursively: .txt, .html, .jsonl, .csv, WARC, feeds ...) or a file;
CSV columns are mapped as for `storydiff analyze --columns` (FNC-1 bodies: `text=articleBody`).
Unreadable inputs are left out, as the CLI skips them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # the benchmarks run from a checkout, installed or not

from storydiff.ingest import parse_columns, read_inputs  # noqa: E402
from storydiff.model import RawDocument  # noqa: E402


def documents(
    data: Path, columns: Mapping[str, str] | str | None = None, limit: int | None = None
) -> Iterator[RawDocument]:
    """The readable articles under `data`, in the CLI's order, at most `limit` of them."""
    if isinstance(columns, str):
        columns = parse_columns(columns)
    docs = (d for d in read_inputs([str(data)], columns=columns) if isinstance(d, RawDocument))
    return islice(docs, limit) if limit else docs
