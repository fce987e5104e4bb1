"""The store: everything storydiff finds, in SQLite (default) or PostgreSQL, searchable.

    from storydiff.store import open_store

    with open_store("news.db") as store:              # or "postgresql+psycopg://user@host/db"
        run = store.begin_run({"inputs": ["articles/"]})
        store.add_articles(analysis.articles, run)    # idempotent; one transaction
        store.relink(analysis)                        # stories, entities, links across the store
        hits = store.search("ceasefire", speaker="Moretsky")

Writes are idempotent: an article already stored (same id, or same URL and same cleaned text) is
left as it is; the same URL with a changed text becomes a new version, flagged latest, and only
latest versions are searched, listed and linked. Each `add_articles` call is one transaction, so
a killed process leaves whole batches or nothing. Every CLI command is a method here.
"""

from __future__ import annotations

import csv
import json
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TextIO

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from storydiff import __version__
from storydiff.link.stories import REPAIR, StoryIndex
from storydiff.model import Alignment, Analysis, Article, Entity, QuoteLink, Story
from storydiff.store import migrate, rows
from storydiff.store import schema as t
from storydiff.store import stories as story_links
from storydiff.store.engine import (
    DEFAULT_DB,
    ENV_VAR,
    StoreUnavailable,
    create_engine,
    display_url,
    read_transaction,
    resolve_url,
    retry_locked,
    write_transaction,
)
from storydiff.store.migrate import SchemaError
from storydiff.store.search import SearchHit
from storydiff.store.search import search as _search

__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "AddResult",
    "ArticleWriter",
    "SchemaError",
    "SearchHit",
    "SpeakerSummary",
    "Store",
    "StoreUnavailable",
    "StorySummary",
    "open_store",
]

log = logging.getLogger("storydiff")

ExportFormat = Literal["json", "jsonl", "csv"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("json", "jsonl", "csv")
# report key -> the `record` value of its JSONL lines
JSONL_RECORDS = (
    ("articles", "article"),
    ("entities", "entity"),
    ("quotes", "quote"),
    ("claims", "claim"),
    ("stories", "story"),
    ("quote_links", "quote_link"),
    ("alignments", "alignment"),
)
CHUNK = 500
# A linker that files articles with a given story index (None: a new one), as `link.link` does.
IndexLinker = Callable[[Analysis, StoryIndex | None], Analysis]
RELINK_ATTEMPTS = 5  # ids per IN (...) list: far below SQLite's and PostgreSQL's parameter limits


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


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


class Store:
    """A storydiff database. Open with `open_store(url)`; close with `close()` or `with`."""

    def __init__(self, url: str | None = None, *, check_schema: bool = True) -> None:
        self.url = resolve_url(url)
        self.display_url = display_url(self.url)
        self.engine = create_engine(self.url)
        self.dialect = self.engine.dialect.name
        if check_schema:
            retry_locked(self._check_schema)

    # -- lifecycle ---------------------------------------------------------------------------

    def _check_schema(self) -> None:
        with read_transaction(self.engine) as conn:
            revision = migrate.current(conn)
        if revision == migrate.head():
            return
        # New database (create it) or another version (refuse): decide under the write lock so
        # two processes opening a new database at once create it once.
        with write_transaction(self.engine) as conn:
            migrate.check(conn, self.display_url)

    def schema_revision(self) -> tuple[str | None, str]:
        """The database's schema revision and the one this storydiff writes."""
        with read_transaction(self.engine) as conn:
            return migrate.current(conn), migrate.head()

    def upgrade(self) -> tuple[str | None, str]:
        """Migrate the database to this storydiff's schema; returns (before, after)."""
        with write_transaction(self.engine) as conn:
            before = migrate.current(conn)
            if before is not None and before not in migrate.known_revisions():
                raise SchemaError(
                    f"{self.display_url} was written by a newer storydiff (schema {before}); "
                    "upgrade storydiff instead: pip install -U storydiff"
                )
            migrate.upgrade(conn)
            return before, migrate.head()

    def optimize(self) -> None:
        """Refresh the query planner's statistics after a big load (PostgreSQL `ANALYZE`,
        SQLite `PRAGMA optimize`); without them the first searches can be 10x slower."""
        if self.dialect == "postgresql":
            with self.engine.connect() as conn, conn.begin():
                conn.exec_driver_sql("ANALYZE")
            return
        try:
            # Under the write lock (BEGIN IMMEDIATE): ANALYZE writes, and a deferred transaction
            # that must upgrade to write while another writer commits fails at once, unretried.
            with write_transaction(self.engine) as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except sa.exc.OperationalError as e:  # statistics only: never worth failing a run for
            log.warning("could not refresh the query planner's statistics: %s", e)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display_url!r})"

    # -- runs --------------------------------------------------------------------------------

    def begin_run(self, settings: Mapping[str, Any], model: str | None = None) -> int:
        """Record a run (storydiff version, model, settings, start time); returns its id."""
        with write_transaction(self.engine) as conn:
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

    def finish_run(self, run_id: int, status: str = "done") -> None:
        with write_transaction(self.engine) as conn:
            added = conn.scalar(sa.select(sa.func.count()).where(t.articles.c.run_id == run_id))
            conn.execute(
                t.runs.update()
                .where(t.runs.c.id == run_id)
                .values(finished_at=rows.now(), status=status, articles_added=added or 0)
            )

    def runs(self) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            found = conn.execute(sa.select(t.runs).order_by(t.runs.c.id)).mappings().all()
        return [
            {**r, "started_at": _iso(r["started_at"]), "finished_at": _iso(r["finished_at"])} for r in found
        ]

    # -- articles ----------------------------------------------------------------------------

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` the store holds (as an article, or as another id of a stored one)."""
        wanted = sorted(set(ids))
        found: set[str] = set()
        with read_transaction(self.engine) as conn:
            for chunk in _chunks(wanted):
                found.update(conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk))))
                found.update(
                    conn.scalars(
                        sa.select(t.article_aliases.c.alias).where(t.article_aliases.c.alias.in_(chunk))
                    )
                )
        return found

    def stored_article(self, article_id: str) -> Article | None:
        """The stored article with this id (or alias), with its findings; None if not stored.

        Pass it to `analyze(..., resume=store.stored_article)` so a re-run parses only what is new.
        """
        with read_transaction(self.engine) as conn:
            target = conn.scalar(sa.select(t.articles.c.id).where(t.articles.c.id == article_id))
            if target is None:
                target = conn.scalar(
                    sa.select(t.article_aliases.c.article).where(t.article_aliases.c.alias == article_id)
                )
            if target is None:
                return None
            found = self._load_articles(conn, [target])
        return found[0] if found else None

    def add_articles(self, articles: Sequence[Article], run_id: int | None = None) -> AddResult:
        """Store articles with their mentions, quotes and claims, in one transaction.

        Idempotent: an id already stored, or a text equal to the latest stored version of the same
        URL, changes nothing. The same URL with a changed text is stored as the next version and
        becomes the latest. Cross-article links are not touched: call `relink()` afterwards.
        """
        result = AddResult()
        if not articles:
            return result
        with write_transaction(self.engine) as conn:
            ids = sorted({a.id for a in articles})
            stored: set[str] = set()
            for chunk in _chunks(ids):
                stored.update(conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk))))
                stored.update(
                    conn.scalars(
                        sa.select(t.article_aliases.c.alias).where(t.article_aliases.c.alias.in_(chunk))
                    )
                )
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
                    previous = self._latest_version(conn, key, digest)
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
            if superseded:
                for chunk in _chunks(superseded):
                    conn.execute(
                        t.articles.update().where(t.articles.c.id.in_(chunk)).values(is_latest=False)
                    )
            if article_rows:
                # Superseded rows of this very batch are inserted already marked.
                replaced = set(superseded)
                for row in article_rows:
                    row["is_latest"] = row["id"] not in replaced
                conn.execute(t.articles.insert(), article_rows)
            if alias_rows:
                conn.execute(t.article_aliases.insert(), alias_rows)
            self._insert_findings(conn, new)
        return result

    def _latest_version(
        self, conn: sa.Connection, key: str | None, digest: str
    ) -> tuple[str, int, str] | None:
        a = t.articles
        if key is None:  # no URL: the same cleaned text from nowhere in particular is a duplicate
            stmt = sa.select(a.c.id, a.c.version, a.c.content_hash).where(
                a.c.doc_key.is_(None), a.c.content_hash == digest
            )
        else:
            stmt = sa.select(a.c.id, a.c.version, a.c.content_hash).where(a.c.doc_key == key, a.c.is_latest)
        found = conn.execute(stmt.limit(1)).first()
        return None if found is None else (found[0], found[1], found[2])

    def _insert_findings(self, conn: sa.Connection, articles: Sequence[Article]) -> None:
        names = sorted({q.speaker.name for a in articles for q in a.quotes if q.speaker.name})
        speaker_ids: dict[str, int] = {}
        if names:
            conn.execute(self._insert_ignore(t.speakers), [{"name": n} for n in names])
            for chunk in _chunks(names):
                for sid, name in conn.execute(
                    sa.select(t.speakers.c.id, t.speakers.c.name).where(t.speakers.c.name.in_(chunk))
                ):
                    speaker_ids[name] = sid
        mention_rows = [r for a in articles for r in rows.mention_rows(a)]
        quote_rows = [r for a in articles for r in rows.quote_rows(a, speaker_ids)]
        claim_rows = [r for a in articles for r in rows.claim_rows(a)]
        search_rows = [r for a in articles for r in rows.search_rows(a)]
        for table, values in (
            (t.mentions, mention_rows),
            (t.quotes, quote_rows),
            (t.claims, claim_rows),
            (t.search_docs, search_rows),
        ):
            if values:
                conn.execute(table.insert(), values)

    def _insert_ignore(self, table: sa.Table) -> sa.Insert:
        if self.dialect == "postgresql":
            return postgresql.insert(table).on_conflict_do_nothing()
        return sqlite.insert(table).on_conflict_do_nothing()

    def writer(self, run_id: int | None = None, batch_size: int = 50) -> ArticleWriter:
        """A callable for `analyze(on_article=...)` that stores articles in batches."""
        return ArticleWriter(self, run_id, batch_size)

    def latest_article_ids(self) -> list[str]:
        with read_transaction(self.engine) as conn:
            return list(
                conn.scalars(
                    sa.select(t.articles.c.id).where(t.articles.c.is_latest).order_by(t.articles.c.seq)
                )
            )

    def article_versions(self, article_id: str) -> list[dict[str, Any]]:
        """Every stored version of the article with this id (oldest first)."""
        a = t.articles
        with read_transaction(self.engine) as conn:
            key = conn.scalar(sa.select(a.c.doc_key).where(a.c.id == article_id))
            where = a.c.id == article_id if key is None else a.c.doc_key == key
            found = conn.execute(
                sa.select(a.c.id, a.c.version, a.c.is_latest, a.c.url, a.c.path, a.c.title, a.c.added_at)
                .where(where)
                .order_by(a.c.version)
            ).mappings()
            return [{**r, "added_at": _iso(r["added_at"])} for r in found]

    # -- cross-article links -----------------------------------------------------------------

    def save_links(self, analysis: Analysis) -> None:
        """Replace the store's cross-article results with `analysis`'s, in one transaction.

        Entities (with the mentions and speakers they cover), stories, quote links and alignments
        are the linker's view of one corpus, so they are replaced as a whole; anything referring to
        an article, quote or claim the store does not hold is left out. To link the store's whole
        corpus (what `storydiff analyze --db` does) use `relink()`.
        """
        with write_transaction(self.engine) as conn:
            self._save_links(conn, analysis)

    def _save_links(self, conn: sa.Connection, analysis: Analysis) -> None:
        for table in reversed(t.CROSS_ARTICLE):
            conn.execute(table.delete())
        ids = sorted({a.id for a in analysis.articles})
        stored: set[str] = set()
        quote_ids: set[str] = set()
        claim_ids: set[str] = set()
        mention_counts: dict[str, int] = {}
        for chunk in _chunks(ids):
            stored.update(conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.id.in_(chunk))))
            quote_ids.update(conn.scalars(sa.select(t.quotes.c.id).where(t.quotes.c.article.in_(chunk))))
            claim_ids.update(conn.scalars(sa.select(t.claims.c.id).where(t.claims.c.article.in_(chunk))))
            mention_counts.update(
                conn.execute(
                    sa.select(t.mentions.c.article, sa.func.count())
                    .where(t.mentions.c.article.in_(chunk))
                    .group_by(t.mentions.c.article)
                )
                .tuples()
                .all()
            )
        articles = [a for a in analysis.articles if a.id in stored]
        quote_key = {q.id: rows.stored_id(q.id, q.article) for a in articles for q in a.quotes}
        claim_key = {c.id: rows.stored_id(c.id, c.article) for a in articles for c in a.claims}
        entity_ids = {e.id for e in analysis.entities}
        inserts: dict[sa.Table, list[dict[str, Any]]] = defaultdict(list)
        inserts[t.analysis_settings] = [{"name": k, "value": str(v)} for k, v in analysis.settings.items()]
        for n, e in enumerate(analysis.entities):
            inserts[t.entities].append({"id": e.id, "n": n, "name": e.name, "type": e.type})
            inserts[t.entity_aliases] += [
                {"entity": e.id, "n": i, "alias": s} for i, s in enumerate(e.aliases)
            ]
            inserts[t.entity_articles] += [
                {"entity": e.id, "n": i, "article": a}
                for i, a in enumerate(x for x in e.articles if x in stored)
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
            inserts[t.story_articles] += [
                {"story": s.id, "n": i, "article": a} for i, a in enumerate(members)
            ]
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

    def relink(
        self,
        analysis: Analysis | None = None,
        linker: Callable[[Analysis], Analysis] | None = None,
        *,
        window: timedelta | None = None,
    ) -> Analysis:
        """Link the latest version of every stored article together and save the links: the full
        relink (`storydiff relink`, after a model upgrade). `window` bounds which stories an
        article may join by publication time (None: any). Story ids carry over to the new stories
        that continue them (see `story_links.stable_ids`); ids that went are recorded as merged.

        When `analysis` (already linked) holds exactly the store's latest articles, its links are
        saved as they are; otherwise the latest articles are loaded and linked again, so an
        analysis of today's articles is linked with yesterday's. Returns the linked analysis.
        """
        corpus = analysis
        for _attempt in range(RELINK_ATTEMPTS):
            latest = self.latest_article_ids()
            if corpus is None or {a.id for a in corpus.articles} != set(latest):
                loaded = self.load_analysis(latest, with_links=False)
                # What ran: the stored corpus's settings, updated by this run's (spaCy model).
                loaded.settings = {**self.settings(), **(analysis.settings if analysis is not None else {})}
                if linker is None:  # only now: loading the embedder takes a while
                    linker = _windowed(self._default_linker(), window)
                corpus = linker(loaded)
            with write_transaction(self.engine) as conn:
                # Another writer may have stored articles while we linked: then link again, so
                # the last relink to commit always covers everything stored.
                if set(self._latest_ids(conn)) == {a.id for a in corpus.articles}:
                    merges = story_links.stable_ids(conn, corpus)
                    self._save_links(conn, corpus)
                    story_links.record_merges(conn, merges)
                    return corpus
        assert corpus is not None
        log.warning("the store kept changing while linking; saved links of %d articles", len(corpus.articles))
        self.save_links(corpus)
        return corpus

    def link_new(
        self,
        analysis: Analysis | None = None,
        *,
        window: timedelta | None = story_links.STORY_WINDOW,
        linker: IndexLinker | None = None,
    ) -> Analysis:
        """Link only what is new (what `storydiff analyze --db` does after storing): every latest
        article in no story yet joins a story active within `window` of its time (published, else
        when stored) or starts one; only the stories that changed are linked again and saved.
        Returns the linked analysis of those stories. See `storydiff.store.stories`.

        `analysis` may hold some of the articles already (this run's), which saves reading them back.
        """
        given = {a.id: a for a in analysis.articles} if analysis is not None else {}
        for _attempt in range(RELINK_ATTEMPTS):
            with read_transaction(self.engine) as conn:
                todo = story_links.plan(conn, window)
                settings = _settings(conn)
            if not todo.unlinked and not todo.stale:
                return Analysis(settings=settings)
            if (
                not todo.members
                and analysis is not None
                and analysis.stories
                and set(given) == set(todo.unlinked)
            ):
                # The first link of a store (no story to join): this run's own links are the store's.
                with write_transaction(self.engine) as conn:
                    if not conn.scalar(sa.select(sa.func.count()).select_from(t.story_articles)):
                        merges = story_links.stable_ids(conn, analysis)
                        self._save_links(conn, analysis)
                        story_links.record_merges(conn, merges)
                        return analysis
                continue
            # Only the stories' articles within the window are read to file the new ones.
            active = {sid: todo.active(sid) for sid in todo.members}
            by_id = self._articles([a for members in active.values() for a in members] + todo.unlinked, given)
            index = StoryIndex(window=window, first_number=todo.next_number)
            for sid, members in active.items():
                for aid in members:
                    index.add(by_id[aid], story=sid, when=todo.when[aid])
            for aid in todo.unlinked:
                index.add(by_id[aid], when=todo.when[aid])
            for aid in todo.unlinked:  # the repair `StoryIndex.add_all` makes, of this run's articles
                index.refile(by_id[aid], when=todo.when[aid], alone_only=REPAIR == "alone")
            merges = {old: index.resolve(old) for old in index.merged if old in todo.members}
            touched = {index.story_of(a) for a in todo.unlinked} | {index.resolve(s) for s in todo.stale}
            touched |= set(merges.values())
            changed = [s for s in index.stories if s.id in touched]
            # A changed story is linked whole: its stored articles (of the stories merged into
            # it too) in their order, then the new ones.
            into: dict[str, list[str]] = {}
            for old, new in merges.items():
                into.setdefault(new, []).append(old)
            for story in changed:
                stored = [a for sid in [story.id, *into.get(story.id, [])] for a in todo.members.get(sid, [])]
                kept = set(stored)
                story.articles = stored + [a for a in story.articles if a not in kept]
            by_id.update(self._articles([a for s in changed for a in s.articles if a not in by_id], given))
            # The linker sees exactly these stories: an index that files each article where it is.
            fixed = StoryIndex(window=None)
            for story in changed:
                for aid in story.articles:
                    fixed.add(by_id[aid], story=story.id)
            part = Analysis(
                articles=[by_id[a] for s in changed for a in s.articles],
                settings={**settings, **(analysis.settings if analysis is not None else {})},
            )
            linked = (linker or self._default_linker())(part, fixed)
            with write_transaction(self.engine) as conn:
                # Another writer may have linked meanwhile: then plan again.
                if story_links.plan(conn, window).fingerprint() == todo.fingerprint():
                    story_links.save_story_links(conn, linked, touched | todo.stale, merges)
                    return linked
        log.warning("the store kept changing while linking new articles; relinking it all")
        return self.relink(analysis)

    def _articles(self, ids: Sequence[str], given: Mapping[str, Article]) -> dict[str, Article]:
        """These articles by id: from `given` where it has them, else read from the store."""
        found = {a.id: a for a in self.load_articles([i for i in ids if i not in given])}
        found.update({i: given[i] for i in ids if i in given})
        return found

    def resolve_story(self, story_id: str) -> str:
        """The id a story goes by now: itself, or the story it was merged into."""
        with read_transaction(self.engine) as conn:
            return story_links.resolve(conn, story_id)

    def _default_linker(self) -> IndexLinker:
        """storydiff's linker, with model embeddings kept in the store (see `StoredEmbedder`)."""
        from storydiff.embed import get_embedder
        from storydiff.link import link
        from storydiff.store.embeddings import StoredEmbedder

        inner = get_embedder()
        # The lexical fallback hashes text faster than it could be read back (and is 8 KB a text).
        embedder = inner if inner.name.startswith("lexical") else StoredEmbedder(self.engine, inner)

        def linker(analysis: Analysis, index: StoryIndex | None = None) -> Analysis:
            linked = link(analysis, embedder=embedder, index=index)
            if isinstance(embedder, StoredEmbedder):
                log.info(
                    "embeddings: %d computed, %d read from the store", embedder.computed, embedder.reused
                )
            return linked

        return linker

    # -- reading -----------------------------------------------------------------------------

    def load_analysis(self, article_ids: Sequence[str] | None = None, *, with_links: bool = True) -> Analysis:
        """Rebuild an `Analysis` from the store: the given articles (default: the latest version of
        each), their findings, and the stored links among them."""
        with read_transaction(self.engine) as conn:
            ids = list(article_ids) if article_ids is not None else self._latest_ids(conn)
            analysis = Analysis(articles=self._load_articles(conn, ids))
            if with_links:
                self._load_links(conn, analysis)
        return analysis

    def load_articles(self, article_ids: Sequence[str]) -> list[Article]:
        with read_transaction(self.engine) as conn:
            return self._load_articles(conn, article_ids)

    def _latest_ids(self, conn: sa.Connection) -> list[str]:
        return list(
            conn.scalars(sa.select(t.articles.c.id).where(t.articles.c.is_latest).order_by(t.articles.c.seq))
        )

    def _load_articles(self, conn: sa.Connection, article_ids: Sequence[str]) -> list[Article]:
        order = {aid: i for i, aid in enumerate(dict.fromkeys(article_ids))}
        wanted = list(order)
        found: dict[str, Any] = {}
        per_article: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        mention_entities: dict[tuple[str, int], str] = {}
        speaker_entities: dict[str, str] = {}
        for chunk in _chunks(wanted):
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

    def _load_links(self, conn: sa.Connection, analysis: Analysis) -> None:
        """Fill entities, stories, quote links and alignments, keeping only what touches
        `analysis`'s articles (members outside them are left out)."""
        analysis.settings = _settings(conn)
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
                analysis.quote_links.append(
                    QuoteLink(quotes=link_quotes[lid], relation=relation, score=score)
                )
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
                    Alignment(story=story, status=status, claims=refs, detail=detail, confidence=confidence)
                )

    def settings(self) -> dict[str, str]:
        """`Analysis.settings` of the stored links: which spaCy pipeline and embedder made them."""
        with read_transaction(self.engine) as conn:
            return _settings(conn)

    def counts(self) -> dict[str, int]:
        """How many rows each kind of thing has (articles: latest versions only)."""
        with read_transaction(self.engine) as conn:

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

    def search(
        self,
        text: str,
        speaker: str | None = None,
        outlet: str | None = None,
        since: datetime | None = None,
        limit: int = 20,
        kind: Literal["quote", "claim"] | None = None,
    ) -> list[SearchHit]:
        """Quotes and claims (latest article versions) matching `text`, best first.

        `text` takes words (all must match), "quoted phrases", `prefix*` and OR; anything else is
        ignored, so any string is a safe query. `speaker` and `outlet` match case-insensitive
        substrings; `since` compares with the article's publication time (else when it was stored).
        """
        with read_transaction(self.engine) as conn:
            return _search(conn, text, speaker=speaker, outlet=outlet, since=since, kind=kind, limit=limit)

    def stories(self) -> list[StorySummary]:
        """Every stored story, biggest first."""
        sa_ = t.story_articles
        a = t.articles
        with read_transaction(self.engine) as conn:
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

    def story(self, story_id: str) -> Analysis | None:
        """One story as an `Analysis`: its articles, their findings and the links among them (an
        id merged into another story gives that story)."""
        with read_transaction(self.engine) as conn:
            story_id = story_links.resolve(conn, story_id)
            ids = list(
                conn.scalars(
                    sa.select(t.story_articles.c.article)
                    .where(t.story_articles.c.story == story_id)
                    .order_by(t.story_articles.c.n)
                )
            )
            if not ids:
                return None
            analysis = Analysis(articles=self._load_articles(conn, ids))
            self._load_links(conn, analysis)
        return analysis

    def speakers(self, limit: int | None = None) -> list[SpeakerSummary]:
        """Named speakers of the latest articles, most quoted first."""
        q, a = t.quotes, t.articles
        with read_transaction(self.engine) as conn:
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

    # -- export ------------------------------------------------------------------------------

    def export(self, fmt: ExportFormat, out: TextIO, table: Literal["quotes", "claims"] = "quotes") -> int:
        """Write the store's latest corpus to `out`; returns the number of records written.

        json: one report in the storydiff/report@1 contract. jsonl: one contract-shaped record
        per line, each with a `record` key (article, entity, quote, claim, story, quote_link,
        alignment). csv: one row per quote (or claim, with `table="claims"`).
        """
        from storydiff.report.json import to_dict

        report = to_dict(self.load_analysis())
        if fmt == "json":
            json.dump(report, out, ensure_ascii=False, indent=1)
            out.write("\n")
            return 1
        if fmt == "jsonl":
            count = 0
            for key, name in JSONL_RECORDS:
                for record in report[key]:
                    out.write(json.dumps({"record": name, **record}, ensure_ascii=False) + "\n")
                    count += 1
            return count
        if fmt == "csv":
            articles = {a["id"]: a for a in report["articles"]}
            columns = ["id", "article", "outlet", "title", "published", "url", "path"]
            if table == "quotes":
                columns += ["speaker", "speaker_how", "speaker_role", "cue", "kind", "start", "end", "text"]
            else:
                columns += ["kind", "start", "end", "text", "values"]
            writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            for record in report[table]:
                art = articles[record["article"]]
                row = {k: art[k] for k in ("outlet", "title", "published", "url", "path")}
                row.update({k: record[k] for k in ("id", "article", "kind", "start", "end", "text")})
                if table == "quotes":
                    sp = record["speaker"]
                    row.update(
                        speaker=sp["name"], speaker_how=sp["how"], speaker_role=sp["role"], cue=record["cue"]
                    )
                else:
                    row["values"] = json.dumps(record["values"], ensure_ascii=False)
                writer.writerow(row)
            return len(report[table])
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")


def _windowed(linker: IndexLinker, window: timedelta | None) -> Callable[[Analysis], Analysis]:
    """`linker` filing into a fresh story index with this window."""
    return lambda analysis: linker(analysis, StoryIndex(window=window))


def _settings(conn: sa.Connection) -> dict[str, str]:
    found = conn.execute(sa.select(t.analysis_settings.c.name, t.analysis_settings.c.value))
    return dict(found.tuples().all())


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


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def open_store(url: str | None = None, *, must_exist: bool = False) -> Store:
    """Open (creating if new) the store at `url`: None -> $STORYDIFF_DB -> `storydiff.db`; a plain
    path is a SQLite file; `postgresql+psycopg://user:pw@host/db` is PostgreSQL.

    Raises `SchemaError` when the database has another schema version (the message names the
    command to run), `StoreUnavailable` when it cannot be opened, and, with `must_exist`,
    `FileNotFoundError` for a SQLite file that does not exist.
    """
    resolved = resolve_url(url)
    if must_exist:
        parsed = sa.engine.make_url(resolved)
        database = parsed.database
        is_file = parsed.get_backend_name() == "sqlite" and database and database != ":memory:"
        if is_file and not Path(str(database)).exists():
            raise FileNotFoundError(database)
    return Store(resolved)
