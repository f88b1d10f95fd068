"""Neighbour resolution: ARP for IPv4, NDP (NS/NA) for IPv6, with caches.

Each stack keeps ``neighbors``: address (text) -> ``[mac, interface uid,
expiry in virtual microseconds]``, 20 minutes after it was learnt, as
FreeBSD's lltable does. ``send`` puts an IP packet in a frame for its next
hop, soliciting the next hop's MAC first when it is not known; packets wait
(``Runtime.pending``) until the answer comes in the same drain and are
dropped otherwise. A solicitation for one of the receiving interface's
addresses is answered and teaches the asker's MAC; any ARP from an address
already in the cache refreshes it, so a gratuitous ARP (``announce``, sent
when an IPv4 address is added) updates neighbours, as FreeBSD's does.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene.backends.sim.kernel import link
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import (
    ARP,
    ICMPv6,
    IPv4,
    IPv6,
    arp_reply,
    arp_request,
    ether,
    neighbor_advertisement,
    neighbor_solicitation,
)
from kleene.backends.sim.packets.layers import (
    BROADCAST_MAC,
    IS_AT,
    ND_NEIGHBOR_ADVERT,
    ND_NEIGHBOR_SOLICIT,
    WHO_HAS,
)
from kleene.backends.sim.world import Interface, Stack

logger = logging.getLogger(__name__)

ENTRY_LIFETIME_US = 1200 * 1_000_000


def lookup(rt: Runtime, stack: Stack, iface: Interface, address: str) -> str | None:
    """Return the MAC of a neighbour on an interface, if known and fresh."""
    entry = stack.neighbors.get(address)
    if entry is None or entry[1] != iface.uid or entry[2] < rt.world.clock_us:
        return None
    mac: str = entry[0]
    return mac


def learn(rt: Runtime, stack: Stack, iface: Interface, address: str, mac: str) -> None:
    """Remember a neighbour's MAC and send what waited for it."""
    entry = stack.neighbors.get(address)
    if entry is None or entry[0] != mac or entry[1] != iface.uid:
        logger.debug("%s: %s is at %s on %s", stack.name, address, mac, iface.name)
    stack.neighbors[address] = [mac, iface.uid, rt.world.clock_us + ENTRY_LIFETIME_US]
    waiting = rt.pending.pop((stack.name, address), None)
    for uid, packet in waiting or ():
        found = rt.ifmap().get(uid)
        if found is not None:
            link.transmit(rt, stack, found[1], ether(found[1].mac or "", mac, packet))


def send(
    rt: Runtime, stack: Stack, iface: Interface, nexthop: str, packet: IPv4 | IPv6
) -> None:
    """Send an IP packet to a next hop on an Ethernet interface."""
    mac = lookup(rt, stack, iface, nexthop)
    if mac is not None:
        link.transmit(rt, stack, iface, ether(iface.mac or "", mac, packet))
        return
    key = (stack.name, nexthop)
    waiting = rt.pending.get(key)
    if waiting is not None:
        waiting.append((iface.uid, packet))
        return
    rt.pending[key] = [(iface.uid, packet)]
    solicit(rt, stack, iface, nexthop)


def solicit(rt: Runtime, stack: Stack, iface: Interface, address: str) -> None:
    """Ask the link who has an address (ARP request or neighbour solicitation)."""
    source = source_on(iface, address)
    if source is None or iface.mac is None:
        return
    if ":" in address:
        frame = neighbor_solicitation(iface.mac, source, address)
    else:
        frame = arp_request(iface.mac, source, address)
    link.transmit(rt, stack, iface, frame)


def announce(rt: Runtime, stack: Stack, iface: Interface, address: str) -> None:
    """Send a gratuitous ARP for an address just added to an interface."""
    if iface.mac is None or ":" in address:
        return
    link.transmit(rt, stack, iface, arp_request(iface.mac, address, address))


def source_on(iface: Interface, target: str) -> str | None:
    """Return the interface address to solicit ``target`` from."""
    wanted = ipaddress.ip_address(target)
    fallback = None
    for address in iface.addresses:
        if address.version != wanted.version:
            continue
        if wanted in address.network and address.network.prefixlen > 0:
            return str(address.ip)
        if fallback is None or (fallback.is_link_local and wanted.is_link_local):
            fallback = address.ip
    return None if fallback is None else str(fallback)


def _owns(rt: Runtime, stack: Stack, iface: Interface, address: str) -> bool:
    return rt.local(stack).get(address) is iface


def arp_input(rt: Runtime, stack: Stack, iface: Interface, message: ARP) -> None:
    """Answer ARP requests for our addresses and learn from what we hear."""
    sender = message.psrc
    if (
        message.op == WHO_HAS
        and _owns(rt, stack, iface, message.pdst)
        and sender != message.pdst
    ):
        learn(rt, stack, iface, sender, message.hwsrc)
        link.transmit(rt, stack, iface, arp_reply(message, iface.mac or ""))
        return
    known = sender in stack.neighbors or (stack.name, sender) in rt.pending
    if known and not _owns(rt, stack, iface, sender):
        learn(rt, stack, iface, sender, message.hwsrc)
    elif message.op == IS_AT:
        logger.debug("%s: unsolicited ARP reply from %s", stack.name, sender)


def nd_input(
    rt: Runtime, stack: Stack, iface: Interface, packet: IPv6, message: ICMPv6
) -> None:
    """Answer neighbour solicitations for our addresses and learn from adverts."""
    if message.type == ND_NEIGHBOR_SOLICIT:
        if not _owns(rt, stack, iface, message.tgt) or iface.mac is None:
            return
        if message.lladdr and packet.src != "::":
            learn(rt, stack, iface, packet.src, message.lladdr)
        reply = neighbor_advertisement(
            iface.mac, message.tgt, message.lladdr or BROADCAST_MAC, packet.src
        )
        link.transmit(rt, stack, iface, reply)
    elif message.type == ND_NEIGHBOR_ADVERT and message.lladdr:
        learn(rt, stack, iface, message.tgt, message.lladdr)


def is_neighbor_discovery(message: ICMPv6) -> bool:
    """Tell whether an ICMPv6 message belongs to neighbour discovery."""
    return message.type in (ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT)


link.register(ARP, arp_input)
