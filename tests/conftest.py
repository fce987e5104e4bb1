"""Shared fixtures: the sample corpus analysed once per test session, and paths to shared data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
