import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # plots are drawn off-screen in tests


@pytest.fixture
def census_dir() -> Path:
    """The repository's copy of the Census 2021 tables (the same files the library builds in)."""
    return Path(__file__).resolve().parents[2] / "core" / "data" / "census"
