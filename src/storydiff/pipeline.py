"""The library's one obvious entry point: `analyze(inputs) -> Analysis`.

ingest -> clean -> parse (spaCy, in batches) -> extract, per article; then link across articles.
The CLI, the store and the web app are shells around this.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

from storydiff import nlp
from storydiff.clean import clean
from storydiff.extract import extract
from storydiff.ingest import check_inputs, read_inputs
from storydiff.link import link
from storydiff.model import Analysis, Article, RawDocument, Skipped

log = logging.getLogger("storydiff")

ArticleCallback = Callable[[Article], None]


def clean_all(
    items: Iterable[RawDocument | Skipped], outlet: str | None, skipped: list[Skipped]
) -> Iterator[Article]:
    """Clean each readable document; what cannot be analysed is appended to `skipped`."""
    for item in items:
        if isinstance(item, Skipped):
            log.warning("skipped %s: %s", item.path, item.reason)
            skipped.append(item)
            continue
        where = item.path if item.line is None else f"{item.path}:{item.line}"
        for warning in item.warnings:
            log.warning("%s", warning)
        article = clean(item, outlet=outlet)
        if not article.text.strip():
            reason = "no text left after cleaning"
            log.warning("skipped %s: %s", where, reason)
            skipped.append(Skipped(path=where or "-", reason=reason))
            continue
        yield article


def extract_all(articles: Iterable[Article], model: str | None = None) -> Iterator[Article]:
    """Parse and extract per article, streaming (spaCy batches keep memory flat)."""
    pipeline = nlp.load(model)
    pairs = ((a.text, a) for a in articles)
    for doc, article in pipeline.pipe(pairs, as_tuples=True, batch_size=nlp.BATCH_SIZE):
        yield extract(article, doc)


def analyze(
    inputs: Sequence[str],
    *,
    outlet: str | None = None,
    model: str | None = None,
    stdin: BinaryIO | None = None,
    on_article: ArticleCallback | None = None,
) -> Analysis:
    """Analyse files, folders or `-` (stdin) into one `Analysis`.

    Raises `storydiff.ingest.InputNotFound` before reading anything if a path is missing.
    Unreadable inputs (binary, empty, undecodable) end up in `Analysis.skipped`.
    """
    check_inputs(inputs)
    analysis = Analysis()
    cleaned = clean_all(read_inputs(inputs, stdin=stdin), outlet, analysis.skipped)
    for article in extract_all(cleaned, model):
        analysis.articles.append(article)
        if on_article is not None:
            on_article(article)
    return link(analysis)


def analyze_texts(texts: Sequence[str], *, outlet: str | None = None, model: str | None = None) -> Analysis:
    """Analyse in-memory texts (one article each); convenient from notebooks and tests."""
    analysis = Analysis()
    docs = (RawDocument(text=t, path=None) for t in texts)
    for article in extract_all(clean_all(docs, outlet, analysis.skipped), model):
        analysis.articles.append(article)
    return link(analysis)
