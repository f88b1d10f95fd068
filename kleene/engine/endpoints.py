"""Connecting containers to networks and disconnecting them (SPEC §4.6, §4.7).

A connect checks the driver rules, allocates the addresses and inserts the
endpoint in one transaction (its deletion is the first undo), then changes a
running ipnet container's jail and reloads pf. A disconnect changes the host
first (jail address list, aliases, or the vnet epair) and then deletes the
endpoint, freeing its addresses.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene import ids, inventory, plans
from kleene.engine import addressing, drivers
from kleene.engine.core import Engine
from kleene.engine.pfsync import sync_pf
from kleene.engine.steps import Steps
from kleene.errors import Conflict, NotFound, ValidationError
from kleene.model import Container, Endpoint, Network, NetworkDriver, NetworkType

logger = logging.getLogger(__name__)


def check_driver(container: Container, network: Network) -> None:
    """Apply the driver rules of a connect (SPEC §4.6 step 4)."""
    driver = container.network_driver
    if driver in (NetworkDriver.HOST, NetworkDriver.DISABLED):
        raise ValidationError(
            f"containers with the '{driver}' network-driver cannot connect to networks."
        )
    if driver is NetworkDriver.VNET:
        if network.type is not NetworkType.BRIDGE:
            raise ValidationError(
                "containers using the 'vnet' network-driver can't connect to "
                f"{network.type} networks"
            )
        if container.running:
            raise Conflict("cannot connect a running vnet container to a network")


def connect(
    engine: Engine,
    container: Container,
    network: Network,
    ip: str | None = None,
    ip6: str | None = None,
) -> Endpoint:
    """Connect a container to a network (the lock is held by the caller)."""
    store = engine.store
    if store.endpoints(network_id=network.id, container_id=container.id):
        raise Conflict("container already connected to the network")
    check_driver(container, network)
    with Steps(engine.host) as steps:
        endpoint = _store_endpoint(engine, container, network, ip, ip6)
        steps.undo_with("delete the endpoint", lambda: delete(engine, endpoint))
        if container.running and container.network_driver is NetworkDriver.IPNET:
            _add_to_jail(engine, container, network, endpoint, steps)
        sync_pf(engine.config, store, engine.view, steps)
    logger.info("connected %s to network '%s'", container.name, network.name)
    return endpoint


def _store_endpoint(
    engine: Engine,
    container: Container,
    network: Network,
    ip: str | None,
    ip6: str | None,
) -> Endpoint:
    store = engine.store
    in_use = {
        version: set(engine.view.interface_addresses(network.interface, version))
        if addressing.subnet_of(network, version)
        else set()
        for version in (4, 6)
    }
    with store.transaction():
        addresses = [
            _address(engine, network, version, requested, in_use[version])
            for version, requested in ((4, ip), (6, ip6))
        ]
        endpoint_id = ids.new_id(engine.host, store.id_taken)
        mac = None
        if container.network_driver is NetworkDriver.VNET:
            mac = drivers.mac_pair(endpoint_id)[1]
        endpoint = Endpoint(
            id=endpoint_id,
            network_id=network.id,
            container_id=container.id,
            ip_address=addresses[0],
            ip_address6=addresses[1],
            mac_address=mac,
        )
        store.register_id(endpoint.id, "endpoint")
        store.insert_endpoint(endpoint)
    return endpoint


def _address(
    engine: Engine,
    network: Network,
    version: int,
    requested: str | None,
    on_if: set[str],
) -> str:
    store = engine.store
    if requested is None:
        if not addressing.subnet_of(network, version):
            return ""
        skip = {int(ipaddress.ip_address(a)) for a in on_if}
        return addressing.allocate(store, network, version, skip)
    holder = _holder(engine, network, requested)
    return addressing.reserve(
        store, network, requested, version, holder=holder, on_interface=on_if
    )


def _holder(engine: Engine, network: Network, requested: str) -> str | None:
    try:
        wanted = ipaddress.ip_address(requested)
    except ValueError:
        return None
    for endpoint in engine.store.endpoints(network_id=network.id):
        for address in (endpoint.ip_address, endpoint.ip_address6):
            if address and ipaddress.ip_address(address) == wanted:
                owner = [
                    c
                    for c in engine.store.containers()
                    if c.id == endpoint.container_id
                ]
                return owner[0].name if owner else endpoint.container_id
    return None


def _jail_addresses(
    engine: Engine, container: Container
) -> tuple[list[str], list[str]]:
    result = engine.host.run(plans.jls_jail(container.id)).check()
    jails = inventory.parse_jls(result.output)
    if not jails:
        return [], []
    return list(jails[0].ipv4), list(jails[0].ipv6)


def _add_to_jail(
    engine: Engine,
    container: Container,
    network: Network,
    endpoint: Endpoint,
    steps: Steps,
) -> None:
    for address in (endpoint.ip_address, endpoint.ip_address6):
        if address:
            length = 128 if ":" in address else 32
            steps.run(
                f"add {address} to {network.interface}",
                plans.ifconfig_add_alias(network.interface, address, length),
                undo=plans.ifconfig_remove_alias(network.interface, address),
            )
    old4, old6 = _jail_addresses(engine, container)
    new4 = [*old4, endpoint.ip_address] if endpoint.ip_address else None
    new6 = [*old6, endpoint.ip_address6] if endpoint.ip_address6 else None
    if new4 is None and new6 is None:
        return
    steps.run(
        f"give {container.name} its new addresses",
        plans.jail_modify(container.id, new4, new6),
        undo=plans.jail_modify(
            container.id,
            old4 if new4 is not None else None,
            old6 if new6 is not None else None,
        ),
    )


def delete(engine: Engine, endpoint: Endpoint) -> None:
    """Delete an endpoint row and free its addresses."""
    store = engine.store
    with store.transaction():
        network = addressing.lookup_network(store, endpoint.network_id)
        addressing.release(store, network, endpoint.ip_address)
        addressing.release(store, network, endpoint.ip_address6)
        store.delete_endpoint(endpoint.id)
        store.release_id(endpoint.id)


def find_endpoint(engine: Engine, container: Container, network: Network) -> Endpoint:
    """Return the endpoint joining a container and a network."""
    found = engine.store.endpoints(network_id=network.id, container_id=container.id)
    if not found:
        raise NotFound("endpoint configuration not found")
    return found[0]


def disconnect(
    engine: Engine, container: Container, network: Network, *, reload_pf: bool = True
) -> None:
    """Disconnect a container from a network (the lock is held by the caller)."""
    endpoint = find_endpoint(engine, container, network)
    if container.running:
        if container.network_driver is NetworkDriver.IPNET:
            _remove_from_jail(engine, container, network, endpoint)
        elif container.network_driver is NetworkDriver.VNET and endpoint.epair:
            _reclaim_epair(engine, container, network, endpoint)
    delete(engine, endpoint)
    if reload_pf:
        with Steps(engine.host) as steps:
            sync_pf(engine.config, engine.store, engine.view, steps, teardown=True)
    logger.info("disconnected %s from network '%s'", container.name, network.name)


def _remove_from_jail(
    engine: Engine, container: Container, network: Network, endpoint: Endpoint
) -> None:
    old4, old6 = _jail_addresses(engine, container)
    new4 = (
        [a for a in old4 if a != endpoint.ip_address] if endpoint.ip_address else None
    )
    new6 = (
        [a for a in old6 if a != endpoint.ip_address6] if endpoint.ip_address6 else None
    )
    if new4 is not None or new6 is not None:
        engine.host.run(plans.jail_modify(container.id, new4, new6)).check()
    drivers.remove_aliases(engine, endpoint, network, engine.view.interfaces())
    engine.view.invalidate()


def _reclaim_epair(
    engine: Engine, container: Container, network: Network, endpoint: Endpoint
) -> None:
    # Each step is skipped when done already, so a retry finishes a teardown.
    epair = endpoint.epair
    if f"{epair}b" not in engine.view.interfaces():
        engine.host.run(plans.ifconfig_reclaim(f"{epair}b", container.id)).check()
        engine.view.invalidate()
    drivers.release_epair(engine, endpoint, network, engine.view.interfaces())
    engine.view.invalidate()
