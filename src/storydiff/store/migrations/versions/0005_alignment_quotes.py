"""Alignment quotes: alignments whose members are quotes (one quote given to different speakers).

Until now `alignment_claims` was an alignment's only member table, with a foreign key to
`claims`, so saving the linker's speaker conflicts (discrepant alignments of quote ids) left
them out. `alignment_quotes` holds such members; `n` numbers an alignment's members across both
tables. Rows already stored are kept as they are; the conflicts dropped before this revision
come back when the store is next linked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alignment_quotes",
        sa.Column("alignment", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("quote", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["alignment"], ["alignments.id"], name=op.f("fk_alignment_quotes_alignment_alignments")
        ),
        sa.ForeignKeyConstraint(["quote"], ["quotes.id"], name=op.f("fk_alignment_quotes_quote_quotes")),
        sa.PrimaryKeyConstraint("alignment", "n", name=op.f("pk_alignment_quotes")),
    )
    with op.batch_alter_table("alignment_quotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alignment_quotes_quote"), ["quote"], unique=False)


def downgrade() -> None:
    # Alignments of quotes only would be left without members: drop them too.
    only_quotes = sa.text(
        "SELECT DISTINCT alignment FROM alignment_quotes "
        "WHERE alignment NOT IN (SELECT alignment FROM alignment_claims)"
    )
    orphans = list(op.get_bind().execute(only_quotes).scalars())
    with op.batch_alter_table("alignment_quotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignment_quotes_quote"))
    op.drop_table("alignment_quotes")
    if orphans:
        alignments = sa.table("alignments", sa.column("id", sa.Integer()))
        op.execute(alignments.delete().where(alignments.c.id.in_(orphans)))
