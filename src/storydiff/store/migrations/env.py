"""Alembic environment, run from `storydiff.store.migrate` (no alembic.ini needed).

`storydiff.store.migrate` passes an open connection in `config.attributes["connection"]`; a
developer may also run `alembic` by hand with `-x url=sqlite:///file.db` and `script_location`
pointing here, e.g. to autogenerate a new revision against `storydiff.store.schema`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from storydiff.store.schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite can't ALTER most things
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("give the database with: alembic -x url=sqlite:///storydiff.db ...")
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        _run(conn)


if context.is_offline_mode():
    raise SystemExit("storydiff's migrations run online only (they need a connection)")
run_migrations_online()
