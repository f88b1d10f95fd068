"""The ``klee`` command line: one module per command group.

``main`` is the console script. Typer is imported only when a command needs
it; ``klee`` with no arguments prints the help on stdout and exits 0.
"""

from __future__ import annotations

import logging
import os
import sys


def _configure_logging() -> None:
    level = os.environ.get("KLEENE_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=getattr(logging, level, logging.WARNING),
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    """Run klee with the given arguments (default: the process's)."""
    args = list(sys.argv[1:] if argv is None else argv)
    _configure_logging()

    from kleene.cli.fast import try_fast

    answered = try_fast(args)
    if answered is not None:
        return answered
    if not args:
        args = ["--help"]
    from kleene.cli.network import expand_bool_values

    args = expand_bool_values(args)
    from kleene.cli.app import app

    try:
        app(args=args, prog_name="klee", standalone_mode=True)
    except SystemExit as exit_:
        code = exit_.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0
