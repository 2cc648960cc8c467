"""Archive-scale runs: every stage over a whole folder tree, resumable, parallel, distributable.

Command line::

    mrtext run ARCHIVE/ -o OUT/ [--jobs N] [--backend local|dask] [--scheduler ADDR] [--force]
                                [--formats json,graphml,gexf,dot,csv,html] [--max-mb 20] [--timeout S]

Python::

    from mrtext.pipeline import run_pipeline, RunOptions
    report = run_pipeline("archive/", "out/", options=RunOptions(jobs=2))

What is read
    Below ``ARCHIVE/``, at any depth: text files (``.txt``, ``.text``, ``.md``; UTF-8, UTF-16
    with BOM, cp1252 or latin-1), page images (``.png``, ``.jpg``, ``.jpeg``, ``.tif``,
    ``.tiff``) and PDFs, which go through OCR. Hidden entries are ignored; other files are listed
    as *skipped* in the report. Symbolic links are followed, but a folder is never entered twice,
    so a link loop is a per-entry failure, not a hang.

What is written (``OUT/``; never anything inside ``ARCHIVE/``, and ``OUT/`` may not lie inside it)
    - ``repaired/<relpath>`` (``.txt`` appended for scans): the repaired text, UTF-8, only for
      documents that repair changed;
    - ``changes/<relpath>.jsonl``: the repair's change list (offsets into the original), only
      for documents with changes;
    - ``extractions.jsonl``: one ``mrtext/1`` record per document, with its relations; ids are
      the relative paths without their endings;
    - ``graph.{json,graphml,gexf,dot,csv,html}``: the document graph built from all records;
    - ``report.json``: counts, wall times and per-stage times, every failure (path, one-line
      error, exit-code name), skipped files, stage availability, versions;
    - ``.cache/``: one result per document (see :mod:`mrtext.pipeline.cache`).

    Every file is written to a temporary name and renamed (:mod:`mrtext.pipeline.atomic`), so
    no output is ever half-written.

Resuming
    Results are cached by document id + content hash, under the pipeline version (package
    version, options, stage code and model files). Run the same command again after Ctrl-C,
    ``kill -9``, a crash, or after adding or changing files: only new or changed documents are
    processed, and the graph is rebuilt only when some record changed. ``--force`` ignores the
    cache. Outputs of documents that disappeared from the archive are removed.

Failures
    A bad document (empty, binary, undecodable, too large, unreadable, removed during the run,
    a scan OCR cannot read) gets a one-line error on stderr and in ``report.json``; the run goes
    on, and the exit code is 6 (``partial_failure``) instead of 0. ``--timeout S`` stops a
    document that takes longer than S seconds (local backend), as a per-file failure. Text files larger than
    ``--max-mb`` (default 20 MB) are refused (a 50 MB text file is almost always a concatenated
    export; raise the limit to process it: long texts are cut into chunks of 200,000 characters
    at paragraph boundaries, so memory stays bounded).

Scaling out
    ``--backend local --jobs N`` uses N worker processes on this machine. ``--backend dask``
    runs the same per-document function, :func:`process_document`, as a ``dask.bag`` map, on
    dask's local schedulers or on a dask.distributed cluster. To use a real cluster: install
    ``mrtext[dask]`` (same version) on every machine, start ``dask scheduler`` on one
    (it listens on port 8786) and ``dask worker tcp://SCHEDULER:8786 --nthreads 1`` on each
    worker, then run ``mrtext run ARCHIVE/ -o OUT/ --backend dask --scheduler
    tcp://SCHEDULER:8786``. The driver reads the files and ships their bytes, so workers need
    no shared file system; results come back to the driver, which writes all outputs and
    builds the graph. ``--scheduler local`` starts a ``LocalCluster`` with ``--jobs`` workers.

>>> import tempfile, pathlib
>>> from mrtext.pipeline import run_pipeline
>>> src = pathlib.Path(tempfile.mkdtemp())
>>> _ = (src / "tom.txt").write_bytes(b"")
>>> report = run_pipeline(src, src.parent / (src.name + "-out"))
>>> report["counts"]["discovered"], report["counts"]["failed"], report["failures"][0]["exit_code"]
(1, 1, 'input_file')
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Imported lazily: mrtext.cli._common needs only the small atomic-write module.
_EXPORTS = {
    "atomic_open": "mrtext.pipeline.atomic",
    "atomic_write": "mrtext.pipeline.atomic",
    "DocumentResult": "mrtext.pipeline.document",
    "DocumentSource": "mrtext.pipeline.document",
    "PipelineConfig": "mrtext.pipeline.document",
    "process_document": "mrtext.pipeline.document",
    "GRAPH_FORMATS": "mrtext.pipeline.runner",
    "RunOptions": "mrtext.pipeline.runner",
    "run_pipeline": "mrtext.pipeline.runner",
    "StageOptions": "mrtext.pipeline.stages",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mrtext.pipeline' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
