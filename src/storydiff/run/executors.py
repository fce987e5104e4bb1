"""Run the per-article work inline, on a process pool, or on Ray: same function, same findings.

The unit of work is a batch of `RawDocument`s; `process_batch` (pure: clean, parse, extract) turns
it into `Article`s, or `Skipped` entries for documents that failed. Executors only decide where
that function runs; they yield results in input order, so every engine gives the same report.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from storydiff.model import Article, RawDocument, Skipped

log = logging.getLogger("storydiff")

Result = Article | Skipped


@dataclass(frozen=True, slots=True)
class WorkSettings:
    outlet: str | None = None
    model: str | None = None


def where(doc: RawDocument) -> str:
    """How a document is named to the user: its file, and its line inside JSONL/CSV."""
    path = doc.path or "-"
    return path if doc.line is None else f"{path}:{doc.line}"


def process_batch(docs: Sequence[RawDocument], settings: WorkSettings) -> list[Result]:
    """Clean, parse and extract each document; one that raises becomes `Skipped`, not a crash."""
    from storydiff import nlp
    from storydiff.clean import clean
    from storydiff.extract import extract

    pipeline = nlp.load(settings.model)
    cleaned: list[Result] = []
    for doc in docs:
        try:
            article = clean(doc, outlet=settings.outlet)
        except Exception as e:  # a bad document must not take its batch down
            cleaned.append(Skipped(where(doc), f"failed while cleaning: {type(e).__name__}: {e}"))
            continue
        if not article.text.strip():
            cleaned.append(Skipped(where(doc), "no text left after cleaning"))
        else:
            cleaned.append(article)
    articles = [a for a in cleaned if isinstance(a, Article)]
    parsed = pipeline.pipe((a.text for a in articles), batch_size=nlp.BATCH_SIZE)
    out: list[Result] = []
    for item in cleaned:
        if isinstance(item, Skipped):
            out.append(item)
            continue
        doc_ = next(parsed)
        try:
            out.append(extract(item, doc_))
        except Exception as e:
            out.append(Skipped(item.path or item.id, f"failed while extracting: {type(e).__name__}: {e}"))
    return out


def batched(items: Iterable[RawDocument], size: int) -> Iterator[list[RawDocument]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


class Executor(Protocol):
    name: str

    def run(self, batches: Iterable[list[RawDocument]], settings: WorkSettings) -> Iterator[Result]: ...


class InlineExecutor:
    """Everything in this process: the simplest, and the reference for the others."""

    name = "inline"

    def run(self, batches: Iterable[list[RawDocument]], settings: WorkSettings) -> Iterator[Result]:
        for batch in batches:
            yield from process_batch(batch, settings)


def _warm(settings: WorkSettings) -> None:
    from storydiff import nlp

    nlp.load(settings.model)  # once per worker, not once per batch


class PoolExecutor:
    """A local process pool; spaCy is loaded once per worker.

    A batch whose worker dies (a C-level crash, the OOM killer) is retried one document at a time
    in a fresh pool, so only the document that kills its worker is reported as failed.
    """

    name = "pool"

    def __init__(self, workers: int | None = None, in_flight: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.in_flight = in_flight or 2 * self.workers  # bounded: memory stays flat on big corpora

    def _pool(self, settings: WorkSettings) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, initializer=_warm, initargs=(settings,))

    def run(self, batches: Iterable[list[RawDocument]], settings: WorkSettings) -> Iterator[Result]:
        pool = self._pool(settings)
        pending: deque[tuple[list[RawDocument], Future[list[Result]]]] = deque()
        source = iter(batches)
        try:
            while True:
                while len(pending) < self.in_flight and (batch := next(source, None)) is not None:
                    pending.append((batch, pool.submit(process_batch, batch, settings)))
                if not pending:
                    return
                batch, future = pending.popleft()
                try:
                    yield from future.result()
                except BrokenProcessPool:
                    # Every batch still in flight is lost with the pool: redo them one by one.
                    lost = [batch] + [b for b, _ in pending]
                    pending.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool(settings)
                    for b in lost:
                        for doc in b:
                            result, pool = self._isolated(doc, settings, pool)
                            yield from result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _isolated(
        self, doc: RawDocument, settings: WorkSettings, pool: ProcessPoolExecutor
    ) -> tuple[list[Result], ProcessPoolExecutor]:
        try:
            return pool.submit(process_batch, [doc], settings).result(), pool
        except BrokenProcessPool:
            log.warning("%s: the worker crashed on this article; it is reported as failed", where(doc))
            pool.shutdown(wait=False, cancel_futures=True)
            return [Skipped(where(doc), "failed: the worker process crashed on it")], self._pool(settings)


class RayExecutor:
    """Ray tasks: a local Ray started here (with `workers` CPUs) or an existing cluster by address.

    Workers are reused between tasks, so spaCy loads once per worker. A task whose worker dies is
    retried one document at a time, so only the document that kills it is reported as failed.
    """

    name = "ray"

    def __init__(
        self, address: str | None = None, workers: int | None = None, in_flight: int | None = None
    ) -> None:
        self.address = address
        self.workers = workers or os.cpu_count() or 1
        self.in_flight = in_flight or 2 * self.workers

    def run(self, batches: Iterable[list[RawDocument]], settings: WorkSettings) -> Iterator[Result]:
        try:
            import ray
        except ModuleNotFoundError as e:
            raise RuntimeError("--engine ray needs Ray: pip install 'storydiff[ray]'") from e
        started_here = not ray.is_initialized()
        if started_here:
            if self.address:
                ray.init(address=self.address, log_to_driver=False)
            else:
                ray.init(num_cpus=self.workers, include_dashboard=False, log_to_driver=False)
        task = ray.remote(max_retries=0)(process_batch)
        pending: deque[tuple[list[RawDocument], Any]] = deque()
        source = iter(batches)
        try:
            while True:
                while len(pending) < self.in_flight and (batch := next(source, None)) is not None:
                    pending.append((batch, task.remote(batch, settings)))
                if not pending:
                    return
                batch, ref = pending.popleft()
                try:
                    yield from ray.get(ref)
                except ray.exceptions.RayError:
                    for doc in batch:
                        try:
                            yield from ray.get(task.remote([doc], settings))
                        except ray.exceptions.RayError as e:
                            log.warning("%s: the Ray worker failed on this article: %s", where(doc), e)
                            reason = f"failed: the worker crashed on it ({type(e).__name__})"
                            yield Skipped(where(doc), reason)
        finally:
            if started_here:
                ray.shutdown()


ENGINES = ("inline", "pool", "ray")


def get_executor(engine: str = "inline", workers: int | None = None, address: str | None = None) -> Executor:
    if engine == "inline" or (engine == "pool" and workers == 1):
        return InlineExecutor()
    if engine == "pool":
        return PoolExecutor(workers)
    if engine == "ray":
        return RayExecutor(address, workers)
    raise ValueError(f"unknown engine {engine!r} ({', '.join(ENGINES)})")
