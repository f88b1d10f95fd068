"""sh(1): ``sh -c SCRIPT``, ``sh FILE [ARG]...`` and a script on stdin.

The script is parsed once (``shparse``) into JSON-ready and-or lists and
run command by command, each in a child process that shares the shell's log.
In a pipeline each command's output is the next one's input, and only the
last command may wait (SPEC §7.8); an earlier one that would wait makes the
shell print ``sh: <name>: only the last command of a pipeline may wait`` and
exit 2. When the last command waits, the shell waits too: its state keeps
the rest of the script, and the child's end (``on_child``) resumes it.

Builtins: ``cd DIR`` (the simulated filesystem has no directories, so it
always succeeds), ``exit [N]``, ``:``. A command the userland does not have
is ``sh: <name>: not found``, status 127. ``sh FILE`` runs the simulated
scripts ``/etc/rc`` and ``/etc/rc.shutdown``; any other file is
``sh: cannot open <file>: No such file or directory``, exit 127.
"""

from __future__ import annotations

import logging
from typing import Any

from kleene.backends.sim.kernel import files, procs
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.records import ProcRecord
from kleene.backends.sim.userland import rc
from kleene.backends.sim.userland.execute import Waiting, handle, spawn, wait_for
from kleene.backends.sim.userland.process import Exit, Process, Usage
from kleene.backends.sim.userland.shparse import Command, Pipeline, ShSyntaxError, parse
from kleene.errors import CommandNotFound

logger = logging.getLogger(__name__)

USAGE = "usage: sh [-c string] [file [argument ...]]"
PROG = "sh"
SCRIPTS = {"/etc/rc": rc.run_rc, "/etc/rc.shutdown": rc.run_shutdown}


def main(proc: Process, args: list[str]) -> Status:
    """Run sh."""
    if args[:1] == ["-c"]:
        if len(args) < 2:
            proc.fail("sh: -c: option requires an argument", 2)
        return _start(proc, args[1], proc.stdin)
    if args and args[0].startswith("-"):
        raise Usage
    if not args:
        return _start(proc, proc.stdin, "")
    script = SCRIPTS.get(files.normalise(args[0]))
    if script is None:
        proc.fail(f"sh: cannot open {args[0]}: No such file or directory", 127)
    return script(proc)


def _start(proc: Process, script: str, stdin: str) -> Status:
    try:
        lists = parse(script)
    except ShSyntaxError as exc:
        proc.fail(f"sh: {exc}", 2)
    state: dict[str, Any] = {"lists": lists, "item": 0, "status": 0, "stdin": stdin}
    proc.record.state = state
    status = _resume(proc, state)
    if status is None:
        proc.record.prog = PROG
    return status


def _resume(proc: Process, state: dict[str, Any]) -> Status:
    """Run the rest of the script; None when a command waits."""
    try:
        while state["lists"]:
            andor = state["lists"][0]
            while state["item"] < len(andor):
                operator, pipeline = andor[state["item"]]
                state["item"] += 1
                if _skipped(operator, state["status"]):
                    continue
                status = _pipeline(proc, state, pipeline)
                if status is None:
                    return None
                state["status"] = status
            state["lists"].pop(0)
            state["item"] = 0
    except Exit as exit_:
        return exit_.status
    return int(state["status"])


def _skipped(operator: str, status: int) -> bool:
    return (operator == "&&" and status != 0) or (operator == "||" and status == 0)


def _pipeline(proc: Process, state: dict[str, Any], pipeline: Pipeline) -> Status:
    if len(pipeline) == 1 and pipeline[0]["argv"][0] in _BUILTINS:
        return _BUILTINS[pipeline[0]["argv"][0]](proc, state, pipeline[0]["argv"][1:])
    data = str(state.pop("stdin", ""))
    for command in pipeline[:-1]:
        status, data = _command(proc, command, data, capture=True)
        if status is None:
            name = command["argv"][0]
            proc.fail(f"sh: {name}: only the last command of a pipeline may wait", 2)
    status, _ = _command(proc, pipeline[-1], data, capture=False)
    return status


def _command(
    proc: Process, command: Command, stdin: str, *, capture: bool
) -> tuple[Status, str]:
    argv: list[str] = command["argv"]
    if command["in"] is not None:
        text = files.read(proc.world, command["in"])
        if text is None:
            proc.print(f"sh: cannot open {command['in']}: No such file or directory")
            return 2, ""
        stdin = text
    redirect = command["out"]
    proc.flush()
    try:
        child, status, output = spawn(
            proc.rt, proc.record, argv, stdin=stdin, capture=capture or bool(redirect)
        )
    except CommandNotFound:
        proc.print(f"sh: {argv[0]}: not found")
        return 127, ""
    if status is None:
        if capture:
            procs.exit(proc.rt, child.pid, 0, notify=False)
        else:
            wait_for(proc.record, child)
        return None, ""
    if redirect:
        _redirect(proc, redirect, output)
        output = ""
    return status, output


def _redirect(proc: Process, redirect: list[str], output: str) -> None:
    mode, path = redirect
    if files.normalise(path) == "/dev/null":
        return
    before = files.read(proc.world, path) if mode == ">>" else None
    files.write(proc.world, path, (before or "") + output)


def _cd(proc: Process, state: dict[str, Any], args: list[str]) -> int:
    state["cwd"] = files.normalise(args[0]) if args else "/root"
    return 0


def _exit(proc: Process, state: dict[str, Any], args: list[str]) -> int:
    if args and not args[0].isdigit():
        proc.fail(f"sh: exit: Illegal number: {args[0]}", 2)
    raise Exit(int(args[0]) & 0xFF if args else int(state["status"]))


def _colon(proc: Process, state: dict[str, Any], args: list[str]) -> int:
    return 0


_BUILTINS = {"cd": _cd, "exit": _exit, ":": _colon}


class Shell(Waiting):
    """A shell waiting for the command it runs."""

    def on_child(self, rt: Runtime, proc: ProcRecord, pid: int, status: int) -> Status:
        """Go on with the script once the awaited command has ended."""
        state = proc.state
        state.pop("child", None)
        state["status"] = status
        return handle(rt, proc, lambda ctx: _resume(ctx, state))


HANDLER = Shell()
