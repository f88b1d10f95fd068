"""Sockets (placeholder until the packet layer lands)."""

from __future__ import annotations

from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.records import Socket


def close(rt: Runtime, sock: Socket) -> None:
    """Close a socket."""
    rt.world.sockets.pop(sock.sid, None)
