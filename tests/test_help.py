"""The pre-rendered top-level help equals typer's own rendering."""

from __future__ import annotations

from kleene.cli.fast import HELP_FILE, render_help


def test_cached_help_is_current() -> None:
    assert HELP_FILE.read_text() == render_help(), (
        "kleene/cli/help.txt is stale: run `python -m kleene.cli.fast`"
    )
