"""Writing the store: runs, articles with their findings, and a corpus's cross-article links.

Every function takes a connection inside the caller's write transaction (`engine.write_transaction`),
so what one call writes commits or rolls back as a whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from storydiff import __version__
from storydiff.model import Analysis, Article
from storydiff.store import reading, rows
from storydiff.store import schema as t

if TYPE_CHECKING:
    from storydiff.store import Store


@dataclass(slots=True)
class AddResult:
    """What one `add_articles` call did, by article id."""

    added: list[str] = field(default_factory=list)  # new articles (version 1)
    new_versions: list[str] = field(default_factory=list)  # a changed text of a stored URL
    unchanged: list[str] = field(default_factory=list)  # already stored: nothing written

    def __iadd__(self, other: AddResult) -> AddResult:
        self.added += other.added
        self.new_versions += other.new_versions
        self.unchanged += other.unchanged
        return self


class ArticleWriter:
    """Buffers articles and stores them `batch_size` at a time, one transaction per batch.

    Usable as `analyze(..., on_article=writer)`; `close()` (or leaving the `with`) stores the rest.
    """

    def __init__(self, store: Store, run_id: int | None, batch_size: int = 50) -> None:
        self.store = store
        self.run_id = run_id
        self.batch_size = max(1, batch_size)
        self.result = AddResult()
        self._pending: list[Article] = []

    def __call__(self, article: Article) -> None:
        self._pending.append(article)
        if len(self._pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            batch, self._pending = self._pending, []
            self.result += self.store.add_articles(batch, self.run_id)

    def close(self) -> None:
        self.flush()

    def __enter__(self) -> ArticleWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        # Articles fully analysed before an error or Ctrl-C are worth keeping.
        self.flush()


# -- runs -----------------------------------------------------------------------------------------


def begin_run(conn: sa.Connection, settings: Mapping[str, Any], model: str | None) -> int:
    result = conn.execute(
        t.runs.insert().values(
            storydiff_version=__version__,
            model=model,
            settings=dict(settings),
            started_at=rows.now(),
            status="running",
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def finish_run(conn: sa.Connection, run_id: int, status: str) -> None:
    added = conn.scalar(sa.select(sa.func.count()).where(t.articles.c.run_id == run_id))
    conn.execute(
        t.runs.update()
        .where(t.runs.c.id == run_id)
        .values(finished_at=rows.now(), status=status, articles_added=added or 0)
    )


# -- articles -------------------------------------------------------------------------------------


def add_articles(conn: sa.Connection, articles: Sequence[Article], run_id: int | None) -> AddResult:
    """Store articles with their mentions, quotes and claims (see `Store.add_articles`)."""
    result = AddResult()
    stored = reading.known_articles(conn, [a.id for a in articles])
    seq = conn.scalar(sa.select(sa.func.coalesce(sa.func.max(t.articles.c.seq), 0))) or 0
    # version key -> (id, version, content hash) of the latest, including this batch's
    latest: dict[str, tuple[str, int, str]] = {}
    new: list[Article] = []
    article_rows: list[dict[str, Any]] = []
    alias_rows: list[dict[str, Any]] = []
    superseded: list[str] = []
    for article in articles:
        if article.id in stored:
            result.unchanged.append(article.id)
            continue
        key = rows.doc_key(article)
        digest = rows.content_hash(article.text)
        slot = key if key is not None else "sha256:" + digest  # keyless: duplicates by text
        previous = latest.get(slot)
        if previous is None:
            previous = _latest_version(conn, key, digest)
        if previous is not None and previous[2] == digest:
            # Same article under another id (e.g. only boilerplate or path changed).
            alias_rows.append({"alias": article.id, "article": previous[0]})
            stored.add(article.id)
            result.unchanged.append(article.id)
            continue
        version = 1
        if key is not None and previous is not None:
            version = previous[1] + 1
            superseded.append(previous[0])
            result.new_versions.append(article.id)
        else:
            result.added.append(article.id)
        latest[slot] = (article.id, version, digest)
        seq += 1
        row = rows.article_row(article, key=key, version=version, digest=digest, run_id=run_id)
        row["seq"] = seq
        article_rows.append(row)
        new.append(article)
        stored.add(article.id)
    for chunk in reading.chunks(superseded):
        conn.execute(t.articles.update().where(t.articles.c.id.in_(chunk)).values(is_latest=False))
    if article_rows:
        # Superseded rows of this very batch are inserted already marked.
        replaced = set(superseded)
        for row in article_rows:
            row["is_latest"] = row["id"] not in replaced
        conn.execute(t.articles.insert(), article_rows)
    if alias_rows:
        conn.execute(t.article_aliases.insert(), alias_rows)
    # For the next incremental link: the new versions to file, and the superseded ones whose
    # stories it rebuilds.
    queue_links(conn, [*superseded, *(row["id"] for row in article_rows)])
    _insert_findings(conn, new)
    return result


def _latest_version(conn: sa.Connection, key: str | None, digest: str) -> tuple[str, int, str] | None:
    a = t.articles
    if key is None:  # no URL: the same cleaned text from nowhere in particular is a duplicate
        stmt = sa.select(a.c.id, a.c.version, a.c.content_hash).where(
            a.c.doc_key.is_(None), a.c.content_hash == digest
        )
    else:
        stmt = sa.select(a.c.id, a.c.version, a.c.content_hash).where(a.c.doc_key == key, a.c.is_latest)
    found = conn.execute(stmt.limit(1)).first()
    return None if found is None else (found[0], found[1], found[2])


def insert_ignore(conn: sa.Connection, table: sa.Table) -> sa.Insert:
    """An INSERT that skips rows whose key is stored already."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def _insert_findings(conn: sa.Connection, articles: Sequence[Article]) -> None:
    names = sorted({q.speaker.name for a in articles for q in a.quotes if q.speaker.name})
    speaker_ids: dict[str, int] = {}
    if names:
        conn.execute(insert_ignore(conn, t.speakers), [{"name": n} for n in names])
        for chunk in reading.chunks(names):
            for sid, name in conn.execute(
                sa.select(t.speakers.c.id, t.speakers.c.name).where(t.speakers.c.name.in_(chunk))
            ):
                speaker_ids[name] = sid
    for table, values in (
        (t.mentions, [r for a in articles for r in rows.mention_rows(a)]),
        (t.quotes, [r for a in articles for r in rows.quote_rows(a, speaker_ids)]),
        (t.claims, [r for a in articles for r in rows.claim_rows(a)]),
        (t.search_docs, [r for a in articles for r in rows.search_rows(a)]),
    ):
        if values:
            conn.execute(table.insert(), values)


# -- cross-article links --------------------------------------------------------------------------


def replace_links(conn: sa.Connection, analysis: Analysis) -> None:
    """Replace the store's cross-article results with `analysis`'s (see `Store.save_links`)."""
    for table in reversed(t.CROSS_ARTICLE):
        conn.execute(table.delete())
    ids = [a.id for a in analysis.articles]
    stored = reading.stored_of(conn, t.articles.c.id, ids)
    quote_ids = reading.owned_by(conn, t.quotes, ids)
    claim_ids = reading.owned_by(conn, t.claims, ids)
    mention_counts = reading.mention_counts(conn, ids)
    articles = [a for a in analysis.articles if a.id in stored]
    quote_key = {q.id: rows.stored_id(q.id, q.article) for a in articles for q in a.quotes}
    claim_key = {c.id: rows.stored_id(c.id, c.article) for a in articles for c in a.claims}
    entity_ids = {e.id for e in analysis.entities}
    inserts: dict[sa.Table, list[dict[str, Any]]] = defaultdict(list)
    inserts[t.analysis_settings] = [{"name": k, "value": str(v)} for k, v in analysis.settings.items()]
    for n, e in enumerate(analysis.entities):
        inserts[t.entities].append({"id": e.id, "n": n, "name": e.name, "type": e.type})
        inserts[t.entity_aliases] += [{"entity": e.id, "n": i, "alias": s} for i, s in enumerate(e.aliases)]
        inserts[t.entity_articles] += [
            {"entity": e.id, "n": i, "article": a} for i, a in enumerate(x for x in e.articles if x in stored)
        ]
    seen_mentions: set[tuple[str, int]] = set()
    seen_speakers: set[str] = set()
    for article in articles:
        for n, m in enumerate(article.mentions):
            if (
                m.entity in entity_ids
                and n < mention_counts.get(article.id, 0)
                and (article.id, n) not in seen_mentions
            ):
                seen_mentions.add((article.id, n))
                inserts[t.mention_entities].append({"article": article.id, "n": n, "entity": m.entity})
        for q in article.quotes:
            qid = quote_key[q.id]
            if q.speaker.entity in entity_ids and qid in quote_ids and qid not in seen_speakers:
                seen_speakers.add(qid)
                inserts[t.speaker_entities].append({"quote": qid, "entity": q.speaker.entity})
    kept_stories: set[str] = set()
    for n, s in enumerate(analysis.stories):
        members = [a for a in s.articles if a in stored]
        if not members:
            continue
        kept_stories.add(s.id)
        inserts[t.stories].append({"id": s.id, "n": n})
        inserts[t.story_articles] += [{"story": s.id, "n": i, "article": a} for i, a in enumerate(members)]
    for n, link in enumerate(analysis.quote_links):
        quotes = [quote_key[q] for q in link.quotes if quote_key.get(q) in quote_ids]
        if len(quotes) < 2:
            continue
        inserts[t.quote_links].append({"id": n, "relation": link.relation, "score": float(link.score)})
        inserts[t.quote_link_members] += [{"link": n, "n": i, "quote": q} for i, q in enumerate(quotes)]
    scored = any(al.confidence is not None for al in analysis.alignments)
    for n, al in enumerate(analysis.alignments):
        if al.story in kept_stories:
            keys, stored_keys = (claim_key, quote_key), (claim_ids, quote_ids)
            for table, row in rows.alignment_rows(al, n, keys, stored_keys, scored):
                inserts[table].append(row)
    for table in t.CROSS_ARTICLE:
        if inserts[table]:
            conn.execute(table.insert(), inserts[table])
    requeue_links(conn, {row["article"] for row in inserts[t.story_articles]})


def queue_links(conn: sa.Connection, articles: Sequence[str]) -> None:
    """Queue articles for the next incremental link (`stories.plan` reads the queue)."""
    if articles:
        conn.execute(insert_ignore(conn, t.pending_links), [{"article": a} for a in articles])


def requeue_links(conn: sa.Connection, filed: set[str]) -> None:
    """After the links of a whole corpus: the queue is the latest articles not `filed` in a story."""
    conn.execute(t.pending_links.delete())
    queue_links(conn, [a for a in reading.latest_ids(conn) if a not in filed])
