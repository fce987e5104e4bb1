"""Schema versions: migrations build exactly `schema.py`; older and newer databases are refused
with the command to run; `storydiff db upgrade` brings an old one up to date."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from store_helpers import make_article, misattributed_pair

from storydiff.cli import main
from storydiff.store import SchemaError, Store, migrate, open_store
from storydiff.store.engine import create_engine, resolve_url, write_transaction
from storydiff.store.schema import metadata

# Made by the migrations but not part of the portable table definitions.
DIALECT_EXTRAS = {
    "search_fts",
    "search_fts_data",
    "search_fts_idx",
    "search_fts_docsize",
    "search_fts_config",
    "search_fts_content",
    "alembic_version",
    "ix_search_docs_tsv",
}


def _include(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    return name not in DIALECT_EXTRAS and not (type_ == "column" and name == "tsv")


def test_migrations_build_the_declared_schema(store: Store) -> None:
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": _include, "compare_type": True})
        assert compare_metadata(context, metadata) == []


def _at_revision(url: str, revision: str) -> None:
    engine = create_engine(resolve_url(url))
    with write_transaction(engine) as conn:
        migrate.upgrade(conn, revision)
    engine.dispose()


def test_older_schema_is_refused_then_upgraded(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    _at_revision(db_url, "0001")
    # Something stored by the older storydiff: a quote, not yet in the search index.
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO runs (storydiff_version, settings, started_at, status, articles_added) "
                "VALUES ('0.0.1', '{}', '2024-01-01 00:00:00', 'done', 1)"
            )
        )
    engine.dispose()
    with Store(db_url, check_schema=False) as raw:
        from storydiff.store import rows
        from storydiff.store import schema as t

        article = make_article(
            "old1",
            'Ola Nordmann said "the bridge opens in May".',
            quotes=[("the bridge opens in May", "Ola Nordmann")],
        )
        with write_transaction(raw.engine) as conn:
            row = rows.article_row(
                article, key=None, version=1, digest=rows.content_hash(article.text), run_id=1
            )
            conn.execute(t.articles.insert(), [{**row, "seq": 1}])
            # only the columns revision 0001 had (0004 added `parts`)
            old_rows = [{k: v for k, v in r.items() if k != "parts"} for r in rows.quote_rows(article, {})]
            conn.execute(t.quotes.insert(), old_rows)
    with pytest.raises(SchemaError) as refused:
        open_store(db_url)
    assert "older storydiff schema" in str(refused.value)
    assert "storydiff db upgrade --db " in str(refused.value)
    assert main(["search", "bridge", "--db", db_url]) == 2
    assert "storydiff db upgrade" in capsys.readouterr().err
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert f"0001 -> {migrate.head()}" in capsys.readouterr().out
    assert main(["db", "upgrade", "--db", db_url]) == 0
    assert "up to date" in capsys.readouterr().out
    with open_store(db_url) as store:
        assert [h.id for h in store.search("bridge")] == ["old1:q1"]  # the upgrade indexed it


def test_newer_schema_is_refused(db_url: str) -> None:
    with open_store(db_url):
        pass
    engine = create_engine(resolve_url(db_url))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = 'f00d_from_the_future'"))
    engine.dispose()
    with pytest.raises(SchemaError, match="newer storydiff.*pip install -U storydiff"):
        open_store(db_url)
    with Store(db_url, check_schema=False) as store, pytest.raises(SchemaError, match="newer storydiff"):
        store.upgrade()


def test_a_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE customers (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(SchemaError, match="not a storydiff database"):
        open_store(str(path))


def test_new_database_is_created_at_head(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.schema_revision() == (migrate.head(), migrate.head())


def test_migrations_go_down_and_up_again(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_articles(
            [
                make_article(
                    "d1", 'Kari Holm said "we build the road".', quotes=[("we build the road", "Kari Holm")]
                )
            ]
        )
        with write_transaction(store.engine) as conn:
            from alembic import command

            command.downgrade(migrate.config(conn), "0001")
        with pytest.raises(SchemaError):
            open_store(db_url)
        assert store.upgrade() == ("0001", migrate.head())
        assert [h.id for h in store.search("road")] == ["d1:q1"]


def test_upgrade_from_0004_keeps_links_then_stores_quote_alignments(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0005 added `alignment_quotes`: a 0004 database keeps its links through the upgrade, and
    the next save stores the speaker conflicts that 0004 left out."""
    from storydiff.store import schema as t
    from storydiff.store import writing

    analysis = misattributed_pair()
    # what 0004 knew of alignments: no confidence (0006)
    claim_alignments = [
        replace(al, confidence=None) for al in analysis.alignments if all(":c" in m for m in al.members)
    ]
    assert claim_alignments and len(claim_alignments) < len(analysis.alignments)
    _at_revision(db_url, "0004")
    with Store(db_url, check_schema=False) as old, monkeypatch.context() as m:
        # 0004 had no link queue (0009)
        m.setattr(writing, "queue_links", lambda conn, articles: None)
        m.setattr(writing, "requeue_links", lambda conn, filed: None)
        old.add_articles(analysis.articles)
        # What storydiff at 0004 saved: every link but the alignments of quotes.
        m.setattr(t, "CROSS_ARTICLE", tuple(x for x in t.CROSS_ARTICLE if x is not t.alignment_quotes))
        old.save_links(replace(analysis, alignments=claim_alignments))
        assert old.upgrade() == ("0004", migrate.head())
    with open_store(db_url) as store:
        kept = store.load_analysis()
        assert kept.alignments == claim_alignments
        assert (kept.stories, kept.quote_links, kept.entities) == (
            analysis.stories,
            analysis.quote_links,
            analysis.entities,
        )
        store.save_links(analysis)
        assert store.load_analysis().alignments == analysis.alignments
        # Down again: the alignments of quotes go with their table, the others stay.
        with write_transaction(store.engine) as conn:
            from alembic import command

            command.downgrade(migrate.config(conn), "0004")
            assert conn.scalar(sa.select(sa.func.count()).select_from(t.alignments)) == len(claim_alignments)
        assert store.upgrade() == ("0004", migrate.head())
        assert store.load_analysis().alignments == claim_alignments


def test_upgrade_to_0009_queues_what_the_next_run_must_link(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0009 added the link queue: a store linked before it upgrades with its unlinked articles
    (and superseded versions still in a story) queued, so the next run files them."""
    from storydiff.model import Analysis, Story
    from storydiff.store import writing

    first = make_article("u1", "The bridge reopens on Monday.", url="https://wire.example/bridge")
    second = make_article("u2", "The harbour stays closed.", url="https://post.example/harbour")
    again = make_article("u1b", "The bridge reopens on Tuesday.", url="https://wire.example/bridge")
    _at_revision(db_url, "0008")
    with Store(db_url, check_schema=False) as old, monkeypatch.context() as m:
        m.setattr(writing, "queue_links", lambda conn, articles: None)
        m.setattr(writing, "requeue_links", lambda conn, filed: None)
        old.add_articles([first, second])
        old.save_links(Analysis(articles=[first, second], stories=[Story("s1", ["u1"])]))
        old.add_articles([again])  # supersedes u1, which story s1 holds
        assert old.upgrade() == ("0008", migrate.head())
    with open_store(db_url) as store:
        todo, _ = store.link_plan(None)
        assert todo.unlinked == ["u2", "u1b"] and todo.superseded == ["u1"] and todo.stale == {"s1"}
