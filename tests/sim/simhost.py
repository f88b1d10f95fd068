"""Helpers for the simulated host's tests: runner types and SPEC listings.

``listing(text)`` turns a listing copied from SPEC, where a TAB is shown as
8 spaces, into the bytes FreeBSD prints. ``Run`` and ``Ok`` are the types of
the ``run`` and ``ok`` fixtures of ``conftest``. ``jail_argv`` and
``exec_argv`` build the engine's ``jail -c`` and ``jexec`` argv; ``follow``
starts one and follows it to its end.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

from kleene.backends.base import CommandResult
from kleene.backends.sim import SimulatedHost

Run = Callable[..., CommandResult]
Ok = Callable[..., str]


def listing(text: str) -> str:
    """Return a SPEC listing with its 8-space indents turned into TABs."""
    lines = textwrap.dedent(text).strip("\n").splitlines()
    return "".join(re.sub(r"^ {8}", "\t", line) + "\n" for line in lines)


def jail_argv(name: str, *params: str, command: tuple[str, ...] = ()) -> list[str]:
    """Return kleene's ``jail -c`` argv for a container (reference §9)."""
    argv = ["/usr/sbin/jail", "-c", f"path=/zroot/kleene/container/{name}"]
    argv += [f"name={name}", *params]
    argv += [
        "mount.devfs=true",
        "exec.stop=/bin/sh /etc/rc.shutdown jail",
        "exec.clean=true",
        "exec.jail_user=root",
        f"host.hostname={name}",
    ]
    if command:
        argv += ["command=/usr/bin/env", *command]
    return argv


def exec_argv(name: str, *command: str) -> list[str]:
    """Return kleene's ``jexec`` argv for a command in a container."""
    return ["/usr/sbin/jexec", "-l", "-U", "root", name, "/usr/bin/env", *command]


def follow(host: SimulatedHost, argv: list[str], log: Path) -> tuple[int, str]:
    """Start a command, follow it to its end, return its status and output."""
    chunks: list[bytes] = []
    status = host.start(argv, log=log).follow(chunks.append)
    return status, b"".join(chunks).decode()


def vnet_jail(ok: Ok, name: str, bridge: str, cidr: str, gateway: str = "") -> str:
    """Create a persistent vnet jail on a bridge, as kleene does; return its epair."""
    epair = ok("ifconfig epair create").strip()[:-1]
    params = [
        f"name={name}",
        f"path=/j/{name}",
        "vnet",
        f"vnet.interface={epair}b",
        f"'exec.prestart=ifconfig {bridge} addm {epair}a'",
        f"'exec.prestart=ifconfig {epair}a up'",
        f"'exec.start=ifconfig {epair}b inet {cidr}'",
    ]
    if gateway:
        params.append(f"'exec.start=route add -inet default {gateway}'")
    ok("jail -c " + " ".join(params) + " persist")
    return epair


def ipnet_jail(
    ok: Ok, name: str, iface: str, *addresses: str, raw: bool = True
) -> None:
    """Create a persistent ipnet jail with aliases on an interface, as kleene does."""
    for address in addresses:
        ok(f"ifconfig {iface} inet {address}/32 alias")
    params = f"name={name} path=/j/{name} ip4.addr={','.join(addresses)} persist"
    ok(f"jail -c {params}" + (" allow.raw_sockets" if raw else ""))
