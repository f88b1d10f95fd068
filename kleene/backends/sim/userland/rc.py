"""The simulated boot and shutdown scripts and the daemons they manage.

``/etc/rc`` (sim wording, SPEC §7.7) prints ``Starting syslogd.``,
``Starting cron.``, an empty line and the date, and leaves ``syslogd`` and
``cron`` running in the jail (one of each); in a vnet jail it first
configures ``lo0`` with ``::1/128`` and ``127.0.0.1/8``, silently.
``/etc/rc.shutdown`` prints ``Stopping cron.`` and ``Stopping syslogd.`` for
the daemons that run and ends them with SIGTERM.

``cron`` and ``syslogd`` run as programs daemonize: the command ends with 0
and the daemon stays, a child of init that waits for nothing and ends only
when signalled.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene.backends.sim.kernel import addresses, clock, interfaces, procs
from kleene.backends.sim.userland.execute import Waiting
from kleene.backends.sim.userland.process import Process, Usage

logger = logging.getLogger(__name__)

DAEMONS = {"syslogd": "/usr/sbin/syslogd", "cron": "/usr/sbin/cron"}
DAEMON_PROG = "daemon"
LOOPBACK = ("::1/128", "127.0.0.1/8")


def run_rc(proc: Process) -> int:
    """Run ``/etc/rc``: loopback, syslogd, cron, the date."""
    jail = proc.jail
    if jail is not None and jail.vnet:
        _configure_loopback(proc)
    for name in ("syslogd", "cron"):
        proc.print(f"Starting {name}.")
        daemonize(proc, name)
    proc.print()
    proc.print(clock.date_text(clock.now(proc.world)))
    return 0


def run_shutdown(proc: Process) -> int:
    """Run ``/etc/rc.shutdown``: stop cron, then syslogd."""
    for name in ("cron", "syslogd"):
        running = _running(proc, name)
        if running is None:
            continue
        proc.print(f"Stopping {name}.")
        procs.signal(proc.rt, running, procs.SIGTERM)
    return 0


def _configure_loopback(proc: Process) -> None:
    lo0 = interfaces.loopback(proc.stack)
    if lo0 is None:
        return
    for text in LOOPBACK:
        address = ipaddress.ip_interface(text)
        if all(existing.ip != address.ip for existing in lo0.addresses):
            addresses.add(lo0, address)
    proc.rt.invalidate()


def _running(proc: Process, name: str) -> int | None:
    for other in procs.in_jail(proc.world, proc.record.jid):
        if other.prog == DAEMON_PROG and other.name == name:
            return other.pid
    return None


def daemonize(proc: Process, name: str) -> None:
    """Leave a daemon running in the process's jail, unless one runs already."""
    if _running(proc, name) is not None:
        return
    daemon = procs.spawn(
        proc.rt,
        ppid=procs.INIT_PID,
        jid=proc.record.jid,
        stack=proc.record.stack,
        argv=[DAEMONS[name]],
        log=None,
        env=proc.record.env,
    )
    daemon.prog = DAEMON_PROG
    logger.info("started %s (pid %d) in jail %d", name, daemon.pid, daemon.jid)


def cron(proc: Process, args: list[str]) -> int:
    """Run cron: daemonize."""
    if args:
        raise Usage
    daemonize(proc, "cron")
    return 0


def syslogd(proc: Process, args: list[str]) -> int:
    """Run syslogd: daemonize."""
    if args:
        raise Usage
    daemonize(proc, "syslogd")
    return 0


CRON_USAGE = (
    "usage: cron [-j jitter] [-J rootjitter] [-m mailto] [-n] [-s] [-o] "
    "[-x debugflag[,...]]"
)
SYSLOGD_USAGE = "usage: syslogd [-468ACcdFHknosTuv] [-a allowed_peer]"

HANDLER = Waiting()
