"""Helpers shared by the subcommands: safe outputs, JSON Lines, progress bars."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import click

from mrtext.errors import OutputFileError
from mrtext.pipeline.atomic import atomic_open

__all__ = ["REPAIR_MODES", "SPLITS", "corpus_options", "dumps", "open_output", "progress", "repair_option", "same_file"]

T = TypeVar("T")


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when ``a`` and ``b`` name the same existing file (or the same path)."""
    if str(a) == "-" or str(b) == "-":
        return False
    try:
        return Path(a).samefile(b)
    except OSError:
        return Path(a).resolve() == Path(b).resolve()


def dumps(obj: Any) -> str:
    """JSON for people and programs: UTF-8 text as is (``ensure_ascii=False``), one line.

    >>> dumps({"titel": "Översiktsplan"})
    '{"titel": "Översiktsplan"}'
    """
    return json.dumps(obj, ensure_ascii=False)


@contextlib.contextmanager
def open_output(
    path: str | Path | None, *, inputs: Iterable[str | Path] = (), binary: bool = False
) -> Iterator[IO[Any]]:
    """Open an output for writing: stdout for ``None`` or ``-``, otherwise a file written atomically.

    The file is written to a temporary name beside it and renamed when the block ends
    without error, so a failed run never leaves a half-written output. Writing over one
    of ``inputs`` is refused with :class:`OutputFileError`.
    """
    if path is None or str(path) == "-":
        stream: IO[Any] = sys.stdout.buffer if binary else sys.stdout
        yield stream
        stream.flush()
        return
    target = Path(path)
    for inp in inputs:
        if same_file(inp, target):
            raise OutputFileError(f"{target}: refusing to overwrite the input file", remedy="choose another -o")
    with atomic_open(target, binary=binary) as fh:
        yield fh


def progress(items: Iterable[T], *, total: int | None = None, desc: str = "", quiet: bool = False) -> Iterable[T]:
    """Wrap ``items`` in a progress bar on stderr, shown only when stderr is a terminal."""
    if quiet or not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    bar: Iterable[T] = tqdm(items, total=total, desc=desc, file=sys.stderr, unit="doc", leave=False)
    return bar


REPAIR_MODES = ("auto", "always", "never")
"""Values of every command's repair switch (see :class:`mrtext.repair.RepairConfig`)."""

SPLITS = ("all", "dev", "train", "heldout")
"""Manifest splits an evaluation can be restricted to (``all`` = every document)."""


def repair_option(*decls: str, help: str = "Repair OCR damage: where detected (auto), always, or never.") -> Any:
    """The shared ``--repair auto|always|never`` option; ``decls`` overrides the names (e.g. ``"--mode"``)."""
    return click.option(
        *(decls or ("--repair",)), type=click.Choice(REPAIR_MODES), default="auto", show_default=True, help=help
    )


def corpus_options(func: Any) -> Any:
    """Add the evaluation options ``--corpus DIR`` (default: the sample corpus) and ``--split``."""
    func = click.option(
        "--split",
        type=click.Choice(SPLITS),
        default="all",
        show_default=True,
        help="Score only the documents of this manifest split.",
    )(func)
    return click.option(
        "--corpus",
        "corpus_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Corpus folder (default: the sample corpus corpora/stockholm-mr).",
    )(func)
