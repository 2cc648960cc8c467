"""The command line's contract: help, version, typed exit codes, clean stdout."""

from __future__ import annotations

import subprocess
import sys

import pytest

from mrtext import __version__
from mrtext.errors import ExitCode, InputFileError
from mrtext.ingest import decode_bytes, read_text


def test_version(run_cli) -> None:
    res = run_cli("--version")
    assert res.exit_code == 0
    assert __version__ in res.stdout


def test_no_args_shows_help_on_usage(run_cli) -> None:
    res = run_cli("--help")
    assert res.exit_code == 0
    assert "Usage: mrtext" in res.stdout


def test_unknown_command_is_usage_error(run_cli) -> None:
    res = run_cli("frobnicate")
    assert res.exit_code == ExitCode.bad_args
    assert res.stdout == ""
    assert "frobnicate" in res.stderr


def test_console_script_runs_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "mrtext", "no-such-command"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == ExitCode.bad_args
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        ("Mänskliga rättigheter".encode(), "Mänskliga rättigheter", "utf-8"),
        ("Mänskliga rättigheter".encode("cp1252"), "Mänskliga rättigheter", "cp1252"),
        ("Åsa – ”citat”".encode("cp1252"), "Åsa – ”citat”", "cp1252"),
        ("\ufeffRemiss".encode("utf-16-le"), "Remiss", "utf-16"),
        ("Översiktsplan".encode("utf-8-sig"), "Översiktsplan", "utf-8-sig"),
    ],
)
def test_decode_fallbacks(raw: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(raw) == (text, encoding)


def test_binary_and_missing_inputs_are_typed_errors(tmp_path) -> None:
    png = tmp_path / "x.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(InputFileError, match="binary"):
        read_text(png)
    with pytest.raises(InputFileError, match="no such file"):
        read_text(tmp_path / "missing.txt")
    with pytest.raises(InputFileError, match="directory"):
        read_text(tmp_path)
