"""jls(8): list jails, as text or libxo JSON (``[-v] [--libxo json] [-j JAIL]``).

Text (SPEC §7.7): a header, then one line per jail in JID order, formatted
``%6d  %-15.15s %-29.29s %.74s`` (JID, first IPv4 address, hostname, path).
``-v`` prints FreeBSD's four-line blocks (JID, hostname, path; name, state;
cpuset id; one address a line). JSON is reference §3.2's shape: ``-v`` adds
``name``, ``state``, ``ipv4_addrs`` and ``ipv6_addrs``. ``-j`` of an
unknown jail: ``jls: jail "<x>" not found``, exit 1. Inside a jail, jls
lists no jails (the simulation has no nested jails).
"""

from __future__ import annotations

import getopt
import json
from typing import Any

from kleene.backends.sim.kernel import jails
from kleene.backends.sim.records import Jail
from kleene.backends.sim.userland.netstat import strip_libxo
from kleene.backends.sim.userland.process import Process, Usage

USAGE = "usage: jls [-dhNnqv] [-j jail] [param ...]"

HEADER = "   JID  IP Address      Hostname                      Path"
VERBOSE_HEADER = (
    "   JID  Hostname                      Path\n"
    "        Name                          State\n"
    "        CPUSetID\n"
    "        IP Address(es)"
)
FIRST_CPUSET = 2


def main(proc: Process, args: list[str]) -> int:
    """Run jls."""
    args, as_json = strip_libxo(args)
    try:
        options, rest = getopt.getopt(args, "vj:")
    except getopt.GetoptError:
        raise Usage from None
    if rest:
        raise Usage
    verbose = any(option == "-v" for option, _ in options)
    selected = _select(proc, dict(options).get("-j"))
    if as_json:
        proc.write(_json(selected, verbose))
    elif verbose:
        proc.print(VERBOSE_HEADER)
        for jail in selected:
            proc.write(_verbose_block(jail))
    else:
        proc.print(HEADER)
        for jail in selected:
            proc.print(_line(jail))
    return 0


def _select(proc: Process, key: str | None) -> list[Jail]:
    visible = [] if proc.jail is not None else list(proc.world.jails.values())
    visible.sort(key=lambda jail: jail.jid)
    if key is None:
        return visible
    jail = jails.find(proc.world, key)
    if jail is None or jail not in visible:
        proc.fail(f'jls: jail "{key}" not found')
    return [jail]


def _line(jail: Jail) -> str:
    address = jail.ip4_addrs[0] if jail.ip4_addrs else ""
    return f"{jail.jid:6d}  {address:<15.15} {jail.hostname:<29.29} {jail.path:.74}"


def _verbose_block(jail: Jail) -> str:
    lines = [
        f"{jail.jid:6d}  {jail.hostname:<29.29} {jail.path:.74}",
        f"        {jail.name:<29.29} ACTIVE",
        f"        {FIRST_CPUSET + jail.jid}",
    ]
    lines += [f"        {address}" for address in jail.ip4_addrs + jail.ip6_addrs]
    return "".join(line + "\n" for line in lines)


def _json(selected: list[Jail], verbose: bool) -> str:
    rows: list[dict[str, Any]] = []
    for jail in selected:
        row: dict[str, Any] = {"jid": jail.jid}
        if verbose:
            row.update(name=jail.name, hostname=jail.hostname, path=jail.path)
            row.update(state="ACTIVE")
            row.update(ipv4_addrs=jail.ip4_addrs, ipv6_addrs=jail.ip6_addrs)
        else:
            first = jail.ip4_addrs[0] if jail.ip4_addrs else ""
            row.update(ipv4=first, hostname=jail.hostname, path=jail.path)
        rows.append(row)
    document = {"__version": "2", "jail-information": {"jail": rows}}
    return json.dumps(document) + "\n"
