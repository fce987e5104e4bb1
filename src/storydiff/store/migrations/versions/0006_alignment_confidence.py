"""Alignment confidence: how sure the same-event model is that an alignment's members report one event.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("alignments", sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    # a plain ALTER (SQLite >= 3.35 has DROP COLUMN): batch mode would copy the table, and SQLite
    # refuses to drop the old one while alignment_claims points at it
    op.execute("ALTER TABLE alignments DROP COLUMN confidence")
