"""Linking runs with one BLAS thread (`storydiff.run.blas`)."""

from __future__ import annotations

import pytest

from storydiff.run.blas import one_blas_thread

threadpoolctl = pytest.importorskip("threadpoolctl")


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpoolctl.threadpool_info() if lib["user_api"] == "blas"}


def test_one_blas_thread_inside_and_the_count_restored_after() -> None:
    before = _blas_threads()
    with one_blas_thread():
        assert _blas_threads() <= {1}
    assert _blas_threads() == before


def test_link_runs_with_one_blas_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import storydiff.link as link_module
    from storydiff.model import Analysis

    seen: list[set[int]] = []
    monkeypatch.setattr(link_module, "link_entities", lambda *a: seen.append(_blas_threads()) or [])
    link_module.link(Analysis(articles=[]), embedder=_NoEmbedder())
    assert seen and seen[0] <= {1}


class _NoEmbedder:
    name = "none"

    def encode(self, texts: list[str]) -> object:
        raise AssertionError("nothing to embed")
