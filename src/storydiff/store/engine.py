"""Opening a database: URL rules, SQLite pragmas, and a write lock that works the same on both.

SQLite: WAL (readers never wait for the writer), a 60 s busy timeout, foreign keys on, and every
write transaction started with `BEGIN IMMEDIATE` so two writers queue for the lock up front
instead of one failing with "database is locked" when it upgrades a read to a write.
PostgreSQL: every write transaction takes one transaction-level advisory lock, so writers queue
the same way and the check-then-insert of idempotent writes cannot race.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import make_url

DEFAULT_DB = "storydiff.db"
ENV_VAR = "STORYDIFF_DB"
BUSY_TIMEOUT_MS = 60_000
# pg_advisory_xact_lock key: "storydiff" written as a number, shared by every storydiff writer.
PG_WRITE_LOCK = 0x73746F7279


T = TypeVar("T")


def retry_locked(step: Callable[[], T], seconds: float = BUSY_TIMEOUT_MS / 1000) -> T:
    """Run `step`, again while SQLite answers "database is locked" for up to `seconds`.

    Some steps fail at once instead of waiting out the busy timeout: switching a new file to WAL,
    or reading the schema while another process is doing so. Two processes opening one new
    database at the same moment hit exactly that.
    """
    deadline = time.monotonic() + seconds
    delay = 0.01
    while True:
        try:
            return step()
        except (sqlite3.OperationalError, sa.exc.OperationalError) as e:
            if "locked" not in str(e) or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


class StoreUnavailable(RuntimeError):
    """The database cannot be opened (missing driver, bad URL); the message says what to do."""


def resolve_url(url: str | None) -> str:
    """None -> $STORYDIFF_DB -> `storydiff.db`; a plain path means a SQLite file."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_DB
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    scheme, rest = url.split("://", 1)
    if scheme in ("postgres", "postgresql"):  # SQLAlchemy would pick psycopg2; we ship psycopg 3
        return "postgresql+psycopg://" + rest
    return url


def display_url(url: str) -> str:
    """The URL as shown to users: password hidden, a SQLite file as its plain path."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def create_engine(url: str) -> sa.Engine:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        try:
            import psycopg  # noqa: F401
        except ModuleNotFoundError as e:
            raise StoreUnavailable(
                "PostgreSQL needs the psycopg driver: pip install 'storydiff[postgres]'"
            ) from e
        return sa.create_engine(url, pool_pre_ping=True)
    raise StoreUnavailable(f"unsupported database {backend!r}: use a SQLite path or postgresql+psycopg://...")


def _sqlite_engine(url: str) -> sa.Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (pysqlite's implicit BEGIN is always DEFERRED).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        retry_locked(lambda: cursor.execute("PRAGMA journal_mode = WAL"))
        cursor.execute("PRAGMA synchronous = NORMAL")  # with WAL: a killed process loses nothing
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("storydiff_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One write transaction holding the store's write lock; commits on success, else rolls back."""
    with engine.connect() as conn:
        conn = conn.execution_options(storydiff_write=True)
        with conn.begin():
            if engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITE_LOCK})
            yield conn


@contextmanager
def read_transaction(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A consistent read-only snapshot across several queries (a deferred SQLite transaction, a
    REPEATABLE READ one on PostgreSQL)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            yield conn
