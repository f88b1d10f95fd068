"""route(8): add and delete static routes, show the default route.

Supported forms (SPEC §7.5): ``route [-n] add [-inet|-inet6|-4|-6] default
GW``, ``route [-n] add [-inet|-inet6] -net CIDR GW``, ``route [-n] delete
[-inet|-inet6] default`` and ``route -n get default``. Messages are FreeBSD
13's (SPEC §7.7): ``add net <dest>: gateway <gw>`` where ``<dest>`` is the
argument as typed; failures repeat it with `` fib 0: <reason>``, preceded by
``route: writing to routing socket: <error>`` except for EEXIST, which
route(8) leaves to that line, and ESRCH (``route: route has not been found``).
In a jail without its own stack, a change is only ``route: writing to
routing socket: Operation not permitted``, exit 1.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass

from kleene.backends.sim.kernel import routes
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.userland.process import Exit, Process, Usage
from kleene.backends.sim.world import IPAddress, IPNetwork

logger = logging.getLogger(__name__)

USAGE = "usage: route [-46dnqtv] command [[modifiers] args]"

EX_NOHOST = 68
_FAMILIES = {"-inet": 4, "-4": 4, "-inet6": 6, "-6": 6}
_REASONS = {
    Errno.ESRCH: "not in table",
    Errno.EBUSY: "entry in use",
    Errno.EEXIST: "route already in table",
}


@dataclass
class RouteRequest:
    """One route command as read from the command line."""

    command: str
    version: int = 4
    destination: str | None = None
    gateway: str | None = None


def main(proc: Process, args: list[str]) -> int:
    """Run route."""
    while args and args[0] in ("-n", "-q"):
        args = args[1:]
    if not args or args[0] not in ("add", "delete", "get"):
        raise Usage
    request = _parse(args)
    if request.command == "get":
        return _get(proc, request)
    if not proc.may_configure:
        proc.fail("route: writing to routing socket: Operation not permitted")
    return _change(proc, request)


def _parse(args: list[str]) -> RouteRequest:
    request = RouteRequest(args[0])
    words = args[1:]
    if words[:1] and words[0] in _FAMILIES:
        request.version = _FAMILIES[words.pop(0)]
    if words[:1] == ["-net"]:
        words.pop(0)
        if not words or words[0] == "default":
            raise Usage
    elif words[:1] != ["default"]:
        raise Usage
    expected = 2 if request.command == "add" else 1
    if len(words) != expected:
        raise Usage
    request.destination = words[0]
    request.gateway = words[1] if request.command == "add" else None
    return request


def _change(proc: Process, request: RouteRequest) -> int:
    assert request.destination is not None
    destination = _destination(proc, request.version, request.destination)
    line = f"{request.command} net {request.destination}"
    if request.gateway is not None:
        line += f": gateway {request.gateway}"
    try:
        if request.command == "add":
            gateway = _address(proc, request.version, request.gateway or "")
            routes.add_static(proc.stack, destination, gateway)
        else:
            routes.delete_static(proc.stack, destination)
    except KernelError as exc:
        _report(proc, line, exc.errno)
    proc.print(line)
    return 0


def _report(proc: Process, line: str, errno: Errno) -> None:
    if errno is Errno.ESRCH:
        proc.print("route: route has not been found")
    elif errno is not Errno.EEXIST:
        proc.print(f"route: writing to routing socket: {KernelError(errno).text}")
    reason = _REASONS.get(errno, KernelError(errno).text)
    proc.print(f"{line} fib 0: {reason}")
    raise Exit(1)


def _destination(proc: Process, version: int, text: str) -> IPNetwork:
    if text == "default":
        return ipaddress.ip_network("::/0" if version == 6 else "0.0.0.0/0")
    try:
        if version == 4:
            return ipaddress.IPv4Network(text, strict=False)
        return ipaddress.IPv6Network(text, strict=False)
    except ValueError:
        proc.fail(f"route: bad address: {text}", EX_NOHOST)


def _address(proc: Process, version: int, text: str) -> IPAddress:
    try:
        if version == 4:
            return ipaddress.IPv4Address(text)
        return ipaddress.IPv6Address(text)
    except ValueError:
        proc.fail(f"route: bad address: {text}", EX_NOHOST)


def _get(proc: Process, request: RouteRequest) -> int:
    if request.version != 4 or request.destination != "default":
        raise Usage
    entry = routes.lookup(proc.stack, ipaddress.IPv4Address("0.0.0.0"))
    if entry is None or entry.destination.prefixlen != 0:
        proc.fail("route: route has not been found")
    proc.print("   route to: default")
    proc.print("destination: default")
    proc.print("       mask: default")
    proc.print(f"    gateway: {entry.gateway}")
    proc.print("        fib: 0")
    proc.print(f"  interface: {entry.netif.name}")
    proc.print("      flags: <UP,GATEWAY,DONE,STATIC>")
    proc.print(" recvpipe  sendpipe  ssthresh  rtt,msec    mtu        weight    expire")
    metrics = (0, 0, 0, 0, entry.netif.mtu, 1, 0)
    proc.print("".join(f"{value:8d}  " for value in metrics)[:-1])
    return 0
