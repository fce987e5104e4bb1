"""The embedder interface: every backend gives L2-normalised rows; the lexical one needs no model."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from storydiff.embed import Embedder, EmbedderUnavailable, HashingEmbedder, get_embedder


def _backends() -> list[Embedder]:
    out: list[Embedder] = [HashingEmbedder()]
    with contextlib.suppress(EmbedderUnavailable):
        out.append(get_embedder("onnx"))
    return out


@pytest.mark.parametrize("embedder", _backends(), ids=lambda e: e.name)
def test_rows_are_unit_vectors_and_similar_texts_score_higher(embedder: Embedder) -> None:
    texts = ["The two leaders signed 12 agreements.", "The leaders signed twelve agreements.",
             "Storms postponed the regatta on the lake.", ""]  # fmt: skip
    m = embedder.encode(texts)
    assert m.shape[0] == 4 and m.dtype == np.float32
    assert np.allclose(np.linalg.norm(m[:3], axis=1), 1.0, atol=1e-4)
    assert float(m[0] @ m[1]) > float(m[0] @ m[2])
    assert isinstance(embedder, Embedder) and embedder.name


def test_lexical_is_deterministic_and_order_independent() -> None:
    e = HashingEmbedder()
    a = e.encode(["Sergei Volkov said paper is patient.", "Other text"])
    b = e.encode(["Other text", "Sergei Volkov said paper is patient."])
    assert np.array_equal(a[0], b[1])
    assert e.encode([]).shape == (0, e.dim)


def test_get_embedder_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_embedder("lexical").name.startswith("lexical")
    with pytest.raises(ValueError):
        get_embedder("no-such-backend")
    monkeypatch.setenv("STORYDIFF_EMBEDDER", "lexical")
    get_embedder.cache_clear()
    try:
        assert get_embedder().name.startswith("lexical")
    finally:
        get_embedder.cache_clear()


def test_onnx_matches_batching() -> None:
    try:
        e = get_embedder("onnx")
    except EmbedderUnavailable:
        pytest.skip("onnx embedder not installed")
    texts = ["short", "a much longer sentence about the border talks in Brennholt on Tuesday"]
    together = e.encode(texts)
    alone = np.vstack([e.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)
