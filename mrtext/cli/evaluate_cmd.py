"""``mrtext evaluate``: score a stage against a corpus's gold annotations."""

from __future__ import annotations

import click

from mrtext.cli import CONTEXT_SETTINGS, LazyGroup

__all__ = ["evaluate"]


@click.group(
    cls=LazyGroup,
    lazy_commands={
        "repair": "mrtext.cli.repair_cmd:evaluate_repair",
        "extract": "mrtext.cli.extract_cmd:evaluate_extract",
        "graph": "mrtext.cli.graph_cmd:evaluate_graph",
    },
    context_settings=CONTEXT_SETTINGS,
    no_args_is_help=True,
)
def evaluate() -> None:
    """Score repair, extraction or the graph against gold annotations (scores on stdout)."""
