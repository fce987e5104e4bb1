"""The rows of stories that grow run by run, with ids that stay (the filing itself is the
library's: `storydiff.archive.link_new`).

A run's new articles (the latest versions in no story yet, whichever run stored them: a killed run's
too) are filed against the stories active within a time window of them: stories with an article
whose time -- `published`, else when it was stored -- lies within `window` of a new article's.
Only the stories that changed (gained an article, merged, or lost a superseded version) are linked
again (entities, quote links, alignments) and saved; the rest of the store is not read. The cost
of a run thus depends on its articles and on how busy the window is, not on the archive's size.

Ids: a story that grows keeps its id; new stories go on numbering (`s<n>`); when two stories turn
out to be one, the bigger keeps its id and the other is recorded in `story_merges`, so
`resolve()` still finds it. A full relink (`storydiff.archive.relink`) gives each new story the id of the
old story it shares most articles with, and records the ids that went.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from storydiff.model import Analysis
from storydiff.store import reading, rows
from storydiff.store import schema as t
from storydiff.store.reading import chunks as _chunks

_NUMBERED = re.compile(r"s(\d+)$")


@dataclass
class Plan:
    """What an incremental link reads from the store before linking."""

    unlinked: list[str]  # latest articles in no story, in stored order
    when: dict[str, datetime]  # article -> published, else when stored (naive UTC)
    members: dict[str, list[str]]  # stories to file against -> their latest articles, in order
    stale: set[str] = field(default_factory=set)  # stories holding a superseded version
    next_number: int = 1  # the next `s<n>` free
    span: tuple[datetime, datetime] | None = None  # the window around the unlinked articles
    superseded: list[str] = field(default_factory=list)  # queued superseded versions (see `stale`)

    def active(self, story: str) -> list[str]:
        """A story's articles within the window, the ones a new article is compared with (all of
        a story holding a superseded version, which is rebuilt)."""
        if self.span is None or story in self.stale:
            return self.members[story]
        lo, hi = self.span
        return [a for a in self.members[story] if lo <= self.when[a] <= hi]

    def fingerprint(self) -> tuple[Any, ...]:
        return (
            tuple(self.unlinked),
            tuple(self.superseded),
            tuple(sorted((s, tuple(m)) for s, m in self.members.items())),
        )


def _when() -> sa.ColumnElement[Any]:
    return sa.func.coalesce(t.articles.c.published_at, t.articles.c.added_at)


def _when_between(lo: datetime, hi: datetime) -> sa.ColumnElement[bool]:
    """`_when()` between `lo` and `hi`, written so that the indexes on `published_at` and
    `added_at` answer it (an index cannot answer `coalesce(...)`)."""
    a = t.articles
    return sa.or_(
        a.c.published_at.between(lo, hi),
        sa.and_(a.c.published_at.is_(None), a.c.added_at.between(lo, hi)),
    )


def plan(conn: sa.Connection, window: timedelta | None) -> Plan:
    """The unlinked articles and the stories they may join (all stories when `window` is None).

    The work comes from the `pending_links` queue and the window's indexes: what is read grows
    with the new articles and the stories active around them, not with the archive."""
    a, sa_, p = t.articles, t.story_articles, t.pending_links
    linked = sa.exists().where(sa_.c.article == a.c.id)
    # The queue first, then its articles by id: a join would let the planner scan the articles.
    queued: list[Any] = []
    for chunk in _chunks(sorted(conn.scalars(sa.select(p.c.article)))):
        queued += conn.execute(
            sa.select(a.c.seq, a.c.id, _when(), a.c.is_latest, linked).where(a.c.id.in_(chunk))
        )
    queued = [row[1:] for row in sorted(queued)]
    unlinked = [r[0] for r in queued if r[2] and not r[3]]
    superseded = [r[0] for r in queued if not r[2]]
    when = {r[0]: r[1] for r in queued if r[2] and not r[3]}
    stale: set[str] = set()
    for chunk in _chunks(superseded):
        stale.update(conn.scalars(sa.select(sa_.c.story).where(sa_.c.article.in_(chunk)).distinct()))
    stories: set[str] = set(stale)
    span = None
    if unlinked:
        query = sa.select(sa_.c.story).distinct()
        if window is not None:
            lo, hi = min(when.values()) - window, max(when.values()) + window
            span = (lo, hi)
            query = query.join(a, a.c.id == sa_.c.article).where(_when_between(lo, hi))
        stories.update(conn.scalars(query))
    members: dict[str, list[str]] = {}
    for chunk in _chunks(sorted(stories)):
        for story, article, latest, moment in conn.execute(
            sa.select(sa_.c.story, sa_.c.article, a.c.is_latest, _when())
            .join(a, a.c.id == sa_.c.article)
            .where(sa_.c.story.in_(chunk))
            .order_by(sa_.c.story, sa_.c.n)
        ):
            members.setdefault(story, [])
            if latest:
                members[story].append(article)
                when[article] = moment
    top = max(_top_number(conn, t.stories.c.id), _top_number(conn, t.story_merges.c.story))
    return Plan(unlinked, when, members, stale, top + 1, span, superseded)


def _top_number(conn: sa.Connection, column: sa.Column[Any]) -> int:
    """The largest n of the ids `s<n>` in `column`, 0 if none: computed by the database, so a run
    does not read every story id back."""
    numbered: sa.ColumnElement[bool]
    if conn.dialect.name == "postgresql":
        numbered = column.op("~")("^s[0-9]+$")
    else:  # GLOB: "s", a digit, and no non-digit after the "s"
        numbered = sa.and_(column.op("GLOB")("s[0-9]*"), ~column.op("GLOB")("s*[^0-9]*"))
    found = conn.scalar(
        sa.select(sa.func.max(sa.cast(sa.func.substr(column, 2), sa.BigInteger))).where(numbered)
    )
    return int(found or 0)


def _story_ids(conn: sa.Connection) -> list[str]:
    return list(conn.scalars(sa.select(t.stories.c.id))) + list(
        conn.scalars(sa.select(t.story_merges.c.story))
    )


def resolve(conn: sa.Connection, story_id: str) -> str:
    """The story an id stands for now, following recorded merges."""
    seen = {story_id}
    while True:
        into = conn.scalar(sa.select(t.story_merges.c.into).where(t.story_merges.c.story == story_id))
        if into is None or into in seen:
            return story_id
        seen.add(into)
        story_id = into


def record_merges(conn: sa.Connection, merges: Mapping[str, str]) -> None:
    if not merges:
        return
    olds = sorted(merges)
    for chunk in _chunks(olds):
        conn.execute(t.story_merges.delete().where(t.story_merges.c.story.in_(chunk)))
    moment = rows.now()
    conn.execute(
        t.story_merges.insert(), [{"story": s, "into": merges[s], "merged_at": moment} for s in olds]
    )


def stable_ids(conn: sa.Connection, analysis: Analysis) -> dict[str, str]:
    """Rename `analysis`'s stories (and its alignments' story) after the stored stories they
    continue: each stored id goes to the new story holding most of its articles, biggest overlap
    first; a stored id left over is returned as merged into that story. New stories whose id a
    stored story has (had) get the next free number."""
    sa_ = t.story_articles
    old_of = dict(conn.execute(sa.select(sa_.c.article, sa_.c.story)).tuples().all())
    if not old_of:
        return {}
    overlap: dict[tuple[str, str], int] = defaultdict(int)
    for story in analysis.stories:
        for article in story.articles:
            if article in old_of:
                overlap[(old_of[article], story.id)] += 1
    rename: dict[str, str] = {}
    taken: set[str] = set()
    for (old, new), _count in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if new not in rename and old not in taken:
            rename[new] = old
            taken.add(old)
    reserved = set(_story_ids(conn)) | set(old_of.values())
    numbers = [int(m.group(1)) for s in reserved if (m := _NUMBERED.match(s))]
    following = max(numbers, default=0) + 1
    for story in analysis.stories:
        if story.id not in rename:
            if story.id in reserved or story.id in rename.values():
                rename[story.id] = f"s{following}"
                following += 1
            else:
                rename[story.id] = story.id
    merges: dict[str, str] = {}
    for (old, new), _count in sorted(overlap.items(), key=lambda kv: (-kv[1], kv[0])):
        if old not in taken and old not in merges:
            merges[old] = rename[new]
    for story in analysis.stories:
        story.id = rename[story.id]
    for alignment in analysis.alignments:
        alignment.story = rename.get(alignment.story, alignment.story)
    return merges


def save_story_links(
    conn: sa.Connection,
    linked: Analysis,
    replace: set[str],
    merges: Mapping[str, str],
    superseded: Sequence[str] = (),
) -> None:
    """Replace the links of the stories in `replace` (and of `linked`'s articles) with `linked`'s:
    story membership, alignments, quote links among their quotes, and their articles' entities
    (matched to stored entities by name and type). Everything else in the store stays."""
    articles = [a.id for a in linked.articles]
    quote_key = {q.id: rows.stored_id(q.id, q.article) for a in linked.articles for q in a.quotes}
    claim_key = {c.id: rows.stored_id(c.id, c.article) for a in linked.articles for c in a.claims}
    quotes = sorted(quote_key.values())
    gone = sorted(replace | set(merges))
    order: dict[str, int] = {}
    for chunk in _chunks(sorted({x.id for x in linked.stories})):
        order.update(
            conn.execute(sa.select(t.stories.c.id, t.stories.c.n).where(t.stories.c.id.in_(chunk)))
            .tuples()
            .all()
        )
    top = conn.scalar(sa.select(sa.func.max(t.stories.c.n)))
    next_n = 0 if top is None else int(top) + 1
    _delete_links(conn, articles, quotes, gone)
    record_merges(conn, merges)
    # Filed now: `linked`'s articles, and the superseded versions whose stories were rebuilt.
    for chunk in _chunks(sorted(set(articles) | set(superseded))):
        conn.execute(t.pending_links.delete().where(t.pending_links.c.article.in_(chunk)))
    inserts: dict[sa.Table, list[dict[str, Any]]] = defaultdict(list)
    for story in linked.stories:
        n = order.get(story.id)
        if n is None:
            n, next_n = next_n, next_n + 1
        conn.execute(t.stories.delete().where(t.stories.c.id == story.id))
        inserts[t.stories].append({"id": story.id, "n": n})
        inserts[t.story_articles] += [
            {"story": story.id, "n": i, "article": a} for i, a in enumerate(story.articles)
        ]
    entity_of = _save_entities(conn, linked, inserts)
    stored_mentions = reading.mention_counts(conn, articles)
    stored_quotes = reading.stored_of(conn, t.quotes.c.id, quotes)
    for article in linked.articles:
        for n, m in enumerate(article.mentions):
            if m.entity in entity_of and n < stored_mentions.get(article.id, 0):
                inserts[t.mention_entities].append(
                    {"article": article.id, "n": n, "entity": entity_of[m.entity]}
                )
        for q in article.quotes:
            if q.speaker.entity in entity_of and quote_key[q.id] in stored_quotes:
                inserts[t.speaker_entities].append(
                    {"quote": quote_key[q.id], "entity": entity_of[q.speaker.entity]}
                )
    link_id = (conn.scalar(sa.select(sa.func.max(t.quote_links.c.id))) or 0) + 1
    for ql in linked.quote_links:
        members = [quote_key[q] for q in ql.quotes if quote_key.get(q) in stored_quotes]
        if len(members) < 2:
            continue
        inserts[t.quote_links].append({"id": link_id, "relation": ql.relation, "score": float(ql.score)})
        inserts[t.quote_link_members] += [
            {"link": link_id, "n": i, "quote": q} for i, q in enumerate(members)
        ]
        link_id += 1
    stored_claims = reading.stored_of(conn, t.claims.c.id, list(claim_key.values()))
    kept = {s.id for s in linked.stories}
    alignment_id = (conn.scalar(sa.select(sa.func.max(t.alignments.c.id))) or 0) + 1
    scored = any(al.confidence is not None for al in linked.alignments)
    for al in linked.alignments:
        found = rows.alignment_rows(al, alignment_id, (claim_key, quote_key), (stored_claims, stored_quotes),
                                    scored) if al.story in kept else []  # fmt: skip
        for table, row in found:
            inserts[table].append(row)
        alignment_id += 1 if found else 0
    for name, value in linked.settings.items():
        conn.execute(t.analysis_settings.delete().where(t.analysis_settings.c.name == name))
        inserts[t.analysis_settings].append({"name": name, "value": str(value)})
    for table in t.CROSS_ARTICLE:
        if inserts[table]:
            conn.execute(table.insert(), inserts[table])


def profiles(conn: sa.Connection, article_ids: Sequence[str], version: int) -> dict[str, dict[str, Any]]:
    """The kept story profiles of these articles, of the profile code's `version` (others are out
    of date, and left out)."""
    p = t.story_profiles
    found: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(article_ids))):
        stmt = sa.select(p.c.article, p.c.profile).where(p.c.article.in_(chunk), p.c.version == version)
        found.update(conn.execute(stmt).tuples().all())
    return found


def save_profiles(conn: sa.Connection, profiles: Mapping[str, Mapping[str, Any]], version: int) -> None:
    """Keep these articles' story profiles (replacing any of another version)."""
    p = t.story_profiles
    for chunk in _chunks(sorted(profiles)):
        conn.execute(p.delete().where(p.c.article.in_(chunk)))
    if profiles:
        conn.execute(
            p.insert(), [{"article": a, "version": version, "profile": dict(v)} for a, v in profiles.items()]
        )


def _delete_links(conn: sa.Connection, articles: list[str], quotes: list[str], stories: list[str]) -> None:
    al, sa_ = t.alignments, t.story_articles
    for chunk in _chunks(stories):
        ids = sa.select(al.c.id).where(al.c.story.in_(chunk))
        conn.execute(t.alignment_claims.delete().where(t.alignment_claims.c.alignment.in_(ids)))
        conn.execute(t.alignment_quotes.delete().where(t.alignment_quotes.c.alignment.in_(ids)))
        conn.execute(al.delete().where(al.c.story.in_(chunk)))
        conn.execute(sa_.delete().where(sa_.c.story.in_(chunk)))
        conn.execute(t.stories.delete().where(t.stories.c.id.in_(chunk)))
    qm = t.quote_link_members
    for chunk in _chunks(quotes):
        links = sorted(set(conn.scalars(sa.select(qm.c.link).where(qm.c.quote.in_(chunk)))))
        for part in _chunks(links):
            conn.execute(qm.delete().where(qm.c.link.in_(part)))
            conn.execute(t.quote_links.delete().where(t.quote_links.c.id.in_(part)))
        conn.execute(t.speaker_entities.delete().where(t.speaker_entities.c.quote.in_(chunk)))
    for chunk in _chunks(articles):
        conn.execute(t.mention_entities.delete().where(t.mention_entities.c.article.in_(chunk)))
        conn.execute(t.entity_articles.delete().where(t.entity_articles.c.article.in_(chunk)))
        # an article may still sit in a story being replaced under another id (a merge)
        conn.execute(sa_.delete().where(sa_.c.article.in_(chunk)))


def _save_entities(
    conn: sa.Connection, linked: Analysis, inserts: dict[sa.Table, list[dict[str, Any]]]
) -> dict[str, str]:
    """Stored ids for `linked`'s entities: the stored entity of the same name and type, else a new
    one. Adds their article rows to `inserts`; returns linked entity id -> stored id."""
    e, ea = t.entities, t.entity_articles
    top = conn.scalar(sa.select(sa.func.max(e.c.n)))
    next_n = 0 if top is None else int(top) + 1
    known: dict[tuple[str, str], str] = {}
    for chunk in _chunks(sorted({x.name for x in linked.entities})):
        for eid, name, etype in conn.execute(
            sa.select(e.c.id, e.c.name, e.c.type).where(e.c.name.in_(chunk)).order_by(e.c.n.desc())
        ):
            known[(name, etype)] = eid  # the first stored of that name wins
    count_of: dict[str, int] = {}
    for chunk in _chunks(sorted(set(known.values()))):
        count_of.update(
            conn.execute(
                sa.select(ea.c.entity, sa.func.max(ea.c.n))
                .where(ea.c.entity.in_(chunk))
                .group_by(ea.c.entity)
            )
            .tuples()
            .all()
        )
    entity_of: dict[str, str] = {}
    for entity in linked.entities:
        stored = known.get((entity.name, entity.type))
        if stored is None:
            stored = f"e{next_n + 1}"
            while conn.scalar(sa.select(e.c.id).where(e.c.id == stored)) is not None:
                next_n += 1
                stored = f"e{next_n + 1}"
            inserts[t.entities].append({"id": stored, "n": next_n, "name": entity.name, "type": entity.type})
            inserts[t.entity_aliases] += [
                {"entity": stored, "n": i, "alias": s} for i, s in enumerate(entity.aliases)
            ]
            next_n += 1
            known[(entity.name, entity.type)] = stored
        entity_of[entity.id] = stored
        last = count_of.get(stored)
        first = 0 if last is None else int(last) + 1
        inserts[t.entity_articles] += [
            {"entity": stored, "n": first + i, "article": a} for i, a in enumerate(entity.articles)
        ]
        count_of[stored] = first + len(entity.articles) - 1
    return entity_of
