"""The network drivers at container start and stop (SPEC §4.11).

``network_params`` gives the jail parameters of a driver; ``prepare`` does
the host steps before ``jail -c`` (ipnet: aliases on the network interfaces;
vnet: an epair per endpoint with stable MACs and owner tags, then pf);
``cleanup`` undoes them once the jail is gone (idempotent, using the
inventory to skip what is absent) and marks the container stopped.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging

from kleene import inventory, plans
from kleene.engine import addressing
from kleene.engine.core import Engine
from kleene.engine.pfsync import sync_pf
from kleene.engine.steps import Steps
from kleene.model import Container, Endpoint, Network, NetworkDriver

logger = logging.getLogger(__name__)

Attachment = tuple[Endpoint, Network]


def mac_pair(endpoint_id: str) -> tuple[str, str]:
    """Return the stable MACs of an endpoint's epair ends ``a`` and ``b``."""
    digest = hashlib.sha256(endpoint_id.encode("ascii")).digest()
    stem = "02:" + ":".join(f"{byte:02x}" for byte in digest[:4])
    return f"{stem}:0a", f"{stem}:0b"


def attachments(engine: Engine, container: Container) -> list[Attachment]:
    """Return the container's endpoints with their networks, in connect order."""
    networks = {network.id: network for network in engine.store.networks()}
    return [
        (endpoint, networks[endpoint.network_id])
        for endpoint in engine.store.endpoints(container_id=container.id)
    ]


def prefixlen(cidr: str) -> int:
    """Return the prefix length of a CIDR block."""
    return ipaddress.ip_network(cidr).prefixlen


def network_params(container: Container, attached: list[Attachment]) -> list[str]:
    """Return the networking parameters of ``jail -c`` for the driver."""
    driver = container.network_driver
    if driver is NetworkDriver.HOST:
        return ["ip4=inherit", "ip6=inherit"]
    if driver is NetworkDriver.DISABLED:
        return ["ip4=disable", "ip6=disable"]
    if driver is NetworkDriver.IPNET:
        params = []
        ip4 = [e.ip_address for e, _ in attached if e.ip_address]
        ip6 = [e.ip_address6 for e, _ in attached if e.ip_address6]
        if ip4:
            params.append("ip4.addr=" + ",".join(ip4))
        if ip6:
            params.append("ip6.addr=" + ",".join(ip6))
        return params
    return ["vnet", *_vnet_params(attached), *default_routes(attached)]


def _vnet_params(attached: list[Attachment]) -> list[str]:
    params = []
    for endpoint, network in attached:
        epair = endpoint.epair
        params += [
            f"vnet.interface={epair}b",
            f"exec.prestart=ifconfig {network.interface} addm {epair}a",
            f"exec.prestart=ifconfig {epair}a up",
        ]
        if network.subnet and endpoint.ip_address:
            params.append(
                f"exec.start=ifconfig {epair}b inet "
                f"{endpoint.ip_address}/{prefixlen(network.subnet)}"
            )
        if network.subnet6 and endpoint.ip_address6:
            params.append(
                f"exec.start=ifconfig {epair}b inet6 "
                f"{endpoint.ip_address6}/{prefixlen(network.subnet6)}"
            )
    return params


def default_routes(attached: list[Attachment]) -> list[str]:
    """Return at most one default route per family (SPEC §4.11.3)."""
    routes = []
    for version, flag in ((4, "-inet"), (6, "-inet6")):
        for endpoint, network in attached:
            address = endpoint.ip_address if version == 4 else endpoint.ip_address6
            gateway = addressing.gateway_address(network, version)
            if address and gateway and addressing.subnet_of(network, version):
                routes.append(f"exec.start=route add {flag} default {gateway}")
                break
    return routes


def prepare(engine: Engine, container: Container, steps: Steps) -> None:
    """Do the driver's host steps before ``jail -c``."""
    if container.network_driver is NetworkDriver.IPNET:
        for endpoint, network in attachments(engine, container):
            for address in (endpoint.ip_address, endpoint.ip_address6):
                if address:
                    length = 32 if ":" not in address else 128
                    steps.run(
                        f"add {address} to {network.interface}",
                        plans.ifconfig_add_alias(network.interface, address, length),
                        undo=plans.ifconfig_remove_alias(network.interface, address),
                    )
    elif container.network_driver is NetworkDriver.VNET:
        for endpoint, _ in attachments(engine, container):
            _create_epair(engine, endpoint, steps)
        sync_pf(engine.config, engine.store, engine.view, steps)
    engine.view.invalidate()


def _create_epair(engine: Engine, endpoint: Endpoint, steps: Steps) -> None:
    output = steps.run("create an epair", plans.ifconfig_create_epair()).output
    epair = inventory.parse_epair_create(output)
    steps.undo_with(
        f"destroy {epair}a",
        lambda: engine.host.run(plans.ifconfig_destroy(f"{epair}a")),
    )
    mac_a, mac_b = mac_pair(endpoint.id)
    tag = plans.owner_tag(endpoint.id)
    steps.run(f"set {epair}a ether", plans.ifconfig_ether(f"{epair}a", mac_a))
    steps.run(f"set {epair}b ether", plans.ifconfig_ether(f"{epair}b", mac_b))
    steps.run(f"tag {epair}a", plans.ifconfig_describe(f"{epair}a", tag))
    steps.run(f"tag {epair}b", plans.ifconfig_describe(f"{epair}b", tag))
    with engine.store.transaction():
        engine.store.set_epair(endpoint.id, epair)
    steps.undo_with(f"forget {epair}", lambda: _forget_epair(engine, endpoint.id))
    logger.info("created %s for endpoint %s", epair, endpoint.id)


def _forget_epair(engine: Engine, endpoint_id: str) -> None:
    with engine.store.transaction():
        engine.store.set_epair(endpoint_id, None)


def cleanup(engine: Engine, container: Container) -> None:
    """Remove what the driver set up, once the jail is gone; mark it stopped."""
    interfaces = engine.view.interfaces()
    attached = attachments(engine, container)
    if container.network_driver is NetworkDriver.IPNET:
        for endpoint, network in attached:
            remove_aliases(engine, endpoint, network, interfaces)
    elif container.network_driver is NetworkDriver.VNET:
        for endpoint, network in attached:
            if endpoint.epair is not None:
                release_epair(engine, endpoint, network, interfaces)
    _unmount_devfs(engine, container)
    with engine.store.transaction():
        engine.store.set_running(container.id, None)
    engine.view.invalidate()
    if container.network_driver is NetworkDriver.VNET:
        with Steps(engine.host) as steps:
            sync_pf(engine.config, engine.store, engine.view, steps, teardown=True)
    logger.info("container %s stopped", container.name)


def remove_aliases(
    engine: Engine,
    endpoint: Endpoint,
    network: Network,
    interfaces: dict[str, inventory.InterfaceInfo],
) -> None:
    """Remove an ipnet endpoint's addresses from its network interface."""
    info = interfaces.get(network.interface)
    if info is None:
        return
    present = {a for a, _ in info.ipv4} | {a for a, _ in info.ipv6}
    for address in (endpoint.ip_address, endpoint.ip_address6):
        if address and address in present:
            engine.host.run(
                plans.ifconfig_remove_alias(network.interface, address)
            ).check()


def release_epair(
    engine: Engine,
    endpoint: Endpoint,
    network: Network,
    interfaces: dict[str, inventory.InterfaceInfo],
) -> None:
    """Take an epair off its bridge, destroy it and forget it."""
    host_end = f"{endpoint.epair}a"
    bridge = interfaces.get(network.interface)
    if bridge is not None and host_end in bridge.members:
        engine.host.run(plans.ifconfig_deletem(network.interface, host_end)).check()
    if host_end in interfaces:
        engine.host.run(plans.ifconfig_destroy(host_end)).check()
    with engine.store.transaction():
        engine.store.set_epair(endpoint.id, None)


def _unmount_devfs(engine: Engine, container: Container) -> None:
    result = engine.host.run(plans.mount_devfs_list())
    if not result.ok:
        return
    node = f"{container.path}/dev"
    if node in inventory.parse_devfs_mounts(result.output):
        engine.host.run(plans.umount(node)).check()
