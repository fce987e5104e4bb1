"""What an incremental link reads costs what is new, not the archive's size: a queue of the
articles a run must file (new latest versions, and superseded ones whose stories are stale), and
indexes for the time window (`added_at`, when `published_at` is missing), for matching entities
by name, for the next story's place (`stories.n`) and for counting a run's articles.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pending_links",
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["article"], ["articles.id"], name=op.f("fk_pending_links_article_articles")),
        sa.PrimaryKeyConstraint("article", name=op.f("pk_pending_links")),
    )
    op.create_index(op.f("ix_articles_added_at"), "articles", ["added_at"], unique=False)
    op.create_index(op.f("ix_articles_run_id"), "articles", ["run_id"], unique=False)
    op.create_index(op.f("ix_entities_name"), "entities", ["name"], unique=False)
    op.create_index(op.f("ix_stories_n"), "stories", ["n"], unique=False)
    # What a store linked before this revision left to do: latest articles in no story, and
    # superseded versions still in one.
    op.execute(
        "INSERT INTO pending_links (article) SELECT id FROM articles WHERE is_latest = true AND NOT EXISTS "
        "(SELECT 1 FROM story_articles WHERE story_articles.article = articles.id)"
    )
    op.execute(
        "INSERT INTO pending_links (article) SELECT id FROM articles WHERE is_latest = false AND EXISTS "
        "(SELECT 1 FROM story_articles WHERE story_articles.article = articles.id)"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_stories_n"), table_name="stories")
    op.drop_index(op.f("ix_entities_name"), table_name="entities")
    op.drop_index(op.f("ix_articles_run_id"), table_name="articles")
    op.drop_index(op.f("ix_articles_added_at"), table_name="articles")
    op.drop_table("pending_links")
