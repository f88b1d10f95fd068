"""The ``klee`` command: global options and the command groups (SPEC §2)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from kleene import __version__
from kleene.cli import container, network
from kleene.cli import host as host_commands
from kleene.cli.common import Session, fail
from kleene.errors import KleeneError

HELP = (
    "kleene: container networking for FreeBSD jails, on a real FreeBSD host or "
    "on a simulated one."
)

app = typer.Typer(
    help=HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
    context_settings={"help_option_names": ["--help"]},
)


class BackendChoice(StrEnum):
    SIM = "sim"
    FREEBSD = "freebsd"


def show_version(value: bool) -> None:
    """Print the version and exit."""
    if value:
        print(f"klee, version {__version__}")
        raise typer.Exit(0)


@app.callback()
def main(
    ctx: typer.Context,
    backend: Annotated[
        BackendChoice | None,
        typer.Option(
            envvar="KLEENE_BACKEND",
            help="Host to drive (default: freebsd on FreeBSD, sim elsewhere).",
        ),
    ] = None,
    state_dir: Annotated[
        str | None,
        typer.Option(
            envvar="KLEENE_STATE_DIR", metavar="PATH", help="State directory."
        ),
    ] = None,
    config: Annotated[
        str | None,
        typer.Option(
            envvar="KLEENE_CONFIG", metavar="PATH", help="Configuration file (TOML)."
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option(
            "--dry-run",
            help="Print the host commands a change would run; change nothing.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=show_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """kleene: container networking for FreeBSD jails."""
    from kleene.config import load_config

    try:
        settings = load_config(
            backend=backend.value if backend else None,
            state_dir=state_dir,
            config_path=config,
        )
    except KleeneError as exc:
        raise fail(exc) from None
    ctx.obj = Session(settings, dry_run=dry_run)
    ctx.call_on_close(ctx.obj.close)


app.add_typer(network.app, name="network")
app.add_typer(container.app, name="container")
app.add_typer(host_commands.sim_app, name="sim")
app.command(
    "host", context_settings=host_commands.PASS_THROUGH, help="Run a host command."
)(host_commands.host)
app.command("doctor", help="Check the host prerequisites.")(host_commands.doctor)
app.command("lsn", help="List networks (network ls).")(network.ls)
app.command("isn", help="Inspect a network (network inspect).")(network.inspect)
app.command("rmn", help="Remove networks (network rm).")(network.rm)

for shortcut, full, command, settings in (
    ("create", "create", container.create, container.COMMAND_SETTINGS),
    ("run", "run", container.run, container.COMMAND_SETTINGS),
    ("start", "start", container.start, None),
    ("stop", "stop", container.stop, None),
    ("exec", "exec", container.exec_, container.COMMAND_SETTINGS),
    ("lsc", "ls", container.ls, None),
    ("isc", "inspect", container.inspect, None),
    ("rmc", "rm", container.rm, None),
):
    summary = (command.__doc__ or "").strip().rstrip(".")
    app.command(
        shortcut, context_settings=settings, help=f"{summary} (container {full})."
    )(command)
