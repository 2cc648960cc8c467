"""The ``mrtext`` command line: a thin layer over the library's stages.

Subcommands live in their own modules and are imported only when used, so that
``mrtext --help`` stays fast and a stage's heavy imports (spaCy, Tesseract) are paid
only by the commands that need them. stdout carries data only; messages go to stderr.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
from typing import Any

import click

from mrtext import __version__
from mrtext.errors import ExitCode, MrtextError

__all__ = ["LazyGroup", "cli", "main"]

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A click group whose subcommands are ``"module:attribute"`` strings imported on first use.

    Commands whose module is not present are left out of the listing.
    """

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def _available(self) -> dict[str, str]:
        out = {}
        for name, target in self.lazy_commands.items():
            module = target.split(":", 1)[0]
            if importlib.util.find_spec(module) is not None:
                out[name] = target
        return out

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self._available()))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self._available().get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attr = target.split(":", 1)
        command = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):  # pragma: no cover - programming error
            raise TypeError(f"{target} is not a click command")
        return command


COMMANDS = {
    "ocr": "mrtext.cli.ocr_cmd:ocr",
    "synth": "mrtext.cli.ocr_cmd:synth",
    "repair": "mrtext.cli.repair_cmd:repair",
    "extract": "mrtext.cli.extract_cmd:extract",
    "graph": "mrtext.cli.graph_cmd:graph",
    "run": "mrtext.cli.run_cmd:run",
    "evaluate": "mrtext.cli.evaluate_cmd:evaluate",
}


class _StderrFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        level = "" if record.levelno == logging.INFO else f"{record.levelname.lower()}: "
        return f"mrtext: {level}{record.getMessage()}"


def setup_logging(verbosity: int) -> None:
    """Send log messages to stderr: warnings by default, info with ``-v``, debug with ``-vv``; ``-q`` errors only."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_StderrFormatter())
    root = logging.getLogger("mrtext")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@click.group(
    cls=LazyGroup,
    lazy_commands=COMMANDS,
    context_settings=CONTEXT_SETTINGS,
    no_args_is_help=True,
    epilog="Examples:\n\n  mrtext repair scan.txt --changes changes.jsonl > repaired.txt\n\n"
    "  mrtext extract corpora/stockholm-mr/source > records.jsonl\n\n"
    "  mrtext graph corpora/stockholm-mr/source --format graphml -o graph.graphml",
)
@click.version_option(__version__, "-V", "--version", prog_name="mrtext")
@click.option("-v", "--verbose", count=True, help="More messages on stderr (-vv for debug).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress bars.")
@click.pass_context
def cli(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """mrtext: repair, extract and link Swedish municipal documents.

    Data goes to stdout (JSON Lines, JSON, GraphML …); messages and progress go to stderr.
    A FILE of '-' means stdin or stdout.
    """
    setup_logging(-1 if quiet else verbose)
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


def main(argv: list[str] | None = None) -> int:
    """Run the command line and return its exit code (see :class:`mrtext.errors.ExitCode`)."""
    try:
        cli.main(args=argv, prog_name="mrtext", standalone_mode=False)
    except MrtextError as exc:
        click.echo(f"mrtext: error: {exc}", err=True)
        return int(exc.exit_code)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return int(ExitCode.bad_args if isinstance(exc, click.UsageError) else exc.exit_code)
    except click.Abort:
        click.echo("mrtext: interrupted", err=True)
        return int(ExitCode.ctrl_c)
    except KeyboardInterrupt:
        click.echo("mrtext: interrupted", err=True)
        return int(ExitCode.ctrl_c)
    except BrokenPipeError:
        # The reader went away (`mrtext extract … | head`): not an error worth a message.
        sys.stderr.close()
        return int(ExitCode.ok)
    return int(ExitCode.ok)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
