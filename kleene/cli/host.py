"""``klee host ...`` and ``klee sim ...``: the host itself (SPEC §2.6)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from kleene.backends.sim import SimulatedHost

from kleene.cli.common import reports_errors, session
from kleene.errors import KleeneError, ValidationError

PASS_THROUGH = {
    "allow_extra_args": True,
    "ignore_unknown_options": True,
    "allow_interspersed_args": False,
}

sim_app = typer.Typer(
    help="Manage the simulated host",
    no_args_is_help=True,
    rich_markup_mode=None,
    add_completion=False,
)


def host(
    ctx: typer.Context,
    command: Annotated[
        list[str], typer.Argument(metavar="COMMAND [ARG]...", help="Host command.")
    ],
) -> None:
    """Run a command on the host, outside any jail."""
    try:
        result = session(ctx).host().run(command)
    except KleeneError as exc:
        print(exc.message, file=sys.stderr, flush=True)
        raise typer.Exit(exc.exit_code) from None
    sys.stdout.write(result.output)
    sys.stdout.flush()
    raise typer.Exit(result.status)


def simulated(ctx: typer.Context) -> SimulatedHost:
    """Return the simulated host, or fail when another backend is selected."""
    host = session(ctx).host()
    from kleene.backends.sim import SimulatedHost

    if not isinstance(host, SimulatedHost):
        raise ValidationError(
            "this command needs the simulated backend (--backend sim)"
        )
    return host


@sim_app.command("outside", context_settings=PASS_THROUGH)
@reports_errors
def outside(
    ctx: typer.Context,
    command: Annotated[
        list[str], typer.Argument(metavar="COMMAND [ARG]...", help="ping, nc or host.")
    ],
    interactive: Annotated[
        bool,
        typer.Option("--interactive", "-i", help="Forward stdin to the command."),
    ] = False,
) -> None:
    """Run ping, nc or host on the outside machine 10.0.2.2."""
    stdin = sys.stdin.read() if interactive else ""
    result = simulated(ctx).run_outside(command, stdin)
    sys.stdout.write(result.output)
    sys.stdout.flush()
    raise typer.Exit(result.status)


@sim_app.command("pflog")
@reports_errors
def pflog(ctx: typer.Context) -> None:
    """Print the packets that pf logged, oldest first."""
    sys.stdout.write("".join(line + "\n" for line in simulated(ctx).pflog_lines()))


@sim_app.command("capture")
@reports_errors
def capture(
    ctx: typer.Context,
    interface: Annotated[
        str, typer.Argument(metavar="INTERFACE", help="Interface, e.g. em0 or pflog0.")
    ],
    output: Annotated[
        str | None,
        typer.Option(
            "--write", "-w", metavar="FILE", help="Write the capture as pcap."
        ),
    ] = None,
) -> None:
    """Start capturing an interface, or write what it captured (-w FILE)."""
    host = simulated(ctx)
    if output is None:
        host.capture_start(interface)
    else:
        count = host.capture_write(interface, output)
        print(f"{count} packets written to {output}")


@sim_app.command("reset")
@reports_errors
def reset(
    ctx: typer.Context,
    seed: Annotated[int, typer.Option(help="Seed of the fresh world.")] = 0,
    profile: Annotated[
        str, typer.Option(help="Host profile: default or two-nic.")
    ] = "default",
) -> None:
    """Replace the simulated host with a fresh one and empty the store."""
    from kleene.engine import admin

    if profile not in ("default", "two-nic"):
        raise typer.BadParameter(
            f"'{profile}' is not one of 'default', 'two-nic'", param_hint="'--profile'"
        )
    admin.reset_simulation(session(ctx).config, seed=seed, profile=profile)


def doctor(ctx: typer.Context) -> None:
    """Check the host prerequisites and say how to fix what is missing."""
    from kleene.engine.doctor import run_checks

    current = session(ctx)
    try:
        checks = run_checks(current.config, current.host())
    except KleeneError as exc:
        print(exc.message, file=sys.stderr, flush=True)
        raise typer.Exit(exc.exit_code) from None
    print(f"backend: {current.config.backend}")
    for check in checks:
        print(check.line())
    raise typer.Exit(0 if all(check.ok for check in checks) else 1)
