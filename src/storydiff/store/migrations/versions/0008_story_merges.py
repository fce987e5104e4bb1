"""Story merges: when two stories turn out to be one, the id that goes is recorded with the id it
went into, so links to it (bookmarks, the app's URLs) still resolve.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 00:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "story_merges",
        sa.Column("story", sa.String(length=64), nullable=False),
        sa.Column("into", sa.String(length=64), nullable=False),
        sa.Column("merged_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("story", name=op.f("pk_story_merges")),
    )


def downgrade() -> None:
    op.drop_table("story_merges")
