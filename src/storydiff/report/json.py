"""The JSON report, contract `storydiff/report@1` (see docs/report.md).

Keys named by the contract keep their names and meaning; extra keys are allowed and are added
here (raw offsets, paragraphs, dateline, boilerplate, skipped inputs) for provenance.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from storydiff import __version__
from storydiff.model import Analysis, Article, Quote, Span

SCHEMA = "storydiff/report@1"
# Minor versions of contract 1 add, never change: 1.1 adds the alignment status `disputed` and an
# alignment's `confidence` (docs/report.md).
SCHEMA_VERSION = "1.1"


def _span(span: Span | None, text: str | None = None) -> dict[str, Any] | None:
    if span is None:
        return None
    out: dict[str, Any] = {"start": span.start, "end": span.end}
    if text is not None:
        out = {"text": text, **out}
    return out


def article_dict(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "path": article.path,
        "outlet": article.outlet,
        "title": article.title,
        "text": article.text,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "outlet_source": article.outlet_source,
        "paragraphs": [[p.start, p.end] for p in article.paragraphs],
        "dateline": None
        if article.dateline is None
        else {
            "places": article.dateline.places,
            "agency": article.dateline.agency,
            "date": article.dateline.date,
            "raw": _span(article.dateline.span),
        },
        "boilerplate": [{"kind": b.kind, "text": b.text, "raw": _span(b.span)} for b in article.boilerplate],
        "warnings": article.warnings,
    }


def quote_dict(quote: Quote, article: Article) -> dict[str, Any]:
    sp = quote.speaker
    raw = article.raw_span(quote.span)
    return {
        "id": quote.id,
        "article": quote.article,
        "text": quote.text,
        "start": quote.span.start,
        "end": quote.span.end,
        "kind": quote.kind,
        "speaker": {
            "name": sp.name,
            "entity": sp.entity,
            "how": sp.how,
            "mention": _span(sp.mention, sp.mention_text),
            "role": sp.role,
        },
        "cue": quote.cue,
        "cue_span": _span(quote.cue_span),
        "parts": [[p.start, p.end] for p in quote.parts],
        "raw": _span(raw),
    } | ({} if quote.confidence is None else {"confidence": quote.confidence})


def to_dict(analysis: Analysis) -> dict[str, Any]:
    """The whole analysis as a contract-shaped dict (deterministic order)."""
    by_id = {a.id: a for a in analysis.articles}
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "generator": f"storydiff {__version__}",
        "settings": analysis.settings,
        "articles": [article_dict(a) for a in analysis.articles],
        "entities": [
            {"id": e.id, "name": e.name, "type": e.type, "aliases": e.aliases, "articles": e.articles}
            for e in analysis.entities
        ],
        "quotes": [quote_dict(q, by_id[q.article]) for q in analysis.quotes],
        "stories": [{"id": s.id, "articles": s.articles} for s in analysis.stories],
        "quote_links": [
            {"quotes": link.quotes, "relation": link.relation, "score": round(link.score, 4)}
            for link in analysis.quote_links
        ],
        "claims": [
            {
                "id": c.id,
                "article": c.article,
                "text": c.text,
                "start": c.span.start,
                "end": c.span.end,
                "kind": c.kind,
                "values": c.values,
            }
            for c in analysis.claims
        ],
        "alignments": [
            {"story": al.story, "status": al.status, "claims": al.members, "detail": al.detail}
            | ({} if al.confidence is None else {"confidence": al.confidence})
            for al in analysis.alignments
        ],
        "skipped": [{"path": s.path, "reason": s.reason} for s in analysis.skipped],
    }


def dumps(analysis: Analysis) -> str:
    return json.dumps(to_dict(analysis), ensure_ascii=False, indent=1)


def write(analysis: Analysis, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dumps(analysis) + "\n", encoding="utf-8")
