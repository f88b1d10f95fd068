"""The simulated FreeBSD host: a kernel and a userland over a persisted world.

- ``host``: ``SimulatedHost``, the Host protocol; ``reset_world``
- ``follow``: ``SimProcess``, following an exec log while time advances
- ``world`` and ``records``: the state (dataclasses with explicit to/from
  dict): stacks, interfaces, jails, processes, sockets, timers, mounts
- ``persist``: ``<state_dir>/sim/world.json`` under ``world.lock``
- ``profiles``: fresh worlds (``default``, ``two-nic``)
- ``kernel``: interfaces, addresses, bridges, routes, the packet path (link,
  ARP/NDP, IP, ICMP, UDP, TCP, sockets), the pf hook, captures, processes,
  jails, the outside world, files, clock and seeded entropy
- ``userland``: one module per program (ifconfig, route, netstat, jail,
  jexec, jls, ping, nc, host, sh, ...) with FreeBSD's output and errors
- ``packets``: the typed packets that links carry
- ``pf``: the pf.conf parser and rule evaluation

Importing this package stays cheap: no pydantic, scapy or netaddr.
"""

from __future__ import annotations

from kleene.backends.sim.host import SimulatedHost, reset_world

__all__ = ["SimulatedHost", "reset_world"]
