"""storydiff: who said what, and where news outlets agree, differ or stay silent."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from storydiff.pipeline import analyze, analyze_texts

__all__ = ["__version__", "analyze", "analyze_texts"]


def __getattr__(name: str) -> object:
    # Lazy: `import storydiff` stays cheap (no spaCy) for the CLI's --help and the store.
    if name in ("analyze", "analyze_texts"):
        from storydiff import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
