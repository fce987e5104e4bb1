"""Schema versions: Alembic run from the package's own files (no alembic.ini at the user's cwd).

`check(conn)` is what opening a store does: a brand-new empty database is created at the head
revision; a database at an older revision, or at one this storydiff does not know (written by a
newer storydiff), is refused with a message saying what to do.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaError(RuntimeError):
    """The database's schema is not the one this storydiff writes; the message says what to do."""


def config(connection: sa.Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head() -> str:
    """The revision this storydiff's code writes."""
    heads = ScriptDirectory.from_config(config()).get_heads()
    if len(heads) != 1:  # a branching mistake in our own migrations
        raise RuntimeError(f"storydiff's migrations have {len(heads)} heads: {heads}")
    return heads[0]


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(config()).walk_revisions()}


def current(connection: sa.Connection) -> str | None:
    """The database's revision, None when it has no `alembic_version` table (or an empty one)."""
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: sa.Connection, revision: str = "head") -> None:
    """Migrate the database on `connection` (inside the caller's transaction) to `revision`."""
    command.upgrade(config(connection), revision)


def check(connection: sa.Connection, url: str) -> None:
    """Create an empty database at head; raise `SchemaError` unless the database is at head.

    Must run inside a transaction that holds the store's write lock, so that two processes
    opening a new database at once create it once.
    """
    revision = current(connection)
    if revision is None:
        tables = set(sa.inspect(connection).get_table_names())
        if tables - {"alembic_version"}:
            raise SchemaError(
                f"{url} is not a storydiff database (it has tables {', '.join(sorted(tables)[:5])}, ...) "
                "and no storydiff schema version; use a new file or database"
            )
        upgrade(connection)
        return
    target = head()
    if revision == target:
        return
    if revision in known_revisions():
        raise SchemaError(
            f"{url} has an older storydiff schema ({revision}; this storydiff needs {target}). "
            f"Upgrade it with: storydiff db upgrade --db {url}"
        )
    raise SchemaError(
        f"{url} was written by a newer storydiff (schema {revision}, unknown to this storydiff, "
        f"whose newest is {target}). Upgrade storydiff: pip install -U storydiff"
    )
