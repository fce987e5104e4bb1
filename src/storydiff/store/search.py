"""Full-text search over stored quotes and claims: FTS5 on SQLite, tsvector + GIN on PostgreSQL.

The user's text never reaches either query language as written: `parse_query` keeps only word
characters, double-quoted phrases, a trailing `*` (prefix) and OR between alternatives, and the
two `*_expression` functions rebuild a query from those pieces alone, passed as a bound parameter.
So `'; DROP TABLE quotes; --`, `%` or a stray `"` search for words, or for nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from storydiff.store.schema import articles, claims, quotes, search_docs

SNIPPET_START, SNIPPET_END, ELLIPSIS = "**", "**", "…"
SNIPPET_WORDS = 24

_TOKEN = re.compile(r'"([^"]*)"|(\w+)(\*?)|\S')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # one word, or a phrase
    prefix: bool = False  # the last word is a prefix ("summ*")


Clause = tuple[Term, ...]  # every term must match
Query = tuple[Clause, ...]  # any clause may match


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A quote or claim that matched, best first; `snippet` marks matches with `**`."""

    kind: Literal["quote", "claim"]
    id: str
    article: str
    text: str
    snippet: str
    score: float  # higher is better; comparable within one result list only
    start: int  # offsets into the article's cleaned text
    end: int
    speaker: str | None
    outlet: str | None
    title: str | None
    published: str | None
    url: str | None
    path: str | None

    def to_dict(self) -> dict[str, Any]:
        # Every field is a plain value: no need for `asdict`'s deep copy (a search answers 20 hits).
        return {name: getattr(self, name) for name in _HIT_FIELDS}


_HIT_FIELDS = tuple(f.name for f in fields(SearchHit))


def parse_query(text: str) -> Query:
    """Words, "phrases", `word*` prefixes and `OR`; everything else is a separator."""
    clauses: list[Clause] = []
    current: list[Term] = []
    for match in _TOKEN.finditer(text):
        phrase, word, star = match.groups()
        if phrase is not None:
            words = tuple(_WORD.findall(phrase))
            if words:
                current.append(Term(words))
        elif word is not None:
            if word.casefold() == "or":
                if current:
                    clauses.append(tuple(current))
                current = []
            else:
                current.append(Term((word,), prefix=bool(star)))
    if current:
        clauses.append(tuple(current))
    return tuple(clauses)


def fts5_expression(query: Query) -> str:
    """An FTS5 MATCH expression: every word double-quoted, so no word is read as an operator."""

    def term(t: Term) -> str:
        return '"' + " ".join(t.words) + '"' + (" *" if t.prefix else "")

    return " OR ".join("(" + " ".join(term(t) for t in clause) + ")" for clause in query)


def tsquery_expression(query: Query) -> str:
    """A `to_tsquery` expression: every word single-quoted (words hold no quotes), `<->` in phrases."""

    def term(t: Term) -> str:
        lexemes = [f"'{w}'" for w in t.words]
        if t.prefix:
            lexemes[-1] += ":*"
        return lexemes[0] if len(lexemes) == 1 else "(" + " <-> ".join(lexemes) + ")"

    return " | ".join("(" + " & ".join(term(t) for t in clause) + ")" for clause in query)


def _like_pattern(value: str) -> str:
    """`value` escaped for `LIKE ... ESCAPE '/'`, as `icontains(value, autoescape=True)` does."""
    return value.replace("/", "//").replace("%", "/%").replace("_", "/_")


def _filters(speaker: bool, outlet: bool, since: bool, kind: bool) -> list[sa.ColumnElement[bool]]:
    """The WHERE terms for the filters given; their values are the bound parameters `speaker`,
    `outlet` (both `_like_pattern`s), `since` and `kind`."""
    where: list[sa.ColumnElement[bool]] = [articles.c.is_latest.is_(True)]
    if speaker:
        pattern = sa.bindparam("speaker", type_=sa.String)
        where.append(search_docs.c.kind == "quote")
        where.append(
            sa.or_(
                quotes.c.speaker_name.icontains(pattern, escape="/"),
                quotes.c.speaker_mention_text.icontains(pattern, escape="/"),
            )
        )
    if outlet:
        where.append(articles.c.outlet.icontains(sa.bindparam("outlet", type_=sa.String), escape="/"))
    if since:
        moment = sa.bindparam("since", type_=articles.c.published_at.type)
        where.append(sa.func.coalesce(articles.c.published_at, articles.c.added_at) >= moment)
    if kind:
        where.append(search_docs.c.kind == sa.bindparam("kind", type_=sa.String))
    return where


def _matching(base: sa.FromClause, speaker: bool) -> sa.FromClause:
    joined = base.join(articles, articles.c.id == search_docs.c.article)
    if speaker:  # only then are quotes needed before the top rows are known
        joined = joined.join(quotes, quotes.c.id == search_docs.c.ref)
    return joined


@functools.cache
def _details_statement() -> sa.Select[Any]:
    """What a hit shows (offsets, speaker, article), looked up for the top rows alone (`ids`)."""
    return (
        sa.select(
            search_docs.c.id,
            search_docs.c.kind,
            search_docs.c.ref,
            search_docs.c.article,
            search_docs.c.body,
            sa.func.coalesce(quotes.c.start, claims.c.start).label("start"),
            sa.func.coalesce(quotes.c.end, claims.c.end).label("end"),
            quotes.c.speaker_name,
            articles.c.outlet,
            articles.c.title,
            articles.c.published,
            articles.c.url,
            articles.c.path,
        )
        .select_from(
            search_docs.join(articles, articles.c.id == search_docs.c.article)
            .outerjoin(quotes, sa.and_(search_docs.c.kind == "quote", quotes.c.id == search_docs.c.ref))
            .outerjoin(claims, sa.and_(search_docs.c.kind == "claim", claims.c.id == search_docs.c.ref))
        )
        .where(search_docs.c.id.in_(sa.bindparam("ids", expanding=True)))
    )


def _details(conn: sa.Connection, doc_ids: Sequence[int]) -> dict[int, sa.RowMapping]:
    if not doc_ids:
        return {}
    return {row["id"]: row for row in conn.execute(_details_statement(), {"ids": list(doc_ids)}).mappings()}


@functools.lru_cache(maxsize=64)
def _ranked_statement(dialect: str, speaker: bool, outlet: bool, since: bool, kind: bool) -> sa.Select[Any]:
    """The top `limit` matches of the query `match` (an `fts5_expression` or `tsquery_expression`)
    with their scores and snippets, under the given filters.

    Built once per dialect and set of filters, with every value a bound parameter: building and
    hashing a statement costs more Python time than SQLite takes to answer it.
    """
    where = _filters(speaker, outlet, since, kind)
    limit = sa.bindparam("limit", type_=sa.Integer)
    if dialect == "sqlite":
        fts = sa.table("search_fts", sa.column("rowid"), sa.column("rank"))
        fts_ref: sa.ColumnElement[Any] = sa.literal_column("search_fts")
        # `rank` is bm25 (lower is better). snippet() works only in the query doing the MATCH, and
        # only there at top level is it computed for the returned rows alone.
        snippet = sa.func.snippet(fts_ref, 0, SNIPPET_START, SNIPPET_END, ELLIPSIS, SNIPPET_WORDS)
        return (
            sa.select(search_docs.c.id, (-fts.c.rank).label("score"), snippet.label("snippet"))
            .select_from(_matching(fts.join(search_docs, search_docs.c.id == fts.c.rowid), speaker))
            .where(fts_ref.op("MATCH")(sa.bindparam("match", type_=sa.String)), *where)
            .order_by(fts.c.rank, search_docs.c.id)
            .limit(limit)
        )
    tsquery = sa.func.to_tsquery(
        sa.literal_column("'english'::regconfig"), sa.bindparam("match", type_=sa.String)
    )
    tsv: sa.ColumnElement[Any] = sa.literal_column("search_docs.tsv")
    rank = sa.func.ts_rank_cd(tsv, tsquery)
    top = (
        sa.select(search_docs.c.id, search_docs.c.body, rank.label("score"))
        .select_from(_matching(search_docs, speaker))
        .where(tsv.op("@@")(tsquery), *where)
        .order_by(rank.desc(), search_docs.c.id)
        .limit(limit)
        .subquery()
    )
    # ts_headline is costly: only for the rows that are shown.
    options = (
        f"StartSel={SNIPPET_START}, StopSel={SNIPPET_END}, MaxWords={SNIPPET_WORDS}, MinWords=8, "
        f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
    )
    headline = sa.func.ts_headline(
        sa.literal_column("'english'::regconfig"), top.c.body, tsquery, sa.literal(options)
    )
    return sa.select(top.c.id, top.c.score, headline.label("snippet")).order_by(top.c.score.desc(), top.c.id)


def search(
    conn: sa.Connection,
    text: str,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    since: datetime | None = None,
    kind: str | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Quotes and claims of the latest article versions matching `text`, best first."""
    query = parse_query(text)
    if not query or limit <= 0:
        return []
    # PostgreSQL text cannot hold NUL, and no stored name does: drop it rather than fail.
    speaker = speaker.replace("\0", "") if speaker else speaker
    outlet = outlet.replace("\0", "") if outlet else outlet
    dialect = conn.dialect.name
    values: dict[str, Any] = {
        "match": fts5_expression(query) if dialect == "sqlite" else tsquery_expression(query),
        "limit": limit,
    }
    if speaker:
        values["speaker"] = _like_pattern(speaker)
    if outlet:
        values["outlet"] = _like_pattern(outlet)
    if since is not None:
        values["since"] = since
    if kind:
        values["kind"] = kind
    ranked = _ranked_statement(dialect, bool(speaker), bool(outlet), since is not None, bool(kind))
    found = conn.execute(ranked, values).all()
    details = _details(conn, [doc_id for doc_id, _, _ in found])
    hits = []
    for doc_id, score, snippet_text in found:
        row = details[doc_id]
        hits.append(
            SearchHit(
                kind=row["kind"],
                id=row["ref"],
                article=row["article"],
                text=row["body"],
                snippet=snippet_text,
                score=float(score),
                start=row["start"],
                end=row["end"],
                speaker=row["speaker_name"],
                outlet=row["outlet"],
                title=row["title"],
                published=row["published"],
                url=row["url"],
                path=row["path"],
            )
        )
    return hits
