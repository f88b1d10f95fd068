"""The host interfaces of networks: create them, destroy them (SPEC §4.3, §4.8).

A loopback network gets a loopback clone, a bridge network a bridge, each
tagged ``kleene:<network id>`` and brought up; a bridge also carries its
``<auto>`` gateway addresses. A custom network's interface is never touched.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene import plans
from kleene.engine import addressing
from kleene.engine.core import Engine
from kleene.engine.steps import Steps
from kleene.model import AUTO_GATEWAY, Network, NetworkType

logger = logging.getLogger(__name__)

CLONE_KIND = {NetworkType.LOOPBACK: "lo", NetworkType.BRIDGE: "bridge"}


def gateway_aliases(network: Network) -> list[tuple[str, int]]:
    """Return the ``<auto>`` gateway addresses that a bridge carries."""
    if network.type is not NetworkType.BRIDGE:
        return []
    aliases = []
    for version, value in ((4, network.gateway), (6, network.gateway6)):
        address = addressing.gateway_address(network, version)
        if value == AUTO_GATEWAY and address is not None:
            block = ipaddress.ip_network(addressing.subnet_of(network, version))
            aliases.append((address, block.prefixlen))
    return aliases


def create_interface(engine: Engine, network: Network, steps: Steps) -> None:
    """Create, tag and bring up the network's interface, with its gateways."""
    kind = CLONE_KIND.get(network.type)
    if kind is None:
        return
    name = network.interface
    steps.run(
        f"create {kind} {name}",
        plans.ifconfig_create(kind, name),
        undo=plans.ifconfig_destroy(name),
    )
    steps.run(f"tag {name}", plans.ifconfig_describe(name, plans.owner_tag(network.id)))
    steps.run(f"bring {name} up", plans.ifconfig_up(name))
    for address, prefixlen in gateway_aliases(network):
        steps.run(
            f"add gateway {address} to {name}",
            plans.ifconfig_add_alias(name, address, prefixlen),
        )
    engine.view.invalidate()
    logger.info("created interface %s for network '%s'", name, network.name)


def destroy_interface(engine: Engine, network: Network) -> None:
    """Destroy the interface kleene created for a network, members first."""
    if network.type is NetworkType.CUSTOM:
        return
    info = engine.view.interfaces().get(network.interface)
    if info is None or info.owner != network.id:
        return
    for member in info.members:
        engine.host.run(plans.ifconfig_deletem(network.interface, member)).check()
    engine.host.run(plans.ifconfig_destroy(network.interface)).check()
    engine.view.invalidate()
    logger.info(
        "destroyed interface %s of network '%s'", network.interface, network.name
    )
