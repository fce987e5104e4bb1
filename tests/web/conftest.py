from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storydiff.archive import relink
from storydiff.model import Analysis
from storydiff.store import Store, open_store


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_analysis: Analysis) -> Path:
    """A SQLite store holding the sample corpus, linked."""
    path = tmp_path_factory.mktemp("web") / "sample.db"
    with open_store(str(path)) as store:
        store.add_articles(sample_analysis.articles)
        relink(store, sample_analysis)
    return path


@pytest.fixture()
def store(sample_db: Path) -> Iterator[Store]:
    with open_store(str(sample_db)) as opened:
        yield opened
