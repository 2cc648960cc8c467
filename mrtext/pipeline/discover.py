"""Find the documents in an input tree, robustly.

The walk is iterative (any depth), sorted (the same order on every run), skips hidden
entries (``.git``, ``.DS_Store``), follows symbolic links to files and folders but never
enters a folder twice, so a symlink loop is reported as a per-entry failure instead of
hanging the run. Dangling links and entries that cannot be listed are failures too; files
whose ending is not a document type mrtext reads are *skipped* (listed, not failures).

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> (root / "nämnd 1").mkdir()
>>> _ = (root / "nämnd 1" / "svar på remiss.txt").write_text("Dnr KS 2023/1159", encoding="utf-8")
>>> _ = (root / "bild.docx").write_bytes(b"PK")
>>> (root / "nämnd 1" / "loop").symlink_to(root)
>>> found = discover(root)
>>> [(f.relpath, f.doc_id) for f in found.files]
[('nämnd 1/svar på remiss.txt', 'nämnd 1/svar på remiss')]
>>> found.skipped
[{'path': 'bild.docx', 'reason': 'not a document type mrtext reads (.docx)'}]
>>> found.failures[0]["exit_code"], found.failures[0]["error"].endswith("symlink loop (fix or remove the link)")
('input_file', True)
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from mrtext.pipeline.document import kind_of, read_error

__all__ = ["Discovery", "FoundFile", "discover", "repaired_name"]


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A document found in the input tree.

    Attributes:
        relpath: path below the input folder, ``/``-separated.
        doc_id: record id, unique in the run (``relpath`` without its ending, or the whole
            ``relpath`` when two files differ only by their endings).
        path: the path to open (input folder joined with ``relpath``).
        size: size in bytes when the tree was walked.
    """

    relpath: str
    doc_id: str
    path: Path
    size: int


@dataclass(slots=True)
class Discovery:
    """Result of :func:`discover`: documents, per-entry failures and skipped files."""

    files: list[FoundFile] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def repaired_name(relpath: str) -> str:
    """Name of the repaired text under ``repaired/``: the same path for ``.txt`` files, else ``.txt`` added.

    >>> repaired_name("a/skanning.pdf"), repaired_name("a/svar.txt")
    ('a/skanning.pdf.txt', 'a/svar.txt')
    """
    return relpath if relpath.lower().endswith(".txt") else f"{relpath}.txt"


def _failure(root: Path, rel: str, exc: OSError | str) -> dict[str, str]:
    shown = root / rel if rel else root
    if isinstance(exc, str):
        return {"path": str(shown), "error": f"{shown}: {exc}", "exit_code": "input_file"}
    err = read_error(shown, exc)
    return {"path": str(shown), "error": str(err), "exit_code": err.exit_code.name}


def discover(root: str | Path, *, exclude: Path | None = None) -> Discovery:
    """Walk ``root`` and return the documents in it (see the module docstring for the rules).

    ``exclude`` is a folder never entered (the output folder, when it lies inside ``root``).
    """
    root = Path(root)
    out = Discovery()
    found: list[tuple[str, Path, int]] = []
    excluded = _identity(exclude) if exclude is not None and exclude.exists() else None
    # Each stack entry: (relative folder path, chain of (dev, inode) from the root to this folder).
    start = _identity(root)
    stack: list[tuple[str, tuple[tuple[int, int], ...]]] = [("", (start,))]
    seen_dirs: dict[tuple[int, int], str] = {start: ""}
    while stack:
        rel_dir, chain = stack.pop()
        folder = root / rel_dir if rel_dir else root
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            out.failures.append(_failure(root, rel_dir, exc))
            continue
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                st = entry.stat(follow_symlinks=True)
            except OSError as exc:
                if entry.is_symlink() and isinstance(exc, FileNotFoundError):
                    out.failures.append(_failure(root, rel, "dangling symbolic link"))
                else:
                    out.failures.append(_failure(root, rel, exc))
                continue
            if stat.S_ISDIR(st.st_mode):
                ident = (st.st_dev, st.st_ino)
                if ident == excluded:
                    continue
                if ident in chain:
                    out.failures.append(_failure(root, rel, "symlink loop (fix or remove the link)"))
                elif ident in seen_dirs:
                    out.skipped.append({"path": rel, "reason": f"same folder as {seen_dirs[ident] or '.'}"})
                else:
                    seen_dirs[ident] = rel
                    subdirs.append((rel, (*chain, ident)))
            elif stat.S_ISREG(st.st_mode):
                if kind_of(entry.name) is None:
                    suffix = PurePosixPath(entry.name).suffix.lower() or "no ending"
                    out.skipped.append({"path": rel, "reason": f"not a document type mrtext reads ({suffix})"})
                else:
                    found.append((rel, Path(folder, entry.name), st.st_size))
            else:
                out.skipped.append({"path": rel, "reason": "not a regular file"})
        stack.extend(reversed(subdirs))
    found.sort()
    stems = Counter(str(PurePosixPath(rel).with_suffix("")) for rel, _, _ in found)
    for rel, path, size in found:
        stem = str(PurePosixPath(rel).with_suffix(""))
        out.files.append(FoundFile(relpath=rel, doc_id=stem if stems[stem] == 1 else rel, path=path, size=size))
    out.skipped.sort(key=lambda s: s["path"])
    return out


def _identity(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)
