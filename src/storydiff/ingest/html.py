"""HTML pages: main text, title, date, site name and URL via trafilatura (no network).

Paragraphs come out separated by blank lines. When trafilatura finds no main text, a plain
lxml pass collects the text of block elements instead.
"""

from __future__ import annotations

import codecs
import html as html_entities
import logging
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from storydiff.ingest.dates import parse_date
from storydiff.ingest.encoding import NotText, decode
from storydiff.ingest.limits import cut_warning
from storydiff.ingest.registry import Source, reader
from storydiff.model import RawDocument, Skipped

log = logging.getLogger("storydiff")

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_META_TAG = re.compile(r"<meta\s[^>]*>", re.I)
_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_TIME_TAG = re.compile(r"""<time\s[^>]*datetime\s*=\s*["']([^"']+)["']""", re.I)
_HTML_LANG = re.compile(r"""<html\s[^>]*lang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)
_DATE_KEYS = (
    "article:published_time",
    "datepublished",
    "og:published_time",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
)
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "figcaption", "dd", "td")
HEAD_CHARS = 64 * 1024
_INVISIBLE_ELEMENTS = re.compile(
    r"<(script|style|noscript|head|nav|header|footer|aside|form)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S
)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|h[1-6]|li|ul|ol|blockquote|pre|figcaption|section|article|tr|td)\b[^>]*>", re.I
)
_ANY_TAG = re.compile(r"<[^>]*>")


@dataclass(slots=True)
class Extracted:
    text: str
    title: str | None = None
    url: str | None = None
    site_name: str | None = None
    date: str | None = None
    language: str | None = None


@reader(".html", ".htm", ".xhtml")
def read_html(source: Source) -> Iterator[RawDocument | Skipped]:
    """One `RawDocument` for the page's main text, or `Skipped` when there is none.

    A page longer than `max_file_bytes` is cut there (with a warning) before extraction.
    """
    limit = source.options.limits.max_file_bytes
    data, cut = source.read_at_most(limit)
    match = _META_CHARSET.search(data[:4096])
    declared = known_charset(match.group(1).decode("ascii")) if match else None
    try:
        decoded = decode(data, source.name, declared=declared)
    except NotText as err:
        yield Skipped(path=source.name, reason=str(err))
        return
    if cut:
        decoded.warnings.append(cut_warning(source.name, limit))
    yield html_document(decoded.text, source.name, warnings=decoded.warnings)


def known_charset(name: str | None) -> str | None:
    """`name` when Python knows the encoding, else None (a page may declare any junk)."""
    if not name:
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return name


def html_document(
    html: str, name: str, line: int | None = None, warnings: list[str] | None = None
) -> RawDocument | Skipped:
    """Extract an article from an HTML string (a file, or the `html` field of a JSON record)."""
    where = name if line is None else f"{name}:{line}"
    found = extract(html)
    if found is None:
        return Skipped(path=where, reason="no text found in HTML")
    notes = list(warnings or [])
    published = None
    if found.date:
        published = parse_date(found.date)
        if published is None:
            notes.append(f"{where}: unparseable date {found.date!r}")
    return RawDocument(
        text=found.text,
        path=name,
        title=found.title,
        url=found.url,
        published=published,
        language=found.language,
        site_name=found.site_name,
        line=line,
        warnings=notes,
    )


def extract(html: str) -> Extracted | None:
    """Main text and metadata of a page; None when it holds no text at all."""
    head = html[:HEAD_CHARS]
    found = _trafilatura(html)
    if found is None:
        # libxml2 gives up on markup nested deeper than it allows; tag stripping never does.
        text = _lxml_text(html) or _stripped_text(html)
        if text is None:
            return None
        found = Extracted(text=text)
    meta = _meta(head)
    found.title = found.title or meta.get("og:title") or _title_tag(head)
    found.url = found.url or meta.get("og:url")
    found.site_name = found.site_name or meta.get("og:site_name")
    found.date = found.date or next((meta[k] for k in _DATE_KEYS if meta.get(k)), None) or _time_tag(head)
    lang = _HTML_LANG.search(head)
    found.language = lang.group(1).lower() if lang else None
    return found


def _trafilatura(html: str) -> Extracted | None:
    import trafilatura

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                include_images=False,
                deduplicate=False,
            )
    except Exception as err:  # trafilatura raises many kinds on hostile markup; fall back to lxml
        log.debug("trafilatura failed: %s", err)
        return None
    if doc is None:
        return None
    text = _paragraphs(str(getattr(doc, "text", None) or ""))
    if not text:
        return None
    return Extracted(
        text=text,
        title=_str_or_none(getattr(doc, "title", None)),
        url=_str_or_none(getattr(doc, "url", None)),
        site_name=_str_or_none(getattr(doc, "sitename", None)),
        date=_str_or_none(getattr(doc, "date", None)),
    )


def _lxml_text(html: str) -> str | None:
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for bad in root.xpath("//script|//style|//noscript|//nav|//header|//footer|//aside|//form"):
        bad.drop_tree()
    blocks: list[str] = []
    for element in root.iter(*_BLOCKS):
        if any(parent.tag in _BLOCKS for parent in element.iterancestors()):
            continue
        blocks.append(" ".join(element.text_content().split()))
    text = "\n\n".join(b for b in blocks if b)
    body = root.find("body")
    if not text and body is not None:
        text = _paragraphs(body.text_content())
    return text or None


def _stripped_text(html: str) -> str | None:
    body = _INVISIBLE_ELEMENTS.sub(" ", html)
    body = _BLOCK_TAG.sub("\n", body)
    text = html_entities.unescape(_ANY_TAG.sub("", body))
    return _paragraphs("\n".join(" ".join(line.split()) for line in text.splitlines())) or None


def _paragraphs(text: str) -> str:
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _meta(head: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for tag in _META_TAG.finditer(head):
        pairs = _ATTR.finditer(tag.group())
        attrs = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) or "" for m in pairs}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and attrs.get("content") and key not in found:
            found[key] = html_entities.unescape(attrs["content"]).strip()
    return found


def _title_tag(head: str) -> str | None:
    match = re.search(r"<title[^>]*>([^<]*)</title>", head, re.I)
    if match is None:
        return None
    return " ".join(html_entities.unescape(match.group(1)).split()) or None


def _time_tag(head: str) -> str | None:
    match = _TIME_TAG.search(head)
    return match.group(1) if match else None


def _str_or_none(value: object) -> str | None:
    return str(value).strip() or None if value else None
