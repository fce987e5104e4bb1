"""Shared fixtures: the sample corpus analysed once per test session, and paths to shared data."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from storydiff.model import Analysis

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "src" / "storydiff" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the checkout (benchmark data, the contract); tests skip without it."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def sample_analysis() -> Analysis:
    from storydiff.pipeline import analyze

    return analyze([str(SAMPLES)])


@pytest.fixture(scope="session")
def report_schema() -> dict[str, object]:
    schema: dict[str, object] = json.loads((ROOT / "tests" / "data" / "report.schema.json").read_text())
    return schema


@pytest.fixture()
def write_held() -> Callable[[sa.Engine], AbstractContextManager[None]]:
    """`with write_held(engine):` another connection holds an uncommitted write transaction (a
    `probe` setting) for the block; it commits when the block ends."""
    from storydiff.store import schema as t
    from storydiff.store.engine import write_transaction

    @contextmanager
    def held(engine: sa.Engine) -> Iterator[None]:
        holding, release = threading.Event(), threading.Event()

        def write() -> None:
            with write_transaction(engine) as conn:
                conn.execute(t.analysis_settings.insert().values(name="probe", value="1"))
                holding.set()
                release.wait(30)

        thread = threading.Thread(target=write)
        thread.start()
        try:
            assert holding.wait(10)
            yield
        finally:
            release.set()
            thread.join()

    return held
