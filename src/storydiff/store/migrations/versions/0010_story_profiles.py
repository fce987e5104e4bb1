"""Story profiles: what filing an article into the story index reads of it, kept by the run that
first files it, so later runs file the window's stored articles without reading them again. An
upgraded store starts with none: each run computes and keeps those it files.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_profiles",
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["articles.id"], name=op.f("fk_story_profiles_article_articles")
        ),
        sa.PrimaryKeyConstraint("article", name=op.f("pk_story_profiles")),
    )


def downgrade() -> None:
    op.drop_table("story_profiles")
