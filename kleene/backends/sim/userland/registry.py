"""The simulated userland's programs and the handlers of those that wait.

A program is found by the last component of ``argv[0]`` (``/sbin/ifconfig``
is ``ifconfig``). ``HANDLERS`` maps the ``prog`` name that a waiting process
stores in its record to the handler that receives its events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kleene.backends.sim.kernel.runtime import Handler, Status
from kleene.backends.sim.userland import (
    env,
    hostcmd,
    ifconfig,
    jail,
    jexec,
    jls,
    kldload,
    misc,
    nc,
    netstat,
    node,
    pfctl,
    ping,
    rc,
    route,
    sh,
    storage,
    sysctl,
)
from kleene.backends.sim.userland.execute import Waiting
from kleene.backends.sim.userland.process import Process


@dataclass(frozen=True)
class Program:
    """A simulated program: its entry point and its usage line."""

    main: Callable[[Process, list[str]], Status]
    usage: str


PROGRAMS = {
    "ifconfig": Program(ifconfig.main, ifconfig.USAGE),
    "route": Program(route.main, route.USAGE),
    "netstat": Program(netstat.main, netstat.USAGE),
    "sysctl": Program(sysctl.main, sysctl.USAGE),
    "kldload": Program(kldload.main, kldload.USAGE),
    "kldstat": Program(kldload.kldstat, kldload.KLDSTAT_USAGE),
    "pfctl": Program(pfctl.main, pfctl.USAGE),
    "cat": Program(misc.cat, misc.CAT_USAGE),
    "echo": Program(misc.echo, misc.NO_USAGE),
    "true": Program(misc.true, misc.NO_USAGE),
    "false": Program(misc.false, misc.NO_USAGE),
    "hostname": Program(misc.hostname, misc.HOSTNAME_USAGE),
    "date": Program(misc.date, misc.DATE_USAGE),
    "sleep": Program(misc.sleep, misc.SLEEP_USAGE),
    "env": Program(env.main, env.USAGE),
    "sh": Program(sh.main, sh.USAGE),
    "jail": Program(jail.main, jail.USAGE),
    "jexec": Program(jexec.main, jexec.USAGE),
    "jls": Program(jls.main, jls.USAGE),
    "zfs": Program(storage.zfs, storage.ZFS_USAGE),
    "mount": Program(storage.mount, storage.MOUNT_USAGE),
    "umount": Program(storage.umount, storage.UMOUNT_USAGE),
    "cron": Program(rc.cron, rc.CRON_USAGE),
    "syslogd": Program(rc.syslogd, rc.SYSLOGD_USAGE),
    "ping": Program(ping.main, ping.USAGE),
    "ping6": Program(ping.main6, ping.USAGE6),
    "nc": Program(nc.main, nc.USAGE),
    "host": Program(hostcmd.main, hostcmd.USAGE),
    "node": Program(node.main, node.USAGE),
}

HANDLERS: dict[str, Handler] = {
    sh.PROG: sh.HANDLER,
    jail.PROG: jail.HANDLER,
    misc.SLEEP_PROG: misc.SLEEP_HANDLER,
    rc.DAEMON_PROG: rc.HANDLER,
    ping.PROG: ping.HANDLER,
    nc.PROG: nc.HANDLER,
    hostcmd.PROG: hostcmd.HANDLER,
    node.PROG: node.HANDLER,
}

FALLBACK = Waiting()


def program_name(argv0: str) -> str:
    """Return the name a program is found by: the last path component."""
    return argv0.rsplit("/", 1)[-1]
