"""The library's one obvious entry point: `analyze(inputs) -> Analysis`.

ingest -> clean -> parse (spaCy, in batches) -> extract, per article (`run.executors.process_batch`,
inline, on a process pool or on Ray); then link across articles, in one place.
The CLI, the store and the web app are shells around this.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import BinaryIO

from storydiff.ingest import Limits, check_inputs, read_inputs
from storydiff.link import link
from storydiff.model import Analysis, Article, RawDocument, Skipped, document_id, where
from storydiff.run.executors import DEFAULT_TIME_LIMIT, WorkSettings, batched, get_executor

log = logging.getLogger("storydiff")

ArticleCallback = Callable[[Article], None]
SkippedCallback = Callable[[Skipped], None]
# Given an article id, the article as already analysed (e.g. `Store.stored_article`), or None.
ResumeLookup = Callable[[str], Article | None]

# Documents per unit of work: big enough for spaCy's batching, small enough to isolate failures.
BATCH = 16


def _documents(items: Iterable[RawDocument | Skipped], skip: SkippedCallback) -> Iterator[RawDocument]:
    """The readable documents; what a reader could not read goes to `skip`."""
    for item in items:
        if isinstance(item, Skipped):
            skip(item)
            continue
        for warning in item.warnings:
            log.warning("%s", warning)
        yield item


# --- resume (issue #4, store): skip documents already analysed, before the expensive parse ---
def _resumable(
    documents: Iterable[RawDocument],
    resume: ResumeLookup | None,
    done: list[tuple[int, Article]],
    fresh: deque[int],
) -> Iterator[RawDocument]:
    """Documents still to analyse; those `resume` knows go to `done` with their input position."""
    for position, doc in enumerate(documents):
        stored = resume(document_id(doc)) if resume is not None else None
        if stored is not None:
            done.append((position, stored))
            continue
        fresh.append(position)
        yield doc


# --- end resume ---


def run_documents(
    documents: Iterable[RawDocument | Skipped],
    *,
    outlet: str | None = None,
    model: str | None = None,
    engine: str = "inline",
    workers: int | None = None,
    address: str | None = None,
    on_article: ArticleCallback | None = None,
    on_skipped: SkippedCallback | None = None,
    resume: ResumeLookup | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    linked: bool = True,
) -> Analysis:
    """Per-article work on an executor (inline, pool or ray), then cross-article linking (unless
    `linked` is False: training scripts link their own way).

    With `resume`, a document whose article it returns is taken as is (not parsed again, and not
    passed to `on_article`); articles stay in input order either way. An article that takes more
    than `time_limit` seconds (None: no limit) is given up and reported in `Analysis.skipped`.
    """
    from storydiff.nlp import model_name

    analysis = Analysis(settings={"spacy_model": model_name(model)})
    executor = get_executor(engine, workers, address)
    settings = WorkSettings(outlet=outlet, model=model, time_limit=time_limit)
    done: list[tuple[int, Article]] = []
    fresh: deque[int] = deque()  # input positions of the documents sent to the executor, in order

    def skip(item: Skipped) -> None:
        log.warning("skipped %s: %s", item.path, item.reason)
        analysis.skipped.append(item)
        if on_skipped is not None:
            on_skipped(item)

    todo = _resumable(_documents(documents, skip), resume, done, fresh)
    for result in executor.run(batched(todo, BATCH), settings):
        position = fresh.popleft()  # executors yield one result per document, in input order
        if isinstance(result, Skipped):
            skip(result)
            continue
        done.append((position, result))
        if on_article is not None:
            on_article(result)
    analysis.articles = [article for _, article in sorted(done, key=lambda pair: pair[0])]
    return link(analysis) if linked else analysis


def analyze(
    inputs: Sequence[str],
    *,
    outlet: str | None = None,
    model: str | None = None,
    stdin: BinaryIO | None = None,
    columns: Mapping[str, str] | None = None,
    limits: Limits | None = None,
    engine: str = "inline",
    workers: int | None = None,
    address: str | None = None,
    on_article: ArticleCallback | None = None,
    on_skipped: SkippedCallback | None = None,
    resume: ResumeLookup | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> Analysis:
    """Analyse files, folders or `-` (stdin) into one `Analysis`.

    Raises `storydiff.ingest.InputNotFound` before reading anything if a path is missing.
    Unreadable inputs (binary, empty, undecodable) end up in `Analysis.skipped`. `columns` maps
    report fields to CSV columns; `limits` bounds article and decompressed sizes; `time_limit`
    bounds the seconds one article may take.
    """
    check_inputs(inputs)
    return run_documents(
        read_inputs(inputs, stdin=stdin, columns=columns, limits=limits),
        outlet=outlet,
        model=model,
        engine=engine,
        workers=workers,
        address=address,
        on_article=on_article,
        on_skipped=on_skipped,
        resume=resume,
        time_limit=time_limit,
    )


def analyze_texts(texts: Sequence[str], *, outlet: str | None = None, model: str | None = None) -> Analysis:
    """Analyse in-memory texts (one article each); convenient from notebooks and tests."""
    docs = [RawDocument(text=t, path=None) for t in texts]
    return run_documents(docs, outlet=outlet, model=model)


__all__ = ["analyze", "analyze_texts", "run_documents", "where"]
