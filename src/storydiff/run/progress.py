"""Progress on stderr while articles are analysed: a live bar when stderr is a terminal (rich),
nothing otherwise; the caller always prints a closing summary line."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

from storydiff.model import Article, Skipped


def is_failure(item: Skipped) -> bool:
    """Failed (the analysis crashed on it) rather than skipped (unreadable or empty input)."""
    return item.reason.startswith("failed")


class Progress:
    """Counts articles, skipped and failed inputs; shows a live line when `enabled`."""

    def __init__(self, enabled: bool | None = None, total: int | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total = total
        self.articles = 0
        self.skipped = 0
        self.failed = 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._bar = Bar(
                TextColumn("analysing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]} articles/s"),
                TextColumn("skipped {task.fields[skipped]} failed {task.fields[failed]}"),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.__enter__()
            self._task = self._bar.add_task("analyse", total=self.total, rate="-", skipped=0, failed=0)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)

    def _refresh(self) -> None:
        if self._bar is None:
            return
        task = self._bar.tasks[0]
        rate = f"{task.speed:.1f}" if task.speed else "-"
        done = self.articles + self.skipped + self.failed
        self._bar.update(self._task, completed=done, rate=rate, skipped=self.skipped, failed=self.failed)

    def article(self, article: Article) -> None:
        self.articles += 1
        self._refresh()

    def skip(self, item: Skipped) -> None:
        if is_failure(item):
            self.failed += 1
        else:
            self.skipped += 1
        self._refresh()
