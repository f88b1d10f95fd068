"""jail(8): ``-c`` (create and run), ``-m`` (modify addresses), ``-r`` (remove).

``jail -c`` works in FreeBSD's order: mount devfs (``mount.devfs``), run each
``exec.prestart`` on the host, create the jail (held while jail(8) works on
it), move the ``vnet.interface``s in, run each ``exec.start`` in the jail,
then the ``command``, then each ``exec.poststart`` on the host (the
simulation runs them once the command has ended, not once it has started);
the jail is then released, so it lives as long as it has processes.
``exec.*`` strings run as ``/bin/sh -c STRING``; the command words run as
they are. Output is the process output. A step that fails
prints ``jail: <command>: failed`` and jail(8) exits 1 (a failing prestart or
start also undoes the jail). A step that waits makes jail(8) wait: its state
holds the remaining steps, and ``on_child`` goes on.

``jail -r J`` runs the ``exec.stop`` commands in the jail, printing their
output, then removes it (SIGTERM to what is left; devfs unmounted).
``jail -m name=J ip4.addr=... ip6.addr=...`` replaces the address lists (an
empty value empties one).
"""

from __future__ import annotations

import logging
from typing import Any

from kleene.backends.sim.kernel import jails, mounts, procs
from kleene.backends.sim.kernel.errno import KernelError
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.records import HOST_JID, IpMode, Jail, ProcRecord
from kleene.backends.sim.userland import jailparams
from kleene.backends.sim.userland.execute import (
    CLEAN_ENV,
    Waiting,
    handle,
    spawn,
    wait_for,
)
from kleene.backends.sim.userland.jailparams import JailRequest, UnknownParameter
from kleene.backends.sim.userland.process import Process, Usage
from kleene.errors import CommandNotFound

logger = logging.getLogger(__name__)

USAGE = (
    "usage: jail [-dhilqv] [-J jid_file] [-u username] [-U username] "
    "-[cmr] param=value ... [command=command ...]"
)
PROG = "jail"
SHELL = "/bin/sh"


def main(proc: Process, args: list[str]) -> Status:
    """Run jail."""
    if not args:
        raise Usage
    mode, rest = args[0], args[1:]
    if mode == "-c":
        return _create(proc, rest)
    if mode == "-m":
        return _modify(proc, rest)
    if mode == "-r" and len(rest) == 1:
        return _remove(proc, rest[0])
    raise Usage


def _create(proc: Process, args: list[str]) -> Status:
    try:
        request = jailparams.parse(args)
    except UnknownParameter as exc:
        proc.fail(f"jail: unknown parameter: {exc}")
    if not request.name:
        proc.fail("jail: create: missing name")
    if jails.find(proc.world, request.name) is not None:
        proc.fail(f'jail: create: jail "{request.name}" already exists')

    steps: list[list[Any]] = []
    steps += [
        ["prestart", command] for command in request.execs.get("exec.prestart", [])
    ]
    steps.append(["create"])
    steps += [["start", command] for command in request.execs.get("exec.start", [])]
    if request.command:
        steps.append(["command", request.command])
    poststart = request.execs.get("exec.poststart", [])
    steps += [["poststart", command] for command in poststart]
    steps.append(["release"])
    if request.devfs:
        mounts.mount_devfs(proc.world, _dev(request.path))

    proc.record.state = {
        "steps": steps,
        "request": _request_state(request),
        "stdin": proc.stdin,
    }
    status = _proceed(proc, proc.record.state)
    if status is None:
        proc.record.prog = PROG
    return status


def _dev(path: str) -> str:
    return path.rstrip("/") + "/dev"


def _request_state(request: JailRequest) -> dict[str, Any]:
    return {
        key: value.value if hasattr(value, "value") else value
        for key, value in vars(request).items()
    }


def _proceed(proc: Process, state: dict[str, Any]) -> Status:
    """Run the remaining steps; None when one waits."""
    while state["steps"]:
        step = state["steps"].pop(0)
        kind = step[0]
        if kind == "create":
            failure = _make_jail(proc, state)
            if failure is not None:
                return failure
            continue
        if kind == "release":
            _release(proc, state)
            continue
        status = _run_step(proc, state, step)
        if status is None:
            state["current"] = step
            return None
        failure = _check(proc, state, step, status)
        if failure is not None:
            return failure
    return 0


def _run_step(proc: Process, state: dict[str, Any], step: list[Any]) -> Status:
    kind = step[0]
    request = state["request"]
    jid = HOST_JID if kind in ("prestart", "poststart") else int(state["jid"])
    argv = step[1] if kind == "command" else [SHELL, "-c", step[1]]
    env = list(CLEAN_ENV) if request["clean"] else list(proc.record.env)
    stdin = state.pop("stdin", "") if kind == "command" else ""
    proc.flush()
    try:
        child, status, _ = spawn(
            proc.rt, proc.record, argv, jid=jid, env=env, stdin=stdin
        )
    except CommandNotFound:
        proc.print(f"jail: exec {argv[0]}: No such file or directory")
        return 1
    finally:
        if kind == "command":
            _release(proc, state)
    if status is None:
        wait_for(proc.record, child)
    return status


def _check(
    proc: Process, state: dict[str, Any], step: list[Any], status: int
) -> Status:
    """Return jail(8)'s status when a step failed, None when all is well."""
    if status == 0:
        return None
    words = " ".join(step[1]) if step[0] == "command" else step[1]
    proc.print(f"jail: {words}: failed")
    _undo(proc, state, step[0])
    return 1


def _undo(proc: Process, state: dict[str, Any], kind: str) -> None:
    jail = proc.world.jails.get(int(state.get("jid", 0)))
    if kind == "start" and jail is not None:
        jails.remove(proc.rt, jail, unmount=True)
    elif kind == "prestart" and state["request"]["devfs"]:
        _unmount_quietly(proc, _dev(state["request"]["path"]))


def _unmount_quietly(proc: Process, node: str) -> None:
    try:
        mounts.unmount(proc.world, node)
    except KernelError:
        logger.debug("nothing mounted at %s", node)


def _make_jail(proc: Process, state: dict[str, Any]) -> Status:
    request = state["request"]
    jail = Jail(
        jid=0,
        name=request["name"],
        path=request["path"],
        hostname=request["hostname"] or request["name"],
        stack="",
        vnet=request["vnet"],
        ip4=jailparams.ip_mode(_mode(request["ip4"]), request["ip4_addrs"]),
        ip6=jailparams.ip_mode(_mode(request["ip6"]), request["ip6_addrs"]),
        ip4_addrs=list(request["ip4_addrs"] or []),
        ip6_addrs=list(request["ip6_addrs"] or []),
        raw_sockets=request["raw_sockets"],
        persist=request["persist"],
        held=True,
        devfs=_dev(request["path"]) if request["devfs"] else None,
        params=list(request["given"]),
    )
    jails.create(proc.rt, jail)
    state["jid"] = jail.jid
    for name in request["interfaces"]:
        try:
            jails.move_in(proc.rt, jail, name)
        except KernelError as exc:
            proc.print(f"jail: vnet.interface: {name}: {exc.text}")
            jails.remove(proc.rt, jail, unmount=True)
            return 1
    return None


def _mode(value: str | None) -> IpMode | None:
    return None if value is None else IpMode(value)


def _release(proc: Process, state: dict[str, Any]) -> None:
    jail = proc.world.jails.get(int(state.get("jid", 0)))
    if jail is not None:
        jails.release(proc.rt, jail)


def _modify(proc: Process, args: list[str]) -> int:
    values = dict(arg.partition("=")[::2] for arg in args)
    name = values.pop("name", "")
    jail = jails.find(proc.world, name)
    if jail is None:
        proc.fail(f'jail: "{name}" not found')
    for key, value in values.items():
        if key in ("ip4.addr", "ip6.addr"):
            family = key.split(".")[0]
            setattr(jail, f"{family}_addrs", jailparams.addresses(value))
            if getattr(jail, family) is IpMode.DISABLE:
                setattr(jail, family, IpMode.NEW)
        elif not jailparams.is_known(key):
            proc.fail(f"jail: unknown parameter: {key}")
    proc.rt.invalidate()
    logger.info("modified jail %d (%s)", jail.jid, jail.name)
    return 0


def _remove(proc: Process, key: str) -> int:
    jail = jails.find(proc.world, key)
    if jail is None:
        proc.fail(f'jail: "{key}" not found')
    jail.held = True
    for command in _stop_commands(jail):
        proc.flush()
        child, status, _ = spawn(
            proc.rt, proc.record, [SHELL, "-c", command], jid=jail.jid
        )
        if status is None:
            procs.exit(proc.rt, child.pid, 128 + procs.SIGTERM, notify=False)
    jails.remove(proc.rt, jail, unmount=True)
    return 0


def _stop_commands(jail: Jail) -> list[str]:
    return [
        param.partition("=")[2]
        for param in jail.params
        if param.startswith("exec.stop=")
    ]


class JailCommand(Waiting):
    """jail(8) waiting for an ``exec.*`` command or the jail's command."""

    def on_child(self, rt: Runtime, proc: ProcRecord, pid: int, status: int) -> Status:
        """Check the step that ended and go on with the next."""
        state = proc.state
        state.pop("child", None)
        step = state.pop("current")

        def go_on(ctx: Process) -> Status:
            failure = _check(ctx, state, step, status)
            return failure if failure is not None else _proceed(ctx, state)

        return handle(rt, proc, go_on)


HANDLER = JailCommand()
