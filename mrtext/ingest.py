"""Ingest: read documents from disk or stdin into plain :class:`Document` records.

Swedish archives hold text in UTF-8, but also in cp1252 and latin-1 (and sometimes
UTF-16 with a byte-order mark). :func:`decode_bytes` tries them in a fixed order and
reports which one it used, so that nothing is guessed silently.

>>> decode_bytes("Mål för översiktsplan".encode("cp1252"))
('Mål för översiktsplan', 'cp1252')
>>> decode_bytes("Mål för översiktsplan".encode("mac_roman"))
('Mål för översiktsplan', 'mac_roman')
>>> decode_bytes(b"")
('', 'utf-8')
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mrtext.errors import InputFileError

__all__ = ["TEXT_SUFFIXES", "Document", "decode_bytes", "iter_text_files", "read_document", "read_text", "reading"]

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
"""File name endings treated as plain text when a directory is walked."""

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# Bytes 0x80-0x9f are C1 controls in latin-1 but printable in cp1252, so cp1252 goes first;
# latin-1 decodes any byte string and is the last resort.
_FALLBACKS = ("cp1252", "latin-1")


def _looks_binary(data: bytes) -> bool:
    """Return True for data that is not text in any of the encodings we accept."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(4, len(sample) // 100)


def _looks_mac_roman(data: bytes) -> bool:
    """True when å/ä/ö are more often Mac Roman bytes (0x8C/0x8A/0x9A: Œ/Š/š in cp1252) than cp1252 ones.

    >>> _looks_mac_roman("Mål för översiktsplan".encode("mac_roman")), _looks_mac_roman("Mål för".encode("cp1252"))
    (True, False)
    """
    mac = data.count(b"\x8c") + data.count(b"\x8a") + data.count(b"\x9a")
    return mac > data.count(b"\xe5") + data.count(b"\xe4") + data.count(b"\xf6")


def decode_bytes(data: bytes, *, name: str = "<input>") -> tuple[str, str]:
    """Decode ``data`` as text and return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with BOM are tried first; then cp1252 and
    latin-1, with a warning in the log. Binary data raises :class:`InputFileError`.

    >>> decode_bytes(b"\\xef\\xbb\\xbfHej")
    ('Hej', 'utf-8-sig')
    >>> decode_bytes(b"\\x00\\x01\\x02binary")
    Traceback (most recent call last):
    ...
    mrtext.errors.InputFileError: <input>: binary data, not text (give a text file, or run 'mrtext ocr' on scans)
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputFileError(
                    f"{name}: starts with a {encoding} byte-order mark but does not decode",
                    remedy="re-save the file as UTF-8",
                ) from exc
    if _looks_binary(data):
        raise InputFileError(f"{name}: binary data, not text", remedy="give a text file, or run 'mrtext ocr' on scans")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for encoding in ("mac_roman", *_FALLBACKS) if _looks_mac_roman(data) else _FALLBACKS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        log.warning("%s: not valid UTF-8, decoded as %s", name, encoding)
        return text, encoding
    raise InputFileError(f"{name}: cannot be decoded as text")  # pragma: no cover - latin-1 decodes all


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a text file (or ``-`` for stdin) and return ``(text, encoding)``.

    Line endings are kept exactly as they are, so offsets refer to the file's own characters.
    """
    if str(path) == "-":
        return decode_bytes(sys.stdin.buffer.read(), name="<stdin>")
    p = Path(path)
    with reading(p):
        data = p.read_bytes()
    return decode_bytes(data, name=str(p))


@contextlib.contextmanager
def reading(path: Path, *, directory_remedy: str = "give a file, or a command that walks folders") -> Iterator[None]:
    """Turn the OS errors of reading ``path`` into one-line :class:`InputFileError` messages.

    >>> with reading(Path("/no/such/file.txt")):
    ...     _ = Path("/no/such/file.txt").read_bytes()
    Traceback (most recent call last):
    ...
    mrtext.errors.InputFileError: /no/such/file.txt: no such file (check the path)
    """
    try:
        yield
    except FileNotFoundError as exc:
        raise InputFileError(f"{path}: no such file", remedy="check the path") from exc
    except IsADirectoryError as exc:
        raise InputFileError(f"{path}: is a directory", remedy=directory_remedy) from exc
    except PermissionError as exc:
        raise InputFileError(f"{path}: permission denied", remedy="check the file's permissions") from exc
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read: {exc.strerror or exc}") from exc


@dataclass(slots=True)
class Document:
    """A document as read from its source: identity, text and where it came from.

    >>> Document(id="002", text="Svar på remiss").id
    '002'
    """

    id: str
    text: str
    path: str | None = None
    encoding: str = "utf-8"
    meta: dict[str, object] = field(default_factory=dict)


def read_document(path: str | Path, *, doc_id: str | None = None) -> Document:
    """Read one text file into a :class:`Document` whose id defaults to the file stem."""
    text, encoding = read_text(path)
    name = "stdin" if str(path) == "-" else Path(path).stem
    return Document(id=doc_id or name, text=text, path=None if str(path) == "-" else str(path), encoding=encoding)


def iter_text_files(paths: Iterable[str | Path], *, suffixes: frozenset[str] = TEXT_SUFFIXES) -> Iterator[Path]:
    """Yield text files from ``paths``: files as given, directories walked in sorted order.

    Symlinked directories are not followed, so a link loop cannot hang the walk.
    """
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in suffixes:
                    yield child
        else:
            yield p
