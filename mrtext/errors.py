"""Typed exit codes and the exception hierarchy of mrtext.

Every error a user can cause or meet carries a one-line message, a remedy and an
exit code, so that the command line can report it without a traceback
(the pattern follows OCRmyPDF's ``ExitCode``).

>>> err = InputFileError("no such file: x.txt", remedy="check the path")
>>> err.exit_code
<ExitCode.input_file: 3>
>>> str(err)
'no such file: x.txt (check the path)'
"""

from __future__ import annotations

from enum import IntEnum

__all__ = [
    "BadArgumentsError",
    "ExitCode",
    "InputFileError",
    "MissingDependencyError",
    "MrtextError",
    "OutputFileError",
    "PartialFailureError",
]


class ExitCode(IntEnum):
    """Process exit codes of the ``mrtext`` command.

    ``0`` success, ``1`` an unexpected failure, ``2`` bad arguments (as click uses),
    then one code per kind of problem the user can fix.
    """

    ok = 0
    other_error = 1
    bad_args = 2
    input_file = 3
    missing_dependency = 4
    output_file = 5
    partial_failure = 6
    ctrl_c = 130


class MrtextError(Exception):
    """Base class of mrtext's own errors: a one-line message plus an optional remedy."""

    exit_code: ExitCode = ExitCode.other_error

    def __init__(self, message: str, *, remedy: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy

    def __str__(self) -> str:
        return f"{self.message} ({self.remedy})" if self.remedy else self.message


class BadArgumentsError(MrtextError):
    """The caller asked for something that cannot be done with these arguments."""

    exit_code = ExitCode.bad_args


class InputFileError(MrtextError):
    """An input is missing, unreadable, empty where content is required, binary or undecodable."""

    exit_code = ExitCode.input_file


class MissingDependencyError(MrtextError):
    """An external program or data file (Tesseract, its Swedish model, a packaged model) is absent."""

    exit_code = ExitCode.missing_dependency


class OutputFileError(MrtextError):
    """An output cannot be written, or writing it would overwrite an input."""

    exit_code = ExitCode.output_file


class PartialFailureError(MrtextError):
    """A batch finished, but some of its documents failed (details went to stderr and the report)."""

    exit_code = ExitCode.partial_failure
