"""Jails: creation, vnet stacks, interface moves, removal.

A jail gets the next JID of the world's ``jid`` counter (from 1, never
reused). A vnet jail gets its own stack, ``jail<jid>``, born with ``lo0``
(index 1, down) and ``pflog0`` (index 2); interfaces moved in (``vnet.interface``,
``ifconfig IF vnet J``) get the jail's next index, lose their addresses and
go down, as ``if_vmove`` does.

A jail lives while it has processes, while it is ``held`` (jail(8) holds it
during creation) or while it is ``persist``ent. ``remove`` (``jail -r``, a
failed creation, the last process ending) signals what is left with SIGTERM,
destroys the interfaces born in a vnet jail, returns the others to the stack
they came from (at the end of its listing, with a new index), and drops the
jail. Only ``jail -r`` unmounts the devfs that jail(8) mounted; a jail that
dies on its own leaves it mounted (kleene's cleanup unmounts it).
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel import interfaces, mounts, procs
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.iftypes import TRAITS
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.records import Jail
from kleene.backends.sim.world import HOST_STACK, IfKind, Interface, Stack, World

logger = logging.getLogger(__name__)

JAIL_ROLE = "jail"


def find(world: World, key: str) -> Jail | None:
    """Return the jail with that JID or name, or None."""
    if key.isdigit():
        return world.jails.get(int(key))
    for jail in world.jails.values():
        if jail.name == key:
            return jail
    return None


def create(rt: Runtime, jail: Jail) -> Jail:
    """Give a described jail its JID (and its own stack if vnet) and record it."""
    world = rt.world
    jail.jid = rt.counter("jid")
    if jail.vnet:
        jail.stack = f"jail{jail.jid}"
        world.stacks[jail.stack] = _vnet_stack(world, jail.stack)
    else:
        jail.stack = HOST_STACK
    world.jails[jail.jid] = jail
    rt.invalidate()
    logger.info("created jail %d (%s)", jail.jid, jail.name)
    return jail


def _vnet_stack(world: World, name: str) -> Stack:
    stack = Stack(name=name, role=JAIL_ROLE)
    interfaces.new_interface(world, stack, IfKind.LOOPBACK, "lo0", 0)
    interfaces.new_interface(world, stack, IfKind.PFLOG, "pflog0", 0)
    return stack


def move(rt: Runtime, source: Stack, iface: Interface, target: Stack) -> None:
    """Move an interface to another stack, as ``if_vmove`` does."""
    if interfaces.find(target, iface.name) is not None:
        raise KernelError(Errno.EEXIST)
    interfaces.detach(source, iface)
    iface.addresses.clear()
    iface.up = False
    iface.fdb.clear()
    iface.nd6 = TRAITS[iface.kind].nd6 or 0
    interfaces.attach(target, iface)
    rt.invalidate()
    logger.info(
        "moved interface %s from %s to %s", iface.name, source.name, target.name
    )


def move_in(rt: Runtime, jail: Jail, name: str) -> None:
    """Move a host interface into a vnet jail (ENXIO, EINVAL)."""
    host = rt.world.host
    iface = interfaces.find(host, name)
    if iface is None:
        raise KernelError(Errno.ENXIO)
    if not jail.vnet or (iface.kind is IfKind.LOOPBACK and iface.unit == 0):
        raise KernelError(Errno.EINVAL)
    move(rt, host, iface, rt.world.stacks[jail.stack])


def move_out(rt: Runtime, jail: Jail, name: str) -> None:
    """Return an interface from a vnet jail to the stack it came from."""
    if not jail.vnet:
        raise KernelError(Errno.EINVAL)
    stack = rt.world.stacks[jail.stack]
    iface = interfaces.find(stack, name)
    if iface is None or iface.home == stack.name:
        raise KernelError(Errno.ENXIO)
    move(rt, stack, iface, rt.world.stacks.get(iface.home, rt.world.host))


def remove(rt: Runtime, jail: Jail, *, unmount: bool = False) -> None:
    """Remove a jail: end its processes, give back its interfaces, drop it."""
    world = rt.world
    jail.held = jail.persist = False
    if world.jails.pop(jail.jid, None) is None:
        return
    for proc in procs.in_jail(world, jail.jid):
        procs.signal(rt, proc.pid, procs.SIGTERM)
    for proc in procs.in_jail(world, jail.jid):
        procs.exit(rt, proc.pid, 128 + procs.SIGKILL)
    if jail.vnet:
        _dismantle(rt, world.stacks[jail.stack])
    if unmount and jail.devfs is not None:
        mounts.unmount(world, jail.devfs)
    rt.invalidate()
    logger.info("removed jail %d (%s)", jail.jid, jail.name)


def _dismantle(rt: Runtime, stack: Stack) -> None:
    world = rt.world
    for iface in list(stack.interfaces):
        if iface not in stack.interfaces:
            continue
        if iface.home != stack.name:
            move(rt, stack, iface, world.stacks.get(iface.home, world.host))
            continue
        interfaces.detach(stack, iface)
        peer = None if iface.peer is None else interfaces.locate(world, iface.peer)
        if peer is not None:
            interfaces.detach(*peer)
    del world.stacks[stack.name]


def reap_if_empty(rt: Runtime, jid: int) -> None:
    """Remove a jail that has no process left, unless it is held or persistent."""
    jail = rt.world.jails.get(jid)
    if jail is None or jail.held or jail.persist:
        return
    if not procs.in_jail(rt.world, jid):
        remove(rt, jail)


def release(rt: Runtime, jail: Jail) -> None:
    """Stop holding a jail that jail(8) was creating; it may die at once."""
    jail.held = False
    reap_if_empty(rt, jail.jid)


def stack_of(world: World, jid: int) -> Stack:
    """Return the network stack that processes of a jail use."""
    jail = world.jails.get(jid)
    return world.stacks[jail.stack] if jail is not None else world.host
