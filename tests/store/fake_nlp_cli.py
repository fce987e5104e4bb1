"""`storydiff` with a stand-in NLP, for the subprocess tests: `python fake_nlp_cli.py analyze ...`.

Only spaCy and the per-article extractor are replaced (by `store_helpers.fake_extract`); reading,
cleaning, the pipeline, the CLI, linking and the store are the real ones. `STORYDIFF_TEST_DELAY`
(seconds per article) slows it down so a test can kill it mid-way.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from store_helpers import FakePipeline, fake_extract  # noqa: E402

import storydiff.extract  # noqa: E402
import storydiff.nlp  # noqa: E402
from storydiff.model import Article  # noqa: E402

DELAY = float(os.environ.get("STORYDIFF_TEST_DELAY", "0"))


def _load(name: str | None = None) -> FakePipeline:
    return FakePipeline()


def _extract(article: Article, doc: Any) -> Article:
    if DELAY:
        time.sleep(DELAY)
    return fake_extract(article)


storydiff.nlp.load = _load  # type: ignore[assignment]
storydiff.extract.extract = _extract

if __name__ == "__main__":
    from storydiff.cli import main

    sys.exit(main(sys.argv[1:]))
