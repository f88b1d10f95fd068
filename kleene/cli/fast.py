"""Fast paths of ``klee`` that answer without importing typer or pydantic.

``klee``, ``klee --help`` and ``klee network ls`` / ``klee lsn`` are the
commands people run most; importing typer alone costs several times the
start-up of Python itself. The top-level help is kept pre-rendered in
``help.txt`` (a test checks it equals typer's rendering; regenerate it with
``python -m kleene.cli.fast``), and ``network ls`` reads the store directly.
Anything these paths do not recognise falls through to the typer app.
"""

from __future__ import annotations

import sys
from pathlib import Path

HELP_FILE = Path(__file__).with_name("help.txt")
GLOBAL_VALUE_OPTIONS = ("--backend", "--state-dir", "--config")
LS_COMMANDS = (["network", "ls"], ["lsn"])
LS_FLAGS = {"-q": "quiet", "--quiet": "quiet", "--json": "json"}


def split_globals(args: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """Split leading global options from the command; None if unsure."""
    options: dict[str, str] = {}
    rest = list(args)
    while rest and rest[0].startswith("--"):
        name, sep, value = rest[0].partition("=")
        if name not in GLOBAL_VALUE_OPTIONS:
            return None
        if not sep:
            if len(rest) < 2:
                return None
            value = rest[1]
            rest = rest[1:]
        options[name] = value
        rest = rest[1:]
    return options, rest


def try_fast(args: list[str]) -> int | None:
    """Answer the command if a fast path knows it; else return None."""
    if args in ([], ["--help"]):
        if HELP_FILE.is_file():
            sys.stdout.write(HELP_FILE.read_text())
            return 0
        return None
    split = split_globals(args)
    if split is None:
        return None
    options, rest = split
    for command in LS_COMMANDS:
        if rest[: len(command)] == command:
            return _network_ls(options, rest[len(command) :])
    return None


def _network_ls(options: dict[str, str], flags: list[str]) -> int | None:
    if any(flag not in LS_FLAGS for flag in flags):
        return None
    chosen = {LS_FLAGS[flag] for flag in flags}
    if chosen == {"quiet", "json"}:
        return None  # the typer app reports the usage error
    backend = options.get("--backend")
    if backend is not None and backend not in ("sim", "freebsd"):
        return None

    from kleene.cli.output import network_list
    from kleene.config import load_config
    from kleene.errors import KleeneError
    from kleene.store import Store

    try:
        config = load_config(
            backend=backend,
            state_dir=options.get("--state-dir"),
            config_path=options.get("--config"),
        )
        store = Store(config.state_dir)
        rows = store.network_rows()
        store.close()
    except KleeneError as exc:
        print(exc.message, file=sys.stderr)
        return exc.exit_code
    sys.stdout.write(
        network_list(rows, quiet="quiet" in chosen, as_json="json" in chosen)
    )
    return 0


def render_help() -> str:
    """Render the top-level help with typer, as the fast path prints it."""
    from typer.testing import CliRunner

    from kleene.cli.app import app

    result = CliRunner().invoke(
        app, ["--help"], prog_name="klee", env={"COLUMNS": "80", "TERM": "dumb"}
    )
    return result.output


if __name__ == "__main__":
    HELP_FILE.write_text(render_help())
