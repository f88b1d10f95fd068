"""Reconciliation: bring the host and the store back in line (SPEC §4.15).

Run at the start of every mutating command, after the prerequisites:

- a loopback or bridge network whose interface is missing is recreated;
  one that is present and tagged with its id is adopted (brought up, its
  ``<auto>`` gateway aliases added); one that is present but untagged is
  left alone with a warning;
- an interface tagged ``kleene:<id>`` whose id is no known network and no
  endpoint with an epair is an orphan and is destroyed (bridges lose their
  members first); interfaces without kleene's tag are never touched;
- pf is re-rendered, and reloaded when its text changed.

Repairs are not undone when the command that triggered them fails later.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene import inventory, plans
from kleene.engine import drivers
from kleene.engine.core import Engine
from kleene.engine.interfaces import create_interface, gateway_aliases
from kleene.engine.pfsync import sync_pf
from kleene.engine.steps import Steps
from kleene.inventory import InterfaceInfo
from kleene.model import Network, NetworkDriver, NetworkType

logger = logging.getLogger(__name__)


def reconcile(engine: Engine) -> None:
    """Repair the host from the store, then re-render pf."""
    engine.view.ensure_prerequisites()
    _sync_containers(engine)
    networks = engine.store.networks()
    for network in networks:
        _repair_network(engine, network)
    _remove_orphans(engine, networks)
    _remove_stale_aliases(engine)
    with Steps(engine.host) as steps:
        sync_pf(engine.config, engine.store, engine.view, steps)


def _repair_network(engine: Engine, network: Network) -> None:
    if network.type is NetworkType.CUSTOM:
        return
    name = network.interface
    info = engine.view.interfaces().get(name)
    if info is None:
        logger.info("recreating the missing interface %s of '%s'", name, network.name)
        with Steps(engine.host) as steps:
            create_interface(engine, network, steps)
        return
    if info.owner != network.id:
        engine.warn(
            f"warning: interface {name} of network '{network.name}' "
            "is not managed by kleene"
        )
        return
    if not info.up:
        engine.host.run(plans.ifconfig_up(name)).check()
        logger.info("brought %s of '%s' up", name, network.name)
    for address, prefixlen in gateway_aliases(network):
        if not _has_address(info, address):
            engine.host.run(plans.ifconfig_add_alias(name, address, prefixlen)).check()
            logger.info("restored gateway %s on %s", address, name)
    engine.view.invalidate()


def _has_address(info: InterfaceInfo, address: str) -> bool:
    wanted = ipaddress.ip_address(address)
    present = [a for a, _ in info.ipv4] + [a for a, _ in info.ipv6]
    return any(ipaddress.ip_address(a) == wanted for a in present)


def _remove_orphans(engine: Engine, networks: list[Network]) -> None:
    owners = {network.id for network in networks}
    owners |= {
        endpoint.id
        for endpoint in engine.store.endpoints()
        if endpoint.epair is not None
    }
    for name, info in list(engine.view.interfaces().items()):
        if info.owner is None or info.owner in owners:
            continue
        if name not in engine.view.interfaces():
            continue  # went with its epair partner
        logger.info("destroying orphan interface %s (%s)", name, info.description)
        for member in info.members:
            engine.host.run(plans.ifconfig_deletem(name, member)).check()
        engine.host.run(plans.ifconfig_destroy(name)).check()
        engine.view.invalidate()


def running_jails(engine: Engine) -> dict[str, int]:
    """Return the JIDs of the host's jails by name."""
    output = engine.host.run(plans.jls_list()).check().output
    return {jail.name: jail.jid for jail in inventory.parse_jls(output)}


def _sync_containers(engine: Engine) -> None:
    """Steps 1 and 2: a vanished jail stops its container; a jail starts one."""
    jails = running_jails(engine)
    for container in engine.store.containers():
        jid = jails.get(container.id)
        leftover = any(
            endpoint.epair is not None
            for endpoint in engine.store.endpoints(container_id=container.id)
        )
        if jid is None and (container.running or leftover):
            logger.info("the jail of %s is gone; cleaning up", container.name)
            drivers.cleanup(engine, container)
        elif jid is not None and (not container.running or container.jid != jid):
            with engine.store.transaction():
                engine.store.set_running(container.id, jid)
            logger.info("container %s runs as jail %d", container.name, jid)


def _remove_stale_aliases(engine: Engine) -> None:
    """Step 5: aliases of stopped ipnet containers still on an interface."""
    interfaces = engine.view.interfaces()
    for container in engine.store.containers():
        if container.running or container.network_driver is not NetworkDriver.IPNET:
            continue
        for endpoint, network in drivers.attachments(engine, container):
            drivers.remove_aliases(engine, endpoint, network, interfaces)
    engine.view.invalidate()
