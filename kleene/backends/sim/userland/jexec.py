"""jexec(8): run a command in a jail (``[-l] [-U user | -u user] JAIL COMMAND...``).

The process attaches to the jail (by JID or name) and becomes the command,
so its status is the command's own. ``-l`` gives the command a clean
environment, as a login would. An unknown jail is ``jexec: jail "<x>" not
found``; a command the userland does not have is ``jexec: execvp: <name>:
No such file or directory``; both exit 1.
"""

from __future__ import annotations

import getopt
import logging

from kleene.backends.sim.kernel import jails
from kleene.backends.sim.kernel.runtime import Status
from kleene.backends.sim.userland.execute import CLEAN_ENV, run_program
from kleene.backends.sim.userland.process import Process, Usage
from kleene.errors import CommandNotFound

logger = logging.getLogger(__name__)

USAGE = "usage: jexec [-l] [-u username | -U username] jail [command ...]"


def main(proc: Process, args: list[str]) -> Status:
    """Run jexec."""
    try:
        options, rest = getopt.getopt(args, "lu:U:")
    except getopt.GetoptError:
        raise Usage from None
    if len(rest) < 2:
        raise Usage
    key, command = rest[0], rest[1:]
    jail = jails.find(proc.world, key)
    if jail is None:
        proc.fail(f'jexec: jail "{key}" not found')

    record = proc.record
    record.jid, record.stack = jail.jid, jail.stack
    logger.debug("process %d attached to jail %d (%s)", record.pid, jail.jid, jail.name)
    for option, value in options:
        if option in ("-u", "-U"):
            record.user = value
        elif option == "-l":
            record.env = list(CLEAN_ENV)
    proc.flush()
    try:
        status, output = run_program(
            proc.rt, record, command, proc.stdin, capture=proc.capture
        )
    except CommandNotFound:
        proc.fail(f"jexec: execvp: {command[0]}: No such file or directory")
    proc.write(output)
    return status
