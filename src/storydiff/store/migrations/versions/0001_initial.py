"""Initial schema: articles (versions), mentions, speakers, quotes, claims, entities, stories, links, runs.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 07:30:41.869560
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "analysis_settings",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_analysis_settings")),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    op.create_table(
        "quote_links",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("relation", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_links")),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("storydiff_version", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=True),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("articles_added", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
        sa.UniqueConstraint("name", name=op.f("uq_speakers_name")),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    op.create_table(
        "alignments",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("story", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["story"], ["stories.id"], name=op.f("fk_alignments_story_stories")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alignments")),
    )
    with op.batch_alter_table("alignments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alignments_story"), ["story"], unique=False)

    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("doc_key", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("is_latest", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("path", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("outlet", sa.Text(), nullable=True),
        sa.Column("outlet_source", sa.String(length=40), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("published", sa.String(length=64), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("dateline", sa.JSON(), nullable=True),
        sa.Column("boilerplate", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["runs.id"], name=op.f("fk_articles_run_id_runs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("doc_key", "version", name=op.f("uq_articles_doc_key")),
        sa.UniqueConstraint("seq", name=op.f("uq_articles_seq")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_doc_key"), ["doc_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_outlet"), ["outlet"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_published_at"), ["published_at"], unique=False)

    op.create_table(
        "entity_aliases",
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("alias", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entity"], ["entities.id"], name=op.f("fk_entity_aliases_entity_entities")),
        sa.PrimaryKeyConstraint("entity", "n", name=op.f("pk_entity_aliases")),
    )
    op.create_table(
        "article_aliases",
        sa.Column("alias", sa.String(length=64), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["articles.id"], name=op.f("fk_article_aliases_article_articles")
        ),
        sa.PrimaryKeyConstraint("alias", name=op.f("pk_article_aliases")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article"], ["articles.id"], name=op.f("fk_claims_article_articles")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_article"), ["article"], unique=False)

    op.create_table(
        "entity_articles",
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["articles.id"], name=op.f("fk_entity_articles_article_articles")
        ),
        sa.ForeignKeyConstraint(["entity"], ["entities.id"], name=op.f("fk_entity_articles_entity_entities")),
        sa.PrimaryKeyConstraint("entity", "n", name=op.f("pk_entity_articles")),
    )
    with op.batch_alter_table("entity_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_articles_article"), ["article"], unique=False)

    op.create_table(
        "mentions",
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("canonical", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["article"], ["articles.id"], name=op.f("fk_mentions_article_articles")),
        sa.PrimaryKeyConstraint("article", "n", name=op.f("pk_mentions")),
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.String(length=100), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cue", sa.Text(), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("speaker_name", sa.Text(), nullable=True),
        sa.Column("speaker_how", sa.String(length=20), nullable=False),
        sa.Column("speaker_mention_start", sa.Integer(), nullable=True),
        sa.Column("speaker_mention_end", sa.Integer(), nullable=True),
        sa.Column("speaker_mention_text", sa.Text(), nullable=True),
        sa.Column("speaker_role", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["article"], ["articles.id"], name=op.f("fk_quotes_article_articles")),
        sa.ForeignKeyConstraint(["speaker_id"], ["speakers.id"], name=op.f("fk_quotes_speaker_id_speakers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
    )
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quotes_article"), ["article"], unique=False)
        batch_op.create_index(batch_op.f("ix_quotes_speaker_id"), ["speaker_id"], unique=False)

    op.create_table(
        "story_articles",
        sa.Column("story", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["articles.id"], name=op.f("fk_story_articles_article_articles")
        ),
        sa.ForeignKeyConstraint(["story"], ["stories.id"], name=op.f("fk_story_articles_story_stories")),
        sa.PrimaryKeyConstraint("story", "n", name=op.f("pk_story_articles")),
    )
    with op.batch_alter_table("story_articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_story_articles_article"), ["article"], unique=False)

    op.create_table(
        "alignment_claims",
        sa.Column("alignment", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("claim", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["alignment"], ["alignments.id"], name=op.f("fk_alignment_claims_alignment_alignments")
        ),
        sa.ForeignKeyConstraint(["claim"], ["claims.id"], name=op.f("fk_alignment_claims_claim_claims")),
        sa.PrimaryKeyConstraint("alignment", "n", name=op.f("pk_alignment_claims")),
    )
    with op.batch_alter_table("alignment_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alignment_claims_claim"), ["claim"], unique=False)

    op.create_table(
        "mention_entities",
        sa.Column("article", sa.String(length=64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["article", "n"],
            ["mentions.article", "mentions.n"],
            name=op.f("fk_mention_entities_article_mentions"),
        ),
        sa.ForeignKeyConstraint(
            ["entity"], ["entities.id"], name=op.f("fk_mention_entities_entity_entities")
        ),
        sa.PrimaryKeyConstraint("article", "n", name=op.f("pk_mention_entities")),
    )
    with op.batch_alter_table("mention_entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mention_entities_entity"), ["entity"], unique=False)

    op.create_table(
        "quote_link_members",
        sa.Column("link", sa.Integer(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("quote", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["link"], ["quote_links.id"], name=op.f("fk_quote_link_members_link_quote_links")
        ),
        sa.ForeignKeyConstraint(["quote"], ["quotes.id"], name=op.f("fk_quote_link_members_quote_quotes")),
        sa.PrimaryKeyConstraint("link", "n", name=op.f("pk_quote_link_members")),
    )
    with op.batch_alter_table("quote_link_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quote_link_members_quote"), ["quote"], unique=False)

    op.create_table(
        "speaker_entities",
        sa.Column("quote", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity"], ["entities.id"], name=op.f("fk_speaker_entities_entity_entities")
        ),
        sa.ForeignKeyConstraint(["quote"], ["quotes.id"], name=op.f("fk_speaker_entities_quote_quotes")),
        sa.PrimaryKeyConstraint("quote", name=op.f("pk_speaker_entities")),
    )
    with op.batch_alter_table("speaker_entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_speaker_entities_entity"), ["entity"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("speaker_entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_speaker_entities_entity"))

    op.drop_table("speaker_entities")
    with op.batch_alter_table("quote_link_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quote_link_members_quote"))

    op.drop_table("quote_link_members")
    with op.batch_alter_table("mention_entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_entities_entity"))

    op.drop_table("mention_entities")
    with op.batch_alter_table("alignment_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignment_claims_claim"))

    op.drop_table("alignment_claims")
    with op.batch_alter_table("story_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_story_articles_article"))

    op.drop_table("story_articles")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quotes_speaker_id"))
        batch_op.drop_index(batch_op.f("ix_quotes_article"))

    op.drop_table("quotes")
    op.drop_table("mentions")
    with op.batch_alter_table("entity_articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_articles_article"))

    op.drop_table("entity_articles")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_article"))

    op.drop_table("claims")
    op.drop_table("article_aliases")
    op.drop_table("entity_aliases")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_published_at"))
        batch_op.drop_index(batch_op.f("ix_articles_outlet"))
        batch_op.drop_index(batch_op.f("ix_articles_doc_key"))
        batch_op.drop_index(batch_op.f("ix_articles_content_hash"))

    op.drop_table("articles")
    with op.batch_alter_table("alignments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alignments_story"))

    op.drop_table("alignments")
    op.drop_table("stories")
    op.drop_table("speakers")
    op.drop_table("runs")
    op.drop_table("quote_links")
    op.drop_table("entities")
    op.drop_table("analysis_settings")
