"""The simulated FreeBSD host: a kernel and a userland over a persisted world.

- ``host``: ``SimulatedHost``, the Host protocol; ``reset_world``
- ``world``: the state (dataclasses with explicit to/from dict)
- ``persist``: ``<state_dir>/sim/world.json`` under ``world.lock``
- ``profiles``: fresh worlds (``default``, ``two-nic``)
- ``kernel``: interfaces, addresses, bridges, routes, sysctls, modules, pf,
  files, clock and seeded entropy
- ``userland``: one module per program (ifconfig, route, netstat, sysctl,
  kldload, pfctl, cat, echo, ...) with FreeBSD's output and errors
- ``packets``: the typed packets that links will carry (not used by the
  kernel yet)

Importing this package stays cheap: no pydantic, scapy or netaddr.
"""

from __future__ import annotations

from kleene.backends.sim.host import SimulatedHost, reset_world

__all__ = ["SimulatedHost", "reset_world"]
