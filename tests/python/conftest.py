import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")  # plots are drawn off-screen in tests


@pytest.fixture
def census_dir() -> Path:
    shared = os.environ.get("TOWNHALL_SHARED_DATA_DIR")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
    d = base / "census"
    if not d.is_dir():
        pytest.skip(f"census data not found at {d}")
    return d
