"""Run the per-article work inline, on a process pool, or on Ray: same function, same findings.

The unit of work is a batch of `RawDocument`s; `process_batch` (pure: clean, parse, extract) turns
it into `Article`s, or `Skipped` entries for documents that failed. Executors only decide where
that function runs; they yield results in input order, so every engine gives the same report.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any, Protocol

from storydiff.model import Article, RawDocument, Skipped, where

log = logging.getLogger("storydiff")

Result = Article | Skipped


# Seconds one article may take (clean, parse, extract) before it is given up as failed.
DEFAULT_TIME_LIMIT = 60.0
# Extra seconds a worker gets, on top of its batch's time limit, before the driver kills it: room
# for loading spaCy in a fresh worker and for a worker's own (signal-based) limit to fire first.
KILL_GRACE = 120.0


@dataclass(frozen=True, slots=True)
class WorkSettings:
    outlet: str | None = None
    model: str | None = None
    time_limit: float | None = DEFAULT_TIME_LIMIT  # per article; None: no limit

    def budget(self, articles: int) -> float | None:
        """Seconds the driver waits for a batch of `articles` before it kills the worker."""
        return None if self.time_limit is None else 2 * self.time_limit * articles + KILL_GRACE

    def too_slow(self, doc: RawDocument) -> Skipped:
        return Skipped(
            where(doc), f"failed: took longer than the time limit ({self.time_limit:g} s per article)"
        )


class ArticleTimeout(BaseException):
    """Raised by `deadline`; a BaseException so that no `except Exception` around an article eats it."""


@contextmanager
def deadline(seconds: float | None) -> Iterator[None]:
    """Raise `ArticleTimeout` in this thread after `seconds`, if this is a main thread on a POSIX system.

    Elsewhere (a web server's thread, Windows) it does nothing: the process pool and Ray executors
    also enforce the limit from the driver by killing the worker.
    """
    armed = (
        seconds is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not armed:
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise ArticleTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)  # type: ignore[arg-type]  # armed: not None
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process_batch(docs: Sequence[RawDocument], settings: WorkSettings) -> list[Result]:
    """Clean, parse and extract each document; one that raises becomes `Skipped`, not a crash.

    With `settings.time_limit`, a batch that overruns its budget (the limit times its size) is
    redone one document at a time, and a document that overruns the limit alone is `Skipped`.
    """
    if settings.time_limit is None:
        return _process(docs, settings)
    try:
        with deadline(settings.time_limit * len(docs)):
            return _process(docs, settings)
    except ArticleTimeout:
        if len(docs) == 1:
            log.warning("%s: gave up after %g s", where(docs[0]), settings.time_limit)
            return [settings.too_slow(docs[0])]
        return [result for doc in docs for result in process_batch([doc], settings)]


def _process(docs: Sequence[RawDocument], settings: WorkSettings) -> list[Result]:
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


def _warm(settings: WorkSettings, parent: int) -> None:
    from storydiff import nlp

    _die_with(parent)
    nlp.load(settings.model)  # once per worker, not once per batch


def _die_with(parent: int) -> None:
    """End this worker when the process that started it dies, even by SIGKILL (Linux), instead of
    waiting forever for work that will not come."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: workers end when the pool's pipe closes
        return
    if os.getppid() != parent:  # it died before the request took effect
        os._exit(1)


def _single_batch(
    batches: Iterable[list[RawDocument]],
) -> tuple[list[RawDocument] | None, Iterator[list[RawDocument]]]:
    """(the only batch, None) when the input is one batch, else (None, all batches again)."""
    source = iter(batches)
    first = next(source, None)
    second = next(source, None)
    if second is None:
        return first or [], iter(())
    return None, chain([first, second], source)  # type: ignore[list-item]  # first is set here


class PoolExecutor:
    """A local process pool; spaCy is loaded once per worker.

    A batch whose worker dies (a C-level crash, the OOM killer) or overruns its time budget (the
    worker is then killed) is redone one document at a time in a fresh pool, so only the document
    that kills or hangs its worker is reported as failed. An input of one batch runs in this
    process: starting workers would cost more than it saves.
    """

    name = "pool"

    def __init__(self, workers: int | None = None, in_flight: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.in_flight = in_flight or 2 * self.workers  # bounded: memory stays flat on big corpora

    def _pool(self, settings: WorkSettings) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, initializer=_warm, initargs=(settings, os.getpid())
        )

    def run(self, batches: Iterable[list[RawDocument]], settings: WorkSettings) -> Iterator[Result]:
        only, batches = _single_batch(batches)
        if only is not None:
            yield from process_batch(only, settings)
            return
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
                    # The oldest batch has started by now (the pool is FIFO), so its budget runs.
                    yield from future.result(timeout=settings.budget(len(batch)))
                except (BrokenProcessPool, FutureTimeout):
                    # Every batch still in flight is lost with the pool: redo them one by one.
                    lost = [batch] + [b for b, _ in pending]
                    pending.clear()
                    _kill(pool)
                    pool = self._pool(settings)
                    for doc in chain.from_iterable(lost):
                        result, pool = self._isolated(doc, settings, pool)
                        yield from result
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _isolated(
        self, doc: RawDocument, settings: WorkSettings, pool: ProcessPoolExecutor
    ) -> tuple[list[Result], ProcessPoolExecutor]:
        try:
            return pool.submit(process_batch, [doc], settings).result(timeout=settings.budget(1)), pool
        except BrokenProcessPool:
            log.warning("%s: the worker crashed on this article; it is reported as failed", where(doc))
            failed = Skipped(where(doc), "failed: the worker process crashed on it")
        except FutureTimeout:
            log.warning("%s: the worker hung on this article and was stopped", where(doc))
            failed = settings.too_slow(doc)
        _kill(pool)
        return [failed], self._pool(settings)


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now, even one whose worker is stuck in C code (shutdown alone would wait)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):  # no public API for it
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


class RayExecutor:
    """Ray tasks: a local Ray started here (with `workers` CPUs) or an existing cluster by address.

    Workers are reused between tasks, so spaCy loads once per worker. A task whose worker dies or
    overruns its time budget (it is then cancelled) is redone one document at a time, so only the
    document that kills or hangs it is reported as failed.
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
        failures = (ray.exceptions.RayError, ray.exceptions.GetTimeoutError)

        def result(ref: Any, articles: int) -> list[Result]:
            try:
                return ray.get(ref, timeout=settings.budget(articles))  # type: ignore[no-any-return]
            except ray.exceptions.GetTimeoutError:
                ray.cancel(ref, force=True)  # kills the worker stuck on it
                raise

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
                    yield from result(ref, len(batch))
                except failures:
                    for doc in batch:
                        try:
                            yield from result(task.remote([doc], settings), 1)
                        except ray.exceptions.GetTimeoutError:
                            log.warning("%s: the Ray worker hung on this article and was stopped", where(doc))
                            yield settings.too_slow(doc)
                        except ray.exceptions.RayError as e:
                            log.warning("%s: the Ray worker failed on this article: %s", where(doc), e)
                            yield Skipped(
                                where(doc), f"failed: the worker crashed on it ({type(e).__name__})"
                            )
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
