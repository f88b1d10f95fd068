"""Fresh worlds: the host profiles of SPEC §7.2 (``default`` and ``two-nic``).

- ``em0``: index 1, ``08:00:27:b2:00:96``, ``10.0.2.15/24``, up
- ``em1`` (``two-nic`` only): index 2, ``08:00:27:a3:0d:42``, no address, up
- ``lo0``: index 3, ``::1/128``, ``fe80::1%lo0/64``, ``127.0.0.1/8``, up
- ``pflog0``: index 4, down; the host's next index is 5 in both profiles
- a default route via ``10.0.2.2`` on ``em0``; forwarding off; ``pf`` and
  ``pflog`` loaded, pf disabled with no rules; ``/etc/resolv.conf``
- the outside world on ``em0``'s segment (``kernel.outside``)
"""

from __future__ import annotations

import ipaddress

from kleene.backends.sim.kernel import clock, interfaces, outside, routes
from kleene.backends.sim.world import HOST_STACK, IfKind, Interface, Stack, World
from kleene.errors import ValidationError

PROFILES = ("default", "two-nic")
HOSTNAME = "freebsd"
RESOLV_CONF = "nameserver 10.0.2.3\n"


def check_profile(profile: str) -> None:
    """Raise ValidationError for a profile name the simulation does not have."""
    if profile not in PROFILES:
        raise ValidationError(
            f"unknown simulated host profile '{profile}': use 'default' or 'two-nic'"
        )


def fresh_world(seed: int, profile: str) -> World:
    """Return a new world in the state of a freshly booted host."""
    check_profile(profile)
    world = World(
        seed=seed, profile=profile, clock_us=clock.START_US, hostname=HOSTNAME
    )
    world.modules = ["pf", "pflog"]
    world.files = {"/etc/resolv.conf": RESOLV_CONF}
    host = Stack(name=HOST_STACK)
    world.stacks[HOST_STACK] = host

    _add(world, host, IfKind.ETHERNET, "em0", 1, "08:00:27:b2:00:96", ["10.0.2.15/24"])
    if profile == "two-nic":
        _add(world, host, IfKind.ETHERNET, "em1", 2, "08:00:27:a3:0d:42", [])
    loopback = ["::1/128", "fe80::1/64", "127.0.0.1/8"]
    _add(world, host, IfKind.LOOPBACK, "lo0", 3, None, loopback)
    _add(world, host, IfKind.PFLOG, "pflog0", 4, None, []).up = False
    host.next_index = 5

    default = ipaddress.ip_network("0.0.0.0/0")
    routes.add_static(host, default, ipaddress.ip_address("10.0.2.2"))
    outside.build(world)
    return world


def _add(
    world: World,
    stack: Stack,
    kind: IfKind,
    name: str,
    index: int,
    mac: str | None,
    addresses: list[str],
) -> Interface:
    stack.next_index = index
    unit = None if kind is IfKind.ETHERNET else 0
    iface = interfaces.new_interface(world, stack, kind, name, unit)
    iface.mac = mac
    iface.addresses = [ipaddress.ip_interface(a) for a in addresses]
    iface.up = True
    return iface
