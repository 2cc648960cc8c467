"""Atomic file output: write to a temporary name beside the target, then rename.

A reader (or a re-run after Ctrl-C or ``kill -9``) sees either the old file or the
complete new one, never a half-written file: :func:`os.replace` is atomic on POSIX
when source and target are in the same folder. This is the one implementation used by
the whole package (``mrtext.cli._common.open_output`` calls it too).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> atomic_write(d / "sub" / "a.txt", "Mål för översiktsplan\\n")
>>> (d / "sub" / "a.txt").read_text(encoding="utf-8")
'Mål för översiktsplan\\n'
>>> sorted(p.name for p in (d / "sub").iterdir())  # no temporary file left behind
['a.txt']
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mrtext.errors import OutputFileError

__all__ = ["TEMP_SUFFIX", "atomic_open", "atomic_write", "remove_stale_temps"]

TEMP_SUFFIX = ".tmp"
"""Suffix of the temporary files (named ``.<target name>.<random>.tmp``)."""


def _file_mode() -> int:
    """Permissions of a new file under the current umask (``mkstemp`` alone would give 0600)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()


@contextlib.contextmanager
def atomic_open(path: str | Path, *, binary: bool = False, fsync: bool = False) -> Iterator[IO[Any]]:
    """Open ``path`` for writing atomically; the file appears under its name only if the block succeeds.

    Text is written as UTF-8 with line endings untouched (``newline=""``). Missing parent
    folders are created. With ``fsync=True`` the data is flushed to disk before the rename
    (survives a power cut, not only a killed process; slower).

    Raises:
        OutputFileError: the folder cannot be created or written, or ``path`` is a folder.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputFileError(f"{target}: is a directory", remedy="give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise OutputFileError(f"{target}: cannot be written: {exc.strerror or exc}") from exc
    try:
        os.fchmod(fd, _MODE)
        fh: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        with fh:
            yield fh
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        Path(tmp).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def atomic_write(path: str | Path, data: str | bytes, *, fsync: bool = False) -> None:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically; see :func:`atomic_open`."""
    with atomic_open(path, binary=isinstance(data, bytes), fsync=fsync) as fh:
        fh.write(data)


def remove_stale_temps(folder: str | Path) -> int:
    """Delete temporary files left in ``folder`` (recursively) by a killed writer; return how many.

    Only names made by :func:`atomic_open` (``.<name>.<random>.tmp``) are touched.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".report.json.x1y2.tmp").write_text("half")
    >>> _ = (d / "keep.tmp").write_text("not ours")
    >>> remove_stale_temps(d), sorted(p.name for p in d.iterdir())
    (1, ['keep.tmp'])
    """
    removed = 0
    root = Path(folder)
    if not root.is_dir():
        return 0
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            if name.startswith(".") and name.endswith(TEMP_SUFFIX) and name.count(".") >= 3:
                with contextlib.suppress(OSError):
                    (Path(dirpath) / name).unlink()
                    removed += 1
    return removed
