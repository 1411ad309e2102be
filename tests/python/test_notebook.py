"""The example notebook runs headless from top to bottom without an error."""

import os
from pathlib import Path

import pytest


def test_example_notebook_runs(monkeypatch, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    root = Path(__file__).resolve().parents[2]
    path = root / "docs" / "notebooks" / "analysing-a-consultation.ipynb"
    nb = nbformat.read(path, as_version=4)
    # The kernel inherits the environment: let it draw inline, with the package's own census tables.
    monkeypatch.delenv("TOWNHALL_CENSUS_DIR", raising=False)
    monkeypatch.delenv("MPLBACKEND", raising=False)
    # The kernel runs in a folder of its own, away from the checkout: give it the absolute path of
    # the package under test.
    import townhall
    package_root = str(Path(townhall.__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        p for p in [package_root, os.environ.get("PYTHONPATH", "")] if p))
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError on any error
    assert "../" not in "".join(c.source for c in nb.cells if c.cell_type == "code")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs)
    # The trimmed raking does not converge, and says so where the analyst sees it.
    rake_cell = next(c for c in nb.cells
                     if c.cell_type == "code" and "townhall.rake(" in c.source)
    stderr = "".join(o.get("text", "") for o in rake_cell.outputs if o.get("name") == "stderr")
    assert "RakingNotConverged" in stderr and "'tenure'" in stderr
    last = nb.cells[-1].outputs[0]["data"]["text/plain"]
    assert "Please keep the library open in the evenings." in last and "286" in last
