"""The store: everything storydiff finds, in SQLite (default) or PostgreSQL, searchable.

    from storydiff.store import open_store

    with open_store("news.db") as store:              # or "postgresql+psycopg://user@host/db"
        run = store.begin_run({"inputs": ["articles/"]})
        store.add_articles(analysis.articles, run)    # idempotent; one transaction
        store.save_links(analysis)                    # stories, entities, links of that corpus
        hits = store.search("ceasefire", speaker="Moretsky")

The store holds rows and nothing else: it imports the model and SQLAlchemy, never the linker or
the report. Analysing into a store run by run, and linking what is new (or everything again), is
the library's job: `storydiff.archive`.

Writes are idempotent: an article already stored (same id, or same URL and same cleaned text) is
left as it is; the same URL with a changed text becomes a new version, flagged latest, and only
latest versions are searched, listed and linked. Each `add_articles` call is one transaction, so
a killed process leaves whole batches or nothing.

`Store` is a facade: each method opens one transaction and calls `writing` (runs, articles,
links), `reading` (rows back into the model, listings), `search` or `stories` (a story's links,
run by run), which take the connection.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Literal

import sqlalchemy as sa

from storydiff.model import Analysis, Article
from storydiff.store import migrate, reading, writing
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
from storydiff.store.reading import SpeakerSummary, StorySummary
from storydiff.store.search import SearchHit
from storydiff.store.search import search as _search
from storydiff.store.stories import Plan
from storydiff.store.writing import AddResult, ArticleWriter

__all__ = [
    "DEFAULT_DB",
    "ENV_VAR",
    "AddResult",
    "ArticleWriter",
    "Plan",
    "SchemaError",
    "SearchHit",
    "SpeakerSummary",
    "Store",
    "StoreUnavailable",
    "StorySummary",
    "open_store",
]

log = logging.getLogger("storydiff")
ANALYSIS_LIMIT = 400  # rows SQLite's ANALYZE reads per index (its documentation's suggestion)


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
                # A bounded sample per index: the statistics cost the same at any archive size.
                conn.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
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
            return writing.begin_run(conn, settings, model)

    def finish_run(self, run_id: int, status: str = "done") -> None:
        with write_transaction(self.engine) as conn:
            writing.finish_run(conn, run_id, status)

    def runs(self) -> list[dict[str, Any]]:
        with read_transaction(self.engine) as conn:
            return reading.runs(conn)

    # -- articles ----------------------------------------------------------------------------

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """Those of `ids` the store holds (as an article, or as another id of a stored one)."""
        with read_transaction(self.engine) as conn:
            return reading.known_articles(conn, list(ids))

    def stored_article(self, article_id: str) -> Article | None:
        """The stored article with this id (or alias), with its findings; None if not stored.

        Pass it to `analyze(..., resume=store.stored_article)` so a re-run parses only what is new.
        """
        with read_transaction(self.engine) as conn:
            target = reading.article_of(conn, article_id)
            found = reading.load_articles(conn, [target]) if target is not None else []
        return found[0] if found else None

    def add_articles(self, articles: Sequence[Article], run_id: int | None = None) -> AddResult:
        """Store articles with their mentions, quotes and claims, in one transaction.

        Idempotent: an id already stored, or a text equal to the latest stored version of the same
        URL, changes nothing. The same URL with a changed text is stored as the next version and
        becomes the latest. Cross-article links are not touched: link afterwards
        (`storydiff.archive.link_new`, or `save_links`).
        """
        if not articles:
            return AddResult()
        with write_transaction(self.engine) as conn:
            return writing.add_articles(conn, articles, run_id)

    def writer(self, run_id: int | None = None, batch_size: int = 50) -> ArticleWriter:
        """A callable for `analyze(on_article=...)` that stores articles in batches."""
        return ArticleWriter(self, run_id, batch_size)

    def latest_article_ids(self) -> list[str]:
        with read_transaction(self.engine) as conn:
            return reading.latest_ids(conn)

    def article_versions(self, article_id: str) -> list[dict[str, Any]]:
        """Every stored version of the article with this id (oldest first)."""
        with read_transaction(self.engine) as conn:
            return reading.article_versions(conn, article_id)

    def load_analysis(self, article_ids: Sequence[str] | None = None, *, with_links: bool = True) -> Analysis:
        """Rebuild an `Analysis` from the store: the given articles (default: the latest version of
        each), their findings, and the stored links among them."""
        with read_transaction(self.engine) as conn:
            return reading.load_analysis(conn, article_ids, with_links)

    def load_articles(self, article_ids: Sequence[str]) -> list[Article]:
        with read_transaction(self.engine) as conn:
            return reading.load_articles(conn, article_ids)

    # -- cross-article links -----------------------------------------------------------------

    def save_links(self, analysis: Analysis) -> None:
        """Replace the store's cross-article results with `analysis`'s, in one transaction.

        Entities (with the mentions and speakers they cover), stories, quote links and alignments
        are the linker's view of one corpus, so they are replaced as a whole; anything referring to
        an article, quote or claim the store does not hold is left out. Story ids are saved as
        given: `save_relinked` carries stored ids over.
        """
        with write_transaction(self.engine) as conn:
            writing.replace_links(conn, analysis)

    def save_relinked(self, corpus: Analysis, *, only_if_unlinked: bool = False) -> bool:
        """Save the links of `corpus`, linked as a whole, if it holds exactly the store's latest
        articles (else another writer stored some meanwhile: False, nothing saved). Story ids carry
        over to the new stories that continue them; ids that went are recorded as merged.
        `only_if_unlinked`: save only into a store that has no story yet."""
        with write_transaction(self.engine) as conn:
            if only_if_unlinked and conn.scalar(sa.select(sa.func.count()).select_from(t.story_articles)):
                return False
            if set(reading.latest_ids(conn)) != {a.id for a in corpus.articles}:
                return False
            merges = story_links.stable_ids(conn, corpus)
            writing.replace_links(conn, corpus)
            story_links.record_merges(conn, merges)
            return True

    def link_plan(self, window: timedelta | None) -> tuple[Plan, dict[str, str]]:
        """What linking the unlinked articles reads first (see `stories.plan`), and the settings
        of the stored links."""
        with read_transaction(self.engine) as conn:
            return story_links.plan(conn, window), reading.settings(conn)

    def save_story_links(
        self,
        plan: Plan,
        window: timedelta | None,
        linked: Analysis,
        replace: set[str],
        merges: Mapping[str, str],
        profiles: Mapping[str, Mapping[str, Any]] | None = None,
        profile_version: int = 0,
    ) -> bool:
        """Save the links of the stories a run changed (see `stories.save_story_links`), and the
        story profiles of the articles it filed (`story_profiles`), unless the store changed since
        `plan` was read (then False, nothing saved)."""
        with write_transaction(self.engine) as conn:
            if story_links.plan(conn, window).fingerprint() != plan.fingerprint():
                return False
            story_links.save_story_links(conn, linked, replace, merges, plan.superseded)
            if profiles:
                story_links.save_profiles(conn, profiles, profile_version)
            return True

    def story_profiles(self, article_ids: Sequence[str], version: int) -> dict[str, dict[str, Any]]:
        """The story profiles kept for these articles (of `version`; see `stories.profiles`)."""
        with read_transaction(self.engine) as conn:
            return story_links.profiles(conn, article_ids, version)

    def resolve_story(self, story_id: str) -> str:
        """The id a story goes by now: itself, or the story it was merged into."""
        with read_transaction(self.engine) as conn:
            return story_links.resolve(conn, story_id)

    def settings(self) -> dict[str, str]:
        """`Analysis.settings` of the stored links: which spaCy pipeline and embedder made them."""
        with read_transaction(self.engine) as conn:
            return reading.settings(conn)

    def counts(self) -> dict[str, int]:
        """How many rows each kind of thing has (articles: latest versions only)."""
        with read_transaction(self.engine) as conn:
            return reading.counts(conn)

    # -- listings and search -----------------------------------------------------------------

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
        with read_transaction(self.engine) as conn:
            return reading.stories(conn)

    def story(self, story_id: str) -> Analysis | None:
        """One story as an `Analysis`: its articles, their findings and the links among them (an
        id merged into another story gives that story)."""
        with read_transaction(self.engine) as conn:
            ids = reading.story_articles(conn, story_links.resolve(conn, story_id))
            if not ids:
                return None
            analysis = Analysis(articles=reading.load_articles(conn, ids))
            reading.load_links(conn, analysis)
        return analysis

    def speakers(self, limit: int | None = None) -> list[SpeakerSummary]:
        """Named speakers of the latest articles, most quoted first."""
        with read_transaction(self.engine) as conn:
            return reading.speakers(conn, limit)


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
