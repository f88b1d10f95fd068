"""Running containers: start, exec, stop and the end of a process (SPEC §4.10).

A start creates an exec instance, does the driver's host steps, then starts
``jail -c`` through ``Host.start`` with the instance's exec log; an exec
into a running container starts ``jexec``. When the process ends, the jail
is looked up: if it is gone, the container has stopped and the driver's
cleanup runs. The lock is held for host and store changes, never while a
process is followed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kleene import ids, inventory, plans
from kleene.backends.base import Process
from kleene.backends.follow import read_status
from kleene.engine import drivers
from kleene.engine.containers import find, timestamp
from kleene.engine.core import Engine
from kleene.engine.reconcile import reconcile
from kleene.engine.steps import Steps
from kleene.errors import Conflict, KleeneError
from kleene.model import Container

logger = logging.getLogger(__name__)

JAIL_WAIT_SECONDS = 10.0


@dataclass
class Execution:
    """A started process: its exec id, container and host process."""

    exec_id: str
    container: Container
    process: Process
    log: Path
    started_jail: bool


def exec_log(engine: Engine, exec_id: str) -> Path:
    """Return the exec log of an instance."""
    return Path(engine.config.state_dir) / "exec" / f"{exec_id}.log"


def _new_exec(engine: Engine, container: Container, command: list[str]) -> str:
    with engine.store.transaction():
        exec_id = ids.new_id(engine.host, engine.store.id_taken)
        engine.store.register_id(exec_id, "exec")
        engine.store.insert_exec(exec_id, container.id, command, timestamp(engine))
    return exec_id


def jail_info(engine: Engine, container: Container) -> inventory.JailInfo | None:
    """Return the container's jail, or None when it does not exist."""
    result = engine.host.run(plans.jls_jail(container.id))
    if not result.ok:
        return None
    jails = inventory.parse_jls(result.output)
    return jails[0] if jails else None


def start(
    engine: Engine,
    ident: str,
    *,
    command: list[str] | None = None,
    env: list[str] | None = None,
    stdin: bytes | None = None,
) -> Execution:
    """Start a stopped container with its command (or ``command``)."""
    with engine.locked():
        reconcile(engine)
        container = find(engine, ident)
        if container.running:
            raise Conflict("container already running")
        words = command or container.cmd
        exec_id = _new_exec(engine, container, words)
        log = exec_log(engine, exec_id)
        try:
            with Steps(engine.host) as steps:
                drivers.prepare(engine, container, steps)
        except KleeneError as exc:
            raise KleeneError(f"could not start container: {exc}") from exc
        container = find(engine, container.id)
        argv = plans.jail_create(
            name=container.id,
            path=container.path,
            network_params=drivers.network_params(
                container, drivers.attachments(engine, container)
            ),
            user=container.user,
            jail_params=container.jail_param,
            env=[*container.env, *(env or [])],
            command=words,
        )
        process = engine.host.start(argv, log=log, stdin=stdin)
        if not _mark_running(engine, container, log):
            drivers.cleanup(engine, container)  # jail(8) ended at once
        logger.info("started container %s (exec %s)", container.name, exec_id)
        return Execution(exec_id, container, process, log, started_jail=True)


def _mark_running(engine: Engine, container: Container, log: Path) -> bool:
    """Record the JID once the jail exists; tell whether it does."""
    deadline = time.monotonic() + JAIL_WAIT_SECONDS
    while True:
        info = jail_info(engine, container)
        if info is not None:
            with engine.store.transaction():
                engine.store.set_running(container.id, info.jid)
            return True
        if read_status(log) is not None or time.monotonic() > deadline:
            return False
        time.sleep(0.01)


def execute(
    engine: Engine,
    ident: str,
    command: list[str],
    *,
    env: list[str] | None = None,
    user: str | None = None,
    stdin: bytes | None = None,
) -> Execution:
    """Run a command in a container: jexec when it runs, else start it with it."""
    with engine.locked():
        reconcile(engine)
        container = find(engine, ident)
        words = command or container.cmd
        if not container.running:
            return start(engine, container.id, command=words, env=env, stdin=stdin)
        exec_id = _new_exec(engine, container, words)
        log = exec_log(engine, exec_id)
        merged = _merge_env(container.env, env or [])
        argv = plans.jexec(container.id, user or container.user, merged, words)
        process = engine.host.start(argv, log=log, stdin=stdin)
        return Execution(exec_id, container, process, log, started_jail=False)


def _merge_env(base: list[str], extra: list[str]) -> list[str]:
    values: dict[str, str] = {}
    for item in [*base, *extra]:
        key, _, value = item.partition("=")
        values[key] = value
    return [f"{key}={value}" for key, value in values.items()]


def finish(engine: Engine, execution: Execution) -> bool:
    """Run the process-end step; tell whether the container is still running."""
    with engine.locked():
        container = find(engine, execution.container.id)
        if jail_info(engine, container) is not None:
            return True
        if container.running or execution.started_jail:
            drivers.cleanup(engine, container)
        return False


def follow(
    engine: Engine, execution: Execution, sink: Callable[[bytes], None]
) -> tuple[int, bool]:
    """Follow a process to its end; return its status and whether the jail runs."""
    status = execution.process.follow(sink)
    return status, finish(engine, execution)


def stop_container(engine: Engine, container: Container) -> Container:
    """Stop a running container and clean up (the lock is held by the caller)."""
    engine.host.run(plans.jail_remove(container.id))
    drivers.cleanup(engine, container)
    return find(engine, container.id)


def stop(engine: Engine, ident: str) -> str:
    """Stop a running container; return its id."""
    with engine.locked():
        reconcile(engine)
        container = find(engine, ident, "no such container")
        if not container.running:
            raise Conflict("container not running")
        stop_container(engine, container)
        return container.id
