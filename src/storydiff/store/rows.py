"""Model objects to table rows and back; no SQL here.

Every field of an `Article` and its findings survives the round trip, so a report made from the
store equals one made from the analysis that filled it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, cast

import sqlalchemy as sa

from storydiff.model import (
    Alignment,
    Article,
    Boilerplate,
    Claim,
    Dateline,
    EntityMention,
    OffsetMap,
    Quote,
    QuoteKind,
    Span,
    Speaker,
    SpeakerHow,
)
from storydiff.store import schema as t

Row = Mapping[str, Any]

# Files that hold one article each: their path identifies the article across edits.
SINGLE_ARTICLE_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml"}


def content_hash(text: str) -> str:
    """sha256 of the cleaned text: two versions with the same analysed text are the same article."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def doc_key(article: Article) -> str | None:
    """What makes texts versions of one article: its URL, else a single-article file's path.

    JSONL/JSON/CSV files hold many articles under one path, and stdin has none: those articles have
    no key, so an edited one is simply another article.
    """
    if article.url:
        return "url:" + article.url
    if (
        article.path
        and article.path != "-"
        and PurePath(article.path).suffix.lower() in SINGLE_ARTICLE_SUFFIXES
    ):
        return "path:" + article.path
    return None


def utc_naive(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def parse_since(value: str) -> datetime:
    """A `--since`/`?since=` value (YYYY-MM-DD or an ISO time) as the store compares it (naive UTC).

    Raises `ValueError` with a message meant for the user."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as e:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD or an ISO time)") from e
    naive = utc_naive(moment)
    assert naive is not None  # a datetime in, a datetime out
    return naive


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def stored_id(item_id: str, article_id: str) -> str:
    """A quote or claim id unique across the store (extractors prefix ids with the article's)."""
    return item_id if item_id.startswith(article_id) else f"{article_id}/{item_id}"


def _span(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start, span.end]


def _unspan(value: Any) -> Span | None:
    return None if value is None else Span(int(value[0]), int(value[1]))


def offset_ends(offsets: OffsetMap) -> list[list[int]]:
    """The raw end of each cleaned character made by a replacement, as `[clean, raw_end]` pairs.

    Part of the offset map (a composed "é" ends after the raw "e" + U+0301 it replaced) that its
    runs do not give. `OffsetMap` has no public accessor for them, hence the private attribute.
    """
    return [[c, r] for c, r in sorted(offsets._ends.items())]


def article_row(
    article: Article, *, key: str | None, version: int, digest: str, run_id: int | None
) -> dict[str, Any]:
    dateline = article.dateline
    return {
        "id": article.id,
        "doc_key": key,
        "version": version,
        "is_latest": True,
        "content_hash": digest,
        "path": article.path,
        "url": article.url,
        "outlet": article.outlet,
        "outlet_source": article.outlet_source,
        "title": article.title,
        "published": article.published.isoformat() if article.published else None,
        "published_at": utc_naive(article.published),
        "language": article.language,
        "raw": article.raw,
        "text": article.text,
        "offsets": {
            "runs": [list(r) for r in article.offsets.runs()],
            "clean_len": article.offsets.clean_len,
            "raw_len": article.offsets.raw_len,
            "ends": offset_ends(article.offsets),
        },
        "paragraphs": [[p.start, p.end] for p in article.paragraphs],
        "dateline": None
        if dateline is None
        else {
            "span": _span(dateline.span),
            "places": dateline.places,
            "agency": dateline.agency,
            "date": dateline.date,
        },
        "boilerplate": [{"kind": b.kind, "text": b.text, "span": _span(b.span)} for b in article.boilerplate],
        "warnings": list(article.warnings),
        "run_id": run_id,
        "added_at": now(),
    }


def mention_rows(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "article": article.id,
            "n": n,
            "start": m.span.start,
            "end": m.span.end,
            "text": m.text,
            "label": m.label,
            "canonical": m.canonical,
        }
        for n, m in enumerate(article.mentions)
    ]


def quote_rows(article: Article, speaker_ids: Mapping[str, int]) -> list[dict[str, Any]]:
    rows = []
    # the column came with migration 0007: quotes nobody scored leave it out entirely
    scored = any(q.confidence is not None for q in article.quotes)
    for n, q in enumerate(article.quotes):
        sp = q.speaker
        rows.append(
            {
                "id": stored_id(q.id, article.id),
                "article": article.id,
                "n": n,
                "start": q.span.start,
                "end": q.span.end,
                "text": q.text,
                "kind": q.kind,
                "cue": q.cue,
                "cue_start": q.cue_span.start if q.cue_span else None,
                "cue_end": q.cue_span.end if q.cue_span else None,
                "speaker_id": speaker_ids.get(sp.name) if sp.name else None,
                "speaker_name": sp.name,
                "speaker_how": sp.how,
                "speaker_mention_start": sp.mention.start if sp.mention else None,
                "speaker_mention_end": sp.mention.end if sp.mention else None,
                "speaker_mention_text": sp.mention_text,
                "speaker_role": sp.role,
                "parts": format_parts(q.parts),
            }
            | ({"confidence": q.confidence} if scored else {})
        )
    return rows


def claim_rows(article: Article) -> list[dict[str, Any]]:
    return [
        {
            "id": stored_id(c.id, article.id),
            "article": article.id,
            "n": n,
            "start": c.span.start,
            "end": c.span.end,
            "text": c.text,
            "kind": c.kind,
            "values": dict(c.values),
        }
        for n, c in enumerate(article.claims)
    ]


def search_rows(article: Article) -> list[dict[str, Any]]:
    docs = [
        {"kind": "quote", "ref": stored_id(q.id, article.id), "article": article.id, "body": q.text}
        for q in article.quotes
    ]
    docs += [
        {"kind": "claim", "ref": stored_id(c.id, article.id), "article": article.id, "body": c.text}
        for c in article.claims
    ]
    return docs


def _published(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def article_from_rows(
    row: Row,
    mentions: Sequence[Row],
    quotes: Sequence[Row],
    claims: Sequence[Row],
    mention_entities: Mapping[tuple[str, int], str],
    speaker_entities: Mapping[str, str],
) -> Article:
    """Rebuild an `Article`; `mentions`, `quotes` and `claims` are its rows in `n` order."""
    offsets = row["offsets"]
    dateline = row["dateline"]
    article = Article(
        id=row["id"],
        raw=row["raw"],
        text=row["text"],
        offsets=OffsetMap(
            [(int(c), int(r)) for c, r in offsets["runs"]],
            offsets["clean_len"],
            offsets["raw_len"],
            # rows stored before "ends" was kept have none: spans ending on a replaced character
            # then end one raw character after its start
            {int(c): int(r) for c, r in offsets.get("ends", [])},
        ),
        path=row["path"],
        outlet=row["outlet"],
        outlet_source=row["outlet_source"],
        title=row["title"],
        url=row["url"],
        published=_published(row["published"]),
        language=row["language"],
        paragraphs=[Span(int(s), int(e)) for s, e in row["paragraphs"]],
        dateline=None
        if dateline is None
        else Dateline(
            span=cast(Span, _unspan(dateline["span"])),
            places=list(dateline["places"]),
            agency=dateline["agency"],
            date=dateline["date"],
        ),
        boilerplate=[
            Boilerplate(kind=b["kind"], text=b["text"], span=cast(Span, _unspan(b["span"])))
            for b in row["boilerplate"]
        ],
        warnings=list(row["warnings"]),
    )
    article.mentions = [
        EntityMention(
            span=Span(m["start"], m["end"]),
            text=m["text"],
            label=m["label"],
            canonical=m["canonical"],
            entity=mention_entities.get((m["article"], m["n"])),
        )
        for m in mentions
    ]
    article.quotes = [
        Quote(
            id=q["id"],
            article=q["article"],
            span=Span(q["start"], q["end"]),
            text=q["text"],
            kind=cast(QuoteKind, q["kind"]),
            speaker=Speaker(
                name=q["speaker_name"],
                how=cast(SpeakerHow, q["speaker_how"]),
                mention=None
                if q["speaker_mention_start"] is None
                else Span(q["speaker_mention_start"], q["speaker_mention_end"]),
                mention_text=q["speaker_mention_text"],
                role=q["speaker_role"],
                entity=speaker_entities.get(q["id"]),
            ),
            cue=q["cue"],
            cue_span=None if q["cue_start"] is None else Span(q["cue_start"], q["cue_end"]),
            parts=parse_parts(q["parts"]),
            confidence=q.get("confidence"),
        )
        for q in quotes
    ]
    article.claims = [
        Claim(
            id=c["id"],
            article=c["article"],
            span=Span(c["start"], c["end"]),
            text=c["text"],
            kind=c["kind"],
            values=dict(c["values"]),
        )
        for c in claims
    ]
    return article


def format_parts(parts: list[Span]) -> str | None:
    return ",".join(f"{p.start}-{p.end}" for p in parts) or None


def parse_parts(stored: str | None) -> list[Span]:
    if not stored:
        return []
    return [Span(int(a), int(b)) for a, b in (piece.split("-") for piece in stored.split(","))]


def alignment_rows(
    al: Alignment,
    alignment_id: int,
    keys: tuple[Mapping[str, str], Mapping[str, str]],
    stored: tuple[set[str], set[str]],
    scored: bool,
) -> list[tuple[sa.Table, dict[str, Any]]]:
    """The rows that store one alignment (its row, then one per member), or none when none of its
    members is stored. `keys`: claim and quote ids to their stored keys; `stored`: the stored claim
    and quote keys. Members are claim ids, or quote ids for a quote given to different speakers.
    `scored`: the run has confidences (the column came with migration 0006; links made without the
    model leave it out entirely)."""
    (claim_key, quote_key), (claims, quotes) = keys, stored
    refs: list[tuple[sa.Table, str, str]] = []
    for member in al.members:
        if claim_key.get(member) in claims:
            refs.append((t.alignment_claims, "claim", claim_key[member]))
        elif quote_key.get(member) in quotes:
            refs.append((t.alignment_quotes, "quote", quote_key[member]))
    if not refs:
        return []
    row = {"id": alignment_id, "story": al.story, "status": al.status, "detail": al.detail}
    if scored:
        row["confidence"] = al.confidence
    out: list[tuple[sa.Table, dict[str, Any]]] = [(t.alignments, row)]
    out += [(table, {"alignment": alignment_id, "n": i, column: ref})
            for i, (table, column, ref) in enumerate(refs)]  # fmt: skip
    return out
