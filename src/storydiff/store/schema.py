"""The store's tables (SQLAlchemy Core), the same for SQLite and PostgreSQL.

Per-article findings (articles, mentions, quotes, claims, search documents) are written once per
article version and never change afterwards. Cross-article results (entities and which mentions and
speakers they cover, stories, quote links, alignments) are replaced as a whole each time the
store's corpus is linked again.

Only the full-text index differs between the two databases; it is created by the migrations, not
here: an FTS5 table `search_fts` over `search_docs` on SQLite, a generated `tsvector` column with a
GIN index on PostgreSQL.

Alembic's migrations (`storydiff/store/migrations/versions`) are the source of truth for existing
databases; `tests/store/test_migrations.py` checks that they build exactly these tables.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("storydiff_version", sa.String(40), nullable=False),
    sa.Column("model", sa.String(200), nullable=True),
    sa.Column("settings", sa.JSON, nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("finished_at", sa.DateTime, nullable=True),
    sa.Column("status", sa.String(20), nullable=False),  # running | done | failed
    sa.Column("articles_added", sa.Integer, nullable=False, server_default="0"),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),  # model.article_id(path, raw)
    sa.Column("seq", sa.Integer, nullable=False, unique=True),  # order stored: reports keep it
    # What makes two texts versions of one article: its URL (or a plain file's path); None = none.
    sa.Column("doc_key", sa.Text, nullable=True, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("is_latest", sa.Boolean, nullable=False),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),  # sha256 of cleaned text
    sa.Column("path", sa.Text, nullable=True),
    sa.Column("url", sa.Text, nullable=True),
    sa.Column("outlet", sa.Text, nullable=True, index=True),
    sa.Column("outlet_source", sa.String(40), nullable=True),
    sa.Column("title", sa.Text, nullable=True),
    sa.Column("published", sa.String(64), nullable=True),  # isoformat as given (keeps its offset)
    sa.Column("published_at", sa.DateTime, nullable=True, index=True),  # the same, in naive UTC
    sa.Column("language", sa.String(16), nullable=False),
    sa.Column("raw", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("offsets", sa.JSON, nullable=False),
    sa.Column("paragraphs", sa.JSON, nullable=False),
    sa.Column("dateline", sa.JSON, nullable=True),
    sa.Column("boilerplate", sa.JSON, nullable=False),
    sa.Column("warnings", sa.JSON, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("runs.id"), nullable=True, index=True),  # a run's count
    # when stored; stands in for `published_at` in the time window when that is missing
    sa.Column("added_at", sa.DateTime, nullable=False, index=True),
    sa.UniqueConstraint("doc_key", "version"),
)

# What the next incremental link must file: latest versions no story holds yet, and superseded
# versions still in a story (which is rebuilt). Written with the articles and emptied by the links
# that file them, so a run finds its work without reading the archive (migration 0009).
pending_links = sa.Table(
    "pending_links",
    metadata,
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), primary_key=True),
)

# Another id for an article already stored: same version key and same cleaned text, different raw.
article_aliases = sa.Table(
    "article_aliases",
    metadata,
    sa.Column("alias", sa.String(64), primary_key=True),
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), nullable=False),
)

mentions = sa.Table(
    "mentions",
    metadata,
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("label", sa.String(20), nullable=False),
    sa.Column("canonical", sa.Text, nullable=False),
)

speakers = sa.Table(
    "speakers",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False, unique=True),  # canonical name as extracted
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("n", sa.Integer, nullable=False),  # order within the article
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("cue", sa.Text, nullable=True),
    sa.Column("cue_start", sa.Integer, nullable=True),
    sa.Column("cue_end", sa.Integer, nullable=True),
    sa.Column("speaker_id", sa.Integer, sa.ForeignKey("speakers.id"), nullable=True, index=True),
    sa.Column("speaker_name", sa.Text, nullable=True),
    sa.Column("speaker_how", sa.String(20), nullable=False),
    sa.Column("speaker_mention_start", sa.Integer, nullable=True),
    sa.Column("speaker_mention_end", sa.Integer, nullable=True),
    sa.Column("speaker_mention_text", sa.Text, nullable=True),
    sa.Column("speaker_role", sa.Text, nullable=True),
    # quoted pieces of an interrupted quote, as "start-end,start-end"; null when all is quoted
    sa.Column("parts", sa.Text, nullable=True),
    # how likely a reader would agree the quote is someone's words (0-1; migration 0007)
    sa.Column("confidence", sa.Float, nullable=True),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("id", sa.String(100), primary_key=True),
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("values", sa.JSON, nullable=False),
)

entities = sa.Table(
    "entities",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False, index=True),  # a run matches its entities by name
    sa.Column("type", sa.String(20), nullable=False),
)

entity_aliases = sa.Table(
    "entity_aliases",
    metadata,
    sa.Column("entity", sa.String(64), sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("alias", sa.Text, nullable=False),
)

entity_articles = sa.Table(
    "entity_articles",
    metadata,
    sa.Column("entity", sa.String(64), sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), nullable=False, index=True),
)

# The linker's entity for a mention or a quote's speaker (cross-article, replaced as a whole).
mention_entities = sa.Table(
    "mention_entities",
    metadata,
    sa.Column("article", sa.String(64), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("entity", sa.String(64), sa.ForeignKey("entities.id"), nullable=False, index=True),
    sa.ForeignKeyConstraint(["article", "n"], ["mentions.article", "mentions.n"]),
)

speaker_entities = sa.Table(
    "speaker_entities",
    metadata,
    sa.Column("quote", sa.String(100), sa.ForeignKey("quotes.id"), primary_key=True),
    sa.Column("entity", sa.String(64), sa.ForeignKey("entities.id"), nullable=False, index=True),
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("n", sa.Integer, nullable=False, index=True),  # order; a new story takes max + 1
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column("story", sa.String(64), sa.ForeignKey("stories.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), nullable=False, index=True),
)

# A story id that went into another when the two turned out to be one (kept across relinks).
story_merges = sa.Table(
    "story_merges",
    metadata,
    sa.Column("story", sa.String(64), primary_key=True),
    sa.Column("into", sa.String(64), nullable=False),
    sa.Column("merged_at", sa.DateTime, nullable=False),
)

quote_links = sa.Table(
    "quote_links",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),  # order in the analysis
    sa.Column("relation", sa.String(20), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
)

quote_link_members = sa.Table(
    "quote_link_members",
    metadata,
    sa.Column("link", sa.Integer, sa.ForeignKey("quote_links.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("quote", sa.String(100), sa.ForeignKey("quotes.id"), nullable=False, index=True),
)

alignments = sa.Table(
    "alignments",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("story", sa.String(64), sa.ForeignKey("stories.id"), nullable=False, index=True),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("detail", sa.Text, nullable=True),
    sa.Column("confidence", sa.Float, nullable=True),
)

alignment_claims = sa.Table(
    "alignment_claims",
    metadata,
    sa.Column("alignment", sa.Integer, sa.ForeignKey("alignments.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("claim", sa.String(100), sa.ForeignKey("claims.id"), nullable=False, index=True),
)

# Alignment members that are quotes rather than claims: the linker's speaker conflicts (one quote
# given to different speakers by different outlets) align the quotes themselves. `n` numbers an
# alignment's members across `alignment_claims` and `alignment_quotes` together, so their order
# survives.
alignment_quotes = sa.Table(
    "alignment_quotes",
    metadata,
    sa.Column("alignment", sa.Integer, sa.ForeignKey("alignments.id"), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("quote", sa.String(100), sa.ForeignKey("quotes.id"), nullable=False, index=True),
)

# One row per searchable quote or claim; the full-text index (FTS5 / tsvector) is built over `body`.
search_docs = sa.Table(
    "search_docs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(10), nullable=False),  # quote | claim
    sa.Column("ref", sa.String(100), nullable=False),  # quotes.id or claims.id
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), nullable=False, index=True),
    sa.Column("body", sa.Text, nullable=False),
    sa.UniqueConstraint("kind", "ref"),
)

# `Analysis.settings` of the stored cross-article results (spaCy pipeline, embedder, ...).
analysis_settings = sa.Table(
    "analysis_settings",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# Sentence vectors the linker asked for, by embedder and text: relinking embeds only new texts.
embeddings = sa.Table(
    "embeddings",
    metadata,
    sa.Column("model", sa.String(100), primary_key=True),
    sa.Column("key", sa.String(64), primary_key=True),  # sha256 of the text
    sa.Column("vector", sa.LargeBinary, nullable=False),  # float32, little-endian
)

# What filing an article into the story index reads of it (`storydiff.link.stories.Profile`: term
# frequencies, names, facets), kept by the run that first files it, so that later runs file the
# window's stored articles without reading and profiling them again (migration 0010). `version`:
# the profile code's (`PROFILE_VERSION`); a row of another version is computed again and replaced.
story_profiles = sa.Table(
    "story_profiles",
    metadata,
    sa.Column("article", sa.String(64), sa.ForeignKey("articles.id"), primary_key=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("profile", sa.JSON, nullable=False),
)

# Tables in an order that respects foreign keys (for deletes, reverse it).
CROSS_ARTICLE = (
    analysis_settings,
    entities,
    entity_aliases,
    entity_articles,
    mention_entities,
    speaker_entities,
    stories,
    story_articles,
    quote_links,
    quote_link_members,
    alignments,
    alignment_claims,
    alignment_quotes,
)
