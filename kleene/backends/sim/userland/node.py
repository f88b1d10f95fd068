"""``node src/index.js``: the webapp image's server (SPEC §7.7).

It prints ``Listening on port 3000``, listens on TCP 3000 (an ipnet jail's
addresses only, as every jailed listener), discards what it receives, closes
a connection when the peer does, and never exits.
"""

from __future__ import annotations

import logging
from typing import Any

from kleene.backends.sim.kernel import sockets
from kleene.backends.sim.kernel.errno import KernelError
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.records import ProcRecord, Proto, Socket
from kleene.backends.sim.userland.execute import Waiting
from kleene.backends.sim.userland.process import Process, Usage

logger = logging.getLogger(__name__)

USAGE = "usage: node src/index.js"
PROG = "node"
PORT = 3000


def main(proc: Process, args: list[str]) -> Status:
    """Run the web application."""
    if args != ["src/index.js"]:
        raise Usage
    try:
        sock = sockets.open(proc.rt, proc.record, Proto.TCP, 4)
        sockets.listen(proc.rt, sock, PORT)
    except KernelError as exc:
        proc.fail(f"Error: listen {exc.text} :::{PORT}")
    proc.print(f"Listening on port {PORT}")
    proc.record.prog = PROG
    logger.info("web application %d listening on port %d", proc.record.pid, PORT)
    return None


class Server(Waiting):
    """The server, waiting for connections and data it discards."""

    def on_socket(
        self, rt: Runtime, proc: ProcRecord, sock: Socket, event: str, data: Any
    ) -> Status:
        """Close a connection the peer closed; ignore everything else."""
        if event in (sockets.Event.EOF, sockets.Event.RESET):
            sockets.close(rt, sock)
        return None


HANDLER = Server()
