"""Quote confidence: how likely a reader would agree a quote is someone's words (issue 35).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 00:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("quotes", sa.Column("confidence", sa.Float(), nullable=True))


def downgrade() -> None:
    # a plain ALTER (SQLite >= 3.35 has DROP COLUMN), as 0006 does: batch mode would copy the
    # table, and SQLite refuses to drop the old one while other tables point at it
    op.execute("ALTER TABLE quotes DROP COLUMN confidence")
