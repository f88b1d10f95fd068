"""``klee host ...`` and ``klee sim ...``: the host itself (SPEC §2.6)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kleene.cli.common import reports_errors, session
from kleene.errors import KleeneError

PASS_THROUGH = {"allow_extra_args": True, "ignore_unknown_options": True}

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
