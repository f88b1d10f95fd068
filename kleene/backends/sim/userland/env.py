"""env(1): print the environment, or run a utility with a changed one.

``env [-i] [NAME=value]... [utility [argument]...]``: without a utility it
prints the environment, one ``NAME=value`` a line; with one, it sets the
variables and becomes the utility (the same process, as execvp does). A
utility the userland does not have is ``env: <name>: No such file or
directory``, exit 127 (SPEC §7.5).
"""

from __future__ import annotations

from kleene.backends.sim.kernel.runtime import Status
from kleene.backends.sim.userland.execute import run_program
from kleene.backends.sim.userland.process import Process, Usage
from kleene.errors import CommandNotFound

USAGE = "usage: env [-0iv] [-L|-U user[/class]] [-P utilpath] [-S string]"
EX_NOTFOUND = 127


def main(proc: Process, args: list[str]) -> Status:
    """Run env."""
    environment = list(proc.record.env)
    while args[:1] == ["-i"] or args[:1] == ["-"]:
        environment = []
        args = args[1:]
    if args and args[0].startswith("-"):
        raise Usage
    while args and "=" in args[0]:
        environment = _set(environment, args.pop(0))
    proc.record.env = environment

    if not args:
        for variable in environment:
            proc.print(variable)
        return 0
    proc.flush()
    try:
        status, output = run_program(
            proc.rt, proc.record, args, proc.stdin, capture=proc.capture
        )
    except CommandNotFound:
        proc.fail(f"env: {args[0]}: No such file or directory", EX_NOTFOUND)
    proc.write(output)
    return status


def _set(environment: list[str], assignment: str) -> list[str]:
    name = assignment.split("=", 1)[0]
    kept = [variable for variable in environment if variable.split("=", 1)[0] != name]
    return [*kept, assignment]
