"""The researchers' notebooks run top to bottom on the shipped corpora, and are committed without outputs.

Each notebook is executed by nbclient in a fresh ``python3`` kernel (ipykernel's kernel spec, whose
``python`` is replaced by the interpreter running the tests, i.e. the project venv), in a temporary
working directory so that a notebook that writes into the repository or depends on the current folder
fails here. Any cell error, or a cell running longer than ``CELL_TIMEOUT`` seconds, fails the test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="needs the notebooks extra: pip install 'mrtext[notebooks]'")
nbclient = pytest.importorskip("nbclient", reason="needs the notebooks extra: pip install 'mrtext[notebooks]'")

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = ["01-repair-a-scan", "02-extract", "03-document-graph", "04-corpus-over-time"]
CELL_TIMEOUT = 600
STRIP_HINT = ".venv/bin/jupyter nbconvert --clear-output --inplace notebooks/*.ipynb"


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """Keep kernel connection files out of $HOME and the kernel offline and headless."""
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path


def _run(nb, cwd: Path) -> None:
    client = nbclient.NotebookClient(
        nb, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}
    )
    client.execute()


def test_the_notebooks_are_all_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED
    assert (NOTEBOOK_DIR / "README.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook without code"
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"cells {dirty} of {path.name} have outputs; strip them with: {STRIP_HINT}"
    assert "widgets" not in nb.metadata, f"widget state saved in {path.name}; strip it with: {STRIP_HINT}"


def test_kernel_is_the_interpreter_running_the_tests(kernel_env):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys; print(sys.prefix)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    _run(nb, kernel_env)
    assert nb.cells[0].outputs[0]["text"].strip() == sys.prefix


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, kernel_env):
    nb = nbformat.read(path, as_version=4)
    _run(nb, kernel_env)  # raises CellExecutionError on the first failing cell
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.get("output_type") == "error"]
    assert not errors
    assert any(o.get("output_type") in ("execute_result", "display_data") for o in outputs)
    # a notebook that draws must show a picture, not only the text repr of a figure
    if any("draw_graph(" in c.source or "timeline(" in c.source for c in nb.cells if c.cell_type == "code"):
        assert any("image/png" in o.get("data", {}) for o in outputs)
    assert not list(kernel_env.glob("*.png")), "the notebook wrote into its working directory"
