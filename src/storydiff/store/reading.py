"""Reading the store: rows back into model objects, and the listings the commands and the app show.

Every function takes an open connection (the caller's read transaction), so several reads see one
snapshot. No SQL writes here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from storydiff.model import Alignment, Analysis, Article, Entity, QuoteLink, Story
from storydiff.store import rows
from storydiff.store import schema as t

CHUNK = 500  # ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass(frozen=True, slots=True)
class StorySummary:
    id: str
    title: str | None  # the first stored article's
    articles: int
    outlets: list[str]
    quotes: int
    first_published: str | None
    last_published: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class SpeakerSummary:
    name: str
    quotes: int
    articles: int
    outlets: list[str]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# -- ids and counts -------------------------------------------------------------------------------


def latest_ids(conn: sa.Connection) -> list[str]:
    """The latest version of every stored article, in stored order."""
    a = t.articles
    return list(conn.scalars(sa.select(a.c.id).where(a.c.is_latest).order_by(a.c.seq)))


def known_articles(conn: sa.Connection, ids: Sequence[str]) -> set[str]:
    """Those of `ids` the store holds (as an article, or as another id of a stored one)."""
    wanted = sorted(set(ids))
    found: set[str] = set()
    for chunk in chunks(wanted):
        found.update(conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk))))
        found.update(
            conn.scalars(sa.select(t.article_aliases.c.alias).where(t.article_aliases.c.alias.in_(chunk)))
        )
    return found


def article_of(conn: sa.Connection, article_id: str) -> str | None:
    """The stored article an id (or an alias) stands for."""
    target = conn.scalar(sa.select(t.articles.c.id).where(t.articles.c.id == article_id))
    if target is None:
        target = conn.scalar(
            sa.select(t.article_aliases.c.article).where(t.article_aliases.c.alias == article_id)
        )
    return target


def stored_of(conn: sa.Connection, column: sa.Column[Any], ids: Sequence[str]) -> set[str]:
    """Those of `ids` found in `column` (a table's id column)."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(ids))):
        found.update(conn.scalars(sa.select(column).where(column.in_(chunk))))
    return found


def owned_by(conn: sa.Connection, table: sa.Table, articles: Sequence[str]) -> set[str]:
    """The ids of the rows of `table` (quotes or claims) that belong to these articles."""
    found: set[str] = set()
    for chunk in chunks(sorted(set(articles))):
        found.update(conn.scalars(sa.select(table.c.id).where(table.c.article.in_(chunk))))
    return found


def mention_counts(conn: sa.Connection, articles: Sequence[str]) -> dict[str, int]:
    """How many mentions each of these articles has stored (a linked mention beyond them has no row
    to point at)."""
    m = t.mentions
    counts: dict[str, int] = {}
    for chunk in chunks(sorted(set(articles))):
        found = conn.execute(
            sa.select(m.c.article, sa.func.count()).where(m.c.article.in_(chunk)).group_by(m.c.article)
        )
        counts.update(found.tuples().all())
    return counts


def settings(conn: sa.Connection) -> dict[str, str]:
    """`Analysis.settings` of the stored links: which spaCy pipeline and embedder made them."""
    found = conn.execute(sa.select(t.analysis_settings.c.name, t.analysis_settings.c.value))
    return dict(found.tuples().all())


def counts(conn: sa.Connection) -> dict[str, int]:
    """How many rows each kind of thing has (articles: latest versions only)."""

    def count(table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
        return int(conn.scalar(sa.select(sa.func.count()).select_from(table).where(*where)) or 0)

    return {
        "articles": count(t.articles, t.articles.c.is_latest),
        "article_versions": count(t.articles),
        "quotes": count(t.quotes),
        "claims": count(t.claims),
        "speakers": count(t.speakers),
        "entities": count(t.entities),
        "stories": count(t.stories),
        "quote_links": count(t.quote_links),
        "alignments": count(t.alignments),
        "runs": count(t.runs),
    }


def runs(conn: sa.Connection) -> list[dict[str, Any]]:
    found = conn.execute(sa.select(t.runs).order_by(t.runs.c.id)).mappings().all()
    return [{**r, "started_at": iso(r["started_at"]), "finished_at": iso(r["finished_at"])} for r in found]


def article_versions(conn: sa.Connection, article_id: str) -> list[dict[str, Any]]:
    """Every stored version of the article with this id (oldest first)."""
    a = t.articles
    key = conn.scalar(sa.select(a.c.doc_key).where(a.c.id == article_id))
    where = a.c.id == article_id if key is None else a.c.doc_key == key
    found = conn.execute(
        sa.select(a.c.id, a.c.version, a.c.is_latest, a.c.url, a.c.path, a.c.title, a.c.added_at)
        .where(where)
        .order_by(a.c.version)
    ).mappings()
    return [{**r, "added_at": iso(r["added_at"])} for r in found]


# -- articles and links back into the model --------------------------------------------------------


def load_articles(conn: sa.Connection, article_ids: Sequence[str]) -> list[Article]:
    """These articles with their findings (and the entities linked to their mentions and speakers),
    in the order given; ids not stored are left out."""
    wanted = list(dict.fromkeys(article_ids))
    found: dict[str, Any] = {}
    per_article: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    mention_entities: dict[tuple[str, int], str] = {}
    speaker_entities: dict[str, str] = {}
    for chunk in chunks(wanted):
        for row in conn.execute(sa.select(t.articles).where(t.articles.c.id.in_(chunk))).mappings():
            found[row["id"]] = row
        for name, table in (("mentions", t.mentions), ("quotes", t.quotes), ("claims", t.claims)):
            stmt = sa.select(table).where(table.c.article.in_(chunk)).order_by(table.c.article, table.c.n)
            for row in conn.execute(stmt).mappings():
                per_article[row["article"]][name].append(row)
        me = t.mention_entities
        for aid, n, entity in conn.execute(
            sa.select(me.c.article, me.c.n, me.c.entity).where(me.c.article.in_(chunk))
        ):
            mention_entities[(aid, n)] = entity
        se = t.speaker_entities
        stmt2 = sa.select(se.c.quote, se.c.entity).join(t.quotes, t.quotes.c.id == se.c.quote)
        for qid, entity in conn.execute(stmt2.where(t.quotes.c.article.in_(chunk))):
            speaker_entities[qid] = entity
    out = []
    for aid in wanted:
        if aid not in found:
            continue
        parts = per_article[aid]
        out.append(
            rows.article_from_rows(
                found[aid],
                parts["mentions"],
                parts["quotes"],
                parts["claims"],
                mention_entities,
                speaker_entities,
            )
        )
    return out


def _grouped(
    conn: sa.Connection,
    owner: sa.Column[Any],
    member: sa.Column[Any],
    order: sa.Column[Any],
    keep: set[str] | None = None,
) -> defaultdict[Any, list[str]]:
    """A link table's members per owner, in their stored order (only those in `keep`, if given)."""
    out: defaultdict[Any, list[str]] = defaultdict(list)
    for key, value in conn.execute(sa.select(owner, member).order_by(owner, order)):
        if keep is None or value in keep:
            out[key].append(value)
    return out


def load_links(conn: sa.Connection, analysis: Analysis) -> None:
    """Fill entities, stories, quote links and alignments, keeping only what touches
    `analysis`'s articles (members outside them are left out)."""
    analysis.settings = settings(conn)
    have = {a.id for a in analysis.articles}
    have_quotes = {q.id for a in analysis.articles for q in a.quotes}
    have_claims = {c.id for a in analysis.articles for c in a.claims}
    sa_, ea, qm = t.story_articles, t.entity_articles, t.quote_link_members
    members = _grouped(conn, sa_.c.story, sa_.c.article, sa_.c.n, have)
    aliases = _grouped(conn, t.entity_aliases.c.entity, t.entity_aliases.c.alias, t.entity_aliases.c.n)
    entity_articles = _grouped(conn, ea.c.entity, ea.c.article, ea.c.n, have)
    for eid, name, etype in conn.execute(
        sa.select(t.entities.c.id, t.entities.c.name, t.entities.c.type).order_by(t.entities.c.n)
    ):
        if entity_articles[eid]:
            analysis.entities.append(
                Entity(id=eid, name=name, type=etype, aliases=aliases[eid], articles=entity_articles[eid])
            )
    for (sid,) in conn.execute(sa.select(t.stories.c.id).order_by(t.stories.c.n)):
        if members[sid]:
            analysis.stories.append(Story(id=sid, articles=members[sid]))
    link_quotes = _grouped(conn, qm.c.link, qm.c.quote, qm.c.n, have_quotes)
    for lid, relation, score in conn.execute(
        sa.select(t.quote_links.c.id, t.quote_links.c.relation, t.quote_links.c.score).order_by(
            t.quote_links.c.id
        )
    ):
        if len(link_quotes[lid]) >= 2:
            analysis.quote_links.append(QuoteLink(quotes=link_quotes[lid], relation=relation, score=score))
    kept = {s.id for s in analysis.stories}
    # An alignment's members: claims, or quotes (a quote given to different speakers), in the
    # order `n` gives them across both tables.
    numbered: defaultdict[int, list[tuple[int, str]]] = defaultdict(list)
    for table, column, keep in (
        (t.alignment_claims, t.alignment_claims.c.claim, have_claims),
        (t.alignment_quotes, t.alignment_quotes.c.quote, have_quotes),
    ):
        for alid, n, ref in conn.execute(sa.select(table.c.alignment, table.c.n, column)):
            if ref in keep:
                numbered[alid].append((n, ref))
    for alid, story, status, detail, confidence in conn.execute(
        sa.select(
            t.alignments.c.id,
            t.alignments.c.story,
            t.alignments.c.status,
            t.alignments.c.detail,
            t.alignments.c.confidence,
        ).order_by(t.alignments.c.id)
    ):
        if story in kept and numbered[alid]:
            refs = [ref for _, ref in sorted(numbered[alid])]
            analysis.alignments.append(
                Alignment(story=story, status=status, members=refs, detail=detail, confidence=confidence)
            )


def load_analysis(conn: sa.Connection, article_ids: Sequence[str] | None, with_links: bool) -> Analysis:
    ids = list(article_ids) if article_ids is not None else latest_ids(conn)
    analysis = Analysis(articles=load_articles(conn, ids))
    if with_links:
        load_links(conn, analysis)
    return analysis


# -- listings -------------------------------------------------------------------------------------


def story_articles(conn: sa.Connection, story_id: str) -> list[str]:
    sa_ = t.story_articles
    return list(conn.scalars(sa.select(sa_.c.article).where(sa_.c.story == story_id).order_by(sa_.c.n)))


def stories(conn: sa.Connection) -> list[StorySummary]:
    """Every stored story, biggest first."""
    sa_ = t.story_articles
    a = t.articles
    found = conn.execute(
        sa.select(sa_.c.story, a.c.id, a.c.title, a.c.outlet, a.c.published_at, a.c.published)
        .join(a, a.c.id == sa_.c.article)
        .order_by(sa_.c.story, sa_.c.n)
    ).all()
    quote_counts = dict(
        conn.execute(
            sa.select(sa_.c.story, sa.func.count(t.quotes.c.id))
            .join(t.quotes, t.quotes.c.article == sa_.c.article)
            .group_by(sa_.c.story)
        )
        .tuples()
        .all()
    )
    order = list(conn.scalars(sa.select(t.stories.c.id).order_by(t.stories.c.n)))
    by_story: dict[str, list[Any]] = defaultdict(list)
    for row in found:
        by_story[row[0]].append(row)
    out = []
    for sid in order:
        members = by_story.get(sid, [])
        dated = sorted((r[4], r[5]) for r in members if r[4] is not None)
        out.append(
            StorySummary(
                id=sid,
                title=next((r[2] for r in members if r[2]), None),
                articles=len(members),
                outlets=sorted({r[3] for r in members if r[3]}),
                quotes=int(quote_counts.get(sid, 0)),
                first_published=dated[0][1] if dated else None,
                last_published=dated[-1][1] if dated else None,
            )
        )
    out.sort(key=lambda s: -s.articles)  # stable: the linker's order among equals
    return out


def speakers(conn: sa.Connection, limit: int | None = None) -> list[SpeakerSummary]:
    """Named speakers of the latest articles, most quoted first."""
    q, a = t.quotes, t.articles
    found = conn.execute(
        sa.select(q.c.speaker_name, q.c.article, a.c.outlet)
        .join(a, a.c.id == q.c.article)
        .where(a.c.is_latest, q.c.speaker_name.is_not(None))
    ).all()
    quotes: dict[str, int] = defaultdict(int)
    in_articles: dict[str, set[str]] = defaultdict(set)
    outlets: dict[str, set[str]] = defaultdict(set)
    for name, aid, outlet in found:
        quotes[name] += 1
        in_articles[name].add(aid)
        if outlet:
            outlets[name].add(outlet)
    out = [
        SpeakerSummary(name=n, quotes=quotes[n], articles=len(in_articles[n]), outlets=sorted(outlets[n]))
        for n in quotes
    ]
    out.sort(key=lambda s: (-s.quotes, s.name.casefold()))
    return out[:limit] if limit else out
