"""IPv4 and IPv6 addresses on interfaces, in the order they were added.

Rules (SPEC §7.6), as FreeBSD applies them:

- adding an address to an interface that is down brings it up;
- re-adding an address the interface has updates its prefix in place;
- the first non-link-local IPv6 address clears ``IFDISABLED``; an epair end
  then also gets its EUI-64 link-local address (``fe80::...%epairNb``);
- a loopback that comes up gets ``fe80::1`` (``interfaces.set_up``).

Addresses are stored without a scope: a link-local address is scoped to the
interface that holds it, whatever its current name. Routes follow from the
addresses (``kernel.routes``), so removing an address removes its routes.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene.backends.sim.kernel import interfaces, routes
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.iftypes import ND6_IFDISABLED, TRAITS
from kleene.backends.sim.world import Interface, IPAddress, IPInterface, Stack

logger = logging.getLogger(__name__)


def add(iface: Interface, address: IPInterface) -> None:
    """Add an address (or update the prefix of one it has) and bring it up."""
    for position, existing in enumerate(iface.addresses):
        if existing.ip == address.ip:
            iface.addresses[position] = address
            break
    else:
        iface.addresses.append(address)
    logger.info("added address %s to %s", address, iface.name)

    if address.version == 6 and not address.ip.is_link_local:
        _enable_inet6(iface)
    interfaces.set_up(iface, True)


def _enable_inet6(iface: Interface) -> None:
    iface.nd6 &= ~ND6_IFDISABLED
    if not TRAITS[iface.kind].link_local_on_inet6 or iface.mac is None:
        return
    if not any(a.version == 6 and a.ip.is_link_local for a in iface.addresses):
        link_local = eui64_link_local(iface.mac)
        iface.addresses.append(link_local)
        logger.info("added address %s to %s", link_local, iface.name)


def remove(stack: Stack, iface: Interface, ip: IPAddress) -> None:
    """Remove an address; EADDRNOTAVAIL when the interface does not have it."""
    for existing in iface.addresses:
        if existing.ip == ip:
            iface.addresses.remove(existing)
            logger.info("removed address %s from %s", existing, iface.name)
            routes.prune(stack)
            return
    raise KernelError(Errno.EADDRNOTAVAIL)


def remove_first(stack: Stack, iface: Interface, version: int) -> None:
    """Remove the first address of a family; EADDRNOTAVAIL when there is none."""
    for existing in iface.addresses:
        if existing.version == version:
            remove(stack, iface, existing.ip)
            return
    raise KernelError(Errno.EADDRNOTAVAIL)


def eui64_link_local(mac: str) -> ipaddress.IPv6Interface:
    """Return the link-local address (prefix 64) derived from a MAC by EUI-64."""
    octets = bytes.fromhex(mac.replace(":", ""))
    interface_id = bytes([octets[0] ^ 0x02, *octets[1:3], 0xFF, 0xFE, *octets[3:6]])
    packed = b"\xfe\x80" + bytes(6) + interface_id
    return ipaddress.IPv6Interface((packed, 64))
