"""Publication dates as they come in feeds, JSON and HTML metadata."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

FORMATS = (
    "%Y-%m-%d %H:%M:%S%z",
    "%Y/%m/%d",
    "%Y/%m/%d %H:%M",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d.%m.%Y",
)


def parse_date(value: str) -> datetime | None:
    """ISO 8601 (with `Z`), RFC 2822 and a few common written forms; None when unparseable."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None
